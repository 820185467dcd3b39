"""Entry point of the ``kawal`` command.

Each area registers its own commands from its own module, so that adding a command never means
editing a shared list in five places: add a module to ``COMMAND_MODULES`` with a ``register(app)``.
"""

from __future__ import annotations

import importlib

import typer

COMMAND_MODULES = (
    "kawal.cli.audit",     # kawal audit PATH            (account integrity)
    "kawal.cli.check",     # kawal check TEXT | --jsonl  (risk screening)
    "kawal.cli.listen",    # kawal listen ...            (listening)
    "kawal.cli.surge",     # kawal surge DATA --out DIR  (surge detection on NAB-layout CSVs)
    "kawal.cli.server",    # kawal up / worker / manage / audit-log  (command center)
)


def build_app() -> typer.Typer:
    app = typer.Typer(help="Kawal guards an organisation's official social media accounts.",
                      no_args_is_help=True, pretty_exceptions_enable=False)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(app)
    return app


def main() -> None:
    build_app()()


if __name__ == "__main__":
    main()
