"""Mentions, links and hashtags found in plain post text, with character and UTF-8 byte offsets.

Bluesky has no server-side parsing: a client must send *facets* that point at byte ranges of the
UTF-8 encoded text, so an emoji before a link shifts the link by four bytes, not one character. The
sandbox and the mapping of platforms that return plain text use the same extraction, so every
connector agrees on what a mention, a link and a hashtag are.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# A handle: letters, digits, '_', '.', '-' (Bluesky handles are domain names such as alice.bsky.social);
# it may not end with '.' or '-' so that "thanks @alice." mentions "alice".
_MENTION = re.compile(r"(?<![\w@/])@([A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)")
_URL = re.compile(r"\bhttps?://[^\s<>\"']+", re.IGNORECASE)
# A hashtag: word characters in any script, with at least one that is not a digit ("#1" is not a tag).
_HASHTAG = re.compile(r"(?<![\w&#])#(\w*[^\W\d]\w*)")
_TRAILING_PUNCTUATION = ".,;:!?"


@dataclass(frozen=True, slots=True)
class Span:
    """One entity: ``value`` is the handle (no '@'), URL or tag (no '#'); offsets cover the whole token."""

    kind: str            # "mention", "link" or "tag"
    value: str
    start: int           # character offsets in the text, [start, end)
    end: int
    byte_start: int      # the same range in the UTF-8 encoding of the text
    byte_end: int


def _trim_url(url: str) -> str:
    """Drop sentence punctuation after a URL, and a ')' that closes a parenthesis opened before it."""
    while url and url[-1] in _TRAILING_PUNCTUATION:
        url = url[:-1]
    while url.endswith(")") and url.count(")") > url.count("("):
        url = url[:-1]
    return url


def _byte_range(text: str, start: int, end: int) -> tuple[int, int]:
    byte_start = len(text[:start].encode("utf-8"))
    return byte_start, byte_start + len(text[start:end].encode("utf-8"))


def _span(text: str, kind: str, value: str, start: int, end: int) -> Span:
    return Span(kind, value, start, end, *_byte_range(text, start, end))


def links(text: str) -> list[Span]:
    found = []
    for match in _URL.finditer(text):
        url = _trim_url(match.group(0))
        found.append(_span(text, "link", url, match.start(), match.start() + len(url)))
    return found


def _outside(spans: list[Span], start: int) -> bool:
    return not any(span.start <= start < span.end for span in spans)


def mentions(text: str, *, skip: list[Span] | None = None) -> list[Span]:
    skip = links(text) if skip is None else skip
    return [_span(text, "mention", m.group(1), m.start(), m.end())
            for m in _MENTION.finditer(text) if _outside(skip, m.start())]


def hashtags(text: str, *, skip: list[Span] | None = None) -> list[Span]:
    skip = links(text) if skip is None else skip
    return [_span(text, "tag", m.group(1), m.start(), m.end())
            for m in _HASHTAG.finditer(text) if _outside(skip, m.start())]


def entities(text: str) -> list[Span]:
    """Every mention, link and hashtag, in text order; '@' or '#' inside a URL is part of the URL."""
    found_links = links(text)
    found = found_links + mentions(text, skip=found_links) + hashtags(text, skip=found_links)
    return sorted(found, key=lambda span: span.start)


def normalise(text: str) -> str:
    """The form in which two post texts are compared: NFC, unified line ends, trimmed whitespace.

    Platforms return what was sent with small changes (Mastodon re-renders it from HTML, some
    normalise line ends); exactly-once checks must not mistake those for a different post.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.strip() for line in text.strip().split("\n"))
