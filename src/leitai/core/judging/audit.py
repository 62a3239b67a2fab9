"""The judges' audit (评委审计): which judge of an arena's panel is lenient, severe, erratic or favours the
contestants they are linked to. Pure (stdlib + numpy); `leitai arena audit`, the arena's audit pages, its API
and the tally's `drop_flagged` calibration all call `audit`.

    result = audit(sheets, rubric, links={("J3", "C2"): "挂钩联系"}, threshold=None)

The contract (docs/contracts.md, "arena audit"; choices in docs/uncertainty.md, "评委审计 / Judge audit"):
- A judge's total for a contestant is the tally's (core/judging/tally.py `complete_totals`): incomplete
  sheets are left out, as the tally leaves them out.
- Consensus of judge j for contestant c: the mean total of the *other* judges of j's group who scored c,
  leaving out judges excluded as lenient/severe (below); only when every other judge of the group is
  excluded, all the other judges who scored c (so a contestant scored by excluded judges only has no
  consensus for j). Deviation d = total − consensus; a sheet without any other judge of the group has none
  and is not counted (`sheets` counts the sheets with a deviation).
- leniency = mean d, with a Student t 95 % interval (n − 1 degrees of freedom): mean ± t₀.₉₇₅ · s / √n,
  s the sample standard deviation; no interval with one sheet. `lenient` when lo > T, `severe` when
  hi < −T. T defaults to 5 % of the highest possible total (Σ w·max / Σ w).
- consistency = Spearman's rank correlation (average ranks for ties) of the judge's totals and their ranking
  reference: the contestant effects of the additive model (total = contestant + judge offset) fitted by least
  squares to the other judges' sheets (all of them, one excluded for leniency still ranks; only sheets left
  out for favour stay out); of the many fits, numpy lstsq's minimum-norm one (Σμ = Σb on each connected part of
  the judge–contestant graph), rounded to 1e-9. It is computed without a fit per judge: the judge offsets are
  eliminated once, leaving a contestants × contestants system per judge (or a closed form when no sheet is
  missing). Undefined when fewer than 2 contestants or either side constant. `erratic` when
  below 0.5 with at least 5 such contestants. A constant added to a judge is absorbed by their offset: it
  moves nobody's ranking reference, missing sheets or not.
- favour = mean d on linked contestants − mean d on the others, with a Welch t 95 % interval
  (Welch–Satterthwaite degrees of freedom); defined when both sides have a sheet, interval when both have
  at least 2 (the interval collapses to the point when both sides have zero spread). `favours_linked`
  when lo > T.
- Excluding biased judges from the consensus (so planting a bias on one judge moves no one else's flag):
  per group, pass 0 excludes nobody. After each pass, while some judge still counted is flagged lenient or
  severe or has |leniency| > 2T (an interval too wide to flag), the counted judge with the largest |leniency| is excluded (ties: the first in code order), one per
  pass; else, while a judge flagged favours_linked still has their linked sheets counted, those sheets (of
  the one with the largest favour) leave the consensus; else every excluded judge whose |leniency| is now at
  most T is counted again, and the linked sheets of judges no longer flagged favours_linked too. It stops
  when nothing changes or a state repeats, after at most 4·(judges + 1) passes; the last pass is reported.
  The judge measured is never in their own consensus. Erratic judges are not excluded (docs/uncertainty.md).
- Contestants are taken in code order for the sums, so the output does not depend on the order of the sheets.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from leitai.core.judging.rubric import Rubric, exact
from leitai.core.judging.tally import Sheet, complete_totals

__all__ = ["FLAGS", "JudgeAudit", "AuditResult", "audit", "default_threshold", "t_quantile", "spearman"]

# The flags, in the order they are listed; their Chinese names for pages and errors.
FLAGS = ("lenient", "severe", "erratic", "favours_linked")
FLAG_NAMES_ZH = {"lenient": "偏宽", "severe": "偏严", "erratic": "不稳定", "favours_linked": "偏向关联单位"}
ERRATIC_BELOW = 0.5
ERRATIC_MIN_CONTESTANTS = 5
CONFIDENCE = 0.95
# A judge still counted whose |leniency| exceeds this many T starts an exclusion pass even when unflagged.
EXCLUDE_BEYOND = 2.0


@dataclass
class JudgeAudit:
    """One judge's line of the audit (None where undefined)."""

    judge: str
    group: str
    sheets: int
    leniency: float | None = None
    leniency_lo: float | None = None
    leniency_hi: float | None = None
    consistency: float | None = None
    favour: float | None = None
    favour_lo: float | None = None
    favour_hi: float | None = None
    flags: list[str] = field(default_factory=list)
    linked: int = 0  # how many of the judge's compared sheets are for a linked contestant


