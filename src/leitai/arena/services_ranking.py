"""排序测评: an arena whose judges rank every contestant once all have presented, instead of scoring each.

The organizer opens the ranking after the last presentation and closes it; each judge (phone link, not on
paper, recused from no contestant) submits one ranking — every contestant once, ranks 1…n — and may change
it until it closes; every version is kept and a retried submission (same key) counts once. The tally is
core.points (the rule of `leitai points tally`): one round, the judge groups with their weights, the
arena's tie-break groups, the points table `rank_points` (n, n−1 … 1 when empty). Published ranks and points
are recomputed from the export with `leitai points tally`.

Choices: a judge recused from any contestant sits the ranking out (every judge of a group must rank the
same contestants); judges on paper do not rank (the ranking is entered on the phone).
"""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction

from leitai.core import arena_flow
from leitai.core.errors import LeitaiError
from leitai.core.points import PointsGroup, PointsResult, PointsRules, RankEntry, exact_number, points_tally

from .models import Arena, Judge, RankSheet, RankSheetRevision
from .services_common import (
    JudgeRefused,
    announce,
    lock_arena,
    record_event,
    refuse_if_published,
    require_organizer,
)
from .services_setup import has_active_token, recused, unit_parents

OPEN, CLOSED = "open", "closed"


def round_code(arena) -> str:
    return f"arena-{arena.pk}"


def rules_of(arena) -> PointsRules:
    n = arena.contestants.count()
    points = arena.rank_points or list(range(n, 0, -1)) or [1]
    return PointsRules(tuple(PointsGroup(g.code, exact_number(g.weight, "组权重", "group weight")) for g in arena.groups.all()),
                       tuple(exact_number(p, "名次分", "points") for p in points),
                       tuple(arena.tie_break or ()), "shared")


def rules_dict(arena) -> dict:
    r = rules_of(arena)
    return {**r.as_dict(), "groups": [{"code": g.code, "weight": g.weight, "name": g.name} for g in arena.groups.all()]}


def eligible_judges(arena) -> list[Judge]:
    """Judges who rank: a live phone link, not on paper, recused from no contestant."""
    parents = unit_parents()
    contestants = list(arena.contestants.values_list("unit_id", flat=True))
    out = []
    for j in arena.judges.select_related("group").prefetch_related("recused_units"):
        if j.paper or not has_active_token(j):
            continue
        listed = {u.pk for u in j.recused_units.all()}
        if any(recused(j.unit_id, listed, u, parents) for u in contestants):
            continue
        out.append(j)
    return out


def ranking_progress(arena) -> dict:
    return {"submitted": arena.rank_sheets.count(), "expected": len(eligible_judges(arena))}


@transaction.atomic
def set_ranking_rules(arena, user, mode: str, points=None) -> Arena:
    """Choose scoring or 排序测评 and the points table, before any sheet or ranking exists."""
    require_organizer(user)
    arena = lock_arena(arena)
    refuse_if_published(arena)
    if mode not in arena_flow.MODES:
        raise LeitaiError("计分方式应为打分或排序测评", "The scoring must be score or rank")
    if arena.sheets.exists() or arena.rank_sheets.exists():
        raise LeitaiError("已有评分，计分方式不能再改", "Sheets exist: the scoring can no longer change")
    points = list(points or [])
    checked = [exact_number(p, f"赋分表第 {i} 项", f"points item {i}") for i, p in enumerate(points, 1)]
    if any(p < 0 for p in checked) or any(b > a for a, b in zip(checked, checked[1:], strict=False)):
        raise LeitaiError("名次赋分表应为不增的非负数（第 1 名最高）", "The points must not increase with rank and not be negative")
    arena.scoring_mode, arena.rank_points = mode, points
    arena.save(update_fields=["scoring_mode", "rank_points"])
    record_event(arena, "scoring_mode", user, mode=mode, points=points)
    return arena


