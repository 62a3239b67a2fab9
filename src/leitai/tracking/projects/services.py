"""Key projects (重大项目): batch import (all or nothing), edits with history, close-out, and showing a batch
at an arena. The reads (the status board, the battle map) are in projects.selectors."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction

from leitai.accounts.permissions import can_edit_unit_data
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
from leitai.spreadsheets import read_sheets

from ..base.selectors import units_by_name
from ..models import KeyProject, ProjectChange
from .io import HEADERS, REQUIRED

Stage = KeyProject.Stage
DATE_FIELDS = ("planned_sign", "actual_sign", "planned_start", "actual_start", "planned_complete", "actual_complete")
NUMBER_FIELDS = ("investment_planned", "investment_done")
EDITABLE = ("name", "batch", "stage", "investment_planned", "investment_done", *DATE_FIELDS)
PLAN_FIELDS = ("name", "batch", "investment_planned", "planned_sign", "planned_start", "planned_complete")


def stage_of(values: dict) -> str:
    """The furthest stage with an actual date."""
    if values.get("actual_complete"):
        return Stage.COMPLETED
    if values.get("actual_start"):
        return Stage.STARTED
    return Stage.SIGNED


def _next_codes(year: int, n: int) -> list[str]:
    prefix = f"XM-{year}-"
    last = 0
    for code in KeyProject.objects.filter(code__startswith=prefix).values_list("code", flat=True):
        tail = code.removeprefix(prefix)
        if tail.isdigit():
            last = max(last, int(tail))
    return [f"{prefix}{last + i:04d}" for i in range(1, n + 1)]


def _parse_rows(sheets) -> tuple[list[dict], list[Problem]]:
    units = units_by_name()
    records: list[dict] = []
    problems: list[Problem] = []
    taken = set(KeyProject.objects.values_list("code", flat=True))
    zh_of = {field: zh for zh, field in HEADERS.items()}
    for sheet, fields, rows in header_tables(sheets, HEADERS, {HEADERS[h]: h for h in REQUIRED}):
        if fields is None:
            problems.extend(rows)
            continue
        cols = {zh_of[field]: i for field, (i, _written) in fields.items()}
        for r, row in rows:
            rec: dict = {"_sheet": sheet, "_row": r}

            def bad(header_zh, zh, en, _r=r, _sheet=sheet, _cols=cols):
                problems.append(Problem(_sheet, _r, column_letter(_cols[header_zh]), header_zh, "bad_cell", zh, en))

            for head, i in cols.items():
                raw = row[i] if i < len(row) else None
                name = HEADERS[head]
                if name in DATE_FIELDS:
                    try:
                        rec[name] = parse_day(raw)
                    except ValueError:
                        bad(head, f"“{raw}”不是日期（如 2024-03-01）", f"'{raw}' is not a date (e.g. 2024-03-01)")
                elif name in NUMBER_FIELDS:
                    try:
                        value = parse_value(raw)
                    except ValueError:
                        bad(head, f"“{raw}”不是数字", f"'{raw}' is not a number")
                        continue
                    rec[name] = None if value is BLANK else value
                    if rec[name] is not None and rec[name] < 0:
                        bad(head, "投资额不能为负数", "An investment cannot be negative")
                elif name == "unit":
                    rec["unit"] = units.get(clean_name(raw))
                    if rec["unit"] is None:
                        bad(head, f"找不到单位“{raw or ''}”", f"Unknown unit '{raw or ''}'")
                else:
                    rec[name] = "" if raw is None else str(raw).strip()
            if not rec.get("name") and "name" in rec:
                bad("项目名称", "项目名称不能为空", "The project name is empty")
            code = rec.get("code")
            if code:
                if code in taken:
                    bad("项目编号", f"项目编号“{code}”已存在", f"Project code '{code}' already exists")
                taken.add(code)
            for earlier, later in (("planned_sign", "planned_start"), ("planned_start", "planned_complete")):
                if rec.get(earlier) and rec.get(later) and rec[later] < rec[earlier]:
                    head = next(h for h, f in HEADERS.items() if f == later)
                    bad(head, "计划日期早于上一阶段", "A planned date is before the previous stage")
            records.append(rec)
    if not records and not problems:
        problems.append(Problem("", None, "", "", "no_data", "文件中没有可导入的项目", "The file holds no projects"))
    return records, problems


def import_projects(user, data: bytes, file_name: str, *, year: int | None = None, progress=None) -> dict:
    """Import key projects from an .xlsx/.csv: every problem is reported by sheet, row and column, and
    nothing is written unless the whole file is clean. Organizer only."""
    if not user.is_organizer:
        raise PermissionDenied
    try:
        sheets = read_sheets(data, file_name, progress=progress)
    except LeitaiError as exc:
        problems = [unreadable(exc, file_name)]
        return {"ok": False, "problems": problems, "created": []}
    records, problems = _parse_rows(sheets)
    if problems:
        return {"ok": False, "problems": problems, "created": []}
    year = year or dt.date.today().year
    with transaction.atomic():
        codes = iter(_next_codes(year, sum(1 for r in records if not r.get("code"))))
        created = []
        for rec in records:
            fields = {k: v for k, v in rec.items() if not k.startswith("_")}
            fields["code"] = fields.get("code") or next(codes)
            fields["stage"] = stage_of(fields)
            created.append(KeyProject.objects.create(**fields))
    return {"ok": True, "problems": [], "created": created}


def _text(value) -> str:
    return "" if value is None else str(value)[:100]


def update_project(user, project: KeyProject, **changes) -> KeyProject:
    """Change a project's stage, dates or investment, one ProjectChange row per changed field. Organizers
    change everything; the unit's reporter the progress (actual dates, stage, investment done)."""
    if not can_edit_unit_data(user, project.unit):
        raise PermissionDenied
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise LeitaiError(f"不能修改字段：{'、'.join(sorted(unknown))}", f"Cannot change: {', '.join(sorted(unknown))}")
    if not user.is_organizer and set(changes) & set(PLAN_FIELDS) and any(
            getattr(project, f) != changes[f] for f in set(changes) & set(PLAN_FIELDS)):
        raise PermissionDenied
    if project.closed:
        raise LeitaiError("项目已销号，不能再修改", "The project is closed and cannot be changed")
    if "stage" in changes and changes["stage"] is None:
        raise LeitaiError("阶段不能为空：请填写一个阶段，或不传 stage（由实际日期推定）",
                          "The stage cannot be empty: give a stage, or leave stage out (it follows the actual dates)")
    if changes.get("stage") is not None and changes["stage"] not in Stage.values:
        raise LeitaiError(f"未知的阶段“{changes['stage']}”", f"Unknown stage '{changes['stage']}'")
    with transaction.atomic():
        project = KeyProject.objects.select_for_update().get(pk=project.pk)
        explicit_stage = "stage" in changes and changes["stage"] != project.stage
        rows = []
        for field, new in changes.items():
            old = getattr(project, field)
            if old == new:
                continue
            setattr(project, field, new)
            rows.append(ProjectChange(project=project, field=field, old=_text(old), new=_text(new), by_user=user))
        if not explicit_stage:
            derived = stage_of({f: getattr(project, f) for f in DATE_FIELDS})
            if derived != project.stage:
                rows.append(ProjectChange(project=project, field="stage", old=project.stage, new=derived, by_user=user))
                project.stage = derived
        if rows:
            project.save()
            ProjectChange.objects.bulk_create(rows)
    return project


