"""Awards by rule in core (core.tracking.awards) and the assessment's `awards` component: ties, the edges,
and a hand-computed assessment recomputed by `leitai assess compute`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from leitai.commands.assess import assess
from leitai.core.errors import SpecError
from leitai.core.io.assess import FORMAT, format_out_csv
from leitai.core.tracking import awards
from leitai.core.tracking.assessment import compute_assessment, parse_scheme, scheme_dict

ROWS = [("A", 1), ("B", 2), ("C", 2), ("D", 4), ("E", 5), ("F", 5), ("X", None)]


def test_best_and_worst_give_every_tied_unit_the_award():
    assert awards.best(ROWS) == ["A"]
    assert awards.worst(ROWS) == ["E", "F"]  # tied last: both get the 海龟奖; X was not ranked
    assert awards.best([("A", 1), ("B", 1), ("C", 3)]) == ["A", "B"]  # tied first: both get the 海豚奖


def test_nobody_is_worst_when_every_unit_shares_one_rank_or_nobody_is_ranked():
    assert awards.worst([("A", 1), ("B", 1)]) == []
    assert awards.best([("A", 1), ("B", 1)]) == ["A", "B"]
    assert awards.best([]) == awards.worst([("X", None)]) == []


def test_top_and_bottom_n_take_the_whole_tie_at_the_edge():
    assert awards.top(ROWS, 2) == ["A", "B", "C"]  # ranks 1, 2, 2: the tie at 2 is in
    assert awards.top(ROWS, 1) == ["A"]
    assert awards.bottom(ROWS, 1) == ["E", "F"]
    assert awards.bottom(ROWS, 3) == ["D", "E", "F"]
    assert awards.bottom([("A", 1), ("B", 1)], 1) == []  # all tied first: nobody is at the bottom
    assert awards.top(ROWS, 0) == awards.bottom(ROWS, 0) == []


def test_flags_and_the_most_places_gained():
    flags = [("A", [{"kind": "red"}, {"kind": "category", "code": "econ"}]), ("B", []), ("C", [{"kind": "yellow"}])]
    assert awards.flagged(flags, "red") == ["A"] and awards.flagged(flags, "yellow") == ["C"]
    before = {"A": 3, "B": 1, "C": 4, "D": 2}
    after = {"A": 1, "B": 2, "C": 2, "D": 4, "N": 3}  # A and C gained 2, N is new (not compared)
    assert awards.most_gained(before, after) == [("A", 2), ("C", 2)]
    assert awards.most_gained({"A": 1, "B": 2}, {"A": 1, "B": 2}) == []  # nobody moved up


SCHEME = {"components": [{"code": "awards", "kind": "awards", "name": "表彰", "points": {"haitun": 2, "haigui": -1,
                                                                                         "tupo": 1.5}}]}
FACTS = {
    "format": FORMAT, "title": "2024年第一季度考绩",
    "window": {"code": "2024Q1", "start": "2024-01-01", "end": "2024-03-31", "as_of": "2024-04-30"},
    "scheme": SCHEME,
    "units": [{"code": "A", "kind": "county", "assessed": True}, {"code": "B", "kind": "county", "assessed": True},
              {"code": "K", "kind": "county", "assessed": True}],
    "awards": [{"ref": "award:1", "unit": "A", "kind": "haitun", "name": "海豚奖", "date": "2024-03-20"},
               {"ref": "award:2", "unit": "K", "kind": "haigui", "name": "海龟奖", "date": "2024-03-20"},
               {"ref": "award:3", "unit": "B", "kind": "haigui", "name": "海龟奖", "date": "2024-03-20"},
               {"ref": "award:4", "unit": "A", "kind": "tupo", "name": "突破奖", "date": "2024-02-01"},
               {"ref": "award:5", "unit": "B", "kind": "hongqi", "name": "红旗", "date": "2024-01-31"}],
}
# By hand: A 2 (海豚奖) + 1.5 (突破奖) = 3.5; B −1 (海龟奖; 红旗 has no points in the scheme); K −1. Ranks 1, 2, 2;
# no grade rule: every unit 良好 (good).
OUT = "unit,total,rank,grade,component:awards,rollup\nA,3.5,1,good,3.5,\nB,-1,2,good,-1,\nK,-1,2,good,-1,\n"


def test_the_hand_computed_awards_and_their_lines():
    result = compute_assessment(FACTS, parse_scheme(SCHEME))
    assert format_out_csv(result) == OUT
    a = next(r for r in result.rows if r.unit == "A")
    assert [(ln.zh, float(ln.points), ln.ref) for ln in a.lines] == [("海豚奖（2024-03-20）", 2.0, "award:1"),
                                                                     ("突破奖（2024-02-01）", 1.5, "award:4")]


def test_the_cli_recomputes_the_awards(tmp_path):
    (tmp_path / "INPUTS.json").write_text(json.dumps(FACTS, ensure_ascii=False), encoding="utf-8")
    run = CliRunner().invoke(assess, ["compute", "--inputs", str(tmp_path / "INPUTS.json"), "--out",
                                      str(tmp_path / "OUT.csv")], env={"LEITAI_LANG": ""})
    assert run.exit_code == 0, run.output
    assert (tmp_path / "OUT.csv").read_text(encoding="utf-8") == OUT


def test_the_scheme_round_trips_and_bad_award_points_are_refused():
    assert parse_scheme(scheme_dict(parse_scheme(SCHEME))) == parse_scheme(SCHEME)
    with pytest.raises(SpecError, match="分值"):
        parse_scheme({"components": [{"kind": "awards", "points": {"haitun": "很多"}}]})
    with pytest.raises(SpecError, match="表彰类别"):
        parse_scheme({"components": [{"kind": "awards", "points": []}]})
