"""Normalisation of one indicator column: minmax, zscore, rank points, target completion.

Each function takes the raw column (NaN = missing) and returns the normalised column (NaN stays
NaN) or a reason string when the indicator must be dropped ("no_data", "no_spread").

Sums are accumulated in extended precision (`np.longdouble`) and rounded once, the way R's `sum`,
`mean` and `sd` do, so results agree to the last bit with R-based composite-indicator tools
(COINr, compind) in all but pathological cases.
"""

from __future__ import annotations

import numpy as np

from leitai.core.errors import SpecError

_LD = np.longdouble


def r_mean(x: np.ndarray) -> float:
    """R's `mean`: extended-precision sum, divided, then a second pass corrects the rounding."""
    xl = x.astype(_LD)
    n = _LD(x.size)
    m = xl.sum() / n
    if np.isfinite(m):
        m = m + (xl - m).sum() / n
    return float(m)


def r_sd(x: np.ndarray) -> float:
    """R's `sd` (sample standard deviation, ddof=1): squared deviations from the rounded mean,
    summed in extended precision, divided by n−1 and rounded, then the square root."""
    if x.size < 2:
        return float("nan")
    dev = x - r_mean(x)
    var = float((dev * dev).astype(_LD).sum() / _LD(x.size - 1))
    return float(np.sqrt(var))


def minmax(col: np.ndarray, direction: int, scale: tuple[float, float]) -> np.ndarray | str:
    """lo + (x−min)/(max−min)·(hi−lo); lower-is-better uses (max−x)."""
    present = col[~np.isnan(col)]
    if present.size == 0:
        return "no_data"
    mn, mx = float(present.min()), float(present.max())
    if mx == mn:
        return "no_spread"
    lo, hi = scale
    span = mx - mn
    if direction == 1:
        return lo + ((col - mn) / span) * (hi - lo)
    return lo + ((mx - col) / span) * (hi - lo)


def zscore(col: np.ndarray, direction: int) -> np.ndarray | str:
    """(x−mean)/sd with the sample sd, times the direction; not rescaled."""
    present = col[~np.isnan(col)]
    if present.size == 0:
        return "no_data"
    if present.size < 2 or float(present.min()) == float(present.max()):
        return "no_spread"
    sd = r_sd(present)
    if not sd > 0:
        return "no_spread"
    return ((col - r_mean(present)) / sd) * direction


def rank_points(col: np.ndarray, direction: int) -> np.ndarray | str:
    """Rank of direction·x ascending, ties get the minimum rank (R's ties.method="min"):
    the worst unit scores 1 and higher is better."""
    mask = ~np.isnan(col)
    present = col[mask]
    if present.size == 0:
        return "no_data"
    if float(present.min()) == float(present.max()):
        return "no_spread"
    oriented = present * direction
    ordered = np.sort(oriented)
    out = np.full(col.shape, np.nan)
    out[mask] = np.searchsorted(ordered, oriented, side="left") + 1.0
    return out


def target_completion(col: np.ndarray, direction: int, target: float, scale: tuple[float, float]) -> np.ndarray | str:
    """Completion ratio x/target (lower-is-better: target/x), clipped to [0, 1] and mapped onto the scale.

    A lower-is-better value of 0 divides by zero: the ratio is ±∞ (sign of the target) and the clip
    turns it into the capped value (1 for a positive target)."""
    present = col[~np.isnan(col)]
    if present.size == 0:
        return "no_data"
    with np.errstate(divide="ignore", invalid="ignore"):
        if direction == 1:
            ratio = col / target
        else:
            ratio = np.where(col == 0, np.copysign(np.inf, target), target / col)
    ratio = np.clip(ratio, 0.0, 1.0)  # NaN passes through np.clip unchanged
    lo, hi = scale
    return lo + ratio * (hi - lo)


def normalize_column(col: np.ndarray, method: str, direction: int, scale: tuple[float, float],
                     target: float | None) -> np.ndarray | str:
    """Dispatch on the spec's normalisation; returns the column or a drop reason."""
    col = np.asarray(col, dtype=float)
    if method == "minmax":
        return minmax(col, direction, scale)
    if method == "zscore":
        return zscore(col, direction)
    if method == "rank":
        return rank_points(col, direction)
    if method == "target":
        if target is None or target == 0:
            raise SpecError("按目标值标准化需要非零的 target", "target normalisation needs a non-zero target")
        return target_completion(col, direction, target, scale)
    raise SpecError(f"未知的标准化方法 {method!r}", f"unknown normalisation {method!r}")
