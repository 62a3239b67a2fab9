"""The results page of an arena (public once published; the organizer may look from the first reveal on)
and the export bundle that lets anyone recompute the published result."""

from __future__ import annotations

import io
import zipfile

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from leitai.accounts.permissions import organizer_required
from leitai.arena.base.models import Arena
from leitai.arena.base.pages import msg
from leitai.arena.base.policies import is_organizer, may_see_results
from leitai.arena.base.selectors import get_arena
from leitai.arena.day.views_console import console_response
from leitai.arena.results import selectors, services
from leitai.core.errors import LeitaiError


@require_GET
def results(request, pk: int):
    """擂台赛结果: ranks, scores per group, ledger points, the chart, the records and pledges, the rules."""
    arena = get_arena(pk)
    if not may_see_results(request.user, arena):
        raise Http404
    return render(request, "arena/results.html",
                  {**selectors.results_state(arena), "is_organizer": is_organizer(request.user)})


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
        services.publish_results(arena, request.user)
    except LeitaiError as e:
        return console_response(request, arena, msg(e))
    return console_response(request, arena)
