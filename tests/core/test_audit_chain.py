"""The audit chain: appends link up, tampering with raw SQL is detected and named, secrets are redacted."""

from __future__ import annotations

import os
import threading

import pytest
from django.db import connection, connections
from typer.testing import CliRunner

from kawal.apps.audit.log import record, verify
from kawal.apps.audit.models import AuditEntry
from kawal.cli.main import build_app


@pytest.fixture
def chain(db):
    return [record(f"event.{i}", payload={"i": i, "text": "héllo"}) for i in range(1, 6)]


def _sql(statement: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_intact_chain_verifies(chain):
    assert verify() == (5, [])
    assert [e.seq for e in chain] == [1, 2, 3, 4, 5]
    assert chain[1].prev_hash == chain[0].hash


def test_edited_entry_is_named(chain):
    _sql("UPDATE audit_auditentry SET payload = %s WHERE seq = 3", '{"i": 99, "text": "h\\u00e9llo"}')
    count, problems = verify()
    assert [(p.seq, p.kind) for p in problems] == [(3, "edited")]
    assert "entry #3 (event.3) was edited" in problems[0].message


def test_deleted_entry_is_named(chain):
    _sql("DELETE FROM audit_auditentry WHERE seq = 2")
    _, problems = verify()
    assert [(p.seq, p.kind) for p in problems] == [(2, "deleted")]


def test_deleted_tail_is_detected(chain):
    _sql("DELETE FROM audit_auditentry WHERE seq >= 4")
    _, problems = verify()
    assert [(p.seq, p.kind) for p in problems] == [(4, "deleted")]
    assert "#4..#5" in problems[0].message


def test_inserted_entry_with_a_recomputed_hash_is_detected(chain):
    # A forger who rewrites entry 3 and recomputes its hash still breaks the link to entry 4.
    entry = AuditEntry.objects.get(seq=3)
    entry.payload = {"i": 3, "text": "forged"}
    from kawal.apps.audit.log import compute_hash

    _sql("UPDATE audit_auditentry SET payload = %s, hash = %s WHERE seq = 3",
         '{"i": 3, "text": "forged"}', compute_hash(entry.prev_hash, entry))
    _, problems = verify()
    assert [(p.seq, p.kind) for p in problems] == [(4, "inserted")]


def test_appended_outside_kawal_is_detected(chain):
    last = chain[-1]
    forged = AuditEntry(seq=6, action="forged", created_at=last.created_at, prev_hash=last.hash, payload={})
    from kawal.apps.audit.log import compute_hash

    forged.hash = compute_hash(last.hash, forged)
    AuditEntry.objects.bulk_create([forged])
    _, problems = verify()
    assert [(p.seq, p.kind) for p in problems] == [(6, "inserted")]


def test_secrets_are_redacted_not_dropped(db):
    entry = record("account.updated", payload={"access_token": "abc", "nested": {"password": "p"}, "n": 1})
    assert entry.payload == {"access_token": "[redacted]", "nested": {"password": "[redacted]"}, "n": 1}
    assert verify()[1] == []


def test_cli_verify_exit_codes(chain):
    runner = CliRunner()
    ok = runner.invoke(build_app(), ["audit-log", "verify"])
    assert ok.exit_code == 0 and "intact: 5 entries" in ok.output
    _sql("DELETE FROM audit_auditentry WHERE seq = 3")
    broken = runner.invoke(build_app(), ["audit-log", "verify"])
    assert broken.exit_code == 1
    assert "entry #3 was deleted" in broken.output


@pytest.mark.django_db(transaction=True)
def test_concurrent_threads_never_fork_the_chain():
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory test database cannot lock across threads; "
                    "test_concurrent_processes_never_fork_the_chain covers SQLite files")
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(10):
                record("concurrent", payload={"writer": n, "i": i})
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    count, problems = verify()
    assert (count, problems) == (40, [])
    assert sorted(AuditEntry.objects.values_list("seq", flat=True)) == list(range(1, 41))


WRITER = """
import sys
from kawal.cli.server import setup_django
setup_django()
from kawal.apps.audit.log import record
for i in range(15):
    record("concurrent", payload={"writer": sys.argv[1], "i": i})
"""


@pytest.mark.skipif(bool(os.environ.get("KAWAL_TEST_DATABASE_URL")),
                    reason="SQLite only; on PostgreSQL test_concurrent_threads_never_fork_the_chain covers it")
def test_concurrent_processes_never_fork_the_chain(migrated_data_dir):
    """Four processes append at once to a SQLite file, as `kawal up` and `kawal worker` do."""
    import subprocess
    import sys

    _, env = migrated_data_dir
    kawal = [sys.executable, "-m", "kawal.cli.main"]
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(n)], env=env) for n in range(4)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0, 0]
    result = subprocess.run([*kawal, "audit-log", "verify"], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert "intact: 60 entries" in result.stdout


def test_periodic_check_records_a_broken_chain(chain, caplog):
    from kawal.apps.audit.jobs import verify_chain

    assert verify_chain() is True
    _sql("DELETE FROM audit_auditentry WHERE seq = 4")
    assert verify_chain() is False
    event = AuditEntry.objects.get(action="audit.chain_broken")
    assert event.payload["problems"] == ["entry #4 was deleted (the chain jumps from #3 to #5)"]
    assert "audit chain broken" in caplog.text
