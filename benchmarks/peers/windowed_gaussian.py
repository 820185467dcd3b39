"""NAB's windowed Gaussian baseline, re-written: the tail probability of each value under the mean and
standard deviation of a sliding window (6400 points, refreshed every 100), computed before the value
joins the window."""

from __future__ import annotations

import math

import numpy as np

WINDOW = 6400
STEP = 100


def score(seconds: list[float], values: list[float]) -> np.ndarray:
    out = np.zeros(len(values))
    window: list[float] = []
    pending: list[float] = []
    mean, std, total, squares = 0.0, 1.0, 0.0, 0.0
    for i, x in enumerate(values):
        if window:
            z = abs(x - mean) / std if std > 0 else (0.0 if x == mean else math.inf)
            out[i] = 1.0 - math.erfc(z / math.sqrt(2.0))  # 1 - two-sided tail
        if len(window) < WINDOW:
            # while the window fills, running sums keep this O(1) per point
            window.append(x)
            total, squares = total + x, squares + x * x
            mean = total / len(window)
            std = math.sqrt(max(squares / len(window) - mean * mean, 0.0))
        else:
            pending.append(x)
            if len(pending) == STEP:
                window = window[STEP:] + pending
                pending = []
                mean, std = float(np.mean(window)), float(np.std(window))
    return out
