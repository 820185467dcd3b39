"""Reply versus original versus repost/quote mix: a support account that suddenly posts originals, or a
broadcast account that suddenly replies to strangers, is acting out of character."""

from __future__ import annotations

from typing import Any

from kawal.engine.profile.base import BinnedModel, Signal, percent
from kawal.engine.profile.features import PostFeatures

KINDS = ("original", "reply", "repost", "quote")
LABELS = {"original": "an original post", "reply": "a reply", "repost": "a repost", "quote": "a quote post"}


class KindSignal(Signal):
    name = "kind"

    def __init__(self) -> None:
        self.model = BinnedModel(len(KINDS), prior=0.5)

    def surprisal(self, features: PostFeatures) -> float | None:
        return None if self.model.total == 0 else self.model.bits(KINDS.index(features.kind))

    def explain(self, features: PostFeatures) -> str:
        share = self.model.counts[KINDS.index(features.kind)] / self.model.total
        return f"{LABELS[features.kind]}; only {percent(share)} of this account's posts are"

    def learn(self, features: PostFeatures) -> None:
        self.model.add(KINDS.index(features.kind))

    def state(self) -> dict[str, Any]:
        return self.model.state()

    def load(self, state: dict[str, Any]) -> None:
        self.model.load(state)
