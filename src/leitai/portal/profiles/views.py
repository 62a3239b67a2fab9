"""Unit pages (tree, a unit's record, benchmarking, 双过半) and the organizer's people pages."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leitai.accounts.permissions import organizer_required
from leitai.portal.profiles import policies, record_docx, records, selectors, selectors_references
from leitai.units import selectors as unit_selectors
from leitai.units import services
from leitai.units.forms import AppointmentForm
from leitai.units.models import Unit, UnitKind


def unit_list(request):
    kind = request.GET.get("kind", "")
    if kind not in UnitKind.values:
        kind = ""
    query = request.GET.get("q", "").strip()[:50]
    groups = selectors.unit_tree(kind=kind, query=query)
    return render(request, "units/list.html", {
        "groups": groups, "kind": kind, "q": query, "kinds": UnitKind.choices,
        "count": sum(len(g["rows"]) for g in groups),
    })


def unit_detail(request, code):
    unit = get_object_or_404(Unit.objects.select_related("parent"), code=code)
    peer, peer_error = _peer(unit, request.GET.get("peer", "").strip())
    rows = selectors.latest_rows_per_plan(unit)
    weak = selectors.weak_items(rows[0] if rows else None)
    bench = selectors.benchmark(unit, peer) if peer else None
    head = unit_selectors.current_heads([unit]).get(unit.pk)
    heads = unit_selectors.head_history(unit)
    for post in [head, *heads]:
        if post is not None:  # the name links to the record when the user may see it
            post.record_visible = policies.can_see_record(request.user, post.person)
    year = _year_param(request) or selectors.targets_year(unit)
    trends = selectors.trends(unit, [w.code for w in weak], peer)
    # The trend drawn is the one chosen in the page's select (?indicator=), else the first (a weak one).
    chosen = next((t for t in trends if t["code"] == request.GET.get("indicator")), trends[0] if trends else None)
    chart = {
        "trends": trends, "trend": chosen,
        "ranks": selectors.rank_history(unit),
        "bench": None,
        "text": {"rank": _("名次"), "value": _("数值"), "noData": _("暂无数据"), "score": _("标准化得分")},
    }
    if bench and bench.scores:
        chart["bench"] = {"labels": bench.scores["labels"],
                          "series": [{"name": unit.name, "values": bench.scores["mine"]},
                                     {"name": peer.name, "values": bench.scores["theirs"]}]}
    return render(request, "units/detail.html", {
        "unit": unit, "head": head, "heads": heads, "rows": rows,
        "weak": weak, "weak_row": rows[0] if rows else None,
        "peers": unit_selectors.peers_of(unit), "peer": peer, "peer_error": peer_error, "bench": bench,
        "targets": selectors.double_half_lines(unit, year), "targets_year": year, "chart": chart,
        "outside": selectors_references.outside_benchmark(unit),  # units/_reference.html
    })


def _year_param(request) -> int | None:
    """?year=2024 picks the year of the 双过半 table; anything else is ignored."""
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 1900 <= int(raw) <= 2200 else None


def _peer(unit, code):
    """The benchmark peer named in ?peer=, or an error message when it cannot be one."""
    if not code:
        return None, ""
    peer = Unit.objects.filter(code=code).first()
    if peer is None:
        return None, _("对标单位“%(code)s”不存在。") % {"code": code}
    if peer.pk == unit.pk:
        return None, _("不能与本单位对标，请选择另一个单位。")
    if peer.kind != unit.kind:
        return None, _("对标单位须与本单位同类型（%(kind)s），“%(name)s”是%(other)s。") % {
            "kind": unit.get_kind_display(), "name": peer.name, "other": peer.get_kind_display()}
    return peer, ""


@organizer_required
def people(request):
    people = unit_selectors.people()
    for person in people:
        person.post_texts = [records.post_text(p) for p in person.posts.all()]
    return render(request, "units/people.html", {"people": people, "form": AppointmentForm()})


def _refusal(request, people):
    """The answer when the user may not see one of these records (policies.can_see_record): sign-in for the
    anonymous, 403 for everybody else; None when they may."""
    if all(policies.can_see_record(request.user, p) for p in people):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def person_detail(request, pk):
    person = unit_selectors.person_or_404(pk)
    refused = _refusal(request, [person])
    if refused:
        return refused
    record = records.person_record(person, public_only=policies.public_only(request.user))
    organizer = policies.is_organizer(request.user)
    return render(request, "units/person.html", {
        "person": person, "record": record, "awards": record.awards, "organizer": organizer,
        "overall": [*records.summary_lines(record.summary), records.person_pledge_line(record)],
        "form": AppointmentForm(initial={"person": person}) if organizer else None,
    })


def person_docx(request, pk):
    person = unit_selectors.person_or_404(pk)
    refused = _refusal(request, [person])
    if refused:
        return refused
    record = records.person_record(person, public_only=policies.public_only(request.user))
    return _download(record_docx.record_docx(record), _("干部考评材料-%(name)s.docx") % {"name": person.name})


def _candidates(request):
    """The people picked for the comparison (?p=1&p=2…, 2 to 5 of them), or an error message."""
    raw = request.GET.getlist("p")
    if any(not x.isdigit() or len(x) > 12 for x in raw):
        return [], _("人员编号无效，请从人员列表中勾选。")
    ids = list(dict.fromkeys(int(x) for x in raw))
    if not 2 <= len(ids) <= MAX_COMPARED:
        return [], _("请勾选 2 至 %(n)d 人进行比较（已选 %(k)d 人）。") % {"n": MAX_COMPARED, "k": len(ids)}
    people = unit_selectors.people_by_ids(ids)
    if len(people) != len(ids):
        return [], _("所选人员中有人不存在，请重新勾选。")
    return people, ""


MAX_COMPARED = 5


def compare(request):
    people, error = _candidates(request)
    if error:
        return render(request, "units/compare.html", {"error": error, "records": [], "rows": []}, status=400)
    refused = _refusal(request, people)
    if refused:
        return refused
    found = records.person_records(people, public_only=policies.public_only(request.user))
    return render(request, "units/compare.html", {
        "records": found, "rows": records.comparison_rows(found), "query": request.GET.urlencode(), "error": ""})


def compare_docx(request):
    people, error = _candidates(request)
    if error:
        return render(request, "units/compare.html", {"error": error, "records": [], "rows": []}, status=400)
    refused = _refusal(request, people)
    if refused:
        return refused
    found = records.person_records(people, public_only=policies.public_only(request.user))
    return _download(record_docx.comparison_docx(found), _("干部考评比较.docx"))


def _download(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=record_docx.DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@organizer_required
@require_POST
def publish_record(request, pk):
    person = unit_selectors.person_or_404(pk)
    public = request.POST.get("public") == "1"
    services.set_record_public(person, public, request.user)
    messages.success(request, _("%(name)s的履历已公开。") % {"name": person.name} if public
                     else _("%(name)s的履历已撤回，仅考核办可见。") % {"name": person.name})
    return redirect("units:person", pk=person.pk)


@organizer_required
def appoint(request):
    form = AppointmentForm(request.POST or None, initial={"unit": request.GET.get("unit")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = services.appoint(form.person_or_name, data["unit"], data["title"], data["start"], request.user,
                                    is_head=data["is_head"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已登记：%(post)s，自 %(start)s 起。") % {"post": post, "start": post.start})
            return redirect("units:person", pk=post.person_id)
    return render(request, "units/appoint.html", {"form": form}, status=400 if form.errors else 200)
