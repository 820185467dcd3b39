"""RSS/Atom news feeds: fetch politely, parse leniently, report every problem.

Fetching uses a conditional GET (``If-None-Match`` / ``If-Modified-Since`` from the :class:`FeedState` of
the previous fetch), a timeout, and a byte limit enforced while streaming, so a hostile or broken server
can neither hang nor exhaust the process. Parsing is feedparser's; article text comes from the entry or,
when asked, from the article page through trafilatura (boilerplate removed).

A feed that cannot be read raises :class:`FeedError` with a sentence naming the problem. A feed that can
be read but is damaged (malformed XML, wrong content type, wrong declared encoding, entries without
anything to read) yields what could be recovered and lists the damage in ``FeedResult.problems``.
"""

from __future__ import annotations

import calendar
import hashlib
import html
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import feedparser
import httpx

from kawal.engine.records import Item

USER_AGENT = "Kawal/0.1 (+self-hosted social media guard; listening)"
FEED_TYPES = ("xml", "rss", "atom", "rdf")
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


class FeedError(Exception):
    """A feed or page that could not be read; ``str()`` names the URL and the problem."""

    def __init__(self, url: str, message: str, *, status: int | None = None) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.status = status


@dataclass(frozen=True, slots=True)
class Limits:
    timeout: float = 15.0              # seconds for connect and for each read
    total_timeout: float = 60.0        # seconds for the whole body (a slow drip is a failure too)
    max_bytes: int = 10_000_000        # a feed larger than this is refused
    max_article_bytes: int = 5_000_000


@dataclass(slots=True)
class FeedState:
    """What to send on the next conditional GET of one feed (JSON-serialisable)."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers

    def to_json(self) -> dict[str, str | None]:
        return {"etag": self.etag, "last_modified": self.last_modified}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FeedState:
        return cls(etag=data.get("etag"), last_modified=data.get("last_modified"))


@dataclass(slots=True)
class FeedResult:
    url: str
    not_modified: bool = False
    items: list[Item] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    state: FeedState = field(default_factory=FeedState)


@dataclass(frozen=True, slots=True)
class Body:
    content: bytes
    content_type: str
    headers: httpx.Headers
    status: int


def _read_limited(response: httpx.Response, url: str, limit: int, deadline: float) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise FeedError(url, f"response is {int(declared):,} bytes, more than the limit of {limit:,}")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise FeedError(url, f"response is larger than the limit of {limit:,} bytes")
        if time.monotonic() > deadline:
            raise FeedError(url, "response took longer than the total time limit")
        chunks.append(chunk)
    return b"".join(chunks)


def get(client: httpx.Client, url: str, *, limit: int, limits: Limits,
        headers: dict[str, str] | None = None) -> Body:
    """GET ``url`` with the limits; 200 and 304 are returned, anything else raises :class:`FeedError`."""
    if not url.lower().startswith(("http://", "https://")):
        raise FeedError(url, "only http(s) URLs can be fetched")
    deadline = time.monotonic() + limits.total_timeout
    try:
        with client.stream("GET", url, headers=headers or {}, timeout=limits.timeout) as response:
            if response.status_code == 304:
                return Body(b"", "", response.headers, 304)
            if response.status_code != 200:
                raise FeedError(url, f"server answered HTTP {response.status_code} {response.reason_phrase}",
                                status=response.status_code)
            content = _read_limited(response, url, limit, deadline)
            return Body(content, response.headers.get("content-type", ""), response.headers, 200)
    except httpx.TimeoutException:
        raise FeedError(url, f"timed out (no answer within {limits.timeout:g} s)") from None
    except httpx.HTTPError as exc:
        raise FeedError(url, f"could not connect ({type(exc).__name__}: {exc})") from None


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment (feed summaries): tags removed, entities decoded, space tidied."""
    markup = re.sub(r"(?i)<\s*(br|/p|/div|/li|/h\d)\s*/?\s*>", "\n", markup)
    text = html.unescape(_TAG.sub(" ", markup))
    lines = (_SPACE.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _entry_time(entry: Any) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)


def _entry_text(entry: Any) -> str:
    contents = entry.get("content") or []
    if contents:
        return html_to_text(" ".join(part.get("value", "") for part in contents))
    return html_to_text(entry.get("summary", ""))


