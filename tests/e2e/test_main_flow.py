"""The main flow in Debian's Chromium against `kawal up --demo`, as people would do it.

An author drafts two posts for the sandbox account ``kawal_demo`` and sees the live screening verdict; the
approver (two-factor code computed from the seeded device key) approves them; the author cannot approve
their own draft (no button, and a forged POST is refused). The first post is published once by the worker,
appears on the sandbox timeline and, after a sync, is shown as published by Kawal. Then a post made directly
on the sandbox by another client opens an incident within one sync, pauses the account (the second post
stays scheduled) and a notification reaches a webhook receiver started here. The incident cannot be closed
without a resolution category and a note. Finally the pages render in Indonesian.

The tests of this module run in order and share one server and one browser profile.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from kawal.sources.platforms.sandbox import SandboxNetwork
from tests.e2e.conftest import Kawal, log_in

pytestmark = pytest.mark.e2e

NOW_TEXT = "Selamat pagi! Layanan pelanggan kami buka pukul 08.00 hari ini."
LATER_TEXT = "Besok kami umumkan jadwal layanan akhir pekan."
HIJACK_TEXT = "FREE CRYPTO GIVEAWAY, send 1 BTC to claim http://bit.ly/x"
HIJACK_CLIENT = "Twitter Web App"
ACCOUNT = "kawal_demo"


class WebhookReceiver:
    """A local HTTP endpoint that records every JSON body posted to it."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        bodies = self.bodies

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                bodies.append(json.loads(raw or b"null"))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def receiver() -> Iterator[WebhookReceiver]:
    hook = WebhookReceiver()
    yield hook
    hook.close()


@pytest.fixture(scope="module")
def state() -> dict[str, Any]:
    return {}


@pytest.fixture(scope="module")
def page(browser_context: Any) -> Any:
    return browser_context.pages[0] if browser_context.pages else browser_context.new_page()


def _sandbox(kawal: Kawal) -> SandboxNetwork:
    return SandboxNetwork(kawal.data / "sandbox.sqlite3")


def _timeline_texts(kawal: Kawal) -> list[str]:
    network = _sandbox(kawal)
    try:
        return [post.text for post in network.posts(ACCOUNT)]
    finally:
        network.close()


def _content_hash(kawal: Kawal, draft_id: int) -> str:
    """The exact hash an approval must carry (a forger could work it out; the test reads it)."""
    with sqlite3.connect(kawal.data / "kawal.sqlite3") as db:
        (value,) = db.execute("SELECT v.content_hash FROM publishing_draft d JOIN publishing_draftversion v "
                              "ON v.id = d.current_version_id WHERE d.id = ?", (draft_id,)).fetchone()
    return value


def _compose(page: Any, kawal: Kawal, text: str, *, when: str = "") -> int:
    page.goto(f"{kawal.base}/publishing/compose/")
    value = page.locator("#id_account option", has_text=ACCOUNT).first.get_attribute("value")
    page.select_option("#id_account", value)
    page.fill("#id_text", text[:-1])
    page.locator("#id_text").press_sequentially(text[-1])  # a keystroke: screening runs on a pause in typing
    page.wait_for_selector("#screening [data-verdict]")
    if when:
        page.fill("#id_scheduled_at", when)
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r"/publishing/drafts/\d+/$"))
    return int(re.search(r"/drafts/(\d+)/", page.url).group(1))


def _status(page: Any, kawal: Kawal, draft_id: int) -> str:
    page.goto(f"{kawal.base}/publishing/drafts/{draft_id}/")
    return page.locator("[data-status]").first.get_attribute("data-status")


def _sync_now(page: Any) -> None:
    """Press Sync now; if the scheduler's own sync of the account is running, press again when it is done."""
    for _ in range(10):
        page.get_by_role("button", name="Sync now").click()
        page.wait_for_load_state()
        if page.get_by_text("being synced right now").count() == 0:
            return
        time.sleep(1)
    raise AssertionError("the account stayed busy syncing")


def _wait_for(check: Any, *, timeout: float = 30.0, every: float = 0.5) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(every)


