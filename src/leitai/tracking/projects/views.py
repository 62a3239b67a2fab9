"""Key-project pages: the status board, a unit's battle map (挂图作战), a project's detail and the import."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leitai import queue
from leitai.accounts.permissions import can_edit_unit_data, data_editor_required, organizer_required
from leitai.core.errors import LeitaiError
from leitai.lang import page_lang as _lang

from ..base.pages import follow_job, import_report, xlsx_response
from ..base.selectors import unit_or_404
from . import io, selectors, services, tasks
from .forms import ImportForm, ProjectForm


def _today(request) -> dt.date:
    """Today, or ?today=YYYY-MM-DD to look at the board as of another day."""
    try:
        return dt.date.fromisoformat(request.GET.get("today", ""))
    except ValueError:
        return dt.date.today()


@data_editor_required
def projects(request):
    """The status board: per unit counts by stage, start rate and schedule colours; filter by unit and batch."""
    unit, batch = request.GET.get("unit", ""), request.GET.get("batch", "")
    today = _today(request)
    context = {"board": selectors.board(today, unit=unit, batch=batch), "today": today, "unit": unit, "batch": batch,
               "all_units": selectors.units_with_projects()}
    if request.user.is_organizer:
        context["arenas"] = selectors.recent_arenas()
    return render(request, "tracking/projects_board.html", context)


@require_POST
@organizer_required
def show_at_arena(request):
    """The board's form: show a batch at an arena (or take it off with no arena chosen)."""
    arena = selectors.arena_by_id(request.POST.get("arena", ""))
    batch = request.POST.get("batch", "")
    try:
        moved = services.show_at_arena(request.user, batch, arena)
    except LeitaiError as exc:
        messages.error(request, exc.message(_lang()))
    else:
        if arena is not None:
            messages.success(request, _("批次“%(batch)s”的 %(n)d 个项目将在“%(arena)s”亮相")
                             % {"batch": batch, "n": moved, "arena": arena.name})
        else:
            messages.success(request, _("批次“%(batch)s”已不在任何擂台赛亮相") % {"batch": batch})
    return redirect(f"{redirect('tracking:projects').url}?batch={batch}")


@data_editor_required
def export_projects(request):
    """The board's projects (same unit and batch filters) as .xlsx, in the import's columns."""
    unit, batch = request.GET.get("unit", ""), request.GET.get("batch", "")
    projects = selectors.board(_today(request), unit=unit, batch=batch)["projects"]
    return xlsx_response(io.projects_xlsx(projects), "key-projects.xlsx")


@data_editor_required
def battle_map(request, code):
    """One unit's battle map: a Gantt of planned and actual stages coloured by slip, and the table."""
    unit = unit_or_404(code)
    today = _today(request)
    return render(request, "tracking/projects_battle_map.html",
                  {"unit": unit, "today": today, "gantt": selectors.battle_map(unit, today)})


@data_editor_required
def project(request, code):
    """A project's detail, its change history and (for who may edit) the progress form."""
    item = selectors.project_or_404(code)
    editable = can_edit_unit_data(request.user, item.unit) and not item.closed
    form = ProjectForm(instance=item, organizer=request.user.is_organizer) if editable else None
    if request.method == "POST":
        if request.POST.get("action") == "close":
            try:
                services.close_project(request.user, item)
            except LeitaiError as exc:
                messages.error(request, exc.message(_lang()))
            else:
                messages.success(request, _("项目已销号"))
            return redirect("tracking:project", code=item.code)
        if not editable:
            raise PermissionDenied
        original = selectors.project_or_404(item.code)
        form = ProjectForm(request.POST, instance=item, organizer=request.user.is_organizer)
        if form.is_valid():
            changes = {f: form.cleaned_data[f] for f in form.fields}
            try:
                services.update_project(request.user, original, **changes)
            except LeitaiError as exc:
                form.add_error(None, exc.message(_lang()))
            else:
                messages.success(request, _("已保存"))
                return redirect("tracking:project", code=item.code)
        item = original
    item.colour = selectors.schedule_colour(item, dt.date.today())
    return render(request, "tracking/projects_detail.html",
                  {"project": item, "form": form, "changes": selectors.project_changes(item)})


@organizer_required
def import_projects(request):
    """Upload a project table: imported completely, or a report of every bad cell and nothing written. The
    queue reads and writes the file; the page follows it."""
    form = ImportForm(request.POST or None, request.FILES or None)
    key = request.GET.get("job")
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        key = queue.start(request.session, tasks.import_file, request.user.pk, queue.stash(upload.read()), upload.name)
    response, report = follow_job(request, key, "tracking/projects_import.html", {"form": ImportForm()})
    if response is not None:
        return response
    if report is not None and report.get("ok"):
        messages.success(request, _("已导入 %(n)d 个项目") % {"n": report["created"]})
        return redirect("tracking:projects")
    return render(request, "tracking/projects_import.html", {"form": form, "report": import_report(report)})
