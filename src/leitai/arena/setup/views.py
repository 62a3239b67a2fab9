"""Arena pages for the organizer before the day: the list, creating an arena and the set-up page (its
sections post to views_actions, which render this page again when a form has errors)."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from leitai.accounts.permissions import organizer_required
from leitai.arena.base.models import Arena
from leitai.arena.base.pages import msg
from leitai.arena.base.policies import is_organizer
from leitai.arena.base.selectors import get_arena
from leitai.arena.setup import selectors, services
from leitai.arena.setup.forms import (
    ArenaCreateForm,
    BulkJudgeForm,
    ContestantsForm,
    CriterionFormSet,
    DeadlineForm,
    DrawForm,
    GroupFormSet,
    JudgeForm,
    QuorumForm,
    RankingOrderForm,
    TieBreakForm,
)
from leitai.core.errors import LeitaiError
from leitai.indicators.services import ensure_period


@require_GET
def arena_list(request):
    """擂台赛: every arena for the organizer; the live, finished and published ones for everyone else."""
    organizer = is_organizer(request.user)
    return render(request, "arena/list.html", {"arenas": selectors.visible_arenas(request.user),
                                               "is_organizer": organizer})


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
                    ask_seconds=round((d["ask_minutes"] or 2) * 60),
                    reveal_mode=d["reveal_mode"], bonus_rule=form.bonus_rule, plan=d["plan"],
                    quorum=3 if d["quorum"] is None else d["quorum"])
        except LeitaiError as e:
            form.add_error(None, msg(e))
        else:
            messages.success(request, _("已创建擂台赛“%(name)s”，请继续设置参赛单位、评分规则和评委") % {"name": arena.name})
            return redirect("arena:setup", pk=arena.pk)
    return render(request, "arena/create.html", {"form": form})


def render_setup(request, arena: Arena, status: int = 200, new_tokens: dict[int, str] | None = None, **bound):
    """The set-up page; `bound` holds a section's form with its errors, the others start fresh."""
    criteria, groups, tie_break = selectors.rubric_initial(arena)
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
        "quorum_form": QuorumForm(initial={"quorum": arena.quorum}),
    }
    forms.update(bound)
    context = {
        "arena": arena, **selectors.setup_state(arena),
        "judges": selectors.judge_rows(arena, new_tokens),
        "has_rankings": forms["ranking_form"].fields["ranking"].queryset.exists(),
        **forms,
    }
    return render(request, "arena/setup.html", context, status=status)


@organizer_required
@require_GET
def setup(request, pk: int):
    """One page for everything before the day: contestants, order, rubric, panel, deadline."""
    return render_setup(request, get_arena(pk))
