"""The fast audit (core/judging/audit.py) against the slow one it replaced: the ranking reference by one numpy
lstsq per judge and a pass that loops over the judges, kept here as the definitions. Random panels with missing
sheets (a graph that falls apart without one judge, a contestant only one judge scored, a judge with one sheet)
and links; the fast one must give the same numbers (1e-9) and the same flags, sheets, links and exclusions."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leitai.core.judging import audit as audit_module
from leitai.core.judging.audit import (
    CONFIDENCE,
    ERRATIC_BELOW,
    ERRATIC_MIN_CONTESTANTS,
    JudgeAudit,
    _consensus,
    _effects_without_each_judge,
    _ranking_reference,
    _welch,
    audit,
    average_ranks,
    spearman,
    t_quantile,
)
from leitai.core.judging.tally import Criterion, JudgeGroup, Rubric, Sheet

RUBRIC = Rubric((Criterion("a", 2, 100), Criterion("b", 1, 100)), (JudgeGroup("g", 1, 0),))  # T = 5


# ------------------------------------------------------------------------- the slow definitions, as they were

def slow_effects(m: np.ndarray, usable: np.ndarray, i: int) -> np.ndarray | None:
    """The contestant effects of lstsq's minimum-norm fit to the other judges' usable cells (unrounded)."""
    judges, contestants = m.shape
    obs = usable.copy()
    obs[i] = False
    rows, cols = np.nonzero(obs)
    if len(rows) == 0:
        return None
    design = np.zeros((len(rows), contestants + judges))
    design[np.arange(len(rows)), cols] = 1.0
    design[np.arange(len(rows)), contestants + rows] = 1.0
    return np.linalg.lstsq(design, m[rows, cols], rcond=None)[0][:contestants]


def slow_ranking_reference(m: np.ndarray, v: np.ndarray, out: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    judges, contestants = m.shape
    ref = np.full(m.shape, np.nan)
    usable = v & ~out
    for i in range(judges):
        solution = slow_effects(m, usable, i)
        if solution is None:
            continue
        obs = usable.copy()
        obs[i] = False
        ref[i] = np.where(obs.any(axis=0), np.round(solution, 9), np.nan)
    return ref, v & ~np.isnan(ref)


def slow_mean_interval(d: np.ndarray) -> tuple[float | None, float | None, float | None]:
    n = len(d)
    if n == 0:
        return None, None, None
    mean = float(d.mean())
    if n < 2:
        return mean, None, None
    half = t_quantile(0.5 + CONFIDENCE / 2, n - 1) * float(d.std(ddof=1)) / math.sqrt(n)
    return mean, mean - half, mean + half


def slow_audit_pass(judges, group, m, v, linked, excluded, favouring, threshold, references=None):
    out = favouring[:, None] & linked
    consensus, has = _consensus(m, v, excluded, out)
    dev = m - consensus
    ranking, ranked = slow_ranking_reference(m, v, out)
    rows = []
    for j, judge in enumerate(judges):
        sel = has[j]
        d = dev[j, sel]
        row = JudgeAudit(judge, group, int(sel.sum()), linked=int((sel & linked[j]).sum()))
        row.leniency, row.leniency_lo, row.leniency_hi = slow_mean_interval(d)
        rsel = ranked[j]
        row.consistency = spearman(m[j, rsel], ranking[j, rsel])
        if linked[j].any():
            row.favour, row.favour_lo, row.favour_hi = _welch(dev[j, sel & linked[j]], dev[j, sel & ~linked[j]])
        if row.leniency_lo is not None and row.leniency_lo > threshold:
            row.flags.append("lenient")
        if row.leniency_hi is not None and row.leniency_hi < -threshold:
            row.flags.append("severe")
        if row.consistency is not None and row.consistency < ERRATIC_BELOW and int(rsel.sum()) >= ERRATIC_MIN_CONTESTANTS:
            row.flags.append("erratic")
        if row.favour_lo is not None and row.favour_lo > threshold:
            row.flags.append("favours_linked")
        rows.append(row)
    return rows


# ----------------------------------------------------------------------------------------------- panels

@st.composite
def cells(draw, max_judges: int = 12, max_contestants: int = 9):
    """Totals (judges × contestants, steps of 0.5 so ties happen) with a random share of cells missing."""
    judges = draw(st.integers(1, max_judges))
    contestants = draw(st.integers(1, max_contestants))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    missing = draw(st.sampled_from([0.0, 0.1, 0.3, 0.6]))
    m = np.round(2 * (rng.uniform(40, 60, contestants)[None, :] + rng.normal(0, 3, (judges, 1))
                      + rng.normal(0, 2, (judges, contestants)))) / 2
    v = rng.random((judges, contestants)) >= missing
    out = v & (rng.random((judges, contestants)) < draw(st.sampled_from([0.0, 0.15])))
    return np.where(v, m, np.nan), v, out


def bridged() -> tuple[np.ndarray, np.ndarray]:
    """Two halves joined by judge E alone (contestants 0–2 by A, B; 3–4 by C, D; E scores 2 and 3), contestant 5
    scored by F only, and G with a single sheet."""
    v = np.zeros((7, 6), dtype=bool)
    v[0:2, 0:3] = True
    v[2:4, 3:5] = True
    v[4, [2, 3]] = True
    v[5, [1, 5]] = True
    v[6, 4] = True
    m = np.where(v, 50 + np.arange(6)[None, :] * 3 + np.arange(7)[:, None] * 0.5 + (np.arange(42) % 5).reshape(7, 6), np.nan)
    return m, v


def check_reference(m: np.ndarray, v: np.ndarray, out: np.ndarray) -> None:
    usable = v & ~out
    fast = _effects_without_each_judge(np.where(usable, m, 0.0), usable)
    for i in range(m.shape[0]):
        slow = slow_effects(m, usable, i)
        seen = (usable.sum(axis=0) - usable[i]) > 0
        if slow is None:
            assert not seen.any()
            continue
        assert np.allclose(fast[i, seen], slow[seen], rtol=0, atol=1e-9), i
    ref, ranked = _ranking_reference(m, v, out)
    slow_ref, slow_ranked = slow_ranking_reference(m, v, out)
    assert np.array_equal(ranked, slow_ranked)
    assert np.array_equal(np.isnan(ref), np.isnan(slow_ref))
    for i in range(m.shape[0]):
        sel = ranked[i]
        if sel.any():
            assert np.array_equal(average_ranks(ref[i, sel]), average_ranks(slow_ref[i, sel])), i


def test_the_reference_equals_lstsq_on_a_graph_that_falls_apart_without_one_judge():
    m, v = bridged()
    check_reference(m, v, np.zeros(v.shape, dtype=bool))
    # And with E's sheet for contestant 3 left out for favour: the halves are apart for everyone.
    out = np.zeros(v.shape, dtype=bool)
    out[4, 3] = True
    check_reference(m, v, out)


def test_the_reference_without_the_bridge_gives_each_half_its_own_minimum_norm_constant():
    m, v = bridged()
    mu = _effects_without_each_judge(np.where(v, m, 0.0), v)[4]
    b = np.array([np.mean(m[j, v[j]] - mu[v[j]]) for j in range(7)])
    # Without E the halves {0, 1, 2, 5} (A, B, F) and {3, 4} (C, D, G) fit apart, each with Σμ = Σb.
    assert mu[[0, 1, 2, 5]].sum() == pytest.approx(b[[0, 1, 5]].sum(), abs=1e-9)
    assert mu[[3, 4]].sum() == pytest.approx(b[[2, 3, 6]].sum(), abs=1e-9)
    ref, ranked = _ranking_reference(m, v, np.zeros(v.shape, dtype=bool))
    assert ranked[4].tolist() == [False, False, True, True, False, False]
    # Contestant 5 only F scored: F has no reference for it, everyone else has.
    assert np.isnan(ref[:, 5]).tolist() == [False] * 5 + [True, False]


@settings(max_examples=40, deadline=None)
@given(cells())
def test_the_reference_equals_the_per_judge_lstsq(case):
    check_reference(*case)


def rows_equal(fast: list[JudgeAudit], slow: list[JudgeAudit]) -> None:
    assert len(fast) == len(slow)
    for a, b in zip(fast, slow, strict=True):
        assert (a.judge, a.group, a.sheets, a.linked, a.flags) == (b.judge, b.group, b.sheets, b.linked, b.flags)
        for name in ("leniency", "leniency_lo", "leniency_hi", "consistency", "favour", "favour_lo", "favour_hi"):
            x, y = getattr(a, name), getattr(b, name)
            assert (x is None) == (y is None), (a.judge, name)
            if x is not None:
                assert math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12), (a.judge, name, x, y)


@st.composite
def panels(draw):
    """Sheets of 1–14 judges for 1–9 contestants (cells missing at random, a planted bias or two) and links."""
    m, v, _ = draw(cells(14, 9))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    judges, contestants = m.shape
    bias = np.zeros(judges)
    for j in draw(st.lists(st.integers(0, judges - 1), max_size=2, unique=True)):
        bias[j] = draw(st.sampled_from([-15.0, -8.0, 8.0, 15.0]))
    sheets = [Sheet(f"J{j:02d}", "g", f"C{c}", {"a": float(m[j, c] + bias[j]), "b": float(m[j, c])})
              for j in range(judges) for c in range(contestants) if v[j, c]]
    links = {(f"J{j:02d}", f"C{c}") for j in range(judges) for c in range(contestants) if rng.random() < 0.2}
    # A favouring judge now and then: +12 on their linked contestants.
    if links and draw(st.booleans()):
        judge = sorted(links)[0][0]
        favoured = {c for j, c in links if j == judge}
        sheets = [Sheet(s.judge, s.group, s.contestant, {k: x + 12 for k, x in s.scores.items()})
                  if s.judge == judge and s.contestant in favoured else s for s in sheets]
    return sheets, links


@settings(max_examples=40, deadline=None)
@given(panels())
def test_the_audit_equals_the_slow_one(case):
    sheets, links = case
    fast = audit(sheets, RUBRIC, links)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(audit_module, "_audit_pass", slow_audit_pass)
        slow = audit(sheets, RUBRIC, links)
    rows_equal(fast.rows, slow.rows)
    assert fast.excluded == slow.excluded
    assert fast.threshold == slow.threshold


def test_a_big_complete_panel_equals_the_slow_one():
    # 60 judges, two of them planted: several passes, every judge's consistency by the vectorised ranks.
    rng = np.random.default_rng(3)
    levels = rng.uniform(40, 60, 12)
    sheets = []
    for j in range(60):
        bias = {5: 15.0, 9: -15.0}.get(j, float(rng.normal(0, 1)))
        for c, level in enumerate(levels):
            marks = np.round(level + bias + rng.normal(0, 2, 2), 1)
            sheets.append(Sheet(f"J{j:02d}", "g", f"C{c:02d}", {"a": float(marks[0]), "b": float(marks[1])}))
    fast = audit(sheets, RUBRIC)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(audit_module, "_audit_pass", slow_audit_pass)
        slow = audit(sheets, RUBRIC)
    rows_equal(fast.rows, slow.rows)
    assert fast.excluded == slow.excluded == {"g": ["J05", "J09"]}
