"""A local server speaking the part of the AT Protocol (Bluesky XRPC) that Kawal uses.

Endpoints (all under ``/xrpc/``): ``com.atproto.server.createSession`` (identifier + app password),
``com.atproto.server.refreshSession``, ``com.atproto.repo.createRecord`` / ``deleteRecord``,
``com.atproto.repo.uploadBlob``, ``com.atproto.identity.resolveHandle``, ``app.bsky.feed.getAuthorFeed``
(``cursor``), ``app.bsky.feed.getPosts``, ``app.bsky.actor.getProfile``, ``app.bsky.feed.searchPosts``.
Access JWTs expire (``access_ttl``, or :meth:`LocalBluesky.expire_access_tokens`) and are then refused with
``400 ExpiredToken`` as a PDS does. Facets are checked against the UTF-8 byte length of the text. Errors
are ``{"error": Name, "message": ...}``; rate limits send ``ratelimit-limit``, ``-remaining``, ``-reset``
(Unix time) and ``-policy``. Post ids are ``at://`` URIs with TID record keys.

Run it: ``python -m kawal.sources.platforms.local.bluesky --port 8403 --account kawal.test:APP-PASSWORD``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import secrets
import time
from datetime import datetime
from typing import Any

from kawal.sources.platforms.local.server import (
    Account,
    HttpError,
    LocalServer,
    Request,
    Response,
    Route,
    StoredPost,
    iso_millis,
    run_from_command_line,
)
from kawal.sources.platforms.text import entities

POST = "app.bsky.feed.post"
MAX_GRAPHEMES = 300     # checked as code points: close enough for a test server
_B32 = "234567abcdefghijklmnopqrstuvwxyz"
_CODES = {400: "InvalidRequest", 401: "AuthenticationRequired", 403: "Forbidden", 404: "NotFound",
          429: "RateLimitExceeded"}


def tid(micros: int, clock: int = 0) -> str:
    """An AT Protocol TID: 13 base32-sortable characters of (microseconds << 10 | clock id)."""
    value = (micros << 10) | clock
    return "".join(_B32[(value >> (5 * i)) & 31] for i in range(12, -1, -1))


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


class LocalBluesky(LocalServer):
    name = "bluesky"
    default_client = "Bluesky app"

    def __init__(self, *, access_ttl: float = 7200.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.access_ttl = access_ttl
        self.records: dict[str, dict[str, Any]] = {}        # post uri -> record as stored
        self._access: dict[str, tuple[str, float]] = {}     # jwt -> (did, expires at)
        self._refresh: dict[str, str] = {}                  # jwt -> did
        self._last_micros = 0

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--access-ttl", type=float, default=7200.0,
                            help="seconds an access JWT stays valid (short values exercise refreshSession)")

    @classmethod
    def options_from(cls, args: argparse.Namespace) -> dict[str, Any]:
        return {"access_ttl": args.access_ttl}

    def routes(self) -> list[Route]:
        xrpc = {
            ("POST", "com.atproto.server.createSession"): self.create_session,
            ("POST", "com.atproto.server.refreshSession"): self.refresh_session,
            ("POST", "com.atproto.repo.createRecord"): self.create_record,
            ("POST", "com.atproto.repo.deleteRecord"): self.delete_record,
            ("POST", "com.atproto.repo.uploadBlob"): self.upload_blob,
            ("GET", "com.atproto.identity.resolveHandle"): self.resolve_handle,
            ("GET", "app.bsky.feed.getAuthorFeed"): self.get_author_feed,
            ("GET", "app.bsky.feed.getPosts"): self.get_posts,
            ("GET", "app.bsky.actor.getProfile"): self.get_profile,
            ("GET", "app.bsky.feed.searchPosts"): self.search_posts,
        }
        return [(method, re.compile(re.escape(f"/xrpc/{nsid}")), handler) for (method, nsid), handler in xrpc.items()]

    def error_body(self, error: HttpError) -> Any:
        return {"error": error.code or _CODES.get(error.status, "InternalServerError"), "message": error.message}

    def rate_limit_headers(self, limit: int, remaining: int, reset: float) -> dict[str, str]:
        return {"ratelimit-limit": str(limit), "ratelimit-remaining": str(remaining),
                "ratelimit-reset": str(int(reset) + 1), "ratelimit-policy": f"{limit};w={int(self.rate_window)}"}

    def credentials(self, account: Account) -> dict[str, str]:
        return {"identifier": account.handle, "app_password": account.secret}

    def new_account_id(self, handle: str) -> str:
        return "did:plc:" + hashlib.sha256(handle.lower().encode()).hexdigest()[:24]

    def add_account(self, handle: str, *, secret: str | None = None, **kwargs: Any) -> dict[str, str]:
        password = secret or "-".join(secrets.token_hex(2) for _ in range(4))   # app passwords look like this
        return super().add_account(handle, secret=password, **kwargs)

    def new_post_id(self, account: Account) -> str:
        with self.lock:
            self._last_micros = max(self._last_micros + 1, int(time.time() * 1_000_000))
            return f"at://{account.id}/{POST}/{tid(self._last_micros)}"

    def expire_access_tokens(self) -> None:
        """Every access JWT issued so far is now expired (as after two hours on a real PDS)."""
        with self.lock:
            self._access = {jwt: (did, 0.0) for jwt, (did, _) in self._access.items()}

    # -- sessions ----------------------------------------------------------------------------------
    def _issue(self, account: Account) -> dict[str, Any]:
        now = time.time()
        access = ".".join([_b64({"typ": "at+jwt", "alg": "ES256K"}),
                           _b64({"scope": "com.atproto.appPass", "sub": account.id, "iat": int(now),
                                 "exp": int(now + self.access_ttl)}), secrets.token_urlsafe(32)])
        refresh = ".".join([_b64({"typ": "refresh+jwt", "alg": "ES256K"}),
                            _b64({"scope": "com.atproto.refresh", "sub": account.id, "jti": secrets.token_hex(8)}),
                            secrets.token_urlsafe(32)])
        with self.lock:
            self._access[access] = (account.id, now + self.access_ttl)
            self._refresh[refresh] = account.id
        return {"did": account.id, "handle": account.handle, "accessJwt": access, "refreshJwt": refresh,
                "active": True, "didDoc": {"id": account.id}}

    def create_session(self, request: Request) -> Response:
        body = request.json()
        identifier, password = str(body.get("identifier", "")), str(body.get("password", ""))
        account = next((a for a in self.accounts.values() if identifier.lower() in (a.handle.lower(), a.id)), None)
        if account is None or not secrets.compare_digest(account.secret, password):
            raise HttpError(401, "Invalid identifier or password", code="AuthenticationRequired")
        return Response(200, self._issue(account))

    def refresh_session(self, request: Request) -> Response:
        with self.lock:
            did = self._refresh.pop(request.bearer() or "", None)
        if did is None:
            raise HttpError(400, "Token has been revoked", code="ExpiredToken")
        return Response(200, self._issue(self.accounts[did]))

    def _caller(self, request: Request) -> Account:
        token = request.bearer()
        if not token:
            raise HttpError(401, "Authentication Required", code="AuthenticationRequired")
        with self.lock:
            entry = self._access.get(token)
        if entry is None:
            raise HttpError(401, "Token could not be verified", code="InvalidToken")
        if entry[1] <= time.time():
            raise HttpError(400, "Token has expired", code="ExpiredToken")
        return self.accounts[entry[0]]

    def _actor(self, value: str | None) -> Account:
        if not value:
            raise HttpError(400, "Params must have the property \"actor\"")
        for account in self.accounts.values():
            if value.lower() in (account.handle.lower(), account.id):
                return account
        raise HttpError(400, "Profile not found")

    # -- repo --------------------------------------------------------------------------------------
    def create_record(self, request: Request) -> Response:
        account = self._caller(request)
        body = request.json()
        if body.get("repo") not in (account.id, account.handle):
            raise HttpError(403, "Cannot write to another account's repository")
        if body.get("collection") != POST:
            raise HttpError(400, f"Unsupported collection: {body.get('collection')}")
        record = body.get("record") or {}
        _validate_post(record)
        reply_to = ((record.get("reply") or {}).get("parent") or {}).get("uri")
        with self.lock:
            post = self.store(account, record["text"], client=None, reply_to=reply_to,
                              lang=(record.get("langs") or [None])[0])
            self.records[post.id] = record
        self.after_store()
        return Response(200, {"uri": post.id, "cid": _cid(post.id), "validationStatus": "valid",
                              "commit": {"cid": _cid(post.id + "#commit"), "rev": post.id.rsplit("/", 1)[1]}})

    def delete_record(self, request: Request) -> Response:
        account = self._caller(request)
        body = request.json()
        if body.get("repo") not in (account.id, account.handle):
            raise HttpError(403, "Cannot write to another account's repository")
        uri = f"at://{account.id}/{body.get('collection')}/{body.get('rkey')}"
        with self.lock:
            for post in self.posts:
                if post.id == uri:
                    post.deleted = True   # deleting a missing record is not an error in atproto
        return Response(200, {"commit": {"cid": _cid(uri + "#delete"), "rev": tid(int(time.time() * 1e6))}})

    def upload_blob(self, request: Request) -> Response:
        self._caller(request)
        if not request.body:
            raise HttpError(400, "Request body is empty")
        ref = _cid(hashlib.sha256(request.body).hexdigest())
        self.media[ref] = request.body
        return Response(200, {"blob": {"$type": "blob", "ref": {"$link": ref},
                                       "mimeType": request.headers.get("content-type", "application/octet-stream"),
                                       "size": len(request.body)}})

    def resolve_handle(self, request: Request) -> Response:
        handle = (request.arg("handle") or "").lower()
        account = next((a for a in self.accounts.values() if a.handle.lower() == handle), None)
        if account is None:
            raise HttpError(400, "Unable to resolve handle")
        return Response(200, {"did": account.id})

    # -- app.bsky reads ----------------------------------------------------------------------------
    def get_author_feed(self, request: Request) -> Response:
        self._caller(request)
        account = self._actor(request.arg("actor"))
        limit = request.int_arg("limit", 50, 1, 100)
        posts = self.live_posts(account.id)
        if request.arg("filter") == "posts_no_replies":
            posts = [p for p in posts if not p.reply_to]
        page, cursor = _slice(posts, request.arg("cursor"), limit)
        body: dict[str, Any] = {"feed": [self._feed_item(p) for p in page]}
        if cursor:
            body["cursor"] = cursor
        return Response(200, body)

    def get_posts(self, request: Request) -> Response:
        self._caller(request)
        uris = request.query.get("uris", [])
        if len(uris) > 25:
            raise HttpError(400, "uris must not have more than 25 elements")
        live = {p.id: p for p in self.live_posts()}
        return Response(200, {"posts": [self._view(live[u]) for u in uris if u in live]})

    def get_profile(self, request: Request) -> Response:
        self._caller(request)
        account = self._actor(request.arg("actor"))
        profile = {"did": account.id, "handle": account.handle, "displayName": account.display_name,
                   "description": account.bio, "postsCount": len(self.live_posts(account.id)),
                   "followersCount": 0, "followsCount": 0, "indexedAt": "2024-01-01T00:00:00.000Z"}
        if account.avatar_url:
            profile["avatar"] = account.avatar_url
        return Response(200, profile)

    def search_posts(self, request: Request) -> Response:
        self._caller(request)
        query = (request.arg("q") or "").strip()
        if not query:
            raise HttpError(400, "Params must have the property \"q\"")
        limit = request.int_arg("limit", 25, 1, 100)
        words = query.lower().split()
        posts = [p for p in self.live_posts() if not p.repost_of and all(w in p.text.lower() for w in words)]
        page, cursor = _slice(posts, request.arg("cursor"), limit)
        body: dict[str, Any] = {"posts": [self._view(p) for p in page], "hitsTotal": len(posts)}
        if cursor:
            body["cursor"] = cursor
        return Response(200, body)

    # -- shapes ------------------------------------------------------------------------------------
    def _record(self, post: StoredPost) -> dict[str, Any]:
        record = self.records.get(post.id)
        if record is None:   # a post made "directly on the platform": the official app adds facets
            record = {"$type": POST, "text": post.text, "createdAt": iso_millis(post.created_at),
                      "facets": build_facets(post.text, self._did_of)}
            if post.lang:
                record["langs"] = [post.lang]
            self.records[post.id] = record
        return record

    def _did_of(self, handle: str) -> str | None:
        return next((a.id for a in self.accounts.values() if a.handle.lower() == handle.lower()), None)

    def _author(self, account: Account) -> dict[str, Any]:
        author = {"did": account.id, "handle": account.handle, "displayName": account.display_name}
        if account.avatar_url:
            author["avatar"] = account.avatar_url
        return author

    def _view(self, post: StoredPost) -> dict[str, Any]:
        record = self._record(post)
        view = {"uri": post.id, "cid": _cid(post.id), "author": self._author(self.accounts[post.account_id]),
                "record": record, "replyCount": 0, "repostCount": 0, "likeCount": 0,
                "indexedAt": iso_millis(post.created_at), "labels": []}
        images = (record.get("embed") or {}).get("images") or []
        if images:   # the appview turns blob refs into CDN URLs
            urls = [f"https://cdn.bsky.app/img/feed_fullsize/plain/{post.account_id}/{i['image']['ref']['$link']}@jpeg"
                    for i in images]
            view["embed"] = {"$type": "app.bsky.embed.images#view",
                             "images": [{"thumb": u, "fullsize": u, "alt": i.get("alt", "")} for u, i in zip(urls, images, strict=True)]}
        return view

    def _feed_item(self, post: StoredPost) -> dict[str, Any]:
        if post.repost_of:
            original = next(p for p in self.posts if p.id == post.repost_of)
            return {"post": self._view(original),
                    "reason": {"$type": "app.bsky.feed.defs#reasonRepost", "uri": post.id, "cid": _cid(post.id),
                               "by": self._author(self.accounts[post.account_id]),
                               "indexedAt": iso_millis(post.created_at)}}
        item: dict[str, Any] = {"post": self._view(post)}
        parent = next((p for p in self.posts if p.id == post.reply_to), None) if post.reply_to else None
        if parent is not None:
            item["reply"] = {"root": self._view(parent), "parent": self._view(parent)}
        return item

    def post_direct(self, handle: str, text: str, *, client: str = "Bluesky app", reply_to: str | None = None,
                    lang: str | None = None, repost_of: str | None = None,
                    created_at: datetime | None = None) -> StoredPost:
        post = super().post_direct(handle, text, client=client, reply_to=reply_to, lang=lang, repost_of=repost_of,
                                   created_at=created_at)
        if repost_of:
            post.id = post.id.replace(POST, "app.bsky.feed.repost")
        return post


def build_facets(text: str, resolve: Any) -> list[dict[str, Any]]:
    """Facets for the mentions, links and tags in ``text``, by UTF-8 byte offsets (as a client makes them)."""
    facets = []
    for span in entities(text):
        if span.kind == "mention":
            did = resolve(span.value)
            if did is None:
                continue
            feature = {"$type": "app.bsky.richtext.facet#mention", "did": did}
        elif span.kind == "link":
            feature = {"$type": "app.bsky.richtext.facet#link", "uri": span.value}
        else:
            feature = {"$type": "app.bsky.richtext.facet#tag", "tag": span.value}
        facets.append({"index": {"byteStart": span.byte_start, "byteEnd": span.byte_end}, "features": [feature]})
    return facets


def _validate_post(record: dict[str, Any]) -> None:
    text = record.get("text")
    if record.get("$type") != POST or not isinstance(text, str):
        raise HttpError(400, "Invalid app.bsky.feed.post record: must have $type and text")
    if not record.get("createdAt"):
        raise HttpError(400, "Invalid app.bsky.feed.post record: must have the property \"createdAt\"")
    if len(text) > MAX_GRAPHEMES or len(text.encode()) > 3000:
        raise HttpError(400, f"Invalid app.bsky.feed.post record: text must not be longer than {MAX_GRAPHEMES} graphemes")
    size = len(text.encode("utf-8"))
    for facet in record.get("facets") or []:
        index = facet.get("index") or {}
        start, end = index.get("byteStart"), index.get("byteEnd")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= size):
            raise HttpError(400, f"Invalid facet index {index} for text of {size} bytes")


def _slice(posts: list[StoredPost], cursor: str | None, limit: int) -> tuple[list[StoredPost], str | None]:
    try:
        start = int(cursor) if cursor else 0
    except ValueError:
        raise HttpError(400, f"Malformed cursor: {cursor}") from None
    page = posts[start:start + limit]
    return page, (str(start + limit) if start + limit < len(posts) else None)


def _cid(seed: str) -> str:
    return "bafyrei" + base64.b32encode(hashlib.sha256(seed.encode()).digest()).decode().lower().rstrip("=")[:52]


if __name__ == "__main__":
    run_from_command_line(LocalBluesky, "A local server speaking the AT Protocol (Bluesky) subset Kawal uses.")
