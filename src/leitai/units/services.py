"""Writes for units and people: recording an appointment (任职) closes the previous head's post."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Person, Post, Unit

log = logging.getLogger(__name__)


@transaction.atomic
def appoint(person: Person | str, unit: Unit, title: str, start: dt.date, user, is_head: bool = True) -> Post:
    """Record that a person takes a post at a unit from `start`; a new head ends the previous head's post
    the day before. `person` may be a new person's name. Field errors are raised in Chinese."""
    if user is None or not user.is_authenticated or not user.is_organizer:
        raise PermissionDenied(_("只有考核办可以登记任职。"))
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写职务。")})
    if isinstance(person, str):
        name = person.strip()
        if not name:
            raise ValidationError({"person": _("请选择人员或填写新人员姓名。")})
        person = Person.objects.create(name=name)
    if is_head:
        # Lock the unit's open head posts so two appointments cannot both close the same post.
        previous = list(
            Post.objects.select_for_update().filter(unit=unit, is_head=True, end__isnull=True).order_by("start")
        )
        for post in previous:
            if start <= post.start:
                raise ValidationError({"start": _("任职起始日期须晚于现任一把手%(name)s的任职起始日期（%(date)s）。")
                                       % {"name": post.person.name, "date": post.start.isoformat()}})
            if post.person_id == person.pk:
                raise ValidationError({"person": _("%(name)s已是该单位的一把手。") % {"name": person.name}})
        for post in previous:
            post.end = start - dt.timedelta(days=1)
            post.save(update_fields=["end"])
    new = Post.objects.create(person=person, unit=unit, title=title, is_head=is_head, start=start)
    log.info("appointment recorded by %s: %s", user.get_username(), new)
    return new


@transaction.atomic
def set_record_public(person: Person, public: bool, user) -> Person:
    """The organizer publishes a person's record (公开履历) or takes it back; the audit log keeps who and when."""
    if user is None or not user.is_authenticated or not user.is_organizer:
        raise PermissionDenied(_("只有考核办可以公开或撤回个人履历。"))
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.record_public != bool(public):
        person.record_public = bool(public)
        person.save(update_fields=["record_public"])
        log.info("record of person %s %s by %s", person.pk, "published" if public else "withdrawn",
                 user.get_username())
    return person
