"""The X/Twitter account archive ("Download an archive of your data"): the zip or its extracted folder.

Tweets live in ``data/tweets.js`` (older archives: ``data/tweet.js``) and, for large accounts, in
``data/tweets-part1.js``, ``-part2`` ... Recently deleted tweets (``data/deleted-tweets.js``) are read too
and marked ``extras["deleted_at"]``: a hijacker's posts are often deleted soon after. Each file is
JavaScript: ``window.YTD.tweets.part0 = [ ... ]``, a list of ``{"tweet": {...}}`` objects in the v1.1
shape: ``id_str``, ``created_at`` ("Wed Oct 10 20:19:24 +0000 2018"), ``full_text`` (HTML entities
escaped), ``source`` (an HTML anchor), ``entities``, ``extended_entities``, ``in_reply_to_*``. The handle
comes from ``data/account.js``.

Records are decoded one at a time, so a damaged tweet is reported and the rest of the file still imports.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from kawal.engine.records import Post
from kawal.sources.archives.base import (
    MAX_MEMBER_BYTES,
    MAX_RECORD_BYTES,
    ArchiveError,
    ArchiveTree,
    Importer,
    ImportReport,
    decode_text,
    line_of,
)

_WRAPPER = re.compile(r"\s*window\.YTD\.(\w+)\.part(\d+)\s*=\s*")
_TWEET_FILE = re.compile(r"(^|/)data/(deleted-)?tweets?(-part\d+)?\.js$")
_ANCHOR = re.compile(r"<a\b[^>]*>(.*?)</a>", re.S | re.I)
_STATUS_URL = re.compile(r"https?://(?:mobile\.)?(?:twitter|x)\.com/\w+/status/\d+", re.I)
_decoder = json.JSONDecoder()


class XArchiveImporter(Importer):
    name = "x"

    def __init__(self, *, max_member_bytes: int = MAX_MEMBER_BYTES,
                 max_record_bytes: int = MAX_RECORD_BYTES) -> None:
        self.max_member_bytes = max_member_bytes
        self.max_record_bytes = max_record_bytes

    def can_read(self, path: Path) -> bool:
        try:
            with ArchiveTree(path, max_member_bytes=self.max_member_bytes) as tree:
                return any(_TWEET_FILE.search(name) for name in tree.names())
        except ArchiveError:
            return False

    def iter_posts(self, path: Path, report: ImportReport) -> Iterator[Post]:
        with ArchiveTree(path, max_member_bytes=self.max_member_bytes) as tree:
            for name in tree.unsafe_names():
                report.skip(tree.label(name), "whole file", "unsafe member name (absolute or '..'): not read")
            files = [name for name in tree.names() if _TWEET_FILE.search(name)]
            if not files:
                raise ArchiveError(str(path), "no data/tweets.js (or tweets-partN.js) in this X archive")
            account = self._account(tree, report)
            for name in sorted(files, key=_part_order):
                yield from self._read_file(tree, name, account, report)

    def _account(self, tree: ArchiveTree, report: ImportReport) -> str:
        for name in tree.find("data/account.js"):
            try:
                items = parse_ytd(decode_text(tree.read_bytes(name), tree.label(name)), tree.label(name))
                return str(items[0]["account"]["username"])
            except (ArchiveError, LookupError, TypeError, ValueError) as error:
                report.skip(tree.label(name), "whole file", f"account handle unreadable ({error}); "
                                                            "posts are imported under 'unknown'")
        return "unknown"

    def _read_file(self, tree: ArchiveTree, name: str, account: str, report: ImportReport) -> Iterator[Post]:
        label = tree.label(name)
        try:
            text = decode_text(tree.read_bytes(name), label)
            start = _array_start(text, label)
        except ArchiveError as error:
            report.skip(label, error.location or "whole file", error.problem)
            return
        for index, position, item, problem in iter_array(text, start, self.max_record_bytes):
            where = f"record {index} (line {line_of(text, position)})"
            if problem is not None:
                report.skip(label, where, problem)
                continue
            try:
                yield tweet_to_post(item, account)
            except (ValueError, TypeError, KeyError, AttributeError) as error:
                report.skip(label, where, f"not a tweet: {error}")


def parse_ytd(text: str, label: str) -> list[Any]:
    """Every item of a small ``window.YTD.<name>.partN = [...]`` file (account.js and the like)."""
    start = _array_start(text, label)
    items = []
    for _, _, item, problem in iter_array(text, start, MAX_RECORD_BYTES):
        if problem is not None:
            raise ArchiveError(label, problem)
        items.append(item)
    return items


def _array_start(text: str, label: str) -> int:
    match = _WRAPPER.match(text)
    if match is None:
        stripped = text.lstrip()
        if stripped.startswith("["):   # a bare JSON array is accepted: some tools strip the wrapper
            return len(text) - len(stripped)
        raise ArchiveError(label, "expected the 'window.YTD.<name>.partN = [' wrapper of an X archive "
                                  f"file, found {text[:40]!r}", "line 1")
    if text[match.end():match.end() + 1] != "[":
        raise ArchiveError(label, "expected '[' after the window.YTD wrapper", f"line {line_of(text, match.end())}")
    return match.end()


def iter_array(text: str, start: int, max_record: int) -> Iterator[tuple[int, int, Any, str | None]]:
    """(index, position, item, problem) for each element of the JSON array at ``start``.

    A damaged element is reported and skipped: reading resumes at the next line that opens an object.
    """
    position, index, end = start + 1, 0, len(text)
    while True:
        position = _skip_separators(text, position)
        if position >= end:
            yield index, position, None, "file ends before the closing ']': the archive file is truncated"
            return
        if text[position] == "]":
            return
        try:
            item, after = _decoder.raw_decode(text, position)
        except (json.JSONDecodeError, RecursionError) as error:
            problem = (f"invalid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
                       if isinstance(error, json.JSONDecodeError) else "JSON nested too deeply to be a tweet")
            yield index, position, None, problem
            position = _resync(text, position + 1)
            index += 1
            continue
        if after - position > max_record:
            yield index, position, None, f"record of {after - position} characters exceeds the {max_record} limit"
        else:
            yield index, position, item, None
        position, index = after, index + 1


def _skip_separators(text: str, position: int) -> int:
    end = len(text)
    while position < end and text[position] in " \t\r\n,":
        position += 1
    return position


def _resync(text: str, position: int) -> int:
    """The start of the next array element after a damaged one (an object opening a line), or the end."""
    match = re.compile(r"\n\s*\{|\n\s*\]").search(text, position)
    if match is None:
        return len(text)
    return match.end() - 1


def _part_order(name: str) -> tuple[bool, int, str]:
    match = re.search(r"-part(\d+)\.js$", name)
    return ("deleted-" in name, int(match.group(1)) if match else 0, name)


def tweet_to_post(item: Any, account: str) -> Post:
    """One archive tweet object (``{"tweet": {...}}`` or the bare tweet) as a canonical :class:`Post`."""
    tweet = item.get("tweet", item) if isinstance(item, dict) else None
    if not isinstance(tweet, dict):
        raise ValueError(f"expected an object, got {type(item).__name__}")
    tweet_id = tweet.get("id_str") or tweet.get("id")
    if not tweet_id:
        raise ValueError("no 'id_str'")
    text = html.unescape(str(tweet.get("full_text", tweet.get("text", ""))))
    entities = tweet.get("entities") or {}
    urls = tuple(u.get("expanded_url") or u.get("url", "") for u in entities.get("urls", ()))
    media_items = (tweet.get("extended_entities") or entities).get("media", ())
    is_repost = text.startswith("RT @") or bool(tweet.get("retweeted_status"))
    return Post(
        account=account, id=str(tweet_id), created_at=parse_twitter_time(tweet.get("created_at")), text=text,
        reply_to=_optional(tweet.get("in_reply_to_status_id_str") or tweet.get("in_reply_to_status_id")),
        reply_to_user=_optional(tweet.get("in_reply_to_screen_name")),
        client=source_name(tweet.get("source")), lang=_optional(tweet.get("lang")),
        mentions=tuple(str(m.get("screen_name", "")).lower() for m in entities.get("user_mentions", ())),
        urls=urls, hashtags=tuple(str(h.get("text", "")) for h in entities.get("hashtags", ())),
        media=tuple(str(m.get("media_url_https") or m.get("media_url") or "") for m in media_items),
        is_repost=is_repost,
        is_quote=bool(tweet.get("is_quote_status")) or (not is_repost and any(_STATUS_URL.match(u) for u in urls)),
        platform="x",
        extras={k: tweet[k] for k in ("favorite_count", "retweet_count", "deleted_at") if k in tweet},
    )


def parse_twitter_time(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError(f"'created_at' missing or not a string: {value!r}")
    try:
        return datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y")
    except ValueError:
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as error:
            raise ValueError(f"'created_at' is not Twitter's time format: {value!r}") from error


def source_name(value: Any) -> str | None:
    """'Twitter Web App' from '<a href="..." rel="nofollow">Twitter Web App</a>' (or a plain name)."""
    if not value:
        return None
    match = _ANCHOR.search(str(value))
    name = html.unescape(match.group(1) if match else str(value)).strip()
    return name or None


def _optional(value: Any) -> str | None:
    return None if value in (None, "") else str(value)
