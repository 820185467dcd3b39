"""Hijack cues: takeover content on an account that never carries it, judged against the account's own past."""

from __future__ import annotations

import json
from dataclasses import replace

from kawal.engine.profile import fast_profile
from kawal.engine.profile.calibration import TailCalibrator
from kawal.engine.profile.cues import CueSignal, cue_families
from kawal.engine.records import Post
from tests.integrity_engine.test_profile import habitual_posts, learned, usual_time

SCAM = ("Send 0.1 BTC to bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh and we send double back! "
        "Giveaway ends tonight")


def families(text: str) -> tuple[str, ...]:
    return cue_families(fast_profile("x").features(Post("x", "1", habitual_posts(1)[0].created_at, text)))


def test_each_family_is_found_in_english_and_indonesian() -> None:
    assert set(families(SCAM)) == {"address", "crypto", "double", "giveaway"}
    assert families("Kirim 1 juta, kami kembalikan dua kali lipat! Klaim hadiah di sini") == ("double", "giveaway")
    assert families("We have been hacked, verify your account at the link") == ("credentials", "takeover")
    assert families("Akun ini telah diretas") == ("takeover",)
    assert families("BREAKING: something happened") == ("alarm",)


def test_ordinary_official_posts_carry_no_cue() -> None:
    for text in ("Send us a DM and we'll get back to you", "Breaking ground on the new bridge today",
                 "Kirim laporan Anda, kami akan membalas", "Your wallet and passes are in the Wallet app",
                 "Jadwal layanan kantor hari ini"):
        assert families(text) == (), text


def test_a_scam_on_a_clean_account_is_surprising_but_not_on_an_account_that_always_posts_them() -> None:
    clean = learned(habitual_posts(200))
    scam = Post("pemkot", "s", usual_time(habitual_posts(200)), SCAM, client="Sprinklr")
    assert clean.score(scam).bits["cues"] > 6
    assert "cues" in {reason.signal for reason in clean.score(scam).reasons}
    crypto_posts = [replace(post, text=SCAM) for post in habitual_posts(200)]
    routine = learned(crypto_posts)
    assert routine.score(scam).bits["cues"] < 1
    assert clean.score(habitual_posts(201)[-1]).bits["cues"] == 0.0


def test_the_signal_only_speaks_once_it_has_seen_posts() -> None:
    signal = CueSignal()
    profile = fast_profile("x")
    assert signal.surprisal(profile.features(Post("x", "1", habitual_posts(1)[0].created_at, SCAM))) is None


def test_a_value_beyond_a_history_that_never_left_zero_gets_at_most_the_rank_p_value() -> None:
    calibrator = TailCalibrator(window=1000, min_scores=30)
    for _ in range(200):
        calibrator.add(0.0)
    assert calibrator.p_value(0.0) == 1.0
    assert calibrator.p_value(5.0) <= 1 / 201
    restored = TailCalibrator()
    restored.load(json.loads(json.dumps(calibrator.state())))
    assert restored.p_value(5.0) == calibrator.p_value(5.0)