@dataclass
class AuditResult:
    """The audit: one line per judge who has a complete sheet, sorted by group (rubric order) then judge;
    `threshold` is the T used; `excluded` the judges left out of the others' consensus (group → judges)."""

    threshold: float
    rows: list[JudgeAudit]
    excluded: dict[str, list[str]]

    def __getitem__(self, judge: str) -> JudgeAudit:
        return next(r for r in self.rows if r.judge == judge)

    @property
    def flagged(self) -> dict[str, list[str]]:
        return {r.judge: r.flags for r in self.rows if r.flags}


def default_threshold(rubric: Rubric) -> float:
    """5 % of the highest possible total, Σ w·max / Σ w (exactly, then the nearest float)."""
    weights = [exact(c.weight) for c in rubric.criteria]
    top = sum((w * exact(c.max) for w, c in zip(weights, rubric.criteria, strict=True)), exact(0)) / sum(weights)
    return float(top / 20)


# ------------------------------------------------------------------------------------------ t quantile

def _betacf(a: float, b: float, x: float) -> float:
    """The continued fraction of the regularised incomplete beta (modified Lentz)."""
    tiny, eps = 1e-300, 1e-16
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 1000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < eps:
            break
    return h


def _betainc(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def _t_upper(t: float, df: float) -> float:
    """P(T > t) for t ≥ 0, Student t with df degrees of freedom."""
    return 0.5 * _betainc(df / 2.0, 0.5, df / (df + t * t))


@functools.lru_cache(maxsize=4096)
def t_quantile(p: float, df: float) -> float:
    """The p quantile (p > 0.5) of Student's t with df > 0 degrees of freedom (df may be fractional, as
    Welch's is): the CDF inverted by bisection to full float precision. t_quantile(0.975, 4) = 2.776445…"""
    if not 0.5 < p < 1.0 or not df > 0:
        raise ValueError("t_quantile needs 0.5 < p < 1 and df > 0")
    tail = 1.0 - p
    if df >= 1e5:
        # The normal quantile with the Cornish–Fisher terms of t (error far below 1e-9 here); the incomplete
        # beta loses digits as df grows.
        z = _bisect(lambda x: 0.5 * math.erfc(x / math.sqrt(2.0)), tail)
        if math.isinf(df):
            return z
        return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df)
    return _bisect(lambda x: _t_upper(x, df), tail)


def _bisect(upper, tail: float) -> float:
    """The x ≥ 0 where the decreasing upper(x) equals tail, to full float precision."""
    lo, hi = 0.0, 1.0
    while upper(hi) > tail:
        hi *= 2.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break
        if upper(mid) > tail:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


# --------------------------------------------------------------------------------------------- Spearman

def average_ranks(x: np.ndarray) -> np.ndarray:
    """Ranks 1..n of x, tied values sharing the mean of their ranks."""
    _, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    return ((ends - (counts - 1) / 2.0)[inverse]).astype(float)


