"""A person in Debian's Chromium: the demo admin logs in with two-factor, switches to Indonesian, reads the
audit log, creates an API token, and a demo author cannot open the audit log."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser import launch
from tests.core.test_up_smoke import _free_port, _wait_for

pytestmark = [pytest.mark.e2e]


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    data = tmp_path_factory.mktemp("e2e") / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAWAL_")}
    env["KAWAL_DATA_DIR"] = str(data)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kawal.cli.main", "up", "--demo", "--port", str(port)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=env)
    _wait_for(r"Kawal is running at", proc, [])
    yield f"http://127.0.0.1:{port}", data, env
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=30)


def _otp(data: Path, env: dict[str, str], user: str) -> str:
    out = subprocess.run([sys.executable, "-m", "kawal.cli.main", "demo-otp", user], env=env,
                         capture_output=True, text=True, timeout=60, check=True)
    return out.stdout.strip()


def test_admin_logs_in_with_2fa_and_works_in_indonesian(demo_server):
    from playwright.sync_api import sync_playwright

    base, data, env = demo_server
    logins = json.loads((data / "demo_logins.json").read_text())
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page()
        page.goto(f"{base}/login/")
        page.fill("#id_username", "demo-admin")
        page.fill("#id_password", logins["demo-admin"])
        page.get_by_role("button", name="Log in").last.click()
        page.wait_for_url("**/login/verify/**")
        page.fill("#id_otp_token", _otp(data, env, "demo-admin"))
        page.get_by_role("button", name="Verify").click()
        page.wait_for_url(f"{base}/")
        assert "Demo Agency (sandbox)" in page.content()
        assert page.get_by_text("Sandbox network").first.is_visible()
        page.get_by_role("button", name="ID").click()
        page.wait_for_load_state()
        assert page.get_by_role("link", name="Log audit").first.is_visible()
        page.get_by_role("link", name="Log audit").first.click()
        assert "login.2fa_verified" in page.content()
        page.get_by_role("button", name="Periksa rantai").click()  # htmx swaps the result in place
        page.wait_for_selector("text=Log audit utuh")
        page.goto(f"{base}/security/")
        page.fill("#id_name", "e2e")
        page.get_by_role("button", name="Buat token untuk Demo Agency (sandbox)").click()
        token = page.text_content("#new-token").strip()
        assert token.startswith("kwl_")
        page.reload()
        assert token not in page.content()
        browser.close()


def test_author_cannot_open_the_audit_log(demo_server):
    from playwright.sync_api import sync_playwright

    base, data, _ = demo_server
    logins = json.loads((data / "demo_logins.json").read_text())
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page()
        page.goto(f"{base}/login/")
        page.fill("#id_username", "demo-author")
        page.fill("#id_password", logins["demo-author"])
        page.get_by_role("button", name="Log in").last.click()
        page.wait_for_url(f"{base}/")
        assert page.get_by_role("link", name="Accounts").count() >= 1
        assert page.get_by_role("link", name="Audit log").count() == 0  # not offered to an author...
        response = page.goto(f"{base}/audit/")
        assert response.status == 403  # ...and not opened by typing the address
        browser.close()
