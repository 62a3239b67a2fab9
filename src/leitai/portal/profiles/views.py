"""Unit pages (tree, a unit's record, benchmarking, 双过半) and the organizer's people pages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from leitai.accounts.permissions import organizer_required
from leitai.portal.profiles import selectors, selectors_references
from leitai.units import selectors as unit_selectors
from leitai.units import services
from leitai.units.forms import AppointmentForm
from leitai.units.models import Person, Unit, UnitKind


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
    year = _year_param(request) or selectors.targets_year(unit)
    chart = {
        "trends": selectors.trends(unit, [w.code for w in weak], peer),
        "ranks": selectors.rank_history(unit),
        "bench": None,
        "text": {"rank": _("名次"), "value": _("数值"), "noData": _("暂无数据"), "score": _("标准化得分")},
    }
    if bench and bench.scores:
        chart["bench"] = {"labels": bench.scores["labels"], "mine": bench.scores["mine"],
                          "theirs": bench.scores["theirs"], "mineName": unit.name, "theirsName": peer.name}
    return render(request, "units/detail.html", {
        "unit": unit, "head": head, "heads": unit_selectors.head_history(unit), "rows": rows,
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
    return render(request, "units/people.html", {"people": unit_selectors.people(), "form": AppointmentForm()})


@organizer_required
def person_detail(request, pk):
    person = get_object_or_404(Person, pk=pk)
    form = AppointmentForm(initial={"person": person})
    return render(request, "units/person.html", {"person": person, "record": selectors.person_record(person),
                                                 "form": form})


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