def spearman(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray) -> float | None:
    """Spearman's rank correlation with average ranks for ties (Pearson's r of the ranks); None when fewer
    than 2 pairs or either side is constant."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(x) < 2 or np.all(x == x[0]) or np.all(y == y[0]):
        return None
    rx, ry = average_ranks(x), average_ranks(y)
    rx, ry = rx - rx.mean(), ry - ry.mean()
    return float(np.clip((rx * ry).sum() / math.sqrt((rx * rx).sum() * (ry * ry).sum()), -1.0, 1.0))


# ------------------------------------------------------------------------------------------------ audit

def _welch(a: np.ndarray, b: np.ndarray) -> tuple[float | None, float | None, float | None]:
    if len(a) == 0 or len(b) == 0:
        return None, None, None
    diff = float(a.mean() - b.mean())
    if len(a) < 2 or len(b) < 2:
        return diff, None, None
    va, vb = float(a.var(ddof=1)) / len(a), float(b.var(ddof=1)) / len(b)
    se2 = va + vb
    if se2 == 0.0:
        return diff, diff, diff
    df = se2 * se2 / (va * va / (len(a) - 1) + vb * vb / (len(b) - 1))
    half = t_quantile(0.5 + CONFIDENCE / 2, df) * math.sqrt(se2)
    return diff, diff - half, diff + half


def _consensus(m: np.ndarray, v: np.ndarray, excluded: np.ndarray, out: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each judge's consensus per contestant (judges × contestants) and whether it exists: the mean of the
    other judges who scored the contestant, leaving out the excluded judges and the cells `out` (a judge's
    sheets for the contestants they favour); for a judge all of whose fellow judges are excluded, the mean of
    all the other judges who scored it."""
    mv = np.where(v, m, 0.0)
    n_all, s_all = v.sum(axis=0), mv.sum(axis=0)
    keep = v & ~excluded[:, None] & ~out
    n_keep, s_keep = keep.sum(axis=0), np.where(keep, m, 0.0).sum(axis=0)
    # Leave the judge out of their own consensus.
    n_k = n_keep[None, :] - keep.astype(float)
    s_k = s_keep[None, :] - np.where(keep, m, 0.0)
    n_a = n_all[None, :] - v.astype(float)
    s_a = s_all[None, :] - mv
    # Only when every other judge of the group is excluded does a judge's consensus fall back to all of them;
    # otherwise a contestant scored only by excluded judges has no consensus for this judge.
    others_kept = (len(excluded) - excluded.sum() - (~excluded).astype(int)) > 0
    use_keep = np.broadcast_to(others_kept[:, None], v.shape)
    n = np.where(use_keep, n_k, n_a)
    s = np.where(use_keep, s_k, s_a)
    has = v & (n > 0)
    return np.where(has, s / np.where(n > 0, n, 1.0), np.nan), has


