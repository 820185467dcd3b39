"""The hijack drill in Debian's Chromium (Playwright): a security member posts directly on the sandbox as a
foreign client, clicks "Sync now", sees the unsanctioned post with its reasons, opens the incident (the
account is paused), and the notification reaches a local webhook receiver."""

from __future__ import annotations

import pytest

from kawal.apps.incidents.models import Incident
from kawal.apps.notifications.delivery import deliver_next
from kawal.apps.social.models import SocialAccount
from tests.publishing.test_browser import browser, page_as  # noqa: F401 (the fixture is used by name)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_hijack_drill_in_the_browser(browser, live_server, people, account, webhook, receiver):  # noqa: F811
    page = page_as(browser, live_server, people["security"])
    page.goto(f"/integrity/accounts/{account.pk}/")
    page.click("text=Post directly on the sandbox")
    page.fill("input[name=client]", "Twitter Web App")
    page.fill("textarea[name=text]", "Akun ini sudah kami ambil alih")
    page.click("text=Post on the sandbox")
    page.wait_for_selector("text=Sync now to see Kawal catch it")
    page.click("button:has-text('Sync now')")
    page.wait_for_selector("text=1 incident(s) opened")
    assert "Akun ini sudah kami ambil alih" in page.inner_text("table")
    page.click("a[href*='/incidents/']:has-text('Unsanctioned post on humas')")
    page.wait_for_url("**/incidents/*/")
    body = page.inner_text("main") if page.locator("main").count() else page.inner_text("body")
    assert "Twitter Web App" in body and "paused automatically" in body
    assert SocialAccount.objects.get(pk=account.pk).paused
    incident = Incident.objects.get()
    assert deliver_next() is True
    assert receiver.requests[0]["json"]["data"]["incident"] == incident.pk
