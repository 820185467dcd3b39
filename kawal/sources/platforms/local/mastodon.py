"""A local server speaking the part of the Mastodon REST API that Kawal uses.

Endpoints: ``POST /api/v1/statuses`` (form or JSON, honouring ``Idempotency-Key`` for an hour as Mastodon
does), ``DELETE /api/v1/statuses/:id``, ``GET /api/v1/accounts/verify_credentials``,
``GET /api/v1/accounts/:id/statuses`` (``limit`` up to 40, ``max_id``/``since_id``/``min_id`` and a
``Link`` header), ``GET /api/v2/search?type=statuses``, ``POST /api/v2/media``. Status ``content`` is HTML
rendered the way Mastodon renders it (paragraphs, ``<br />``, links with invisible spans, h-card mentions,
hashtag links); ``application.name`` is the posting app. Errors are ``{"error": ...}``; rate limits send
``X-RateLimit-Limit``, ``-Remaining`` and ``-Reset`` (an ISO-8601 time).

Run it: ``python -m kawal.sources.platforms.local.mastodon --port 8402 --account kawal_demo:SECRET``.
"""

from __future__ import annotations

import html
import re
import time
from datetime import UTC, datetime
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

MAX_CHARS = 500
IDEMPOTENCY_SECONDS = 3600
FIRST_ID = 113_000_000_000_000_000


