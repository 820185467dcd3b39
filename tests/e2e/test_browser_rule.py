"""Without Debian's chromium the browser tests skip with a reason, except under CI, where they fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import browser as conftest


def test_missing_chromium_skips_with_a_reason(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(conftest, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="chromium is not installed"):
        conftest.require_chromium()


def test_missing_chromium_fails_under_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(conftest, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        conftest.require_chromium()


def test_present_chromium_is_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    browser = tmp_path / "chromium"
    browser.write_text("")
    monkeypatch.setattr(conftest, "CHROMIUM", browser)
    monkeypatch.setenv("CI", "1")
    conftest.require_chromium()  # neither skips nor fails
