"""``kawal surge DATA_DIR --out RESULTS_DIR`` writes the layout the shared NAB scorer reads."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from kawal.cli.surge import register

SCORER = Path(__file__).resolve().parents[3] / "shared" / "bench" / "nab_score.py"
START = datetime(2024, 3, 4, tzinfo=UTC)


def cli() -> typer.Typer:
    app = typer.Typer()
    app.callback()(lambda: None)  # keep `surge` a subcommand, as in the real `kawal` app
    register(app)
    return app


def write_series(path: Path, values: list[float]) -> list[str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    stamps = [(START + timedelta(minutes=5 * i)).strftime("%Y-%m-%d %H:%M:%S") for i in range(len(values))]
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["timestamp", "value"])
        writer.writerows(zip(stamps, values, strict=True))
    return stamps


def tiny_corpus(root: Path) -> dict[str, list[list[str]]]:
    """Two categories, one spike each; returns NAB-style windows around the spikes."""
    rng = np.random.default_rng(1)
    windows = {}
    for category, name, at in (("synthA", "one.csv", 1500), ("synthB", "two.csv", 1700)):
        values = (20 + rng.normal(0, 1, 2000)).round(3).tolist()
        values[at:at + 3] = [80.0, 85.0, 90.0]
        stamps = write_series(root / category / name, values)
        windows[f"{category}/{name}"] = [[stamps[at - 50] + ".000000", stamps[at + 50] + ".000000"]]
    return windows


def test_it_writes_results_the_nab_scorer_reads(tmp_path):
    if not SCORER.exists():
        pytest.skip("../shared/bench/nab_score.py is not beside this checkout")
    data, out = tmp_path / "data", tmp_path / "results"
    windows = tiny_corpus(data)
    (tmp_path / "windows.json").write_text(json.dumps(windows))
    result = CliRunner().invoke(cli(), ["surge", str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    written = out / "synthA" / "kawal_one.csv"
    with written.open() as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["timestamp", "value", "anomaly_score"]
    assert len(rows) == 2000
    assert all(0.0 <= float(r["anomaly_score"]) <= 1.0 for r in rows)
    scored = subprocess.run([sys.executable, str(SCORER), "--data", str(data), "--windows",
                             str(tmp_path / "windows.json"), "--results", str(out), "--detector", "kawal",
                             "--profile", "standard"], capture_output=True, text=True, check=True)
    assert "windows detected 2/2" in scored.stdout, scored.stdout


def test_it_names_the_file_and_line_of_a_bad_row_and_still_scores_the_rest(tmp_path):
    data, out = tmp_path / "data", tmp_path / "results"
    write_series(data / "cat" / "good.csv", [1.0, 2.0, 3.0] * 100)
    bad = data / "cat" / "bad.csv"
    write_series(bad, [1.0, 2.0, 3.0, 4.0])
    lines = bad.read_text().splitlines()
    lines[3] = lines[3].split(",")[0] + ",lots"
    bad.write_text("\n".join(lines) + "\n")
    result = CliRunner().invoke(cli(), ["surge", str(data), "--out", str(out)])
    assert result.exit_code == 1
    assert f"{bad}:4: 'lots' is not a number" in result.output
    assert (out / "cat" / "kawal_good.csv").exists()
    assert not (out / "cat" / "kawal_bad.csv").exists()


def test_it_reports_a_header_without_the_needed_columns(tmp_path):
    data = tmp_path / "data"
    (data / "cat").mkdir(parents=True)
    (data / "cat" / "odd.csv").write_text("time,count\n2024-01-01 00:00:00,3\n")
    result = CliRunner().invoke(cli(), ["surge", str(data), "--out", str(tmp_path / "r")])
    assert result.exit_code == 1
    assert "odd.csv:1: header" in result.output and "'timestamp'" in result.output


def test_it_reports_a_file_that_is_not_text(tmp_path):
    data = tmp_path / "data"
    (data / "cat").mkdir(parents=True)
    (data / "cat" / "blob.csv").write_bytes(b"timestamp,value\n\xff\xfe\x00junk\n")
    result = CliRunner().invoke(cli(), ["surge", str(data), "--out", str(tmp_path / "r")])
    assert result.exit_code == 1
    assert "blob.csv: not UTF-8 text" in result.output


def test_it_refuses_a_missing_data_folder(tmp_path):
    result = CliRunner().invoke(cli(), ["surge", str(tmp_path / "nope"), "--out", str(tmp_path / "r")])
    assert result.exit_code == 2
    assert "is not a directory" in result.output