class LocalMastodon(LocalServer):
    name = "mastodon"
    default_client = "Web"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._next_id = FIRST_ID
        self._idempotency: dict[tuple[str, str], tuple[str, float]] = {}

    def routes(self) -> list[Route]:
        return [
            ("POST", re.compile(r"/api/v1/statuses"), self.create_status),
            ("DELETE", re.compile(r"/api/v1/statuses/(?P<status_id>\d+)"), self.delete_status),
            ("GET", re.compile(r"/api/v1/accounts/verify_credentials"), self.verify_credentials),
            ("GET", re.compile(r"/api/v1/accounts/(?P<account_id>\d+)/statuses"), self.account_statuses),
            ("GET", re.compile(r"/api/v2/search"), self.search),
            ("POST", re.compile(r"/api/v2/media"), self.upload_media),
        ]

    def error_body(self, error: HttpError) -> Any:
        messages = {401: "The access token is invalid", 429: "Too many requests"}
        return {"error": messages.get(error.status, error.message)}

    def rate_limit_headers(self, limit: int, remaining: int, reset: float) -> dict[str, str]:
        return {"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(remaining),
                "X-RateLimit-Reset": iso_millis(datetime.fromtimestamp(reset + 1, UTC))}

    def new_id(self) -> str:
        with self.lock:
            self._next_id += 65536 + (self._next_id % 11)   # snowflake-like: time in the high bits
            return str(self._next_id)

    def _caller(self, request: Request) -> Account:
        account = self.account_by_secret(request.bearer())
        if account is None:
            raise HttpError(401, "The access token is invalid")
        return account

    # -- endpoints ---------------------------------------------------------------------------------
    def create_status(self, request: Request) -> Response:
        account = self._caller(request)
        params = _params(request)
        text = _one(params, "status") or ""
        media = params.get("media_ids[]", []) + params.get("media_ids", [])
        key = request.headers.get("idempotency-key")
        with self.lock:
            earlier = self._remembered(account, key)
            if earlier is not None:
                return Response(200, self.status_json(earlier, _origin(request)))
            self._validate(text, media, _one(params, "in_reply_to_id"))
            post = self.store(account, text, client="Kawal", reply_to=_one(params, "in_reply_to_id"),
                              lang=_one(params, "language"), media=media, idempotency_key=key)
            if key:
                self._idempotency[(account.id, key)] = (post.id, time.time())
        self.after_store()
        return Response(200, self.status_json(post, _origin(request)))

    def _remembered(self, account: Account, key: str | None) -> StoredPost | None:
        entry = self._idempotency.get((account.id, key)) if key else None
        if entry is None or time.time() - entry[1] > IDEMPOTENCY_SECONDS:
            return None
        return next((p for p in self.posts if p.id == entry[0]), None)

    def _validate(self, text: str, media: list[str], reply_to: str | None) -> None:
        if not text.strip() and not media:
            raise HttpError(422, "Validation failed: Text can't be blank")
        if len(text) > MAX_CHARS:
            raise HttpError(422, f"Validation failed: Text character limit of {MAX_CHARS} exceeded")
        if any(m not in self.media for m in media):
            raise HttpError(422, "Validation failed: unknown media attachment")
        if reply_to is not None:
            self.find_post(reply_to)

    def delete_status(self, request: Request, status_id: str) -> Response:
        account = self._caller(request)
        post = self.find_post(status_id)
        if post.account_id != account.id:
            raise HttpError(403, "This action is not allowed")
        post.deleted = True
        return Response(200, {**self.status_json(post, _origin(request)), "text": post.text})

    def verify_credentials(self, request: Request) -> Response:
        account = self._caller(request)
        return Response(200, {**self.account_json(account, _origin(request)),
                              "source": {"note": account.bio, "privacy": "public", "sensitive": False,
                                         "language": None, "fields": []}})

    def account_statuses(self, request: Request, account_id: str) -> Response:
        self._caller(request)
        if account_id not in self.accounts:
            raise HttpError(404, "Record not found")
        posts = self.live_posts(account_id)
        if request.arg("exclude_reblogs") == "true":
            posts = [p for p in posts if not p.repost_of]
        return self._page(request, posts, f"/api/v1/accounts/{account_id}/statuses")

    def search(self, request: Request) -> Response:
        self._caller(request)
        query = (request.arg("q") or "").strip()
        if not query:
            raise HttpError(400, "Search query is missing")
        if request.arg("type") not in (None, "statuses"):
            return Response(200, {"accounts": [], "statuses": [], "hashtags": []})
        words = query.lower().split()
        posts = [p for p in self.live_posts() if all(w in p.text.lower() for w in words)]
        page = self._page(request, posts, "/api/v2/search")
        return Response(200, {"accounts": [], "statuses": page.body, "hashtags": []}, page.headers)

    def upload_media(self, request: Request) -> Response:
        self._caller(request)
        content = multipart_file(request, "file")
        media_id = self.new_id()
        self.media[media_id] = content
        return Response(200, {"id": media_id, "type": "image", "url": f"{_origin(request)}/media/{media_id}",
                              "preview_url": None, "description": None})

    # -- pagination --------------------------------------------------------------------------------
    def _page(self, request: Request, posts: list[StoredPost], path: str) -> Response:
        limit = request.int_arg("limit", 20, 1, 40)
        max_id, since_id, min_id = (_int_arg(request, n) for n in ("max_id", "since_id", "min_id"))
        chosen = [p for p in posts if (max_id is None or int(p.id) < max_id)
                  and (since_id is None or int(p.id) > since_id) and (min_id is None or int(p.id) > min_id)]
        # min_id asks for the posts right after it (the oldest of the newer ones); others the newest.
        page = chosen[-limit:] if min_id is not None else chosen[:limit]
        origin = _origin(request)
        body = [self.status_json(p, origin) for p in page]
        if not page:
            return Response(200, body)
        extra = "".join(f"&{k}={v}" for k, v in request.query.items() if k in ("q", "type") for v in v)
        links = [f'<{origin}{path}?limit={limit}{extra}&max_id={page[-1].id}>; rel="next"',
                 f'<{origin}{path}?limit={limit}{extra}&min_id={page[0].id}>; rel="prev"']
        return Response(200, body, {"Link": ", ".join(links)})

    # -- shapes ------------------------------------------------------------------------------------
    def account_json(self, account: Account, origin: str) -> dict[str, Any]:
        return {"id": account.id, "username": account.handle, "acct": account.handle,
                "display_name": account.display_name, "note": _paragraphs(account.bio, origin),
                "url": f"{origin}/@{account.handle}", "avatar": account.avatar_url or f"{origin}/avatars/original/missing.png",
                "avatar_static": account.avatar_url or f"{origin}/avatars/original/missing.png",
                "locked": False, "bot": False, "created_at": "2024-01-01T00:00:00.000Z",
                "followers_count": 0, "following_count": 0, "statuses_count": sum(1 for p in self.posts if p.account_id == account.id and not p.deleted)}

    def status_json(self, post: StoredPost, origin: str) -> dict[str, Any]:
        account = self.accounts[post.account_id]
        reblogged = next((p for p in self.posts if p.id == post.repost_of), None) if post.repost_of else None
        shown = reblogged or post
        parent = next((p for p in self.posts if p.id == shown.reply_to), None) if shown.reply_to else None
        status = {
            "id": post.id, "created_at": iso_millis(post.created_at), "in_reply_to_id": shown.reply_to,
            "in_reply_to_account_id": parent.account_id if parent else None, "sensitive": False,
            "spoiler_text": "", "visibility": "public", "language": shown.lang,
            "uri": f"{origin}/users/{account.handle}/statuses/{post.id}",
            "url": f"{origin}/@{account.handle}/{post.id}",
            "content": "" if reblogged else _paragraphs(post.text, origin),
            "reblog": self.status_json(reblogged, origin) if reblogged else None,
            "application": {"name": post.client, "website": None} if post.client and not reblogged else None,
            "account": self.account_json(account, origin),
            "media_attachments": [{"id": m, "type": "image", "url": f"{origin}/media/{m}"} for m in shown.media],
            "mentions": self._mentions(shown.text, origin), "tags": _tags(shown.text, origin),
            "emojis": [], "card": None, "poll": None,
        }
        return status

    def _mentions(self, text: str, origin: str) -> list[dict[str, str]]:
        found = []
        for span in entities(text):
            if span.kind == "mention":
                account = next((a for a in self.accounts.values() if a.handle.lower() == span.value.lower()), None)
                found.append({"id": account.id if account else "0", "username": span.value, "acct": span.value,
                              "url": f"{origin}/@{span.value}"})
        return found


