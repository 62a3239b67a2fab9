"""The ranking engine: normalise, aggregate up the group tree, rank with ties, award stars and flags,
name weak indicators. Pure numpy; one call ranks a whole period.

API (used by leitai.rankings.services and `leitai index compute`):

    result = compute_index(units, indicator_codes, values, spec)

`values` is a float array (len(units) × len(indicator_codes)), NaN where a value is missing; columns
are matched to `spec.indicators` by code (codes in the data but not in the spec are ignored; spec
indicators absent from the data count as having no data).

Choices the contract leaves open, fixed here:
- Ties (total, per group, per indicator) use `competition_rank` with TIE_TOL; rank-point
  normalisation itself ranks exact values, as R's rank(ties.method="min") does.
- Indicators without a group sit at the top level beside the top-level groups (parse_spec only
  allows this when no groups are defined).
- Flags per unit come in the order: category flags (spec group order), then red or yellow. Yellow
  flags go to every ranked unit at or below the n-th worst rank, except units holding a red flag.
- Weak indicators: p = (rank − 1)/(n_present − 1), p = 0 when a unit is alone on an indicator; ties in
  p keep spec order. Stars and missing lists keep spec order.
- Non-finite values (±inf) in `values` are refused with DataError; duplicate unit or indicator codes too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from leitai.core.errors import DataError, SpecError
from leitai.core.ranking.normalize import normalize_column
from leitai.core.ranking.spec import IndexSpec

# Scores that differ by less than this (relative to max(1, |score|)) share a rank. The index is a
# weighted mean of floating-point terms: the same data summed in another order (a unit's indicators
# listed differently, a missing value renormalising the weights) can differ in the last bits, and a
# published ranking must not split two units on that noise.
TIE_TOL = 1e-9

_LD = np.longdouble


# The flag kinds (摘星夺旗), the one vocabulary every page, export and the CLI use: a category flag for the best
# unit of each top-level group, red for the top of the total, yellow for the bottom.
FLAG_CATEGORY = "category"
FLAG_RED = "red"
FLAG_YELLOW = "yellow"
FLAG_KINDS = (FLAG_CATEGORY, FLAG_RED, FLAG_YELLOW)


@dataclass
class IndexResult:
    """Everything a ranking publishes. Arrays are indexed [unit] or [unit, indicator/group] in the
    order of `units`, `indicators` (= spec.indicator_codes) and `groups` (= spec.group_codes)."""

    units: list[str]
    indicators: list[str]
    groups: list[str]
    normalized: np.ndarray  # (n, m) normalised value, NaN where missing or the indicator was dropped
    group_scores: np.ndarray  # (n, g) NaN where a group had no child present
    base_score: np.ndarray  # (n,) index before bonus/deduction items, NaN when nothing was present
    adjustment: np.ndarray  # (n,) sum of bonus/deduction points
    score: np.ndarray  # (n,) base_score + adjustment
    rank: np.ndarray  # (n,) int, 1 is best, ties share ("1, 2, 2, 4"), 0 = not ranked (no data)
    indicator_rank: np.ndarray  # (n, m) int, the unit's rank on each indicator, 0 where missing/dropped
    missing: dict[str, list[str]]  # unit -> indicator codes it lacked (dropped indicators not listed)
    dropped: list[tuple[str, str]]  # (indicator code, "no_spread" | "no_data")
    stars: list[list[str]] = field(default_factory=list)  # per unit: indicator codes earning a star
    flags: list[list[dict]] = field(default_factory=list)  # per unit: {"kind": one of FLAG_KINDS, "code"}
    weak: list[list[str]] = field(default_factory=list)  # per unit: weak indicator codes, worst first


def competition_rank(scores, descending: bool = True, tol: float = TIE_TOL) -> np.ndarray:
    """Competition ranks ("1, 2, 2, 4"): 1 is best, NaN gets 0.

    Sorted neighbours whose gap is within tol·max(1, |a|, |b|) are tied; a chain of such neighbours
    forms one tie, so every rank is 1 + the number of units in better (earlier) ties."""
    s = np.asarray(scores, dtype=float)
    ranks = np.zeros(s.shape[0], dtype=np.int64)
    idx = np.flatnonzero(~np.isnan(s))
    if idx.size == 0:
        return ranks
    ranks[idx] = competition_rank_rows(s[idx][None, :], descending, tol)[0]
    return ranks


def competition_rank_rows(scores, descending: bool = True, tol: float = TIE_TOL, out=None) -> np.ndarray:
    """`competition_rank` of every row of a (draws × units) array at once, no NaN allowed: the one tie rule,
    vectorised for the rank intervals (leitai.core.ranking.uncertainty). `out`, when given, is a (draws ×
    units) integer array (any layout, e.g. a transposed view) that receives the ranks and is returned."""
    s = np.asarray(scores, dtype=float)
    d, n = s.shape
    ranks = np.empty((d, n), dtype=np.int64) if out is None else out
    if n == 0:
        return ranks
    key = -s if descending else s
    # Any sort gives the same ranks: equal values are adjacent and tie, whatever their order.
    order = np.argsort(key, axis=1)
    np.put_along_axis(ranks, order, np.broadcast_to(np.arange(1, n + 1), (d, n)), axis=1)  # as if no ties
    sv = np.take_along_axis(key, order, axis=1)
    # Neighbours a, b tie when gap ≤ tol·max(1, |a|, |b|). The row's largest |value| (at one of its ends) bounds
    # that limit, so only the gaps under tol·max(1, max|value|) need the exact test.
    bound = tol * np.maximum(1.0, np.maximum(np.abs(sv[:, 0]), np.abs(sv[:, -1])))
    rows, cols = np.nonzero(np.diff(sv, axis=1) <= bound[:, None])
    if rows.size == 0:
        return ranks
    a, b = sv[rows, cols], sv[rows, cols + 1]
    tied = (b - a) <= tol * np.maximum(1.0, np.maximum(np.abs(a), np.abs(b)))
    rows, pos = rows[tied], cols[tied] + 1  # sorted positions that tie with the one before (row-major order)
    if rows.size:
        # A run of ties shares the rank of its first member: the position before the run's first tied one.
        first = np.ones(rows.size, dtype=bool)
        first[1:] = (rows[1:] != rows[:-1]) | (pos[1:] != pos[:-1] + 1)
        run_start = pos[first][np.cumsum(first) - 1] - 1
        ranks[rows, order[rows, pos]] = run_start + 1
    return ranks


def movement(previous_rank, rank) -> int | None:
    """Places gained since the previous ranking (previous − current: positive moved up);
    None when either rank is missing or 0 (not ranked)."""
    if previous_rank is None or rank is None or int(previous_rank) == 0 or int(rank) == 0:
        return None
    return int(previous_rank) - int(rank)


def weighted_mean(columns: list[np.ndarray], weights: list[float], names: list[str], units: list[str],
                  geometric: bool = False) -> np.ndarray:
    """Σwᵢxᵢ/Σwᵢ (geometric: exp(Σwᵢ·ln xᵢ/Σwᵢ)) over the columns present for each unit.

    Weights are renormalised over the children present; a unit with none present gets NaN. Like R's
    `sum`, products are summed in extended precision and each sum is rounded once."""
    n = len(units)
    num = np.zeros(n, dtype=_LD)
    den = np.zeros(n, dtype=_LD)
    for col, w, name in zip(columns, weights, names, strict=True):
        present = ~np.isnan(col)
        if geometric:
            _check_positive(col, present, name, units)
            term = np.log(np.where(present, col, 1.0)) * w
        else:
            term = np.where(present, col, 0.0) * w
        num += np.where(present, term, 0.0)
        den += present * float(w)
    num_d, den_d = num.astype(float), den.astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(den_d > 0, num_d / np.where(den_d > 0, den_d, 1.0), np.nan)
    return np.exp(out) if geometric else out


def _check_positive(col: np.ndarray, present: np.ndarray, name: str, units: list[str]) -> None:
    bad = np.flatnonzero(present & (col <= 0))
    if bad.size == 0:
        return
    i = int(bad[0])
    value = float(col[i])
    if value == 0:
        raise SpecError(
            f"几何平均要求取值为正：单位 {units[i]} 的 {name} 为 0；请把 scale 的下限设为大于 0（如 [1, 100]）",
            f"geometric mean needs positive values: unit {units[i]} has 0 for {name}; "
            f"use a scale whose low end is above 0 (e.g. [1, 100])",
        )
    raise SpecError(
        f"几何平均要求取值为正：单位 {units[i]} 的 {name} 为负数 {value!r}；请改用算术平均或 scale 下限大于 0 的 minmax",
        f"geometric mean needs positive values: unit {units[i]} has a negative value {value!r} for {name}; "
        f"use arithmetic aggregation or minmax with a scale whose low end is above 0",
    )


@dataclass
class IndexScores:
    """The part of compute_index every rank depends on (no stars, flags, indicator ranks or weak points):
    what the rank intervals need, computed by the very same code."""

    units: list[str]
    normalized: np.ndarray
    dropped: list[tuple[str, str]]
    group_scores: np.ndarray
    base_score: np.ndarray
    adjustment: np.ndarray
    score: np.ndarray
    rank: np.ndarray


def index_scores(units: list[str], indicator_codes: list[str], values: np.ndarray, spec: IndexSpec) -> IndexScores:
    """Normalise, aggregate, adjust and rank: compute_index's scores and ranks, without the rest."""
    units = [str(u) for u in units]
    indicator_codes = [str(c) for c in indicator_codes]
    values = _checked_values(units, indicator_codes, values)
    n = len(units)
    codes = spec.indicator_codes
    normalized = np.full((n, len(codes)), np.nan)
    dropped: list[tuple[str, str]] = []
    column = {c: j for j, c in enumerate(indicator_codes)}
    for k, ind in enumerate(spec.indicators):
        j = column.get(ind.code)
        out = "no_data" if j is None else normalize_column(
            values[:, j], spec.normalization, ind.direction, spec.scale, ind.target)
        if isinstance(out, str):
            dropped.append((ind.code, out))
        else:
            normalized[:, k] = out
    group_scores, base = _aggregate(units, normalized, spec)
    adjustment = np.zeros(n)
    position = {u: i for i, u in enumerate(units)}
    for adj in spec.adjustments:
        i = position.get(adj.unit)
        if i is not None:
            adjustment[i] += adj.points
    score = base + adjustment
    return IndexScores(units, normalized, dropped, group_scores, base, adjustment, score, competition_rank(score))