def _ranking_reference(m: np.ndarray, v: np.ndarray, out: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each judge's ranking reference per contestant (judges × contestants) and whether it exists: the
    contestant effects μ of the additive model total = μ_contestant + b_judge fitted by least squares to the
    *other* judges' sheets (all of them, whatever their leniency; only the cells `out`, favoured sheets,
    left out). A constant added to any other judge is absorbed by their b, so it moves nobody's reference
    but by a common constant (ranks unchanged), missing sheets or not; and a judge who missed a strong or weak
    contestant does not shift the others (as a plain mean would)."""
    judges, contestants = m.shape
    usable = v & ~out
    if judges > 1 and usable.all():
        # Every judge scored every contestant: the least-squares effects without judge i are, in closed form, the
        # other judges' mean per contestant shifted by the minimum-norm constant (Σμ = Σb): μ = r̄ − C·ḡ/(C + J′),
        # ḡ the mean of r̄, J′ = J − 1 — the same numbers lstsq gives, for all judges at once instead of one
        # least-squares fit of the whole group per judge (cubic: 200 judges took a minute).
        others = judges - 1
        rbar = (m.sum(axis=0)[None, :] - m) / others
        mu = rbar - contestants * rbar.mean(axis=1, keepdims=True) / (contestants + others)
        return np.round(mu, 9), v.copy()
    mu = _effects_without_each_judge(np.where(usable, m, 0.0), usable)
    seen_by_others = (usable.sum(axis=0)[None, :] - usable) > 0
    # Rounded to 1e-9: totals are short decimals, so equal effects come out equal up to float noise, and
    # the ranks (ties averaged) must not depend on that noise (nor on the machine's linear algebra).
    ref = np.where(seen_by_others, np.round(mu, 9), np.nan)
    return ref, v & seen_by_others


def _components(adjacency: np.ndarray) -> np.ndarray:
    """Connected components of graphs on the contestants (… × C × C adjacency): each contestant's label is the
    lowest contestant of its component (spread along the edges until nothing changes)."""
    size = adjacency.shape[-1]
    labels = np.broadcast_to(np.arange(size), adjacency.shape[:-1]).copy()
    while True:
        spread = np.minimum(labels, np.where(adjacency, labels[..., None, :], size).min(axis=-1))
        if np.array_equal(spread, labels):
            return labels
        labels = spread


def _effects_without_each_judge(m: np.ndarray, u: np.ndarray) -> np.ndarray:
    """For each judge i, the contestant effects μ of numpy lstsq's minimum-norm least-squares fit of
    total = μ_contestant + b_judge to the cells `u` of the other judges (m is 0 off them); a contestant nobody
    else scored gets 0. Instead of one fit of the whole group per judge (cubic), the judge offsets are
    eliminated once: the normal equations for μ are A μ = r, with A = Σ_j (diag u_j − u_j u_jᵀ / n_j) and
    r = Σ_j (u_j∘m_j − u_j (u_j·m_j) / n_j); leaving judge i out subtracts its own term, so each judge costs
    one C × C solve. The fit is unique but for a constant per connected component of the judge–contestant
    graph (μ up, b down); the minimum-norm solution is the one with Σμ = Σb on each component."""
    judges, contestants = u.shape
    uf = u.astype(float)
    n = uf.sum(axis=1)
    scored = n > 0
    inv_n = np.where(scored, 1.0 / np.where(scored, n, 1.0), 0.0)
    means = (m * uf).sum(axis=1) * inv_n  # each judge's mean total, the offset if every μ were 0
    weighted = uf * inv_n[:, None]
    a_all = np.diag(uf.sum(axis=0)) - weighted.T @ uf
    r_all = (m * uf).sum(axis=0) - uf.T @ means
    # Components without judge i: those of the whole group unless judge i alone links two contestants (or alone
    # scored one); only those judges get their own.
    together = uf.T @ uf  # how many judges scored both contestants
    own = np.flatnonzero(((uf @ (together == 1)) * uf).sum(axis=1) > 0)
    whole = _components(together > 0)
    labels = np.broadcast_to(whole, u.shape).copy()
    if len(own):
        labels[own] = _components((together[None, :, :] - uf[own, :, None] * uf[own, None, :]) > 0)
    first = np.argmax(u, axis=1)  # a judge's offset belongs to the component of any of their contestants
    mu = np.empty(u.shape)
    chunk = max(1, 2_000_000 // max(1, contestants * contestants))  # judges per batch of solves: 16 MB at most
    for start in range(0, judges, chunk):
        batch = np.arange(start, min(start + chunk, judges))
        ui = uf[batch]
        a = a_all[None] - (ui[:, :, None] * np.eye(contestants) - ui[:, :, None] * weighted[batch, None, :])
        r = r_all[None] - (m[batch] * ui - ui * means[batch, None])
        # A is singular (a constant per component); adding the projector onto its null space, scaled like A, makes
        # it regular without moving the solution, as r has no part there: the solve gives the μ with Σμ = 0 per
        # component.
        same = labels[batch, :, None] == labels[batch, None, :]
        scale = np.maximum(np.trace(a, axis1=1, axis2=2) / contestants, 1.0)
        a = a + scale[:, None, None] * same / same.sum(axis=2, keepdims=True)
        mu[batch] = np.linalg.solve(a, r[:, :, None])[:, :, 0]
    # The minimum-norm constant per component: b_j = mean_j − u_j·μ / n_j for the judges j ≠ i, so the offsets'
    # sum over component k is Σ_j mean_j − Σ_c μ_c W_c, W_c = Σ_{j ≠ i} u_jc / n_j; then μ += t, b −= t with
    # t = (Σb − Σμ) / (contestants + judges of k).
    w = weighted.sum(axis=0)[None, :] - weighted
    index = (np.arange(judges)[:, None] * contestants + labels).ravel()
    size = judges * contestants
    sum_mu = np.bincount(index, weights=mu.ravel(), minlength=size)
    sum_muw = np.bincount(index, weights=(mu * w).ravel(), minlength=size)
    count_c = np.bincount(index, minlength=size)
    # Each other judge's offset and mean, summed per component: the whole group's sums less judge i's own, but
    # for the judges with components of their own, who are done over all the others.
    where = whole[first]
    sum_means = np.bincount(where[scored], weights=means[scored], minlength=contestants).astype(float)
    sum_means = sum_means[None, :].repeat(judges, axis=0)
    count_j = np.bincount(where[scored], minlength=contestants)[None, :].repeat(judges, axis=0)
    me = np.flatnonzero(scored)
    sum_means[me, where[me]] -= means[me]
    count_j[me, where[me]] -= 1
    for i in own.tolist():
        others = scored.copy()
        others[i] = False
        where_i = labels[i, first[others]]
        sum_means[i] = np.bincount(where_i, weights=means[others], minlength=contestants)
        count_j[i] = np.bincount(where_i, minlength=contestants)
    sum_means, count_j = sum_means.ravel(), count_j.ravel()
    sum_b = sum_means - sum_muw
    members = count_c + count_j
    t = np.where(members > 0, (sum_b - sum_mu) / np.maximum(members, 1), 0.0)
    return mu + t[index].reshape(u.shape)


def _average_ranks_rows(x: np.ndarray) -> np.ndarray:
    """average_ranks of each row of x at once (the same numbers: ranks of a tie group average its first and
    last place)."""
    rows, size = x.shape
    order = np.argsort(x, axis=1, kind="stable")
    s = np.take_along_axis(x, order, axis=1)
    place = np.broadcast_to(np.arange(size), x.shape)
    step = s[:, 1:] != s[:, :-1]
    opens = np.concatenate([np.ones((rows, 1), dtype=bool), step], axis=1)
    closes = np.concatenate([step, np.ones((rows, 1), dtype=bool)], axis=1)
    first = np.maximum.accumulate(np.where(opens, place, 0), axis=1)
    last = np.minimum.accumulate(np.where(closes, place, size - 1)[:, ::-1], axis=1)[:, ::-1]
    ranks = np.empty(x.shape)
    np.put_along_axis(ranks, order, (first + last) / 2.0 + 1.0, axis=1)
    return ranks


def _consistencies(m: np.ndarray, v: np.ndarray, out: np.ndarray) -> tuple[list[float | None], np.ndarray]:
    """Each judge's consistency (`spearman` of their totals and their ranking reference) and how many
    contestants it ranks. Judges who scored every contestant the reference ranks are done all at once (the
    same sums, so the same numbers as `spearman`); the others one by one."""
    ranking, ranked = _ranking_reference(m, v, out)
    judges, contestants = m.shape
    result: list[float | None] = [None] * judges
    counts = ranked.sum(axis=1)
    whole = np.flatnonzero(counts == contestants) if contestants >= 2 else np.zeros(0, dtype=int)
    x, y = m[whole], ranking[whole]
    # Either side constant: undefined (None), as in `spearman`.
    varied = ~(x == x[:, :1]).all(axis=1) & ~(y == y[:, :1]).all(axis=1)
    whole, x, y = whole[varied], x[varied], y[varied]
    if len(whole):
        rx, ry = _average_ranks_rows(x), _average_ranks_rows(y)
        rx, ry = rx - rx.mean(axis=1, keepdims=True), ry - ry.mean(axis=1, keepdims=True)
        r = np.clip((rx * ry).sum(axis=1) / np.sqrt((rx * rx).sum(axis=1) * (ry * ry).sum(axis=1)), -1.0, 1.0)
        for j, value in zip(whole.tolist(), r.tolist(), strict=True):
            result[j] = value
    for j in np.flatnonzero(counts != contestants).tolist():
        result[j] = spearman(m[j, ranked[j]], ranking[j, ranked[j]])
    return result, counts


def _leniencies(dev: np.ndarray, has: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each judge's n, mean deviation d̄ and Student t interval d̄ ± t·s/√n (NaN where undefined), all judges at
    once: those with the same n are stacked, so each row adds the same numbers in the same order as for one
    judge alone, and the t quantile is looked up once per n."""
    judges = dev.shape[0]
    n = has.sum(axis=1)
    mean, lo, hi = np.full(judges, np.nan), np.full(judges, np.nan), np.full(judges, np.nan)
    for k in np.unique(n[n > 0]).tolist():
        rows = np.flatnonzero(n == k)
        d = dev[rows][has[rows]].reshape(len(rows), k)
        mean[rows] = d.mean(axis=1)
        if k >= 2:
            half = t_quantile(0.5 + CONFIDENCE / 2, k - 1) * d.std(axis=1, ddof=1) / math.sqrt(k)
            lo[rows], hi[rows] = mean[rows] - half, mean[rows] + half
    return n, mean, lo, hi


