"""``kawal check``: screen a post before it goes out.

    kawal check "text"                 readable report (rich)
    kawal check "text" --json          the JSON record instead
    kawal check --jsonl FILE|-         one JSON object per input record {id, text, lang?, reply_to_text?}

Exit codes: 0 every record was screened; 1 at least one record could not be screened (its output line is
an error object, the others were still screened); 2 usage or policy-file error, nothing screened;
3 with ``--fail-on``, at least one verdict at or above the given level.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from kawal.engine.screen import ScreenResult, default_policy, screen, screen_batch
from kawal.engine.screen.inputs import (
    MAX_CHARS,
    ScreenInputError,
    check_lang,
    check_reply_to_text,
    check_text,
)
from kawal.engine.screen.policy import Policy, PolicyError

MAX_LINE_BYTES = 1 << 20
"""Longest JSONL line read (bytes); longer lines get a ``too_long`` error and are skipped to their end."""
BATCH = 64
VERDICT_ORDER = ("ok", "review", "block")
VERDICT_STYLE = {"ok": "bold green", "review": "bold yellow", "block": "bold red"}
SEVERITY_STYLE = {"info": "dim", "low": "cyan", "medium": "yellow", "high": "red", "critical": "bold red"}

EXIT_OK, EXIT_RECORD_ERRORS, EXIT_USAGE, EXIT_FAIL_ON = 0, 1, 2, 3


def register(app: typer.Typer) -> None:
    """Add ``kawal check`` to the `kawal` app."""
    app.command("check", help="Screen a post for hostile tone, leaks, policy terms and legal risk.")(check)


def check(
    text: Annotated[str | None, typer.Argument(help='The post to screen; "-" reads it from stdin.')] = None,
    jsonl: Annotated[str | None, typer.Option("--jsonl", help="JSONL file of {id, text, lang?, reply_to_text?}, "
                                              "or - for stdin; writes one JSON object per record.")] = None,
    policy_file: Annotated[Path | None, typer.Option("--policy", help="Screening policy (TOML); default: the file "
                                                     "in $KAWAL_SCREEN_POLICY, else the built-in one.")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="id, en or other (detected when absent).")] = None,
    reply_to: Annotated[str | None, typer.Option("--reply-to", help="The text this post answers.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON record instead of the report.")] = False,
    now: Annotated[str | None, typer.Option("--now", help="Judge embargoes and quiet periods at this ISO "
                                            "date-time (default: now).")] = None,
    fail_on: Annotated[str | None, typer.Option("--fail-on", help="Exit 3 when a verdict is at least this: "
                                                "review or block.")] = None,
) -> None:
    err = Console(stderr=True)
    try:
        policy = Policy.load(policy_file) if policy_file else default_policy()
        moment = _parse_now(now)
        if fail_on is not None and fail_on not in ("review", "block"):
            raise typer.BadParameter(f"--fail-on must be review or block, got {fail_on!r}")
        if (text is None) == (jsonl is None):
            raise typer.BadParameter('give either a TEXT to screen or --jsonl FILE (use "-" for stdin), not both')
    except (PolicyError, typer.BadParameter) as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
        raise typer.Exit(EXIT_USAGE) from None
    if jsonl is not None:
        code, verdicts = _check_jsonl(jsonl, policy, moment, err)
    else:
        code, verdicts = _check_one(text or "", lang, reply_to, policy, moment, as_json, err)
    if code == EXIT_OK and fail_on and any(VERDICT_ORDER.index(v) >= VERDICT_ORDER.index(fail_on) for v in verdicts):
        code = EXIT_FAIL_ON
    raise typer.Exit(code)


def _parse_now(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"--now must be an ISO date or date-time, got {value!r}") from None


# ---- one text -------------------------------------------------------------------------------------------

def _check_one(text: str, lang: str | None, reply_to: str | None, policy: Policy, now: datetime | None,
               as_json: bool, err: Console) -> tuple[int, list[str]]:
    if text == "-":
        raw = sys.stdin.buffer.read(MAX_CHARS * 4 + 1)
        text = raw.decode("utf-8", errors="surrogateescape")
    try:
        result = screen(text, lang=lang, reply_to_text=reply_to, policy=policy, now=now)
    except ScreenInputError as exc:
        if as_json:
            _write(sys.stdout, {"id": None, "error": exc.to_json()})
        else:
            err.print(f"[red]cannot screen this text ({exc.code}):[/red] {escape(exc.message)}", highlight=False)
        return EXIT_RECORD_ERRORS, []
    if as_json:
        _write(sys.stdout, result.to_json())
    else:
        print_report(result, Console())
    return EXIT_OK, [result.verdict]


def print_report(result: ScreenResult, console: Console) -> None:
    """The readable report: verdict, reasons, findings, tone scores."""
    style = VERDICT_STYLE[result.verdict]
    console.print(f"Verdict: [{style}]{result.verdict.upper()}[/{style}]   language: {result.lang}",
                  highlight=False)
    console.print(Text("Text: ").append(marked_text(result)))
    for reason in result.reasons if not result.findings else ():
        console.print(reason, highlight=False, markup=False)
    for f in result.findings:
        console.print(f"- [{SEVERITY_STYLE[f.severity]}]{f.severity}[/] {f.kind} {escape(_where(result.text, f))}",
                      highlight=False)
        console.print(f"  {f.message}", highlight=False, markup=False)
    labels = result.labels
    flags = ", ".join(k for k in ("hostile", "abusive", "offensive") if labels.get(k)) or "none"
    scores = "  ".join(f"{k} {v:.2f}" for k, v in result.scores.items())
    console.print(f"Tone: sentiment {labels.get('sentiment', '?')}; flagged: {flags}\n[dim]{scores}[/dim]",
                  highlight=False)


def marked_text(result: ScreenResult) -> Text:
    """The screened text with each finding's span highlighted; leaked values are shown masked."""
    text, out, cursor = result.text, Text(), 0
    spans = sorted((f.span, f) for f in result.findings if f.span)
    for (start, end), finding in spans:
        if start < cursor:  # overlaps the previous highlight: already shown
            continue
        out.append(text[cursor:start])
        piece = "•" * (end - start) if finding.kind.startswith("leak.") else text[start:end]
        out.append(piece, style=f"reverse {SEVERITY_STYLE[finding.severity]}")
        cursor = end
    out.append(text[cursor:])
    return out


