"""排名赋分 (core/judging/points.py and `leitai points tally`): hand-computed cases, errors, properties."""

from __future__ import annotations

import json
import random

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from leitai.commands.points import points as points_cli
from leitai.core.errors import DataError, SpecError
from leitai.core.io.points import format_detail_csv, format_out_csv, parse_ranks_csv
from leitai.core.judging.points import RankEntry, parse_points_rules, points_tally

RULES = {"groups": [{"code": "leaders", "weight": 0.6}, {"code": "public", "weight": 0.4}],
         "tie_break": ["leaders"], "points": [10, 8, 6, 5], "total_tie_break": "countback"}

# M1: whole-group ranks. A = 0.6·1 + 0.4·2 = 1.4, B = 0.6·2 + 0.4·1 = 1.6, C 3, D 4 → A B C D.
# arena: leaders L1 (A2 B1 C3), L2 (A1 B2 C3), L3 (A2 B1 C3): sums A5 B4 C9 → B1 A2 C3;
#        public P1 (A1 B2 C3), P2 (A1 B3 C2): sums A2 B5 C5 → A1, B and C share 2;
#        combined A 0.6·2+0.4·1 = 1.6, B 0.6·1+0.4·2 = 1.4, C 0.6·3+0.4·2 = 2.6 → B A C; D absent.
# vote: public only (leaders absent, so public decides alone): C1 D2 A3 B3; the tie-break group did not
#       rank, so A and B share rank 3 and both earn points[2] = 6.
# Totals A 10+8+6 = 24, B 8+10+6 = 24, C 6+6+10 = 22, D 5+8 = 13. Countback: A and B both scored in 3
# rounds, one 10, one 8, one 6 each → still equal → shared place 1.
RANKS = """\ufeffround,judge,group,contestant,rank\r
M1,,leaders,A,1\r
M1,,leaders,B,2\r
M1,,leaders,C,3\r
M1,,leaders,D,4\r
M1,,public,A,2\r
M1,,public,B,1\r
M1,,public,C,3\r
M1,,public,D,4\r
arena,L1,leaders,A,2\r
arena,L1,leaders,B,1\r
arena,L1,leaders,C,3\r
arena,L2,leaders,A,1\r
arena,L2,leaders,B,2\r
arena,L2,leaders,C,3\r
arena,L3,leaders,A,2\r
arena,L3,leaders,B,1\r
arena,L3,leaders,C,3\r
arena,P1,public,A,1\r
arena,P1,public,B,2\r
arena,P1,public,C,3\r
arena,P2,public,A,1\r
arena,P2,public,B,3\r
arena,P2,public,C,2\r
vote,,public,C,1\r
vote,,public,D,2\r
vote,,public,A,3\r
vote,,public,B,3\r
"""
OUT = "contestant,points,place\nA,24,1\nB,24,1\nC,22,3\nD,13,4\n"
DETAIL = """round,contestant,group:leaders,group:public,combined_rank,points
M1,A,1,2,1,10
M1,B,2,1,2,8
M1,C,3,3,3,6
M1,D,4,4,4,5
arena,B,1,2,1,10
arena,A,2,1,2,8
arena,C,3,2,3,6
vote,C,,1,1,10
vote,D,,2,2,8
vote,A,,3,3,6
vote,B,,3,3,6
"""


def tally(rows, rules):
    entries = [RankEntry(r, g, c, k, j) for r, g, j, c, k in rows]
    return points_tally(entries, parse_points_rules(rules))


def test_hand_case_out_and_detail():
    rules = parse_points_rules(RULES)
    result = points_tally(parse_ranks_csv(RANKS, rules), rules)
    assert format_out_csv(result) == OUT
    assert format_detail_csv(result, rules) == DETAIL


def test_cli_writes_the_same_bytes(tmp_path):
    (tmp_path / "RANKS.csv").write_text(RANKS, encoding="utf-8", newline="")
    (tmp_path / "RULES.json").write_text(json.dumps(RULES), encoding="utf-8")
    args = ["tally", "--ranks", str(tmp_path / "RANKS.csv"), "--rules", str(tmp_path / "RULES.json"),
            "--out", str(tmp_path / "OUT.csv"), "--detail", str(tmp_path / "DETAIL.csv")]
    result = CliRunner().invoke(points_cli, args, env={"LEITAI_LANG": ""})
    assert result.exit_code == 0, result.output
    assert (tmp_path / "OUT.csv").read_bytes() == OUT.encode()
    assert (tmp_path / "DETAIL.csv").read_bytes() == DETAIL.encode()


