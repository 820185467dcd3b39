"""The account profile: every signal together, the combined out-of-character score, and its reasons.

Combination, in two calibrated steps so that no constant is tuned to any data set:

1. each signal gives bits of surprisal; a per-signal calibrator turns them into a p-value against the
   *same signal's* past values on this account (a new client on a one-client account is extreme; a new
   mention on a customer-care account is routine), and the evidence is ``-ln p`` (about Exp(1) on genuine
   posts, whatever the signal's scale);
2. the evidences add up (Fisher's method), so several moderately odd traits weigh like one very odd one;
   the sum becomes a p-value against the account's own past sums (:mod:`.calibration`), which absorbs the
   dependence between signals, and the p-value a 0..1 score (:mod:`.threshold`);
3. a run test (a CUSUM over the posts' own evidence, self-calibrated the same way) speaks after an odd
   post, so that several unusual posts in a row alert even when none is extreme alone.

``score(post)`` is pure; ``learn(post)`` adds the post (and its prequential scores) to the history;
``observe(post)`` does both with one feature extraction, as an audit does.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from kawal.engine.profile.base import Reason, Signal
from kawal.engine.profile.burst import BurstSignal
from kawal.engine.profile.calibration import TailCalibrator
from kawal.engine.profile.client import ClientSignal
from kawal.engine.profile.cues import CueSignal
from kawal.engine.profile.features import LanguageDetector, PostFeatures, extract
from kawal.engine.profile.hour import HourSignal
from kawal.engine.profile.kind import KindSignal
from kawal.engine.profile.language import LanguageSignal, cheap_language
from kawal.engine.profile.links import LinkSignal
from kawal.engine.profile.style import StyleSignal
from kawal.engine.profile.tags import HashtagSignal, MentionSignal
from kawal.engine.profile.threshold import DEFAULT_ALPHA, OperatingPoint, score_from_p
from kawal.engine.profile.tone import ToneScorer, ToneSignal, default_tone_scorer
from kawal.engine.profile.topic import TopicSignal
from kawal.engine.profile.voice import VoiceSignal
from kawal.engine.records import Post

FORMAT_VERSION = 1
# Posts learned before raw scores enter the calibration window (their scores reflect a tiny history).
WARMUP_POSTS = 20
# Signals enter their own calibration after this many posts, and speak once it holds this many values.
SIGNAL_WARMUP = 5
SIGNAL_MIN_VALUES = 15
SIGNAL_WINDOW = 500
# One signal alone can add at most this much evidence (nats; e^-12 ~ 6e-6): beyond it the tail estimate
# from a few hundred values means nothing, and one broken signal must not decide alone.
MAX_EVIDENCE = 12.0
MIN_P = math.exp(-MAX_EVIDENCE)
# Reasons are shown for signals at p <= 0.05 against their own history.
REASON_EVIDENCE = 3.0
MAX_REASONS = 5
# The run test (a CUSUM over the posts' own evidence, -ln p) grows only on posts more out of character than
# p = 0.05 (the same line as a reason): a genuine post is about Exp(1), so its drift is negative.
RUN_DRIFT = REASON_EVIDENCE
# One post adds at most the evidence of the alert line (-ln 0.0025): a post past it is alerted on alone, and
# one extreme post must not carry a run of merely unusual genuine posts after it.
RUN_CAP = -math.log(DEFAULT_ALPHA)
AUTO = "auto"


def combine(evidence: Mapping[str, float]) -> float:
    """Fisher's sum of the signals' evidence (-ln p each).

    (Tried and measured worse on the benchmark: counting only the notable signals, the truncated product
    method, which leaves the tail fit too few non-zero points; the largest one, two or three evidences
    alone, which miss posts that are moderately odd in several ways.)
    """
    return sum(evidence.values())


@dataclass(slots=True)
class Assessment:
    """The judgement on one post: score 0..1, p-value, decision, reasons."""

    post_id: str
    created_at: datetime
    score: float
    p_value: float
    flagged: bool
    learning: bool
    reasons: list[Reason] = field(default_factory=list)
    bits: dict[str, float] = field(default_factory=dict)
    raw: float = 0.0
    evidence: dict[str, float] = field(default_factory=dict)
    post_p_value: float = 1.0   # the post alone, before the run test

    def to_json(self) -> dict[str, Any]:
        return {"id": self.post_id, "created_at": self.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "score": round(self.score, 4), "flagged": self.flagged,
                "reasons": [reason.to_json() for reason in self.reasons], "learning": self.learning,
                "p_value": float(f"{self.p_value:.3g}"), "surprise_bits": round(self.raw, 2)}


class Profile:
    """An account's habits, learned post by post; judges whether a new post fits them."""

    def __init__(self, account: str | None = None, *, timezone: str = "UTC",
                 sanctioned_clients: Iterable[str] = (), tone_scorer: ToneScorer | None | str = AUTO,
                 detect_language: LanguageDetector | str = AUTO,
                 operating_point: OperatingPoint | None = None, warmup: int = WARMUP_POSTS,
                 calibration_window: int = 1000, min_calibration: int = 30) -> None:
        self.account = account
        self.timezone = timezone
        self.zone = ZoneInfo(timezone)
        self.sanctioned_clients = tuple(sanctioned_clients)
        self.operating_point = operating_point or OperatingPoint()
        self.warmup = warmup
        # The cheap detector by default: it stays silent when unsure, where a model answers every short
        # text and makes the language signal noisy (measured: fewer attacker posts caught, 1.8 ms a post).
        self.detect_language: LanguageDetector = (cheap_language if detect_language == AUTO
                                                  else detect_language)  # type: ignore[assignment]
        scorer = default_tone_scorer() if tone_scorer == AUTO else tone_scorer
        self.signals: list[Signal] = [
            ClientSignal(), HourSignal(timezone), LanguageSignal(), StyleSignal(), TopicSignal(), VoiceSignal(),
            LinkSignal(), MentionSignal(), HashtagSignal(), KindSignal(), BurstSignal(),
            ToneSignal(scorer),  # type: ignore[arg-type]
            CueSignal(),
        ]
        self._by_name = {signal.name: signal for signal in self.signals}
        self.signal_calibrators: dict[str, TailCalibrator] = {
            signal.name: TailCalibrator(window=SIGNAL_WINDOW, min_scores=SIGNAL_MIN_VALUES)
            for signal in self.signals}
        self.n = 0
        self.calibrator = TailCalibrator(window=calibration_window, min_scores=min_calibration)
        # The run test: "the last posts come from a different writer", self-calibrated against its own past
        # values on this account like the per-post score (see _run_p_value).
        self.run_state = 0.0
        self.run_length = 0
        self.run_calibrator = TailCalibrator(window=calibration_window, min_scores=min_calibration)

    # -- the streaming contract -------------------------------------------------------------------------
    def features(self, post: Post) -> PostFeatures:
        return extract(post, None if self.timezone == "UTC" else self.zone, self.detect_language)

    @property
    def learning(self) -> bool:
        """True until the profile has seen enough posts to calibrate its own threshold."""
        return not self.calibrator.ready or self.n < self.warmup

    @property
    def posts_needed(self) -> int:
        return self.warmup + self.calibrator.min_scores

    def score(self, post: Post) -> Assessment:
        """Judge ``post`` against the history so far (does not learn it)."""
        return self._assess(self.features(post))

    def learn(self, post: Post) -> None:
        """Add ``post`` to the history."""
        features = self.features(post)
        bits = self._bits(features)
        self._learn(features, bits, self._evidence(bits))

    def note(self, post: Post) -> None:
        """See ``post`` without learning it (a post held for review): the gap to the next post counts from it."""
        features = self.features(post)
        for signal in self.signals:
            signal.note(features)

    def observe(self, post: Post, *, hold_flagged: bool = False) -> Assessment:
        """Score ``post`` against the posts before it, then learn it (prequential, as ``kawal audit`` does).

        ``hold_flagged=True`` leaves a flagged post out of the history (the caller learns it once a person
        confirms it is genuine), so that a hijacker's later posts are not judged against the first ones.
        """
        features = self.features(post)
        assessment = self._assess(features)
        if hold_flagged and assessment.flagged:
            for signal in self.signals:
                signal.note(features)
        else:
            self._learn(features, assessment.bits, assessment.evidence)
        return assessment

    # -- internals --------------------------------------------------------------------------------------
    def _bits(self, features: PostFeatures) -> dict[str, float]:
        bits = {}
        for signal in self.signals:
            value = signal.surprisal(features)
            if value is not None:
                bits[signal.name] = value
        return bits

    def _evidence(self, bits: Mapping[str, float]) -> dict[str, float]:
        """-ln p of each signal's bits against that signal's own past values on this account."""
        evidence = {}
        calibrators, log = self.signal_calibrators, math.log
        for name, value in bits.items():
            calibrator = calibrators[name]
            if calibrator.ready:
                p = calibrator.p_value(value)
                # (conditionals rather than min/max calls: this runs a dozen times per post)
                evidence[name] = 0.0 if p >= 1.0 else MAX_EVIDENCE if p <= MIN_P else min(-log(p), MAX_EVIDENCE)
        return evidence

    def _assess(self, features: PostFeatures) -> Assessment:
        bits = self._bits(features)
        evidence = self._evidence(bits)
        raw = combine(evidence)
        learning = self.learning
        post_p = self.calibrator.p_value(raw) if self.calibrator.ready else 1.0
        run_p = 1.0 if learning else self._run_p_value(post_p)
        # Two tests on one post: Bonferroni keeps the false-alert rate of the pair at that of one.
        p_value = post_p if run_p >= 1.0 else min(1.0, 2 * min(post_p, run_p))
        reasons = self._reasons(features, evidence, raw)
        if run_p < post_p and -math.log(max(run_p, 1e-300)) >= REASON_EVIDENCE:   # the run is notable too
            reasons.insert(0, Reason("run", f"{self.run_length + 1} posts in a row out of character for this "
                                            "account (a different writer?)", 0.0))
            del reasons[MAX_REASONS:]
        unsanctioned = self._unsanctioned(features.post)
        if unsanctioned is not None:
            reasons.insert(0, unsanctioned)
        elif self.sanctioned_clients and features.post.client is None:
            reasons.append(Reason("sanctioned_client", "the source does not say which app posted this; the "
                                                       "sanctioned-client rule cannot be checked", 0.0))
        if learning:
            reasons.append(Reason("profile", f"still learning: {self.n} of {self.posts_needed} posts seen; "
                                             "no out-of-character alert before then", 0.0))
        flagged = self.operating_point.decide(p_value, learning=learning, deterministic=unsanctioned is not None)
        # A policy violation is certain, not statistical: it scores as out of character as can be.
        score = 1.0 if unsanctioned is not None else score_from_p(p_value)
        return Assessment(post_id=features.post.id, created_at=features.post.created_at,
                          score=score, p_value=p_value, flagged=flagged, learning=learning,
                          reasons=reasons, bits=bits, raw=raw, evidence=evidence, post_p_value=post_p)

    def _run_statistic(self, post_p: float) -> float:
        return max(0.0, self.run_state + min(-math.log(max(post_p, 1e-300)), RUN_CAP) - RUN_DRIFT)

    def _run_p_value(self, post_p: float) -> float:
        """The run test's p-value, or 1 when the previous post left no run (a lone odd post is the per-post
        test's alone, and pays no Bonferroni)."""
        if self.run_state == 0.0 or not self.run_calibrator.ready:
            return 1.0
        return self.run_calibrator.p_value(self._run_statistic(post_p))

    def _reasons(self, features: PostFeatures, evidence: Mapping[str, float], raw: float) -> list[Reason]:
        notable = sorted(((v, name) for name, v in evidence.items() if v >= REASON_EVIDENCE), reverse=True)
        by_name = self._by_name
        return [Reason(name, by_name[name].explain(features), value / raw if raw else 0.0)
                for value, name in notable[:MAX_REASONS]]

    def _unsanctioned(self, post: Post) -> Reason | None:
        if not self.sanctioned_clients or post.client is None or post.client in self.sanctioned_clients:
            return None
        allowed = ", ".join(f"'{name}'" for name in self.sanctioned_clients)
        return Reason("sanctioned_client", f"posted from '{post.client}', which is not a sanctioned client "
                                           f"(sanctioned: {allowed})", 1.0)

    def _learn(self, features: PostFeatures, bits: Mapping[str, float], evidence: Mapping[str, float]) -> None:
        raw = combine(evidence)
        if not self.learning:
            value = self._run_statistic(self.calibrator.p_value(raw))
            self.run_calibrator.add(value)
            self.run_length = self.run_length + 1 if value > 0.0 else 0
            self.run_state = value
        if self.n >= self.warmup:
            self.calibrator.add(raw)
        if self.n >= SIGNAL_WARMUP:
            calibrators = self.signal_calibrators
            for name, value in bits.items():
                calibrators[name].add(value)
        for signal in self.signals:
            signal.learn(features)
        self.n += 1

    # -- persistence ------------------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """JSON-serialisable state (a DB column); :meth:`from_json` restores a profile that scores the same."""
        return {"version": FORMAT_VERSION, "account": self.account, "timezone": self.timezone,
                "sanctioned_clients": list(self.sanctioned_clients), "alpha": self.operating_point.alpha,
                "warmup": self.warmup, "n": self.n, "calibrator": self.calibrator.state(),
                "signal_calibrators": {name: c.state() for name, c in self.signal_calibrators.items()},
                "run": {"state": self.run_state, "length": self.run_length,
                        "calibrator": self.run_calibrator.state()},
                "signals": {signal.name: signal.state() for signal in self.signals}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | str, *, tone_scorer: ToneScorer | None | str = AUTO,
                  detect_language: LanguageDetector | str = AUTO) -> Profile:
        state = json.loads(data) if isinstance(data, str) else data
        if state.get("version") != FORMAT_VERSION:
            raise ValueError(f"unsupported profile format version {state.get('version')!r}")
        profile = cls(state.get("account"), timezone=state.get("timezone", "UTC"),
                      sanctioned_clients=state.get("sanctioned_clients", ()), tone_scorer=tone_scorer,
                      detect_language=detect_language, operating_point=OperatingPoint(state.get("alpha", DEFAULT_ALPHA)),
                      warmup=int(state.get("warmup", WARMUP_POSTS)))
        profile.n = int(state.get("n", 0))
        for name, calibrator in profile.signal_calibrators.items():
            calibrator.load(state.get("signal_calibrators", {}).get(name, {}))
        profile.calibrator.load(state.get("calibrator", {}))
        run = state.get("run", {})   # absent in profiles stored before the run test: it starts afresh
        profile.run_state, profile.run_length = float(run.get("state", 0.0)), int(run.get("length", 0))
        profile.run_calibrator.load(run.get("calibrator", {}))
        for signal in profile.signals:
            signal.load(state.get("signals", {}).get(signal.name, {}))
        return profile


def fast_profile(account: str | None = None, **options: Any) -> Profile:
    """A profile with no model calls (cheap language detector, no tone model): the streaming fast path."""
    options.setdefault("tone_scorer", None)
    options.setdefault("detect_language", cheap_language)
    return Profile(account, **options)

