"""Business-help workbooks (助企服务问题) read into item records, and the item list written out as .xlsx.

Reading collects every problem (sheet, row, column) before anything is written, in the report shape of
`core.tabular`; the caller creates items only when there is no problem at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from leitai.core.dates import parse_day

# SKIP_SHEETS: the notes sheets core.tabular skips in every import
from leitai.core.io.tabular import SKIP_SHEETS, Problem, clean_name, column_letter, filled
from leitai.core.tracking import rules as flow

from ..base.xlsx import one_sheet

# header → field; several spellings per field, as offices label them differently
HEADERS = {
    "问题": "title", "标题": "title", "问题名称": "title", "问题标题": "title",
    "详细描述": "description", "问题描述": "description", "描述": "description",
    "责任单位": "unit", "责任人": "person_name",
    "整改期限": "deadline", "办结时限": "deadline", "办结期限": "deadline",
    "优先级": "priority",
    "提出企业": "raised_by", "提出人": "raised_by", "提出企业/提出人": "raised_by",
    "联系方式": "raised_contact", "联系电话": "raised_contact",
    "来源": "source_ref",
}
IGNORED = frozenset({"序号", "备注", "编号"})
PRIORITIES = {"高": "high", "中": "normal", "一般": "normal", "普通": "normal", "低": "low", "": "normal",
              "high": "high", "normal": "normal", "low": "low"}


@dataclass
class ParsedItems:
    """Item records (dicts of create_item keyword values, unit as a code) and the problems found."""

    records: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _date_or_none(raw) -> dt.date | None:
    """The cell's date, or None when it cannot be read (the caller reports it)."""
    try:
        return parse_day(raw)
    except ValueError:
        return None


