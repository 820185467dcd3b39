"""Alert rules on top of the detector's scores: sensitivity, minimum duration, cooldown, explanation.

Scoring and deciding stay apart (as in river's thresholding wrappers): the detector says how unusual each
point is; ``AlertTracker`` decides when that is worth a person's attention and says why in words, e.g.
"3.4× the usual Tuesday 20:00 volume for 25 minutes". The listening side adds what the surge is about
through the ``describe`` hook (", mostly 'gangguan' (outage) mentions in Indonesian").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from kawal.engine.surge.detector import SurgeConfig, SurgeDetector, to_seconds

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class AlertRules:
    """When a run of unusual points becomes an alert."""

    sensitivity: float = 0.5                          # 0..1: a point is hot when score >= 1 - sensitivity
    min_duration: timedelta = timedelta(minutes=15)   # hot this long before alerting
    cooldown: timedelta = timedelta(hours=1)          # no new alert this soon after the last one
    min_ratio: float = 1.5                            # and at least this many times the usual volume

    def __post_init__(self) -> None:
        if not 0.0 <= self.sensitivity <= 1.0:
            raise ValueError(f"sensitivity must be between 0 and 1, not {self.sensitivity}")
        if self.min_duration < timedelta(0) or self.cooldown < timedelta(0):
            raise ValueError("min_duration and cooldown must not be negative")

    @property
    def threshold(self) -> float:
        return 1.0 - self.sensitivity

    def to_json(self) -> dict[str, float]:
        return {"sensitivity": self.sensitivity, "min_duration": self.min_duration.total_seconds(),
                "cooldown": self.cooldown.total_seconds(), "min_ratio": self.min_ratio}

    @classmethod
    def from_json(cls, data: dict[str, float]) -> AlertRules:
        return cls(sensitivity=data["sensitivity"], min_duration=timedelta(seconds=data["min_duration"]),
                   cooldown=timedelta(seconds=data["cooldown"]), min_ratio=data["min_ratio"])


@dataclass
class Alert:
    """One surge worth a person's attention."""

    started_at: datetime            # first hot point of the episode
    at: datetime                    # the point that raised the alert
    observed: float                 # mean volume over the episode so far
    usual: float | None             # mean usual volume for those times
    peak_score: float
    slot_label: str                 # "Tuesday 20:00" (local time of the habits)
    detail: str | None = None       # from the describe hook
    explanation: str = field(default="")
    width_seconds: float = 0.0      # how long one point covers (a bucket of counts), 0 for instants

    @property
    def duration(self) -> timedelta:
        """From the start of the first hot bucket to the end of the current one."""
        return self.at - self.started_at + timedelta(seconds=self.width_seconds)

    @property
    def ratio(self) -> float | None:
        if self.usual is None or self.usual <= 0:
            return None
        return self.observed / self.usual

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["started_at"] = self.started_at.isoformat()
        data["at"] = self.at.isoformat()
        data["ratio"] = self.ratio
        data["duration_seconds"] = self.duration.total_seconds()
        return data


def format_duration(span: timedelta) -> str:
    """'25 minutes', '1 hour', '2 hours 5 minutes', '3 days'."""
    minutes = int(round(span.total_seconds() / 60))
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    parts = [(days, "day"), (hours, "hour"), (mins, "minute")]
    words = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n]
    return " ".join(words[:2]) if words else "less than a minute"


def explain(alert: Alert) -> str:
    """The sentence a person reads: '3.4× the usual Tuesday 20:00 volume for 25 minutes'."""
    ratio = alert.ratio
    if ratio is not None:
        head = f"{ratio:.1f}× the usual {alert.slot_label} volume"
    elif alert.usual is not None:
        head = f"{alert.observed:g} where the usual {alert.slot_label} volume is {alert.usual:g}"
    else:
        head = f"unusual volume ({alert.observed:g}) at {alert.slot_label}"
    text = f"{head} for {format_duration(alert.duration)}"
    return f"{text}, {alert.detail}" if alert.detail else text


