"""The detector's streaming contract and its behaviour on synthetic volume series."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime

import numpy as np
import pytest

from kawal.engine.surge import SurgeConfig, SurgeDetector
from kawal.engine.surge.detector import fisher_tail
from tests.surge.conftest import FIVE_MINUTES, MONDAY, seasonal_counts


def scores_of(times: list[float], values: list[float], config: SurgeConfig | None = None) -> np.ndarray:
    return SurgeDetector(config).score_many(times, values)


def episodes(scores: np.ndarray, level: float = 0.5) -> list[int]:
    """Indexes where the score crosses up through ``level``."""
    hot = scores >= level
    return [i for i in range(len(hot)) if hot[i] and (i == 0 or not hot[i - 1])]


def test_it_never_lets_a_later_point_change_an_earlier_score(seasonal):
    times, values = seasonal
    cut = 3000
    original = scores_of(times, values)
    altered = list(values[:cut]) + [v * 5 + 100 for v in values[cut:]]
    changed = scores_of(times, altered)
    assert np.array_equal(original[:cut], changed[:cut])
    assert not np.array_equal(original[cut:], changed[cut:])  # the alteration is visible from then on


def test_it_keeps_a_state_whose_size_does_not_grow_with_the_series():
    def shape(days: int) -> dict[str, object]:
        det = SurgeDetector()
        det.score_many(*seasonal_counts(days))
        state = det.to_json()["state"]
        return {k: len(v) if isinstance(v, list) else type(v).__name__ for k, v in state.items()}

    assert shape(8) == shape(30)


def test_it_is_deterministic(seasonal):
    assert np.array_equal(scores_of(*seasonal), scores_of(*seasonal))


def test_it_continues_identically_after_a_json_round_trip_mid_stream(seasonal):
    times, values = seasonal
    whole = scores_of(times, values)
    first = SurgeDetector()
    first.score_many(times[:2500], values[:2500])
    restored = SurgeDetector.from_json(json.loads(json.dumps(first.to_json())))
    rest = restored.score_many(times[2500:], values[2500:])
    assert np.array_equal(rest, whole[2500:])


def test_it_scores_in_the_unit_interval(seasonal):
    scores = scores_of(*seasonal)
    assert scores.min() >= 0.0 and scores.max() <= 1.0
    assert np.isfinite(scores).all()


def test_it_detects_an_injected_surge_with_few_false_alarms(seasonal):
    times, values = seasonal
    start = 20 * 288 + 12 * 20  # day 20, 20:00
    surged = [v * 3.4 if start <= i < start + 6 else v for i, v in enumerate(values)]
    scores = scores_of(times, surged, SurgeConfig(direction="up"))
    assert scores[start:start + 6].max() >= 0.9
    false_alarms = [i for i in episodes(scores) if not start <= i < start + 6]
    assert len(false_alarms) <= 2, f"false alarms at {false_alarms}"


def test_it_learns_the_daily_habit_so_the_evening_peak_is_no_surprise():
    times, values = seasonal_counts(days=21, seed=3)
    scores = scores_of(times, values, SurgeConfig(direction="up"))
    assert len(episodes(scores[288 * 7:])) <= 2


def test_it_sees_a_drop_only_when_asked_for_both_directions(seasonal):
    times, values = seasonal
    start = 20 * 288
    dropped = [0.0 if start <= i < start + 24 else v for i, v in enumerate(values)]
    both = scores_of(times, dropped, SurgeConfig(direction="both"))
    up = scores_of(times, dropped, SurgeConfig(direction="up"))
    assert both[start:start + 24].max() >= SurgeConfig().fire
    assert up[start:start + 24].max() < 0.5


def test_a_holiday_neither_alarms_nor_spoils_the_next_weeks_habits(seasonal):
    times, values = seasonal
    holiday = range(8 * 288, 9 * 288)  # a Tuesday with 30% of the usual volume
    quiet = [v * 0.3 if i in holiday else v for i, v in enumerate(values)]
    scores = scores_of(times, quiet, SurgeConfig(direction="up"))
    assert len(episodes(scores[8 * 288:])) <= 2
    normal, after = SurgeDetector(), SurgeDetector()
    normal.score_many(times[:15 * 288], values[:15 * 288])
    after.score_many(times[:15 * 288], quiet[:15 * 288])
    next_tuesday_evening = times[15 * 288 + 12 * 20]
    assert after.expected(next_tuesday_evening) == pytest.approx(normal.expected(next_tuesday_evening), rel=0.1)


def test_it_handles_a_gap_in_the_series(seasonal):
    times, values = seasonal
    gap = slice(10 * 288, 12 * 288)  # two days missing
    kept_t = times[:gap.start] + times[gap.stop:]
    kept_v = values[:gap.start] + values[gap.stop:]
    scores = scores_of(kept_t, kept_v, SurgeConfig(direction="up"))
    after = scores[gap.start:gap.start + 288]
    assert np.isfinite(after).all()
    assert len(episodes(after)) <= 1


def test_it_skips_nan_points_without_changing_the_other_scores(seasonal):
    times, values = seasonal
    holes = {1000, 1001, 2500, 4000}
    with_nan = [math.nan if i in holes else v for i, v in enumerate(values)]
    scores = scores_of(times, with_nan)
    kept = [i for i in range(len(values)) if i not in holes]
    clean = scores_of([times[i] for i in kept], [values[i] for i in kept])
    assert all(scores[i] == 0.0 for i in holes)
    assert np.array_equal(scores[kept], clean)


def test_it_stays_quiet_on_a_constant_series_and_wakes_on_a_change():
    times = [MONDAY + i * FIVE_MINUTES for i in range(1200)]
    values = [5.0] * 1100 + [50.0] * 100
    scores = scores_of(times, values)
    assert scores[:1100].max() == 0.0
    assert scores[1100] >= 0.9


def test_it_rebaselines_after_a_sustained_level_shift(seasonal):
    times, values = seasonal
    start = 10 * 288
    shifted = [v * 2.5 if i >= start else v for i, v in enumerate(values)]
    scores = scores_of(times, shifted, SurgeConfig(direction="up"))
    assert scores[start:start + 12].max() >= 0.9               # the shift itself is news
    assert len(episodes(scores[start + 288 * 3:])) <= 2          # after three days it is the new normal


def test_its_habits_follow_a_lasting_shift_within_days_not_weeks():
    times, values = seasonal_counts(days=28)
    start = 10 * 288
    shifted = [v * 2.5 if i >= start else v for i, v in enumerate(values)]
    det = SurgeDetector()
    det.score_many(times, shifted)
    # Sunday 20:00: 40 x (1 + 0.8) x 0.6 (weekend) = 43.2 mentions before the shift, 108 after it
    sunday_evening = times[-288 + 12 * 20]
    assert det.expected(sunday_evening) == pytest.approx(108, rel=0.25)


def test_it_accepts_datetimes_and_counts_late_points():
    det = SurgeDetector()
    det.update(datetime(2024, 1, 1, 10, 0, tzinfo=UTC), 1.0)
    det.update(datetime(2024, 1, 1, 10, 5), 1.0)  # naive means UTC
    det.update(datetime(2024, 1, 1, 10, 1, tzinfo=UTC), 1.0)
    assert det.out_of_order == 1


def test_it_tells_the_usual_value_for_a_time(seasonal):
    times, values = seasonal
    det = SurgeDetector()
    det.score_many(times, values)
    evening = times[-288 + 12 * 20]   # last day, 20:00
    night = times[-288 + 12 * 4]      # last day, 04:00
    assert det.expected(evening) > 2 * det.expected(night)


def test_it_rejects_bad_settings_and_foreign_state():
    with pytest.raises(ValueError, match="direction"):
        SurgeConfig(direction="sideways")
    with pytest.raises(ValueError, match="version"):
        SurgeDetector.from_json({"version": 99, "config": {}, "state": {}})
    state = SurgeDetector().to_json()
    del state["state"]["level"]
    with pytest.raises(ValueError, match="level"):
        SurgeDetector.from_json(state)


def test_its_docstring_example_runs():
    import doctest

    from kawal.engine.surge import detector

    assert doctest.testmod(detector).failed == 0


def test_fisher_combination_of_one_tail_is_that_tail():
    for p in (0.4, 0.05, 1e-6):
        assert fisher_tail([p]) == pytest.approx(p, rel=1e-9)


def test_fisher_combination_pools_moderate_evidence_and_dilutes_with_none():
    # two features each at a 1% tail are stronger evidence together than either alone
    joint = fisher_tail([0.01, 0.01])
    assert joint < 0.01
    assert joint == pytest.approx(0.5 * math.exp(-2 * math.log(50)) * (1 + 2 * math.log(50)), rel=1e-9)
    # a feature with no evidence (tail 0.5) weakens the combination rather than strengthening it
    assert 1e-4 < fisher_tail([1e-4, 0.5]) < 0.5


def peak_raw_score(times: list[float], values: list[float], points: range) -> float:
    """The highest undamped score over ``points`` (the cooldown of an earlier alarm cannot hide it)."""
    det, peak = SurgeDetector(SurgeConfig(direction="up")), 0.0
    for i, (t, v) in enumerate(zip(times, values, strict=True)):
        det.update(t, v)
        if i in points:
            peak = max(peak, det.last_raw)
    return peak


def test_the_same_extra_volume_is_a_surge_at_a_quiet_hour_and_not_at_the_busy_one(seasonal):
    times, values = seasonal
    day = 15 * 288  # a Tuesday: about 8 mentions per 5 minutes at 08:00, about 72 at 20:00
    quiet, busy = range(day + 8 * 12, day + 8 * 12 + 3), range(day + 20 * 12, day + 20 * 12 + 3)
    scores = {}
    for name, points in (("quiet", quiet), ("busy", busy)):
        surged = [v + 25.0 if i in points else v for i, v in enumerate(values)]
        scores[name] = peak_raw_score(times, surged, points)
    assert scores["quiet"] >= SurgeConfig().fire
    assert scores["busy"] < scores["quiet"] - 0.2


def test_the_warm_up_is_one_day_of_points_within_its_bounds():
    def warm(interval: float, config: SurgeConfig | None = None) -> int:
        det = SurgeDetector(config)
        det.score_many([MONDAY + i * interval for i in range(20)], [5.0] * 20)
        return det.warmup_points()

    assert warm(FIVE_MINUTES) == 288              # a day of 5-minute points
    assert warm(60.0) == 300                      # a day of minutes is longer than the warm-up
    assert warm(3600.0) == 100                    # a day of hours is too few to learn from
    assert warm(3600.0, SurgeConfig(warmup=48)) == 48  # a shorter warm-up asked for is kept


def test_hourly_counts_can_surge_after_five_days():
    rng = np.random.default_rng(5)
    times = [MONDAY + i * 3600.0 for i in range(130)]
    values = [float(rng.poisson(20 + 10 * math.sin(i / 24 * 2 * math.pi))) for i in range(130)]
    values[125] = 200.0
    scores = scores_of(times, values)
    assert scores[125] >= 0.9
    assert scores[:100].max() == 0.0
