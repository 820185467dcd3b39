"""The ``kawal audit --html`` report: one self-contained HTML file with inline SVG charts.

No CDN, no JavaScript, no external fonts: the file opens offline and can be mailed as it is. Charts per
account: the posting-hour heatmap (account-local time), the client mix over time, and the score timeline
with the flagged posts marked; then the flagged posts with their reasons. Every text from a post is
escaped: a hostile post cannot inject markup into the report.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from html import escape

from kawal.engine.profile.audit import AccountAudit

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f")
OTHER_COLOUR = "#bab0ac"
STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1100px;
color:#222;padding:0 1rem}h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:1px solid #ddd}
h3{font-size:1.05rem;margin-bottom:.3rem}.muted{color:#666}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #eee;padding:.35rem .5rem;vertical-align:top;text-align:left}
.score{font-weight:600;color:#b3261e}ul.reasons{margin:.2rem 0;padding-left:1.1rem}
.summary span{display:inline-block;margin-right:1.5rem}svg text{font:11px system-ui,sans-serif;fill:#444}
"""


def render(audits: list[AccountAudit], *, title: str = "Kawal account audit", source: str = "") -> str:
    sections = "\n".join(_account_section(audit) for audit in audits)
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{escape(title)}</title>"
            f"<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><style>{STYLE}</style>"
            f"</head><body><h1>{escape(title)}</h1><p class=\"muted\">{escape(source)}</p>{sections}"
            "<p class=\"muted\">Score: 0..1, higher = more out of character for the account; 0.5 is the "
            "default alert threshold (on an account's genuine posts, at most about 1 in 400 is expected above "
            "it).</p></body></html>")


def _account_section(audit: AccountAudit) -> str:
    flagged = audit.flagged
    learning = sum(1 for a in audit.assessments if a.learning)
    summary = (f"<p class=\"summary\"><span><b>{len(audit.posts):,}</b> posts scored</span>"
               f"<span><b>{len(flagged):,}</b> flagged</span><span><b>{learning:,}</b> while still learning</span>"
               f"<span>baseline: {audit.baseline_posts:,} posts</span>"
               f"<span>time zone: {escape(audit.profile.timezone)}</span></p>")
    return (f"<h2>@{escape(audit.account)}</h2>{summary}"
            f"<h3>Score timeline</h3>{score_timeline(audit)}"
            f"<h3>Posting hours ({escape(audit.profile.timezone)})</h3>{hour_heatmap(audit)}"
            f"<h3>Client mix over time</h3>{client_mix(audit)}"
            f"<h3>Flagged posts</h3>{_flagged_table(audit)}")


def hour_heatmap(audit: AccountAudit) -> str:
    zone = audit.profile.zone
    counts = Counter()
    for post in audit.posts:
        local = post.created_at.astimezone(zone)
        counts[(local.weekday(), local.hour)] += 1
    peak = max(counts.values(), default=1)
    cell, left, top = 28, 40, 18
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + 24 * cell + 10}" height="{top + 7 * cell + 10}" '
             'role="img" aria-label="Posting-hour heatmap">']
    for hour in range(0, 24, 3):
        parts.append(f'<text x="{left + hour * cell + 2}" y="12">{hour:02d}:00</text>')
    for day in range(7):
        parts.append(f'<text x="0" y="{top + day * cell + 18}">{DAYS[day]}</text>')
        for hour in range(24):
            value = counts.get((day, hour), 0)
            shade = 0.06 + 0.94 * (value / peak) ** 0.5 if value else 0.0
            fill = f"rgba(78,121,167,{shade:.2f})" if value else "#f4f4f4"
            parts.append(f'<rect x="{left + hour * cell}" y="{top + day * cell}" width="{cell - 2}" '
                         f'height="{cell - 2}" fill="{fill}"><title>{DAYS[day]} {hour:02d}:00: {value} posts'
                         '</title></rect>')
    parts.append("</svg>")
    return "".join(parts)


