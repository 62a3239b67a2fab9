"""compute_index on hand-computed examples: nested groups, missing values, geometric means, ties,
adjustments, stars, flags and weak indicators."""

from __future__ import annotations

import math

import numpy as np
import pytest

from leitai.core.errors import SpecError
from leitai.core.ranking.index import competition_rank, compute_index, movement
from leitai.core.ranking.spec import parse_spec

NAN = math.nan

# Three counties, four indicators, groups two levels deep:
#   econ (weight 3) ─ econ_growth (gdp ×2, inv ×1) and tax ; green (weight 1) ─ pm25 (lower is better)
EXAMPLE_SPEC = {
    "indicators": [
        {"code": "gdp", "weight": 2, "group": "econ_growth"},
        {"code": "inv", "group": "econ_growth"},
        {"code": "tax", "group": "econ"},
        {"code": "pm25", "direction": -1, "group": "green"},
    ],
    "groups": [
        {"code": "econ", "weight": 3},
        {"code": "econ_growth", "parent": "econ"},
        {"code": "green"},
    ],
}
UNITS = ["P", "Q", "R"]
CODES = ["gdp", "inv", "tax", "pm25"]
VALUES = np.array([
    [6, 100, 10, 40],
    [8, 300, NAN, 30],
    [4, 200, 30, 50],
], dtype=float)


def example(**extra):
    return compute_index(UNITS, CODES, VALUES, parse_spec({**EXAMPLE_SPEC, **extra}))


def test_nested_groups_with_a_missing_value_match_the_hand_computation():
    r = example()
    # gdp: 50, 100, 0   inv: 0, 100, 50   tax: 0, –, 100   pm25 (lower better): 50, 100, 0
    assert r.normalized.tolist()[0] == [50.0, 0.0, 0.0, 50.0]
    assert np.isnan(r.normalized[1, 2])
    # econ_growth = (2·gdp + inv)/3: 100/3, 100, 50/3
    assert r.group_scores[:, 1] == pytest.approx([100 / 3, 100, 50 / 3], rel=1e-15)
    # econ = mean(tax, econ_growth); Q lacks tax, so its weights renormalise onto econ_growth alone
    assert r.group_scores[:, 0] == pytest.approx([50 / 3, 100, 175 / 3], rel=1e-15)
    assert r.group_scores[:, 2].tolist() == [50.0, 100.0, 0.0]
    # index = (3·econ + green)/4: P (50 + 50)/4, Q (300 + 100)/4, R (175 + 0)/4
    assert r.base_score == pytest.approx([25.0, 100.0, 43.75], rel=1e-14)
    assert r.score == pytest.approx([25.0, 100.0, 43.75], rel=1e-14)
    assert r.rank.tolist() == [3, 1, 2]
    assert r.rank.dtype.kind == "i"
    assert r.missing == {"Q": ["tax"]}
    assert r.dropped == []
    assert (r.units, r.indicators, r.groups) == (UNITS, CODES, ["econ", "econ_growth", "green"])


def test_result_arrays_follow_the_spec_order_whatever_the_data_column_order():
    cols = [3, 0, 2, 1]
    r = compute_index(UNITS, [CODES[c] for c in cols] + ["extra"],
                      np.c_[VALUES[:, cols], [1, 2, 3]], parse_spec(EXAMPLE_SPEC))
    assert r.indicators == CODES
    np.testing.assert_array_equal(r.normalized, example().normalized)
    assert r.score.tolist() == example().score.tolist()


def test_indicator_ranks_are_competition_ranks_with_zero_where_missing():
    assert example().indicator_rank.tolist() == [[2, 3, 2, 2], [1, 1, 0, 1], [3, 2, 1, 3]]


def test_a_unit_missing_an_indicator_gets_the_weighted_mean_of_the_ones_it_has():
    spec = parse_spec({"indicators": [{"code": "a", "weight": 1}, {"code": "b", "weight": 3}, {"code": "c", "weight": 4}]})
    values = np.array([[0, 0, 0], [10, NAN, 5], [20, 10, 10]], dtype=float)
    r = compute_index(["U", "V", "W"], ["a", "b", "c"], values, spec)
    # V: a = 50, c = 50 (b missing) → (1·50 + 4·50)/5 = 50
    assert r.base_score[1] == 50.0
    assert r.base_score[2] == 100.0


