"""Archive importers: real layouts, and malformed or hostile input reported, never silently dropped."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kawal.sources.archives import ArchiveError, detect_importer, load_archive
from kawal.sources.archives.jsonl import JsonlImporter
from kawal.sources.archives.mastodon import MastodonArchiveImporter
from kawal.sources.archives.x import XArchiveImporter

FIXTURES = Path(__file__).parent / "fixtures"


def zip_folder(folder: Path, target: Path, *, prefix: str = "", extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, prefix + path.relative_to(folder).as_posix())
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return target


def copy_tree(source: Path, target: Path) -> Path:
    for path in source.rglob("*"):
        if path.is_file():
            dest = target / path.relative_to(source)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(path.read_bytes())
    return target


# -- X archive ---------------------------------------------------------------------------------------------
def test_it_reads_an_extracted_x_archive_with_all_fields() -> None:
    posts, report = load_archive(FIXTURES / "x_archive")
    assert report.skipped == [] and report.imported == 4
    assert [p.id for p in posts] == ["1040000000000000000", "1049403295201230848", "1049411111111111111",
                                     "1049500000000000001"]   # oldest first, across both parts
    first, news, reply, repost = posts
    assert {p.account for p in posts} == {"kawal_demo"}
    assert first.created_at == datetime(2018, 9, 15, 9, 0, tzinfo=UTC)
    assert news.client == "Sprinklr" and news.lang == "in" and news.platform == "x"
    assert news.text == "Jembatan baru sudah dibuka untuk umum & gratis. #Infrastruktur https://t.co/AbCdEf1234"
    assert news.urls == ("https://www.example.co.id/berita/jembatan-baru",)
    assert news.hashtags == ("Infrastruktur",)
    assert reply.reply_to == "1049410000000000000" and reply.reply_to_user == "BudiS"
    assert reply.mentions == ("budis",)
    assert repost.is_repost and repost.client == "Twitter Web App"
    assert repost.media == ("https://pbs.twimg.com/media/DpOAbc1.jpg", "https://pbs.twimg.com/media/DpOAbc2.jpg")


def test_it_reads_the_zip_even_inside_a_top_folder(tmp_path: Path) -> None:
    archive = zip_folder(FIXTURES / "x_archive", tmp_path / "twitter-2024-01-01.zip", prefix="twitter-2024/")
    assert isinstance(detect_importer(archive), XArchiveImporter)
    posts, report = load_archive(archive)
    assert len(posts) == 4 and report.skipped == []


def test_recently_deleted_tweets_are_imported_and_marked(tmp_path: Path) -> None:
    folder = copy_tree(FIXTURES / "x_archive", tmp_path / "x")
    (folder / "data" / "deleted-tweets.js").write_text(
        'window.YTD.deleted_tweets.part0 = [ {"tweet": {"id_str": "1050000000000000009", "created_at": '
        '"Fri Oct 12 01:02:03 +0000 2018", "full_text": "Free crypto for all followers!", "source": '
        '"<a href=\\"https://mobile.twitter.com\\" rel=\\"nofollow\\">Twitter Web App</a>", "entities": {}, '
        '"deleted_at": "Fri Oct 12 01:20:00 +0000 2018"}} ]', encoding="utf-8")
    posts, report = load_archive(folder)
    assert report.skipped == [] and len(posts) == 5
    deleted = posts[-1]
    assert deleted.id == "1050000000000000009" and deleted.client == "Twitter Web App"
    assert deleted.extras["deleted_at"] == "Fri Oct 12 01:20:00 +0000 2018"


def test_a_damaged_tweet_is_reported_and_the_rest_imported(tmp_path: Path) -> None:
    folder = copy_tree(FIXTURES / "x_archive", tmp_path / "x")
    tweets = folder / "data" / "tweets.js"
    text = tweets.read_text(encoding="utf-8")
    tweets.write_text(text.replace('"favorite_count" : "0",\n      "in_reply_to_status_id_str"',
                                   '"favorite_count" : "0" BROKEN,\n      "in_reply_to_status_id_str"'),
                      encoding="utf-8")
    posts, report = load_archive(folder)
    assert len(posts) == 3
    [skipped] = report.skipped
    assert skipped.file.endswith("data/tweets.js") and skipped.location.startswith("record 1 (line ")
    assert "invalid JSON" in skipped.problem


def test_a_wrong_wrapper_skips_that_file_with_a_clear_reason(tmp_path: Path) -> None:
    folder = copy_tree(FIXTURES / "x_archive", tmp_path / "x")
    (folder / "data" / "tweets-part1.js").write_text("var tweets = [];", encoding="utf-8")
    posts, report = load_archive(folder)
    assert len(posts) == 3
    [skipped] = report.skipped
    assert "window.YTD" in skipped.problem and skipped.location == "line 1"


def test_a_truncated_file_keeps_its_complete_records(tmp_path: Path) -> None:
    folder = copy_tree(FIXTURES / "x_archive", tmp_path / "x")
    tweets = folder / "data" / "tweets.js"
    text = tweets.read_text(encoding="utf-8")
    tweets.write_text(text[: text.index('"source" : "<a href=\\"https://mobile.twitter.com')], encoding="utf-8")
    posts, report = load_archive(folder)
    assert len(posts) == 3   # two complete records of tweets.js, one of part1
    assert any("truncated" in s.problem or "invalid JSON" in s.problem for s in report.skipped)


def test_non_utf8_file_names_the_byte_and_line(tmp_path: Path) -> None:
    folder = copy_tree(FIXTURES / "x_archive", tmp_path / "x")
    (folder / "data" / "tweets-part1.js").write_bytes(
        (FIXTURES / "x_archive/data/tweets-part1.js").read_text(encoding="utf-8").replace("–", "-")
        .replace("Selamat", "Sel\u00e9mat").encode("latin-1"))
    posts, report = load_archive(folder)
    assert len(posts) == 3
    [skipped] = report.skipped
    assert "not UTF-8" in skipped.problem and "0xe9" in skipped.problem and skipped.location == "line 12"


def test_path_traversal_members_are_reported_and_never_read(tmp_path: Path) -> None:
    evil = b'window.YTD.tweets.part9 = [ {"tweet": {"id_str": "666", "created_at": "x", "full_text": "pwned"}} ]'
    archive = zip_folder(FIXTURES / "x_archive", tmp_path / "evil.zip",
                         extra={"../../data/tweets-part9.js": evil, "/etc/data/tweets-part8.js": evil})
    posts, report = load_archive(archive)
    assert "666" not in {p.id for p in posts} and len(posts) == 4
    assert sorted(s.problem for s in report.skipped) == ["unsafe member name (absolute or '..'): not read"] * 2
    assert not (tmp_path.parent / "data").exists()


def test_a_zip_bomb_stops_at_the_size_cap(tmp_path: Path) -> None:
    bomb = b"window.YTD.tweets.part0 = [" + b" " * 5_000_000 + b"]"
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
        handle.writestr("data/tweets.js", bomb)
    posts, report = XArchiveImporter(max_member_bytes=1_000_000).read(archive)
    assert posts == []
    [skipped] = report.skipped
    assert "limit" in skipped.problem and skipped.file.endswith("bomb.zip:data/tweets.js")
    # Even with a generous cap, a 25000:1 ratio is refused as a bomb.
    posts, report = XArchiveImporter().read(archive)
    assert "zip bomb" in report.skipped[0].problem


def test_a_huge_record_is_skipped_not_parsed(tmp_path: Path) -> None:
    folder = copy_tree(FIXTURES / "x_archive", tmp_path / "x")
    part = folder / "data" / "tweets-part1.js"
    part.write_text(part.read_text(encoding="utf-8").replace("Selamat pagi!", "A" * 9000), encoding="utf-8")
    posts, report = XArchiveImporter(max_record_bytes=5000).read(folder)
    assert len(posts) == 3 and "1040000000000000000" not in {p.id for p in posts}
    [skipped] = report.skipped
    assert skipped.file.endswith("tweets-part1.js") and "exceeds the 5000 limit" in skipped.problem


def test_no_tweets_file_is_an_error_naming_the_archive(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "like.js").write_text("window.YTD.like.part0 = []", encoding="utf-8")
    with pytest.raises(ArchiveError, match="not an archive Kawal can read"):
        load_archive(tmp_path)
    with pytest.raises(ArchiveError, match="no data/tweets.js"):
        XArchiveImporter().read(tmp_path)


def test_a_damaged_zip_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "broken.zip"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ArchiveError, match="broken.zip"):
        XArchiveImporter().read(bad)


# -- Mastodon archive --------------------------------------------------------------------------------------
def test_it_reads_a_mastodon_archive_zip(tmp_path: Path) -> None:
    archive = zip_folder(FIXTURES / "mastodon_archive", tmp_path / "archive-20230903.zip")
    assert isinstance(detect_importer(archive), MastodonArchiveImporter)
    posts, report = load_archive(archive)
    assert [p.account for p in posts] == ["kawal@social.example.id"] * 3
    note, reply, boost = posts
    assert note.text.startswith("Halo semua! Laporan tahunan kami sudah terbit & bisa dibaca di")
    assert "<" not in note.text and "\n" in note.text
    assert note.mentions == ("ana@other.example",) and note.hashtags == ("Transparansi",)
    assert note.urls == ("https://example.id/laporan",) and note.lang == "id"
    assert note.media == ("/media_attachments/files/111/original/grafik.png",) and note.client is None
    assert reply.reply_to == "https://other.example/users/ana/statuses/42" and reply.text == "Sama-sama!\nSalam hangat."
    assert boost.is_repost and boost.text == "" and boost.urls == ("https://other.example/users/ana/statuses/43",)
    [skipped] = report.skipped
    assert skipped.location == "orderedItems[3]" and "'Like' is not a post" in skipped.problem


def test_a_broken_outbox_names_file_and_line(tmp_path: Path) -> None:
    folder = copy_tree(FIXTURES / "mastodon_archive", tmp_path / "m")
    (folder / "outbox.json").write_text('{\n  "orderedItems": [\n    {"type": "Create",,}\n  ]\n}', encoding="utf-8")
    with pytest.raises(ArchiveError) as error:
        load_archive(folder)
    assert "outbox.json" in str(error.value) and "line 3" in str(error.value) and "invalid JSON" in str(error.value)


def test_a_damaged_activity_is_skipped_with_its_index(tmp_path: Path) -> None:
    folder = copy_tree(FIXTURES / "mastodon_archive", tmp_path / "m")
    outbox = json.loads((folder / "outbox.json").read_text(encoding="utf-8"))
    outbox["orderedItems"][1]["object"]["published"] = "yesterday"
    outbox["orderedItems"].append("not an activity")
    (folder / "outbox.json").write_text(json.dumps(outbox), encoding="utf-8")
    posts, report = load_archive(folder)
    assert len(posts) == 2
    problems = {s.location: s.problem for s in report.skipped}
    assert "not an ISO-8601 time: 'yesterday'" in problems["orderedItems[1]"]
    assert "expected an activity object" in problems["orderedItems[4]"]


# -- canonical JSONL -----------------------------------------------------------------------------------------
def test_it_reads_the_canonical_jsonl() -> None:
    posts, report = load_archive(FIXTURES / "timeline.jsonl")
    assert report.skipped == [] and len(posts) == 3
    first, reply, third = posts
    assert first.client == "Sprinklr" and first.reply_to is None
    assert reply.reply_to == "900" and reply.lang == "in" and reply.extras == {"is_reply": True}
    assert third.created_at == datetime(2024, 3, 4, 19, 5, tzinfo=UTC)   # +07:00 converted to UTC
    assert third.hashtags == ("Layanan",) and third.extras == {"campaign": "maret"}


def test_bad_jsonl_lines_are_reported_by_line(tmp_path: Path) -> None:
    good = (FIXTURES / "timeline.jsonl").read_bytes().splitlines()
    lines = [good[0], b'{"account": "a", "id": "9"', b'{"id": "8", "created_at": "2024-01-01T00:00:00Z"}',
             b"", '{"account": "a", "id": "7", "created_at": "2024-01-01T00:00:00Z", "text": "caf\u00e9"}'
             .encode("latin-1"), b'{"account": "a", "id": "6", "created_at": "2024-01-01T00:00:00Z", "text": "'
             + b"x" * 3000 + b'"}', b'[1, 2]', b'{"account": "a", "id": "5", "created_at": "2024-01-01", "text": "t", '
             b'"mentions": "not-a-list"}', good[1]]
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join(lines))
    posts, report = JsonlImporter(max_record_bytes=2000).read(path)
    assert [p.id for p in posts] == ["1", "2"]
    problems = {s.location: s.problem for s in report.skipped}
    assert problems["line 2"].startswith("invalid JSON")
    assert problems["line 3"] == "missing required field 'account'"
    assert problems["line 5"].startswith("not UTF-8 (byte 0xe9")
    assert "larger than the 2000-byte limit" in problems["line 6"]
    assert problems["line 7"] == "expected a JSON object, got list"
    assert problems["line 8"] == "field 'mentions' must be a list of strings"
    assert len(report.skipped) == 6 and "line 4" not in problems   # blank lines are not records


def test_the_shared_timelines_import_without_loss(shared_data: Path) -> None:
    path = shared_data / "timelines" / "jokowi_2015-2017_ghapsara.jsonl"
    posts, report = load_archive(path)
    assert report.skipped == [] and len(posts) == sum(1 for line in path.open() if line.strip())
    assert all(p.extras.get("jkw_signed") in (True, False) for p in posts)


def test_export_round_trips_through_the_importer(tmp_path: Path) -> None:
    posts, _ = load_archive(FIXTURES / "x_archive")
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(json.dumps(p.to_json()) for p in posts), encoding="utf-8")
    again, report = load_archive(path)
    assert report.skipped == [] and again == posts
