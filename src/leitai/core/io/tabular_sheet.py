"""Statistics tables read into records: `parse_import` over the sheets, and one sheet's wide or long layout
(SheetReader). Built on the cells, headers and problems of `tabular`."""

from __future__ import annotations

from leitai.core import periods
from leitai.core.errors import PeriodError
from leitai.core.io.tabular import (
    BLANK,
    IGNORED_HEADERS,
    INDICATOR_HEADERS,
    PEER_HEADERS,
    PERIOD_HEADERS,
    RANK_HEADERS,
    REFERENCE_HEADERS,
    REFERENCE_KINDS,
    SKIP_SHEETS,
    STATUS_HEADERS,
    STATUSES,
    TOTAL_HEADERS,
    UNIT_HEADERS,
    VALUE_HEADERS,
    Catalogue,
    IndicatorRef,
    ParsedImport,
    Problem,
    SheetSummary,
    UnitRef,
    blank_row,
    clean_name,
    column_letter,
    filled,
    find_period,
    parse_value,
    period_of_cell,
    value_problems,
)

_ERROR = object()  # a cell already reported as a problem
_MISS = object()


class SheetReader:
    """Reads one sheet's numbered rows [(row number, cells)] into the shared result."""

    def __init__(self, name, catalogue, chosen, result, seen, summary):
        self.name, self.catalogue, self.chosen = name, catalogue, chosen
        self.result, self.seen, self.summary = result, seen, summary
        self.headers: list[str] = []
        self.sheet_period: str | None = None
        self._periods: dict = {}
        self._units: dict = {}
        self._indicators: dict = {}
        self._period_reported = False

    def problem(self, row, col, code, zh, en):
        letter = column_letter(col) if col is not None else ""
        header = self.headers[col] if col is not None and col < len(self.headers) else ""
        self.result.problems.append(Problem(self.name, row, letter, header, code, zh, en))

    def read(self, numbered, shape):
        # The header is the first row with two filled cells; rows above it are titles.
        at = next((i for i, (_n, row) in enumerate(numbered) if sum(filled(c) for c in row) >= 2), None)
        if at is None:
            self.problem(numbered[0][0], None, "no_header", "找不到表头行（至少两列有内容的一行）",
                         "No header row found (a row with at least two filled cells)")
            return
        titles = [row for _n, row in numbered[:at]]
        header_no, header = numbered[at]
        self.headers = ["" if h is None else str(h).strip() for h in header]
        body = numbered[at + 1:]
        # The period an office writes in a title row ("2024年1-4月…") or in the sheet's name.
        for row in titles:
            self.sheet_period = find_period("".join(str(c) for c in row if filled(c)))
            if self.sheet_period:
                break
        self.sheet_period = self.sheet_period or find_period(self.name)
        if self.chosen and self.sheet_period and self.sheet_period != self.chosen:
            self.problem(None, None, "period_mismatch",
                         f"工作表的期间 {periods.label(self.sheet_period)} 与所选期间 {periods.label(self.chosen)} 不一致",
                         f"The sheet's period {self.sheet_period} differs from the chosen period {self.chosen}")
        self.summary.shape = shape or detect_shape(header)
        if self.summary.shape == "reference":
            self._read_reference(header_no, body)
        elif self.summary.shape == "long":
            self._read_long(header_no, body)
        else:
            self._read_wide(header_no, body)

    def _read_wide(self, header_no, body):
        unit_col = 0
        while unit_col < len(self.headers) - 1 and clean_name(self.headers[unit_col]).lower() in IGNORED_HEADERS:
            unit_col += 1
        period_col = status_col = None
        columns, unnamed, codes = [], [], {}
        for col, head in enumerate(self.headers):
            key = clean_name(head).lower()
            if col == unit_col or key in IGNORED_HEADERS or key in UNIT_HEADERS:
                continue
            if not key:
                unnamed.append(col)
            elif key in PERIOD_HEADERS:
                period_col = col
            elif key in STATUS_HEADERS:
                status_col = col
            else:
                ref = self.catalogue.indicator(head)
                if ref is None:
                    self.problem(header_no, col, "unknown_indicator", f"找不到指标“{head}”（请填写指标编码或名称）",
                                 f"Unknown indicator '{head}' (write the indicator's code or name)")
                elif ref.code in codes:
                    self.problem(header_no, col, "duplicate", f"指标“{head}”与 {column_letter(codes[ref.code])} 列重复",
                                 f"Indicator '{head}' repeats column {column_letter(codes[ref.code])}")
                else:
                    codes[ref.code] = col
                    columns.append((col, ref))
        unnamed_reported = set()
        for n, row in body:
            self.summary.rows += 1
            unit = self.unit_at(n, row, unit_col)
            period = self.period_at(n, row, period_col)
            status = self.status_at(n, row, status_col)
            for col, ref in columns:
                value = self.value_at(n, row, col)
                if value is not BLANK and value is not _ERROR:
                    self.add(n, col, unit, ref, period, value, status)
            for col in unnamed:
                if col not in unnamed_reported and col < len(row) and filled(row[col]):
                    unnamed_reported.add(col)
                    self.problem(n, col, "no_header", "该列有数据但没有表头（指标）", "This column has data but no header")

    def _read_long(self, header_no, body):
        cols: dict[str, int] = {}
        for col, head in enumerate(self.headers):
            key = clean_name(head).lower()
            for role, names in (("unit", UNIT_HEADERS), ("indicator", INDICATOR_HEADERS), ("period", PERIOD_HEADERS),
                                ("value", VALUE_HEADERS), ("status", STATUS_HEADERS)):
                if key in names and role not in cols:
                    cols[role] = col
        zh_names = {"unit": "单位", "indicator": "指标", "value": "数值"}
        missing = [role for role in ("unit", "indicator", "value") if role not in cols]
        if missing:
            self.problem(header_no, None, "missing_column", "缺少列：" + "、".join(zh_names[m] for m in missing),
                         "Missing column(s): " + ", ".join(missing))
            return
        unit_col, ind_col, value_col = cols["unit"], cols["indicator"], cols["value"]
        period_col, status_col = cols.get("period"), cols.get("status")
        for n, row in body:
            self.summary.rows += 1
            unit = self.unit_at(n, row, unit_col)
            ref = self.indicator_at(n, row, ind_col)
            period = self.period_at(n, row, period_col)
            status = self.status_at(n, row, status_col)
            value = self.value_at(n, row, value_col)
            if value is not BLANK and value is not _ERROR and ref:
                self.add(n, value_col, unit, ref, period, value, status)

    def _read_reference(self, header_no, body):
        """参照数据: one row per province average, provincial rank or outside peer's value (docs/references.md)."""
        cols: dict[str, int] = {}
        for col, head in enumerate(self.headers):
            key = clean_name(head).lower()
            for role, names in (("kind", REFERENCE_HEADERS), ("unit", UNIT_HEADERS), ("indicator", INDICATOR_HEADERS),
                                ("period", PERIOD_HEADERS), ("value", VALUE_HEADERS), ("peer", PEER_HEADERS),
                                ("rank", RANK_HEADERS), ("total", TOTAL_HEADERS)):
                if key in names and role not in cols:
                    cols[role] = col
        zh_names = {"kind": "参照类型", "indicator": "指标", "value": "数值"}
        missing = [role for role in ("kind", "indicator", "value") if role not in cols]
        if missing:
            self.problem(header_no, None, "missing_column", "缺少列：" + "、".join(zh_names[m] for m in missing),
                         "Missing column(s): " + ", ".join(missing))
            return
        if self.catalogue.editable is not None:
            self.problem(header_no, cols["kind"], "not_permitted", "参照数据（全省平均、全省排名、外地对标单位）只能由考核办导入",
                         "Only the assessment office may import reference figures")
            return
        for n, row in body:
            self.summary.rows += 1
            self._reference_row(n, row, cols)

    def _text_at(self, row, col) -> str:
        raw = row[col] if col is not None and col < len(row) else None
        return str(raw).strip() if filled(raw) else ""

    def _count_at(self, n, row, col, what_zh, what_en):
        """A positive whole number (a rank, a count), None when empty, _ERROR when reported."""
        raw = row[col] if col is not None and col < len(row) else None
        if not filled(raw):
            return None
        try:
            number = parse_value(raw)
        except (ValueError, TypeError):
            number = _ERROR
        if number is None or number is BLANK or number is _ERROR or not float(number).is_integer() or number < 1:
            self.problem(n, col, "bad_rank", f"{what_zh}“{raw}”应为正整数（如 3）", f"{what_en} '{raw}' must be a whole number from 1")
            return _ERROR
        return int(number)

    def _reference_row(self, n, row, cols):
        before = len(self.result.problems)
        kind_col = cols["kind"]
        raw_kind = self._text_at(row, kind_col)
        kind = REFERENCE_KINDS.get(clean_name(raw_kind).lower())
        if kind is None:
            self.problem(n, kind_col, "bad_kind",
                         f"参照类型“{raw_kind}”无法识别（应为 全省平均、全省排名 或 对标单位）" if raw_kind else
                         "缺少参照类型（全省平均、全省排名 或 对标单位）",
                         f"Unknown reference kind '{raw_kind}' (average, rank or peer)" if raw_kind else
                         "Missing reference kind (average, rank or peer)")
        ref = self.indicator_at(n, row, cols["indicator"])
        period = self.period_at(n, row, cols.get("period"))
        value = self.value_at(n, row, cols["value"])
        value = None if value is BLANK else value
        unit_col, peer_col = cols.get("unit"), cols.get("peer")
        unit_text, peer = self._text_at(row, unit_col), self._text_at(row, peer_col)
        unit = None
        rank = total = None
        if kind == "average":
            if unit_text:
                self.problem(n, unit_col, "not_for_kind", "全省平均不属于某个单位：请清空“单位”列",
                             "A province average belongs to no unit: leave the unit empty")
            if peer:
                self.problem(n, peer_col, "not_for_kind", "全省平均不填对标单位：请清空“对标单位”列",
                             "A province average names no peer: leave the peer empty")
        elif kind == "rank":
            if peer:
                self.problem(n, peer_col, "not_for_kind", "全省排名属于本市单位，不填对标单位：请清空“对标单位”列",
                             "A provincial rank belongs to a unit of the city: leave the peer empty")
            if unit_col is None:
                self.problem(n, None, "missing_column", "全省排名须写明本市单位：缺少列：单位",
                             "A provincial rank needs the city's unit: missing column unit")
            else:
                unit = self.unit_at(n, row, unit_col)
            rank_col = cols.get("rank")
            rank = self._count_at(n, row, rank_col, "名次", "Rank") if rank_col is not None else None
            if rank is None:
                self.problem(n, rank_col, "missing_rank", "全省排名须填写名次（排名列，如 3）",
                             "A provincial rank needs the place (the rank column, e.g. 3)")
            total = self._count_at(n, row, cols.get("total"), "参与排名数", "Total")
            if isinstance(rank, int) and isinstance(total, int) and rank > total:
                self.problem(n, cols.get("total"), "bad_rank", f"名次 {rank} 大于参与排名数 {total}",
                             f"Rank {rank} is larger than the total {total}")
        elif kind == "peer":
            if not peer:
                self.problem(n, peer_col, "missing_peer", "外地对标单位须填写对标单位名称（如 江苏邳州经济开发区）",
                             "A peer row needs the peer's name (e.g. 江苏邳州经济开发区)")
            elif len(peer) > 100:
                self.problem(n, peer_col, "too_long", "对标单位名称超过 100 个字", "The peer's name is longer than 100 characters")
            if unit_text:  # the city's unit that 对标 this peer (linked when imported)
                unit = self.unit_at(n, row, unit_col)
        if kind in ("average", "peer") and value is None:
            self.problem(n, cols["value"], "missing_value", "缺少数值", "Missing value")
        if value is not None and value is not _ERROR and ref is not None:
            for code, zh, en in value_problems(unit if kind == "rank" else None, ref, value):
                self.problem(n, cols["value"], code, zh, en)
        if len(self.result.problems) > before or ref is None or period is None or kind is None:
            return
        key = ("reference", kind, ref.code, period, unit.code if kind == "rank" and unit else "", clean_name(peer))
        first = self.seen.get(key)
        if first is not None:
            sheet, row_no = first
            at_zh = f"第 {row_no} 行" if sheet == self.name else f"工作表“{sheet}”第 {row_no} 行"
            at_en = f"row {row_no}" if sheet == self.name else f"sheet '{sheet}' row {row_no}"
            self.problem(n, kind_col, "duplicate", f"与{at_zh}重复：同一参照数据出现两次",
                         f"Duplicates {at_en}: the same reference figure appears twice")
            return
        self.seen[key] = (self.name, n)
        self.result.references.append((kind, ref.code, period, unit.code if unit else "", peer,
                                       None if value is _ERROR else value, rank, total))

    def unit_at(self, n, row, col):
        raw = row[col] if col < len(row) else None
        ref = self._units.get(raw, _MISS)
        if ref is _MISS:
            ref = self._units[raw] = self.catalogue.unit(raw) if filled(raw) else None
        if ref is None:
            text = clean_name(raw)
            self.problem(n, col, "unknown_unit", f"找不到单位“{text}”（请填写单位编码或名称）" if text else "缺少单位",
                         f"Unknown unit '{text}' (write the unit's code or name)" if text else "Missing unit")
            return None
        if self.catalogue.editable is not None and ref.code not in self.catalogue.editable:
            self.problem(n, col, "not_permitted", f"您无权填报“{ref.name or ref.code}”的数据",
                         f"You may not enter data for '{ref.name or ref.code}'")
            return None
        return ref

    def indicator_at(self, n, row, col):
        raw = row[col] if col < len(row) else None
        ref = self._indicators.get(raw, _MISS)
        if ref is _MISS:
            ref = self._indicators[raw] = self.catalogue.indicator(raw) if filled(raw) else None
        if ref is None:
            text = clean_name(raw)
            self.problem(n, col, "unknown_indicator", f"找不到指标“{text}”（请填写指标编码或名称）" if text else "缺少指标",
                         f"Unknown indicator '{text}' (write the indicator's code or name)" if text else "Missing indicator")
        return ref

    def period_at(self, n, row, col):
        raw = row[col] if col is not None and col < len(row) else None
        if not filled(raw):
            found = self.chosen or self.sheet_period
            if found is None and not self._period_reported:
                self._period_reported = True
                self.problem(n if col is not None else None, col, "missing_period",
                             "未指定期间：请选择期间，或在“期间”列、工作表名或标题中写明（如 2024年1-4月）",
                             "No period: choose one, or give it in a 期间/period column, the sheet name or title")
            return found
        code = self._periods.get(raw, _MISS)
        if code is _MISS:
            try:
                code = period_of_cell(raw)
            except PeriodError as exc:
                code = exc
            self._periods[raw] = code
        if isinstance(code, PeriodError):
            self.problem(n, col, "bad_period", code.zh, code.en)
            return None
        if self.chosen and code != self.chosen:
            self.problem(n, col, "period_mismatch",
                         f"期间 {periods.label(code)} 与所选期间 {periods.label(self.chosen)} 不一致",
                         f"Period {code} differs from the chosen period {self.chosen}")
            return None
        return code

    def status_at(self, n, row, col):
        raw = row[col] if col is not None and col < len(row) else None
        if not filled(raw):
            return None
        status = STATUSES.get(clean_name(raw).lower())
        if status is None:
            self.problem(n, col, "bad_status", f"状态“{raw}”无法识别（应为 初步数 或 最终数）",
                         f"Unknown status '{raw}' (use provisional or final)")
        return status

    def value_at(self, n, row, col):
        raw = row[col] if col < len(row) else None
        try:
            return parse_value(raw)
        except (ValueError, TypeError):
            self.problem(n, col, "not_a_number", f"“{raw}”不是数字", f"'{raw}' is not a number")
            return _ERROR

    def add(self, n, col, unit: UnitRef | None, ref: IndicatorRef, period: str | None, value, status):
        """Check one value (its range even when its unit or period was already reported); keep it if sound."""
        found = value_problems(unit, ref, value)
        for code, zh, en in found:
            self.problem(n, col, code, zh, en)
        if unit is None or period is None:
            return
        key = (unit.code, ref.code, period)
        first = self.seen.get(key)
        if first is not None:
            sheet, row = first
            at_zh = f"第 {row} 行" if sheet == self.name else f"工作表“{sheet}”第 {row} 行"
            at_en = f"row {row}" if sheet == self.name else f"sheet '{sheet}' row {row}"
            self.problem(n, col, "duplicate",
                         f"与{at_zh}重复：{unit.name or unit.code} / {ref.name or ref.code} / {periods.label(period)} 出现两次",
                         f"Duplicates {at_en}: {unit.code} / {ref.code} / {period} appears twice")
            return
        self.seen[key] = (self.name, n)
        if not found:
            self.result.records.append((unit.code, ref.code, period, value, status))


