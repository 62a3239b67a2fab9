"""Properties of the arena tally checked by hypothesis on random small panels."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from leitai.core.io.arena import format_scores_csv, parse_scores_csv
from leitai.core.judging.tally import Criterion, JudgeGroup, Rubric, Sheet, tally

FAST = settings(max_examples=80, deadline=None)
HALVES = st.integers(0, 20).map(lambda i: i / 2)  # 0, 0.5 … 10


@st.composite
def contests(draw, tie_break=True):
    """(rubric, contestants, sheets): 1–3 criteria and groups with integer weights, up to 8 judges and
    5 contestants, some sheets absent and some incomplete."""
    criteria = tuple(Criterion(f"c{i}", draw(st.integers(1, 4)), 10, step=0.5) for i in range(draw(st.integers(1, 3))))
    groups = tuple(JudgeGroup(f"g{i}", draw(st.integers(1, 3)), draw(st.integers(0, 2)))
                   for i in range(draw(st.integers(1, 3))))
    order = draw(st.permutations([g.code for g in groups]))
    tb = tuple(order[:draw(st.integers(0, len(order)))]) if tie_break else ()
    rubric = Rubric(criteria, groups, tb)
    judges = [(f"J{j}", draw(st.sampled_from(groups)).code) for j in range(draw(st.integers(1, 8)))]
    contestants = [f"C{i}" for i in range(draw(st.integers(1, 5)))]
    sheets = []
    for judge, group in judges:
        for contestant in contestants:
            if draw(st.integers(0, 5)) == 0:
                continue  # this judge did not score this contestant
            scores = {c.code: draw(HALVES) for c in criteria if draw(st.integers(0, 11)) > 0}
            sheets.append(Sheet(judge, group, contestant, scores))
    return rubric, contestants, sheets


def summary(result):
    """Everything a tally decides, with the judge lists as sets (they follow sheet appearance order)."""
    return {r.contestant: (r.score, r.rank, r.totals,
                           {g: (s.score, set(s.counted), set(s.dropped_high), set(s.dropped_low))
                            for g, s in r.groups.items()}, set(r.incomplete))
            for r in result.rows}


@FAST
@given(contests(), st.randoms(use_true_random=False))
def test_permuting_the_sheets_changes_nothing(contest, rnd):
    rubric, contestants, sheets = contest
    shuffled = sheets[:]
    rnd.shuffle(shuffled)
    assert summary(tally(shuffled, rubric, contestants)) == summary(tally(sheets, rubric, contestants))


@FAST
@given(contests(), st.data())
def test_raising_one_judges_score_never_lowers_the_contestants_final_score(contest, data):
    # A raise lifts that judge's total (weights > 0). Every order statistic of a group's totals is
    # non-decreasing in each total, so the trimmed mean (the mean of the middle order statistics) cannot
    # fall even when the raised judge moves into or out of the dropped set; completeness and the groups
    # present do not change, so the weighted mean of the groups cannot fall either.
    rubric, contestants, sheets = contest
    candidates = [(i, c) for i, s in enumerate(sheets) for c, v in s.scores.items() if v < 10]
    if not candidates:
        return
    i, code = data.draw(st.sampled_from(candidates))
    before = tally(sheets, rubric, contestants)[sheets[i].contestant].score
    raised = sheets[:]
    old = sheets[i].scores[code]
    new = data.draw(st.integers(int(old * 2) + 1, 20).map(lambda k: k / 2))
    raised[i] = dataclasses.replace(sheets[i], scores={**sheets[i].scores, code: new})
    after = tally(raised, rubric, contestants)[sheets[i].contestant].score
    assert (before is None and after is None) or after >= before


@FAST
@given(contests(), st.integers(2, 1000))
def test_scaling_all_group_weights_by_a_constant_changes_nothing(contest, factor):
    rubric, contestants, sheets = contest
    scaled = dataclasses.replace(rubric, groups=tuple(dataclasses.replace(g, weight=g.weight * factor)
                                                      for g in rubric.groups))
    assert summary(tally(sheets, scaled, contestants)) == summary(tally(sheets, rubric, contestants))


@FAST
@given(contests(), st.floats(0.01, 100))
def test_scaling_group_weights_by_any_float_moves_no_score_beyond_rounding(contest, factor):
    rubric, contestants, sheets = contest
    scaled = dataclasses.replace(rubric, groups=tuple(dataclasses.replace(g, weight=g.weight * factor)
                                                      for g in rubric.groups))
    a, b = tally(sheets, rubric, contestants), tally(sheets, scaled, contestants)
    for x, y in zip(a.rows, b.rows, strict=True):
        assert (x.score is None) == (y.score is None)
        if x.score is not None:
            assert abs(x.score - y.score) <= 1e-12 * max(1.0, abs(x.score))


@FAST
@given(contests(tie_break=False))
def test_without_tie_break_rank_is_one_plus_the_number_of_better_scores(contest):
    rubric, contestants, sheets = contest
    rows = tally(sheets, rubric, contestants).rows
    for r in rows:
        if r.score is None:
            assert r.rank == 0
        else:
            # scores on this grid are equal or differ by far more than the 1e-9 tie tolerance
            better = sum(1 for o in rows if o.score is not None and o.score > r.score + 1e-6)
            assert r.rank == 1 + better


@FAST
@given(contests())
def test_ranks_agree_with_scores_and_a_tie_break_only_reorders_ties(contest):
    rubric, contestants, sheets = contest
    rows = tally(sheets, rubric, contestants).rows
    plain = {r.contestant: r.rank for r in tally(sheets, dataclasses.replace(rubric, tie_break=()), contestants).rows}
    for r in rows:
        assert (r.rank == 0) == (r.score is None)
        for o in rows:
            if r.rank and o.rank and r.rank < o.rank:
                assert r.score >= o.score - 1e-6
                assert plain[r.contestant] <= plain[o.contestant]
        if r.rank:
            # a tie-break can only push a contestant down inside its tie, never above it
            tied = sum(1 for o in rows if o.rank and plain[o.contestant] == plain[r.contestant])
            assert plain[r.contestant] <= r.rank < plain[r.contestant] + tied


@FAST
@given(contests())
def test_a_group_score_lies_between_its_lowest_and_highest_counted_totals(contest):
    rubric, contestants, sheets = contest
    for r in tally(sheets, rubric, contestants).rows:
        for g in r.groups.values():
            if g.score is None:
                assert not g.counted
            else:
                counted = [r.totals[j] for j in g.counted]
                assert min(counted) <= g.score <= max(counted)
                trim = next(x.trim for x in rubric.groups if x.code == g.group)
                n = len(g.counted) + len(g.dropped_high) + len(g.dropped_low)
                assert len(g.dropped_high) == len(g.dropped_low) == (trim if n > 2 * trim else 0)


@FAST
@given(contests())
def test_exported_sheets_give_the_same_tally(contest):
    rubric, contestants, sheets = contest
    back = parse_scores_csv(format_scores_csv(sheets), rubric)
    with_scores = [s for s in sheets if s.scores]  # a sheet without any score has no row to export
    assert summary(tally(back, rubric, contestants)) == summary(tally(with_scores, rubric, contestants))


DECIMALS = st.integers(0, 1000).map(lambda i: i / 100)  # 0.00 … 10.00: denominators 1, 2, 4, 5, 10, 20, 25…


@FAST
@given(st.lists(st.tuples(st.sampled_from([1, 2, 0.5, 0.3, 1.25, 3]), DECIMALS), min_size=1, max_size=6))
def test_a_judges_total_in_whole_numbers_is_the_fraction_sum(weights_and_scores):
    """The whole-number total (tally._exact_total) is exactly Σ w·s / Σ w summed in Fractions."""
    from fractions import Fraction

    from leitai.core.judging.tally import _exact_total, exact

    criteria = tuple(Criterion(f"c{i}", w, 10) for i, (w, _) in enumerate(weights_and_scores))
    rubric = Rubric(criteria, (JudgeGroup("g", 1, 0),))
    scores = {c.code: s for c, (_, s) in zip(criteria, weights_and_scores, strict=True)}
    expected = (sum((exact(w) * exact(s) for w, s in weights_and_scores), Fraction(0))
                / sum((exact(w) for w, _ in weights_and_scores), Fraction(0)))
    assert _exact_total(scores, rubric) == expected

