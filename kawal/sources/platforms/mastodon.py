"""Mastodon connector (REST API v1/v2) with an application's bearer token.

Credentials: ``{"access_token": "..."}``; the base URL is the account's instance (``https://mastodon.social``).
Publishing sends Kawal's idempotency key as Mastodon's ``Idempotency-Key`` header: for an hour the
instance answers a repeated publish with the status it already created, so a retried publish after a
crash cannot post twice. The posting app is ``application.name``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from kawal.engine.records import Item, Post
from kawal.sources.platforms import text as entities
from kawal.sources.platforms.base import Platform, PlatformError, Profile, Published
from kawal.sources.platforms.http import DEFAULT_TIMEOUT, HttpApi, seconds_until_iso

PAGE_LIMIT = 40   # Mastodon's maximum ``limit`` for statuses
MAX_MEDIA = 4     # the default MAX_MEDIA_ATTACHMENTS of an instance


def _reset(headers: httpx.Headers) -> float | None:
    return seconds_until_iso(headers.get("x-ratelimit-reset"))


def _error_text(body: Any) -> str | None:
    if isinstance(body, dict) and body.get("error"):
        return str(body["error"])
    return None


class _Html(HTMLParser):
    """Mastodon status HTML to plain text, collecting the links that are not mentions or hashtags.

    Mastodon shows a remote mention as "@bob" although the author wrote "@bob@other.social"; with the
    status's ``mentions`` (profile URL -> acct) the full acct is put back, so the text is what was written.
    """

    def __init__(self, mention_accts: dict[str, str]) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._paragraphs = 0
        self._mention_accts = mention_accts
        self._inside_mention = 0   # depth of <a> tags whose text was replaced by the full acct

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p":
            if self._paragraphs:
                self.parts.append("\n\n")
            self._paragraphs += 1
        elif tag == "a":
            self._anchor(dict(attrs))

    def _anchor(self, found: dict[str, str | None]) -> None:
        classes = (found.get("class") or "").split()
        href = found.get("href") or ""
        if self._inside_mention:
            self._inside_mention += 1
        elif "mention" in classes and "hashtag" not in classes and href in self._mention_accts:
            self.parts.append("@" + self._mention_accts[href])
            self._inside_mention = 1
        elif href and "mention" not in classes and "hashtag" not in classes:
            self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._inside_mention:
            self._inside_mention -= 1

    def handle_data(self, data: str) -> None:
        if not self._inside_mention:
            self.parts.append(data)


def html_to_text(content: str, mention_accts: dict[str, str] | None = None) -> tuple[str, list[str]]:
    """The plain text of a status and its links, in order; ``mention_accts`` maps profile URLs to accts."""
    parser = _Html(mention_accts or {})
    parser.feed(content or "")
    parser.close()
    return "".join(parser.parts).strip(), parser.links


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


class MastodonPlatform(Platform):
    name = "mastodon"
    page_size = PAGE_LIMIT

    def __init__(self, *, credentials: dict[str, Any], handle: str, base_url: str,
                 timeout: float = DEFAULT_TIMEOUT, transport: httpx.BaseTransport | None = None) -> None:
        self.token = credentials.get("access_token")
        if not self.token:
            raise PlatformError("mastodon: credentials need an 'access_token'", permanent=True)
        # "@alice@example.social", "alice@example.social" and "alice" all name the local user "alice".
        self.handle = handle.lstrip("@")
        self.username = self.handle.split("@", 1)[0]
        self.api = HttpApi("mastodon", base_url, reset_parser=_reset, error_text=_error_text,
                           timeout=timeout, transport=transport)
        self.api.add_secrets(str(v) for v in credentials.values())
        self._account: dict[str, Any] | None = None

    def close(self) -> None:
        self.api.close()

    def account(self, *, fresh: bool = False, strict: bool = False) -> dict[str, Any]:
        """The token's account; ``strict`` (publishing only) refuses one other than the configured handle."""
        if self._account is None or fresh:
            data = self.api.json("GET", "/api/v1/accounts/verify_credentials", token=self.token)
            if not isinstance(data, dict) or "id" not in data:
                raise PlatformError("mastodon: verify_credentials returned no account", permanent=False)
            self._account = data
        if strict and self.username and self._account.get("username", "").lower() != self.username.lower():
            raise PlatformError(f"mastodon: the token belongs to @{self._account.get('username')}, not "
                                f"@{self.handle}; nothing was posted", permanent=True)
        return self._account

    def publish(self, text: str, *, idempotency_key: str, reply_to: str | None = None,
                media: tuple[bytes, ...] = ()) -> Published:
        self.account(strict=True)
        form: dict[str, Any] = {"status": text}
        if reply_to:
            form["in_reply_to_id"] = reply_to
        if len(media) > MAX_MEDIA:   # refuse before anything is uploaded
            raise PlatformError(f"mastodon: a status holds at most {MAX_MEDIA} attachments, got {len(media)}",
                                permanent=True)
        if media:
            form["media_ids[]"] = [self._upload(blob) for blob in media]
        status = self.api.json("POST", "/api/v1/statuses", token=self.token, data=form,
                               headers={"Idempotency-Key": idempotency_key})
        if not isinstance(status, dict) or "id" not in status:
            raise PlatformError("mastodon: POST /api/v1/statuses answered without a status id", permanent=False)
        return Published(str(status["id"]), status.get("url"), parse_time(status["created_at"]))

    def _upload(self, blob: bytes) -> str:
        data = self.api.json("POST", "/api/v2/media", token=self.token,
                             files={"file": ("media", blob, "application/octet-stream")})
        if not isinstance(data, dict) or "id" not in data:
            raise PlatformError("mastodon: POST /api/v2/media answered without a media id", permanent=False)
        return str(data["id"])

    def delete(self, platform_id: str) -> None:
        self.api.request("DELETE", f"/api/v1/statuses/{platform_id}", token=self.token)

    def timeline(self, *, since_id: str | None = None, limit: int = 200) -> Iterator[Post]:
        path = f"/api/v1/accounts/{self.account()['id']}/statuses"
        for status in self._pages(path, {"since_id": since_id}, limit, lambda body: body):
            yield self.to_post(status)

    def _pages(self, path: str, params: dict[str, Any], limit: int, statuses: Any) -> Iterator[dict[str, Any]]:
        """Statuses page after page, following the ``max_id`` of the ``Link: rel="next"`` header.

        Only ``max_id`` is taken from the link, never its host: the bearer token must not follow a
        link to somewhere else.
        """
        left, max_id = limit, None
        while left > 0:
            response = self.api.request("GET", path, token=self.token,
                                        params={**params, "limit": min(self.page_size, left), "max_id": max_id})
            page = statuses(self.api.decode(response, f"GET {path}"))
            if not isinstance(page, list):
                raise PlatformError(f"mastodon: GET {path} did not return a list of statuses", permanent=False)
            for status in page[:left]:
                yield status
                left -= 1
            max_id = _next_max_id(response.headers.get("link", ""))
            if not page or max_id is None:
                return

    def profile(self) -> Profile:
        account = self.account(fresh=True)
        bio = (account.get("source") or {}).get("note")
        if bio is None:
            bio = html_to_text(account.get("note", ""))[0]
        return Profile(handle=account.get("acct") or account["username"], display_name=account.get("display_name", ""),
                       bio=bio, avatar_url=account.get("avatar"))

    def mentions(self, query: str, *, since_id: str | None = None, limit: int = 200) -> Iterator[Item]:
        params = {"q": query, "type": "statuses", "resolve": "false"}
        for status in self._pages("/api/v2/search", params, limit, lambda body: body.get("statuses")):
            if since_id is not None and _id_key(status["id"]) <= _id_key(since_id):
                return
            post = self.to_post(status, account=status.get("account", {}).get("acct"))
            yield Item(id=post.id, text=post.text, url=post.extras.get("url"), published_at=post.created_at,
                       source="mastodon", kind="mention", author=post.account, lang=post.lang)

    def to_post(self, status: dict[str, Any], *, account: str | None = None) -> Post:
        shown = status.get("reblog") or status
        accts = {m["url"]: m["acct"] for m in shown.get("mentions") or [] if m.get("url") and m.get("acct")}
        text, links = html_to_text(shown.get("content", ""), accts)
        mentioned = {m.get("id"): m.get("acct", "") for m in shown.get("mentions") or []}
        application = status.get("application") or {}
        return Post(
            account=self.handle if account is None else account, id=str(status["id"]),
            created_at=parse_time(status["created_at"]), text=text, reply_to=shown.get("in_reply_to_id"),
            reply_to_user=(mentioned.get(shown.get("in_reply_to_account_id")) or None)
            if shown.get("in_reply_to_account_id") else None,
            client=application.get("name"), lang=shown.get("language"),
            mentions=tuple(acct.lower() for acct in mentioned.values()), urls=tuple(links),
            hashtags=tuple(s.value for s in entities.hashtags(text)) or tuple(t["name"] for t in shown.get("tags") or []),
            media=tuple(m.get("url") or m.get("id") for m in shown.get("media_attachments") or []),
            is_repost=status.get("reblog") is not None, is_quote=bool(shown.get("quote")), platform="mastodon",
            extras={"url": status.get("url") or shown.get("url")},
        )


def _next_max_id(link_header: str) -> str | None:
    for part in link_header.split(","):
        match = re.search(r'<([^>]*)>\s*;\s*rel="?next"?', part)
        if match:
            values = parse_qs(urlsplit(match.group(1)).query).get("max_id")
            return values[0] if values else None
    return None


def _id_key(status_id: str) -> tuple[int, str]:
    """Mastodon ids are numeric strings that grow with time; compare them by length, then text."""
    return len(status_id), status_id
