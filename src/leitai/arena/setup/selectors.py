"""Reads of the set-up: the arenas one may see, contestants (with their submissions), the panel and its
links, the rubric (as the core tally reads it), ranking rules (排序测评), heads of units at the arena's date
and recusal (a judge never scores a unit in their own part of the tree)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone

from leitai.arena.base.models import Arena, ArenaKind
from leitai.arena.base.policies import PUBLIC_STATUSES, is_organizer
from leitai.arena.setup.models import Contestant, Judge, JudgeLink, Submission, SubmissionItem
from leitai.core.judging.points import PointsGroup, PointsRules, exact_number
from leitai.core.judging.tally import Rubric, parse_rubric
from leitai.core.tokens import hash_token
from leitai.units.models import Unit, UnitKind
from leitai.units.selectors import heads_at


def rubric_dict(arena) -> dict:
    """The arena's rubric as RUBRIC.json (criteria, groups, tie_break), the form `leitai arena tally` reads."""
    criteria = [{"code": c.code, "name": c.name, "weight": c.weight, "max": c.max_score,
                 **({"step": c.step} if c.step is not None else {})} for c in arena.criteria.all()]
    groups = [{"code": g.code, "name": g.name, "weight": g.weight, "trim": g.trim} for g in arena.groups.all()]
    out = {"criteria": criteria, "groups": groups, "tie_break": list(arena.tie_break or [])}
    if arena.calibration:
        out["calibration"] = arena.calibration
    return out


def links_of(arena) -> dict[tuple[str, str], str]:
    """The arena's judge–contestant links as the core audit and tally read them: (judge's anonymous code,
    contestant's unit code) → relation, in the order of LINKS.csv in the export."""
    rows = JudgeLink.objects.filter(arena=arena).values_list("judge__anon_code", "contestant__unit__code", "relation")
    return {(judge, unit): relation for judge, unit, relation in rows}


def link_rows(arena) -> list[JudgeLink]:
    """The arena's links with their judges and contestants, for the audit page and the API."""
    return list(JudgeLink.objects.filter(arena=arena).select_related("judge", "contestant__unit").order_by("pk"))


def rubric_of(arena) -> Rubric:
    """The arena's rubric as the core tally reads it."""
    return parse_rubric(rubric_dict(arena))


def arena_date(arena) -> dt.date:
    """The day of the arena (its date in local time), or today while it has none."""
    return timezone.localdate(arena.held_at) if arena.held_at else timezone.localdate()


def judge_for_token(raw_token) -> Judge | None:
    """The judge whose link carries this token; None for an unknown, replaced or revoked token."""
    if not isinstance(raw_token, str) or not raw_token or len(raw_token) > 100:
        return None
    judge = Judge.objects.select_related("arena", "group", "unit").filter(token_hash=hash_token(raw_token)).first()
    if judge is None or judge.token_revoked_at is not None:
        return None
    return judge


def has_active_token(judge) -> bool:
    return judge.token_hash is not None and judge.token_revoked_at is None


def unit_parents() -> dict[int, int | None]:
    """Every unit's parent id: recusal walks the tree in memory instead of one query per level."""
    return dict(Unit.objects.values_list("id", "parent_id"))


def _chain(unit_id: int, parents: dict[int, int | None]) -> list[int]:
    out, node, seen = [], unit_id, set()
    while node is not None and node not in seen:
        seen.add(node)
        out.append(node)
        node = parents.get(node)
    return out


def recused(judge_unit_id: int | None, recused_ids, contestant_unit_id: int, parents: dict[int, int | None]) -> bool:
    """The recusal rule on ids: the judge's unit is the contestant's, above it or below it; or listed."""
    if contestant_unit_id in set(recused_ids):
        return True
    if judge_unit_id is None:
        return False
    return judge_unit_id in _chain(contestant_unit_id, parents) or contestant_unit_id in _chain(judge_unit_id, parents)


def is_recused(judge, contestant) -> bool:
    """A judge tied to the contestant's unit (the same unit, above or below it, or listed) may not score it."""
    if contestant.unit_id in set(judge.recused_units.values_list("id", flat=True)):
        return True
    if judge.unit_id is None:
        return False
    return contestant.unit.is_within(judge.unit) or judge.unit.is_within(contestant.unit)


