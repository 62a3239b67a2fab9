"""Reads for the data pages, the API and the importer: catalogues, current values, histories."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q

from leitai import queue
from leitai.accounts.permissions import can_edit_unit_data
from leitai.core import periods
from leitai.core.io.tabular import Catalogue, IndicatorRef, Problem, UnitRef
from leitai.units.models import Unit, UnitKind

from .models import (
    ImportBatch,
    Indicator,
    Observation,
    ObservationRevision,
    Period,
    Reference,
    ReferenceKind,
    ReferencePeer,
    ReferenceRevision,
)
from .readers import wide_template


def subtree(unit: Unit) -> list[Unit]:
    """The unit and every unit below it, parents before children (one query for the whole tree)."""
    children = defaultdict(list)
    units = list(Unit.objects.filter(active=True).order_by("sort_order", "code"))
    by_id = {u.pk: u for u in units}
    for u in units:
        if u.parent_id in by_id:
            u.parent = by_id[u.parent_id]  # so permission checks walk up the tree without a query per level
        children[u.parent_id].append(u)
    out, stack = [unit], list(reversed(children[unit.pk]))
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(children[node.pk]))
    return out


def editable_units(user) -> list[Unit]:
    """The units whose data the user may enter: all for organizers, the own subtree for a reporter."""
    if user is None or not user.is_authenticated:
        return []
    if user.is_organizer:
        return list(Unit.objects.filter(active=True).order_by("sort_order", "code"))
    if not user.is_reporter:
        return []
    return [u for u in subtree(user.unit) if can_edit_unit_data(user, u)]


def catalogue_for(user) -> Catalogue:
    """The units and indicators an import may name; `user` None (the command line) may write every unit."""
    units = list(Unit.objects.filter(active=True).values_list("code", "name", "short_name", "kind"))
    indicators = list(
        Indicator.objects.filter(active=True).values_list("code", "name", "plausible_min", "plausible_max", "applies_to")
    )
    editable = None
    if user is not None and not user.is_organizer:
        editable = [u.code for u in editable_units(user)]
    return Catalogue(units, indicators, editable)


def unit_ref(unit: Unit) -> UnitRef:
    return UnitRef(unit.code, unit.kind, unit.name)


def indicator_ref(indicator: Indicator) -> IndicatorRef:
    return IndicatorRef(indicator.code, indicator.name, indicator.plausible_min, indicator.plausible_max,
                        tuple(indicator.applies_to or ()))


def existing_values(period_codes, indicator_codes=None) -> dict[tuple[str, str, str], tuple[float | None, str]]:
    """Current (value, status) by (unit code, indicator code, period code) for the given periods."""
    qs = Observation.objects.filter(period__code__in=list(period_codes))
    if indicator_codes is not None:
        qs = qs.filter(indicator__code__in=list(indicator_codes))
    rows = qs.values_list("unit__code", "indicator__code", "period__code", "value", "status")
    return {(u, i, p): (v, s) for u, i, p, v, s in rows.iterator(chunk_size=5000)}


def names_by_code() -> tuple[dict[str, str], dict[str, str]]:
    units = dict(Unit.objects.values_list("code", "name"))
    indicators = dict(Indicator.objects.values_list("code", "name"))
    return units, indicators


def batches_for(user):
    """Import history: organizers see every batch, a reporter their own."""
    qs = ImportBatch.objects.select_related("created_by", "period").order_by("-created_at")
    return qs if user.is_organizer else qs.filter(created_by=user)


def periods_for_entry() -> list[Period]:
    return list(Period.objects.order_by("-start", "kind"))


def entry_grid(units: list[Unit], period: Period):
    """For the data-entry page: [(unit, [(indicator, observation|None)])] of applicable indicators."""
    indicators = list(Indicator.objects.filter(active=True).select_related("category"))
    current = {
        (o.unit_id, o.indicator_id): o
        for o in Observation.objects.filter(period=period, unit__in=units)
    }
    grid = []
    for unit in units:
        cells = [(ind, current.get((unit.pk, ind.pk))) for ind in indicators if ind.applies(unit.kind)]
        if cells:
            grid.append((unit, cells))
    return grid


def observations(period: str | None = None, unit: str | None = None, indicator: str | None = None):
    """Observations filtered by period, unit and indicator codes (the public data API)."""
    qs = Observation.objects.select_related("unit", "indicator", "period").order_by("period__start", "unit__sort_order",
                                                                                    "unit__code", "indicator__code")
    if period:
        qs = qs.filter(period__code=periods.parse(period).code)
    if unit:
        qs = qs.filter(unit__code=unit)
    if indicator:
        qs = qs.filter(indicator__code=indicator)
    return qs


def revisions(observation: Observation):
    return ObservationRevision.objects.filter(observation=observation).select_related("changed_by").order_by(
        "-changed_at", "-id")


def wide_template_for(user, period_code: str, kind: str) -> tuple[bytes, str]:
    """The wide .xlsx template (bytes, file name): the user's units of a kind as rows, their indicators as columns."""
    units = [u for u in editable_units(user) if u.kind == kind]
    indicators = [i for i in Indicator.objects.filter(active=True).select_related("category") if i.applies(kind)]
    kind_label = str(UnitKind(kind).label)
    title = f"{periods.label(period_code, ytd=True)} {kind_label}数据填报"
    data = wide_template(title, periods.label(period_code), [u.name for u in units],
                         [(i.name, i.measure) for i in indicators])
    return data, f"数据填报模板_{period_code}_{kind}.xlsx"


