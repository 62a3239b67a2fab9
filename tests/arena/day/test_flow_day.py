"""A whole arena day: three contestants through every stage, questions, comments, a shortcoming from a
comment, reveals, publication into the assessment ledger; and results held to the end."""

from __future__ import annotations

import datetime as dt

import pytest

from leitai.arena import services
from leitai.arena.day import selectors
from leitai.arena.models import Arena, ArenaEvent, Contestant, Shortcoming
from leitai.core.errors import LeitaiError
from leitai.core.judging.flow import FlowError
from leitai.rankings.models import Adjustment

pytestmark = pytest.mark.django_db

# Per county and judge, the mark given on every criterion (L3 sits out county A: recusal).
MARKS = {
    "A": {"L1": 8, "L2": 7, "P1": 7, "P2": 7, "P3": 6, "P4": 7, "P5": 8},
    "B": {"L1": 9, "L2": 9, "L3": 8, "P1": 9, "P2": 8, "P3": 9, "P4": 9, "P5": 10},
    "K": {"L1": 6, "L2": 6, "L3": 7, "P1": 6, "P2": 6, "P3": 5, "P4": 6, "P5": 6},
}


@pytest.fixture
def published(monkeypatch):
    """Every live message sent, as (channel, state)."""
    sent = []
    monkeypatch.setattr("leitai.live.publish", lambda channel, data: sent.append((channel, data)))
    return sent


def _run(c, organizer, panel, sheet, stage_to, reveal=True):
    c = stage_to(c, "questions", organizer)
    services.record_question(c, organizer, f"{c.unit.name}的工业投资为何下降？", judge=panel["L1"],
                             answer="两个重大项目推迟开工，已落实专班")
    c = services.advance(c, "scoring_open", organizer)
    for name, mark in MARKS[c.unit.code].items():
        services.submit_sheet(panel[name], c, sheet(mark), f"{name}-{c.pk}")
    c = services.advance(c, "scoring_closed", organizer)
    if reveal:
        c = services.advance(c, "revealed", organizer)
    return c


