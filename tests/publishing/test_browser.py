"""The composer and approval in Debian's Chromium (Playwright): live screening appears while typing, the
draft is saved and submitted, and a second user approves it from the draft page."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.test import override_settings

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


def tiny_png(width: int = 24, height: int = 16) -> bytes:
    """A real PNG (so the browser draws it), written with zlib: a flat teal rectangle."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x00\x80\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def test_attach_an_image_in_the_composer_and_see_its_thumbnail(browser, live_server, people, account, tmp_path):
    with override_settings(DATA_DIR=tmp_path):   # the live server runs in this process
        author = page_as(browser, live_server, people["author"])
        author.goto("/publishing/compose/")
        author.fill("#id_text", "Foto kegiatan hari ini")
        author.set_input_files("#id_image_1", files=[{"name": "kegiatan.png", "mimeType": "image/png",
                                                       "buffer": tiny_png()}])
        author.fill("#id_alt_1", "Persegi hijau toska")
        author.click("#compose button[type=submit]")
        author.wait_for_url("**/publishing/drafts/*/")
        thumb = author.locator(".kawal-thumbs img")
        thumb.wait_for(timeout=10000)
        assert thumb.get_attribute("alt") == "Persegi hijau toska"
        author.wait_for_function("document.querySelector('.kawal-thumbs img').complete")
        assert author.evaluate("document.querySelector('.kawal-thumbs img').naturalWidth") == 24
        if os.environ.get("KAWAL_SCREENSHOTS"):
            author.screenshot(path=os.path.join(os.environ["KAWAL_SCREENSHOTS"], "draft-with-image.png"),
                              full_page=True)
    draft = Draft.objects.get()
    assert [m["name"] for m in draft.current_version.media] == ["kegiatan.png"]
