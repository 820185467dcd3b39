"""New mentions and new hashtags: the same open-set model, judged against how often the account meets new ones.

A customer-care account mentions a new customer in most posts, so a new handle tells little there; a
president's account that starts tagging an unknown crypto handle tells a lot.
"""

from __future__ import annotations

from typing import Any

from kawal.engine.profile.base import CategoricalModel, Signal, plural
from kawal.engine.profile.features import PostFeatures


class _OpenSetSignal(Signal):
    prefix = ""
    noun = ""

    def __init__(self) -> None:
        self.model = CategoricalModel(discount=0.5, concentration=1.0, max_values=20_000)
        self.posts = 0

    def values(self, features: PostFeatures) -> tuple[str, ...]:
        raise NotImplementedError

    def surprisal(self, features: PostFeatures) -> float | None:
        values = self.values(features)
        if not values or self.posts == 0:
            return None
        return max(self.model.bits(value) for value in values)

    def explain(self, features: PostFeatures) -> str:
        values = self.values(features)
        new = [self.prefix + v for v in values if self.model.count(v) == 0]
        if new:
            return (f"first {self.noun} of {', '.join(new[:3])}; {plural(len(self.model.counts), 'distinct one')} "
                    f"in {plural(self.posts, 'earlier post')}")
        rare = min(values, key=self.model.count)
        return f"{self.noun} of {self.prefix}{rare}, seen only {plural(self.model.count(rare), 'time')} before"

    def learn(self, features: PostFeatures) -> None:
        self.posts += 1
        for value in self.values(features):
            self.model.add(value)

    def state(self) -> dict[str, Any]:
        return {**self.model.state(), "posts": self.posts}

    def load(self, state: dict[str, Any]) -> None:
        self.model.load(state)
        self.posts = int(state.get("posts", 0))


class MentionSignal(_OpenSetSignal):
    name = "mentions"
    prefix, noun = "@", "mention"

    def values(self, features: PostFeatures) -> tuple[str, ...]:
        # In a reply the first handle is the person answered: the reply signal covers that.
        if features.kind == "reply" and features.post.text.startswith("@"):
            return features.mentions[1:]
        return features.mentions


class HashtagSignal(_OpenSetSignal):
    name = "hashtags"
    prefix, noun = "#", "use"

    def values(self, features: PostFeatures) -> tuple[str, ...]:
        return features.hashtags
