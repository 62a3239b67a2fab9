"""Rank intervals of a ranking arena (排序测评): a bootstrap over the judges of each group, by the rules of
`leitai points tally` (core/judging/points.py). Pure numpy + stdlib; `leitai points uncertainty`, the arena's
publication and its results page call it. The rule of the intervals themselves is core/intervals.py.

    result = points_tally(entries, rules)
    boot = bootstrap_points(entries, rules, draws=1000, seed=7)
    boot.rank, boot.median_rank, boot.rank_lo, boot.rank_hi     # per contestant, in `boot.contestants` order

The contract (docs/uncertainty.md, "排序测评的名次区间 / Intervals of a ranking arena"):
- One round (an arena's ranking is one round of RANKS.csv); more rounds are refused. The rank is the round's
  combined rank (what the arena publishes as its 名次), not the place by points.
- A group's judges are those with a rank in the round, in the order of their code (a whole-group row, judge
  "", is one judge), so the order of RANKS.csv's lines cannot move a draw.
- Each draw, within each group independently, draws as many judges as the group has, uniformly with
  replacement; a judge drawn c times counts c times. The group's rank of a contestant is then rule 1 of the
  tally: with one judge (or a whole-group row) the ranks as given; with several, the competition rank of the
  sum of the drawn judges' ranks, lowest first (a judge drawn twice adds their rank twice). The combined
  rank is rule 2: the competition rank of Σ weight × group rank, lowest first, ties to the better rank of the
  tie-break groups in turn, still equal → shared. Exact: the weights are the rules' decimals, scaled to whole
  numbers, so the draw in which every judge is drawn once gives exactly the tally's combined ranks.
- Random numbers: `numpy.random.default_rng(seed)`; for each group in the rules' order that ranked, one call
  `rng.integers(0, m, size=(draws, m))` (m = its judges): row d lists the judges drawn in draw d. This is the
  same stream as the score arena's bootstrap (core/judging/bootstrap.py).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from leitai.core.errors import DataError, SpecError
from leitai.core.intervals import rank_intervals
from leitai.core.judging.bootstrap import DEFAULT_DRAWS, Bootstrap, judge_draw_counts
from leitai.core.judging.points import PointsRules, RankEntry, points_tally
from leitai.core.ranking.index import competition_rank_rows

__all__ = ["bootstrap_points"]


def bootstrap_points(entries: Iterable[RankEntry], rules: PointsRules, draws: int = DEFAULT_DRAWS,
                     seed: int = 0) -> Bootstrap:
    """Resample each group's judges `draws` times and give every contestant's interval of its combined rank.
    The entries are checked as `points_tally` checks them (its DataError)."""
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 1:
        raise SpecError(f"抽样次数应为正整数，实为 {draws!r}", f"draws must be a positive whole number, got {draws!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise SpecError(f"随机种子应为不小于 0 的整数，实为 {seed!r}", f"the seed must be a whole number ≥ 0, got {seed!r}")
    entries = list(entries)
    result = points_tally(entries, rules)  # checks everything; its combined ranks are the nominal ones
    if len(result.rounds) != 1:
        raise DataError(f"名次区间只适用于一轮排序（擂台赛的排序测评），这里有 {len(result.rounds)} 轮",
                        f"rank intervals are for one round of rankings (an arena's), these have {len(result.rounds)}")
    rows = result.detail
    contestants = [r.contestant for r in rows]
    col = {c: i for i, c in enumerate(contestants)}
    nominal = np.array([r.combined_rank for r in rows], dtype=np.int64)
    n = len(contestants)
    present = [g for g in rules.group_codes if any(e.group == g for e in entries)]
    matrices = []
    for g in present:
        judges = sorted({e.judge for e in entries if e.group == g})
        m = np.zeros((len(judges), n), dtype=np.int64)
        row = {j: i for i, j in enumerate(judges)}
        for e in entries:
            if e.group == g:
                m[row[e.judge], col[e.contestant]] = e.rank
        matrices.append(m)
    counts = judge_draw_counts([m.shape[0] for m in matrices], draws, seed)
    group_ranks = {}
    for g, m, c in zip(present, matrices, counts, strict=True):
        if m.shape[0] == 1:  # one judge or a whole-group row: the ranks as given (rule 1)
            group_ranks[g] = np.broadcast_to(m[0], (draws, n))
        else:
            group_ranks[g] = competition_rank_rows((c @ m).astype(np.float64), descending=False, tol=0.0)
    # Σ weight × group rank exactly: the weights over their common denominator are whole numbers.
    scale = math.lcm(*(rules.weight(g).denominator for g in present))
    weights = [int(rules.weight(g) * scale) for g in present]
    dtype = object if sum(weights) * n >= 2 ** 52 else np.int64  # Python integers only for absurd weights
    key = np.zeros((draws, n), dtype=dtype)
    for w, g in zip(weights, present, strict=True):
        key = key + w * group_ranks[g].astype(dtype)
    tie_break = [g for g in rules.tie_break if g in group_ranks]
    ranks = _lexicographic_ranks([key, *(group_ranks[g] for g in tie_break)], n)
    med, lo, hi = rank_intervals(nominal, ranks)
    return Bootstrap(contestants, nominal, ranks, med, lo, hi, draws, seed)


def _lexicographic_ranks(keys: list[np.ndarray], n: int) -> np.ndarray:
    """Competition ranks per row (draw), smallest first, of the keys compared in turn (each draws × n)."""
    first = keys[0]
    if first.dtype == object:  # beyond exact floats: row by row in Python (only with absurd weights)
        out = np.empty(first.shape, dtype=np.int64)
        for d in range(first.shape[0]):
            row = [tuple(int(k[d, i]) for k in keys) for i in range(n)]
            ordered = sorted(range(n), key=row.__getitem__)
            for pos, i in enumerate(ordered):
                out[d, i] = out[d, ordered[pos - 1]] if pos and row[i] == row[ordered[pos - 1]] else pos + 1
        return out
    # One whole-number key per contestant: the keys in turn as digits of base (largest + 1), while floats
    # hold it exactly.
    combined = np.zeros(first.shape, dtype=np.float64)
    bound = 1
    for k in keys:
        base = int(k.max(initial=0)) + 1
        bound *= base
        combined = combined * base + k
    if bound >= 2 ** 52:
        return _lexicographic_ranks([np.asarray(k).astype(object) for k in keys], n)
    return competition_rank_rows(combined, descending=False, tol=0.0)
