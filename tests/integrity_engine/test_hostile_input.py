"""Whatever bytes an archive holds, importers either import, report what they skipped, or raise ArchiveError."""

from __future__ import annotations

import json
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kawal.sources.archives import ArchiveError, load_archive
from kawal.sources.archives.jsonl import JsonlImporter
from kawal.sources.archives.x import XArchiveImporter

WRAPPER = b"window.YTD.tweets.part0 = "
TWEET = (b'{"tweet": {"id_str": "1", "created_at": "Wed Oct 10 20:19:24 +0000 2018", "full_text": "hi", '
         b'"source": "<a href=\\"x\\">App</a>", "entities": {}}}')
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def imports_or_reports(path: Path, importer: object | None = None) -> None:
    try:
        posts, report = importer.read(path) if importer else load_archive(path)  # type: ignore[attr-defined]
    except ArchiveError as error:
        assert error.file and error.problem
        return
    for skipped in report.skipped:
        assert skipped.file and skipped.location and skipped.problem
    assert report.imported == len(posts)


@FAST
@given(st.binary(max_size=400))
def test_any_bytes_as_jsonl(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.jsonl"
        path.write_bytes(data)
        imports_or_reports(path, JsonlImporter())


@FAST
@given(st.binary(max_size=300), st.integers(min_value=0, max_value=len(TWEET)))
def test_damaged_tweets_js_in_a_zip(noise: bytes, cut: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.zip"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("data/tweets.js", WRAPPER + b"[" + TWEET + b"," + TWEET[:cut] + noise + b"]")
        imports_or_reports(path, XArchiveImporter())


@FAST
@given(st.text(max_size=300))
def test_any_text_as_a_mastodon_outbox(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.zip"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("outbox.json", '{"orderedItems": [' + text + "]}")
        imports_or_reports(path)


def test_deeply_nested_json_is_reported_not_a_crash(tmp_path: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    jsonl = tmp_path / "deep.jsonl"
    jsonl.write_text(deep + "\n", encoding="utf-8")
    posts, report = load_archive(jsonl)
    assert posts == [] and report.skipped[0].problem == "JSON nested too deeply to be a post"
    (tmp_path / "x" / "data").mkdir(parents=True)
    (tmp_path / "x" / "data" / "tweets.js").write_text(
        "window.YTD.tweets.part0 = [" + deep + ",\n  " + TWEET.decode() + "]", encoding="utf-8")
    posts, report = load_archive(tmp_path / "x")
    assert [p.id for p in posts] == ["1"] and "nested too deeply" in report.skipped[0].problem
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "outbox.json").write_text('{"orderedItems": [' + deep + "]}", encoding="utf-8")
    with pytest.raises(ArchiveError, match="nested too deeply"):
        load_archive(tmp_path / "m")


@FAST
@given(st.sampled_from(["entities", "source", "full_text", "created_at", "in_reply_to_status_id_str",
                        "extended_entities"]),
       st.one_of(st.none(), st.integers(), st.text(max_size=5), st.lists(st.text(max_size=3), max_size=2),
                 st.dictionaries(st.text(max_size=3), st.integers(), max_size=2)))
def test_wrong_field_types_in_a_tweet(field: str, value: object) -> None:
    tweet = json.loads(TWEET)
    tweet["tweet"][field] = value
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.zip"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("data/tweets.js", WRAPPER + b"[" + json.dumps(tweet).encode() + b"]")
        imports_or_reports(path, XArchiveImporter())


@FAST
@given(st.sampled_from(["object", "published", "id"]),
       st.one_of(st.none(), st.integers(), st.text(max_size=5), st.lists(st.integers(), max_size=2),
                 st.fixed_dictionaries({"id": st.text(max_size=3), "tag": st.integers(),
                                        "content": st.integers(), "attachment": st.text(max_size=3)})))
def test_wrong_field_types_in_an_activity(field: str, value: object) -> None:
    activity = {"id": "a1", "type": "Create", "published": "2023-01-01T00:00:00Z",
                "object": {"id": "n1", "type": "Note", "content": "<p>hi</p>", "published": "2023-01-01T00:00:00Z"}}
    activity[field] = value
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.zip"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("outbox.json", json.dumps({"orderedItems": [activity]}))
        imports_or_reports(path)
