"""``kawal listen``: read feeds, classify items, and write an offline HTML report.

Thin: argument parsing and error reporting only; the work is in ``kawal.sources`` and
``kawal.engine.listen``. Every rejected input line is printed to stderr with its line number and the
command then exits with status 1, so nothing is dropped silently; configuration errors exit with 2.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated

import typer

from kawal.engine.records import Item
from kawal.sources.items import ImportResult, ItemError, Problem, open_items, read_items

if TYPE_CHECKING:
    from kawal.engine.listen.classify import Classifier

listen_app = typer.Typer(help="Listening: news and mentions, classified; volume surges.", no_args_is_help=True)

JsonlOption = Annotated[str | None, typer.Option("--jsonl", help="Items as JSONL ('-' for standard input).")]
CsvOption = Annotated[Path | None, typer.Option("--csv", help="Items as CSV with a header (id,text,...).")]
OrgOption = Annotated[Path | None, typer.Option("--org", help="Organisation file (TOML/JSON): names, "
                                                               "handles, products, executives.")]
TopicsOption = Annotated[Path | None, typer.Option("--topics", help="Topic file (TOML/JSON) layered over "
                                                                     "the shipped topics.")]


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"kawal listen: {message}", err=True)
    return typer.Exit(code)


def _read_input(jsonl: str | None, csv_path: Path | None) -> ImportResult:
    if (jsonl is None) == (csv_path is None):
        raise _fail("give exactly one of --jsonl FILE (or -) and --csv FILE")
    try:
        return read_items(jsonl, fmt="jsonl") if jsonl is not None else read_items(csv_path, fmt="csv")
    except ItemError as exc:
        raise _fail(str(exc)) from None


@contextmanager
def _input_stream(jsonl: str | None, csv_path: Path | None, problems: list[Problem]) -> Iterator[Iterator[Item]]:
    """Items streamed from --jsonl or --csv; a file-level problem (unreadable, bad CSV header) ends the
    command with a message, wherever in the loop it is met."""
    if (jsonl is None) == (csv_path is None):
        raise _fail("give exactly one of --jsonl FILE (or -) and --csv FILE")
    path, fmt = (jsonl, "jsonl") if jsonl is not None else (str(csv_path), "csv")
    try:
        with open_items(path, problems, fmt=fmt) as items:
            yield items
    except ItemError as exc:
        raise _fail(str(exc)) from None


def _report_problems(problems: list[Problem] | list[str], what: str) -> None:
    for problem in problems:
        typer.echo(f"{what}: {problem}", err=True)


@contextmanager
def _output(path: Path | None) -> Iterator[IO[str]]:
    if path is None:
        yield sys.stdout
        return
    try:
        with open(path, "w", encoding="utf-8") as handle:
            yield handle
    except OSError as exc:
        raise _fail(f"cannot write {path}: {exc.strerror}") from None


def _classifier(org: Path | None, topics: Path | None) -> Classifier:
    """The classifier (imported here: loading it loads the language and tone models)."""
    from kawal.engine.listen.classify import Classifier
    from kawal.engine.listen.entities import OrgConfigError, load_org
    from kawal.engine.listen.topics import TopicConfigError, load_topics

    try:
        return Classifier(load_topics(topics), load_org(org) if org else None)
    except (TopicConfigError, OrgConfigError) as exc:
        raise _fail(str(exc)) from None


@listen_app.command("classify")
def classify_command(jsonl: JsonlOption = None, csv_path: CsvOption = None, org: OrgOption = None,
                     topics: TopicsOption = None,
                     out: Annotated[Path | None, typer.Option("--out", help="Write here instead of stdout.")] = None,
                     ) -> None:
    """Classify items ({id, title?, text, published_at?, url?}): one JSON object per item with lang,
    sentiment, topics, entities, reasons, and duplicate_of (the first item of the same story, or null)."""
    from kawal.sources.dedupe import Deduper

    classifier, deduper = _classifier(org, topics), Deduper()
    problems: list[Problem] = []
    count = 0
    with _input_stream(jsonl, csv_path, problems) as items, _output(out) as handle:
        for item in items:  # streamed: a large file or pipe is never held in memory
            record = classifier.classify(item).to_json()
            verdict = deduper.check(item)
            record["duplicate_of"] = verdict.duplicate_of
            if verdict.reason:
                record["reasons"].append(f"duplicate of {verdict.duplicate_of}: {verdict.reason}")
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    _report_problems(problems, "rejected")
    if problems:
        raise _fail(f"{len(problems)} input record(s) rejected; {count} classified", 1)


def _load_state(path: Path | None) -> dict[str, dict[str, str | None]]:
    if path is None or not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _fail(f"cannot read the feed state file {path}: {exc}") from None
    if not isinstance(data, dict):
        raise _fail(f"the feed state file {path} must hold a JSON object of feed URL -> state")
    return data


@listen_app.command("fetch")
def fetch_command(
    feed_urls: Annotated[list[str], typer.Argument(help="RSS or Atom feed URLs.")],
    out: Annotated[Path | None, typer.Option("--out", help="Write JSONL here instead of stdout.")] = None,
    state: Annotated[Path | None, typer.Option("--state", help="JSON file remembering ETag/Last-Modified "
                                                                "per feed (conditional GET).")] = None,
    articles: Annotated[bool, typer.Option("--articles", help="Fetch each article page for its full text.")] = False,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for a server.")] = 15.0,
    max_bytes: Annotated[int, typer.Option(help="Largest feed accepted, in bytes.")] = 10_000_000,
) -> None:
    """Read feeds into JSONL items (kind "news"), ready for `kawal listen classify --jsonl`."""
    from kawal.sources.feeds import FeedError, FeedState, Limits, fetch_feed, make_client, with_article_text
    from kawal.sources.items import write_jsonl

    states, failures = _load_state(state), 0
    limits = Limits(timeout=timeout, max_bytes=max_bytes)
    with make_client() as client, _output(out) as handle:
        for url in feed_urls:
            try:
                result = fetch_feed(url, client=client, state=FeedState.from_json(states.get(url, {})),
                                    limits=limits)
            except FeedError as exc:
                failures += 1
                typer.echo(f"failed: {exc}", err=True)
                continue
            items = result.items
            if articles:
                pairs = [with_article_text(item, client=client, limits=limits) for item in items]
                items = [item for item, _ in pairs]
                result.problems += [problem for _, problem in pairs if problem]
            write_jsonl(items, handle)
            _report_problems(result.problems, f"warning: {url}")
            note = "not modified since the last fetch" if result.not_modified else f"{len(items)} item(s)"
            typer.echo(f"{url}: {note}", err=True)
            states[url] = result.state.to_json()
    if state is not None:
        state.write_text(json.dumps(states, indent=2) + "\n", encoding="utf-8")
    if failures:
        raise _fail(f"{failures} of {len(feed_urls)} feed(s) could not be read", 1)


@listen_app.command("report")
def report_command(
    html_out: Annotated[Path, typer.Option("--html", help="Where to write the self-contained HTML report.")],
    jsonl: JsonlOption = None, csv_path: CsvOption = None, org: OrgOption = None, topics: TopicsOption = None,
    bucket: Annotated[str, typer.Option(help="Volume bucket: 5m, 15m, 1h, 1d or 'auto'.")] = "auto",
    sensitivity: Annotated[float, typer.Option(min=0.0, max=1.0, help="Surge alert sensitivity.")] = 0.5,
    utc_offset: Annotated[int, typer.Option(help="Minutes east of UTC for time-of-day habits "
                                                 "(420 for WIB).")] = 420,
) -> None:
    """An offline HTML report: volume chart with surges marked, top topics, sentiment, sample items."""
    from kawal.engine.listen.report import ReportError, build_report, parse_bucket

    result = _read_input(jsonl, csv_path)
    classifier = _classifier(org, topics)
    try:
        page = build_report(result.items, classifier, bucket=parse_bucket(bucket), sensitivity=sensitivity,
                            utc_offset_minutes=utc_offset, problems=[str(p) for p in result.problems])
    except ReportError as exc:
        raise _fail(str(exc)) from None
    try:
        html_out.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise _fail(f"cannot write {html_out}: {exc.strerror}") from None
    typer.echo(f"wrote {html_out} ({len(result.items)} items)", err=True)
    _report_problems(result.problems, "rejected")
    if result.problems:
        raise _fail(f"{len(result.problems)} input record(s) rejected (listed in the report too)", 1)


def _credentials(path: Path | None) -> dict[str, str]:
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _fail(f"cannot read the credentials file {path}: {exc}") from None
    if not isinstance(data, dict):
        raise _fail(f"the credentials file {path} must hold a JSON object")
    return data


@listen_app.command("mentions")
def mentions_command(
    query: Annotated[str, typer.Argument(help="What to search for: a name, a handle, a hashtag.")],
    platform: Annotated[str, typer.Option(help="x, mastodon, bluesky or sandbox.")],
    handle: Annotated[str, typer.Option(help="The account whose access is used to search.")],
    base_url: Annotated[str | None, typer.Option(help="API root, Mastodon instance, or sandbox file.")] = None,
    credentials: Annotated[Path | None, typer.Option(help="JSON file with the account's credentials "
                                                          "(access_token; or identifier and app_password).")] = None,
    since_id: Annotated[str | None, typer.Option(help="Only mentions newer than this id.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many mentions.")] = 200,
    out: Annotated[Path | None, typer.Option("--out", help="Write JSONL here instead of stdout.")] = None,
) -> None:
    """Search a platform for mentions through the platform connectors; JSONL items (kind "mention").
    Credentials come from a file, never from the command line, where other users could read them."""
    from kawal.sources.items import write_jsonl
    from kawal.sources.platforms import PlatformError, connect

    try:
        connector = connect(platform, base_url=base_url, credentials=_credentials(credentials), handle=handle)
        with _output(out) as handle_out:
            items = list(connector.mentions(query, since_id=since_id, limit=limit))
            write_jsonl(items, handle_out)
    except PlatformError as exc:
        raise _fail(f"{platform}: {exc}", 1) from None
    newest = max((item.id for item in items), key=lambda ident: (len(ident), ident), default=None)
    typer.echo(f"{len(items)} mention(s) of {query!r} on {platform}"
               + (f"; next time use --since-id {newest}" if newest else ""), err=True)


@listen_app.command("intake")
def intake_command(
    out: Annotated[Path, typer.Option("--out", help="JSONL file the accepted items are appended to.")],
    secret_env: Annotated[str, typer.Option(help="Environment variable holding the shared secret.")]
    = "KAWAL_WEBHOOK_SECRET",
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8765,
    path: Annotated[str, typer.Option(help="URL path senders POST to.")] = "/kawal/items",
) -> None:
    """Receive signed webhook deliveries of items and append them to a JSONL file (until the command
    center takes this over). The secret comes from the environment, never from the command line."""
    import os
    import threading

    import waitress

    from kawal.sources.intake import Intake, wsgi_app
    from kawal.sources.items import write_jsonl

    secret = os.environ.get(secret_env, "")
    try:
        intake = Intake(secret)
    except ValueError as exc:
        raise _fail(f"{secret_env}: {exc}") from None
    lock = threading.Lock()

    def append(items: list[Item]) -> None:
        with lock, open(out, "a", encoding="utf-8") as handle:  # one writer at a time, whole batches
            write_jsonl(items, handle)

    typer.echo(f"listening on http://{host}:{port}{path}; accepted items go to {out}", err=True)
    waitress.serve(wsgi_app(intake, append, path), host=host, port=port, threads=4)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `kawal` app."""
    app.add_typer(listen_app, name="listen")
