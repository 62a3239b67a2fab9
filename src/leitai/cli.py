"""The `leitai` command: demo, serve, worker, import, index compute, arena tally, manage."""

from __future__ import annotations

import sys

import click

from leitai.commands.offline import setup_django


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="leitai")
def main() -> None:
    """擂台 Leitai — 考核排名、擂台赛与督办整改平台 / arena contests for a city's assessment office."""


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command (migrate, createsuperuser, …)."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["leitai manage", *args])


def _register() -> None:
    from leitai.commands.arena import arena
    from leitai.commands.assess import assess
    from leitai.commands.audit import audit
    from leitai.commands.demo import demo, serve
    from leitai.commands.imports import import_command
    from leitai.commands.index import index
    from leitai.commands.points import points
    from leitai.commands.tracking import tracking
    from leitai.commands.worker import worker

    main.add_command(index)
    main.add_command(arena)
    main.add_command(points)
    main.add_command(assess)
    main.add_command(import_command)
    main.add_command(demo)
    main.add_command(serve)
    main.add_command(tracking)
    main.add_command(worker)
    main.add_command(audit)


_register()

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
