"""Follow-up reviews (回头看) and the raiser's answer link: sampling, verdicts, reopening, pages per role."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leitai.core.errors import LeitaiError
from leitai.tracking.models import Attachment, Feedback, Item, ReviewAssignment, Transition
from leitai.tracking.reviews import selectors as review_selectors
from leitai.tracking.reviews import services as sr
from tests.tracking.conftest import PNG


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_round_over_all_closed_items_assigns_supervisors_round_robin(organizer, supervisors, closed_items):
    rnd = sr.create_round(organizer, "第一轮", method="all", supervisors=supervisors)
    rows = list(rnd.assignments.order_by("item__code").values_list("item__code", "supervisor__username"))
    assert len(rows) == 6
    assert [s for _c, s in rows] == ["sup1", "sup2"] * 3


def test_a_sampled_round_is_repeatable_from_its_recorded_seed(organizer, supervisors, closed_items):
    first = sr.create_round(organizer, "抽样一", method="sample", sample_size=3, seed="2024-回头看", supervisors=supervisors)
    again = sr.create_round(organizer, "抽样二", method="sample", sample_size=3, seed="2024-回头看", supervisors=supervisors)
    other = sr.create_round(organizer, "抽样三", method="sample", sample_size=3, seed="另一个种子", supervisors=supervisors)
    codes = [{a.item.code for a in r.assignments.all()} for r in (first, again, other)]
    assert first.seed == "2024-回头看" and len(codes[0]) == 3
    assert codes[0] == codes[1]
    auto = sr.create_round(organizer, "自动种子", method="sample", sample_size=2, supervisors=supervisors)
    assert auto.seed  # generated and recorded
    with pytest.raises(LeitaiError):
        sr.create_round(organizer, "太多", method="sample", sample_size=7, seed="s", supervisors=supervisors)


def test_only_the_organizer_starts_a_round_with_supervisors(organizer, reporter_a, judge, supervisors, closed_items):
    with pytest.raises(PermissionDenied):
        sr.create_round(reporter_a, "x", supervisors=supervisors)
    with pytest.raises(LeitaiError):
        sr.create_round(organizer, "x", supervisors=[judge])


def test_a_not_satisfied_verdict_reopens_the_item_with_a_review_transition(organizer, supervisors, closed_items):
    rnd = sr.create_round(organizer, "第一轮", supervisors=supervisors)
    a = rnd.assignments.select_related("supervisor", "item").first()
    photo = SimpleUploadedFile("site.jpg", PNG, content_type="image/jpeg")
    sr.record_verdict(a.supervisor, a, "not", "路面仍有积水", photos=[photo])
    item = Item.objects.get(pk=a.item_id)
    assert item.state == "reopened" and item.closed_on is None
    last = Transition.objects.filter(item=item).last()
    assert (last.action, last.from_state, last.to_state) == ("reopen", "closed", "reopened")
    assert "路面仍有积水" in last.text and last.by_name == a.supervisor.display_name
    assert Attachment.objects.filter(review=a, is_photo=True).count() == 1


def test_a_satisfied_verdict_keeps_the_item_closed_and_counts_in_the_summary(organizer, supervisors, closed_items):
    rnd = sr.create_round(organizer, "第一轮", supervisors=supervisors)
    for a in rnd.assignments.select_related("supervisor", "item__unit"):
        if a.item.unit.code == "A":
            sr.record_verdict(a.supervisor, a, "satisfied" if a.item.title != "问题0" else "basic", "")
    assert Item.objects.filter(state="closed").count() == 6
    summary = review_selectors.round_summary(rnd)
    units = {u["unit"]: u for u in summary["units"]}
    assert units["东城区"]["coverage"] == 1.0 and units["东城区"]["satisfaction"] == 1.0
    assert units["东城区"]["basic"] == 1
    assert units["西城区"]["coverage"] == 0.0 and units["西城区"]["satisfaction"] is None
    assert summary["total"]["coverage"] == pytest.approx(4 / 6)


def test_only_the_assigned_supervisor_records_a_verdict_and_only_once(organizer, supervisors, closed_items):
    rnd = sr.create_round(organizer, "第一轮", supervisors=supervisors)
    a = rnd.assignments.select_related("supervisor").first()
    stranger = supervisors[1] if a.supervisor == supervisors[0] else supervisors[0]
    for user in (stranger, organizer):
        with pytest.raises(PermissionDenied):
            sr.record_verdict(user, a, "satisfied", "")
    sr.record_verdict(a.supervisor, a, "satisfied", "很好")
    with pytest.raises(LeitaiError):
        sr.record_verdict(a.supervisor, a, "not", "改主意了")
    assert ReviewAssignment.objects.get(pk=a.pk).verdict == "satisfied"


def test_feedback_no_reopens_and_the_link_works_once(closed_items):
    item = closed_items[5]
    token = sr.issue_feedback_link(item)
    assert Feedback.objects.get().token_hash != token and len(Feedback.objects.get().token_hash) == 64
    sr.answer_feedback(token, False, "仍然没有解决")
    item.refresh_from_db()
    assert item.state == "reopened"
    assert Transition.objects.filter(item=item).last().by_name == "某某科技有限公司"
    with pytest.raises(LeitaiError):
        sr.answer_feedback(token, True, "")
    with pytest.raises(LeitaiError):
        sr.answer_feedback("unknown-token", True, "")


def test_feedback_yes_keeps_the_item_closed_and_links_need_a_raiser_and_a_close_out(closed_items):
    token = sr.issue_feedback_link(closed_items[5])
    sr.answer_feedback(token, True, "")
    assert Item.objects.get(pk=closed_items[5].pk).state == "closed"
    with pytest.raises(LeitaiError):
        sr.issue_feedback_link(closed_items[0])  # raised by no one


def test_the_feedback_page_asks_thanks_and_then_says_the_link_was_used(client, closed_items):
    token = sr.issue_feedback_link(closed_items[5])
    url = reverse("tracking:feedback", args=[token])
    assert "问题是否已真正解决" in client.get(url).content.decode()
    assert "感谢您的反馈" in client.post(url, {"solved": "no", "comment": "没修好"}).content.decode()
    assert Item.objects.get(pk=closed_items[5].pk).state == "reopened"
    assert "该链接已使用" in client.get(url).content.decode()
    assert "链接无效" in client.get(reverse("tracking:feedback", args=["nope"])).content.decode()


def test_a_supervisor_sees_the_evidence_and_records_a_verdict_on_the_phone_page(login, organizer, supervisors,
                                                                                closed_items):
    rnd = sr.create_round(organizer, "第一轮", supervisors=supervisors[:1])
    client = login(supervisors[0])
    page = client.get(reverse("tracking:my_reviews")).content.decode()
    assert 'accept="image/*"' in page and "capture" in page and "不满意" in page and "<img" in page
    a = rnd.assignments.first()
    photo = SimpleUploadedFile("p.png", PNG, content_type="image/png")
    response = client.post(reverse("tracking:my_reviews"),
                           {"assignment": a.pk, "verdict": "not", "comment": "没改好", "photos": [photo]})
    assert response.status_code == 302
    assert Item.objects.get(pk=a.item_id).state == "reopened"


def test_review_pages_per_role(client, login, organizer, reporter_a, supervisors, closed_items):
    assert client.get(reverse("tracking:reviews")).status_code == 302
    assert login(reporter_a).get(reverse("tracking:reviews")).status_code == 403
    assert login(reporter_a).get(reverse("tracking:my_reviews")).status_code == 403
    org = login(organizer)
    response = org.post(reverse("tracking:reviews"), {"name": "页面创建", "method": "sample", "sample_size": "2",
                                                      "seed": "abc", "supervisors": [s.pk for s in supervisors]})
    assert response.status_code == 302
    page = org.get(response.url).content.decode()
    assert "abc" in page and "覆盖率" in page and "满意率" in page
    page = org.get(reverse("tracking:reviews")).content.decode()
    assert "页面创建" in page and "某某科技有限公司" in page
    response = org.post(reverse("tracking:reviews"), {"action": "feedback", "item": closed_items[5].code}, follow=True)
    assert "/tracking/reviews/feedback/" in response.content.decode()
    assert Feedback.objects.filter(item=closed_items[5]).count() == 1


def test_a_round_exports_its_verdicts_and_per_unit_figures_to_excel(organizer, reporter_a, supervisors, closed_items,
                                                                     login):
    import io

    import openpyxl

    rnd = sr.create_round(organizer, "第一轮", method="all", supervisors=supervisors)
    first = rnd.assignments.select_related("item").order_by("item__code").first()
    sr.record_verdict(first.supervisor, first, "basic", "基本到位")
    client = login(organizer)
    page = client.get(reverse("tracking:review_round", args=[rnd.pk])).content.decode()
    assert reverse("tracking:export_review_round", args=[rnd.pk]) in page
    r = client.get(reverse("tracking:export_review_round", args=[rnd.pk]))
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    detail = list(book["评价明细"].values)
    assert len(detail) == 1 + 6 and detail[1][0] == first.item.code and detail[1][4] == "基本满意"
    totals = {row[0]: row for row in book["覆盖率与满意率"].values}
    assert totals["合计"][1:4] == (6, 1, pytest.approx(1 / 6)) and totals["合计"][7] == 1.0
    assert login(reporter_a).get(reverse("tracking:export_review_round", args=[rnd.pk])).status_code == 403
