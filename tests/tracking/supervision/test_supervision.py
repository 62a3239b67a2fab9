"""The daily supervision job (督办): reminders per class, idempotent per day, escalation, e-mail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from leitai.tracking import services
from leitai.tracking.base import notify
from leitai.tracking.models import Notice, Reminder

pytestmark = pytest.mark.django_db


@pytest.fixture
def emails(organizer, reporter_a, reporter_b):
    for user, address in ((organizer, "kbb@city.example"), (reporter_a, "a@city.example"),
                          (reporter_b, "b@city.example")):
        user.email = address
        user.save()


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


class Recorder:
    name = "recorder"

    def __init__(self, fail=False):
        self.sent, self.fail = [], fail

    def send(self, recipients, subject, body):
        if self.fail:
            raise ConnectionError("网关不可用")
        self.sent.append((tuple(recipients), subject, body))


def test_reminders_are_made_per_class_and_once_per_day(items, today, emails):
    report = services.run_supervision(today=today, notifier=Recorder())
    assert (report.due_soon, report.overdue, report.long_overdue) == (1, 2, 1)
    got = set(Reminder.objects.values_list("item__code", "kind"))
    assert got == {(items["a_soon"].code, "due_soon"), (items["a_late"].code, "overdue"),
                   (items["b_late"].code, "overdue"), (items["a_long"].code, "long_overdue")}
    again = services.run_supervision(today=today, notifier=Recorder())
    assert (again.reminders, again.notices, again.messages) == (0, 0, 0)
    assert Reminder.objects.count() == 4
    tomorrow = services.run_supervision(today=today + dt.timedelta(days=1), notifier=Recorder())
    assert tomorrow.reminders == 4 and Reminder.objects.count() == 8


def test_long_overdue_items_are_escalated_to_the_organizers(items, today, emails):
    recorder = Recorder()
    report = services.run_supervision(today=today, notifier=recorder)
    assert report.escalations == 1
    escalation = Notice.objects.get(for_organizers=True, text__startswith="升级督办")
    assert escalation.text.startswith("升级督办") and items["a_long"].code in escalation.text
    assert escalation.item_id == items["a_long"].pk
    long_mail = [s for s in recorder.sent if "长期逾期" in s[1]]
    assert long_mail and set(long_mail[0][0]) == {"a@city.example", "kbb@city.example"}
    unit_notices = Notice.objects.filter(for_organizers=False, text__contains="已逾期", unit__code="A")
    assert unit_notices.count() == 1


def test_the_email_notifier_sends_through_djangos_mail_backend(items, today, emails, settings):
    settings.LEITAI_NOTIFIER = "email"
    report = services.run_supervision(today=today)
    assert report.messages == len(mail.outbox) == 4  # A: due soon, overdue, long overdue; B: overdue
    subjects = sorted(m.subject for m in mail.outbox)
    assert any("西城区整改事项已逾期" in s for s in subjects)
    b_mail = next(m for m in mail.outbox if "西城区" in m.subject)
    assert b_mail.to == ["b@city.example"] and items["b_late"].code in b_mail.body
    assert Reminder.objects.filter(sent=True, channel="email").count() == 4


def test_a_failing_notifier_is_recorded_and_the_reminders_still_kept(items, today, emails):
    report = services.run_supervision(today=today, notifier=Recorder(fail=True))
    assert report.messages == 0 and len(report.errors) == 4
    assert Reminder.objects.filter(sent=False).exclude(error="").count() == 4


def test_closed_items_get_no_reminder_and_an_empty_city_is_quiet(city, today):
    report = services.run_supervision(today=today, notifier=Recorder())
    assert report.reminders == 0 and "督办" in report.summary()


def test_get_notifier_follows_the_setting(settings):
    settings.LEITAI_NOTIFIER = "none"
    assert isinstance(notify.get_notifier(), notify.NullNotifier)
    settings.LEITAI_NOTIFIER = "email"
    assert isinstance(notify.get_notifier(), notify.EmailNotifier)
    settings.LEITAI_NOTIFIER = "pigeon"
    with pytest.raises(ValueError, match="pigeon"):
        notify.get_notifier()
    settings.LEITAI_NOTIFIER, settings.LEITAI_WEBHOOK_URL = "webhook", ""
    with pytest.raises(ValueError, match="LEITAI_WEBHOOK_URL"):
        notify.get_notifier()
