"""``screen`` with the shipped tone model on English, Indonesian and code-switched posts."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from kawal.engine.screen import ScreenInputError, screen


def test_a_courteous_indonesian_reply_is_ok() -> None:
    result = screen("Terima kasih atas masukannya kak, tim kami sedang cek ya",
                    reply_to_text="Aplikasinya error terus dari pagi")
    assert result.verdict == "ok" and result.lang == "id"
    assert result.labels["hostile"] is False


def test_a_dismissive_reply_by_an_official_account_needs_review() -> None:
    result = screen("Silakan baca lagi aturannya, jangan asal komentar",
                    reply_to_text="Kenapa biaya admin naik lagi?")
    assert result.verdict == "review"
    assert "tone.hostile" in [f.kind for f in result.findings]


def test_the_peeing_in_bottles_reply_needs_review() -> None:
    result = screen("You don't really believe the peeing in bottles thing, do you?",
                    reply_to_text="Your drivers pee in bottles because they have no breaks")
    assert result.lang == "en" and result.verdict == "review"


def test_code_switched_post_with_a_leak_and_a_promise_blocks() -> None:
    text = "Guys investasi ini dijamin untung, transfer aja, my card 4111 1111 1111 1111 ok"
    result = screen(text)
    kinds = [f.kind for f in result.findings]
    assert "leak.card" in kinds and "legal.financial_promise" in kinds
    assert result.verdict == "block"
    assert "4111 1111 1111 1111" not in " ".join(result.reasons)


def test_abuse_blocks() -> None:
    result = screen("dasar goblok lu, gak usah komen lagi")
    assert result.verdict == "block" and result.labels["abusive"] is True


def test_scores_are_probabilities() -> None:
    scores = screen("Great news: our new branch opens tomorrow!").scores
    assert set(scores) == {"hostile", "abusive", "offensive", "negative", "neutral", "positive", "sarcasm"}
    assert all(0.0 <= v <= 1.0 for v in scores.values())


@settings(max_examples=120, deadline=None)
@given(st.text(min_size=1, max_size=300).filter(lambda t: t.strip()))
def test_property_any_text_gets_a_verdict_with_spans_inside_it(text: str) -> None:
    try:
        result = screen(text)
    except ScreenInputError as exc:  # binary-looking or undecodable input is refused, never crashes
        assert exc.code in ("binary", "invalid_utf8")
        return
    assert result.verdict in ("ok", "review", "block")
    for finding in result.findings:
        assert finding.span is None or 0 <= finding.span[0] < finding.span[1] <= len(text)
    assert json.loads(json.dumps(result.to_json()))["verdict"] == result.verdict
