"""``kawal listen classify | fetch | report`` end to end, through the Typer app."""

from __future__ import annotations

import json
import math
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from kawal.cli.listen import register
from tests.listen.test_feeds import RSS

ORG_TOML = """[organization]
name = "PT Bank Contoh Tbk"
aliases = ["Bank Contoh"]
handles = ["@bankcontoh"]
products = ["ContohPay"]

[[executives]]
name = "Budi Santoso"
title = "Direktur Utama"
"""


def cli() -> typer.Typer:
    app = typer.Typer()
    app.callback()(lambda: None)
    register(app)
    return app


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(cli(), ["listen", *args], input=stdin)


@pytest.fixture
def org(tmp_path: Path) -> Path:
    path = tmp_path / "org.toml"
    path.write_text(ORG_TOML, encoding="utf-8")
    return path


def test_classify_reads_stdin_and_writes_one_record_per_item(org):
    lines = [
        {"id": "a", "title": "Layanan ContohPay Gangguan, Pelanggan Tak Bisa Transaksi", "text": "Sejak malam.",
         "url": "https://warta.example/a?utm_source=x"},
        {"id": "b", "title": "Layanan ContohPay gangguan, pelanggan tak bisa transaksi - Kabar", "text": "Sejak malam.",
         "url": "https://kabar.example/b"},
        {"id": "c", "text": "Saldo kepotong dua kali @bankcontoh, minta refund"},
    ]
    result = run("classify", "--jsonl", "-", "--org", str(org), stdin="\n".join(json.dumps(x) for x in lines))
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == ["a", "b", "c"]
    assert records[0]["topics"][0]["topic"] == "outage" and records[2]["topics"][0]["topic"] == "billing"
    assert {"name": "ContohPay", "kind": "own_product"} in records[0]["entities"]
    assert {"name": "@bankcontoh", "kind": "own_handle"} in records[2]["entities"]
    assert records[1]["duplicate_of"] == "a" and records[0]["duplicate_of"] is None
    assert records[1]["reasons"][-1] == "duplicate of a: same title"


def test_classify_reads_csv_and_reports_bad_rows_with_exit_status_1(tmp_path):
    path = tmp_path / "mentions.csv"
    path.write_text("id,text\n1,Tagihan dobel\n2\n,tanpa id\n", encoding="utf-8")
    result = run("classify", "--csv", str(path))
    assert result.exit_code == 1
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["1"]
    assert "rejected: line 4: 'id' is missing" in result.stderr
    assert "rejected: line 3: 1 field(s) fewer than the header has" in result.stderr
    assert "2 input record(s) rejected; 1 classified" in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["classify"], "give exactly one of --jsonl"),
    (["classify", "--jsonl", "nope.jsonl"], "cannot read nope.jsonl"),
    (["classify", "--jsonl", "-", "--topics", "nope.toml"], "cannot read topic file nope.toml"),
])
def test_classify_usage_errors_exit_2_with_a_message(args, message):
    result = run(*args, stdin="")
    assert result.exit_code == 2 and message in result.stderr


def test_classify_refuses_a_csv_without_a_text_column(tmp_path):
    path = tmp_path / "mentions.csv"
    path.write_text("id,body\n1,Tagihan dobel\n", encoding="utf-8")
    result = run("classify", "--csv", str(path))
    assert result.exit_code == 2 and "the CSV header lacks column(s) text; it has id, body" in result.stderr
    assert result.stdout == ""


def test_fetch_writes_items_and_remembers_validators(http_server, tmp_path):
    feed = http_server.serve("/rss", RSS, headers={"ETag": '"abc"'})
    broken = http_server.serve("/down", b"", status=503, content_type="text/plain")
    out, state = tmp_path / "items.jsonl", tmp_path / "state.json"
    result = run("fetch", feed, broken, "--out", str(out), "--state", str(state))
    assert result.exit_code == 1
    assert "failed: " + broken + ": server answered HTTP 503" in result.stderr
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [i["id"] for i in items] == ["warta-1001", "https://warta.example/bisnis/bank-contoh-phk"]
    assert items[0]["kind"] == "news" and items[0]["published_at"] == "2026-11-24T13:15:00Z"
    assert json.loads(state.read_text())[feed]["etag"] == '"abc"'
    again = run("fetch", feed, "--out", str(out), "--state", str(state))
    assert again.exit_code == 0
    assert http_server.requests[-1][1]["if-none-match"] == '"abc"'
    classified = run("classify", "--jsonl", str(out))
    assert classified.exit_code == 0
    assert [json.loads(line)["topics"][0]["topic"] for line in classified.stdout.splitlines()] == ["outage", "workforce"]


