"""`kawal up`, `kawal worker`, `kawal manage`, `kawal audit-log verify`, `kawal demo-otp`: the command center."""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path
from typing import Annotated

import typer

DataDirOption = Annotated[Path | None, typer.Option("--data-dir", help="Where Kawal keeps its data "
                                                    "(default: $KAWAL_DATA_DIR or ./.kawal).")]


def setup_django(data_dir: Path | None = None) -> None:
    """Point Kawal at its data directory and start Django (settings read the environment once)."""
    if data_dir is not None:
        os.environ["KAWAL_DATA_DIR"] = str(data_dir.expanduser().resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kawal.server.settings")
    import django

    django.setup()


def _prepare_database(verbose: bool) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1 if verbose else 0)
    call_command("collectstatic", interactive=False, verbosity=0)


def _raise_keyboard_interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _install_stop_signals(stop: threading.Event) -> None:
    def handler(_signum: int, _frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def up(host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
       port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
       demo: Annotated[bool, typer.Option("--demo", help="Seed a demo organisation on the sandbox network.")]
       = False,
       workers: Annotated[int, typer.Option(help="Worker threads beside the web server.")] = 1,
       threads: Annotated[int, typer.Option(help="Web server threads.")] = 8,
       data_dir: DataDirOption = None) -> None:
    """Start Kawal: migrations, the web app, the worker and the scheduler, in one process."""
    if workers < 0 or threads < 1:
        raise typer.BadParameter("--workers must be >= 0 and --threads >= 1")
    setup_django(data_dir)
    from waitress.server import create_server

    from kawal.server import bootstrap, worker
    from kawal.server.env import data_dir as current_data_dir

    typer.echo(f"Kawal data directory: {current_data_dir()}")
    _prepare_database(verbose=False)
    from kawal.server.wsgi import application  # after collectstatic: WhiteNoise indexes files at start
    try:
        server = create_server(application, host=host, port=port, threads=threads, ident="kawal")
    except OSError as exc:
        typer.echo(f"Cannot listen on {host}:{port}: {exc.strerror}. Is Kawal already running? "
                   f"Choose another port with --port.", err=True)
        raise typer.Exit(2) from None
    url = f"http://{_display_host(host)}:{server.effective_port}/"
    _warn_about_hosts(host)
    if demo:
        typer.echo(bootstrap.describe_demo(bootstrap.seed_demo(), url))
    bootstrap.guide_first_admin(url, interactive=sys.stdin.isatty() and not demo)
    stop = threading.Event()
    running = worker.start_threads(stop, workers=workers, scheduler=True)
    # SIGTERM behaves like Ctrl-C: waitress stops on KeyboardInterrupt and shuts its threads down.
    signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    typer.echo(f"Kawal is running at {url}  (Ctrl-C stops it)", color=False)
    sys.stdout.flush()
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        stop.set()
        for thread in running:
            thread.join(timeout=30)
        typer.echo("Kawal stopped.")


def _warn_about_hosts(host: str) -> None:
    """Listening beyond loopback is pointless if Django refuses every other Host header."""
    from django.conf import settings

    if host not in ("127.0.0.1", "localhost", "::1") and not os.environ.get("KAWAL_ALLOWED_HOSTS"):
        typer.echo(f"Note: listening on {host}, but only {', '.join(settings.ALLOWED_HOSTS)} are allowed as host "
                   f"names; set KAWAL_ALLOWED_HOSTS=kawal.example.org (and KAWAL_CSRF_TRUSTED_ORIGINS).", err=True)


def _display_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "") else (f"[{host}]" if ":" in host else host)


def worker_command(threads: Annotated[int, typer.Option(help="Worker threads in this process.")] = 1,
                   scheduler: Annotated[bool, typer.Option(help="Also run the periodic scheduler (run it in "
                                                           "one process only; `kawal up` runs one).")]
                   = False,
                   data_dir: DataDirOption = None) -> None:
    """Run extra background workers (scale-out); they share the database queue with `kawal up`."""
    if threads < 1:
        raise typer.BadParameter("--threads must be >= 1")
    setup_django(data_dir)
    from kawal.server import worker

    stop = threading.Event()
    _install_stop_signals(stop)
    running = worker.start_threads(stop, workers=threads, scheduler=scheduler)
    typer.echo(f"Kawal worker running ({threads} thread(s){', with scheduler' if scheduler else ''}); "
               f"Ctrl-C or SIGTERM stops it")
    while any(t.is_alive() for t in running):
        for thread in running:
            thread.join(timeout=0.5)
    typer.echo("Kawal worker stopped.")


def manage(ctx: typer.Context, data_dir: DataDirOption = None) -> None:
    """Django's management commands, e.g. `kawal manage createsuperuser`, `kawal manage dbshell`."""
    setup_django(data_dir)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kawal manage", *ctx.args])


def verify_audit_log(data_dir: DataDirOption = None) -> None:
    """Walk the audit chain; exit code 1 and the entries concerned if any was edited, deleted or inserted."""
    setup_django(data_dir)
    from kawal.apps.audit.log import verify

    count, problems = verify()
    for problem in problems:
        typer.echo(f"BROKEN: {problem.message}", err=True)
    if problems:
        typer.echo(f"The audit log is NOT intact: {len(problems)} problem(s) in {count} entries.", err=True)
        raise typer.Exit(1)
    typer.echo(f"The audit log is intact: {count} entries verified.")


def demo_otp(username: Annotated[str, typer.Argument(help="A demo user, e.g. demo-approver.")],
             data_dir: DataDirOption = None) -> None:
    """Print the current two-factor code of a demo user (demo organisation only)."""
    setup_django(data_dir)
    from kawal.server import bootstrap

    try:
        typer.echo(bootstrap.demo_otp(username))
    except LookupError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `kawal` app."""
    app.command("up")(up)
    app.command("worker")(worker_command)
    app.command("manage", context_settings={"allow_extra_args": True, "ignore_unknown_options": True,
                                            "help_option_names": []})(manage)
    app.command("demo-otp")(demo_otp)
    audit_log = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)
    audit_log.command("verify")(verify_audit_log)
    app.add_typer(audit_log, name="audit-log")
