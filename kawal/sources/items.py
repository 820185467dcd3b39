"""Import listening items from JSONL or CSV.

One record is ``{id, text, title?, url?, published_at?, source?, author?, lang?, kind?}``; any other field is
kept in ``Item.extras``. A bad record never stops the import and is never dropped silently: it becomes a
:class:`Problem` naming the line and what is wrong, and the caller decides what to do with the list.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from kawal.engine.records import Item

KNOWN_FIELDS = ("id", "text", "title", "url", "published_at", "source", "kind", "author", "lang")
KINDS = ("news", "mention")
MAX_TEXT_CHARS = 200_000  # a record longer than a long article is almost certainly a paste error


class ItemError(ValueError):
    """A record that cannot become an :class:`Item`; the message names the field and the problem."""


@dataclass(frozen=True, slots=True)
class Problem:
    where: str     # "line 3", "row 7", "item 2"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(slots=True)
class ImportResult:
    items: list[Item] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _optional_str(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ItemError(f"'{key}' must be a string, got {type(value).__name__}")
    return value


def _parse_id(data: Mapping[str, Any]) -> str:
    value = data.get("id")
    if value is None or value == "":
        raise ItemError("'id' is missing")
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ItemError(f"'id' must be a string or an integer, got {type(value).__name__}")
    return str(value)


def parse_datetime(value: str) -> datetime:
    """ISO-8601 (``Z`` allowed); a date without a time is midnight UTC."""
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        raise ItemError(f"'published_at' is not an ISO-8601 date-time: {value!r}") from None


def _parse_text(data: Mapping[str, Any], title: str | None) -> str:
    if "text" not in data and title is None:
        raise ItemError("'text' is missing")
    text = data.get("text")
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise ItemError(f"'text' must be a string, got {type(text).__name__}")
    if not text.strip() and not title:
        raise ItemError("'text' is empty and there is no 'title'")
    if len(text) > MAX_TEXT_CHARS:
        raise ItemError(f"'text' is {len(text):,} characters, more than the limit of {MAX_TEXT_CHARS:,}")
    return text


def _parse_url(data: Mapping[str, Any]) -> str | None:
    url = _optional_str(data, "url")
    if url is not None and not url.lower().startswith(("http://", "https://")):
        raise ItemError(f"'url' must be an http(s) URL, got {url[:80]!r}")
    return url


def _parse_kind(data: Mapping[str, Any], default_kind: str) -> str:
    kind = _optional_str(data, "kind") or default_kind
    if kind not in KINDS:
        raise ItemError(f"'kind' must be one of {', '.join(KINDS)}, got {kind!r}")
    return kind


def item_from_mapping(data: Any, *, default_source: str | None = None, default_kind: str = "mention") -> Item:
    """Validate one record; raise :class:`ItemError` naming the first problem found."""
    if not isinstance(data, Mapping):
        raise ItemError(f"expected a JSON object, got {type(data).__name__}")
    title = _optional_str(data, "title")
    published = _optional_str(data, "published_at")
    extras = {key: value for key, value in data.items() if key not in KNOWN_FIELDS}
    return Item(
        id=_parse_id(data), text=_parse_text(data, title), title=title, url=_parse_url(data),
        published_at=parse_datetime(published) if published else None,
        source=_optional_str(data, "source") or default_source, kind=_parse_kind(data, default_kind),
        author=_optional_str(data, "author"), lang=_optional_str(data, "lang"), extras=extras,
    )


def item_to_json(item: Item) -> dict[str, Any]:
    """The JSONL record of an item, the inverse of :func:`item_from_mapping`."""
    data: dict[str, Any] = {"id": item.id, "title": item.title, "text": item.text, "url": item.url,
                            "published_at": item.published_at.strftime("%Y-%m-%dT%H:%M:%SZ")
                            if item.published_at else None,
                            "source": item.source, "kind": item.kind, "author": item.author, "lang": item.lang}
    return {**item.extras, **{key: value for key, value in data.items() if value is not None}}


def _decode_line(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ItemError(f"not valid UTF-8 (byte {exc.start + 1} of the line)") from None


def _jsonl_record(raw: bytes, source: str | None) -> Item | None:
    text = _decode_line(raw).lstrip("\ufeff")
    if not text.strip():
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ItemError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise ItemError("JSON nested too deeply to be an item") from None
    return item_from_mapping(data, default_source=source)


def iter_jsonl(stream: IO[bytes], *, source: str | None = None,
               problems: list[Problem]) -> Iterator[Item]:
    """Items of a JSONL byte stream; bad lines are appended to ``problems`` (blank lines are not records)."""
    for number, raw in enumerate(stream, start=1):
        try:
            item = _jsonl_record(raw, source)
        except ItemError as exc:
            problems.append(Problem(f"line {number}", str(exc)))
            continue
        if item is not None:
            yield item


class _CountedLines:
    """Lines of a text, counting how many the CSV reader has taken (a record may span several lines)."""

    def __init__(self, text: str) -> None:
        self._lines = iter(io.StringIO(text, newline=""))
        self.count = 0

    def __iter__(self) -> _CountedLines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.count += 1
        return line


def _csv_rows(stream: IO[bytes]) -> tuple[csv.DictReader[str], _CountedLines]:
    try:
        text = stream.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ItemError(f"the CSV file is not valid UTF-8 (byte {exc.start + 1})") from None
    lines = _CountedLines(text)
    reader = csv.DictReader(lines, strict=True)
    header = reader.fieldnames or []
    missing = [name for name in ("id", "text") if name not in header]
    if missing:
        raise ItemError(f"the CSV header lacks column(s) {', '.join(missing)}; it has {', '.join(header) or 'none'}")
    return reader, lines


def _csv_item(row: dict[str | None, Any], source: str | None) -> Item:
    if None in row:
        raise ItemError(f"{len(row[None])} more field(s) than the header has")
    if None in row.values():
        missing = sum(1 for value in row.values() if value is None)
        raise ItemError(f"{missing} field(s) fewer than the header has")
    return item_from_mapping({key: value for key, value in row.items()}, default_source=source)


def iter_csv(stream: IO[bytes], *, source: str | None = None, problems: list[Problem]) -> Iterator[Item]:
    """Items of a CSV byte stream with a header row naming at least ``id`` and ``text``; a problem names
    the line its record starts on."""
    reader, lines = _csv_rows(stream)
    while True:
        where = f"line {lines.count + 1}"
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.append(Problem(where, f"malformed CSV ({exc})"))
            continue
        try:
            yield _csv_item(row, source)
        except ItemError as exc:
            problems.append(Problem(where, str(exc)))


def _open(path: str | Path) -> IO[bytes]:
    if str(path) == "-":
        return sys.stdin.buffer
    try:
        return open(path, "rb")  # closed by open_items
    except OSError as exc:
        raise ItemError(f"cannot read {path}: {exc.strerror}") from None


def detect_format(path: str | Path, fmt: str | None) -> str:
    if fmt:
        if fmt not in ("jsonl", "csv"):
            raise ItemError(f"unknown format {fmt!r}; expected jsonl or csv")
        return fmt
    return "csv" if str(path).lower().endswith(".csv") else "jsonl"


@contextmanager
def open_items(path: str | Path, problems: list[Problem], *, fmt: str | None = None) -> Iterator[Iterator[Item]]:
    """The items of a JSONL or CSV file as a stream (``-`` is standard input, JSONL unless ``fmt``);
    bad records go to ``problems`` as they are met. The file stays open inside the ``with`` block."""
    fmt = detect_format(path, fmt)
    stream = _open(path)
    source = None if str(path) == "-" else Path(path).name
    try:
        reader = iter_csv if fmt == "csv" else iter_jsonl
        yield reader(stream, source=source, problems=problems)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def read_items(path: str | Path, *, fmt: str | None = None) -> ImportResult:
    """Read every item of a JSONL or CSV file into memory (see :func:`open_items` to stream)."""
    result = ImportResult()
    with open_items(path, result.problems, fmt=fmt) as items:
        result.items.extend(items)
    return result


def write_jsonl(items: Iterable[Item], out: IO[str]) -> int:
    count = 0
    for item in items:
        out.write(json.dumps(item_to_json(item), ensure_ascii=False) + "\n")
        count += 1
    return count
