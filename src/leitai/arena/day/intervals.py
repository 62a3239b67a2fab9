"""Rank intervals of an arena (名次区间): the bootstrap over each group's judges (core/judging/bootstrap.py; for
a ranking arena, 排序测评, core/judging/bootstrap_points.py) on exactly the sheets the export publishes, stored with the published result, and the warnings before
publication when a bonus or deduction boundary or an award (海豚奖 best / 海龟奖 worst) falls inside a group of
contestants that are statistically indistinguishable (core/intervals.uncertain_cut). docs/uncertainty.md."""

from __future__ import annotations

import json

from leitai.arena.day.selectors import entries, final_sheets
from leitai.arena.setup.selectors import links_of, rubric_of, rules_of
from leitai.core.intervals import indistinguishable, uncertain_cut
from leitai.core.io.arena_intervals import format_intervals_csv, format_points_intervals_csv, interval_rows
from leitai.core.judging.bootstrap import Bootstrap, bootstrap_ranks
from leitai.core.judging.bootstrap_points import bootstrap_points
from leitai.core.judging.tally import Rubric, TallyResult, bonus_by_rank, tally

DRAWS = 1000


def seed_of(arena) -> int:
    """The arena's seed: its id, fixed before any sheet exists and stored with the result."""
    return int(arena.pk)


def bootstrap_of(arena, result: TallyResult | None = None, rubric: Rubric | None = None,
                 draws: int = DRAWS) -> tuple[TallyResult, Bootstrap]:
    """The tally of the final sheets (as exported: `arena tally` on scores.csv gives it; the caller's when it
    has it already, with its rubric) and its bootstrap."""
    if rubric is None:
        rubric = rubric_of(arena)
    if result is None:
        result = tally(final_sheets(arena), rubric, links=links_of(arena) if rubric.calibration else None)
    return result, bootstrap_ranks(result, rubric, draws=draws, seed=seed_of(arena))


def ranking_bootstrap(arena, draws: int = DRAWS) -> Bootstrap | None:
    """A ranking arena's bootstrap over its judges' rankings (as exported: `leitai points uncertainty` on
    ranks.csv and rules.json gives it); None before any ranking."""
    found = entries(arena)
    return bootstrap_points(found, rules_of(arena), draws=draws, seed=seed_of(arena)) if found else None


def record(arena, result: TallyResult | None = None, rubric: Rubric | None = None, draws: int = DRAWS) -> dict | None:
    """What publication stores (Arena.result["uncertainty"]): the parameters, the OUT.csv of
    `leitai arena uncertainty` (a ranking arena: `leitai points uncertainty`) and per unit code [rank,
    median_rank, rank_lo, rank_hi]. `result`: the tally of the exported sheets, when the caller has it."""
    if arena.scoring_mode == "rank":
        boot = ranking_bootstrap(arena, draws)
        if boot is None:
            return None
        csv = format_points_intervals_csv(boot)
        found = zip(boot.contestants, boot.rank.tolist(), boot.median_rank.tolist(), boot.rank_lo.tolist(),
                    boot.rank_hi.tolist(), strict=True)
    else:
        result, boot = bootstrap_of(arena, result, rubric, draws)
        csv, found = format_intervals_csv(result, boot), interval_rows(result, boot)
    return {"draws": boot.draws, "seed": boot.seed, "csv": csv,
            "rows": {c: [rank, med, lo, hi] for c, rank, med, lo, hi in found if rank}}


README = """
名次区间 / rank intervals
  uncertainty.csv   每个参赛单位名次的 90% 区间（评委重抽样 {draws} 次，随机种子 {seed}）
                    each contestant's 90 % rank interval ({draws} draws of the judges, seed {seed})
  uncertainty.json  抽样参数 / the draws and the seed

  {command}

输出与 uncertainty.csv 完全一致。每次抽样在每个评委组内有放回地重抽同样多的评委（抽中两次的评委的评分表或排序表计两次），
按 README.txt 中的计分（排序测评：赋分）规则重排名次；名次区间为全部抽样中第 5%、50%、95% 分位的名次。
区间重叠的选手统计上无法区分。
The output equals uncertainty.csv. Each draw resamples every group's judges with replacement (a judge drawn
twice counts twice) and ranks by the rules of README.txt; the interval is the 5 %, 50 % and 95 % rank over the draws.
Contestants whose intervals overlap are statistically indistinguishable. See docs/uncertainty.md.
"""