def compute_index(units: list[str], indicator_codes: list[str], values: np.ndarray, spec: IndexSpec) -> IndexResult:
    """Rank `units` on `values` (units × indicator_codes, NaN = missing) under `spec`."""
    core = index_scores(units, indicator_codes, values, spec)
    units, normalized, dropped, group_scores, rank = core.units, core.normalized, core.dropped, core.group_scores, core.rank
    codes = spec.indicator_codes
    dropped_codes = {c for c, _ in dropped}
    kept = np.array([c not in dropped_codes for c in codes], dtype=bool)
    indicator_rank = np.zeros(normalized.shape, dtype=np.int64)
    for col in np.flatnonzero(kept):
        indicator_rank[:, col] = competition_rank(normalized[:, col])

    lacks = np.isnan(normalized) & kept
    missing = {units[i]: [codes[k] for k in np.flatnonzero(lacks[i])] for i in np.flatnonzero(lacks.any(axis=1))}
    return IndexResult(
        units=units, indicators=codes, groups=spec.group_codes, normalized=normalized,
        group_scores=group_scores, base_score=core.base_score, adjustment=core.adjustment, score=core.score, rank=rank,
        indicator_rank=indicator_rank, missing=missing, dropped=dropped,
        stars=_stars(indicator_rank, kept, codes, spec.awards.star_top_k),
        flags=_flags(rank, group_scores, spec),
        weak=_weak(rank, indicator_rank, kept, codes, spec.weak_k),
    )


