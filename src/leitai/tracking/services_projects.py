"""Key projects (重大项目): batch import (all or nothing), edits with history, close-out, and the reads for
the status board and the battle map (挂图作战)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db import transaction

from leitai.accounts.permissions import can_edit_unit_data
from leitai.core import schedule
from leitai.core.dates import parse_day
from leitai.core.errors import LeitaiError
from leitai.core.tabular import BLANK, Problem, clean_name, column_letter, header_tables, parse_value
from leitai.indicators.readers import read_sheets
from leitai.units.models import Unit

from .models import KeyProject, ProjectChange

Stage = KeyProject.Stage
# header → model field; 项目编号 and 已完成投资 are optional, the rest must be present as columns
HEADERS = {
    "项目编号": "code", "项目名称": "name", "责任单位": "unit", "批次": "batch",
    "计划总投资": "investment_planned", "已完成投资": "investment_done",
    "计划签约": "planned_sign", "计划开工": "planned_start", "计划竣工投产": "planned_complete",
    "实际签约": "actual_sign", "实际开工": "actual_start", "实际竣工投产": "actual_complete",
}
REQUIRED = ("项目名称", "责任单位", "批次", "计划总投资", "计划签约", "计划开工", "计划竣工投产")
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


def _units() -> dict[str, Unit]:
    found: dict[str, Unit] = {}
    units = list(Unit.objects.filter(active=True))
    for attr in ("code", "name", "short_name"):  # codes win over names, names over short names
        for unit in units:
            key = clean_name(getattr(unit, attr))
            if key and key not in found:
                found[key] = unit
    return found


def _next_codes(year: int, n: int) -> list[str]:
    prefix = f"XM-{year}-"
    last = 0
    for code in KeyProject.objects.filter(code__startswith=prefix).values_list("code", flat=True):
        tail = code.removeprefix(prefix)
        if tail.isdigit():
            last = max(last, int(tail))
    return [f"{prefix}{last + i:04d}" for i in range(1, n + 1)]


def _parse_rows(sheets) -> tuple[list[dict], list[Problem]]:
    units = _units()
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


def import_projects(user, data: bytes, file_name: str, *, year: int | None = None) -> dict:
    """Import key projects from an .xlsx/.csv: every problem is reported by sheet, row and column, and
    nothing is written unless the whole file is clean. Organizer only."""
    if not user.is_organizer:
        raise PermissionDenied
    try:
        sheets = read_sheets(data, file_name)
    except LeitaiError as exc:
        problems = [Problem(file_name, None, "", "", "unreadable", exc.zh, exc.en)]
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


# ---- reads -------------------------------------------------------------------------------------

def stages(p: KeyProject):
    return [(p.planned_sign, p.actual_sign), (p.planned_start, p.actual_start),
            (p.planned_complete, p.actual_complete)]


def is_started(p: KeyProject) -> bool:
    return p.stage in (Stage.STARTED, Stage.COMPLETED)


def board(today: dt.date, unit: str = "", batch: str = "") -> dict:
    """The status board: per unit the counts by stage, the start rate and the colours; the projects."""
    qs = KeyProject.objects.select_related("unit", "arena").order_by("unit__sort_order", "unit__code", "batch", "code")
    if unit:
        qs = qs.filter(unit__code=unit)
    if batch:
        qs = qs.filter(batch=batch)
    projects = list(qs)
    per_unit: dict[int, dict] = {}
    grouped = defaultdict(list)
    for p in projects:
        p.colour = schedule.project_class(stages(p), today)
        grouped[p.unit_id].append(p)
    for unit_id, rows in grouped.items():
        started, due, rate = schedule.start_rate([(p.planned_start, is_started(p)) for p in rows], today)
        counts = {s: sum(p.stage == s for p in rows) for s in Stage.values}
        colours = {c: sum(p.colour == c for p in rows) for c in (schedule.GREEN, schedule.YELLOW, schedule.RED)}
        per_unit[unit_id] = {"unit": rows[0].unit, "total": len(rows), "counts": counts, "colours": colours,
                             "started": started, "due": due, "start_rate": rate, "started_of_due": f"{started}/{due}",
                             "closed": sum(p.closed for p in rows)}
    batches = sorted(b for b in KeyProject.objects.values_list("batch", flat=True).distinct() if b)
    return {"units": list(per_unit.values()), "projects": projects, "batches": batches}


COLOURS = {schedule.GREEN: "#16a34a", schedule.YELLOW: "#eab308", schedule.RED: "#dc2626"}


def battle_map(unit: Unit, today: dt.date) -> dict:
    """The Gantt data for one unit: per project and stage a planned bar and an actual bar by slip colour."""
    projects = list(KeyProject.objects.filter(unit=unit).select_related("arena").order_by("batch", "code"))
    labels = {"sign": "签约", "start": "开工", "complete": "竣工投产"}
    planned = {"x": [], "base": [], "y": [], "text": []}
    actual = {"x": [], "base": [], "y": [], "text": [], "colors": []}
    for p in projects:
        p.colour = schedule.project_class(stages(p), today)
        start = p.planned_sign or p.actual_sign
        previous_plan, previous_actual = start, p.actual_sign or start
        for key, (plan, done) in zip(labels, stages(p), strict=True):
            y = f"{p.code} {p.name[:12]}"
            if plan and previous_plan:
                planned["base"].append(previous_plan.isoformat())
                planned["x"].append(max(1, (plan - previous_plan).days) * 86400000)
                planned["y"].append(y)
                planned["text"].append(f"计划{labels[key]} {plan}")
            end = done or (today if plan and plan < today and previous_actual else None)
            if end and previous_actual and end >= previous_actual:
                colour = schedule.slip_class(schedule.slip_days(plan, done, today))
                actual["base"].append(previous_actual.isoformat())
                actual["x"].append(max(1, (end - previous_actual).days) * 86400000)
                actual["y"].append(y)
                actual["text"].append(f"{'实际' if done else '未完成'}{labels[key]} {end}")
                actual["colors"].append(COLOURS[colour])
            previous_plan = plan or previous_plan
            previous_actual = done or previous_actual
    return {"projects": projects, "chart": {"planned": planned, "actual": actual, "today": today.isoformat()}}
