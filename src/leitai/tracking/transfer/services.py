"""转入督办: an arena's shortcomings (from the contestants' submissions and from the leaders' comments) become
rectification items, and its pledges (军令状) tracked pledges — previewed row by row (transfer.selectors),
edited, then written all or nothing. Running it again creates nothing twice: each item and pledge keeps a
one-to-one link to the arena record it came from."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from leitai import audit
from leitai.arena.models import Arena, Shortcoming, Submission, SubmissionItem
from leitai.core.errors import LeitaiError

from ..base.services import actor, require_organizer
from ..items.services import create_item
from ..models import Item, Pledge
from ..pledges.checks import check_shape
from .selectors import ITEM, PLEDGE, TransferRow, arena_day, can_transfer, transfer_preview


class TransferError(LeitaiError):
    """Some rows cannot be written; `rows` maps each row key to its (zh, en) message. Nothing was written."""

    def __init__(self, rows: dict[str, tuple[str, str]]):
        super().__init__(f"有 {len(rows)} 行无法转入，均未写入", f"{len(rows)} row(s) cannot be transferred; nothing was written")
        self.rows = rows


def _source_ref(arena: Arena, row: TransferRow) -> str:
    who = row.contestant.unit.name if row.contestant else ""
    if row.comment is not None:
        return f"{arena.name}·{row.comment.author or ''}点评·{who}"[:200]
    return f"{arena.name}·{who}{'参赛材料' if row.key.startswith('si:') else ''}"[:200]


@transaction.atomic
def transfer(arena: Arena, user, edits: dict[str, dict] | None = None) -> tuple[list[Item], list[Pledge]]:
    """Write the preview's rows: items for shortcomings, pledges for pledges. `edits` maps a row key to
    {"include": bool, "unit": Unit, "deadline": date, "measures": [str]} for items and {"include", "unit",
    "deadline": Period, "repeat": "monthly", "repeat_start": Period, "project_batch", "project_stage"} for
    pledges (a pledge may repeat monthly and may be judged from a project batch); rows without an entry are
    included as previewed. Rows already transferred are skipped. All or nothing: TransferError names
    every bad row."""
    require_organizer(user)
    arena = Arena.objects.select_for_update().get(pk=arena.pk)
    if not can_transfer(arena):
        raise LeitaiError("擂台赛开赛后才能转入督办", "Shortcomings and pledges can be transferred once the arena has begun")
    edits = edits or {}
    known = {r.key for r in transfer_preview(arena)}
    unknown = sorted(set(edits) - known)
    if unknown:
        raise LeitaiError(f"不属于本场擂台赛的行：{'、'.join(unknown)}", f"Rows not of this arena: {', '.join(unknown)}")
    day = arena_day(arena)
    rows = [r for r in transfer_preview(arena) if not r.done and edits.get(r.key, {}).get("include", True)]
    errors: dict[str, tuple[str, str]] = {}
    shapes: dict[str, dict] = {}
    for r in rows:
        e = edits.get(r.key, {})
        r.unit = e.get("unit", r.unit) if "unit" in e else r.unit
        if r.kind == PLEDGE:
            if r.unit is None:
                errors[r.key] = ("请选择承诺单位", "Choose the pledging unit")
                continue
            r.deadline = e.get("deadline", r.deadline) if "deadline" in e else r.deadline
            if r.unit != (r.contestant.unit if r.contestant else None):
                r.person = None
            si = r.source
            if not (e.get("repeat") or e.get("project_batch")) and si.indicator_id and si.target_value is not None \
                    and r.deadline is None:
                errors[r.key] = ("关联指标的承诺须写明兑现期限（期间）", "A pledge on an indicator needs a deadline period")
                continue
            if e.get("repeat") or e.get("project_batch"):
                si = r.source
                try:
                    shapes[r.key] = check_shape(
                        indicator=si.indicator if not e.get("project_batch") else None,
                        comparison=si.comparison or "ge", target_value=si.target_value, deadline=r.deadline,
                        repeat=e.get("repeat", ""), repeat_start=e.get("repeat_start"),
                        project_batch=e.get("project_batch", ""), project_stage=e.get("project_stage", ""))
                except LeitaiError as exc:
                    errors[r.key] = (exc.zh, exc.en)
        if r.kind == ITEM:
            r.deadline = e.get("deadline", r.deadline) if "deadline" in e else r.deadline
            r.measures = [m.strip() for m in e.get("measures", r.measures) if m and m.strip()]
            if r.unit is None:
                errors[r.key] = ("请选择责任单位", "Choose the responsible unit")
            elif not isinstance(r.deadline, dt.date):
                errors[r.key] = ("整改期限应为日期（如 2025-03-31）", "The deadline must be a date (e.g. 2025-03-31)")
            elif r.deadline < day:
                errors[r.key] = (f"整改期限 {r.deadline} 早于擂台赛日期 {day}", f"The deadline {r.deadline} is before the arena ({day})")
            elif any(len(m) > 300 for m in r.measures):
                errors[r.key] = ("每条整改措施不能超过 300 个字", "A measure is longer than 300 characters")
    if errors:
        raise TransferError(errors)
    # The transferred rows are linked to the submissions' lines: the submissions are locked from now on (a
    # reporter re-saving one would replace its lines).
    locking = list(Submission.objects.filter(contestant__arena=arena, locked=False).values_list("pk", flat=True))
    Submission.objects.filter(pk__in=locking).update(locked=True)
    if locking:
        audit.record_batch(Submission, "update", [{"id": pk, "locked": True} for pk in locking],
                           note=f"arena {arena.pk}: transferred (转入督办)")
    items, pledges = [], []
    for r in rows:
        if r.kind == ITEM:
            if r.unit != (r.contestant.unit if r.contestant else None):
                r.person = None
            from_comment = isinstance(r.source, Shortcoming) and r.comment is not None
            items.append(create_item(
                user, title=r.text[:200], description=r.text, unit=r.unit, deadline=r.deadline,
                source=Item.Source.ARENA_COMMENT if from_comment else Item.Source.ARENA_SHORTCOMING,
                person=r.person, source_ref=_source_ref(arena, r), public=True, measures=r.measures,
                arena_shortcoming=r.source if isinstance(r.source, Shortcoming) else None,
                arena_item=r.source if isinstance(r.source, SubmissionItem) else None,
                assigned_on=min(day, r.deadline)))
        elif r.key in shapes:
            si = r.source
            shape = shapes[r.key]
            pledges.append(Pledge.objects.create(
                unit=r.unit, person=r.person, text=si.text, deadline=r.deadline, source=Pledge.Source.ARENA,
                indicator=None if shape["project_batch"] else si.indicator, arena_item=si, made_on=day, public=True,
                created_by=actor(user), **shape))
        else:
            si = r.source
            checkable = si.indicator_id is not None and si.target_value is not None
            pledges.append(Pledge.objects.create(
                unit=r.unit, person=r.person, text=si.text, indicator=si.indicator if checkable else None,
                comparison=si.comparison if checkable else "", target_value=si.target_value if checkable else None,
                deadline=r.deadline, source=Pledge.Source.ARENA, arena_item=si, made_on=day, public=True,
                created_by=actor(user)))
    return items, pledges
