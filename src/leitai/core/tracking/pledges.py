"""Pledges (军令状): whether a figure keeps a pledge, and seeded sampling (for follow-up reviews).

Pure: a verdict compares one figure with the pledged target; sampling reuses the published, repeatable
draw of core.draw so anyone holding the seed can check which items were picked.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from leitai.core.errors import DataError
from leitai.core.judging.draw import draw_order

KEPT = "kept"
MISSED = "missed"

# "=" pledges are kept when the figure is within this share of the target (at least this much absolutely):
# published figures are rounded, so an exact float comparison would miss pledges that were kept.
EQ_TOLERANCE = 0.005

_COMPARISONS = {"ge": "ge", "≥": "ge", ">=": "ge", "le": "le", "≤": "le", "<=": "le", "eq": "eq", "=": "eq",
                "==": "eq"}


def verdict(value: float, comparison: str, target: float, tolerance: float = EQ_TOLERANCE) -> str:
    """"kept" or "missed": `value` against the pledged `comparison` (ge/le/eq or ≥/≤/=) and `target`."""
    op = _COMPARISONS.get(str(comparison).strip())
    if op is None:
        raise DataError(f"比较方式 {comparison} 无法识别（应为 ≥、≤ 或 =）",
                        f"Unknown comparison {comparison} (expected ge, le or eq)")
    if value is None or target is None or not (math.isfinite(value) and math.isfinite(target)):
        raise DataError("核验承诺需要有效的数值和目标值", "Judging a pledge needs a finite figure and target")
    if op == "ge":
        ok = value >= target
    elif op == "le":
        ok = value <= target
    else:
        ok = abs(value - target) <= tolerance * max(1.0, abs(target))
    return KEPT if ok else MISSED


def sample(items: Sequence[str], n: int, seed: str) -> list[str]:
    """`n` of `items` picked by the seeded draw (all of them when n ≥ len(items)), in drawn order."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise DataError("抽取数量应为非负整数", "The sample size must be a non-negative integer")
    return draw_order(list(items), seed)[:n]


# Repeating pledges and pledges on key projects ---------------------------------------------------------

ONCE = ""
MONTHLY = "monthly"


def months_between(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    """The months (year, month) from `first` to `last` inclusive (empty when last is before first)."""
    out, (y, m) = [], first
    while (y, m) <= last:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def overall(checks: Sequence[str], expected: int) -> str | None:
    """A repeating pledge's verdict from its checks so far: missed at the first missed check, kept once all
    `expected` checks are kept, otherwise still pending (None)."""
    if MISSED in checks:
        return MISSED
    if len(checks) >= expected and all(c == KEPT for c in checks):
        return KEPT
    return None


def projects_reached(dates: Sequence, start=None, end=None) -> int:
    """How many projects reached a stage within [start, end] (either bound may be None): `dates` are the
    projects' actual dates of that stage (None when not reached)."""
    return sum(1 for d in dates if d is not None and (start is None or d >= start) and (end is None or d <= end))
