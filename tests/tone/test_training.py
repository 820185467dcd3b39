"""The training script rebuilds a loadable model (here on a tiny sample, to stay fast)."""

import json
from pathlib import Path

import numpy as np

from kawal.engine.screen import text
from kawal.engine.screen.tone import ToneModel
from training import train_tone


def test_it_trains_a_loadable_model_on_a_tiny_sample(shared_data: Path, tmp_path: Path) -> None:
    meta = train_tone.train(sample=40, out=tmp_path, verbose=False, rebuild_lexicons=False)
    with np.load(tmp_path / "tone.npz", allow_pickle=False) as arrays:
        assert arrays["weights"].shape == (text.n_features(), 7)
        assert arrays["bias"].shape == (7,)
        assert np.isfinite(arrays["weights"].astype(np.float32)).all()
    assert json.loads((tmp_path / "tone.json").read_text("utf-8")) == meta
    model = ToneModel.from_files(str(tmp_path / "tone.npz"), str(tmp_path / "tone.json"))
    scores = model.score("Pelayanan cepat dan ramah")
    assert 0.0 <= scores["positive"] <= 1.0


def test_it_never_trains_on_evaluation_only_data() -> None:
    assert not any(name.startswith("tweeteval") for name in train_tone.ALLOWED)
    assert not any("valid" in name for name in train_tone.ALLOWED)
    try:
        train_tone.shared_rows("tweeteval_offensive_train.jsonl", sample=1)
    except ValueError as error:
        assert "may not train a shipped model" in str(error)
    else:
        raise AssertionError("tweeteval data must be refused")