def test_a_group_without_any_child_present_is_missing_and_drops_out_of_its_parent():
    spec = parse_spec({"indicators": [{"code": "a", "group": "g1"}, {"code": "b", "group": "g2", "weight": 5}],
                       "groups": [{"code": "g1"}, {"code": "g2"}]})
    values = np.array([[0, NAN], [10, 4], [5, 8]], dtype=float)
    r = compute_index(["U", "V", "W"], ["a", "b"], values, spec)
    assert np.isnan(r.group_scores[0, 1])
    assert r.base_score[0] == 0.0
    assert r.base_score[1] == 50.0  # (100 + 0)/2
    assert r.base_score[2] == 75.0  # (50 + 100)/2


def test_geometric_aggregation_uses_the_weighted_geometric_mean():
    spec = parse_spec({"aggregation": "geometric", "scale": [1, 10],
                       "indicators": [{"code": "a"}, {"code": "b", "weight": 3}]})
    values = np.array([[0, 0], [1, 8], [3, 4]], dtype=float)
    r = compute_index(["U", "V", "W"], ["a", "b"], values, spec)
    # a → 1 + x/3·9 = 1, 4, 10; b → 1 + x/8·9 = 1, 10, 5.5; index = (a·b³)^(1/4)
    assert r.normalized.tolist() == [[1.0, 1.0], [4.0, 10.0], [10.0, 5.5]]
    assert r.base_score == pytest.approx([1.0, (4 * 10**3) ** 0.25, (10 * 5.5**3) ** 0.25], rel=1e-14)
    assert r.rank.tolist() == [3, 1, 2]


def test_geometric_aggregation_over_a_zero_names_the_unit_and_indicator_and_suggests_a_scale():
    spec = parse_spec({"aggregation": "geometric", "indicators": [{"code": "a"}, {"code": "b"}]})
    with pytest.raises(SpecError) as err:
        compute_index(["U", "V"], ["a", "b"], np.array([[1, 2], [3, 1]], dtype=float), spec)
    assert "U" in err.value.zh and "a" in err.value.zh and "scale" in err.value.zh
    assert "geometric mean needs positive values" in err.value.en and "unit U" in err.value.en


def test_geometric_aggregation_over_a_negative_zscore_is_refused():
    spec = parse_spec({"aggregation": "geometric", "normalization": "zscore", "indicators": [{"code": "a"}]})
    with pytest.raises(SpecError, match="几何平均"):
        compute_index(["U", "V"], ["a"], np.array([[1], [3]], dtype=float), spec)


def test_competition_rank_shares_ties_and_skips_the_next_rank():
    assert competition_rank([9, 5, 5, 1]).tolist() == [1, 2, 2, 4]
    assert competition_rank([9, 5, 5, 1], descending=False).tolist() == [4, 2, 2, 1]
    assert competition_rank([NAN, 3.0, NAN]).tolist() == [0, 1, 0]
    assert competition_rank([]).tolist() == []


def test_scores_equal_up_to_float_noise_are_tied():
    assert 0.1 + 0.2 != 0.3
    assert competition_rank([0.3, 0.1 + 0.2, 0.2]).tolist() == [1, 1, 3]
    assert competition_rank([1e6, 1e6 + 1e-4, 1e6 - 1]).tolist() == [1, 1, 3]
    assert competition_rank([1.0, 1.0 + 1e-6]).tolist() == [2, 1]


def test_units_with_identical_data_share_a_rank_in_the_index():
    spec = parse_spec({"indicators": [{"code": "a"}, {"code": "b"}]})
    values = np.array([[3, 1.5], [2, 2], [2, 2], [1, 0]], dtype=float)
    assert compute_index(list("WXYZ"), ["a", "b"], values, spec).rank.tolist() == [1, 2, 2, 4]


def test_movement_is_previous_minus_current_and_none_without_both_ranks():
    assert movement(5, 2) == 3
    assert movement(1, 4) == -3
    assert movement(None, 2) is None
    assert movement(3, 0) is None
    assert movement(0, 1) is None


