"""The Platform contract, passed by every connector against its own local server (or sandbox file)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kawal.sources.platforms import PlatformError

from .conftest import Harness

EMOJI_TEXT = "Selamat pagi 🇮🇩🎉 — café naïve 日本語 #Kawal https://example.org/a?b=1&c=ä"


def test_it_publishes_and_reads_back_the_exact_text(harness: Harness) -> None:
    connector = harness.connect()
    published = connector.publish(EMOJI_TEXT, idempotency_key="k-1")
    newest = next(connector.timeline())
    assert newest.id == published.platform_id
    assert newest.text == EMOJI_TEXT
    assert newest.platform == harness.platform
    assert newest.hashtags == ("Kawal",)
    assert newest.urls == ("https://example.org/a?b=1&c=ä",)
    assert abs(newest.created_at - published.created_at) < timedelta(seconds=5)
    assert newest.created_at.tzinfo is not None


def test_it_reads_the_timeline_newest_first_across_pages(harness: Harness) -> None:
    connector = harness.connect(page_size=5)
    ids = [connector.publish(f"post number {n}", idempotency_key=f"k{n}").platform_id for n in range(12)]
    seen = [post.id for post in connector.timeline()]
    assert seen == list(reversed(ids))
    assert [post.text for post in connector.timeline(limit=7)] == [f"post number {n}" for n in range(11, 4, -1)]
    if harness.server is not None:   # three pages of five were asked for, not one big page
        reads = [path for method, path in harness.server.requests
                 if method == "GET" and any(part in path for part in ("/statuses", "/tweets", "getAuthorFeed"))]
        assert len(reads) >= 3


def test_it_reads_only_posts_newer_than_since_id(harness: Harness) -> None:
    connector = harness.connect(page_size=5)
    ids = [connector.publish(f"message {n}", idempotency_key=f"m{n}").platform_id for n in range(8)]
    newer = [post.id for post in connector.timeline(since_id=ids[2])]
    assert newer == list(reversed(ids[3:]))


def test_it_deletes_a_post(harness: Harness) -> None:
    connector = harness.connect()
    keep = connector.publish("keep me", idempotency_key="a")
    gone = connector.publish("delete me", idempotency_key="b")
    connector.delete(gone.platform_id)
    assert [post.id for post in connector.timeline()] == [keep.platform_id]


def test_it_reads_the_profile_and_sees_a_change(harness: Harness) -> None:
    connector = harness.connect()
    before = connector.profile()
    assert before.handle.lower().startswith(harness.handle.split(".")[0])
    assert before.bio in ("Official account", "Sandbox account")
    harness.set_profile(display_name="Totally Not Hijacked 🚨", bio="DM for crypto",
                        avatar_url="https://example.org/evil.png")
    after = connector.profile()
    assert after.display_name == "Totally Not Hijacked 🚨"
    assert set(after.changes_from(before)) == {"display_name", "bio", "avatar_url"}


def test_it_sees_a_post_made_directly_on_the_platform(harness: Harness) -> None:
    connector = harness.connect()
    connector.publish("sanctioned", idempotency_key="s")
    post_id = harness.post_direct("unsanctioned 🚨 buy now", client="Twitter for iPhone")
    newest = next(connector.timeline())
    assert (newest.id, newest.text) == (post_id, "unsanctioned 🚨 buy now")
    expected_client = {"mastodon": "Twitter for iPhone", "sandbox": "Twitter for iPhone"}.get(harness.platform)
    assert newest.client == expected_client   # X v2 and Bluesky do not say which app posted


def test_find_published_finds_a_post_that_went_out(harness: Harness) -> None:
    connector = harness.connect()
    since = datetime.now(UTC)
    published = connector.publish("Rilis pers: jadwal baru 🗓️", idempotency_key="key-42")
    connector.publish("a later post", idempotency_key="key-43")
    found = connector.find_published("Rilis pers: jadwal baru 🗓️\n", since=since, idempotency_key="key-42")
    assert found is not None and found.platform_id == published.platform_id
    assert connector.find_published("never posted", since=since) is None


def test_find_published_stops_at_since(harness: Harness) -> None:
    connector = harness.connect()
    connector.publish("old text", idempotency_key="old")
    future = datetime.now(UTC) + timedelta(hours=1)
    assert connector.find_published("old text", since=future) is None


def test_it_replies_to_a_post(harness: Harness) -> None:
    connector = harness.connect()
    parent = connector.publish("parent post", idempotency_key="p")
    child = connector.publish("a reply", idempotency_key="c", reply_to=parent.platform_id)
    reply = next(post for post in connector.timeline() if post.id == child.platform_id)
    assert reply.reply_to == parent.platform_id


def test_it_uploads_media_with_a_post(harness: Harness) -> None:
    connector = harness.connect()
    published = connector.publish("with a picture", idempotency_key="img", media=(b"\x89PNG fake image",))
    post = next(connector.timeline())
    assert post.id == published.platform_id
    assert len(post.media) == 1


def test_it_refuses_empty_credentials(harness: Harness) -> None:
    if harness.platform == "sandbox":
        pytest.skip("the sandbox has no credentials")
    with pytest.raises(PlatformError) as caught:
        harness.connect(credentials={})
    assert caught.value.permanent


def test_it_rejects_an_empty_post_clearly(harness: Harness) -> None:
    connector = harness.connect()
    with pytest.raises(PlatformError) as caught:
        connector.publish("", idempotency_key="empty")
    assert caught.value.permanent
    assert caught.value.status in (None, 400, 422)


def test_it_finds_mentions(harness: Harness) -> None:
    connector = harness.connect()
    harness.post_direct("ada yang tahu soal kawal? 🤔", client="Web")
    connector.publish("unrelated", idempotency_key="u")
    items = list(connector.mentions("kawal?"))
    assert [item.text for item in items] == ["ada yang tahu soal kawal? 🤔"]
    assert items[0].kind == "mention" and items[0].source == harness.platform
    assert items[0].published_at is not None and items[0].url


def test_more_than_four_images_are_refused_before_any_upload(harness: Harness) -> None:
    if harness.platform == "sandbox":
        pytest.skip("the sandbox keeps any number of attachments")
    connector = harness.connect()
    with pytest.raises(PlatformError) as caught:
        connector.publish("pics", idempotency_key="k", media=tuple(bytes([n]) for n in range(5)))
    assert caught.value.permanent and "at most 4" in str(caught.value)
    assert harness.server is not None and not harness.server.media and not harness.server.live_posts()
