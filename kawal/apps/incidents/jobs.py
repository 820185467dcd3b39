"""Background work of the incidents app: escalate incidents left unacknowledged (every minute)."""

from __future__ import annotations

from collections.abc import Callable

from kawal.apps.incidents.services import escalate_overdue

JOBS: list[Callable[[], bool]] = []
PERIODIC: list[tuple[float, Callable[[], object]]] = [(60.0, escalate_overdue)]