def _audit_pass(judges: list[str], group: str, m: np.ndarray, v: np.ndarray, linked: np.ndarray,
                excluded: np.ndarray, favouring: np.ndarray, threshold: float,
                references: dict[bytes, tuple[list[float | None], np.ndarray]] | None = None) -> list[JudgeAudit]:
    out = favouring[:, None] & linked
    consensus, has = _consensus(m, v, excluded, out)
    dev = m - consensus
    # The consistencies depend only on the sheets left out (not on who leaves the consensus): once per set.
    key = out.tobytes()
    if references is None or key not in references:
        consistency = _consistencies(m, v, out)
        if references is not None:
            references[key] = consistency
    else:
        consistency = references[key]
    rhos = consistency[0]
    ranked: list[int] = consistency[1].tolist()
    n, mean, lo, hi = _leniencies(dev, has)
    lenient: list[bool] = np.greater(lo, threshold).tolist()
    severe: list[bool] = np.less(hi, -threshold).tolist()
    n_linked: list[int] = (has & linked).sum(axis=1).tolist()
    any_linked: list[bool] = np.greater(linked.sum(axis=1), 0).tolist()
    rows = []
    for j, (judge, k, d, d_lo, d_hi) in enumerate(zip(judges, n.tolist(), mean.tolist(), lo.tolist(), hi.tolist(),
                                                       strict=True)):
        row = JudgeAudit(judge, group, k, linked=n_linked[j])
        if k:
            row.leniency = d
            if k >= 2:
                row.leniency_lo, row.leniency_hi = d_lo, d_hi
        row.consistency = rhos[j]
        if any_linked[j]:
            sel = has[j]
            row.favour, row.favour_lo, row.favour_hi = _welch(dev[j, sel & linked[j]], dev[j, sel & ~linked[j]])
        if lenient[j]:
            row.flags.append("lenient")
        if severe[j]:
            row.flags.append("severe")
        if row.consistency is not None and row.consistency < ERRATIC_BELOW and ranked[j] >= ERRATIC_MIN_CONTESTANTS:
            row.flags.append("erratic")
        if row.favour_lo is not None and row.favour_lo > threshold:
            row.flags.append("favours_linked")
        rows.append(row)
    return rows


