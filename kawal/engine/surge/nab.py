"""Run the detector over NAB-layout CSV files (``<category>/<file>.csv`` with ``timestamp,value``).

Writes ``<out>/<category>/<name>_<file>.csv`` with ``timestamp,value,anomaly_score``: the layout NAB's
scorer (and ``../shared/bench/nab_score.py``) reads. A file that cannot be read is reported with its
line and skipped; the other files are still processed.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kawal.engine.surge.detector import SurgeConfig, SurgeDetector


class SeriesError(ValueError):
    """A CSV that is not a timestamp,value series; the message names the file and line."""


@dataclass(frozen=True)
class Series:
    path: Path
    category: str
    stamps: list[str]        # as written, so the results line up with the data file exactly
    seconds: list[float]
    values: list[float]


def parse_timestamp(text: str) -> float:
    """'2014-07-01 00:00:00', '2014-07-01T00:00:00Z' or with fractions/offset, as UTC epoch seconds."""
    clean = text.strip()
    if clean.endswith("Z"):
        clean = clean[:-1] + "+00:00"
    moment = datetime.fromisoformat(clean)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def read_series(path: Path, category: str) -> Series:
    """Read one CSV; raise SeriesError naming the file and line of the first problem."""
    try:
        return _read_series(path, category)
    except UnicodeDecodeError as exc:
        raise SeriesError(f"{path}: not UTF-8 text (byte {exc.start}: {exc.reason})") from None
    except csv.Error as exc:
        raise SeriesError(f"{path}: not a readable CSV ({exc})") from None


def _read_series(path: Path, category: str) -> Series:
    stamps: list[str] = []
    seconds: list[float] = []
    values: list[float] = []
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header is None:
            raise SeriesError(f"{path}: the file is empty (expected a 'timestamp,value' header)")
        cols = [h.strip() for h in header]
        if "timestamp" not in cols or "value" not in cols:
            raise SeriesError(f"{path}:1: header {header!r} lacks a 'timestamp' and a 'value' column")
        ti, vi = cols.index("timestamp"), cols.index("value")
        for row in reader:
            if not row:
                continue
            line = reader.line_num
            stamp, secs, value = _parse_row(path, line, row, ti, vi)
            stamps.append(stamp)
            seconds.append(secs)
            values.append(value)
    if not values:
        raise SeriesError(f"{path}: no data rows after the header")
    return Series(path, category, stamps, seconds, values)


def _parse_row(path: Path, line: int, row: list[str], ti: int, vi: int) -> tuple[str, float, float]:
    if len(row) <= max(ti, vi):
        raise SeriesError(f"{path}:{line}: expected at least {max(ti, vi) + 1} columns, found {len(row)}")
    try:
        secs = parse_timestamp(row[ti])
    except ValueError:
        raise SeriesError(f"{path}:{line}: {row[ti]!r} is not a timestamp") from None
    try:
        value = float(row[vi])
    except ValueError:
        raise SeriesError(f"{path}:{line}: {row[vi]!r} is not a number (use 'nan' for a missing value)") from None
    if math.isinf(value):
        raise SeriesError(f"{path}:{line}: {row[vi]!r} is infinite")
    return row[ti], secs, value


def find_csvs(data_dir: Path) -> list[tuple[Path, str]]:
    """Every CSV under data_dir with its category (its folder; data_dir's own name at the top level)."""
    if not data_dir.is_dir():
        raise FileNotFoundError(f"{data_dir} is not a directory")
    found = []
    for path in sorted(data_dir.rglob("*.csv")):
        if path.name.startswith("."):
            continue
        rel = path.relative_to(data_dir)
        category = rel.parent.as_posix() if rel.parent != Path(".") else data_dir.resolve().name
        found.append((path, category))
    return found


def score_series(series: Series, config: SurgeConfig | None = None) -> list[float]:
    """The detector's scores for one series, from a fresh detector."""
    return SurgeDetector(config).score_many(series.seconds, series.values).tolist()


def write_results(series: Series, scores: list[float], out_dir: Path, name: str = "kawal") -> Path:
    target = out_dir / series.category / f"{name}_{series.path.name}"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["timestamp", "value", "anomaly_score"])
        for stamp, value, score in zip(series.stamps, series.values, scores, strict=True):
            writer.writerow([stamp, repr(value), f"{score:.10g}"])
    return target


def out_of_order_lines(series: Series) -> Iterator[int]:
    """Data lines (1-based, header = 1) whose timestamp is earlier than the one before."""
    for i in range(1, len(series.seconds)):
        if series.seconds[i] < series.seconds[i - 1]:
            yield i + 2
