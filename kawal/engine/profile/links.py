"""Link domains: the first link to a domain the account has never linked to (scams, phishing, fake news)."""

from __future__ import annotations

from typing import Any

from kawal.engine.profile.base import CategoricalModel, Signal, plural
from kawal.engine.profile.features import PostFeatures


class LinkSignal(Signal):
    name = "links"

    def __init__(self) -> None:
        self.model = CategoricalModel(discount=0.5, concentration=1.0)

    def surprisal(self, features: PostFeatures) -> float | None:
        if not features.domains or self.model.n == 0:
            return None
        return max(self.model.bits(domain) for domain in features.domains)

    def explain(self, features: PostFeatures) -> str:
        new = [d for d in features.domains if self.model.count(d) == 0]
        if new:
            known = len(self.model.counts)
            return (f"first link to {', '.join(new[:3])}; this account has linked to "
                    f"{plural(known, 'other domain')} in {plural(self.model.n, 'link')}")
        rare = min(features.domains, key=self.model.count)
        return f"link to {rare}, used only {plural(self.model.count(rare), 'time')} before"

    def learn(self, features: PostFeatures) -> None:
        for domain in features.domains:
            self.model.add(domain)

    def state(self) -> dict[str, Any]:
        return self.model.state()

    def load(self, state: dict[str, Any]) -> None:
        self.model.load(state)