def _audit_group(judges: list[str], group: str, m: np.ndarray, v: np.ndarray, linked: np.ndarray,
                 threshold: float) -> tuple[list[JudgeAudit], list[str]]:
    excluded = np.zeros(len(judges), dtype=bool)  # judges left out of the others' consensus
    favouring = np.zeros(len(judges), dtype=bool)  # judges whose linked sheets are left out of it
    seen: set[bytes] = set()

    # The consistencies (from the ranking reference) by the sheets left out.
    references: dict[bytes, tuple[list[float | None], np.ndarray]] = {}

    def run() -> list[JudgeAudit]:
        return _audit_pass(judges, group, m, v, linked, excluded, favouring, threshold, references)

    rows = run()
    for _ in range(4 * (len(judges) + 1)):
        seen.add(excluded.tobytes() + favouring.tobytes())
        biased = np.array([bool({"lenient", "severe"} & set(r.flags)) for r in rows], dtype=bool)
        favours = np.array(["favours_linked" in r.flags for r in rows], dtype=bool)
        size = np.array([-1.0 if r.leniency is None else abs(r.leniency) for r in rows])
        pull = np.array([-math.inf if r.favour is None else r.favour for r in rows])
        nxt, nxt_f = excluded.copy(), favouring.copy()
        if ((biased | (size > EXCLUDE_BEYOND * threshold)) & ~excluded).any():
            # Someone is flagged, or far off (2T) with an interval too wide to flag: the most extreme judge still
            # counted goes (an outlier's own interval can be too wide to flag it while it pushes the others over
            # the threshold, or hides another outlier).
            candidates = np.flatnonzero(~excluded)
            nxt[candidates[np.argmax(size[candidates])]] = True
        elif (favours & ~favouring & ~excluded).any():
            # A judge favouring linked contestants: their sheets for those contestants leave the consensus.
            candidates = np.flatnonzero(favours & ~favouring & ~excluded)
            nxt_f[candidates[np.argmax(pull[candidates])]] = True
        else:
            nxt &= size > threshold
            nxt_f &= favours
        state = nxt.tobytes() + nxt_f.tobytes()
        if (np.array_equal(nxt, excluded) and np.array_equal(nxt_f, favouring)) or state in seen:
            break
        excluded, favouring = nxt, nxt_f
        rows = run()
    return rows, [judges[j] for j in np.flatnonzero(excluded)]


