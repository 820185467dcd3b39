"""The Mastodon account archive (Preferences > Import and export > Request your archive).

A zip (or its extracted folder) holding ``outbox.json``, an ActivityPub ``OrderedCollection`` whose
``orderedItems`` are ``Create`` activities wrapping a ``Note`` (HTML ``content``, ``contentMap`` with the
language, ``inReplyTo``, ``tag`` with ``Mention`` and ``Hashtag``, ``attachment``) and ``Announce``
activities (boosts, whose object is only a URL). The handle comes from ``actor.json``. Mastodon does not
export the publishing app, so ``client`` stays ``None``.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from kawal.engine.records import Post
from kawal.sources.archives.base import (
    MAX_MEMBER_BYTES,
    MAX_RECORD_BYTES,
    ArchiveError,
    ArchiveTree,
    Importer,
    ImportReport,
    decode_text,
)
from kawal.sources.archives.jsonl import parse_iso

_BREAK = re.compile(r"<br\s*/?>|</p>\s*<p[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")
_HREF = re.compile(r"<a\b([^>]*)>", re.I)
_ATTR_HREF = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.I)


class MastodonArchiveImporter(Importer):
    name = "mastodon"

    def __init__(self, *, max_member_bytes: int = MAX_MEMBER_BYTES,
                 max_record_bytes: int = MAX_RECORD_BYTES) -> None:
        self.max_member_bytes = max_member_bytes
        self.max_record_bytes = max_record_bytes

    def can_read(self, path: Path) -> bool:
        if path.is_file() and path.name == "outbox.json":
            return True
        try:
            with ArchiveTree(path, max_member_bytes=self.max_member_bytes) as tree:
                return bool(tree.find("outbox.json"))
        except ArchiveError:
            return False

    def iter_posts(self, path: Path, report: ImportReport) -> Iterator[Post]:
        root = path.parent if path.is_file() and path.name == "outbox.json" else path
        with ArchiveTree(root, max_member_bytes=self.max_member_bytes) as tree:
            for name in tree.unsafe_names():
                report.skip(tree.label(name), "whole file", "unsafe member name (absolute or '..'): not read")
            outboxes = tree.find("outbox.json")
            if not outboxes:
                raise ArchiveError(str(path), "no outbox.json in this Mastodon archive")
            label = tree.label(outboxes[0])
            document = _load_json(tree, outboxes[0])
            items = document.get("orderedItems") if isinstance(document, dict) else None
            if not isinstance(items, list):
                raise ArchiveError(label, "not an ActivityPub collection: no 'orderedItems' list")
            account = self._account(tree, items, report)
            for index, activity in enumerate(items):
                post = self._activity(activity, account, label, index, report)
                if post is not None:
                    yield post

    def _account(self, tree: ArchiveTree, items: list[Any], report: ImportReport) -> str:
        for name in tree.find("actor.json"):
            try:
                actor = _load_json(tree, name)
                user, host = actor["preferredUsername"], urlparse(str(actor.get("id", ""))).hostname
                return f"{user}@{host}" if host else str(user)
            except (ArchiveError, LookupError, TypeError) as error:
                report.skip(tree.label(name), "whole file", f"account handle unreadable ({error})")
        for activity in items:   # fall back on the actor URL of the first activity
            if isinstance(activity, dict) and isinstance(activity.get("actor"), str):
                return _handle_from_actor(activity["actor"])
        return "unknown"

    def _activity(self, activity: Any, account: str, label: str, index: int, report: ImportReport) -> Post | None:
        where = f"orderedItems[{index}]"
        if not isinstance(activity, dict):
            report.skip(label, where, f"expected an activity object, got {type(activity).__name__}")
            return None
        if len(json.dumps(activity)) > self.max_record_bytes:
            report.skip(label, where, f"activity larger than the {self.max_record_bytes}-byte limit")
            return None
        kind = activity.get("type")
        try:
            if kind == "Create":
                return note_to_post(activity, account)
            if kind == "Announce":
                return announce_to_post(activity, account)
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            report.skip(label, where, f"unreadable {kind} activity: {error}")
            return None
        report.skip(label, where, f"activity type {kind!r} is not a post (only Create and Announce are)")
        return None


def _load_json(tree: ArchiveTree, name: str) -> Any:
    label = tree.label(name)
    text = decode_text(tree.read_bytes(name), label)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ArchiveError(label, f"invalid JSON: {error.msg} (column {error.colno})",
                           f"line {error.lineno}") from error
    except RecursionError as error:
        raise ArchiveError(label, "JSON nested too deeply to be an ActivityPub archive") from error


def note_to_post(activity: dict[str, Any], account: str) -> Post:
    note = activity.get("object")
    if not isinstance(note, dict):
        raise ValueError("Create without a Note object")
    if not note.get("id"):
        raise ValueError("Note without an 'id'")
    tags = note.get("tag") or []
    mention_hrefs = {t.get("href") for t in tags if isinstance(t, dict)}
    content = str(note.get("content") or "")
    content_map = note.get("contentMap") or {}
    return Post(
        account=account, id=str(note["id"]), created_at=parse_iso(note.get("published") or activity.get("published")),
        text=html_to_text(content), reply_to=_optional(note.get("inReplyTo")),
        lang=next(iter(content_map), None) if isinstance(content_map, dict) else None,
        mentions=tuple(str(t.get("name", "")).lstrip("@").lower() for t in tags
                       if isinstance(t, dict) and t.get("type") == "Mention"),
        hashtags=tuple(str(t.get("name", "")).lstrip("#") for t in tags
                       if isinstance(t, dict) and t.get("type") == "Hashtag"),
        urls=tuple(url for url in links_in(content) if url not in mention_hrefs),
        media=tuple(str(a.get("url", "")) for a in note.get("attachment") or [] if isinstance(a, dict)),
        is_quote=bool(note.get("quoteUri") or note.get("_misskey_quote")),
        platform="mastodon",
        extras={k: note[k] for k in ("url", "sensitive", "summary") if note.get(k) not in (None, "")},
    )


def announce_to_post(activity: dict[str, Any], account: str) -> Post:
    target = activity.get("object")
    target_url = target if isinstance(target, str) else (target or {}).get("id", "")
    if not activity.get("id"):
        raise ValueError("Announce without an 'id'")
    return Post(account=account, id=str(activity["id"]), created_at=parse_iso(activity.get("published")),
                text="", is_repost=True, urls=(str(target_url),) if target_url else (), platform="mastodon",
                extras={"boosted": target_url})


def html_to_text(content: str) -> str:
    return html.unescape(_TAG.sub("", _BREAK.sub("\n", content))).strip()


def links_in(content: str) -> list[str]:
    """Hrefs of ordinary links (not the mention and hashtag links Mastodon also writes as anchors)."""
    links = []
    for attrs in _HREF.findall(content):
        if re.search(r"class\s*=\s*[\"'][^\"']*(mention|hashtag)", attrs, re.I):
            continue
        href = _ATTR_HREF.search(attrs)
        if href:
            links.append(html.unescape(href.group(1)))
    return links


def _handle_from_actor(url: str) -> str:
    parsed = urlparse(url)
    return f"{parsed.path.rstrip('/').rsplit('/', 1)[-1]}@{parsed.hostname}" if parsed.hostname else url


def _optional(value: Any) -> str | None:
    return None if value in (None, "") else str(value)
