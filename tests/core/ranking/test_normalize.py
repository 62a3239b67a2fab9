"""Each normalisation on hand-computed examples, and when an indicator is dropped."""

from __future__ import annotations

import math

import numpy as np
import pytest

from leitai.core.ranking.index import compute_index
from leitai.core.ranking.normalize import r_mean, r_sd
from leitai.core.ranking.spec import parse_spec

NAN = math.nan
UNITS = ["P", "Q", "R", "S"]


def run(values, normalization="minmax", direction=1, target=None, scale=(0, 100), extra=None):
    ind = {"code": "x", "direction": direction}
    if target is not None:
        ind["target"] = target
    spec = parse_spec({"normalization": normalization, "scale": list(scale), "indicators": [ind], **(extra or {})})
    return compute_index(UNITS[: len(values)], ["x"], np.array(values, dtype=float).reshape(-1, 1), spec)


def test_minmax_maps_the_lowest_value_to_lo_and_the_highest_to_hi():
    r = run([4, 6, 8, 5])
    assert r.normalized[:, 0].tolist() == [0.0, 50.0, 100.0, 25.0]


def test_minmax_for_a_lower_is_better_indicator_uses_max_minus_x():
    r = run([4, 6, 8, 5], direction=-1, scale=(60, 100))
    # 60 + (8 − x)/4·40
    assert r.normalized[:, 0].tolist() == [100.0, 80.0, 60.0, 90.0]


def test_minmax_leaves_a_missing_value_missing_and_uses_only_present_values_for_min_and_max():
    r = run([4, NAN, 8, 6])
    assert np.isnan(r.normalized[1, 0])
    assert r.normalized[[0, 2, 3], 0].tolist() == [0.0, 100.0, 50.0]
    assert r.missing == {"Q": ["x"]}


def test_zscore_uses_the_sample_standard_deviation_and_is_not_rescaled():
    r = run([1, 2, 3, 4], normalization="zscore")
    # mean 2.5, sd = sqrt((2.25 + 0.25 + 0.25 + 2.25)/3) = sqrt(5/3)
    sd = math.sqrt(5 / 3)
    assert r.normalized[:, 0] == pytest.approx([-1.5 / sd, -0.5 / sd, 0.5 / sd, 1.5 / sd], rel=1e-15)
    assert r.normalized[0, 0] == pytest.approx(-1.161895003862225, rel=1e-15)


def test_zscore_of_a_lower_is_better_indicator_is_negated():
    r = run([1, 2, 3, 4], normalization="zscore", direction=-1)
    assert r.normalized[0, 0] == pytest.approx(1.161895003862225, rel=1e-15)
    assert r.rank.tolist() == [1, 2, 3, 4]


def test_r_mean_and_sd_match_r_on_a_classic_example():
    x = np.array([0.1, 0.2, 0.3, 0.4, 0.5])
    assert r_mean(x) == 0.3  # R: mean(c(.1,.2,.3,.4,.5)) == 0.3 is TRUE
    assert r_sd(x) == pytest.approx(0.158113883008419, rel=1e-14)


def test_rank_points_give_the_lowest_value_one_and_ties_the_minimum_rank():
    r = run([10, 20, 20, 5], normalization="rank")
    assert r.normalized[:, 0].tolist() == [2.0, 3.0, 3.0, 1.0]


def test_rank_points_of_a_lower_is_better_indicator_rank_the_oriented_values():
    r = run([10, 20, 20, 5], normalization="rank", direction=-1)
    assert r.normalized[:, 0].tolist() == [3.0, 1.0, 1.0, 4.0]


def test_target_completion_is_capped_to_zero_and_one_and_mapped_on_the_scale():
    r = run([100, 250, -10, 150], normalization="target", target=200)
    assert r.normalized[:, 0].tolist() == [50.0, 100.0, 0.0, 75.0]


def test_target_completion_of_a_lower_is_better_indicator_is_target_over_value():
    r = run([10, 40, 0, 25], normalization="target", direction=-1, target=20, scale=(0, 10))
    # 20/10 = 2 → capped 1; 20/40 = 0.5; x = 0 → capped value 1; 20/25 = 0.8
    assert r.normalized[:, 0].tolist() == [10.0, 5.0, 10.0, 8.0]


def test_target_normalisation_keeps_an_indicator_without_spread():
    r = run([5, 5, 5], normalization="target", target=10)
    assert r.dropped == []
    assert r.normalized[:, 0].tolist() == [50.0, 50.0, 50.0]


@pytest.mark.parametrize("normalization", ["minmax", "zscore", "rank"])
def test_an_indicator_whose_values_are_all_equal_is_dropped_for_no_spread(normalization):
    r = run([3, 3, NAN, 3], normalization=normalization)
    assert r.dropped == [("x", "no_spread")]
    assert np.isnan(r.normalized).all()
    assert r.missing == {}
    assert r.rank.tolist() == [0, 0, 0, 0]


def test_a_zscore_indicator_with_a_single_value_is_dropped_for_no_spread():
    assert run([NAN, 7, NAN], normalization="zscore").dropped == [("x", "no_spread")]


@pytest.mark.parametrize("normalization", ["minmax", "zscore", "rank", "target"])
def test_an_indicator_without_any_value_is_dropped_for_no_data(normalization):
    r = run([NAN, NAN, NAN], normalization=normalization, target=1)
    assert r.dropped == [("x", "no_data")]
