"""Surge detection on volume series: a streaming detector and the alert rules on top of it.

Score contract: ``SurgeDetector.update(t, value)`` returns a score in 0..1 made only from earlier points,
in O(1) time and memory; the state is JSON (``to_json`` / ``from_json``). ``AlertRules`` turns scores
into alerts with a sensitivity, a minimum duration, a cooldown and an explanation a person reads.
"""

from kawal.engine.surge.detector import SurgeConfig, SurgeDetector
from kawal.engine.surge.rules import Alert, AlertRules, AlertTracker, SurgeMonitor, explain

__all__ = ["Alert", "AlertRules", "AlertTracker", "SurgeConfig", "SurgeDetector", "SurgeMonitor", "explain"]