def test_author_drafts_sees_screening_and_submits(page: Any, kawal: Kawal, state: dict[str, Any],
                                                  shots: Path) -> None:
    log_in(page, kawal, "demo-author")
    state["now"] = _compose(page, kawal, NOW_TEXT)
    page.screenshot(path=str(shots / "1-draft-submitted.png"), full_page=True)
    assert page.locator("[data-status]").first.get_attribute("data-status") == "in_review"
    assert page.locator("[data-verdict]").first.get_attribute("data-verdict") in {"ok", "review"}
    # The composer showed the live verdict before saving; check it once more on its own.
    page.goto(f"{kawal.base}/publishing/compose/")
    page.locator("#id_text").press_sequentially("Hubungi 0812-3456-7890 atau rek BCA 1234567890 a.n. Budi")
    verdict = page.wait_for_selector("#screening [data-verdict]")
    assert verdict.get_attribute("data-verdict") in {"review", "block"}
    page.screenshot(path=str(shots / "0-composer-live-screening.png"), full_page=True)
    state["later"] = _compose(page, kawal, LATER_TEXT, when="2031-06-01T09:00")


def test_author_cannot_approve_their_own_draft(page: Any, kawal: Kawal, state: dict[str, Any]) -> None:
    page.goto(f"{kawal.base}/publishing/drafts/{state['now']}/")
    assert page.get_by_role("button", name=re.compile("Approve")).count() == 0
    token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    forged = page.request.post(f"{kawal.base}/publishing/drafts/{state['now']}/approve/",
                               form={"csrfmiddlewaretoken": token, "content_hash": _content_hash(kawal, state["now"])})
    # Refused: either outright (403) or back on the draft page with the reason.
    assert forged.status == 403 or "you cannot approve it" in forged.text(), forged.text()[:500]
    assert _status(page, kawal, state["now"]) == "in_review"


def test_approver_with_2fa_approves_and_the_worker_publishes_once(page: Any, kawal: Kawal, state: dict[str, Any],
                                                                   shots: Path) -> None:
    log_in(page, kawal, "demo-approver", two_factor=True)
    page.goto(f"{kawal.base}/publishing/")
    assert page.get_by_text(NOW_TEXT[:30]).count() >= 1  # in the approval queue
    for key in ("now", "later"):
        page.goto(f"{kawal.base}/publishing/drafts/{state[key]}/")
        page.get_by_role("button", name="Approve version 1").click()
        page.wait_for_load_state()
    assert _status(page, kawal, state["later"]) == "scheduled"
    assert _wait_for(lambda: _status(page, kawal, state["now"]) == "published"), "the worker did not publish"
    page.screenshot(path=str(shots / "2-published.png"), full_page=True)
    assert _timeline_texts(kawal).count(NOW_TEXT) == 1
    time.sleep(2)  # another worker pass must not publish it again
    assert _timeline_texts(kawal).count(NOW_TEXT) == 1
    assert LATER_TEXT not in _timeline_texts(kawal)


def test_security_sees_the_post_reconciled_as_published_by_kawal(page: Any, kawal: Kawal, state: dict[str, Any],
                                                                 receiver: WebhookReceiver, shots: Path) -> None:
    log_in(page, kawal, "demo-security")
    # Found the way a person finds them: Incidents in the navigation, then the links on that page.
    page.get_by_role("link", name="Incidents", exact=True).first.click()
    page.wait_for_url("**/incidents/")
    page.get_by_role("link", name="Notification channels", exact=True).first.click()
    page.get_by_role("button", name="Add a channel").click()  # a link styled as a button
    page.fill("#id_name", "Local receiver")
    page.select_option("#id_kind", "webhook")
    page.fill("#id_url", receiver.url)
    page.locator("form:has(#id_url) button[type=submit]").click()
    page.wait_for_url(f"{kawal.base}/notifications/")
    assert page.get_by_text("Local receiver").count() >= 1

    page.get_by_role("link", name="Incidents", exact=True).first.click()
    page.wait_for_url("**/incidents/")
    page.get_by_role("link", name="Account integrity", exact=True).first.click()
    page.wait_for_url("**/integrity/")
    page.get_by_role("link", name=re.compile(ACCOUNT)).first.click()
    state["account_page"] = page.url
    _sync_now(page)
    row = page.locator("tr", has_text=NOW_TEXT[:40])
    assert row.count() == 1
    assert "Published by Kawal" in row.inner_text()
    page.screenshot(path=str(shots / "3-reconciled.png"), full_page=True)