@transaction.atomic
def set_ranking(arena, user, state: str) -> Arena:
    """Open the ranking (every contestant has presented) or close it (results can then be revealed)."""
    require_organizer(user)
    arena = lock_arena(arena)
    refuse_if_published(arena)
    if arena.scoring_mode != arena_flow.RANK:
        raise LeitaiError("本场不是排序测评", "This arena does not rank")
    if state == OPEN:
        waiting = [c.unit.name for c in arena.contestants.select_related("unit")
                   if c.stage not in (arena_flow.SCORING_CLOSED, arena_flow.REVEALED)]
        if waiting:
            raise LeitaiError(f"还有选手未完成陈述：{'、'.join(waiting)}", f"Not everyone has presented: {', '.join(waiting)}")
        if arena.ranking_state == CLOSED:
            raise LeitaiError("排序测评已结束", "The ranking is closed")
    elif state == CLOSED:
        if arena.ranking_state != OPEN:
            raise LeitaiError("排序测评尚未开始", "The ranking has not been opened")
    else:
        raise LeitaiError("未知的操作", "Unknown step")
    arena.ranking_state = state
    arena.save(update_fields=["ranking_state"])
    record_event(arena, "ranking", user, state=state)
    announce(arena)
    return arena


def submit_ranking(judge: Judge, ranks: dict, client_key: str = "") -> tuple[RankSheet, bool]:
    """Store a judge's ranking {contestant id: rank}; returns (sheet, duplicate). Refusals name the problem."""
    client_key = str(client_key or "").strip()[:64] or uuid.uuid4().hex
    try:
        with transaction.atomic():
            return _submit(judge, ranks, client_key)
    except IntegrityError:
        with transaction.atomic():
            return _submit(judge, ranks, client_key)


def _submit(judge: Judge, ranks: dict, client_key: str) -> tuple[RankSheet, bool]:
    arena = Arena.objects.select_for_update().get(pk=judge.arena_id)
    judge = Judge.objects.get(pk=judge.pk)
    if not has_active_token(judge) or judge.paper:
        raise JudgeRefused("评分链接已失效，请联系工作人员", "This link no longer works: ask the staff")
    if arena.ranking_state != OPEN or arena.status == Arena.Status.PUBLISHED:
        raise LeitaiError("排序测评未开放", "The ranking is not open")
    if judge.pk not in {j.pk for j in eligible_judges(arena)}:
        raise JudgeRefused("您与参赛单位有关联，本场排序测评需回避", "You are recused from this ranking")
    sheet = RankSheet.objects.filter(arena=arena, judge=judge).first()
    if sheet is not None and sheet.revisions.filter(client_key=client_key).exists():
        return sheet, True
    contestants = {c.pk: c.unit.code for c in arena.contestants.select_related("unit")}
    clean: dict[str, int] = {}
    for key, value in (ranks or {}).items():
        try:
            cid, rank = int(key), int(value)
        except (TypeError, ValueError):
            raise LeitaiError("名次应为整数", "A rank must be a whole number")
        if cid not in contestants:
            raise LeitaiError("排序中有不属于本场的单位", "The ranking names a unit not in this arena")
        clean[contestants[cid]] = rank
    n = len(contestants)
    if set(clean) != set(contestants.values()):
        raise LeitaiError(f"请为全部 {n} 个单位排出名次", f"Rank all {n} contestants")
    if sorted(clean.values()) != list(range(1, n + 1)):
        raise LeitaiError(f"名次应为 1 到 {n}，每个名次只能用一次", f"Ranks must be 1 to {n}, each used once")
    if sheet is None:
        sheet = RankSheet.objects.create(arena=arena, judge=judge, ranks=clean, version=1)
    else:
        sheet.ranks, sheet.version = clean, sheet.version + 1
        sheet.save(update_fields=["ranks", "version", "updated_at"])
    RankSheetRevision.objects.create(sheet=sheet, version=sheet.version, ranks=clean, client_key=client_key)
    announce(arena)
    return sheet, False


def entries(arena) -> list[RankEntry]:
    """The counted ranks as core reads them: judges by anonymous code, contestants by unit code, in a fixed
    order (groups, judges, contestants in order of presentation) — the order of the export."""
    order = {code: n for n, code in enumerate(arena.contestants.order_by("order", "id").values_list("unit__code", flat=True))}
    out = []
    sheets = (arena.rank_sheets.select_related("judge__group")
              .order_by("judge__group__sort_order", "judge__sort_order", "judge_id"))
    for s in sheets:
        for code in sorted(s.ranks, key=lambda c: order.get(c, 10**6)):
            out.append(RankEntry(round_code(arena), s.judge.group.code, code, int(s.ranks[code]), s.judge.anon_code))
    return out


def tally_ranking(arena) -> PointsResult | None:
    found = entries(arena)
    return points_tally(found, rules_of(arena)) if found else None
