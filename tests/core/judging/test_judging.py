"""The arena tally on small panels whose results were worked out by hand (expected numbers in comments)."""

from __future__ import annotations

import pytest

from leitai.core.errors import DataError, SpecError
from leitai.core.judging.tally import (
    Criterion,
    IncompleteSheet,
    JudgeGroup,
    Rubric,
    Sheet,
    judge_total,
    parse_rubric,
    tally,
)

# 比质量 counts three times as much as 比创新.
TWO_CRITERIA = (Criterion("quality", 3, 10), Criterion("innovation", 1, 10))


def one_criterion(*groups: JudgeGroup, tie_break=()) -> Rubric:
    return Rubric((Criterion("s", 1, 10, step=0.1),), groups, tie_break)


def sheets_of(group: str, contestant: str, totals: dict[str, float]) -> list[Sheet]:
    """One single-criterion sheet per judge: the judge's total is the score itself."""
    return [Sheet(judge, group, contestant, {"s": s}) for judge, s in totals.items()]


def test_a_judge_total_is_the_weighted_mean_of_the_criteria():
    rubric = Rubric(TWO_CRITERIA, (JudgeGroup("all", 1, 0),))
    # (3·8 + 1·4) / (3 + 1) = 28 / 4 = 7
    assert judge_total({"quality": 8, "innovation": 4}, rubric) == 7.0
    # (3·9 + 1·5.5) / 4 = 32.5 / 4 = 8.125
    assert judge_total({"quality": 9, "innovation": 5.5}, rubric) == 8.125


def test_a_judge_total_is_exact_in_decimal_arithmetic():
    rubric = Rubric((Criterion("a", 0.3, 10), Criterion("b", 0.7, 10), Criterion("c", 0.1, 10)), ())
    # (0.3·8 + 0.7·9 + 0.1·9.9) / 1.1 = (2.4 + 6.3 + 0.99) / 1.1 = 9.69 / 1.1 = 969 / 110 exactly,
    # published as the float nearest 969/110 (Python's int / int rounds correctly)
    assert judge_total({"a": 8, "b": 9, "c": 9.9}, rubric) == 969 / 110
    # 8.5, 8.7, 8.9 by three judges average to exactly 8.7 (float sums would give 8.700000000000001).
    result = tally(sheets_of("all", "A", {"J1": 8.5, "J2": 8.7, "J3": 8.9}), one_criterion(JudgeGroup("all", 1, 0)))
    assert result["A"].score == 8.7


def test_a_judge_total_refuses_an_incomplete_or_invalid_sheet():
    rubric = Rubric(TWO_CRITERIA, (JudgeGroup("all", 1, 0),))
    with pytest.raises(DataError, match="innovation"):
        judge_total({"quality": 8}, rubric)
    with pytest.raises(DataError, match="style"):
        judge_total({"quality": 8, "innovation": 4, "style": 1}, rubric)
    with pytest.raises(DataError, match="10"):
        judge_total({"quality": 11, "innovation": 4}, rubric)


def test_a_group_with_exactly_2k_sheets_is_not_trimmed():
    rubric = one_criterion(JudgeGroup("leaders", 1, 1))
    # trim 1, two sheets: nothing dropped, (6 + 9) / 2 = 7.5
    row = tally(sheets_of("leaders", "A", {"L1": 6, "L2": 9}), rubric)["A"]
    assert row.score == 7.5 and row.groups["leaders"].score == 7.5
    assert row.groups["leaders"].counted == ["L1", "L2"]
    assert row.groups["leaders"].dropped_high == [] and row.groups["leaders"].dropped_low == []


def test_a_group_with_2k_plus_1_sheets_drops_the_highest_and_the_lowest():
    rubric = one_criterion(JudgeGroup("leaders", 1, 1))
    # trim 1, three sheets 6, 9, 7: drop 9 (L2) and 6 (L1), the mean of the rest is 7
    row = tally(sheets_of("leaders", "A", {"L1": 6, "L2": 9, "L3": 7}), rubric)["A"]
    assert row.score == 7.0
    g = row.groups["leaders"]
    assert (g.counted, g.dropped_high, g.dropped_low) == (["L3"], ["L2"], ["L1"])
    assert row.totals == {"L1": 6.0, "L2": 9.0, "L3": 7.0}


