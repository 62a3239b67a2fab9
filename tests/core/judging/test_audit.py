"""The judges' audit (core/judging/audit.py): hand-computed panels, the t quantile, Spearman, the calibrations
of the tally, and hypothesis properties (a constant added to one judge's marks)."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leitai.core.errors import SpecError
from leitai.core.io.arena import format_tally_csv, parse_rubric_json
from leitai.core.io.arena_audit import format_audit_csv, format_links_csv, parse_links_csv
from leitai.core.judging.audit import _welch, audit, default_threshold, spearman, t_quantile
from leitai.core.judging.rubric import Calibration, parse_rubric
from leitai.core.judging.tally import Criterion, JudgeGroup, Rubric, Sheet, tally

ONE = Rubric((Criterion("s", 1, 100),), (JudgeGroup("g", 1, 0),))


def panel(marks: dict[str, dict[str, float]], group: str = "g") -> list[Sheet]:
    return [Sheet(j, group, c, {"s": v}) for j, row in marks.items() for c, v in row.items()]


# D is 10 above A, B and C on every contestant (hand-computed in the tests below).
MARKS = {"A": {"x": 60, "y": 70, "z": 80}, "B": {"x": 62, "y": 71, "z": 79},
         "C": {"x": 58, "y": 69, "z": 81}, "D": {"x": 70, "y": 80, "z": 90}}


@pytest.mark.parametrize(("df", "expected"), [(1, 12.706205), (2, 4.302653), (4, 2.776445), (10, 2.228139),
                                              (30, 2.042272), (120, 1.979930), (math.inf, 1.959964)])
def test_t_quantile_matches_tables(df, expected):
    assert t_quantile(0.975, df) == pytest.approx(expected, abs=5e-7)


def test_t_quantile_fractional_df_between_neighbours_and_other_levels():
    assert t_quantile(0.975, 2) > t_quantile(0.975, 2.5) > t_quantile(0.975, 3)
    assert t_quantile(0.95, 1) == pytest.approx(6.313752, abs=5e-7)
    assert t_quantile(0.995, 5) == pytest.approx(4.032143, abs=5e-7)
    with pytest.raises(ValueError):
        t_quantile(0.4, 3)


def test_spearman_average_ranks_and_undefined():
    assert spearman([1, 2, 3, 4], [1, 3, 2, 4]) == pytest.approx(0.8)
    # x ranks 1.5, 1.5, 3; y ranks 1, 2, 3: r = 0.866025…
    assert spearman([1, 1, 2], [3, 4, 5]) == pytest.approx(math.sqrt(3) / 2)
    assert spearman([3, 2, 1], [1, 2, 3]) == -1.0
    assert spearman([1, 1, 1], [1, 2, 3]) is None
    assert spearman([1], [2]) is None


def test_default_threshold_is_five_percent_of_the_top_weighted_total():
    rubric = Rubric((Criterion("a", 2, 10), Criterion("b", 1, 40)), (JudgeGroup("g", 1, 0),))
    assert default_threshold(rubric) == 1.0  # (2·10 + 40) / 3 = 20 → 1
    assert default_threshold(ONE) == 5.0


def test_hand_computed_panel_flags_the_lenient_judge_and_excludes_it_from_the_consensus():
    result = audit(panel(MARKS), ONE)
    assert result.threshold == 5.0 and result.excluded == {"g": ["D"]}
    d = result["D"]  # consensus (excluding only D itself) 60, 70, 80: D is +10 on every sheet, sd 0
    assert (d.sheets, d.leniency, d.leniency_lo, d.leniency_hi, d.flags) == (3, 10.0, 10.0, 10.0, ["lenient"])
    a = result["A"]  # consensus of B, C (D excluded): 60, 70, 80
    assert (a.leniency, a.leniency_lo, a.leniency_hi, a.consistency, a.flags) == (0.0, 0.0, 0.0, 1.0, [])
    b = result["B"]  # consensus of A, C: 59, 69.5, 80.5 → deviations 3, 1.5, −1.5: mean 1, s² = 5.25
    half = t_quantile(0.975, 2) * math.sqrt(5.25 / 3)
    assert b.leniency == pytest.approx(1.0)
    assert (b.leniency_lo, b.leniency_hi) == (pytest.approx(1 - half), pytest.approx(1 + half))
    assert b.consistency == 1.0 and b.flags == [] and b.favour is None
    c = result["C"]  # consensus of A, B: 61, 70.5, 79.5 → −3, −1.5, 1.5
    assert c.leniency == pytest.approx(-1.0) and c.flags == []


def test_plain_leave_one_out_would_have_shifted_the_others():
    # Without the exclusion C's consensus includes D: deviations −6, −14/3, −2 (mean −38/9). With it: −1.
    assert audit(panel(MARKS), ONE)["C"].leniency == pytest.approx(-1.0)
    assert audit(panel({k: v for k, v in MARKS.items() if k != "D"}), ONE)["C"].leniency == pytest.approx(-1.0)


def test_severe_erratic_and_csv():
    marks = {j: {f"c{i}": 50 + 5 * i + off for i in range(6)} for j, off in (("A", 0), ("B", 1), ("C", -1), ("D", 0.5))}
    marks["S"] = {f"c{i}": 40 + 5 * i for i in range(6)}  # 10 below
    marks["E"] = {f"c{i}": 75 - 5 * i for i in range(6)}  # reversed: same mean, ranks upside down
    result = audit(panel(marks), ONE)
    assert result["S"].flags == ["severe"]
    assert result["E"].consistency == -1.0 and result["E"].flags == ["erratic"]
    assert all(result[j].flags == [] for j in "ABCD")
    text = format_audit_csv(result)
    lines = text.splitlines()
    assert lines[0] == "judge,group,sheets,leniency,leniency_lo,leniency_hi,consistency,favour,favour_lo,favour_hi,flags"
    assert [ln.split(",")[0] for ln in lines[1:]] == ["A", "B", "C", "D", "E", "S"]
    assert lines[6].endswith(",-1.0,,,,erratic") and lines[6].startswith("E,g,6,") or "erratic" in lines[5]
    s_line = next(ln for ln in lines if ln.startswith("S,"))
    assert s_line.endswith(",1.0,,,,severe")


def test_erratic_needs_five_contestants():
    marks = {j: {f"c{i}": 50 + 5 * i for i in range(4)} for j in "ABC"}
    marks["E"] = {f"c{i}": 65 - 5 * i for i in range(4)}
    assert audit(panel(marks), ONE)["E"].consistency == -1.0
    assert "erratic" not in audit(panel(marks), ONE)["E"].flags


def test_one_sheet_has_no_interval_and_no_flag():
    marks = {"A": {"x": 50}, "B": {"x": 50}, "C": {"x": 90}}
    r = audit(panel(marks), ONE)["C"]
    assert (r.sheets, r.leniency, r.leniency_lo, r.leniency_hi, r.flags) == (1, 40.0, None, None, [])
    assert r.consistency is None
    # A judge alone on a contestant has nobody to compare with: that sheet is not counted.
    alone = audit(panel({"A": {"x": 50, "y": 60}, "B": {"x": 52}}), ONE)
    assert alone["A"].sheets == 1 and alone["A"].leniency == -2.0


def test_incomplete_sheets_are_left_out_as_in_the_tally():
    rubric = Rubric((Criterion("a", 1, 10), Criterion("b", 1, 10)), (JudgeGroup("g", 1, 0),))
    sheets = [Sheet("A", "g", "x", {"a": 5, "b": 5}), Sheet("B", "g", "x", {"a": 7, "b": 8}),
              Sheet("A", "g", "y", {"a": 6}), Sheet("B", "g", "y", {"a": 9, "b": 9})]
    result = audit(sheets, rubric)
    assert result["A"].sheets == 1 and result["A"].leniency == -2.5
    assert result["B"].sheets == 1 and result["B"].leniency == 2.5


def test_favour_welch_interval_and_flag():
    # Hand-computed Welch: a = [1, 3], b = [0, 0, 2] → diff 4/3, se² = 1 + 4/9 = 13/9, df = 169/89.
    diff, lo, hi = _welch(np.array([1.0, 3.0]), np.array([0.0, 0.0, 2.0]))
    half = t_quantile(0.975, 169 / 89) * math.sqrt(13 / 9)
    assert diff == pytest.approx(4 / 3) and lo == pytest.approx(4 / 3 - half) and hi == pytest.approx(4 / 3 + half)
    # F gives its two linked contestants 20 more than the others do, the rest as they do.
    marks = {j: {f"c{i}": 40 + 5 * i + off for i in range(8)} for j, off in (("A", 0), ("B", 1), ("C", -1), ("D", 0))}
    marks["F"] = {f"c{i}": 40 + 5 * i + (20 if i in (2, 5) else 0.5 * (i % 2)) for i in range(8)}
    links = {("F", "c2"): "挂钩联系", ("F", "c5"): "原任职", ("A", "c1"): "同一区县"}
    result = audit(panel(marks), ONE, links)
    f = result["F"]
    assert f.linked == 2 and f.favour_lo is not None and f.favour_lo > 5 and "favours_linked" in f.flags
    a = result["A"]  # one linked sheet: a favour, no interval, no flag
    assert a.favour is not None and a.favour_lo is None and "favours_linked" not in a.flags
    assert result["B"].favour is None  # no links
    # Links read back from LINKS.csv; a repeated pair names its line.
    assert parse_links_csv(format_links_csv(links)) == links
    with pytest.raises(Exception, match="第 3 行"):
        parse_links_csv("judge,contestant,relation\nF,c2,a\nF,c2,b\n")


def test_threshold_option():
    assert audit(panel(MARKS), ONE, threshold=20)["D"].flags == []
    assert audit(panel(MARKS), ONE, threshold=20).threshold == 20.0


def test_groups_are_audited_separately_and_sorted():
    sheets = panel(MARKS, "public") + panel({k + "2": v for k, v in MARKS.items()}, "leaders")
    rubric = Rubric((Criterion("s", 1, 100),), (JudgeGroup("public", 1, 0), JudgeGroup("leaders", 1, 0)))
    result = audit(sheets, rubric)
    assert [(r.group, r.judge) for r in result.rows] == [("leaders", j + "2") for j in "ABCD"] + [
        ("public", j) for j in "ABCD"]
    assert result["D2"].flags == ["lenient"] and result["D"].flags == ["lenient"]


# ----------------------------------------------------------------------------------------- calibration

def test_calibration_is_parsed_with_field_named_errors():
    base = {"criteria": [{"code": "s", "max": 100}], "groups": [{"code": "g"}]}
    assert parse_rubric({**base, "calibration": {"method": "standardize"}}).calibration == Calibration("standardize")
    cal = parse_rubric({**base, "calibration": {"method": "drop_flagged", "threshold": 2}}).calibration
    assert cal == Calibration("drop_flagged", ("lenient", "severe"), 2.0)
    assert cal.as_dict() == {"method": "drop_flagged", "flags": ["lenient", "severe"], "threshold": 2.0}
    for bad, word in (({"method": "zscore"}, "method"), ({"method": "standardize", "flags": []}, "flags"),
                      ({"method": "drop_flagged", "flags": ["kind"]}, "flags"),
                      ({"method": "drop_flagged", "threshold": -1}, "threshold"), ("standardize", "calibration")):
        with pytest.raises(SpecError, match=word) as e:
            parse_rubric({**base, "calibration": bad})
        assert "calibration" in e.value.zh


def test_uncalibrated_rubric_keeps_the_exact_tally():
    assert parse_rubric({"criteria": [{"code": "s", "max": 100}], "groups": [{"code": "g"}]}).calibration is None


def test_standardize_by_hand():
    # A: 60, 80 (mean 70, var 100); B: 70, 72 (mean 71, var 1); the group: mean 70.5, var 203/4.
    rubric = Rubric((Criterion("s", 1, 100),), (JudgeGroup("g", 1, 0),), calibration=Calibration("standardize"))
    sheets = panel({"A": {"x": 60, "y": 80}, "B": {"x": 70, "y": 72}})
    result = tally(sheets, rubric)
    ra = Fraction(math.sqrt(float(Fraction(203, 400))))
    rb = Fraction(math.sqrt(float(Fraction(203, 4))))
    x = (Fraction(141, 2) - 10 * ra + Fraction(141, 2) - rb) / 2
    y = (Fraction(141, 2) + 10 * ra + Fraction(141, 2) + rb) / 2
    assert result["x"].score == float(x) and result["y"].score == float(y)
    assert result.ranks == {"y": 1, "x": 2} and result.dropped == []
    # A judge with one sheet or equal totals counts at the group mean.
    flat = tally(panel({"A": {"x": 60, "y": 60}, "B": {"x": 70, "y": 90}}), rubric)
    assert flat["x"].totals["A"] == 70.0 and flat["y"].totals["A"] == 70.0
    # The order of the sheets cannot move a bit.
    assert format_tally_csv(tally(list(reversed(sheets)), rubric), rubric) == format_tally_csv(result, rubric)


def test_drop_flagged_drops_and_records():
    rubric = Rubric((Criterion("s", 1, 100),), (JudgeGroup("g", 1, 0),),
                    calibration=Calibration("drop_flagged", ("lenient", "severe")))
    result = tally(panel(MARKS), rubric)
    assert [(d.judge, d.flags, d.leniency) for d in result.dropped] == [("D", ["lenient"], 10.0)]
    assert result["x"].score == 60.0 and "D" not in result["x"].totals  # (60 + 62 + 58) / 3
    plain = tally(panel(MARKS), ONE)
    assert plain["x"].score == 62.5 and plain.dropped == []


def test_drop_flagged_favours_linked_uses_links():
    rubric = parse_rubric_json('{"criteria": [{"code": "s", "max": 100}], "groups": [{"code": "g"}],'
                               ' "calibration": {"method": "drop_flagged", "flags": ["favours_linked"]}}')
    marks = {j: {f"c{i}": 40 + 5 * i + off for i in range(8)} for j, off in (("A", 0), ("B", 1), ("C", -1), ("D", 0))}
    marks["F"] = {f"c{i}": 40 + 5 * i + (20 if i in (2, 5) else 0.5 * (i % 2)) for i in range(8)}
    links = {("F", "c2"): "挂钩联系", ("F", "c5"): "原任职"}
    assert [d.judge for d in tally(panel(marks), rubric, links=links).dropped] == ["F"]
    assert tally(panel(marks), rubric).dropped == []


# ------------------------------------------------------------------------------------------ properties

RUBRIC2 = Rubric((Criterion("a", 2, 100), Criterion("b", 1, 100)), (JudgeGroup("g", 1, 0),))  # T = 5


@st.composite
def planted_panels(draw):
    """A group of 5–8 judges scoring 6–10 contestants (levels 40–60) on two criteria. Every judge is either
    clean (bias within ±1 = 0.2·T, noise within ±0.5 per mark) or, at most one of them, planted at ±15 (3·T);
    each judge may skip one contestant (judge j contestant j mod n: at most two judges miss the same one). Then one judge (any) and a shift c, a multiple of 0.5 in ±20."""
    k = draw(st.integers(5, 8))
    n = draw(st.integers(6, 10))
    levels = draw(st.lists(st.integers(40, 60), min_size=n, max_size=n, unique=True))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    bias = [round(float(rng.uniform(-1, 1)), 1) for _ in range(k)]
    planted = draw(st.sampled_from([None, *range(k)]))
    if planted is not None:
        bias[planted] = draw(st.sampled_from([15.0, -15.0]))
    sheets = []
    for j in range(k):
        skip = draw(st.sampled_from([None, j % n]))  # judge j may miss contestant j mod n only
        for i, level in enumerate(levels):
            if i != skip:
                marks = {c: round(level + bias[j] + float(rng.uniform(-0.5, 0.5)), 1) for c in ("a", "b")}
                sheets.append(Sheet(f"J{j}", "g", f"C{i}", marks))
    shifted = f"J{draw(st.integers(0, k - 1))}"
    c = draw(st.integers(-40, 40)) / 2
    return sheets, shifted, c


def shift(sheets: list[Sheet], judge: str, c: float) -> list[Sheet]:
    return [Sheet(s.judge, s.group, s.contestant, {k: v + c for k, v in s.scores.items()}) if s.judge == judge else s
            for s in sheets]


@settings(max_examples=120, deadline=None)
@given(planted_panels())
def test_a_constant_moves_that_judges_leniency_by_it_and_no_one_elses_flags(case):
    sheets, judge, c = case
    before, after = audit(sheets, RUBRIC2), audit(shift(sheets, judge, c), RUBRIC2)
    b, a = before[judge], after[judge]
    assert a.leniency == pytest.approx(b.leniency + c, abs=1e-9)
    assert a.leniency_lo == pytest.approx(b.leniency_lo + c, abs=1e-9)
    assert a.leniency_hi == pytest.approx(b.leniency_hi + c, abs=1e-9)
    assert a.consistency == pytest.approx(b.consistency, abs=1e-12)
    for row in before.rows:
        if row.judge != judge:
            assert after[row.judge].flags == row.flags, row.judge


@settings(max_examples=60, deadline=None)
@given(planted_panels())
def test_planted_judges_are_flagged_with_their_kind_and_clean_ones_are_not(case):
    sheets, judge, c = case
    # Without the shift every judge is either clean (no flag) or planted at ±3T (lenient / severe).
    before = audit(sheets, RUBRIC2)
    for row in before.rows:
        assert row.flags in ([], ["lenient"], ["severe"])
        if row.flags:
            assert abs(row.leniency) > 10
        else:
            assert abs(row.leniency) < 3
    # A clean judge shifted by 2T or more is found with the right kind; by at most 0.4T, not at all.
    if not before[judge].flags:
        flags = audit(shift(sheets, judge, c), RUBRIC2)[judge].flags
        if abs(c) >= 10:
            assert flags == (["lenient"] if c > 0 else ["severe"])
        elif abs(c) <= 2:
            assert flags == []


@settings(max_examples=40, deadline=None)
@given(planted_panels())
def test_the_audit_csv_does_not_depend_on_sheet_order(case):
    sheets, _, _ = case
    assert format_audit_csv(audit(sheets, RUBRIC2)) == format_audit_csv(audit(list(reversed(sheets)), RUBRIC2))


def test_a_favouring_judges_linked_sheets_leave_the_others_consensus():
    # F marks like the mean of A–D except +20 on its linked c2 and c5; A is linked to c2, c3 and c4.
    def marks(planted: bool):
        out = {j: {f"c{i}": 40 + 5 * i + off + 0.5 * ((i + k) % 3 == 0) for i in range(8)}
               for k, (j, off) in enumerate((("A", 0), ("B", 1), ("C", -1), ("D", 0)))}
        out["F"] = {f"c{i}": 40 + 5 * i + (20 if planted and i in (2, 5) else 0) for i in range(8)}
        return out

    links = {("F", "c2"): "挂钩联系", ("F", "c5"): "原任职", ("A", "c2"): "同一区县", ("A", "c3"): "x", ("A", "c4"): "y"}
    before, after = audit(panel(marks(False)), ONE, links), audit(panel(marks(True)), ONE, links)
    assert after["F"].flags == ["favours_linked"] and before["F"].flags == []
    for j in "ABCD":
        assert after[j].flags == before[j].flags
    # A's consensus on c2 leaves out F's favoured sheet: A's favour is what it was without F's +20, up to F's
    # own small differences from the others on c2.
    assert abs(after["A"].favour - before["A"].favour) < 0.2


def test_the_ranking_reference_keeps_ties_and_ignores_a_missing_extreme_contestant():
    # B and C get the same marks from everyone but E: their effects tie exactly, so E's ranks average there.
    marks = {j: {"a": 50 + off, "b": 60 + off, "c": 60 + off, "d": 70 + off, "e": 80 + off, "f": 90 + off}
             for j, off in (("A", 0), ("B", 2), ("C", -1), ("D", 1))}
    marks["E"] = {"a": 50, "b": 61, "c": 59, "d": 70, "e": 80, "f": 90}
    assert audit(panel(marks), ONE)["E"].consistency == spearman([50, 61, 59, 70, 80, 90], [1, 2.5, 2.5, 4, 5, 6])
    # D misses the strongest contestant; A's reference still ranks b, c, d, e, f as everyone does.
    del marks["E"], marks["D"]["f"]
    assert audit(panel(marks), ONE)["A"].consistency == spearman([50, 60, 60, 70, 80, 90], [1, 2.5, 2.5, 4, 5, 6])


def test_the_complete_panels_closed_form_reference_equals_the_least_squares_fit():
    """When every judge scored every contestant the ranking reference is computed in closed form for all judges
    at once (a fit per judge was cubic: 200 judges took a minute); it must equal the least-squares fit."""
    import numpy as np

    from leitai.core.judging.audit import _ranking_reference

    rng = np.random.default_rng(7)
    for judges, contestants in ((2, 3), (6, 8), (25, 5)):
        m = np.round(rng.uniform(50, 90, size=(judges, contestants)), 2)
        v = np.ones(m.shape, dtype=bool)
        fast, ranked = _ranking_reference(m, v, np.zeros(m.shape, dtype=bool))
        for i in range(1, judges):
            obs = np.ones(m.shape, dtype=bool)
            obs[i] = False
            rows, cols = np.nonzero(obs)
            design = np.zeros((len(rows), contestants + judges))
            design[np.arange(len(rows)), cols] = 1.0
            design[np.arange(len(rows)), contestants + rows] = 1.0
            fit = np.round(np.linalg.lstsq(design, m[rows, cols], rcond=None)[0][:contestants], 9)
            assert np.array_equal(fast[i], fit)
        assert ranked.all()
