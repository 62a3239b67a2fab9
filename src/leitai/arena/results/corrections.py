"""Correcting a published arena's result: its bonus or deduction points in the assessment ledger.

A published result never changes in place. A correction names the unit, the new points and why; it
withdraws the unit's ledger entry (kept on record, marked withdrawn), writes the corrected one, and stores
the corrected rows as the next version of the result (ResultCorrection: version 2, 3, …; version 1 is the
publication itself), with who, when, why and old → new. The scores, ranks and the recomputable bundle are
the judges' and stay as published: only the points derived from the ranks can be corrected."""

from __future__ import annotations

import copy
import math

from django.db import transaction

from leitai.arena.base.events import announce, lock_arena, record_event
from leitai.arena.base.models import Arena
from leitai.arena.base.policies import actor, require_organizer
from leitai.arena.results.models import ResultCorrection
from leitai.arena.results.selectors import rows_in_force
from leitai.arena.results.services import bonus_reason
from leitai.core.errors import LeitaiError
from leitai.rankings.models import Adjustment
from leitai.rankings.services import add_adjustment, withdraw_adjustment


def current_rows(arena: Arena) -> list[dict]:
    """The rows of the result's latest version (the publication, or its latest correction)."""
    return rows_in_force([arena])[arena.pk]


@transaction.atomic
def correct_points(arena: Arena, user, unit_code: str, points, reason: str) -> ResultCorrection:
    """Set a unit's ledger points for this published arena to `points` (0: none), with the reason."""
    require_organizer(user)
    arena = lock_arena(arena)
    if arena.status != Arena.Status.PUBLISHED:
        raise LeitaiError("只有已发布的擂台赛结果可以更正（发布前请在控制台处理）",
                          "Only a published result can be corrected (before publication, use the console)")
    reason = str(reason or "").strip()
    if not reason:
        raise LeitaiError("更正须写明理由", "A correction needs a reason")
    if isinstance(points, bool) or not isinstance(points, int | float) or not math.isfinite(points):
        raise LeitaiError(f"分值应为数字，实为 {points!r}", f"Points must be a number, got {points!r}")
    points = float(points)
    rows = copy.deepcopy(current_rows(arena))
    row = next((r for r in rows if r["unit"] == unit_code), None)
    if row is None:
        raise LeitaiError(f"单位 {unit_code} 不是本场擂台赛的参赛单位", f"Unit {unit_code} did not contest this arena")
    old = float(row.get("bonus") or 0)
    if old == points:
        raise LeitaiError(f"{row['unit_name']} 的分值已是 {points:g}，无需更正",
                          f"{row['unit_name']} already has {points:g} points")
    source = f"arena:{arena.pk}"
    entries = list(Adjustment.objects.select_for_update().filter(source=source, unit__code=unit_code, withdrawn=False))
    for adj in entries:
        withdraw_adjustment(adj, user, correction=True)
    if points:
        unit = entries[0].unit if entries else arena.contestants.select_related("unit").get(unit__code=unit_code).unit
        text = f"{bonus_reason(arena, row['rank'], points)}（更正：{reason}）" if row.get("rank") else \
            f"{arena.name}（{points:+g}分，更正：{reason}）"
        add_adjustment(unit, arena.period, points, text[:200], plan=arena.plan, user=user, source=source)
    row["bonus"] = points
    version = (arena.corrections.order_by("-version").values_list("version", flat=True).first() or 1) + 1
    correction = ResultCorrection.objects.create(
        arena=arena, version=version, reason=reason, rows=rows, by_user=actor(user),
        changes=[{"unit": unit_code, "unit_name": row["unit_name"], "field": "bonus", "old": old, "new": points}])
    record_event(arena, "result_corrected", user, version=version, unit=unit_code, old=old, new=points)
    announce(arena)
    return correction
