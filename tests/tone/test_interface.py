"""The tone interface other areas build on: detect, ToneModel.load/score/labels/explain."""

from kawal.engine.screen.langid import detect
from kawal.engine.screen.tone import SCORE_KEYS, ToneModel


def test_it_detects_indonesian_english_and_other() -> None:
    assert detect("Pelayanan sangat buruk, saya kecewa berat") == "id"
    assert detect("Thank you so much for the quick help") == "en"
    assert detect("Bonjour tout le monde, comment allez-vous?") == "other"
    assert detect("@budi https://t.co/abc") == "other"


def test_it_scores_probabilities_for_every_key() -> None:
    scores = ToneModel.load().score("Terima kasih kak, pesanan sudah kami proses")
    assert set(scores) == {*SCORE_KEYS, "lang"}
    assert all(0.0 <= scores[k] <= 1.0 for k in SCORE_KEYS)
    assert abs(scores["negative"] + scores["neutral"] + scores["positive"] - 1.0) < 1e-5
