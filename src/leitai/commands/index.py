"""`leitai index compute`: recompute a ranking offline from DATA.csv and SPEC.json (no database).

Deliberately free of Django so it starts fast and runs anywhere numpy does; exit code 2 and a
message naming the file on any problem with the inputs.
"""

from __future__ import annotations

import click

from leitai.commands.offline import fail as _fail
from leitai.commands.offline import lang_of as _lang
from leitai.commands.offline import read_text as _read
from leitai.core.errors import LeitaiError
from leitai.core.io.index import format_result_csv, parse_data_csv, parse_spec_json
from leitai.core.ranking.index import IndexResult, compute_index

_REASONS = {"no_spread": ("无差异", "no spread"), "no_data": ("无数据", "no data")}






@click.group("index")
def index() -> None:
    """成绩单指数：离线重算排名 / composite index tools."""


@index.command("compute")
@click.option("--data", "data_path", required=True, metavar="DATA.csv", help="unit,indicator,value[,period]")
@click.option("--spec", "spec_path", required=True, metavar="SPEC.json", help="方案规则 / the plan spec")
@click.option("--out", "out_path", required=True, metavar="OUT.csv", help="结果 / result: unit,score,rank,group:…")
@click.option("--period", default=None, help="DATA.csv 含 period 列时选择期间 / period to use")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="消息语言 / message language (env LEITAI_LANG)")
def compute(data_path: str, spec_path: str, out_path: str, period: str | None, lang: str | None) -> None:
    """按 SPEC.json 计算 DATA.csv 的指数与排名，写入 OUT.csv / rank DATA.csv under SPEC.json."""
    lang = _lang(lang)
    data_text = _read(lang, data_path)
    spec_text = _read(lang, spec_path)
    try:
        spec = parse_spec_json(spec_text)
    except LeitaiError as e:
        _fail(lang, spec_path, e.zh, e.en)
    try:
        units, codes, values = parse_data_csv(data_text, period)
    except LeitaiError as e:
        _fail(lang, data_path, e.zh, e.en)
    try:
        result = compute_index(units, codes, values, spec)
    except LeitaiError as e:
        # The data are well formed here, so what remains (e.g. a geometric mean over zeros) is the spec's.
        _fail(lang, spec_path, e.zh, e.en)
    try:
        with open(out_path, "w", encoding="utf-8", newline="") as f:
            f.write(format_result_csv(result))
    except OSError as e:
        _fail(lang, out_path, f"无法写入：{e.strerror}", f"cannot write: {e.strerror}")
    click.echo(_summary(result, out_path, lang), err=True)


def _summary(result: IndexResult, out_path: str, lang: str) -> str:
    ranked = int((result.rank > 0).sum())
    total = len(result.units)
    en = lang == "en"
    lines = [f"ranked {ranked} of {total} units -> {out_path}" if en else f"已排名 {ranked} 个单位（共 {total} 个）→ {out_path}"]
    if result.dropped:
        items = ", ".join(f"{c} ({_REASONS[r][1]})" if en else f"{c}（{_REASONS[r][0]}）" for c, r in result.dropped)
        lines.append(f"dropped indicators: {items}" if en else f"剔除的指标：{items}")
    if result.missing:
        items = "; ".join(f"{u}: {', '.join(codes)}" for u, codes in result.missing.items())
        lines.append(f"units with missing values: {items}" if en else f"有缺值的单位：{items}")
    return "\n".join(lines)
