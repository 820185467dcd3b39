"""Client app: the publishing tool a post came from ("Sprinklr", "Twitter Web App").

The strongest single sign of a hijack or of someone bypassing the publishing process, when the platform
still reports it (X removed the field from its API in 2022; archives and Mastodon may lack it): then the
signal stays silent rather than guessing.
"""

from __future__ import annotations

from typing import Any

from kawal.engine.profile.base import CategoricalModel, Signal, percent, plural
from kawal.engine.profile.features import PostFeatures


class ClientSignal(Signal):
    name = "client"

    def __init__(self) -> None:
        # Half-life of 1,000 posts: a team that moves to a new tool stops being flagged after a while.
        self.model = CategoricalModel(discount=0.5, concentration=1.0, half_life=1000)
        # The current streak of one client, exact (the decayed counts are not): "the last 1,200 posts".
        self.streak_client: str | None = None
        self.streak = 0

    def surprisal(self, features: PostFeatures) -> float | None:
        client = features.post.client
        return None if client is None or self.model.n == 0 else self.model.bits(client)

    def explain(self, features: PostFeatures) -> str:
        client = features.post.client or ""
        seen, top = self.model.count(client), self.model.top(2)
        usual = top[0][0] if top else "?"
        if self.streak_client is not None and self.streak_client != client and self.streak >= 2:
            return (f"posted from '{client}'; the last {plural(self.streak, 'post')} all came from "
                    f"'{self.streak_client}'")
        if seen < 0.5:
            usual_list = ", ".join(f"'{name}'" for name, _ in top)
            return f"posted from '{client}', never used before (usually {usual_list})"
        return (f"posted from '{client}', used for only {percent(seen / self.model.n)} of recent posts "
                f"(usually '{usual}')")

    def learn(self, features: PostFeatures) -> None:
        client = features.post.client
        if client is not None:
            self.model.add(client)
            self.streak = self.streak + 1 if client == self.streak_client else 1
            self.streak_client = client

    def state(self) -> dict[str, Any]:
        return {**self.model.state(), "streak_client": self.streak_client, "streak": self.streak}

    def load(self, state: dict[str, Any]) -> None:
        self.model.load(state)
        self.streak_client, self.streak = state.get("streak_client"), int(state.get("streak", 0))
