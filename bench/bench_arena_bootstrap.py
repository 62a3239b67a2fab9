"""The arena bootstrap's speed: 30 contestants × 1,000 judges in 3 groups × 1,000 draws (issue 13).

    python bench/bench_arena_bootstrap.py [--draws N]

Prints the time of the tally (exact, once) and of the bootstrap (the vectorised draws and the intervals)."""

from __future__ import annotations

import argparse
import time

import numpy as np

from leitai.core.judging.bootstrap import bootstrap_ranks
from leitai.core.judging.tally import Criterion, JudgeGroup, Rubric, Sheet, tally


def arena(contestants: int = 30, judges: int = 1000, seed: int = 0) -> tuple[list[Sheet], Rubric]:
    rng = np.random.default_rng(seed)
    rubric = Rubric(tuple(Criterion(f"c{i}", w, 10, 0.1) for i, w in enumerate((3, 3, 2, 2))),
                    (JudgeGroup("leaders", 4, 1), JudgeGroup("experts", 3, 2), JudgeGroup("public", 3, 5)),
                    ("leaders", "experts"))
    sizes = {"leaders": judges // 20, "experts": judges // 10}
    sizes["public"] = judges - sizes["leaders"] - sizes["experts"]
    quality = rng.normal(7.5, 0.6, contestants)
    sheets = []
    j = 0
    for group, m in sizes.items():
        for _ in range(m):
            bias = rng.normal(0, 0.4)
            for c in range(contestants):
                marks = np.clip(np.round(quality[c] + bias + rng.normal(0, 0.8, 4), 1), 0, 10)
                sheets.append(Sheet(f"J{j:04d}", group, f"U{c:02d}", {f"c{i}": float(v) for i, v in enumerate(marks)}))
            j += 1
    return sheets, rubric


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--contestants", type=int, default=30)
    parser.add_argument("--judges", type=int, default=1000)
    args = parser.parse_args()
    sheets, rubric = arena(args.contestants, args.judges)
    t0 = time.perf_counter()
    result = tally(sheets, rubric)
    t1 = time.perf_counter()
    boot = bootstrap_ranks(result, rubric, draws=args.draws, seed=1)
    t2 = time.perf_counter()
    wide = int((boot.rank_hi - boot.rank_lo).max())
    print(f"{args.contestants} contestants × {args.judges} judges ({len(sheets)} sheets) × {args.draws} draws")
    print(f"  tally (exact, once):   {t1 - t0:.3f} s")
    print(f"  bootstrap + intervals: {t2 - t1:.3f} s   (widest interval: {wide + 1} places)")


if __name__ == "__main__":
    main()
