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
from functools import cached_property

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
MAX_PLAN_DRAWS = 20000  # a plan's own draws (the server computes them); the command line takes any number
# Work is tiled: a block of draws × a chunk of units, small enough for the few working arrays of a tile to stay
# in a core's L2 cache while the values of the chunk are read once per block (not once per few draws).
_CHUNK_UNITS = 512
_TILE_CELLS = 1 << 16
_RANK_ROWS = 32  # draws ranked at once


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


def spec_params(section, seed: int) -> UncertaintyParams:
    """A plan's own interval settings (the optional "uncertainty" object of its spec: draws, jitter,
    alternatives; `index compute` ignores it) with the seed the product fixes; defaults where absent. Errors
    name the field (uncertainty.draws …)."""
    if section is None:
        section = {}
    if not isinstance(section, dict):
        raise SpecError("uncertainty 应为 JSON 对象", "uncertainty must be a JSON object")
    alternatives = section.get("alternatives") or []
    if not isinstance(alternatives, list):
        raise SpecError("uncertainty.alternatives 应为列表", "uncertainty.alternatives must be a list")
    try:
        params = UncertaintyParams(section.get("draws", DEFAULT_DRAWS), seed, section.get("jitter", DEFAULT_JITTER),
                                   tuple(str(a) for a in alternatives)).checked()
    except SpecError as e:
        raise SpecError(f"uncertainty.{e.zh}", f"uncertainty.{e.en}") from e
    if params.draws > MAX_PLAN_DRAWS:  # every computed ranking runs them on the server: keep that bounded
        raise SpecError(f"uncertainty.draws 最多 {MAX_PLAN_DRAWS}，实为 {params.draws}",
                        f"uncertainty.draws must be at most {MAX_PLAN_DRAWS}, got {params.draws}")
    return params


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
    # Stored unit-major (each unit's draws contiguous, as the quantiles read them); draw_ranks is its transpose.
    by_unit = np.zeros((n, params.draws), dtype=_rank_dtype(n))
    top = [k for k, g in enumerate(spec.groups) if g.parent is None] if groups else []
    group_draws = {k: np.zeros((n, params.draws), dtype=_rank_dtype(n)).T for k in top}
    if cols.size:
        tree = _Tree(spec)
        # by_unit's rows of the ranked units (by_unit itself when every unit is ranked)
        by_row = by_unit if cols.size == n else np.zeros((cols.size, params.draws), dtype=by_unit.dtype)
        normalized: dict[str, np.ndarray] = {spec.normalization: result.normalized}
        w = draws.factors * tree.base_weights[None, :]
        bonus = np.flatnonzero(result.adjustment[cols])  # the few units with a bonus or a deduction
        for method, aggregation, rows in _combinations(spec, draws):
            if method not in normalized:
                normalized[method] = _normalize_all(raw, method, spec)
            x = normalized[method][cols]
            geometric = aggregation == "geometric"
            if geometric and (method, aggregation) != (spec.normalization, spec.aggregation):
                x = _positive(x)
            step = min(rows.size, max(1, _TILE_CELLS // min(cols.size, _CHUNK_UNITS)))
            plan = tree.plan(x, geometric, frozenset(top), step)
            for at in range(0, rows.size, step):
                block = rows[at:at + step]
                seen: dict[int, np.ndarray] = {}
                base = plan.aggregate(w[block], seen if top else None)
                for k in top:
                    _rank_group(group_draws[k], block, cols, seen[k], plan.top_here[k], geometric)
                if bonus.size:
                    base[:, bonus] += result.adjustment[cols][bonus]
                # Ranked a few draws at a time: the sort's working arrays stay in cache.
                for sub in range(0, block.size, _RANK_ROWS):
                    _rank_into(by_row, block[sub:sub + _RANK_ROWS], base[sub:sub + _RANK_ROWS])
        if by_row is not by_unit:
            by_unit[cols] = by_row
    draw_ranks = by_unit.T
    median, lo, hi = rank_intervals(result.rank, draw_ranks)
    out = UncertaintyResult(result, params, draw_ranks, median, lo, hi)
    for k in top:
        nominal = competition_rank(result.group_scores[:, k])
        out.group_rank[spec.groups[k].code] = nominal
        out.group_intervals[spec.groups[k].code] = rank_intervals(nominal, group_draws[k])
    return out


def _rank_group(into: np.ndarray, block: np.ndarray, cols: np.ndarray, mean: np.ndarray, has: np.ndarray,
                geometric: bool) -> None:
    """Rank one top-level group's scores in a block of draws among the units that have the group."""
    if not has.any():
        return
    score = mean[:, has]
    if geometric:
        score = np.exp(score)
    _store(into.T, block, cols[has], competition_rank_rows(score))


def _rank_dtype(n: int):
    """The narrowest integer type that holds ranks 0…n (16 bits up to 65,535 units: half the memory traffic)."""
    return np.uint16 if n <= np.iinfo(np.uint16).max else np.int64


def _rank_into(by_row: np.ndarray, block: np.ndarray, scores: np.ndarray) -> None:
    """Rank a few draws' scores (over all of by_row's units) straight into the unit-major store when the draws
    are a plain slice of it."""
    if block.size and block[-1] - block[0] == block.size - 1:
        competition_rank_rows(scores, out=by_row[:, block[0]:block[-1] + 1].T)
    else:
        _store(by_row, block, np.arange(by_row.shape[0]), competition_rank_rows(scores))


def _store(by_unit: np.ndarray, block: np.ndarray, cols: np.ndarray, ranks: np.ndarray) -> None:
    """Write a block's (draws × units) ranks into the unit-major store; a run of draws is a plain slice."""
    if block.size and block[-1] - block[0] == block.size - 1:
        by_unit[cols, block[0]:block[-1] + 1] = ranks.T
    else:
        by_unit[np.ix_(cols, block)] = ranks.T


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
    """The spec's weighting tree: its nodes are the groups, deepest first, then the root (None).

    A group's weighted mean is Σwᵢtᵢ / Σwᵢpᵢ over its children, t a child's value (geometric: its log) and
    p 1 where present. Where every unit that has the group has all its children, the denominator is the draw's
    Σwᵢ, the same for all units: such a group needs no (draws × units) array of its own, its children's
    weights scaled by a factor per draw fold into the nearest array above (`_Part.weights`). Only the root,
    the groups some units miss a child of (their denominators differ by unit) and the groups whose own ranks
    are wanted hold an array. It is compute_index's weighted mean, summed in another order."""

    def __init__(self, spec: IndexSpec):
        m = len(spec.indicators)
        self.m = m
        self.base_weights = np.array([i.weight for i in spec.indicators] + [g.weight for g in spec.groups], dtype=float)
        gpos = {g.code: i for i, g in enumerate(spec.groups)}
        parents = {g.code: g.parent for g in spec.groups}

        def depth(code: str) -> int:
            d, node = 0, parents[code]
            while node is not None:
                d, node = d + 1, parents[node]
            return d

        self.nodes: list[int | None] = [gpos[g.code] for g in sorted(spec.groups, key=lambda g: -depth(g.code))]
        self.nodes.append(None)
        self.parent: dict[int, int | None] = {gpos[g.code]: None if g.parent is None else gpos[g.parent]
                                              for g in spec.groups}
        self.node_of_ind = [None if i.group is None else gpos[i.group] for i in spec.indicators]
        self.inds = {g: np.array([k for k in range(m) if self.node_of_ind[k] == g], dtype=np.int64)
                     for g in self.nodes}
        self.kids = {g: np.array([c for c in self.parent if self.parent[c] == g], dtype=np.int64)
                     for g in self.nodes}

    def plan(self, x: np.ndarray, geometric: bool, keep=frozenset(), block: int = 1) -> _Plan:
        """The aggregation of normalised values x (n × m) for blocks of up to `block` draws, in chunks of
        units (a unit's index does not depend on the other units, so each chunk is planned on its own)."""
        n = x.shape[0]
        pool: dict[tuple, np.ndarray] = {}  # working buffers, shared by the chunks (one chunk works at a time)
        parts = [self.prepare(x[at:at + _CHUNK_UNITS], geometric, keep, block, pool)
                 for at in range(0, n, _CHUNK_UNITS)]
        return _Plan(parts, np.empty((block, n)), geometric,
                     {int(c): np.concatenate([p.top_here[int(c)] for p in parts]) for c in self.kids[None]})

    def prepare(self, x: np.ndarray, geometric: bool, keep=frozenset(), block: int = 1,
                pool: dict | None = None) -> _Part:
        """What every draw shares for normalised values x (n × m): which nodes hold an array, their children
        present for somebody (a child nobody has counts nowhere), the presence of every child (it does not
        depend on the draw) and the values laid out for one matrix product per array. `keep`: groups whose
        mean is wanted (they hold an array); `block`: the most draws aggregated at once. Every unit of x must
        have a value somewhere (a nominal rank)."""
        n = x.shape[0]
        present = ~np.isnan(x)
        terms = np.where(present, np.log(np.where(present, x, 1.0)) if geometric else x, 0.0)
        pres_f = present.astype(float)
        has: dict[int, np.ndarray] = {}
        nodes: dict[int | None, _Node] = {}
        for g in self.nodes:
            inds = self.inds[g][present[:, self.inds[g]].any(axis=0)] if self.inds[g].size else self.inds[g]
            kids = np.array([c for c in self.kids[g].tolist() if has[c].any()], dtype=np.int64)
            p_cols = np.concatenate([pres_f[:, inds], *(has[int(c)][:, None] for c in kids)], axis=1)
            here = np.asarray(p_cols.any(axis=1))
            partial = np.flatnonzero(here & ~p_cols.all(axis=1))
            full = partial.size * 4 > here.size  # many partial units: one product for every unit's denominator
            if full:
                partial = np.arange(n)
            nodes[g] = _Node(np.concatenate([inds, self.m + kids]), partial, full,
                             np.ascontiguousarray(p_cols[partial].T), np.flatnonzero(~here), here)
            if g is not None:
                has[g] = here.astype(float)
        held = [g for g in self.nodes if g is None or g in keep or nodes[g].partial.size]

        def holder(g: int | None) -> int | None:  # the node whose array a node's own children add into
            while g not in held:
                g = self.parent[g]  # type: ignore[index]
            return g

        index = {g: i for i, g in enumerate(self.nodes)}
        somebody = present.any(axis=0).tolist()  # indicators anybody in the chunk has
        holders = [holder(self.node_of_ind[k]) for k in range(self.m)]
        pool = {} if pool is None else pool

        def buffer(k: int, kind: str, shape: tuple) -> np.ndarray:
            return pool.setdefault((k, kind, shape), np.empty(shape))

        arrays: list[_Array] = []
        for g in held:  # deepest first: an array is finished before the one above it needs it
            mine = [k for k in range(self.m) if somebody[k] and holders[k] == g]
            arrays.append(_Array(g, None if g is None else holder(self.parent[g]), np.array(mine, dtype=np.int64),
                                 np.array([index[self.node_of_ind[k]] for k in mine], dtype=np.int64),
                                 np.ascontiguousarray(terms[:, mine].T), buffer(len(arrays), "acc", (block, n)),
                                 buffer(len(arrays), "den", (block, nodes[g].partial.size))))
        return _Part(self, nodes, set(held), arrays, index, {int(c): nodes[int(c)].here for c in self.kids[None]})


@dataclass
class _Node:
    """A node's children present for somebody (columns of w), its units missing a child (all units when
    `full`), their children's presence (children × those units) and its units without any child."""

    cols: np.ndarray
    partial: np.ndarray
    full: bool
    p_t: np.ndarray
    absent: np.ndarray
    here: np.ndarray


@dataclass
class _Array:
    """A node that holds a (draws × units) array: the indicators it sums directly (its own and those of the
    nodes below it that hold none), each indicator's node, their values (indicators × units), the array it
    adds its finished term into, and working buffers for a block of draws."""

    node: int | None
    into: int | None
    ind_cols: np.ndarray
    ind_nodes: np.ndarray
    terms_t: np.ndarray
    buffer: np.ndarray
    den: np.ndarray


@dataclass
class _Plan:
    parts: list[_Part]  # one per chunk of units, in order
    out: np.ndarray  # (block × units): the index of a block of draws
    geometric: bool
    top_here: dict[int, np.ndarray]  # top-level group → which units have it

    def aggregate(self, w: np.ndarray, seen: dict | None = None) -> np.ndarray:
        """Index per draw and unit (d × n) for the draw weights w (d × (m+g)), in a buffer valid until the
        next call. `seen`, when given, receives each kept top-level group's mean (geometric: of logs)."""
        d = w.shape[0]
        out = self.out[:d]
        if seen is not None:
            seen.update({k: np.empty_like(out) for k in self.top_here})
        at = 0
        prepared: dict[tuple, _Weights] = {}
        for part in self.parts:
            key = part.signature
            if key not in prepared:
                prepared[key] = part.weights(w)
            size = part.units
            part.aggregate(prepared[key], seen, at, out[:, at:at + size])
            at += size
        return np.exp(out, out=out) if self.geometric else out


@dataclass
class _Part:
    """The aggregation of one chunk of units."""

    tree: _Tree
    nodes: dict[int | None, _Node]
    held: set
    arrays: list[_Array]
    index: dict[int | None, int]  # node → its column in factors()
    top_here: dict[int, np.ndarray]  # top-level group → which units of the chunk have it

    @property
    def units(self) -> int:
        return self.arrays[0].buffer.shape[1]

    @cached_property
    def signature(self) -> tuple:
        """What the draw weights of a block are prepared by: chunks with the same signature share them."""
        return tuple((g in self.held, n.full, n.cols.tobytes()) for g, n in self.nodes.items()) + tuple(
            (a.node, a.ind_cols.tobytes()) for a in self.arrays)

    def weights(self, w: np.ndarray) -> _Weights:
        """The block's weights as this chunk's arrays use them. rel: the factor of a node's mean in the array
        it adds into (the root: 1); phi: the factor of its children's weights, phi(node) = rel(node) / Σwᵢ,
        or rel itself for a node that divides every unit by its own Σwᵢpᵢ. A group's rel is phi(parent) · its
        weight."""
        tree, m = self.tree, self.tree.m
        phi = np.empty((w.shape[0], len(tree.nodes)))
        rel = np.empty_like(phi)
        totals: dict = {}
        for g in reversed(tree.nodes):  # the root first
            i = self.index[g]
            rel[:, i] = 1.0 if g is None else phi[:, self.index[tree.parent[g]]] * w[:, m + g]
            node = self.nodes[g]
            if g in self.held and node.full:
                phi[:, i] = rel[:, i]
            else:  # a node nobody has a child of has no Σwᵢ (and nothing to scale): 0
                total = totals[g] = w[:, node.cols].sum(axis=1)
                np.divide(rel[:, i], total, out=phi[:, i], where=total > 0)
                phi[total <= 0, i] = 0.0
        num = [w[:, a.ind_cols] * phi[:, a.ind_nodes] if a.ind_cols.size else None for a in self.arrays]
        den = [w[:, self.nodes[a.node].cols] if self.nodes[a.node].partial.size else None for a in self.arrays]
        fix = [totals[a.node][:, None] if self.nodes[a.node].partial.size and not self.nodes[a.node].full
               else None for a in self.arrays]
        return _Weights(rel, num, den, fix)

    def aggregate(self, ws: _Weights, seen: dict | None, at: int, out: np.ndarray) -> None:
        """The chunk's index (geometric: its log) per draw and unit for a block's weights, into `out` (d ×
        the chunk's units); `seen`: the kept groups' means go to their columns at…

        Each array is finished deepest first and added into the array above; an array nothing has been added
        into yet and with no indicators of its own takes the finished values directly (no zeros, no sum)."""
        d = ws.rel.shape[0]
        position = {a.node: k for k, a in enumerate(self.arrays)}
        targets = [out if a.node is None else a.buffer[:d] for a in self.arrays]
        started = [False] * len(self.arrays)

        def begun(k: int) -> np.ndarray:
            if not started[k]:
                started[k] = True
                if ws.num[k] is not None:
                    np.matmul(ws.num[k], self.arrays[k].terms_t, out=targets[k])
                else:
                    targets[k].fill(0.0)
            return targets[k]

        with np.errstate(invalid="ignore", divide="ignore"):
            for k, a in enumerate(self.arrays):  # deepest first
                acc = begun(k)
                node = self.nodes[a.node]
                into = position.get(a.into, -1) if a.node is not None else -1
                handover = into >= 0 and not started[into] and ws.num[into] is None
                if seen is not None and a.node in self.top_here:
                    handover = False
                done = False
                if node.partial.size:
                    den = a.den[:d]
                    np.matmul(ws.den[k], node.p_t, out=den)
                    if node.full and handover and not node.absent.size:  # phi = rel: divide by Σwᵢpᵢ
                        np.divide(acc, den, out=targets[into])
                        started[into] = done = True
                    elif node.full:
                        np.divide(acc, den, out=acc)
                    else:  # phi = rel / Σwᵢ: correct the few units missing a child by Σwᵢ / Σwᵢpᵢ
                        acc[:, node.partial] *= ws.fix[k] / den
                    if node.absent.size:
                        acc[:, node.absent] = 0.0
                if a.node is None:
                    return
                if seen is not None and a.node in self.top_here:
                    np.divide(acc, ws.rel[:, self.index[a.node]][:, None], out=seen[a.node][:, at:at + acc.shape[1]])
                if done:
                    continue
                if handover:
                    targets[into][...] = acc
                    started[into] = True
                else:
                    begun(into)[...] += acc
        raise AssertionError("the root holds the last array")  # pragma: no cover


@dataclass
class _Weights:
    """A block's draw weights prepared for the arrays of a chunk (see _Part.weights)."""

    rel: np.ndarray
    num: list
    den: list
    fix: list
