"""The seam to the screening engine (``kawal.engine.screen.screen``).

Returns a plain JSON-able outcome the app stores beside each version and shows in the composer. While
the engine is not installed the outcome says so (``available: False``) with verdict ``ok``, and the UI
shows that screening did not run; if the engine is installed but fails, the outcome is ``review`` so a
crash never waves a post through.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

VERDICT_RANK = {"ok": 0, "review": 1, "block": 2}


@dataclass(frozen=True, slots=True)
class Screening:
    verdict: str
    findings: list[dict[str, Any]] = field(default_factory=list)
    available: bool = True
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "findings": self.findings, "available": self.available,
                "error": self.error}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Screening:
        data = data or {}
        return cls(verdict=data.get("verdict", "ok"), findings=list(data.get("findings", [])),
                   available=bool(data.get("available", False)), error=data.get("error"))


def worse(a: str, b: str) -> str:
    """The stricter of two verdicts."""
    return a if VERDICT_RANK.get(a, 1) >= VERDICT_RANK.get(b, 1) else b


def _engine() -> Any | None:
    try:
        from kawal.engine.screen import screen
    except ImportError:
        return None
    return screen


def run(text: str, *, lang: str | None = None, reply_to_text: str | None = None) -> Screening:
    """Screen ``text``; never raises for a working or absent engine."""
    screen = _engine()
    if screen is None:
        return Screening(verdict="ok", available=False,
                         error="the screening engine is not installed; this text was not screened")
    try:
        result = screen(text, lang=lang, reply_to_text=reply_to_text)
    except Exception as exc:  # fail closed: a broken screen asks for a human review
        log.exception("screening failed")
        return Screening(verdict="review", error=f"screening failed ({type(exc).__name__}: {exc}); "
                                                  f"a reviewer must look at this text")
    return _from_result(result)


def _from_result(result: Any) -> Screening:
    data = result.to_json() if hasattr(result, "to_json") else {}
    verdict = str(getattr(result, "verdict", data.get("verdict", "review")))
    if verdict not in VERDICT_RANK:
        return Screening(verdict="review", error=f"screening returned an unknown verdict {verdict!r}")
    findings = data.get("findings")
    if findings is None:
        findings = [f.to_json() if hasattr(f, "to_json") else dict(f) for f in getattr(result, "findings", [])]
    return Screening(verdict=verdict, findings=list(findings))


_warmed = threading.Event()


def warm_up() -> None:
    """Load the screening models in the background (once per process) when someone opens the composer,
    so the first live check while typing does not wait for them (several seconds on a small machine)."""
    if _warmed.is_set():
        return
    _warmed.set()
    threading.Thread(target=run, args=("Selamat pagi",), name="kawal-screen-warm-up", daemon=True).start()
