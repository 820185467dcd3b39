"""Leak detectors: personal data, payment cards, credentials and internal hosts.

``find_leaks(text)`` runs every detector and returns findings with exact character spans (``text[start:end]``
is the leaked value) and messages that mask the value. Each detector is a function
``(text, skip_spans) -> list[Finding]`` where ``skip_spans`` are the URLs in the text (numbers inside a URL are
ids and paths); detectors that look for secrets inside URLs ignore it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from kawal.engine.records import SEVERITIES, Finding
from kawal.engine.screen.leaks import cards, credentials, hosts, personal
from kawal.engine.screen.leaks.common import Span, url_spans

Detector = Callable[[str, list[Span]], list[Finding]]

DETECTORS: tuple[Detector, ...] = (
    *credentials.DETECTORS, *cards.DETECTORS, *personal.DETECTORS, *hosts.DETECTORS,
)


def find_leaks(text: str, *, allow: Iterable[str] = ()) -> list[Finding]:
    """Every leak in ``text``, one finding per span, ordered by position.

    ``allow`` lists values the organisation publishes on purpose (its own service number or address); a
    finding whose matched text is one of them, compared case-insensitively and ignoring spaces, is dropped.
    """
    skip = url_spans(text)
    found = [f for detector in DETECTORS for f in detector(text, skip)]
    allowed = {_squash(a) for a in allow}
    if allowed:
        found = [f for f in found if f.span is None or _squash(text[f.span[0]:f.span[1]]) not in allowed]
    return _one_per_span(found)


def _squash(value: str) -> str:
    return "".join(value.split()).casefold()


def _one_per_span(found: list[Finding]) -> list[Finding]:
    """Keep the most severe finding where detectors overlap (a JWT inside a URL, a NIK that is also Luhn-valid)."""
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    kept: list[Finding] = []
    for f in sorted(found, key=lambda f: (-rank[f.severity], f.span or (0, 0))):
        if not any(_overlap(f.span, k.span) for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.span or (0, 0))


def _overlap(a: Span | None, b: Span | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]
