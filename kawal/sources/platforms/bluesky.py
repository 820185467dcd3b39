"""Bluesky connector: the AT Protocol's XRPC endpoints on the account's PDS, with an app password.

Credentials: ``{"identifier": "alice.bsky.social", "app_password": "xxxx-xxxx-xxxx-xxxx"}``; the base
URL defaults to ``https://bsky.social``. The connector opens a session with
``com.atproto.server.createSession``, renews it with ``refreshSession`` when the access JWT expires
(``ExpiredToken``), and opens a new one if the refresh token is refused too.

Bluesky does not parse post text: mentions, links and hashtags are *facets* over UTF-8 byte ranges
that the client computes (:mod:`kawal.sources.platforms.text`). A mention whose handle does not
resolve stays plain text, as in the Bluesky app. Post ids are ``at://`` URIs. Bluesky has no field
naming the posting app, so ``Post.client`` is None.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx

from kawal.engine.records import Item, Post
from kawal.sources.platforms import text as entities
from kawal.sources.platforms.base import (
    CredentialsCallback,
    Platform,
    PlatformError,
    Profile,
    Published,
    report_credentials,
)
from kawal.sources.platforms.http import DEFAULT_TIMEOUT, HttpApi, seconds_until_epoch

DEFAULT_BASE_URL = "https://bsky.social"
POST = "app.bsky.feed.post"
MAX_IMAGES = 4
_SESSION_GONE = {"ExpiredToken", "InvalidToken"}


def _reset(headers: httpx.Headers) -> float | None:
    return seconds_until_epoch(headers.get("ratelimit-reset"))


def _error_text(body: Any) -> str | None:
    if not isinstance(body, dict):
        return None
    parts = [str(body[k]) for k in ("error", "message") if body.get(k)]
    return ": ".join(parts) or None


def _error_code(body: Any) -> str | None:
    return str(body["error"]) if isinstance(body, dict) and body.get("error") else None


def parse_time(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def split_uri(uri: str) -> tuple[str, str, str]:
    """``at://did/collection/rkey`` -> (did, collection, rkey)."""
    parts = uri.removeprefix("at://").split("/")
    if not uri.startswith("at://") or len(parts) != 3 or not all(parts):
        raise PlatformError(f"bluesky: {uri!r} is not an at:// post URI", permanent=True)
    return parts[0], parts[1], parts[2]


