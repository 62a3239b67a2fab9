"""考绩 in core (compute_assessment) and `leitai assess compute`: a hand-computed year, grades, errors."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from click.testing import CliRunner

from leitai.commands.assess import assess
from leitai.core.errors import SpecError
from leitai.core.io.assess import FORMAT, format_detail_csv, format_out_csv
from leitai.core.tracking.assessment import assign_grades, compute_assessment, parse_scheme

SCHEME = {
    "components": [
        {"code": "rank", "kind": "rank_points", "points": [10, 8, 6]},
        {"code": "arena", "kind": "ledger", "source": "arena"},
        {"code": "other", "kind": "ledger", "source": "other"},
        {"code": "pledges", "kind": "pledge_rate", "max": 4},
        {"code": "items", "kind": "item_ontime", "max": 2, "per_late": -0.5},
        {"code": "reviews", "kind": "review_satisfaction", "max": 2},
    ],
    "rollup": {"kinds": ["town"], "weight": 0.5},
    "grades": {"excellent_share": 0.34, "poor_last": True},
}
# Ranks: A 1 then 2 → 10, 8 → mean 9; B 2 then 1 → 9; K 3, 3 → 6.
# Pledges (max 4): A 1 of 2 kept → 2; B 1 of 1 → 4; K none → full 4; town A01 0 of 1 → 0.
# Items (max 2, −0.5 each late, as of 2024-12-31): A one on time, one closed late → 1 − 0.5; B's only item is
# not due yet and open → none counted → 2; K one open past its deadline → 0 − 0.5.
# Reviews (max 2): A 1 of 2 satisfied → 1; B none → 2; K "basic" counts as satisfied → 2.
# Towns (no rankings): A01 +1 + 0 + 2 + 2 = 5, A02 −1 + 4 + 2 + 2 = 7, B01 +2 + 4 + 2 + 2 = 10.
# Roll-up × 0.5: A mean(5, 7) = 6 → 3; B 10 → 5; K has no towns.
# A 9 + 2 + 0 + 2 + 0.5 + 1 + 3 = 17.5; B 9 + 0 + 0.5 + 4 + 2 + 2 + 5 = 22.5; K 6 − 1 + 0 + 4 − 0.5 + 2 = 10.5.
# Grades: 优秀 at most floor(3 × 0.34) = 1 unit → B; the last (K) 较差; A 良好.
FACTS = {
    "format": FORMAT, "title": "2024年度县市区考绩",
    "window": {"code": "2024", "start": "2024-01-01", "end": "2024-12-31", "as_of": "2024-12-31"},
    "scheme": SCHEME,
    "units": [{"code": "C", "name": "示范市", "kind": "city"},
              {"code": "A", "name": "东城区", "kind": "county", "parent": "C", "assessed": True},
              {"code": "B", "name": "西城区", "kind": "county", "parent": "C", "assessed": True},
              {"code": "K", "name": "南山县", "kind": "county", "parent": "C", "assessed": True},
              {"code": "A01", "kind": "town", "parent": "A"}, {"code": "A02", "kind": "town", "parent": "A"},
              {"code": "B01", "kind": "town", "parent": "B"}],
    "rankings": [{"ref": "ranking:1", "period": "2024-01", "rows": [["A", 1, 90.5], ["B", 2, 88], ["K", 3, 70]]},
                 {"ref": "ranking:2", "period": "2024-02", "rows": [["A", 2, 89], ["B", 1, 91], ["K", 3, 72]]}],
    "ledger": [{"ref": "adjustment:1", "unit": "A", "points": 2, "reason": "2024年第一季度书记擂台 第1名（+2分）", "source": "arena:1"},
               {"ref": "adjustment:2", "unit": "K", "points": -1, "reason": "末位（−1分）", "source": "arena:1"},
               {"ref": "adjustment:3", "unit": "B", "points": 0.5, "reason": "获省级表彰", "source": "manual"},
               {"ref": "adjustment:4", "unit": "A01", "points": 1, "reason": "镇街亮绩赛场 第1名", "source": "arena:2"},
               {"ref": "adjustment:5", "unit": "A02", "points": -1, "reason": "镇街亮绩赛场 末位", "source": "arena:2"},
               {"ref": "adjustment:6", "unit": "B01", "points": 2, "reason": "镇街亮绩赛场 第1名", "source": "arena:2"}],
    "pledges": [{"ref": "pledge:1", "unit": "A", "status": "kept", "text": "投资50亿"},
                {"ref": "pledge:2", "unit": "A", "status": "missed", "text": "新开工10个"},
                {"ref": "pledge:3", "unit": "B", "status": "kept", "text": "优化营商环境"},
                {"ref": "pledge:4", "unit": "K", "status": "pending", "text": "尚未到期"},
                {"ref": "pledge:5", "unit": "A01", "status": "missed", "text": "清理河道"}],
    "items": [{"ref": "item:ZG-1", "code": "ZG-1", "unit": "A", "deadline": "2024-06-30", "closed_on": "2024-06-20"},
              {"ref": "item:ZG-2", "code": "ZG-2", "unit": "A", "deadline": "2024-07-31", "closed_on": "2024-08-10"},
              {"ref": "item:ZG-3", "code": "ZG-3", "unit": "B", "deadline": "2024-12-31", "closed_on": None},
              {"ref": "item:ZG-4", "code": "ZG-4", "unit": "K", "deadline": "2024-05-01", "closed_on": None}],
    "reviews": [{"ref": "review:1", "unit": "A", "verdict": "satisfied"}, {"ref": "review:2", "unit": "A", "verdict": "not"},
                {"ref": "review:3", "unit": "K", "verdict": "basic"}],
}
OUT = ("unit,total,rank,grade,component:rank,component:arena,component:other,component:pledges,component:items,"
       "component:reviews,rollup\n"
       "B,22.5,1,excellent,9,0,0.5,4,2,2,5\n"
       "A,17.5,2,good,9,2,0,2,0.5,1,3\n"
       "K,10.5,3,poor,6,-1,0,4,-0.5,2,\n")


def test_the_hand_computed_year():
    result = compute_assessment(FACTS, parse_scheme(SCHEME))
    assert format_out_csv(result) == OUT
    a = next(r for r in result.rows if r.unit == "A")
    texts = [(ln.component, ln.zh, ln.points, ln.ref) for ln in a.lines]
    assert ("rank", "2024年1月排名第 1 名（+10）", None, "ranking:1") in texts
    assert ("rank", "2 期平均", 9, "") in texts
    assert ("arena", "2024年第一季度书记擂台 第1名（+2分）", 2, "adjustment:1") in texts
    assert ("items", "整改事项 ZG-2 逾期", Fraction(-1, 2), "item:ZG-2") in texts
    assert ("rollup", "下属单位（2 个）平均 6.00 × 0.5", 3, "units:A01,A02") in texts
    # every point of the total is on a line
    assert sum(ln.points for ln in a.lines if ln.points is not None) == a.total


def test_the_cli_reproduces_out_and_detail(tmp_path):
    (tmp_path / "INPUTS.json").write_text(json.dumps(FACTS, ensure_ascii=False), encoding="utf-8")
    args = ["compute", "--inputs", str(tmp_path / "INPUTS.json"), "--out", str(tmp_path / "OUT.csv"),
            "--detail", str(tmp_path / "DETAIL.csv")]
    run = CliRunner().invoke(assess, args, env={"LEITAI_LANG": ""})
    assert run.exit_code == 0, run.output
    assert (tmp_path / "OUT.csv").read_text(encoding="utf-8") == OUT
    detail = (tmp_path / "DETAIL.csv").read_text(encoding="utf-8")
    assert detail == format_detail_csv(compute_assessment(FACTS, parse_scheme(SCHEME)))
    assert "A,items,-0.5,item:ZG-2,整改事项 ZG-2 逾期\n" in detail


def test_shuffled_facts_give_the_same_bytes():
    shuffled = {**FACTS, **{k: list(reversed(FACTS[k])) for k in ("units", "rankings", "ledger", "pledges", "items", "reviews")}}
    assert format_out_csv(compute_assessment(shuffled, parse_scheme(SCHEME))) == OUT


def test_a_tie_crossing_the_excellent_cap_is_left_out_whole():
    order = ["A", "B", "C", "D", "E"]
    ranks = {"A": 1, "B": 2, "C": 2, "D": 4, "E": 5}
    totals = {u: Fraction(10 - i) for i, u in enumerate(order)}
    # 优秀 at most 2 of 5: B and C tie at the cap, so only A; 良好 at most 2 more: B and C (D would be a 3rd);
    # E is below 6.5.
    rule = {"excellent_share": Fraction(2, 5), "good_share": Fraction(2, 5), "poor_below": Fraction(13, 2)}
    assert assign_grades(order, ranks, totals, rule) == {"A": "excellent", "B": "good", "C": "good", "D": "fair",
                                                          "E": "poor"}
    narrow = {**rule, "good_share": Fraction(1, 5)}  # 良好 at most 1 more: the B–C tie does not fit
    assert assign_grades(order, ranks, totals, narrow) == {"A": "excellent", "B": "fair", "C": "fair", "D": "fair",
                                                           "E": "poor"}
    assert assign_grades(order, {u: 1 for u in order}, totals, {"poor_last": True}) == {u: "good" for u in order}


@pytest.mark.parametrize(("scheme", "where"), [
    ({"components": []}, "at least one component"),
    ({"components": [{"kind": "magic"}]}, "unknown kind 'magic'"),
    ({"components": [{"kind": "rank_points", "points": [1, 2]}]}, "points item 2 exceeds item 1"),
    ({"components": [{"kind": "pledge_rate"}]}, "max must be a number"),
    ({"components": [{"kind": "ledger", "source": "x"}]}, "source must be arena, other or all"),
    ({"components": [{"kind": "ledger"}], "grades": {"excellent_share": 2}}, "between 0 and 1"),
    ({"components": [{"kind": "ledger", "extra": 1}]}, "unknown key(s) extra"),
])
def test_bad_schemes_are_refused(scheme, where):
    with pytest.raises(SpecError) as e:
        parse_scheme(scheme)
    assert where in e.value.en


def test_bad_inputs_exit_2_naming_the_file(tmp_path):
    (tmp_path / "INPUTS.json").write_text('{"format": "other"}', encoding="utf-8")
    run = CliRunner().invoke(assess, ["compute", "--inputs", str(tmp_path / "INPUTS.json"), "--out", str(tmp_path / "o.csv")],
                             env={"LEITAI_LANG": ""})
    assert run.exit_code == 2 and f"{tmp_path / 'INPUTS.json'}: format 应为 leitai-assessment-1" in run.output


def test_a_gap_in_a_published_ranking_is_kept():
    """A unit ranked 3rd earns points[2] even when the 2nd is no longer among the units (e.g. deactivated)."""
    facts = {**FACTS, "units": [u for u in FACTS["units"] if u["code"] != "B"],
             "rankings": [{"ref": "ranking:9", "period": "2024-05", "rows": [["A", 1, 90], ["K", 3, 70]]}],
             "ledger": [], "pledges": [], "items": [], "reviews": []}
    scheme = parse_scheme({"components": [{"code": "rank", "kind": "rank_points", "points": [10, 8, 6]}]})
    rows = {r.unit: r for r in compute_assessment(facts, scheme).rows}
    assert (rows["A"].total, rows["K"].total) == (10, 6)
    assert any(ln.zh == "2024年5月排名第 3 名（+6）" for ln in rows["K"].lines)


def test_malformed_facts_exit_2(tmp_path):
    bad = {**FACTS, "ledger": [{"unit": "A", "reason": "缺分值"}]}
    (tmp_path / "INPUTS.json").write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    run = CliRunner().invoke(assess, ["compute", "--inputs", str(tmp_path / "INPUTS.json"), "--out", str(tmp_path / "o.csv")],
                             env={"LEITAI_LANG": "en"})
    assert run.exit_code == 2 and "ledger item 1 lacks points" in run.output
