"""The judges' audit's speed (core/judging/audit.py) on big panels.

    python bench/bench_audit.py [--judges N] [--missing-judges N]

Two panels of one group, 12 contestants (levels 40–60 out of 100, T = 5), every judge a small random bias and
noise, one judge planted lenient (+15 = 3T) and one severe (−15):
- complete: 1,000 judges, every sheet (the ranking reference in closed form). Target: well under 1 s.
- missing: 300 judges, about 5 % of the sheets missing (the reference by eliminating the judge offsets).
- many passes: 1,000 judges complete with 5 lenient and 5 severe (one exclusion per pass: 12 passes).
Prints the best of 3 runs in seconds (the exact tally of the sheets included) and whether exactly the planted
judges are flagged lenient / severe."""

from __future__ import annotations

import os

# Single thread, set before numpy loads its BLAS: the figures must not depend on the machine's cores.
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import argparse  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from leitai.core.judging.audit import audit  # noqa: E402
from leitai.core.judging.tally import Criterion, JudgeGroup, Rubric, Sheet  # noqa: E402

RUBRIC = Rubric((Criterion("a", 2, 100), Criterion("b", 1, 100)), (JudgeGroup("g", 1, 0),))  # T = 5
CONTESTANTS, RUNS = 12, 3
ONE = {"J0003": 15.0, "J0007": -15.0}
TEN = {f"J{j:04d}": 15.0 if j % 2 else -15.0 for j in range(10, 110, 10)}


def panel(judges: int, missing: float, planted: dict[str, float], seed: int = 0) -> list[Sheet]:
    rng = np.random.default_rng(seed)
    levels = rng.uniform(40, 60, CONTESTANTS)
    sheets = []
    for j in range(judges):
        name = f"J{j:04d}"
        bias = planted.get(name, float(rng.normal(0, 0.5)))
        for c, level in enumerate(levels):
            if name not in planted and rng.random() < missing:
                continue
            marks = np.clip(np.round(level + bias + rng.normal(0, 1.5, 2), 1), 0, 100)
            sheets.append(Sheet(name, "g", f"C{c:02d}", {"a": float(marks[0]), "b": float(marks[1])}))
    return sheets


def run(label: str, sheets: list[Sheet], planted: dict[str, float]) -> None:
    times, result = [], None
    for _ in range(RUNS):
        t0 = time.perf_counter()
        result = audit(sheets, RUBRIC)
        times.append(time.perf_counter() - t0)
    assert result is not None
    judges = len({s.judge for s in sheets})
    found = result.flagged == {j: ["lenient" if b > 0 else "severe"] for j, b in sorted(planted.items())}
    print(f"{label}: {judges} judges × {CONTESTANTS} contestants ({len(sheets)} sheets)")
    print(f"  audit, best of {RUNS}: {min(times):.3f} s   planted judges flagged (and no one else): {found}"
          f"   flagged: {len(result.flagged)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--judges", type=int, default=1000)
    parser.add_argument("--missing-judges", type=int, default=300)
    args = parser.parse_args()
    run("complete", panel(args.judges, 0.0, ONE), ONE)
    run("5 % missing", panel(args.missing_judges, 0.05, ONE, seed=1), ONE)
    run("many passes", panel(args.judges, 0.0, TEN, seed=2), TEN)


if __name__ == "__main__":
    main()
