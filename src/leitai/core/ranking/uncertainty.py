"""Rank intervals of a composite index (指数排名区间): Monte Carlo over the weights and, optionally, the
normalisation and aggregation methods. Pure numpy, vectorised over the draws; the interval rule itself is
leitai.core.intervals (shared with the arena bootstrap). The method is documented in docs/uncertainty.md.

API (used by `leitai index uncertainty` and leitai.rankings.services):

    out = index_uncertainty(units, indicator_codes, values, spec, UncertaintyParams(draws, seed, jitter, alts))
    out.result            the nominal IndexScores (compute_index's scores and ranks, by the same code)
    out.draw_ranks        (draws × units) int ranks of every draw, 0 for units without a nominal rank
    out.median_rank, out.rank_lo, out.rank_hi

Draw order (fixed, so a seed gives the same intervals on every machine numpy's PCG64 runs on):
    rng = numpy.random.default_rng(seed)
    1. factors = rng.uniform(1 − J, 1 + J, size=(draws, m + g)): one row per draw, the m indicators in spec
       order, then the g groups in spec order;
    2. when "normalization" is among the alternatives: rng.integers(0, 3, size=draws) → minmax, zscore, rank;
    3. when "aggregation" is among the alternatives: rng.integers(0, 2, size=draws) → arithmetic, geometric.
    Steps 2 and 3 keep this order whatever the order in which the alternatives were named.

Choices fixed here:
- Every normalisation is computed once per method (it does not depend on the weights); a draw then only
  weighs. Dropped indicators (no spread / no data under that method) are absent in that draw, exactly as in
  compute_index, and missing values renormalise the weights over the children present, per draw.
- A spec normalised by target completion keeps target completion in every draw: the target is the plan's
  policy, not a method choice. The normalisation choice is still drawn (step 2), so the stream of random
  numbers does not depend on the spec, but has no effect.
- Geometric aggregation needs positive values. In a draw whose (normalisation, aggregation) pair differs
  from the spec's, a column with a present value ≤ 0 (zscore always; minmax/target when the scale starts at
  0) is shifted by a constant to start at 1: x − min + 1. The spec's own pair never needs it (compute_index
  refuses a spec whose geometric mean meets a value ≤ 0, and so does this function).
- Bonus/deduction items are added to every draw's index unchanged; ties use competition ranks with TIE_TOL,
  as in compute_index. Units without a nominal rank (no data) are unranked in every draw.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from leitai.core.errors import SpecError
from leitai.core.intervals import rank_intervals
from leitai.core.ranking.index import IndexScores, competition_rank, competition_rank_rows, index_scores
from leitai.core.ranking.normalize import normalize_column
from leitai.core.ranking.spec import IndexSpec

ALTERNATIVES = ("normalization", "aggregation")
ALT_NORMALIZATIONS = ("minmax", "zscore", "rank")
ALT_AGGREGATIONS = ("arithmetic", "geometric")
DEFAULT_DRAWS = 1000
DEFAULT_JITTER = 0.25
_BLOCK_CELLS = 1 << 17  # draws × units per block of work


@dataclass(frozen=True)
class UncertaintyParams:
    """How the draws are made: their number, the seed, the weight jitter J and the alternatives named."""

    draws: int = DEFAULT_DRAWS
    seed: int = 0
    jitter: float = DEFAULT_JITTER
    alternatives: tuple[str, ...] = ()

    def checked(self) -> UncertaintyParams:
        if isinstance(self.draws, bool) or not isinstance(self.draws, int) or self.draws < 1:
            raise SpecError(f"draws 应为不小于 1 的整数，实为 {self.draws!r}",
                            f"draws must be an integer of at least 1, got {self.draws!r}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise SpecError(f"seed 应为非负整数，实为 {self.seed!r}", f"seed must be a non-negative integer, got {self.seed!r}")
        j = self.jitter
        if isinstance(j, bool) or not isinstance(j, int | float) or not 0 <= j < 1:
            raise SpecError(f"jitter 应在 [0, 1) 之内，实为 {j!r}", f"jitter must be in [0, 1), got {j!r}")
        bad = [a for a in self.alternatives if a not in ALTERNATIVES]
        if bad:
            raise SpecError(f"alternatives 只能是 {', '.join(ALTERNATIVES)}，实为 {', '.join(bad)}",
                            f"alternatives must be among {', '.join(ALTERNATIVES)}, got {', '.join(bad)}")
        return UncertaintyParams(int(self.draws), int(self.seed), float(j),
                                 tuple(a for a in ALTERNATIVES if a in self.alternatives))

    def to_dict(self) -> dict:
        return {"draws": self.draws, "seed": self.seed, "jitter": self.jitter, "alternatives": list(self.alternatives)}


def parse_alternatives(text: str | None) -> tuple[str, ...]:
    """`--alternatives normalization,aggregation` → the names (checked by UncertaintyParams.checked)."""
    if not text:
        return ()
    return tuple(dict.fromkeys(p.strip() for p in text.split(",") if p.strip()))


@dataclass
class UncertaintyResult:
    result: IndexScores  # the nominal scores and ranks, exactly compute_index's
    params: UncertaintyParams
    draw_ranks: np.ndarray  # (draws, units)
    median_rank: np.ndarray
    rank_lo: np.ndarray
    rank_hi: np.ndarray
    # With groups=True: per top-level group code, its nominal ranks and (median, lo, hi) over the draws.
    group_rank: dict[str, np.ndarray] = field(default_factory=dict)
    group_intervals: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=dict)


@dataclass(frozen=True)
class Draws:
    """The random choices of every draw, in the documented order."""

    factors: np.ndarray  # (draws, m + g)
    normalization: np.ndarray  # (draws,) index into ALT_NORMALIZATIONS, −1 = the spec's own
    aggregation: np.ndarray  # (draws,) index into ALT_AGGREGATIONS, −1 = the spec's own


def make_draws(spec: IndexSpec, params: UncertaintyParams) -> Draws:
    p = params
    rng = np.random.default_rng(p.seed)
    width = len(spec.indicators) + len(spec.groups)
    factors = rng.uniform(1.0 - p.jitter, 1.0 + p.jitter, size=(p.draws, width))
    none = np.full(p.draws, -1, dtype=np.int64)
    norm = rng.integers(0, len(ALT_NORMALIZATIONS), size=p.draws) if "normalization" in p.alternatives else none
    agg = rng.integers(0, len(ALT_AGGREGATIONS), size=p.draws) if "aggregation" in p.alternatives else none
    return Draws(factors, norm.astype(np.int64), agg.astype(np.int64))


def index_uncertainty(units: list[str], indicator_codes: list[str], values, spec: IndexSpec,
                      params: UncertaintyParams, *, groups: bool = False) -> UncertaintyResult:
    """The nominal ranking of compute_index and the rank intervals over `params.draws` draws.

    With `groups`, also the intervals of every unit's rank on each top-level group's score (the category
    flags are given on those ranks), from the same draws."""
    params = params.checked()
    result = index_scores(units, indicator_codes, values, spec)  # checks the inputs; compute_index's ranks
    n, m = len(result.units), len(spec.indicators)
    raw = np.full((n, m), np.nan)
    column = {str(c): j for j, c in enumerate(indicator_codes)}
    arr = np.asarray(values, dtype=float).reshape(n, len(indicator_codes))
    for k, ind in enumerate(spec.indicators):
        j = column.get(ind.code)
        if j is not None:
            raw[:, k] = arr[:, j]

    draws = make_draws(spec, params)
    ranked = result.rank > 0
    cols = np.flatnonzero(ranked)
    draw_ranks = np.zeros((params.draws, n), dtype=np.int64)
    top = [k for k, g in enumerate(spec.groups) if g.parent is None] if groups else []
    group_draws = {k: np.zeros((params.draws, n), dtype=np.int64) for k in top}
    if cols.size:
        tree = _Tree(spec)
        normalized: dict[str, np.ndarray] = {spec.normalization: result.normalized}
        w = draws.factors * tree.base_weights[None, :]
        for method, aggregation, rows in _combinations(spec, draws):
            if method not in normalized:
                normalized[method] = _normalize_all(raw, method, spec)
            x = normalized[method][cols]
            geometric = aggregation == "geometric"
            if geometric and (method, aggregation) != (spec.normalization, spec.aggregation):
                x = _positive(x)
            prepared = tree.prepare(x, geometric)
            # Blocks of draws small enough for the working arrays to stay in the processor's cache.
            step = max(1, _BLOCK_CELLS // cols.size)
            for at in range(0, rows.size, step):
                block = rows[at:at + step]
                seen: dict[int, np.ndarray] = {}
                base = tree.aggregate(prepared, w[block], geometric, seen if top else None)
                for k in top:
                    _rank_group(group_draws[k], block, cols, seen[k], prepared, k, w[block], tree.m, geometric)
                base += result.adjustment[cols][None, :]
                draw_ranks[np.ix_(block, cols)] = competition_rank_rows(base)
    # Column-major for the quantiles: each unit's draws contiguous (same values, faster partition).
    median, lo, hi = rank_intervals(result.rank, np.asfortranarray(draw_ranks))
    out = UncertaintyResult(result, params, draw_ranks, median, lo, hi)
    for k in top:
        nominal = competition_rank(result.group_scores[:, k])
        out.group_rank[spec.groups[k].code] = nominal
        out.group_intervals[spec.groups[k].code] = rank_intervals(nominal, np.asfortranarray(group_draws[k]))
    return out


def _rank_group(into: np.ndarray, block: np.ndarray, cols: np.ndarray, term: np.ndarray, prepared: list[tuple],
                k: int, w: np.ndarray, m: int, geometric: bool) -> None:
    """Rank one top-level group's scores in a block of draws among the units that have the group."""
    has = prepared[-1][8][k]
    if not has.any():
        return
    score = term[:, has] / w[:, m + k][:, None]  # undo the parent's weight folded in
    if geometric:
        score = np.exp(score)
    into[np.ix_(block, cols[has])] = competition_rank_rows(score)