def slot_label(t: datetime, interval: float | None, utc_offset_minutes: int) -> str:
    """Weekday and time of the habit slot that ``t`` falls in, in the habits' local time."""
    local = t.astimezone(UTC) + timedelta(minutes=utc_offset_minutes)
    step = max(60, int(interval or 60))
    floored = datetime.fromtimestamp((int(local.replace(tzinfo=UTC).timestamp()) // step) * step, UTC)
    return f"{WEEKDAYS[floored.weekday()]} {floored:%H:%M}"


def as_datetime(t: datetime | float) -> datetime:
    return datetime.fromtimestamp(to_seconds(t), UTC)


class AlertTracker:
    """Turns (time, value, score, usual) into at most one alert per hot episode.

    ``describe(alert)`` may return words about what the surge is about; they end the explanation.
    """

    def __init__(self, rules: AlertRules | None = None,
                 describe: Callable[[Alert], str | None] | None = None) -> None:
        self.rules = rules or AlertRules()
        self.describe = describe
        self.hot_since: float | None = None
        self.alerted = False
        self.sum_value = 0.0
        self.sum_usual = 0.0
        self.usual_points = 0
        self.points = 0
        self.peak = 0.0
        self.last_alert_at: float | None = None
        self.start_label = ""
        self.width = 0.0

    def observe(self, t: datetime | float, value: float, score: float, usual: float | None,
                label: str, width: float = 0.0) -> Alert | None:
        """Take one scored point; return an alert when the rules say so. ``width`` is the seconds one
        point covers: an hourly bucket that is hot has been hot for an hour, not for zero minutes."""
        ts = to_seconds(t)
        self.width = width
        if score < self.rules.threshold:
            self.hot_since, self.alerted = None, False
            return None
        if self.hot_since is None:
            self._start_episode(ts)
            self.start_label = label
        self._accumulate(value, score, usual)
        if self.alerted or not self._due(ts):
            return None
        alert = self._make_alert(ts, self.start_label)
        if alert.ratio is not None and alert.ratio < self.rules.min_ratio:
            return None
        self.alerted, self.last_alert_at = True, ts
        return alert

    def _start_episode(self, ts: float) -> None:
        self.hot_since, self.alerted = ts, False
        self.sum_value = self.sum_usual = self.peak = 0.0
        self.usual_points = self.points = 0

    def _accumulate(self, value: float, score: float, usual: float | None) -> None:
        self.sum_value += value
        self.points += 1
        self.peak = max(self.peak, score)
        if usual is not None:
            self.sum_usual += usual
            self.usual_points += 1

    def _due(self, ts: float) -> bool:
        assert self.hot_since is not None
        if ts + self.width - self.hot_since < self.rules.min_duration.total_seconds():
            return False
        return self.last_alert_at is None or ts - self.last_alert_at >= self.rules.cooldown.total_seconds()

    def _make_alert(self, ts: float, label: str) -> Alert:
        assert self.hot_since is not None
        usual = self.sum_usual / self.usual_points if self.usual_points else None
        alert = Alert(started_at=as_datetime(self.hot_since), at=as_datetime(ts),
                      observed=self.sum_value / self.points, usual=usual, peak_score=self.peak,
                      slot_label=label, width_seconds=self.width)
        if self.describe is not None:
            alert.detail = self.describe(alert)
        alert.explanation = explain(alert)
        return alert

    def to_json(self) -> dict[str, Any]:
        state = {k: v for k, v in vars(self).items() if k not in ("rules", "describe")}
        return {"rules": self.rules.to_json(), "state": state}

    @classmethod
    def from_json(cls, data: dict[str, Any],
                  describe: Callable[[Alert], str | None] | None = None) -> AlertTracker:
        tracker = cls(AlertRules.from_json(data["rules"]), describe)
        for key, value in data["state"].items():
            if key not in vars(tracker):
                raise ValueError(f"unknown alert tracker state field {key!r}")
            setattr(tracker, key, value)
        return tracker


class SurgeMonitor:
    """A detector and its alert rules for one series (mentions per topic, per sentiment, per query).

    Alerts use the detector's score before its own cooldown, so that a sustained surge stays hot for
    the minimum duration; the rules' cooldown then keeps it to one alert.
    """

    def __init__(self, config: SurgeConfig | None = None, rules: AlertRules | None = None,
                 describe: Callable[[Alert], str | None] | None = None) -> None:
        self.detector = SurgeDetector(config or SurgeConfig(direction="up"))
        self.tracker = AlertTracker(rules, describe)

    def observe(self, t: datetime | float, value: float) -> Alert | None:
        usual = self.detector.expected(t)
        self.detector.update(t, value)
        det = self.detector
        label = slot_label(as_datetime(t), det.interval, det.config.utc_offset_minutes)
        return self.tracker.observe(t, value, det.last_raw, usual, label, width=det.interval or 0.0)

    def to_json(self) -> dict[str, Any]:
        return {"detector": self.detector.to_json(), "tracker": self.tracker.to_json()}

    @classmethod
    def from_json(cls, data: dict[str, Any],
                  describe: Callable[[Alert], str | None] | None = None) -> SurgeMonitor:
        monitor = cls.__new__(cls)
        monitor.detector = SurgeDetector.from_json(data["detector"])
        monitor.tracker = AlertTracker.from_json(data["tracker"], describe)
        return monitor
