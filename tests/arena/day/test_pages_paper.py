"""Paper score sheets: one organizer types a paper judge's sheet in (pending), a second organizer confirms
it by typing the paper's scores again; the one who typed it can never confirm it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leitai.arena.models import ScoreSheet
from tests.arena.conftest import CRITERIA


@pytest.fixture
def scoring_a(arena, organizer, contestants, paper_judge, stage_to):
    """County A on stage with scoring open, and P6 scoring on paper."""
    return stage_to(contestants["A"], "scoring_open", organizer)


def entry(judge, contestant, value, **overrides):
    data = {"judge": judge.pk, "contestant": contestant.pk}
    data.update({f"c_{c}": overrides.get(c, value) for c in CRITERIA})
    return data


def confirmation(sheet, value, **overrides):
    return {f"k{sheet.pk}-c_{c}": overrides.get(c, value) for c in CRITERIA}


def test_paper_entry_by_one_organizer_and_confirmation_by_a_second(login, organizer, staff2, arena, paper_judge,
                                                                    scoring_a):
    client = login(organizer)
    response = client.post(reverse("arena:paper", args=[arena.pk]), entry(paper_judge, scoring_a, "8.5"))
    assert response.status_code == 302
    sheet = ScoreSheet.objects.get()
    assert (sheet.status, sheet.source, sheet.entered_by) == ("pending", "paper", organizer)
    assert sheet.scores == {c: 8.5 for c in CRITERIA}

    html = client.get(reverse("arena:paper", args=[arena.pk])).content.decode()
    assert "需另一名工作人员复核" in html
    assert reverse("arena:confirm_sheet", args=[sheet.pk]) not in html

    client = login(staff2)
    html = client.get(reverse("arena:paper", args=[arena.pk])).content.decode()
    assert reverse("arena:confirm_sheet", args=[sheet.pk]) in html and "复核确认" in html
    response = client.post(reverse("arena:confirm_sheet", args=[sheet.pk]), confirmation(sheet, "8.5"))
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert (sheet.status, sheet.confirmed_by) == ("final", staff2)
    assert "考核办复核员" in client.get(reverse("arena:paper", args=[arena.pk])).content.decode()


def test_the_organizer_who_entered_a_sheet_cannot_confirm_it(login, organizer, arena, paper_judge, scoring_a):
    client = login(organizer)
    client.post(reverse("arena:paper", args=[arena.pk]), entry(paper_judge, scoring_a, "7"))
    sheet = ScoreSheet.objects.get()
    response = client.post(reverse("arena:confirm_sheet", args=[sheet.pk]), confirmation(sheet, "7"))
    assert response.status_code == 400
    assert "录入人不能复核自己录入的评分表" in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.status == "pending" and sheet.confirmed_by is None


def test_a_confirmation_that_differs_names_the_criterion_and_the_sheet_stays_pending(
        login, organizer, staff2, arena, paper_judge, scoring_a):
    login(organizer).post(reverse("arena:paper", args=[arena.pk]), entry(paper_judge, scoring_a, "7"))
    sheet = ScoreSheet.objects.get()
    response = login(staff2).post(reverse("arena:confirm_sheet", args=[sheet.pk]),
                                  confirmation(sheet, "7", innovation="7.5"))
    assert response.status_code == 400
    assert "复核分数与录入分数不一致：innovation" in response.content.decode()
    assert ScoreSheet.objects.get().status == "pending"


def test_a_mismatch_is_typed_in_again_and_then_confirmed_by_the_other(login, organizer, staff2, arena, paper_judge,
                                                                      scoring_a):
    login(organizer).post(reverse("arena:paper", args=[arena.pk]), entry(paper_judge, scoring_a, "7"))
    client = login(staff2)
    client.post(reverse("arena:paper", args=[arena.pk]), entry(paper_judge, scoring_a, "7", quality="9"))
    sheet = ScoreSheet.objects.get()
    assert sheet.entered_by == staff2 and sheet.scores["quality"] == 9.0
    response = login(organizer).post(reverse("arena:confirm_sheet", args=[sheet.pk]),
                                     confirmation(sheet, "7", quality="9"))
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert (sheet.status, sheet.confirmed_by) == ("final", organizer)


def test_a_score_above_the_full_mark_is_refused_on_the_form(login, organizer, arena, paper_judge, scoring_a):
    response = login(organizer).post(reverse("arena:paper", args=[arena.pk]),
                                     entry(paper_judge, scoring_a, "8", quality="11"))
    assert response.status_code == 400
    assert "确保该值小于或等于10.0" in response.content.decode()
    assert not ScoreSheet.objects.exists()


def test_a_score_off_the_step_is_refused_with_the_rule(login, organizer, arena, paper_judge, scoring_a):
    response = login(organizer).post(reverse("arena:paper", args=[arena.pk]),
                                     entry(paper_judge, scoring_a, "8", quality="8.3"))
    assert response.status_code == 400
    assert "分数 8.3 不是评分项 quality 步长 0.5 的整数倍" in response.content.decode()
    assert not ScoreSheet.objects.exists()


def test_only_contestants_being_scored_are_offered(login, organizer, arena, contestants, paper_judge, scoring_a):
    html = login(organizer).get(reverse("arena:paper", args=[arena.pk])).content.decode()
    assert f'<option value="{contestants["A"].pk}" selected>' in html
    assert f'<option value="{contestants["B"].pk}"' not in html


def test_paper_pages_refuse_a_reporter(login, reporter_a, arena, paper_judge, scoring_a):
    client = login(reporter_a)
    assert client.post(reverse("arena:paper", args=[arena.pk]), entry(paper_judge, scoring_a, "8")).status_code == 403
    assert not ScoreSheet.objects.exists()
