"""The one rule for browser tests: Debian's chromium, launched with the flags this closed network needs.

Without ``/usr/bin/chromium`` the browser tests skip and say why, except when ``CI`` is set: there a missing
browser is a failure, so CI can never pass by skipping them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags chromium keeps trying hosts this machine cannot reach.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; CI is set, so the browser tests must run", pytrace=False)
    pytest.skip(message)


def launch(playwright: object) -> object:
    """A headless chromium browser (after :func:`require_chromium`)."""
    require_chromium()
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)  # type: ignore[attr-defined]
