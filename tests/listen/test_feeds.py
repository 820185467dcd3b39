"""Feeds against a local HTTP server: good feeds, broken feeds, conditional GET, article text."""

from __future__ import annotations

from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler

import httpx
import pytest

from kawal.sources.feeds import (
    FeedError,
    FeedState,
    Limits,
    extract_article_text,
    fetch_feed,
    with_article_text,
)

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Warta Ekonomi Contoh</title><link>https://warta.example/</link>
<item>
  <title>Layanan XYZ Gangguan, Pelanggan Tak Bisa Transaksi</title>
  <link>https://warta.example/ekonomi/layanan-xyz-gangguan?utm_source=rss</link>
  <guid>warta-1001</guid>
  <description>&lt;p&gt;Aplikasi &lt;b&gt;XYZ&lt;/b&gt; mengalami gangguan sejak pukul 19.00 WIB.&lt;/p&gt;</description>
  <pubDate>Tue, 24 Nov 2026 20:15:00 +0700</pubDate>
  <author>redaksi@warta.example (Redaksi)</author>
</item>
<item>
  <title>Bank Contoh Umumkan PHK 300 Karyawan</title>
  <link>https://warta.example/bisnis/bank-contoh-phk</link>
  <description>Bank Contoh melakukan pemutusan hubungan kerja terhadap 300 karyawan.</description>
  <pubDate>Mon, 23 Nov 2026 09:00:00 +0700</pubDate>
