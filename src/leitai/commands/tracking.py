"""`leitai tracking`: the daily supervision job (督办) and pledge judging, for cron or by hand."""

from __future__ import annotations

import datetime as dt

import click


def _django() -> None:
    from leitai.cli import setup_django

    setup_django()


@click.group()
def tracking() -> None:
    """督办整改：每日督办提醒、承诺核验 / rectification supervision and pledge verdicts."""


@tracking.command()
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="按此日期运行（默认今天）/ run as of this day (YYYY-MM-DD)")
def supervise(today: dt.datetime | None) -> None:
    """每日督办：即将到期、逾期、长期逾期提醒与升级督办 / the daily reminders and escalations."""
    _django()
    from leitai.tracking.services import run_supervision

    report = run_supervision(today=today.date() if today else None)
    click.echo(report.summary())
    for error in report.errors:
        click.echo(f"发送失败 / not sent: {error}", err=True)


@tracking.command("judge-pledges")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="按此日期核验（默认今天）/ judge as of this day (YYYY-MM-DD)")
def judge_pledges_command(today: dt.datetime | None) -> None:
    """按数据核验到期承诺 / judge pending pledges from the deadline period's figures."""
    _django()
    from leitai.tracking.services import judge_pledges

    judged = judge_pledges(today=today.date() if today else None)
    for p in judged:
        click.echo(f"{p.unit.name}\t{p.get_status_display()}\t{p.text}\t{p.verdict_note}")
    click.echo(f"核验承诺 {len(judged)} 项 / {len(judged)} pledges judged")