def _checked_values(units: list[str], indicator_codes: list[str], values) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.size == 0 and (len(units) == 0 or len(indicator_codes) == 0):
        arr = arr.reshape(len(units), len(indicator_codes))
    if arr.shape != (len(units), len(indicator_codes)):
        raise DataError(
            f"数据矩阵形状 {arr.shape} 与单位数 {len(units)}、指标数 {len(indicator_codes)} 不符",
            f"data matrix shape {arr.shape} does not match {len(units)} units × {len(indicator_codes)} indicators",
        )
    for kind_zh, kind_en, seq in (("单位", "unit", units), ("指标", "indicator", indicator_codes)):
        if len(set(seq)) != len(seq):
            dup = next(x for x in seq if seq.count(x) > 1)
            raise DataError(f"{kind_zh} {dup} 重复出现", f"{kind_en} {dup} appears twice")
    if np.isinf(arr).any():
        i, j = (int(v[0]) for v in np.nonzero(np.isinf(arr)))
        raise DataError(f"单位 {units[i]} 的指标 {indicator_codes[j]} 取值为无穷大",
                        f"unit {units[i]}: indicator {indicator_codes[j]} is infinite")
    return arr


def _aggregate(units: list[str], normalized: np.ndarray, spec: IndexSpec) -> tuple[np.ndarray, np.ndarray]:
    """Group scores bottom-up (children before parents, any depth), then the index over the top level."""
    n = len(units)
    geometric = spec.aggregation == "geometric"
    gcodes = spec.group_codes
    gpos = {g: i for i, g in enumerate(gcodes)}
    group_scores = np.full((n, len(gcodes)), np.nan)
    for ind in spec.indicators:
        if ind.group is not None and ind.group not in gpos:
            raise SpecError(f"指标 {ind.code} 的分组 {ind.group} 不存在", f"indicator {ind.code}: group {ind.group} is not defined")
    parents = {g.code: g.parent for g in spec.groups}

    def depth(code: str) -> int:
        d, node = 0, parents[code]
        while node is not None:
            d, node = d + 1, parents[node]
        return d

    for g in sorted(spec.groups, key=lambda g: -depth(g.code)):  # sorted is stable: spec order within a depth
        cols, weights, names = [], [], []
        for k, ind in enumerate(spec.indicators):
            if ind.group == g.code:
                cols.append(normalized[:, k])
                weights.append(ind.weight)
                names.append(ind.code)
        for child in spec.groups:
            if child.parent == g.code:
                cols.append(group_scores[:, gpos[child.code]])
                weights.append(child.weight)
                names.append(child.code)
        group_scores[:, gpos[g.code]] = weighted_mean(cols, weights, names, units, geometric)

    # The top level: groups without a parent, plus indicators without a group (only possible when no
    # groups are defined, since parse_spec requires a group for every indicator once groups exist).
    cols = [group_scores[:, gpos[g.code]] for g in spec.groups if g.parent is None]
    weights = [g.weight for g in spec.groups if g.parent is None]
    names = [g.code for g in spec.groups if g.parent is None]
    for k, ind in enumerate(spec.indicators):
        if ind.group is None:
            cols.append(normalized[:, k])
            weights.append(ind.weight)
            names.append(ind.code)
    return group_scores, weighted_mean(cols, weights, names, units, geometric)


