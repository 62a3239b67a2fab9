"""`leitai audit verify`: check the audit log's hash chain and name the first broken entry."""

from __future__ import annotations

import sys

import click

from leitai.commands.offline import lang_of, setup_django


@click.group()
def audit() -> None:
    """审计日志 / the audit log."""


@audit.command("verify")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="输出语言 / message language")
def verify_command(lang: str | None) -> None:
    """校验审计日志的哈希链：完好退出码 0；被改动时退出码 2，指出第一条有问题的记录。
    / check the audit chain: exit 0 when intact, 2 naming the first broken entry."""
    setup_django()
    from leitai.audit.chain import verify

    verdict = verify()
    en = lang_of(lang) == "en"
    if verdict.intact:
        click.echo(f"audit log intact: {verdict.entries} entries, head hash {verdict.head}" if en else
                   f"审计日志完好：共 {verdict.entries} 条，最新哈希 {verdict.head}")
        return
    click.echo(f"audit log broken at entry {verdict.broken_entry}: {verdict.en}" if en else
               f"审计日志在第 {verdict.broken_entry} 条记录处断开：{verdict.zh}", err=True)
    sys.exit(2)
