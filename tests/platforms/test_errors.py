"""Errors from real HTTP exchanges: auth, rate limits, server faults, timeouts, bad JSON, and no leaked secrets."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import pytest

from kawal.sources.platforms import PlatformError

from .conftest import Harness


def _wrong_credentials(harness: Harness) -> dict[str, Any]:
    if harness.platform == "bluesky":
        return {"identifier": harness.handle, "app_password": "wrong-pass-wxyz"}
    return {"access_token": "wrong-token-abcdef"}


def _secrets(harness: Harness) -> list[str]:
    return [str(v) for v in harness.credentials.values() if v != harness.handle]


def test_it_treats_401_as_permanent(http_harness: Harness) -> None:
    connector = http_harness.connect(credentials=_wrong_credentials(http_harness))
    with pytest.raises(PlatformError) as caught:
        connector.profile()
    assert caught.value.permanent
    assert caught.value.status == 401
    assert "credentials" in str(caught.value)
    assert "wrong-" not in str(caught.value)


def test_it_parses_retry_after_from_the_platform_rate_limit_headers(http_harness: Harness) -> None:
    assert http_harness.server is not None
    http_harness.server.set_rate_limit(2, window=120)
    connector = http_harness.connect()
    with pytest.raises(PlatformError) as caught:
        for _ in range(4):
            connector.profile()
    assert caught.value.status == 429
    assert not caught.value.permanent
    assert caught.value.retry_after is not None and 100 <= caught.value.retry_after <= 122
    assert "rate limited" in str(caught.value)


def test_it_treats_500_as_transient_and_recovers(http_harness: Harness) -> None:
    assert http_harness.server is not None
    connector = http_harness.connect()
    connector.profile()   # open the session first, so the fault hits the publish itself
    http_harness.server.fail_next(500)
    with pytest.raises(PlatformError) as caught:
        connector.publish("first try", idempotency_key="k")
    assert (caught.value.status, caught.value.permanent) == (500, False)
    assert connector.publish("first try", idempotency_key="k").platform_id


def test_it_treats_a_timeout_as_transient(http_harness: Harness) -> None:
    assert http_harness.server is not None
    connector = http_harness.connect(timeout=0.2)
    http_harness.server.delay_next(1.0)
    with pytest.raises(PlatformError) as caught:
        connector.profile()
    assert not caught.value.permanent
    assert "timed out" in str(caught.value)


def test_it_says_clearly_when_the_body_is_not_json(http_harness: Harness) -> None:
    assert http_harness.server is not None
    connector = http_harness.connect()
    http_harness.server.invalid_json_next()
    with pytest.raises(PlatformError) as caught:
        connector.profile()
    assert "not valid JSON" in str(caught.value)
    assert "text/html" in str(caught.value)
    assert not caught.value.permanent


def test_a_publish_that_hangs_after_storing_is_found_afterwards(http_harness: Harness) -> None:
    """The crash the publish worker must survive: the post went out, the answer never came."""
    assert http_harness.server is not None
    connector = http_harness.connect(timeout=0.3)
    connector.profile()
    since = datetime.now(UTC)
    http_harness.server.hang_after_next_store(1.5)
    with pytest.raises(PlatformError) as caught:
        connector.publish("Pengumuman resmi 📢", idempotency_key="outbox-7")
    assert not caught.value.permanent
    found = connector.find_published("Pengumuman resmi 📢", since=since, idempotency_key="outbox-7")
    assert found is not None
    assert [p.id for p in connector.timeline()] == [found.platform_id]


def test_no_token_reaches_an_exception_or_a_log_record(http_harness: Harness,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    assert http_harness.server is not None
    caplog.set_level(logging.DEBUG)
    errors: list[str] = []
    good = http_harness.connect(timeout=0.2)
    good.publish("hello", idempotency_key="h")
    for fault in (lambda: http_harness.server.fail_next(503), http_harness.server.invalid_json_next,
                  lambda: http_harness.server.delay_next(0.5), lambda: http_harness.server.set_rate_limit(0)):
        fault()
        try:
            good.publish("again", idempotency_key="a")
        except PlatformError as error:
            errors.append(str(error))
    http_harness.server.set_rate_limit(None)
    try:
        http_harness.connect(credentials=_wrong_credentials(http_harness)).profile()
    except PlatformError as error:
        errors.append(str(error))
    assert len(errors) == 5
    secrets = _secrets(http_harness) + ["wrong-token-abcdef", "wrong-pass-wxyz"]
    session = getattr(good, "session", None) or {}
    secrets += [session[k] for k in ("accessJwt", "refreshJwt") if k in session]
    logged = [record.getMessage() for record in caplog.records]
    assert logged, "the connectors log their requests"
    for secret in secrets:
        assert all(secret not in text for text in errors + logged), "a secret leaked"


def test_an_echoed_token_is_redacted(x: Harness) -> None:
    """If a platform ever echoes the token in an error, the message still does not carry it."""
    assert x.server is not None
    token = x.credentials["access_token"]
    connector = x.connect()
    with pytest.raises(PlatformError) as caught:
        connector.timeline(since_id=f"not-an-id-{token}").__next__()
    assert token not in str(caught.value)
    assert "[redacted]" in str(caught.value)
