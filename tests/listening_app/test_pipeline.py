"""A feed served by a local HTTP server goes through the job: fetched with conditional GET, stories
classified and stored once; a re-fetch and a syndicated copy add no story and no volume."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kawal.apps.listening.fetching import fetch_due_feeds
from kawal.apps.listening.models import Feed, ListenItem, VolumeBucket
from kawal.apps.listening.understanding import classify_pending
from kawal.apps.listening.volumes import count_pending

pytestmark = pytest.mark.django_db

OUTAGE = ("Nasabah mengeluhkan gangguan aplikasi ContohPay sejak pagi. Banyak pengguna tidak bisa transaksi "
          "dan tidak bisa login, sementara layanan pelanggan Bank Contoh belum memberi penjelasan. "
          "Otoritas Jasa Keuangan meminta bank segera memulihkan layanan dan memberi kompensasi kepada "
          "nasabah yang dirugikan oleh gangguan yang berlangsung lebih dari enam jam itu, kata juru bicara.")


def rss(entries: list[tuple[str, str, str, str]]) -> bytes:
    items = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title><link>{link}</link><description>{text}</description>"
        "<pubDate>Tue, 24 Nov 2026 05:00:00 GMT</pubDate></item>" for guid, title, link, text in entries)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Warta</title>'
            f"<link>https://warta.example/</link>{items}</channel></rss>").encode()


def conditional(server, path: str, body: bytes, etag: str) -> str:
    """Serve ``body`` with an ETag, and 304 to a request that sends that ETag back."""
    def handler(request) -> None:
        if request.headers.get("If-None-Match") == etag:
            request.send_response(304)
            request.end_headers()
            return
        request.send_response(200)
        request.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        request.send_header("ETag", etag)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)
    server.routes[path] = handler
    return server.url(path)


def run_jobs() -> None:
    fetch_due_feeds()
    while classify_pending():
        pass
    while count_pending():
        pass


def make_due(*feeds: Feed) -> None:
    Feed.objects.filter(pk__in=[f.pk for f in feeds]).update(next_fetch_at=timezone.now() - timedelta(seconds=1))


def test_feed_is_fetched_classified_and_stored_once(org, http_server):
    first = rss([("w-1", "Gangguan ContohPay bikin nasabah tidak bisa transaksi seharian",
                  "https://warta.example/ekonomi/gangguan-contohpay", OUTAGE),
                 ("w-2", "Bank Contoh buka cabang baru di Medan",
                  "https://warta.example/ekonomi/cabang-medan", "Bank Contoh membuka cabang baru di Medan.")])
    feed = Feed.objects.create(organization=org, url=conditional(http_server, "/rss", first, '"v1"'))
    run_jobs()

    stories = ListenItem.objects.filter(organization=org)
    assert stories.count() == 2
    outage = stories.get(external_id="w-1")
    assert outage.classified_at is not None and outage.lang == "id"
    assert "outage" in outage.topic_keys and outage.classification["topics"][0]["topic"] == "outage"
    assert {"name": "ContohPay", "kind": "own_product"} in outage.entities
    assert any("gangguan" in reason for reason in outage.reasons)
    feed.refresh_from_db()
    assert feed.etag == '"v1"' and feed.last_status.startswith("2 new")
    assert VolumeBucket.objects.get(organization=org, series="all").count == 2

    # The same feed again: the server answers 304 to the ETag; nothing is added.
    make_due(feed)
    run_jobs()
    feed.refresh_from_db()
    assert feed.last_status == "not modified"
    assert http_server.requests[-1][1].get("if-none-match") == '"v1"'
    assert ListenItem.objects.filter(organization=org).count() == 2

    # A partner site syndicates the outage story with tracking parameters and its own suffix.
    partner = rss([("p-9", "Gangguan ContohPay bikin nasabah tidak bisa transaksi seharian - Kabar.id",
                    "https://kabar.example/read/991?utm_source=rss", "Jakarta - " + OUTAGE)])
    copy_feed = Feed.objects.create(organization=org, url=http_server.serve("/partner", partner))
    run_jobs()
    copy = ListenItem.objects.get(organization=org, external_id="p-9")
    assert copy.duplicate_of_id == outage.pk and copy.duplicate_reason
    assert copy.classified_at is None and not copy.counted
    assert ListenItem.objects.filter(organization=org, duplicate_of__isnull=True).count() == 2
    assert VolumeBucket.objects.get(organization=org, series="all").count == 2

    # The partner feed served again without validators: the same entry is recognised and not stored twice.
    make_due(copy_feed)
    run_jobs()
    assert ListenItem.objects.filter(organization=org).count() == 3
    copy_feed.refresh_from_db()
    assert copy_feed.last_status.startswith("0 new, 0 duplicate(s) of known stories, 1 already seen")


def test_a_broken_feed_is_reported_on_the_feed_and_others_still_read(org, http_server):
    bad = Feed.objects.create(organization=org, url=http_server.serve("/gone", b"nope", status=500,
                                                                     content_type="text/plain"))
    good = Feed.objects.create(organization=org, url=http_server.serve(
        "/ok", rss([("k-1", "Tarif layanan naik lagi", "https://warta.example/tarif",
                     "Tarif layanan yang naik lagi ini membuat banyak nasabah di kota itu kecewa dengan bank.")])))
    run_jobs()
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.last_status == "failed" and "500" in bad.last_error
    assert good.last_status.startswith("1 new")
    assert ListenItem.objects.filter(feed=good).count() == 1


ARTICLE = ("<html><head><title>Gangguan</title></head><body><nav>Beranda | Ekonomi | Olahraga</nav>"
           "<article><h1>Gangguan ContohPay</h1>" + "".join(f"<p>{OUTAGE} Paragraf {n}.</p>" for n in range(3))
           + "</article><footer>Hak cipta Warta</footer></body></html>")


def test_a_full_text_feed_stores_the_article_page_text(org, http_server):
    page = http_server.serve("/artikel/1", ARTICLE.encode(), content_type="text/html; charset=utf-8")
    body = rss([("a-1", "Gangguan ContohPay seharian", page, "Ringkasan singkat saja.")])
    feed = Feed.objects.create(organization=org, url=http_server.serve("/full", body), full_text=True)
    run_jobs()
    story = ListenItem.objects.get(organization=org, external_id="a-1")
    assert "Paragraf 2" in story.text and "Beranda" not in story.text
    assert story.extras["summary"] == "Ringkasan singkat saja."
    make_due(feed)
    fetched = len(http_server.requests)
    run_jobs()
    assert [path for path, _ in http_server.requests[fetched:]] == ["/full"]   # the page is not read again


def test_a_story_the_engine_cannot_classify_keeps_the_reason(org, http_server, monkeypatch):
    from kawal.engine.listen.classify import Classifier

    def broken(self, item):
        raise RuntimeError("model file unreadable")

    monkeypatch.setattr(Classifier, "classify", broken)
    Feed.objects.create(organization=org, url=http_server.serve(
        "/x", rss([("x-1", "Judul", "https://warta.example/x", "Isi berita yang cukup panjang di sini.")])))
    run_jobs()
    story = ListenItem.objects.get(organization=org, external_id="x-1")
    assert story.classified_at is not None and story.counted
    assert story.reasons == ["classification failed: RuntimeError: model file unreadable"]


def test_the_worker_runs_the_listening_jobs():
    from kawal.apps.listening.fetching import fetch_due_feeds, run_due_queries
    from kawal.apps.listening.volumes import detect_surges
    from kawal.server.worker import discover_jobs, discover_periodic

    periodic = {fn for _, fn in discover_periodic()}
    assert {fetch_due_feeds, run_due_queries, detect_surges} <= periodic
    assert {classify_pending, count_pending} <= set(discover_jobs())
