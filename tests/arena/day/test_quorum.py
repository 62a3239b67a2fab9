"""The quorum (法定份数) per judge group: below it a result is neither revealed nor published unless the
organizer writes a reason, which the arena's log keeps; and reopening scoring, with a reason, until the reveal.

The fixture's panel: leaders L1–L3 (L3 recused from county A, so A expects 2 leaders), public P1–P5; the
arena's quorum is the default 3."""

from __future__ import annotations

import pytest

from leitai.arena import services
from leitai.arena.base.events import QuorumNotMet
from leitai.arena.day import selectors
from leitai.arena.models import Arena, ArenaEvent, Contestant, Judge
from leitai.core.errors import LeitaiError
from leitai.core.judging.flow import FlowError

pytestmark = pytest.mark.django_db


def _score(c, panel, sheet, names, mark=8):
    for name in names:
        services.submit_sheet(panel[name], c, sheet(mark), f"{name}-{c.pk}")


@pytest.fixture
def closed_a(arena, contestants, panel, organizer, sheet, stage_to):
    """County A closed with both leaders it expects and 1 of its 5 public judges."""
    c = stage_to(contestants["A"], "scoring_open", organizer)
    _score(c, panel, sheet, ("L1", "L2", "P1"))
    return stage_to(c, "scoring_closed", organizer)


def test_the_default_quorum_is_three_and_a_smaller_group_needs_all_its_judges(arena, contestants, panel):
    assert Arena._meta.get_field("quorum").default == 3 and arena.quorum == 3
    gaps = selectors.quorum_gaps(arena, [contestants["A"]])
    assert [(g["group"], g["submitted"], g["expected"], g["needed"]) for g in gaps] == [
        ("leaders", 0, 2, 2), ("public", 0, 5, 3)]


def test_the_reveal_is_refused_below_the_quorum_naming_the_contestant_group_and_counts(closed_a, organizer):
    with pytest.raises(QuorumNotMet) as refused:
        services.advance(closed_a, "revealed", organizer)
    assert "东城区 社会各界代表：5 位评委中 1 位已提交，至少需要 3 份" in refused.value.zh
    assert "市领导" not in refused.value.zh  # the leaders are complete (2 of 2)
    assert "1 of 5 judges submitted, at least 3 needed" in refused.value.en
    assert Contestant.objects.get(pk=closed_a.pk).stage == "scoring_closed"
    assert not ArenaEvent.objects.filter(arena=closed_a.arena, kind="quorum_override").exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_override_needs_a_written_reason(closed_a, organizer, reason):
    with pytest.raises(QuorumNotMet):
        services.advance(closed_a, "revealed", organizer, override_reason=reason)


def test_an_override_with_a_reason_reveals_and_is_logged_and_shown_on_the_results_page(closed_a, organizer, login):
    revealed = services.advance(closed_a, "revealed", organizer, override_reason="群众评委因故缺席，经主任同意")
    assert revealed.stage == "revealed" and revealed.score is not None
    event = ArenaEvent.objects.get(arena=closed_a.arena, kind="quorum_override")
    assert event.by_user == organizer and event.payload["reason"] == "群众评委因故缺席，经主任同意"
    assert event.payload["action"] == "reveal" and event.payload["contestants"] == [closed_a.pk]
    assert [(g["group"], g["submitted"], g["needed"]) for g in event.payload["gaps"]] == [("public", 1, 3)]
    page = login(organizer).get(f"/arena/{closed_a.arena_id}/results/").content.decode()
    assert "群众评委因故缺席，经主任同意" in page and "5 位评委中 1 位已提交，至少需要 3 份" in page


def test_at_the_quorum_the_reveal_needs_no_reason(arena, contestants, panel, organizer, sheet, stage_to):
    c = stage_to(contestants["A"], "scoring_open", organizer)
    _score(c, panel, sheet, ("L1", "L2", "P1", "P2", "P3"))
    assert stage_to(c, "revealed", organizer).stage == "revealed"
    assert not ArenaEvent.objects.filter(arena=arena, kind="quorum_override").exists()


def test_quorum_zero_checks_nothing_and_setting_it_is_logged(closed_a, organizer):
    arena = services.set_quorum(closed_a.arena, organizer, 0)
    assert ArenaEvent.objects.filter(arena=arena, kind="quorum_set").last().payload == {"quorum": 0, "previous": 3}
    assert services.advance(closed_a, "revealed", organizer).stage == "revealed"
    for bad in (-1, 101, 2.5, True, "3"):
        with pytest.raises(LeitaiError, match="法定份数"):
            services.set_quorum(arena, organizer, bad)