</item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Tech Wire</title><id>urn:tw</id>
<updated>2026-11-24T10:00:00Z</updated>
<entry><title>XYZ suffers data breach, millions of records leaked</title><id>urn:tw:1</id>
<link href="https://techwire.example/xyz-breach"/><updated>2026-11-24T10:00:00Z</updated>
<content type="html">&lt;p&gt;Attackers accessed customer data.&lt;/p&gt;</content></entry>
</feed>"""


@pytest.fixture
def client():
    with httpx.Client(follow_redirects=True) as c:
        yield c


def test_it_reads_rss_items_with_plain_text_and_utc_times(http_server, client):
    url = http_server.serve("/rss", RSS)
    result = fetch_feed(url, client=client)
    assert result.problems == []
    first, second = result.items
    assert first.id == "warta-1001"
    assert first.title == "Layanan XYZ Gangguan, Pelanggan Tak Bisa Transaksi"
    assert first.text == "Aplikasi XYZ mengalami gangguan sejak pukul 19.00 WIB."
    assert first.published_at == datetime(2026, 11, 24, 13, 15, tzinfo=UTC)
    assert first.kind == "news" and first.source == url
    assert second.id == "https://warta.example/bisnis/bank-contoh-phk"  # no guid: the link identifies it


def test_it_reads_atom_content(http_server, client):
    result = fetch_feed(http_server.serve("/atom", ATOM, content_type="application/atom+xml"), client=client)
    (item,) = result.items
    assert item.url == "https://techwire.example/xyz-breach"
    assert item.text == "Attackers accessed customer data."


def test_it_sends_the_validators_back_and_understands_304(http_server, client):
    def conditional(request: BaseHTTPRequestHandler) -> None:
        if request.headers.get("If-None-Match") == '"v1"':
            request.send_response(304)
            request.end_headers()
            return
        request.send_response(200)
        request.send_header("Content-Type", "application/rss+xml")
        request.send_header("ETag", '"v1"')
        request.send_header("Last-Modified", "Tue, 24 Nov 2026 13:00:00 GMT")
        request.send_header("Content-Length", str(len(RSS)))
        request.end_headers()
        request.wfile.write(RSS)
    http_server.routes["/cond"] = conditional
    first = fetch_feed(http_server.url("/cond"), client=client)
    assert len(first.items) == 2 and first.state.etag == '"v1"'
    second = fetch_feed(http_server.url("/cond"), client=client,
                        state=FeedState.from_json(first.state.to_json()))
    assert second.not_modified and second.items == []
    assert second.state.last_modified == "Tue, 24 Nov 2026 13:00:00 GMT"
    _, headers = http_server.requests[-1]
    assert headers["if-modified-since"] == "Tue, 24 Nov 2026 13:00:00 GMT"


def test_malformed_xml_keeps_what_the_lenient_parser_recovered_and_says_so(http_server, client):
    broken = RSS.replace(b"</channel></rss>", b"<item><title>Unclosed")
    result = fetch_feed(http_server.serve("/broken", broken), client=client)
    assert [item.id for item in result.items][:2] == ["warta-1001", "https://warta.example/bisnis/bank-contoh-phk"]
    assert any("feed is damaged" in problem for problem in result.problems)


def test_an_html_page_is_not_a_feed(http_server, client):
    page = b"<html><head><title>Beranda</title></head><body><p>Berita terkini</p></body></html>"
    with pytest.raises(FeedError, match="not an RSS or Atom feed.*text/html"):
        fetch_feed(http_server.serve("/page", page, content_type="text/html"), client=client)


def test_a_feed_with_the_wrong_content_type_is_read_with_a_warning(http_server, client):
    result = fetch_feed(http_server.serve("/plain", RSS, content_type="text/plain"), client=client)
    assert len(result.items) == 2
    assert any("content type 'text/plain'" in problem for problem in result.problems)


def test_http_500_names_the_status(http_server, client):
    url = http_server.serve("/err", b"oops", status=500, content_type="text/plain")
    with pytest.raises(FeedError, match="HTTP 500") as caught:
        fetch_feed(url, client=client)
    assert caught.value.status == 500


def test_a_server_that_does_not_answer_times_out(http_server, client):
    url = http_server.slow("/slow", delay=1.5)
    with pytest.raises(FeedError, match="timed out"):
        fetch_feed(url, client=client, limits=Limits(timeout=0.3))


def test_a_huge_body_is_refused_by_declared_and_by_streamed_size(http_server, client):
    huge = RSS + b"<!--" + b"x" * 200_000 + b"-->"
    with pytest.raises(FeedError, match="more than the limit of 50,000"):
        fetch_feed(http_server.serve("/huge", huge), client=client, limits=Limits(max_bytes=50_000))

    def chunked(request: BaseHTTPRequestHandler) -> None:  # no Content-Length: only streaming can tell
        request.send_response(200)
        request.send_header("Content-Type", "application/rss+xml")
        request.end_headers()
        for _ in range(40):
            request.wfile.write(b"x" * 4096)
    http_server.routes["/stream"] = chunked
    with pytest.raises(FeedError, match="larger than the limit"):
        fetch_feed(http_server.url("/stream"), client=client, limits=Limits(max_bytes=50_000))


def test_a_wrongly_declared_encoding_is_decoded_and_reported(http_server, client):
    latin = RSS.decode().replace("Gangguan", "Gangguan Café").encode("latin-1")  # declared utf-8
    result = fetch_feed(http_server.serve("/latin", latin, content_type="application/rss+xml"), client=client)
    assert "Café" in result.items[0].title
    assert any("encoding" in problem.lower() for problem in result.problems)


def test_entries_with_nothing_to_read_are_reported_not_dropped_silently(http_server, client):
    empty = RSS.replace(b"</channel>", b"<item><category>x</category></item></channel>")
    result = fetch_feed(http_server.serve("/empty-entry", empty), client=client)
    assert len(result.items) == 2
    assert result.problems == ["entry 3 skipped: it has no title, text or link"]


def test_only_http_urls_are_fetched(client):
    with pytest.raises(FeedError, match="only http"):
        fetch_feed("file:///etc/passwd", client=client)


ARTICLE = """<!doctype html><html lang="id"><head><title>Layanan XYZ Gangguan - Warta</title></head><body>
<header><nav><a href="/">Beranda</a> | <a href="/ekonomi">Ekonomi</a> | <a href="/login">Masuk</a></nav></header>
<div class="ads">Promo kartu kredit! Daftar sekarang dan dapatkan cashback 50%.</div>
<main><article><h1>Layanan XYZ Gangguan, Pelanggan Tak Bisa Transaksi</h1>
<p>Jakarta - Aplikasi pembayaran XYZ mengalami gangguan sejak Selasa malam. Ribuan pelanggan mengeluhkan
tidak bisa login dan transaksi gagal, sementara saldo sebagian pelanggan terpotong.</p>
<p>Direktur Utama XYZ, Budi Santoso, menyatakan tim teknis sedang menangani masalah tersebut dan meminta
maaf kepada seluruh pelanggan atas ketidaknyamanan yang terjadi.</p>
<p>Otoritas Jasa Keuangan (OJK) meminta XYZ segera memulihkan layanan dan melaporkan penyebab gangguan.</p>
</article></main>
<aside><h3>Berita Terpopuler</h3><ul><li><a href="/a">Harga emas naik</a></li><li><a href="/b">Resep rendang</a></li></ul></aside>
<footer>Copyright 2026 Warta Ekonomi Contoh. Hak cipta dilindungi. Kebijakan privasi. Pedoman media siber.</footer>
</body></html>"""


def test_article_text_drops_navigation_ads_and_footer():
    text = extract_article_text(ARTICLE)
    assert text is not None
    assert "tidak bisa login dan transaksi gagal" in text
    assert "OJK" in text
    for boilerplate in ("Beranda", "cashback", "Resep rendang", "Hak cipta"):
        assert boilerplate not in text


def test_with_article_text_replaces_the_summary_and_keeps_it(http_server, client):
    url = http_server.serve("/rss", RSS.replace(b"https://warta.example/ekonomi/layanan-xyz-gangguan?utm_source=rss",
                                                http_server.url("/artikel").encode()))
    http_server.serve("/artikel", ARTICLE.encode(), content_type="text/html; charset=utf-8")
    item = fetch_feed(url, client=client).items[0]
    full, problem = with_article_text(item, client=client)
    assert problem is None
    assert "Budi Santoso" in full.text and full.extras["summary"] == item.text


def test_a_missing_article_keeps_the_summary_with_a_reason(http_server, client):
    feed = RSS.replace(b"https://warta.example/bisnis/bank-contoh-phk", http_server.url("/hilang").encode())
    item = fetch_feed(http_server.serve("/rss", feed), client=client).items[1]
    same, problem = with_article_text(item, client=client)
    assert same is item
    assert problem is not None and "HTTP 404" in problem and "kept the feed summary" in problem
