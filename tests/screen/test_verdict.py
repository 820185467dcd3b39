"""Verdict logic against a deterministic fake tone scorer, so that only the rules are under test."""

from collections.abc import Sequence
from typing import Any

import pytest

from kawal.engine.records import Finding
from kawal.engine.screen import ScreenInputError, screen, screen_batch
from kawal.engine.screen.policy import Policy, parse_policy
from kawal.engine.screen.verdict import decide, tone_findings

NEUTRAL = {"hostile": 0.05, "abusive": 0.02, "offensive": 0.02, "negative": 0.1, "neutral": 0.8, "positive": 0.1,
           "sarcasm": 0.1}


class FakeTone:
    """Scores from a fixed table keyed by text; explain points at the first word."""

    def __init__(self, table: dict[str, dict[str, float]]) -> None:
        self.table = table
        self.calls: list[str | None] = []

    def score(self, text: str, lang: str | None = None, reply_to_text: str | None = None) -> dict[str, Any]:
        self.calls.append(reply_to_text)
        return {**NEUTRAL, **self.table.get(text, {}), "lang": lang or "id"}

    def score_batch(self, texts: Sequence[str], langs: Sequence[str | None] | None = None,
                    reply_to_texts: Sequence[str | None] | None = None) -> list[dict[str, Any]]:
        langs = langs or [None] * len(texts)
        replies = reply_to_texts or [None] * len(texts)
        return [self.score(t, lg, r) for t, lg, r in zip(texts, langs, replies, strict=True)]

    def labels(self, scores: dict[str, Any]) -> dict[str, Any]:
        return {k: scores[k] >= 0.5 for k in ("hostile", "abusive", "offensive")} | {"sentiment": "neutral"}

    def explain(self, text: str, head: str | None = None, reply_to_text: str | None = None,
                top: int = 5) -> list[tuple[tuple[int, int], str, float]]:
        end = text.find(" ") if " " in text else len(text)
        return [((0, end), f"word {text[:end]!r}", 1.0)]


DISMISSIVE = "Silakan baca lagi aturannya"
TONE = FakeTone({DISMISSIVE: {"hostile": 0.45, "negative": 0.7}, "goblok semua": {"abusive": 0.9, "hostile": 0.9}})


def test_a_clean_text_is_ok_with_one_reason() -> None:
    result = screen("Terima kasih kak, pesanan sudah kami proses", tone=TONE)
    assert result.verdict == "ok" and result.findings == () and len(result.reasons) == 1


def test_a_mildly_hostile_text_passes_alone_but_not_as_a_reply_under_a_stricter_reply_bar() -> None:
    policy = parse_policy("[thresholds]\nhostile = 0.5\nhostile_reply = 0.4\n")
    alone = screen(DISMISSIVE, tone=TONE, policy=policy)
    reply = screen(DISMISSIVE, reply_to_text="Pelayanan kalian lambat", tone=TONE, policy=policy)
    assert alone.verdict == "ok"
    assert reply.verdict == "review"
    [finding] = reply.findings
    assert finding.kind == "tone.hostile" and finding.span == (0, 7)
    assert "reply" in finding.message and "'Silakan'" in finding.message
    assert TONE.calls[-1] == "Pelayanan kalian lambat"
    assert screen(DISMISSIVE, reply_to_text="Pelayanan kalian lambat", tone=TONE).verdict == "ok"  # default 0.5


def test_abuse_blocks_under_the_default_policy() -> None:
    result = screen("goblok semua", tone=TONE)
    assert result.verdict == "block"
    assert [f.kind for f in result.findings] == ["tone.abusive", "tone.hostile"]
    assert result.reasons[0].startswith("block: tone.abusive")


def test_a_leak_blocks_and_a_legal_finding_only_asks_for_review() -> None:
    assert screen("token: ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5", tone=TONE).verdict == "block"
    legal = screen("Bupati X itu koruptor", tone=TONE)
    assert legal.verdict == "review" and [f.kind for f in legal.findings] == ["legal.defamation"]


def test_the_policy_decides_what_blocks_and_what_is_ignored() -> None:
    strict = parse_policy('[verdict]\nblock = ["leak.phone"]\n')
    lenient = parse_policy('[verdict]\nignore = ["leak.phone"]\n')
    text = "WA 0812-3456-7890"
    assert screen(text, tone=TONE).verdict == "review"
    assert screen(text, tone=TONE, policy=strict).verdict == "block"
    lenient_result = screen(text, tone=TONE, policy=lenient)
    assert lenient_result.verdict == "ok" and lenient_result.findings == ()


def test_thresholds_come_from_the_policy() -> None:
    strict = parse_policy("[thresholds]\nhostile = 0.4\n")
    assert screen(DISMISSIVE, tone=TONE, policy=strict).verdict == "review"


def test_findings_below_the_review_level_leave_the_verdict_ok() -> None:
    policy = parse_policy('[verdict]\nreview_min_severity = "high"\n')
    verdict, reasons = decide([Finding("leak.phone", "medium", "a phone number", (0, 4))], policy)
    assert verdict == "ok" and "below the policy's review level" in reasons[0]


def test_a_negative_reply_is_a_low_finding() -> None:
    scores = {**NEUTRAL, "negative": 0.9}
    [finding] = tone_findings("Kami sudah jelaskan", scores, Policy.default(), is_reply=True)
    assert (finding.kind, finding.severity, finding.span) == ("tone.negative_reply", "low", None)
    assert tone_findings("Kami sudah jelaskan", scores, Policy.default(), is_reply=False) == []


def test_to_json_has_exactly_the_issue_fields() -> None:
    data = screen("WA 0812-3456-7890", tone=TONE, id="p1").to_json()
    assert list(data) == ["id", "lang", "scores", "labels", "findings", "verdict", "reasons"]
    assert data["id"] == "p1" and data["lang"] == "id"
    assert set(data["scores"]) == set(NEUTRAL)
    assert data["findings"] == [{"kind": "leak.phone", "severity": "medium", "span": [3, 17],
                                 "message": data["findings"][0]["message"]}]


def test_batch_gives_the_same_results_as_one_by_one() -> None:
    texts = [DISMISSIVE, "goblok semua", "NIK 3174055203850002"]
    batch = screen_batch(texts, reply_to_texts=["kok lama", None, None], ids=["a", "b", "c"], tone=TONE)
    single = [screen(t, reply_to_text=r, id=i, tone=TONE)
              for t, r, i in zip(texts, ["kok lama", None, None], ["a", "b", "c"], strict=True)]
    assert [r.to_json() for r in batch] == [r.to_json() for r in single]


@pytest.mark.parametrize("text, code", [
    ("", "empty_text"), ("   \n", "empty_text"), ("x" * 20_001, "too_long"), ("ab\x00cd", "binary"),
    ("\x01\x02\x03\x04\x05\x06", "binary"), ("caf\udce9", "invalid_utf8"), (b"bytes", "bad_type"),
])
def test_bad_input_raises_an_error_with_a_code(text: object, code: str) -> None:
    with pytest.raises(ScreenInputError) as info:
        screen(text, tone=TONE)  # type: ignore[arg-type]
    assert info.value.code == code and info.value.message


def test_a_bad_lang_is_refused() -> None:
    with pytest.raises(ScreenInputError, match="lang must be one of"):
        screen("halo", lang="fr", tone=TONE)
