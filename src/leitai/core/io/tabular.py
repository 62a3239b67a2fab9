"""Statistics tables (wide or long) read into observations, every problem collected before anything is written.

Pure: the caller turns files into rows (lists of raw cell values per sheet) and passes a `Catalogue` of
the units and indicators it knows. `core.tabular_sheet.parse_import` returns the records and the problems;
a caller writes only when there are no problems at all. This module holds the cells, headers, references
and problems both share (tabular_sheet builds on it; nothing here imports tabular_sheet).

Wide: a row per unit, a column per indicator (the period chosen, in a 期间 column, or in the sheet's
name or title such as "2024年1-4月"). Long: columns unit, indicator, period, value (and status).
Reference (参照数据): a 参照类型 column (全省平均 / 全省排名 / 对标单位), 指标, 期间, 数值, and 单位 (the city's unit a
provincial rank belongs to), 排名 and 参与排名数 (rank rows), 对标单位 (the outside peer's name).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from leitai.core import periods
from leitai.core.errors import PeriodError

BLANK = object()  # an empty cell: skipped, unlike a missing mark which records "no value"
MISSING_MARKS = frozenset({"-", "—", "——", "–", "/", "－", "／", "--"})
_SPACES = re.compile(r"[\s\u3000]+")
SKIP_SHEETS = re.compile(r"(说明|^notes?$|^readme$|^instructions?$)", re.IGNORECASE)

UNIT_HEADERS = frozenset({"单位", "单位名称", "单位编码", "单位代码", "unit", "unit_code", "unit_name", "unitcode"})
INDICATOR_HEADERS = frozenset({"指标", "指标名称", "指标编码", "指标代码", "indicator", "indicator_code",
                               "indicator_name"})
PERIOD_HEADERS = frozenset({"期间", "时期", "月份", "报告期", "period"})
VALUE_HEADERS = frozenset({"数值", "值", "本期值", "value"})
STATUS_HEADERS = frozenset({"状态", "数据状态", "status"})
# A reference sheet (参照数据: 全省平均, 全省排名, 外地对标单位) is known by its 参照类型 column.
REFERENCE_HEADERS = frozenset({"参照类型", "参照类别", "参照", "reference", "reference_kind"})
PEER_HEADERS = frozenset({"对标单位", "外地对标单位", "对标单位名称", "peer"})
RANK_HEADERS = frozenset({"排名", "名次", "全省排名", "全省名次", "rank"})
TOTAL_HEADERS = frozenset({"参与排名数", "排名总数", "总数", "total"})
REFERENCE_KINDS = {"全省平均": "average", "全省平均水平": "average", "省平均": "average", "average": "average",
                   "全省排名": "rank", "全省名次": "rank", "排名": "rank", "rank": "rank",
                   "对标单位": "peer", "外地对标单位": "peer", "对标": "peer", "peer": "peer"}
IGNORED_HEADERS = frozenset({"序号", "备注", "no", "no.", "#", "note", "notes", "remark", "remarks"})
STATUSES = {"初步数": "provisional", "初步": "provisional", "provisional": "provisional",
            "最终数": "final", "最终": "final", "正式数": "final", "final": "final"}
KIND_ZH = {"city": "市", "county": "县市区", "zone": "功能区", "department": "市直部门", "section": "科室",
           "town": "乡镇街道"}

_CN_MONTH_IN = re.compile(r"(\d{4})年(?:(\d{1,2})-)?(\d{1,2})月")
_CN_QUARTER_IN = re.compile(r"(\d{4})年第?([一二三四1-4])季度")
_ISO_MONTH_IN = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})(?!\d)")
_QUARTER_IN = re.compile(r"(?<!\d)(\d{4})[Qq]([1-4])(?!\d)")


def clean_name(value) -> str:
    """A name or code as compared: spaces and full-width spaces removed."""
    return "" if value is None else _SPACES.sub("", str(value))


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column names a spreadsheet shows."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def parse_value(raw):
    """A cell as a number: `BLANK` when empty, None for a missing mark (-, —, /), a float otherwise.

    Accepts 12.5, "12.5%", "1,234.5" and full-width "１２"; raises ValueError for other text.
    """
    if raw is None:
        return BLANK
    if type(raw) is str:  # the common case (every CSV cell): try the plain number first
        try:
            number = float(raw)
        except ValueError:
            pass
        else:
            if math.isfinite(number):
                return number
            raise ValueError(raw)
    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, int | float | Decimal):
        number = float(raw)
    else:
        if isinstance(raw, _dt.date | _dt.time | _dt.timedelta):
            raise ValueError(raw)
        text = str(raw).strip()
        if not text:
            return BLANK
        try:
            number = float(text)
        except ValueError:
            text = _SPACES.sub("", unicodedata.normalize("NFKC", text))
            if text in MISSING_MARKS or not text:
                return None
            text = text.replace(",", "").removesuffix("%")
            number = float(text)  # raises ValueError for text such as 暂无
    if not math.isfinite(number):
        raise ValueError(raw)
    return number


def find_period(text) -> str | None:
    """The period a sheet name or title names ("2024年1-4月主要指标" → 2024-04), or None."""
    cleaned = clean_name(unicodedata.normalize("NFKC", str(text or ""))).replace("—", "-").replace("~", "-")
    if not cleaned:
        return None
    try:
        return periods.parse(cleaned).code
    except PeriodError:
        pass
    for pattern, kind in ((_CN_MONTH_IN, "month"), (_CN_QUARTER_IN, "quarter"), (_ISO_MONTH_IN, "month"),
                          (_QUARTER_IN, "quarter")):
        m = pattern.search(cleaned)
        if m:
            raw = m.group(m.lastindex or 0)
            number = "一二三四".index(raw) + 1 if raw in "一二三四" else int(raw)
            code = f"{m.group(1)}-{number:02d}" if kind == "month" else f"{m.group(1)}Q{number}"
            try:
                return periods.parse(code).code
            except PeriodError:
                return None
    return None


def period_of_cell(raw) -> str:
    """A 期间 cell as a period code; raises PeriodError when it cannot be read."""
    if isinstance(raw, _dt.datetime | _dt.date):
        return f"{raw.year}-{raw.month:02d}"
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = clean_name(unicodedata.normalize("NFKC", str(raw)))
    try:
        return periods.parse(text).code
    except PeriodError:
        found = find_period(text)
        if found:
            return found
        raise


@dataclass(frozen=True)
class UnitRef:
    """A unit as the importer knows it."""

    code: str
    kind: str
    name: str = ""


@dataclass(frozen=True)
class IndicatorRef:
    """An indicator as the importer knows it: plausible range and the unit kinds it applies to."""

    code: str
    name: str = ""
    min: float | None = None
    max: float | None = None
    applies_to: tuple[str, ...] = ()


class Catalogue:
    """Units and indicators by code, name and short name; `editable` limits the units (None: all)."""

    def __init__(self, units, indicators, editable=None):
        """units: (code, name, short_name, kind); indicators: (code, name, min, max, applies_to)."""
        self.units: dict[str, UnitRef] = {}
        self.indicators: dict[str, IndicatorRef] = {}
        unit_rows = [UnitRef(code, kind, name) for code, name, _short, kind in units]
        shorts = [short for _code, _name, short, _kind in units]
        # Codes win over names, names over short names, so one label never silently means two units.
        for keys in ([u.code for u in unit_rows], [u.name for u in unit_rows], shorts):
            for key, ref in zip(keys, unit_rows, strict=True):
                if key and clean_name(key) not in self.units:
                    self.units[clean_name(key)] = ref
        ind_rows = [IndicatorRef(code, name, lo, hi, tuple(applies or ())) for code, name, lo, hi, applies in indicators]
        for keys in ([i.code for i in ind_rows], [i.name for i in ind_rows]):
            for key, ref in zip(keys, ind_rows, strict=True):
                if key and clean_name(key) not in self.indicators:
                    self.indicators[clean_name(key)] = ref
        self.editable = None if editable is None else frozenset(editable)

    def unit(self, raw) -> UnitRef | None:
        return self.units.get(clean_name(raw))

    def indicator(self, raw) -> IndicatorRef | None:
        return self.indicators.get(clean_name(raw))


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the file, located by sheet, 1-based row and column (letter and header)."""

    sheet: str
    row: int | None
    column: str
    header: str
    code: str
    message_zh: str
    message_en: str

    def message(self, lang: str = "zh-hans") -> str:
        return self.message_en if lang.startswith("en") else self.message_zh

    def where(self, lang: str = "zh-hans") -> str:
        en = lang.startswith("en")
        parts = [f"sheet '{self.sheet}'" if en else f"工作表“{self.sheet}”"]
        if self.row:
            parts.append(f"row {self.row}" if en else f"第 {self.row} 行")
        if self.column:
            if en:
                parts.append(f"column {self.column}" + (f" ({self.header})" if self.header else ""))
            else:
                parts.append(f"{self.column} 列" + (f"（{self.header}）" if self.header else ""))
        return ", ".join(parts) if en else " ".join(parts)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class SheetSummary:
    """What was found on one sheet: its shape and how many data rows, or why it was skipped."""

    name: str
    shape: str = ""
    rows: int = 0
    skipped: str = ""