def progress_key(batch_id: int) -> str:
    """Where the queue's worker reports a batch's progress (leitai.queue.set_progress)."""
    return f"import:{batch_id}"


def import_progress(batch: ImportBatch) -> dict | None:
    """A batch the queue is checking or writing: {"stage": waiting | reading | writing, "done", "total",
    "percent" (None while unknown)}; None once it is done."""
    if batch.status not in (ImportBatch.Status.CHECKING, ImportBatch.Status.COMMITTING):
        return None
    return {**queue.running(progress_key(batch.pk)), "committing": batch.status == ImportBatch.Status.COMMITTING}


def report_problems(batch: ImportBatch, lang: str) -> list[dict]:
    """The stored validation report as table rows in the page's language."""
    out = []
    for item in batch.report.get("problems", []) if isinstance(batch.report, dict) else []:
        problem = Problem(**item)
        column = problem.column
        if column and problem.header:
            column = f"{column} ({problem.header})" if lang.startswith("en") else f"{column}（{problem.header}）"
        out.append({"sheet": problem.sheet, "row": problem.row or "", "column": column, "code": problem.code,
                    "message": problem.message(lang)})
    return out


# External reference series (参照数据) ------------------------------------------------------------------------

def _reference_key(kind, indicator_code, period_code, unit_code, peer_name) -> dict:
    key = {"kind": kind, "indicator__code": indicator_code, "period__code": period_code}
    if kind == ReferenceKind.RANK:
        key["unit__code"] = unit_code
    elif kind == ReferenceKind.PEER:
        key["peer__name"] = peer_name
    return key


def reference_for(kind, indicator_code, period_code, unit_code="", peer_name="") -> Reference | None:
    """The stored figure of one reference record's key (ParsedImport.references)."""
    return (Reference.objects.select_related("indicator", "period", "unit", "peer")
            .filter(**_reference_key(kind, indicator_code, period_code, unit_code, peer_name)).first())


def reference_diff(records) -> tuple[int, int, int]:
    """How many reference records are new, changed and unchanged against what the database holds."""
    if not records:
        return 0, 0, 0
    existing = {}
    for r in Reference.objects.filter(indicator__code__in={r[1] for r in records},
                                      period__code__in={r[2] for r in records}).values_list(
            "kind", "indicator__code", "period__code", "unit__code", "peer__name", "value", "rank", "total"):
        kind, ind, per, unit, peer = r[:5]
        existing[(kind, ind, per, (unit or "") if kind == "rank" else "", peer or "")] = r[5:]
    new = changed = unchanged = 0
    for kind, ind, per, unit, peer, value, rank, total in records:
        old = existing.get((kind, ind, per, unit if kind == "rank" else "", peer if kind == "peer" else ""))
        if old is None:
            new += 1
        elif tuple(old) != (value, rank, total):
            changed += 1
        else:
            unchanged += 1
    return new, changed, unchanged


