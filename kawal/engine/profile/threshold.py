"""The operating point: deciding, kept apart from scoring (as river's thresholding wrappers do).

The budget is at most 0.5 % false alerts on an account's genuine posts. The p-values are exact only if an
account's genuine posts are exchangeable, and real timelines drift (new staff, new campaigns, new tools):
on the development timelines a p <= 0.005 rule flagged 0.7 % of genuine posts. So the default operating
point asks for half the budget, p <= 0.0025 (0.4 % measured), a fixed safety factor of two rather than a
threshold fitted to any data set.

Scores are p-values mapped to 0..1 on a log scale: ``score = log(1/p) / (2 log(1/0.0025))``, capped at 1,
so that the default operating point sits at 0.5 and p = 0.0000063 at 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

FALSE_ALERT_BUDGET = 0.005
SAFETY_FACTOR = 2.0
DEFAULT_ALPHA = FALSE_ALERT_BUDGET / SAFETY_FACTOR
_SCALE = 2 * math.log(1 / DEFAULT_ALPHA)


def score_from_p(p_value: float) -> float:
    """0..1, higher = more out of character; 0.5 at the default operating point (p = 0.0025)."""
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
