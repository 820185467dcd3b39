"""Alert rules: sensitivity, minimum duration, cooldown, and the sentence a person reads."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from kawal.engine.surge import Alert, AlertRules, AlertTracker, SurgeMonitor
from kawal.engine.surge.rules import format_duration, slot_label
from tests.surge.conftest import seasonal_counts

TUESDAY_20 = datetime(2024, 6, 4, 20, 0, tzinfo=UTC)  # a Tuesday
MINUTE = 60.0


def feed(tracker: AlertTracker, scores: list[float], start: datetime = TUESDAY_20,
         value: float = 34.0, usual: float = 10.0) -> list[Alert]:
    """One point every 5 minutes with the given scores; the alerts raised."""
    alerts = []
    for i, score in enumerate(scores):
        t = start + timedelta(minutes=5 * i)
        alert = tracker.observe(t, value, score, usual, slot_label(t, 300, 0))
        if alert:
            alerts.append(alert)
    return alerts


def test_it_waits_for_the_minimum_duration():
    rules = AlertRules(sensitivity=0.5, min_duration=timedelta(minutes=20))
    assert feed(AlertTracker(rules), [0.9, 0.9, 0.9, 0.1]) == []  # hot for 10 minutes only
    alerts = feed(AlertTracker(rules), [0.9] * 8)
    assert len(alerts) == 1
    assert alerts[0].at == TUESDAY_20 + timedelta(minutes=20)


def test_a_hot_bucket_counts_for_its_whole_width():
    rules = AlertRules(sensitivity=0.5, min_duration=timedelta(minutes=15))
    hour = datetime(2024, 6, 4, 20, 0, tzinfo=UTC)
    point = AlertTracker(rules).observe(hour, 40.0, 0.9, 10.0, "Tuesday 20:00")
    assert point is None  # an instant is not 15 minutes
    alert = AlertTracker(rules).observe(hour, 40.0, 0.9, 10.0, "Tuesday 20:00", width=3600.0)
    assert alert is not None and alert.duration == timedelta(hours=1)
    assert alert.explanation.endswith("for 1 hour")


def test_it_raises_one_alert_per_episode_and_respects_the_cooldown():
    rules = AlertRules(min_duration=timedelta(minutes=5), cooldown=timedelta(hours=2))
    hot, quiet = [0.9] * 3, [0.0] * 6
    assert len(feed(AlertTracker(rules), hot + quiet + hot)) == 1           # 45 minutes apart
    assert len(feed(AlertTracker(rules), hot + [0.0] * 30 + hot)) == 2     # 2 h 45 min apart


def test_its_sensitivity_sets_the_score_a_point_needs():
    rules_low = AlertRules(sensitivity=0.2, min_duration=timedelta(0))
    rules_high = AlertRules(sensitivity=0.6, min_duration=timedelta(0))
    assert feed(AlertTracker(rules_low), [0.7] * 3) == []
    assert len(feed(AlertTracker(rules_high), [0.7] * 3)) == 1


def test_it_ignores_a_hot_score_that_is_not_far_above_the_usual_volume():
    rules = AlertRules(min_duration=timedelta(0), min_ratio=1.5)
    assert feed(AlertTracker(rules), [0.9] * 3, value=12.0, usual=10.0) == []


def test_it_explains_the_alert_in_words():
    rules = AlertRules(min_duration=timedelta(minutes=25))
    alert = feed(AlertTracker(rules), [0.9] * 6)[0]
    assert alert.explanation == "3.4× the usual Tuesday 20:00 volume for 25 minutes"
    assert alert.ratio == pytest.approx(3.4)


def test_its_describe_hook_says_what_the_surge_is_about():
    def about(alert: Alert) -> str:
        return "mostly 'gangguan' (outage) mentions in Indonesian"

    rules = AlertRules(min_duration=timedelta(minutes=25))
    alert = feed(AlertTracker(rules, describe=about), [0.9] * 6)[0]
    assert alert.explanation == ("3.4× the usual Tuesday 20:00 volume for 25 minutes, "
                                 "mostly 'gangguan' (outage) mentions in Indonesian")


@pytest.mark.parametrize(("minutes", "text"), [
    (25, "25 minutes"), (60, "1 hour"), (125, "2 hours 5 minutes"), (1, "1 minute"), (0, "less than a minute"),
    (3 * 1440 + 61, "3 days 1 hour"),
])
def test_it_formats_durations(minutes, text):
    assert format_duration(timedelta(minutes=minutes)) == text


def test_it_rejects_rules_out_of_range():
    with pytest.raises(ValueError, match="sensitivity"):
        AlertRules(sensitivity=1.5)
    with pytest.raises(ValueError, match="negative"):
        AlertRules(cooldown=timedelta(minutes=-1))


def surge_series() -> tuple[list[float], list[float], int]:
    times, values = seasonal_counts(days=21)
    start = 20 * 288 + 12 * 20  # day 20 (a Sunday), 20:00
    values = [v * 4 if start <= i < start + 8 else v for i, v in enumerate(values)]
    return times, values, start


def test_a_monitor_turns_a_real_surge_into_one_explained_alert():
    times, values, start = surge_series()
    monitor = SurgeMonitor(rules=AlertRules(min_duration=timedelta(minutes=15)))
    alerts = [(i, a) for i, (t, v) in enumerate(zip(times, values, strict=True)) if (a := monitor.observe(t, v))]
    assert [i for i, _ in alerts if start <= i < start + 8], "the surge raised no alert"
    assert len(alerts) <= 2, [a.explanation for _, a in alerts]
    surge_alert = next(a for i, a in alerts if start <= i < start + 8)
    assert "× the usual Sunday 20:00 volume for 15 minutes" in surge_alert.explanation
    assert 2.5 < surge_alert.ratio < 6


def test_a_monitor_survives_a_json_round_trip():
    times, values, start = surge_series()
    whole = SurgeMonitor()
    expected = [a.to_json() if (a := whole.observe(t, v)) else None for t, v in zip(times, values, strict=True)]
    first = SurgeMonitor()
    for t, v in zip(times[:start - 50], values[:start - 50], strict=True):
        first.observe(t, v)
    restored = SurgeMonitor.from_json(json.loads(json.dumps(first.to_json())))
    rest = [a.to_json() if (a := restored.observe(t, v)) else None
            for t, v in zip(times[start - 50:], values[start - 50:], strict=True)]
    assert rest == expected[start - 50:]
    assert any(rest)