def test_trim_2_keeps_the_middle_of_five_but_trims_nothing_of_four():
    rubric = one_criterion(JudgeGroup("panel", 1, 2))
    # five sheets 5, 9, 7, 8, 6.5: drop 9, 8 and 5, 6.5; keep 7
    five = tally(sheets_of("panel", "A", {"J1": 5, "J2": 9, "J3": 7, "J4": 8, "J5": 6.5}), rubric)["A"]
    assert five.score == 7.0
    assert five.groups["panel"].dropped_high == ["J2", "J4"] and five.groups["panel"].dropped_low == ["J1", "J5"]
    # four sheets 5, 9, 7, 8 (= 2k): untrimmed mean 29 / 4 = 7.25
    assert tally(sheets_of("panel", "A", {"J1": 5, "J2": 9, "J3": 7, "J4": 8}), rubric)["A"].score == 7.25


def test_equal_totals_at_the_trimming_edge_drop_the_judges_in_id_order():
    rubric = one_criterion(JudgeGroup("leaders", 1, 1))
    # totals 7, 7, 7: the lowest-ordered (7, "L1") is dropped as low, (7, "L3") as high; mean 7
    row = tally(sheets_of("leaders", "A", {"L3": 7, "L1": 7, "L2": 7}), rubric)["A"]
    assert row.score == 7.0
    g = row.groups["leaders"]
    assert (g.counted, g.dropped_high, g.dropped_low) == (["L2"], ["L3"], ["L1"])


def test_a_group_missing_for_one_contestant_is_renormalised_over_the_groups_present():
    rubric = one_criterion(JudgeGroup("leaders", 3, 0), JudgeGroup("public", 1, 0))
    sheets = [*sheets_of("leaders", "A", {"L1": 8}), *sheets_of("public", "A", {"P1": 6}),
              *sheets_of("leaders", "B", {"L1": 7})]
    result = tally(sheets, rubric)
    # A: (3·8 + 1·6) / (3 + 1) = 30 / 4 = 7.5
    assert result["A"].score == 7.5
    # B: only leaders scored: 3·7 / 3 = 7 (not 21 / 4 = 5.25)
    assert result["B"].score == 7.0
    assert result["B"].group_scores == {"leaders": 7.0, "public": None}
    assert [result["A"].rank, result["B"].rank] == [1, 2]


def test_incomplete_sheets_are_left_out_entirely_and_reported():
    rubric = Rubric(TWO_CRITERIA, (JudgeGroup("all", 1, 0),))
    sheets = [
        Sheet("J1", "all", "A", {"quality": 8, "innovation": 4}),  # (24 + 4) / 4 = 7
        Sheet("J2", "all", "A", {"quality": 10}),  # incomplete: would be 10 if the missing criterion counted as absent
        Sheet("J1", "all", "B", {}),  # nothing scored
    ]
    result = tally(sheets, rubric)
    assert result["A"].score == 7.0 and result["A"].totals == {"J1": 7.0}
    assert result["A"].groups["all"].counted == ["J1"]
    assert result.incomplete == [IncompleteSheet("J2", "all", "A", ("innovation",)),
                                 IncompleteSheet("J1", "all", "B", ("quality", "innovation"))]
    assert result["A"].incomplete == [result.incomplete[0]]
    # B has no complete sheet: listed, not scored, not ranked
    assert (result["B"].score, result["B"].rank) == (None, 0)
    assert [r.contestant for r in result.ranked()] == ["A", "B"]


def test_sheets_of_one_judge_for_one_contestant_are_merged():
    rubric = Rubric(TWO_CRITERIA, (JudgeGroup("all", 1, 0),))
    sheets = [Sheet("J1", "all", "A", {"quality": 8}), Sheet("J1", "all", "A", {"innovation": 4})]
    assert tally(sheets, rubric)["A"].score == 7.0


def test_equal_scores_share_a_rank_and_the_next_rank_is_skipped():
    rubric = one_criterion(JudgeGroup("all", 1, 0))
    sheets = [Sheet("J1", "all", c, {"s": s}) for c, s in [("A", 8), ("B", 9), ("C", 8), ("D", 7)]]
    result = tally(sheets, rubric)
    # B 9 → 1; A and C 8 → 2, 2; D 7 → 4
    assert result.ranks == {"A": 2, "B": 1, "C": 2, "D": 4}
    assert [r.contestant for r in result.ranked()] == ["B", "A", "C", "D"]


