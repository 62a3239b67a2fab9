"""Periods: month (2024-04), quarter (2024Q1), year (2024), with their Chinese labels.

Chinese statistics are mostly year-to-date ("2024年1-4月"); `label(code, ytd=True)` gives that form.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from leitai.core.errors import PeriodError

_QUARTER_CN = {1: "一", 2: "二", 3: "三", 4: "四"}
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
# Forms statistics offices write in headers and file names.
_CN_MONTH = re.compile(r"^(\d{4})年(?:1-)?(\d{1,2})月$")
_CN_QUARTER = re.compile(r"^(\d{4})年第?([一二三四1-4])季度?$")
_CN_YEAR = re.compile(r"^(\d{4})年?(?:度)?$")


@dataclass(frozen=True, order=True)
class PeriodInfo:
    """A parsed period: kind is month, quarter or year; number is the month or quarter (0 for a year)."""

    year: int
    kind: str
    number: int

    @property
    def code(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year}Q{self.number}"
        return f"{self.year}"

    @property
    def start(self) -> date:
        if self.kind == "month":
            return date(self.year, self.number, 1)
        if self.kind == "quarter":
            return date(self.year, 3 * self.number - 2, 1)
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        if self.kind == "month":
            month = self.number
        elif self.kind == "quarter":
            month = 3 * self.number
        else:
            month = 12
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def last_month(self) -> int:
        """The last month of the year the period covers (1–12)."""
        return self.end.month

    @property
    def year_fraction(self) -> float:
        """Share of the year elapsed at the end of the period (for 双过半: 6 months → 0.5)."""
        return self.last_month / 12.0

    def previous(self) -> PeriodInfo:
        """The period before, of the same kind (2024-01 → 2023-12)."""
        if self.kind == "month":
            return PeriodInfo(self.year - 1, "month", 12) if self.number == 1 else PeriodInfo(self.year, "month", self.number - 1)
        if self.kind == "quarter":
            return PeriodInfo(self.year - 1, "quarter", 4) if self.number == 1 else PeriodInfo(self.year, "quarter", self.number - 1)
        return PeriodInfo(self.year - 1, "year", 0)

    def same_period_last_year(self) -> PeriodInfo:
        return PeriodInfo(self.year - 1, self.kind, self.number)


def parse(text: str) -> PeriodInfo:
    """Read a period code or a Chinese label: 2024-04, 2024Q1, 2024, 2024年4月, 2024年1-4月, 2024年第一季度."""
    raw = str(text).strip()
    for pattern, kind in ((_MONTH, "month"), (_QUARTER, "quarter"), (_YEAR, "year"), (_CN_MONTH, "month")):
        m = pattern.match(raw)
        if m:
            year = int(m.group(1))
            number = int(m.group(2)) if kind != "year" else 0
            return _checked(year, kind, number, raw)
    m = _CN_QUARTER.match(raw)
    if m:
        q = m.group(2)
        number = int(q) if q.isdigit() else {v: k for k, v in _QUARTER_CN.items()}[q]
        return _checked(int(m.group(1)), "quarter", number, raw)
    m = _CN_YEAR.match(raw)
    if m:
        return _checked(int(m.group(1)), "year", 0, raw)
    raise PeriodError(
        f"无法识别的期间“{raw}”，应写作 2024-04、2024Q1、2024 或 2024年4月",
        f"Unrecognised period '{raw}': write 2024-04, 2024Q1, 2024 or 2024年4月",
    )


def _checked(year: int, kind: str, number: int, raw: str) -> PeriodInfo:
    if not 1900 <= year <= 2200 or (kind == "month" and not 1 <= number <= 12):
        raise PeriodError(f"期间“{raw}”超出范围", f"Period '{raw}' is out of range")
    return PeriodInfo(year, kind, number)


def label(code: str, ytd: bool = False, lang: str = "zh-hans") -> str:
    """The label an office prints: 2024年4月, 2024年1-4月 (ytd), 2024年第一季度, 2024年."""
    p = parse(code)
    if lang.startswith("en"):
        if p.kind == "month":
            name = calendar.month_abbr[p.number]
            return f"Jan–{name} {p.year}" if ytd and p.number > 1 else f"{name} {p.year}"
        if p.kind == "quarter":
            return f"Q{p.number} {p.year}"
        return str(p.year)
    if p.kind == "month":
        if ytd and p.number > 1:
            return f"{p.year}年1-{p.number}月"
        return f"{p.year}年{p.number}月"
    if p.kind == "quarter":
        return f"{p.year}年第{_QUARTER_CN[p.number]}季度"
    return f"{p.year}年"


def months(year: int) -> list[PeriodInfo]:
    return [PeriodInfo(year, "month", m) for m in range(1, 13)]
