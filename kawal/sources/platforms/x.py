"""X (Twitter) API v2 connector, with an OAuth 2 user-context bearer token.

Credentials: ``{"access_token": "..."}``, and for renewal ``refresh_token`` and ``client_id`` (plus
``client_secret`` for a confidential app): X access tokens expire after two hours, so on a 401 the
connector refreshes them once and hands the new pair to ``on_credentials_change``. The base URL
defaults to ``https://api.x.com``.
X does not honour an idempotency key: exactly-once rests on :meth:`Platform.find_published`, and X
itself refuses a tweet whose text repeats a recent one (HTTP 403, "duplicate content").
X v2 no longer returns the posting app for most apps; ``source`` is kept when it is present.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx

from kawal.engine.records import Item, Post
from kawal.sources.platforms.base import (
    CredentialsCallback,
    Platform,
    PlatformError,
    Profile,
    Published,
    report_credentials,
)
from kawal.sources.platforms.http import DEFAULT_TIMEOUT, HttpApi, seconds_until_epoch

DEFAULT_BASE_URL = "https://api.x.com"
MAX_MEDIA = 4
TWEET_FIELDS = "created_at,lang,entities,referenced_tweets,in_reply_to_user_id,source,author_id,attachments"


def _reset(headers: httpx.Headers) -> float | None:
    return seconds_until_epoch(headers.get("x-rate-limit-reset"))


def _error_text(body: Any) -> str | None:
    if not isinstance(body, dict):
        return None
    if body.get("detail") or body.get("title"):
        return str(body.get("detail") or body.get("title"))
    if body.get("error_description") or body.get("error"):   # the OAuth 2 token endpoint's shape
        return str(body.get("error_description") or body.get("error"))
    errors = body.get("errors") or []
    return "; ".join(str(e.get("message") or e.get("detail") or e.get("title") or e)
                     for e in errors if isinstance(e, dict)) or None


def parse_time(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


class XPlatform(Platform):
    name = "x"
    page_size = 100   # max_results per page (X allows 5-100 for timelines, 10-100 for search)

    def __init__(self, *, credentials: dict[str, Any], handle: str, base_url: str = DEFAULT_BASE_URL,
                 timeout: float = DEFAULT_TIMEOUT, transport: httpx.BaseTransport | None = None,
                 on_credentials_change: CredentialsCallback | None = None) -> None:
        self.token = credentials.get("access_token")
        if not self.token:
            raise PlatformError("x: credentials need an 'access_token' (an OAuth 2 user token)", permanent=True)
        self.handle = handle.lstrip("@")
        self.api = HttpApi("x", base_url, reset_parser=_reset, error_text=_error_text, timeout=timeout,
                           transport=transport)
        self.api.add_secrets(str(v) for v in credentials.values())
        self.credentials = dict(credentials)
        self.on_credentials_change = on_credentials_change
        self._me: dict[str, Any] | None = None

    def close(self) -> None:
        self.api.close()

    def _get(self, path: str, **params: Any) -> Any:
        body = self._authorized("GET", path, params=params)
        if not isinstance(body, dict):
            raise PlatformError(f"x: GET {path} did not return a JSON object", permanent=False)
        if body.get("errors") and not body.get("data"):
            # X answers 200 with only "errors" when the resource is gone (suspended user, deleted tweet)
            raise PlatformError(f"x: GET {path} answered with errors only: {_error_text(body)}", permanent=True,
                                status=200)
        return body

    def _authorized(self, method: str, path: str, **kwargs: Any) -> Any:
        """A call with the access token; on 401, renew it once with the refresh token if there is one."""
        try:
            return self.api.json(method, path, token=self.token, **kwargs)
        except PlatformError as error:
            if error.status != 401 or not self.credentials.get("refresh_token"):
                raise
        self._refresh()
        return self.api.json(method, path, token=self.token, **kwargs)

    def _refresh(self) -> None:
        """OAuth 2 refresh (``offline.access``): X access tokens live two hours; refresh tokens are single use,
        so the new pair goes to ``on_credentials_change`` at once."""
        client_id = self.credentials.get("client_id")
        if not client_id:
            raise PlatformError("x: the access token expired and the credentials have no 'client_id' to renew it",
                                permanent=True, status=401)
        headers = {}
        if self.credentials.get("client_secret"):   # confidential clients authenticate with HTTP Basic
            basic = base64.b64encode(f"{client_id}:{self.credentials['client_secret']}".encode()).decode()
            self.api.add_secrets([basic])
            headers["Authorization"] = f"Basic {basic}"
        try:
            answer = self.api.json("POST", "/2/oauth2/token", headers=headers, data={
                "grant_type": "refresh_token", "refresh_token": self.credentials["refresh_token"],
                "client_id": client_id})
        except PlatformError as error:
            if error.status == 400:
                raise PlatformError(f"{error}; reconnect the account to X", permanent=True, status=401) from None
            raise
        if not isinstance(answer, dict) or not answer.get("access_token"):
            raise PlatformError("x: POST /2/oauth2/token answered without an access_token", permanent=False)
        self.api.add_secrets([answer["access_token"], answer.get("refresh_token")])
        self.token = answer["access_token"]
        self.credentials = {**self.credentials, "access_token": self.token,
                            "refresh_token": answer.get("refresh_token") or self.credentials["refresh_token"]}
        report_credentials(self.on_credentials_change, self.credentials, "x")

    def me(self, *, strict: bool = False) -> dict[str, Any]:
        """The token's user. ``strict`` refuses a token of another account than the configured handle.

        Only publishing is strict: reads follow the token, so that an account renamed on X (a common
        first move of a hijacker) still has its timeline read and shows the new handle in profile().
        """
        if self._me is None:
            data = self._get("/2/users/me", **{"user.fields": "description,profile_image_url"}).get("data") or {}
            if "id" not in data:
                raise PlatformError("x: GET /2/users/me returned no user", permanent=False)
            self._me = data
        if strict and self.handle and self._me.get("username", "").lower() != self.handle.lower():
            raise PlatformError(f"x: the token belongs to @{self._me.get('username')}, not @{self.handle}; "
                                "nothing was posted", permanent=True)
        return self._me

    def publish(self, text: str, *, idempotency_key: str, reply_to: str | None = None,
                media: tuple[bytes, ...] = ()) -> Published:
        self.me(strict=True)
        body: dict[str, Any] = {"text": text}
        if reply_to:
            body["reply"] = {"in_reply_to_tweet_id": reply_to}
        if len(media) > MAX_MEDIA:   # refuse before anything is uploaded
            raise PlatformError(f"x: a post holds at most {MAX_MEDIA} images, got {len(media)}", permanent=True)
        if media:
            body["media"] = {"media_ids": [self._upload(blob) for blob in media]}
        data = self._authorized("POST", "/2/tweets", json_body=body).get("data") or {}
        if "id" not in data:
            raise PlatformError("x: POST /2/tweets answered without a tweet id", permanent=False)
        return Published(str(data["id"]), self._url(str(data["id"])), datetime.now(UTC))

    def _upload(self, blob: bytes) -> str:
        data = self._authorized("POST", "/2/media/upload", data={"media_category": "tweet_image"},
                             files={"media": ("media", blob, "application/octet-stream")}).get("data") or {}
        if "id" not in data:
            raise PlatformError("x: POST /2/media/upload answered without a media id", permanent=False)
        return str(data["id"])

    def delete(self, platform_id: str) -> None:
        data = self._authorized("DELETE", f"/2/tweets/{platform_id}").get("data") or {}
        if not data.get("deleted"):
            raise PlatformError(f"x: tweet {platform_id} was not deleted", permanent=True)

    def timeline(self, *, since_id: str | None = None, limit: int = 200) -> Iterator[Post]:
        user_id = self.me()["id"]
        params = {"tweet.fields": TWEET_FIELDS, "expansions": "in_reply_to_user_id", "since_id": since_id}
        for tweet, users in self._pages(f"/2/users/{user_id}/tweets", params, limit, 5, "pagination_token"):
            yield self.to_post(tweet, users)

    def _pages(self, path: str, params: dict[str, Any], limit: int, smallest: int,
               token_name: str) -> Iterator[tuple[dict[str, Any], dict[str, str]]]:
        """Tweets of every page, following ``meta.next_token``, until ``limit`` tweets were yielded."""
        left, token = limit, None
        while left > 0:
            body = self._get(path, **params, max_results=min(self.page_size, max(smallest, left)), **{token_name: token})
            users = {u["id"]: u["username"] for u in (body.get("includes") or {}).get("users", [])}
            for tweet in (body.get("data") or [])[:left]:
                yield tweet, users
                left -= 1
            token = (body.get("meta") or {}).get("next_token")
            if not token or not body.get("data"):
                return

    def profile(self) -> Profile:
        self._me = None  # a profile read must see the current profile, not a cached one
        me = self.me()
        return Profile(handle=me["username"], display_name=me.get("name", ""), bio=me.get("description", ""),
                       avatar_url=me.get("profile_image_url"))

    def mentions(self, query: str, *, since_id: str | None = None, limit: int = 200) -> Iterator[Item]:
        params = {"query": query, "tweet.fields": TWEET_FIELDS, "expansions": "author_id", "since_id": since_id}
        for tweet, users in self._pages("/2/tweets/search/recent", params, limit, 10, "next_token"):
            author = users.get(tweet.get("author_id", ""))
            post = self.to_post(tweet, users, account=author or "")
            yield Item(id=post.id, text=post.text, url=post.extras["url"], published_at=post.created_at,
                       source="x", kind="mention", author=author, lang=post.lang)

    def _url(self, tweet_id: str, handle: str | None = None) -> str:
        return f"https://x.com/{handle or self.handle or 'i'}/status/{tweet_id}"

    def to_post(self, tweet: dict[str, Any], users: dict[str, str], *, account: str | None = None) -> Post:
        entities = tweet.get("entities") or {}
        links = entities.get("urls") or []
        refs = {r.get("type"): str(r.get("id")) for r in tweet.get("referenced_tweets") or []}
        account = self.handle if account is None else account
        return Post(
            account=account, id=str(tweet["id"]), created_at=parse_time(tweet.get("created_at")),
            text=_unescape(_expand_links(tweet.get("text", ""), links)), reply_to=refs.get("replied_to"),
            reply_to_user=users.get(tweet.get("in_reply_to_user_id", "")), client=tweet.get("source"),
            lang=None if tweet.get("lang") in (None, "und") else tweet["lang"],
            mentions=tuple(m["username"].lower() for m in entities.get("mentions") or []),
            urls=tuple(u.get("unwound_url") or u.get("expanded_url") or u["url"] for u in links),
            hashtags=tuple(h["tag"] for h in entities.get("hashtags") or []),
            media=tuple((tweet.get("attachments") or {}).get("media_keys") or []),
            is_repost="retweeted" in refs, is_quote="quoted" in refs, platform="x",
            extras={"url": self._url(str(tweet["id"]), account or None)},
        )


def _unescape(text: str) -> str:
    """X escapes exactly '&', '<' and '>' in tweet text; undo those three (and nothing else a user typed)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _expand_links(text: str, links: list[dict[str, Any]]) -> str:
    """Put the expanded URL back where X wrote its t.co link, so the text is what the author wrote."""
    for link in links:
        expanded = link.get("expanded_url")
        if expanded and link.get("url"):
            text = text.replace(link["url"], expanded, 1)
    return text
