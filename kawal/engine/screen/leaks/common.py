"""Helpers the leak detectors share: masking, URL spans and number boundaries.

Messages name what was found but never repeat it: a screening report is itself shown, logged and
stored, so echoing a whole token or ID number there would leak it a second time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kawal.engine.records import Finding

URL_RE = re.compile(r"(?:\b[a-z][a-z0-9+.-]{1,15}://|\bwww\.)[^\s<>\"']+", re.IGNORECASE)
DIGITS_RE = re.compile(r"\D")

Span = tuple[int, int]


def mask(value: str, keep_start: int = 4, keep_end: int = 2) -> str:
    """``value`` with all but a few characters at each end replaced by '*'.

    Short values keep less, so that a mask never reveals more than a third of what it hides.
    """
    if len(value) < 3 * (keep_start + keep_end):
        keep_start, keep_end = min(keep_start, len(value) // 6), min(keep_end, len(value) // 6)
    hidden = min(len(value) - keep_start - keep_end, 12)  # long tokens: the mask need not show their length
    return value[:keep_start] + "*" * hidden + (value[len(value) - keep_end:] if keep_end else "")


def digits(value: str) -> str:
    """Only the digits of ``value`` ("0812-3456 789" -> "08123456789")."""
    return DIGITS_RE.sub("", value)


def url_spans(text: str) -> list[Span]:
    """Spans of the URLs in ``text``: numbers inside a URL are ids and paths, not personal data."""
    return [m.span() for m in URL_RE.finditer(text)]


def overlaps(span: Span, spans: Iterable[Span]) -> bool:
    """True when ``span`` shares at least one character with any of ``spans``."""
    start, end = span
    return any(start < other_end and other_start < end for other_start, other_end in spans)


def preceded_by_tag(text: str, start: int) -> bool:
    """True when the match follows '#', '@' or '/': a hashtag, handle, ticket number or path part."""
    return start > 0 and text[start - 1] in "#@/"


def near(text: str, span: Span, pattern: re.Pattern[str], window: int = 30) -> bool:
    """True when ``pattern`` occurs within ``window`` characters before or after ``span``."""
    start, end = span
    return bool(pattern.search(text, max(0, start - window), start) or pattern.search(text, end, end + window))


def make(kind: str, severity: str, span: Span, message: str) -> Finding:
    """A leak finding (kept short so detectors read as rules, not plumbing)."""
    return Finding(kind=kind, severity=severity, span=span, message=message)
