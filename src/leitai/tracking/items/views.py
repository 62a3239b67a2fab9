"""Item pages: the filtered list, an item's detail with its history and the actions the user may take, the
organizer's new-item form, the business-help import (upload → preview with a problem report → confirm, all
or nothing), the list's .xlsx export, and the item's evidence files. Reads go through `selectors`, writes
through `services`; who may see what is `policies`'."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from leitai import queue, uploads
from leitai.accounts.permissions import data_editor_required, organizer_required
from leitai.core.dates import parse_day
from leitai.core.errors import LeitaiError
from leitai.core.io.tabular import Problem
from leitai.core.tracking import rules as flow
from leitai.lang import page_lang as lang

from .. import policies
from ..base.pages import FAILED_EN, FAILED_ZH, annotate_due, follow_job, label, today, xlsx_response
from ..models import Item
from . import io, selectors, services, tasks
from .forms import ActionForm, ImportItemsForm, ItemFilterForm, ItemForm

# Steps of an item's history that are not workflow actions (services writes them).
HISTORY_LABELS = {"assign": ("交办", "Assigned"), "edited": ("后台修改", "Edited in the admin"), "measure_added": ("新增整改措施", "Measure added"),
                  "measure_done": ("整改措施完成", "Measure done"), "measure_undone": ("整改措施改为未完成", "Measure reopened")}
SESSION_KEY = "tracking_import"


def filtered_items(request):
    """(form, queryset) for the list filters in the query string, limited to what the user may see in full
    (policies), with the one list filter (policies.item_filter)."""
    form = ItemFilterForm.for_user(request.GET, request.user)
    return form, selectors.items_in_full(request.user, today=today(), **form.filters())


@data_editor_required
def items(request):
    form, qs = filtered_items(request)
    page = annotate_due(qs[:500], today())
    return render(request, "tracking/items.html", {"form": form, "items": page, "total": qs.count(),
                                                   "query": request.GET.urlencode()})


@login_required
def item(request, code):
    obj = selectors.item_page_or_404(code)
    role = policies.role(request.user, obj)
    if role is None:
        raise PermissionDenied
    annotate_due([obj], today())
    history = [{"t": t, "from": label(flow.STATE_LABELS.get(t.from_state, ("", ""))),
                "to": label(flow.STATE_LABELS.get(t.to_state, (t.to_state,))),
                "action": label(flow.ACTION_LABELS.get(t.action) or HISTORY_LABELS.get(t.action, (t.action,)))}
               for t in selectors.item_history(obj)]
    actions = [{"code": a, "label": label(flow.ACTION_LABELS[a]), "needs_text": a in flow.NEEDS_TEXT,
                "files": a == flow.REQUEST} for a in flow.allowed_actions(obj.state, role) if a != flow.REOPEN]
    return render(request, "tracking/item.html", {
        "item": obj, "history": history, "actions": actions, "measures": selectors.item_measures(obj),
        "form": ActionForm(), "is_organizer": role == flow.ORGANIZER,
        "can_edit_measures": obj.state in flow.OPEN_STATES,
    })


@require_POST
@login_required
def item_measure(request, code):
    """Add a measure to an open item, or tick one done / not done (organizer or the responsible unit)."""
    obj = selectors.item_or_404(code)
    if policies.role(request.user, obj) is None:
        raise PermissionDenied
    if obj.state not in flow.OPEN_STATES:
        messages.error(request, _("已销号的事项不能再修改整改措施"))
        return redirect("tracking:item", code=code)
    try:
        if request.POST.get("measure"):
            measure = selectors.measure_or_404(obj, request.POST["measure"])
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
    obj = selectors.item_or_404(code)
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


# ---- the business-help import and the export --------------------------------------------------------

@organizer_required
def import_items(request):
    """Upload → the queue checks the file → preview with every problem → confirm → the queue checks it again
    and creates every item in one transaction; the page follows the queue with a progress bar."""
    pending = request.session.get(SESSION_KEY)
    if request.method == "POST" and request.POST.get("action") in ("confirm", "cancel") and pending:
        return _confirm(request, pending)
    form = ImportItemsForm(request.POST or None, request.FILES or None)
    key = request.GET.get("job")
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        path = queue.stash(upload.read())
        request.session[SESSION_KEY + "_upload"] = {"path": path, "name": upload.name,
                                                   "public": form.cleaned_data["public"]}
        key = queue.start(request.session, tasks.check_file, path, upload.name)
    response, value = follow_job(request, key, "tracking/import.html", {"form": ImportItemsForm()})
    if response is not None:
        return response
    if value is None:
        return render(request, "tracking/import.html", {"form": form})
    if value.get("step") == "written":
        return _written(request, value)
    upload_info = request.session.pop(SESSION_KEY + "_upload", None) or {}
    if value.get("failed") or value.get("refused"):
        zh, en = value.get("refused") or (FAILED_ZH, FAILED_EN)
        return render(request, "tracking/import.html", {"form": ImportItemsForm(),
                                                        "refusal": en if lang().startswith("en") else zh})
    problems = [Problem(**p) for p in value["problems"]]
    context = {"file_name": upload_info.get("name", ""), "record_count": value["records"],
               "problems": [{"where": p.where(lang()), "sheet": p.sheet, "row": p.row, "column": p.column,
                             "header": p.header, "message": p.message(lang())} for p in problems],
               "problem_count": value["problem_count"], "first_rows": value["first_rows"]}
    if not problems and upload_info:
        request.session[SESSION_KEY] = upload_info
    return render(request, "tracking/import_preview.html", context)


def _confirm(request, pending):
    del request.session[SESSION_KEY]
    if request.POST["action"] == "cancel":
        queue.take(pending["path"])
        return redirect("tracking:import_items")
    # checked again in the queue (the data may have changed since the preview), then written all or nothing
    key = queue.start(request.session, tasks.create_items, request.user.pk, pending["path"], pending["name"],
                      pending["public"], uuid.uuid4().hex[:12])
    response, value = follow_job(request, key, "tracking/import.html", {"form": ImportItemsForm()})
    return response if response is not None else _written(request, value)


def _written(request, value: dict):
    if value.get("failed") or value.get("refused"):
        zh, en = value.get("refused") or (FAILED_ZH, FAILED_EN)
        messages.error(request, en if lang().startswith("en") else zh)
        return redirect("tracking:import_items")
    if "problems" in value:
        messages.error(request, _("文件有问题，未写入任何数据，请重新上传"))
        return redirect("tracking:import_items")
    messages.success(request, _("已导入 %(n)d 个问题") % {"n": value["created"]})
    return redirect(f"{redirect('tracking:items').url}?source={Item.Source.BUSINESS_HELP}")


@data_editor_required
def export_items(request):
    _form, qs = filtered_items(request)
    return xlsx_response(io.items_xlsx(qs, with_contact=request.user.is_organizer), "items.xlsx")


# ---- evidence files -------------------------------------------------------------------------------
# Close-out photos and documents and follow-up review photos: each served only to those who may see the
# item it belongs to (leitai.uploads serves it safely).

def _attachment(request, pk: int):
    a = selectors.attachment_or_404(pk)
    if not policies.can_see_item_files(request.user, a.item):
        raise PermissionDenied
    return a


@require_GET
def attachment(request, pk: int):
    a = _attachment(request, pk)
    return uploads.file_response(a.file, a.name)


@require_GET
def attachment_thumb(request, pk: int):
    return uploads.thumbnail_response(_attachment(request, pk).file)
