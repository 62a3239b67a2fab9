"""Contestants' submissions: the reporter of the contestant's unit (or the organizer) edits highlights,
shortcomings, measures, pledges and slides until the deadline or the lock; then the page is read-only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from leitai.arena import services
from leitai.arena.models import Arena, Submission
from tests.files import pdf_bytes

PDF = pdf_bytes()


def page(contestant):
    return reverse("arena:submission", args=[contestant.pk])


def form_data(**rows):
    """Formset data: rows["highlight"] = ["text", …]; rows["pledge"] = [dict(text=…, indicator=…), …]."""
    data = {}
    for kind in ("highlight", "shortcoming", "measure", "pledge"):
        items = rows.get(kind, [])
        data[f"{kind}-TOTAL_FORMS"] = len(items)
        data[f"{kind}-INITIAL_FORMS"] = 0
        for i, item in enumerate(items):
            fields = item if isinstance(item, dict) else {"text": item}
            data.update({f"{kind}-{i}-{k}": v for k, v in fields.items()})
    return data


def items_of(contestant):
    sub = Submission.objects.filter(contestant=contestant).first()
    return [(i.kind, i.text) for i in sub.items.all()] if sub else []


def test_the_reporter_of_county_a_edits_a_submission_with_a_pledge_and_slides(login, reporter_a, city, contestants):
    client = login(reporter_a)
    assert client.get(page(contestants["A"])).status_code == 200
    data = form_data(highlight=["数字经济产业园投产", ""], shortcoming=["固定资产投资增速落后"],
                     measure=["开展项目攻坚百日行动"],
                     pledge=[{"text": "四季度投资增速不低于 8%", "indicator": city["inv"].pk, "comparison": "ge",
                              "target_value": "8", "deadline": "2024年第四季度"}])
    data["slides"] = SimpleUploadedFile("汇报.pdf", PDF, content_type="application/pdf")
    response = client.post(page(contestants["A"]), data)
    assert response.status_code == 302
    sub = Submission.objects.get(contestant=contestants["A"])
    assert sub.slides_name == "汇报.pdf" and sub.updated_by == reporter_a
    assert items_of(contestants["A"]) == [("highlight", "数字经济产业园投产"), ("measure", "开展项目攻坚百日行动"),
                                          ("pledge", "四季度投资增速不低于 8%"), ("shortcoming", "固定资产投资增速落后")]
    pledge = sub.items.get(kind="pledge")
    assert (pledge.indicator, pledge.comparison, pledge.target_value, pledge.deadline.code) == (
        city["inv"], "ge", 8.0, "2024Q4")
    html = client.get(page(contestants["A"])).content.decode()
    assert "数字经济产业园投产" in html and "汇报.pdf" in html


def test_a_reporter_of_county_a_gets_403_for_county_b(login, reporter_a, contestants):
    client = login(reporter_a)
    assert client.get(page(contestants["B"])).status_code == 403
    assert client.post(page(contestants["B"]), form_data(highlight=["冒名"])).status_code == 403
    assert items_of(contestants["B"]) == []


def test_the_anonymous_are_sent_to_sign_in_and_a_judge_is_refused(client, login, judge, contestants):
    response = client.get(page(contestants["A"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert login(judge).get(page(contestants["A"])).status_code == 403


def test_the_organizer_may_edit_any_submission(login, organizer, contestants):
    response = login(organizer).post(page(contestants["K"]), form_data(highlight=["南山县文旅融合"]))
    assert response.status_code == 302
    assert items_of(contestants["K"]) == [("highlight", "南山县文旅融合")]


def test_after_the_lock_the_page_is_read_only_and_a_post_is_refused(login, organizer, reporter_a, arena, contestants):
    client = login(reporter_a)
    client.post(page(contestants["A"]), form_data(highlight=["原有亮点"]))
    services.lock_submissions(arena, organizer)
    html = client.get(page(contestants["A"])).content.decode()
    assert "材料已截止或已锁定，只能查看，不能再修改" in html
    assert "原有亮点" in html
    assert "<textarea" not in html and "保存参赛材料" not in html
    response = client.post(page(contestants["A"]), form_data(highlight=["锁定后偷改"]))
    assert response.status_code == 403
    assert items_of(contestants["A"]) == [("highlight", "原有亮点")]


def test_after_the_deadline_the_page_is_read_only(login, reporter_a, arena, contestants):
    Arena.objects.filter(pk=arena.pk).update(submission_deadline=timezone.now() - dt.timedelta(minutes=1))
    client = login(reporter_a)
    assert "只能查看" in client.get(page(contestants["A"])).content.decode()
    assert client.post(page(contestants["A"]), form_data(highlight=["迟交"])).status_code == 403
    assert items_of(contestants["A"]) == []


def test_a_slides_file_that_is_not_a_pdf_is_rejected_with_a_message(login, reporter_a, contestants):
    data = form_data(highlight=["亮点"])
    data["slides"] = SimpleUploadedFile("汇报.pptx", b"PK\x03\x04 not a pdf", content_type="application/pdf")
    response = login(reporter_a).post(page(contestants["A"]), data)
    assert response.status_code == 400
    assert "文件“汇报.pptx”不是 PDF" in response.content.decode()
    assert items_of(contestants["A"]) == []


def test_slides_over_the_size_limit_are_rejected(login, reporter_a, arena, contestants):
    Arena.objects.filter(pk=arena.pk).update(max_slides_mb=1)
    data = form_data()
    data["slides"] = SimpleUploadedFile("大.pdf", PDF + b"0" * (1024 * 1024), content_type="application/pdf")
    html = login(reporter_a).post(page(contestants["A"]), data).content.decode()
    assert "太大：上限 1 MB" in html


def test_a_pledge_on_an_indicator_needs_a_comparison_and_a_target(login, reporter_a, city, contestants):
    data = form_data(pledge=[{"text": "空气更好", "indicator": city["pm25"].pk}])
    html = login(reporter_a).post(page(contestants["A"]), data).content.decode()
    assert "挂钩指标时请选择比较方式" in html and "挂钩指标时请填写目标值" in html


def test_add_row_returns_the_next_numbered_row_and_the_new_count(login, reporter_a, contestants):
    url = reverse("arena:submission_row", args=[contestants["A"].pk])
    html = login(reporter_a).get(url, {"kind": "pledge", "pledge-TOTAL_FORMS": "2"},
                                 HTTP_HX_REQUEST="true").content.decode()
    assert 'name="pledge-2-text"' in html and 'name="pledge-2-indicator"' in html
    assert 'id="id_pledge-TOTAL_FORMS"' in html and 'value="3"' in html and 'hx-swap-oob="true"' in html


def test_add_row_refuses_another_countys_reporter(login, reporter_b, contestants):
    url = reverse("arena:submission_row", args=[contestants["A"].pk])
    assert login(reporter_b).get(url, {"kind": "highlight"}).status_code == 403


def test_my_submissions_lists_only_the_reporters_unit(login, reporter_a, arena, contestants):
    html = login(reporter_a).get(reverse("arena:my_submissions")).content.decode()
    assert page(contestants["A"]) in html
    assert page(contestants["B"]) not in html
    assert "东城区" in html and "西城区" not in html


@pytest.mark.django_db
def test_submissions_lock_when_the_arena_starts(login, reporter_a, organizer, contestants, stage_to):
    from leitai.core.errors import LeitaiError

    c = contestants["A"]
    services.save_submission(c, reporter_a, [{"kind": "highlight", "text": "新建产业园"}])
    stage_to(contestants["B"], "on_stage", organizer)  # the day begins: the arena is live
    assert Arena.objects.get(pk=c.arena_id).status == Arena.Status.LIVE
    for who in (reporter_a, organizer):
        with pytest.raises(LeitaiError, match="擂台赛已开始，参赛材料已锁定，不能再修改"):
            services.save_submission(c, who, [{"kind": "highlight", "text": "临场改稿"}])
    client = login(reporter_a)
    page = client.get(reverse("arena:submission", args=[c.pk])).content.decode()
    assert "擂台赛已开始，参赛材料已锁定，只能查看，不能再修改。" in page and "新建产业园" in page
    assert "<textarea" not in page and 'type="file"' not in page
    refused = client.post(reverse("arena:submission", args=[c.pk]), {})
    assert refused.status_code == 403
    assert list(c.submission.items.values_list("text", flat=True)) == ["新建产业园"]