def _mentions(days: int = 4) -> list[dict]:
    """Mentions every 15 minutes with a daily rhythm, then an evening outage surge on the last day."""
    rnd = random.Random(5)
    start, rows = datetime(2026, 11, 1, tzinfo=UTC), []
    calm = ["Promo ContohPay minggu ini menarik", "Cara top up ContohPay gimana ya?", "Thanks @bankcontoh!"]
    angry = ["@bankcontoh gak bisa login, gangguan ya?", "ContohPay error terus, tidak bisa transaksi"]
    for step in range(days * 96):
        t = start + timedelta(minutes=15 * step)
        rate = 2 + 2 * math.sin(2 * math.pi * ((t.hour + 7) % 24 - 6) / 24)
        texts = [rnd.choice(calm) for _ in range(rnd.randint(max(0, int(rate) - 1), int(rate) + 1))]
        if step >= (days - 1) * 96 + 52 and step < (days - 1) * 96 + 58:
            texts += [rnd.choice(angry) for _ in range(25)]
        rows += [{"id": f"m{len(rows) + k}", "text": text, "published_at": t.isoformat(), "source": "test"}
                 for k, text in enumerate(texts)]
    return rows


def test_report_writes_a_self_contained_page_with_the_surge_marked(tmp_path, org):
    data = tmp_path / "mentions.jsonl"
    rows = _mentions()
    rows.append({"id": "x", "text": "<script>alert(1)</script> gangguan", "published_at": rows[-1]["published_at"],
                 "url": "https://evil.example/\"onmouseover=\"x"})
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\nnot json\n", encoding="utf-8")
    out = tmp_path / "report.html"
    result = run("report", "--jsonl", str(data), "--html", str(out), "--org", str(org))  # auto: 5-minute buckets
    assert result.exit_code == 1 and "line " in result.stderr  # the bad line is reported, the report written
    page = out.read_text(encoding="utf-8")
    assert "<svg" in page and 'fill="#d4380d"' in page  # the chart with a surge band
    assert "the usual" in page and "(outage) mentions in Indonesian" in page
    assert "Outage or service disruption" in page and "Rejected input" in page
    watched = page[page.index("Surges by sentiment and topic"):page.index("Top topics")]
    assert "<h3>Negative sentiment" in watched and "<h3>Outage or service disruption" in watched
    assert watched.count("class=alert>") >= 2  # the surge shows in its topic's own series too
    assert "<script>" not in page and "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert '"onmouseover' not in page


def test_report_refuses_items_without_times(tmp_path):
    data = tmp_path / "m.jsonl"
    data.write_text('{"id": 1, "text": "gangguan"}\n', encoding="utf-8")
    result = run("report", "--jsonl", str(data), "--html", str(tmp_path / "r.html"))
    assert result.exit_code == 2 and "no item has a published_at time" in result.stderr


def test_mentions_searches_through_the_platform_connector(tmp_path):
    from kawal.sources.platforms.sandbox import SandboxNetwork

    network = SandboxNetwork(tmp_path / "sandbox.sqlite3")
    for handle in ("bankcontoh", "ani", "budi"):
        network.add_account(handle)
    network.post_as("ani", "@bankcontoh gak bisa login dari tadi")
    network.post_as("budi", "Cuaca cerah hari ini")
    network.post_as("budi", "ContohPay gangguan? @bankcontoh")
    out = tmp_path / "mentions.jsonl"
    result = run("mentions", "bankcontoh", "--platform", "sandbox", "--handle", "bankcontoh",
                 "--base-url", str(tmp_path / "sandbox.sqlite3"), "--out", str(out))
    assert result.exit_code == 0, result.stderr
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(i["author"] for i in items) == ["ani", "budi"]
    assert all(i["kind"] == "mention" and i["source"] == "sandbox" for i in items)
    assert "2 mention(s) of 'bankcontoh' on sandbox; next time use --since-id" in result.stderr
    missing = run("mentions", "x", "--platform", "mastodon", "--handle", "a")
    assert missing.exit_code == 1 and "base_url must be the account's instance" in missing.stderr


def test_intake_command_serves_signed_posts_into_a_jsonl_file(tmp_path):
    import os
    import socket
    import subprocess
    import sys
    import time

    import httpx

    from kawal.sources.intake import sign

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    out, secret = tmp_path / "inbox.jsonl", "a-shared-secret-of-32-bytes-long"
    env = {**os.environ, "KAWAL_WEBHOOK_SECRET": secret}
    process = subprocess.Popen([sys.executable, "-m", "kawal.cli.main", "listen", "intake", "--out", str(out),
                                "--port", str(port)], env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    try:
        body = json.dumps([{"id": "w1", "text": "Tagihan dobel bulan ini"}]).encode()
        headers = {"Content-Type": "application/json", "X-Kawal-Signature": sign(body, secret.encode())}
        deadline, response = time.monotonic() + 20, None
        while response is None and time.monotonic() < deadline:
            try:
                response = httpx.post(f"http://127.0.0.1:{port}/kawal/items", content=body, headers=headers)
            except httpx.TransportError:
                time.sleep(0.2)
        assert response is not None and response.status_code == 202
        assert [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()] == ["w1"]
    finally:
        process.terminate()
        process.wait(timeout=10)
    short = subprocess.run([sys.executable, "-m", "kawal.cli.main", "listen", "intake", "--out", str(out)],
                           env={**os.environ, "KAWAL_WEBHOOK_SECRET": "short"}, capture_output=True, text=True)
    assert short.returncode == 2 and "KAWAL_WEBHOOK_SECRET: the webhook secret must be at least 16 bytes" in short.stderr
