"""Writes to the external reference series (参照数据: 全省平均, 全省排名, 外地对标单位).

They arrive with the statistics: an import file may hold a reference sheet (its 参照类型 column), checked by the
same reader (`core.io.tabular_sheet`) and written in the same transaction as the file's data
(`services.commit_import` calls `write_references`). One figure typed by hand (`set_reference`) goes through
the very same check: it is read as a one-row reference sheet. Every created or changed figure gets a
ReferenceRevision, so nothing changes silently.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from leitai.core.errors import DataError
from leitai.core.io.tabular_sheet import parse_import
from leitai.units.models import Unit

from . import selectors
from .models import Indicator, Reference, ReferenceKind, ReferencePeer, ReferenceRevision
from .signals import data_committed

HEADER = ["参照类型", "单位", "指标", "期间", "数值", "排名", "参与排名数", "对标单位"]
KIND_TEXT = {ReferenceKind.AVERAGE: "全省平均", ReferenceKind.RANK: "全省排名", ReferenceKind.PEER: "对标单位"}


def ensure_peer(name: str, note: str = "") -> ReferencePeer:
    peer, _created = ReferencePeer.objects.get_or_create(name=name.strip(), defaults={"note": note[:200]})
    return peer


def write_references(records, user, source: str) -> tuple[int, int]:
    """Create or change the checked reference records (ParsedImport.references) with a revision for each;
    returns (created, changed). Called inside the import's transaction."""
    from .services import ensure_period

    indicators = {i.code: i for i in Indicator.objects.filter(code__in={r[1] for r in records})}
    units = {u.code: u for u in Unit.objects.filter(code__in={r[3] for r in records if r[3]})}
    periods_by_code = {code: ensure_period(code) for code in sorted({r[2] for r in records})}
    created = changed = 0
    for kind, indicator, period, unit_code, peer_name, value, rank, total in records:
        unit = units.get(unit_code) if unit_code else None
        peer = ensure_peer(peer_name) if kind == ReferenceKind.PEER else None
        if peer is not None and unit is not None:
            peer.units.add(unit)  # the city's unit that 对标 this peer
        key = {"kind": kind, "indicator": indicators[indicator], "period": periods_by_code[period],
               "unit": unit if kind == ReferenceKind.RANK else None, "peer": peer}
        ref = Reference.objects.select_for_update().filter(**key).first()
        if ref is None:
            ref = Reference.objects.create(**key, value=value, rank=rank, total=total, updated_by=user)
            old = (None, None, None)
            created += 1
        else:
            old = (ref.value, ref.rank, ref.total)
            if old == (value, rank, total):
                continue
            ref.value, ref.rank, ref.total, ref.updated_by = value, rank, total, user
            ref.save()
            changed += 1
        ReferenceRevision.objects.create(reference=ref, old_value=old[0], new_value=value, old_rank=old[1],
                                         new_rank=rank, old_total=old[2], new_total=total, changed_by=user,
                                         source=source)
    return created, changed


def set_reference(user, *, kind: str, indicator: Indicator, period: str, value=None, rank=None, total=None,
                  unit: Unit | None = None, peer: str = "", source: str = "web") -> Reference:
    """One reference figure typed by hand (the organizer): checked as a one-row reference sheet, so it obeys
    exactly the import's rules; raises PermissionDenied or DataError with the problems in Chinese and English."""
    if user is not None and not getattr(user, "is_organizer", False):
        raise PermissionDenied
    if kind not in ReferenceKind.values:
        raise DataError(f"参照类型“{kind}”无法识别", f"Unknown reference kind '{kind}'")
    row = [KIND_TEXT[ReferenceKind(kind)], unit.code if unit else None, indicator.code, period,
           value, rank, total, peer or None]
    parsed = parse_import([("参照数据", [HEADER, row])], selectors.catalogue_for(None), shape="reference")
    if parsed.problems:
        zh = "；".join(f"{p.header or p.column}：{p.message_zh}" if p.header else p.message_zh for p in parsed.problems)
        en = "; ".join(f"{p.header or p.column}: {p.message_en}" if p.header else p.message_en for p in parsed.problems)
        raise DataError(zh, en)
    actor = user if user is not None and user.is_authenticated else None
    with transaction.atomic():
        write_references(parsed.references, actor, source)
    # A new reference figure can settle pledges against it, as an import does (leitai.tracking listens).
    data_committed.send(sender=Reference, batch=None)
    record = parsed.references[0]
    return selectors.reference_for(record[0], record[1], record[2], record[3], record[4])
