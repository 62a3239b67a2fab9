"""The ranking arena's bootstrap (core/judging/bootstrap_points.py): hand-computed cases, every draw equal to
`points_tally` on the drawn judges (the slow definition), and hypothesis properties."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leitai.core.errors import DataError, SpecError
from leitai.core.judging.bootstrap import judge_draw_counts
from leitai.core.judging.bootstrap_points import bootstrap_points
from leitai.core.judging.points import RankEntry, parse_points_rules, points_tally

FAST = settings(max_examples=40, deadline=None)
RULES = parse_points_rules({"groups": [{"code": "leaders", "weight": 0.6}, {"code": "public", "weight": 0.4}],
                            "tie_break": ["leaders"], "points": [3, 2, 1]})


def entries_of(table: dict[str, dict[str, list[int]]], contestants: str = "ABC") -> list[RankEntry]:
    """{group: {judge: [rank of A, rank of B, …]}} → RankEntry rows of one round."""
    return [RankEntry("R", g, c, rank, judge) for g, judges in table.items() for judge, ranks in judges.items()
            for c, rank in zip(contestants, ranks, strict=True)]


def test_unanimous_judges_give_collapsed_intervals():
    table = {"leaders": {"L1": [1, 2, 3], "L2": [1, 2, 3]}, "public": {"P1": [1, 2, 3], "P2": [1, 2, 3]}}
    boot = bootstrap_points(entries_of(table), RULES, draws=50, seed=3)
    assert boot.contestants == ["A", "B", "C"] and boot.rank.tolist() == [1, 2, 3]
    assert boot.rank_lo.tolist() == boot.rank_hi.tolist() == boot.median_rank.tolist() == [1, 2, 3]


def test_hand_computed_split_panel():
    # Leaders: L1 ranks A, B, C; L2 ranks B, A, C. The public (one whole-group row) ranks B, A, C.
    # Drawing two leaders: {L1, L1} → A 1st; {L2, L2} → B 1st; {L1, L2} → sums A 3, B 3 → tied 1st.
    # Combined (0.6·leaders + 0.4·public, ×5 → 3·l + 2·p): A 3·1 + 2·2 = 7 vs B 3·2 + 2·1 = 8 when the leaders
    # put A first; B wins when they put B first; tied leaders (1, 1): A 3 + 4 = 7, B 3 + 2 = 5 → B 1st.
    table = {"leaders": {"L1": [1, 2, 3], "L2": [2, 1, 3]}, "public": {"": [2, 1, 3]}}
    entries = entries_of(table)
    boot = bootstrap_points(entries, RULES, draws=400, seed=11)
    nominal = {r.contestant: r.combined_rank for r in points_tally(entries, RULES).detail}
    assert dict(zip(boot.contestants, boot.rank.tolist(), strict=True)) == nominal == {"B": 1, "A": 2, "C": 3}
    counts = judge_draw_counts([2, 1], 400, 11)[0]
    a_first = counts[:, 0] == 2  # both draws are L1
    col = boot.contestants.index("A")
    assert (boot.draw_ranks[a_first, col] == 1).all() and (boot.draw_ranks[~a_first, col] == 2).all()
    assert 0 < a_first.mean() < 0.5  # a quarter of the draws, give or take
    assert boot.rank_lo[col] == 1 and boot.rank_hi[col] == 2  # A: 1st in ~25 % of draws → [1, 2]
    assert (boot.draw_ranks[:, boot.contestants.index("C")] == 3).all()


def reference(entries: list[RankEntry], rules, boot) -> np.ndarray:
    """Each draw: points_tally on the drawn judges, a judge drawn twice appearing twice (the slow definition)."""
    present = [g for g in rules.group_codes if any(e.group == g for e in entries)]
    judges = {g: sorted({e.judge for e in entries if e.group == g}) for g in present}
    counts = judge_draw_counts([len(judges[g]) for g in present], boot.draws, boot.seed)
    out = []
    for d in range(boot.draws):
        drawn = []
        for g, c in zip(present, counts, strict=True):
            for j, judge in enumerate(judges[g]):
                for copy in range(int(c[d, j])):
                    name = judge if len(judges[g]) == 1 else f"{judge}#{copy}"
                    drawn += [RankEntry(e.round, g, e.contestant, e.rank, name) for e in entries
                              if e.group == g and e.judge == judge]
        ranks = {r.contestant: r.combined_rank for r in points_tally(drawn, rules).detail}
        out.append([ranks[c] for c in boot.contestants])
    return np.array(out)


@st.composite
def panels(draw):
    n = draw(st.integers(2, 6))
    names = "ABCDEF"[:n]
    table = {}
    for g, most in (("leaders", 4), ("public", 5)):
        k = draw(st.integers(1, most))
        table[g] = {f"{g[0]}{j}": draw(st.permutations(range(1, n + 1))) for j in range(k)}
    weights = draw(st.sampled_from([(0.6, 0.4), (1, 1), (0.35, 0.65), (2, 1)]))
    rules = parse_points_rules({"groups": [{"code": "leaders", "weight": weights[0]},
                                           {"code": "public", "weight": weights[1]}],
                                "tie_break": draw(st.sampled_from([[], ["leaders"], ["public", "leaders"]])),
                                "points": [5, 3, 1]})
    return entries_of(table, names), rules


@FAST
@given(panels(), st.integers(0, 2**32))
def test_every_draw_is_the_tally_of_the_drawn_judges(panel, seed):
    entries, rules = panel
    boot = bootstrap_points(entries, rules, draws=20, seed=seed)
    assert (boot.draw_ranks == reference(entries, rules, boot)).all()
    nominal = {r.contestant: r.combined_rank for r in points_tally(entries, rules).detail}
    assert boot.rank.tolist() == [nominal[c] for c in boot.contestants]
    assert (boot.rank_lo <= boot.median_rank).all() and (boot.median_rank <= boot.rank_hi).all()


@FAST
@given(panels(), st.integers(0, 2**32))
def test_the_seed_fixes_the_draws_and_the_order_of_the_lines_does_not_matter(panel, seed):
    entries, rules = panel
    one = bootstrap_points(entries, rules, draws=15, seed=seed)
    two = bootstrap_points(list(reversed(entries)), rules, draws=15, seed=seed)
    assert (one.draw_ranks == two.draw_ranks).all() and one.contestants == two.contestants


def test_more_than_one_round_and_bad_parameters_are_refused():
    entries = entries_of({"leaders": {"L1": [1, 2, 3]}, "public": {"P1": [1, 2, 3]}})
    with pytest.raises(DataError, match="一轮"):
        bootstrap_points([*entries, RankEntry("R2", "leaders", "A", 1, "L1")], RULES)
    with pytest.raises(SpecError):
        bootstrap_points(entries, RULES, draws=0)
    with pytest.raises(SpecError):
        bootstrap_points(entries, RULES, seed=-1)


def test_weights_that_are_not_whole_numbers_are_exact():
    # 0.1 + 0.2 = 0.3 exactly: A (public 1st, leaders 2nd) and B (leaders 1st, public 2nd) under weights 0.1 / 0.2
    # / … tie only when the arithmetic is exact.
    rules = parse_points_rules({"groups": [{"code": "a", "weight": 0.1}, {"code": "b", "weight": 0.2},
                                           {"code": "c", "weight": 0.3}], "points": [1]})
    entries = [RankEntry("R", "a", "A", 1, "x"), RankEntry("R", "a", "B", 2, "x"),
               RankEntry("R", "b", "A", 1, "y"), RankEntry("R", "b", "B", 2, "y"),
               RankEntry("R", "c", "A", 2, "z"), RankEntry("R", "c", "B", 1, "z")]
    assert Fraction(1, 10) + Fraction(2, 10) == Fraction(3, 10)
    boot = bootstrap_points(entries, rules, draws=5, seed=0)
    assert boot.rank.tolist() == [1, 1] and (boot.draw_ranks == 1).all()