def export_files(arena) -> dict[str, bytes]:
    """The stored intervals in the export bundle, with their parameters and a README of their own (none for an
    arena published before intervals existed)."""
    stored = (arena.result or {}).get("uncertainty")
    if not stored:
        return {}
    if arena.result.get("mode") == "rank":
        command = "leitai points uncertainty --ranks ranks.csv --rules rules.json"
    else:
        links = " --links links.csv" if (arena.result.get("rubric") or {}).get("calibration") else ""
        command = f"leitai arena uncertainty --scores scores.csv --rubric rubric.json{links}"
    params = {"draws": stored["draws"], "seed": stored["seed"],
              "command": f"{command} --draws {stored['draws']} --seed {stored['seed']} --out uncertainty.csv"}
    return {"uncertainty.csv": stored["csv"].encode("utf-8"),
            "uncertainty.json": (json.dumps(params, ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
            "README-uncertainty.txt": README.format(**params).lstrip("\n").encode("utf-8")}


def annotate(rows: list[dict], stored: dict | None) -> list[dict]:
    """The published rows with their interval ("interval": (lo, hi) or None; "interval_text": "2–5", "3" when
    it is one rank, "" when none) and the names of the contestants they cannot be told apart from ("indistinct"). Copies; rows without a stored interval get None and []."""
    found = (stored or {}).get("rows", {})
    units = [r["unit"] for r in rows]
    lo = [found[u][2] if u in found else 0 for u in units]
    hi = [found[u][3] if u in found else 0 for u in units]
    others = indistinguishable(lo, hi) if units else []
    out = []
    for i, r in enumerate(rows):
        ranked = lo[i] > 0
        out.append({**r, "interval": (lo[i], hi[i]) if ranked else None,
                    "interval_text": ("" if not ranked else str(lo[i]) if lo[i] == hi[i] else f"{lo[i]}–{hi[i]}"),
                    "indistinct": [rows[j]["unit_name"] for j in others[i]] if ranked else []})
    return out


def boundaries(ranks: list[int], rule) -> dict[int, list[str]]:
    """The decision boundaries on ranks, each as b (the units ranked ≤ b on one side, the others on the other)
    → what is decided there, in order: "bonus" after each place p whose points differ from the next place's
    (as `bonus_by_rank` gives them untied), "best" (海豚奖: the best rank) and "worst" (海龟奖: the worst rank,
    when someone ranks better)."""
    ranked = [r for r in ranks if r]
    n = len(ranked)
    out: dict[int, list[str]] = {}
    if n < 2:
        return out
    if rule:
        places = bonus_by_rank({str(p): p for p in range(1, n + 1)}, rule)
        for p in range(1, n):
            if places[str(p)] != places[str(p + 1)]:
                out.setdefault(p, []).append("bonus")
    best, worst = min(ranked), max(ranked)
    if worst > best:
        out.setdefault(sum(1 for r in ranked if r == best), []).append("best")
        out.setdefault(n - sum(1 for r in ranked if r == worst), []).append("worst")
    return dict(sorted(out.items()))


def cut_warnings(arena) -> list[dict]:
    """Before publication: each bonus/deduction or award boundary inside an indistinguishable group, e.g.
    {"after": 3, "what": ["bonus", "best"], "inside": ["甲（1–4）", …], "outside": ["丙（3–6）", …]} (inside:
    ranked ≤ after), from the intervals of the final sheets (a ranking arena: rankings) so far. Empty when
    every boundary is clear."""
    if arena.scoring_mode == "rank":
        found = ranking_bootstrap(arena)
        if found is None:
            return []
        boot = found
    else:
        boot = bootstrap_of(arena)[1]
    ranks = boot.rank.tolist()
    names = dict(arena.contestants.values_list("unit__code", "unit__name"))

    def label(i: int) -> str:
        return f"{names.get(boot.contestants[i], boot.contestants[i])}（{boot.rank_lo[i]}–{boot.rank_hi[i]}）"

    out = []
    for after, what in boundaries(ranks, arena.bonus_rule or {}).items():
        inside, outside = uncertain_cut(boot.rank, boot.rank_lo, boot.rank_hi, after)
        if inside:
            out.append({"after": after, "what": what,
                        "inside": [label(i) for i in sorted(inside, key=lambda i: (ranks[i], i))],
                        "outside": [label(i) for i in sorted(outside, key=lambda i: (ranks[i], i))]})
    return out
