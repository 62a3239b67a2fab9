"""External reference series (对标): how a unit's figure stands against the province's average, an outside
peer's figure, or its place in the province. Pure: numbers in, numbers and words out.

`ahead` is signed by the indicator's direction, so "超过全省平均" means better than the average whichever way
is better (a higher growth rate, a lower energy use per unit of output). A figure equal to the reference does
not exceed it.
"""

from __future__ import annotations

import math

from leitai.core.errors import DataError

AVERAGE = "average"
RANK = "rank"
PEER = "peer"
KINDS = (AVERAGE, RANK, PEER)


def difference(value: float, reference: float) -> float:
    """value − reference, rounded to 10 significant digits so 8.2 − 6.5 reads 1.7 and not 1.6999999999999993."""
    return float(f"{value - reference:.10g}")


def ahead(value: float, reference: float, direction: int = 1) -> float:
    """How far `value` is better than `reference`: positive when better, negative when worse (direction 1:
    higher is better, −1: lower is better)."""
    for x in (value, reference):
        if x is None or not math.isfinite(x):
            raise DataError("比较需要有效的数值", "A comparison needs finite figures")
    if direction not in (1, -1):
        raise DataError("指标方向应为 1（越高越好）或 −1（越低越好）", "The direction must be 1 or -1")
    return difference(value, reference) * direction


def exceeds(value: float, reference: float, direction: int = 1) -> bool:
    """超过: strictly better than the reference in the indicator's direction."""
    return ahead(value, reference, direction) > 0


def within_top(rank: int, top: int) -> bool:
    """达到全省前 N: the place is N or better (1 is first)."""
    for x in (rank, top):
        if isinstance(x, bool) or not isinstance(x, int) or x < 1:
            raise DataError("名次应为正整数", "A rank must be a whole number from 1")
    return rank <= top


def gap_words(value: float, reference: float, measure: str = "") -> tuple[str, str]:
    """The gap in words: ("高 1.7 个百分点", "1.7 points higher") for measure %, ("低 0.03 吨", …) otherwise,
    ("持平", "level") when equal."""
    diff = difference(value, reference)
    if diff == 0:
        return "持平", "level"
    size = f"{abs(diff):g}"
    unit_zh = " 个百分点" if measure == "%" else (f" {measure}" if measure else "")
    unit_en = (" point" if size == "1" else " points") if measure == "%" else (f" {measure}" if measure else "")
    return (f"高 {size}{unit_zh}", f"{size}{unit_en} higher") if diff > 0 else (f"低 {size}{unit_zh}", f"{size}{unit_en} lower")
