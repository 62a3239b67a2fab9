"""Rectification items: creation (交办), the workflow through one entry point (act), reopening by a review,
measures, and the business-help import (read and checked, then written all or nothing). Every write is
logged; nothing is deleted."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from leitai import audit
from leitai.accounts.permissions import can_edit_unit_data
from leitai.core.errors import LeitaiError
from leitai.core.tracking import rules as flow
from leitai.spreadsheets import read_sheets
from leitai.uploads import DOCUMENTS, IMAGES, check_uploads

from .. import policies
from ..base.selectors import unit_lookup, units_by_code
from ..base.services import actor, date_required, notify, require_organizer, text_required
from ..models import Attachment, Item, Measure, Transition
from . import io, selectors

ASSIGN = "assign"
# Measures are logged in the item's history too, as transitions that keep the state.
MEASURE_ADDED = "measure_added"
MEASURE_DONE = "measure_done"
MEASURE_UNDONE = "measure_undone"
# Close-out evidence: photos and documents, each at most this size.
EVIDENCE_MB = 10


def _next_code(year: int) -> str:
    prefix = f"ZG-{year}-"
    last = (Item.objects.filter(code__startswith=prefix).order_by("-code").values_list("code", flat=True).first())
    seq = int(last[len(prefix):]) + 1 if last and last[len(prefix):].isdigit() else 1
    return f"{prefix}{seq:05d}"


def _create_with_next_code(year: int, fields: dict) -> Item:
    """Create the item under the year's next code. Two organizers creating items at the same moment can
    read the same last code: the second insert then fails on the unique code, its savepoint is rolled back and
    it takes the next code (on PostgreSQL it waited for the first to commit, so it now sees that code)."""
    for attempt in range(5):
        try:
            with transaction.atomic():
                return Item.objects.create(code=_next_code(year), **fields)
        except IntegrityError:
            taken = any(fields.get(f) is not None and Item.objects.filter(**{f: fields[f]}).exists()
                        for f in ("arena_shortcoming", "arena_item"))
            if attempt == 4 or taken:
                raise
    raise AssertionError("unreachable")


def _measure_rows(measures) -> list[tuple[str, dt.date | None]]:
    rows = []
    for n, m in enumerate(measures or (), 1):
        if isinstance(m, dict):
            text, due = m.get("text"), m.get("due")
        elif isinstance(m, tuple | list):
            text, due = (list(m) + [None])[:2]
        else:
            text, due = m, None
        text = text_required(text, f"第 {n} 条整改措施", f"Measure {n}", limit=300)
        if due is not None:
            date_required(due, f"第 {n} 条整改措施的完成时限", f"The due date of measure {n}")
        rows.append((text, due))
    return rows


@transaction.atomic
def create_item(user, *, title, unit, deadline, source="manual", description="", person=None, person_name="",
                priority="normal", measures=(), source_ref="", raised_by="", raised_contact="", public=False,
                arena_shortcoming=None, arena_item=None, assigned_on=None) -> Item:
    """Hand a rectification item to a unit (交办): organizers only; logs the first transition "assign"."""
    require_organizer(user)
    title = text_required(title, "问题", "The title", limit=200)
    if unit is None:
        raise LeitaiError("请指定责任单位", "Choose the responsible unit")
    deadline = date_required(deadline, "整改期限", "The deadline")
    assigned_on = date_required(assigned_on or timezone.localdate(), "交办日期", "The assignment date")
    if deadline < assigned_on:
        raise LeitaiError("整改期限不能早于交办日期", "The deadline is before the assignment date")
    if source not in Item.Source.values:
        raise LeitaiError(f"来源 {source} 无法识别", f"Unknown source {source}")
    if priority not in Item.Priority.values:
        raise LeitaiError(f"优先级 {priority} 无法识别", f"Unknown priority {priority}")
    rows = _measure_rows(measures)
    fields = dict(
        title=title, description=str(description or ""), source=source,
        source_ref=str(source_ref or "")[:200], arena_shortcoming=arena_shortcoming, arena_item=arena_item, unit=unit, person=person,
        person_name=str(person_name or (person.name if person else ""))[:50], deadline=deadline, priority=priority,
        raised_by=str(raised_by or "")[:100], raised_contact=str(raised_contact or "")[:100], public=bool(public),
        assigned_on=assigned_on, created_by=actor(user))
    item = _create_with_next_code(assigned_on.year, fields)
    measures = Measure.objects.bulk_create([Measure(item=item, text=t, due=d, sort_order=n)
                                            for n, (t, d) in enumerate(rows, 1)])
    if measures:
        audit.record_batch(Measure, "create", [{"id": m.pk, "item": item.pk, "text": m.text, "due": m.due}
                                               for m in measures])
    Transition.objects.create(item=item, action=ASSIGN, from_state="", to_state=flow.ASSIGNED,
                              text=f"整改期限 {deadline.isoformat()}", text_en=f"Deadline {deadline.isoformat()}",
                              by_user=actor(user))
    notify(f"新交办整改事项 {item.code}：{title}（期限 {deadline.isoformat()}）",
           text_en=f"New rectification item {item.code}: {title} (deadline {deadline.isoformat()})", unit=unit, item=item)
    return item


def role_of(user, item: Item) -> str:
    """The workflow role of `user` on `item` (policies.role); PermissionDenied when there is none."""
    role = policies.role(user, item) if user is not None else None
    if role is None:
        raise PermissionDenied("not this item's unit")
    return role


def _log(item: Item, action: str, from_state: str, text: str, user=None, by_name: str = "", files=()) -> Transition:
    kinds = check_uploads(files, DOCUMENTS, EVIDENCE_MB)  # every file checked before any is stored
    t = Transition.objects.create(item=item, action=action, from_state=from_state, to_state=item.state, text=text,
                                  by_user=actor(user), by_name=str(by_name or "")[:100])
    for f, kind in zip(files or (), kinds, strict=True):
        Attachment.objects.create(item=item, transition=t, file=f, name=str(f.name)[:200], is_photo=kind in IMAGES,
                                  uploaded_by=actor(user))
    return t


def _apply(item: Item, action: str, role: str, text: str) -> str:
    """Move the (locked) item; sets closed_on when verified and clears it when it leaves "closed"."""
    before = item.state
    item.state = flow.transition(before, action, role, text)
    item.closed_on = timezone.localdate() if item.state == flow.CLOSED else None
    item.save(update_fields=["state", "closed_on"])
    return before


@transaction.atomic
def act(user, item, action, text="", files=()) -> Item:
    """Start, request close-out, verify or return an item: the one entry point for the unit and organizer."""
    item = Item.objects.select_for_update().select_related("unit").get(pk=item.pk)
    role = role_of(user, item)
    text = str(text or "").strip()
    before = _apply(item, action, role, text)
    _log(item, action, before, text, user=user, files=files)
    zh_action, en_action = flow.ACTION_LABELS.get(action, (action, action))
    if role == flow.UNIT:
        notify(f"{item.unit.name}对整改事项 {item.code}“{zh_action}”",
               text_en=f"{item.unit.name}: '{en_action}' on item {item.code}", organizers=True, unit=item.unit, item=item)
    else:
        notify(f"考核办对整改事项 {item.code}“{zh_action}”" + (f"：{text}" if text else ""),
               text_en=f"The assessment office: '{en_action}' on item {item.code}" + (f": {text}" if text else ""),
               unit=item.unit, item=item)
    return item


@transaction.atomic
def reopen(item, *, text, text_en="", by_name="", user=None) -> Item:
    """Reopen a closed item after a failed follow-up review or a "not solved" answer (role REVIEW).
    text (and its English, text_en) is written by the system around the reviewer's own words."""
    item = Item.objects.select_for_update().select_related("unit").get(pk=item.pk)
    text = str(text or "").strip()
    before = _apply(item, flow.REOPEN, flow.REVIEW, text)
    t = _log(item, flow.REOPEN, before, text, user=user, by_name=by_name)
    if text_en:
        Transition.objects.filter(pk=t.pk).update(text_en=text_en)
    msg, msg_en = f"整改事项 {item.code} 已重新打开：{text}", f"Item {item.code} reopened: {text_en or text}"
    notify(msg, text_en=msg_en, unit=item.unit, item=item)
    notify(msg, text_en=msg_en, organizers=True, unit=item.unit, item=item)
    return item


