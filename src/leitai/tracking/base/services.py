"""Write helpers every tracking room shares: who acts, organizers only, checked inputs, and the in-app notice
(notify) that items, pledges and the supervision job leave for a unit or the organizers."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied

from leitai.core.errors import LeitaiError

from ..models import Notice


def actor(user):
    """The user to record, or None for the anonymous."""
    return user if user is not None and user.is_authenticated else None


def require_organizer(user) -> None:
    if user is None or not user.is_authenticated or not user.is_organizer:
        raise PermissionDenied("organizers only")


def text_required(value, zh: str, en: str, limit: int | None = None) -> str:
    text = str(value or "").strip()
    if not text:
        raise LeitaiError(f"{zh}不能为空", f"{en} is empty")
    if limit and len(text) > limit:
        raise LeitaiError(f"{zh}不能超过 {limit} 个字", f"{en} is longer than {limit} characters")
    return text


def date_required(value, zh: str, en: str) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise LeitaiError(f"{zh}应为日期", f"{en} must be a date")
    return value


def notify(text: str, *, text_en: str = "", unit=None, organizers: bool = False, item=None) -> Notice:
    """An in-app notice to a unit's users or to the organizers, in Chinese and English (cut to 300)."""
    return Notice.objects.create(unit=unit, for_organizers=organizers, item=item, text=text[:300],
                                 text_en=text_en[:300])
