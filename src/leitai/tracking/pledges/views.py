"""Pledge pages: the list (with the organizer's manual verdicts), the import (all or nothing, every bad cell
reported), the list's .xlsx export, and a verdict's evidence file."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from leitai import queue, uploads
from leitai.accounts.permissions import data_editor_required, organizer_required
from leitai.core.errors import LeitaiError
from leitai.lang import page_lang as lang

from .. import policies
from ..base.forms import ImportFileForm
from ..base.pages import follow_job, import_report, xlsx_response
from ..models import Pledge
from . import io, selectors, services, tasks
from .forms import PledgeVerdictForm


def filtered_pledges(request):
    """The pledges a user may see, filtered by ?unit=<code> and ?status=."""
    unit = request.GET.get("unit")
    status = request.GET.get("status")
    rows = selectors.visible_pledges(request.user, unit=unit,
                                     status=status if status in Pledge.Status.values else None)
    return rows, unit, status


@data_editor_required
def pledges(request):
    rows, unit, status = filtered_pledges(request)
    return render(request, "tracking/pledges.html", {
        "pledges": rows[:500], "form": PledgeVerdictForm(), "is_organizer": request.user.is_organizer,
        "statuses": Pledge.Status.choices, "status": status or "", "unit": unit or "",
        "units": policies.visible_units(request.user), "query": request.GET.urlencode(),
    })


@require_POST
@organizer_required
def pledge_verdict(request, pk):
    pledge = selectors.pledge_or_404(pk)
    form = PledgeVerdictForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.judge_pledge_manually(request.user, pledge, form.cleaned_data["status"],
                                           form.cleaned_data["note"], evidence=form.cleaned_data["evidence"])
        except LeitaiError as exc:
            messages.error(request, exc.message(lang()))
        else:
            messages.success(request, "✓")
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("tracking:pledges")


@data_editor_required
def export_pledges(request):
    return xlsx_response(io.pledges_xlsx(filtered_pledges(request)[0]), "pledges.xlsx")


@data_editor_required
def import_pledges(request):
    """Upload a pledge table: imported completely, or a report of every bad cell and nothing written.
    The organizer imports for any unit, a reporter for their own. The queue reads and writes the file; the
    page follows it."""
    form = ImportFileForm(request.POST or None, request.FILES or None)
    key = request.GET.get("job")
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        key = queue.start(request.session, tasks.import_file, request.user.pk, queue.stash(upload.read()), upload.name)
    response, report = follow_job(request, key, "tracking/pledges_import.html", {"form": ImportFileForm()})
    if response is not None:
        return response
    if report is not None and report.get("ok"):
        messages.success(request, _("已导入 %(n)d 项承诺") % {"n": report["created"]})
        return redirect("tracking:pledges")
    return render(request, "tracking/pledges_import.html", {"form": form, "report": import_report(report)})


@require_GET
def pledge_evidence(request, pk: int):
    """A public pledge's evidence is public with its verdict; otherwise the organizers and the unit's own."""
    p = selectors.pledge_or_404(pk)
    if not policies.can_see_pledge(request.user, p):
        raise PermissionDenied
    return uploads.file_response(p.verdict_evidence, f"pledge-{p.pk}-evidence")