def test_tie_break_group_decides_an_equal_weighted_sum():
    rows = [("r", "leaders", "", "A", 1), ("r", "leaders", "", "B", 2),
            ("r", "public", "", "A", 2), ("r", "public", "", "B", 1)]
    rules = {"groups": [{"code": "leaders", "weight": 1}, {"code": "public", "weight": 1}], "points": [5, 3]}
    shared = tally(rows, rules)
    assert [(r.contestant, r.combined_rank, r.points) for r in shared.detail] == [("A", 1, 5), ("B", 1, 5)]
    broken = tally(rows, {**rules, "tie_break": ["leaders"]})
    assert [(r.contestant, r.combined_rank, r.points) for r in broken.detail] == [("A", 1, 5), ("B", 2, 3)]
    flipped = tally(rows, {**rules, "tie_break": ["public"]})
    assert [(r.contestant, r.combined_rank) for r in flipped.detail] == [("B", 1), ("A", 2)]


def test_decimal_weights_are_exact():
    # 0.1·1 + 0.2·3 = 0.7 and 0.1·4 + 0.2·1.5… ranks are integers: 0.1·3 + 0.2·2 = 0.7 too → exact tie.
    rows = [("r", "a", "", "X", 1), ("r", "a", "", "Y", 3), ("r", "b", "", "X", 3), ("r", "b", "", "Y", 2)]
    result = tally(rows, {"groups": [{"code": "a", "weight": 0.1}, {"code": "b", "weight": 0.2}], "points": [1]})
    assert [r.combined_rank for r in result.detail] == [1, 1]


def test_ranks_beyond_the_points_list_earn_nothing():
    rows = [("r", "g", "", c, k) for c, k in (("A", 1), ("B", 2), ("C", 3))]
    result = tally(rows, {"groups": [{"code": "g", "weight": 1}], "points": [2.5]})
    assert [(s.contestant, s.points, s.place) for s in result.standings] == [("A", 2.5, 1), ("B", 0, 2), ("C", 0, 2)]
    assert format_out_csv(result) == "contestant,points,place\nA,2.5,1\nB,0,2\nC,0,2\n"


def test_a_single_judge_keeps_the_ranks_as_given():
    rows = [("r", "g", "J1", "A", 1), ("r", "g", "J1", "B", 3)]
    result = tally(rows, {"groups": [{"code": "g", "weight": 1}], "points": [3, 2, 1]})
    assert [(r.contestant, r.group_ranks["g"], r.combined_rank, r.points) for r in result.detail] == [
        ("A", 1, 1, 3), ("B", 3, 2, 2)]


COUNTBACK_ROWS = [
    # R1: X1 Y2 Z3 W4, R2: Z1 W2 Y3 X4 with points [3, 2, 1]: X 3+0, Y 2+1, Z 1+3, W 0+2.
    *(("R1", "g", "", c, k) for c, k in (("X", 1), ("Y", 2), ("Z", 3), ("W", 4))),
    *(("R2", "g", "", c, k) for c, k in (("Z", 1), ("W", 2), ("Y", 3), ("X", 4))),
]


def test_countback_prefers_more_scoring_rounds():
    rules = {"groups": [{"code": "g", "weight": 1}], "points": [3, 2, 1]}
    shared = tally(COUNTBACK_ROWS, {**rules, "total_tie_break": "shared"})
    assert [(s.contestant, s.points, s.place) for s in shared.standings] == [
        ("Z", 4, 1), ("X", 3, 2), ("Y", 3, 2), ("W", 2, 4)]
    counted = tally(COUNTBACK_ROWS, {**rules, "total_tie_break": "countback"})
    assert [(s.contestant, s.place) for s in counted.standings] == [("Z", 1), ("Y", 2), ("X", 3), ("W", 4)]


