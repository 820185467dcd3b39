"""``screen`` with the shipped tone model on English, Indonesian and code-switched posts."""

from kawal.engine.screen import screen


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
