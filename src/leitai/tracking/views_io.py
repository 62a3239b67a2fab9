"""Import of business-help workbooks (upload → preview with a problem report → confirm, all or nothing) and
.xlsx exports of the item and pledge lists."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from leitai.accounts.permissions import data_editor_required, organizer_required
from leitai.core import tracking as flow
from leitai.core.errors import LeitaiError
from leitai.core.tabular import clean_name
from leitai.indicators.readers import read_sheets
from leitai.units.models import Unit

from . import io, services
from .forms import ImportItemsForm
from .models import Item
from .views_items import filtered_items, lang, today
from .views_public import filtered_pledges

SESSION_KEY = "tracking_import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def unit_lookup() -> dict[str, str]:
    """Cleaned code, name and short name → unit code (codes win over names, names over short names)."""
    out: dict[str, str] = {}
    units = list(Unit.objects.filter(active=True).values_list("code", "name", "short_name"))
    for position in range(3):
        for row in units:
            if row[position] and clean_name(row[position]) not in out:
                out[clean_name(row[position])] = row[0]
    return out


def parse_file(data: bytes, file_name: str) -> io.ParsedItems:
    existing = set(Item.objects.exclude(state=flow.CLOSED).values_list("unit__code", "title"))
    return io.parse_items(read_sheets(data, file_name), unit_lookup(), today(), existing)


def create_all(user, records: list[dict], public: bool, batch: str) -> list[Item]:
    """Every record becomes an item in ONE transaction: one failure and nothing is written."""
    units = {u.code: u for u in Unit.objects.filter(code__in={r["unit"] for r in records})}
    created = []
    with transaction.atomic():
        for r in records:
            fields = {k: v for k, v in r.items() if k not in ("row", "unit")}
            item = services.create_item(user, unit=units[r["unit"]], source=Item.Source.BUSINESS_HELP,
                                        public=public, **fields)
            created.append(item)
        Item.objects.filter(pk__in=[i.pk for i in created]).update(import_batch=batch)
    return created


@organizer_required
def import_items(request):
    pending = request.session.get(SESSION_KEY)
    if request.method == "POST" and request.POST.get("action") in ("confirm", "cancel") and pending:
        return _confirm(request, pending)
    form = ImportItemsForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            parsed = parse_file(data, upload.name)
        except LeitaiError as exc:
            form.add_error("file", exc.message(lang()))
            return render(request, "tracking/import.html", context)
        context.update(file_name=upload.name, parsed=parsed,
                       problems=[{"where": p.where(lang()), "sheet": p.sheet, "row": p.row, "column": p.column,
                                  "header": p.header, "message": p.message(lang())} for p in parsed.problems[:500]],
                       problem_count=len(parsed.problems), first_rows=parsed.records[:20])
        if parsed.ok:
            stored = default_storage.save(f"tracking/imports/{uuid.uuid4().hex}.bin", ContentFile(data))
            request.session[SESSION_KEY] = {"path": stored, "name": upload.name, "public": form.cleaned_data["public"]}
        return render(request, "tracking/import_preview.html", context)
    return render(request, "tracking/import.html", context)


def _confirm(request, pending):
    del request.session[SESSION_KEY]
    with default_storage.open(pending["path"]) as fh:
        data = fh.read()
    default_storage.delete(pending["path"])
    if request.POST["action"] == "cancel":
        return redirect("tracking:import_items")
    parsed = parse_file(data, pending["name"])  # checked again: the data may have changed since the preview
    if not parsed.ok:
        messages.error(request, _("文件有问题，未写入任何数据，请重新上传"))
        return redirect("tracking:import_items")
    batch = uuid.uuid4().hex[:12]
    try:
        created = create_all(request.user, parsed.records, pending["public"], batch)
    except LeitaiError as exc:
        messages.error(request, exc.message(lang()))
        return redirect("tracking:import_items")
    messages.success(request, _("已导入 %(n)d 个问题") % {"n": len(created)})
    return redirect(f"{redirect('tracking:items').url}?source={Item.Source.BUSINESS_HELP}")


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


@data_editor_required
def export_items(request):
    _form, qs = filtered_items(request)
    return _xlsx(io.items_xlsx(qs, with_contact=request.user.is_organizer), "items.xlsx")


@data_editor_required
def export_pledges(request):
    return _xlsx(io.pledges_xlsx(filtered_pledges(request)[0]), "pledges.xlsx")


@data_editor_required
def import_pledges(request):
    """Upload a pledge table: imported completely, or a report of every bad cell and nothing written.
    The organizer imports for any unit, a reporter for their own."""
    from .forms import ImportFileForm
    from .services_pledge_import import import_pledges as run_import

    form = ImportFileForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = run_import(request.user, upload.read(), upload.name)
        if report["ok"]:
            messages.success(request, _("已导入 %(n)d 项承诺") % {"n": len(report["created"])})
            return redirect("tracking:pledges")
        report["rows"] = [{"where": p.where(lang()), "message": p.message(lang())} for p in report["problems"][:500]]
    return render(request, "tracking/pledges_import.html", {"form": form, "report": report})
