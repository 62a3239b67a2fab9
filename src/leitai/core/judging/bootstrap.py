"""Rank intervals of an arena: a bootstrap over the judges of each group (`leitai arena uncertainty`). Pure
numpy + stdlib; the rule of the intervals themselves is core/intervals.py (docs/uncertainty.md).

    result = tally(sheets, rubric)
    boot = bootstrap_ranks(result, rubric, draws=1000, seed=7)
    boot.rank, boot.median_rank, boot.rank_lo, boot.rank_hi      # per contestant, in `result.contestants` order

The contract:
- The sheets that count are the tally's own: each contestant's judge totals and the judges each group counted
  or trimmed (`ContestantResult.totals` and `GroupScore.counted/dropped_*`). Whatever rule the tally applies to
  the sheets (incomplete sheets left out, a calibration) is therefore already in them; nothing is re-read.
  Checked: with every judge drawn once the group scores must be the tally's, else ValueError (a rule that
  averaged other numbers than `totals` would otherwise give wrong intervals silently).
- A group's judges are those with at least one sheet that counts, in the order of their code (Python string
  order), so the order of the rows of SCORES.csv cannot move a draw.
- Each draw, within each group independently, draws as many judges as the group has, uniformly with
  replacement. A judge drawn c times brings each of their sheets c times (two sheets when drawn twice, for
  the count, the trimming and the mean); a judge not drawn brings none.
- With the drawn sheets, a group's score for a contestant, the final score and the rank are the tally's rules:
  the k highest and k lowest sheets dropped when the group has more than 2k of them for the contestant, the
  plain mean of the rest, the group-weighted mean over the groups that scored it, competition ranks with
  `competition_rank`'s tolerance, ties ordered by the tie-break groups' scores in turn (a contestant the
  tie-break group did not score after those it did), those still tied sharing a rank.
- A contestant that no drawn judge scored in a draw (every judge who scored it left out) ranks last in that
  draw: rank n, n = the number of contestants with a nominal rank. A contestant without any sheet that counts
  has no nominal rank (0), no draw ranks (0) and no interval (0, 0, 0).
- Random numbers: `numpy.random.default_rng(seed)`; for each group in rubric order with at least one judge,
  one call `rng.integers(0, m, size=(draws, m))` (m = the group's judges): row d lists the judges drawn in
  draw d (indices into the group's judges in code order). Nothing else is drawn, so the same seed gives the
  same intervals.
- Arithmetic: each judge total is the tally's (exact, then the nearest float); the bootstrap adds them in
  floating point. Its sums differ from the exact ones by far less than the tie tolerance (1e-9 relative), so
  the ranks are the tally's: the draw in which every judge is drawn once gives exactly the nominal ranks.
- Small groups: a group of one judge draws that judge every time (its score never varies); an arena with very
  few judges gets degenerate (collapsed) or very wide intervals, which say how little a few judges can
  settle, not that the result is certain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from leitai.core.errors import SpecError
from leitai.core.intervals import rank_intervals
from leitai.core.judging.rubric import Rubric, exact
from leitai.core.ranking.index import TIE_TOL

__all__ = ["Bootstrap", "GroupSheets", "group_sheets", "draw_counts", "judge_draw_counts", "draw_ranks", "bootstrap_ranks"]

DEFAULT_DRAWS = 1000


@dataclass(frozen=True)
class GroupSheets:
    """One judge group's sheets that count: judges (code order) × contestants judge totals, NaN = no sheet."""

    code: str
    weight: float
    trim: int
    judges: tuple[str, ...]
    totals: np.ndarray  # float (judges × contestants)


@dataclass(frozen=True)
class Bootstrap:
    """The bootstrap of an arena: per contestant (in the tally's `contestants` order) the nominal rank, the
    ranks of every draw and the interval (core/intervals.rank_intervals)."""

    contestants: list[str]
    rank: np.ndarray  # nominal (the tally's), 0 = not ranked
    draw_ranks: np.ndarray  # draws × contestants
    median_rank: np.ndarray
    rank_lo: np.ndarray
    rank_hi: np.ndarray
    draws: int
    seed: int


def group_sheets(result, rubric: Rubric) -> list[GroupSheets]:
    """The sheets that count, per rubric group, as the tally counted them (a TallyResult's rows)."""
    index = {c: i for i, c in enumerate(result.contestants)}
    out = []
    for g in rubric.groups:
        cells: dict[str, dict[int, float]] = {}
        for row in result.rows:
            gs = row.groups.get(g.code)
            if gs is None or gs.score is None:
                continue
            for judge in (*gs.counted, *gs.dropped_high, *gs.dropped_low):
                cells.setdefault(judge, {})[index[row.contestant]] = row.totals[judge]
        judges = tuple(sorted(cells))
        totals = np.full((len(judges), len(result.contestants)), np.nan)
        for j, judge in enumerate(judges):
            for i, t in cells[judge].items():
                totals[j, i] = t
        out.append(GroupSheets(g.code, float(exact(g.weight)), int(g.trim), judges, totals))
    return out