def _where(text: str, finding: Any) -> str:
    """Span and, except for leaks (never echoed), the words it covers."""
    if not finding.span:
        return "whole text"
    start, end = finding.span
    if finding.kind.startswith("leak."):
        return f"{start}-{end}"
    excerpt = text[start:end] if end - start <= 40 else text[start:start + 37] + "..."
    return f"{start}-{end} {excerpt!r}"


# ---- JSONL ----------------------------------------------------------------------------------------------

def _check_jsonl(source: str, policy: Policy, now: datetime | None, err: Console) -> tuple[int, list[str]]:
    try:
        stream: IO[bytes] = sys.stdin.buffer if source == "-" else open(source, "rb")  # noqa: SIM115
    except OSError as exc:
        err.print(f"[red]error:[/red] cannot open {escape(source)}: {exc.strerror}", highlight=False)
        return EXIT_USAGE, []
    errors, verdicts = 0, []
    with stream:
        pending: list[dict[str, Any]] = []
        for entry in _entries(stream):
            pending.append(entry)
            if len(pending) >= BATCH:
                errors += _flush(pending, policy, now, verdicts)
        errors += _flush(pending, policy, now, verdicts)
    return (EXIT_RECORD_ERRORS if errors else EXIT_OK), verdicts


def _entries(stream: IO[bytes]) -> Iterator[dict[str, Any]]:
    """One entry per input line: a valid request or the error that line gets."""
    line_no = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        line_no += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while (rest := stream.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                pass
            yield _error(line_no, None, "too_long", f"line {line_no} is longer than {MAX_LINE_BYTES:,} bytes")
            continue
        yield _parse_line(raw, line_no)


def _parse_line(raw: bytes, line_no: int) -> dict[str, Any]:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _error(line_no, None, "invalid_utf8", f"line {line_no} is not valid UTF-8 (byte {exc.start})")
    if line_no == 1:
        line = line.removeprefix("\ufeff")  # a byte-order mark from Windows editors is not part of the record
    if not line.strip():
        return _error(line_no, None, "blank_line", f"line {line_no} is blank; expected a JSON object")
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return _error(line_no, None, "invalid_json", f"line {line_no} is not valid JSON: {exc.msg} "
                                                     f"(column {exc.colno})")
    if not isinstance(record, dict):
        return _error(line_no, None, "not_an_object", f"line {line_no} is JSON but not an object with a 'text'")
    rid = record.get("id")
    if "text" not in record:
        return _error(line_no, rid, "missing_text", f"line {line_no} has no 'text' field")
    try:
        return {"line": line_no, "id": rid, "text": check_text(record["text"]), "lang": check_lang(record.get("lang")),
                "reply_to_text": check_reply_to_text(record.get("reply_to_text"))}
    except ScreenInputError as exc:
        return _error(line_no, rid, exc.code, f"line {line_no}: {exc.message}")


def _error(line_no: int, rid: Any, code: str, message: str) -> dict[str, Any]:
    return {"line": line_no, "id": rid, "error": {"code": code, "message": message}}


def _flush(pending: list[dict[str, Any]], policy: Policy, now: datetime | None, verdicts: list[str]) -> int:
    """Screen the valid entries of ``pending`` in one batch, write every entry in input order, clear it."""
    valid = [e for e in pending if "error" not in e]
    results = iter(_screen_valid(valid, policy, now))
    errors = 0
    for entry in pending:
        out = entry if "error" in entry else next(results)
        if "error" in out:
            errors += 1
        else:
            verdicts.append(out["verdict"])
        _write(sys.stdout, out)
    pending.clear()
    return errors


def _screen_valid(valid: list[dict[str, Any]], policy: Policy, now: datetime | None) -> list[dict[str, Any]]:
    """Results for valid entries; if the batch fails, each is retried alone so one record cannot sink it."""
    if not valid:
        return []
    try:
        results = screen_batch([e["text"] for e in valid], langs=[e["lang"] for e in valid],
                               reply_to_texts=[e["reply_to_text"] for e in valid], ids=[e["id"] for e in valid],
                               policy=policy, now=now)
        return [r.to_json() for r in results]
    except Exception:  # noqa: BLE001 - isolate the record that fails below
        return [_screen_alone(e, policy, now) for e in valid]


def _screen_alone(entry: dict[str, Any], policy: Policy, now: datetime | None) -> dict[str, Any]:
    try:
        return screen(entry["text"], lang=entry["lang"], reply_to_text=entry["reply_to_text"], policy=policy,
                      now=now, id=entry["id"]).to_json()
    except Exception as exc:  # noqa: BLE001 - report, keep the batch going
        return _error(entry["line"], entry["id"], "internal_error",
                      f"line {entry['line']}: screening failed: {type(exc).__name__}: {exc}")


def _write(stream: IO[str], obj: dict[str, Any]) -> None:
    stream.write(json.dumps(obj, ensure_ascii=False) + "\n")
    stream.flush()
