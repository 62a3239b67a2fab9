"""The daily supervision job (督办): due-soon, overdue and long-overdue reminders (one per item, kind and
day, so running it twice a day changes nothing), escalation of long-overdue items to the organizers,
in-app notices and messages through the notifier. Selection is vectorised (numpy over values_list) and
the writes are bulk inserts, so 100,000 items take seconds."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from leitai.core.tracking import rules as flow
from leitai.units.models import Unit

from ..base.notify import get_notifier
from ..models import Item, Notice, Reminder
from ..pledges.services import judge_pledges
from .selectors import notices_for

KIND_TEXT = {flow.DUE_SOON: "即将到期", flow.OVERDUE: "已逾期", flow.LONG_OVERDUE: "长期逾期（升级督办）"}
KIND_TEXT_EN = {flow.DUE_SOON: "due soon", flow.OVERDUE: "overdue", flow.LONG_OVERDUE: "long overdue (escalated)"}
LISTED = 10  # codes named in a notice or message; the rest are counted


@dataclass
class SupervisionReport:
    """What one run of the job found and did."""

    day: date
    due_soon: int = 0
    overdue: int = 0
    long_overdue: int = 0
    reminders: int = 0  # new reminder rows (0 when the job already ran today)
    escalations: int = 0  # long-overdue items newly escalated to the organizers
    notices: int = 0
    messages: int = 0
    errors: list[str] = field(default_factory=list)
    pledges_judged: int = 0

    def summary(self) -> str:
        return (f"{self.day.isoformat()} 督办：即将到期 {self.due_soon} 项，已逾期 {self.overdue} 项，长期逾期 "
                f"{self.long_overdue} 项；新提醒 {self.reminders} 条，升级督办 {self.escalations} 项，站内通知 "
                f"{self.notices} 条，发送 {self.messages} 条，发送失败 {len(self.errors)} 条；自动核验承诺 "
                f"{self.pledges_judged} 项")


def _listing(codes: list[str], en: bool = False) -> str:
    shown = (", " if en else "、").join(codes[:LISTED])
    if len(codes) <= LISTED:
        return shown
    return shown + (f" … ({len(codes)} in all)" if en else f" 等 {len(codes)} 项")


def _addresses():
    """E-mail addresses of active users: per unit (reporters) and of the organizers."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    per_unit = defaultdict(list)
    for unit_id, email in users.filter(role="reporter", unit__isnull=False).values_list("unit_id", "email"):
        per_unit[unit_id].append(email)
    organizers = list(users.filter(role="organizer").values_list("email", flat=True))
    return per_unit, organizers


def _send(notifier, recipients, subject, body, report) -> str:
    if not recipients:
        return ""
    try:
        notifier.send(recipients, subject, body)
    except Exception as e:  # noqa: BLE001 - one failing gateway must not stop the other reminders
        report.errors.append(f"{subject}: {e}")
        return str(e)[:300]
    report.messages += 1
    return ""


def run_supervision(today=None, notifier=None) -> SupervisionReport:
    """Run the daily supervision job for `today` (a controllable clock); idempotent per day."""
    today = today or timezone.localdate()
    notifier = notifier or get_notifier()
    report = SupervisionReport(day=today)
    report.pledges_judged = len(judge_pledges(today=today))
    horizon = today + timedelta(days=flow.DUE_SOON_DAYS)
    rows = list(Item.objects.filter(state__in=flow.OPEN_STATES, deadline__lte=horizon)
                .values_list("id", "unit_id", "code", "deadline"))
    if not rows:
        return report
    ids, unit_ids, codes, deadlines = zip(*rows, strict=True)
    classes = flow.deadline_class(np.array(deadlines, dtype="datetime64[D]"), np.ones(len(rows), dtype=bool), today)
    for kind in (flow.DUE_SOON, flow.OVERDUE, flow.LONG_OVERDUE):
        setattr(report, kind, int((classes == kind).sum()))
    done = set(Reminder.objects.filter(day=today).values_list("item_id", "kind"))
    groups = defaultdict(list)  # (unit_id, kind) → [(item_id, code)]
    for item_id, unit_id, code, kind in zip(ids, unit_ids, codes, classes, strict=True):
        if kind in KIND_TEXT and (item_id, kind) not in done:
            groups[(unit_id, kind)].append((item_id, code))
    if not groups:
        return report
    names = dict(Unit.objects.filter(pk__in={u for u, _ in groups}).values_list("pk", "name"))
    per_unit, organizers = _addresses()
    reminders, notices = [], []
    for (unit_id, kind), members in sorted(groups.items(), key=lambda g: (names.get(g[0][0], ""), g[0][1])):
        item_codes = [c for _, c in members]
        text = f"{names.get(unit_id, '')}有 {len(members)} 项整改事项{KIND_TEXT[kind]}：{_listing(item_codes)}"
        subject = f"【督办】{names.get(unit_id, '')}整改事项{KIND_TEXT[kind]}（{today.isoformat()}）"
        recipients = per_unit.get(unit_id, []) + (organizers if kind == flow.LONG_OVERDUE else [])
        error = _send(notifier, recipients, subject, text + "\n" + "\n".join(item_codes), report)
        sent = bool(recipients) and not error
        reminders += [Reminder(item_id=i, kind=kind, day=today, message=text[:1000], recipients=recipients,
                               channel=notifier.name, sent=sent, error=error) for i, _ in members]
        only = members[0][0] if len(members) == 1 else None
        text_en = (f"{names.get(unit_id, '')}: {len(members)} rectification item(s) {KIND_TEXT_EN[kind]}: "
                   f"{_listing(item_codes, en=True)}")
        notices.append(Notice(unit_id=unit_id, item_id=only, text=text[:300], text_en=text_en[:300]))
        if kind == flow.LONG_OVERDUE:
            report.escalations += len(members)
            notices.append(Notice(unit_id=unit_id, for_organizers=True, item_id=only, text=("升级督办：" + text)[:300],
                                  text_en=("Escalated: " + text_en)[:300]))
    with transaction.atomic():
        Reminder.objects.bulk_create(reminders, batch_size=2000, ignore_conflicts=True)
        Notice.objects.bulk_create(notices, batch_size=2000)
    report.reminders, report.notices = len(reminders), len(notices)
    return report


def mark_notices_read(user) -> None:
    """Every notice `user` sees, marked read by them."""
    for notice in notices_for(user).exclude(read_by=user):
        notice.read_by.add(user)
