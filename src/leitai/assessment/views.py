"""考绩 pages: schemes (organizers), the assessment board (public once published), a unit's traced points,
the export bundle and the bulletins. Reads in selectors, writes in services."""

from __future__ import annotations

import io
import zipfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leitai.accounts.permissions import organizer_required
from leitai.core.errors import LeitaiError
from leitai.indicators.services import ensure_period
from leitai.lang import page_lang as _lang

from . import bulletin, selectors, services
from .forms import SchemeForm
from .models import Assessment, Scheme


def _windows(year: int) -> list[tuple[str, str]]:
    from leitai.core.periods import label

    codes = [f"{year}Q{q}" for q in range(1, 5)] + [str(year)]
    return [(c, label(c, lang=_lang())) for c in codes]


def index(request):
    """The published assessments for everyone; the schemes and drafts for the organizers."""
    is_organizer = request.user.is_authenticated and request.user.is_organizer
    assessments = list(selectors.visible_assessments(request.user, light=True).defer("result"))
    schemes = list(Scheme.objects.select_related("plan")) if is_organizer else []
    for s in schemes:
        s.windows = _windows(s.year)
    return render(request, "assessment/index.html", {"assessments": assessments, "schemes": schemes,
                                                     "is_organizer": is_organizer})


@organizer_required
def scheme_edit(request, pk: int | None = None):
    scheme = get_object_or_404(Scheme, pk=pk) if pk else None
    if request.method == "POST":
        form = SchemeForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                scheme = services.save_scheme(request.user, name=d["name"], plan=d["plan"], year=d["year"],
                                              spec=d["spec"], note=d["note"], scheme=scheme)
            except LeitaiError as e:
                form.add_error(None, e.message(_lang()))
            else:
                messages.success(request, _("考绩办法已保存。"))
                return redirect("assessment:index")
    else:
        form = SchemeForm(initial=SchemeForm.initial_from(scheme) if scheme else None)
    sections = [
        (_("基本信息"), "name plan year note", ""),
        (_("月度排名与加减分"), "rank_mode rank_points rank_weight arena_on arena_weight other_on other_weight",
         _("名次赋分：各月名次按赋分表换算为分数后取平均，规则与 leitai points tally 相同；擂台赛按名次写入台账的加减分计入所在季度和年度。")),
        (_("承诺、整改与回头看（得分 = 满分 × 比率）"), "pledge_max items_max items_per_late reviews_max",
         _("没有可计事项的单位得满分。整改事项按期限落在考核期间内计：按期限或之前销号为按时，逾期销号或逾期未销号为逾期。")),
        (_("下属单位计入"), "rollup_kinds rollup_weight", _("如把乡镇街道的考绩平均分按权重计入所属县市区。")),
        (_("表彰"), " ".join(form.award_fields),
         _("按规则评定或经批准的单位表彰，在表彰日期所在的季度和年度计入；撤销的表彰不计。表彰类别在“表彰”页设置。")),
        (_("等次"), "excellent_share excellent_min good_share poor_below poor_last",
         _("同分的单位等次相同：并列跨过比例上限时，整组不进入该等次。")),
    ]
    return render(request, "assessment/scheme_form.html", {
        "form": form, "scheme": scheme,
        "sections": [{"title": t, "fields": [form[n] for n in names.split()], "help": h} for t, names, h in sections
                     if names],
                                                           "changes": scheme.changes.select_related("by_user") if scheme else []})


@require_POST
@organizer_required
def compute(request, pk: int):
    scheme = get_object_or_404(Scheme, pk=pk)
    code = request.POST.get("period", "")
    if code not in dict(_windows(scheme.year)):
        messages.error(request, _("请选择季度或年度"))
        return redirect("assessment:index")
    try:
        a = services.compute(request.user, scheme, ensure_period(code))
    except LeitaiError as e:
        messages.error(request, e.message(_lang()))
        return redirect("assessment:index")
    messages.success(request, _("已计算考绩草稿，核对后发布。"))
    return redirect("assessment:board", a.pk)


def _get(request, pk: int) -> Assessment:
    a = get_object_or_404(Assessment.objects.select_related("scheme__plan", "period", "published_by"), pk=pk)
    if a.status == Assessment.Status.DRAFT and not (request.user.is_authenticated and request.user.is_organizer):
        raise Http404
    return a


def _component_names(a: Assessment) -> list[dict]:
    """The scheme's components with the name to show: the scheme's own (Chinese) name, or on English pages
    the English name of its kind (the scheme's names are the office's words, not translated data)."""
    from leitai.core.tracking.assessment import KIND_LABELS

    en = _lang().startswith("en")
    ledger_en = {"arena": "Arena points", "other": "Other bonus and deductions", "all": "Bonus and deductions"}
    out = []
    for c in a.inputs["scheme"]["components"]:
        name = c.get("name") or KIND_LABELS[c["kind"]][0]
        if en:
            name = ledger_en[c.get("source", "all")] if c["kind"] == "ledger" else KIND_LABELS[c["kind"]][1]
        out.append({**c, "name": name})
    return out


