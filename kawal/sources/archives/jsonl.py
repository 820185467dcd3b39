"""The canonical JSONL timeline: one post per line, Kawal's own export format.

Fields: ``account``, ``id``, ``created_at`` (ISO-8601, UTC when no offset), ``text``, and optionally
``reply_to``, ``reply_to_user``, ``source`` (or ``client``: the publishing app), ``lang``, ``mentions``,
``urls``, ``hashtags``, ``media``, ``is_repost``, ``is_quote``, ``platform``. Any other field is kept in
``Post.extras``. ``is_reply: true`` without ``reply_to`` is kept as ``reply_to = ""`` (a reply to an unknown
post), so the reply/original mix stays right.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from kawal.engine.records import Post
from kawal.sources.archives.base import MAX_RECORD_BYTES, ArchiveError, Importer, ImportReport

_KNOWN = {"account", "id", "created_at", "text", "reply_to", "reply_to_user", "source", "client", "lang",
          "mentions", "urls", "hashtags", "media", "is_repost", "is_quote", "platform"}
_LISTS = ("mentions", "urls", "hashtags", "media")


class JsonlImporter(Importer):
    name = "jsonl"

    def __init__(self, *, max_record_bytes: int = MAX_RECORD_BYTES) -> None:
        self.max_record_bytes = max_record_bytes

    def can_read(self, path: Path) -> bool:
        return path.is_file() and path.suffix.lower() in (".jsonl", ".ndjson", ".json")

    def iter_posts(self, path: Path, report: ImportReport) -> Iterator[Post]:
        label = str(path)
        try:
            handle = path.open("rb")
        except OSError as error:
            raise ArchiveError(label, f"cannot open ({error.strerror or error})") from error
        with handle:
            for number, raw in enumerate(handle, start=1):
                post = self._parse_line(raw, label, number, report)
                if post is not None:
                    yield post

    def _parse_line(self, raw: bytes, label: str, number: int, report: ImportReport) -> Post | None:
        where = f"line {number}"
        if not raw.strip():
            return None
        if len(raw) > self.max_record_bytes:
            report.skip(label, where, f"record of {len(raw)} bytes is larger than the "
                                      f"{self.max_record_bytes}-byte limit")
            return None
        try:
            record = json.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            report.skip(label, where, f"not UTF-8 (byte 0x{raw[error.start]:02x} at column {error.start + 1})")
            return None
        except json.JSONDecodeError as error:
            report.skip(label, where, f"invalid JSON: {error.msg} at column {error.colno}")
            return None
        except RecursionError:
            report.skip(label, where, "JSON nested too deeply to be a post")
            return None
        try:
            return post_from_record(record)
        except ValueError as error:
            report.skip(label, where, str(error))
            return None


def post_from_record(record: Any) -> Post:
    """A :class:`Post` from one canonical JSON object; ``ValueError`` says which field is wrong."""
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, got {type(record).__name__}")
    for key in ("account", "id", "created_at"):
        if record.get(key) in (None, ""):
            raise ValueError(f"missing required field '{key}'")
    text = record.get("text", "")
    if not isinstance(text, str):
        raise ValueError("field 'text' must be a string")
    reply_to = record.get("reply_to")
    if reply_to is None and record.get("is_reply") is True:
        reply_to = ""
    return Post(
        account=str(record["account"]), id=str(record["id"]), created_at=parse_iso(record["created_at"]),
        text=text, reply_to=None if reply_to is None else str(reply_to),
        reply_to_user=_optional_str(record.get("reply_to_user")),
        client=_optional_str(record.get("source", record.get("client"))),
        lang=_optional_str(record.get("lang")),
        **{key: _string_tuple(record, key) for key in _LISTS},
        is_repost=bool(record.get("is_repost", False)), is_quote=bool(record.get("is_quote", False)),
        platform=_optional_str(record.get("platform")),
        extras={k: v for k, v in record.items() if k not in _KNOWN},
    )


def parse_iso(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError(f"field 'created_at' must be an ISO-8601 string, got {value!r}")
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise ValueError(f"field 'created_at' is not an ISO-8601 time: {value!r}") from error


def _optional_str(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _string_tuple(record: dict[str, Any], key: str) -> tuple[str, ...]:
    value = record.get(key) or ()
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise ValueError(f"field '{key}' must be a list of strings")
    return tuple(str(item) for item in value)