def _require_editor(user, item: Item) -> None:
    if user is None or not can_edit_unit_data(user, item.unit):
        raise PermissionDenied("not this item's unit")
    if item.state == flow.CLOSED:
        raise LeitaiError("该事项已销号，不能再修改（如问题未解决，请重新打开）",
                          "The item is closed and can no longer change (reopen it if the problem is not solved)")


EDITED = "edited"


@transaction.atomic
def record_edit(user, item: Item, changes: list[tuple[str, object, object]]) -> Transition | None:
    """An edit of an item's fields made outside the workflow (the admin): one line in the item's own history,
    e.g. "责任单位：东城区 → 西城区；整改期限：2024-05-31 → 2024-06-30". Closed items are never edited."""
    if not changes:
        return None
    if Item.objects.filter(pk=item.pk, state=flow.CLOSED).exists():
        raise LeitaiError("该事项已销号，不能再修改", "The item is closed and can no longer change")
    text = "；".join(f"{label}：{old if old not in (None, '') else '—'} → {new if new not in (None, '') else '—'}"
                    for label, old, new in changes)
    return Transition.objects.create(item=item, action=EDITED, from_state=item.state, to_state=item.state,
                                     text=f"后台修改：{text}"[:2000], text_en=f"Edited in the admin: {text}"[:2000],
                                     by_user=actor(user))


