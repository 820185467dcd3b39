"""The offline listening report: one self-contained HTML file, no scripts, no network.

Items are classified and de-duplicated (a syndicated story counts once), bucketed into a volume series,
and run through the surge monitor of :mod:`kawal.engine.surge`; the page shows the volume with its usual
level and the surges marked (inline SVG), the alerts with their explanations, top topics, sentiment,
languages, entities and sample items. Everything the user gave is escaped.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from kawal.engine.listen.classify import Classification, Classifier
from kawal.engine.records import Item
from kawal.engine.surge import Alert, AlertRules, SurgeConfig, SurgeMonitor
from kawal.sources.dedupe import Deduper

BUCKETS = {"5m": 300, "15m": 900, "1h": 3600, "6h": 21600, "1d": 86400}
MAX_POINTS = 5_000
MIN_WARMUP = 48
LANGUAGES = {"id": "Indonesian", "en": "English", "other": "other languages"}


class ReportError(ValueError):
    """The report cannot be made from this input; the message says why."""


@dataclass(frozen=True, slots=True)
class Analysed:
    item: Item
    result: Classification
    duplicate_of: str | None


@dataclass(slots=True)
class Volume:
    start: float          # epoch seconds of the first bucket
    bucket: int           # seconds per bucket
    counts: list[int]
    usual: list[float | None]
    alerts: list[Alert]
    scored: bool          # False when the series was too short for the detector to score


def parse_bucket(text: str) -> int | None:
    """Seconds per bucket from '5m', '15m', '1h', '6h', '1d'; None for 'auto'."""
    if text == "auto":
        return None
    if text not in BUCKETS:
        raise ReportError(f"unknown bucket {text!r}; use one of auto, {', '.join(BUCKETS)}")
    return BUCKETS[text]


def choose_bucket(span: float) -> int:
    """The finest bucket that keeps the series under MAX_POINTS points."""
    return next((size for size in BUCKETS.values() if span / size <= MAX_POINTS), BUCKETS["1d"])


def analyse(items: list[Item], classifier: Classifier) -> list[Analysed]:
    deduper = Deduper()
    return [Analysed(item, classifier.classify(item), deduper.check(item).duplicate_of) for item in items]


def _describe(unique: list[Analysed], bucket: int, lang_names: dict[str, str],
              focus: str | None = None) -> Callable[[Alert], str | None]:
    """The alert hook that says what a surge is about: its topic (``focus``, or the commonest), its
    commonest term and language."""
    def describe(alert: Alert) -> str | None:
        lo, hi = alert.started_at, alert.at + timedelta(seconds=bucket)
        inside = [a for a in unique if a.item.published_at and lo <= a.item.published_at < hi]
        topics = Counter(hit.topic for a in inside for hit in a.result.topics[:1])
        if not topics and focus is None:
            return None
        topic = focus or topics.most_common(1)[0][0]
        if not any(hit.topic == topic for a in inside for hit in a.result.topics):
            return None
        terms = Counter(term for a in inside for hit in a.result.topics if hit.topic == topic
                        for term in (hit.strong or hit.terms))
        lang, _ = Counter(a.result.lang for a in inside).most_common(1)[0]
        return f"mostly '{terms.most_common(1)[0][0]}' ({topic}) mentions in {lang_names.get(lang, lang)}"
    return describe


@dataclass(frozen=True, slots=True)
class Grid:
    start: float   # epoch seconds of the first bucket
    bucket: int    # seconds per bucket
    size: int      # number of buckets


def grid(unique: list[Analysed], bucket: int | None) -> Grid:
    """The time buckets every series of the report shares."""
    times = [a.item.published_at.timestamp() for a in unique if a.item.published_at]
    if not times:
        raise ReportError("no item has a published_at time, so there is no volume to chart")
    first, last = min(times), max(times)
    size = bucket or choose_bucket(last - first)
    start = first // size * size
    count = int((last - start) // size) + 1
    if count > 50 * MAX_POINTS:
        raise ReportError(f"{count:,} buckets of {size} s: choose a coarser --bucket")
    return Grid(start, size, count)


def volume(selected: list[Analysed], frame: Grid, *, sensitivity: float, utc_offset_minutes: int,
           topic: str | None = None) -> Volume:
    """Counts of ``selected`` per bucket, run through a surge monitor of their own."""
    counts = [0] * frame.size
    for a in selected:
        if a.item.published_at:
            counts[int((a.item.published_at.timestamp() - frame.start) // frame.bucket)] += 1
    # The benchmarked warm-up suits long series; a report over a few days must still see its surges.
    warmup = min(SurgeConfig().warmup, max(MIN_WARMUP, frame.size // 4))
    monitor = SurgeMonitor(SurgeConfig(direction="up", warmup=warmup, utc_offset_minutes=utc_offset_minutes),
                           AlertRules(sensitivity=sensitivity),
                           describe=_describe(selected, frame.bucket, LANGUAGES, topic))
    usual, alerts = [], []
    for index, count in enumerate(counts):
        when = datetime.fromtimestamp(frame.start + index * frame.bucket, UTC)
        usual.append(monitor.detector.expected(when))
        if (alert := monitor.observe(when, count)) is not None:
            alerts.append(alert)
    # The detector may shorten its warm-up to one day of points; ask it rather than assume `warmup`.
    return Volume(frame.start, frame.bucket, counts, usual, alerts, frame.size > monitor.detector.warmup_points())


def series(unique: list[Analysed], labels: dict[str, str], top: int = 4,
           min_items: int = 10) -> list[tuple[str, str | None, list[Analysed]]]:
    """The smaller series watched beside the total: negative items, and the busiest topics
    (name, topic key or None, items)."""
    out: list[tuple[str, str | None, list[Analysed]]] = [
        ("Negative sentiment", None, [a for a in unique if a.result.sentiment.label == "negative"])]
    busiest = Counter(hit.topic for a in unique for hit in a.result.topics).most_common(top)
    out += [(labels.get(topic, topic), topic,
             [a for a in unique if any(h.topic == topic for h in a.result.topics)]) for topic, _ in busiest]
    return [entry for entry in out if len(entry[2]) >= min_items]


# -- HTML -------------------------------------------------------------------------------------------

STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:980px;color:#1d2430;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #dde2ea}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #eef}
.num{text-align:right;font-variant-numeric:tabular-nums}.muted{color:#667}.alert{background:#fff1f0;
border-left:4px solid #d4380d;padding:.5rem .8rem;margin:.5rem 0}.item{margin:.6rem 0;padding:.5rem .8rem;
background:#f7f8fa;border-radius:4px}.tag{display:inline-block;font-size:.8rem;background:#e6ecf5;
border-radius:3px;padding:0 .35rem;margin-right:.25rem}.neg{background:#ffe1dc}.pos{background:#dcf5e3}
svg text{font:11px system-ui,sans-serif;fill:#556}
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _offset_label(minutes: int) -> str:
    sign, minutes = ("+" if minutes >= 0 else "-"), abs(minutes)
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _local(ts: float, offset: int) -> datetime:
    return datetime.fromtimestamp(ts + offset * 60, UTC)


def _path(values: list[float | None], x: Callable[[float], float], y: Callable[[float], float]) -> str:
    parts, pen = [], "M"
    for index, value in enumerate(values):
        if value is None:
            pen = "M"
            continue
        parts.append(f"{pen}{x(index):.1f},{y(value):.1f}")
        pen = "L"
    return " ".join(parts)


def chart_svg(vol: Volume, offset: int, width: int = 940, height: int = 260) -> str:
    """Volume (blue), usual level (grey, dashed) and surges (red bands) as inline SVG."""
    left, bottom, top = 40, 24, 14
    n, peak = len(vol.counts), max(max(vol.counts), 1)
    def x(i: float) -> float:
        return left + (width - left - 5) * (i / max(n - 1, 1))
    def y(v: float) -> float:
        return height - bottom - (height - bottom - top) * min(v, peak) / peak
    bands = []
    for alert in vol.alerts:
        i0 = (alert.started_at.timestamp() - vol.start) / vol.bucket
        i1 = (alert.at.timestamp() - vol.start) / vol.bucket + 1
        bands.append(f'<rect x="{x(i0):.1f}" y="{top}" width="{max(x(i1) - x(i0), 3):.1f}" '
                     f'height="{height - bottom - top}" fill="#d4380d" fill-opacity=".18">'
                     f'<title>{_e(alert.explanation)}</title></rect>'
                     f'<path d="M{x(i0) - 5:.1f},{top - 8} h10 l-5,8 z" fill="#d4380d"/>')
    ticks = []
    for k in range(6):
        i = round(k * (n - 1) / 5) if n > 1 else 0
        label = _local(vol.start + i * vol.bucket, offset).strftime("%d %b %H:%M")
        ticks.append(f'<text x="{x(i):.1f}" y="{height - 6}" text-anchor="middle">{label}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="Mentions per bucket with surges marked">'
            f'<line x1="{left}" y1="{y(0):.1f}" x2="{width - 5}" y2="{y(0):.1f}" stroke="#ccd"/>'
            f'<text x="4" y="{top + 8}">{peak}</text><text x="4" y="{y(0):.1f}">0</text>'
            + "".join(bands) +
            f'<path d="{_path(vol.usual, x, y)}" fill="none" stroke="#8a94a6" stroke-dasharray="4 3"/>'
            f'<path d="{_path([float(c) for c in vol.counts], x, y)}" fill="none" stroke="#1d5fd1" '
            f'stroke-width="1.3"/>' + "".join(ticks) + "</svg>")


def _table(header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> str:
    head = "".join(f"<th{' class=num' if i else ''}>{_e(h)}</th>" for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(f"<td{' class=num' if i else ''}>{_e(c)}</td>" for i, c in enumerate(row))
                   + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>" if rows else "<p class=muted>None.</p>"


def _topic_rows(unique: list[Analysed], labels: dict[str, str]) -> list[tuple[Any, ...]]:
    counts = Counter(hit.topic for a in unique for hit in a.result.topics)
    negative = Counter(hit.topic for a in unique for hit in a.result.topics if a.result.sentiment.label == "negative")
    total = max(len(unique), 1)
    return [(labels.get(topic, topic), count, f"{100 * count / total:.0f}%", f"{100 * negative[topic] / count:.0f}%")
            for topic, count in counts.most_common()]


def _sample(a: Analysed) -> str:
    sentiment = a.result.sentiment.label
    tone = {"negative": "neg", "positive": "pos"}.get(sentiment, "")
    tags = f'<span class="tag {tone}">{_e(sentiment)}</span><span class=tag>{_e(a.result.lang)}</span>'
    tags += "".join(f"<span class=tag>{_e(hit.topic)}</span>" for hit in a.result.topics)
    title = a.item.title or a.item.text[:90]
    if a.item.url and a.item.url.lower().startswith(("http://", "https://")):
        title_html = f'<a href="{_e(a.item.url)}" rel="noopener noreferrer">{_e(title)}</a>'
    else:
        title_html = _e(title)
    when = a.item.published_at.strftime("%Y-%m-%d %H:%M UTC") if a.item.published_at else "no time"
    text = a.item.text if len(a.item.text) <= 280 else a.item.text[:277] + "..."
    return (f"<div class=item><strong>{title_html}</strong> <span class=muted>{_e(when)} · "
            f"{_e(a.item.source or '')}</span><br>{tags}<br>{_e(text)}</div>")


def _samples(unique: list[Analysed], labels: dict[str, str], per_topic: int = 3) -> str:
    out = []
    for topic in [t for t, _ in Counter(h.topic for a in unique for h in a.result.topics).most_common()]:
        chosen = [a for a in unique if a.result.topics and a.result.topics[0].topic == topic][:per_topic]
        if chosen:
            out.append(f"<h3>{_e(labels.get(topic, topic))}</h3>" + "".join(_sample(a) for a in chosen))
    return "".join(out) or "<p class=muted>No item matched a topic.</p>"


def _alerts(vol: Volume) -> str:
    if not vol.scored:
        return (f"<p class=muted>The series has only {len(vol.counts)} buckets: too short for the detector "
                "to learn the usual volume, so no surge can be called yet.</p>")
    if not vol.alerts:
        return "<p class=muted>No surge: the volume stayed within its usual range.</p>"
    return "".join(f"<div class=alert><strong>{_e(a.started_at.strftime('%Y-%m-%d %H:%M UTC'))}</strong>: "
                   f"{_e(a.explanation)}</div>" for a in vol.alerts)


def build_report(items: list[Item], classifier: Classifier, *, bucket: int | None = None,
                 sensitivity: float = 0.5, utc_offset_minutes: int = 0, problems: list[str] | None = None,
                 title: str = "Kawal listening report") -> str:
    """The whole HTML page for ``items``."""
    if not items:
        raise ReportError("there are no items to report on")
    analysed = analyse(items, classifier)
    unique = [a for a in analysed if a.duplicate_of is None]
    frame = grid(unique, bucket)
    vol = volume(unique, frame, sensitivity=sensitivity, utc_offset_minutes=utc_offset_minutes)
    labels = {key: topic.label for key, topic in classifier.topics.topics.items()}
    watched = [(name, volume(chosen, frame, sensitivity=sensitivity, utc_offset_minutes=utc_offset_minutes,
                             topic=topic)) for name, topic, chosen in series(unique, labels)]
    sentiments = Counter(a.result.sentiment.label for a in unique)
    langs = Counter(LANGUAGES.get(a.result.lang, a.result.lang) for a in unique)
    entities = Counter((e.name, e.kind) for a in unique for e in a.result.entities)
    untimed = sum(1 for a in unique if a.item.published_at is None)
    problems = problems or []
    sections = [
        f"<h1>{_e(title)}</h1><p class=muted>{len(items)} items, {len(items) - len(unique)} duplicates counted "
        f"once, {len(unique)} distinct; volume per {vol.bucket // 60} minutes, times in "
        f"{_offset_label(utc_offset_minutes)}.{f' {untimed} items without a time are not in the chart.' if untimed else ''}</p>",
        "<h2>Volume and surges</h2>" + chart_svg(vol, utc_offset_minutes) + _alerts(vol),
        "<h2>Surges by sentiment and topic</h2>" + "".join(
            f"<h3>{_e(name)} ({sum(v.counts)} items)</h3>" + chart_svg(v, utc_offset_minutes, height=130)
            + _alerts(v) for name, v in watched),
        "<h2>Top topics</h2>" + _table(("Topic", "Items", "Share", "Negative"), _topic_rows(unique, labels)),
        "<h2>Sentiment and language</h2>" + _table(("Sentiment", "Items"), sentiments.most_common())
        + _table(("Language", "Items"), langs.most_common()),
        "<h2>Entities</h2>" + _table(("Name", "Kind", "Items"),
                                     [(n, k, c) for (n, k), c in entities.most_common(20)]),
        "<h2>Sample items</h2>" + _samples(unique, labels),
    ]
    if problems:
        sections.append("<h2>Rejected input</h2><ul>" + "".join(f"<li>{_e(p)}</li>" for p in problems) + "</ul>")
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{_e(title)}</title>'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<style>{STYLE}</style></head><body>{''.join(sections)}</body></html>\n")
