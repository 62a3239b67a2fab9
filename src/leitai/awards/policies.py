"""Who may do what with awards: the one place pages, the API and the services ask.

Organizers define kinds, keep teams, grant by rule, nominate, approve, reject and revoke. A reporter may
nominate their own unit (or a unit below it), a person whose post is in it, or a team of it — and see their
own nominations — but never decide one. Everyone sees approved awards."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q


def is_organizer(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_organizer)


def may_nominate(user) -> bool:
    return bool(user is not None and user.is_authenticated and (user.is_organizer or user.is_reporter))


def may_nominate_for(user, *, unit=None, person=None, team=None, day: dt.date | None = None) -> bool:
    """Whether the user may nominate this unit, person or team (reporters: within their own unit)."""
    if is_organizer(user):
        return True
    if not may_nominate(user) or user.unit is None:
        return False
    if unit is not None:
        return unit.is_within(user.unit)
    if team is not None:
        return team.unit is not None and team.unit.is_within(user.unit)
    if person is not None:
        from leitai.units.models import Post

        day = day or dt.date.today()
        posts = Post.objects.filter(person=person, start__lte=day).filter(Q(end__isnull=True) | Q(end__gte=day))
        return any(p.unit.is_within(user.unit) for p in posts.select_related("unit"))
    return False
