"""Background work of the audit app: walk the chain every few hours, so tampering is noticed unprompted.

``JOBS``: callables that do one unit of work and return True when they did something (the worker loops
while any returns True, then sleeps). ``PERIODIC``: (interval_seconds, callable) run by the scheduler.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from kawal.apps.audit.log import record, verify
from kawal.server.env import envint

log = logging.getLogger("kawal.audit")

VERIFY_EVERY = envint("KAWAL_AUDIT_VERIFY_SECONDS", 6 * 3600)


def verify_chain() -> bool:
    """Verify the whole chain; a broken chain is logged as an error and recorded as an event."""
    count, problems = verify()
    if not problems:
        log.info("audit chain intact: %d entries", count)
        return True
    for problem in problems:
        log.error("audit chain broken: %s", problem.message)
    record("audit.chain_broken", actor="scheduler",
           payload={"entries": count, "problems": [p.message for p in problems][:50]})
    return False


JOBS: list[Callable[[], bool]] = []
PERIODIC: list[tuple[float, Callable[[], object]]] = [(VERIFY_EVERY, verify_chain)]
