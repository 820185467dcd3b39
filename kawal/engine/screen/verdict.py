"""From scores and findings to a verdict: ``ok``, ``review`` or ``block``, with reasons.

Tone scores become findings here, with the policy's thresholds; the verdict then depends only on findings,
so every reason a person reads is a finding they can see. A post by an official account that answers
someone (``reply_to_text`` given) is held to a stricter bar: a dismissive or mocking reply to a critic is a
risk even without a single swear word.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from kawal.engine.records import SEVERITIES, Finding
from kawal.engine.screen.policy import Policy

Span = tuple[int, int]
Explainer = Callable[[str, str], Sequence[tuple[Span, str, float]]]
RANK = {s: i for i, s in enumerate(SEVERITIES)}
OK_REASON = ("No leaks, policy terms or legal risks found, and the tone is within the policy's thresholds.")


class ToneScorer(Protocol):
    """What screening needs from a tone model (``kawal.engine.screen.tone.ToneModel`` provides it)."""

    def score(self, text: str, lang: str | None = None, reply_to_text: str | None = None) -> dict[str, Any]: ...

    def score_batch(self, texts: Sequence[str], langs: Sequence[str | None] | None = None,
                    reply_to_texts: Sequence[str | None] | None = None) -> list[dict[str, Any]]: ...

    def labels(self, scores: dict[str, Any]) -> dict[str, Any]: ...

    def explain(self, text: str, head: str | None = None, reply_to_text: str | None = None,
                top: int = 5) -> list[tuple[Span, str, float]]: ...


def tone_findings(text: str, scores: dict[str, Any], policy: Policy, *, is_reply: bool,
                  explain: Explainer | None = None) -> list[Finding]:
    """Findings for the tone scores that reach the policy's thresholds."""
    t = policy.thresholds
    found: list[Finding] = []

    def add(kind: str, head: str, severity: str, what: str) -> None:
        span, words = _evidence(text, head, explain)
        because = f", mostly because of {words}" if words else ""
        found.append(Finding(kind, severity, f"{what} ({head} {scores[head]:.2f}){because}.", span))

    if scores.get("abusive", 0.0) >= t.abusive:
        add("tone.abusive", "abusive", "high", "Reads as abusive: insults or slurs aimed at someone")
    elif scores.get("offensive", 0.0) >= t.offensive:
        add("tone.offensive", "offensive", "medium", "Reads as offensive language")
    hostile_bar = t.hostile_reply if is_reply else t.hostile
    if scores.get("hostile", 0.0) >= hostile_bar:
        what = ("As a reply from an official account, reads as dismissive or hostile toward the person answered"
                if is_reply else "Reads as hostile or antagonistic toward the addressee")
        add("tone.hostile", "hostile", "medium", what)
    elif is_reply and scores.get("negative", 0.0) >= t.negative_reply:
        add("tone.negative_reply", "negative", "low", "A strongly negative reply to the person answered")
    if is_reply and scores.get("sarcasm", 0.0) >= t.sarcasm_reply:
        add("tone.sarcasm", "sarcasm", "medium", "Reads as sarcastic toward the person answered")
    return found


def _evidence(text: str, head: str, explain: Explainer | None) -> tuple[Span | None, str]:
    """The span of the words that pushed ``head`` up most, and those words quoted for the message."""
    if explain is None:
        return None, ""
    try:
        top = [span for span, _, weight in explain(text, head) if weight > 0][:3]
    except (ValueError, KeyError):  # a scorer without this head: the score still stands, without evidence
        return None, ""
    if not top:
        return None, ""
    quoted = ", ".join(repr(text[s:e]) for s, e in sorted(set(top)))
    return top[0], quoted


def decide(findings: Sequence[Finding], policy: Policy) -> tuple[str, list[str]]:
    """The verdict and its reasons: blocking findings first, then those that call for review."""
    blocking = [f for f in findings if policy.blocks(f.kind)]
    reviewing = [f for f in findings if not policy.blocks(f.kind)
                 and RANK[f.severity] >= RANK[policy.review_min_severity]]
    reasons = [f"block: {_reason(f)}" for f in blocking] + [f"review: {_reason(f)}" for f in reviewing]
    if blocking:
        return "block", reasons
    if reviewing:
        return "review", reasons
    return "ok", [OK_REASON] if not findings else [f"ok: {_reason(f)} (below the policy's review level)"
                                                    for f in findings]


def _reason(f: Finding) -> str:
    where = f" at {f.span[0]}-{f.span[1]}" if f.span else ""
    return f"{f.kind} ({f.severity}{where}): {f.message}"