def tie_break_sheets() -> list[Sheet]:
    # (leaders, public, experts), all weight 1, one judge each: every final score is the mean of three
    panel = {"A": (9, 7, 8), "B": (9, 8, 7), "C": (7, 9, 8), "D": (6, 6, 6), "E": (None, 9, 7)}
    sheets = []
    for contestant, scores in panel.items():
        for group, s in zip(("leaders", "public", "experts"), scores, strict=True):
            if s is not None:
                sheets.append(Sheet(f"{group}-1", group, contestant, {"s": s}))
    return sheets


GROUPS3 = (JudgeGroup("leaders", 1, 0), JudgeGroup("public", 1, 0), JudgeGroup("experts", 1, 0))


def test_without_a_tie_break_tied_contestants_share_the_rank():
    # A (9+7+8)/3 = 8, B 8, C 8, E (9+7)/2 = 8 (leaders absent, renormalised), D 6
    result = tally(tie_break_sheets(), one_criterion(*GROUPS3))
    assert result.ranks == {"A": 1, "B": 1, "C": 1, "D": 5, "E": 1}


def test_the_tie_break_orders_tied_contestants_by_the_leaders_score():
    result = tally(tie_break_sheets(), one_criterion(*GROUPS3, tie_break=("leaders",)))
    # among the four at 8: leaders A 9, B 9, C 7, E none (after those scored) → A, B share 1; C 3; E 4
    assert result.ranks == {"A": 1, "B": 1, "C": 3, "D": 5, "E": 4}
    assert [r.contestant for r in result.ranked()] == ["A", "B", "C", "E", "D"]


def test_the_next_tie_break_group_splits_what_the_first_left_tied():
    result = tally(tie_break_sheets(), one_criterion(*GROUPS3, tie_break=("leaders", "public")))
    # A and B tie on leaders (9); public B 8 > A 7 → B 1, A 2; C 3; E 4; D 5
    assert result.ranks == {"A": 2, "B": 1, "C": 3, "D": 5, "E": 4}


def test_a_tie_break_never_moves_a_contestant_across_a_different_score():
    result = tally(tie_break_sheets(), one_criterion(*GROUPS3, tie_break=("experts",)))
    # D has the lowest score, whatever its experts' score; A, C 8 (experts) share 1, B and E 7 share 3
    assert result.ranks == {"A": 1, "B": 3, "C": 1, "D": 5, "E": 3}


def test_a_given_contestant_list_sets_the_order_and_lists_those_without_sheets():
    rubric = one_criterion(JudgeGroup("all", 1, 0))
    result = tally(sheets_of("all", "B", {"J1": 5}), rubric, contestants=["A", "B"])
    assert result.contestants == ["A", "B"]
    assert (result["A"].score, result["A"].rank, result["B"].rank) == (None, 0, 1)
    with pytest.raises(DataError, match="C"):
        tally(sheets_of("all", "C", {"J1": 5}), rubric, contestants=["A", "B"])


@pytest.mark.parametrize("sheet, words", [
    (Sheet("J1", "all", "A", {"quality": 10.5, "innovation": 1}), ["J1", "A", "10.5", "10"]),
    (Sheet("J1", "all", "A", {"quality": -1, "innovation": 1}), ["J1", "-1", "0"]),
    (Sheet("J1", "all", "A", {"quality": "8", "innovation": 1}), ["J1", "8", "不是数字"]),
    (Sheet("J1", "all", "A", {"quality": float("nan"), "innovation": 1}), ["nan"]),
    (Sheet("J1", "all", "A", {"style": 1}), ["J1", "style"]),
    (Sheet("J1", "press", "A", {"quality": 1}), ["J1", "press"]),
    (Sheet("J1", "all", "A", {"quality": 7.3, "innovation": 1}), ["7.3", "0.5"]),
])
def test_an_invalid_sheet_raises_a_data_error_naming_judge_and_value(sheet, words):
    rubric = Rubric((Criterion("quality", 3, 10, step=0.5), Criterion("innovation", 1, 10)), (JudgeGroup("all", 1, 0),))
    with pytest.raises(DataError) as e:
        tally([sheet], rubric)
    for word in words:
        assert word in e.value.zh