def client_mix(audit: AccountAudit) -> str:
    months: dict[str, Counter[str]] = {}
    totals: Counter[str] = Counter()
    for post in audit.posts:
        if post.client is None:
            continue
        month = post.created_at.strftime("%Y-%m")
        months.setdefault(month, Counter())[post.client] += 1
        totals[post.client] += 1
    if not totals:
        return ("<p class=\"muted\">This source does not record the publishing app (X removed it from its "
                "API in 2022; Mastodon archives never had it), so the client signal is silent.</p>")
    named = [name for name, _ in totals.most_common(len(PALETTE) - 1)]
    colours = {name: PALETTE[i] for i, name in enumerate(named)}
    keys = sorted(months)
    width, height, left, bottom = 900, 200, 30, 30
    bar = max(2.0, (width - left) / len(keys))
    labels = [*named, "other clients"]
    legend_width = left + sum(20 + 7 * min(len(name), 28) for name in labels)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{max(width + 10, legend_width)}" '
             f'height="{height + bottom + 30}" role="img" aria-label="Client mix per month">']
    for index, month in enumerate(keys):
        counter, total, y = months[month], sum(months[month].values()), float(height)
        for name in [*named, None]:
            value = (counter[name] if name else sum(v for k, v in counter.items() if k not in colours))
            if not value:
                continue
            h = height * value / total
            y -= h
            label = escape(name or "other clients")
            parts.append(f'<rect x="{left + index * bar:.1f}" y="{y:.1f}" width="{bar - 1:.1f}" height="{h:.1f}" '
                         f'fill="{colours.get(name, OTHER_COLOUR) if name else OTHER_COLOUR}"><title>{month}: '
                         f'{label} {value} of {total}</title></rect>')
        if index % max(1, len(keys) // 8) == 0:
            parts.append(f'<text x="{left + index * bar:.1f}" y="{height + 14}">{month}</text>')
    legend_x = left
    for name in labels:
        parts.append(f'<rect x="{legend_x}" y="{height + bottom}" width="10" height="10" '
                     f'fill="{colours.get(name, OTHER_COLOUR)}"/><text x="{legend_x + 14}" y="{height + bottom + 9}">'
                     f'{escape(name[:28])}</text>')
        legend_x += 20 + 7 * min(len(name), 28)
    parts.append("</svg>")
    return "".join(parts)


def score_timeline(audit: AccountAudit) -> str:
    if not audit.posts:
        return "<p class=\"muted\">No posts.</p>"
    width, height, left, top = 900, 180, 34, 10
    start, end = audit.posts[0].created_at, audit.posts[-1].created_at
    span = max((end - start).total_seconds(), 1.0)

    def x_of(moment: datetime) -> float:
        return left + (width - left) * (moment - start).total_seconds() / span

    threshold = audit.profile.operating_point.score_threshold
    y_line = top + height * (1 - threshold)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width + 10}" height="{height + 40}" role="img" '
             'aria-label="Score timeline">',
             f'<line x1="{left}" x2="{width}" y1="{y_line:.1f}" y2="{y_line:.1f}" stroke="#b3261e" '
             f'stroke-dasharray="4 3"/><text x="{left + 4}" y="{y_line - 3:.1f}">alert threshold</text>',
             f'<text x="0" y="{top + 8}">1.0</text><text x="0" y="{top + height}">0.0</text>']
    for post, assessment in zip(audit.posts, audit.assessments, strict=True):
        x, y = x_of(post.created_at), top + height * (1 - assessment.score)
        if assessment.flagged:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#b3261e"><title>{escape(post.id)}: '
                         f'{assessment.score:.2f}</title></circle>')
        else:
            colour = "#bbb" if assessment.learning else "#4e79a7"
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.6" fill="{colour}"/>')
    parts.append(f'<text x="{left}" y="{top + height + 18}">{start:%Y-%m-%d}</text>'
                 f'<text x="{width - 70}" y="{top + height + 18}">{end:%Y-%m-%d}</text></svg>')
    return "".join(parts)


def _flagged_table(audit: AccountAudit) -> str:
    flagged = audit.flagged
    if not flagged:
        return "<p>No post was out of character at the alert threshold.</p>"
    rows = []
    for post, assessment in sorted(flagged, key=lambda pa: pa[1].score, reverse=True):
        reasons = "".join(f"<li><b>{escape(r.signal)}</b>: {escape(r.detail)}</li>" for r in assessment.reasons)
        rows.append(f"<tr><td class=\"score\">{assessment.score:.2f}</td><td>{post.created_at:%Y-%m-%d %H:%M} UTC"
                    f"<br><span class=\"muted\">{escape(post.id)}</span></td><td>{escape(post.text)}"
                    f"<ul class=\"reasons\">{reasons}</ul></td></tr>")
    return ("<table><thead><tr><th>Score</th><th>When</th><th>Post and reasons</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>")
