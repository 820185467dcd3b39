"""Bursts of posting: the gap since the previous post against the account's usual gaps (log-scale bins).

Hijackers post several times within minutes, or break a long silence; both are unusual gaps.
"""

from __future__ import annotations

import math
from typing import Any

from kawal.engine.profile.base import BinnedModel, Signal, percent
from kawal.engine.profile.features import PostFeatures

BINS = 25   # log2 of the gap in seconds: bin 24 is about half a year


def gap_bin(seconds: float) -> int:
    return min(BINS - 1, int(math.log2(max(seconds, 0.0) + 1.0)))


def describe_gap(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.0f} days"


class BurstSignal(Signal):
    name = "burst"

    def __init__(self) -> None:
        self.model = BinnedModel(BINS, prior=0.1)
        self.last: float | None = None

    def _gap(self, features: PostFeatures) -> float | None:
        if self.last is None:
            return None
        return features.post.created_at.timestamp() - self.last

    def surprisal(self, features: PostFeatures) -> float | None:
        gap = self._gap(features)
        if gap is None or self.model.total == 0:
            return None
        index, counts = gap_bin(gap), self.model.counts
        neighbours = 0.25 * (counts[index - 1] if index else 0) + 0.25 * (counts[index + 1] if index + 1 < BINS else 0)
        p = (0.5 * counts[index] + neighbours + self.model.prior) / (self.model.total + self.model.prior * BINS)
        return -math.log2(p)

    def explain(self, features: PostFeatures) -> str:
        gap = self._gap(features) or 0.0
        index = gap_bin(gap)
        shorter = sum(self.model.counts[: index + 1]) / self.model.total
        longer = sum(self.model.counts[index:]) / self.model.total
        if shorter <= longer:
            return f"posted {describe_gap(gap)} after the previous post; only {percent(shorter)} of this " \
                   "account's gaps are that short"
        return f"posted after {describe_gap(gap)} of silence; only {percent(longer)} of this account's " \
               "gaps are that long"

    def learn(self, features: PostFeatures) -> None:
        gap = self._gap(features)
        if gap is not None:
            self.model.add(gap_bin(gap))
        self.note(features)

    def note(self, features: PostFeatures) -> None:
        # The next gap counts from this post even when it is held out of the history.
        self.last = max(self.last or 0.0, features.post.created_at.timestamp())

    def state(self) -> dict[str, Any]:
        return {**self.model.state(), "last": self.last}

    def load(self, state: dict[str, Any]) -> None:
        self.model.load(state)
        self.last = state.get("last")
