"""The context memory: novelty of a value's path, bounded memory, JSON round trip, and its place in the detector."""

from __future__ import annotations

import json

import numpy as np
import pytest

from kawal.engine.surge import SurgeConfig, SurgeDetector
from kawal.engine.surge.context import ContextMemory
from tests.surge.conftest import seasonal_counts


def sawtooth(n: int) -> list[float]:
    return [float(i % 10) for i in range(n)]


def test_a_repeated_pattern_is_never_novel_after_the_warm_up() -> None:
    memory = ContextMemory(warmup=100)
    scores = [memory.update(x) for x in sawtooth(600)]
    assert max(scores) == 0.0  # the warm-up's transitions are learnt in the final levels


def test_a_path_never_taken_is_novel_even_inside_the_usual_range() -> None:
    memory = ContextMemory(warmup=100)
    for x in sawtooth(600):
        memory.update(x)
    # the sawtooth only climbs or falls back to 0: staying at its top is a new path, not a new value
    scores = [memory.update(9.0) for _ in range(5)]
    assert scores[0] > 0.0
    assert max(scores) > 0.1  # novelty is averaged over 10 points, like the features
    assert scores[-1] < max(scores)  # once seen, the path is remembered: the average decays


def test_values_beyond_the_levels_fall_in_the_edge_levels() -> None:
    memory = ContextMemory(warmup=100, pad=1.0)
    for x in sawtooth(100):
        memory.update(x)
    assert (memory.lo, memory.hi) == (-9.0, 18.0)  # the range 0..9 widened by itself on each side
    assert memory._level(1e9) == memory.levels - 1 and memory._level(-1e9) == 0


def test_its_memory_is_bounded_whatever_the_series() -> None:
    rng = np.random.default_rng(3)
    memory = ContextMemory(levels=4, orders=2, warmup=50)
    for x in rng.normal(size=20_000):
        memory.update(float(x))
    assert len(memory.seen) <= 4**2 + 4**3
    assert len(memory.recent) == 3 and memory.early == []


def test_it_continues_identically_after_a_json_round_trip_during_and_after_the_warm_up() -> None:
    rng = np.random.default_rng(5)
    values = [float(v) for v in rng.poisson(20, size=900)]
    whole = ContextMemory()
    expected = [whole.update(x) for x in values]
    for cut in (150, 600):
        first = ContextMemory()
        for x in values[:cut]:
            first.update(x)
        restored = ContextMemory.from_json(json.loads(json.dumps(first.to_json())))
        assert [restored.update(x) for x in values[cut:]] == expected[cut:]


def test_it_rejects_bad_settings() -> None:
    with pytest.raises(ValueError, match="levels"):
        ContextMemory(levels=1)
    with pytest.raises(ValueError, match="pad"):
        ContextMemory(pad=-0.5)
    with pytest.raises(ValueError, match="context_orders"):
        SurgeConfig(context_orders=0)
    state = ContextMemory().to_json()
    del state["seen"]
    with pytest.raises(ValueError, match="context memory state.*seen"):
        ContextMemory.from_json(state)


def test_the_detector_scores_an_unusual_path_the_forecasts_explain() -> None:
    times = [i * 300.0 for i in range(1200)]
    values = sawtooth(1200)
    det = SurgeDetector()
    det.score_many(times, values)
    assert det.last_context == 0.0
    det.score_many([1200 * 300.0 + i * 300.0 for i in range(4)], [9.0] * 4)
    assert det.last_context > 0.1
    without = SurgeDetector(SurgeConfig(context_gain=0.0))
    without.score_many(times, values)
    without.score_many([1200 * 300.0 + i * 300.0 for i in range(4)], [9.0] * 4)
    assert without.last_context == 0.0


def test_a_state_from_before_the_context_memory_still_loads() -> None:
    times, values = seasonal_counts(days=3)
    det = SurgeDetector()
    det.score_many(times, values)
    old = det.to_json()
    old["version"] = 1
    del old["state"]["context"], old["state"]["last_context"]
    for name in ("context_gain", "context_levels", "context_orders", "context_pad"):
        del old["config"][name]
    restored = SurgeDetector.from_json(json.loads(json.dumps(old)))
    assert restored.n == det.n and restored.context.n == 0  # the context memory starts its own warm-up
    assert 0.0 <= restored.update(times[-1] + 300.0, values[-1]) <= 1.0
