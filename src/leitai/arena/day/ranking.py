"""排序测评: an arena whose judges rank every contestant once all have presented, instead of scoring each.

The organizer opens the ranking after the last presentation and closes it; each judge (phone link, not on
paper, recused from no contestant) submits one ranking — every contestant once, ranks 1…n — and may change
it until it closes; every version is kept and a retried submission (same key) counts once. The tally is
core.points (the rule of `leitai points tally`): one round, the judge groups with their weights, the
arena's tie-break groups, the points table `rank_points` (n, n−1 … 1 when empty). Published ranks and points
are recomputed from the export with `leitai points tally`. Every stored revision gets a receipt (回执) and a
"rank_sheet" entry in the arena's hash chain in its transaction (day/receipts.py), as a score sheet does.

Choices: a judge recused from any contestant sits the ranking out (every judge of a group must rank the
same contestants); judges on paper do not rank (the ranking is entered on the phone).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from leitai.arena.base.events import JudgeRefused, announce, lock_arena, record_event, refuse_if_published
from leitai.arena.base.models import Arena
from leitai.arena.base.policies import require_organizer
from leitai.arena.day import receipts
from leitai.arena.day.models import RankSheet, RankSheetRevision
from leitai.arena.day.selectors import eligible_judges
from leitai.arena.setup.models import Judge
from leitai.arena.setup.selectors import has_active_token
from leitai.core.errors import LeitaiError
from leitai.core.judging import flow as arena_flow

OPEN, CLOSED = "open", "closed"


@dataclass(frozen=True)
class RankOutcome:
    """What a ranking submission did: the sheet, whether its key had been seen (nothing written), and the
    version and receipt (no dashes) that key stored (the sheet may have moved on since)."""

    sheet: RankSheet
    duplicate: bool
    version: int
    receipt: str


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


def submit_ranking(judge: Judge, ranks: dict, client_key: str = "") -> RankOutcome:
    """Store a judge's ranking {contestant id: rank}; a key already stored returns what it stored (duplicate).
    Refusals name the problem."""
    client_key = str(client_key or "").strip()[:64] or uuid.uuid4().hex
    try:
        with transaction.atomic():
            return _submit(judge, ranks, client_key)
    except IntegrityError:
        with transaction.atomic():
            return _submit(judge, ranks, client_key)


def _submit(judge: Judge, ranks: dict, client_key: str) -> RankOutcome:
    arena = Arena.objects.select_for_update().get(pk=judge.arena_id)
    judge = Judge.objects.get(pk=judge.pk)
    if not has_active_token(judge) or judge.paper:
        raise JudgeRefused("评分链接已失效，请联系工作人员", "This link no longer works: ask the staff")
    if arena.ranking_state != OPEN or arena.status == Arena.Status.PUBLISHED:
        raise LeitaiError("排序测评未开放", "The ranking is not open")
    if judge.pk not in {j.pk for j in eligible_judges(arena)}:
        raise JudgeRefused("您与参赛单位有关联，本场排序测评需回避", "You are recused from this ranking")
    sheet = RankSheet.objects.filter(arena=arena, judge=judge).first()
    if sheet is not None:
        seen = sheet.revisions.filter(client_key=client_key).values_list("version", "receipt").first()
        if seen is not None:
            return RankOutcome(sheet, True, seen[0], seen[1])
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
    revision = RankSheetRevision(sheet=sheet, version=sheet.version, ranks=clean, client_key=client_key)
    receipts.stamp_ranking(revision, arena.pk, judge.anon_code)
    revision.save()
    # The chain entry in this transaction, under the arena row lock taken above.
    receipts.chain_ranking(arena.pk, judge.anon_code, revision, at=revision.at)
    announce(arena)
    return RankOutcome(sheet, False, revision.version, revision.receipt)


