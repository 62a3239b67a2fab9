"""Arena pages for the organizer before the day: the list, creating an arena and the set-up page (its
sections post to views_setup_actions, which render this page again when a form has errors)."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from leitai.accounts.permissions import organizer_required
from leitai.core.errors import LeitaiError
from leitai.indicators.services import ensure_period
from leitai.units.models import Unit, UnitKind

from . import selectors, services
from .forms import (
    ArenaCreateForm,
    BulkJudgeForm,
    ContestantsForm,
    CriterionFormSet,
    DeadlineForm,
    DrawForm,
    GroupFormSet,
    JudgeForm,
    RankingOrderForm,
    TieBreakForm,
)
from .models import Arena, ArenaKind
from .views_common import arena_date, get_arena, heads_at, msg

# Which kind of unit an arena of each kind usually puts on stage (its checkboxes start unfolded).
KIND_UNITS = {ArenaKind.SECRETARY: UnitKind.COUNTY, ArenaKind.COUNTY: UnitKind.COUNTY,
              ArenaKind.DIRECTOR: UnitKind.DEPARTMENT, ArenaKind.DIRECTOR_EXAM: UnitKind.DEPARTMENT,
              ArenaKind.TOWN: UnitKind.TOWN}


@require_GET
def arena_list(request):
    """擂台赛: every arena for the organizer; the live, finished and published ones for everyone else."""
    is_organizer = request.user.is_authenticated and request.user.is_organizer
    return render(request, "arena/list.html", {"arenas": selectors.visible_arenas(request.user),
                                               "is_organizer": is_organizer})


@organizer_required
@require_http_methods(["GET", "POST"])
def create(request):
    """新建擂台赛 → services.create_arena (the period is created when first used)."""
    form = ArenaCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                arena = services.create_arena(
                    request.user, name=d["name"], kind=d["kind"], period=ensure_period(d["period"]),
                    held_at=d["held_at"], venue=d["venue"], kind_label=d["kind_label"],
                    # a custom rubric starts from 六比 and is edited on the set-up page
                    template="liubi" if d["template"] == "custom" else d["template"],
                    speech_seconds=round(d["speech_minutes"] * 60), question_seconds=round(d["question_minutes"] * 60),
                    reveal_mode=d["reveal_mode"], bonus_rule=form.bonus_rule, plan=d["plan"])
        except LeitaiError as e:
            form.add_error(None, msg(e))
        else:
            messages.success(request, _("已创建擂台赛“%(name)s”，请继续设置参赛单位、评分规则和评委") % {"name": arena.name})
            return redirect("arena:setup", pk=arena.pk)
    return render(request, "arena/create.html", {"form": form})


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


def render_setup(request, arena: Arena, status: int = 200, new_tokens: dict[int, str] | None = None, **bound):
    """The set-up page; `bound` holds a section's form with its errors, the others start fresh."""
    criteria, groups, tie_break = rubric_initial(arena)
    contestants = list(arena.contestants.select_related("unit", "person"))
    deadline_initial = {"submission_deadline": arena.submission_deadline and timezone.localtime(arena.submission_deadline),
                        "max_slides_mb": arena.max_slides_mb}
    forms = {
        "contestants_form": ContestantsForm(),
        "draw_form": DrawForm(),
        "ranking_form": RankingOrderForm(),
        "criteria_set": CriterionFormSet(initial=criteria, prefix="crit"),
        "groups_set": GroupFormSet(initial=groups, prefix="grp"),
        "tie_form": TieBreakForm(initial={"tie_break": tie_break}),
        "judge_form": JudgeForm(arena=arena),
        "bulk_form": BulkJudgeForm(arena=arena),
        "deadline_form": DeadlineForm(initial=deadline_initial),
    }
    forms.update(bound)
    context = {
        "arena": arena, "contestants": contestants,
        "unit_groups": unit_choices(arena, {c.unit_id for c in contestants}),
        "judges": judge_rows(arena, new_tokens),
        "rubric_locked": arena.sheets.exists(),
        "submissions_locked": arena.contestants.filter(submission__locked=True).exists(),
        "has_rankings": forms["ranking_form"].fields["ranking"].queryset.exists(),
        # Key projects shown at this arena (set on the tracking board: KeyProject.arena, related name).
        "projects": arena.projects.select_related("unit").order_by("unit__sort_order", "unit__code", "batch", "code"),
        **forms,
    }
    return render(request, "arena/setup.html", context, status=status)


@organizer_required
@require_GET
def setup(request, pk: int):
    """One page for everything before the day: contestants, order, rubric, panel, deadline."""
    return render_setup(request, get_arena(pk))
