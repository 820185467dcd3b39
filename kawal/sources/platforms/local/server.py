"""What every local platform server shares: the HTTP plumbing, state, auth, rate limits and faults.

A :class:`LocalServer` is a ``ThreadingHTTPServer`` running in a daemon thread. It keeps accounts and
posts in memory and dispatches requests to the platform module's routes. Tests and demos steer it
from Python (``fail_next``, ``hang_after_next_store``, ``set_rate_limit``, ``post_direct``,
``set_profile``) or over HTTP under ``/_local/`` (the same operations, for browser tests and demos
that run the server as a separate process). Nothing under ``/_local/`` exists on a real platform.
"""

from __future__ import annotations

import argparse
import json
import re
import secrets
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


class HttpError(Exception):
    """Raised by a route to answer with an error status in the platform's own error shape."""

    def __init__(self, status: int, message: str, *, code: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = headers or {}


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]          # lower-cased names
    body: bytes

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else default

    def int_arg(self, name: str, default: int, low: int, high: int) -> int:
        raw = self.arg(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise HttpError(400, f"{name} must be an integer, got {raw!r}") from None
        if not low <= value <= high:
            raise HttpError(400, f"{name} must be between {low} and {high}, got {value}")
        return value

    def json(self) -> Any:
        try:
            return json.loads(self.body or b"{}")
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise HttpError(400, "request body is not valid JSON") from None

    def bearer(self) -> str | None:
        value = self.headers.get("authorization", "")
        return value[7:] if value.lower().startswith("bearer ") else None


@dataclass
class Response:
    status: int = 200
    body: Any = None                 # JSON-serialisable, or bytes sent as they are
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=utf-8"

    def encoded(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if self.body is None:
            return b""
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")


@dataclass
class Account:
    id: str
    handle: str
    display_name: str = ""
    bio: str = ""
    avatar_url: str | None = None
    secret: str = ""                 # bearer token (X, Mastodon) or app password (Bluesky)


@dataclass
class StoredPost:
    id: str
    account_id: str
    text: str
    created_at: datetime
    client: str | None = None
    reply_to: str | None = None
    lang: str | None = None
    media: list[str] = field(default_factory=list)
    idempotency_key: str | None = None
    repost_of: str | None = None
    deleted: bool = False


Route = tuple[str, re.Pattern[str], Callable[..., Response]]


def iso_millis(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class LocalServer:
    """Base of the local X, Mastodon and Bluesky servers; subclasses add routes and JSON shapes."""

    name = "local"
    default_client = "Web"

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, rate_limit: int | None = None,
                 rate_window: float = 900.0) -> None:
        self.host = host
        self.port = port
        self.lock = threading.RLock()
        self.accounts: dict[str, Account] = {}
        self.posts: list[StoredPost] = []
        self.media: dict[str, bytes] = {}
        self._faults: deque[tuple[str, float]] = deque()
        self._hang_after_store = 0.0
        self.set_rate_limit(rate_limit, rate_window)
        self._next_id = 1
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.requests: list[tuple[str, str]] = []   # (method, path) of every platform request, for tests

    # -- lifecycle ---------------------------------------------------------------------------------
    def start(self) -> LocalServer:
        handler = _handler_for(self)
        self._httpd = ThreadingHTTPServer((self.host, self.port), handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False   # a hanging fault must not block stop()
        self.port = self._httpd.server_address[1]
        httpd = self._httpd
        self._thread = threading.Thread(target=lambda: httpd.serve_forever(poll_interval=0.05),
                                        name=f"local-{self.name}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> LocalServer:
        return self.start() if self._httpd is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # -- what subclasses provide -------------------------------------------------------------------
    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        """Command-line options of this platform's server, beyond host, port, accounts and rate limit."""

    @classmethod
    def options_from(cls, args: argparse.Namespace) -> dict[str, Any]:
        return {}

    def routes(self) -> list[Route]:
        raise NotImplementedError

    def error_body(self, error: HttpError) -> Any:
        return {"error": error.message}

    def rate_limit_headers(self, limit: int, remaining: int, reset: float) -> dict[str, str]:
        return {}

    def credentials(self, account: Account) -> dict[str, str]:
        return {"access_token": account.secret}

    def new_id(self) -> str:
        with self.lock:
            self._next_id += 1
            return str(self._next_id)

    # -- state helpers for routes and tests --------------------------------------------------------
    def add_account(self, handle: str, *, display_name: str = "", bio: str = "",
                    avatar_url: str | None = None, secret: str | None = None) -> dict[str, str]:
        """Create an account; return the credentials a connector needs for it."""
        with self.lock:
            account = Account(self.new_account_id(handle), handle, display_name or handle, bio, avatar_url,
                              secret or secrets.token_urlsafe(24))
            self.accounts[account.id] = account
            return self.credentials(account)

    def new_account_id(self, handle: str) -> str:
        return self.new_id()

    def account_by_handle(self, handle: str) -> Account:
        handle = handle.lstrip("@").lower()
        for account in self.accounts.values():
            if account.handle.lower() == handle:
                return account
        raise HttpError(404, f"no account {handle!r}")

    def account_by_secret(self, secret: str | None) -> Account | None:
        if not secret:
            return None
        for account in self.accounts.values():
            if secrets.compare_digest(account.secret, secret):
                return account
        return None

    def store(self, account: Account, text: str, *, client: str | None, reply_to: str | None = None,
              lang: str | None = None, media: list[str] | None = None, idempotency_key: str | None = None,
              repost_of: str | None = None, created_at: datetime | None = None) -> StoredPost:
        with self.lock:
            post = StoredPost(self.new_post_id(account), account.id, text, created_at or datetime.now(UTC),
                              client, reply_to, lang, media or [], idempotency_key, repost_of)
            self.posts.append(post)
            return post

    def new_post_id(self, account: Account) -> str:
        return self.new_id()

    def find_post(self, post_id: str) -> StoredPost:
        with self.lock:
            for post in self.posts:
                if post.id == post_id and not post.deleted:
                    return post
        raise HttpError(404, "Record not found")

    def live_posts(self, account_id: str | None = None) -> list[StoredPost]:
        """Posts not deleted, newest first (ties broken by creation order)."""
        with self.lock:
            order = {id(post): n for n, post in enumerate(self.posts)}
            found = [p for p in self.posts if not p.deleted and (account_id is None or p.account_id == account_id)]
        return sorted(found, key=lambda p: (p.created_at, order[id(p)]), reverse=True)

    def after_store(self) -> None:
        """Called by publish routes once the post is stored: a hang fault sleeps here, before answering."""
        with self.lock:
            seconds, self._hang_after_store = self._hang_after_store, 0.0
        if seconds:
            time.sleep(seconds)

    # -- test controls -----------------------------------------------------------------------------
    def fail_next(self, status: int = 500, count: int = 1) -> None:
        """The next ``count`` platform requests fail with ``status``."""
        with self.lock:
            self._faults.extend([("status", float(status))] * count)

    def invalid_json_next(self) -> None:
        """The next platform request answers 200 with an HTML page instead of JSON."""
        with self.lock:
            self._faults.append(("invalid_json", 0.0))

    def delay_next(self, seconds: float) -> None:
        """The next platform request waits ``seconds`` before it is handled (a client timeout test)."""
        with self.lock:
            self._faults.append(("delay", seconds))

    def hang_after_next_store(self, seconds: float) -> None:
        """The next publish stores the post, then waits ``seconds`` before answering (a crash test)."""
        with self.lock:
            self._hang_after_store = seconds

    def set_rate_limit(self, limit: int | None, window: float = 900.0) -> None:
        """At most ``limit`` platform requests per ``window`` seconds (None: unlimited)."""
        with self.lock:
            self.rate_limit, self.rate_window = limit, window
            self._window_start, self._window_count = time.time(), 0

    def post_direct(self, handle: str, text: str, *, client: str = "Web", reply_to: str | None = None,
                    lang: str | None = None, repost_of: str | None = None,
                    created_at: datetime | None = None) -> StoredPost:
        """A post made on the platform itself, outside Kawal (as the reconciliation tests need)."""
        return self.store(self.account_by_handle(handle), text, client=client, reply_to=reply_to, lang=lang,
                          repost_of=repost_of, created_at=created_at)

    def set_profile(self, handle: str, *, display_name: str | None = None, bio: str | None = None,
                    avatar_url: str | None = None) -> Account:
        with self.lock:
            account = self.account_by_handle(handle)
            if display_name is not None:
                account.display_name = display_name
            if bio is not None:
                account.bio = bio
            if avatar_url is not None:
                account.avatar_url = avatar_url or None
            return account

    # -- dispatch ----------------------------------------------------------------------------------
    def dispatch(self, request: Request) -> Response:
        if request.path.startswith("/_local/"):
            return self._control(request)
        with self.lock:
            self.requests.append((request.method, request.path))
        try:
            fault = self._take_fault()
            if fault is not None:
                return fault
            limit_headers = self._count_request()
            response = self._route(request)
            response.headers = {**limit_headers, **response.headers}
            return response
        except HttpError as error:
            return Response(error.status, self.error_body(error), error.headers)

    def _take_fault(self) -> Response | None:
        with self.lock:
            if not self._faults:
                return None
            kind, value = self._faults.popleft()
        if kind == "status":
            return Response(int(value), self.error_body(HttpError(int(value), "Injected failure")))
        if kind == "invalid_json":
            return Response(200, b"<html><body>Bad gateway</body></html>", content_type="text/html")
        time.sleep(value)
        return None

    def _count_request(self) -> dict[str, str]:
        with self.lock:
            if self.rate_limit is None:
                return {}
            now = time.time()
            if now - self._window_start >= self.rate_window:
                self._window_start, self._window_count = now, 0
            reset = self._window_start + self.rate_window
            if self._window_count >= self.rate_limit:
                headers = self.rate_limit_headers(self.rate_limit, 0, reset)
                raise HttpError(429, "Too Many Requests", code="RateLimitExceeded", headers=headers)
            self._window_count += 1
            return self.rate_limit_headers(self.rate_limit, self.rate_limit - self._window_count, reset)

    def _route(self, request: Request) -> Response:
        allowed = False
        for method, pattern, handler in self.routes():
            match = pattern.fullmatch(request.path)
            if match is None:
                continue
            if method != request.method:
                allowed = True
                continue
            return handler(request, **match.groupdict())
        if allowed:
            raise HttpError(405, f"{request.method} is not allowed on {request.path}")
        raise HttpError(404, f"no endpoint {request.path}")

    # -- /_local/ control endpoints ----------------------------------------------------------------
    def _control(self, request: Request) -> Response:
        try:
            body = request.json() if request.method == "POST" else {}
            action = request.path.removeprefix("/_local/")
            return Response(200, self._control_action(action, request, body))
        except HttpError as error:
            return Response(error.status, {"error": error.message})
        except (KeyError, TypeError, ValueError) as error:
            return Response(400, {"error": f"bad control request: {error}"})

    def _control_action(self, action: str, request: Request, body: dict[str, Any]) -> Any:
        if action == "accounts" and request.method == "POST":
            credentials = self.add_account(body["handle"], display_name=body.get("display_name", ""),
                                           bio=body.get("bio", ""), avatar_url=body.get("avatar_url"),
                                           secret=body.get("secret"))
            return {"handle": body["handle"], "credentials": credentials}
        if action == "posts" and request.method == "POST":
            post = self.post_direct(body["handle"], body.get("text", ""), client=body.get("client", self.default_client),
                                    reply_to=body.get("reply_to"), lang=body.get("lang"), repost_of=body.get("repost_of"))
            return {"id": post.id}
        if action == "posts":
            return [self._describe(post) for post in self.live_posts()]
        if action == "profile" and request.method == "POST":
            self.set_profile(body["handle"], display_name=body.get("display_name"), bio=body.get("bio"),
                             avatar_url=body.get("avatar_url"))
            return {"ok": True}
        if action == "faults" and request.method == "POST":
            return self._control_fault(body)
        if action == "rate_limit" and request.method == "POST":
            self.set_rate_limit(body.get("limit"), float(body.get("window", 900)))
            return {"ok": True}
        raise HttpError(404, f"no control endpoint {request.method} /_local/{action}")

    def _control_fault(self, body: dict[str, Any]) -> dict[str, bool]:
        kind = body["kind"]
        if kind == "status":
            self.fail_next(int(body.get("status", 500)), int(body.get("count", 1)))
        elif kind == "invalid_json":
            self.invalid_json_next()
        elif kind == "delay":
            self.delay_next(float(body["seconds"]))
        elif kind == "hang_after_store":
            self.hang_after_next_store(float(body["seconds"]))
        else:
            raise ValueError(f"unknown fault kind {kind!r} (status, invalid_json, delay, hang_after_store)")
        return {"ok": True}

    def _describe(self, post: StoredPost) -> dict[str, Any]:
        return {"id": post.id, "handle": self.accounts[post.account_id].handle, "text": post.text,
                "client": post.client, "created_at": iso_millis(post.created_at), "reply_to": post.reply_to}


def multipart_file(request: Request, part: str) -> bytes:
    """The bytes of the file part named ``part`` of a multipart/form-data body."""
    content_type = request.headers.get("content-type", "")
    boundary = content_type.partition("boundary=")[2].strip('"')
    if not boundary:
        raise HttpError(400, f"media upload must be multipart/form-data with a '{part}' part")
    for chunk in request.body.split(b"--" + boundary.encode()):
        head, _, data = chunk.partition(b"\r\n\r\n")
        if f'name="{part}"'.encode() in head:
            return data.removesuffix(b"\r\n")
    raise HttpError(400, f"media upload has no '{part}' part")


def _handler_for(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # headers and body go out in two writes; without this, Nagle + delayed ACK add 40 ms each
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def _handle(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            request = Request(self.command, parts.path, parse_qs(parts.query, keep_blank_values=True),
                              {k.lower(): v for k, v in self.headers.items()}, body)
            try:
                response = server.dispatch(request)
            except Exception as exc:  # a bug in a route must still answer, as a real 500 would
                response = Response(500, {"error": f"internal error: {type(exc).__name__}"})
            payload = response.encoded()
            try:
                self.send_response(response.status)
                self.send_header("Content-Type", response.content_type)
                self.send_header("Content-Length", str(len(payload)))
                for name, value in response.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True   # the client gave up waiting (a timeout test): nothing to answer

        do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = _handle

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
            pass  # requests carry bearer tokens in headers only, but stay quiet: tests read their own logs

    return Handler


def run_from_command_line(server_class: type[LocalServer], description: str, argv: list[str] | None = None) -> None:
    """``python -m kawal.sources.platforms.local.<name> --port N --account HANDLE[:SECRET]``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--account", action="append", default=[], metavar="HANDLE[:SECRET]",
                        help="an account to create (repeatable); SECRET is the token or app password")
    parser.add_argument("--rate-limit", type=int, default=None, help="requests allowed per window")
    parser.add_argument("--rate-window", type=float, default=900.0, help="window in seconds")
    server_class.add_arguments(parser)
    args = parser.parse_args(argv)
    server = server_class(host=args.host, port=args.port, rate_limit=args.rate_limit, rate_window=args.rate_window,
                          **server_class.options_from(args))
    accounts = []
    for spec in args.account or ["kawal_demo"]:
        handle, _, secret = spec.partition(":")
        accounts.append({"handle": handle, "credentials": server.add_account(handle, secret=secret or None)})
    server.start()
    print(json.dumps({"platform": server.name, "url": server.url, "accounts": accounts}), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()