def audit(sheets: Iterable[Sheet], rubric: Rubric, links: Mapping[tuple[str, str], str] | Iterable[tuple[str, str]]
          | None = None, threshold: float | None = None, contestants: Sequence[str] | None = None) -> AuditResult:
    """Audit every judge with a complete sheet. `links`: (judge, contestant) pairs (a mapping to the relation
    or a plain iterable); `threshold`: T, by default `default_threshold(rubric)`. Sheets are checked as the
    tally checks them (DataError naming the judge and contestant)."""
    t = default_threshold(rubric) if threshold is None else float(threshold)
    if not (math.isfinite(t) and t >= 0):
        raise ValueError("threshold must be a finite number ≥ 0")
    order, complete, _ = complete_totals(sheets, rubric, contestants)
    pairs = {(str(j), str(c)) for j, c in (links or ())}
    # Columns in code order, not appearance order: float sums then do not depend on the order of the sheets.
    order = sorted(order)
    col = {c: i for i, c in enumerate(order)}
    rows: list[JudgeAudit] = []
    excluded: dict[str, list[str]] = {}
    for group in sorted(rubric.group_codes):
        entries = [(j, c, total) for j, g, c, total in complete if g == group]
        if not entries:
            continue
        judges = sorted({j for j, _, _ in entries})
        row_of = {j: i for i, j in enumerate(judges)}
        m = np.full((len(judges), len(order)), np.nan)
        for j, c, total in entries:
            m[row_of[j], col[c]] = float(total)
        v = ~np.isnan(m)
        linked = np.zeros_like(v)
        for j, c in pairs:
            if j in row_of and c in col:
                linked[row_of[j], col[c]] = True
        group_rows, group_excluded = _audit_group(judges, group, m, v, linked, t)
        rows += group_rows
        if group_excluded:
            excluded[group] = group_excluded
    return AuditResult(t, rows, excluded)
