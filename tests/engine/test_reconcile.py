from datetime import UTC, datetime, timedelta

from kawal.engine.reconcile import (
    PUBLISHED_BY_KAWAL,
    SANCTIONED_CLIENT,
    UNSANCTIONED,
    LedgerEntry,
    reconcile,
)
from kawal.engine.records import Post

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


def post(pid: str, text: str = "Halo", client: str | None = None, minutes: int = 0) -> Post:
    return Post(account="brand", id=pid, created_at=T0 + timedelta(minutes=minutes), text=text, client=client)


def test_it_matches_ledger_by_platform_id():
    [r] = reconcile([post("1", client="Twitter Web App")], [LedgerEntry("Halo", T0, "1", ref="job-1")], [])
    assert r.status == PUBLISHED_BY_KAWAL
    assert r.ledger_ref == "job-1"


def test_it_accepts_a_sanctioned_client_whatever_its_case_and_spacing():
    [r] = reconcile([post("2", client="  sprinklr ")], [], ["Sprinklr"])
    assert r.status == SANCTIONED_CLIENT


def test_it_flags_an_unknown_client_and_names_it():
    [r] = reconcile([post("3", client="Twitter Web App")], [], ["Sprinklr"])
    assert r.status == UNSANCTIONED
    assert "'Twitter Web App' is not a sanctioned client" in r.reason


def test_it_flags_a_post_without_client_that_kawal_did_not_publish():
    [r] = reconcile([post("4")], [], ["Sprinklr"])
    assert r.unsanctioned
    assert "does not say which client" in r.reason


def test_a_crashed_publish_without_platform_id_matches_by_text_once():
    ledger = [LedgerEntry("Selamat pagi  Indonesia", T0, None, ref="job-9")]
    first, second = reconcile([post("5", "Selamat pagi Indonesia", minutes=1),
                               post("6", "Selamat pagi Indonesia", minutes=2)], ledger, [])
    assert first.status == PUBLISHED_BY_KAWAL and first.ledger_ref == "job-9"
    assert second.status == UNSANCTIONED  # one ledger entry accounts for one post only


def test_a_text_match_long_after_the_claim_is_not_kawal():
    [r] = reconcile([post("7", "Halo", minutes=60 * 24)], [LedgerEntry("Halo", T0)], [])
    assert r.status == UNSANCTIONED


def test_it_accepts_a_generator_ledger():
    entries = (e for e in [LedgerEntry("a", T0, "1"), LedgerEntry("b", T0, None)])
    results = reconcile([post("1", "a"), post("2", "b")], entries, [])
    assert [r.status for r in results] == [PUBLISHED_BY_KAWAL, PUBLISHED_BY_KAWAL]
