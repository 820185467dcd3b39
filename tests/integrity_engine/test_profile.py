"""The account profile: learning, scores with reasons, calibration, persistence and the seams."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

import pytest

from kawal.engine.profile import DEFAULT_ALPHA, OperatingPoint, Profile, fast_profile, score_from_p
from kawal.engine.profile.calibration import TailCalibrator
from kawal.engine.profile.features import registrable_domain
from kawal.engine.profile.language import cheap_language
from kawal.engine.records import Post

START = datetime(2024, 1, 1, tzinfo=UTC)
TOPICS = ("jadwal layanan kantor pelayanan publik", "laporan warga jalan rusak perbaikan",
          "informasi pendaftaran beasiswa mahasiswa", "pengumuman libur nasional kantor tutup",
          "vaksinasi gratis puskesmas kecamatan", "pembangunan jembatan desa selesai")


def habitual_posts(count: int, *, seed: int = 1, client: str | None = "Sprinklr") -> list[Post]:
    """An account with habits: office hours (02:00-09:00 UTC = 09:00-16:00 WIB), one client, a few topics."""
    rng = random.Random(seed)
    posts, moment = [], START
    for index in range(count):
        moment += timedelta(hours=rng.choice((3, 4, 5, 20, 21, 22)), minutes=rng.randrange(60))
        moment = moment.replace(hour=2 + rng.randrange(7))
        words = rng.choice(TOPICS).split()
        rng.shuffle(words)
        text = f"{' '.join(words).capitalize()} hari ini. Info: https://pemkot.example.go.id/{index}"
        posts.append(Post("pemkot", str(index), moment, text, client=client))
    return posts


def usual_time(posts: list[Post]) -> datetime:
    return (posts[-1].created_at + timedelta(days=1)).replace(hour=5)


def learned(posts: list[Post], **options: object) -> Profile:
    profile = fast_profile("pemkot", **options)
    for post in posts:
        profile.learn(post)
    return profile


def test_a_short_history_is_still_learning_and_says_so() -> None:
    profile = learned(habitual_posts(10))
    verdict = profile.score(Post("pemkot", "x", START + timedelta(days=30), "BITCOIN GIVEAWAY!!!",
                                 client="Twitter Web App"))
    assert verdict.learning and not verdict.flagged
    assert verdict.reasons[-1].signal == "profile" and "still learning: 10 of 50 posts" in verdict.reasons[-1].detail


def test_a_new_client_on_a_one_client_account_is_flagged_with_both_names() -> None:
    posts = habitual_posts(300)
    profile = learned(posts)
    odd = Post("pemkot", "x", usual_time(posts), posts[-1].text, client="Twitter Web App")
    verdict = profile.score(odd)
    assert verdict.flagged and verdict.score >= 0.5 and not verdict.learning
    [client] = [r for r in verdict.reasons if r.signal == "client"]
    assert client.detail == "posted from 'Twitter Web App'; the last 300 posts all came from 'Sprinklr'"
    assert 0 < client.weight <= 1


def test_a_typical_post_is_not_flagged() -> None:
    posts = habitual_posts(301)
    profile = learned(posts[:300])
    verdict = profile.score(posts[300])
    assert not verdict.flagged and verdict.score < 0.5


def test_the_reasons_name_the_hour_the_link_and_the_words() -> None:
    posts = habitual_posts(300)
    profile = learned(posts)
    when = (posts[-1].created_at + timedelta(days=1)).replace(hour=20, minute=12)   # 03:12 WIB
    odd = Post("pemkot", "x", when, "Claim your crypto airdrop now https://claim-airdrop.xyz/free", client="Sprinklr")
    verdict = profile.score(odd)
    details = {r.signal: r.detail for r in verdict.reasons}
    assert verdict.flagged
    assert details["hour"].startswith("20:12 UTC on a") and "has never posted between" in details["hour"]
    assert details["links"].startswith("first link to claim-airdrop.xyz")
    assert "'claim'" in details["topic"] and "'crypto'" in details["topic"]


def test_hours_are_judged_in_the_account_time_zone() -> None:
    posts = habitual_posts(300)
    profile = learned(posts, timezone="Asia/Jakarta")
    when = (posts[-1].created_at + timedelta(days=1)).replace(hour=20, minute=12)
    verdict = profile.score(Post("pemkot", "x", when, posts[-1].text, client="Sprinklr"))
    [hour] = [r for r in verdict.reasons if r.signal == "hour"]
    assert hour.detail.startswith("03:12 Asia/Jakarta")


def test_no_client_field_keeps_the_client_signal_silent() -> None:
    posts = habitual_posts(300, client=None)
    profile = learned(posts)
    verdict = profile.score(Post("pemkot", "x", usual_time(posts), posts[-1].text))
    assert "client" not in verdict.bits and not verdict.flagged


def test_a_sanctioned_client_list_makes_any_other_client_a_finding_even_while_learning() -> None:
    profile = learned(habitual_posts(5), sanctioned_clients=("Sprinklr",))
    verdict = profile.score(Post("pemkot", "x", START + timedelta(days=9), "Halo", client="Twitter Web App"))
    assert verdict.flagged and verdict.learning and verdict.score == 1.0
    assert verdict.reasons[0].signal == "sanctioned_client"
    assert "'Twitter Web App', which is not a sanctioned client (sanctioned: 'Sprinklr')" in verdict.reasons[0].detail
    assert not profile.score(Post("pemkot", "y", START + timedelta(days=9), "Halo", client="Sprinklr")).flagged
    unknown = profile.score(Post("pemkot", "z", START + timedelta(days=9), "Halo"))
    assert not unknown.flagged and "rule cannot be checked" in unknown.reasons[0].detail


def test_score_is_pure_and_observe_learns() -> None:
    posts = habitual_posts(120)
    profile = learned(posts[:100])
    first, second = profile.score(posts[100]), profile.score(posts[100])
    assert first.to_json() == second.to_json() and profile.n == 100
    assert profile.observe(posts[100]).to_json() == first.to_json() and profile.n == 101


def test_a_held_flagged_post_is_not_learned() -> None:
    posts = habitual_posts(300)
    profile = learned(posts)
    odd = Post("pemkot", "x", usual_time(posts), "FREE BITCOIN GIVEAWAY!!! https://claim-btc.xyz",
               client="Twitter Web App")
    assert profile.observe(odd, hold_flagged=True).flagged and profile.n == 300
    assert profile.observe(odd).flagged and profile.n == 301
    later = Post("pemkot", "y", odd.created_at + timedelta(seconds=30), posts[-1].text, client="Sprinklr")
    held = learned(posts)
    held.note(odd)   # not learned, but the next post comes 30 s after it: a burst
    assert held.n == 300 and held.score(later).bits["burst"] > learned(posts).score(later).bits["burst"]


def test_the_json_record_has_the_documented_fields() -> None:
    profile = learned(habitual_posts(100))
    record = profile.score(habitual_posts(101)[100]).to_json()
    assert {"id", "created_at", "score", "flagged", "reasons", "learning"} <= set(record)
    assert record["id"] == "100" and record["created_at"].endswith("Z") and 0 <= record["score"] <= 1


def test_the_profile_survives_a_json_round_trip() -> None:
    posts = habitual_posts(260)
    profile = learned(posts[:200])
    stored = json.dumps(profile.to_json())
    restored = Profile.from_json(stored, tone_scorer=None, detect_language=cheap_language)
    for post in posts[200:]:
        assert restored.observe(post).to_json() == profile.observe(post).to_json()


def test_genuine_posts_of_an_unseen_account_rarely_alert() -> None:
    """Self-calibration: about 0.5 % false alerts on an account the engine was never tuned on."""
    posts = habitual_posts(1500, seed=11)
    profile = fast_profile("pemkot")
    verdicts = [profile.observe(post) for post in posts]
    live = [v for v in verdicts if not v.learning]
    rate = sum(v.flagged for v in live) / len(live)
    assert len(live) == 1450 and rate <= 0.012


def test_the_tone_seam_takes_any_callable() -> None:
    def scorer(text: str) -> dict[str, float]:
        return {"hostile": 0.95 if "idiot" in text else 0.02, "abusive": 0.01}

    posts = habitual_posts(300)
    profile = learned(posts, tone_scorer=scorer)
    calm = profile.score(posts[-1])
    rude = profile.score(Post("pemkot", "x", usual_time(posts),
                              "Kalian semua idiot, urus sendiri!", client="Sprinklr"))
    assert "tone" in rude.bits and rude.bits["tone"] > 5 > calm.bits.get("tone", 0)
    assert any(r.signal == "tone" and "hostile or abusive" in r.detail for r in rude.reasons)


def test_the_language_seam_takes_any_callable() -> None:
    calls: list[str] = []

    def detector(text: str) -> str:
        calls.append(text)
        return "en" if "the" in text.split() else "id"

    posts = habitual_posts(300)
    profile = Profile("pemkot", tone_scorer=None, detect_language=detector)
    for post in posts:
        profile.learn(post)
    verdict = profile.score(Post("pemkot", "x", usual_time(posts),
                                 "We are pleased to announce the winners", client="Sprinklr"))
    assert calls and any(r.signal == "language" and "written in English" in r.detail for r in verdict.reasons)


def test_cheap_language_detection() -> None:
    assert cheap_language("Terima kasih atas laporan yang sudah masuk") == "id"
    assert cheap_language("Thank you for the report, we are on it") == "en"
    assert cheap_language("Jakarta 2024") == ""


def test_operating_point_and_score_scale() -> None:
    assert score_from_p(DEFAULT_ALPHA) == pytest.approx(0.5) and DEFAULT_ALPHA == 0.0025
    assert score_from_p(1.0) == 0.0 and score_from_p(1e-9) == 1.0
    point = OperatingPoint(0.01)
    assert point.decide(0.009, learning=False) and not point.decide(0.009, learning=True)
    assert point.decide(0.9, learning=True, deterministic=True)
    with pytest.raises(ValueError, match="alpha"):
        OperatingPoint(0)


def test_the_calibrator_gives_uniform_p_values_on_exchangeable_scores() -> None:
    rng = random.Random(3)
    calibrator = TailCalibrator(window=1000)
    for _ in range(1000):
        calibrator.add(rng.gammavariate(3.0, 2.0))
    p_values = [calibrator.p_value(rng.gammavariate(3.0, 2.0)) for _ in range(4000)]
    assert 0.025 <= sum(p <= 0.05 for p in p_values) / 4000 <= 0.06   # valid, a little conservative
    assert sum(p <= 0.005 for p in p_values) / 4000 <= 0.01
    assert calibrator.p_value(200.0) < 1e-6   # the tail keeps falling past the largest score seen


def test_registrable_domains() -> None:
    assert registrable_domain("https://www.news.example.co.id/a?b=1") == "example.co.id"
    assert registrable_domain("http://user@sub.claim-airdrop.xyz:8080/x") == "claim-airdrop.xyz"
    assert registrable_domain("not a url") is None


def test_the_package_docstring_example_runs() -> None:
    import doctest

    import kawal.engine.profile as package

    assert doctest.testmod(package).failed == 0


def test_a_run_of_odd_posts_lowers_the_p_value_of_the_later_ones_and_says_why() -> None:
    posts = habitual_posts(300)
    profile = learned(posts)
    lone = Post("pemkot", "lone", usual_time(posts), "Thanks for reaching out, please DM us your order number",
                client="Sprinklr")
    assert profile.score(lone).p_value == profile.score(lone).post_p_value   # a lone post: no run, no Bonferroni
    moment = usual_time(posts)
    verdicts = []
    for index in range(10):
        moment += timedelta(hours=5)
        text = f"Thanks for reaching out, please DM us your order number {index} and we will look into it"
        verdicts.append(profile.observe(Post("pemkot", f"odd{index}", moment, text, client="Sprinklr")))
    helped = [v for v in verdicts if v.p_value < v.post_p_value]
    assert helped and all(v.reasons[0].signal == "run" for v in helped)
    assert "posts in a row out of character" in helped[0].reasons[0].detail
    restored = Profile.from_json(json.loads(json.dumps(profile.to_json())), tone_scorer=None,
                                 detect_language=cheap_language)
    assert (restored.run_state, restored.run_length) == (profile.run_state, profile.run_length)
    follow = Post("pemkot", "next", moment + timedelta(hours=5), "Please DM us", client="Sprinklr")
    assert restored.score(follow).p_value == profile.score(follow).p_value


def test_a_profile_stored_before_the_run_test_and_the_cues_still_loads_and_scores() -> None:
    posts = habitual_posts(200)
    stored = learned(posts).to_json()
    del stored["run"]
    del stored["signals"]["cues"]
    del stored["signal_calibrators"]["cues"]
    profile = Profile.from_json(stored, tone_scorer=None, detect_language=cheap_language)
    assert (profile.run_state, profile.run_length, profile.run_calibrator.ready) == (0.0, 0, False)
    verdict = profile.score(Post("pemkot", "x", usual_time(posts), posts[-1].text, client="Sprinklr"))
    assert not verdict.flagged and "cues" not in verdict.bits   # the cue signal starts from nothing