def test_countback_then_compares_the_highest_values():
    # R1: X1 Y2 Z3, R2: Z1 Y2 X3 → X 3+1, Y 2+2, Z 1+3: all 4 in two rounds. X and Z have a 3, Y none →
    # X and Z ahead of Y; X and Z are equal all the way down (one 3, one 1) → they share place 1.
    rows = [*(("R1", "g", "", c, k) for c, k in (("X", 1), ("Y", 2), ("Z", 3))),
            *(("R2", "g", "", c, k) for c, k in (("Z", 1), ("Y", 2), ("X", 3)))]
    result = tally(rows, {"groups": [{"code": "g", "weight": 1}], "points": [3, 2, 1], "total_tie_break": "countback"})
    assert [(s.contestant, s.points, s.place) for s in result.standings] == [("X", 4, 1), ("Z", 4, 1), ("Y", 4, 3)]


@pytest.mark.parametrize(("text", "where"), [
    ("round,group,contestant,rank\nr,nobody,A,1\n", "line 2, column group: unknown group 'nobody'"),
    ("round,group,contestant,rank\nr,g,A,0\n", "line 2, column rank: a rank must be an integer ≥ 1, not '0'"),
    ("round,group,contestant,rank\nr,g,A,1.5\n", "line 2, column rank"),
    ("round,group,contestant,rank\nr,g,A,\n", "line 2, column rank: empty"),
    ("round,group,contestant\nr,g,A\n", "the header lacks column(s) rank"),
    ("round,group,contestant,rank,score\n", "unknown column 'score'"),
])
def test_bad_lines_are_named(text, where):
    rules = parse_points_rules({"groups": [{"code": "g", "weight": 1}], "points": [1]})
    with pytest.raises(DataError) as e:
        parse_ranks_csv(text, rules)
    assert where in e.value.en


@pytest.mark.parametrize(("text", "where"), [
    ("round,judge,group,contestant,rank\nr,J1,g,A,1\nr,J1,g,B,2\nr,J1,g,A,2\n",
     "line 4: in round r, judge J1 ranked contestant A twice (already on line 2)"),
    ("round,judge,group,contestant,rank\nr,J1,g,A,1\nr,J1,g,B,2\nr,J2,g,A,1\n",
     "line 4: round r, group g: judge J2 ranked other contestants than judge J1 (did not rank B)"),
    ("round,judge,group,contestant,rank\nr,,g,A,1\nr,J2,g,A,1\n", "round r, group g has both whole-group ranks"),
    ("round,judge,group,contestant,rank\nr,,g,A,1\nr,,g,B,2\nr,,h,A,1\n",
     "line 3: in round r group g ranked contestant B but group h did not"),
])
def test_inconsistent_rounds_name_round_and_judge(text, where):
    rules = parse_points_rules({"groups": [{"code": "g", "weight": 1}, {"code": "h", "weight": 1}], "points": [1]})
    with pytest.raises(DataError) as e:
        points_tally(parse_ranks_csv(text, rules), rules)
    assert where in e.value.en


@pytest.mark.parametrize(("rules", "where"), [
    ({"groups": [{"code": "g", "weight": 1}], "points": [1], "bonus": 1}, "unknown key(s): bonus"),
    ({"groups": [{"code": "g", "weight": 1}], "points": [1, 2]}, "points item 2 exceeds item 1"),
    ({"groups": [{"code": "g", "weight": 1}], "points": [1, -1]}, "points item 2 is below 0"),
    ({"groups": [{"code": "g", "weight": 1}], "points": [1], "tie_break": ["x"]}, "tie_break: unknown group x"),
    ({"groups": [{"code": "g", "weight": 1}], "points": [1], "total_tie_break": "best"}, "countback or shared"),
    ({"groups": [{"code": "g", "weight": True}], "points": [1]}, "weight must be a number"),
    ({"groups": [], "points": [1]}, "groups must be a non-empty list"),
])
def test_bad_rules_are_refused(rules, where):
    with pytest.raises(SpecError) as e:
        parse_points_rules(rules)
    assert where in e.value.en


