"""What counts as a text screening can judge, and the error a caller gets when it is not.

Errors carry a stable ``code`` (for programs) and a message that names the problem (for people).
"""

from __future__ import annotations

from typing import Any

MAX_CHARS = 20_000
"""Longest text screened (characters). Longer than any platform's post limit (X Premium allows 25,000
bytes, LinkedIn 3,000, Mastodon 500 by default); past it the input is almost certainly a pasted file."""

LANGS = ("id", "en", "other")
CONTROL_OK = "\t\n\r"


class ScreenInputError(ValueError):
    """Input that cannot be screened; ``code`` is one of empty_text, too_long, binary, invalid_utf8,
    bad_type, bad_lang, bad_reply_to_text."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


def check_text(text: Any, field: str = "text") -> str:
    """``text`` when it can be screened; raise ScreenInputError saying why not."""
    if not isinstance(text, str):
        raise ScreenInputError("bad_type", f"{field} must be a string, got {type(text).__name__}")
    if any("\ud800" <= c <= "\udfff" for c in text):
        raise ScreenInputError("invalid_utf8", f"{field} is not valid UTF-8 (it contains undecodable bytes)")
    if not text.strip():
        raise ScreenInputError("empty_text", f"{field} is empty: there is nothing to screen")
    if len(text) > MAX_CHARS:
        raise ScreenInputError("too_long", f"{field} has {len(text):,} characters; the limit is {MAX_CHARS:,}")
    if looks_binary(text):
        raise ScreenInputError("binary", f"{field} looks like binary data (NUL or many control characters), "
                                         "not a post")
    return text


def looks_binary(text: str) -> bool:
    """True for NUL characters or more than 10% control characters (tabs and newlines excepted)."""
    if "\x00" in text:
        return True
    controls = sum(1 for c in text if (c < " " and c not in CONTROL_OK) or "\x7f" <= c <= "\x9f")
    return controls > max(2, len(text) // 10)


def check_lang(lang: Any) -> str | None:
    if lang is None or lang in LANGS:
        return lang
    raise ScreenInputError("bad_lang", f"lang must be one of {', '.join(LANGS)} or absent, got {lang!r}")


def check_reply_to_text(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ScreenInputError("bad_reply_to_text", f"reply_to_text must be a string, got {type(value).__name__}")
    if any("\ud800" <= c <= "\udfff" for c in value):
        raise ScreenInputError("bad_reply_to_text", "reply_to_text is not valid UTF-8")
    if len(value) > MAX_CHARS:
        raise ScreenInputError("bad_reply_to_text",
                               f"reply_to_text has {len(value):,} characters; the limit is {MAX_CHARS:,}")
    return value if value.strip() else None
