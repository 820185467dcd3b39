"""The one HTTP choke point of the platform connectors.

Every request to X, Mastodon or Bluesky goes through :class:`HttpApi`, so that timeouts, rate limits,
error classification and secret hygiene are the same everywhere:

- 401 and 403 are permanent (a retry with the same token cannot succeed); other 4xx are permanent too;
- 429 is transient, with ``retry_after`` taken from the platform's own rate-limit reset header;
- 5xx, timeouts and connection failures are transient;
- a body that is not JSON where JSON was promised is a clear, transient error.

Tokens travel only in the ``Authorization`` header. Messages are built from the method, the path and
the platform's own error text, and any known secret is replaced by ``[redacted]`` before an exception
or a log record is made, in case a platform echoes one back.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from kawal.sources.platforms.base import PlatformError

log = logging.getLogger("kawal.sources.platforms")

DEFAULT_TIMEOUT = 15.0
USER_AGENT = "Kawal/0.1 (+https://github.com/kawal)"

ResetParser = Callable[[httpx.Headers], float | None]


def seconds_until_epoch(value: str | None) -> float | None:
    """Seconds from now until a Unix-time header value (X ``x-rate-limit-reset``, Bluesky ``ratelimit-reset``)."""
    if not value:
        return None
    try:
        return max(0.0, float(value) - time.time())
    except ValueError:
        return None


def seconds_until_iso(value: str | None) -> float | None:
    """Seconds from now until an ISO-8601 header value (Mastodon ``X-RateLimit-Reset``)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())


def retry_after_header(headers: httpx.Headers) -> float | None:
    """The standard ``Retry-After`` header in seconds (the HTTP-date form is rare from these APIs)."""
    value = headers.get("retry-after")
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


class HttpApi:
    """An httpx client bound to one platform's base URL, with Kawal's error and secret handling."""

    def __init__(self, platform: str, base_url: str, *, reset_parser: ResetParser,
                 error_text: Callable[[Any], str | None], timeout: float = DEFAULT_TIMEOUT,
                 transport: httpx.BaseTransport | None = None,
                 error_code: Callable[[Any], str | None] | None = None) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise PlatformError(f"{platform}: base URL must start with http:// or https://, got {base_url!r}",
                                permanent=True)
        self.platform = platform
        self.reset_parser = reset_parser
        self.error_text = error_text
        self.error_code = error_code or (lambda body: None)
        self._secrets: set[str] = set()
        self.client = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout, transport=transport,
                                   headers={"User-Agent": USER_AGENT}, follow_redirects=False)

    def add_secrets(self, secrets: Iterable[str | None]) -> None:
        """Register values that must never appear in an error message or a log record."""
        self._secrets.update(s for s in secrets if s and len(s) >= 4)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
        return text

    def close(self) -> None:
        self.client.close()

    def request(self, method: str, path: str, *, token: str | None = None,
                params: Mapping[str, Any] | None = None, json_body: Any = None,
                data: Mapping[str, Any] | None = None, files: Any = None, content: bytes | None = None,
                headers: Mapping[str, str] | None = None) -> httpx.Response:
        """Send one request; return the response when it is a success, raise PlatformError otherwise."""
        if token:
            self.add_secrets([token])
        all_headers = dict(headers or {})
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        what = f"{method} {path}"
        started = time.monotonic()
        try:
            response = self.client.request(method, path, params=_clean(params), json=json_body, data=data,
                                           files=files, content=content, headers=all_headers)
        except httpx.TimeoutException:
            raise self._error(f"{what} timed out after {self.client.timeout.read:g}s", permanent=False) from None
        except httpx.TransportError as exc:
            raise self._error(f"{what} failed: {type(exc).__name__}: {exc}", permanent=False) from None
        log.debug("%s %s -> %s in %.0f ms", self.platform, what, response.status_code,
                  (time.monotonic() - started) * 1000)
        if response.is_success:
            return response
        raise self._status_error(what, response)

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        """Like :meth:`request`, and decode the JSON body (an empty body decodes to ``{}``)."""
        response = self.request(method, path, **kwargs)
        return self.decode(response, f"{method} {path}")

    def decode(self, response: httpx.Response, what: str) -> Any:
        if not response.content.strip():
            return {}
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            sample = response.text[:80].replace("\n", " ")
            raise self._error(f"{what} returned a body that is not valid JSON (HTTP {response.status_code}, "
                              f"{response.headers.get('content-type', 'no content type')}): {sample!r}",
                              permanent=False, status=response.status_code) from None

    def _status_error(self, what: str, response: httpx.Response) -> PlatformError:
        status = response.status_code
        try:
            body = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            body = None
        detail, code = self.error_text(body), self.error_code(body)
        detail = f": {detail}" if detail else ""
        if status == 429:
            retry_after = self.reset_parser(response.headers)
            if retry_after is None:
                retry_after = retry_after_header(response.headers)
            wait = f"; retry after {retry_after:.0f}s" if retry_after is not None else ""
            return self._error(f"{what} was rate limited (HTTP 429){detail}{wait}", permanent=False,
                               retry_after=retry_after, status=status, code=code)
        if status in (401, 403):
            return self._error(f"{what} was refused (HTTP {status}){detail}; check the account's credentials "
                               "and the app's permissions", permanent=True, status=status, code=code)
        if status >= 500:
            return self._error(f"{what} failed on the platform's side (HTTP {status}){detail}",
                               permanent=False, status=status, retry_after=retry_after_header(response.headers),
                               code=code)
        return self._error(f"{what} was rejected (HTTP {status}){detail}", permanent=True, status=status, code=code)

    def _error(self, message: str, *, permanent: bool, status: int | None = None,
               retry_after: float | None = None, code: str | None = None) -> PlatformError:
        message = self.redact(f"{self.platform}: {message}")
        log.info("%s", message)
        return PlatformError(message, permanent=permanent, retry_after=retry_after, status=status, code=code)


def _clean(params: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Drop parameters whose value is None, so optional arguments can be passed straight through."""
    if params is None:
        return None
    return {key: value for key, value in params.items() if value is not None}
