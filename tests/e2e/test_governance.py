"""Governance in Debian's Chromium against `kawal up --demo`: an executive's post needs the principal's own
sign-off after the approver's approval, and nothing publishes while the organisation is paused until an
admin resumes it; then it is published once on the executive's sandbox timeline."""

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


@pytest.fixture(scope="module")
def page(browser_context: Any) -> Any:
    return browser_context.pages[0] if browser_context.pages else browser_context.new_page()


def _on_timeline(kawal: Kawal) -> int:
    network = SandboxNetwork(kawal.data / "sandbox.sqlite3")
    try:
        return sum(post.text == CEO_TEXT for post in network.posts(EXECUTIVE))
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
    assert _status(page, kawal, draft) == "scheduled" and _on_timeline(kawal) == 0

    log_in(page, kawal, "demo-admin", two_factor=True)
    page.get_by_role("link", name="Approval queue", exact=True).first.click()
    page.get_by_role("button", name="Resume publishing").click()
    deadline = time.monotonic() + 30
    while _status(page, kawal, draft) != "published" and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _status(page, kawal, draft) == "published"
    assert _on_timeline(kawal) == 1
    page.screenshot(path=str(shots / "g2-published-after-resume.png"), full_page=True)
