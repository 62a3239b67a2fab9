"""Reads of the public portal: the home, the unit chooser, a unit's public page ("how is my county doing")
and the press releases. Only what is published, and only through each area's own rule of what is public:
rankings and assessments once published, arena results through `arena.base.policies.may_see_results`,
pledges and rectification items through `tracking.policies` (public ones only), key projects as counts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from leitai.accounts.models import Role
from leitai.arena.base import policies as arena_policies
from leitai.arena.models import Arena, Contestant
from leitai.arena.results.selectors import result_versions
from leitai.assessment.models import Assessment
from leitai.awards.selectors import awards_for_unit
from leitai.core import periods as core_periods
from leitai.core.tracking import rules as flow
from leitai.core.tracking import schedule
from leitai.core.tracking.assessment import GRADE_LABELS
from leitai.indicators.models import Indicator
from leitai.lang import page_lang, pick
from leitai.portal.profiles.selectors import latest_rows_per_plan, rank_history
from leitai.rankings.models import Ranking
from leitai.rankings.selectors import group_names, period_label
from leitai.tracking import policies as tracking_policies
from leitai.tracking.models import Pledge
from leitai.tracking.projects import selectors as project_selectors
from leitai.units.models import Unit, UnitKind

from . import sparkline
from .models import PressRelease

# Units a visitor picks from: the ones the public asks about (the city itself has no rank of its own).
CHOOSABLE_KINDS = (UnitKind.COUNTY, UnitKind.ZONE, UnitKind.DEPARTMENT, UnitKind.TOWN)
MAX_RELEASE_INDICATORS = 20

# ------------------------------------------------------------------------------------------ the home


def is_public(user) -> bool:
    """A signed-in user with only the public role (公众) gets the visitors' home."""
    return user.role == Role.PUBLIC and not user.is_organizer


def home() -> dict:
    """The public home: the counties and zones to tap, the latest published ranking of each plan, the latest
    published assessment, the published arenas, the published press releases."""
    seen, rankings = set(), []
    for r in (Ranking.objects.filter(status=Ranking.Status.PUBLISHED)
              .select_related("plan_version__plan", "period").defer("inputs", "report", "spec")
              .order_by("-period__start", "-published_at")[:50]):
        if r.plan_version.plan_id not in seen:
            seen.add(r.plan_version.plan_id)
            rankings.append(r)
    assessment = (Assessment.objects.filter(status=Assessment.Status.PUBLISHED).select_related("scheme", "period")
                  .defer("inputs", "result").order_by("-period__end", "-published_at").first())
    arenas = list(Arena.objects.filter(status=Arena.Status.PUBLISHED).select_related("period")
                  .defer("result").order_by("-published_at")[:3])
    counties = list(Unit.objects.filter(kind__in=(UnitKind.COUNTY, UnitKind.ZONE)).order_by("sort_order", "code"))
    return {"rankings": rankings, "assessment": assessment, "arenas": arenas, "counties": counties,
            "releases": list(published_releases()[:5])}


def unit_choices(query: str = "") -> list[dict]:
    """The units a visitor may choose, grouped by kind (counties first), filtered by a part of the name or
    code."""
    qs = Unit.objects.filter(kind__in=CHOOSABLE_KINDS).order_by("sort_order", "code")
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(code__icontains=query))
    grouped: dict[str, list[Unit]] = defaultdict(list)
    for u in qs:
        grouped[u.kind].append(u)
    return [{"kind": kind, "label": label, "units": grouped[kind]}
            for kind, label in UnitKind.choices if grouped.get(kind)]


def unit_or_404(code: str) -> Unit:
    unit = Unit.objects.select_related("parent").filter(code=code).first()
    if unit is None:
        raise Http404
    return unit


# ------------------------------------------------------------------------------------- a unit's page


def unit_page(unit: Unit, user, today: dt.date | None = None) -> dict:
    """Everything the public unit page shows, each section with its history."""
    today = today or timezone.localdate()
    return {
        "unit": unit,
        "rankings": unit_rankings(unit),
        "assessments": unit_assessments(unit),
        "arenas": unit_arenas(unit, user),
        "pledges": unit_pledges(unit),
        "items": unit_items(unit, today),
        "projects": unit_projects(unit, today),
        # Approved awards only, newest first (the award register's own rule).
        "awards": awards_for_unit(unit),
    }


def unit_rankings(unit: Unit) -> list[dict]:
    """Per plan: the unit's place in the latest published ranking, its movement, and its places before."""
    history = {line["plan"]: line["points"] for line in rank_history(unit)}
    out = []
    for row in latest_rows_per_plan(unit):
        plan = row.ranking.plan_version.plan
        points = history.get(plan.name, [])[-12:]
        out.append({"plan": plan.name, "ranking": row.ranking, "period": period_label(row.ranking.period),
                    "rank": row.rank, "size": row.size, "movement": row.movement, "score": row.score,
                    "drop": -row.movement if row.movement and row.movement < 0 else 0,
                    # The 90 % rank interval (docs/uncertainty.md), when it spans more than the rank itself.
                    "interval": f"{row.rank_lo}–{row.rank_hi}" if row.rank_lo and row.rank_lo != row.rank_hi else "",
                    "history": points, "line": sparkline.points([p["rank"] for p in points], lower_is_better=True),
                    "values": [f"{p['label']} {p['rank']}" for p in points]})
    return out


