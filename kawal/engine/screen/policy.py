"""The screening policy: a TOML file a communications team edits.

It holds the organisation's confidential code names, embargoed topics with the moment each lifts,
quiet-period words with their window, values the organisation publishes on purpose (its own service number),
the tone thresholds, and which findings block a post. ``Policy.default()`` is the commented file shipped in
this package (``default_policy.toml``); ``docs/screening-policy.example.toml`` shows a filled-in one.

Dates without a time mean 00:00 on that day in the policy's ``timezone``; ``until`` is the moment a rule
stops applying (exclusive).
"""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kawal.engine.records import SEVERITIES, Finding, as_utc
from kawal.engine.screen.terms import Word, find_term, normalise, words

DEFAULT_FILE = "default_policy.toml"


class PolicyError(ValueError):
    """The policy file is not valid; the message names the file, the key and the problem."""


@dataclass(frozen=True, slots=True)
class Embargo:
    topic: str
    terms: tuple[str, ...]
    until: datetime


@dataclass(frozen=True, slots=True)
class QuietPeriod:
    name: str
    words: tuple[str, ...]
    start: datetime | None
    until: datetime | None

    def active(self, now: datetime) -> bool:
        return (self.start is None or now >= self.start) and (self.until is None or now < self.until)


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Tone score thresholds (probabilities) at or above which a tone finding is raised."""

    hostile: float = 0.5
    hostile_reply: float = 0.5     # when the post answers someone (the model already reads the context)
    abusive: float = 0.5
    offensive: float = 0.6
    negative_reply: float = 0.8    # strong negativity toward the person answered
    sarcasm_reply: float = 0.6


@dataclass(frozen=True, slots=True)
class Policy:
    codenames: tuple[str, ...] = ()
    codename_severity: str = "high"
    embargoes: tuple[Embargo, ...] = ()
    quiet_periods: tuple[QuietPeriod, ...] = ()
    allow: tuple[str, ...] = ()
    thresholds: Thresholds = field(default_factory=Thresholds)
    block: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    review_min_severity: str = "low"
    timezone: str = "UTC"
    source: str = "<built-in>"

    @classmethod
    def default(cls) -> Policy:
        return parse_policy("", source=f"<built-in {DEFAULT_FILE}>")

    @classmethod
    def load(cls, path: str | Path) -> Policy:
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise PolicyError(f"cannot read policy file {path}: {exc}") from exc
        return parse_policy(text, source=str(path))

    def blocks(self, kind: str) -> bool:
        """True when findings of ``kind`` block a post ("leak.credential" covers "leak.credential.aws")."""
        return _listed(kind, self.block)

    def ignores(self, kind: str) -> bool:
        return _listed(kind, self.ignore)


def _listed(kind: str, kinds: tuple[str, ...]) -> bool:
    return any(kind == k or kind.startswith(k + ".") for k in kinds)


# ---- parsing -------------------------------------------------------------------------------------------

TOP_KEYS = {"version", "timezone", "codenames", "embargo", "quiet_period", "leaks", "thresholds", "verdict"}


def parse_policy(text: str, *, source: str = "<string>") -> Policy:
    """Parse and validate policy TOML on top of the shipped defaults; raise PolicyError naming the problem.

    A key the file leaves out keeps its default (so a file with only ``[codenames]`` still blocks
    credentials); a key it sets replaces the default whole (a ``block`` list replaces the default list).
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{source}: not valid TOML: {exc}") from exc
    ctx = _Ctx(source)
    ctx.no_unknown(data, TOP_KEYS, "the top level")
    data = _over_defaults(data)
    tz_name = ctx.string(data.get("timezone", "UTC"), "timezone")
    try:
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise PolicyError(f"{source}: timezone {tz_name!r} is not a known IANA time zone") from exc
    codenames = data.get("codenames", {})
    ctx.no_unknown(ctx.table(codenames, "codenames"), {"terms", "severity"}, "[codenames]")
    verdict = ctx.table(data.get("verdict", {}), "verdict")
    ctx.no_unknown(verdict, {"block", "ignore", "review_min_severity"}, "[verdict]")
    if any(_listed(k, ("legal",)) or k == "legal" for k in verdict.get("block", []) if isinstance(k, str)):
        raise ctx.fail("verdict.block lists a legal finding; legal findings (defamation, SARA, financial "
                       "promises) suggest review and never block a post by themselves")
    leaks = ctx.table(data.get("leaks", {}), "leaks")
    ctx.no_unknown(leaks, {"allow"}, "[leaks]")
    return Policy(
        codenames=ctx.strings(codenames.get("terms", []), "codenames.terms"),
        codename_severity=ctx.severity(codenames.get("severity", "high"), "codenames.severity"),
        embargoes=tuple(ctx.embargo(e, i, tz) for i, e in enumerate(ctx.tables(data.get("embargo", []), "embargo"))),
        quiet_periods=tuple(ctx.quiet(q, i, tz)
                            for i, q in enumerate(ctx.tables(data.get("quiet_period", []), "quiet_period"))),
        allow=ctx.strings(leaks.get("allow", []), "leaks.allow"),
        thresholds=ctx.thresholds(data.get("thresholds", {})),
        block=ctx.strings(verdict.get("block", []), "verdict.block"),
        ignore=ctx.strings(verdict.get("ignore", []), "verdict.ignore"),
        review_min_severity=ctx.severity(verdict.get("review_min_severity", "low"), "verdict.review_min_severity"),
        timezone=tz_name,
        source=source,
    )


