"""Bluesky specifics: facets by UTF-8 byte offset, session refresh, reposts and replies as at:// URIs."""

from __future__ import annotations

import pytest

from kawal.sources.platforms import PlatformError
from kawal.sources.platforms.bluesky import BlueskyPlatform, split_uri

from .conftest import Harness


def test_facets_point_at_utf8_byte_offsets(bluesky: Harness) -> None:
    assert bluesky.server is not None
    text = "🇮🇩 Halo @alice.test! baca https://example.org/é #Kawal"
    published = bluesky.connect().publish(text, idempotency_key="k")
    facets = bluesky.server.records[published.platform_id]["facets"]
    raw = text.encode("utf-8")
    # the flag is 8 bytes, so "@alice.test" starts at byte 14 although it is character 8
    assert facets[0]["index"] == {"byteStart": 14, "byteEnd": 25}
    assert [raw[f["index"]["byteStart"]:f["index"]["byteEnd"]].decode() for f in facets] == [
        "@alice.test", "https://example.org/é", "#Kawal"]
    assert facets[0]["features"][0] == {"$type": "app.bsky.richtext.facet#mention",
                                        "did": bluesky.server.account_by_handle("alice.test").id}
    assert facets[1]["features"][0]["uri"] == "https://example.org/é"
    assert facets[2]["features"][0]["tag"] == "Kawal"


def test_an_unknown_handle_stays_plain_text(bluesky: Harness) -> None:
    assert bluesky.server is not None
    published = bluesky.connect().publish("hi @nobody.example and @plainname", idempotency_key="k")
    assert bluesky.server.records[published.platform_id].get("facets") is None
    assert bluesky.server.records[published.platform_id]["text"] == "hi @nobody.example and @plainname"


def test_the_timeline_reads_mentions_links_and_tags_from_facets(bluesky: Harness) -> None:
    bluesky.connect().publish("😀 @alice.test lihat https://example.org/ü #Tagar", idempotency_key="k")
    post = next(bluesky.connect().timeline())
    assert post.mentions == ("alice.test",)
    assert post.urls == ("https://example.org/ü",)
    assert post.hashtags == ("Tagar",)
    assert post.client is None


def test_an_expired_access_token_is_refreshed_not_reentered(bluesky: Harness) -> None:
    assert bluesky.server is not None
    connector = bluesky.connect()
    connector.publish("before expiry", idempotency_key="a")
    bluesky.server.expire_access_tokens()
    connector.publish("after expiry", idempotency_key="b")
    calls = [path.rsplit("/", 1)[1] for _, path in bluesky.server.requests]
    assert calls.count("com.atproto.server.createSession") == 1
    assert calls.count("com.atproto.server.refreshSession") == 1
    assert [p.text for p in connector.timeline()] == ["after expiry", "before expiry"]


def test_a_revoked_refresh_token_opens_a_new_session(bluesky: Harness) -> None:
    assert bluesky.server is not None
    connector = bluesky.connect()
    connector.profile()
    bluesky.server.expire_access_tokens()
    bluesky.server._refresh.clear()   # the PDS forgot the refresh token (revoked app password session)
    assert connector.profile().handle == "kawal.test"
    calls = [path.rsplit("/", 1)[1] for _, path in bluesky.server.requests]
    assert calls.count("com.atproto.server.createSession") == 2


def test_a_wrong_app_password_is_permanent(bluesky: Harness) -> None:
    connector = bluesky.connect(credentials={"identifier": "kawal.test", "app_password": "nope-nope-nope"})
    with pytest.raises(PlatformError) as caught:
        connector.publish("x", idempotency_key="k")
    assert caught.value.permanent and caught.value.code == "AuthenticationRequired"
    assert "nope-nope-nope" not in str(caught.value)


