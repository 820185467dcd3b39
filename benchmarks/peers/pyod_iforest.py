"""PyOD's IsolationForest, the detector most users reach for first: fitted on the first 15% of each
file (the part NAB does not score), on windows of the last 8 values and their differences, then scoring
every row. Raw scores are standardised by the fitted rows' mean and spread and squashed to 0..1 without
saturating (PyOD's own ``predict_proba`` saturates at 1, which leaves a global threshold nothing to
choose from), so one threshold can serve every file."""

from __future__ import annotations

import numpy as np
from pyod.models.iforest import IForest

LAGS = 8
FIT_FRACTION = 0.15


def features(values: np.ndarray) -> np.ndarray:
    """Row i: values i-7..i and their 7 differences (earlier rows padded with the first value)."""
    padded = np.concatenate([np.full(LAGS - 1, values[0]), values])
    lagged = np.lib.stride_tricks.sliding_window_view(padded, LAGS)
    return np.hstack([lagged, np.diff(lagged, axis=1)])


def score(seconds: list[float], values: list[float]) -> np.ndarray:
    x = np.nan_to_num(np.asarray(values, dtype=float))
    feats = features(x)
    n_fit = max(LAGS * 4, int(FIT_FRACTION * len(x)))
    model = IForest(n_estimators=100, random_state=42)
    model.fit(feats[:n_fit])
    fitted = model.decision_scores_
    z = (model.decision_function(feats) - fitted.mean()) / (fitted.std() + 1e-12)
    return 0.5 + 0.5 * z / (1.0 + np.abs(z))
