"""Synthetic volume series for the surge tests: seeded, small, and shaped like real mention counts."""

from __future__ import annotations

import math

import numpy as np
import pytest

FIVE_MINUTES = 300.0
MONDAY = 1_700_438_400.0  # 2023-11-20 00:00 UTC, a Monday


def seasonal_counts(days: int, seed: int = 7, base: float = 40.0) -> tuple[list[float], list[float]]:
    """Mentions per 5 minutes: an evening peak, quieter weekends, Poisson noise."""
    rng = np.random.default_rng(seed)
    times, values = [], []
    for i in range(days * 288):
        t = MONDAY + i * FIVE_MINUTES
        hour = (t % 86400) / 3600
        weekday = int((t - MONDAY) // 86400) % 7
        rate = base * (1.0 + 0.8 * math.sin((hour - 14) / 24 * 2 * math.pi)) * (0.6 if weekday >= 5 else 1.0)
        times.append(t)
        values.append(float(rng.poisson(max(rate, 1.0))))
    return times, values


@pytest.fixture
def seasonal() -> tuple[list[float], list[float]]:
    return seasonal_counts(days=21)
