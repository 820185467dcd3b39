"""Account profile: does a new post fit the account's own history, and if not, why?

Contract (each signal in its own module: client, hour, language, style, topic, voice, links, tags, kind,
burst, tone, cues): ``learn(post)`` adds a post to the history, ``score(post) -> (bits, reason)`` judges it without
learning. :class:`Profile` combines them: ``Profile.score(post) -> Assessment`` with ``score`` in 0..1
(higher = more out of character; 0.5 at the default operating point), ``p_value``, ``flagged``,
``learning`` and ``reasons`` ({signal, detail, weight}). ``Profile.to_json()``/``Profile.from_json()``
persist it (e.g. in a database column).

>>> from datetime import datetime, timedelta, UTC
>>> from kawal.engine.records import Post
>>> profile = fast_profile("acme")
>>> start = datetime(2024, 1, 1, 9, tzinfo=UTC)
>>> for i in range(120):
...     profile.learn(Post("acme", str(i), start + timedelta(days=i), "Our weekly update is out", client="Sprinklr"))
>>> odd = Post("acme", "x", start + timedelta(days=121, hours=18), "FREE BITCOIN GIVEAWAY!!! http://bit.ly/x",
...            client="Twitter Web App")
>>> verdict = profile.score(odd)
>>> verdict.flagged, "client" in {reason.signal for reason in verdict.reasons}
(True, True)
"""

from kawal.engine.profile.base import Reason, Signal
from kawal.engine.profile.profile import Assessment, Profile, fast_profile
from kawal.engine.profile.threshold import DEFAULT_ALPHA, OperatingPoint, score_from_p

__all__ = ["DEFAULT_ALPHA", "Assessment", "OperatingPoint", "Profile", "Reason", "Signal", "fast_profile",
           "score_from_p"]
