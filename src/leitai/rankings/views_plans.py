"""Organizer pages: assessment plans and their versions, computing a draft ranking, bonus/deduction items."""

from __future__ import annotations

import json

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from leitai.accounts.permissions import organizer_required
from leitai.core.errors import LeitaiError
from leitai.lang import page_lang
from leitai.units.models import UnitKind

from . import selectors, services
from .forms import (
    AdjustmentForm,
    ComputeForm,
    GroupFormSet,
    IndicatorFormSet,
    PlanCreateForm,
    SpecSettingsForm,
    build_spec,
    indicator_options,
    spec_initial,
)
from .models import Adjustment, AssessmentPlan


def _msg(e: LeitaiError) -> str:
    return e.message(page_lang())


@organizer_required
@require_http_methods(["GET", "POST"])
def plans(request):
    """考核方案: the list with versions and latest rankings, and the form to create one."""
    form = PlanCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            plan = services.create_plan(d["code"], d["name"], d["unit_kinds"], d["spec"], user=request.user,
                                        description=d["description"])
        except LeitaiError as e:
            form.add_error("spec_json" if d.get("spec_json") else None, _msg(e))
        else:
            messages.success(request, _("已创建方案“%(name)s”") % {"name": plan.name})
            return redirect("rankings:plan_edit", pk=plan.pk)
    rows = [{"plan": p, "versions": list(p.versions.order_by("-number")),
             "kinds": [UnitKind(k).label for k in p.unit_kinds if k in UnitKind.values],
             "latest": selectors.plan_rankings(p).first()}
            for p in AssessmentPlan.objects.prefetch_related("versions")]
    return render(request, "rankings/plans.html", {"rows": rows, "form": form})


@organizer_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int):
    """Edit a plan's rules; saving adds a version, so rankings made with earlier versions keep theirs."""
    plan = get_object_or_404(AssessmentPlan, pk=pk)
    current = plan.current_version
    settings_initial, ind_initial, group_initial = spec_initial(current.spec if current else {})
    choices = {"indicator_choices": indicator_options()}
    if request.method == "POST":
        settings = SpecSettingsForm(request.POST)
        ind_set = IndicatorFormSet(request.POST, prefix="ind", form_kwargs=choices)
        group_set = GroupFormSet(request.POST, prefix="grp")
        spec = build_spec(settings, ind_set, group_set)
        if spec is not None:
            try:
                version = services.create_plan_version(plan, spec, user=request.user,
                                                       note=settings.cleaned_data.get("note") or "")
            except LeitaiError as e:
                settings.add_error(None, _msg(e))
            else:
                messages.success(request, _("已保存为第 %(n)d 版") % {"n": version.number})
                return redirect("rankings:plan_edit", pk=plan.pk)
    else:
        settings = SpecSettingsForm(initial=settings_initial)
        ind_set = IndicatorFormSet(initial=ind_initial, prefix="ind", form_kwargs=choices)
        group_set = GroupFormSet(initial=group_initial, prefix="grp")
    return render(request, "rankings/plan_edit.html", {
        "plan": plan, "current": current, "settings": settings, "ind_set": ind_set, "group_set": group_set,
        "versions": selectors.plan_versions(plan), "rankings": selectors.plan_rankings(plan)[:24],
        "compute_form": ComputeForm(plan=plan),
        "current_json": json.dumps(current.spec, ensure_ascii=False, indent=2) if current else "",
        "advanced_errors": bool(settings.errors.get("spec_json")) or any(f.errors.get("code") for f in group_set),
    })


@organizer_required
@require_POST
def compute(request, pk: int):
    """Compute a draft ranking for a period and open it."""
    plan = get_object_or_404(AssessmentPlan, pk=pk)
    form = ComputeForm(request.POST, plan=plan)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("rankings:plan_edit", pk=plan.pk)
    version = form.cleaned_data.get("version") or plan.current_version
    try:
        ranking = services.compute_ranking(version, form.cleaned_data["period"], user=request.user)
    except LeitaiError as e:
        messages.error(request, _msg(e))
        return redirect("rankings:plan_edit", pk=plan.pk)
    messages.success(request, _("已计算草稿，请核对后发布"))
    return redirect("rankings:detail", pk=ranking.pk)


@organizer_required
@require_http_methods(["GET", "POST"])
def adjustments(request):
    """加减分事项: every item ever registered (withdrawn ones too) and the form to add one."""
    form = AdjustmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.add_adjustment(d["unit"], d["period"], d["points"], d["reason"], plan=d["plan"], user=request.user)
        except LeitaiError as e:
            form.add_error(None, _msg(e))
        else:
            messages.success(request, _("已登记加减分事项"))
            return redirect("rankings:adjustments")
    return render(request, "rankings/adjustments.html",
                  {"form": form, "items": selectors.adjustment_list()[:500]})


@organizer_required
@require_POST
def withdraw(request, pk: int):
    adj = get_object_or_404(Adjustment, pk=pk)
    try:
        services.withdraw_adjustment(adj, request.user)
        messages.success(request, _("已撤销；此后计算的排名不再计入，已发布的排名不变"))
    except LeitaiError as e:
        messages.error(request, _msg(e))
    return redirect("rankings:adjustments")
