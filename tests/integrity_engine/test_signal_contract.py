"""The contract every profile signal keeps (as river's detectors share one suite)."""

from __future__ import annotations

import json

import pytest

from kawal.engine.profile import Signal, fast_profile
from kawal.engine.profile.hour import HourSignal
from kawal.engine.profile.tone import ToneSignal
from kawal.engine.records import Post
from tests.integrity_engine.test_profile import habitual_posts, usual_time


def harsh_when_shouting(text: str) -> dict[str, float]:
    return {"hostile": 0.9 if "!" in text else 0.1}


PROFILE = fast_profile("pemkot", tone_scorer=harsh_when_shouting)


def blank(signal: Signal) -> Signal:
    if isinstance(signal, HourSignal):
        return HourSignal("UTC")
    if isinstance(signal, ToneSignal):
        return ToneSignal(harsh_when_shouting)
    return type(signal)()


@pytest.mark.parametrize("signal", PROFILE.signals, ids=lambda s: s.name)
def test_it_keeps_the_signal_contract(signal: Signal) -> None:
    posts = habitual_posts(80)
    posts.append(Post("pemkot", "odd", usual_time(posts), "GRATIS!!! @someone #promo https://odd.example.com -Xy",
                      client="Other", reply_to="1", lang="en"))
    def features() -> list:
        # A PostFeatures belongs to one moment of one profile (it memoises state-dependent values).
        return [PROFILE.features(post) for post in posts]

    fresh = blank(signal)
    learning = features()
    assert fresh.surprisal(learning[0]) is None   # nothing learned yet: nothing to say
    for item in learning[:-1]:
        fresh.learn(item)
    scored = features()
    for item in scored:
        bits, reason = fresh.score(item)
        assert bits is None or bits >= 0.0
        assert reason is None or (isinstance(reason, str) and reason)
        assert fresh.score(item) == (bits, reason)   # pure and deterministic
    restored = blank(signal)
    restored.load(json.loads(json.dumps(fresh.state())))
    assert [restored.surprisal(item) for item in features()] == [fresh.surprisal(item) for item in scored]
