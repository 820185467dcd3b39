"""Posting time against the account's hour-of-week habit, in the account's own time zone.

The distribution mixes the hour-of-week histogram with the product of hour-of-day and weekday habits
(smoothed to the neighbouring hour), so that a Tuesday 09:00 post is not surprising just because the
account happened never to post on a Tuesday at 09:00 before.

A habit is counted once per calendar hour: fifty replies sent in one busy hour show that the account is
active at that hour once, not fifty times (posts come in sessions, and counting each would make the
histogram far too sure of itself).
"""

from __future__ import annotations

import math
from typing import Any

from kawal.engine.profile.base import BinnedModel, Signal, percent
from kawal.engine.profile.features import PostFeatures

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class HourSignal(Signal):
    name = "hour"

    def __init__(self, zone_name: str = "UTC") -> None:
        self.zone_name = zone_name
        self.week = BinnedModel(168, prior=0.05)
        self.day = BinnedModel(24, prior=0.25)
        self.weekday = BinnedModel(7, prior=1.0)
        self.last_slot = -1

    def probability(self, features: PostFeatures) -> float:
        hour, day = features.local_hour, features.weekday
        counts, total = self.day.counts, self.day.total
        smoothed = (0.25 * counts[(hour - 1) % 24] + 0.5 * counts[hour] + 0.25 * counts[(hour + 1) % 24]
                    + self.day.prior) / (total + 24 * self.day.prior)
        product = smoothed * self.weekday.probability(day)
        return 0.5 * product + 0.5 * self.week.probability(features.hour_of_week)

    def surprisal(self, features: PostFeatures) -> float | None:
        if self.day.total == 0:
            return None
        return -math.log2(self.probability(features))

    def explain(self, features: PostFeatures) -> str:
        hour = features.local_hour
        clock = f"{hour:02d}:{features.minute:02d} {self.zone_name}"
        start, end = self._quiet_span(hour)
        if start is not None:
            return (f"{clock} on a {DAYS[features.weekday]}; this account has never posted between "
                    f"{start:02d}:00 and {end:02d}:00")
        share = self.day.counts[hour] / self.day.total
        return f"{clock} on a {DAYS[features.weekday]}; only {percent(share)} of this account's active hours are " \
               f"between {hour:02d}:00 and {(hour + 1) % 24:02d}:00"

    def _quiet_span(self, hour: int) -> tuple[int | None, int]:
        counts = self.day.counts
        if counts[hour] >= 0.5:
            return None, hour
        start, end, steps = hour, (hour + 1) % 24, 0
        while counts[(start - 1) % 24] < 0.5 and steps < 23:
            start, steps = (start - 1) % 24, steps + 1
        while counts[end] < 0.5 and steps < 23:
            end, steps = (end + 1) % 24, steps + 1
        return start, end

    def learn(self, features: PostFeatures) -> None:
        slot = int(features.post.created_at.timestamp()) // 3600
        if slot == self.last_slot:
            return
        self.last_slot = slot
        self.week.add(features.hour_of_week)
        self.day.add(features.local_hour)
        self.weekday.add(features.weekday)

    def state(self) -> dict[str, Any]:
        return {"week": self.week.state(), "day": self.day.state(), "weekday": self.weekday.state(),
                "last_slot": self.last_slot}

    def load(self, state: dict[str, Any]) -> None:
        self.week.load(state.get("week", {}))
        self.day.load(state.get("day", {}))
        self.weekday.load(state.get("weekday", {}))
        self.last_slot = int(state.get("last_slot", -1))
