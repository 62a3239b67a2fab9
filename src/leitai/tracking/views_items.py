"""Item pages: the filtered list, an item's detail with its history and the actions the user may take,
the organizer's new-item form and a unit's own list page. Writes go through `services`."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leitai.accounts.permissions import data_editor_required, organizer_required
from leitai.core import tracking as flow
from leitai.core.dates import parse_day
from leitai.core.errors import LeitaiError
from leitai.lang import page_lang as lang
from leitai.units.models import Unit

from . import policies, services
from .forms import ActionForm, ItemFilterForm, ItemForm
from .models import Item, KeyProject, Pledge

DEADLINE_BADGES = {flow.ON_TRACK: ("正常", "ok"), flow.DUE_SOON: ("即将到期", "warn"), flow.OVERDUE: ("已逾期", "bad"),
                   flow.LONG_OVERDUE: ("长期逾期", "bad"), flow.DONE: ("已销号", "ok")}



def label(pair: tuple[str, ...]) -> str:
    """The page language's half of a core (zh, en) label: core has no Django, so gettext cannot reach it."""
    return pair[-1] if lang().startswith("en") else pair[0]


def today() -> dt.date:
    return timezone.localdate()


# Steps of an item's history that are not workflow actions (services_items writes them).
HISTORY_LABELS = {"assign": ("交办", "Assigned"), "measure_added": ("新增整改措施", "Measure added"),
                  "measure_done": ("整改措施完成", "Measure done"), "measure_undone": ("整改措施改为未完成", "Measure reopened")}


def filtered_items(request, base=None):
    """(form, queryset) for the list filters in the query string, limited to what the user may see in full
    (policies), with the one list filter (policies.item_filter)."""
    units = policies.visible_units(request.user)
    form = ItemFilterForm(request.GET or None, units=units)
    qs = (base if base is not None else Item.objects.all()) & policies.items_in_full(request.user)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        qs = qs.filter(policies.item_filter(unit=d["unit"].code if d["unit"] else None, state=d["state"],
                                            source=d["source"], due=d["due"], query=d["q"], today=today()))
    return form, qs.select_related("unit", "person")


def annotate_due(items, day: dt.date) -> list:
    """Each item with .due_label and .due_css from the vectorised deadline classes."""
    items = list(items)
    if items:
        deadlines = np.array([i.deadline for i in items], dtype="datetime64[D]")
        open_mask = np.array([i.state != flow.CLOSED for i in items])
        for item, cls in zip(items, flow.deadline_class(deadlines, open_mask, day), strict=True):
            item.due_label, item.due_css = DEADLINE_BADGES[cls]
            item.state_label = label(flow.STATE_LABELS[item.state])
    return items


@data_editor_required
def items(request):
    form, qs = filtered_items(request)
    page = annotate_due(qs[:500], today())
    return render(request, "tracking/items.html", {"form": form, "items": page, "total": qs.count(),
                                                   "query": request.GET.urlencode()})


@login_required
def item(request, code):
    obj = get_object_or_404(Item.objects.select_related(
        "unit", "person", "arena_shortcoming__arena", "arena_shortcoming__contestant__unit",
        "arena_shortcoming__comment", "arena_item__submission__contestant__arena",
        "arena_item__submission__contestant__unit"), code=code)
    role = policies.role(request.user, obj)
    if role is None:
        raise PermissionDenied
    annotate_due([obj], today())
    transitions = obj.transitions.select_related("by_user").prefetch_related("attachments")
    history = [{"t": t, "from": label(flow.STATE_LABELS.get(t.from_state, ("", ""))),
                "to": label(flow.STATE_LABELS.get(t.to_state, (t.to_state,))),
                "action": label(flow.ACTION_LABELS.get(t.action) or HISTORY_LABELS.get(t.action, (t.action,)))}
               for t in transitions]
    actions = [{"code": a, "label": label(flow.ACTION_LABELS[a]), "needs_text": a in flow.NEEDS_TEXT,
                "files": a == flow.REQUEST} for a in flow.allowed_actions(obj.state, role) if a != flow.REOPEN]
    return render(request, "tracking/item.html", {
        "item": obj, "history": history, "actions": actions, "measures": obj.measures.all(),
        "form": ActionForm(), "is_organizer": role == flow.ORGANIZER,
        "can_edit_measures": obj.state in flow.OPEN_STATES,
    })


@require_POST
@login_required
def item_measure(request, code):
    """Add a measure to an open item, or tick one done / not done (organizer or the responsible unit)."""
    obj = get_object_or_404(Item.objects.select_related("unit"), code=code)
    if policies.role(request.user, obj) is None:
        raise PermissionDenied
    if obj.state not in flow.OPEN_STATES:
        messages.error(request, _("已销号的事项不能再修改整改措施"))
        return redirect("tracking:item", code=code)
    try:
        if request.POST.get("measure"):
            measure = get_object_or_404(obj.measures, pk=request.POST["measure"])
            services.set_measure_done(request.user, measure, request.POST.get("done") == "1")
        else:
            try:
                due = parse_day(request.POST.get("due", ""))
            except ValueError:
                raise LeitaiError("完成时限应为日期，如 2024-06-30", "The due date must be a date such as 2024-06-30")
            services.add_measure(request.user, obj, request.POST.get("text", ""), due=due)
    except LeitaiError as exc:
        messages.error(request, exc.message(lang()))
    return redirect("tracking:item", code=code)


@require_POST
@login_required
def item_act(request, code):
    obj = get_object_or_404(Item, code=code)
    if policies.role(request.user, obj) is None:
        raise PermissionDenied
    form = ActionForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("tracking:item", code=code)
    data = form.cleaned_data
    try:
        services.act(request.user, obj, data["action"], text=data["text"], files=[*data["files"], *data["photos"]])
    except LeitaiError as exc:
        messages.error(request, exc.message(lang()))
    else:
        messages.success(request, label(flow.ACTION_LABELS[data["action"]]) + " ✓")
    return redirect("tracking:item", code=code)


@organizer_required
def item_new(request):
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            obj = services.create_item(request.user, **data)
        except LeitaiError as exc:
            form.add_error(None, exc.message(lang()))
        else:
            messages.success(request, obj.code)
            return redirect("tracking:item", code=obj.code)
    return render(request, "tracking/item_form.html", {"form": form})


@login_required
def unit_items(request, unit_code):
    unit = get_object_or_404(Unit, code=unit_code)
    if not policies.visible_units(request.user).filter(pk=unit.pk).exists():
        raise PermissionDenied
    form, qs = filtered_items(request, Item.objects.filter(unit=unit))
    return render(request, "tracking/unit_items.html", {
        "unit": unit, "form": form, "items": annotate_due(qs[:500], today()), "total": qs.count(),
        "pledges": Pledge.objects.filter(unit=unit).select_related("person", "indicator", "deadline"),
        "projects": KeyProject.objects.filter(unit=unit),
    })