class BlueskyPlatform(Platform):
    name = "bluesky"
    page_size = 100   # the XRPC maximum ``limit`` of getAuthorFeed and searchPosts

    def __init__(self, *, credentials: dict[str, Any], handle: str, base_url: str = DEFAULT_BASE_URL,
                 timeout: float = DEFAULT_TIMEOUT, transport: httpx.BaseTransport | None = None,
                 on_credentials_change: CredentialsCallback | None = None) -> None:
        self.identifier = credentials.get("identifier") or handle.lstrip("@")
        self.password = credentials.get("app_password") or credentials.get("password")
        if not self.identifier or not self.password:
            raise PlatformError("bluesky: credentials need 'identifier' and 'app_password'", permanent=True)
        self.handle = handle.lstrip("@")
        self.api = HttpApi("bluesky", base_url, reset_parser=_reset, error_text=_error_text,
                           error_code=_error_code, timeout=timeout, transport=transport)
        self.credentials = dict(credentials)
        self.on_credentials_change = on_credentials_change
        self.api.add_secrets(str(v) for v in credentials.values() if isinstance(v, str))
        # A session stored by an earlier run is reused: createSession is limited to 300 a day per account,
        # far fewer than a sync every few minutes would need.
        stored = credentials.get("session")
        self.session: dict[str, Any] | None = None
        if (isinstance(stored, dict) and stored.get("accessJwt") and stored.get("did")
                and stored.get("identifier") == self.identifier):   # not a session of an account replaced since
            self.session = dict(stored)
            self.api.add_secrets([stored.get("accessJwt"), stored.get("refreshJwt")])

    def close(self) -> None:
        self.api.close()

    # -- session -----------------------------------------------------------------------------------
    def _login(self) -> dict[str, Any]:
        session = self.api.json("POST", "/xrpc/com.atproto.server.createSession",
                                json_body={"identifier": self.identifier, "password": self.password})
        return self._keep(session)

    def _keep(self, session: Any) -> dict[str, Any]:
        if not isinstance(session, dict) or not session.get("accessJwt") or not session.get("did"):
            raise PlatformError("bluesky: the session answer has no accessJwt or did", permanent=False)
        self.api.add_secrets([session.get("accessJwt"), session.get("refreshJwt")])
        self.session = {k: session[k] for k in ("did", "handle", "accessJwt", "refreshJwt") if k in session}
        self.session["identifier"] = self.identifier
        self.credentials = {**self.credentials, "session": self.session}
        report_credentials(self.on_credentials_change, self.credentials, "bluesky")
        return self.session

    def _refresh(self) -> dict[str, Any]:
        """A fresh session: refreshSession first, createSession when the refresh token is no good either."""
        refresh = (self.session or {}).get("refreshJwt")
        if refresh:
            try:
                return self._keep(self.api.json("POST", "/xrpc/com.atproto.server.refreshSession", token=refresh))
            except PlatformError as error:
                if error.code not in _SESSION_GONE and error.status not in (400, 401):
                    raise
        return self._login()

    @property
    def did(self) -> str:
        return str((self.session or self._login())["did"])

    def _call(self, method: str, nsid: str, **kwargs: Any) -> Any:
        """One XRPC call with the access JWT, renewing the session once if the JWT has expired."""
        session = self.session or self._login()
        try:
            return self.api.json(method, f"/xrpc/{nsid}", token=session["accessJwt"], **kwargs)
        except PlatformError as error:
            if error.code not in _SESSION_GONE:   # a stored session may also have been revoked
                raise
        session = self._refresh()
        return self.api.json(method, f"/xrpc/{nsid}", token=session["accessJwt"], **kwargs)

    # -- Platform ----------------------------------------------------------------------------------
    def publish(self, text: str, *, idempotency_key: str, reply_to: str | None = None,
                media: tuple[bytes, ...] = ()) -> Published:
        if not text.strip() and not media:   # the PDS would store an empty post; no one means that
            raise PlatformError("bluesky: a post needs text or an image", permanent=True)
        created = datetime.now(UTC)
        record: dict[str, Any] = {"$type": POST, "text": text,
                                  "createdAt": created.strftime("%Y-%m-%dT%H:%M:%S.") + f"{created.microsecond // 1000:03d}Z"}
        facets = self.facets(text)
        if facets:
            record["facets"] = facets
        if reply_to:
            record["reply"] = self._reply_ref(reply_to)
        if media:
            record["embed"] = self._images(media)
        answer = self._call("POST", "com.atproto.repo.createRecord",
                            json_body={"repo": self.did, "collection": POST, "record": record})
        if not isinstance(answer, dict) or not answer.get("uri"):
            raise PlatformError("bluesky: createRecord answered without a uri", permanent=False)
        return Published(answer["uri"], self._url(answer["uri"]), created)

    def facets(self, text: str) -> list[dict[str, Any]]:
        """Mention, link and tag facets over the UTF-8 byte offsets of ``text``."""
        facets = []
        for span in entities.entities(text):
            if span.kind == "mention":
                did = self._resolve(span.value)
                if did is None:
                    continue
                feature = {"$type": "app.bsky.richtext.facet#mention", "did": did}
            elif span.kind == "link":
                feature = {"$type": "app.bsky.richtext.facet#link", "uri": span.value}
            else:
                feature = {"$type": "app.bsky.richtext.facet#tag", "tag": span.value[:64]}
            facets.append({"index": {"byteStart": span.byte_start, "byteEnd": span.byte_end},
                           "features": [feature]})
        return facets

    def _resolve(self, handle: str) -> str | None:
        if "." not in handle:   # Bluesky handles are domain names; "@kawal" alone cannot be a mention
            return None
        try:
            return self._call("GET", "com.atproto.identity.resolveHandle", params={"handle": handle}).get("did")
        except PlatformError as error:
            if error.permanent and error.status == 400:
                return None
            raise

    def _reply_ref(self, parent_uri: str) -> dict[str, Any]:
        posts = self._call("GET", "app.bsky.feed.getPosts", params={"uris": [parent_uri]}).get("posts") or []
        if not posts:
            raise PlatformError(f"bluesky: the post being answered ({parent_uri}) was not found", permanent=True)
        parent = {"uri": posts[0]["uri"], "cid": posts[0]["cid"]}
        root = ((posts[0].get("record") or {}).get("reply") or {}).get("root") or parent
        return {"root": root, "parent": parent}

    def _images(self, media: tuple[bytes, ...]) -> dict[str, Any]:
        if len(media) > MAX_IMAGES:
            raise PlatformError(f"bluesky: a post holds at most {MAX_IMAGES} images, got {len(media)}", permanent=True)
        images = []
        for blob in media:
            answer = self._call("POST", "com.atproto.repo.uploadBlob", content=blob,
                                headers={"Content-Type": "application/octet-stream"})
            if not isinstance(answer, dict) or "blob" not in answer:
                raise PlatformError("bluesky: uploadBlob answered without a blob", permanent=False)
            images.append({"alt": "", "image": answer["blob"]})
        return {"$type": "app.bsky.embed.images", "images": images}

    def delete(self, platform_id: str) -> None:
        did, collection, rkey = split_uri(platform_id)
        self._call("POST", "com.atproto.repo.deleteRecord",
                   json_body={"repo": self.did, "collection": collection, "rkey": rkey})

    def timeline(self, *, since_id: str | None = None, limit: int = 200) -> Iterator[Post]:
        params = {"actor": self.did, "filter": "posts_with_replies"}
        for item in self._pages("app.bsky.feed.getAuthorFeed", params, limit, lambda body: body.get("feed")):
            post = self.to_post(item)
            if since_id is not None and self._reached(post, since_id):
                return
            yield post

    def _reached(self, post: Post, since_id: str) -> bool:
        """True at ``since_id`` or at a record of the same repository made before it.

        Record keys of posts and reposts are TIDs, which one repository issues in time order, so they
        compare across both collections.
        """
        if post.id == since_id:
            return True
        if not (since_id.startswith("at://") and post.id.startswith("at://")):
            return False
        (mine_did, _, mine), (their_did, _, theirs) = split_uri(post.id), split_uri(since_id)
        return mine_did == their_did and len(mine) == len(theirs) == 13 and mine < theirs

    def _pages(self, nsid: str, params: dict[str, Any], limit: int,
               items: Callable[[Any], Any]) -> Iterator[dict[str, Any]]:
        left, cursor = limit, None
        while left > 0:
            body = self._call("GET", nsid, params={**params, "limit": min(self.page_size, left), "cursor": cursor})
            page = items(body) if isinstance(body, dict) else None
            if not isinstance(page, list):
                raise PlatformError(f"bluesky: {nsid} did not return a list", permanent=False)
            for item in page[:left]:
                yield item
                left -= 1
            cursor = body.get("cursor")
            if not cursor or not page:
                return

    def profile(self) -> Profile:
        data = self._call("GET", "app.bsky.actor.getProfile", params={"actor": self.did})
        return Profile(handle=data.get("handle", self.handle), display_name=data.get("displayName") or "",
                       bio=data.get("description") or "", avatar_url=data.get("avatar"))

    def mentions(self, query: str, *, since_id: str | None = None, limit: int = 200) -> Iterator[Item]:
        params = {"q": query, "sort": "latest"}
        for view in self._pages("app.bsky.feed.searchPosts", params, limit, lambda body: body.get("posts")):
            if view.get("uri") == since_id:
                return
            post = self.to_post({"post": view}, account=(view.get("author") or {}).get("handle"))
            yield Item(id=post.id, text=post.text, url=post.extras["url"], published_at=post.created_at,
                       source="bluesky", kind="mention", author=post.account, lang=post.lang)

    def _url(self, uri: str, handle: str | None = None) -> str:
        did, _, rkey = split_uri(uri)
        return f"https://bsky.app/profile/{handle or did}/post/{rkey}"

    def to_post(self, item: dict[str, Any], *, account: str | None = None) -> Post:
        view = item["post"]
        record = view.get("record") or {}
        text = record.get("text", "")
        reason = item.get("reason") or {}
        is_repost = str(reason.get("$type", "")).endswith("reasonRepost")
        mentions, urls, tags = _from_facets(text, record.get("facets") or [])
        embed_type = str((record.get("embed") or {}).get("$type", ""))
        author = (view.get("author") or {}).get("handle")
        return Post(
            account=self.handle if account is None else account,
            id=(reason.get("uri") or f"{view['uri']}#repost") if is_repost else view["uri"],
            created_at=parse_time(reason.get("indexedAt") if is_repost else record.get("createdAt") or view.get("indexedAt")),
            text=text, reply_to=((record.get("reply") or {}).get("parent") or {}).get("uri"),
            reply_to_user=(((item.get("reply") or {}).get("parent") or {}).get("author") or {}).get("handle"),
            client=None, lang=(record.get("langs") or [None])[0], mentions=mentions, urls=urls, hashtags=tags,
            media=tuple(i.get("fullsize") or "" for i in ((view.get("embed") or {}).get("images") or [])),
            is_repost=is_repost, is_quote=embed_type.startswith("app.bsky.embed.record"), platform="bluesky",
            extras={"url": self._url(view["uri"], author), "cid": view.get("cid")},
        )


def _from_facets(text: str, facets: list[dict[str, Any]]) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Mentions (handles, read from the text at the facet's byte range), links and tags of a record."""
    raw = text.encode("utf-8")
    mentions: list[str] = []
    urls: list[str] = []
    tags: list[str] = []
    for facet in facets:
        index = facet.get("index") or {}
        covered = raw[index.get("byteStart", 0):index.get("byteEnd", 0)].decode("utf-8", errors="replace")
        for feature in facet.get("features") or []:
            kind = str(feature.get("$type", ""))
            if kind.endswith("#mention"):
                mentions.append(covered.lstrip("@").lower() or str(feature.get("did")))
            elif kind.endswith("#link") and feature.get("uri"):
                urls.append(str(feature["uri"]))
            elif kind.endswith("#tag") and feature.get("tag"):
                tags.append(str(feature["tag"]))
    return tuple(mentions), tuple(urls), tuple(tags)
