"""A contestant's submission before the day (亮点项目, 短板问题, 举措, 军令状, slides): edited by the
reporter of the contestant's unit or the organizer; read-only after the deadline or the lock."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from leitai.accounts.permissions import can_edit_unit_data, data_editor_required
from leitai.arena.base.pages import msg
from leitai.arena.base.policies import submissions_closed
from leitai.arena.setup import selectors, submissions
from leitai.arena.setup.forms import TEXT_KINDS, PledgeFormSet, SlidesForm, TextItemFormSet
from leitai.arena.setup.models import Contestant, SubmissionItem
from leitai.core.errors import LeitaiError
from leitai.indicators.services import ensure_period

KIND_LABELS = dict(SubmissionItem.Kind.choices)
# Lazy: built at import, shown in the language of each request.
KIND_HELP = {
    SubmissionItem.Kind.HIGHLIGHT: gettext_lazy("本期最有代表性的亮点项目，每条一项"),
    SubmissionItem.Kind.SHORTCOMING: gettext_lazy("最突出的短板问题（如本季度最大的三个短板）"),
    SubmissionItem.Kind.MEASURE: gettext_lazy("针对短板的具体举措"),
    SubmissionItem.Kind.PLEDGE: gettext_lazy("军令状：承诺内容；能量化的挂钩指标、比较方式、目标值和期限"),
}


def _contestant_for(request, contestant_id: int) -> Contestant:
    contestant = selectors.contestant_or_404(contestant_id)
    if not can_edit_unit_data(request.user, contestant.unit):
        raise PermissionDenied
    return contestant


def _formsets(data, initial: dict[str, list[dict]]) -> dict:
    sets = {k: TextItemFormSet(data, initial=initial[k] or None, prefix=k) for k in TEXT_KINDS}
    sets[SubmissionItem.Kind.PLEDGE] = PledgeFormSet(data, initial=initial[SubmissionItem.Kind.PLEDGE] or None,
                                                     prefix=SubmissionItem.Kind.PLEDGE)
    return sets


def _items(sets: dict) -> list[dict]:
    """The filled rows of every section, in order, as save_submission takes them (blank rows dropped)."""
    items = []
    for kind, formset in sets.items():
        for form in formset.forms:
            d = form.cleaned_data
            text = (d.get("text") or "").strip()
            if not text:
                continue
            item = {"kind": kind, "text": text}
            if kind == SubmissionItem.Kind.PLEDGE:
                item.update(indicator=d.get("indicator"), comparison=d.get("comparison") or "",
                            target_value=d.get("target_value"),
                            deadline=ensure_period(d["deadline"]) if d.get("deadline") else None)
            items.append(item)
    return items


@require_http_methods(["GET", "POST"])
def submission(request, contestant_id: int):
    """参赛材料: four repeatable sections and the slides; read-only with a clear message once closed."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    contestant = _contestant_for(request, contestant_id)
    arena = contestant.arena
    current = selectors.submission_of(contestant)
    closed = submissions_closed(arena, current)
    status = 200
    started = arena.status != arena.Status.SETUP
    if request.method == "POST" and closed:
        messages.error(request, _("擂台赛已开始，参赛材料已锁定，不能再修改") if started else _("材料已截止或已锁定，不能再修改"))
        status = 403
    posted = request.method == "POST" and not closed
    sets = _formsets(request.POST if posted else None, selectors.submission_initial(current))
    slides = SlidesForm(request.POST if posted else None, request.FILES if posted else None, max_mb=arena.max_slides_mb)
    if posted:
        if all(fs.is_valid() for fs in sets.values()) and slides.is_valid():
            try:
                with transaction.atomic():
                    submissions.save_submission(contestant, request.user, _items(sets),
                                             slides=slides.cleaned_data["slides"])
            except LeitaiError as e:
                slides.add_error(None, msg(e))
            else:
                messages.success(request, _("参赛材料已保存"))
                return redirect("arena:submission", contestant_id=contestant.pk)
        status = 400
    sections = [{"kind": k, "label": KIND_LABELS[k], "help": KIND_HELP[k], "formset": fs,
                 "template": "arena/_pledge_row.html" if k == SubmissionItem.Kind.PLEDGE else "arena/_text_row.html"}
                for k, fs in sets.items()]
    return render(request, "arena/submission.html", {
        "contestant": contestant, "arena": arena, "submission": current, "closed": closed, "started": started,
        "sections": sections, "slides_form": slides, "readonly": selectors.submission_readonly(current) if closed else [],
        "versions": selectors.submission_versions(current),
    }, status=status)


@require_GET
def add_row(request, contestant_id: int):
    """htmx "add row": an empty row of a section, numbered after the rows on the page, and the formset's
    TOTAL_FORMS counter updated out of band."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    contestant = _contestant_for(request, contestant_id)
    kind = request.GET.get("kind", "")
    if kind not in SubmissionItem.Kind.values or submissions_closed(contestant.arena):
        raise PermissionDenied
    try:
        index = max(0, min(int(request.GET.get(f"{kind}-TOTAL_FORMS", "0")), 999))
    except ValueError:
        index = 0
    formset_class = PledgeFormSet if kind == SubmissionItem.Kind.PLEDGE else TextItemFormSet
    form = formset_class(prefix=kind).empty_form
    form.prefix = f"{kind}-{index}"
    template = "arena/_pledge_row.html" if kind == SubmissionItem.Kind.PLEDGE else "arena/_text_row.html"
    return render(request, "arena/_new_row.html", {"form": form, "kind": kind, "total": index + 1,
                                                   "row_template": template})


@data_editor_required
@require_GET
def my_submissions(request):
    """我的参赛材料: the arenas the reporter's unit (or a unit below it) contests."""
    rows = [{**row, "closed": submissions_closed(row["c"].arena, row["submission"])}
            for row in selectors.submissions_for(request.user, can_edit_unit_data)]
    return render(request, "arena/my_submissions.html", {"rows": rows})