def _title(a: Assessment) -> str:
    from leitai.core.periods import label

    return f"{a.scheme.name} · {label(a.period.code, lang=_lang())}"


def board(request, pk: int):
    a = _get(request, pk)
    comps = _component_names(a)
    rows = a.result.get("rows", [])
    for r in rows:
        r["grade_label"] = services.grade_label(r["grade"], _lang())
        r["component_list"] = [r["components"].get(c["code"]) for c in comps]
    versions = Assessment.objects.filter(scheme=a.scheme, period=a.period).order_by("version")
    return render(request, "assessment/board.html", {
        "a": a, "title": _title(a), "rows": rows, "components": comps, "has_rollup": any(r["rollup"] is not None for r in rows),
        "is_organizer": request.user.is_authenticated and request.user.is_organizer, "versions": versions,
        "chart": {"units": [r["name"] for r in rows], "totals": [r["total"] for r in rows]},
        "grade_counts": [(services.grade_label(g, _lang()), sum(1 for r in rows if r["grade"] == g))
                         for g in ("excellent", "good", "fair", "poor")],
    })


def unit(request, pk: int, code: str):
    """Every point of one unit's total with its source, linked."""
    a = _get(request, pk)
    row = next((r for r in a.result.get("rows", []) if r["unit"] == code), None)
    if row is None:
        raise Http404
    en = _lang().startswith("en")
    names = {c["code"]: c["name"] for c in _component_names(a)}
    names["rollup"] = _("下属单位")
    groups: dict[str, dict] = {}
    for ln in row["lines"]:
        g = groups.setdefault(ln["component"], {"name": names.get(ln["component"], ln["component"]), "lines": [],
                                                "points": row["components"].get(ln["component"], row["rollup"])})
        g["lines"].append({"text": ln["en"] if en else ln["zh"], "points": ln["points"],
                           "link": selectors.ref_link(ln["ref"], code)})
    return render(request, "assessment/unit.html", {"a": a, "title": _title(a), "row": row, "groups": list(groups.values()),
                                                    "grade_label": services.grade_label(row["grade"], _lang())})


@require_POST
@organizer_required
def publish(request, pk: int):
    a = get_object_or_404(Assessment, pk=pk)
    try:
        services.publish(request.user, a)
    except LeitaiError as e:
        messages.error(request, e.message(_lang()))
    else:
        messages.success(request, _("考绩已发布，今后不再改变；如需更正请写明理由另发新版本。"))
    return redirect("assessment:board", a.pk)


@require_POST
@organizer_required
def correct(request, pk: int):
    a = get_object_or_404(Assessment, pk=pk)
    try:
        new = services.correct(request.user, a, request.POST.get("reason", ""))
    except LeitaiError as e:
        messages.error(request, e.message(_lang()))
        return redirect("assessment:board", a.pk)
    messages.success(request, _("已生成更正版本（草稿），核对后发布。"))
    return redirect("assessment:board", new.pk)


def export_zip(request, pk: int):
    a = _get(request, pk)
    try:
        files = services.export_bundle(a)
    except LeitaiError:
        raise Http404
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="assessment-{a.pk}.zip"'
    return response


def bulletin_xlsx(request, pk: int):
    a = _get(request, pk)
    if a.status == Assessment.Status.DRAFT and not request.user.is_organizer:
        raise PermissionDenied
    response = HttpResponse(bulletin.xlsx(a, _lang()),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="assessment-{a.pk}.xlsx"'
    return response


def bulletin_docx(request, pk: int):
    a = _get(request, pk)
    response = HttpResponse(bulletin.docx(a, _lang()),
                            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = f'attachment; filename="assessment-{a.pk}.docx"'
    return response


def unit_history(request, code: str):
    """The unit's assessment page: its total, rank and grade in every published (or, for organizers, draft)
    assessment, each linked to the traced points."""
    from leitai.units.models import Unit

    unit_obj = get_object_or_404(Unit, code=code)
    rows = []
    for a in selectors.visible_assessments(request.user, light=True):
        row = next((r for r in a.result.get("rows", []) if r["unit"] == code), None)
        if row is not None:
            rows.append({"a": a, "row": row, "grade_label": services.grade_label(row["grade"], _lang()),
                         "of": len(a.result.get("rows", []))})
    return render(request, "assessment/unit_history.html", {"unit": unit_obj, "rows": rows})
