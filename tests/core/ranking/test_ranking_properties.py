"""Properties of the engine checked by hypothesis on random small tables."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from leitai.core.ranking.index import competition_rank, compute_index
from leitai.core.ranking.spec import parse_spec

FAST = settings(max_examples=60, deadline=None)

# Scores drawn from a coarse grid: two scores are either equal or far apart, so "strictly better"
# is unambiguous (the 1e-9 float-noise tolerance is tested on its own in test_ranking.py).
scores = st.lists(st.one_of(st.integers(-20, 20).map(lambda i: i / 4), st.just(math.nan)), max_size=30)


@FAST
@given(scores)
def test_rank_is_one_plus_the_number_of_strictly_better_units(values):
    s = np.array(values, dtype=float)
    rank = competition_rank(s)
    for i, v in enumerate(s):
        if math.isnan(v):
            assert rank[i] == 0
        else:
            assert rank[i] == 1 + int(np.sum(s[~np.isnan(s)] > v))


@FAST
@given(scores)
def test_a_higher_score_never_gets_a_worse_rank_and_equal_scores_share_one(values):
    s = np.array(values, dtype=float)
    rank = competition_rank(s)
    ok = np.flatnonzero(~np.isnan(s))
    for i in ok:
        for j in ok:
            if s[i] > s[j]:
                assert rank[i] < rank[j]
            elif s[i] == s[j]:
                assert rank[i] == rank[j]


def tables(min_units=2, max_units=8, n_ind=3):
    cell = st.one_of(st.integers(0, 50).map(float), st.just(math.nan))
    return st.integers(min_units, max_units).flatmap(
        lambda n: st.lists(st.lists(cell, min_size=n_ind, max_size=n_ind), min_size=n, max_size=n))


SPEC = parse_spec({
    "indicators": [{"code": "a", "group": "g1"}, {"code": "b", "direction": -1, "weight": 2, "group": "g11"},
                   {"code": "c", "weight": 3, "group": "g2"}],
    "groups": [{"code": "g1", "weight": 2}, {"code": "g11", "parent": "g1"}, {"code": "g2"}],
})


@FAST
@given(tables(), st.integers(0, 7), st.integers(1, 40))
def test_raising_a_value_on_a_higher_is_better_indicator_never_lowers_the_score_or_worsens_the_rank(rows, who, by):
    # Under minmax + arithmetic the raised unit's normalised value x ↦ clip((x−min)/(max−min)) is
    # non-decreasing even when it moves the min or max, while every other unit's value can only fall
    # (a larger min or max shrinks (x−min)/(max−min)); if the raise creates or removes the indicator's
    # spread, the value that appears or vanishes is hi for the raised unit or lo for it. Weighted means
    # with positive weights are monotone, so the unit's score never falls and no one overtakes it.
    values = np.array(rows)
    who = who % len(rows)
    assume(not math.isnan(values[who, 0]))
    units = [f"u{i}" for i in range(len(rows))]
    before = compute_index(units, ["a", "b", "c"], values, SPEC)
    raised = values.copy()
    raised[who, 0] += by
    after = compute_index(units, ["a", "b", "c"], raised, SPEC)
    if math.isnan(after.score[who]):
        # The one exception: the raise made the unit equal to all others on its only indicator, which
        # loses its spread and is dropped, so no one is ranked on it any more.
        assert ("a", "no_spread") in after.dropped and np.isnan(before.normalized[who, 1:]).all()
    elif math.isnan(before.score[who]):
        assert after.rank[who] >= 1  # it was unranked (no spread anywhere) and now has a rank
    else:
        assert after.score[who] >= before.score[who]
        assert 1 <= after.rank[who] <= before.rank[who]


@FAST
@given(tables(), st.randoms(use_true_random=False), st.sampled_from(["minmax", "zscore", "rank"]))
def test_results_do_not_depend_on_the_order_of_units_or_columns(rows, rnd, normalization):
    values = np.array(rows)
    n = len(rows)
    spec = parse_spec({**SPEC.to_dict(), "normalization": normalization})
    units = [f"u{i}" for i in range(n)]
    base = compute_index(units, ["a", "b", "c"], values, spec)
    perm = list(range(n))
    rnd.shuffle(perm)
    cols = [2, 0, 1]
    other = compute_index([units[p] for p in perm], [["a", "b", "c"][c] for c in cols], values[perm][:, cols], spec)
    np.testing.assert_allclose(other.score, base.score[perm], rtol=1e-12, atol=1e-12)
    assert other.rank.tolist() == base.rank[perm].tolist()
    assert other.indicator_rank.tolist() == base.indicator_rank[perm].tolist()
    assert other.dropped == base.dropped
    assert other.missing == {u: base.missing[u] for u in other.units if u in base.missing}


@FAST
@given(tables(min_units=3, n_ind=4))
def test_a_unit_missing_some_indicators_gets_the_weighted_mean_of_the_ones_it_has(rows):
    weights = [1.0, 2.0, 0.5, 4.0]
    spec = parse_spec({"indicators": [{"code": c, "weight": w} for c, w in zip("abcd", weights, strict=True)]})
    r = compute_index([f"u{i}" for i in range(len(rows))], list("abcd"), np.array(rows), spec)
    w = np.array(weights)
    for i in range(len(rows)):
        present = ~np.isnan(r.normalized[i])
        if present.any():
            expected = float(np.sum(w[present] * r.normalized[i, present]) / np.sum(w[present]))
            assert math.isclose(r.base_score[i], expected, rel_tol=1e-12, abs_tol=1e-12)
        else:
            assert math.isnan(r.base_score[i]) and r.rank[i] == 0