@transaction.atomic
def add_measure(user, item, text, due=None) -> Measure:
    """Add a measure (举措) to an item: the organizer or the responsible unit."""
    _require_editor(user, item)
    text = text_required(text, "整改措施", "The measure", limit=300)
    if due is not None:
        date_required(due, "完成时限", "The due date")
    last = item.measures.order_by("-sort_order").values_list("sort_order", flat=True).first() or 0
    m = Measure.objects.create(item=item, text=text, due=due, sort_order=last + 1)
    _log(item, MEASURE_ADDED, item.state, text, user=user)
    return m


@transaction.atomic
def set_measure_done(user, measure, done) -> Measure:
    """Mark a measure done or not done: the organizer or the responsible unit; logged on the item."""
    _require_editor(user, measure.item)
    measure.done = bool(done)
    measure.save(update_fields=["done"])
    _log(measure.item, MEASURE_DONE if measure.done else MEASURE_UNDONE, measure.item.state, measure.text, user=user)
    return measure


# ---- the business-help import ---------------------------------------------------------------------

def parse_file(data: bytes, file_name: str, today: dt.date, progress=None) -> io.ParsedItems:
    """A business-help workbook read into item records, every problem reported (nothing is written)."""
    return io.parse_items(read_sheets(data, file_name, progress=progress), unit_lookup(), today,
                          selectors.open_titles())


def create_all(user, records: list[dict], public: bool, batch: str) -> list[Item]:
    """Every record becomes an item in ONE transaction: one failure and nothing is written."""
    units = units_by_code(r["unit"] for r in records)
    created = []
    with transaction.atomic():
        for r in records:
            fields = {k: v for k, v in r.items() if k not in ("row", "unit")}
            item = create_item(user, unit=units[r["unit"]], source=Item.Source.BUSINESS_HELP, public=public, **fields)
            created.append(item)
        Item.objects.filter(pk__in=[i.pk for i in created]).update(import_batch=batch)
        audit.record_batch(Item, "update", [{"id": i.pk, "import_batch": batch} for i in created])
    return created
