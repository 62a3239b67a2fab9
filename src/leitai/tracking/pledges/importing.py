"""Pledges imported from a workbook (.xlsx/.csv): every bad cell reported by sheet, row and column, and
nothing written unless the whole file is clean (the foundation's import rules).

Columns (first row): 单位 and 承诺内容 required; 承诺人, 指标, 比较 (≥ ≤ =), 目标值, 兑现期限 (2024Q4,
2024-12, 2024年第四季度 …), 承诺日期 and 公开 (是/否) optional; 比较 may also be a reference — 超过全省平均,
达到全省前3 / 居全省第一, 超过<外地对标单位> — judged from the reference series (pledges.references); or the same in English (unit, pledge, person,
indicator, comparison, target, deadline, made on, public). A pledge on an indicator needs the comparison,
the target and the deadline too. The export of the pledge list (pledges.io.pledges_xlsx) uses the same headers.
"""

from __future__ import annotations

from django.db import transaction

from leitai.accounts.permissions import can_edit_unit_data
from leitai.core import periods
from leitai.core.dates import parse_day
from leitai.core.errors import LeitaiError
from leitai.core.io.tabular import (
    BLANK,
    Problem,
    clean_name,
    column_letter,
    header_tables,
    parse_value,
    unreadable,
)
from leitai.core.tracking.pledges import parse_reference_target
from leitai.indicators.models import Indicator, Period, ReferencePeer
from leitai.spreadsheets import read_sheets
from leitai.units.models import Person

from ..base.selectors import units_by_name
from .references import checked_reference
from .services import checked_target, create_pledge

HEADERS = {
    "单位": "unit", "责任单位": "unit", "承诺单位": "unit",
    "承诺人": "person", "承诺内容": "text", "内容": "text",
    "指标": "indicator", "比较": "comparison", "目标值": "target_value",
    "兑现期限": "deadline", "承诺日期": "made_on", "公开": "public",
    # English headers (spaces are ignored, case is not)
    "unit": "unit", "person": "person", "pledge": "text", "indicator": "indicator", "comparison": "comparison",
    "target": "target_value", "deadline": "deadline", "madeon": "made_on", "public": "public",
}
COMPARISONS = {"≥": "ge", ">=": "ge", "＞＝": "ge", "ge": "ge", "不低于": "ge", "≤": "le", "<=": "le", "＜＝": "le",
               "le": "le", "不高于": "le", "=": "eq", "＝": "eq", "eq": "eq", "等于": "eq"}
YES_NO = {"是": True, "公开": True, "yes": True, "y": True, "1": True, "true": True,
          "否": False, "不公开": False, "no": False, "n": False, "0": False, "false": False}


def import_pledges(user, data: bytes, file_name: str, progress=None) -> dict:
    """{"ok", "problems", "created"}: all pledges created in one transaction, or none and the report.

    The organizer imports for any unit; a unit's reporter only for their own unit (other rows are reported)."""
    try:
        sheets = read_sheets(data, file_name, progress=progress)
    except LeitaiError as exc:
        return {"ok": False, "problems": [unreadable(exc, file_name)], "created": []}
    records, problems = _parse(user, sheets)
    if problems:
        return {"ok": False, "problems": problems, "created": []}
    with transaction.atomic():
        created = [create_pledge(user, **{k: v for k, v in rec.items() if not k.startswith("_")}) for rec in records]
    return {"ok": True, "problems": [], "created": created}


class _Lookups:
    def __init__(self):
        self.units = units_by_name()
        indicators = list(Indicator.objects.all())
        # codes win over names
        self.indicators = {clean_name(i.name): i for i in indicators} | {clean_name(i.code): i for i in indicators}
        self.periods = {p.code: p for p in Period.objects.all()}
        self.peers = {clean_name(p.name): p for p in ReferencePeer.objects.all()}
        self.people: dict[tuple[int, str], list[Person]] = {}
        for person in Person.objects.filter(posts__isnull=False).prefetch_related("posts").distinct():
            for unit_id in {post.unit_id for post in person.posts.all()}:
                self.people.setdefault((unit_id, clean_name(person.name)), []).append(person)

    def period(self, raw):
        try:
            code = periods.parse(str(raw)).code
        except LeitaiError:
            return None
        return self.periods.get(code)


def _parse(user, sheets) -> tuple[list[dict], list[Problem]]:
    look = _Lookups()
    records: list[dict] = []
    problems: list[Problem] = []
    for sheet, cols, rows in header_tables(sheets, HEADERS, {"unit": "单位", "text": "承诺内容"}):
        if cols is None:
            problems.extend(rows)
            continue
        for r, row in rows:
            rec = _row(user, look, sheet, r, row, cols, problems)
            if rec is not None:
                records.append(rec)
    if not records and not problems:
        problems.append(Problem("", None, "", "", "no_data", "文件中没有可导入的承诺", "The file holds no pledges"))
    return records, problems


