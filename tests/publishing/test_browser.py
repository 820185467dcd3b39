"""The composer and approval in Debian's Chromium (Playwright): live screening appears while typing, the
draft is saved and submitted, and a second user approves it from the draft page."""

from __future__ import annotations

import os

import pytest
from django.conf import settings

from kawal.apps.publishing.models import Draft, DraftStatus, Outbox
from tests.browser import launch, require_chromium
from tests.publishing.conftest import verified_client

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser():
    require_chromium()
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop here
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = launch(p)
        yield instance
        instance.close()


def page_as(browser, live_server, user):
    client = verified_client(user)   # logged in, two-factor verified
    context = browser.new_context(base_url=live_server.url)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                          "url": live_server.url}])
    return context.new_page()


def test_compose_with_live_screening_then_approve_in_the_browser(browser, live_server, people, account):
    author = page_as(browser, live_server, people["author"])
    author.goto("/publishing/compose/")
    author.fill("#id_text", "")
    author.locator("#id_text").press_sequentially("Pernyataan REVIEWME", delay=10)
    author.wait_for_selector('#screening [data-verdict="review"]', timeout=15000)
    assert "test review" in author.inner_text("#screening")
    author.click("#compose button[type=submit]")
    author.wait_for_url("**/publishing/drafts/*/")
    draft = Draft.objects.get()
    assert draft.status == DraftStatus.IN_REVIEW

    approver = page_as(browser, live_server, people["approver"])
    approver.goto(f"/publishing/drafts/{draft.pk}/")
    approver.click("text=Approve version 1")
    approver.wait_for_selector(".kawal-success")
    security = page_as(browser, live_server, people["security"])   # screening asked for the review step
    security.goto(f"/publishing/drafts/{draft.pk}/")
    security.click("text=Approve version 1")
    security.wait_for_selector('[data-status="scheduled"]')
    assert Outbox.objects.filter(draft=draft).count() == 1