def test_reveal_all_is_refused_below_the_quorum_and_proceeds_with_a_reason(arena, contestants, panel, organizer,
                                                                         sheet, stage_to):
    Arena.objects.filter(pk=arena.pk).update(reveal_mode="end")
    for code in ("A", "B", "K"):
        c = stage_to(contestants[code], "scoring_open", organizer)
        _score(c, panel, sheet, ("L1", "L2", "P1", "P2", "P3") if code != "K" else ("L1", "P1"))
        stage_to(c, "scoring_closed", organizer)
    with pytest.raises(QuorumNotMet) as refused:
        services.reveal_all(arena, organizer)
    assert "南山县 市领导：3 位评委中 1 位已提交，至少需要 3 份" in refused.value.zh
    assert "东城区" not in refused.value.zh
    services.reveal_all(arena, organizer, override_reason="南山县场次评委提前离场")
    assert set(arena.contestants.values_list("stage", flat=True)) == {"revealed"}
    # Publication does not ask again for what the reveal excused.
    services.publish_results(arena, organizer)
    assert Arena.objects.get(pk=arena.pk).status == Arena.Status.PUBLISHED


def test_publication_is_refused_below_the_quorum_unless_the_organizer_gives_a_reason(arena, contestants, panel,
                                                                                   organizer, sheet, stage_to):
    for code in ("A", "B", "K"):
        c = stage_to(contestants[code], "scoring_open", organizer)
        leaders = ("L1", "L2") if code == "A" else ("L1", "L2", "L3")  # L3 sits out A
        _score(c, panel, sheet, leaders + (("P1",) if code == "B" else ("P1", "P2", "P3")))
        stage_to(c, "scoring_closed", organizer)
    with pytest.raises(QuorumNotMet, match="西城区 社会各界代表：5 位评委中 1 位已提交，至少需要 3 份"):
        services.publish_results(arena, organizer)
    assert Arena.objects.get(pk=arena.pk).status != Arena.Status.PUBLISHED
    services.publish_results(arena, organizer, override_reason="按会议决定发布")
    event = ArenaEvent.objects.get(arena=arena, kind="quorum_override")
    assert event.payload["action"] == "publish" and event.payload["contestants"] == [contestants["B"].pk]
    assert Arena.objects.get(pk=arena.pk).status == Arena.Status.PUBLISHED


# ---- reopening scoring ---------------------------------------------------------------------------

def test_scoring_reopens_before_the_reveal_with_a_reason_and_judges_score_again(closed_a, panel, organizer, sheet):
    arena = closed_a.arena
    assert Arena.objects.get(pk=arena.pk).status == Arena.Status.LIVE
    with pytest.raises(LeitaiError):
        services.submit_sheet(panel["P2"], closed_a, sheet(7), "late")
    c = services.reopen_scoring(closed_a, organizer, "两位群众评委网络故障，未能提交")
    assert c.stage == "scoring_open"
    event = ArenaEvent.objects.filter(arena=arena, kind="scoring_reopened").get()
    assert event.by_user == organizer and event.payload["reason"] == "两位群众评委网络故障，未能提交"
    assert event.payload["contestant"] == closed_a.pk and event.payload["previous"] == "scoring_closed"
    # The judges' phones see scoring open again (their state and the public one).
    assert selectors.public_state(arena)["current"]["stage"] == "scoring_open"
    assert selectors.judge_state(Judge.objects.get(pk=panel["P2"].pk))["current"]["can_score"] is True
    assert not services.submit_sheet(panel["P2"], c, sheet(7), "late").duplicate
    assert selectors.progress(arena)[c.pk]["submitted"] == 4


def test_reopening_needs_a_reason(closed_a, organizer):
    for reason in ("", "  ", None):
        with pytest.raises(LeitaiError, match="理由不能为空"):
            services.reopen_scoring(closed_a, organizer, reason)
    assert Contestant.objects.get(pk=closed_a.pk).stage == "scoring_closed"
    assert not ArenaEvent.objects.filter(arena=closed_a.arena, kind="scoring_reopened").exists()


def test_reopening_is_refused_after_the_reveal(closed_a, organizer):
    services.advance(closed_a, "revealed", organizer, override_reason="测试")
    with pytest.raises(FlowError, match="已揭晓"):
        services.reopen_scoring(closed_a, organizer, "想再改")
    assert Contestant.objects.get(pk=closed_a.pk).stage == "revealed"


def test_reopening_is_refused_while_scoring_is_open_or_another_holds_the_stage(closed_a, contestants, organizer,
                                                                             stage_to):
    stage_to(contestants["B"], "on_stage", organizer)
    with pytest.raises(FlowError, match="另一位选手正在台上"):
        services.reopen_scoring(closed_a, organizer, "补交")
    with pytest.raises(FlowError, match="尚未结束"):
        services.reopen_scoring(Contestant.objects.get(pk=contestants["B"].pk), organizer, "补交")


def test_reopening_needs_an_organizer(closed_a, judge):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.reopen_scoring(closed_a, judge, "补交")
