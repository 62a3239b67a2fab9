"""A published arena is frozen: no question or comment is added, its ledger points are not withdrawn on the
adjustments page; a correction (who, why, old → new) makes the next version of the result and every earlier
version stays visible, while the scores and the recomputable bundle stay as published."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leitai.arena import services
from leitai.arena.base.events import Published
from leitai.arena.models import Arena, Comment, Question, ResultCorrection
from leitai.core.errors import LeitaiError
from leitai.rankings.models import Adjustment

pytestmark = pytest.mark.django_db

MARKS = {"A": 9, "B": 8, "K": 7}  # ranks 1, 2, 3: bonus 2, 1, −1 (the fixture's rule)


@pytest.fixture
def published(arena, contestants, panel, organizer, sheet, stage_to):
    services.set_quorum(arena, organizer, 2)  # two sheets per group
    for code, mark in MARKS.items():
        c = stage_to(contestants[code], "scoring_open", organizer)
        for name in ("L1", "L2", "P1", "P2"):
            services.submit_sheet(panel[name], c, sheet(mark), f"{name}-{code}")
        stage_to(c, "revealed", organizer)
    return services.publish_results(arena, organizer)


def _bonus(rows, code):
    return next(r["bonus"] for r in rows if r["unit"] == code)


def test_a_correction_makes_version_2_and_keeps_version_1_visible(published, organizer, login):
    frozen = dict(published.result)
    client = login(organizer)
    response = client.post(reverse("arena:correct", args=[published.pk]),
                           {"unit": "B", "points": "0.5", "reason": "评分规则第 2 名应为 0.5 分"})
    assert response.status_code == 302
    arena = Arena.objects.get(pk=published.pk)
    assert arena.result == frozen  # the publication itself never changes
    correction = ResultCorrection.objects.get(arena=arena)
    assert correction.version == 2 and correction.by_user == organizer
    assert correction.changes == [{"unit": "B", "unit_name": "西城区", "field": "bonus", "old": 1.0, "new": 0.5}]
    assert _bonus(correction.rows, "B") == 0.5 and _bonus(frozen["rows"], "B") == 1.0
    # the ledger: the old entry withdrawn (kept), the corrected one in force
    entries = list(Adjustment.objects.filter(source=f"arena:{arena.pk}", unit__code="B").order_by("id"))
    assert [(a.points, a.withdrawn) for a in entries] == [(1.0, True), (0.5, False)]
    assert "评分规则第 2 名应为 0.5 分" in entries[1].reason
    # the page shows the latest version, lists both, and shows version 1 on request
    page = client.get(reverse("arena:results", args=[arena.pk])).content.decode()
    assert "结果版本与更正" in page and "西城区：1 → 0.5" in page and "评分规则第 2 名应为 0.5 分" in page
    old = client.get(reverse("arena:results", args=[arena.pk]) + "?version=1").content.decode()
    assert "这是第 1 版结果，已被第 2 版更正" in old
    # the API gives the latest version and the corrections
    api = client.get(f"/api/v1/arena/{arena.pk}/results").json()
    assert api["version"] == 2 and _bonus(api["rows"], "B") == 0.5
    assert api["corrections"][0]["reason"] == "评分规则第 2 名应为 0.5 分" and api["corrections"][0]["by"] == "organizer"
    # the bundle still recomputes the published tally
    assert services.export_arena(arena)["result.csv"].decode() == frozen["tally_csv"]


def test_a_second_correction_is_version_3_and_zero_points_leave_no_entry(published, organizer):
    from leitai.arena.results.corrections import correct_points

    correct_points(published, organizer, "K", -2, "扣分标准调整")
    third = correct_points(published, organizer, "K", 0, "复议后不扣分")
    assert third.version == 3 and third.changes[0]["old"] == -2.0
    assert not Adjustment.objects.filter(source=f"arena:{published.pk}", unit__code="K", withdrawn=False).exists()
    assert Adjustment.objects.filter(source=f"arena:{published.pk}", unit__code="K").count() == 2  # both kept


def test_a_correction_needs_an_organizer_a_reason_a_change_and_a_published_arena(published, organizer, reporter_a,
                                                                                 arena, login):
    from django.core.exceptions import PermissionDenied

    from leitai.arena.results.corrections import correct_points

    with pytest.raises(PermissionDenied):
        correct_points(published, reporter_a, "B", 0, "x")
    with pytest.raises(LeitaiError, match="理由"):
        correct_points(published, organizer, "B", 0, "  ")
    with pytest.raises(LeitaiError, match="无需更正"):
        correct_points(published, organizer, "B", 1, "同样的分")
    with pytest.raises(LeitaiError, match="不是本场"):
        correct_points(published, organizer, "ZZ", 1, "x")
    assert login(reporter_a).post(reverse("arena:correct", args=[published.pk]),
                                  {"unit": "B", "points": "0", "reason": "x"}).status_code in (302, 403)
    assert not ResultCorrection.objects.exists()


def test_the_points_a_published_arena_wrote_are_not_withdrawn_on_the_adjustments_page(published, organizer, login):
    entry = Adjustment.objects.get(source=f"arena:{published.pk}", unit__code="A")
    login(organizer).post(reverse("rankings:withdraw", args=[entry.pk]))
    assert not Adjustment.objects.get(pk=entry.pk).withdrawn


def test_questions_and_comments_are_refused_after_publication(published, contestants, organizer, login):
    before = (Question.objects.count(), Comment.objects.count())
    with pytest.raises(Published):
        services.record_question(contestants["A"], organizer, "发布后还能提问吗？")
    with pytest.raises(Published):
        services.record_comment(contestants["A"], organizer, "发布后的点评")
    client = login(organizer)
    response = client.post(reverse("arena:add_question", args=[published.pk]),
                           {"contestant": contestants["A"].pk, "text": "发布后还能提问吗？", "asker": "市长"})
    assert response.status_code == 400 and "已发布" in response.content.decode()
    assert (Question.objects.count(), Comment.objects.count()) == before
