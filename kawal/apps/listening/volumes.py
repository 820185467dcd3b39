"""Volume series and their surge monitors.

Every classified story adds one to the buckets of its series: ``all``, ``sentiment:<label>``,
``topic:<key>`` for each of its topics and ``query:<id>`` for a mention search. Closed buckets (zeros
included: a quiet bucket is a value, not a gap) are fed in order to one :class:`SurgeMonitor` per series,
whose state is stored as JSON; an alert is stored with its explanation and opens an incident.

A story that arrives after its bucket was fed is still counted on the chart, but the detector has moved
on and does not see it (its scores use only the past, as the streaming contract says).
"""

from __future__ import annotations

import logging
import zoneinfo
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.apps import apps
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from kawal.apps.audit.log import record
from kawal.apps.listening.models import (
    SERIES_ALL,
    ListeningSettings,
    ListenItem,
    MentionQuery,
    SurgeAlert,
    SurgeState,
    VolumeBucket,
)
from kawal.apps.listening.understanding import settings_for
from kawal.apps.orgs.models import Organization
from kawal.engine.surge import Alert, AlertRules, SurgeConfig, SurgeMonitor

log = logging.getLogger(__name__)
COUNT_BATCH = 500
BACKFILL = timedelta(days=14)   # a new series starts at most this far back
MAX_FEED = 20_000               # buckets fed per series per run (a long outage of the worker catches up)
GRACE = timedelta(minutes=2)    # stories classified a little late still reach the detector
LANGUAGES = {"id": "Indonesian", "en": "English", "other": "other languages"}


def bucket_seconds(config: ListeningSettings) -> int:
    return max(1, config.bucket_minutes) * 60


def floor_time(t: datetime, seconds: int) -> datetime:
    ts = int(t.timestamp())
    return datetime.fromtimestamp(ts - ts % seconds, UTC)


def series_of(row: ListenItem) -> list[str]:
    names = [SERIES_ALL]
    if row.sentiment:
        names.append(f"sentiment:{row.sentiment}")
    names += [f"topic:{key}" for key in row.topic_keys]
    if row.query_id:
        names.append(f"query:{row.query_id}")
    return names


def add_to_buckets(org_id: int, start: datetime, name: str, amount: int) -> None:
    bucket, created = VolumeBucket.objects.get_or_create(organization_id=org_id, series=name, start=start,
                                                         defaults={"count": amount})
    if not created:
        VolumeBucket.objects.filter(pk=bucket.pk).update(count=F("count") + amount)


def count_pending(limit: int = COUNT_BATCH) -> bool:
    """Add classified, not yet counted stories to their series; True when there were any.

    Each story is claimed with a conditional UPDATE (so two workers never count it twice) and the batch's
    bucket increments are applied together, in the same transaction as the claims.
    """
    rows = list(ListenItem.objects.filter(counted=False, classified_at__isnull=False, duplicate_of__isnull=True)
                .select_related("organization").order_by("pk")[:limit])
    sizes: dict[int, int] = {}
    with transaction.atomic():
        increments: Counter[tuple[int, str, datetime]] = Counter()
        for row in rows:
            if ListenItem.objects.filter(pk=row.pk, counted=False).update(counted=True) != 1:
                continue   # another worker counted it
            if row.organization_id not in sizes:
                sizes[row.organization_id] = bucket_seconds(settings_for(row.organization))
            start = floor_time(row.at, sizes[row.organization_id])
            for name in series_of(row):
                increments[(row.organization_id, name, start)] += 1
        for (org_id, name, start), amount in increments.items():
            add_to_buckets(org_id, start, name, amount)
    return bool(rows)


# -- surges --------------------------------------------------------------------------------------------


