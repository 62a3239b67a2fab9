"""Who may score what: tokens bound to one arena, closing, recusal, revocation, paper judges, roles —
and nobody sees a judge's scores but that judge."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied

from leitai.arena import services
from leitai.arena.day import selectors
from leitai.arena.models import Contestant, Judge, ScoreSheet
from leitai.arena.services import JudgeRefused, ScoringClosed
from leitai.core.errors import LeitaiError

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_a(arena, organizer, contestants, panel, stage_to):
    return stage_to(contestants["A"], "scoring_open", organizer)


def test_a_token_cannot_score_in_another_arena(open_a, other_arena, sheet):
    judge = services.judge_for_token(other_arena.panel.tokens["X1"])
    with pytest.raises(JudgeRefused, match="不属于本场"):
        services.submit_sheet(judge, open_a, sheet(8), "k")
    assert not ScoreSheet.objects.exists()


def test_nobody_can_score_before_scoring_opens(arena, contestants, panel, sheet, organizer, stage_to):
    with pytest.raises(ScoringClosed, match="尚未开始"):
        services.submit_sheet(panel["L1"], contestants["B"], sheet(8), "k")
    stage_to(contestants["B"], "questions", organizer)
    with pytest.raises(ScoringClosed, match="尚未开始"):
        services.submit_sheet(panel["L1"], contestants["B"], sheet(8), "k")


def test_a_sheet_cannot_be_submitted_or_changed_after_scoring_closes(open_a, panel, sheet, organizer, stage_to):
    services.submit_sheet(panel["L1"], open_a, sheet(8), "first")
    stage_to(open_a, "scoring_closed", organizer)
    for judge, key in ((panel["L1"], "change"), (panel["L2"], "new")):
        with pytest.raises(ScoringClosed, match="评分已结束"):
            services.submit_sheet(judge, open_a, sheet(9), key)
    assert ScoreSheet.objects.get().scores == sheet(8)


def test_a_recused_judge_cannot_score_their_own_county(open_a, panel, sheet, contestants, organizer, stage_to):
    with pytest.raises(JudgeRefused, match="回避"):
        services.submit_sheet(panel["L3"], open_a, sheet(10), "k")
    stage_to(open_a, "scoring_closed", organizer)
    b = stage_to(contestants["B"], "scoring_open", organizer)
    assert not services.submit_sheet(panel["L3"], b, sheet(8), "k").duplicate


def test_a_revoked_token_cannot_score_even_with_a_judge_object_fetched_before(open_a, panel, sheet, organizer):
    judge = services.judge_for_token(panel.tokens["P1"])
    services.revoke_token(panel["P1"], organizer)
    assert services.judge_for_token(panel.tokens["P1"]) is None
    with pytest.raises(JudgeRefused, match="失效"):
        services.submit_sheet(judge, open_a, sheet(8), "k")


def test_a_paper_judge_cannot_use_a_phone(open_a, panel, sheet):
    # The organizer switched P2 to paper after the link was printed.
    Judge.objects.filter(pk=panel["P2"].pk).update(paper=True)
    judge = services.judge_for_token(panel.tokens["P2"])
    with pytest.raises(JudgeRefused, match="纸质"):
        services.submit_sheet(judge, open_a, sheet(8), "k")


def test_a_phone_judges_sheet_cannot_be_entered_on_paper(open_a, panel, sheet, organizer):
    with pytest.raises(JudgeRefused, match="手机"):
        services.enter_paper_sheet(organizer, panel["P1"], open_a, sheet(8))


def test_a_recused_paper_judges_sheet_cannot_be_entered(open_a, arena, organizer, city, sheet):
    j = services.add_judge(arena, organizer, group="public", name="东城代表", unit=city["town"], paper=True)
    with pytest.raises(JudgeRefused, match="回避"):
        services.enter_paper_sheet(organizer, j, open_a, sheet(8))


@pytest.mark.parametrize("call", [
    lambda a, c, j, s, u: services.advance(c, "on_stage", u),
    lambda a, c, j, s, u: services.reveal_all(a, u),
    lambda a, c, j, s, u: services.publish_results(a, u),
    lambda a, c, j, s, u: services.enter_paper_sheet(u, j, c, s(8)),
    lambda a, c, j, s, u: services.add_judge(a, u, group="public", name="x"),
    lambda a, c, j, s, u: services.issue_token(j, u),
    lambda a, c, j, s, u: services.revoke_token(j, u),
    lambda a, c, j, s, u: services.record_comment(c, u, "好"),
    lambda a, c, j, s, u: services.lock_submissions(a, u),
    lambda a, c, j, s, u: services.set_order(a, u, "draw", seed="x"),
])
@pytest.mark.parametrize("persona", ["reporter_a", "judge", "public_user"])
def test_only_organizers_run_the_day(arena, contestants, panel, sheet, call, persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        call(arena, contestants["A"], panel["P1"], sheet, user)


def _dump(data) -> str:
    return json.dumps(data, ensure_ascii=False)


def test_the_public_state_never_carries_a_judges_scores(arena, open_a, panel, sheet, organizer, stage_to):
    services.set_quorum(arena, organizer, 0)  # two sheets: revealed below the quorum
    services.submit_sheet(panel["L1"], open_a, sheet(9.5, quality=6.5), "k1")
    services.submit_sheet(panel["P1"], open_a, sheet(3.5), "k2")
    while_open = _dump(selectors.public_state(arena))
    stage_to(open_a, "scoring_closed", organizer)
    revealed = stage_to(open_a, "revealed", organizer)
    after = selectors.public_state(arena)
    assert after["current"]["submitted"] == 2 and revealed.score is not None
    # Before the reveal nothing of the sheets shows but their count; after it, only group and final
    # scores (a group of one judge necessarily shows that judge's total, never the criteria).
    for text in (while_open, _dump(after)):
        for secret in ("quality", "J001", "J004", "L1", "P1", "6.5", "9.5", *panel.tokens.values()):
            assert secret not in text
    assert "3.5" not in while_open and "9.0" not in while_open
    assert '"ranks": {}' in while_open
    assert selectors.results_of(after)[0]["score"] == revealed.score


def test_a_judge_sees_only_their_own_sheet(open_a, panel, sheet):
    services.submit_sheet(panel["L1"], open_a, sheet(9.5), "k1")
    services.submit_sheet(panel["L2"], open_a, sheet(6), "k2")
    mine = selectors.judge_state(Judge.objects.get(pk=panel["L2"].pk))
    assert mine["current"]["my_sheet"]["scores"] == sheet(6)
    assert mine["current"]["can_score"] is True and mine["submitted"] == [open_a.pk]
    assert "9.5" not in _dump(mine)
    other = selectors.judge_state(Judge.objects.get(pk=panel["P1"].pk))
    assert other["current"]["my_sheet"] is None and "9.5" not in _dump(other) and '"6.0"' not in _dump(other)


def test_the_judge_state_says_when_a_judge_is_recused(open_a, panel):
    state = selectors.judge_state(Judge.objects.get(pk=panel["L3"].pk))
    assert state["current"]["recused"] is True and state["current"]["can_score"] is False


def test_nothing_about_scores_changes_after_publication(arena, contestants, panel, sheet, organizer, staff2,
                                                        stage_to, paper_judge):
    services.set_quorum(arena, organizer, 0)  # one sheet each
    for c in contestants.values():
        c = stage_to(c, "scoring_open", organizer)
        services.submit_sheet(panel["L1"], c, sheet(8), f"k{c.pk}")
        stage_to(c, "revealed", organizer)
    services.publish_results(arena, organizer)
    a = Contestant.objects.get(pk=contestants["A"].pk)
    attempts = [
        lambda: services.submit_sheet(panel["L1"], a, sheet(9), "late"),
        lambda: services.enter_paper_sheet(organizer, paper_judge, a, sheet(9)),
        lambda: services.advance(a, "waiting", organizer),
        lambda: services.publish_results(arena, organizer),
        lambda: services.reveal_all(arena, organizer),
        lambda: services.update_rubric(arena, organizer, [{"code": "a", "max": 10}], [{"code": "leaders"}], []),
    ]
    for attempt in attempts:
        with pytest.raises(LeitaiError):
            attempt()
    assert ScoreSheet.objects.get(contestant=a).scores == sheet(8)


def test_the_admin_never_shows_a_token_hash_and_keeps_sheets(admin_client, open_a, panel, sheet):
    outcome = services.submit_sheet(panel["L1"], open_a, sheet(8), "k")
    judge = Judge.objects.get(pk=panel["L1"].pk)
    page = admin_client.get(f"/admin/arena/judge/{judge.pk}/change/")
    assert page.status_code == 200 and judge.token_hash not in page.content.decode()
    assert panel.tokens["L1"] not in page.content.decode()
    for url in (f"/admin/arena/scoresheet/{outcome.sheet.pk}/delete/", "/admin/arena/arenaevent/1/delete/"):
        assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert admin_client.get(f"/admin/arena/scoresheet/{outcome.sheet.pk}/change/").status_code == 200
    for name in ("arena", "judge", "scoresheet", "arenaevent", "question", "comment", "shortcoming", "submission"):
        assert admin_client.get(f"/admin/arena/{name}/").status_code == 200
    assert admin_client.get(f"/admin/arena/arena/{open_a.arena_id}/change/").status_code == 200
    assert ScoreSheet.objects.count() == 1
