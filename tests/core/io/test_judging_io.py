"""SCORES.csv and RUBRIC.json in, OUT.csv out: the text formats of `leitai arena tally`."""

from __future__ import annotations

import pytest

from leitai.core.errors import DataError, SpecError
from leitai.core.io.arena import (
    ScoresError,
    format_scores_csv,
    format_tally_csv,
    parse_rubric_json,
    parse_scores_csv,
)
from leitai.core.judging.tally import Sheet, tally

RUBRIC = parse_rubric_json("""{
  "criteria": [{"code": "quality", "weight": 2, "max": 10, "step": 0.5}, {"code": "innovation", "max": 10}],
  "groups": [{"code": "leaders", "weight": 3, "trim": 1}, {"code": "public", "weight": 1, "trim": 0}]
}""")


def test_scores_are_grouped_into_sheets_whatever_the_column_order_and_with_a_bom():
    text = ("\ufeffscore,criterion,contestant,group,judge\r\n"
            "8,quality,A,leaders,L1\r\n4,innovation,A,leaders,L1\r\n"
            "7.5,quality,B,leaders,L1\r\n\r\n9,quality,A,public,P1\r\n")
    assert parse_scores_csv(text, RUBRIC) == [
        Sheet("L1", "leaders", "A", {"quality": 8.0, "innovation": 4.0}),
        Sheet("L1", "leaders", "B", {"quality": 7.5}),
        Sheet("P1", "public", "A", {"quality": 9.0}),
    ]


def test_an_empty_score_leaves_the_criterion_unscored_so_the_sheet_is_incomplete():
    text = "judge,group,contestant,criterion,score\nL1,leaders,A,quality,8\nL1,leaders,A,innovation,\n"
    sheets = parse_scores_csv(text, RUBRIC)
    assert sheets == [Sheet("L1", "leaders", "A", {"quality": 8.0})]
    assert tally(sheets, RUBRIC).incomplete[0].missing == ("innovation",)


def test_every_bad_line_is_reported_with_its_number():
    text = ("judge,group,contestant,criterion,score\n"
            "L1,leaders,A,quality,八\n"  # 2: not a number
            "L1,leaders,B,innovation,11\n"  # 3: above max
            "L1,leaders,A,innovation,-1\n"  # 4: below 0
            "L1,leaders,B,quality,7.3\n"  # 5: off the 0.5 step
            "L1,leaders,B,style,7\n"  # 6: unknown criterion
            "L2,press,B,quality,7\n"  # 7: unknown group
            "L1,public,C,quality,7\n"  # 8: judge L1 was in leaders on line 2
            "P1,public,C,quality,7\n"  # fine
            "P1,public,C,quality,8\n"  # 10: repeats line 9
            "P1,public,C\n"  # 11: too few fields
            ",public,C,innovation,1\n"  # 12: empty judge
            "P1,public,C,innovation,nan\n")  # 13: nan is not a plain number
    with pytest.raises(ScoresError) as e:
        parse_scores_csv(text, RUBRIC)
    assert [p.line for p in e.value.problems] == [2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13]
    en = e.value.en.splitlines()
    assert en[0] == "line 2, column score: '八' is not a number (leave it empty when not scored)"
    assert en[1] == "line 3, column score: score 11 exceeds the maximum 10 of criterion innovation"
    assert en[3] == "line 5, column score: score 7.3 is not a multiple of criterion quality's step 0.5"
    assert "line 8: judge L1 is in group leaders on line 2 but in public here" in en[6]
    assert en[7] == "line 10 repeats line 9: judge P1, contestant C, criterion quality"
    assert e.value.zh.splitlines()[0] == "第 2 行 score 列：“八”不是数字（未打分请留空）"


def test_a_flood_of_bad_lines_is_cut_short_in_the_message_but_kept_in_problems():
    text = "judge,group,contestant,criterion,score\n" + "".join(f"J{i},leaders,A,quality,x\n" for i in range(30))
    with pytest.raises(ScoresError) as e:
        parse_scores_csv(text, RUBRIC)
    assert len(e.value.problems) == 30
    assert e.value.en.splitlines()[-1] == "… and 10 more problem(s)"


@pytest.mark.parametrize("text, expected", [
    ("", "the file is empty"),
    ("judge,group,contestant,criterion\n", "lacks column(s) score"),
    ("judge,group,contestant,criterion,score,score\n", "column 'score' appears twice"),
    ("judge,group,contestant,criterion,points\n", "unknown column 'points'"),
])
def test_a_bad_header_is_refused(text, expected):
    with pytest.raises(DataError) as e:
        parse_scores_csv(text, RUBRIC)
    assert expected in e.value.en


def test_without_a_rubric_only_the_form_of_the_scores_is_checked():
    text = "judge,group,contestant,criterion,score\nJ,any,A,whatever,99\n"
    assert parse_scores_csv(text) == [Sheet("J", "any", "A", {"whatever": 99.0})]
    with pytest.raises(ScoresError):
        parse_scores_csv("judge,group,contestant,criterion,score\nJ,any,A,whatever,-2\n")


def test_a_broken_rubric_json_names_line_and_column():
    with pytest.raises(SpecError) as e:
        parse_rubric_json('{"criteria": [\n  {"code": "q" "max": 10}\n]}')
    assert e.value.en.startswith("invalid JSON at line 2, column 16")


def test_the_tally_csv_is_sorted_by_rank_with_full_precision_and_empty_cells_for_missing():
    sheets = [
        Sheet("L1", "leaders", "A", {"quality": 9, "innovation": 8}),  # (18 + 8) / 3 = 26/3
        Sheet("P1", "public", "A", {"quality": 7, "innovation": 7}),  # 7
        Sheet("L1", "leaders", "B", {"quality": 10, "innovation": 10}),  # 10, no public sheet
        Sheet("L1", "leaders", "C", {"quality": 10}),  # incomplete: C unranked
    ]
    # A: (3·26/3 + 1·7) / 4 = 33/4 = 8.25; B: 10 (public absent)
    assert format_tally_csv(tally(sheets, RUBRIC), RUBRIC) == (
        "contestant,score,rank,group:leaders,group:public\n"
        "B,10.0,1,10.0,\n"
        "A,8.25,2,8.666666666666666,7.0\n"
        "C,,,,\n"
    )


def test_exported_sheets_read_back_to_the_same_sheets():
    sheets = [Sheet("评委1", "leaders", "鹿城区", {"quality": 8.5, "innovation": 0.1 + 0.2}),
              Sheet("评委2", "public", "龙湾区", {"innovation": 3})]
    text = format_scores_csv(sheets)
    assert text.splitlines()[0] == "judge,group,contestant,criterion,score"
    assert "评委1,leaders,鹿城区,innovation,0.30000000000000004\n" in text
    assert parse_scores_csv(text) == sheets