def test_a_whole_day_ends_in_published_results_and_ledger_points(arena, contestants, panel, organizer, sheet,
                                                                 stage_to, published,
                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        a = stage_to(contestants["A"], "speech", organizer)
    arena.refresh_from_db()
    state = selectors.public_state(arena)
    assert state["arena"]["status"] == "live" and state["current"]["stage"] == "speech"
    assert state["current"]["person"] == "张三" and state["current"]["title"] == "区委书记"
    assert state["current"]["speech_ends_at"] == int(a.speech_started_at.timestamp() * 1000) + 480_000
    assert published and published[-1][0] == f"arena:{arena.pk}" and published[-1][1]["current"]["stage"] == "speech"
    assert published[-1][1]["seq"] == state["seq"]

    with pytest.raises(FlowError, match="另一位选手"):
        services.advance(contestants["B"], "on_stage", organizer)

    with django_capture_on_commit_callbacks(execute=True):
        a = _run(a, organizer, panel, sheet, stage_to)
    assert published[-1][1]["current"]["submitted"] == 7 and published[-1][1]["current"]["expected"] == 7
    assert a.stage == "revealed" and a.score == 7.3 and a.rank == 1
    assert (a.speech_started_at <= a.scoring_opened_at <= a.scoring_closed_at)

    comment = services.record_comment(a, organizer, "工业投资短板明显，要拿出硬招实招", judge=panel["L1"])
    short = services.raise_shortcoming(arena, organizer, "工业投资增速低于全市平均", contestants["A"].unit,
                                       dt.date(2024, 6, 30), comment=comment)
    assert short.contestant == contestants["A"] and comment.author == "L1"

    b = _run(contestants["B"], organizer, panel, sheet, stage_to)
    assert (b.score, b.rank) == (9.0, 1)
    assert Contestant.objects.get(pk=a.pk).rank == 2  # ranks among those revealed so far
    k = _run(contestants["K"], organizer, panel, sheet, stage_to)
    arena.refresh_from_db()
    assert arena.status == Arena.Status.FINISHED

    with django_capture_on_commit_callbacks(execute=True):
        services.publish_results(arena, organizer)
    arena.refresh_from_db()
    assert arena.status == "published" and arena.published_by == organizer
    assert [(r["unit"], r["rank"], r["bonus"]) for r in arena.result["rows"]] == [("B", 1, 2), ("A", 2, 1), ("K", 3, -1)]
    assert arena.result["tally_csv"].splitlines()[0] == "contestant,score,rank,group:leaders,group:public"
    assert Contestant.objects.get(pk=k.pk).rank == 3
    ledger = {(adj.unit.code, adj.points, adj.reason, adj.source, adj.period.code)
              for adj in Adjustment.objects.select_related("unit", "period")}
    assert ledger == {
        ("B", 2.0, "2024年第一季度书记擂台 第1名（+2分）", f"arena:{arena.pk}", "2024Q1"),
        ("A", 1.0, "2024年第一季度书记擂台 第2名（+1分）", f"arena:{arena.pk}", "2024Q1"),
        ("K", -1.0, "2024年第一季度书记擂台 第3名（-1分）", f"arena:{arena.pk}", "2024Q1"),
    }
    final = published[-1][1]
    assert final["arena"]["status"] == "published" and [r["unit_code"] for r in selectors.results_of(final)] == ["B", "A", "K"]

    kinds = list(ArenaEvent.objects.filter(arena=arena).values_list("kind", flat=True))
    assert kinds.count("stage") == 18 and kinds.count("question") == 3 and kinds[-1] == "published"
    assert {"comment", "shortcoming"} <= set(kinds)
    assert Shortcoming.objects.get().responsible_unit == contestants["A"].unit


def test_a_contestant_can_step_back_to_waiting_before_the_speech(arena, contestants, organizer, stage_to):
    stage_to(contestants["A"], "on_stage", organizer)
    services.advance(contestants["A"], "waiting", organizer)
    assert services.advance(contestants["B"], "on_stage", organizer).stage == "on_stage"


def test_scoring_can_open_straight_after_the_speech(contestants, organizer, stage_to):
    c = stage_to(contestants["A"], "speech", organizer)
    assert services.advance(c, "scoring_open", organizer).scoring_opened_at is not None


def test_stages_cannot_be_skipped(contestants, organizer):
    with pytest.raises(FlowError, match="不能从"):
        services.advance(contestants["A"], "scoring_open", organizer)


def test_the_questions_countdown_is_in_the_public_state(arena, contestants, organizer, stage_to):
    c = stage_to(contestants["A"], "questions", organizer)
    cur = selectors.public_state(arena)["current"]
    assert cur["questions_ends_at"] == int(c.stage_changed_at.timestamp() * 1000) + 300_000
    assert cur["speech_ends_at"] is None


def test_results_held_to_the_end_appear_only_when_all_are_revealed(arena, contestants, panel, organizer, sheet,
                                                                   stage_to):
    Arena.objects.filter(pk=arena.pk).update(reveal_mode="end")
    arena.refresh_from_db()
    a = _run(contestants["A"], organizer, panel, sheet, stage_to, reveal=False)
    with pytest.raises(FlowError, match="最后统一揭晓"):
        services.advance(a, "revealed", organizer)
    with pytest.raises(FlowError, match="还有选手评分未结束"):
        services.reveal_all(arena, organizer)
    state = selectors.public_state(arena)
    assert selectors.results_of(state) == [] and state["ranks"] == {}
    assert all(c["result"] is None for c in state["contestants"])
    assert Contestant.objects.get(pk=a.pk).score is None
    for code in ("B", "K"):
        _run(contestants[code], organizer, panel, sheet, stage_to, reveal=False)
    services.reveal_all(arena, organizer)
    state = selectors.public_state(arena)
    assert [(r["unit_code"], r["rank"]) for r in selectors.results_of(state)] == [("B", 1), ("A", 2), ("K", 3)]
    assert all(c["stage"] == "revealed" for c in state["contestants"])
    assert services.publish_results(arena, organizer).status == "published"


def test_publication_waits_for_every_scoring_and_every_paper_sheet(arena, contestants, panel, paper_judge,
                                                                   organizer, staff2, sheet, stage_to):
    a = _run(contestants["A"], organizer, panel, sheet, stage_to, reveal=False)
    with pytest.raises(LeitaiError, match="西城区、南山县"):
        services.publish_results(arena, organizer)
    entered = services.enter_paper_sheet(organizer, paper_judge, a, sheet(7))
    for code in ("B", "K"):
        _run(contestants[code], organizer, panel, sheet, stage_to, reveal=False)
    with pytest.raises(LeitaiError) as e:
        services.publish_results(arena, organizer)
    assert "1 份纸质评分表待复核" in e.value.zh and "J009 P6 → 东城区" in e.value.zh
    services.confirm_paper_sheet(staff2, entered)
    arena = services.publish_results(arena, organizer)
    row = next(r for r in arena.result["rows"] if r["unit"] == "A")
    assert row["sheets"] == 8


def test_a_shortcoming_must_belong_to_the_arena_and_have_a_date(arena, other_arena, contestants, organizer, city):
    foreign = other_arena.contestants.first()
    with pytest.raises(LeitaiError, match="不属于本场"):
        services.raise_shortcoming(arena, organizer, "x", city["a"], dt.date(2024, 6, 30), contestant=foreign)
    with pytest.raises(LeitaiError, match="日期"):
        services.raise_shortcoming(arena, organizer, "x", city["a"], "2024-06-30")
    with pytest.raises(LeitaiError, match="不能为空"):
        services.record_question(contestants["A"], organizer, "  ")


def test_a_reveal_adds_up_only_the_new_contestant_and_ranks_the_revealed_like_the_full_tally(
        arena, contestants, panel, organizer, sheet, stage_to, monkeypatch):
    from leitai.arena.day import flow
    from leitai.arena.setup.selectors import rubric_of
    from leitai.core.judging.tally import tally

    added_up = []
    real = flow.final_sheets
    monkeypatch.setattr(flow, "final_sheets", lambda a, cs=None: added_up.append(sorted(c.unit.code for c in cs))
                        or real(a, cs))
    revealed = []
    for code in ("A", "K", "B"):  # B outranks the two revealed before it: their stored ranks move
        revealed.append(_run(contestants[code], organizer, panel, sheet, stage_to))
        full = tally(real(arena, revealed), rubric_of(arena), [c.unit.code for c in revealed])
        stored = {c.unit.code: (c.score, c.rank, c.group_scores) for c in Contestant.objects.filter(stage="revealed")}
        assert stored == {r.contestant: (r.score, r.rank or None, r.group_scores) for r in full.rows}
    assert added_up == [["A"], ["K"], ["B"]]
    assert {c.unit.code: c.rank for c in Contestant.objects.all()} == {"B": 1, "A": 2, "K": 3}


def test_a_reveal_travels_as_one_result_and_the_ranks_however_many_came_before(arena, contestants, panel,
                                                                             organizer, sheet, stage_to):
    """Issue 11: the last reveal reaches the screens as fast as the first. The stream sends a new event as the
    values that changed (live.hub.delta): the revealed contestant's row and the small "ranks" map, never the
    earlier results again, although the new result moves their ranks."""
    from leitai.live.hub import delta, encode

    sizes = []
    for code in ("K", "A", "B"):  # B best, then A, then K: each reveal moves the earlier ones down
        c = _run(contestants[code], organizer, panel, sheet, stage_to, reveal=False)
        before = selectors.public_state(arena)
        services.advance(c, "revealed", organizer)
        after = selectors.public_state(arena)
        changed = delta(before, after)
        rows = [path for path in changed if path.startswith("contestants.")]
        assert rows == [f"contestants.{[x['id'] for x in after['contestants']].index(c.pk)}"]
        assert changed[rows[0]]["result"]["score"] == Contestant.objects.get(pk=c.pk).score
        assert "results" not in changed and set(changed["ranks"]) == {str(x.pk) for x in
                                                                      Contestant.objects.filter(stage="revealed")}
        sizes.append(len(encode({k: v for k, v in changed.items() if k not in ("server_time", "seq", "rev")})))
    assert [r["unit_code"] for r in selectors.results_of(after)] == ["B", "A", "K"]
    # Each earlier result adds only its entry in "ranks" (a few bytes), not its row.
    assert sizes[2] - sizes[0] < 40, sizes
