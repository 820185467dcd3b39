"""Webhook intake for listening items, free of any web framework.

A sender (a media-monitoring service, a Zapier flow, an in-house scraper) POSTs JSON: one item, a list of
items, or ``{"items": [...]}``, each ``{id, text, title?, url?, published_at?, ...}`` as in
:mod:`kawal.sources.items`. The raw body is signed with a shared secret::

    X-Kawal-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes>

(the GitHub convention, so existing senders can be pointed at Kawal unchanged). Replays are harmless by
design: a replayed item has the same source and id, and the deduper counts it once.

A request is accepted whole or refused whole, with a status and a message naming every problem, so a
sender never has to guess which half of a batch landed. The Django app mounts :meth:`Intake.handle`
behind a URL; nothing here knows about Django. :func:`wsgi_app` serves it as a plain WSGI application
(``kawal listen intake`` runs that with waitress until the command center exists).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kawal.engine.records import Item
from kawal.sources.items import ItemError, Problem, item_from_mapping

SIGNATURE_HEADER = "x-kawal-signature"
MAX_BODY_BYTES = 1_000_000
MAX_ITEMS = 1_000


def sign(body: bytes, secret: bytes) -> str:
    """The signature header value a sender puts on ``body``."""
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


@dataclass(slots=True)
class IntakeResponse:
    """What to answer the sender: an HTTP status, a JSON body, and the accepted items (empty if refused)."""

    status: int
    message: str
    items: list[Item] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return self.status == 202

    def body(self) -> dict[str, Any]:
        data: dict[str, Any] = {"ok": self.accepted, "message": self.message}
        if self.accepted:
            data["accepted"] = len(self.items)
        if self.problems:
            data["problems"] = [str(problem) for problem in self.problems]
        return data


class Intake:
    """Validates signed webhook deliveries of items."""

    def __init__(self, secret: bytes | str, *, max_bytes: int = MAX_BODY_BYTES, max_items: int = MAX_ITEMS,
                 source: str = "webhook") -> None:
        secret = secret.encode("utf-8") if isinstance(secret, str) else secret
        if len(secret) < 16:
            raise ValueError("the webhook secret must be at least 16 bytes long")
        self._secret = secret
        self.max_bytes = max_bytes
        self.max_items = max_items
        self.source = source

    def handle(self, body: bytes, headers: Mapping[str, str]) -> IntakeResponse:
        """Check size, content type, signature and payload, in that order (cheap and safe checks first)."""
        headers = {key.lower(): value for key, value in headers.items()}
        refusal = self._check_envelope(body, headers)
        if refusal is not None:
            return refusal
        try:
            payload = json.loads(body.decode("utf-8"))
        except UnicodeDecodeError:
            return IntakeResponse(400, "the body is not valid UTF-8")
        except json.JSONDecodeError as exc:
            return IntakeResponse(400, f"the body is not valid JSON ({exc.msg} at line {exc.lineno} "
                                       f"column {exc.colno})")
        except RecursionError:
            return IntakeResponse(400, "the body is nested too deeply to be an item payload")
        return self._accept(payload)

    def _check_envelope(self, body: bytes, headers: dict[str, str]) -> IntakeResponse | None:
        declared = headers.get("content-length", "")
        if len(body) > self.max_bytes or (declared.isdigit() and int(declared) > self.max_bytes):
            return IntakeResponse(413, f"the body is larger than the limit of {self.max_bytes:,} bytes")
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type and content_type != "application/json":
            return IntakeResponse(415, f"content type must be application/json, got {content_type!r}")
        signature = headers.get(SIGNATURE_HEADER)
        if not signature:
            return IntakeResponse(401, "the X-Kawal-Signature header is missing")
        if not hmac.compare_digest(signature.strip().encode("utf-8"), sign(body, self._secret).encode("utf-8")):
            return IntakeResponse(401, "the X-Kawal-Signature does not match the body (wrong secret, or the "
                                       "body changed after signing)")
        if not body.strip():
            return IntakeResponse(400, "the body is empty")
        return None

    def _records(self, payload: Any) -> list[Any] | None:
        if isinstance(payload, list):
            return payload
        if isinstance(payload, dict) and "items" in payload and isinstance(payload["items"], list):
            return payload["items"]
        if isinstance(payload, dict) and "items" not in payload:
            return [payload]
        return None

    def _accept(self, payload: Any) -> IntakeResponse:
        records = self._records(payload)
        if records is None:
            return IntakeResponse(422, "expected an item object, a list of items, or {\"items\": [...]}")
        if not records:
            return IntakeResponse(422, "the payload holds no items")
        if len(records) > self.max_items:
            return IntakeResponse(413, f"{len(records):,} items in one request, more than the limit of "
                                       f"{self.max_items:,}")
        items, problems = [], []
        for number, record in enumerate(records, start=1):
            try:
                items.append(item_from_mapping(record, default_source=self.source))
            except ItemError as exc:
                problems.append(Problem(f"item {number}", str(exc)))
        if problems:
            return IntakeResponse(422, f"{len(problems)} of {len(records)} items are invalid; none were "
                                       "accepted", problems=problems)
        return IntakeResponse(202, f"accepted {len(items)} item(s)", items=items)


STATUS_TEXT = {202: "Accepted", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found",
               405: "Method Not Allowed", 411: "Length Required", 413: "Content Too Large",
               415: "Unsupported Media Type", 422: "Unprocessable Content", 500: "Internal Server Error"}


def _wsgi_headers(environ: Mapping[str, Any]) -> dict[str, str]:
    headers = {key[5:].replace("_", "-").lower(): str(value) for key, value in environ.items()
               if key.startswith("HTTP_")}
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            headers[key.replace("_", "-").lower()] = str(environ[key])
    return headers


def _read_body(environ: Mapping[str, Any], limit: int) -> bytes | IntakeResponse:
    length = str(environ.get("CONTENT_LENGTH") or "")
    if not length.isdigit():
        return IntakeResponse(411, "a Content-Length header is required")
    if int(length) > limit:
        return IntakeResponse(413, f"the body is larger than the limit of {limit:,} bytes")
    return environ["wsgi.input"].read(int(length))  # never more than the declared, bounded length


def wsgi_app(intake: Intake, on_items: Callable[[list[Item]], None], path: str = "/") -> Callable[..., Iterable[bytes]]:
    """A WSGI application: POST ``path`` with a signed payload; accepted items go to ``on_items``."""
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "/") != path:
            response = IntakeResponse(404, f"nothing here; POST items to {path}")
        elif environ.get("REQUEST_METHOD") != "POST":
            response = IntakeResponse(405, "use POST")
        else:
            body = _read_body(environ, intake.max_bytes)
            response = body if isinstance(body, IntakeResponse) else intake.handle(body, _wsgi_headers(environ))
        if response.accepted:
            on_items(response.items)
        payload = json.dumps(response.body(), ensure_ascii=False).encode("utf-8")
        start_response(f"{response.status} {STATUS_TEXT.get(response.status, '')}".strip(),
                       [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
        return [payload]
    return app
