"""Background work of listening, run by `kawal worker` with the database as the queue.

PERIODIC, in pipeline order: read the feeds that are due (conditional GET), run the mention searches that
are due, classify new stories, add them to the volume series, and feed closed buckets to the surge
monitors (an alert is stored with its explanation and opens an incident with notifications).
JOBS drain the classification and counting backlog between the periodic runs.
"""

from collections.abc import Callable

from kawal.apps.listening.fetching import fetch_due_feeds, run_due_queries
from kawal.apps.listening.understanding import classify_pending
from kawal.apps.listening.volumes import count_pending, detect_surges

JOBS: list[Callable[[], bool]] = [classify_pending, count_pending]
PERIODIC: list[tuple[float, Callable[[], object]]] = [
    (60.0, fetch_due_feeds),      # each feed has its own interval; this only looks for due ones
    (60.0, run_due_queries),
    (60.0, detect_surges),
]


def run_pipeline() -> None:
    """One pass of everything, in order (tests and `kawal manage` use it)."""
    fetch_due_feeds()
    run_due_queries()
    while classify_pending():
        pass
    while count_pending():
        pass
    detect_surges()
