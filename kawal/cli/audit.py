"""``kawal audit PATH``: judge every post of an account archive against the posts before it.

PATH is an X archive (zip or folder), a Mastodon archive (zip or folder with outbox.json) or a canonical
JSONL timeline. Flagged posts are printed with their reasons; ``--json`` prints one JSON object per post
instead; ``--html FILE`` writes a self-contained report with charts.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress

from kawal.engine.profile import Profile, fast_profile
from kawal.engine.profile.audit import AccountAudit, audit
from kawal.engine.records import Post
from kawal.sources.archives import ArchiveError, ImportReport, load_archive

PROGRESS_FROM = 2000   # show a progress bar on long work only


def register(app: typer.Typer) -> None:
    """Add ``kawal audit`` to the `kawal` app."""
    app.command("audit")(audit_command)


def audit_command(
    path: Annotated[Path, typer.Argument(help="X archive (zip/folder), Mastodon archive, or .jsonl timeline.")],
    json_out: Annotated[bool, typer.Option("--json", help="Print one JSON object per post (JSON Lines).")] = False,
    html: Annotated[Path | None, typer.Option("--html", help="Write a self-contained HTML report to FILE.")] = None,
    baseline: Annotated[Path | None, typer.Option("--baseline",
                                                  help="Learn from this archive first; score PATH.")] = None,
    sanctioned_client: Annotated[list[str] | None, typer.Option(
        "--sanctioned-client", help="A client allowed to post (repeatable).")] = None,
    timezone: Annotated[str, typer.Option("--timezone", help="The account's time zone for hour habits.")] = "UTC",
    fast: Annotated[bool, typer.Option("--fast", help="Skip the tone model (much faster).")] = False,
    hold_flagged: Annotated[bool, typer.Option(
        "--hold-flagged", help="Do not learn flagged posts: later ones stay judged against the history.")] = False,
    show_skipped: Annotated[int, typer.Option("--show-skipped", help="How many skipped records to list.")] = 20,
) -> None:
    """Score every post against the account's history before it; print the out-of-character ones."""
    err = Console(stderr=True, soft_wrap=True)
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        err.print(f"[red]error:[/] unknown time zone {timezone!r} (use an IANA name such as Asia/Jakarta)")
        raise typer.Exit(2) from None
    posts, report = _load(path, err, show_skipped)
    base_posts = _load(baseline, err, show_skipped)[0] if baseline else []
    if not posts:
        err.print("[red]error:[/] no posts to audit")
        raise typer.Exit(1)

    def factory(account: str) -> Profile:
        options = {"timezone": timezone, "sanctioned_clients": sanctioned_client or ()}
        return fast_profile(account, **options) if fast else Profile(account, **options)

    results = _run(posts, base_posts, factory, err, hold_flagged)
    if json_out:
        _print_json(results)
    else:
        _print_flagged(results, Console(soft_wrap=True))
    if html is not None:
        from kawal.reports.audit_html import render
        html.write_text(render(results, source=report.summary()), encoding="utf-8")
        err.print(f"report written to {html}")


def _load(path: Path, err: Console, show_skipped: int) -> tuple[list[Post], ImportReport]:
    try:
        posts, report = load_archive(path)
    except ArchiveError as error:
        err.print(f"[red]error:[/] {escape(str(error))}")
        raise typer.Exit(2) from None
    err.print(report.summary(), markup=False, highlight=False)
    for skipped in report.skipped[:show_skipped]:
        err.print(f"  skipped {skipped}", markup=False, highlight=False)
    if len(report.skipped) > show_skipped:
        err.print(f"  ... and {len(report.skipped) - show_skipped} more skipped records (--show-skipped N)")
    return posts, report


def _run(posts: list[Post], base_posts: list[Post], factory: Callable[[str], Profile], err: Console,
         hold_flagged: bool) -> list[AccountAudit]:
    if len(posts) < PROGRESS_FROM or not err.is_terminal:
        return audit(posts, factory, baseline=base_posts, hold_flagged=hold_flagged)
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("scoring posts", total=len(posts))
        return audit(posts, factory, baseline=base_posts, hold_flagged=hold_flagged,
                     progress=lambda n: progress.advance(task, n))


def _print_json(results: list[AccountAudit]) -> None:
    out = sys.stdout
    for result in results:
        for assessment in result.assessments:
            out.write(json.dumps({**assessment.to_json(), "account": result.account}, ensure_ascii=False) + "\n")


def _print_flagged(results: list[AccountAudit], console: Console) -> None:
    for result in results:
        flagged = result.flagged
        console.print(f"@{result.account}: {len(result.posts):,} posts scored, {len(flagged)} flagged",
                      markup=False, highlight=False)
        for post, assessment in flagged:
            text = post.text.replace("\n", " ")
            console.print(f"  {assessment.score:.2f}  {post.created_at:%Y-%m-%d %H:%M} UTC  {post.id}  "
                          f"{text[:120]}{'…' if len(text) > 120 else ''}", markup=False, highlight=False)
            for reason in assessment.reasons:
                console.print(f"       - {reason.signal}: {reason.detail}", markup=False, highlight=False)
