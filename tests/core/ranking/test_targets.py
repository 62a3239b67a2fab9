"""双过半: completion against the annual target versus the share of the year elapsed."""

from __future__ import annotations

import math

import numpy as np
import pytest

from leitai.core.errors import DataError
from leitai.core.ranking.targets import completion, double_half, double_half_array


def test_completion_of_a_cumulative_indicator_is_value_over_target():
    assert completion(60, 120) == 0.5
    assert completion(30, 20, direction=-1) == pytest.approx(2 / 3)
    assert completion(0, 20, direction=-1) == math.inf


def test_completion_needs_a_positive_target_and_a_value():
    assert completion(5, 0) is None
    assert completion(5, -2, value_type="growth") is None
    assert completion(None, 10) is None
    assert completion(5, None) is None
    assert completion(math.nan, 10) is None


def test_half_way_through_the_year_half_the_target_is_on_track():
    assert double_half(50, 100, 0.5) == {"completion": 0.5, "elapsed": 0.5, "status": "on_track"}
    assert double_half(55, 100, 0.5)["status"] == "ahead"
    assert double_half(54, 100, 0.5)["status"] == "on_track"
    assert double_half(49, 100, 0.5)["status"] == "behind"
    assert double_half(40, 120, 4 / 12)["status"] == "on_track"


def test_a_growth_rate_is_compared_with_its_target_whatever_the_month():
    assert double_half(6.5, 6.5, 0.25, value_type="growth")["status"] == "on_track"
    assert double_half(7.0, 6.5, 0.25, value_type="growth")["status"] == "ahead"  # 7 ≥ 6.5·1.05
    assert double_half(6.0, 6.5, 0.9, value_type="growth")["status"] == "behind"
    assert double_half(-1.0, -2.0, 0.5, value_type="rate")["status"] == "ahead"  # above a negative target
    low = double_half(1.2, 1.5, 0.5, direction=-1, value_type="rate")  # e.g. a bad-loan ratio cap
    assert low["status"] == "ahead" and low["completion"] == pytest.approx(1.25)


def test_without_a_target_or_a_value_the_status_says_so():
    assert double_half(50, None, 0.5)["status"] == "no_target"
    assert double_half(None, 100, 0.5) == {"completion": None, "elapsed": 0.5, "status": "no_data"}
    assert double_half(50, 0, 0.5)["status"] == "no_target"


def test_a_year_fraction_outside_zero_to_one_is_refused():
    with pytest.raises(DataError):
        double_half(1, 2, 0)
    with pytest.raises(DataError):
        double_half(1, 2, 1.5)


def test_the_array_form_agrees_with_the_scalar_form():
    values = [50, 55, 49, None, 50, 6.8, 6.0, 10, 0]
    targets = [100, 100, 100, 100, None, 6.5, 6.5, 20, 20]
    kinds = ["ytd"] * 5 + ["growth", "growth", "ytd", "ytd"]
    dirs = [1] * 7 + [-1, -1]
    out = double_half_array(np.array(values, dtype=float), np.array(targets, dtype=float), 0.5, dirs, kinds)
    for i, (v, t, d, k) in enumerate(zip(values, targets, dirs, kinds, strict=True)):
        one = double_half(v, t, 0.5, d, k)
        assert out["status"][i] == one["status"], i
        if one["completion"] is None:
            assert math.isnan(out["completion"][i])
        else:
            assert out["completion"][i] == one["completion"]
    assert out["elapsed"] == 0.5