def _combinations(spec: IndexSpec, draws: Draws):
    """(normalisation, aggregation, draw indices) for each pair drawn, in a fixed order."""
    norm = np.array([spec.normalization, *ALT_NORMALIZATIONS])[draws.normalization + 1]
    if spec.normalization == "target":
        norm[:] = "target"
    agg = np.array([spec.aggregation, *ALT_AGGREGATIONS])[draws.aggregation + 1]
    for method in dict.fromkeys([spec.normalization, *ALT_NORMALIZATIONS]):
        for aggregation in dict.fromkeys([spec.aggregation, *ALT_AGGREGATIONS]):
            rows = np.flatnonzero((norm == method) & (agg == aggregation))
            if rows.size:
                yield method, aggregation, rows


def _normalize_all(raw: np.ndarray, method: str, spec: IndexSpec) -> np.ndarray:
    out = np.full(raw.shape, np.nan)
    for k, ind in enumerate(spec.indicators):
        col = normalize_column(raw[:, k], method, ind.direction, spec.scale, ind.target)
        if not isinstance(col, str):
            out[:, k] = col
    return out


def _positive(x: np.ndarray) -> np.ndarray:
    """Columns with a present value ≤ 0 shifted to start at 1 (geometric aggregation of an alternative)."""
    present = ~np.isnan(x)
    with np.errstate(invalid="ignore"):
        low = np.nanmin(np.where(present, x, np.inf), axis=0)
    shift = np.where(np.isfinite(low) & (low <= 0), 1.0 - low, 0.0)
    return x + shift[None, :]


