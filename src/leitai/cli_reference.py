"""docs/cli.md, generated from the commands' own --help (`python -m leitai.cli_reference >
docs/cli.md`; a test fails when it is out of date)."""

from __future__ import annotations

import sys

import click


def _walk(command: click.Command, path: list[str]):
    yield path, command
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            yield from _walk(command.commands[name], [*path, name])


def markdown() -> str:
    from leitai.cli import main

    out = ["# 命令行 · the command line", "",
           "由各命令的 `--help` 生成（`python -m leitai.cli_reference > docs/cli.md`）。",
           "Generated from each command's `--help`.", ""]
    for path, command in _walk(main, ["leitai"]):
        if command.hidden:
            continue
        ctx = click.Context(command, info_name=" ".join(path), terminal_width=100, max_content_width=100,
                            help_option_names=["-h", "--help"])
        # click caches a command's help option from the first context that asked for it: render with ours
        cached, command._help_option = command._help_option, None
        try:
            out += [f"## `{' '.join(path)}`", "", "```", command.get_help(ctx).rstrip(), "```", ""]
        finally:
            command._help_option = cached
    return "\n".join(out)


if __name__ == "__main__":  # pragma: no cover
    sys.stdout.write(markdown())
