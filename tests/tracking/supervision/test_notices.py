"""In-app notices (提醒) per user with an unread count in the header, and the system's own texts in English."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from leitai.tracking import services
from leitai.tracking.models import Item, Notice, Transition

pytestmark = pytest.mark.django_db


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def test_a_reporter_sees_their_units_notices_and_the_organizer_the_escalations(city, organizer, reporter_a,
                                                                              reporter_b, login):
    item = services.create_item(organizer, title="园区路灯不亮", unit=city["a"], deadline=dt.date(2099, 1, 1))
    services.act(reporter_a, item, "start")
    c = login(reporter_a)
    page = c.get(reverse("tracking:notices")).content.decode()
    assert f"新交办整改事项 {item.code}：园区路灯不亮" in page and 'class="unread"' in page
    assert 'id="nav-notices"' in page and '<span class="badge warn">1</span>' in page
    assert "已开始整改" not in page  # the unit's own action goes to the organizers
    assert "园区路灯不亮" not in login(reporter_b).get(reverse("tracking:notices")).content.decode()
    organizer_page = login(organizer).get(reverse("tracking:notices")).content.decode()
    assert f"东城区对整改事项 {item.code}" in organizer_page and "新交办整改事项" not in organizer_page

    c = login(reporter_a)
    assert c.post(reverse("tracking:notices")).status_code == 302
    page = c.get(reverse("tracking:notices")).content.decode()
    assert 'class="unread"' not in page and '<span class="badge warn">' not in page
    assert Notice.objects.filter(read_by=reporter_a).count() == 1
    assert login(city and reporter_b).get(reverse("tracking:notices")).status_code == 200


def test_judges_and_visitors_have_no_notices(client, login, judge):
    assert client.get(reverse("tracking:notices")).status_code == 302  # to the login page
    assert login(judge).get(reverse("tracking:notices")).status_code == 403


def test_texts_the_system_writes_are_shown_in_english_on_english_pages(city, organizer, reporter_a, login):
    item = services.create_item(organizer, title="园区路灯不亮", unit=city["a"], deadline=dt.date(2099, 1, 1))
    services.act(reporter_a, item, "start")
    services.act(reporter_a, item, "request_closeout", text="已修复")
    services.act(organizer, item, "verify")
    services.reopen(item, text="回头看不满意：仍有路灯不亮", text_en="Follow-up review: not satisfied: 仍有路灯不亮")
    page = _english(login(reporter_a)).get(reverse("tracking:item", args=[item.code])).content.decode()
    assert "Deadline 2099-01-01" in page and "Follow-up review: not satisfied" in page
    assert "已修复" in page  # what people wrote stays as written
    notices = _english(login(reporter_a)).get(reverse("tracking:notices")).content.decode()
    assert f"New rectification item {item.code}" in notices and f"Item {item.code} reopened" in notices
    chinese = login(reporter_a)
    chinese.cookies.pop("django_language")
    zh = chinese.get(reverse("tracking:item", args=[item.code])).content.decode()
    assert "整改期限 2099-01-01" in zh
    assert Transition.objects.filter(item=item, action="reopen").get().text_en.startswith("Follow-up review")


def test_supervision_notices_and_pledge_verdicts_have_english_too(city, organizer, reporter_a, login):
    from leitai.indicators import services as data
    from leitai.tracking.base.notify import NullNotifier

    services.create_item(organizer, title="逾期事项", unit=city["a"], deadline=dt.date(2024, 5, 1),
                         assigned_on=dt.date(2024, 4, 1))
    services.run_supervision(today=dt.date(2024, 6, 15), notifier=NullNotifier())
    notice = Notice.objects.filter(text__contains="逾期", for_organizers=False).first()
    assert notice is not None and "overdue" in notice.text_en
    pledge = services.create_pledge(organizer, unit=city["a"], text="4月GDP增速不低于6%", indicator=city["gdp"],
                                    comparison="ge", target_value=6, deadline=city["periods"]["2024-04"])
    data.set_observation(organizer, city["a"], city["gdp"], city["periods"]["2024-04"], 6.5)
    services.judge_pledges(today=dt.date(2024, 6, 1))
    pledge.refresh_from_db()
    assert pledge.status == "kept" and "kept" in pledge.verdict_note_en and "已兑现" in pledge.verdict_note
    page = _english(login(organizer)).get(reverse("tracking:pledges")).content.decode()
    assert pledge.verdict_note_en in page.replace("&#x27;", "'") and pledge.verdict_note not in page


def test_the_states_are_labelled_in_the_pages_language_in_the_admin_too(city, organizer, login, django_user_model):
    item = services.create_item(organizer, title="事项", unit=city["a"], deadline=dt.date(2099, 1, 1))
    with translation.override("en"):
        assert Item.objects.get(pk=item.pk).get_state_display() == "Assigned"
    admin = django_user_model.objects.create_superuser(username="root", password="x", role="organizer")
    page = _english(login(admin)).get(reverse("admin:tracking_item_changelist")).content.decode()
    assert "Assigned" in page