def visible_arenas(user):
    """Organizers see every arena; everybody else those under way or published."""
    qs = Arena.objects.select_related("period")
    if is_organizer(user):
        return qs
    return qs.filter(status__in=PUBLIC_STATUSES)


def arena_for(user, arena_id: int) -> Arena | None:
    return visible_arenas(user).filter(pk=arena_id).first()


def contestants(arena):
    """The contestants in order of presentation, with unit and presenter."""
    return arena.contestants.select_related("unit", "person").order_by("order", "id")


def _with_submission(qs):
    items = SubmissionItem.objects.select_related("indicator", "deadline")
    return qs.select_related("unit", "person", "submission").prefetch_related(
        Prefetch("submission__items", queryset=items))


def contestants_with_submission(arena):
    """Contestants in order, each with `submission` (may be missing) and its items prefetched."""
    return _with_submission(arena.contestants.order_by("order", "id"))


def contestant_with_submission(contestant_id: int) -> Contestant | None:
    return _with_submission(Contestant.objects.filter(pk=contestant_id)).first()


def submission_items(contestant) -> list[dict]:
    """A contestant's submission as plain dicts (for the judge's phone and JSON)."""
    sub = getattr(contestant, "submission", None) if hasattr(contestant, "submission") else None
    if sub is None:
        return []
    return [{"kind": i.kind, "kind_label": str(i.get_kind_display()), "text": i.text,
             "indicator": i.indicator.name if i.indicator else None,
             "comparison": i.get_comparison_display() if i.comparison else "", "target_value": i.target_value,
             "deadline": i.deadline.code if i.deadline else None} for i in sub.items.all()]


def judges(arena):
    """The panel with its group, link status (hint only, never the hash) and how many sheets each gave."""
    return (arena.judges.select_related("group", "unit").prefetch_related("recused_units")
            .annotate(sheet_count=Count("sheets")).order_by("group__sort_order", "sort_order", "id"))


def round_code(arena) -> str:
    return f"arena-{arena.pk}"


def rules_of(arena) -> PointsRules:
    n = arena.contestants.count()
    points = arena.rank_points or list(range(n, 0, -1)) or [1]
    return PointsRules(tuple(PointsGroup(g.code, exact_number(g.weight, "组权重", "group weight")) for g in arena.groups.all()),
                       tuple(exact_number(p, "名次分", "points") for p in points),
                       tuple(arena.tie_break or ()), "shared")


def rules_dict(arena) -> dict:
    r = rules_of(arena)
    return {**r.as_dict(), "groups": [{"code": g.code, "weight": g.weight, "name": g.name} for g in arena.groups.all()]}


def unit_choices(arena: Arena, taken: set[int]) -> list[dict]:
    """Units that may still be added, grouped by kind, each with its head at the arena's date."""
    units = [u for u in Unit.objects.filter(active=True).exclude(kind=UnitKind.CITY).select_related("parent")
             if u.pk not in taken]
    heads = heads_at(units, arena_date(arena))
    unfold = KIND_UNITS.get(arena.kind)
    groups = []
    for kind, label in UnitKind.choices:
        rows = [{"unit": u, "head": heads.get(u.pk)} for u in units if u.kind == kind]
        if rows:
            groups.append({"kind": kind, "label": label, "rows": rows, "open": kind == unfold})
    return groups


def judge_rows(arena: Arena, new_tokens: dict[int, str] | None = None) -> list[dict]:
    """The panel, with each judge's token state and, right after issuing, the new link (shown once)."""
    new_tokens = new_tokens or {}
    rows = []
    for j in arena.judges.select_related("group", "unit"):
        if j.token_hash and not j.token_revoked_at:
            state = "active"
        elif j.token_revoked_at:
            state = "revoked"
        else:
            state = "none"
        rows.append({"judge": j, "state": state, "link": new_tokens.get(j.pk)})
    return rows


def rubric_initial(arena: Arena) -> tuple[list[dict], list[dict], str]:
    criteria = [{"code": c.code, "name": c.name, "weight": c.weight, "max": c.max_score, "step": c.step}
                for c in arena.criteria.all()]
    groups = [{"code": g.code, "name": g.name, "weight": g.weight, "trim": g.trim} for g in arena.groups.all()]
    return criteria, groups, ", ".join(arena.tie_break or [])


