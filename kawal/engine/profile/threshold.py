"""The operating point: deciding, kept apart from scoring (as river's thresholding wrappers do).

Scores are p-values mapped to 0..1 on a log scale: ``score = log(1/p) / (2 log(1/0.005))``, capped at 1,
so that p = 0.005 sits at 0.5 and p = 0.000025 at 1. The default operating point flags p <= 0.005: at most
0.5 % of an account's genuine posts are expected to be flagged, on any account, once it has left warm-up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

DEFAULT_ALPHA = 0.005
_SCALE = 2 * math.log(1 / DEFAULT_ALPHA)


def score_from_p(p_value: float) -> float:
    """0..1, higher = more out of character; 0.5 at the default operating point."""
    return min(1.0, math.log(1 / max(p_value, 1e-300)) / _SCALE)


def p_from_score(score: float) -> float:
    return math.exp(-score * _SCALE)


@dataclass(frozen=True, slots=True)
class OperatingPoint:
    """Flag a post when its p-value is at most ``alpha`` (the tolerated share of false alerts)."""

    alpha: float = DEFAULT_ALPHA

    def __post_init__(self) -> None:
        if not 0 < self.alpha < 1:
            raise ValueError(f"alpha must be between 0 and 1, got {self.alpha}")

    @property
    def score_threshold(self) -> float:
        return score_from_p(self.alpha)

    def decide(self, p_value: float, *, learning: bool, deterministic: bool = False) -> bool:
        """A deterministic finding (unsanctioned client) always flags; a learning profile never flags alone."""
        return deterministic or (not learning and p_value <= self.alpha)
