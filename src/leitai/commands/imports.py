"""`leitai import FILE`: validate a statistics file (.xlsx or .csv) and, when it is sound, write it whole.

Exit code 2 and the problem report (sheet, row, column, message) when anything is wrong: then nothing is
written. The same service functions as the import page run underneath.
"""

from __future__ import annotations

import sys

import click

from leitai.commands.offline import lang_of


def _lang(choice: str | None) -> str:
    return "en" if lang_of(choice) == "en" else "zh-hans"


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--period", help="期间，如 2024-04 或 2024年1-4月 / the period, e.g. 2024-04")
@click.option("--shape", type=click.Choice(["wide", "long", "reference"]),
              help="表格格式（默认自动识别；reference 为参照数据）/ force the layout (reference: province averages, ranks, peers)")
@click.option("--dry-run", is_flag=True, help="只校验，不写入 / validate only, write nothing")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="报告语言 / report language (LEITAI_LANG)")
def import_command(file: str, period: str | None, shape: str | None, dry_run: bool, lang: str | None) -> None:
    """导入统计数据（宽表、长表或参照数据）/ import statistics or reference figures."""
    from leitai.commands.offline import setup_django

    setup_django()
    from leitai.core.errors import LeitaiError
    from leitai.indicators.models import ImportBatch
    from leitai.indicators.services import import_file

    lang = _lang(lang)
    en = lang == "en"
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=max(total, 1), label="Writing" if en else "写入中", file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)

    try:
        batch = import_file(file, user=None, period_code=period, shape=shape, progress=progress, dry_run=dry_run)
    except LeitaiError as exc:
        click.echo(f"{file}: {exc.message(lang)}", err=True)
        sys.exit(2)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    report = batch.report
    if batch.status == ImportBatch.Status.REJECTED:
        _print_problems(file, report, en)
        sys.exit(2)
    counts = (report.get("new", 0), report.get("changed", 0), report.get("unchanged", 0))
    if report.get("references"):  # 全省平均, 全省排名, 外地对标单位 in the same file
        click.echo((f"{file}: {report['references']} reference figure(s): {report.get('ref_new', 0)} new, "
                    f"{report.get('ref_changed', 0)} changed, {report.get('ref_unchanged', 0)} unchanged") if en else
                   f"{file}：参照数据 {report['references']} 个：新增 {report.get('ref_new', 0)}，"
                   f"修改 {report.get('ref_changed', 0)}，不变 {report.get('ref_unchanged', 0)}")
    if dry_run:
        click.echo((f"{file}: OK, nothing written (dry run): {counts[0]} new, {counts[1]} changed, "
                    f"{counts[2]} unchanged") if en else
                   f"{file}：校验通过，未写入（试运行）：新增 {counts[0]}，修改 {counts[1]}，不变 {counts[2]}")
        return
    click.echo((f"{file}: imported batch {batch.pk}: {batch.row_count} values, {batch.created_count} new, "
                f"{batch.changed_count} changed") if en else
               f"{file}：已导入（批次 {batch.pk}）：{batch.row_count} 个数值，新增 {batch.created_count}，"
               f"修改 {batch.changed_count}")


def _print_problems(file: str, report: dict, en: bool) -> None:
    from leitai.core.io.tabular import Problem

    total = report.get("problem_count", 0)
    click.echo((f"{file}: {total} problem(s), nothing written:" if en else
                f"{file}：发现 {total} 处问题，未写入任何数据："), err=True)
    for item in report.get("problems", []):
        problem = Problem(**item)
        lang = "en" if en else "zh-hans"
        click.echo(f"  {problem.where(lang)}: {problem.message(lang)}", err=True)
    shown = len(report.get("problems", []))
    if total > shown:
        click.echo(f"  … {total - shown} more" if en else f"  …… 另有 {total - shown} 处", err=True)