def submission_initial(submission: Submission | None) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {k: [] for k in SubmissionItem.Kind.values}
    if submission is None:
        return out
    for item in submission.items.select_related("deadline"):
        row = {"text": item.text}
        if item.kind == SubmissionItem.Kind.PLEDGE:
            row.update(indicator=item.indicator_id, comparison=item.comparison, target_value=item.target_value,
                       deadline=item.deadline.code if item.deadline else "")
        out[item.kind].append(row)
    return out


def submission_readonly(submission: Submission | None) -> list[dict]:
    items = list(submission.items.select_related("indicator", "deadline")) if submission else []
    return [{"label": label, "kind": kind, "items": [i for i in items if i.kind == kind]}
            for kind, label in SubmissionItem.Kind.choices]


def submission_versions(submission: Submission | None) -> list[dict]:
    """Every saved version of a submission, newest first, with its lines by section (kind labels)."""
    if submission is None:
        return []
    labels = dict(SubmissionItem.Kind.choices)
    out = []
    for v in submission.versions.select_related("saved_by").order_by("-number"):
        out.append({"number": v.number, "saved_at": v.saved_at, "saved_by": v.saved_by, "slides_name": v.slides_name,
                    "items": [{**i, "label": labels.get(i["kind"], i["kind"])} for i in v.items]})
    return out


def setup_state(arena) -> dict:
    """What the set-up page shows besides its forms: contestants, the units still to add, the panel, whether
    the rubric and the submissions are locked, and the key projects shown at this arena."""
    contestants_ = list(contestants(arena))
    return {
        "contestants": contestants_,
        "unit_groups": unit_choices(arena, {c.unit_id for c in contestants_}),
        "rubric_locked": arena.sheets.exists(),
        "submissions_locked": arena.contestants.filter(submission__locked=True).exists(),
        # Key projects shown at this arena (set on the tracking board: KeyProject.arena, related name).
        "projects": arena.projects.select_related("unit").order_by("unit__sort_order", "unit__code", "batch", "code"),
    }


def contestant_or_404(contestant_id: int, arena=None) -> Contestant:
    """A contestant with its arena, unit, presenter and submission (404 when unknown, or not of `arena`)."""
    qs = Contestant.objects.select_related("arena__period", "unit", "person", "submission")
    if arena is not None:
        qs = qs.filter(arena=arena)
    return get_object_or_404(qs, pk=contestant_id)


def contestant_ids(arena) -> list[int]:
    """The contestants' ids in order of presentation."""
    return list(arena.contestants.order_by("order", "id").values_list("pk", flat=True))


def judge_or_404(judge_id: int) -> Judge:
    return get_object_or_404(Judge.objects.select_related("arena"), pk=judge_id)


def phone_judges(arena) -> list[Judge]:
    """The judges who score on a phone (not on paper), with their group."""
    return list(arena.judges.filter(paper=False).select_related("group"))


def submission_of(contestant) -> Submission | None:
    return Submission.objects.filter(contestant=contestant).first()


def submissions_for(user, may_edit) -> list[dict]:
    """我的参赛材料: every contestant whose unit `may_edit(user, unit)`, newest arena first, with whether it
    has a submission."""
    rows = [c for c in Contestant.objects.select_related("arena__period", "unit").order_by("-arena_id", "order")
            if may_edit(user, c.unit)]
    submitted = set(Submission.objects.filter(contestant__in=rows).values_list("contestant_id", flat=True))
    return [{"c": c, "submission": getattr(c, "submission", None) if c.pk in submitted else None,
             "submitted": c.pk in submitted} for c in rows]


# Which kind of unit an arena of each kind usually puts on stage (its checkboxes start unfolded).
KIND_UNITS = {ArenaKind.SECRETARY: UnitKind.COUNTY, ArenaKind.COUNTY: UnitKind.COUNTY,
              ArenaKind.DIRECTOR: UnitKind.DEPARTMENT, ArenaKind.DIRECTOR_EXAM: UnitKind.DEPARTMENT,
              ArenaKind.TOWN: UnitKind.TOWN}


def contestant_of(arena_id: int, contestant_id: int) -> Contestant | None:
    return Contestant.objects.select_related("arena", "unit").filter(pk=contestant_id, arena_id=arena_id).first()


def arena_by_id(arena_id: int) -> Arena | None:
    return Arena.objects.filter(pk=arena_id).first()
