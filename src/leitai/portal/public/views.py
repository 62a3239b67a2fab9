"""The public portal's pages: the home for visitors, the unit chooser and a unit's public page, the press
releases (public once published; the organizer drafts, previews, publishes and corrects them)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leitai.accounts.permissions import organizer_required
from leitai.core.errors import LeitaiError
from leitai.lang import page_lang

from . import document, selectors, services
from .forms import ReleaseForm
from .models import PressRelease


def home(request):
    return render(request, "public/home.html", selectors.home())


def units(request):
    query = request.GET.get("q", "").strip()[:50]
    groups = selectors.unit_choices(query)
    return render(request, "public/units.html", {"groups": groups, "q": query,
                                                 "count": sum(len(g["units"]) for g in groups)})


def unit(request, code):
    unit = selectors.unit_or_404(code)
    return render(request, "public/unit.html", selectors.unit_page(unit, request.user))


def releases(request):
    return render(request, "public/releases.html", {"releases": selectors.releases_for(request.user)})


def release(request, pk):
    item = selectors.release_for(request.user, pk)
    return render(request, "public/release.html", {
        "release": item, "table": selectors.shown_table(item.table), "corrected_by": selectors.correction_of(item),
        "Status": PressRelease.Status})


def release_docx(request, pk):
    item = selectors.release_for(request.user, pk)
    response = HttpResponse(document.release_docx(item), content_type=(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
    response["Content-Disposition"] = f'attachment; filename="press-release-{item.pk}-v{item.version}.docx"'
    return response


def _initial(item: PressRelease | None) -> dict:
    if item is None:
        return {}
    initial = {"ranking": item.ranking_id, "title": item.title, "office": item.office, "reason": item.reason}
    initial.update({f"order_{code}": n for n, code in enumerate(item.indicators, 1)})
    return initial


def _save(request, form, save):
    """Run `save(data)` for a valid form; a refusal becomes the form's error."""
    if request.method == "POST" and request.POST.get("action") != "source" and form.is_valid():
        data = form.cleaned_data
        try:
            item = save(data)
        except LeitaiError as exc:
            form.add_error(None, exc.message(page_lang()))
        else:
            messages.success(request, _("草稿已保存，请预览后发布。"))
            return redirect("public:release", pk=item.pk)
    return None


def _form(request, initial: dict, correction: bool = False) -> ReleaseForm:
    if request.method == "POST" and request.POST.get("action") == "source":
        # Another source chosen: its indicators, what was typed kept, nothing validated yet.
        kept = {k: request.POST.get(k, "") for k in ("ranking", "title", "office", "reason")}
        return ReleaseForm(initial={**initial, **kept}, correction=correction)
    if request.method == "POST":
        return ReleaseForm(request.POST, correction=correction, initial=initial)
    if request.GET.get("ranking"):
        initial = {**initial, "ranking": request.GET["ranking"]}
    return ReleaseForm(initial=initial, correction=correction)


@organizer_required
def release_new(request):
    form = _form(request, {"title": "", "office": selectors.default_office()})
    if not request.GET.get("ranking") and request.method != "POST" and form.source is not None:
        form.initial["title"] = selectors.default_title(form.source)
    done = _save(request, form, lambda d: services.create_draft(
        request.user, ranking=d["ranking"], codes=d["codes"], title=d["title"], office=d["office"]))
    return done or render(request, "public/release_form.html", {"form": form, "mode": "new"},
                          status=400 if form.errors else 200)


@organizer_required
def release_edit(request, pk):
    item = selectors.release_for(request.user, pk)
    if item.status != PressRelease.Status.DRAFT:
        messages.error(request, _("已发布的稿件不能修改，请用“更正”生成新版本。"))
        return redirect("public:release", pk=item.pk)
    form = _form(request, _initial(item), correction=bool(item.corrects_id))
    done = _save(request, form, lambda d: services.update_draft(
        request.user, item, ranking=d["ranking"], codes=d["codes"], title=d["title"], office=d["office"],
        reason=d.get("reason", "")))
    return done or render(request, "public/release_form.html", {"form": form, "mode": "edit", "release": item},
                          status=400 if form.errors else 200)


@organizer_required
def release_correct(request, pk):
    item = selectors.release_for(request.user, pk)
    form = _form(request, {**_initial(item), "reason": ""}, correction=True)
    done = _save(request, form, lambda d: services.create_draft(
        request.user, ranking=d["ranking"], codes=d["codes"], title=d["title"], office=d["office"],
        corrects=item, reason=d["reason"]))
    return done or render(request, "public/release_form.html", {"form": form, "mode": "correct", "release": item},
                          status=400 if form.errors else 200)


@require_POST
@organizer_required
def release_publish(request, pk):
    item = selectors.release_for(request.user, pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("请勾选“已核对，发布后不能修改”再发布。"))
        return redirect("public:release", pk=item.pk)
    try:
        services.publish(request.user, item)
    except LeitaiError as exc:
        messages.error(request, exc.message(page_lang()))
    else:
        messages.success(request, _("已发布。公众可在首页看到这份发布稿。"))
    return redirect("public:release", pk=item.pk)