def test_adjustments_add_points_and_ignore_units_not_ranked_here():
    r = example(adjustments=[{"unit": "P", "points": 30, "reason": "加分"}, {"unit": "P", "points": -5},
                             {"unit": "nobody", "points": 100}])
    assert r.adjustment.tolist() == [25.0, 0.0, 0.0]
    assert r.score[0] == pytest.approx(50.0, rel=1e-14)
    assert r.base_score[0] == pytest.approx(25.0, rel=1e-14)
    assert r.rank.tolist() == [2, 1, 3]


def test_a_unit_without_any_data_stays_unranked_even_with_an_adjustment():
    spec = parse_spec({"indicators": [{"code": "a"}], "adjustments": [{"unit": "Z", "points": 5}]})
    r = compute_index(["X", "Y", "Z"], ["a"], np.array([[1], [2], [NAN]], dtype=float), spec)
    assert np.isnan(r.score[2]) and r.adjustment[2] == 5.0
    assert r.rank.tolist() == [2, 1, 0]
    assert r.weak[2] == []


def test_dropped_indicators_are_reported_in_spec_order_and_not_as_missing():
    spec = parse_spec({"indicators": [{"code": "ghost"}, {"code": "flat"}, {"code": "a"}, {"code": "empty"}]})
    values = np.array([[4, 1, NAN], [4, 3, NAN], [4, NAN, NAN]], dtype=float)
    r = compute_index(["X", "Y", "Z"], ["flat", "a", "empty"], values, spec)
    assert r.dropped == [("ghost", "no_data"), ("flat", "no_spread"), ("empty", "no_data")]
    assert r.missing == {"Z": ["a"]}
    assert np.isnan(r.normalized[:, [0, 1, 3]]).all()
    assert r.indicator_rank[:, 1].tolist() == [0, 0, 0]
    assert r.rank.tolist() == [2, 1, 0]


def test_stars_go_to_the_top_k_of_each_indicator():
    assert example(awards={"star_top_k": 1}).stars == [[], ["gdp", "inv", "pm25"], ["tax"]]
    assert example(awards={"star_top_k": 2}).stars == [["gdp", "tax", "pm25"], ["gdp", "inv", "pm25"], ["inv", "tax"]]
    assert example().stars == [[], [], []]


def test_flags_go_to_each_top_level_groups_best_and_to_the_top_and_bottom_of_the_total():
    r = example(awards={"category_flags": True, "red_flags": 1, "yellow_flags": 1})
    assert r.flags == [
        [{"kind": "yellow"}],
        [{"kind": "category", "code": "econ"}, {"kind": "category", "code": "green"}, {"kind": "red"}],
        [],
    ]


def test_yellow_flags_include_ties_at_the_boundary_and_never_go_to_a_red_flag_unit():
    spec = parse_spec({"indicators": [{"code": "a"}], "awards": {"red_flags": 1, "yellow_flags": 1}})
    r = compute_index(list("WXYZ"), ["a"], np.array([[9], [5], [1], [1]], dtype=float), spec)
    assert [f for f in r.flags] == [[{"kind": "red"}], [], [{"kind": "yellow"}], [{"kind": "yellow"}]]
    spec = parse_spec({"indicators": [{"code": "a"}], "awards": {"red_flags": 2, "yellow_flags": 2}})
    r = compute_index(list("XYZ"), ["a"], np.array([[9], [5], [1]], dtype=float), spec)
    assert r.flags == [[{"kind": "red"}], [{"kind": "red"}], [{"kind": "yellow"}]]


def test_without_groups_no_category_flag_is_given():
    spec = parse_spec({"indicators": [{"code": "a"}], "awards": {"category_flags": True}})
    r = compute_index(list("XY"), ["a"], np.array([[9], [5]], dtype=float), spec)
    assert r.flags == [[], []]


def test_weak_indicators_are_the_lower_half_worst_first_at_most_k():
    assert example(weak_k=3).weak == [["inv", "tax", "gdp"], [], ["gdp", "pm25", "inv"]]
    assert example(weak_k=2).weak == [["inv", "tax"], [], ["gdp", "pm25"]]
    assert example(weak_k=0).weak == [[], [], []]
