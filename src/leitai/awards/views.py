"""表彰 pages: the public register and an award (with its certificate), the organizer's kinds, granting by
rule from a published arena or ranking, nominations and their approval, revocation, teams. Reads in
selectors, writes in services, who may do what in policies."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leitai.accounts.permissions import organizer_required
from leitai.core.errors import LeitaiError
from leitai.lang import page_lang

from . import certificates, policies, selectors, services
from .forms import DecisionForm, EndForm, KindForm, MemberForm, NominationForm, RevokeForm, TeamForm
from .models import Award, AwardKind


def _int(value) -> int | None:
    return int(value) if str(value or "").isdigit() else None


def index(request):
    """The register: approved awards for everyone, filtered by kind and year; the organizer's and the
    reporter's work links."""
    kind = selectors.kind_by_code(request.GET.get("kind", "")) if request.GET.get("kind") else None
    year = _int(request.GET.get("year"))
    user = request.user
    is_organizer = policies.is_organizer(user)
    return render(request, "awards/index.html", {
        "awards": selectors.approved(kind, year, unit_code=request.GET.get("unit", "")[:40]), "kinds": selectors.kinds(active_only=True), "years": selectors.years(),
        "kind": kind, "year": year, "is_organizer": is_organizer, "may_nominate": policies.may_nominate(user),
        "pending_count": selectors.pending().count() if is_organizer else 0,
        "mine": selectors.nominated_by(user)[:20] if policies.may_nominate(user) and not is_organizer else [],
        "en": page_lang().startswith("en"),
    })


def detail(request, pk: int):
    a = selectors.visible_award(request.user, pk)
    is_organizer = policies.is_organizer(request.user)
    return render(request, "awards/detail.html", {
        "a": a, "is_organizer": is_organizer, "events": selectors.events(a) if is_organizer else [],
        "decision_form": DecisionForm(), "revoke_form": RevokeForm(), "en": page_lang().startswith("en"),
        "members": selectors.members_on(a.team, a.date) if a.team else [],
    })


def certificate(request, pk: int, ext: str):
    a = selectors.visible_award(request.user, pk)
    if a.status != Award.Status.APPROVED or ext not in ("docx", "pdf"):
        raise Http404
    if ext == "docx":
        data, content_type = certificates.certificate_docx(a), certificates.DOCX
    else:
        data, content_type = certificates.certificate_pdf(a), "application/pdf"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{certificates.file_name(a, ext)}"'
    return response


# ---------------------------------------------------------------------------------------------- kinds


@organizer_required
def kinds(request):
    return render(request, "awards/kinds.html", {"kinds": selectors.kinds()})


@organizer_required
def kind_edit(request, pk: int | None = None):
    kind = selectors.kind(pk) if pk else None
    if request.method == "POST":
        form = KindForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                kind = services.save_kind(request.user, kind=kind, code=d["code"], name=d["name"], basis=d["basis"],
                                          rule=d["rule"], n=d["n"], plan=d["plan"], recipient=d["recipient"],
                                          name_en=d["name_en"], description=d["description"], citation=d["citation"],
                                          active=d["active"], sort_order=d["sort_order"] or 0)
            except LeitaiError as e:
                form.add_error(None, e.message(page_lang()))
            else:
                messages.success(request, _("表彰类别已保存。"))
                return redirect("awards:kind", kind.pk)
    else:
        form = KindForm(initial=KindForm.initial_from(kind) if kind else None)
    return render(request, "awards/kind_form.html", {"form": form, "kind": kind})


@organizer_required
def kind(request, pk: int):
    """A kind: its awards (every status) and, for a rule kind, granting from a chosen published result."""
    k = selectors.kind(pk)
    sources = []
    if k.basis == AwardKind.Basis.RULE:
        from leitai.core.tracking.awards import ARENA_RULES

        if k.rule in ARENA_RULES:
            sources = [(f"arena:{a.pk}", a.name) for a in selectors.published_arenas()]
        else:
            sources = [(f"ranking:{r.pk}", f"{r.plan_version.plan.name} · {r.period.code}")
                       for r in selectors.published_rankings(k.plan)]
    return render(request, "awards/kind.html", {"kind": k, "awards": selectors.kind_awards(k), "sources": sources})


@require_POST
@organizer_required
def kind_grant(request, pk: int):
    k = selectors.kind(pk)
    try:
        added = services.grant(request.user, k, request.POST.get("source", ""))
    except LeitaiError as e:
        messages.error(request, e.message(page_lang()))
    else:
        _granted(request, added)
    return redirect("awards:kind", k.pk)


def _granted(request, added: list) -> None:
    if added:
        messages.success(request, _("已按规则评定 %(n)d 项表彰。") % {"n": len(added)})
    else:
        messages.info(request, _("没有新的表彰：已评定过，或没有符合规则的单位。"))