def _stars(indicator_rank: np.ndarray, kept: np.ndarray, codes: list[str], k: int) -> list[list[str]]:
    n = indicator_rank.shape[0]
    if k <= 0:
        return [[] for _ in range(n)]
    starred = (indicator_rank >= 1) & (indicator_rank <= k) & kept
    return [[codes[j] for j in np.flatnonzero(row)] for row in starred]


def _flags(rank: np.ndarray, group_scores: np.ndarray, spec: IndexSpec) -> list[list[dict]]:
    n = rank.shape[0]
    flags: list[list[dict]] = [[] for _ in range(n)]
    aw = spec.awards
    if aw.category_flags:
        for gi, g in enumerate(spec.groups):
            if g.parent is None:
                for i in np.flatnonzero(competition_rank(group_scores[:, gi]) == 1):
                    flags[i].append({"kind": FLAG_CATEGORY, "code": g.code})
    red = (rank >= 1) & (rank <= aw.red_flags)
    for i in np.flatnonzero(red):
        flags[i].append({"kind": FLAG_RED})
    ranked = rank[rank > 0]
    if aw.yellow_flags > 0 and ranked.size:
        # The n-th worst unit's rank is the boundary: every unit ranked there or below gets a flag.
        boundary = np.sort(ranked)[::-1][min(aw.yellow_flags, ranked.size) - 1]
        for i in np.flatnonzero((rank >= boundary) & ~red):
            flags[i].append({"kind": FLAG_YELLOW})
    return flags


def _weak(rank: np.ndarray, indicator_rank: np.ndarray, kept: np.ndarray, codes: list[str], k: int) -> list[list[str]]:
    """Per unit, up to k indicators in the lower half of its peers, worst relative position first."""
    n = rank.shape[0]
    if k <= 0 or not codes:
        return [[] for _ in range(n)]
    has = (indicator_rank > 0) & kept
    n_present = has.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(n_present > 1, (indicator_rank - 1) / np.maximum(n_present - 1, 1), 0.0)
    eligible = has & (p >= 0.5) & (rank > 0)[:, None]
    keyed = np.where(eligible, p, -1.0)
    order = np.argsort(-keyed, axis=1, kind="stable")[:, :k]
    chosen = np.take_along_axis(eligible, order, axis=1)
    return [[codes[j] for j, ok in zip(order[i], chosen[i], strict=True) if ok] for i in range(n)]
