"""Server-side charts of the listening pages, as inline SVG (no script, no CDN).

The volume chart is the offline report's (``kawal.engine.listen.report.chart_svg``) fed from the stored
buckets and alerts; topics and sentiment are horizontal bars.
"""

from __future__ import annotations

import html
from datetime import datetime, timedelta

from django.db.models import Sum

from kawal.apps.listening.models import SurgeAlert, VolumeBucket
from kawal.apps.orgs.models import Organization
from kawal.engine.listen.report import Volume, chart_svg
from kawal.engine.surge import Alert

MAX_POINTS = 2_000
SENTIMENT_COLOURS = {"negative": "#d4380d", "neutral": "#8a94a6", "positive": "#389e0d"}


def volume_chart(org: Organization, series: str, bucket: int, now: datetime, offset_minutes: int,
                 span: timedelta = timedelta(days=7)) -> str | None:
    """The series over ``span`` (at most MAX_POINTS buckets) with usual level and surges; None when empty."""
    span = min(span, timedelta(seconds=bucket * MAX_POINTS))
    ts = int((now - span).timestamp())
    first = datetime.fromtimestamp(ts - ts % bucket, tz=now.tzinfo)
    rows = list(VolumeBucket.objects.filter(organization=org, series=series, start__gte=first)
                .values_list("start", "count", "usual"))
    if not rows:
        return None
    first = max(first, min(start for start, _, _ in rows))   # a young series is drawn from its start
    size = int((now - first).total_seconds() // bucket) + 1
    counts: list[int] = [0] * size
    usual: list[float | None] = [None] * size
    for start, count, level in rows:
        index = int((start - first).total_seconds() // bucket)
        if 0 <= index < size:
            counts[index], usual[index] = count, level
    alerts = [stored_alert(a) for a in SurgeAlert.objects.filter(organization=org, series=series, at__gte=first)]
    return chart_svg(Volume(first.timestamp(), bucket, counts, usual, alerts, True), offset_minutes)


def stored_alert(row: SurgeAlert) -> Alert:
    return Alert(started_at=row.started_at, at=row.at, observed=row.observed, usual=row.usual,
                 peak_score=row.peak_score, slot_label=str(row.data.get("slot_label", "")),
                 explanation=row.explanation)


def bars_svg(rows: list[tuple[str, int]], colours: dict[str, str] | None = None, width: int = 460,
             label: str = "Counts") -> str:
    """Horizontal bars, one per (name, count); names longer than 30 characters are shortened."""
    if not rows:
        return ""
    line, left = 22, 210
    peak = max(count for _, count in rows) or 1
    height = line * len(rows) + 6
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'style="width:100%;max-width:{width}px" aria-label="{html.escape(label)}">']
    for i, (name, count) in enumerate(rows):
        y = 4 + i * line
        bar = (width - left - 50) * count / peak
        colour = (colours or {}).get(name, "#1d5fd1")
        shown = name if len(name) <= 30 else name[:29] + "…"
        parts.append(f'<text x="{left - 6}" y="{y + 14}" text-anchor="end" font-size="12">{html.escape(shown)}'
                     f'<title>{html.escape(name)}</title></text>'
                     f'<rect x="{left}" y="{y + 3}" width="{max(bar, 1):.1f}" height="14" fill="{colour}"/>'
                     f'<text x="{left + bar + 5:.1f}" y="{y + 14}" font-size="12">{count}</text>')
    parts.append("</svg>")
    return "".join(parts)


def series_totals(org: Organization, prefix: str, since: datetime) -> dict[str, int]:
    """Stories per series name after ``prefix`` since a time, from the counted buckets (each story once)."""
    rows = (VolumeBucket.objects.filter(organization=org, series__startswith=prefix, start__gte=since)
            .values("series").annotate(total=Sum("count")))
    return {row["series"][len(prefix):]: int(row["total"] or 0) for row in rows}


def topic_counts(org: Organization, since: datetime, labels: dict[str, str]) -> list[tuple[str, int]]:
    totals = series_totals(org, "topic:", since)
    return sorted(((labels.get(k, k), n) for k, n in totals.items() if n), key=lambda row: (-row[1], row[0]))


def sentiment_counts(org: Organization, since: datetime) -> list[tuple[str, int]]:
    totals = series_totals(org, "sentiment:", since)
    if not any(totals.values()):
        return []
    return [(label, totals.get(label, 0)) for label in SENTIMENT_COLOURS]


def topic_labels() -> dict[str, str]:
    from kawal.engine.listen.topics import default_topics

    return {key: topic.label for key, topic in default_topics().topics.items()}

