"""Time compute_index on a large period: 3,000 units × 100 indicators, ~5 % missing, 10 groups in 2 levels.

Run: python bench/bench_ranking.py   (target: best of 5 under 0.5 s, single thread)
"""

from __future__ import annotations

import os

# Single thread, set before numpy loads its BLAS: the figure must not depend on the machine's cores.
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import time  # noqa: E402

import numpy as np  # noqa: E402

from leitai.core.ranking.index import compute_index  # noqa: E402
from leitai.core.ranking.spec import parse_spec  # noqa: E402

N_UNITS, N_INDICATORS, RUNS, TARGET_SECONDS = 3000, 100, 5, 0.5


def make_case(n_units: int = N_UNITS, n_indicators: int = N_INDICATORS, seed: int = 20240430):
    """Seeded data (~5 % missing) and a spec: 2 top groups, each with 4 sub-groups; indicators spread over the
    8 leaves (bench_uncertainty uses it too)."""
    rng = np.random.default_rng(seed)
    values = rng.lognormal(mean=3.0, sigma=0.8, size=(n_units, n_indicators))
    values[rng.random(values.shape) < 0.05] = np.nan
    groups = [{"code": "top1", "weight": 2}, {"code": "top2", "weight": 1}]
    leaves = []
    for t in (1, 2):
        for s in range(4):
            code = f"g{t}{s}"
            groups.append({"code": code, "parent": f"top{t}", "weight": float(1 + s)})
            leaves.append(code)
    indicators = [
        {"code": f"i{j:03d}", "direction": -1 if j % 7 == 0 else 1, "weight": float(1 + j % 3),
         "group": leaves[j % len(leaves)]}
        for j in range(n_indicators)
    ]
    spec = parse_spec({"indicators": indicators, "groups": groups, "weak_k": 3,
                       "awards": {"star_top_k": 3, "category_flags": True, "red_flags": 3, "yellow_flags": 3},
                       "adjustments": [{"unit": f"u{i}", "points": 0.5} for i in range(0, n_units, 50)]})
    units = [f"u{i}" for i in range(n_units)]
    codes = [f"i{j:03d}" for j in range(n_indicators)]
    return units, codes, values, spec


def main() -> None:
    units, codes, values, spec = make_case()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        result = compute_index(units, codes, values, spec)
        times.append(time.perf_counter() - start)
    best = min(times)
    print(f"units: {len(units)}")
    print(f"indicators: {len(codes)}")
    print(f"groups: {len(spec.groups)}")
    print(f"ranked: {int((result.rank > 0).sum())}")
    print(f"seconds (best of {RUNS}): {best:.4f}")
    print(f"target < {TARGET_SECONDS} s: {'ok' if best < TARGET_SECONDS else 'TOO SLOW'}")


if __name__ == "__main__":
    main()
