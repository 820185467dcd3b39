"""Tone: a hostile, abusive or offensive post on an account that is usually civil.

The scorer is injected as a plain callable ``text -> {"hostile": p, "abusive": p, ...}`` so that the
profile does not depend on how tone is modelled. :func:`default_tone_scorer` returns the risk-screening
``ToneModel`` when it is installed and ``None`` otherwise; with no scorer the signal stays silent.
Only tone *harsher* than the account's usual counts: a calmer post than usual is not a risk.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from kawal.engine.profile.base import BinnedModel, Signal, percent
from kawal.engine.profile.features import PostFeatures

ToneScorer = Callable[[str], Mapping[str, Any]]
HARSH_KEYS = ("hostile", "abusive", "offensive")
LEVELS = 5
LEVEL_NAMES = ("calm", "mildly harsh", "harsh", "very harsh", "hostile or abusive")


def default_tone_scorer() -> ToneScorer | None:
    """The risk-screening tone model when it can be loaded, else ``None`` (the signal then stays silent)."""
    try:
        from kawal.engine.screen.tone import ToneModel
        model = ToneModel.load()
    except Exception:  # noqa: BLE001 - any failure to load an optional model means "no tone signal"
        return None
    return model.score


def harshness(scores: Mapping[str, Any]) -> float:
    values = [float(scores[key]) for key in HARSH_KEYS if isinstance(scores.get(key), int | float)]
    return max(values) if values else 0.0


class ToneSignal(Signal):
    name = "tone"

    def __init__(self, scorer: ToneScorer | None = None) -> None:
        self.scorer = scorer
        self.model = BinnedModel(LEVELS, prior=0.5)
        self._cache: tuple[str, float] | None = None

    def level(self, features: PostFeatures) -> int | None:
        if self.scorer is None or not features.body:
            return None
        value = self._harshness(features.body)
        return min(LEVELS - 1, int(value * LEVELS))

    def _harshness(self, text: str) -> float:
        # score() and learn() see the same post in a row: score the text once.
        if self._cache is not None and self._cache[0] == text:
            return self._cache[1]
        assert self.scorer is not None
        value = harshness(self.scorer(text))
        self._cache = (text, value)
        return value

    def surprisal(self, features: PostFeatures) -> float | None:
        level = self.level(features)
        if level is None or self.model.total == 0:
            return None
        if level <= self._usual_level():
            return 0.0
        tail = sum(self.model.counts[level:]) + self.model.prior
        return -math.log2(tail / (self.model.total + self.model.prior * LEVELS))

    def _usual_level(self) -> int:
        counts, half, running = self.model.counts, self.model.total / 2, 0.0
        for index, count in enumerate(counts):
            running += count
            if running >= half:
                return index
        return 0

    def explain(self, features: PostFeatures) -> str:
        level = self.level(features) or 0
        share = sum(self.model.counts[level:]) / max(self.model.total, 1e-9)
        return f"tone is {LEVEL_NAMES[level]}; only {percent(share)} of this account's posts are as harsh"

    def learn(self, features: PostFeatures) -> None:
        level = self.level(features)
        if level is not None:
            self.model.add(level)

    def state(self) -> dict[str, Any]:
        return self.model.state()

    def load(self, state: dict[str, Any]) -> None:
        self.model.load(state)
