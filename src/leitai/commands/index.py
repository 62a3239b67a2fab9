"""`leitai index compute`: recompute a ranking offline from DATA.csv and SPEC.json (no database).

Deliberately free of Django so it starts fast and runs anywhere numpy does; exit code 2 and a
message naming the file on any problem with the inputs.
"""

from __future__ import annotations

import click

from leitai.commands.offline import fail as _fail
from leitai.commands.offline import lang_of as _lang
from leitai.commands.offline import read_text as _read
from leitai.commands.offline import write_text as _write
from leitai.core.errors import LeitaiError
from leitai.core.io.index import format_result_csv, format_uncertainty_csv, parse_data_csv, parse_spec_json
from leitai.core.ranking.index import IndexResult, compute_index
from leitai.core.ranking.uncertainty import (
    ALTERNATIVES,
    DEFAULT_JITTER,
    UncertaintyParams,
    index_uncertainty,
    parse_alternatives,
)

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
    spec, units, codes, values = _inputs(lang, data_path, spec_path, period)
    try:
        result = compute_index(units, codes, values, spec)
    except LeitaiError as e:
        # The data are well formed here, so what remains (e.g. a geometric mean over zeros) is the spec's.
        _fail(lang, spec_path, e.zh, e.en)
    _write(lang, out_path, format_result_csv(result))
    click.echo(_summary(result, out_path, lang), err=True)


def _inputs(lang: str, data_path: str, spec_path: str, period: str | None):
    """SPEC.json and DATA.csv read and checked; a problem fails naming the file."""
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
    return spec, units, codes, values


@index.command("uncertainty")
@click.option("--data", "data_path", required=True, metavar="DATA.csv", help="unit,indicator,value[,period]")
@click.option("--spec", "spec_path", required=True, metavar="SPEC.json", help="方案规则 / the plan spec")
@click.option("--draws", required=True, type=int, metavar="N", help="抽样次数 / number of draws (≥ 1)")
@click.option("--seed", required=True, type=int, metavar="S", help="随机种子 / seed of numpy.random.default_rng")
@click.option("--jitter", default=DEFAULT_JITTER, show_default=True, type=float, metavar="J",
              help="权重扰动幅度，每个权重乘以 [1−J, 1+J] 内的随机数 / weight factor range, 0 ≤ J < 1")
@click.option("--alternatives", default=None, metavar="normalization,aggregation",
              help="同时随机选择标准化/汇总方法 / also draw the normalisation and/or aggregation method")
@click.option("--out", "out_path", required=True, metavar="OUT.csv", help="unit,rank,median_rank,rank_lo,rank_hi")
@click.option("--period", default=None, help="DATA.csv 含 period 列时选择期间 / period to use")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="消息语言 / message language (env LEITAI_LANG)")
def uncertainty(data_path: str, spec_path: str, draws: int, seed: int, jitter: float, alternatives: str | None,
                out_path: str, period: str | None, lang: str | None) -> None:
    """排名区间：随机扰动权重（及方法）重复排名，写出 90% 区间 / rank intervals by Monte Carlo (docs/uncertainty.md)."""
    lang = _lang(lang)
    if draws < 1:
        _fail(lang, "--draws", f"抽样次数应不小于 1，实为 {draws}", f"must be at least 1, got {draws}")
    if seed < 0:
        _fail(lang, "--seed", f"随机种子应为非负整数，实为 {seed}", f"must be a non-negative integer, got {seed}")
    if not 0 <= jitter < 1:
        _fail(lang, "--jitter", f"扰动幅度应在 [0, 1) 之内，实为 {jitter!r}", f"must be in [0, 1), got {jitter!r}")
    alts = parse_alternatives(alternatives)
    bad = [a for a in alts if a not in ALTERNATIVES]
    if bad:
        _fail(lang, "--alternatives", f"只能是 normalization、aggregation，实为 {', '.join(bad)}",
              f"must be among normalization, aggregation; got {', '.join(bad)}")
    spec, units, codes, values = _inputs(lang, data_path, spec_path, period)
    try:
        out = index_uncertainty(units, codes, values, spec, UncertaintyParams(draws, seed, jitter, alts))
    except LeitaiError as e:
        _fail(lang, spec_path, e.zh, e.en)
    text = format_uncertainty_csv(out.result, out.median_rank, out.rank_lo, out.rank_hi)
    _write(lang, out_path, text)
    ranked, total = int((out.result.rank > 0).sum()), len(out.result.units)
    click.echo(f"ranked {ranked} of {total} units, {draws} draws -> {out_path}" if lang == "en"
               else f"已排名 {ranked} 个单位（共 {total} 个），抽样 {draws} 次 → {out_path}", err=True)


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
