"""`leitai assess compute`: recompute a published assessment (考绩) offline from its INPUTS.json.

Free of Django; exit code 2 and a message naming the file on any problem. docs/assessment.md has the format."""

from __future__ import annotations

import click

from leitai.commands.offline import fail as _fail
from leitai.commands.offline import lang_of as _lang
from leitai.commands.offline import read_text as _read
from leitai.commands.offline import write_text as _write
from leitai.core.errors import LeitaiError
from leitai.core.io.assess import format_detail_csv, format_out_csv, parse_inputs_json
from leitai.core.tracking.assessment import compute_assessment


@click.group("assess")
def assess() -> None:
    """考绩：离线复算 / annual assessment tools."""


@assess.command("compute")
@click.option("--inputs", "inputs_path", required=True, metavar="INPUTS.json", help="考绩办法和全部来源 / scheme and facts")
@click.option("--out", "out_path", required=True, metavar="OUT.csv", help="unit,total,rank,grade,component:…,rollup")
@click.option("--detail", "detail_path", default=None, metavar="DETAIL.csv", help="每一分的来源 / every point's source")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="消息语言 / message language (env LEITAI_LANG)")
def compute_command(inputs_path: str, out_path: str, detail_path: str | None, lang: str | None) -> None:
    """按 INPUTS.json 中的考绩办法计算总分、名次和等次 / totals, ranks and grades from INPUTS.json."""
    lang = _lang(lang)
    text = _read(lang, inputs_path)
    try:
        facts, scheme = parse_inputs_json(text)
        result = compute_assessment(facts, scheme)
    except LeitaiError as e:
        _fail(lang, inputs_path, e.zh, e.en)
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        _fail(lang, inputs_path, f"内容不符合 INPUTS.json 的格式（docs/assessment.md）：{e!r}",
              f"does not follow the INPUTS.json format (docs/assessment.md): {e!r}")
    _write(lang, out_path, format_out_csv(result))
    if detail_path:
        _write(lang, detail_path, format_detail_csv(result))
    click.echo(f"{len(result.rows)} units -> {out_path}" if lang == "en" else f"{len(result.rows)} 个单位 → {out_path}", err=True)