def unit_assessments(unit: Unit) -> list[dict]:
    """The unit's line in every published assessment (the latest version of each), newest first."""
    out = []
    for a in (Assessment.objects.filter(status=Assessment.Status.PUBLISHED).select_related("scheme__plan", "period")
              .defer("inputs").order_by("-period__end", "-published_at")):
        if unit.kind not in a.scheme.plan.unit_kinds:
            continue
        rows = a.result.get("rows", [])
        row = next((r for r in rows if r["unit"] == unit.code), None)
        if row is None:
            continue
        grade = GRADE_LABELS.get(row.get("grade"), (row.get("grade") or "", row.get("grade") or ""))
        out.append({"assessment": a, "scheme": a.scheme.name, "period": period_label(a.period),
                    "rank": row.get("rank"), "size": len(rows), "total": row.get("total"),
                    "grade": pick(grade[0], grade[-1])})
    return out


def unit_arenas(unit: Unit, user) -> list[dict]:
    """The unit's place and score at every arena whose results the visitor may see (published), newest first."""
    arenas = (Arena.objects.filter(pk__in=Contestant.objects.filter(unit=unit).values("arena_id"))
              .select_related("period", "published_by").order_by("-held_at", "-id"))
    out = []
    for arena in arenas:
        if arena.status != Arena.Status.PUBLISHED or not arena_policies.may_see_results(user, arena):
            continue
        rows = result_versions(arena)[-1]["rows"]
        row = next((r for r in rows if r["unit"] == unit.code), None)
        if row is None:
            continue
        out.append({"arena": arena, "rank": row.get("rank"), "size": len(rows), "score": row.get("score"),
                    "bonus": row.get("bonus")})
    return out


def unit_pledges(unit: Unit) -> dict:
    """The unit's public pledges with their verdicts, and kept / missed / pending per deadline year."""
    pledges = list(tracking_policies.public_pledges().filter(unit=unit)
                   .select_related("person", "indicator", "deadline").order_by("-made_on", "-id"))
    years: dict[int | None, dict] = {}
    for p in pledges:
        year = p.deadline.year if p.deadline else None
        counts = years.setdefault(year, {"year": year, "kept": 0, "missed": 0, "pending": 0})
        counts[p.status] += 1
    judged = sum(1 for p in pledges if p.status != Pledge.Status.PENDING)
    kept = sum(1 for p in pledges if p.status == Pledge.Status.KEPT)
    return {"rows": pledges, "kept": kept, "judged": judged,
            "rate": kept / judged if judged else None,
            "history": sorted(years.values(), key=lambda r: (r["year"] is None, -(r["year"] or 0)))}


def unit_items(unit: Unit, today: dt.date) -> dict:
    """The unit's public rectification items with their state, and per quarter assigned how many are closed."""
    items = list(tracking_policies.public_items().filter(unit=unit)
                 .only("code", "title", "state", "deadline", "closed_on", "assigned_on", "unit_id")
                 .order_by("-assigned_on", "code"))
    quarters: dict[str, dict] = {}
    for i in items:
        i.state_label = pick(*flow.STATE_LABELS.get(i.state, (i.state, i.state)))
        i.late = i.state in flow.OPEN_STATES and i.deadline < today
        i.on_time = i.state == flow.CLOSED and i.closed_on is not None and i.closed_on <= i.deadline
        key = f"{i.assigned_on.year}Q{(i.assigned_on.month - 1) // 3 + 1}"
        q = quarters.setdefault(key, {"quarter": key, "total": 0, "closed": 0, "on_time": 0, "late": 0})
        q["total"] += 1
        q["closed"] += i.state == flow.CLOSED
        q["on_time"] += i.on_time
        q["late"] += i.late
    closed = sum(1 for i in items if i.state == flow.CLOSED)
    return {"rows": items, "total": len(items), "closed": closed, "open": len(items) - closed,
            "late": sum(1 for i in items if i.late),
            "history": sorted(quarters.values(), key=lambda q: q["quarter"], reverse=True)}


def unit_projects(unit: Unit, today: dt.date) -> dict:
    """Key projects (挂图作战) as the public sees them: counts by stage and schedule colour, and per batch;
    names, dates and investments stay on the organizers' and the unit's board."""
    projects = list(project_selectors.unit_projects(unit).only(
        "batch", "stage", "planned_sign", "actual_sign", "planned_start", "actual_start", "planned_complete",
        "actual_complete", "closed", "unit_id"))
    colours = {c: 0 for c in (schedule.GREEN, schedule.YELLOW, schedule.RED)}
    batches: dict[str, dict] = {}
    stages = project_selectors.Stage
    for p in projects:
        colour = project_selectors.schedule_colour(p, today)
        colours[colour] = colours.get(colour, 0) + 1
        b = batches.setdefault(p.batch, {"batch": p.batch, "total": 0, "signed": 0, "started": 0, "completed": 0})
        b["total"] += 1
        b[{stages.SIGNED: "signed", stages.STARTED: "started", stages.COMPLETED: "completed"}[p.stage]] += 1
    started, due, rate = schedule.start_rate([(p.planned_start, project_selectors.is_started(p))
                                              for p in projects], today)
    return {"total": len(projects), "colours": colours, "started": started, "due": due, "start_rate": rate,
            "completed": sum(p.stage == stages.COMPLETED for p in projects),
            "history": sorted(batches.values(), key=lambda b: b["batch"])}