def _row(user, look: _Lookups, sheet: str, r: int, row, cols, problems: list[Problem]) -> dict | None:
    before = len(problems)

    def cell(name):
        i = cols[name][0] if name in cols else None
        value = row[i] if i is not None and i < len(row) else None
        return None if value is None or str(value).strip() == "" else value

    def bad(name, zh, en):
        i, head = cols[name]
        problems.append(Problem(sheet, r, column_letter(i), head, "bad_cell", zh, en))

    rec: dict = {"_row": r}
    unit = look.units.get(clean_name(cell("unit") or ""))
    if unit is None:
        bad("unit", f"找不到单位“{cell('unit') or ''}”", f"Unknown unit '{cell('unit') or ''}'")
    elif not can_edit_unit_data(user, unit):
        bad("unit", f"您不能为{unit.name}录入承诺", f"You cannot enter pledges for {unit.name}")
    rec["unit"] = unit
    rec["text"] = str(cell("text") or "").strip()
    if not rec["text"]:
        bad("text", "承诺内容不能为空", "The pledge text is empty")
    if cell("person") is not None and unit is not None:
        found = look.people.get((unit.pk, clean_name(cell("person"))), [])
        if len(found) != 1:
            bad("person", f"{unit.name}没有（或有多位）名为“{cell('person')}”的人员",
                f"{unit.name} has no (or more than one) person named '{cell('person')}'")
        else:
            rec["person"] = found[0]
    if cell("indicator") is not None:
        rec["indicator"] = look.indicators.get(clean_name(cell("indicator")))
        if rec["indicator"] is None:
            bad("indicator", f"找不到指标“{cell('indicator')}”", f"Unknown indicator '{cell('indicator')}'")
    against = None  # 超过全省平均 / 达到全省前N / 超过<外地对标单位> in the comparison column
    if cell("comparison") is not None:
        rec["comparison"] = COMPARISONS.get(str(cell("comparison")).strip().lower(), "")
        against = None if rec["comparison"] else parse_reference_target(str(cell("comparison")))
        if against is not None:
            rec["comparison"] = ""
            rec["reference"] = against[0]
            if against[0] == "peer":
                rec["reference_peer"] = look.peers.get(clean_name(against[2]))
                if rec["reference_peer"] is None:
                    bad("comparison", f"找不到外地对标单位“{against[2]}”（请先在参照数据中录入）",
                        f"Unknown outside peer '{against[2]}' (enter it in the reference series first)")
        elif not rec["comparison"]:
            bad("comparison", f"“{cell('comparison')}”不是比较方式（≥、≤、=、超过全省平均、达到全省前N、超过<对标单位>）",
                f"'{cell('comparison')}' is not a comparison (≥, ≤, =, above the province average, top N, above <peer>)")
    if cell("target_value") is not None:
        try:
            value = parse_value(cell("target_value"))
            rec["target_value"] = None if value is BLANK else value
        except ValueError:
            bad("target_value", f"“{cell('target_value')}”不是数字", f"'{cell('target_value')}' is not a number")
    if cell("deadline") is not None:
        rec["deadline"] = look.period(cell("deadline"))
        if rec["deadline"] is None:
            bad("deadline", f"期间“{cell('deadline')}”不存在（如 2024Q4、2024-12）",
                f"Period '{cell('deadline')}' does not exist (e.g. 2024Q4, 2024-12)")
    if cell("made_on") is not None:
        try:
            rec["made_on"] = parse_day(cell("made_on"))
        except ValueError:
            bad("made_on", f"“{cell('made_on')}”不是日期（如 2024-03-01）", f"'{cell('made_on')}' is not a date")
    if cell("public") is not None:
        rec["public"] = YES_NO.get(str(cell("public")).strip().lower())
        if rec["public"] is None:
            bad("public", f"“{cell('public')}”应为“是”或“否”", f"'{cell('public')}' must be 是 (yes) or 否 (no)")
    if against is not None and len(problems) == before:
        if against[0] == "rank":
            rec["target_value"] = against[1]
        try:
            checked_reference(rec.get("indicator"), against[0], rec.get("target_value"), rec.get("deadline"),
                              rec.get("reference_peer"))
        except LeitaiError as exc:
            bad("comparison", exc.zh, exc.en)
    elif len(problems) == before and rec.get("indicator") is not None:
        try:
            checked_target(rec["indicator"], rec.get("comparison", ""), rec.get("target_value"), rec.get("deadline"))
        except LeitaiError as exc:
            bad("indicator", exc.zh, exc.en)
    return rec if len(problems) == before else None