class _Tree:
    """The spec's weighting tree, prepared once: for each group (deepest first) its indicator and group
    children, then the top level — the same order compute_index aggregates in."""

    def __init__(self, spec: IndexSpec):
        m = len(spec.indicators)
        self.base_weights = np.array([i.weight for i in spec.indicators] + [g.weight for g in spec.groups], dtype=float)
        gpos = {g.code: i for i, g in enumerate(spec.groups)}
        parents = {g.code: g.parent for g in spec.groups}

        def depth(code: str) -> int:
            d, node = 0, parents[code]
            while node is not None:
                d, node = d + 1, parents[node]
            return d

        self.levels: list[tuple[int | None, np.ndarray, np.ndarray]] = []  # (group index or None=top, inds, groups)
        for g in sorted(spec.groups, key=lambda g: -depth(g.code)):
            inds = [k for k, i in enumerate(spec.indicators) if i.group == g.code]
            kids = [gpos[c.code] for c in spec.groups if c.parent == g.code]
            self.levels.append((gpos[g.code], np.array(inds, dtype=np.int64), np.array(kids, dtype=np.int64)))
        top_kids = [gpos[g.code] for g in spec.groups if g.parent is None]
        top_inds = [k for k, i in enumerate(spec.indicators) if i.group is None]
        self.levels.append((None, np.array(top_inds, dtype=np.int64), np.array(top_kids, dtype=np.int64)))
        self.m = m

    def prepare(self, x: np.ndarray, geometric: bool) -> list[tuple]:
        """What the draws share for normalised values x (n × m): per level its children's values (geometric:
        logs) laid out for one matrix product, and the presence of every child (it does not depend on the
        draw). Every unit of x must have a value somewhere (a nominal rank)."""
        present = ~np.isnan(x)
        terms = np.where(present, np.log(np.where(present, x, 1.0)) if geometric else x, 0.0)
        pres_f = present.astype(float)
        has: dict[int, np.ndarray] = {}
        out: list[tuple] = []
        for g, inds, kids in self.levels:
            p_cols = np.concatenate([pres_f[:, inds], *(has[int(c)][:, None] for c in kids)], axis=1)
            here = p_cols.any(axis=1)
            partial = np.flatnonzero(here & ~p_cols.all(axis=1))
            if partial.size * 4 > here.size:  # many partial units: one product for every unit's denominator
                partial = np.arange(here.size)
            out.append((g, inds, kids, np.ascontiguousarray(terms[:, inds].T), np.concatenate([inds, self.m + kids]),
                        partial, np.ascontiguousarray(p_cols[partial].T), np.flatnonzero(~here),
                        {int(c): has[int(c)] > 0 for c in kids}))
            if g is not None:
                has[g] = here.astype(float)
        return out

    def aggregate(self, prepared: list[tuple], w: np.ndarray, geometric: bool,
                  seen: dict | None = None) -> np.ndarray:
        """Index per draw and unit (d × n) for the draw weights w (d × (m+g)).

        Each group's weighted mean is Σwᵢtᵢ / Σwᵢpᵢ over its children, t the child's value (geometric: its
        log) and p 1 where present; a child's weight in its parent is folded into its own denominator, so the
        parent only adds. Units with every child present share the denominator Σwᵢ of the
        draw; the others get theirs from one product with their presence. An absent group carries 0.
        `seen`, when given, receives a copy of each top-level group's (weighted) term."""
        g_term: dict[int, np.ndarray] = {}  # group → (d × n) its weight × its mean (geometric: of logs)
        num = np.empty((0, 0))
        for g, inds, kids, terms_t, cols, partial, p_partial_t, absent, _kids_here in prepared:
            if g is None and seen is not None:  # the top-level groups, before they are summed
                seen.update({int(c): g_term[int(c)].copy() for c in kids})
            # The group's weight in its parent (1 at the top), one per draw.
            fold = w[:, self.m + g] if g is not None else np.ones(w.shape[0])
            if inds.size:
                num = w[:, inds] @ terms_t
            else:
                num = g_term.pop(int(kids[0]))
                kids = kids[1:]
            for c in kids:
                num += g_term.pop(int(c))
            w_cols = w[:, cols] / fold[:, None]  # the fold on the small weight matrix, not on (d × n)
            if partial.size == num.shape[1]:
                with np.errstate(invalid="ignore", divide="ignore"):
                    np.divide(num, w_cols @ p_partial_t, out=num)
            else:
                if partial.size:
                    part = num[:, partial] / (w_cols @ p_partial_t)
                np.divide(num, w_cols.sum(axis=1)[:, None], out=num)
                if partial.size:
                    num[:, partial] = part
            if absent.size:
                num[:, absent] = 0.0
            if g is not None:
                g_term[g] = num
        return np.exp(num) if geometric else num
