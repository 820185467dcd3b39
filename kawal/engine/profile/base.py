"""What every profile signal shares: the contract, the reason record and the counting models.

A signal answers one question about a post ("is this client usual for the account?") in **bits of
surprisal**: ``-log2 P(feature | the account's history)``. Bits add up across independent signals and a
person can read them ("12 bits" = about 1 chance in 4,000). A signal that has nothing to say about a post
(no client field, no links) returns ``None`` and is left out, never counted as zero evidence.

``CategoricalModel`` is the predictive distribution used for open-ended categories (clients, domains,
mentions): a Pitman-Yor process, so that an account that uses a new domain every day finds the next new
domain unsurprising while an account that used one client for 1,200 posts finds a second client very
surprising. Counts can decay (a half-life in posts) so that a genuine change of habit fades in.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar

from kawal.engine.profile.features import PostFeatures

LOG2 = math.log(2)


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a post looks out of character: the signal, a sentence a person reads, and its share of the score."""

    signal: str
    detail: str
    weight: float

    def to_json(self) -> dict[str, Any]:
        return {"signal": self.signal, "detail": self.detail, "weight": round(self.weight, 3)}


class Signal(ABC):
    """One out-of-character signal. ``learn`` adds a post to the history; ``score`` is pure."""

    name: ClassVar[str]

    @abstractmethod
    def surprisal(self, features: PostFeatures) -> float | None:
        """Bits of surprise of this post's feature given the history, or ``None`` when it does not apply."""

    @abstractmethod
    def explain(self, features: PostFeatures) -> str:
        """The sentence shown to a person when this signal stands out (only called when it does)."""

    @abstractmethod
    def learn(self, features: PostFeatures) -> None:
        """Add the post to the history."""

    @abstractmethod
    def state(self) -> dict[str, Any]:
        """JSON-serialisable state; ``load(state)`` restores it."""

    @abstractmethod
    def load(self, state: dict[str, Any]) -> None: ...

    def note(self, features: PostFeatures) -> None:
        """See a post that is not learned (held for review): signals about timing still need its time."""
        del features   # most signals learn nothing from a post they do not learn

    def score(self, features: PostFeatures) -> tuple[float | None, str | None]:
        """(bits, reason) as the profile contract states; the reason only when there is surprise."""
        bits = self.surprisal(features)
        return bits, (self.explain(features) if bits is not None and bits >= 1.0 else None)


class CategoricalModel:
    """Pitman-Yor predictive probabilities over an open set of values, with optional decay.

    ``P(seen x) = (c_x - d) / (n + theta)``, ``P(new) = (theta + d * K) / (n + theta)``. Decay is done with
    a growing unit (each learn adds ``unit`` and multiplies it by ``1 / r``) so that it costs O(1).
    """

    def __init__(self, *, discount: float = 0.5, concentration: float = 1.0,
                 half_life: float | None = None, max_values: int = 20_000) -> None:
        self.discount, self.concentration = discount, concentration
        self.half_life, self.max_values = half_life, max_values
        self.counts: dict[str, float] = {}
        self.total = 0.0
        self.unit = 1.0
        self.growth = 2 ** (1 / half_life) if half_life else 1.0

    def count(self, value: str) -> float:
        return self.counts.get(value, 0.0) / self.unit

    @property
    def n(self) -> float:
        return self.total / self.unit

    def bits(self, value: str) -> float:
        """Surprisal of ``value`` in bits."""
        c, n, k = self.count(value), self.n, len(self.counts)
        d, theta = self.discount, self.concentration
        if c > 0:
            p = max(c - d, c * 0.5) / (n + theta)   # a decayed count below d still keeps half its mass
        else:
            p = (theta + d * k) / (n + theta)
        return -math.log2(min(p, 1.0))

    def add(self, value: str) -> None:
        self.counts[value] = self.counts.get(value, 0.0) + self.unit
        self.total += self.unit
        if self.growth != 1.0:
            self.unit *= self.growth
            if self.unit > 1e6:
                self._renormalise()
        if len(self.counts) > self.max_values:
            self._prune()

    def _renormalise(self) -> None:
        unit = self.unit
        self.counts = {k: v / unit for k, v in self.counts.items() if v / unit >= 0.01}
        self.total /= unit
        self.unit = 1.0

    def _prune(self) -> None:
        """Forget the rarest half of the values: memory stays bounded on a long timeline."""
        ranked = sorted(self.counts.items(), key=lambda kv: kv[1], reverse=True)
        self.counts = dict(ranked[: self.max_values // 2])

    def top(self, limit: int = 3) -> list[tuple[str, float]]:
        ranked = sorted(self.counts.items(), key=lambda kv: kv[1], reverse=True)[:limit]
        return [(k, v / self.unit) for k, v in ranked]

    def state(self) -> dict[str, Any]:
        self._renormalise()
        return {"counts": dict(self.counts), "total": self.total}

    def load(self, state: dict[str, Any]) -> None:
        self.counts = {str(k): float(v) for k, v in state.get("counts", {}).items()}
        self.total, self.unit = float(state.get("total", sum(self.counts.values()))), 1.0


class BinnedModel:
    """A Dirichlet-smoothed distribution over a fixed number of bins (hours, gap sizes, tone levels)."""

    def __init__(self, size: int, *, prior: float = 0.5) -> None:
        self.size, self.prior = size, prior
        self.counts = [0.0] * size
        self.total = 0.0

    def probability(self, index: int) -> float:
        return (self.counts[index] + self.prior) / (self.total + self.prior * self.size)

    def bits(self, index: int) -> float:
        return -math.log2(self.probability(index))

    def add(self, index: int) -> None:
        self.counts[index] += 1.0
        self.total += 1.0

    def state(self) -> dict[str, Any]:
        return {"counts": list(self.counts)}

    def load(self, state: dict[str, Any]) -> None:
        counts = [float(c) for c in state.get("counts", [])]
        if len(counts) == self.size:
            self.counts, self.total = counts, sum(counts)


def plural(count: float, word: str) -> str:
    number = int(round(count))
    return f"{number:,} {word}{'' if number == 1 else 's'}"


def percent(share: float) -> str:
    return f"{share * 100:.1f} %" if share < 0.1 else f"{share * 100:.0f} %"
