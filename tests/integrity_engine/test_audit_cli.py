"""``kawal audit``: end to end on an X archive zip, a Mastodon archive and JSONL, with JSON and HTML output."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from kawal.cli.main import build_app
from kawal.engine.records import Post
from tests.integrity_engine.test_importers import FIXTURES, zip_folder

runner = CliRunner()


def write_timeline(path: Path, *, count: int = 120, hostile_last: bool = True) -> Path:
    start = datetime(2024, 1, 1, 3, tzinfo=UTC)
    posts = [Post("pemkot", str(i), start + timedelta(days=i, minutes=7 * (i % 5)),
                  f"Jadwal pelayanan kantor kecamatan hari ini nomor {i % 7}", client="Sprinklr")
             for i in range(count)]
    if hostile_last:
        posts.append(Post("pemkot", "evil", start + timedelta(days=count, hours=18),
                          "<script>alert(1)</script> FREE BITCOIN!!! https://claim-btc.xyz", client="Twitter Web App"))
    path.write_text("\n".join(json.dumps(p.to_json()) for p in posts), encoding="utf-8")
    return path


def test_it_prints_flagged_posts_with_reasons(tmp_path: Path) -> None:
    result = runner.invoke(build_app(), ["audit", "--fast", str(write_timeline(tmp_path / "t.jsonl"))])
    assert result.exit_code == 0, result.output
    assert "@pemkot: 121 posts scored, 1 flagged" in result.stdout
    assert "posted from 'Twitter Web App'; the last 120 posts all came from 'Sprinklr'" in result.stdout


def test_json_lines_have_one_object_per_post(tmp_path: Path) -> None:
    result = runner.invoke(build_app(), ["audit", "--fast", "--json", str(write_timeline(tmp_path / "t.jsonl"))])
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 121
    assert {"id", "created_at", "score", "flagged", "reasons", "learning"} <= set(records[0])
    assert records[0]["learning"] and not records[-1]["learning"] and records[-1]["flagged"]
    assert all(set(r) == {"signal", "detail", "weight"} for r in records[-1]["reasons"])


def test_html_report_is_self_contained_and_escapes_post_text(tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    result = runner.invoke(build_app(), ["audit", "--fast", "--html", str(report),
                                         str(write_timeline(tmp_path / "t.jsonl"))])
    assert result.exit_code == 0
    html = report.read_text(encoding="utf-8")
    assert html.count("<svg") == 3 and "Posting hours" in html and "Client mix" in html
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "src=" not in html and "<link" not in html   # no CDN, no external file


def test_baseline_and_sanctioned_clients(tmp_path: Path) -> None:
    baseline = write_timeline(tmp_path / "base.jsonl", hostile_last=False)
    target = tmp_path / "new.jsonl"
    post = Post("pemkot", "n1", datetime(2024, 6, 1, 3, 5, tzinfo=UTC), "Jadwal pelayanan kantor kecamatan hari ini",
                client="Hootsuite")
    target.write_text(json.dumps(post.to_json()), encoding="utf-8")
    result = runner.invoke(build_app(), ["audit", "--fast", "--json", "--baseline", str(baseline),
                                         "--sanctioned-client", "Sprinklr", "--sanctioned-client", "Buffer",
                                         str(target)])
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert not record["learning"] and record["flagged"]
    assert record["reasons"][0]["signal"] == "sanctioned_client"
    assert "(sanctioned: 'Sprinklr', 'Buffer')" in record["reasons"][0]["detail"]


def test_it_audits_an_x_archive_zip_and_a_mastodon_archive(tmp_path: Path) -> None:
    x_zip = zip_folder(FIXTURES / "x_archive", tmp_path / "twitter.zip")
    result = runner.invoke(build_app(), ["audit", "--fast", "--json", str(x_zip)])
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 4
    assert all(json.loads(line)["learning"] for line in result.stdout.splitlines())
    mastodon_zip = zip_folder(FIXTURES / "mastodon_archive", tmp_path / "mastodon.zip")
    result = runner.invoke(build_app(), ["audit", "--fast", str(mastodon_zip)])
    assert result.exit_code == 0 and "@kawal@social.example.id: 3 posts scored, 0 flagged" in result.stdout
    assert "orderedItems[3]" in result.stderr   # the skipped Like is reported, not dropped


def test_unreadable_input_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(build_app(), ["audit", str(tmp_path / "missing.zip")])
    assert result.exit_code == 2 and "missing.zip: no such file or folder" in result.stderr
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as handle:
        handle.writestr("readme.txt", "hello")
    result = runner.invoke(build_app(), ["audit", str(bad)])
    assert result.exit_code == 2 and "not an archive Kawal can read" in result.stderr
    result = runner.invoke(build_app(), ["audit", "--timezone", "Mars/Olympus", str(bad)])
    assert result.exit_code == 2 and "unknown time zone 'Mars/Olympus'" in result.stderr


def test_the_default_profile_runs_with_whatever_tone_model_is_installed(tmp_path: Path) -> None:
    result = runner.invoke(build_app(), ["audit", "--json", str(write_timeline(tmp_path / "t.jsonl", count=60))])
    assert result.exit_code == 0
    last = json.loads(result.stdout.splitlines()[-1])
    assert last["id"] == "evil" and last["flagged"]