def test_a_repost_and_a_reply_map_as_on_bluesky(bluesky: Harness) -> None:
    assert bluesky.server is not None
    original = bluesky.server.post_direct("alice.test", "alice's post")
    bluesky.server.post_direct("kawal.test", "", repost_of=original.id)
    reply = bluesky.connect().publish("reply to alice", idempotency_key="r", reply_to=original.id)
    posts = list(bluesky.connect().timeline())
    assert posts[0].id == reply.platform_id
    assert (posts[0].reply_to, posts[0].reply_to_user) == (original.id, "alice.test")
    record = bluesky.server.records[reply.platform_id]
    assert record["reply"]["root"]["uri"] == record["reply"]["parent"]["uri"] == original.id
    assert posts[1].is_repost and posts[1].text == "alice's post"
    assert split_uri(posts[1].id)[1] == "app.bsky.feed.repost"


def test_a_bad_uri_to_delete_is_a_clear_error(bluesky: Harness) -> None:
    with pytest.raises(PlatformError) as caught:
        bluesky.connect().delete("12345")
    assert "not an at:// post URI" in str(caught.value)


def test_a_post_over_300_characters_is_refused_with_the_reason(bluesky: Harness) -> None:
    with pytest.raises(PlatformError) as caught:
        bluesky.connect().publish("é" * 301, idempotency_key="k")
    assert caught.value.permanent and "300" in str(caught.value)


def test_bluesky_defaults_to_bsky_social() -> None:
    connector = BlueskyPlatform(credentials={"identifier": "a.test", "app_password": "p-p-p-p"}, handle="a.test")
    assert str(connector.api.client.base_url).rstrip("/") == "https://bsky.social"
    connector.close()


def test_since_id_may_be_a_repost(bluesky: Harness) -> None:
    assert bluesky.server is not None
    connector = bluesky.connect(page_size=2)
    original = bluesky.server.post_direct("alice.test", "alice")
    connector.publish("older", idempotency_key="o")
    repost = bluesky.server.post_direct("kawal.test", "", repost_of=original.id)
    newer = connector.publish("newer", idempotency_key="n")
    assert [p.id for p in connector.timeline(since_id=repost.id)] == [newer.platform_id]
    # the walk stopped at the repost instead of reading the whole feed
    assert len([p for _, p in bluesky.server.requests if p.endswith("getAuthorFeed")]) == 1


def test_a_stored_session_is_reused_instead_of_logging_in_again(bluesky: Harness) -> None:
    assert bluesky.server is not None
    stored: list[dict] = []
    bluesky.connect(on_credentials_change=stored.append).publish("first run", idempotency_key="a")
    assert stored and stored[-1]["session"]["did"] == bluesky.server.account_by_handle("kawal.test").id
    assert stored[-1]["app_password"] == bluesky.credentials["app_password"]
    bluesky.connect(credentials=stored[-1]).publish("second run", idempotency_key="b")
    calls = [path.rsplit("/", 1)[1] for _, path in bluesky.server.requests]
    assert calls.count("com.atproto.server.createSession") == 1


def test_a_stored_session_the_server_forgot_falls_back_to_the_app_password(bluesky: Harness) -> None:
    assert bluesky.server is not None
    did = bluesky.server.account_by_handle("kawal.test").id   # e.g. the PDS restarted and lost its sessions
    stale = {**bluesky.credentials, "session": {"did": did, "accessJwt": "aaa.bbb.ccc", "refreshJwt": "ddd.eee.fff",
                                                "identifier": "kawal.test"}}
    stored: list[dict] = []
    bluesky.connect(credentials=stale, on_credentials_change=stored.append).publish("hello", idempotency_key="k")
    assert [p.text for p in bluesky.server.live_posts()] == ["hello"]
    assert stored[-1]["session"]["accessJwt"] != "aaa.bbb.ccc"


def test_a_session_stored_for_another_identifier_is_not_used(bluesky: Harness) -> None:
    assert bluesky.server is not None
    other = {"did": "did:plc:someoneelse", "accessJwt": "x.y.z", "refreshJwt": "u.v.w", "identifier": "old.test"}
    bluesky.connect(credentials={**bluesky.credentials, "session": other}).publish("mine", idempotency_key="k")
    assert [p.account_id for p in bluesky.server.live_posts()] == [bluesky.server.account_by_handle("kawal.test").id]
    assert not any(path.endswith("refreshSession") for _, path in bluesky.server.requests)
