"""Bonus and deduction points from arena ranks, for the units' annual assessment ledger."""

from __future__ import annotations

import pytest

from leitai.core.errors import SpecError
from leitai.core.judging.tally import Criterion, JudgeGroup, Rubric, Sheet, bonus_by_rank, tally

RANKS = {"A": 1, "B": 1, "C": 3, "D": 4, "E": 4, "F": 0}


def test_a_rank_rule_gives_tied_contestants_the_shared_ranks_points_and_last_to_all_sharing_the_worst():
    # A, B share rank 1 → 2 each; nobody is 2nd; C 3rd → 1; D, E share the worst rank 4 → −1; F unranked → 0
    assert bonus_by_rank(RANKS, {"1": 2, "2": 1.5, "3": 1, "last": -1}) == {
        "A": 2.0, "B": 2.0, "C": 1.0, "D": -1.0, "E": -1.0, "F": 0.0}


def test_a_list_rule_gives_points_to_ranks_one_to_n():
    # [2, 1, 0.5] for ranks 1, 2, 3: rank 2 is empty (A, B share 1), ranks past the list get 0
    assert bonus_by_rank(RANKS, [2, 1, 0.5]) == {"A": 2.0, "B": 2.0, "C": 0.5, "D": 0.0, "E": 0.0, "F": 0.0}


def test_a_list_rule_with_last_replaces_the_points_of_the_worst_rank():
    ranks = {"A": 1, "B": 2, "C": 3}
    assert bonus_by_rank(ranks, {"ranks": [2, 1, 0.5], "last": -1}) == {"A": 2.0, "B": 1.0, "C": -1.0}
    assert bonus_by_rank(ranks, {1: 3, "last": -2}) == {"A": 3.0, "B": 0.0, "C": -2.0}


def test_when_everyone_ties_nobody_is_last():
    assert bonus_by_rank({"A": 1, "B": 1}, {"1": 2, "last": -1}) == {"A": 2.0, "B": 2.0}
    assert bonus_by_rank({"A": 1}, {"1": 2, "last": -1}) == {"A": 2.0}
    assert bonus_by_rank({}, {"1": 2, "last": -1}) == {}


def test_bonus_points_follow_a_tally():
    rubric = Rubric((Criterion("s", 1, 10),), (JudgeGroup("all", 1, 0),))
    result = tally([Sheet("J1", "all", c, {"s": s}) for c, s in [("A", 9), ("B", 7), ("C", 9)]], rubric)
    assert bonus_by_rank(result.ranks, {"1": 1, "last": -0.5}) == {"A": 1.0, "B": -0.5, "C": 1.0}


@pytest.mark.parametrize("rule", [{"0": 1}, {"first": 1}, {"1": "two"}, {"last": None}, "1:2", {"1": True}])
def test_a_bad_rule_is_refused(rule):
    with pytest.raises(SpecError):
        bonus_by_rank(RANKS, rule)


# ---- ties on a boundary (shown in the console before publication) -------------------------------

def test_four_tied_at_the_bottom_all_take_the_deduction_and_are_reported():
    from leitai.core.judging.tally import boundary_ties

    ranks = {**{f"u{i}": i for i in range(1, 9)}, "w": 9, "x": 9, "y": 9, "z": 9}
    rule = {"1": 2, "2": 1, "last": -1}
    assert boundary_ties(ranks, rule) == [(9, ["w", "x", "y", "z"], -1.0, [0.0, 0.0, 0.0, -1.0])]


def test_a_tie_across_a_bonus_place_is_reported_and_one_inside_a_band_is_not():
    from leitai.core.judging.tally import boundary_ties

    rule = {"1": 2, "2": 1, "last": -1}
    # b and c tie at 2: untied they would earn +1 and 0
    assert boundary_ties({"a": 1, "b": 2, "c": 2, "d": 4, "e": 5}, rule) == [(2, ["b", "c"], 1.0, [1.0, 0.0])]
    # c and d tie at 3 of 5: both places earn 0, nothing to report
    assert boundary_ties({"a": 1, "b": 2, "c": 3, "d": 3, "e": 5}, rule) == []
    # everyone tied: nobody is last, all take the first place's points
    assert boundary_ties({"a": 1, "b": 1, "c": 1}, rule) == [(1, ["a", "b", "c"], 2.0, [2.0, 1.0, -1.0])]
    assert boundary_ties({"a": 1, "b": 1}, {}) == []
