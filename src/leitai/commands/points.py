"""`leitai points tally`: 排名赋分 offline — RANKS.csv and RULES.json in, OUT.csv (and DETAIL.csv) out;
`leitai points uncertainty`: the rank intervals of one round of rankings (a ranking arena) by resampling judges.

Free of Django (fast, no database); exit code 2 and a message naming the file and line on any problem.
The contract is core/judging/points.py's and docs/points.md's.
"""

from __future__ import annotations

import click

from leitai.commands.offline import fail as _fail
from leitai.commands.offline import lang_of as _lang
from leitai.commands.offline import read_text as _read
from leitai.commands.offline import write_text as _write
from leitai.core.errors import LeitaiError
from leitai.core.io.points import format_detail_csv, format_out_csv, parse_ranks_csv, parse_rules_json
from leitai.core.judging.points import PointsRules, RankEntry, points_tally


@click.group("points")
def points() -> None:
    """排名赋分：离线计算 / rank-to-points tools."""


@points.command("tally")
@click.option("--ranks", "ranks_path", required=True, metavar="RANKS.csv", help="round,group,contestant,rank[,judge]")
@click.option("--rules", "rules_path", required=True, metavar="RULES.json", help="赋分规则 / groups, points, tie-breaks")
@click.option("--out", "out_path", required=True, metavar="OUT.csv", help="总分和名次 / contestant,points,place")
@click.option("--detail", "detail_path", default=None, metavar="DETAIL.csv",
              help="每轮明细 / round,contestant,group:…,combined_rank,points")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="消息语言 / message language (env LEITAI_LANG)")
def tally_command(ranks_path: str, rules_path: str, out_path: str, detail_path: str | None, lang: str | None) -> None:
    """把各轮名次按 RULES.json 换算成分数并排出总名次 / turn each round's ranks into points and a standing."""
    lang = _lang(lang)
    rules, entries = _inputs(lang, ranks_path, rules_path)
    try:
        result = points_tally(entries, rules)
    except LeitaiError as e:
        _fail(lang, ranks_path, e.zh, e.en)
    _write(lang, out_path, format_out_csv(result))
    if detail_path:
        _write(lang, detail_path, format_detail_csv(result, rules))
    n, r = len(result.standings), len(result.rounds)
    click.echo(f"{n} contestants over {r} rounds -> {out_path}" if lang == "en"
               else f"{r} 轮、{n} 名选手 → {out_path}", err=True)


def _inputs(lang: str, ranks_path: str, rules_path: str) -> tuple[PointsRules, list[RankEntry]]:
    """RULES.json and RANKS.csv (checked against it), as `tally` and `uncertainty` read them; a problem exits
    naming its file."""
    rules_text = _read(lang, rules_path)
    ranks_text = _read(lang, ranks_path)
    try:
        rules = parse_rules_json(rules_text)
    except LeitaiError as e:
        _fail(lang, rules_path, e.zh, e.en)
    try:
        return rules, parse_ranks_csv(ranks_text, rules)
    except LeitaiError as e:
        _fail(lang, ranks_path, e.zh, e.en)
    raise AssertionError("unreachable: _fail exits")  # pragma: no cover


@points.command("uncertainty")
@click.option("--ranks", "ranks_path", required=True, metavar="RANKS.csv", help="round,group,contestant,rank[,judge]")
@click.option("--rules", "rules_path", required=True, metavar="RULES.json", help="赋分规则 / groups, points, tie-breaks")
@click.option("--draws", type=click.IntRange(min=1), default=1000, show_default=True, metavar="N",
              help="评委重抽样次数 / bootstrap draws")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True, metavar="S",
              help="随机种子 / numpy.random.default_rng seed")
@click.option("--out", "out_path", required=True, metavar="OUT.csv",
              help="综合名次的区间 / contestant,rank,median_rank,rank_lo,rank_hi")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="消息语言 / message language (env LEITAI_LANG)")
def uncertainty_command(ranks_path: str, rules_path: str, draws: int, seed: int, out_path: str,
                        lang: str | None) -> None:
    """一轮排序（擂台赛排序测评）综合名次的 90% 区间：每个评委组内有放回地重抽评委 / rank intervals of one round.

    See docs/uncertainty.md; the rows are in the order of DETAIL.csv (combined rank, then contestant)."""
    from leitai.core.io.arena_intervals import format_points_intervals_csv
    from leitai.core.judging.bootstrap_points import bootstrap_points

    lang = _lang(lang)
    rules, entries = _inputs(lang, ranks_path, rules_path)
    try:
        boot = bootstrap_points(entries, rules, draws=draws, seed=seed)
    except LeitaiError as e:
        _fail(lang, ranks_path, e.zh, e.en)
    _write(lang, out_path, format_points_intervals_csv(boot))
    click.echo(f"{len(boot.contestants)} contestants, {draws} draws (seed {seed}) -> {out_path}" if lang == "en"
               else f"{len(boot.contestants)} 名选手，重抽样 {draws} 次（种子 {seed}）→ {out_path}", err=True)