@dataclass
class ParsedImport:
    """Records (unit_code, indicator_code, period_code, value|None, status|None), reference records
    (kind, indicator_code, period_code, unit_code, peer_name, value|None, rank|None, total|None; unit_code
    and peer_name "" when not theirs) and the problems found."""

    records: list[tuple] = field(default_factory=list)
    references: list[tuple] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheets: list[SheetSummary] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def unreadable(exc, file_name: str) -> Problem:
    """The one problem of a file that could not be read (a `bounds.FileRefused` or another DataError),
    located by the sheet, row and column the refusal names, else by the file's name."""
    return Problem(getattr(exc, "sheet", "") or file_name, getattr(exc, "row", None), getattr(exc, "column", ""), "",
                   getattr(exc, "code", "unreadable"), exc.zh, exc.en)


def blank_row(row) -> bool:
    """True for a row with no content (every cell None or only spaces)."""
    for cell in row:
        if cell is not None and (type(cell) is not str or cell.strip()):
            return False
    return True


def filled(cell) -> bool:
    """True for a cell with content (not None, not only spaces)."""
    return cell is not None and (not isinstance(cell, str) or bool(cell.strip()))


def value_problems(unit: UnitRef | None, ref: IndicatorRef, value: float | None) -> list[tuple[str, str, str]]:
    """What is wrong with one value for one unit (code, zh, en): not applicable, outside the plausible range."""
    found = []
    if unit is not None and ref.applies_to and unit.kind not in ref.applies_to:
        kinds = "、".join(KIND_ZH.get(k, k) for k in ref.applies_to)
        found.append(("not_applicable",
                      f"指标“{ref.name or ref.code}”不适用于“{unit.name or unit.code}”（仅适用于{kinds}）",
                      f"Indicator '{ref.code}' does not apply to '{unit.code}' (only {', '.join(ref.applies_to)})"))
    if value is not None and ((ref.min is not None and value < ref.min) or (ref.max is not None and value > ref.max)):
        lo = "-∞" if ref.min is None else f"{ref.min:g}"
        hi = "+∞" if ref.max is None else f"{ref.max:g}"
        found.append(("out_of_range", f"数值 {value:.10g} 超出“{ref.name or ref.code}”的合理范围 [{lo}, {hi}]",
                      f"Value {value:.10g} is outside the plausible range [{lo}, {hi}] of '{ref.code}'"))
    return found


def header_tables(sheets, headers: dict[str, str], required: dict[str, str]):
    """Read workbook sheets whose first row is a header, for the simple tracking imports (projects, pledges).

    Yields (sheet name, columns, numbered rows) per sheet with data: columns maps each known field to
    (index, header as written) for the headers found in `headers` (spaces removed, case ignored); rows are
    (row number, row) without blank rows. Sheets named like notes (说明, readme) are skipped. A sheet missing
    a required field (field → Chinese header) yields columns None and, as rows, the one Problem naming them."""
    for name, rows in sheets:
        if not rows or SKIP_SHEETS.search(str(name)):
            continue
        header = [clean_name(h).lower() for h in rows[0]]
        columns = {headers[h]: (i, str(rows[0][i]).strip()) for i, h in enumerate(header) if h in headers}
        missing = [zh for field, zh in required.items() if field not in columns]
        if missing:
            yield name, None, [Problem(name, 1, "", "", "missing_columns", f"缺少列：{'、'.join(missing)}",
                                       f"Missing columns: {', '.join(missing)}")]
            continue
        yield name, columns, [(n, r) for n, r in enumerate(rows[1:], start=2) if not blank_row(r)]
