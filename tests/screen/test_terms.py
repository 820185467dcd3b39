"""The code-name matcher: robust to how people write a name, silent on words that merely contain it."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kawal.engine.screen.terms import find_term, normalise, words


def matches(text: str, term: str) -> list[str]:
    return [text[s:e] for s, e in find_term(words(text), text, normalise(term))]


@pytest.mark.parametrize("text, found", [
    ("Peluncuran Garuda minggu depan", ["Garuda"]),
    ("G a r u d a siap!", ["G a r u d a"]),
    ("G.A.R.U.D.A", ["G.A.R.U.D.A"]),
    ("GÀRÛDA", ["GÀRÛDA"]),
    ("g4ruda", ["g4ruda"]),
    ("garudanya bagus", ["garudanya"]),
    ("sudah digarudakan", ["digarudakan"]),
    ("bergaruda", ["bergaruda"]),
    ("menggaruda", ["menggaruda"]),
    ("Garuda-garuda baru", ["Garuda-garuda"]),
    ("garuda2 baru", ["garuda2"]),
    ("garudalah jawabannya", ["garudalah"]),
])
def test_it_finds_a_code_name_however_written(text: str, found: list[str]) -> None:
    assert matches(text, "Garuda") == found


@pytest.mark.parametrize("text", [
    "Garudamas Travel", "harga rudal naik", "Pagaruda", "penerbangan garuda",
])
def test_it_ignores_words_that_merely_contain_the_name(text: str) -> None:
    expected = ["garuda"] if text == "penerbangan garuda" else []
    assert matches(text, "Garuda") == expected


def test_a_multi_word_name_matches_with_any_spacing_or_punctuation() -> None:
    for text in ("Proyek Garuda X", "proyek garuda-x", "PROYEKGARUDAX", "proyek_garuda_x"):
        assert matches(text, "Proyek Garuda X") == [text], text


def test_short_names_take_no_prefix() -> None:
    assert matches("beban kerja", "ban") == []
    assert matches("bannya kempes", "ban") == ["bannya"]


def test_a_match_does_not_cross_a_line_break() -> None:
    assert matches("ga\nruda", "garuda") == []


@st.composite
def spelled(draw: st.DrawFn) -> tuple[str, str]:
    """A term and a way of writing it: case changes, separators between letters, an affix."""
    term = draw(st.text(alphabet="abcdefghijklmnoprstuvwyz", min_size=5, max_size=10))
    seps = draw(st.lists(st.sampled_from(["", "", "", " ", "-", "."]), min_size=len(term), max_size=len(term)))
    cased = "".join(c.upper() if draw(st.booleans()) else c for c in term)
    written = "".join(c + s for c, s in zip(cased, seps[:-1] + [""], strict=True))
    prefix = draw(st.sampled_from(["", "di", "ke", "ber"]))
    suffix = draw(st.sampled_from(["", "nya", "kan", "lah"]))
    return term, prefix + written + suffix


@settings(max_examples=200, deadline=None)
@given(spelled(), st.sampled_from(["Kami umumkan ", "Hari ini: ", ""]), st.sampled_from([" sekarang.", "!", ""]))
def test_property_any_spelling_is_found_with_its_exact_span(case: tuple[str, str], before: str, after: str) -> None:
    term, written = case
    text = before + written + after
    spans = find_term(words(text), text, normalise(term))
    assert (len(before), len(before) + len(written)) in spans


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcdefghijklmnoprstuvwyz", min_size=5, max_size=10),
       st.text(alphabet="bcdfghjmpqrstvwxz", min_size=2, max_size=4))
def test_property_a_word_with_other_letters_glued_on_is_not_the_term(term: str, glue: str) -> None:
    text = f"kata {term}{glue} lain"
    assert find_term(words(text), text, normalise(term)) == []


@given(st.text(max_size=200))
def test_property_normalise_keeps_only_lowercase_letters_and_digits(value: str) -> None:
    out = normalise(value)
    assert out == out.casefold() and all(c.isalnum() for c in out)


def test_a_name_inside_a_camel_case_hashtag_is_found() -> None:
    assert matches("Besok #LaunchGaruda!", "Garuda") == ["Garuda"]
    assert matches("#GarudaX", "Garuda X") == ["GarudaX"]
    assert matches("#garudamas", "Garuda") == []
