"""Data pages: import (upload → checked in the queue → preview → confirm → written in the queue, a progress bar
following the queue), import history, template download, data entry, history."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect, HttpResponseClientRefresh

from leitai.accounts.permissions import can_edit_unit_data, data_editor_required
from leitai.core import periods
from leitai.core.errors import LeitaiError
from leitai.lang import page_lang as _lang
from leitai.units.models import Unit

from . import references, selectors, services, tasks
from .forms import EntryForm, ImportForm, ReferenceForm, TemplateForm
from .models import ImportBatch, Observation, Period


@data_editor_required
def import_upload(request):
    """Upload a file; the preview page follows (htmx posts it with an upload progress bar)."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.start_import(upload.read(), upload.name, request.user, form.cleaned_data["period"],
                                          form.cleaned_data["shape"] or None)
        except LeitaiError as exc:
            form.add_error("file", exc.message(_lang()))
        else:
            tasks.check(batch.pk)  # read and validated by the queue's worker; the preview page follows it
            url = reverse("indicators:import_preview", args=[batch.pk])
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    context = {
        "form": form,
        "template_form": TemplateForm(initial={"kind": "county"}),
        "recent": selectors.batches_for(request.user)[:5],
    }
    return render(request, "indicators/import.html", context)


def _own_batch(request, pk) -> ImportBatch:
    batch = get_object_or_404(ImportBatch.objects.select_related("created_by", "period"), pk=pk)
    if not (request.user.is_organizer or batch.created_by_id == request.user.pk):
        raise PermissionDenied
    return batch


@data_editor_required
def import_preview(request, pk):
    """The validation report, or a summary with Confirm and Cancel; while the queue checks or writes the
    file, a progress bar that follows it."""
    batch = _own_batch(request, pk)
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            services.cancel_import(batch, request.user)
            messages.info(request, _("已取消导入，未写入任何数据。"))
            return redirect("indicators:import")
        try:
            batch = services.request_commit(batch, request.user)
        except LeitaiError as exc:
            messages.error(request, exc.message(_lang()))
            return redirect("indicators:import_preview", pk=batch.pk)
        tasks.commit(batch.pk)  # written by the queue's worker, whole or not at all
        return redirect("indicators:import_preview", pk=batch.pk)
    context = {"batch": batch, "report": batch.report, "problems": selectors.report_problems(batch, _lang()),
               "running": selectors.import_progress(batch)}
    if batch.status == ImportBatch.Status.COMMITTED:
        context["done"] = _("导入成功：新增 %(new)d 个数值，修改 %(changed)d 个数值。") % {
            "new": batch.created_count, "changed": batch.changed_count}
    return render(request, "indicators/import_preview.html", context)


@data_editor_required
def import_progress(request, pk):
    """The progress bar of a batch the queue is checking or writing (htmx polls it); once done, the page
    reloads to show the result."""
    batch = _own_batch(request, pk)
    running = selectors.import_progress(batch)
    if running is None:
        return HttpResponseClientRefresh() if request.htmx else redirect("indicators:import_preview", pk=batch.pk)
    return render(request, "indicators/_import_progress.html", {"batch": batch, "running": running})


@data_editor_required
def batches(request):
    """The history of imports."""
    return render(request, "indicators/batches.html", {"batches": selectors.batches_for(request.user)[:200]})


@data_editor_required
def template(request):
    """A wide .xlsx for a period and a kind of unit: rows are the units, columns the indicators."""
    form = TemplateForm(request.GET)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect("indicators:import")
    period, kind = form.cleaned_data["period"], form.cleaned_data["kind"]
    data, file_name = selectors.wide_template_for(request.user, period, kind)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, file_name)
    return response