def detect_shape(header: list) -> str:
    """Reference when the header names a 参照类型 column; long when it names an indicator column and a value
    column; wide otherwise."""
    names = {clean_name(h).lower() for h in header if h is not None}
    if names & REFERENCE_HEADERS:
        return "reference"
    return "long" if names & INDICATOR_HEADERS and names & VALUE_HEADERS else "wide"


def parse_import(sheets, catalogue: Catalogue, period: str | None = None, shape: str | None = None) -> ParsedImport:
    """Read sheets [(name, rows)] into records, collecting every problem (nothing stops at the first)."""
    if shape not in (None, "", "wide", "long", "reference"):
        raise ValueError(f"shape must be wide, long or reference, not {shape!r}")
    chosen = periods.parse(period).code if period else None
    result = ParsedImport()
    seen: dict[tuple, tuple[str, int]] = {}
    for name, rows in sheets:
        summary = SheetSummary(str(name))
        result.sheets.append(summary)
        if SKIP_SHEETS.search(str(name)):
            summary.skipped = "notes"
            continue
        numbered = [(n, r) for n, r in enumerate(rows, start=1) if not blank_row(r)]
        if not numbered:
            summary.skipped = "empty"
            continue
        SheetReader(str(name), catalogue, chosen, result, seen, summary).read(numbered, shape or None)
    if not any(s.rows for s in result.sheets) and not result.problems:
        result.problems.append(Problem("", None, "", "", "no_data", "文件中没有可导入的数据", "The file holds no data"))
    return result