# ----------------------------------------------------------------------------------- press releases


def published_releases():
    """Published releases and the versions they corrected (kept in view), newest first."""
    return (PressRelease.objects.exclude(status=PressRelease.Status.DRAFT)
            .select_related("ranking__period", "ranking__plan_version__plan").defer("ranking__inputs",
                                                                                    "ranking__spec", "ranking__report")
            .order_by("-published_at", "-id"))


def releases_for(user):
    """The releases a user may list: drafts too for organizers."""
    if user.is_authenticated and user.is_organizer:
        return (PressRelease.objects.select_related("ranking__period", "ranking__plan_version__plan")
                .defer("ranking__inputs", "ranking__spec", "ranking__report")
                .order_by("status", "-published_at", "-created_at"))
    return published_releases()


def release_for(user, pk: int) -> PressRelease:
    """One release a user may see (a draft is the organizers'), or 404."""
    release = releases_for(user).filter(pk=pk).select_related("corrects", "created_by", "published_by").first()
    if release is None:
        raise Http404
    return release


def correction_of(release: PressRelease) -> PressRelease | None:
    """The version that corrects `release`, if any."""
    return PressRelease.objects.filter(corrects=release).first()


def source_rankings():
    """The published rankings a release may take its values from, newest first."""
    return (Ranking.objects.filter(status=Ranking.Status.PUBLISHED)
            .select_related("plan_version__plan", "period").defer("inputs", "report")
            .order_by("-period__start", "plan_version__plan__code"))


def ranking_indicators(ranking: Ranking) -> list[dict]:
    """The indicators of a ranking (the ones a release may print), in the plan's order, named."""
    catalogue = {i.code: i for i in Indicator.objects.filter(code__in=[i["code"] for i in ranking.spec["indicators"]])}
    groups = group_names(ranking.spec)
    out = []
    for i in ranking.spec["indicators"]:
        ind = catalogue.get(i["code"])
        out.append({"code": i["code"], "name": ind.name if ind else (i.get("name") or i["code"]),
                    "measure": ind.measure if ind else "", "decimals": ind.decimals if ind else 2,
                    "group": groups.get(i.get("group") or "", "")})
    return out


def release_table(ranking: Ranking, codes: list[str]) -> dict:
    """The table a release prints: the ranking's units (in the units' order) × the chosen indicators (in the
    order chosen), each value with the unit's rank on it, as frozen in the published ranking."""
    known = {c["code"]: c for c in ranking_indicators(ranking)}
    columns = [known[c] for c in codes if c in known]
    values = {(u, c): v for u, c, v in ranking.inputs}
    rows = []
    for r in ranking.rows.select_related("unit").order_by("unit__sort_order", "unit__code"):
        rows.append({"unit": r.unit.code, "name": r.unit.name,
                     "cells": [{"value": values.get((r.unit.code, c["code"])),
                                "rank": (r.indicator_ranks or {}).get(c["code"])} for c in columns]})
    return {"columns": columns, "rows": rows, "period": ranking.period.code,
            "period_label": period_label(ranking.period), "plan": ranking.plan_version.plan.name,
            "size": len(rows)}


def shown_table(table: dict) -> dict:
    """A stored table with each value printed at its indicator's decimals (the page and the .docx agree) and
    its period named in the page's language."""
    cols = table.get("columns", [])
    rows = []
    for r in table.get("rows", []):
        cells = [{"text": value_text(cell["value"], col["decimals"]), "rank": cell["rank"]}
                 for cell, col in zip(r["cells"], cols, strict=True)]
        rows.append({**r, "cells": cells})
    code = table.get("period", "")
    shown = core_periods.label(code, ytd=core_periods.parse(code).kind == "month", lang=page_lang()) if code else ""
    return {**table, "rows": rows, "period_label": shown}


def value_text(value, decimals: int) -> str:
    return "—" if value is None else f"{value:.{decimals}f}"


def default_office() -> str:
    """The office a release names by default: the city's assessment office (e.g. 海川市考核办公室)."""
    city = Unit.objects.filter(kind=UnitKind.CITY).order_by("sort_order", "code").first()
    return f"{city.name}考核办公室" if city else "考核办公室"


def default_title(ranking: Ranking) -> str:
    """E.g. 2024年1-9月各地主要指标发布."""
    return f"{period_label(ranking.period)}{ranking.plan_version.plan.name}主要指标"