def utc_offset_minutes(org: Organization, at: datetime) -> int:
    """The organisation's offset from UTC (habits are local: 20:00 in Jakarta is 13:00 UTC)."""
    try:
        zone = zoneinfo.ZoneInfo(org.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return 0
    offset = at.astimezone(zone).utcoffset()
    return int(offset.total_seconds() // 60) if offset else 0


def new_monitor(org: Organization, config: ListeningSettings, describe: Callable[[Alert], str | None],
                at: datetime) -> SurgeMonitor:
    detector = SurgeConfig(direction="up", warmup=config.warmup_buckets,
                           utc_offset_minutes=utc_offset_minutes(org, at))
    return SurgeMonitor(detector, rules_for(config), describe)


def rules_for(config: ListeningSettings) -> AlertRules:
    return AlertRules(sensitivity=config.sensitivity, min_duration=timedelta(minutes=config.min_duration_minutes),
                      cooldown=timedelta(minutes=config.cooldown_minutes))


def recount(org: Organization) -> None:
    """Start the series again (after the bucket size changed): every story is counted anew."""
    with transaction.atomic():
        VolumeBucket.objects.filter(organization=org).delete()
        SurgeState.objects.filter(organization=org).delete()
        ListenItem.objects.filter(organization=org, counted=True).update(counted=False)


def series_items(org: Organization, series: str) -> object:
    stories = ListenItem.objects.filter(organization=org, duplicate_of__isnull=True, counted=True)
    kind, _, value = series.partition(":")
    if kind == "sentiment":
        return stories.filter(sentiment=value)
    if kind == "query":
        return stories.filter(query_id=int(value))
    if kind == "topic":
        return stories.filter(topic_tags__contains=f",{value},")
    return stories


def describer(org: Organization, series: str, bucket: int) -> Callable[[Alert], str | None]:
    """The alert hook: what the surge is about (its topic, the commonest term, the language)."""
    focus = series.partition(":")[2] if series.startswith("topic:") else None

    def describe(alert: Alert) -> str | None:
        rows = [r for r in series_items(org, series).filter(  # type: ignore[attr-defined]
                    at__gte=alert.started_at, at__lt=alert.at + timedelta(seconds=bucket))
                .only("classification", "lang", "topic_keys")[:5000]
                if focus is None or focus in r.topic_keys]
        return summarise(rows, focus)
    return describe


def summarise(rows: list[ListenItem], focus: str | None) -> str | None:
    """"mostly 'gangguan' (outage) mentions in Indonesian", from the stored findings of the surge's items."""
    topics = Counter(r.topic_keys[0] for r in rows if r.topic_keys)
    if not rows or (not topics and focus is None):
        return None
    topic = focus or topics.most_common(1)[0][0]
    terms = Counter(term for r in rows for hit in r.topics if hit.get("topic") == topic
                    for term in hit.get("terms", [])[:1])
    lang = Counter(r.lang for r in rows).most_common(1)[0][0]
    if not terms:
        return None
    return f"mostly '{terms.most_common(1)[0][0]}' ({topic}) mentions in {LANGUAGES.get(lang, lang)}"


def first_bucket(org: Organization, series: str, now: datetime, bucket: int) -> datetime:
    earliest = (VolumeBucket.objects.filter(organization=org, series=series).order_by("start")
                .values_list("start", flat=True).first())
    floor = floor_time(now - BACKFILL, bucket)
    return max(earliest, floor) if earliest else floor


def feed_series(org: Organization, config: ListeningSettings, series: str, now: datetime) -> list[Alert]:
    """Feed the closed buckets of one series to its monitor; store the state and return new alerts."""
    bucket = bucket_seconds(config)
    closed_until = floor_time(now - GRACE, bucket)  # the bucket holding ``now`` is still filling
    state = SurgeState.objects.filter(organization=org, series=series).first()
    describe = describer(org, series, bucket)
    if state is None:
        start = first_bucket(org, series, now, bucket)
        monitor = new_monitor(org, config, describe, now)
    else:
        start = state.fed_until
        monitor = SurgeMonitor.from_json(state.state, describe)
        monitor.tracker.rules = rules_for(config)   # the rules as set now; the detector's habits carry on
    if start >= closed_until:
        return []
    stop = min(closed_until, start + timedelta(seconds=bucket * MAX_FEED))
    counts = dict(VolumeBucket.objects.filter(organization=org, series=series, start__gte=start, start__lt=stop)
                  .values_list("start", "count"))
    alerts, scored, at = [], [], start
    while at < stop:
        usual = monitor.detector.expected(at)
        alert = monitor.observe(at, counts.get(at, 0))
        scored.append((at, usual, monitor.detector.last_raw))
        if alert is not None:
            alerts.append(alert)
        at += timedelta(seconds=bucket)
    if not save_state(org, series, state, monitor, start, stop, now):
        return []   # another worker fed these buckets first: its alerts stand
    save_scores(org, series, scored, counts)
    return alerts


def save_state(org: Organization, series: str, state: SurgeState | None, monitor: SurgeMonitor,
               start: datetime, stop: datetime, now: datetime) -> bool:
    """Store the monitor if nobody moved it meanwhile (a conditional UPDATE, or a unique insert)."""
    if state is None:
        _, created = SurgeState.objects.get_or_create(
            organization=org, series=series,
            defaults={"state": monitor.to_json(), "fed_until": stop, "updated_at": now})
        return created
    return SurgeState.objects.filter(pk=state.pk, fed_until=start).update(
        state=monitor.to_json(), fed_until=stop, updated_at=now) == 1


def save_scores(org: Organization, series: str, scored: list[tuple[datetime, float | None, float]],
                counts: dict[datetime, int]) -> None:
    """Keep the usual level and score of the non-empty buckets, for the chart."""
    for at, usual, score in scored:
        if counts.get(at):
            VolumeBucket.objects.filter(organization=org, series=series, start=at).update(usual=usual, score=score)


def store_alert(org: Organization, series: str, alert: Alert, config: ListeningSettings | None = None) -> SurgeAlert:
    """Keep the alert and open an incident for it (with notifications) through the incidents app."""
    row = SurgeAlert.objects.create(
        organization=org, series=series, started_at=alert.started_at, at=alert.at, observed=alert.observed,
        usual=alert.usual, ratio=alert.ratio, peak_score=alert.peak_score, explanation=alert.explanation,
        data=alert.to_json())
    record("listening.surge", actor="kawal", organization=org.pk, target=row,
           payload={"series": series, "explanation": alert.explanation})
    open_incident_for(row, config or settings_for(org))
    return row


def series_label(series: str) -> str:
    kind, _, value = series.partition(":")
    if kind == "query":
        query = MentionQuery.objects.filter(pk=int(value)).first() if value.isdigit() else None
        return f"mentions of '{query.query}'" if query else f"mention query {value}"
    return {"all": "all mentions", "sentiment": f"{value} mentions", "topic": f"'{value}' mentions"}.get(kind, series)


def open_incident_for(row: SurgeAlert, config: ListeningSettings) -> None:
    """One event, one incident: an outage surge shows in several series (all, negative, outage) at once, so
    an alert joins the open surge incident of an alert seen within the cooldown, as a timeline note."""
    if not apps.is_installed("kawal.apps.incidents"):
        row.incident_note = "No incident opened: the incidents app is not installed; the alert is listed here."
        row.save(update_fields=["incident_note"])
        return
    from kawal.apps.incidents.models import Action, Kind, Severity, Status
    from kawal.apps.incidents.services import note, open_incident

    since = row.started_at - timedelta(minutes=config.cooldown_minutes)
    sibling = (SurgeAlert.objects.filter(organization=row.organization, incident__isnull=False, at__gte=since)
               .exclude(pk=row.pk).exclude(incident__status=Status.RESOLVED).select_related("incident")
               .order_by("-at").first())
    if sibling is not None:
        incident = sibling.incident
        note(incident, Action.COMMENT, f"Also a surge in {series_label(row.series)}: {row.explanation}",
             data={"surge_alert": row.pk, "series": row.series})
        row.incident_note = f"Joined incident #{incident.pk}, opened for the same event."
    else:
        title = f"Surge in {series_label(row.series)}: {row.explanation}"
        incident, _ = open_incident(row.organization, kind=Kind.SURGE, severity=Severity.MEDIUM, title=title,
                                    summary=row.explanation, dedup_key=f"listening-surge:{row.pk}",
                                    details={"series": row.series, "surge_alert": row.pk, **row.data})
    row.incident = incident
    row.save(update_fields=["incident", "incident_note"])


def watched_series(org: Organization) -> list[str]:
    return sorted(set(VolumeBucket.objects.filter(organization=org).values_list("series", flat=True)))


def detect_surges(now: datetime | None = None) -> bool:
    """Feed every series of every organisation up to the last closed bucket; True when an alert was raised."""
    now = now or timezone.now()
    raised = False
    org_ids = VolumeBucket.objects.values_list("organization_id", flat=True).distinct()
    for org in Organization.objects.filter(pk__in=list(org_ids)):
        config = settings_for(org)
        for series in watched_series(org):
            for alert in feed_series(org, config, series, now):
                store_alert(org, series, alert, config)
                raised = True
    return raised