def references(indicator: str | None = None, period: str | None = None, kind: str | None = None):
    """Reference figures filtered by indicator code, period code and kind (the list, the export, the API)."""
    qs = Reference.objects.select_related("indicator", "period", "unit", "peer").order_by(
        "indicator__category__sort_order", "indicator__sort_order", "indicator__code", "-period__start", "kind",
        "unit__sort_order", "peer__name")
    if indicator:
        qs = qs.filter(indicator__code=indicator)
    if period:
        qs = qs.filter(period__code=periods.parse(period).code)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def reference_or_none(pk) -> Reference | None:
    return Reference.objects.select_related("indicator", "period", "unit", "peer").filter(pk=pk).first()


def reference_revisions(reference: Reference):
    return ReferenceRevision.objects.filter(reference=reference).select_related("changed_by").order_by(
        "-changed_at", "-id")


def peers() -> list[ReferencePeer]:
    return list(ReferencePeer.objects.prefetch_related("units"))


def board_references(indicator_id: int, period_id: int, unit_ids) -> dict:
    """For the ranking board: {"average": Reference|None, "peers": [Reference], "ranks": {unit id: Reference}}
    of one indicator and period."""
    rows = list(Reference.objects.filter(indicator_id=indicator_id, period_id=period_id)
                .select_related("peer", "unit").order_by("kind", "peer__name"))
    unit_ids = set(unit_ids)
    return {"average": next((r for r in rows if r.kind == ReferenceKind.AVERAGE), None),
            "peers": [r for r in rows if r.kind == ReferenceKind.PEER],
            "ranks": {r.unit_id: r for r in rows if r.kind == ReferenceKind.RANK and r.unit_id in unit_ids}}


def unit_references(unit: Unit) -> dict:
    """For a unit's page: the reference figures that concern it in the latest period that has any — the
    province's averages of the indicators that apply to it, its provincial ranks, the figures of the outside
    peers it 对标 (ReferencePeer.units) — with its own values:
    {"period": Period|None, "peers": [ReferencePeer], "rows": [{"indicator", "value", "average", "rank",
    "peers": {peer id: Reference}}]}."""
    peer_list = list(ReferencePeer.objects.filter(units=unit).order_by("name"))
    concern = Reference.objects.filter(
        Q(kind=ReferenceKind.AVERAGE) | Q(kind=ReferenceKind.RANK, unit=unit)
        | Q(kind=ReferenceKind.PEER, peer__in=peer_list))
    applying = [i.pk for i in Indicator.objects.filter(active=True) if i.applies(unit.kind)]
    concern = concern.filter(indicator_id__in=applying)
    latest = concern.order_by("-period__start", "-period__end").values_list("period_id", flat=True).first()
    if latest is None:
        return {"period": None, "peers": peer_list, "rows": []}
    period = Period.objects.get(pk=latest)
    by_indicator: dict = {}
    for r in concern.filter(period=period).select_related("indicator", "peer"):
        row = by_indicator.setdefault(r.indicator_id, {"indicator": r.indicator, "value": None, "average": None,
                                                       "rank": None, "peers": {}})
        if r.kind == ReferenceKind.PEER:
            row["peers"][r.peer_id] = r
        else:
            row[r.kind] = r
    for ind_id, value in Observation.objects.filter(unit=unit, period=period, indicator_id__in=by_indicator).values_list(
            "indicator_id", "value"):
        by_indicator[ind_id]["value"] = value
    rows = sorted(by_indicator.values(), key=lambda r: (r["indicator"].category_id, r["indicator"].sort_order,
                                                        r["indicator"].code))
    return {"period": period, "peers": peer_list, "rows": rows}


def active_indicators() -> list[Indicator]:
    return list(Indicator.objects.filter(active=True).select_related("category"))


def references_xlsx(rows) -> bytes:
    """Reference figures in the import's columns (参照类型, 单位, 指标, 期间, 数值, 排名, 参与排名数, 对标单位)."""
    import openpyxl

    from leitai import exports

    kinds = {ReferenceKind.AVERAGE: "全省平均", ReferenceKind.RANK: "全省排名", ReferenceKind.PEER: "对标单位"}
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "参照数据"
    ws.append(["参照类型", "单位", "指标", "期间", "数值", "排名", "参与排名数", "对标单位"])
    for r in rows:
        ws.append([kinds[ReferenceKind(r.kind)], r.unit.name if r.unit_id else None, r.indicator.name, r.period.code,
                   r.value, r.rank, r.total, r.peer.name if r.peer_id else None])
    return exports.save(book)


def batch_or_none(pk) -> ImportBatch | None:
    return ImportBatch.objects.filter(pk=pk).first()
