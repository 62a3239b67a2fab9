"""Cells that cannot attack their reader: the one test and its inverse, and the contract files that use them
(a code that looks like a formula is written with `'` in front and reads back as it was, so every offline
recomputation stays byte for byte)."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from leitai.core.io.arena import format_scores_csv, format_tally_csv, parse_rubric_json, parse_scores_csv
from leitai.core.io.cells import csv_code, csv_text, formula_like
from leitai.core.io.index import format_data_csv, format_result_csv, parse_data_csv, parse_spec_json
from leitai.core.io.points import format_out_csv, format_ranks_csv, parse_ranks_csv, parse_rules_json
from leitai.core.judging.points import points_tally
from leitai.core.judging.tally import Sheet, tally
from leitai.core.ranking.index import compute_index

HOSTILE = ["=1+1", "+1", "-1x", "@SUM(A1)", "\t=1", "\r=1", "\n=1", "'=already", "'plain"]


def test_the_owasp_characters_make_a_formula():
    assert all(formula_like(t) for t in ("=A1", "+1", "-1", "@x", "\tx", "\rx", "\nx"))
    assert not any(formula_like(t) for t in ("", "a=1", "东城区", "'=1", " =1", "1-2"))


def test_a_formula_gets_a_quote_and_reads_back_as_it_was():
    assert csv_text("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert csv_text("-5") == "'-5"  # text that happens to look like a number: Leitai's numbers never come here
    assert csv_text("'plain") == "''plain"  # a leading quote doubled, so the inverse is exact
    assert csv_text("东城区") == "东城区" and csv_text(None) == ""
    assert csv_text("a\r\nb\rc") == "a\nb\nc"  # CSV lines end in \n: a bare CR would split the row
    for text in ("=1+1", "+1", "-1x", "@SUM(A1)", "\t=1", "'=already", "'plain", "plain", "", "'"):
        assert csv_code(csv_text(text)) == text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("=+-@\t'ab东 1"), max_size=6))
def test_csv_code_inverts_csv_text(text):
    out = csv_text(text)
    assert not formula_like(out)
    assert csv_code(out) == text


def _fields(text: str) -> list[str]:
    return [f for row in csv.reader(io.StringIO(text, newline="")) for f in row]


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _formulas(text: str) -> list[str]:
    """Fields a spreadsheet would run: formula-looking text that is not a number Leitai wrote."""
    return [f for f in _fields(text) if formula_like(f) and not _number(f)]


def test_an_arena_with_formula_codes_recomputes_byte_for_byte_and_holds_no_formula():
    rubric = parse_rubric_json(json.dumps({
        "criteria": [{"code": "=c1", "weight": 2, "max": 10}, {"code": "-c2", "weight": 1, "max": 10}],
        "groups": [{"code": "@g", "weight": 1, "trim": 0}, {"code": "+h", "weight": 2, "trim": 0}]}))
    sheets = [Sheet(j, g, u, {"=c1": s, "-c2": 10 - s})
              for n, (j, g) in enumerate((("=J1", "@g"), ("+J2", "+h"), ("J3", "@g")))
              for u, s in (("=HYPERLINK(1)", 7 + n), ("'quoted", 6 - n), ("\t=1", 5.5))]
    published = format_tally_csv(tally(sheets, rubric), rubric)
    exported = format_scores_csv(sheets)
    again = parse_scores_csv(exported, rubric)
    assert again == sheets
    assert format_tally_csv(tally(again, rubric), rubric) == published
    for text in (published, exported):
        assert not _formulas(text)
    assert "'=HYPERLINK(1)" in _fields(published) and "'=c1" in _fields(exported)


def test_a_ranking_with_formula_codes_recomputes_byte_for_byte():
    spec = parse_spec_json(json.dumps({"indicators": [{"code": "=a"}, {"code": "-b", "direction": -1}]}))
    units, codes = ["=u1", "+u2", "u3"], ["=a", "-b"]
    values = np.array([[1.0, 2.0], [3.0, -1.0], [2.0, 0.5]])
    published = format_result_csv(compute_index(units, codes, values, spec))
    u, c, v = parse_data_csv(format_data_csv(units, codes, values, "2024-04"), "2024-04")
    assert (u, c) == (units, codes)
    assert format_result_csv(compute_index(u, c, v, spec)) == published
    assert not _formulas(published) and not _formulas(format_data_csv(units, codes, values))
    assert "-1.0" in _fields(format_data_csv(units, codes, values))  # a number Leitai writes stays a number


def test_rankings_by_judges_with_formula_codes_recompute_byte_for_byte():
    rules = parse_rules_json(json.dumps({"groups": [{"code": "=g", "weight": 1}], "points": [3, 2, 1]}))
    ranks = ("round,group,judge,contestant,rank\n"
             "'=r,'=g,'@j,'=A,1\n'=r,'=g,'@j,'+B,2\n'=r,'=g,'@j,C,3\n")
    entries = parse_ranks_csv(ranks, rules)
    assert {e.contestant for e in entries} == {"=A", "+B", "C"}
    assert format_ranks_csv(entries) == ranks
    out = format_out_csv(points_tally(entries, rules))
    assert not _formulas(out) and "'=A" in _fields(out)
