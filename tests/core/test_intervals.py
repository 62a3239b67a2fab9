"""The shared interval rule (core/intervals.py), on hand-computed cases."""

import numpy as np
import pytest

from leitai.core.intervals import indistinguishable, quantile_ranks, rank_intervals, uncertain_cut


def test_quantiles_are_the_smallest_rank_reaching_the_share_of_draws():
    # 20 draws of one unit: ranks 1 ×1, 2 ×9, 3 ×9, 4 ×1.
    ranks = np.array([[1]] + [[2]] * 9 + [[3]] * 9 + [[4]]).reshape(20, 1)
    assert quantile_ranks(ranks, 5).tolist() == [1]  # 1 draw of 20 = 5 % at rank ≤ 1
    assert quantile_ranks(ranks, 50).tolist() == [2]  # 10 of 20 at rank ≤ 2
    assert quantile_ranks(ranks, 95).tolist() == [3]  # 19 of 20 at rank ≤ 3
    assert quantile_ranks(ranks, 96).tolist() == [4]


def test_one_draw_and_unranked_units():
    med, lo, hi = rank_intervals([2, 0, 1], np.array([[2, 1, 1]]))
    assert med.tolist() == [2, 0, 1] and lo.tolist() == [2, 0, 1] and hi.tolist() == [2, 0, 1]


def test_empty_draws_are_refused():
    with pytest.raises(ValueError):
        quantile_ranks(np.zeros((0, 3), dtype=int), 50)


def test_overlap_and_cuts():
    rank = [1, 2, 3, 4, 0]
    lo = [1, 1, 3, 3, 0]
    hi = [2, 3, 4, 4, 0]
    assert indistinguishable(lo, hi) == [[1], [0, 2, 3], [1, 3], [1, 2], []]
    # Best 1: unit 0 inside overlaps unit 1 outside.
    assert uncertain_cut(rank, lo, hi, 1) == ([0], [1])
    # Best 2: unit 1 (inside) overlaps units 2 and 3 (outside).
    assert uncertain_cut(rank, lo, hi, 2) == ([1], [2, 3])
    # Worst 1 of the 4 ranked: unit 3 inside, overlapping units 1 and 2.
    assert uncertain_cut(rank, lo, hi, 1, from_bottom=True) == ([3], [1, 2])
    # A cut everybody or nobody is inside is safe.
    assert uncertain_cut(rank, lo, hi, 4) == ([], [])
    assert uncertain_cut(rank, lo, hi, 0) == ([], [])
