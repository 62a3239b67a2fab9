"""Ranking pages: the public board (成绩单), one ranking, publishing and the downloads."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from leitai.accounts.permissions import organizer_required
from leitai.core.errors import LeitaiError
from leitai.htmx import render_page_or_partial
from leitai.lang import page_lang

from . import bulletin, cuts, exports, selectors, selectors_references, services
from .forms import RankingCorrectionForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _table_context(request, ranking, base_params: dict) -> dict:
    """The board table for a ranking, with sort links that keep the other choices of the request."""
    g = request.GET
    table = selectors.board_table(ranking, kind=g.get("kind") or None, category=g.get("category") or None,
                                  sort=g.get("sort"), direction=g.get("dir"), open_groups=g.getlist("open"))
    keep = {**base_params, "kind": table["kind"], "category": table["category"]}
    keep = {k: v for k, v in keep.items() if v}
    opened = table["open_groups"]

    def link(key: str, default_dir: str = "desc") -> dict:
        if table["sort"] == key:
            direction = "asc" if table["dir"] == "desc" else "desc"
            arrow = "▲" if table["dir"] == "asc" else "▼"
        else:
            direction, arrow = default_dir, ""
        return {"url": "?" + urlencode({**keep, "sort": key, "dir": direction, "open": opened}, doseq=True),
                "arrow": arrow}

    def toggle(code: str) -> str:
        now = [c for c in opened if c != code] if code in opened else [*opened, code]
        return "?" + urlencode({**keep, "sort": table["sort"], "dir": table["dir"], "open": now}, doseq=True)

    table["sort_links"] = {
        "rank": link("rank", "asc"), "unit": link("unit", "asc"), "score": link("score"),
        "movement": link("movement"), "stars": link("stars"),
    }
    for col in table["groups"] + table["indicators"]:
        col["sort"] = link(col["code"])
    for col in table["layout"]:
        if col["kind"] == "group":
            col["sort"] = table["groups"][col["index"]]["sort"]
            col["toggle"] = toggle(col["code"])
    table["filter_params"] = {k: v for k, v in base_params.items() if v}
    return table


def _render_table(request, template: str, context: dict):
    """One view, two renderings: the whole page, or just the table when htmx asks for it."""
    return render_page_or_partial(request, template, "rankings/_board_table.html", context)


@require_GET
def board(request):
    """成绩单: the latest published ranking of a plan, or the plan and period asked for."""
    choice = selectors.board_choice(request.GET.get("plan"), request.GET.get("period"))
    context = {**choice, "table": None}
    ranking = choice["ranking"]
    if ranking is not None:
        base = {"plan": choice["plan"].code, "period": ranking.period.code}
        context["table"] = _table_context(request, ranking, base)
        context["references"] = selectors_references.reference_rows(context["table"])  # _reference.html
        context["period_labels"] = [(p.code, selectors.period_label(p)) for p in choice["periods"]]
    return _render_table(request, "rankings/board.html", context)


@require_GET
def detail(request, pk: int):
    """One ranking (drafts only for organizers) with its status, version and, for organizers, actions."""
    ranking = selectors.get_visible_ranking(request.user, pk)
    return _render_table(request, "rankings/detail.html", _detail_context(request, ranking))


def _detail_context(request, ranking, form=None) -> dict:
    organizer = request.user.is_authenticated and request.user.is_organizer
    if organizer and ranking.status == ranking.Status.PUBLISHED and form is None:
        form = RankingCorrectionForm(ranking=ranking)
    warnings = (selectors.publication_warnings(ranking, cuts.cuts_for(ranking))
                if organizer and ranking.status == ranking.Status.DRAFT else [])
    return {"ranking": ranking, "plan": ranking.plan_version.plan, "table": _table_context(request, ranking, {}),
            "is_organizer": organizer, "publish_warnings": warnings, "corrections": selectors.corrections_of(ranking),
            "correction_form": form if organizer and ranking.status == ranking.Status.PUBLISHED else None}


@organizer_required
@require_POST
def correct(request, pk: int):
    """更正 a published ranking's bonus/deduction for one unit: a new published ranking, the old one kept."""
    ranking = selectors.get_visible_ranking(request.user, pk)
    form = RankingCorrectionForm(request.POST, ranking=ranking)
    if form.is_valid():
        d = form.cleaned_data
        try:
            correction = services.correct_ranking(ranking, request.user, d["unit"], d["points"], d["reason"])
        except LeitaiError as e:
            form.add_error(None, e.message(page_lang()))
        else:
            messages.success(request, _("已更正并发布新的排名；被更正的排名仍可查看"))
            return redirect("rankings:detail", pk=correction.to_ranking_id)
    return render(request, "rankings/detail.html", _detail_context(request, ranking, form), status=400)


@organizer_required
@require_POST
def publish(request, pk: int):
    """Publish a draft; when a flag, a bonus/deduction or an award boundary falls among units the intervals
    cannot tell apart, only after the organizer ticked that they read the warning."""
    ranking = selectors.get_visible_ranking(request.user, pk)
    if (ranking.status == ranking.Status.DRAFT and not request.POST.get("confirm")
            and selectors.publication_warnings(ranking, cuts.cuts_for(ranking))):
        messages.error(request, _("发布前请阅读“发布前提示”，勾选确认后再发布"))
        return redirect("rankings:detail", pk=ranking.pk)
    try:
        services.publish_ranking(ranking, user=request.user)
        messages.success(request, _("已发布：%(ranking)s") % {"ranking": ranking})
    except LeitaiError as e:
        messages.error(request, e.message(page_lang()))
    return redirect("rankings:detail", pk=ranking.pk)


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def export_zip(request, pk: int):
    """The recompute bundle: anyone who may see a ranking may check it (drafts stay with organizers)."""
    ranking = selectors.get_visible_ranking(request.user, pk)
    return _download(exports.bundle_zip(ranking), "application/zip", exports.bundle_name(ranking, "zip"))


@organizer_required
@require_GET
def bulletin_xlsx(request, pk: int):
    ranking = selectors.get_visible_ranking(request.user, pk)
    return _download(bulletin.bulletin_xlsx(ranking), XLSX, exports.bundle_name(ranking, "xlsx"))


@organizer_required
@require_GET
def bulletin_docx(request, pk: int):
    ranking = selectors.get_visible_ranking(request.user, pk)
    return _download(bulletin.bulletin_docx(ranking), DOCX, exports.bundle_name(ranking, "docx"))
