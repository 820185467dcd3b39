"""Everything the signals look at, computed once per post (one pass of a few regexes, no model calls).

Structured fields win over the text: ``Post.mentions``/``hashtags``/``urls`` are used when the source gave
them, and taken from the text otherwise (the shared timelines and many exports carry only the text).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any

from kawal.engine.records import Post

URL_RE = re.compile(r"https?://[^\s<>\"']+", re.I)
MENTION_RE = re.compile(r"(?<![\w@])@(\w{1,30})")
HASHTAG_RE = re.compile(r"(?<![\w&])#(\w+)")
WORD_RE = re.compile(r"[^\W\d_]{2,}")
# A sign-off at the very end: "^JK", "-Jkw", "~ Ana", "— DW" (customer-care agents and principals sign).
SIGNOFF_RE = re.compile(r"\s([\^~\-–—*]\s?[A-Z][A-Za-z]{0,3})$")
# X wraps every link in t.co: that domain says nothing about where the link goes.
WRAPPER_DOMAINS = frozenset({"t.co"})
SECOND_LEVEL = frozenset({"co", "com", "or", "go", "ac", "net", "org", "gov", "edu", "web", "my", "sch"})

LanguageDetector = Callable[[str], str]


@dataclass(slots=True)
class PostFeatures:
    post: Post
    local_hour: int          # 0..23 in the account's time zone
    weekday: int             # 0 = Monday
    minute: int
    lang: str | None         # "id", "en", "other"; None for an empty text
    words: list[str]         # lower-cased words without links, mentions and hashtags
    domains: tuple[str, ...]
    mentions: tuple[str, ...]
    hashtags: tuple[str, ...]
    kind: str                # "original", "reply", "repost", "quote"
    body: str                # text without links (for style and tone)
    signoff: str | None
    # Values a signal computes once per post. Some depend on the signal's state, so a PostFeatures belongs
    # to one profile at one moment (score then learn the same post), never reused across profiles.
    memo: dict[str, Any] = field(default_factory=dict)

    @property
    def hour_of_week(self) -> int:
        return self.weekday * 24 + self.local_hour


def extract(post: Post, zone: tzinfo | None, detect_language: LanguageDetector) -> PostFeatures:
    """The features of ``post``; ``zone=None`` means UTC (posts are UTC already: no conversion)."""
    text = html.unescape(post.text) if "&" in post.text else post.text
    local = post.created_at if zone is None else post.created_at.astimezone(zone)
    # Guards before each regex: most posts have no link, mention or hashtag, and a substring test is cheap.
    has_link, has_mention, has_tag = "http" in text, "@" in text, "#" in text
    body = URL_RE.sub("", text) if has_link else text
    stripped = MENTION_RE.sub(" ", body) if has_mention else body
    stripped = HASHTAG_RE.sub(" ", stripped) if has_tag else stripped
    signoff_match = signoff_of(body)
    words = WORD_RE.findall(stripped.lower())
    if signoff_match is not None and words:
        words.pop()   # the sign-off is style, not topic
    return PostFeatures(
        post=post, local_hour=local.hour, weekday=local.weekday(), minute=local.minute,
        lang=language_of(post, stripped, detect_language),
        words=words, domains=domains_of(post, text) if has_link or post.urls else (),
        mentions=tuple(m.lower() for m in post.mentions) or (
            tuple(m.lower() for m in MENTION_RE.findall(text)) if has_mention else ()),
        hashtags=tuple(h.lower() for h in post.hashtags) or (
            tuple(h.lower() for h in HASHTAG_RE.findall(body)) if has_tag else ()),
        kind=kind_of(post, text), body=body.strip(),
        signoff=signoff_match.group(1).replace(" ", "") if signoff_match else None,
    )


def signoff_of(body: str) -> re.Match[str] | None:
    """The sign-off at the very end; only the last characters are searched (a sign-off is short)."""
    tail = body.rstrip()
    tail = " " + tail if len(tail) < 17 else tail[-17:]
    return SIGNOFF_RE.search(tail)


def kind_of(post: Post, text: str) -> str:
    if post.is_repost or text.startswith("RT @"):
        return "repost"
    if post.is_quote:
        return "quote"
    if post.reply_to is not None:
        return "reply"
    return "original"


def language_of(post: Post, stripped: str, detect_language: LanguageDetector) -> str | None:
    """The platform's own tag when it gave one, else the detector; always one of id/en/other."""
    code = (post.lang or "").lower().split("-")[0]
    if code in ("id", "in", "ms"):
        return "id"
    if code == "en":
        return "en"
    if code and code not in ("und", "zxx", "qme", "qht", "qam"):
        return "other"
    if not stripped.strip():
        return None
    return detect_language(stripped) or None


def domains_of(post: Post, text: str) -> tuple[str, ...]:
    urls = post.urls or tuple(URL_RE.findall(text))
    found = []
    for url in urls:
        domain = registrable_domain(url)
        if domain and domain not in WRAPPER_DOMAINS:
            found.append(domain)
    return tuple(dict.fromkeys(found))


def registrable_domain(url: str) -> str | None:
    """'news.example.co.id' from 'https://www.news.example.co.id/a?b': the part an attacker must register."""
    host = url.split("://", 1)[-1].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    host = host.rsplit("@", 1)[-1].split(":", 1)[0].lower().strip(".")
    if not host or "." not in host:
        return None
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in SECOND_LEVEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])
