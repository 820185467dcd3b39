"""Mastodon specifics: the Idempotency-Key, HTML content, application.name, reblogs, Link pagination."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kawal.sources.platforms import PlatformError
from kawal.sources.platforms.mastodon import _next_max_id, html_to_text

from .conftest import Harness


def test_the_same_idempotency_key_returns_the_same_status(mastodon: Harness) -> None:
    assert mastodon.server is not None
    connector = mastodon.connect()
    first = connector.publish("Siaran pers 1", idempotency_key="outbox-1")
    again = connector.publish("Siaran pers 1", idempotency_key="outbox-1")
    other = connector.publish("Siaran pers 1", idempotency_key="outbox-2")
    assert first.platform_id == again.platform_id != other.platform_id
    assert len(mastodon.server.live_posts()) == 2


def test_a_retry_after_a_hang_does_not_post_twice(mastodon: Harness) -> None:
    assert mastodon.server is not None
    connector = mastodon.connect(timeout=0.3)
    connector.profile()
    mastodon.server.hang_after_next_store(1.0)
    with pytest.raises(PlatformError):
        connector.publish("only once", idempotency_key="outbox-9")
    retried = connector.publish("only once", idempotency_key="outbox-9")
    assert [p.id for p in connector.timeline()] == [retried.platform_id]


def test_it_turns_status_html_back_into_the_text_written(mastodon: Harness) -> None:
    text = ("Tonton <siaran> & baca: https://example.org/a/very/long/path/that/mastodon/truncates?x=1\n"
            "baris dua #Pemilu2029 @alice\n\nparagraf kedua")
    connector = mastodon.connect()
    connector.publish(text, idempotency_key="k")
    post = next(connector.timeline())
    assert post.text == text
    assert post.urls == ("https://example.org/a/very/long/path/that/mastodon/truncates?x=1",)
    assert post.hashtags == ("Pemilu2029",)
    assert post.mentions == ("alice",)
    assert post.client == "Kawal"


def test_a_reblog_is_a_repost_and_carries_the_original_text(mastodon: Harness) -> None:
    assert mastodon.server is not None
    original = mastodon.server.post_direct("alice", "alice says hi")
    mastodon.server.post_direct("kawal", "", repost_of=original.id)
    post = next(mastodon.connect().timeline())
    assert post.is_repost and post.text == "alice says hi"


def test_a_reply_names_the_account_answered(mastodon: Harness) -> None:
    assert mastodon.server is not None
    parent = mastodon.server.post_direct("alice", "question?")
    mastodon.connect().publish("@alice answer", idempotency_key="r", reply_to=parent.id)
    post = next(mastodon.connect().timeline())
    assert (post.reply_to, post.reply_to_user) == (parent.id, "alice")


def test_pagination_takes_only_max_id_from_the_link_header() -> None:
    header = ('<https://elsewhere.example/api/v1/accounts/1/statuses?limit=40&max_id=1234>; rel="next", '
              '<https://elsewhere.example/api/v1/accounts/1/statuses?min_id=99>; rel="prev"')
    assert _next_max_id(header) == "1234"
    assert _next_max_id('<https://a.example/x?min_id=9>; rel="prev"') is None
    assert _next_max_id("") is None


def test_html_to_text_keeps_paragraphs_and_line_breaks() -> None:
    text, links = html_to_text('<p>a &amp; b<br />c</p><p><a href="https://x.org/p">'
                               '<span class="invisible">https://</span><span>x.org/p</span></a></p>')
    assert text == "a & b\nc\n\nhttps://x.org/p"
    assert links == ["https://x.org/p"]


def test_find_published_uses_the_exact_text_after_html_rendering(mastodon: Harness) -> None:
    connector = mastodon.connect()
    since = datetime.now(UTC)
    published = connector.publish("  Ketua: <hadir> & siap  ", idempotency_key="k")
    found = connector.find_published("Ketua: <hadir> & siap", since=since)
    assert found is not None and found.platform_id == published.platform_id


def test_a_too_long_status_is_a_clear_permanent_error(mastodon: Harness) -> None:
    with pytest.raises(PlatformError) as caught:
        mastodon.connect().publish("x" * 501, idempotency_key="long")
    assert (caught.value.status, caught.value.permanent) == (422, True)
    assert "character limit" in str(caught.value)


def test_a_rename_shows_in_the_profile_and_stops_publishing(mastodon: Harness) -> None:
    assert mastodon.server is not None
    connector = mastodon.connect()
    before = connector.profile()
    mastodon.server.account_by_handle("kawal").handle = "renamed"
    assert mastodon.connect().profile().changes_from(before) == ["handle"]
    with pytest.raises(PlatformError) as caught:
        mastodon.connect().publish("hello", idempotency_key="k")
    assert caught.value.permanent and "not @kawal" in str(caught.value)


def test_a_remote_mention_comes_back_with_its_domain() -> None:
    """Mastodon renders "@bob@other.social" as "@bob"; the mentions list restores what was written."""
    content = ('<p>halo <span class="h-card"><a href="https://other.social/@bob" class="u-url mention">'
               '@<span>bob</span></a></span> dan <span class="h-card"><a href="https://home.social/@ani" '
               'class="u-url mention">@<span>ani</span></a></span></p>')
    text, links = html_to_text(content, {"https://other.social/@bob": "bob@other.social",
                                         "https://home.social/@ani": "ani"})
    assert text == "halo @bob@other.social dan @ani"
    assert links == []
