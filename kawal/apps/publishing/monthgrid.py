"""The calendar's month grid: scheduled (outbox) and published (ledger) posts per day, in the
organisation's time zone."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from kawal.apps.publishing.models import LedgerEntry, Outbox, OutboxStatus


def zone(org: Any) -> ZoneInfo:
    return ZoneInfo(org.timezone or "UTC")


def parse_month(value: str, org: Any) -> date:
    """``YYYY-MM`` as the first day of that month; empty means this month in the organisation's zone."""
    if not value:
        today = timezone.now().astimezone(zone(org)).date()
        return today.replace(day=1)
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise ValueError(f"{value!r} is not a month; use YYYY-MM, e.g. 2026-11") from None


def shift(month: date, delta: int) -> date:
    index = month.year * 12 + month.month - 1 + delta
    return date(index // 12, index % 12 + 1, 1)


@dataclass
class Entry:
    when: datetime
    kind: str          # "scheduled", "publishing", "published", "failed"
    text: str
    account: str
    draft_id: int | None


@dataclass
class Day:
    day: date
    in_month: bool
    entries: list[Entry] = field(default_factory=list)


def month_grid(org: Any, accounts: list[Any], month: date) -> list[list[Day]]:
    """Weeks (Monday first) of days, each with its posts in time order."""
    tz = zone(org)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    start = datetime.combine(weeks[0][0], datetime.min.time(), tz)
    end = datetime.combine(weeks[-1][-1] + timedelta(days=1), datetime.min.time(), tz)
    days = {d: Day(d, d.month == month.month) for week in weeks for d in week}
    for entry in _entries(accounts, start, end):
        local = entry.when.astimezone(tz)
        days[local.date()].entries.append(entry)
    for day in days.values():
        day.entries.sort(key=lambda e: e.when)
    return [[days[d] for d in week] for week in weeks]


def _entries(accounts: list[Any], start: datetime, end: datetime) -> list[Entry]:
    ids = [a.pk for a in accounts]
    names = {a.pk: str(a) for a in accounts}
    out = [Entry(e.published_at, "published", e.text, names[e.account_id], e.draft_id)
           for e in LedgerEntry.objects.filter(account_id__in=ids, published_at__gte=start, published_at__lt=end)]
    kinds = {OutboxStatus.PENDING: "scheduled", OutboxStatus.CLAIMED: "publishing", OutboxStatus.FAILED: "failed"}
    for row in Outbox.objects.filter(account_id__in=ids, status__in=list(kinds), not_before__gte=start,
                                     not_before__lt=end):
        out.append(Entry(row.not_before, kinds[row.status], row.text, names[row.account_id], row.draft_id))
    return out
