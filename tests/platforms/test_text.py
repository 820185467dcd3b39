"""Mentions, links and hashtags in plain text, with character and UTF-8 byte offsets."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kawal.sources.platforms.text import entities, normalise


def test_it_finds_each_kind_in_order() -> None:
    found = entities("@budi.id lihat https://kawal.id/a#frag, #Pemilu2029 dan #1 (https://x.org/b_(c)).")
    assert [(s.kind, s.value) for s in found] == [
        ("mention", "budi.id"), ("link", "https://kawal.id/a#frag"), ("tag", "Pemilu2029"),
        ("link", "https://x.org/b_(c)")]


def test_an_at_or_hash_inside_a_link_or_an_email_is_not_an_entity() -> None:
    assert [s.kind for s in entities("mail me: humas@kawal.id or https://x.org/@bob/#top")] == ["link"]


def test_hashtags_may_be_in_any_script() -> None:
    assert [s.value for s in entities("#日本語 #Ceritaku #2024")] == ["日本語", "Ceritaku"]


def test_byte_offsets_count_utf8_bytes() -> None:
    text = "👩‍👩‍👧 #keluarga"
    span = entities(text)[0]
    assert text[span.start:span.end] == "#keluarga"
    assert text.encode()[span.byte_start:span.byte_end] == b"#keluarga"
    assert span.byte_start == len("👩‍👩‍👧 ".encode())


@given(st.lists(st.sampled_from(list("ab é😀🇮🇩\n@#./:") + ["https://x.org/", "@al.ice", "#tag"]),
                max_size=40).map("".join))
def test_byte_ranges_always_cover_the_same_text_as_character_ranges(text: str) -> None:
    raw = text.encode()
    for span in entities(text):
        assert raw[span.byte_start:span.byte_end].decode() == text[span.start:span.end]


def test_normalise_ignores_what_platforms_change() -> None:
    assert normalise("  Cafe\u0301 \r\nbaris  \r\n") == normalise("Café\nbaris")
    assert normalise("a b") != normalise("a  b")
