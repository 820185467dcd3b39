"""What every transport shares: the message, the error, and the one HTTP choke point."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

TIMEOUT = httpx.Timeout(10.0, connect=5.0)


class TransportError(Exception):
    """A delivery failed. ``permanent`` means retrying cannot help (bad address, revoked token)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True, slots=True)
class Message:
    """One notification: the same words a CLI user reads, plus a link back to Kawal."""

    subject: str
    text: str
    severity: str = "info"
    url: str | None = None
    event: str = "incident"
    payload: dict[str, Any] = field(default_factory=dict)

    def plain(self) -> str:
        link = f"\n\n{self.url}" if self.url else ""
        return f"[{self.severity.upper()}] {self.subject}\n\n{self.text}{link}"


class Transport:
    """Base class: subclasses validate their config in ``__init__`` and implement ``notify``."""

    required: tuple[str, ...] = ()

    def __init__(self, config: dict[str, Any]) -> None:
        missing = [key for key in self.required if not str(config.get(key) or "").strip()]
        if missing:
            raise ValueError(f"{type(self).__module__.rsplit('.', 1)[-1]} channel needs {', '.join(missing)}")
        self.config = config

    def notify(self, message: Message) -> None:
        raise NotImplementedError


_shared: httpx.Client | None = None


def _client() -> httpx.Client:
    """One client per process: building an SSL context costs ~80 ms, too much to pay per notification."""
    global _shared
    if _shared is None:
        _shared = httpx.Client(timeout=TIMEOUT)
    return _shared


def post_json(url: str, body: dict[str, Any], *, headers: dict[str, str] | None = None,
              content: bytes | None = None, label: str | None = None) -> httpx.Response:
    """POST and turn every failure into a TransportError. Errors name ``label`` (default: the URL), so a
    transport whose URL holds a secret passes a label without it."""
    safe_url = label or url
    try:
        response = _client().post(url, json=None if content else body, content=content, headers=headers)
    except httpx.TimeoutException:
        raise TransportError(f"timed out posting to {safe_url}") from None
    except httpx.HTTPError as exc:
        raise TransportError(f"could not reach {safe_url}: {type(exc).__name__}") from None
    if response.status_code >= 400:
        permanent = response.status_code in (400, 401, 403, 404, 410)
        raise TransportError(f"{safe_url} answered HTTP {response.status_code}: {response.text[:200]}",
                             permanent=permanent)
    return response