def test_cli_errors_exit_2_naming_file_and_line(tmp_path):
    (tmp_path / "RANKS.csv").write_text("round,group,contestant,rank\nr,g,A,x\n", encoding="utf-8")
    (tmp_path / "RULES.json").write_text('{"groups": [{"code": "g", "weight": 1}], "points": [1]}', encoding="utf-8")
    args = ["tally", "--ranks", str(tmp_path / "RANKS.csv"), "--rules", str(tmp_path / "RULES.json"),
            "--out", str(tmp_path / "OUT.csv")]
    result = CliRunner().invoke(points_cli, args, env={"LEITAI_LANG": ""})
    assert result.exit_code == 2
    assert f"{tmp_path / 'RANKS.csv'}: 第 2 行 rank 列：名次应为不小于 1 的整数，而不是“x”" in result.output
    assert not (tmp_path / "OUT.csv").exists()
    (tmp_path / "RULES.json").write_text('{"groups": [', encoding="utf-8")
    result = CliRunner().invoke(points_cli, args, env={"LEITAI_LANG": "en"})
    assert result.exit_code == 2 and "RULES.json: invalid JSON at line 1" in result.output


# Properties -------------------------------------------------------------------------------------------

@st.composite
def contests(draw):
    n_groups = draw(st.integers(1, 3))
    groups = [{"code": f"g{i}", "weight": draw(st.sampled_from([0.2, 0.5, 1, 2, 3]))} for i in range(n_groups)]
    points = sorted(draw(st.lists(st.integers(0, 12), min_size=1, max_size=6)), reverse=True)
    rows = []
    for r in range(draw(st.integers(1, 4))):
        contestants = draw(st.lists(st.sampled_from("ABCDEFG"), min_size=1, max_size=6, unique=True))
        present = draw(st.lists(st.sampled_from(range(n_groups)), min_size=1, unique=True))
        for gi in present:
            n_judges = draw(st.integers(0, 3))
            for j in range(max(n_judges, 1)):
                judge = f"J{j}" if n_judges else ""
                ranks = draw(st.permutations(range(1, len(contestants) + 1)))
                rows.extend((f"R{r}", f"g{gi}", judge, c, k) for c, k in zip(contestants, ranks, strict=True))
    rules = {"groups": groups, "points": points, "tie_break": [g["code"] for g in groups[:1]],
             "total_tie_break": draw(st.sampled_from(["countback", "shared"]))}
    return rows, rules


@settings(max_examples=150, deadline=None)
@given(contests())
def test_points_never_increase_with_rank_and_order_does_not_matter(case):
    rows, rules = case
    result = tally(rows, rules)
    for round_code in result.rounds:
        rows_r = result.round_rows(round_code)
        for a in rows_r:
            for b in rows_r:
                if a.combined_rank < b.combined_rank:
                    assert a.points >= b.points
                if a.combined_rank == b.combined_rank:
                    assert a.points == b.points
    shuffled = list(rows)
    random.Random(7).shuffle(shuffled)
    assert format_out_csv(tally(shuffled, rules)) == format_out_csv(result)
    places = [s.place for s in result.standings]
    assert places == sorted(places) and places[0] == 1
    totals = [s.points for s in result.standings]
    assert totals == sorted(totals, reverse=True)


@settings(max_examples=100, deadline=None)
@given(contests(), st.sampled_from("ABCDEFG"))
def test_a_contestant_every_group_ranks_first_is_combined_first(case, star):
    rows, rules = case
    # make `star` the sole first of every judge and group in every round it is in
    fixed = []
    for r, g, j, c, k in rows:
        if c == star:
            k = 1
        elif any(rr == r and gg == g and jj == j and cc == star for rr, gg, jj, cc, _ in rows):
            k = k + 1
        fixed.append((r, g, j, c, k))
    result = tally(fixed, rules)
    for row in result.detail:
        if row.contestant == star:
            assert row.combined_rank == 1
            assert all(o.combined_rank > 1 for o in result.round_rows(row.round) if o.contestant != star)


def test_a_huge_number_is_refused_not_a_crash():
    with pytest.raises(SpecError) as e:
        parse_points_rules({"groups": [{"code": "g", "weight": 10 ** 400}], "points": [1]})
    assert "must be a number" in e.value.en
