"""Rank intervals from repeated rankings (Monte Carlo draws of an index, bootstrap resamples of an arena's
judges) and what they mean for the decisions made on ranks. Pure numpy; shared by the index uncertainty
(core/ranking) and the arena bootstrap (core/judging), so both publish intervals by one rule.

The rule (docs/uncertainty.md):
- Over D draws, `median_rank`, `rank_lo` and `rank_hi` of a unit are the smallest ranks r with at least 50 %,
  5 % and 95 % of the draws at rank ≤ r: the ⌈D·p⌉-th smallest of its D ranks (a 90 % interval). The count
  ⌈D·p⌉ is computed in integers, so no rounding of p·D can move it.
- A unit without a nominal rank (0) gets no interval (0, 0, 0).
- Two units are statistically indistinguishable when their intervals [rank_lo, rank_hi] overlap.
- A cut "the best k" (a red flag, a bonus, an award for the top k) is uncertain when a unit inside it
  (nominal rank ≤ k) and a unit outside it are indistinguishable; "the worst k" likewise at the bottom.
"""

from __future__ import annotations

import numpy as np

# The quantiles published, as whole percentages: median, lower and upper end of the 90 % interval.
MEDIAN, LOWER, UPPER = 50, 5, 95


def _count(draws: int, percent: int) -> int:
    """⌈D·p/100⌉ in integers (at least 1): how many draws must lie at rank ≤ r."""
    return max(1, (draws * percent + 99) // 100)


def _order_statistics(draw_ranks, counts: list[int]) -> list[np.ndarray]:
    """Per unit, the counts[j]-th smallest of its ranks over the draws, for every j at once.

    Ranks are small non-negative integers, so each unit's draws are sorted as 16-bit integers (numpy's radix
    sort: one pass, several times faster than a partition per quantile); larger ranks fall back to one
    partition at all the counts. Either way the values picked are exactly the order statistics."""
    ranks = np.asarray(draw_ranks)
    if ranks.ndim != 2 or ranks.shape[0] == 0:
        raise ValueError("draw_ranks must be a non-empty (draws × units) array")
    kth = [k - 1 for k in counts]
    if ranks.size and 0 <= ranks.min() and ranks.max() <= np.iinfo(np.uint16).max:
        unit_major = np.ascontiguousarray(ranks.T, dtype=np.uint16)  # one copy, each unit's draws contiguous
        picked = np.sort(unit_major, axis=1, kind="stable")[:, kth]
    else:
        picked = np.partition(np.ascontiguousarray(ranks.T), kth, axis=1)[:, kth]
    return [picked[:, j].astype(np.int64) for j in range(len(kth))]


def quantile_ranks(draw_ranks, percent: int) -> np.ndarray:
    """Per unit, the smallest rank r with at least `percent` % of the draws at rank ≤ r.

    `draw_ranks`: integer array (draws × units) of each draw's ranks (1 best)."""
    ranks = np.asarray(draw_ranks)
    return _order_statistics(ranks, [_count(ranks.shape[0] if ranks.ndim == 2 else 0, percent)])[0]


def rank_intervals(nominal_rank, draw_ranks) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(median_rank, rank_lo, rank_hi) per unit; 0 where the nominal rank is 0 (not ranked).

    `draw_ranks` (draws × units) may be a transposed view of a unit-major array: that is the layout read."""
    nominal = np.asarray(nominal_rank, dtype=np.int64)
    ranks = np.asarray(draw_ranks)
    d = ranks.shape[0] if ranks.ndim == 2 else 0
    q = _order_statistics(ranks, [_count(d, p) for p in (MEDIAN, LOWER, UPPER)])
    med, lo, hi = (np.where(nominal > 0, x, 0) for x in q)
    return med, lo, hi


def overlaps(lo, hi) -> np.ndarray:
    """Boolean (units × units): True where two ranked units' intervals overlap (a unit overlaps itself)."""
    lo = np.asarray(lo, dtype=np.int64)
    hi = np.asarray(hi, dtype=np.int64)
    ranked = lo > 0
    both = ranked[:, None] & ranked[None, :]
    return both & (lo[:, None] <= hi[None, :]) & (lo[None, :] <= hi[:, None])


def indistinguishable(lo, hi) -> list[list[int]]:
    """Per unit, the indices of the other units it cannot be told apart from (in index order)."""
    m = overlaps(lo, hi)
    np.fill_diagonal(m, False)
    return [np.flatnonzero(row).tolist() for row in m]


def uncertain_cut(rank, lo, hi, k: int, *, from_bottom: bool = False) -> tuple[list[int], list[int]]:
    """Who is at stake at the cut "the best k" (or, from_bottom, "the worst k" of the ranked units).

    Returns (inside, outside): the units inside the cut that are indistinguishable from some unit outside it,
    and those outside that are indistinguishable from some unit inside; both empty when the cut is safe (or
    when nobody or everybody is inside)."""
    rank = np.asarray(rank, dtype=np.int64)
    ranked = rank > 0
    n = int(ranked.sum())
    # The worst k places are n−k+1 … n: a unit is there when its competition rank is above n − k.
    inside = ranked & (rank > n - k) if from_bottom else ranked & (rank <= k)
    outside = ranked & ~inside
    if not inside.any() or not outside.any():
        return [], []
    m = overlaps(lo, hi)
    cross = m[np.ix_(inside, outside)]
    ins = np.flatnonzero(inside)[cross.any(axis=1)]
    outs = np.flatnonzero(outside)[cross.any(axis=0)]
    return ins.tolist(), outs.tolist()