@data_editor_required
def entry(request):
    """A reporter enters their units' values for a period; an organizer picks any unit."""
    allowed = selectors.editable_units(request.user)
    period_list = selectors.periods_for_entry()
    code = request.GET.get("period") or (period_list[0].code if period_list else "")
    period = None
    if code:
        try:
            period = Period.objects.filter(code=periods.parse(code).code).first()
        except LeitaiError:
            period = None
    unit = request.user.unit if request.user.is_reporter else None
    if request.GET.get("unit"):
        unit = get_object_or_404(Unit, code=request.GET["unit"])
    elif unit is None and allowed:
        unit = next((u for u in allowed if u.kind != "city"), allowed[0])
    if unit is not None and not can_edit_unit_data(request.user, unit):
        raise PermissionDenied
    if request.user.is_organizer:
        units = [unit] if unit else []  # one unit at a time: the city's whole tree would be one huge form
    else:
        allowed_ids = {u.pk for u in allowed}
        units = [u for u in selectors.subtree(unit) if u.pk in allowed_ids]
    grid = selectors.entry_grid(units, period) if period else []
    form = EntryForm(grid, request.POST or None)
    if request.method == "POST" and period is not None and form.is_valid():
        try:
            count = services.save_entry(request.user, period, form.changes)
        except LeitaiError as exc:
            messages.error(request, exc.message(_lang()))
        else:
            messages.success(request, _("已保存 %(n)d 个数值。") % {"n": count})
            return redirect(request.get_full_path())
    context = {"form": form, "rows": form.rows(), "period": period, "periods": period_list, "unit": unit,
               "units": allowed if request.user.is_organizer else [], "has_errors": bool(form.errors)}
    return render(request, "indicators/entry.html", context)


@data_editor_required
def history(request, pk):
    """Every change to one value: who, when, old → new, from where."""
    obs = get_object_or_404(Observation.objects.select_related("unit", "indicator", "period"), pk=pk)
    if not can_edit_unit_data(request.user, obs.unit):
        raise PermissionDenied
    return render(request, "indicators/history.html", {"obs": obs, "revisions": selectors.revisions(obs)})


@data_editor_required
def reference_list(request):
    """参照数据: the province's averages, provincial ranks and outside peers' figures, filtered by indicator,
    period and kind; the organizer adds one by hand here (or imports a file on the import page)."""
    code, period, kind = (request.GET.get(k) or None for k in ("indicator", "period", "kind"))
    try:
        rows = selectors.references(indicator=code, period=period, kind=kind)
    except LeitaiError as exc:
        messages.error(request, exc.message(_lang()))
        rows = selectors.references()
    form = ReferenceForm(request.POST or None) if request.user.is_organizer else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                references.set_reference(request.user, kind=data["kind"], indicator=data["indicator"],
                                         period=data["period"], value=data["value"] or None, rank=data["rank"],
                                         total=data["total"], unit=data["unit"], peer=data["peer"])
            except LeitaiError as exc:
                form.add_error(None, exc.message(_lang()))
            else:
                messages.success(request, _("已保存参照数据。"))
                return redirect(request.get_full_path())
    return render(request, "indicators/references.html", {
        "rows": rows[:1000], "form": form, "indicators": selectors.active_indicators(), "peers": selectors.peers(),
        "filters": {"indicator": code or "", "period": period or "", "kind": kind or ""},
        "query": request.GET.urlencode()})


@data_editor_required
def reference_export(request):
    """The listed reference figures as .xlsx, in the import's columns (so the file imports back)."""
    code, period, kind = (request.GET.get(k) or None for k in ("indicator", "period", "kind"))
    try:
        rows = selectors.references(indicator=code, period=period, kind=kind)
    except LeitaiError:
        rows = selectors.references()
    response = HttpResponse(selectors.references_xlsx(rows),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, "参照数据.xlsx")
    return response


@data_editor_required
def reference_history(request, pk):
    """Every change to one reference figure."""
    ref = selectors.reference_or_none(pk)
    if ref is None:
        raise Http404
    return render(request, "indicators/reference_history.html",
                  {"ref": ref, "revisions": selectors.reference_revisions(ref)})
