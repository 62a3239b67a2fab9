"""Score sheets: submission and change, validation, idempotency, concurrency, paper sheets, progress."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection, connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leitai.arena import services
from leitai.arena.models import Contestant, Judge, ScoreSheet, ScoreSheetRevision
from leitai.core.errors import LeitaiError
from tests.arena.conftest import CRITERIA


@pytest.fixture
def open_a(arena, organizer, contestants, panel, stage_to):
    """County A with scoring open."""
    return stage_to(contestants["A"], "scoring_open", organizer)


@pytest.mark.django_db
def test_a_first_submission_makes_version_one_and_a_change_makes_version_two(open_a, panel, sheet):
    first = services.submit_sheet(panel["L1"], open_a, sheet(8, quality=9), "k1")
    assert not first.duplicate and first.sheet.version == 1
    assert first.sheet.total == pytest.approx(49 / 6)
    second = services.submit_sheet(panel["L1"], open_a, sheet(7), "k2")
    assert not second.duplicate and second.sheet.pk == first.sheet.pk and second.sheet.version == 2
    revs = list(ScoreSheetRevision.objects.filter(sheet=first.sheet).values_list("version", "action", "client_key"))
    assert revs == [(1, "submit", "k1"), (2, "change", "k2")]
    stored = ScoreSheet.objects.get()
    assert stored.scores == sheet(7) and stored.total == 7 and stored.source == "phone" and stored.status == "final"


@pytest.mark.django_db
def test_the_same_client_key_twice_stores_one_revision_and_reports_a_duplicate(open_a, panel, sheet):
    a = services.submit_sheet(panel["P1"], open_a, sheet(8), "tap")
    b = services.submit_sheet(panel["P1"], open_a, sheet(8), "tap")
    assert (a.duplicate, b.duplicate) == (False, True) and a.sheet.pk == b.sheet.pk
    assert ScoreSheetRevision.objects.count() == 1 and ScoreSheet.objects.get().version == 1


@pytest.mark.django_db
def test_a_retry_that_arrives_after_scoring_closed_still_reports_the_stored_sheet(open_a, panel, sheet, organizer,
                                                                                   stage_to):
    services.submit_sheet(panel["P1"], open_a, sheet(8), "late-retry")
    stage_to(open_a, "scoring_closed", organizer)
    again = services.submit_sheet(panel["P1"], open_a, sheet(8), "late-retry")
    assert again.duplicate and again.sheet.version == 1


@pytest.mark.django_db
@pytest.mark.parametrize("scores, fragment", [
    ({"quality": 8}, "不完整"),
    ({**dict.fromkeys(CRITERIA, 8), "quality": 8.3}, "步长"),
    ({**dict.fromkeys(CRITERIA, 8), "quality": 10.5}, "满分"),
    ({**dict.fromkeys(CRITERIA, 8), "quality": -1}, "小于 0"),
    ({**dict.fromkeys(CRITERIA, 8), "quality": "9"}, "不是数字"),
    ({**dict.fromkeys(CRITERIA, 8), "quality": True}, "不是数字"),
    ({**dict.fromkeys(CRITERIA, 8), "quality": float("nan")}, "不是数字"),
    ({**dict.fromkeys(CRITERIA, 8), "charm": 5}, "未知的评分项 charm"),
    ({}, "评分不能为空"),
])
def test_an_invalid_sheet_is_refused_and_nothing_is_stored(open_a, panel, scores, fragment):
    with pytest.raises(LeitaiError) as e:
        services.submit_sheet(panel["P2"], open_a, scores, "bad")
    assert fragment in e.value.zh
    assert not ScoreSheet.objects.exists() and not ScoreSheetRevision.objects.exists()


scores_st = st.dictionaries(
    st.sampled_from(CRITERIA),
    st.one_of(st.integers(-2, 12), st.floats(-1, 11, allow_nan=False).map(lambda x: round(x * 4) / 4), st.booleans()),
    min_size=5, max_size=6)


def _valid(scores: dict) -> bool:
    return set(scores) == set(CRITERIA) and all(
        not isinstance(v, bool) and 0 <= v <= 10 and (v * 2) == int(v * 2) for v in scores.values())


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scores=scores_st)
def test_a_sheet_is_stored_exactly_when_every_criterion_has_a_valid_score(open_a, panel, scores):
    # A fresh key per example: the database is shared by the examples, and a key seen before is a duplicate.
    key = uuid.uuid4()
    before = ScoreSheetRevision.objects.count()
    if _valid(scores):
        outcome = services.submit_sheet(panel["P3"], open_a, scores, str(key))
        assert outcome.sheet.scores == {k: float(v) for k, v in scores.items()}
        assert outcome.sheet.total == pytest.approx(sum(scores.values()) / 6)
        assert ScoreSheetRevision.objects.count() == before + 1
    else:
        with pytest.raises(LeitaiError):
            services.submit_sheet(panel["P3"], open_a, scores, str(key))
        assert ScoreSheetRevision.objects.count() == before


@pytest.mark.django_db
def test_progress_counts_sheets_against_judges_who_may_score(open_a, panel, contestants, paper_judge, sheet,
                                                             organizer):
    services.submit_sheet(panel["L1"], open_a, sheet(8), "a")
    services.submit_sheet(panel["P1"], open_a, sheet(8), "b")
    services.enter_paper_sheet(organizer, paper_judge, open_a, sheet(8))  # pending: not yet counted
    p = services.progress(open_a.arena)
    # 9 judges (8 phones + 1 paper); L3 is recused from A.
    assert p[open_a.pk] == {"submitted": 2, "expected": 8}
    assert p[contestants["B"].pk] == {"submitted": 0, "expected": 9}
    services.revoke_token(panel["P5"], organizer)
    assert services.progress(open_a.arena)[contestants["B"].pk]["expected"] == 8


@pytest.mark.django_db
def test_a_paper_sheet_counts_only_once_a_second_staff_member_confirms_it(open_a, paper_judge, sheet, organizer,
                                                                           staff2):
    entered = services.enter_paper_sheet(organizer, paper_judge, open_a, sheet(7.5))
    assert (entered.status, entered.source, entered.entered_by) == ("pending", "paper", organizer)
    with pytest.raises(LeitaiError, match="录入人不能复核"):
        services.confirm_paper_sheet(organizer, entered)
    with pytest.raises(LeitaiError, match="不一致：quality"):
        services.confirm_paper_sheet(staff2, entered, scores=sheet(7.5, quality=8))
    done = services.confirm_paper_sheet(staff2, entered, scores=sheet(7.5))
    assert (done.status, done.confirmed_by, done.version) == ("final", staff2, 2)
    assert list(done.revisions.values_list("action", flat=True)) == ["enter", "confirm"]
    with pytest.raises(LeitaiError, match="已复核"):
        services.enter_paper_sheet(organizer, paper_judge, open_a, sheet(9))


@pytest.mark.django_db
def test_the_person_who_confirmed_cannot_be_the_one_who_reentered_it(open_a, paper_judge, sheet, organizer, staff2):
    s = services.enter_paper_sheet(organizer, paper_judge, open_a, sheet(7))
    s = services.enter_paper_sheet(staff2, paper_judge, open_a, sheet(7.5))  # a correction by staff2
    with pytest.raises(LeitaiError, match="录入人不能复核"):
        services.confirm_paper_sheet(staff2, s)
    assert services.confirm_paper_sheet(organizer, s).scores == sheet(7.5)


@pytest.mark.django_db
def test_a_paper_sheet_can_be_typed_in_after_closing_but_the_reveal_waits_for_it(open_a, paper_judge, sheet,
                                                                                 organizer, staff2, stage_to):
    services.set_quorum(open_a.arena, organizer, 0)  # one sheet here; the quorum is tested in test_quorum
    stage_to(open_a, "scoring_closed", organizer)
    s = services.enter_paper_sheet(organizer, paper_judge, open_a, sheet(7))
    with pytest.raises(LeitaiError, match="待复核"):
        services.advance(Contestant.objects.get(pk=open_a.pk), "revealed", organizer)
    services.confirm_paper_sheet(staff2, s)
    assert stage_to(open_a, "revealed", organizer).score == 7


def _submit_in_thread(judge_id, contestant_id, scores, key, results, errors):
    try:
        judge = Judge.objects.get(pk=judge_id)
        contestant = Contestant.objects.get(pk=contestant_id)
        results.append(services.submit_sheet(judge, contestant, scores, key).duplicate)
    except Exception as e:  # reported by the test
        errors.append(e)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_never_make_two_sheets_or_two_revisions_for_one_key(city, organizer, quarter, sheet):
    """PostgreSQL: real threads racing; SQLite (writers serialised by IMMEDIATE transactions): the same
    requests one after another, as retries."""
    from tests.arena.conftest import move

    arena = services.create_arena(organizer, name="并发", kind="secretary", period=quarter)
    (c,) = services.add_contestants(arena, organizer, [city["a"]])
    judges = [services.add_judge(arena, organizer, group="public", name=f"P{n}") for n in range(4)]
    for j in judges:
        services.issue_token(j, organizer)
    move(c, "scoring_open", organizer)
    # Each judge: 4 retries of one key, then 2 of a second key (a change).
    calls = [(j.pk, c.pk, sheet(8), f"{j.pk}-first") for j in judges for _ in range(4)]
    calls += [(j.pk, c.pk, sheet(9), f"{j.pk}-second") for j in judges for _ in range(2)]
    results, errors = [], []
    if connection.vendor == "postgresql":
        threads = [threading.Thread(target=_submit_in_thread, args=(*call, results, errors)) for call in calls]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    else:
        for call in calls:
            results.append(services.submit_sheet(Judge.objects.get(pk=call[0]), c, call[2], call[3]).duplicate)
    assert errors == []
    assert results.count(False) == 8 and results.count(True) == 16
    assert ScoreSheet.objects.filter(contestant=c).count() == 4
    for j in judges:
        s = ScoreSheet.objects.get(judge=j)
        assert sorted(s.revisions.values_list("client_key", flat=True)) == [f"{j.pk}-first", f"{j.pk}-second"]
        assert s.version == 2


def _close_and_hold(contestant_id, holding, release, errors):
    """Close scoring in a transaction that stays open until `release` (the organizer's click, slowed down)."""
    from django.db import transaction
    from django.utils import timezone

    try:
        with transaction.atomic():
            Contestant.objects.select_for_update().get(pk=contestant_id)
            Contestant.objects.filter(pk=contestant_id).update(stage="scoring_closed", scoring_closed_at=timezone.now())
            holding.set()
            release.wait(10)
    except Exception as e:  # reported by the test
        errors.append(e)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_a_sheet_racing_the_close_of_scoring_is_refused_not_slipped_in(city, organizer, quarter, sheet):
    """PostgreSQL: the submission waits for the closing transaction and then sees scoring closed.
    SQLite: writers are serialised, so the submission simply comes after the close."""
    import time

    from leitai.arena.services import ScoringClosed
    from tests.arena.conftest import move

    arena = services.create_arena(organizer, name="截止竞争", kind="secretary", period=quarter)
    (c,) = services.add_contestants(arena, organizer, [city["a"]])
    judge = services.add_judge(arena, organizer, group="public", name="P1")
    services.issue_token(judge, organizer)
    move(c, "scoring_open", organizer)
    holding, release, errors = threading.Event(), threading.Event(), []
    if connection.vendor == "postgresql":
        closer = threading.Thread(target=_close_and_hold, args=(c.pk, holding, release, errors))
        closer.start()
        assert holding.wait(10)
        results = []
        submitter = threading.Thread(target=_submit_in_thread, args=(judge.pk, c.pk, sheet(8), "k", results, errors))
        submitter.start()
        time.sleep(0.3)  # the submission is now waiting on the closing transaction
        release.set()
        closer.join(10)
        submitter.join(10)
        assert len(errors) == 1 and isinstance(errors[0], ScoringClosed) and results == []
    else:
        move(c, "scoring_closed", organizer)
        with pytest.raises(ScoringClosed):
            services.submit_sheet(judge, c, sheet(8), "k")
    assert not ScoreSheet.objects.filter(contestant=c).exists()
