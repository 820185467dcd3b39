"""JSONL and CSV item import: good records, and bad ones reported with their line, never dropped silently."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest

from kawal.sources.items import ItemError, item_from_mapping, item_to_json, iter_csv, iter_jsonl, read_items


def _jsonl(*lines: str | bytes) -> io.BytesIO:
    return io.BytesIO(b"\n".join(line if isinstance(line, bytes) else line.encode() for line in lines))


def test_it_reads_jsonl_records_and_keeps_unknown_fields():
    problems: list = []
    items = list(iter_jsonl(_jsonl(
        '{"id": 7, "text": "ContohPay gangguan lagi", "published_at": "2026-11-24T13:00:00Z", "likes": 4}',
        "",
        '{"id": "a2", "title": "Bank Contoh PHK 300 karyawan", "text": "", "url": "https://warta.example/a"}',
    ), source="mentions.jsonl", problems=problems))
    assert problems == []
    assert [item.id for item in items] == ["7", "a2"]
    assert items[0].published_at == datetime(2026, 11, 24, 13, tzinfo=UTC)
    assert items[0].extras == {"likes": 4} and items[0].source == "mentions.jsonl"
    assert item_from_mapping(item_to_json(items[1])) == items[1]


@pytest.mark.parametrize(("line", "message"), [
    ('{"id": 1, "text": "x"', "line 1: not valid JSON"),
    ('["id", "text"]', "line 1: expected a JSON object, got list"),
    ('{"text": "no id"}', "line 1: 'id' is missing"),
    ('{"id": true, "text": "x"}', "'id' must be a string or an integer, got bool"),
    ('{"id": 1, "text": 5}', "'text' must be a string, got int"),
    ('{"id": 1, "text": "  "}', "'text' is empty and there is no 'title'"),
    ('{"id": 1}', "'text' is missing"),
    ('{"id": 1, "text": "x", "published_at": "kemarin"}', "'published_at' is not an ISO-8601 date-time: 'kemarin'"),
    ('{"id": 1, "text": "x", "url": "javascript:alert(1)"}', "'url' must be an http(s) URL"),
    ('{"id": 1, "text": "x", "kind": "blog"}', "'kind' must be one of news, mention"),
])
def test_each_bad_jsonl_line_is_reported_with_its_line_number(line, message):
    problems: list = []
    items = list(iter_jsonl(_jsonl(line, '{"id": 2, "text": "fine"}'), problems=problems))
    assert [item.id for item in items] == ["2"]
    assert len(problems) == 1 and message in str(problems[0])


def test_invalid_utf8_in_jsonl_names_the_line():
    problems: list = []
    items = list(iter_jsonl(_jsonl('{"id": 1, "text": "ok"}', b'{"id": 2, "text": "caf\xe9"}'), problems=problems))
    assert len(items) == 1
    assert str(problems[0]).startswith("line 2: not valid UTF-8")


def test_it_reads_csv_with_a_bom_and_quoted_newlines():
    data = '\ufeffid,text,title,published_at\n1,"Gak bisa login,\nkenapa ya?",,2026-11-24T13:00:00+07:00\n'
    problems: list = []
    (item,) = list(iter_csv(io.BytesIO(data.encode()), problems=problems))
    assert problems == []
    assert item.text == "Gak bisa login,\nkenapa ya?" and item.title is None
    assert item.published_at == datetime(2026, 11, 24, 6, tzinfo=UTC)


def test_csv_without_the_required_columns_is_refused_whole():
    with pytest.raises(ItemError, match="lacks column\\(s\\) text; it has id, body"):
        list(iter_csv(io.BytesIO(b"id,body\n1,x\n"), problems=[]))


def test_csv_rows_with_extra_fields_or_bad_values_are_reported():
    data = b"id,text\n1,ok\n2,too,many\n,missing id\n"
    problems: list = []
    items = list(iter_csv(io.BytesIO(data), problems=problems))
    assert [item.id for item in items] == ["1"]
    assert [str(p) for p in problems] == ["line 3: 1 more field(s) than the header has", "line 4: 'id' is missing"]


def test_csv_that_is_not_utf8_is_refused_with_the_byte():
    with pytest.raises(ItemError, match="not valid UTF-8"):
        list(iter_csv(io.BytesIO(b"id,text\n1,caf\xe9\n"), problems=[]))


def test_read_items_picks_the_format_from_the_name_and_reports_missing_files(tmp_path):
    path = tmp_path / "items.csv"
    path.write_text("id,text\n1,Tagihan saya dobel\n", encoding="utf-8")
    assert read_items(path).items[0].text == "Tagihan saya dobel"
    jsonl = tmp_path / "items.jsonl"
    jsonl.write_text(json.dumps({"id": 1, "text": "x"}) + "\n", encoding="utf-8")
    assert read_items(jsonl).items[0].source == "items.jsonl"
    with pytest.raises(ItemError, match="cannot read .*nope.jsonl"):
        read_items(tmp_path / "nope.jsonl")


def test_deeply_nested_json_line_is_reported():
    problems: list = []
    assert list(iter_jsonl(_jsonl("[" * 5_000 + "]" * 5_000), problems=problems)) == []
    assert str(problems[0]) == "line 1: JSON nested too deeply to be an item"


def test_malformed_csv_records_are_reported_with_their_line_and_the_rest_read():
    data = b'id,text\n1,"ab"c\n2,ok\n3,' + b"x" * 200_000 + b'\n4,"unclosed\n'
    problems: list = []
    items = list(iter_csv(io.BytesIO(data), problems=problems))
    assert [item.id for item in items] == ["2"]
    assert [str(p) for p in problems] == [
        "line 2: malformed CSV (',' expected after '\"')",
        "line 4: malformed CSV (field larger than field limit (131072))",
        "line 5: malformed CSV (unexpected end of data)",
    ]
