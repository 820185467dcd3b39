"""Background work of the notifications app: deliver queued notifications, retrying with backoff."""

from __future__ import annotations

from collections.abc import Callable

from kawal.apps.notifications.delivery import deliver_next

JOBS: list[Callable[[], bool]] = [deliver_next]
PERIODIC: list[tuple[float, Callable[[], object]]] = []
