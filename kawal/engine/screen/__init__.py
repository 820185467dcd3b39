"""Screening before posting: language, tone, leaks, legal risk, policy and verdict.

``screen(text)`` returns a ``ScreenResult`` whose ``to_json()`` is the record ``kawal check`` prints:
``id``, ``lang``, ``scores`` (probabilities), ``labels``, ``findings`` ({kind, severity, span, message}),
``verdict`` (ok / review / block) and ``reasons``. ``screen_batch`` does the same for many texts with one
batched pass of the tone model.

Leak, legal and policy rules are plain regular expressions and word rules compiled once at import; the tone
model is loaded once, on first use.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from kawal.engine.records import Finding
from kawal.engine.screen.inputs import ScreenInputError, check_lang, check_reply_to_text, check_text
from kawal.engine.screen.leaks import find_leaks
from kawal.engine.screen.legal import find_legal
from kawal.engine.screen.policy import Policy, PolicyError, find_policy_terms
from kawal.engine.screen.verdict import ToneScorer, decide, tone_findings

__all__ = ["Policy", "PolicyError", "ScreenInputError", "ScreenResult", "ToneScorer", "default_policy",
           "default_tone", "screen", "screen_batch"]

SCORE_KEYS = ("hostile", "abusive", "offensive", "negative", "neutral", "positive", "sarcasm")


@dataclass(frozen=True, slots=True)
class ScreenResult:
    id: str | None
    lang: str
    scores: dict[str, float]
    labels: dict[str, Any]
    findings: tuple[Finding, ...]
    verdict: str
    reasons: tuple[str, ...]
    text: str = field(default="", repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        """The record of the issue: exactly id, lang, scores, labels, findings, verdict, reasons."""
        return {
            "id": self.id,
            "lang": self.lang,
            "scores": {k: round(float(v), 4) for k, v in self.scores.items()},
            "labels": dict(self.labels),
            "findings": [{"kind": f.kind, "severity": f.severity, "span": list(f.span) if f.span else None,
                          "message": f.message} for f in self.findings],
            "verdict": self.verdict,
            "reasons": list(self.reasons),
        }


@lru_cache(maxsize=1)
def default_tone() -> ToneScorer:
    """The shipped tone model, loaded once."""
    from kawal.engine.screen.tone import ToneModel  # numpy weights: load only when screening needs them

    return ToneModel.load()


POLICY_ENV = "KAWAL_SCREEN_POLICY"
"""Environment variable naming a policy file used when a caller passes no policy (the web composer)."""


@lru_cache(maxsize=1)
def default_policy() -> Policy:
    """The policy in the file named by ``KAWAL_SCREEN_POLICY``, else the shipped default; read once.

    A named file that is missing or invalid raises PolicyError: screening silently without the team's code
    names would be worse than not starting.
    """
    path = os.environ.get(POLICY_ENV, "").strip()
    return Policy.load(path) if path else Policy.default()


def screen(text: str, *, lang: str | None = None, reply_to_text: str | None = None, policy: Policy | None = None,
           now: datetime | None = None, id: str | None = None, tone: ToneScorer | None = None) -> ScreenResult:
    """Screen one text. Raises ScreenInputError for input that cannot be screened (empty, too long, binary)."""
    text, lang, reply_to_text = check_text(text), check_lang(lang), check_reply_to_text(reply_to_text)
    tone = tone or default_tone()
    scores = tone.score(text, lang=lang, reply_to_text=reply_to_text)
    return _judge(text, scores, tone, reply_to_text, policy or default_policy(), now, id)


def screen_batch(texts: Sequence[str], *, langs: Sequence[str | None] | None = None,
                 reply_to_texts: Sequence[str | None] | None = None, ids: Sequence[str | None] | None = None,
                 policy: Policy | None = None, now: datetime | None = None,
                 tone: ToneScorer | None = None) -> list[ScreenResult]:
    """Screen many texts with one batched tone pass; the same results as ``screen`` one by one.

    Every text must be valid (see ``kawal.engine.screen.inputs``); callers that take untrusted records check
    each first so that one bad record cannot stop a batch (``kawal check --jsonl`` does).
    """
    n = len(texts)
    langs = [check_lang(x) for x in langs] if langs is not None else [None] * n
    replies = [check_reply_to_text(x) for x in reply_to_texts] if reply_to_texts is not None else [None] * n
    ids = list(ids) if ids is not None else [None] * n
    if not len(langs) == len(replies) == len(ids) == n:
        raise ValueError("texts, langs, reply_to_texts and ids must have the same length")
    texts = [check_text(t) for t in texts]
    tone = tone or default_tone()
    policy = policy or default_policy()
    all_scores = tone.score_batch(texts, langs=langs, reply_to_texts=replies)
    return [_judge(t, s, tone, r, policy, now, i) for t, s, r, i in zip(texts, all_scores, replies, ids, strict=True)]


def _judge(text: str, scores: dict[str, Any], tone: ToneScorer, reply_to_text: str | None, policy: Policy,
           now: datetime | None, id: str | None) -> ScreenResult:
    numeric = {k: float(scores[k]) for k in SCORE_KEYS if k in scores}

    def explain(t: str, head: str) -> Any:
        return tone.explain(t, head=head, reply_to_text=reply_to_text, top=3)

    findings = [
        *find_leaks(text, allow=policy.allow),
        *find_policy_terms(text, policy, now),
        *find_legal(text),
        *tone_findings(text, numeric, policy, is_reply=reply_to_text is not None, explain=explain),
    ]
    findings = sorted((f for f in findings if not policy.ignores(f.kind)),
                      key=lambda f: (f.span is None, f.span or (0, 0), f.kind))
    verdict, reasons = decide(findings, policy)
    return ScreenResult(id=id, lang=str(scores.get("lang") or "other"), scores=numeric,
                        labels=tone.labels(scores), findings=tuple(findings), verdict=verdict,
                        reasons=tuple(reasons), text=text)
