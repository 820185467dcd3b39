"""Background work of the integrity app: reconcile every account on a schedule.

``KAWAL_SYNC_SECONDS`` (default 300) sets how often; each account is claimed with a lease so that several
workers never read the same account at once.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

from kawal.apps.integrity.sync import SyncBusy, SyncError, sync_account, syncable_accounts

log = logging.getLogger("kawal.integrity")


def sync_interval() -> float:
    raw = os.environ.get("KAWAL_SYNC_SECONDS", "300")
    try:
        return max(float(raw), 10.0)
    except ValueError:
        raise ValueError(f"KAWAL_SYNC_SECONDS must be a number of seconds, not {raw!r}") from None


def sync_all() -> int:
    """Sync every account once; an account that cannot be read is logged and left for the next round."""
    synced = 0
    for account in syncable_accounts():
        try:
            result = sync_account(account)
        except SyncBusy:
            continue
        except SyncError as exc:
            log.warning("integrity sync: %s", exc)
            continue
        synced += 1
        if result.incidents:
            log.info("integrity sync of %s: %d new post(s), incident(s) %s", account, result.new_posts,
                     result.incidents)
    return synced


JOBS: list[Callable[[], bool]] = []
PERIODIC: list[tuple[float, Callable[[], object]]] = [(sync_interval(), sync_all)]
