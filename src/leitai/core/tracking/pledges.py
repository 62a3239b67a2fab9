"""Pledges (军令状): whether a figure keeps a pledge, and seeded sampling (for follow-up reviews).

Pure: a verdict compares one figure with the pledged target; sampling reuses the published, repeatable
draw of core.draw so anyone holding the seed can check which items were picked.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from leitai.core.errors import DataError
from leitai.core.judging.draw import draw_order
from leitai.core.ranking import references as refs

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


# Pledges against a reference (超过全省平均, 达到全省前N, 超过<对标单位>) ----------------------------------------

_CN_NUMBERS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_TOP = re.compile(r"^(?:达到|进入|保持|居|位居|位列|确保)?全省(?:前(\d+|[一二两三四五六七八九十])(?:名|位)?|第(?:一|1)(?:名|位)?)$")
_AVERAGE = re.compile(r"^(?:超过|高于|优于|好于)全省平均(?:水平|值|数)?$")
_PEER = re.compile(r"^(?:超过|高于|优于|好于|赶超)(.+)$")


def parse_reference_target(text: str) -> tuple[str, int | None, str] | None:
    """A pledge's target written in words: ("average", None, "") for 超过全省平均(水平), ("rank", N, "") for
    达到全省前N / 居全省第一, ("peer", None, name) for 超过<外地对标单位>; None when the text is none of these."""
    cleaned = re.sub(r"[\s\u3000]+", "", str(text or ""))
    if not cleaned:
        return None
    if _AVERAGE.match(cleaned):
        return refs.AVERAGE, None, ""
    top = _TOP.match(cleaned)
    if top:
        raw = top.group(1)
        n = 1 if raw is None else (int(raw) if raw.isdigit() else _CN_NUMBERS[raw])
        return (refs.RANK, n, "") if n >= 1 else None
    peer = _PEER.match(cleaned)
    if peer and "全省" not in peer.group(1):
        return refs.PEER, None, peer.group(1)
    return None


def reference_verdict(kind: str, figure: float | int, reference: float | int, direction: int = 1) -> str:
    """"kept" or "missed" for a pledge against a reference: `figure` the unit's value (average, peer) or its
    provincial place (rank); `reference` the average, the peer's value, or N of 达到全省前N."""
    if kind in (refs.AVERAGE, refs.PEER):
        return KEPT if refs.exceeds(figure, reference, direction) else MISSED
    if kind == refs.RANK:
        return KEPT if refs.within_top(int(figure), int(reference)) else MISSED
    raise DataError(f"参照类型 {kind} 无法识别", f"Unknown reference kind {kind}")


def reference_target_words(kind: str, top: float | None = None, peer: str = "") -> tuple[str, str]:
    """The pledged target in words: 超过全省平均 / 达到全省前3 / 超过江苏邳州经济开发区."""
    if kind == refs.AVERAGE:
        return "超过全省平均", "above the province average"
    if kind == refs.RANK:
        n = int(top or 1)
        return (f"达到全省前{n}" if n > 1 else "居全省第一"), (f"in the province's top {n}" if n > 1 else "first in the province")
    return f"超过{peer}", f"above {peer}"


def explain_reference(kind: str, status: str, *, what: str, what_en: str, period: str, period_en: str,
                      figure: float, reference: float, measure: str = "", direction: int = 1, top: float | None = None,
                      peer: str = "", total: int | None = None) -> tuple[str, str]:
    """The verdict's explanation with its numbers, in Chinese and English, e.g. "2024年1-6月地区生产总值增速
    6.1%，全省平均 5.5%，高 0.6 个百分点；承诺超过全省平均，已兑现"."""
    target_zh, target_en = reference_target_words(kind, top, peer)
    result_zh, result_en = ("已兑现", "kept") if status == KEPT else ("未兑现", "missed")
    lower = "（越低越好）" if direction == -1 else ""
    lower_en = " (lower is better)" if direction == -1 else ""
    m_en = f" {measure}" if measure and measure != "%" else measure
    if kind == refs.RANK:
        of = f"（共 {total} 个）" if total else ""
        of_en = f" of {total}" if total else ""
        return (f"{period}{what}居全省第 {int(figure)} 位{of}；承诺{target_zh}，{result_zh}",
                f"{what_en}, {period_en}: ranked {int(figure)}{of_en} in the province; pledged {target_en}: {result_en}")
    gap_zh, gap_en = refs.gap_words(figure, reference, measure)
    ref_zh, ref_en = ("全省平均", "province average") if kind == refs.AVERAGE else (peer, peer)
    return (f"{period}{what} {figure:g}{measure}，{ref_zh} {reference:g}{measure}，{gap_zh}{lower}；承诺{target_zh}，{result_zh}",
            f"{what_en}, {period_en}: {figure:g}{m_en}, {ref_en} {reference:g}{m_en}, {gap_en}{lower_en}; "
            f"pledged {target_en}: {result_en}")
