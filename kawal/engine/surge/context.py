"""A second opinion beside the forecasts: how new is the *context* of a value (in the spirit of CAD-OSE).

The forecasts ask "how far is this value from what was expected"; this memory asks "has the series ever
moved like this before". Each value becomes one of ``levels`` coarse levels; the last 1..``orders`` levels
before it are its contexts; a bounded set remembers every (context, level) transition seen. The novelty
of a point is the share of its context lengths whose transition is new, and the score is its short
average. Its errors differ from the forecasts': a value inside the usual range reached by an unusual path
(a plateau, a drop to a level never reached from there) is novel even when a forecast explains it.

The levels span the range of the first ``warmup`` points widened by ``pad`` times that range on each side
and then stay fixed (those points are kept until then and their transitions learnt in the final levels), since a streaming detector cannot know a file's whole range in advance (CAD-OSE is
given it) and levels that keep moving would make every transition new; values beyond fall in the edge
levels (the forecasts' new-extreme score covers them). Memory is bounded: at most
``levels ** 2 + ... + levels ** (orders + 1)`` transitions (4,672 with 8 levels and 3 orders).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ContextMemory:
    """Novelty of each value's context; ``update`` returns the short average of novelty in 0..1."""

    levels: int = 8
    orders: int = 3
    pad: float = 1.0
    warmup: int = 300
    short: int = 10
    n: int = 0
    lo: float = 0.0
    hi: float = 0.0
    recent: list[int] = field(default_factory=list)     # the last ``orders + 1`` levels
    early: list[float] = field(default_factory=list)     # the warm-up's values, until the levels are set
    seen: set[int] = field(default_factory=set)          # transitions seen, each coded as one integer
    mean: float = 0.0                                    # short average of novelty

    def __post_init__(self) -> None:
        if self.levels < 2:
            raise ValueError(f"context levels must be at least 2, not {self.levels}")
        if self.orders < 1:
            raise ValueError(f"context orders must be at least 1, not {self.orders}")
        if self.pad < 0:
            raise ValueError(f"context pad must not be negative, not {self.pad}")

    def update(self, x: float) -> float:
        """Learn the transition into ``x``; return the short average of novelty (0 until ``warmup``)."""
        self.n += 1
        if self.n <= self.warmup:
            self.early.append(x)  # the levels need the warm-up's range; kept only until then
            if self.n == self.warmup:
                self._fix_levels()
            novelty = 0.0
        else:
            novelty = self._observe(x)
        self.mean += 2.0 / (self.short + 1) * (novelty - self.mean)
        return self.mean

    def _fix_levels(self) -> None:
        """Set the levels from the warm-up's range and learn the warm-up's transitions in them."""
        early = self.early
        width = max(early) - min(early)
        # fixed from here on: levels that kept moving would make every transition look new
        self.lo, self.hi = min(early) - self.pad * width, max(early) + self.pad * width
        for x in early:
            self._observe(x)
        self.early = []

    def _observe(self, x: float) -> float:
        recent = self.recent
        recent.append(self._level(x))
        if len(recent) > self.orders + 1:
            del recent[0]
        return self._novelty(recent)

    def _level(self, x: float) -> int:
        span = self.hi - self.lo
        if span <= 0:
            return 0
        return min(self.levels - 1, max(0, int((x - self.lo) / span * self.levels)))

    def _novelty(self, recent: list[int]) -> float:
        """Share of context lengths whose transition into the newest level was never seen."""
        new = total = 0
        block = self.levels ** (self.orders + 1)  # codes of one order never collide with another's
        for k in range(1, min(self.orders, len(recent) - 1) + 1):
            code = 0
            for level in recent[-k - 1:]:
                code = code * self.levels + level
            key = k * block + code
            total += 1
            if key not in self.seen:
                new += 1
                self.seen.add(key)
        return new / total if total else 0.0

    def to_json(self) -> dict[str, Any]:
        return {"levels": self.levels, "orders": self.orders, "pad": self.pad, "warmup": self.warmup,
                "short": self.short, "n": self.n, "lo": self.lo, "hi": self.hi, "recent": list(self.recent),
                "early": list(self.early), "seen": sorted(self.seen), "mean": self.mean}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ContextMemory:
        try:
            return cls(**{**data, "recent": list(data["recent"]), "early": list(data["early"]),
                          "seen": set(data["seen"])})
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not a context memory state ({exc})") from None
