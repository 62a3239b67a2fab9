"""Item pages per role: the list, an item's detail and actions (close-out with a photo), the new-item form,
a unit's page and the pledge list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leitai.tracking.models import Attachment, Item, KeyProject, Pledge
from tests.files import image_bytes, pdf_bytes

# A 1×1 PNG: enough for an image upload.
PNG = image_bytes("PNG")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_organizer_sees_every_item_in_the_list(login, organizer, items):
    page = login(organizer).get(reverse("tracking:items")).content.decode()
    for item in items.values():
        assert item.code in page


def test_a_reporter_sees_only_their_own_units_items(login, reporter_a, items):
    page = login(reporter_a).get(reverse("tracking:items")).content.decode()
    assert items["a_late"].code in page
    assert items["b_late"].code not in page


@pytest.mark.parametrize("persona", ["judge", "public_user"])
def test_judges_and_the_public_may_not_open_the_item_list(login, request, persona, items):
    assert login(request.getfixturevalue(persona)).get(reverse("tracking:items")).status_code == 403


def test_the_anonymous_are_sent_to_sign_in_from_the_item_list(client, items):
    response = client.get(reverse("tracking:items"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_list_filters_by_state_source_and_text(login, organizer, items):
    client = login(organizer)
    page = client.get(reverse("tracking:items"), {"state": "closed"}).content.decode()
    assert items["a_done"].code in page and items["a_late"].code not in page
    page = client.get(reverse("tracking:items"), {"source": "business_help"}).content.decode()
    assert items["b_late"].code in page and items["a_done"].code not in page
    page = client.get(reverse("tracking:items"), {"q": items["a_long"].code}).content.decode()
    assert items["a_long"].code in page and items["a_track"].code not in page


def test_the_list_filters_by_deadline_class(login, organizer, items, clock, today):
    clock(today)
    client = login(organizer)
    page = client.get(reverse("tracking:items"), {"due": "long_overdue"}).content.decode()
    assert items["a_long"].code in page and items["a_late"].code not in page
    page = client.get(reverse("tracking:items"), {"due": "overdue"}).content.decode()
    assert items["a_late"].code in page and items["b_late"].code in page and items["a_long"].code not in page


def test_reporter_a_requests_close_out_with_a_photo(login, reporter_a, items):
    item = items["a_soon"]
    client = login(reporter_a)
    photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    response = client.post(reverse("tracking:item_act", args=[item.code]),
                           {"action": "request_closeout", "text": "已完成整改，附现场照片", "photos": [photo]})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == "requested"
    attachment = Attachment.objects.get(item=item)
    assert attachment.is_photo and attachment.transition.action == "request_closeout"
    page = client.get(reverse("tracking:item", args=[item.code])).content.decode()
    assert "已完成整改，附现场照片" in page and 'class="thumb"' in page


def test_a_request_without_evidence_text_is_refused_with_a_chinese_message(login, reporter_a, items):
    item = items["a_soon"]
    client = login(reporter_a)
    response = client.post(reverse("tracking:item_act", args=[item.code]), {"action": "request_closeout", "text": ""},
                           follow=True)
    item.refresh_from_db()
    assert item.state == "in_progress"
    assert "需要填写整改情况说明" in response.content.decode()


def test_reporter_b_gets_403_on_an_item_of_county_a(login, reporter_b, items):
    client = login(reporter_b)
    code = items["a_soon"].code
    assert client.get(reverse("tracking:item", args=[code])).status_code == 403
    response = client.post(reverse("tracking:item_act", args=[code]), {"action": "request_closeout", "text": "x"})
    assert response.status_code == 403
    assert Item.objects.get(code=code).state == "in_progress"


def test_only_the_organizer_sees_verify_and_return(login, organizer, reporter_a, items):
    code = items["a_asked"].code
    organizer_page = login(organizer).get(reverse("tracking:item", args=[code])).content.decode()
    assert 'id="act-verify"' in organizer_page and 'id="act-return"' in organizer_page
    reporter_page = login(reporter_a).get(reverse("tracking:item", args=[code])).content.decode()
    assert 'id="act-verify"' not in reporter_page and 'id="act-return"' not in reporter_page


def test_the_photo_input_opens_the_phone_camera(login, reporter_a, items):
    page = login(reporter_a).get(reverse("tracking:item", args=[items["a_track"].code])).content.decode()
    assert 'accept="image/*" capture="environment" multiple' in page


def test_the_organizer_verifies_and_the_item_is_closed(login, organizer, items):
    item = items["a_asked"]
    login(organizer).post(reverse("tracking:item_act", args=[item.code]), {"action": "verify", "text": "现场核实"})
    item.refresh_from_db()
    assert item.state == "closed" and item.closed_on is not None


def test_the_organizer_returns_with_a_reason(login, organizer, items):
    item = items["a_asked"]
    login(organizer).post(reverse("tracking:item_act", args=[item.code]), {"action": "return", "text": "佐证不足"})
    item.refresh_from_db()
    assert item.state == "returned"
    assert item.transitions.last().text == "佐证不足"


def test_the_history_shows_who_did_what_and_why(login, organizer, items):
    page = login(organizer).get(reverse("tracking:item", args=[items["a_long"].code])).content.decode()
    assert "东城区填报员" in page and "考核办" in page and "return 说明" in page


@pytest.mark.parametrize("persona", ["reporter_a", "judge"])
def test_only_the_organizer_may_create_items(login, request, persona, city):
    assert login(request.getfixturevalue(persona)).get(reverse("tracking:item_new")).status_code == 403


def test_the_organizer_creates_an_item_with_measures(login, organizer, city):
    deadline = dt.date.today() + dt.timedelta(days=30)
    response = login(organizer).post(reverse("tracking:item_new"), {
        "title": "企业用地审批慢", "unit": city["b"].pk, "deadline": deadline.isoformat(), "source": "supervision",
        "priority": "high", "measures": "压缩审批时限\n建立周例会", "public": "on"})
    item = Item.objects.get(title="企业用地审批慢")
    assert response.status_code == 302 and response["Location"].endswith(f"/items/{item.code}/")
    assert item.unit == city["b"] and item.public and item.measures.count() == 2


def test_a_new_item_with_a_deadline_before_today_shows_the_services_error(login, organizer, city):
    response = login(organizer).post(reverse("tracking:item_new"), {
        "title": "过期问题", "unit": city["b"].pk, "deadline": "2000-01-01", "source": "manual", "priority": "normal"})
    assert response.status_code == 200 and "整改期限不能早于交办日期" in response.content.decode()
    assert not Item.objects.filter(title="过期问题").exists()


def test_a_units_page_lists_its_items_pledges_and_projects(login, reporter_a, organizer, city, items):
    Pledge.objects.create(unit=city["a"], text="年底前完成老旧小区改造")
    KeyProject.objects.create(code="XM-1", name="东城产业园", unit=city["a"])
    page = login(reporter_a).get(reverse("tracking:unit_items", args=["A"])).content.decode()
    assert items["a_late"].code in page and "年底前完成老旧小区改造" in page and "东城产业园" in page
    assert items["b_late"].code not in page


def test_a_units_page_is_closed_to_other_units_and_judges(login, reporter_b, judge, items):
    assert login(reporter_b).get(reverse("tracking:unit_items", args=["A"])).status_code == 403
    assert login(judge).get(reverse("tracking:unit_items", args=["A"])).status_code == 403


def test_the_organizer_records_a_manual_verdict_on_a_pledge(login, organizer, city):
    pledge = Pledge.objects.create(unit=city["a"], text="三个月内解决停车难")
    client = login(organizer)
    assert "三个月内解决停车难" in client.get(reverse("tracking:pledges")).content.decode()
    evidence = SimpleUploadedFile("核验.pdf", pdf_bytes(), content_type="application/pdf")
    client.post(reverse("tracking:pledge_verdict", args=[pledge.pk]),
                {"status": "kept", "note": "现场查看已建成停车场", "evidence": evidence})
    pledge.refresh_from_db()
    assert pledge.status == "kept" and pledge.verdict_by == organizer and pledge.verdict_evidence


def test_a_reporter_sees_pledges_but_cannot_judge_them(login, reporter_a, city):
    pledge = Pledge.objects.create(unit=city["a"], text="三个月内解决停车难")
    client = login(reporter_a)
    page = client.get(reverse("tracking:pledges")).content.decode()
    assert "三个月内解决停车难" in page and "pledge_verdict" not in page and "人工核验" not in page
    response = client.post(reverse("tracking:pledge_verdict", args=[pledge.pk]), {"status": "kept", "note": "x"})
    assert response.status_code == 403
    pledge.refresh_from_db()
    assert pledge.status == "pending"


def test_the_responsible_unit_adds_a_measure_and_ticks_it_done_and_both_are_in_the_history(login, reporter_a, items):
    item = items["a_soon"]
    client = login(reporter_a)
    url = reverse("tracking:item_measure", args=[item.code])
    assert client.post(url, {"text": "约谈企业负责人", "due": "2024-07-01"}).status_code == 302
    measure = item.measures.get(text="约谈企业负责人")
    assert str(measure.due) == "2024-07-01" and not measure.done
    client.post(url, {"measure": measure.pk, "done": "1"})
    measure.refresh_from_db()
    assert measure.done
    actions = list(item.transitions.values_list("action", flat=True))
    assert actions[-2:] == ["measure_added", "measure_done"]
    assert "标为未完成" in client.get(reverse("tracking:item", args=[item.code])).content.decode()


def test_another_unit_cannot_touch_the_measures_and_a_bad_date_is_refused(login, reporter_a, reporter_b, items):
    item = items["a_soon"]
    url = reverse("tracking:item_measure", args=[item.code])
    assert login(reporter_b).post(url, {"text": "越权添加"}).status_code == 403
    for due in ("下个月", "2024-02-30"):
        response = login(reporter_a).post(url, {"text": "补充措施", "due": due}, follow=True)
        assert "完成时限应为日期" in response.content.decode()
    assert not item.measures.filter(text__in=["越权添加", "补充措施"]).exists()


def test_a_closed_items_measures_cannot_change(login, organizer, items):
    item = items["a_done"]
    response = login(organizer).post(reverse("tracking:item_measure", args=[item.code]), {"text": "补充"},
                                     follow=True)
    assert "已销号的事项不能再修改整改措施" in response.content.decode()
    assert not item.measures.filter(text="补充").exists()