def _text(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # a phone number typed into a number cell
    return str(raw).strip()


def parse_items(sheets, units: dict[str, str], today: dt.date, existing: set[tuple[str, str]] = frozenset()) -> ParsedItems:
    """Read sheets [(name, rows)] into item records.

    units: cleaned code / name / short name → unit code; existing: (unit code, title) pairs already open."""
    result = ParsedItems()
    seen: dict[tuple[str, str], tuple[str, int]] = {}
    for name, rows in sheets:
        name = str(name)
        if SKIP_SHEETS.search(name):
            continue
        numbered = [(n, r) for n, r in enumerate(rows, start=1) if any(filled(c) for c in r)]
        if not numbered:
            continue
        _read_sheet(name, numbered, units, today, existing, seen, result)
    if not result.records and not result.problems:
        result.problems.append(Problem("", None, "", "", "no_data", "文件中没有可导入的问题", "The file holds no items"))
    return result


def _read_sheet(name, numbered, units, today, existing, seen, result):
    def problem(row, col, header, code, zh, en):
        result.problems.append(Problem(name, row, column_letter(col) if col is not None else "", header, code, zh, en))

    # The header row is the first row naming a title column; rows above it (a table title) are skipped.
    head_at = next((i for i, (_n, r) in enumerate(numbered)
                    if any(HEADERS.get(clean_name(c)) == "title" for c in r if filled(c))), None)
    if head_at is None:
        problem(numbered[0][0], None, "", "no_header", "找不到表头：需要“问题”或“标题”列",
                "No header row: a 问题 (title) column is needed")
        return
    head_row, header = numbered[head_at]
    columns: dict[str, int] = {}
    for col, cell in enumerate(header):
        if not filled(cell):
            continue
        key = clean_name(cell)
        target = HEADERS.get(key)
        if target is None:
            if key not in IGNORED:
                problem(head_row, col, str(cell), "unknown_column", f"无法识别的列“{cell}”",
                        f"Unknown column '{cell}'")
            continue
        if target in columns:
            problem(head_row, col, str(cell), "duplicate_column", f"列“{cell}”与前面的列重复",
                    f"Column '{cell}' repeats an earlier column")
            continue
        columns[target] = col
    for needed, label in (("unit", "责任单位"), ("deadline", "整改期限/办结时限")):
        if needed not in columns:
            problem(head_row, None, "", "missing_column", f"缺少“{label}”列", f"Missing column {label}")
    if "unit" not in columns or "deadline" not in columns:
        return
    titles = {v: str(header[c]) for v, c in columns.items()}
    for row_no, row in numbered[head_at + 1:]:
        _read_row(name, row_no, row, columns, titles, units, today, existing, seen, result, problem)


def _read_row(name, row_no, row, columns, titles, units, today, existing, seen, result, problem):
    def cell(key):
        col = columns.get(key)
        return row[col] if col is not None and col < len(row) else None

    def fail(key, code, zh, en):
        problem(row_no, columns.get(key), titles.get(key, ""), code, zh, en)

    before = len(result.problems)
    title = _text(cell("title"))
    if not title:
        fail("title", "missing_title", "缺少问题标题", "The title is missing")
    elif len(title) > 200:
        fail("title", "title_too_long", "问题标题超过 200 字", "The title is longer than 200 characters")
    unit_raw = _text(cell("unit"))
    unit = units.get(clean_name(unit_raw))
    if not unit_raw:
        fail("unit", "missing_unit", "缺少责任单位", "The responsible unit is missing")
    elif unit is None:
        fail("unit", "unknown_unit", f"未知的责任单位“{unit_raw}”", f"Unknown unit '{unit_raw}'")
    raw_deadline = cell("deadline")
    deadline = _date_or_none(raw_deadline) if filled(raw_deadline) else None
    if not filled(raw_deadline):
        fail("deadline", "missing_deadline", "缺少整改期限", "The deadline is missing")
    elif deadline is None:
        fail("deadline", "bad_date", f"无法识别的日期“{_text(raw_deadline)}”（应为 2024-05-31 这样的日期）",
             f"Cannot read the date '{_text(raw_deadline)}' (expected e.g. 2024-05-31)")
    elif deadline < today:
        fail("deadline", "deadline_past", f"整改期限 {deadline.isoformat()} 早于今天（{today.isoformat()}）",
             f"The deadline {deadline.isoformat()} is before today ({today.isoformat()})")
    priority = PRIORITIES.get(_text(cell("priority")).lower())
    if priority is None:
        fail("priority", "bad_priority", f"无法识别的优先级“{_text(cell('priority'))}”（应为 高、中、低）",
             f"Unknown priority '{_text(cell('priority'))}' (high, normal or low)")
    if title and unit:
        key = (unit, clean_name(title))
        if key in seen:
            sheet, first = seen[key]
            fail("title", "duplicate_row", f"与工作表“{sheet}”第 {first} 行重复（同一责任单位、同一问题）",
                 f"Repeats sheet '{sheet}' row {first} (same unit and title)")
        elif (unit, title) in existing:
            fail("title", "already_open", "该责任单位已有同名的未销号问题", "This unit already has an open item with this title")
        else:
            seen[key] = (name, row_no)
    if len(result.problems) > before:
        return
    result.records.append({
        "title": title, "unit": unit, "deadline": deadline, "priority": priority,
        "description": _text(cell("description")), "person_name": _text(cell("person_name"))[:50],
        "raised_by": _text(cell("raised_by"))[:100], "raised_contact": _text(cell("raised_contact"))[:100],
        "source_ref": _text(cell("source_ref"))[:200], "row": (name, row_no),
    })


# ---- exports -------------------------------------------------------------------------------------

def items_xlsx(items, with_contact: bool) -> bytes:
    """The listed items as a workbook; the raiser's contact only for the organizer."""
    header = ["编号", "问题", "详细描述", "来源", "责任单位", "责任人", "整改期限", "优先级", "状态", "交办日期", "销号日期",
              "提出企业/提出人"] + (["联系方式"] if with_contact else [])
    rows = []
    for it in items:
        rows.append([it.code, it.title, it.description, str(it.get_source_display()), it.unit.name,
                     it.person.name if it.person_id else it.person_name, it.deadline, str(it.get_priority_display()),
                     flow.STATE_LABELS[it.state][0], it.assigned_on, it.closed_on, it.raised_by]
                    + ([it.raised_contact] if with_contact else []))
    return one_sheet("整改事项", header, rows)
