"""Year-end projections for 双过半 early warning: will a cumulative (year-to-date) figure reach its target?

- linear: the pace so far continues, year_end = ytd / month × 12.
- seasonal: the year follows last year's profile, year_end = ytd / share, where share = last year's
  cumulative value at the same month divided by last year's December value. Only when last year's
  profile is complete (12 values, no gap) and positive, else None: a partial profile would mislead.
- warn: True when the projection misses the target (below it when higher is better, above when lower is).
Scalar functions and vectorised `*_array` variants (NaN for "no projection").
"""

from __future__ import annotations

import math

import numpy as np

from leitai.core.errors import DataError


def _month(month: int) -> int:
    if not 1 <= int(month) <= 12:
        raise DataError(f"月份应在 1-12 之间，实为 {month!r}", f"month must be 1-12, got {month!r}")
    return int(month)


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def linear(ytd_value, month: int) -> float | None:
    """Year-end value if the pace of the first `month` months continues."""
    month = _month(month)
    if _missing(ytd_value):
        return None
    return float(ytd_value) / month * 12


def profile_share(last_year_cumulative, month: int) -> float | None:
    """Last year's cumulative share of the year reached by `month`, or None without a usable profile."""
    month = _month(month)
    if last_year_cumulative is None:
        return None
    profile = np.asarray(last_year_cumulative, dtype=float)
    if profile.shape != (12,) or np.isnan(profile).any() or not (profile > 0).all():
        return None
    return float(profile[month - 1] / profile[11])


def seasonal(ytd_value, month: int, last_year_cumulative) -> float | None:
    """Year-end value if this year follows last year's monthly profile (None without one)."""
    share = profile_share(last_year_cumulative, month)
    if share is None or _missing(ytd_value):
        return None
    return float(ytd_value) / share


def warn(projection, target, direction: int = 1) -> bool:
    """True when the projected year-end value misses the target; False when either is unknown."""
    if direction not in (1, -1):
        raise DataError(f"direction 应为 1 或 -1，实为 {direction!r}", f"direction must be 1 or -1, got {direction!r}")
    if _missing(projection) or _missing(target):
        return False
    return float(projection) < float(target) if direction == 1 else float(projection) > float(target)


def linear_array(ytd_values, months) -> np.ndarray:
    """Vectorised linear: NaN where the value is NaN."""
    m = np.asarray(months, dtype=float)
    if ((m < 1) | (m > 12)).any():
        raise DataError("月份应在 1-12 之间", "months must be 1-12")
    return np.asarray(ytd_values, dtype=float) / m * 12


def seasonal_array(ytd_values, months, profiles) -> np.ndarray:
    """Vectorised seasonal: `profiles` is an (n, 12) array of last year's cumulative values, NaN for gaps;
    rows with a gap or a non-positive value give NaN."""
    v = np.asarray(ytd_values, dtype=float)
    m = np.broadcast_to(np.asarray(months, dtype=int), v.shape)
    if ((m < 1) | (m > 12)).any():
        raise DataError("月份应在 1-12 之间", "months must be 1-12")
    p = np.asarray(profiles, dtype=float).reshape(v.shape[0], 12)
    with np.errstate(invalid="ignore"):
        usable = ~np.isnan(p).any(axis=1) & (p > 0).all(axis=1)
    rows = np.arange(v.shape[0])
    with np.errstate(divide="ignore", invalid="ignore"):
        share = p[rows, m - 1] / p[:, 11]
        out = v / share
    return np.where(usable, out, np.nan)


def warn_array(projections, targets, directions=1) -> np.ndarray:
    """Vectorised warn: False where the projection or the target is NaN."""
    p = np.asarray(projections, dtype=float)
    t = np.asarray(targets, dtype=float)
    d = np.broadcast_to(np.asarray(directions), p.shape)
    known = ~np.isnan(p) & ~np.isnan(t)
    with np.errstate(invalid="ignore"):
        miss = np.where(d == -1, p > t, p < t)
    return known & miss
