"""Reads of rectification items: the lists by the one filter (policies.item_filter) limited to what a user
may see, an item with its history and measures, its evidence files, and the open titles an import checks."""

from __future__ import annotations

from datetime import date

from django.shortcuts import get_object_or_404
from django.utils import timezone

from leitai.core.tracking import rules as flow

from .. import policies
from ..models import Attachment, Item


def filtered_items(*, unit: str | None = None, state: str | None = None, source: str | None = None,
                   overdue: bool | None = None, today: date | None = None, public_only: bool = False):
    """Items by the one list filter (policies.item_filter); overdue = open and past the deadline."""
    qs = Item.objects.select_related("unit")
    if public_only:
        qs = qs.filter(public=True)
    due = None if overdue is None else ("late" if overdue else "not_late")
    return qs.filter(policies.item_filter(unit=unit, state=state, source=source, due=due,
                                          today=today or timezone.localdate()))


def items_in_full(user, *, today: date, of_unit=None, **filters):
    """The items whose whole record `user` may see (policies), only `of_unit`'s when given, by the list
    filter (keywords of policies.item_filter, as ItemFilterForm.filters gives them)."""
    qs = policies.items_in_full(user)
    if of_unit is not None:
        qs = qs.filter(unit=of_unit)
    if filters:
        qs = qs.filter(policies.item_filter(**filters, today=today))
    return qs.select_related("unit", "person")


def listed_items(user, *, today: date, unit: str | None = None, state: str | None = None,
                 source: str | None = None, overdue: bool | None = None):
    """The API's list: the user's items in full for organizers and reporters, the public ones otherwise."""
    due = None if overdue is None else ("late" if overdue else "not_late")
    qs = policies.listed_items(user).filter(policies.item_filter(unit=unit, state=state, source=source, due=due,
                                                                 today=today))
    return qs.select_related("unit").order_by("deadline", "id")


def item_in_full(user, code: str) -> Item | None:
    """The item if `user` may see its whole record (history, measures), else None."""
    return policies.items_in_full(user).select_related("unit").filter(code=code).first()


def item_by_code(code: str) -> Item | None:
    return Item.objects.select_related("unit").filter(code=code).first()


def item_or_404(code: str) -> Item:
    return get_object_or_404(Item.objects.select_related("unit"), code=code)


def item_page_or_404(code: str) -> Item:
    """An item with what its page shows of where it came from (the arena's shortcoming or submission)."""
    return get_object_or_404(Item.objects.select_related(
        "unit", "person", "arena_shortcoming__arena", "arena_shortcoming__contestant__unit",
        "arena_shortcoming__comment", "arena_item__submission__contestant__arena",
        "arena_item__submission__contestant__unit"), code=code)


def item_history(item: Item):
    """The item's transitions, oldest first, with who acted and the files attached."""
    return item.transitions.select_related("by_user").prefetch_related("attachments")


def item_measures(item: Item):
    return item.measures.all()


def measure_or_404(item: Item, pk):
    return get_object_or_404(item.measures, pk=pk)


def attachment_or_404(pk: int) -> Attachment:
    return get_object_or_404(Attachment.objects.select_related("item__unit"), pk=pk)


def open_titles() -> set[tuple[str, str]]:
    """(unit code, title) of every item not closed: an import must not hand the same problem out twice."""
    return set(Item.objects.exclude(state=flow.CLOSED).values_list("unit__code", "title"))