def close_project(user, project: KeyProject) -> KeyProject:
    """Close out a completed project (销号): organizer only, once it has an actual completion date."""
    if not user.is_organizer:
        raise PermissionDenied
    with transaction.atomic():
        project = KeyProject.objects.select_for_update().get(pk=project.pk)
        if project.closed:
            raise LeitaiError("项目已销号", "The project is already closed")
        if project.stage != Stage.COMPLETED or project.actual_complete is None:
            raise LeitaiError("项目竣工投产（有实际竣工日期）后才能销号",
                              "A project can be closed only once it is completed (with an actual completion date)")
        project.closed = True
        project.save(update_fields=["closed", "updated_at"])
        ProjectChange.objects.create(project=project, field="closed", old="False", new="True", by_user=user)
    return project


def show_at_arena(user, batch: str, arena) -> int:
    """Show a batch at an arena (批次亮相): its projects of the arena's contestants (and of the units under
    them) are linked to the arena, whose results page lists them; arena None takes the batch off again.
    Organizer only; one ProjectChange per project moved; returns how many were moved."""
    if not user.is_organizer:
        raise PermissionDenied
    batch = str(batch or "").strip()
    if not batch:
        raise LeitaiError("请选择批次", "Choose a batch")
    projects = KeyProject.objects.select_related("unit", "arena").filter(batch=batch)
    if arena is not None:
        from leitai.units.selectors import within

        allowed = within(arena.contestants.values_list("unit_id", flat=True))
        projects = [p for p in projects if p.unit_id in allowed]
        if not projects:
            raise LeitaiError(f"批次“{batch}”中没有本场擂台赛参赛单位的项目",
                              f"Batch '{batch}' has no project of this arena's contestants")
    else:
        projects = list(projects)
    moved = 0
    with transaction.atomic():
        for p in projects:
            if p.arena_id == (arena.pk if arena is not None else None):
                continue
            old = p.arena.name if p.arena_id else ""
            p.arena = arena
            p.save(update_fields=["arena", "updated_at"])
            ProjectChange.objects.create(project=p, field="arena", old=old, new=arena.name[:100] if arena else "",
                                         by_user=user)
            moved += 1
    return moved
