"""X API v2 specifics: t.co links, duplicate content, retweets, the posting app, search pagination."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from kawal.sources.platforms import PlatformError
from kawal.sources.platforms.local.x import LocalX
from kawal.sources.platforms.x import XPlatform

from .conftest import Harness


def test_it_puts_expanded_links_back_in_the_text(x: Harness) -> None:
    connector = x.connect()
    connector.publish("Baca https://example.org/siaran-pers/2026/11 sekarang", idempotency_key="k")
    post = next(connector.timeline())
    assert post.text == "Baca https://example.org/siaran-pers/2026/11 sekarang"
    assert post.urls == ("https://example.org/siaran-pers/2026/11",)


def test_the_api_text_carries_tco_links(x: Harness) -> None:
    """The local server really shortens links, so the expansion above is tested, not assumed."""
    x.connect().publish("see https://example.org/long/path", idempotency_key="k")
    user_id = next(iter(x.server.accounts))  # type: ignore[union-attr]
    body = httpx.get(f"{x.base_url}/2/users/{user_id}/tweets", params={"tweet.fields": "entities"},
                     headers={"Authorization": f"Bearer {x.credentials['access_token']}"}).json()
    assert "https://t.co/" in body["data"][0]["text"]
    assert body["data"][0]["entities"]["urls"][0]["expanded_url"] == "https://example.org/long/path"


def test_a_duplicate_tweet_is_refused_permanently(x: Harness) -> None:
    connector = x.connect()
    connector.publish("same words", idempotency_key="a")
    with pytest.raises(PlatformError) as caught:
        connector.publish("same words", idempotency_key="b")
    assert (caught.value.status, caught.value.permanent) == (403, True)
    assert "duplicate content" in str(caught.value)


def test_a_retweet_is_a_repost_and_a_reply_names_the_user_answered(x: Harness) -> None:
    assert x.server is not None
    original = x.server.post_direct("alice", "hello from alice @kawal_id")
    x.server.post_direct("kawal_id", "", repost_of=original.id)
    reply = x.connect().publish("thanks @alice", idempotency_key="r", reply_to=original.id)
    posts = {post.id: post for post in x.connect().timeline()}
    assert posts[reply.platform_id].reply_to == original.id
    assert posts[reply.platform_id].reply_to_user == "alice"
    assert posts[reply.platform_id].mentions == ("alice",)
    retweet = next(post for post in posts.values() if post.is_repost)
    assert retweet.text.startswith("RT @alice: hello from alice")


def test_it_keeps_source_only_when_x_returns_it() -> None:
    with LocalX(report_source=True) as server:
        credentials = server.add_account("brand")
        server.post_direct("brand", "posted from a phone", client="Twitter for iPhone")
        connector = XPlatform(credentials=credentials, handle="brand", base_url=server.url)
        assert next(connector.timeline()).client == "Twitter for iPhone"
        connector.close()


def test_it_refuses_to_publish_with_a_token_of_another_account(x: Harness) -> None:
    assert x.server is not None
    other = x.server.add_account("impostor")
    connector = XPlatform(credentials=other, handle="kawal_id", base_url=x.base_url)
    with pytest.raises(PlatformError) as caught:
        connector.publish("hello", idempotency_key="k")
    assert caught.value.permanent and "@impostor, not @kawal_id" in str(caught.value)
    assert not x.server.live_posts()
    connector.close()


def test_an_account_renamed_on_x_is_still_read_and_shows_the_new_handle(x: Harness) -> None:
    assert x.server is not None
    connector = x.connect()
    before = connector.profile()
    x.server.account_by_handle("kawal_id").handle = "free_crypto_now"
    x.server.post_direct("free_crypto_now", "send 1 BTC", client="Web")
    assert connector.profile().changes_from(before) == ["handle"]
    assert next(connector.timeline()).text == "send 1 BTC"


def test_mentions_follow_next_token_and_stop_at_since_id(x: Harness) -> None:
    assert x.server is not None
    ids = [x.server.post_direct("alice", f"kawal mention {n}").id for n in range(25)]
    connector = x.connect(page_size=10)
    items = list(connector.mentions("kawal mention"))
    assert [item.id for item in items] == list(reversed(ids))
    assert {item.author for item in items} == {"alice"}
    assert len([p for m, p in x.server.requests if p == "/2/tweets/search/recent"]) == 3
    assert [item.id for item in connector.mentions("kawal mention", since_id=ids[21])] == list(reversed(ids[22:]))


def test_a_too_long_tweet_is_refused_with_the_reason(x: Harness) -> None:
    with pytest.raises(PlatformError) as caught:
        x.connect().publish("a" * 281, idempotency_key="long")
    assert caught.value.permanent and "too long" in str(caught.value)


def test_a_200_with_only_errors_is_not_an_empty_timeline(x: Harness) -> None:
    """X answers 200 with an ``errors`` array when the user is suspended; that must not read as "no posts"."""
    assert x.server is not None
    x.connect().publish("before suspension", idempotency_key="k")
    x.server.suspend("kawal_id")  # type: ignore[attr-defined]
    with pytest.raises(PlatformError) as caught:
        list(x.connect().timeline())
    assert caught.value.permanent and "suspended" in str(caught.value)


def test_an_expired_token_is_refreshed_once_and_the_rotated_pair_reported(x: Harness) -> None:
    assert x.server is not None
    stored: list[dict] = []
    x.server.expire_access_tokens()  # type: ignore[attr-defined]
    connector = x.connect(on_credentials_change=stored.append)
    connector.publish("after two hours", idempotency_key="k")
    assert len(stored) == 1
    renewed = stored[0]
    assert renewed["access_token"] != x.credentials["access_token"]
    assert renewed["refresh_token"] != x.credentials["refresh_token"]
    assert renewed["client_id"] == x.credentials["client_id"]
    assert [p for _, p in x.server.requests].count("/2/oauth2/token") == 1

    # two hours later again: the stored pair renews, the first refresh token is spent
    x.server.expire_access_tokens()  # type: ignore[attr-defined]
    assert x.connect(credentials=renewed).profile().handle == "kawal_id"
    with pytest.raises(PlatformError) as caught:
        x.connect(credentials=x.credentials).profile()
    assert caught.value.permanent and caught.value.status == 401
    assert "reconnect the account" in str(caught.value)
    assert x.credentials["refresh_token"] not in str(caught.value)


def test_a_failing_credentials_store_does_not_fail_the_publish(x: Harness, caplog: pytest.LogCaptureFixture) -> None:
    assert x.server is not None
    x.server.expire_access_tokens()  # type: ignore[attr-defined]

    def broken_store(credentials: dict) -> None:
        raise RuntimeError(f"disk full while saving {credentials['access_token']}")

    published = x.connect(on_credentials_change=broken_store).publish("still posted", idempotency_key="k")
    assert [p.id for p in x.server.live_posts()] == [published.platform_id]
    assert "could not be stored (RuntimeError)" in caplog.text
    assert "disk full" not in caplog.text


def test_escaped_characters_come_back_as_written(x: Harness) -> None:
    """X returns '&amp;', '&lt;', '&gt;' in tweet text; a literal '&amp;' typed by a person must survive."""
    text = "Q&A <live> at 10 -> 11, write &amp; to get & https://example.org/?a=1&b=2"
    connector = x.connect()
    since = datetime.now(UTC)
    published = connector.publish(text, idempotency_key="k")
    assert next(connector.timeline()).text == text
    found = connector.find_published(text, since=since)
    assert found is not None and found.platform_id == published.platform_id
