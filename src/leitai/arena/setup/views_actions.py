"""The set-up page's sections, each a POST calling one service: contestants (add, remove), order of presentation,
rubric, judges (one or pasted lines), deadline and lock. Success redirects to the page; a form with
errors renders the page again with that section's errors (status 400)."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leitai.accounts.permissions import organizer_required
from leitai.arena.base.pages import msg
from leitai.arena.base.selectors import get_arena
from leitai.arena.setup import selectors, services, submissions
from leitai.arena.setup.forms import (
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
from leitai.arena.setup.views import render_setup
from leitai.core.errors import LeitaiError


def _setup_redirect(arena, section: str):
    response = redirect("arena:setup", pk=arena.pk)
    response["Location"] += f"#{section}"
    return response


@organizer_required
@require_POST
def add_contestants(request, pk: int):
    arena = get_arena(pk)
    form = ContestantsForm(request.POST)
    if form.is_valid():
        try:
            added = services.add_contestants(arena, request.user, list(form.cleaned_data["units"]))
        except LeitaiError as e:
            form.add_error(None, msg(e))
        else:
            messages.success(request, _("已添加 %(n)d 个参赛单位") % {"n": len(added)})
            return _setup_redirect(arena, "contestants")
    return render_setup(request, arena, status=400, contestants_form=form)


@organizer_required
@require_POST
def remove_contestant(request, contestant_id: int):
    """移出 → services.remove_contestant (only in set-up, before any sheet or record)."""
    contestant = selectors.contestant_or_404(contestant_id)
    arena = contestant.arena
    try:
        services.remove_contestant(contestant, request.user)
    except LeitaiError as e:
        messages.error(request, msg(e))
    else:
        messages.success(request, _("已移出参赛单位 %(name)s") % {"name": contestant.unit.name})
    return _setup_redirect(arena, "contestants")


@organizer_required
@require_POST
def set_order(request, pk: int):
    """出场顺序: by a published ranking, by a seeded draw, or moving one contestant up or down."""
    arena = get_arena(pk)
    method = request.POST.get("method")
    bound = {}
    try:
        if method == "draw":
            form = bound["draw_form"] = DrawForm(request.POST)
            if form.is_valid():
                services.set_order(arena, request.user, "draw", seed=form.cleaned_data["seed"].strip() or None)
                arena.refresh_from_db()
                messages.success(request, _("抽签完成，种子为“%(seed)s”") % {"seed": arena.draw_seed})
                return _setup_redirect(arena, "order")
        elif method == "ranking":
            form = bound["ranking_form"] = RankingOrderForm(request.POST)
            if form.is_valid():
                services.set_order(arena, request.user, "ranking", ranking=form.cleaned_data["ranking"])
                messages.success(request, _("已按成绩单名次排定出场顺序"))
                return _setup_redirect(arena, "order")
        elif method == "manual":
            ids = selectors.contestant_ids(arena)
            moved = int(request.POST.get("contestant") or 0)
            step = -1 if request.POST.get("move") == "up" else 1
            if moved in ids and 0 <= ids.index(moved) + step < len(ids):
                i = ids.index(moved)
                ids[i], ids[i + step] = ids[i + step], ids[i]
                services.set_order(arena, request.user, "manual", manual=ids)
            return _setup_redirect(arena, "order")
        else:
            messages.error(request, _("请选择排序方式"))
            return _setup_redirect(arena, "order")
    except LeitaiError as e:
        messages.error(request, msg(e))
        return _setup_redirect(arena, "order")
    return render_setup(request, arena, status=400, **bound)


@organizer_required
@require_POST
def rubric(request, pk: int):
    """评分规则 → services.update_rubric (refused once any sheet exists)."""
    arena = get_arena(pk)
    criteria = CriterionFormSet(request.POST, prefix="crit")
    groups = GroupFormSet(request.POST, prefix="grp")
    tie = TieBreakForm(request.POST)
    if all([criteria.is_valid(), groups.is_valid(), tie.is_valid()]):
        codes = {g["code"] for g in groups.rows()}
        unknown = [c for c in tie.cleaned_data["tie_break"] if c not in codes]
        if unknown:
            tie.add_error("tie_break", _("评委组编码“%(codes)s”不存在") % {"codes": "、".join(unknown)})
        else:
            try:
                services.update_rubric(arena, request.user, criteria.rows(), groups.rows(), tie.cleaned_data["tie_break"])
            except LeitaiError as e:
                tie.add_error(None, msg(e))
            else:
                messages.success(request, _("评分规则已保存"))
                return _setup_redirect(arena, "rubric")
    return render_setup(request, arena, status=400, criteria_set=criteria, groups_set=groups, tie_form=tie)


@organizer_required
@require_POST
def scoring_mode(request, pk: int):
    """计分方式: scoring each contestant, or 排序测评 with its points table (before any sheet)."""
    arena = get_arena(pk)
    raw = request.POST.get("points", "").replace("，", ",").replace("、", ",")
    try:
        points = [float(p) if "." in p else int(p) for p in (x.strip() for x in raw.split(",")) if p]
    except ValueError:
        messages.error(request, _("名次赋分表应为逗号分隔的数字，如 10,8,6"))
        return _setup_redirect(arena, "scoring-mode")
    try:
        services.set_ranking_rules(arena, request.user, request.POST.get("mode", ""), points)
    except LeitaiError as e:
        messages.error(request, msg(e))
    else:
        messages.success(request, _("计分方式已保存"))
    return _setup_redirect(arena, "scoring-mode")


@organizer_required
@require_POST
def add_judge(request, pk: int):
    arena = get_arena(pk)
    form = JudgeForm(request.POST, arena=arena)
    if form.is_valid():
        d = form.cleaned_data
        try:
            judge = services.add_judge(arena, request.user, group=d["group"], name=d["name"], title=d["title"],
                                       unit=d["unit"], paper=d["paper"], account=d["account"])
        except LeitaiError as e:
            form.add_error(None, msg(e))
        else:
            messages.success(request, _("已添加评委 %(name)s") % {"name": judge.name})
            return _setup_redirect(arena, "judges")
    return render_setup(request, arena, status=400, judge_form=form)


@organizer_required
@require_POST
def bulk_judges(request, pk: int):
    """Pasted lines: all are added or, when any line is wrong, none (the error names the line)."""
    arena = get_arena(pk)
    form = BulkJudgeForm(request.POST, arena=arena)
    if form.is_valid():
        rows = form.cleaned_data["lines"]
        try:
            with transaction.atomic():
                for row in rows:
                    services.add_judge(arena, request.user, **row)
        except LeitaiError as e:
            form.add_error("lines", msg(e))
        else:
            messages.success(request, _("已添加 %(n)d 位评委") % {"n": len(rows)})
            return _setup_redirect(arena, "judges")
    return render_setup(request, arena, status=400, bulk_form=form)


@organizer_required
@require_POST
def deadline(request, pk: int):
    arena = get_arena(pk)
    form = DeadlineForm(request.POST)
    if form.is_valid():
        try:
            submissions.set_submission_deadline(arena, request.user, form.cleaned_data["submission_deadline"],
                                             max_slides_mb=form.cleaned_data["max_slides_mb"])
        except LeitaiError as e:
            form.add_error(None, msg(e))
        else:
            messages.success(request, _("材料提交截止时间已保存"))
            return _setup_redirect(arena, "deadline")
    return render_setup(request, arena, status=400, deadline_form=form)


@organizer_required
@require_POST
def quorum(request, pk: int):
    """法定份数: the sheets each judge group needs before a reveal or publication without a reason."""
    arena = get_arena(pk)
    form = QuorumForm(request.POST)
    if form.is_valid():
        try:
            services.set_quorum(arena, request.user, form.cleaned_data["quorum"])
        except LeitaiError as e:
            form.add_error(None, msg(e))
        else:
            messages.success(request, _("法定份数已保存"))
            return _setup_redirect(arena, "quorum")
    return render_setup(request, arena, status=400, quorum_form=form)


@organizer_required
@require_POST
def lock(request, pk: int):
    arena = get_arena(pk)
    try:
        submissions.lock_submissions(arena, request.user)
    except LeitaiError as e:
        messages.error(request, msg(e))
    else:
        messages.success(request, _("参赛材料已锁定，填报单位不能再修改"))
    return _setup_redirect(arena, "deadline")
