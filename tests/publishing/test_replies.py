"""Replies in governed publishing: what a draft answers is parsed from the platform's addresses, stored on
the version, covered by the content hash, screened as context, shown on the draft page, and sent to the
platform by the worker (checked on a local Mastodon server)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kawal.apps.orgs.models import ApiToken
from kawal.apps.publishing import publisher, screening, services
from kawal.apps.publishing.content import content_hash
from kawal.apps.publishing.models import Draft, DraftStatus, LedgerEntry, Outbox, OutboxStatus
from kawal.apps.publishing.replies import ReplyTargetError, parse_reply_target, reply_url
from kawal.apps.publishing.services import Content, WorkflowError
from kawal.apps.social.models import SocialAccount
from kawal.sources.platforms.local.mastodon import LocalMastodon
from tests.publishing.conftest import FakeResult, marker_screen, verified_client

pytestmark = pytest.mark.django_db

DISMISSIVE = "Silakan baca lagi aturannya, jangan asal komentar"
COMPLAINT = "Kenapa biaya admin naik lagi? Pelayanan makin lambat."


def reply_aware_screen(text: str, *, reply_to_text: str | None = None, **kwargs: Any) -> FakeResult:
    """The marker double, plus: 'jangan asal' is held for review only as a reply to a given post."""
    if reply_to_text and "jangan asal" in text:
        return FakeResult("review", [{"kind": "tone.hostile", "severity": "medium",
                                      "message": f"as a reply to {reply_to_text[:20]!r}"}])
    return marker_screen(text, **kwargs)


@pytest.fixture(autouse=True)
def reply_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(screening, "_engine", lambda: reply_aware_screen)


# --- parsing what a draft answers ------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "platform", "expected"), [
    ("https://x.com/kemenkeu/status/1790000000000000001", "x", "1790000000000000001"),
    ("https://twitter.com/kemenkeu/status/1790000000000000001?s=20", "x", "1790000000000000001"),
    ("1790000000000000001", "x", "1790000000000000001"),
    ("https://mastodon.example/@warga/112233445566", "mastodon", "112233445566"),
    ("  112233445566 ", "mastodon", "112233445566"),
    ("https://bsky.app/profile/warga.bsky.social/post/3kabc2xyz", "bluesky",
     "at://warga.bsky.social/app.bsky.feed.post/3kabc2xyz"),
    ("https://bsky.app/profile/did:plc:abc123/post/3kabc2xyz", "bluesky",
     "at://did:plc:abc123/app.bsky.feed.post/3kabc2xyz"),
    ("at://did:plc:abc123/app.bsky.feed.post/3kabc2xyz", "bluesky",
     "at://did:plc:abc123/app.bsky.feed.post/3kabc2xyz"),
])
def test_post_addresses_and_ids_become_the_connectors_id(value, platform, expected):
    assert parse_reply_target(value, platform, account_host="mastodon.example") == expected


@pytest.mark.parametrize(("value", "platform", "problem"), [
    ("https://x.com/kemenkeu", "x", "not of one post"),
    ("https://bsky.app/profile/warga.bsky.social/post/3kabc", "x", "not an X post address"),
    ("status 123", "x", "not a X post id"),
    ("https://x.com/kemenkeu/status/123", "mastodon", "not a Mastodon post"),
    ("https://other.example/@warga/123", "mastodon", "on other.example, but the account is on mastodon.example"),
    ("https://mastodon.example/@warga", "mastodon", "not the address of a Mastodon post"),
    ("https://bsky.app/profile/warga.bsky.social", "bluesky", "not of one post"),
    ("3kabc2xyz", "bluesky", "not a Bluesky post"),
    ("ftp://x.com/a/status/1", "x", "not a web address"),
    ("   ", "x", "empty"),
])
def test_a_bad_reply_target_is_refused_naming_the_problem(value, platform, problem):
    with pytest.raises(ReplyTargetError, match=problem):
        parse_reply_target(value, platform, account_host="mastodon.example")


def test_reply_urls_let_a_reviewer_open_the_answered_post():
    assert reply_url("123", "x") == "https://x.com/i/web/status/123"
    assert reply_url("123", "mastodon", base_url="https://m.example/") == "https://m.example/web/statuses/123"
    assert reply_url("at://did:plc:a/app.bsky.feed.post/3k", "bluesky") == "https://bsky.app/profile/did:plc:a/post/3k"
    assert reply_url("123", "sandbox") is None


# --- the content hash ------------------------------------------------------------------------------------

def test_drafts_that_answer_nothing_keep_their_hash_and_replies_hash_what_they_answer():
    canonical = json.dumps({"account": "7", "media": [], "scheduled_at": None, "text": "Selamat pagi"},
                           ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    old = hashlib.sha256(canonical.encode()).hexdigest()
    assert content_hash("Selamat pagi", account=7) == old
    assert content_hash("Selamat pagi", account=7, reply_to="", reply_to_text="") == old
    reply = content_hash("Selamat pagi", account=7, reply_to="1")
    assert reply != old
    assert content_hash("Selamat pagi", account=7, reply_to="2") != reply
    assert content_hash("Selamat pagi", account=7, reply_to="1", reply_to_text="keluhan") != reply
    with pytest.raises(ValueError, match="needs the reply_to post"):
        content_hash("Selamat pagi", account=7, reply_to_text="keluhan")


def approved(people, account, content: Content) -> Draft:
    draft = services.create_draft(people["author"], account, content)
    services.submit(people["author"], draft)
    services.approve(people["approver"], draft, draft.current_version.content_hash)
    draft.refresh_from_db()
    return draft


def test_an_approval_given_before_replies_existed_still_counts(people, account):
    draft = services.create_draft(people["author"], account, Content(text="Selamat pagi"))
    version = draft.current_version
    # The hash an approval made before this change is bound to: the old canonical document, no reply keys.
    canonical = json.dumps({"account": str(account.pk), "media": [], "scheduled_at": None, "text": "Selamat pagi"},
                           ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert version.content_hash == hashlib.sha256(canonical.encode()).hexdigest()
    services.submit(people["author"], draft)
    services.approve(people["approver"], draft, version.content_hash)
    assert services.evaluation_for(draft).cleared and draft.status == DraftStatus.SCHEDULED


def test_changing_what_a_draft_answers_voids_its_approvals(people, account):
    draft = approved(people, account, Content(text="Terima kasih, kami cek", reply_to="111",
                                              reply_to_text="Antrean lama"))
    assert draft.status == DraftStatus.SCHEDULED
    first = draft.current_version.content_hash
    services.new_version(people["author"], draft, Content(text="Terima kasih, kami cek", reply_to="222",
                                                          reply_to_text="Antrean lama"), base_version=1)
    assert draft.current_version.content_hash != first and not services.evaluation_for(draft).cleared
    second = draft.current_version.content_hash
    services.new_version(people["author"], draft, Content(text="Terima kasih, kami cek", reply_to="222",
                                                          reply_to_text="Antrean sangat lama"), base_version=2)
    assert draft.current_version.content_hash != second
    services.schedule(people["admin"], draft, None, base_version=3)   # a schedule change keeps the reply
    assert (draft.current_version.reply_to, draft.current_version.reply_to_text) == ("222", "Antrean sangat lama")


def test_a_reply_is_stored_in_the_connectors_form_and_bad_input_is_refused(people, account):
    draft = services.create_draft(people["author"], account, Content(
        text="Terima kasih", reply_to="http://127.0.0.1:9/@warga/4455", reply_to_text="  Antrean lama  "))
    assert (draft.current_version.reply_to, draft.current_version.reply_to_text) == ("4455", "Antrean lama")
    with pytest.raises(WorkflowError, match="In reply to: .*not a Mastodon post"):
        services.create_draft(people["author"], account, Content(text="Hai", reply_to="https://x.com/a/status/1"))
    with pytest.raises(WorkflowError, match="not which post it is"):
        services.create_draft(people["author"], account, Content(text="Hai", reply_to_text="Antrean lama"))
    assert Draft.objects.count() == 1


# --- screening in context --------------------------------------------------------------------------------

def test_a_dismissive_reply_gets_the_reply_verdict_on_save_live_and_on_submit(people, account, monkeypatch):
    alone = services.create_draft(people["author"], account, Content(text=DISMISSIVE))
    assert alone.current_version.verdict == "ok"
    reply = services.create_draft(people["author"], account, Content(text=DISMISSIVE, reply_to="1",
                                                                     reply_to_text=COMPLAINT))
    assert reply.current_version.verdict == "review"
    assert "Kenapa biaya" in reply.current_version.screening["findings"][0]["message"]
    client = verified_client(people["author"])
    live = client.post(reverse("publishing:screen"), {"text": DISMISSIVE, "reply_to_text": COMPLAINT})
    assert 'data-verdict="review"' in live.content.decode()
    assert 'data-verdict="ok"' in client.post(reverse("publishing:screen"), {"text": DISMISSIVE}).content.decode()
    # Submitting screens again, still in context: a policy that now blocks such replies refuses the submit.
    monkeypatch.setattr(screening, "_engine", lambda: lambda text, *, reply_to_text=None, **_: FakeResult(
        "block" if reply_to_text == COMPLAINT else "ok"))
    with pytest.raises(WorkflowError, match="Screening blocked"):
        services.submit(people["author"], reply)
    services.submit(people["author"], alone)


def test_the_real_engine_judges_the_dismissive_reply_as_a_reply(people, account, monkeypatch):
    from kawal.engine.screen import screen

    monkeypatch.setattr(screening, "_engine", lambda: screen)
    draft = services.create_draft(people["author"], account, Content(text=DISMISSIVE, reply_to="1",
                                                                     reply_to_text=COMPLAINT))
    version = draft.current_version
    assert version.verdict in ("review", "block")
    assert any("As a reply" in f["message"] for f in version.screening["findings"])


# --- pages and API ---------------------------------------------------------------------------------------

def test_the_composer_and_edit_form_take_a_reply_and_the_draft_page_shows_it(people, account):
    client = verified_client(people["author"])
    page = client.get(reverse("publishing:compose")).content.decode()
    assert 'name="reply_to"' in page and 'name="reply_to_text"' in page
    response = client.post(reverse("publishing:compose"), {
        "account": account.pk, "text": "Terima kasih, kami cek", "reply_to": "http://127.0.0.1:9/@warga/77",
        "reply_to_text": COMPLAINT, "scheduled_at": ""})
    draft = Draft.objects.get()
    assert response.status_code == 302
    shown = client.get(reverse("publishing:draft", args=[draft.pk])).content.decode()
    assert "In reply to" in shown and "http://127.0.0.1:9/web/statuses/77" in shown and "Kenapa biaya" in shown
    assert 'value="77"' in shown   # the edit form starts from what the version answers
    client.post(reverse("publishing:edit", args=[draft.pk]), {
        "text": "Terima kasih, kami cek", "reply_to": "https://x.com/a/status/5", "base_version": 1})
    assert draft.versions.count() == 1   # refused, with the reason
    client.post(reverse("publishing:edit", args=[draft.pk]), {"text": "Terima kasih, kami cek", "reply_to": "",
                                                             "reply_to_text": "", "base_version": 1})
    draft.refresh_from_db()
    assert draft.versions.count() == 2 and draft.current_version.reply_to == ""


def test_the_composer_says_why_a_reply_target_is_refused(people, account):
    client = verified_client(people["author"])
    response = client.post(reverse("publishing:compose"), {
        "account": account.pk, "text": "Hai", "reply_to": "https://bsky.app/profile/a/post/b"}, follow=True)
    assert "not a Mastodon post" in response.content.decode() and not Draft.objects.exists()


def test_the_api_writes_and_edits_replies(people, account, org):
    auth = {"HTTP_AUTHORIZATION": "Bearer " + ApiToken.issue(people["author"], org, "t")[1]}
    client = Client()
    created = client.post("/api/publishing/drafts", json.dumps({
        "account_id": account.pk, "text": "Terima kasih", "reply_to": "http://127.0.0.1:9/@warga/9",
        "reply_to_text": COMPLAINT}), content_type="application/json", **auth)
    assert created.status_code == 201
    body = created.json()
    assert (body["reply_to"], body["reply_to_text"]) == ("9", COMPLAINT)
    bad = client.post("/api/publishing/drafts", json.dumps({"account_id": account.pk, "text": "Hai",
                                                            "reply_to": "nine"}),
                      content_type="application/json", **auth)
    assert bad.status_code == 400 and "not a Mastodon post id" in bad.content.decode()
    url = f"/api/publishing/drafts/{body['id']}/versions"
    kept = client.post(url, json.dumps({"text": "Terima kasih banyak", "base_version": 1}),
                       content_type="application/json", **auth).json()
    assert (kept["reply_to"], kept["reply_to_text"]) == ("9", COMPLAINT)
    moved = client.post(url, json.dumps({"text": "Terima kasih banyak", "base_version": 2, "reply_to": "10"}),
                        content_type="application/json", **auth).json()
    assert (moved["reply_to"], moved["reply_to_text"]) == ("10", "")   # the old text belonged to post 9
    cleared = client.post(url, json.dumps({"text": "Terima kasih banyak", "base_version": 3, "reply_to": ""}),
                          content_type="application/json", **auth).json()
    assert cleared["reply_to"] == "" and cleared["content_hash"] == content_hash(
        "Terima kasih banyak", account=account.pk)


# --- publishing ------------------------------------------------------------------------------------------

@pytest.fixture
def mastodon(org):
    with LocalMastodon() as server:
        account = SocialAccount(organization=org, platform="mastodon", handle="humas", base_url=server.url)
        account.set_credentials(server.add_account("humas", display_name="Humas"))
        account.save()
        server.add_account("warga", display_name="Warga")
        yield server, account


def test_the_worker_publishes_a_reply_the_platform_records_as_one(people, mastodon):
    server, account = mastodon
    complaint = server.post_direct("warga", COMPLAINT)
    draft = approved(people, account, Content(text="Terima kasih, kami cek dulu ya",
                                              reply_to=f"{server.url}/@warga/{complaint.id}",
                                              reply_to_text=COMPLAINT))
    assert draft.current_version.reply_to == complaint.id
    assert publisher.publish_next() is True
    reply = next(p for p in server.live_posts() if p.text == "Terima kasih, kami cek dulu ya")
    assert reply.reply_to == complaint.id
    assert LedgerEntry.objects.get().platform_id == reply.id


def test_the_worker_screens_the_reply_in_context_before_posting(people, mastodon, monkeypatch):
    server, account = mastodon
    complaint = server.post_direct("warga", COMPLAINT)
    draft = approved(people, account, Content(text="Terima kasih, kami cek", reply_to=complaint.id,
                                              reply_to_text=COMPLAINT))
    # Screening changed after the approval: replies to this complaint are now blocked.
    monkeypatch.setattr(screening, "_engine", lambda: lambda text, *, reply_to_text=None, **_: FakeResult(
        "block" if reply_to_text == COMPLAINT else "ok"))
    assert publisher.publish_next() is True
    row = Outbox.objects.get(draft=draft)
    assert row.status == OutboxStatus.FAILED and "screening now blocks" in row.last_error
    assert [p.id for p in server.live_posts()] == [complaint.id]
