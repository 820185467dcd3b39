"""Self-calibration: turn an account's combined surprisal into a p-value from its *own* past scores.

Every learned post leaves its prequential raw score (scored before it was learned) in a window. A new
post's p-value is the share of past scores at least as high (a conformal p-value), and beyond the 80th
percentile an exponential tail fitted to the top fifth (peaks over threshold), so that p keeps falling
past the largest score seen. If genuine posts are exchangeable with the account's past ones, P(p <= a) <= a
on genuine posts whatever the account: this is what lets one default threshold hold on accounts never seen.
"""

from __future__ import annotations

import bisect
import math
from bisect import bisect_left, insort
from collections import deque
from typing import Any

TAIL = 0.2
REFRESH_EVERY = 16
MIN_BETA = 0.25


def upper_bound_factor(k: int) -> float:
    """2k / chi-square quantile at 5 % with 2k degrees of freedom (Wilson-Hilferty approximation)."""
    nu = 2.0 * k
    quantile = nu * (1 - 2 / (9 * nu) - 1.6449 * math.sqrt(2 / (9 * nu))) ** 3
    return nu / max(quantile, 1e-9)


class TailCalibrator:
    def __init__(self, *, window: int = 1000, min_scores: int = 30) -> None:
        self.window, self.min_scores = window, min_scores
        self.scores: deque[float] = deque(maxlen=window)
        self._sorted: list[float] = []
        self._threshold = 0.0
        self._beta = 1.0
        self._above = 0       # past values strictly above the tail threshold at the last fit
        self._stale = 0
        self.ready = False    # True once the window holds min_scores values

    def add(self, raw: float) -> None:
        # The sorted copy is kept up to date incrementally (two bisects); the tail fit every few adds.
        scores, ordered = self.scores, self._sorted
        if len(scores) == self.window:
            del ordered[bisect_left(ordered, scores[0])]
        scores.append(raw)
        insort(ordered, raw)
        self._stale += 1
        if not self.ready:
            self.ready = len(scores) >= self.min_scores
            self._fit_tail()
        elif self._stale >= REFRESH_EVERY:
            self._fit_tail()

    def _refresh(self) -> None:
        self._sorted = sorted(self.scores)
        self.ready = len(self.scores) >= self.min_scores
        self._fit_tail()

    def _fit_tail(self) -> None:
        self._stale = 0
        ordered = self._sorted
        if not ordered:
            return
        cut = min(len(ordered) - 1, int(len(ordered) * (1 - TAIL)))
        self._threshold = threshold = ordered[cut]
        above = bisect.bisect_right(ordered, threshold)
        k = len(ordered) - above
        self._above = k
        # The tail scale is estimated from k points only: use its one-sided 95 % upper confidence bound
        # (2k * mean / chi-square_0.05(2k)), so that a short history errs towards fewer alerts.
        mean_excess = (sum(ordered[above:]) - threshold * k) / k if k else MIN_BETA
        self._beta = max(mean_excess * upper_bound_factor(max(k, 1)), MIN_BETA)

    def p_value(self, raw: float) -> float:
        """P(a genuine post scores at least ``raw``), estimated from this account's own past scores."""
        ordered = self._sorted
        n = len(ordered)
        if n == 0:
            return 1.0
        if raw <= self._threshold:
            return (n - bisect_left(ordered, raw) + 1) / (n + 1)   # at most 1: bisect_left >= 0
        if self._above == 0:
            # Nothing in the window ever exceeded the threshold (a signal that has always been 0 here, such
            # as cues on a clean account): the tail has no data, and a value beyond all of them has the
            # rank p-value 1/(n+1), which the fallback tail scale alone would not reach.
            return min(1.0 / (n + 1), TAIL) * math.exp(-(raw - self._threshold) / self._beta)
        # (Tried: counting only the values strictly above a tied threshold in the share whenever it is
        # tied; with the tone model of 1ada53e it caught fewer attacker and swap-hijack posts.)
        share = (n - bisect_left(ordered, self._threshold) + 1) / (n + 1)
        return min(share, TAIL) * math.exp(-(raw - self._threshold) / self._beta)

    def state(self) -> dict[str, Any]:
        return {"window": self.window, "min_scores": self.min_scores, "scores": list(self.scores),
                "threshold": self._threshold, "beta": self._beta, "stale": self._stale, "above": self._above}

    def load(self, state: dict[str, Any]) -> None:
        self.window = int(state.get("window", self.window))
        self.min_scores = int(state.get("min_scores", self.min_scores))
        self.scores = deque((float(x) for x in state.get("scores", [])), maxlen=self.window)
        self._refresh()
        if "beta" in state:   # the fit as it was, so that a restored profile scores exactly the same
            self._threshold, self._beta = float(state["threshold"]), float(state["beta"])
            self._stale = int(state.get("stale", 0))
            self._above = int(state.get("above", self._above))
