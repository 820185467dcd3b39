"""The pages as a person uses them: compose with live screening, review a diff, approve, refusals shown
as messages, the queue, the calendar."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kawal.apps.publishing import services
from kawal.apps.publishing.models import Draft, DraftStatus, Outbox
from kawal.apps.publishing.services import Content
from tests.publishing.conftest import verified_client

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return response.content.decode()


def test_the_composer_screens_live_and_saves_a_submitted_draft(people, account):
    client = verified_client(people["author"])
    page = client.get(reverse("publishing:compose"))
    assert 'hx-post' in text_of(page) or "publishing/screen/" in text_of(page)
    live = client.post(reverse("publishing:screen"), {"text": "Ini REVIEWME"})
    assert 'data-verdict="review"' in text_of(live) and "test review" in text_of(live)
    blocked = client.post(reverse("publishing:screen"), {"text": "BLOCKME"})
    assert 'data-verdict="block"' in text_of(blocked)
    response = client.post(reverse("publishing:compose"), {"account": account.pk, "text": "Selamat pagi",
                                                            "scheduled_at": "", "submit_now": "on"})
    draft = Draft.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("publishing:draft", args=[draft.pk])
    assert draft.status == DraftStatus.IN_REVIEW


def test_a_blocked_text_is_saved_but_not_submitted_with_a_clear_message(people, account):
    client = verified_client(people["author"])
    response = client.post(reverse("publishing:compose"), {"account": account.pk, "text": "NIK BLOCKME",
                                                            "submit_now": "on"}, follow=True)
    assert "Screening blocked this text" in text_of(response)
    assert Draft.objects.get().status == DraftStatus.DRAFT


def test_the_draft_page_shows_the_diff_and_refuses_a_stale_approval_with_a_message(people, account):
    draft = services.create_draft(people["author"], account, Content(text="Baris satu\nBaris dua"))
    services.submit(people["author"], draft)
    stale_hash = draft.current_version.content_hash
    approver = verified_client(people["approver"])
    page = text_of(approver.get(reverse("publishing:draft", args=[draft.pk])))
    assert stale_hash in page and "Approve version 1" in page
    # the author edits while the approver has the page open
    author = verified_client(people["author"])
    author.post(reverse("publishing:edit", args=[draft.pk]), {"text": "Baris satu\nBaris tiga",
                                                             "base_version": 1, "scheduled_at": ""})
    response = approver.post(reverse("publishing:approve", args=[draft.pk]), {"content_hash": stale_hash},
                             follow=True)
    page = text_of(response)
    assert "This version is out of date" in page
    assert 'kawal-diff-remove">-Baris dua' in page and 'kawal-diff-add">+Baris tiga' in page
    assert not Outbox.objects.exists()


def test_self_approval_through_the_web_is_refused_with_a_message(people, org, account):
    from tests.publishing.conftest import make_member

    both = make_member(org, "both", ["author", "approver"])
    draft = services.create_draft(both, account, Content(text="Saya tulis sendiri"))
    services.submit(both, draft)
    response = verified_client(both).post(reverse("publishing:approve", args=[draft.pk]),
                                          {"content_hash": draft.current_version.content_hash}, follow=True)
    assert "you cannot approve it" in text_of(response)
    assert not draft.decisions.exists()


def test_the_queue_shows_whose_turn_it_is_and_the_calendar_shows_scheduled_posts(people, account, org):
    when = timezone.now() + timedelta(days=1)
    draft = services.create_draft(people["author"], account, Content(text="Jadwal besok", scheduled_at=when))
    services.submit(people["author"], draft)
    queue = text_of(verified_client(people["approver"]).get(reverse("publishing:queue")))
    assert "Jadwal besok" in queue and "your turn" in queue
    assert "your turn" not in text_of(verified_client(people["viewer"]).get(reverse("publishing:queue")))
    services.approve(people["approver"], draft, draft.current_version.content_hash)
    local = when.astimezone(__import__("zoneinfo").ZoneInfo(org.timezone))
    calendar = verified_client(people["viewer"]).get(reverse("publishing:calendar"),
                                                     {"month": local.strftime("%Y-%m")})
    page = text_of(calendar)
    assert "kawal-cal-scheduled" in page and "Jadwal besok" in page and local.strftime("%H:%M") in page
    bad = verified_client(people["viewer"]).get(reverse("publishing:calendar"), {"month": "2026-13"}, follow=True)
    assert "is not a month" in text_of(bad)


def test_the_pages_speak_indonesian(people, account, settings):
    draft = services.create_draft(people["author"], account, Content(text="Halo"))
    services.submit(people["author"], draft)
    client = verified_client(people["approver"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    assert "Menunggu persetujuan" in text_of(client.get(reverse("publishing:queue")))
    assert "Setujui versi 1" in text_of(client.get(reverse("publishing:draft", args=[draft.pk])))


def test_refusals_are_shown_in_the_readers_language(people, account, settings):
    draft = services.create_draft(people["author"], account, Content(text="Halo"))
    services.submit(people["author"], draft)
    client = verified_client(people["author"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    response = client.post(reverse("publishing:approve", args=[draft.pk]),
                           {"content_hash": draft.current_version.content_hash}, follow=True)
    assert "Anda menulis (sebuah versi) draf ini" in text_of(response)
    raw = __import__("kawal.apps.orgs.models", fromlist=["ApiToken"]).ApiToken.issue(
        people["approver"], account.organization, "t")[1]
    api = Client().post(f"/api/publishing/drafts/{draft.pk}/approvals", '{"content_hash": "%s"}' % ("0" * 64),
                        content_type="application/json", HTTP_AUTHORIZATION="Bearer " + raw,
                        HTTP_ACCEPT_LANGUAGE="id")
    assert api.status_code == 409 and "Versi ini sudah usang" in api.json()["detail"]


def test_an_executive_draft_says_whose_words_it_is_and_offers_the_principal_a_sign_off(people, executive):
    draft = services.create_draft(people["author"], executive, Content(text="Pesan Menteri"))
    services.submit(people["author"], draft)
    page = text_of(verified_client(people["principal"]).get(reverse("publishing:draft", args=[draft.pk])))
    assert "Written by author for menteri" in page and "Sign off in my name" in page
    other = text_of(verified_client(people["approver"]).get(reverse("publishing:draft", args=[draft.pk])))
    assert "Sign off in my name" not in other
