"""A local server speaking the part of the X API v2 that Kawal uses.

Endpoints: ``POST /2/tweets``, ``DELETE /2/tweets/:id``, ``GET /2/users/me``, ``GET /2/users/:id/tweets``
(``max_results`` 5-100, ``pagination_token`` / ``meta.next_token``, ``since_id``, ``tweet.fields``,
``expansions``), ``GET /2/tweets/search/recent`` (``next_token``), ``POST /2/media/upload``. Errors use
the v2 problem shape (``title``, ``detail``, ``type``, ``status``); rate limits send ``x-rate-limit-limit``,
``-remaining`` and ``-reset`` (Unix time). Links in tweet text come back as ``t.co`` links with
``entities.urls`` carrying the expanded URL, and a repeated text is refused as duplicate content, as on X.
The ``source`` field (the posting app) is only returned when the server is built with ``report_source``:
X stopped returning it for most apps.

Run it: ``python -m kawal.sources.platforms.local.x --port 8401 --account kawal_demo:SECRET``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

from kawal.sources.platforms.local.server import (
    Account,
    HttpError,
    LocalServer,
    Request,
    Response,
    Route,
    StoredPost,
    iso_millis,
    multipart_file,
    run_from_command_line,
)
from kawal.sources.platforms.text import entities

MAX_CHARS = 280
CLIENT_ID = "a2F3YWwtbG9jYWwtYXBwOjE6Y2k"   # the local server's one OAuth 2 app
FIRST_ID = 1_860_000_000_000_000_000   # ids look like real snowflakes and grow with time
_PROBLEMS = {
    400: ("Invalid Request", "https://api.twitter.com/2/problems/invalid-request"),
    401: ("Unauthorized", "about:blank"),
    403: ("Forbidden", "about:blank"),
    404: ("Not Found Error", "https://api.twitter.com/2/problems/resource-not-found"),
    429: ("Too Many Requests", "about:blank"),
}


def _tco(url: str) -> str:
    return "https://t.co/" + hashlib.sha1(url.encode()).hexdigest()[:10]


class LocalX(LocalServer):
    name = "x"
    default_client = "Twitter Web App"

    def __init__(self, *, report_source: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.report_source = report_source
        self._next_id = FIRST_ID
        self.suspended: set[str] = set()   # user ids whose tweets X no longer serves
        self._tokens: dict[str, tuple[str, bool]] = {}   # access token -> (user id, expired)
        self._refresh_tokens: dict[str, str] = {}        # refresh token -> user id (single use)

    def credentials(self, account: Account) -> dict[str, str]:
        """An OAuth 2 user token with ``offline.access``: an access token, a refresh token, the app's client id."""
        refresh = secrets.token_urlsafe(32)
        with self.lock:
            self._tokens[account.secret] = (account.id, False)
            self._refresh_tokens[refresh] = account.id
        return {"access_token": account.secret, "refresh_token": refresh, "client_id": CLIENT_ID}

    def expire_access_tokens(self) -> None:
        """Every access token issued so far now gets 401, as X's do two hours after issue."""
        with self.lock:
            self._tokens = {token: (user, True) for token, (user, _) in self._tokens.items()}

    def suspend(self, handle: str) -> None:
        """Reading this user's tweets now answers 200 with only an ``errors`` array, as X does."""
        self.suspended.add(self.account_by_handle(handle).id)

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--report-source", action="store_true",
                            help="return the tweet's 'source' (posting app), which X no longer does for most apps")

    @classmethod
    def options_from(cls, args: argparse.Namespace) -> dict[str, Any]:
        return {"report_source": args.report_source}

    def routes(self) -> list[Route]:
        return [
            ("POST", re.compile(r"/2/tweets"), self.create_tweet),
            ("DELETE", re.compile(r"/2/tweets/(?P<tweet_id>\d+)"), self.delete_tweet),
            ("GET", re.compile(r"/2/users/me"), self.users_me),
            ("GET", re.compile(r"/2/users/(?P<user_id>\d+)/tweets"), self.user_tweets),
            ("GET", re.compile(r"/2/tweets/search/recent"), self.search_recent),
            ("POST", re.compile(r"/2/media/upload"), self.upload_media),
            ("POST", re.compile(r"/2/oauth2/token"), self.oauth2_token),
        ]

    def error_body(self, error: HttpError) -> Any:
        title, kind = _PROBLEMS.get(error.status, ("Service Unavailable", "about:blank"))
        return {"title": title, "detail": error.message, "type": kind, "status": error.status}

    def rate_limit_headers(self, limit: int, remaining: int, reset: float) -> dict[str, str]:
        return {"x-rate-limit-limit": str(limit), "x-rate-limit-remaining": str(remaining),
                "x-rate-limit-reset": str(int(reset) + 1)}

    def new_id(self) -> str:
        with self.lock:
            self._next_id += 1 + (self._next_id % 7)   # gaps, as real snowflakes have
            return str(self._next_id)

    def _caller(self, request: Request) -> Account:
        with self.lock:
            user, expired = self._tokens.get(request.bearer() or "", (None, True))
        if user is None or expired:
            raise HttpError(401, "Unauthorized")
        return self.accounts[user]

    def oauth2_token(self, request: Request) -> Response:
        """``POST /2/oauth2/token`` with ``grant_type=refresh_token``: new tokens; the refresh token rotates."""
        form = {k: v[-1] for k, v in parse_qs(request.body.decode("utf-8", "replace")).items()}
        if form.get("grant_type") != "refresh_token" or form.get("client_id") != CLIENT_ID:
            return Response(400, {"error": "invalid_request", "error_description": "Missing required parameter [grant_type]."
                                  if "grant_type" not in form else "Value passed for the client_id was invalid."})
        with self.lock:
            user = self._refresh_tokens.pop(form.get("refresh_token", ""), None)
            if user is None:
                return Response(400, {"error": "invalid_request",
                                      "error_description": "Value passed for the token was invalid."})
            access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            self._tokens[access] = (user, False)
            self._refresh_tokens[refresh] = user
        return Response(200, {"token_type": "bearer", "expires_in": 7200, "access_token": access,
                              "scope": "tweet.read tweet.write users.read offline.access", "refresh_token": refresh})

    # -- endpoints ---------------------------------------------------------------------------------
    def create_tweet(self, request: Request) -> Response:
        account = self._caller(request)
        body = request.json()
        text = body.get("text", "")
        media = list((body.get("media") or {}).get("media_ids") or [])
        if not isinstance(text, str) or (not text and not media):
            raise HttpError(400, "One or more parameters to your request was invalid: text is required.")
        if len(text) > MAX_CHARS:
            raise HttpError(403, "You are not permitted to perform this action: the Tweet text is too long.")
        unknown = [m for m in media if m not in self.media]
        if unknown:
            raise HttpError(400, f"One or more parameters to your request was invalid: unknown media {unknown}.")
        reply_to = (body.get("reply") or {}).get("in_reply_to_tweet_id")
        if reply_to is not None:
            self.find_post(reply_to)
        with self.lock:
            if any(p.text == text for p in self.live_posts(account.id)[:50]):
                raise HttpError(403, "You are not allowed to create a Tweet with duplicate content.")
            post = self.store(account, text, client="Kawal", reply_to=reply_to, media=media)
        self.after_store()
        return Response(201, {"data": {"id": post.id, "text": self._api_text(post.text),
                                       "edit_history_tweet_ids": [post.id]}})

    def delete_tweet(self, request: Request, tweet_id: str) -> Response:
        account = self._caller(request)
        post = self.find_post(tweet_id)
        if post.account_id != account.id:
            raise HttpError(403, "You are not allowed to delete this Tweet.")
        post.deleted = True
        return Response(200, {"data": {"deleted": True}})

    def users_me(self, request: Request) -> Response:
        account = self._caller(request)
        fields = _fields(request, "user.fields")
        user: dict[str, Any] = {"id": account.id, "name": account.display_name, "username": account.handle}
        if "description" in fields:
            user["description"] = account.bio
        if "profile_image_url" in fields and account.avatar_url:
            user["profile_image_url"] = account.avatar_url
        return Response(200, {"data": user})

    def user_tweets(self, request: Request, user_id: str) -> Response:
        self._caller(request)
        if user_id not in self.accounts:
            raise HttpError(404, f"Could not find user with id: [{user_id}].")
        if user_id in self.suspended:
            return Response(200, {"errors": [{"value": user_id, "detail": f"User has been suspended: [{user_id}].",
                                              "title": "Forbidden", "resource_type": "user", "parameter": "id",
                                              "resource_id": user_id,
                                              "type": "https://api.twitter.com/2/problems/resource-not-found"}]})
        size = request.int_arg("max_results", 10, 5, 100)
        posts = self._after_since(self.live_posts(user_id), request.arg("since_id"))
        return self._page(request, posts, size, request.arg("pagination_token"))

    def search_recent(self, request: Request) -> Response:
        self._caller(request)
        query = (request.arg("query") or "").strip()
        if not query:
            raise HttpError(400, "One or more parameters to your request was invalid: query is required.")
        size = request.int_arg("max_results", 10, 10, 100)
        week_ago = datetime.now(UTC) - timedelta(days=7)
        posts = [p for p in self.live_posts() if p.created_at >= week_ago and _matches(query, p.text)]
        posts = self._after_since(posts, request.arg("since_id"))
        return self._page(request, posts, size, request.arg("next_token") or request.arg("pagination_token"))

    def upload_media(self, request: Request) -> Response:
        self._caller(request)
        content = multipart_file(request, "media")
        media_id = self.new_id()
        self.media[media_id] = content
        return Response(200, {"data": {"id": media_id, "media_key": f"3_{media_id}", "size": len(content),
                                       "expires_after_secs": 86400}})

    # -- shapes ------------------------------------------------------------------------------------
    def _after_since(self, posts: list[StoredPost], since_id: str | None) -> list[StoredPost]:
        if since_id is None:
            return posts
        if not since_id.isdigit():
            raise HttpError(400, f"since_id must be a tweet id, got {since_id!r}")
        return [p for p in posts if int(p.id) > int(since_id)]

    def _page(self, request: Request, posts: list[StoredPost], size: int, token: str | None) -> Response:
        start = _decode_token(token) if token else 0
        page = posts[start:start + size]
        if not page:
            return Response(200, {"meta": {"result_count": 0}})
        meta: dict[str, Any] = {"result_count": len(page), "newest_id": page[0].id, "oldest_id": page[-1].id}
        if start + size < len(posts):
            meta["next_token"] = _encode_token(start + size)
        body: dict[str, Any] = {"data": [self._tweet(p, _fields(request, "tweet.fields")) for p in page],
                                "meta": meta}
        users = self._expanded_users(page, _fields(request, "expansions"))
        if users:
            body["includes"] = {"users": users}
        return Response(200, body)

    def _expanded_users(self, page: list[StoredPost], expansions: set[str]) -> list[dict[str, str]]:
        wanted: set[str] = set()
        if "author_id" in expansions:
            wanted |= {p.account_id for p in page}
        if "in_reply_to_user_id" in expansions:
            wanted |= {user for user in map(self._reply_user, page) if user is not None}
        return [{"id": a.id, "name": a.display_name, "username": a.handle}
                for a in (self.accounts[i] for i in sorted(wanted))]

    def _reply_user(self, post: StoredPost) -> str | None:
        if post.reply_to is None:
            return None
        parent = next((p for p in self.posts if p.id == post.reply_to), None)
        return parent.account_id if parent else None

    def _api_text(self, text: str) -> str:
        """Tweet text as X returns it: links as t.co links, and '&', '<', '>' HTML-escaped (X still does)."""
        for span in reversed([s for s in entities(text) if s.kind == "link"]):
            text = text[:span.start] + _tco(span.value) + text[span.end:]
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def _tweet(self, post: StoredPost, fields: set[str]) -> dict[str, Any]:
        source = self.posts_by_id().get(post.repost_of) if post.repost_of else None
        text = f"RT @{self.accounts[source.account_id].handle}: {source.text}" if source else post.text
        tweet: dict[str, Any] = {"id": post.id, "text": self._api_text(text), "edit_history_tweet_ids": [post.id]}
        optional = {
            "created_at": iso_millis(post.created_at), "author_id": post.account_id, "lang": post.lang or "und",
            "conversation_id": post.reply_to or post.id, "entities": self._entities(text),
            "referenced_tweets": self._references(post), "in_reply_to_user_id": self._reply_user(post),
            "source": post.client if self.report_source else None,
            "attachments": {"media_keys": [f"3_{m}" for m in post.media]} if post.media else None,
        }
        tweet.update({k: v for k, v in optional.items() if k in fields and v})
        return tweet

    def posts_by_id(self) -> dict[str, StoredPost]:
        with self.lock:
            return {p.id: p for p in self.posts}

    def _references(self, post: StoredPost) -> list[dict[str, str]]:
        refs = []
        if post.reply_to:
            refs.append({"type": "replied_to", "id": post.reply_to})
        if post.repost_of:
            refs.append({"type": "retweeted", "id": post.repost_of})
        return refs

    def _entities(self, text: str) -> dict[str, list[dict[str, Any]]]:
        found: dict[str, list[dict[str, Any]]] = {}
        shift = 0   # offsets refer to the returned text, where links are t.co links
        for span in entities(text):
            start = span.start + shift
            if span.kind == "link":
                short = _tco(span.value)
                shift += len(short) - (span.end - span.start)
                found.setdefault("urls", []).append({"start": start, "end": start + len(short), "url": short,
                                                     "expanded_url": span.value, "display_url": span.value.split("://", 1)[-1][:30]})
            elif span.kind == "mention":
                mentioned = next((a for a in self.accounts.values() if a.handle.lower() == span.value.lower()), None)
                entry: dict[str, Any] = {"start": start, "end": start + span.end - span.start, "username": span.value}
                if mentioned:
                    entry["id"] = mentioned.id
                found.setdefault("mentions", []).append(entry)
            else:
                found.setdefault("hashtags", []).append({"start": start, "end": start + span.end - span.start,
                                                         "tag": span.value})
        return found


def _fields(request: Request, name: str) -> set[str]:
    return {f.strip() for f in (request.arg(name) or "").split(",") if f.strip()}


def _matches(query: str, text: str) -> bool:
    """Every term of the query appears in the text (X's operators are not implemented)."""
    lowered = text.lower()
    return all(term.lower().strip('"') in lowered for term in query.split())


def _encode_token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def _decode_token(token: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        return int(raw.removeprefix("offset:"))
    except (ValueError, UnicodeDecodeError):
        raise HttpError(400, f"The `pagination_token` query parameter value [{token}] is not valid") from None


if __name__ == "__main__":
    run_from_command_line(LocalX, "A local server speaking the X API v2 subset Kawal uses.")
