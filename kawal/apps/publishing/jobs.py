"""Background work of this app, run by `kawal worker` with the database as the queue.

``JOBS``: callables that do one unit of work and return True when they did something (the worker loops
while any returns True, then sleeps). ``PERIODIC``: (interval_seconds, callable) run by the scheduler.
"""

from collections.abc import Callable

from kawal.apps.publishing.publisher import publish_next

# One due post per call: claim it, re-check it, publish it exactly once (see publisher.py).
JOBS: list[Callable[[], bool]] = [publish_next]
PERIODIC: list[tuple[float, Callable[[], object]]] = []
