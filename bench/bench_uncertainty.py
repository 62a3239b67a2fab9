"""Time the rank intervals (leitai.core.ranking.uncertainty) against a bare-numpy floor of the same draws.

Run: python bench/bench_uncertainty.py
Targets (docs/uncertainty.md): the demo city's size (120 units × 66 indicators) with 1,000 draws in under 1 s;
3,000 units × 100 indicators × 1,000 draws within 2× the floor measured in the same run. The floor does only
what no implementation can skip: the same (draws × weights) random matrix times the normalised matrix, and an
argsort-based ranking of every draw (argsort, then scatter the positions back). Best of RUNS, single thread.
"""

from __future__ import annotations

import os

# Single thread, set before numpy loads its BLAS: the figures must not depend on the machine's cores.
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import time  # noqa: E402

import numpy as np  # noqa: E402
from bench_ranking import make_case  # noqa: E402

from leitai.core.ranking.uncertainty import UncertaintyParams, index_uncertainty  # noqa: E402

DRAWS, SEED, JITTER, RUNS = 1000, 20240430, 0.25, 3
DEMO_SECONDS, FLOOR_FACTOR = 1.0, 2.0


def best_of(fn) -> float:
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def floor(values: np.ndarray, spec) -> float:
    """The bare minimum for the same draws: W (draws × m) @ Xᵀ and an argsort ranking per draw."""
    x = np.nan_to_num((values - np.nanmin(values, axis=0)) / np.ptp(np.nan_to_num(values), axis=0))
    width = len(spec.indicators) + len(spec.groups)
    base = np.array([i.weight for i in spec.indicators])

    def run():
        w = np.random.default_rng(SEED).uniform(1 - JITTER, 1 + JITTER, size=(DRAWS, width))[:, :x.shape[1]] * base
        scores = w @ x.T
        order = np.argsort(-scores, axis=1)
        ranks = np.empty_like(order)
        np.put_along_axis(ranks, order, np.arange(1, x.shape[0] + 1)[None, :], axis=1)
        return ranks

    return best_of(run)


def main() -> None:
    params = UncertaintyParams(DRAWS, SEED, JITTER)
    units, codes, values, spec = make_case(120, 66)
    demo = best_of(lambda: index_uncertainty(units, codes, values, spec, params))
    print(f"demo size 120 × 66 × {DRAWS} draws: {demo:.3f} s (target < {DEMO_SECONDS:.1f} s)")
    units, codes, values, spec = make_case(3000, 100)
    ours = best_of(lambda: index_uncertainty(units, codes, values, spec, params))
    bare = floor(values, spec)
    print(f"3000 × 100 × {DRAWS} draws: {ours:.3f} s; bare-numpy floor {bare:.3f} s; ratio {ours / bare:.2f} "
          f"(target ≤ {FLOOR_FACTOR:.1f})")
    ok = demo < DEMO_SECONDS and ours <= FLOOR_FACTOR * bare
    print("OK" if ok else "TOO SLOW")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