@organizer_required
def grant(request):
    """按规则评定 from one published result (the arena results page and the ranking page link here): the rule
    kinds that read it, then one click grants them all."""
    source = request.GET.get("source") or request.POST.get("source", "")
    what, _sep, key = source.partition(":")
    if what not in ("arena", "ranking") or not key.isdigit():
        raise Http404
    if what == "arena":
        obj = selectors.published_arena(int(key))
        title, link = obj.name, ("arena:results", obj.pk)
        kind_list = selectors.rule_kinds("arena")
    else:
        obj = selectors.published_ranking(int(key))
        title, link = f"{obj.plan_version.plan.name} · {obj.period.code}", ("rankings:detail", obj.pk)
        kind_list = [k for k in selectors.rule_kinds("ranking") if not k.plan_id or k.plan_id == obj.plan_version.plan_id]
    if request.method == "POST":
        try:
            if what == "arena":
                added = services.grant_from_arena(request.user, obj, kind_list)
            else:
                added = services.grant_from_ranking(request.user, obj, kind_list)
        except LeitaiError as e:
            messages.error(request, e.message(page_lang()))
        else:
            _granted(request, added)
        return redirect(f"{request.path}?source={source}")
    existing = selectors.kind_awards_for_source(what, obj)
    return render(request, "awards/grant.html", {"source": source, "title": title, "link": link, "kinds": kind_list,
                                                 "existing": existing, "what": what})


# ---------------------------------------------------------------------------------------------- nominations


def nominate(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not policies.may_nominate(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = NominationForm(request.POST, user=request.user)
        if form.is_valid():
            d = form.cleaned_data
            try:
                a = services.nominate(request.user, d["kind"], recipient=d["kind"].recipient, unit=d["unit"],
                                      person=d["person"], team=d["team"], period=d["period"], date=d["date"],
                                      reason=d["reason"])
            except LeitaiError as e:
                form.add_error(None, e.message(page_lang()))
            else:
                messages.success(request, _("推荐已提交，待考核办审批。"))
                return redirect("awards:detail", a.pk)
    else:
        form = NominationForm(user=request.user, initial={"kind": _int(request.GET.get("kind"))})
    return render(request, "awards/nominate.html", {"form": form, "kinds": selectors.nomination_kinds()})


@organizer_required
def pending(request):
    return render(request, "awards/pending.html", {"awards": selectors.pending(), "form": DecisionForm()})


@require_POST
@organizer_required
def decide(request, pk: int):
    a = selectors.award(pk)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        if request.POST.get("decision") == "approve":
            services.approve(request.user, a, note)
            messages.success(request, _("已批准。"))
        elif request.POST.get("decision") == "reject":
            services.reject(request.user, a, note)
            messages.success(request, _("已不批准。"))
        else:
            messages.error(request, _("请选择批准或不批准"))
    except LeitaiError as e:
        messages.error(request, e.message(page_lang()))
    if request.POST.get("next") == "pending":
        return redirect("awards:pending")
    return redirect("awards:detail", a.pk)


@require_POST
@organizer_required
def revoke(request, pk: int):
    a = selectors.award(pk)
    form = RevokeForm(request.POST)
    try:
        services.revoke(request.user, a, form.cleaned_data["reason"] if form.is_valid() else "")
    except LeitaiError as e:
        messages.error(request, e.message(page_lang()))
    else:
        messages.success(request, _("表彰已撤销，记录保留。"))
    return redirect("awards:detail", a.pk)


# ---------------------------------------------------------------------------------------------- teams


@organizer_required
def teams(request):
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            t = services.save_team(request.user, name=d["name"], unit=d["unit"], note=d["note"], active=d["active"])
        except LeitaiError as e:
            form.add_error(None, e.message(page_lang()))
        else:
            messages.success(request, _("团队已保存。"))
            return redirect("awards:team", t.pk)
    return render(request, "awards/teams.html", {"teams": selectors.teams(), "form": form})


@organizer_required
def team(request, pk: int):
    t = selectors.team(pk)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.add_member(request.user, t, d["person"], start=d["start"], role=d["role"])
        except LeitaiError as e:
            form.add_error(None, e.message(page_lang()))
        else:
            messages.success(request, _("已加入团队。"))
            return redirect("awards:team", t.pk)
    return render(request, "awards/team.html", {"team": t, "memberships": selectors.memberships(t), "form": form,
                                                "end_form": EndForm(), "awards": selectors.team_awards(t)})


@require_POST
@organizer_required
def end_membership(request, pk: int):
    m = selectors.membership(pk)
    form = EndForm(request.POST)
    try:
        if not form.is_valid():
            raise LeitaiError("请填写离开日期", "Enter the date they left")
        services.end_membership(request.user, m, form.cleaned_data["end"])
    except LeitaiError as e:
        messages.error(request, e.message(page_lang()))
    else:
        messages.success(request, _("已记录离开团队。"))
    return redirect("awards:team", m.team_id)
