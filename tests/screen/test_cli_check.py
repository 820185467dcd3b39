"""``kawal check``: the report, JSON output, JSONL batches with bad records, exit codes."""

import json
from pathlib import Path

from typer.testing import CliRunner

from kawal.cli.main import build_app

runner = CliRunner()


def run(*args: str, stdin: bytes | str | None = None):  # noqa: ANN201 - typer's Result
    return runner.invoke(build_app(), ["check", *args], input=stdin)


def lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_a_single_text_prints_a_readable_report_without_echoing_the_leak() -> None:
    result = run("Bupati X itu koruptor! WA 0812-3456-7890")
    assert result.exit_code == 0
    assert "Verdict: REVIEW" in result.output
    assert "legal.defamation" in result.output and "leak.phone" in result.output
    assert "0812-3456-7890" not in result.output


def test_json_output_for_a_single_text() -> None:
    result = run("password: Hunter2024!", "--json")
    [record] = lines(result.output)
    assert result.exit_code == 0 and record["verdict"] == "block"
    assert record["findings"][0]["kind"] == "leak.credential.secret"


def test_an_empty_text_is_an_error_with_exit_code_1() -> None:
    result = run("   ")
    assert result.exit_code == 1 and "empty" in result.output


def test_text_and_jsonl_together_is_a_usage_error() -> None:
    assert run("halo", "--jsonl", "-").exit_code == 2
    assert run().exit_code == 2


def test_a_bad_policy_file_is_a_usage_error(tmp_path: Path) -> None:
    policy = tmp_path / "p.toml"
    policy.write_text("[thresholds]\nhostile = 7\n")
    result = run("halo", "--policy", str(policy))
    assert result.exit_code == 2 and "thresholds.hostile" in result.output


def test_a_policy_file_is_applied(tmp_path: Path) -> None:
    policy = tmp_path / "p.toml"
    policy.write_text('[codenames]\nterms = ["Garuda X"]\n')
    result = run("Peluncuran G a r u d a - X besok", "--policy", str(policy), "--json")
    assert lines(result.output)[0]["verdict"] == "block"


def test_jsonl_writes_one_object_per_record_and_survives_bad_records(tmp_path: Path) -> None:
    good = {"id": "1", "text": "Terima kasih kak, sudah kami proses", "lang": "id"}
    reply = {"id": "2", "text": "Do your research", "reply_to_text": "Your fees are a scam"}
    data = b"\n".join([
        json.dumps(good).encode(),
        b"",                                           # blank line
        b"{not json",                                  # invalid JSON
        b"[1, 2]",                                     # not an object
        json.dumps({"id": "5"}).encode(),              # no text
        json.dumps({"id": "6", "text": ""}).encode(),  # empty
        json.dumps({"id": "7", "text": "x" * 20_001}).encode(),
        json.dumps({"id": "8", "text": "a\u0000\u0001b"}).encode(),
        b'{"id": "9", "text": "caf\xe9"}',             # invalid UTF-8 (latin-1 byte)
        json.dumps({"id": "10", "text": "halo", "lang": "jv"}).encode(),
        json.dumps(reply).encode(),
    ]) + b"\n"
    path = tmp_path / "in.jsonl"
    path.write_bytes(data)
    result = run("--jsonl", str(path))
    out = lines(result.output)
    assert result.exit_code == 1
    assert len(out) == 11
    assert out[0]["id"] == "1" and out[0]["verdict"] == "ok"
    codes = [o["error"]["code"] for o in out[1:10]]
    assert codes == ["blank_line", "invalid_json", "not_an_object", "missing_text", "empty_text", "too_long",
                     "binary", "invalid_utf8", "bad_lang"]
    assert [o["line"] for o in out[1:10]] == list(range(2, 11))
    assert out[10]["id"] == "2" and out[10]["verdict"] == "review"


def test_jsonl_from_stdin_with_fail_on() -> None:
    records = "\n".join(json.dumps({"id": str(i), "text": t}) for i, t in
                        enumerate(["Selamat pagi!", "NIK 3174055203850002"]))
    result = run("--jsonl", "-", "--fail-on", "block", stdin=records)
    assert result.exit_code == 3
    assert [o["verdict"] for o in lines(result.output)] == ["ok", "block"]


def test_a_missing_jsonl_file_is_a_usage_error(tmp_path: Path) -> None:
    result = run("--jsonl", str(tmp_path / "nope.jsonl"))
    assert result.exit_code == 2 and "cannot open" in result.output


def test_a_single_text_can_come_from_stdin() -> None:
    result = run("-", "--json", stdin="Halo kak, NIK 3174055203850002")
    assert result.exit_code == 0 and lines(result.output)[0]["verdict"] == "block"


def test_invalid_utf8_on_stdin_is_a_clear_error() -> None:
    result = run("-", "--json", stdin=b"caf\xe9 enak")
    assert result.exit_code == 1
    assert lines(result.output)[0]["error"]["code"] == "invalid_utf8"


def test_now_decides_whether_an_embargo_applies(tmp_path: Path) -> None:
    policy = tmp_path / "p.toml"
    policy.write_text('[[embargo]]\ntopic = "merger"\nterms = ["merger"]\nuntil = 2027-01-01\n')
    before = run("Mergernya jalan", "--policy", str(policy), "--now", "2026-12-31T10:00:00+07:00", "--json")
    after = run("Mergernya jalan", "--policy", str(policy), "--now", "2027-01-02", "--json")
    assert lines(before.output)[0]["verdict"] == "block"
    assert lines(after.output)[0]["verdict"] == "ok"
    assert run("x", "--now", "tomorrow").exit_code == 2


def test_an_overlong_jsonl_line_is_reported_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_bytes(b'{"id": "big", "text": "' + b"a" * (2 << 20) + b'"}\n{"id": "next", "text": "Halo"}\n')
    out = lines(run("--jsonl", str(path)).output)
    assert out[0]["error"]["code"] == "too_long" and out[0]["line"] == 1
    assert out[1]["id"] == "next" and out[1]["verdict"] == "ok"


def test_the_report_prints_brackets_in_the_text_literally() -> None:
    result = run("Promo [/red] [bold]Bupati X itu koruptor[/bold]")
    assert result.exit_code == 0
    assert "[/red]" in result.output and "legal.defamation" in result.output


def test_the_policy_file_can_come_from_the_environment(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from kawal.engine.screen import default_policy

    policy = tmp_path / "team.toml"
    policy.write_text('[codenames]\nterms = ["Merpati"]\n')
    monkeypatch.setenv("KAWAL_SCREEN_POLICY", str(policy))
    default_policy.cache_clear()
    try:
        assert lines(run("Merpatinya siap", "--json").output)[0]["verdict"] == "block"
        monkeypatch.setenv("KAWAL_SCREEN_POLICY", str(tmp_path / "missing.toml"))
        default_policy.cache_clear()
        result = run("halo")
        assert result.exit_code == 2 and "cannot read policy file" in result.output
    finally:
        default_policy.cache_clear()


def test_a_byte_order_mark_and_crlf_line_ends_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "windows.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"id": "1", "text": "Selamat pagi"}\r\n{"id": "2", "text": "Halo"}\r\n')
    result = run("--jsonl", str(path))
    assert result.exit_code == 0 and [o["id"] for o in lines(result.output)] == ["1", "2"]
