"""Year-end projections: linear, seasonal (last year's profile) and the miss warning, by hand."""

import math

import numpy as np
import pytest

from leitai.core.errors import DataError
from leitai.core.ranking import projection as pj

# last year's cumulative profile: 10 a month, so June holds half the year
FLAT = [10 * m for m in range(1, 13)]
# a back-loaded year: 30 of 150 by June (a fifth)
BACK = [5, 10, 15, 20, 25, 30, 45, 60, 75, 100, 125, 150]


def test_linear_projection_extends_the_pace_to_twelve_months():
    assert pj.linear(30.0, 4) == pytest.approx(90.0)
    assert pj.linear(None, 4) is None


def test_linear_rejects_a_month_outside_the_year():
    with pytest.raises(DataError):
        pj.linear(1.0, 13)


def test_seasonal_projection_divides_by_last_years_share_at_the_same_month():
    assert pj.seasonal(50.0, 6, FLAT) == pytest.approx(100.0)
    # 30/150 = 0.2 of the year by June: 40 so far projects to 200
    assert pj.seasonal(40.0, 6, BACK) == pytest.approx(200.0)


def test_seasonal_needs_a_complete_positive_profile():
    assert pj.seasonal(40.0, 6, BACK[:11]) is None
    assert pj.seasonal(40.0, 6, [*BACK[:5], float("nan"), *BACK[6:]]) is None
    assert pj.seasonal(40.0, 6, [0, *BACK[1:]]) is None
    assert pj.seasonal(40.0, 6, None) is None


def test_warn_flags_a_projection_below_a_higher_is_better_target():
    assert pj.warn(90.0, 100.0) is True
    assert pj.warn(100.0, 100.0) is False
    assert pj.warn(None, 100.0) is False


def test_warn_flags_a_projection_above_a_lower_is_better_target():
    assert pj.warn(36.0, 35.0, direction=-1) is True
    assert pj.warn(34.0, 35.0, direction=-1) is False


def test_vectorised_variants_agree_with_the_scalar_ones():
    values = np.array([30.0, 40.0, np.nan])
    months = np.array([4, 6, 6])
    assert np.allclose(pj.linear_array(values, months)[:2], [90.0, 80.0])
    assert math.isnan(pj.linear_array(values, months)[2])
    profiles = np.array([FLAT, BACK, [np.nan] * 12])
    seasonal = pj.seasonal_array(values, months, profiles)
    assert seasonal[0] == pytest.approx(pj.seasonal(30.0, 4, FLAT))
    assert seasonal[1] == pytest.approx(200.0)
    assert math.isnan(seasonal[2])
    flags = pj.warn_array([90.0, 36.0, np.nan], [100.0, 35.0, 1.0], [1, -1, 1])
    assert flags.tolist() == [True, True, False]
