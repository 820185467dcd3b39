"""The policy file: parsing with clear errors, the shipped default, code names, embargoes, quiet periods."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from kawal.engine.screen.policy import Policy, PolicyError, find_policy_terms, parse_policy

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "screening-policy.example.toml"

POLICY = parse_policy("""
timezone = "Asia/Jakarta"
[codenames]
terms = ["Garuda X", "Merpati"]
[[embargo]]
topic = "merger"
terms = ["merger", "akuisisi Bank Nusa"]
until = 2026-12-01
[[quiet_period]]
name = "pre-earnings quiet period"
from = 2026-11-20
until = 2026-12-05T17:00:00+07:00
words = ["dividen", "laba"]
""")
NOV_24 = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)


def found(text: str, now: datetime = NOV_24) -> list[tuple[str, str]]:
    return [(f.kind, text[f.span[0]:f.span[1]]) for f in find_policy_terms(text, POLICY, now)]


def test_the_shipped_default_policy_loads_and_blocks_secrets_but_not_legal_findings() -> None:
    policy = Policy.default()
    assert policy.blocks("leak.credential.aws") and policy.blocks("leak.nik")
    assert not policy.blocks("legal.defamation") and not policy.blocks("leak.phone")
    assert policy.timezone == "Asia/Jakarta" and policy.codenames == ()


def test_the_documented_example_policy_loads() -> None:
    policy = Policy.load(EXAMPLE)
    assert policy.codenames and policy.embargoes and policy.quiet_periods


def test_code_names_are_found_in_their_written_forms() -> None:
    assert found("Proyek garuda-x dan MERPATI2 siap") == [("policy.codename", "garuda-x"),
                                                           ("policy.codename", "MERPATI2")]


def test_an_embargo_applies_until_it_lifts_in_the_policy_time_zone() -> None:
    text = "Mergernya diumumkan besok"
    assert found(text) == [("policy.embargo", "Mergernya")]
    # 2026-12-01 00:00 in Jakarta is 2026-11-30 17:00 UTC
    assert found(text, datetime(2026, 11, 30, 16, 59, tzinfo=UTC)) == [("policy.embargo", "Mergernya")]
    assert found(text, datetime(2026, 11, 30, 17, 0, tzinfo=UTC)) == []


def test_quiet_period_words_count_only_inside_the_window() -> None:
    text = "Dividennya naik tahun ini"
    assert found(text) == [("policy.quiet_period", "Dividennya")]
    assert found(text, datetime(2026, 11, 19, tzinfo=UTC)) == []
    assert found(text, datetime(2026, 12, 5, 10, 0, tzinfo=UTC)) == []


def test_a_naive_now_is_taken_as_utc() -> None:
    assert found("merger", datetime(2026, 11, 24)) == [("policy.embargo", "merger")]


@pytest.mark.parametrize("toml, needle", [
    ("[codenames]\nterms = \"Garuda\"", "codenames.terms must be a list of strings"),
    ("[codenames]\nterms = [\"--\"]", "has no letters or digits"),
    ("colour = 1", "unknown key(s) colour"),
    ("[thresholds]\nhostle = 0.5", "unknown key(s) hostle in [thresholds]"),
    ("[thresholds]\nhostile = 1.5", "thresholds.hostile must be a number between 0 and 1"),
    ("[[embargo]]\ntopic = \"x\"\nterms = [\"x\"]\nuntil = \"next week\"", "embargo[0].until must be a TOML date"),
    ("[[embargo]]\ntopic = \"x\"\nterms = [\"x\"]", "embargo[0] needs 'until'"),
    ("[[quiet_period]]\nwords = [\"a\"]\nfrom = 2026-12-02\nuntil = 2026-12-01", "'until' must be after 'from'"),
    ("timezone = \"Jakarta\"", "not a known IANA time zone"),
    ("[verdict]\nblock = [\"legal.defamation\"]", "never block"),
    ("[verdict]\nreview_min_severity = \"urgent\"", "review_min_severity must be one of"),
    ("[codenames\n", "not valid TOML"),
])
def test_a_bad_policy_gets_an_error_that_names_the_problem(toml: str, needle: str) -> None:
    with pytest.raises(PolicyError, match=None) as info:
        parse_policy(toml, source="team.toml")
    assert needle in str(info.value) and str(info.value).startswith("team.toml: ")


def test_an_unreadable_policy_file_is_a_policy_error(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="cannot read policy file"):
        Policy.load(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"\xff\xfe")
    with pytest.raises(PolicyError, match="cannot read policy file"):
        Policy.load(bad)
