"""Reads of key projects: the status board (counts by stage, start rate, schedule colours), a unit's battle
map (挂图作战), one project with its changes, and what the board's filters and forms offer."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from leitai.arena.models import Arena
from leitai.core.tracking import schedule
from leitai.units.models import Unit

from ..models import KeyProject

Stage = KeyProject.Stage


def project_or_404(code: str) -> KeyProject:
    return get_object_or_404(KeyProject.objects.select_related("unit"), code=code)


def project_by_code(code: str) -> KeyProject | None:
    return KeyProject.objects.select_related("unit").filter(code=code).first()


def project_changes(project: KeyProject):
    """A project's change history, oldest first, with who made each change."""
    return project.changes.select_related("by_user")


def unit_projects(unit):
    return KeyProject.objects.filter(unit=unit)


def units_with_projects():
    """The units that have key projects, in the units' order (the board's unit filter)."""
    return Unit.objects.filter(projects__isnull=False).distinct().order_by("sort_order", "code")


def batches() -> list[str]:
    """The project batches by name (none empty)."""
    return sorted(b for b in KeyProject.objects.values_list("batch", flat=True).distinct() if b)


def recent_arenas(limit: int = 50):
    """The arenas a batch may be shown at, latest first."""
    return Arena.objects.select_related("period").order_by("-period__start", "-id")[:limit]


def arena_by_id(raw: str) -> Arena | None:
    """The arena of a form's id, or None (no arena chosen, or an unknown one)."""
    return Arena.objects.filter(pk=raw).first() if raw.isdigit() else None


def schedule_colour(p: KeyProject, today: dt.date) -> str:
    """The project's schedule colour on `today` (core.schedule)."""
    return schedule.project_class(stages(p), today)


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
    return {"units": list(per_unit.values()), "projects": projects, "batches": batches()}


COLOURS = {schedule.GREEN: "#16a34a", schedule.YELLOW: "#eab308", schedule.RED: "#dc2626"}


def battle_map(unit: Unit, today: dt.date) -> dict:
    """The Gantt data for one unit (drawn by leitai.charts.gantt): one row per project, per stage a planned bar
    (from the previous planned stage to this one) and an actual bar (to the day done, or to today when late)
    coloured by slip."""
    projects = list(KeyProject.objects.filter(unit=unit).select_related("arena").order_by("batch", "code"))
    labels = {"sign": _("签约"), "start": _("开工"), "complete": _("竣工投产")}
    rows = []
    for p in projects:
        p.colour = schedule.project_class(stages(p), today)
        start = p.planned_sign or p.actual_sign
        previous_plan, previous_actual = start, p.actual_sign or start
        name = f"{p.code} {p.name}"
        bars = []
        for key, (plan, done) in zip(labels, stages(p), strict=True):
            if plan and previous_plan:
                bars.append({"kind": "planned", "start": previous_plan, "end": max(plan, previous_plan),
                             "colour": "#94a3b8", "tip": f"{name} · {_('计划%(stage)s') % {'stage': labels[key]}} {plan}"})
            end = done or (today if plan and plan < today and previous_actual else None)
            if end and previous_actual and end >= previous_actual:
                colour = schedule.slip_class(schedule.slip_days(plan, done, today))
                state = (_("实际%(stage)s") if done else _("未完成%(stage)s")) % {"stage": labels[key]}
                bars.append({"kind": "actual", "start": previous_actual, "end": end, "colour": COLOURS[colour],
                             "tip": f"{name} · {state} {end}"})
            previous_plan = plan or previous_plan
            previous_actual = done or previous_actual
        rows.append({"code": p.code, "label": p.name, "bars": bars})
    return {"projects": projects, "chart": {"rows": rows, "today": today}}
