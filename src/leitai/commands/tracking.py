"""`leitai tracking`: the daily supervision job (督办) and pledge judging, for cron or by hand."""

from __future__ import annotations

import datetime as dt

import click


def _django() -> None:
    from leitai.commands.offline import setup_django

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


def _acting_user(username: str | None):
    """The user the import is recorded under: --as, else the first active organizer."""
    from leitai.accounts.models import User

    qs = User.objects.filter(is_active=True)
    user = qs.filter(username=username).first() if username else qs.filter(role="organizer").order_by("pk").first()
    if user is None:
        raise click.UsageError(f"找不到用户“{username}” / no such user" if username else
                               "没有考核办（organizer）用户，请用 --as 指定 / no organizer: use --as")
    return user


def _report(file: str, report: dict, lang: str, what: tuple[str, str]) -> None:
    """Print what was imported, or every problem (exit code 2: nothing was written)."""
    import sys

    from leitai.commands.offline import lang_of

    en = lang_of(lang) == "en"
    if report["ok"]:
        n = len(report["created"])
        click.echo(f"{file}: {n} {what[1]} imported" if en else f"{file}：已导入 {n} 个{what[0]}")
        return
    problems = report["problems"]
    click.echo(f"{file}: {len(problems)} problem(s), nothing written:" if en else
               f"{file}：发现 {len(problems)} 处问题，未写入任何数据：", err=True)
    for p in problems:
        code = "en" if en else "zh-hans"
        click.echo(f"  {p.where(code)}: {p.message(code)}", err=True)
    sys.exit(2)


_AS = click.option("--as", "username", help="记在此用户名下（默认第一位考核办用户）/ record under this user")
_LANG = click.option("--lang", type=click.Choice(["zh", "en"]), help="报告语言 / report language (LEITAI_LANG)")


@tracking.command("import-projects")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--year", type=int, default=None, help="新编号的年份（默认今年）/ year of new project codes")
@_AS
@_LANG
def import_projects_command(file: str, year: int | None, username: str | None, lang: str | None) -> None:
    """导入重大项目（全部无误才写入）/ import key projects (all or nothing)."""
    _django()
    from pathlib import Path

    from leitai.tracking.projects.services import import_projects

    report = import_projects(_acting_user(username), Path(file).read_bytes(), Path(file).name, year=year)
    _report(file, report, lang, ("项目", "projects"))


@tracking.command("import-pledges")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@_AS
@_LANG
def import_pledges_command(file: str, username: str | None, lang: str | None) -> None:
    """导入承诺（全部无误才写入）/ import pledges (all or nothing)."""
    _django()
    from pathlib import Path

    from leitai.tracking.pledges.importing import import_pledges

    report = import_pledges(_acting_user(username), Path(file).read_bytes(), Path(file).name)
    _report(file, report, lang, ("承诺", "pledges"))


@tracking.command("export-projects")
@click.argument("out", type=click.Path(dir_okay=False, writable=True))
@click.option("--unit", default="", help="单位编码 / unit code")
@click.option("--batch", default="", help="批次 / batch")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="按此日期计算进度颜色（默认今天）/ schedule colours as of this day")
def export_projects_command(out: str, unit: str, batch: str, today: dt.datetime | None) -> None:
    """导出重大项目（与导入格式相同的 .xlsx）/ export key projects as .xlsx in the import's columns."""
    _django()
    from pathlib import Path

    from leitai.tracking.projects.io import projects_xlsx
    from leitai.tracking.projects.selectors import board

    projects = board(today.date() if today else dt.date.today(), unit=unit, batch=batch)["projects"]
    Path(out).write_bytes(projects_xlsx(projects))
    click.echo(f"{out}：{len(projects)} 个项目 / {len(projects)} projects")
