"""双过半: is each annual target's completion keeping pace with the share of the year elapsed?

Cumulative indicators (value_type "ytd", and "level" stocks that build up over the year) compare the
completion ratio with the share of the year elapsed: by June (elapsed 0.5) half the annual target
should be done. Growth rates and ratios ("growth", "rate") are not cumulative — a 6 % growth target
is met by growing 6 % at any point of the year — so their status compares the value with the target
directly and the elapsed share is reported but not applied.

Completion ratio:
- ytd/level: value/target (higher is better), target/value (lower is better); None unless target > 0.
  A lower-is-better value ≤ 0 against a positive target is unbounded: completion is +∞ (ahead).
- growth/rate: value/target (higher is better), target/value (lower is better), None unless
  target > 0 (a ratio against a zero or negative growth target means nothing); value ≤ 0 with
  lower-is-better gives +∞ as above.

Status ("ahead" | "on_track" | "behind", "no_target" without a target, "no_data" without a value):
- ytd/level: ahead when completion ≥ elapsed + 0.05, on_track when completion ≥ elapsed.
- growth/rate, higher is better: ahead when value ≥ target + 0.05·|target|, on_track when
  value ≥ target; lower is better: ahead when value ≤ target − 0.05·|target|, on_track when
  value ≤ target. This equals completion ≥ 1.05 / ≥ 1 whenever the ratio exists, and still works for a
  zero or negative target.
"""

from __future__ import annotations

import math

import numpy as np

from leitai.core.errors import DataError

AHEAD_MARGIN = 0.05
CUMULATIVE = ("ytd", "level")
RATES = ("growth", "rate")


def _check(direction: int, value_type: str) -> None:
    if direction not in (1, -1):
        raise DataError(f"direction 应为 1 或 -1，实为 {direction!r}", f"direction must be 1 or -1, got {direction!r}")
    if value_type not in CUMULATIVE + RATES:
        raise DataError(f"未知的取值类型 {value_type!r}", f"unknown value type {value_type!r}")


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def completion(value, target, direction: int = 1, value_type: str = "ytd") -> float | None:
    """The completion ratio of `value` against the annual `target` (see the module docstring)."""
    _check(direction, value_type)
    if _missing(value) or _missing(target) or not float(target) > 0:
        return None
    value, target = float(value), float(target)
    if direction == 1:
        return value / target
    return math.inf if value <= 0 else target / value


def double_half(value, target, year_fraction: float, direction: int = 1, value_type: str = "ytd") -> dict:
    """{completion, elapsed, status} for one unit and indicator at `year_fraction` of the year."""
    _check(direction, value_type)
    elapsed = _elapsed(year_fraction)
    if _missing(target):
        return {"completion": None, "elapsed": elapsed, "status": "no_target"}
    if _missing(value):
        return {"completion": None, "elapsed": elapsed, "status": "no_data"}
    ratio = completion(value, target, direction, value_type)
    value, target = float(value), float(target)
    if value_type in RATES:
        margin = AHEAD_MARGIN * abs(target)
        better = value - target if direction == 1 else target - value
        status = "ahead" if better >= margin else "on_track" if better >= 0 else "behind"
    elif ratio is None:
        status = "no_target"  # a cumulative target of 0 or below cannot be "completed"
    else:
        status = "ahead" if ratio >= elapsed + AHEAD_MARGIN else "on_track" if ratio >= elapsed else "behind"
    return {"completion": ratio, "elapsed": elapsed, "status": status}


def _elapsed(year_fraction: float) -> float:
    f = float(year_fraction)
    if not 0 < f <= 1:
        raise DataError(f"时间进度应在 (0, 1] 之间，实为 {year_fraction!r}",
                        f"year fraction must be in (0, 1], got {year_fraction!r}")
    return f


def double_half_array(values, targets, year_fraction: float, directions=1, value_types="ytd") -> dict:
    """Vectorised double_half for many units (or indicators): arrays in, arrays out.

    `directions` and `value_types` broadcast (a scalar or one per element). Returns {"completion":
    float array, NaN where None; "elapsed": float; "status": object array of status strings}."""
    elapsed = _elapsed(year_fraction)
    v = np.asarray(values, dtype=float)
    t = np.asarray(targets, dtype=float)
    d = np.broadcast_to(np.asarray(directions), v.shape)
    kinds = np.broadcast_to(np.asarray(value_types, dtype=object), v.shape)
    for direction in np.unique(d):
        _check(int(direction), "ytd")
    for kind in set(kinds.ravel().tolist()):
        _check(1, kind)
    is_rate = np.isin(kinds, RATES)
    has_t, has_v = ~np.isnan(t), ~np.isnan(v)
    ok = has_t & has_v & (t > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        up = v / t
        down = np.where(v <= 0, np.inf, t / v)
    ratio = np.where(ok, np.where(d == 1, up, down), np.nan)

    better = np.where(d == 1, v - t, t - v)
    margin = AHEAD_MARGIN * np.abs(t)
    with np.errstate(invalid="ignore"):
        rate_status = np.where(better >= margin, "ahead", np.where(better >= 0, "on_track", "behind"))
        cum_status = np.where(ratio >= elapsed + AHEAD_MARGIN, "ahead",
                              np.where(ratio >= elapsed, "on_track", "behind"))
    cum_status = np.where(ok, cum_status, "no_target")
    status = np.where(is_rate, rate_status, cum_status).astype(object)
    status[has_t & ~has_v] = "no_data"
    status[~has_t] = "no_target"
    return {"completion": ratio, "elapsed": elapsed, "status": status}