def _tags(text: str, origin: str) -> list[dict[str, str]]:
    return [{"name": s.value.lower(), "url": f"{origin}/tags/{s.value.lower()}"}
            for s in entities(text) if s.kind == "tag"]


def _paragraphs(text: str, origin: str) -> str:
    """Plain text as Mastodon's HTML: <p> per paragraph, <br /> per line, linkified entities."""
    if not text:
        return ""
    paragraphs = re.split(r"\n{2,}", text.strip())
    return "".join(f"<p>{_linkify(p, origin).replace(chr(10), '<br />')}</p>" for p in paragraphs)


def _linkify(text: str, origin: str) -> str:
    out, last = [], 0
    for span in entities(text):
        out.append(html.escape(text[last:span.start], quote=False))
        value = html.escape(span.value)
        if span.kind == "link":
            scheme, _, rest = span.value.partition("://")
            shown, hidden = html.escape(rest[:30]), html.escape(rest[30:])
            ellipsis = ' class="ellipsis"' if hidden else ' class=""'
            out.append(f'<a href="{value}" target="_blank" rel="nofollow noopener" translate="no">'
                       f'<span class="invisible">{scheme}://</span><span{ellipsis}>{shown}</span>'
                       f'<span class="invisible">{hidden}</span></a>')
        elif span.kind == "mention":
            out.append(f'<span class="h-card" translate="no"><a href="{origin}/@{value}" class="u-url mention">'
                       f'@<span>{value}</span></a></span>')
        else:
            out.append(f'<a href="{origin}/tags/{value.lower()}" class="mention hashtag" rel="tag">#<span>{value}</span></a>')
        last = span.end
    out.append(html.escape(text[last:], quote=False))
    return "".join(out)


def _origin(request: Request) -> str:
    return f"http://{request.headers.get('host', 'localhost')}"


def _params(request: Request) -> dict[str, list[str]]:
    """Form fields of a form-encoded or JSON body (Mastodon accepts both)."""
    if request.headers.get("content-type", "").startswith("application/json"):
        body = request.json()
        return {k: v if isinstance(v, list) else [v] for k, v in body.items() if v is not None}
    try:
        return parse_qs(request.body.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        raise HttpError(400, "request body is not UTF-8") from None


def _one(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    return str(values[-1]) if values else None


def _int_arg(request: Request, name: str) -> int | None:
    raw = request.arg(name)
    if raw is None or raw == "":
        return None
    if not raw.isdigit():
        raise HttpError(422, f"{name} must be a status id")
    return int(raw)


if __name__ == "__main__":
    run_from_command_line(LocalMastodon, "A local server speaking the Mastodon API subset Kawal uses.")
