"""The 转入督办 preview: every shortcoming and pledge of an arena as a row — what would be created, from what,
and what it already became — in stage order."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.shortcuts import get_object_or_404
from django.utils import timezone

from leitai.arena.models import Arena, Contestant, Shortcoming, SubmissionItem

from ..models import Item, Pledge

# A submission's shortcoming carries no deadline of its own: the preview proposes one this many days after
# the arena (the organizer changes it per row).
DEFAULT_DAYS = 90
ITEM, PLEDGE = "item", "pledge"


@dataclass
class TransferRow:
    """One row of the preview: what would be created, and from what."""

    key: str  # "sc:<shortcoming>", "si:<submission item>" or "pl:<submission item>"
    kind: str  # ITEM or PLEDGE
    contestant: Contestant | None
    text: str
    unit: object
    person: object
    deadline: object  # a date for items, a Period for pledges
    measures: list[str] = field(default_factory=list)
    comment: object = None
    source: SubmissionItem | Shortcoming | None = None
    existing: Item | Pledge | None = None  # already transferred

    @property
    def done(self) -> bool:
        return self.existing is not None

    @property
    def origin(self) -> str:
        return "comment" if self.comment is not None else ("records" if self.key.startswith("sc:") else "submission")


def arena_or_404(pk: int) -> Arena:
    return get_object_or_404(Arena, pk=pk)


def arena_day(arena: Arena) -> dt.date:
    return timezone.localtime(arena.held_at).date() if arena.held_at else timezone.localdate()


def can_transfer(arena: Arena) -> bool:
    """After the day has begun (scoring, and at any time later)."""
    return arena.status != Arena.Status.SETUP


def transfer_preview(arena: Arena) -> list[TransferRow]:
    """Every shortcoming and pledge of the arena as a row, in stage order; rows already transferred carry
    the item or pledge they became."""
    default_deadline = arena_day(arena) + dt.timedelta(days=DEFAULT_DAYS)
    items = list(SubmissionItem.objects.filter(submission__contestant__arena=arena)
                 .exclude(kind=SubmissionItem.Kind.HIGHLIGHT)
                 .select_related("submission__contestant__unit", "submission__contestant__person", "indicator",
                                 "deadline", "rect_item__unit", "pledge__unit")
                 .order_by("submission__contestant__order", "kind", "sort_order", "id"))
    measures: dict[int, list[str]] = {}
    for si in items:
        if si.kind == SubmissionItem.Kind.MEASURE:
            measures.setdefault(si.submission.contestant_id, []).append(si.text)
    rows: list[TransferRow] = []
    for si in items:
        c = si.submission.contestant
        if si.kind == SubmissionItem.Kind.SHORTCOMING:
            rows.append(TransferRow(f"si:{si.pk}", ITEM, c, si.text, c.unit, c.person, default_deadline,
                                    list(measures.get(c.pk, [])), source=si, existing=getattr(si, "rect_item", None)))
        elif si.kind == SubmissionItem.Kind.PLEDGE:
            rows.append(TransferRow(f"pl:{si.pk}", PLEDGE, c, si.text, c.unit, c.person, si.deadline, source=si,
                                    existing=getattr(si, "pledge", None)))
    for s in (Shortcoming.objects.filter(arena=arena)
              .select_related("responsible_unit", "contestant__unit", "contestant__person", "comment", "item__unit")
              .order_by("contestant__order", "created_at", "id")):
        c = s.contestant
        person = c.person if c is not None and c.unit_id == s.responsible_unit_id else None
        rows.append(TransferRow(f"sc:{s.pk}", ITEM, c, s.text, s.responsible_unit, person, s.deadline,
                                comment=s.comment, source=s, existing=getattr(s, "item", None)))
    order = {c.pk: c.order for c in arena.contestants.all()}
    rows.sort(key=lambda r: (order.get(r.contestant.pk, 10**6) if r.contestant else 10**6, r.kind != ITEM))
    return rows