def test_a_score_on_the_step_grid_is_judged_on_its_decimal_value():
    rubric = Rubric((Criterion("s", 1, 10, step=0.1),), (JudgeGroup("all", 1, 0),))
    # 0.3 / 0.1 is 2.9999999999999996 in floats, but 0.3 is three steps of 0.1
    assert tally([Sheet("J1", "all", "A", {"s": 0.3})], rubric)["A"].score == 0.3
    assert tally([Sheet("J1", "all", "A", {"s": 10})], rubric)["A"].score == 10.0
    with pytest.raises(DataError):
        tally([Sheet("J1", "all", "A", {"s": 0.35})], rubric)


def test_the_same_criterion_twice_and_a_judge_in_two_groups_are_refused():
    rubric = one_criterion(JudgeGroup("leaders", 1, 0), JudgeGroup("public", 1, 0))
    with pytest.raises(DataError, match="s") as e:
        tally([Sheet("J1", "leaders", "A", {"s": 1}), Sheet("J1", "leaders", "A", {"s": 2})], rubric)
    assert "J1" in e.value.en and "twice" in e.value.en
    with pytest.raises(DataError) as e:
        tally([Sheet("J1", "leaders", "A", {"s": 1}), Sheet("J1", "public", "B", {"s": 2})], rubric)
    assert e.value.en == "judge J1 appears in two groups, leaders and public"


def test_parse_rubric_builds_the_rubric_with_defaults():
    rubric = parse_rubric({
        "criteria": [{"code": "quality", "weight": 2, "max": 10, "step": 0.5, "name": "比质量"}, {"code": "pledge", "max": 5}],
        "groups": [{"code": "leaders", "weight": 3, "trim": 1, "name": "市领导"}, {"code": "public"}],
        "tie_break": ["leaders"],
    })
    assert rubric == Rubric(
        (Criterion("quality", 2.0, 10.0, 0.5, "比质量"), Criterion("pledge", 1.0, 5.0)),
        (JudgeGroup("leaders", 3.0, 1, "市领导"), JudgeGroup("public", 1.0, 0)), ("leaders",))


@pytest.mark.parametrize("change, word", [
    ({"criteria": []}, "criteria"),
    ({"criteria": [{"code": "q", "weight": 1}]}, "max"),
    ({"criteria": [{"code": "q", "max": 10, "wieght": 2}]}, "wieght"),
    ({"criteria": [{"code": "q", "max": 10, "weight": 0}]}, "weight"),
    ({"criteria": [{"code": "q", "max": 10, "step": -0.5}]}, "step"),
    ({"criteria": [{"code": "q", "max": 10}, {"code": "q", "max": 5}]}, "twice"),
    ({"groups": [{"code": "g", "trim": 1.5}]}, "trim"),
    ({"groups": [{"code": "g", "trim": -1}]}, "trim"),
    ({"groups": [{"code": "g", "weight": True}]}, "weight"),
    ({"tie_break": ["press"]}, "press"),
    ({"tie_break": "g"}, "tie_break"),
    ({"judges": []}, "judges"),
])
def test_parse_rubric_refuses_a_bad_rubric_naming_the_field(change, word):
    data = {"criteria": [{"code": "q", "max": 10}], "groups": [{"code": "g"}], **change}
    with pytest.raises(SpecError) as e:
        parse_rubric(data)
    assert word in e.value.en


@pytest.mark.parametrize("criteria, groups, tie_break", [
    ((), (JudgeGroup("g", 1, 0),), ()),
    ((Criterion("q", 0, 10),), (JudgeGroup("g", 1, 0),), ()),
    ((Criterion("q", 1, 10, step=0),), (JudgeGroup("g", 1, 0),), ()),
    ((Criterion("q", 1, 10),), (JudgeGroup("g", 1, -1),), ()),
    ((Criterion("q", 1, 10), Criterion("q", 2, 10)), (JudgeGroup("g", 1, 0),), ()),
    ((Criterion("q", 1, 10),), (JudgeGroup("g", 1, 0),), ("press",)),
])
def test_a_rubric_built_in_code_is_checked_too(criteria, groups, tie_break):
    with pytest.raises(SpecError):
        Rubric(criteria, groups, tie_break)
