"""Pledges (军令状): whether a figure keeps a pledge, and seeded sampling (for follow-up reviews).

Pure: a verdict compares one figure with the pledged target; sampling reuses the published, repeatable
draw of core.draw so anyone holding the seed can check which items were picked.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .draw import draw_order
from .errors import DataError

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
