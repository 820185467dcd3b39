"""Governance in Debian's Chromium against `kawal up --demo`: an executive's post needs the principal's own
sign-off after the approver's approval, and nothing publishes while the organisation is paused until an
admin resumes it; then it is published once on the executive's sandbox timeline. Break-glass publishes at
once and opens a review that its publisher cannot close and someone else does."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest

from kawal.sources.platforms.sandbox import SandboxNetwork
from tests.e2e.conftest import Kawal, log_in

pytestmark = pytest.mark.e2e

CEO_TEXT = "Terima kasih kepada seluruh tim atas kerja keras tahun ini."
EXECUTIVE = "demo_ceo"
BRAND = "kawal_demo"
GLASS_TEXT = "Layanan daring sedang gangguan; kami sedang memperbaikinya."


@pytest.fixture(scope="module")
def page(browser_context: Any) -> Any:
    return browser_context.pages[0] if browser_context.pages else browser_context.new_page()


def _on_timeline(kawal: Kawal, text: str, handle: str) -> int:
    network = SandboxNetwork(kawal.data / "sandbox.sqlite3")
    try:
        return sum(post.text == text for post in network.posts(handle))
    finally:
        network.close()


def _status(page: Any, kawal: Kawal, draft_id: int) -> str:
    page.goto(f"{kawal.base}/publishing/drafts/{draft_id}/")
    return page.locator("[data-status]").first.get_attribute("data-status")


def test_principal_signs_off_and_nothing_publishes_while_paused(page: Any, kawal: Kawal, shots: Path) -> None:
    log_in(page, kawal, "demo-security")
    page.get_by_role("link", name="Approval queue", exact=True).first.click()
    page.fill("input[name=reason]", "Drill: hold everything")
    page.get_by_role("button", name="Pause all publishing").click()
    assert page.get_by_text("Publishing is paused for the whole organisation").count() >= 1

    log_in(page, kawal, "demo-author")
    page.goto(f"{kawal.base}/publishing/compose/")
    option = page.locator("#id_account option", has_text=EXECUTIVE).first.get_attribute("value")
    page.select_option("#id_account", option)
    page.fill("#id_text", CEO_TEXT)
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r"/publishing/drafts/\d+/$"))
    draft = int(re.search(r"/drafts/(\d+)/", page.url).group(1))

    log_in(page, kawal, "demo-approver", two_factor=True)
    page.goto(f"{kawal.base}/publishing/drafts/{draft}/")
    page.get_by_role("button", name="Approve version 1").click()
    page.wait_for_load_state()
    assert _status(page, kawal, draft) == "in_review"  # the principal has not signed it yet
    assert page.get_by_role("button", name="Sign off in my name").count() == 0  # not the approver's to sign

    log_in(page, kawal, "demo-principal")
    page.get_by_role("link", name="Approval queue", exact=True).first.click()
    row = page.locator("tr", has_text=CEO_TEXT[:40]).first
    assert "your turn" in row.inner_text()  # the queue tells the principal it is theirs to sign
    row.get_by_role("link").first.click()
    page.get_by_role("button", name="Sign off in my name").click()
    page.wait_for_load_state()
    assert _status(page, kawal, draft) == "scheduled"
    page.screenshot(path=str(shots / "g1-signed-off-while-paused.png"), full_page=True)
    time.sleep(3)  # the worker runs every second: paused, it must not publish
    assert _status(page, kawal, draft) == "scheduled" and _on_timeline(kawal, CEO_TEXT, EXECUTIVE) == 0

    log_in(page, kawal, "demo-admin", two_factor=True)
    page.get_by_role("link", name="Approval queue", exact=True).first.click()
    page.get_by_role("button", name="Resume publishing").click()
    deadline = time.monotonic() + 30
    while _status(page, kawal, draft) != "published" and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _status(page, kawal, draft) == "published"
    assert _on_timeline(kawal, CEO_TEXT, EXECUTIVE) == 1
    page.screenshot(path=str(shots / "g2-published-after-resume.png"), full_page=True)


def test_break_glass_publishes_now_and_someone_else_reviews_it(page: Any, kawal: Kawal, shots: Path) -> None:
    log_in(page, kawal, "demo-admin", two_factor=True)
    page.goto(f"{kawal.base}/publishing/compose/")
    # An admin sees the composer and the emergency form: each field keeps its own id (and label).
    assert page.locator("[id=id_text]").count() == 1 and page.locator("[id=glass_text]").count() == 1

    log_in(page, kawal, "demo-publisher", two_factor=True)
    page.get_by_role("link", name="Composer", exact=True).first.click()
    page.get_by_text("Emergency publishing (break-glass)").click()
    option = page.locator("#glass_account option", has_text=BRAND).first.get_attribute("value")
    page.select_option("#glass_account", option)
    page.fill("#glass_text", GLASS_TEXT)
    page.fill("#glass_reason", "Site outage: customers must know now")
    page.get_by_role("button", name="Publish now in an emergency").click()
    page.wait_for_url(re.compile(r"/publishing/drafts/\d+/$"))
    draft = int(re.search(r"/drafts/(\d+)/", page.url).group(1))
    deadline = time.monotonic() + 30
    while _status(page, kawal, draft) != "published" and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _status(page, kawal, draft) == "published" and _on_timeline(kawal, GLASS_TEXT, BRAND) == 1

    page.get_by_role("link", name="Approval queue", exact=True).first.click()
    row = page.locator("tr", has_text="Site outage")
    assert row.count() == 1  # at the top of the queue, waiting for someone else
    row.locator("input[name=note]").fill("I checked my own post")
    refused = page.request.post(kawal.base + row.locator("form").get_attribute("action"), form={
        "csrfmiddlewaretoken": row.locator("input[name=csrfmiddlewaretoken]").get_attribute("value"),
        "note": "I checked my own post"})
    assert refused.status == 403  # not by its publisher

    log_in(page, kawal, "demo-security")
    page.get_by_role("link", name="Approval queue", exact=True).first.click()
    row = page.locator("tr", has_text="Site outage")
    row.locator("input[name=note]").fill("Checked the text and the outage notice; fine.")
    row.get_by_role("button", name="Acknowledge").click()
    page.wait_for_load_state()
    assert page.locator("tr", has_text="Site outage").count() == 0
    page.screenshot(path=str(shots / "g3-emergency-reviewed.png"), full_page=True)
