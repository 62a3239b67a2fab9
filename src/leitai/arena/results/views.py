"""The results page of an arena (public once published; the organizer may look from the first reveal on)
and the export bundle that lets anyone recompute the published result."""

from __future__ import annotations

import io
import zipfile

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from leitai.accounts.permissions import organizer_required
from leitai.arena.base.models import Arena
from leitai.arena.base.pages import msg
from leitai.arena.base.policies import is_organizer, may_see_results, may_watch
from leitai.arena.base.selectors import get_arena
from leitai.arena.day.views_console import console_response
from leitai.arena.results import corrections, minutes, receipts, selectors, services
from leitai.arena.results.audit import audit_state
from leitai.arena.results.forms import CorrectionForm
from leitai.core.errors import LeitaiError


def _version(request) -> int | None:
    try:
        return int(request.GET.get("version", ""))
    except ValueError:
        return None


def _results_page(request, arena, form=None, status: int = 200):
    state = selectors.results_state(arena, _version(request))
    organizer = is_organizer(request.user)
    if organizer and state["published"] and form is None:
        form = CorrectionForm(rows=state["versions"][-1]["rows"])
    # The judges' audit, anonymised (评委A…), once published (score mode): results/audit.py.
    public_audit = audit_state(arena, named=False) if state["published"] and not state["ranking"] else None
    return render(request, "arena/results.html", {**state, "is_organizer": organizer, "public_audit": public_audit,
                                                  "correction_form": form if organizer else None,
                                                  "chain": receipts.chain_head(arena)}, status=status)


@require_GET
def results(request, pk: int):
    """擂台赛结果: ranks, scores per group, ledger points, the chart, the records and pledges, the rules; every
    published version (?version=N shows an earlier one) and, for the organizer, the correction form."""
    arena = get_arena(pk)
    if not may_see_results(request.user, arena):
        if not may_watch(arena, request.user):
            raise Http404
        # Not out yet (the organizer before the first reveal, the public before publication): say so.
        return render(request, "arena/results_pending.html", {"arena": arena, "is_organizer": is_organizer(request.user)})
    return _results_page(request, arena)


@organizer_required
@require_POST
def correct(request, pk: int):
    """更正: a published arena's ledger points for one unit, with the reason; a new version, the old kept."""
    arena = get_arena(pk)
    if arena.status != Arena.Status.PUBLISHED:
        raise Http404
    form = CorrectionForm(request.POST, rows=corrections.current_rows(arena))
    if form.is_valid():
        d = form.cleaned_data
        try:
            correction = corrections.correct_points(arena, request.user, d["unit"], d["points"], d["reason"])
        except LeitaiError as e:
            form.add_error(None, msg(e))
        else:
            messages.success(request, _("已更正，生成第 %(n)s 版结果；之前的版本仍可查看") % {"n": correction.version})
            return redirect("arena:results", pk=arena.pk)
    return _results_page(request, arena, form, status=400)


@require_GET
def export_zip(request, pk: int):
    """scores.csv, rubric.json, result.csv and README.txt: `leitai arena tally` on them gives result.csv."""
    arena = get_arena(pk)
    if arena.status != Arena.Status.PUBLISHED:
        raise Http404
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in services.export_arena(arena).items():
            zf.writestr(name, content)
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="arena-{arena.pk}.zip"'
    return response


@organizer_required
@require_POST
def publish(request, pk: int):
    """Publish the results: scores, ranks and the bonus points in the annual assessment (once)."""
    arena = get_arena(pk)
    try:
        services.publish_results(arena, request.user, override_reason=request.POST.get("override_reason", ""))
    except LeitaiError as e:
        return console_response(request, arena, msg(e))
    return console_response(request, arena)


def _minutes(request, pk: int, build, content_type: str, ext: str):
    arena = get_arena(pk)
    if arena.status != Arena.Status.PUBLISHED:
        if not may_watch(arena, request.user):
            raise Http404
        return render(request, "arena/minutes_unavailable.html",
                      {"arena": arena, "is_organizer": is_organizer(request.user)}, status=409)
    if not may_see_results(request.user, arena):
        raise Http404
    response = HttpResponse(build(arena), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{minutes.file_name(arena, ext)}"'
    return response


@require_GET
def minutes_docx(request, pk: int):
    """纪要 (.docx) of a published arena: whoever may see its results; before publication a page saying so."""
    return _minutes(request, pk, minutes.minutes_docx, minutes.DOCX, "docx")


@require_GET
def minutes_pdf(request, pk: int):
    """纪要 (PDF) of a published arena: whoever may see its results; before publication a page saying so."""
    return _minutes(request, pk, minutes.minutes_pdf, "application/pdf", "pdf")
