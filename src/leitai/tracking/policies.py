"""Who may see and do what in tracking — the one place the pages, the API, the exports and the files ask.

- An item's full record (history, measures, evidence): the organizers, and the reporters of its responsible
  unit or of a unit above it; a citizen supervisor also sees the evidence of an item assigned to them for a
  follow-up review.
- The lists: the same items for organizers and reporters; everyone else sees the public items only (as the
  public page shows them, without their history).
- Acting on an item: the organizer's role or the unit's role (core.tracking's workflow decides which steps).
- Pledges: the organizers and the pledging unit's reporters (and those above it); public pledges for all.
"""

from __future__ import annotations

from django.db.models import Q

from leitai.accounts.permissions import can_edit_unit_data
from leitai.core.tracking import rules as flow
from leitai.units.models import Unit
from leitai.units.selectors import within

from .models import Item, Pledge, ReviewAssignment


def visible_units(user):
    """The units whose records a user may see in full: all for organizers, a reporter's unit and below."""
    if user.is_authenticated and user.is_organizer:
        return Unit.objects.all()
    if not (user.is_authenticated and user.is_reporter and user.unit_id):
        return Unit.objects.none()
    return Unit.objects.filter(id__in=within([user.unit_id]))


def sees_unit(user, unit) -> bool:
    """Whether `user` sees `unit`'s records in full (visible_units)."""
    return visible_units(user).filter(pk=unit.pk).exists()


def is_insider(user) -> bool:
    """Organizers and reporters work with the lists; everyone else sees the public side."""
    return user.is_authenticated and (user.is_organizer or (user.is_reporter and bool(user.unit_id)))


def items_in_full(user):
    """Items whose whole record the user may see (detail pages, the API's item with history, exports)."""
    if user.is_authenticated and user.is_organizer:
        return Item.objects.all()
    return Item.objects.filter(unit__in=visible_units(user))


def listed_items(user):
    """Items a user's lists show: their items in full for organizers and reporters, the public ones otherwise."""
    return items_in_full(user) if is_insider(user) else Item.objects.filter(public=True)


def role(user, item) -> str | None:
    """The workflow role of `user` on `item`: organizer, the responsible unit, or None."""
    if not user.is_authenticated:
        return None
    if user.is_organizer:
        return flow.ORGANIZER
    if user.is_reporter and can_edit_unit_data(user, item.unit):
        return flow.UNIT
    return None


def can_see_item_files(user, item) -> bool:
    """Evidence of an item: those who see it in full, and a citizen supervisor reviewing it."""
    if role(user, item) is not None:
        return True
    return user.is_authenticated and ReviewAssignment.objects.filter(item=item, supervisor=user).exists()


def visible_pledges(user):
    """Pledges in full (the pledge list and its export): the organizers' all, a reporter's units'."""
    return Pledge.objects.filter(unit__in=visible_units(user))


def can_see_pledge(user, pledge) -> bool:
    """A public pledge (and its evidence) is public with its verdict; otherwise as visible_pledges."""
    return pledge.public or (user.is_authenticated and can_edit_unit_data(user, pledge.unit))


def public_items():
    return Item.objects.filter(public=True)


def public_pledges():
    return Pledge.objects.filter(public=True)


def item_filter(*, unit: str | None = None, state: str | None = None, source: str | None = None,
                due: str | None = None, query: str | None = None, today=None) -> Q:
    """The one list filter (pages, API, exports): unit code, state, source, deadline class (core.tracking's
    classes, and "late" for every open item past its deadline), free text."""
    q = Q()
    if unit:
        q &= Q(unit__code=unit)
    if state:
        q &= Q(state=state)
    if source:
        q &= Q(source=source)
    if due:
        q &= due_condition(due, today)
    if query:
        q &= (Q(title__icontains=query) | Q(code__icontains=query) | Q(description__icontains=query)
              | Q(person_name__icontains=query))
    return q


def due_condition(due: str, day) -> Q:
    """The database condition for a deadline class (see core.tracking.deadline_class); "late" is overdue and
    long overdue together, "not_late" everything else."""
    import datetime as dt

    open_ = Q(state__in=flow.OPEN_STATES)
    soon = day + dt.timedelta(days=flow.DUE_SOON_DAYS)
    long_ = day - dt.timedelta(days=flow.LONG_OVERDUE_DAYS)
    late = open_ & Q(deadline__lt=day)
    return {
        flow.DONE: Q(state=flow.CLOSED),
        flow.ON_TRACK: open_ & Q(deadline__gt=soon),
        flow.DUE_SOON: open_ & Q(deadline__gte=day, deadline__lte=soon),
        flow.OVERDUE: open_ & Q(deadline__lt=day, deadline__gte=long_),
        flow.LONG_OVERDUE: open_ & Q(deadline__lt=long_),
        "late": late,
        "not_late": ~late,
    }[due]