def draw_counts(groups: Sequence[GroupSheets], draws: int, seed: int) -> list[np.ndarray]:
    """Per group, the draws × judges matrix of how many times each judge is drawn (rows sum to the judges)."""
    return judge_draw_counts([len(g.judges) for g in groups], draws, seed)


def judge_draw_counts(sizes: Sequence[int], draws: int, seed: int) -> list[np.ndarray]:
    """Per group of `sizes[k]` judges, the draws × judges matrix of how many times each is drawn: one
    `rng.integers(0, m, size=(draws, m))` per group with judges, in order (the ranking arena's bootstrap,
    core/judging/bootstrap_points.py, draws the same way)."""
    rng = np.random.default_rng(seed)
    out = []
    for m in sizes:
        if m == 0:
            out.append(np.zeros((draws, 0), dtype=np.int64))
            continue
        picked = rng.integers(0, m, size=(draws, m))
        flat = (picked + (np.arange(draws) * m)[:, None]).ravel()
        out.append(np.bincount(flat, minlength=draws * m).reshape(draws, m))
    return out


def _edge_sum(counts: np.ndarray, order: np.ndarray, t: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Per draw, the sum of the k[d] first sheets of the multiset in which judge order[j] brings
    counts[d, order[j]] copies of t[j]: it gives min(copies, k − copies before it) of them (≥ 0). Only the
    first judges are looked at, as many as it takes to reach k copies in every draw."""
    m = t.size
    width = min(m, 2 * int(k.max(initial=0)) + 8)
    while True:
        cs = counts[:, order[:width]]
        after = np.cumsum(cs, axis=1)
        if width == m or (after[:, -1] >= k).all():
            break
        width = min(m, 2 * width)
    take = np.minimum(cs, k[:, None] - (after - cs))
    np.maximum(take, 0, out=take)
    return take @ t[:width]


def _group_scores(g: GroupSheets, counts: np.ndarray) -> np.ndarray:
    """draws × contestants: the group's trimmed mean with the drawn sheets (NaN where none was drawn).

    All the drawn sheets of a contestant add up to counts @ totals; trimming then takes off the sum of its k
    lowest and k highest sheets, judge j (in the order of its total) being c_j sheets of the multiset."""
    have = ~np.isnan(g.totals)
    c = counts.astype(np.float64)
    total = c @ np.where(have, g.totals, 0.0)
    sheets = np.rint(c @ have.astype(np.float64)).astype(np.int64)
    k = np.where(sheets > 2 * g.trim, g.trim, 0)
    if g.trim:
        for i in range(g.totals.shape[1]):
            col = g.totals[:, i]
            rows = np.flatnonzero(have[:, i])
            if rows.size == 0:
                continue
            order = rows[np.argsort(col[rows], kind="stable")]
            ki = k[:, i]
            total[:, i] -= _edge_sum(counts, order, col[order], ki)
            total[:, i] -= _edge_sum(counts, order[::-1], col[order[::-1]], ki)
    kept = sheets - 2 * k
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(kept > 0, total / np.maximum(kept, 1), np.nan)


def _competition_rank_rows(s: np.ndarray, tol: float = TIE_TOL) -> np.ndarray:
    """competition_rank of every row (descending; NaN → 0), the same chain-of-neighbours tolerance."""
    d, n = s.shape
    order = np.argsort(-s, axis=1, kind="stable")  # NaN last
    sv = np.take_along_axis(s, order, axis=1)
    with np.errstate(invalid="ignore"):
        gap = np.abs(np.diff(sv, axis=1))
        limit = tol * np.maximum(1.0, np.maximum(np.abs(sv[:, :-1]), np.abs(sv[:, 1:])))
        new_tie = np.concatenate((np.ones((d, 1), dtype=bool), ~(gap <= limit)), axis=1)
    pos = np.broadcast_to(np.arange(n), (d, n))
    start = np.maximum.accumulate(np.where(new_tie, pos, 0), axis=1)
    ranks = np.empty((d, n), dtype=np.int64)
    np.put_along_axis(ranks, order, start + 1, axis=1)
    ranks[np.isnan(s)] = 0
    return ranks


def _refine(cur: np.ndarray, tb: np.ndarray, tol: float = TIE_TOL) -> np.ndarray:
    """One tie-break step of rank_scores, row by row: inside each block of equal ranks so far, order by the
    tie-break group's score (higher first, not scored last, ties within the tolerance)."""
    d, n = cur.shape
    block_key = np.where(cur > 0, cur, n + 1)
    missing = np.isnan(tb)
    order = np.lexsort((np.where(missing, 0.0, -tb), missing, block_key), axis=-1)
    blk = np.take_along_axis(block_key, order, axis=1)
    sv = np.take_along_axis(tb, order, axis=1)
    miss = np.take_along_axis(missing, order, axis=1)
    first = np.ones((d, 1), dtype=bool)
    new_block = np.concatenate((first, blk[:, 1:] != blk[:, :-1]), axis=1)
    with np.errstate(invalid="ignore"):
        gap = np.abs(np.diff(sv, axis=1))
        limit = tol * np.maximum(1.0, np.maximum(np.abs(sv[:, :-1]), np.abs(sv[:, 1:])))
        new_tie = new_block | np.concatenate((first, ~(gap <= limit)), axis=1)
    nan_start = new_block | (miss & ~np.concatenate((np.zeros((d, 1), dtype=bool), miss[:, :-1]), axis=1))
    pos = np.broadcast_to(np.arange(n), (d, n))
    block_start = np.maximum.accumulate(np.where(new_block, pos, 0), axis=1)
    tie_start = np.maximum.accumulate(np.where(new_tie, pos, 0), axis=1)
    run_start = np.maximum.accumulate(np.where(nan_start, pos, 0), axis=1)
    # Members ahead in the block: those in earlier ties, or, for the unscored, every scored member.
    ahead = np.where(miss, run_start, tie_start) - block_start
    step = np.empty((d, n), dtype=np.int64)
    np.put_along_axis(step, order, ahead, axis=1)
    return np.where(cur > 0, cur + step, 0)


def draw_ranks(groups: Sequence[GroupSheets], counts: Sequence[np.ndarray], tie_break: Sequence[str],
               worst: int) -> np.ndarray:
    """draws × contestants ranks from the drawn judges (the tally's rules); `worst` for an unscored contestant."""
    num = den = None
    by_code = {}
    for g, c in zip(groups, counts, strict=True):
        scores = _group_scores(g, c)
        by_code[g.code] = scores
        scored = ~np.isnan(scores)
        part = np.where(scored, g.weight * np.nan_to_num(scores), 0.0)
        w = np.where(scored, g.weight, 0.0)
        num = part if num is None else num + part
        den = w if den is None else den + w
    if num is None or den is None:
        raise SpecError("评分规则没有评委组", "the rubric has no judge group")
    with np.errstate(invalid="ignore", divide="ignore"):
        final = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    ranks = _competition_rank_rows(final)
    for code in tie_break:
        ranks = _refine(ranks, by_code[code])
    return np.where(np.isnan(final), worst, ranks)


def _check_against_the_tally(result, groups: Sequence[GroupSheets]) -> None:
    """The draw with every judge once must give the tally's group scores: the totals read are the ones the tally
    averaged. A rule added to the tally that averages something else than `ContestantResult.totals` (a
    calibration) must keep `totals` to what it averages; otherwise this stops rather than publish wrong intervals."""
    for g in groups:
        got = _group_scores(g, np.ones((1, len(g.judges)), dtype=np.int64))[0]
        want = np.array([np.nan if (gs := row.groups.get(g.code)) is None or gs.score is None else gs.score
                         for row in result.rows], dtype=float)
        same = np.isclose(got, want, rtol=1e-9, atol=1e-12) | (np.isnan(got) & np.isnan(want))
        if not same.all():
            i = int(np.flatnonzero(~same)[0])
            raise ValueError(f"bootstrap: group {g.code}'s score of {result.rows[i].contestant} is {want[i]!r} in the "
                             f"tally but {got[i]!r} from its judges' totals")


def bootstrap_ranks(result, rubric: Rubric, draws: int = DEFAULT_DRAWS, seed: int = 0) -> Bootstrap:
    """Resample the judges of each group `draws` times (see the module's contract) and give the intervals."""
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 1:
        raise SpecError(f"抽样次数应为正整数，实为 {draws!r}", f"draws must be a positive whole number, got {draws!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise SpecError(f"随机种子应为不小于 0 的整数，实为 {seed!r}", f"the seed must be a whole number ≥ 0, got {seed!r}")
    nominal = np.array([r.rank for r in result.rows], dtype=np.int64)
    groups = group_sheets(result, rubric)
    _check_against_the_tally(result, groups)
    worst = int((nominal > 0).sum())
    ranks = draw_ranks(groups, draw_counts(groups, draws, seed), rubric.tie_break, worst)
    ranks = np.where(nominal > 0, ranks, 0)
    med, lo, hi = rank_intervals(nominal, ranks)
    return Bootstrap(list(result.contestants), nominal, ranks, med, lo, hi, draws, seed)