def test_a_direct_post_opens_an_incident_pauses_and_notifies(page: Any, kawal: Kawal, state: dict[str, Any],
                                                            receiver: WebhookReceiver, shots: Path) -> None:
    network = _sandbox(kawal)
    try:
        network.post_as(ACCOUNT, HIJACK_TEXT, client=HIJACK_CLIENT)  # another client, straight on the platform
    finally:
        network.close()
    page.goto(state["account_page"])
    _sync_now(page)  # one sync
    row = page.locator("tr", has_text="FREE CRYPTO")
    assert row.count() == 1 and HIJACK_CLIENT in row.inner_text()
    assert "(sanctioned: 'Kawal')" in row.inner_text()  # each sanctioned client named once
    assert page.locator(".kawal-paused").count() == 1  # publishing paused on the account
    link = page.locator("a[href*='/incidents/']", has_text="#").first
    state["incident"] = link.get_attribute("href")
    page.screenshot(path=str(shots / "4-incident-opened.png"), full_page=True)

    assert _status(page, kawal, state["later"]) == "scheduled"  # held, not published
    assert LATER_TEXT not in _timeline_texts(kawal)
    bodies = _wait_for(lambda: [b for b in receiver.bodies if b.get("event") == "incident.opened"])
    assert bodies, f"no incident.opened notification reached the receiver: {receiver.bodies}"
    assert HIJACK_CLIENT in bodies[0]["text"]


def test_the_incident_needs_a_category_and_a_note_to_close(page: Any, kawal: Kawal, state: dict[str, Any],
                                                          shots: Path) -> None:
    page.goto(f"{kawal.base}{state['incident']}" if state["incident"].startswith("/") else state["incident"])
    resolve = page.locator("form[action$='/resolve/']")
    # A person could skip the browser's own checks; the server must refuse anyway.
    resolve.evaluate("f => f.querySelectorAll('[required]').forEach(e => e.removeAttribute('required'))")
    resolve.get_by_role("button", name="Resolve").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Resolve").count() == 1  # still open
    page.locator("form[action$='/resolve/'] select[name=category]").select_option("compromise")
    resolve = page.locator("form[action$='/resolve/']")
    resolve.evaluate("f => f.querySelectorAll('[required]').forEach(e => e.removeAttribute('required'))")
    resolve.get_by_role("button", name="Resolve").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Resolve").count() == 1  # a category alone is not enough
    page.locator("form[action$='/resolve/'] select[name=category]").select_option("compromise")
    page.fill("form[action$='/resolve/'] textarea[name=note]", "Password reset; the post was deleted.")
    page.get_by_role("button", name="Resolve").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Resolve").count() == 0
    assert "Password reset; the post was deleted." in page.content()
    page.screenshot(path=str(shots / "5-incident-resolved.png"), full_page=True)


def test_login_and_main_pages_in_indonesian(page: Any, kawal: Kawal, state: dict[str, Any], shots: Path) -> None:
    page.context.clear_cookies()
    page.goto(f"{kawal.base}/login/")
    page.locator("button.kawal-lang[value=id]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_text("Nama pengguna").count() >= 1
    page.screenshot(path=str(shots / "6-login-id.png"), full_page=True)
    page.fill("#id_username", "demo-security")
    page.fill("#id_password", kawal.logins["demo-security"])
    page.locator("form:has(#id_username) button[type=submit]").click()
    page.wait_for_url(f"{kawal.base}/")
    assert page.get_by_role("link", name="Antrean persetujuan").count() >= 1
    page.goto(f"{kawal.base}/publishing/")
    assert page.get_by_role("heading", name="Antrean persetujuan").count() == 1
    page.goto(f"{kawal.base}/incidents/")
    assert page.get_by_role("heading", name="Insiden").count() >= 1
    page.goto(state["account_page"])
    assert page.get_by_role("button", name="Sinkronkan sekarang").count() == 1
    assert page.get_by_role("heading", name="Unggahan yang teramati").count() == 1
    page.screenshot(path=str(shots / "7-integrity-id.png"), full_page=True)
