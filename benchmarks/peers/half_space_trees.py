"""river's HalfSpaceTrees, as its documentation sets it up for a stream: min-max scaling learnt
online, then score_one before learn_one on every point."""

from __future__ import annotations

import numpy as np
from river import anomaly, compose, preprocessing


def score(seconds: list[float], values: list[float]) -> np.ndarray:
    model = compose.Pipeline(preprocessing.MinMaxScaler(), anomaly.HalfSpaceTrees(seed=42))
    out = np.zeros(len(values))
    for i, x in enumerate(values):
        features = {"value": x}
        out[i] = model.score_one(features)
        model.learn_one(features)
    return out
