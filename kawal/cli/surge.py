"""``kawal surge DATA_DIR --out RESULTS_DIR``: the surge detector over NAB-layout CSV files."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kawal.engine.surge.nab import (
    SeriesError,
    find_csvs,
    out_of_order_lines,
    read_series,
    score_series,
    write_results,
)


def surge(
    data_dir: Annotated[Path, typer.Argument(help="folder of <category>/<file>.csv (timestamp,value)")],
    out: Annotated[Path, typer.Option("--out", help="results folder for <category>/<name>_<file>.csv")],
    name: Annotated[str, typer.Option("--name", help="detector name, the results' file prefix")] = "kawal",
) -> None:
    """Score every CSV under DATA_DIR with Kawal's surge detector (anomaly_score 0..1 per row)."""
    err = Console(stderr=True, soft_wrap=True, highlight=False)
    try:
        files = find_csvs(data_dir)
    except FileNotFoundError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    if not files:
        err.print(f"[red]error:[/red] no .csv files under {data_dir}")
        raise typer.Exit(2)
    failed, rows, started = 0, 0, time.perf_counter()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as progress:
        task = progress.add_task("scoring", total=len(files))
        for path, category in files:
            progress.update(task, description=f"{category}/{path.name}")
            try:
                series = read_series(path, category)
            except SeriesError as exc:
                err.print(f"[red]error:[/red] {exc}")
                failed += 1
                progress.advance(task)
                continue
            for line in out_of_order_lines(series):
                err.print(f"[yellow]warning:[/yellow] {path}:{line}: timestamp earlier than the previous row; "
                          "scored at its own time")
            write_results(series, score_series(series), out, name)
            rows += len(series.values)
            progress.advance(task)
    elapsed = time.perf_counter() - started
    err.print(f"{len(files) - failed} of {len(files)} files, {rows} rows scored in {elapsed:.1f} s -> {out}")
    if failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``kawal surge`` to the `kawal` app."""
    app.command("surge")(surge)