@lru_cache(maxsize=1)
def _default_data() -> dict[str, Any]:
    text = resources.files("kawal.engine.screen").joinpath(DEFAULT_FILE).read_text(encoding="utf-8")
    return tomllib.loads(text)


def _over_defaults(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with every key it leaves out taken from the shipped default (one level into tables)."""
    merged = copy.deepcopy(_default_data())
    for key, value in data.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


@dataclass
class _Ctx:
    """Validation helpers that know the file name, so every error says where to look."""

    source: str

    def fail(self, message: str) -> PolicyError:
        return PolicyError(f"{self.source}: {message}")

    def no_unknown(self, table: Mapping[str, Any], allowed: set[str], where: str) -> None:
        unknown = sorted(set(table) - allowed)
        if unknown:
            raise self.fail(f"unknown key(s) {', '.join(unknown)} in {where}; expected: {', '.join(sorted(allowed))}")

    def table(self, value: Any, key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(f"{key} must be a table ([{key}])")
        return value

    def tables(self, value: Any, key: str) -> list[dict[str, Any]]:
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(f"{key} must be a list of tables ([[{key}]])")
        return value

    def string(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{key} must be a non-empty string, got {value!r}")
        return value

    def strings(self, value: Any, key: str) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise self.fail(f"{key} must be a list of strings, got {type(value).__name__}")
        out = tuple(self.string(v, f"{key}[{i}]") for i, v in enumerate(value))
        for i, v in enumerate(out):
            if key != "leaks.allow" and not key.startswith("verdict.") and not normalise(v):
                raise self.fail(f"{key}[{i}] {v!r} has no letters or digits to match")
        return out

    def severity(self, value: Any, key: str) -> str:
        if value not in SEVERITIES:
            raise self.fail(f"{key} must be one of {', '.join(SEVERITIES)}, got {value!r}")
        return value

    def moment(self, value: Any, key: str, tz: ZoneInfo) -> datetime:
        if isinstance(value, datetime):
            return (value if value.tzinfo else value.replace(tzinfo=tz)).astimezone(UTC)
        if isinstance(value, date):
            return datetime.combine(value, time(0, 0), tzinfo=tz).astimezone(UTC)
        raise self.fail(f"{key} must be a TOML date or date-time (2026-12-01 or 2026-12-01T09:00:00+07:00), "
                        f"got {value!r}")

    def embargo(self, table: dict[str, Any], i: int, tz: ZoneInfo) -> Embargo:
        where = f"embargo[{i}]"
        self.no_unknown(table, {"topic", "terms", "until"}, f"[[embargo]] #{i + 1}")
        for key in ("topic", "terms", "until"):
            if key not in table:
                raise self.fail(f"{where} needs {key!r}")
        terms = self.strings(table["terms"], f"{where}.terms")
        if not terms:
            raise self.fail(f"{where}.terms is empty: list the words that name the embargoed topic")
        return Embargo(self.string(table["topic"], f"{where}.topic"), terms,
                       self.moment(table["until"], f"{where}.until", tz))

    def quiet(self, table: dict[str, Any], i: int, tz: ZoneInfo) -> QuietPeriod:
        where = f"quiet_period[{i}]"
        self.no_unknown(table, {"name", "words", "from", "until"}, f"[[quiet_period]] #{i + 1}")
        if "words" not in table:
            raise self.fail(f"{where} needs 'words'")
        start = self.moment(table["from"], f"{where}.from", tz) if "from" in table else None
        until = self.moment(table["until"], f"{where}.until", tz) if "until" in table else None
        if start and until and until <= start:
            raise self.fail(f"{where}: 'until' must be after 'from'")
        return QuietPeriod(self.string(table.get("name", "quiet period"), f"{where}.name"),
                           self.strings(table["words"], f"{where}.words"), start, until)

    def thresholds(self, value: Any) -> Thresholds:
        table = self.table(value, "thresholds")
        allowed = set(Thresholds.__dataclass_fields__)
        self.no_unknown(table, allowed, "[thresholds]")
        for key, v in table.items():
            if isinstance(v, bool) or not isinstance(v, int | float) or not 0.0 <= v <= 1.0:
                raise self.fail(f"thresholds.{key} must be a number between 0 and 1, got {v!r}")
        return Thresholds(**{k: float(v) for k, v in table.items()})


# ---- checking a text --------------------------------------------------------------------------------------

def find_policy_terms(text: str, policy: Policy, now: datetime | None = None) -> list[Finding]:
    """Code names, embargoed topics (before they lift) and quiet-period words (inside the window) in ``text``."""
    now = datetime.now(UTC) if now is None else as_utc(now)
    if not (policy.codenames or policy.embargoes or policy.quiet_periods):
        return []
    text_words = words(text)
    found: list[Finding] = []
    for name in policy.codenames:
        for span in find_term(text_words, text, normalise(name)):
            found.append(Finding("policy.codename", policy.codename_severity,
                                 f"Mentions the confidential code name {name!r} (written {text[span[0]:span[1]]!r}). "
                                 "Code names must not appear in public posts.", span))
    for embargo in policy.embargoes:
        if now < embargo.until:
            found += _term_findings(text, text_words, embargo.terms, "policy.embargo", "high",
                                    f"is under embargo until {_local(embargo.until, policy)} "
                                    f"(topic: {embargo.topic})")
    for period in policy.quiet_periods:
        if period.active(now):
            until = f" until {_local(period.until, policy)}" if period.until else ""
            found += _term_findings(text, text_words, period.words, "policy.quiet_period", "medium",
                                    f"is a word to avoid during the {period.name}{until}")
    return sorted(found, key=lambda f: f.span or (0, 0))


def _term_findings(text: str, text_words: list[Word], terms: tuple[str, ...], kind: str, severity: str,
                   why: str) -> list[Finding]:
    return [Finding(kind, severity, f"{text[span[0]:span[1]]!r} {why}.", span)
            for term in terms for span in find_term(text_words, text, normalise(term))]


def _local(moment: datetime, policy: Policy) -> str:
    """``moment`` as the team wrote it: in the policy's time zone."""
    return f"{moment.astimezone(ZoneInfo(policy.timezone)):%Y-%m-%d %H:%M} ({policy.timezone})"