def _entry_id(entry: Any, title: str) -> str:
    ident = entry.get("id") or entry.get("link")
    if ident:
        return str(ident)
    return "sha1:" + hashlib.sha1(title.encode("utf-8")).hexdigest()


def item_from_entry(entry: Any, feed_url: str) -> Item | None:
    """One feed entry as an :class:`Item`, or None when it has neither title, text nor link."""
    title = html_to_text(entry.get("title", "")) or None
    text = _entry_text(entry)
    link = entry.get("link") or None
    if not (title or text or link):
        return None
    return Item(id=_entry_id(entry, title or text), text=text, title=title, url=link,
                published_at=_entry_time(entry), source=feed_url, kind="news",
                author=entry.get("author") or None)


def _is_feed_type(content_type: str) -> bool:
    return any(kind in content_type.lower() for kind in FEED_TYPES)


def parse_feed(content: bytes, url: str, content_type: str = "") -> tuple[list[Item], list[str]]:
    """Items and problems of a feed body; raise :class:`FeedError` when nothing could be read."""
    parsed = feedparser.parse(content, response_headers={"content-type": content_type} if content_type else None)
    problems: list[str] = []
    if content_type and not _is_feed_type(content_type):
        problems.append(f"server sent content type {content_type!r}, not an RSS/Atom type")
    if not parsed.entries and not parsed.version:
        reason = "the body is not an RSS or Atom feed"
        if parsed.bozo and not isinstance(parsed.bozo_exception, feedparser.NonXMLContentType):
            reason += f" ({parsed.bozo_exception})"
        raise FeedError(url, reason + (f"; content type {content_type!r}" if content_type else ""))
    if parsed.bozo and not isinstance(parsed.bozo_exception, feedparser.NonXMLContentType):
        problems.append(f"feed is damaged ({type(parsed.bozo_exception).__name__}: {parsed.bozo_exception}); "
                        f"{len(parsed.entries)} entries recovered by the lenient parser")
    items: list[Item] = []
    for number, entry in enumerate(parsed.entries, start=1):
        item = item_from_entry(entry, url)
        if item is None:
            problems.append(f"entry {number} skipped: it has no title, text or link")
        else:
            items.append(item)
    return items, problems


def extract_article_text(page: bytes | str, url: str | None = None) -> str | None:
    """Main text of an article page without navigation, ads and footers (trafilatura); None if none."""
    import trafilatura  # imported here: it takes a second to load and only article fetching needs it

    text = trafilatura.extract(page, url=url, include_comments=False, include_tables=False,
                               favor_precision=True)
    return text.strip() if text and text.strip() else None


def _state_from(headers: httpx.Headers, previous: FeedState) -> FeedState:
    return FeedState(etag=headers.get("etag") or previous.etag,
                     last_modified=headers.get("last-modified") or previous.last_modified)


def fetch_feed(url: str, *, client: httpx.Client, state: FeedState | None = None,
               limits: Limits = Limits()) -> FeedResult:
    """Fetch and parse one feed; a 304 answer gives ``not_modified`` and no items."""
    state = state or FeedState()
    body = get(client, url, limit=limits.max_bytes, limits=limits, headers=state.headers())
    result = FeedResult(url=url, state=_state_from(body.headers, state))
    if body.status == 304:
        result.not_modified = True
        return result
    result.items, result.problems = parse_feed(body.content, url, body.content_type)
    return result


def with_article_text(item: Item, *, client: httpx.Client, limits: Limits = Limits()) -> tuple[Item, str | None]:
    """The item with the full article text from its page, and a problem sentence when that failed."""
    if not item.url:
        return item, f"{item.id}: no link, kept the feed summary"
    try:
        body = get(client, item.url, limit=limits.max_article_bytes, limits=limits)
    except FeedError as exc:
        return item, f"{exc}; kept the feed summary"
    text = extract_article_text(body.content, item.url)
    if text is None:
        return item, f"{item.url}: no article text found on the page; kept the feed summary"
    extras = {**item.extras, "summary": item.text}
    return Item(id=item.id, text=text, title=item.title, url=item.url, published_at=item.published_at,
                source=item.source, kind=item.kind, author=item.author, lang=item.lang, extras=extras), None


def make_client() -> httpx.Client:
    """The HTTP client feeds are read with: redirects followed, Kawal's user agent."""
    return httpx.Client(follow_redirects=True, headers={"User-Agent": USER_AGENT},
                        limits=httpx.Limits(max_connections=4))
