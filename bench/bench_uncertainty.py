"""Time the rank intervals (leitai.core.ranking.uncertainty) against a bare-numpy floor of the same draws.

Run: python bench/bench_uncertainty.py
Targets (docs/uncertainty.md): the demo city's size (120 units × 66 indicators) with 1,000 draws in under 1 s;
3,000 units × 100 indicators × 1,000 draws within 2× the floor measured in the same run. The floor does only
what no implementation can skip to give the same output: the same (draws × weights) random matrix times the
normalised matrix, an argsort-based ranking of every draw (argsort, then scatter the positions back), and the
three quantiles of every unit's ranks (one sort of 16-bit ranks per unit, numpy's fastest way). The figure
without the quantiles (ranks only) is printed too. Single thread; ours and the floor are run in turns, RUNS
times each, and the best time of each is compared (so a slow spell of the machine hits both).
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

DRAWS, SEED, JITTER, RUNS = 1000, 20240430, 0.25, 7
DEMO_SECONDS, FLOOR_FACTOR = 1.0, 2.0


def best_of(fn) -> float:
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def floor(values: np.ndarray, spec, quantiles: bool = True):
    """The bare minimum for the same draws: W (draws × m) @ Xᵀ, an argsort ranking per draw and (quantiles)
    the 5 %, 50 % and 95 % order statistics of each unit's ranks."""
    x = np.nan_to_num((values - np.nanmin(values, axis=0)) / np.ptp(np.nan_to_num(values), axis=0))
    width = len(spec.indicators) + len(spec.groups)
    base = np.array([i.weight for i in spec.indicators])

    def run():
        w = np.random.default_rng(SEED).uniform(1 - JITTER, 1 + JITTER, size=(DRAWS, width))[:, :x.shape[1]] * base
        scores = w @ x.T
        order = np.argsort(-scores, axis=1)
        ranks = np.empty_like(order)
        np.put_along_axis(ranks, order, np.arange(1, x.shape[0] + 1)[None, :], axis=1)
        if quantiles:
            return np.sort(ranks.T.astype(np.uint16), axis=1, kind="stable")[:, [49, 499, 949]]
        return ranks

    return run


def main() -> None:
    params = UncertaintyParams(DRAWS, SEED, JITTER)
    units, codes, values, spec = make_case(120, 66)
    demo = best_of(lambda: index_uncertainty(units, codes, values, spec, params))
    print(f"demo size 120 × 66 × {DRAWS} draws: {demo:.3f} s (target < {DEMO_SECONDS:.1f} s)")
    units, codes, values, spec = make_case(3000, 100)
    ratios = []
    # Complete data (every unit has every indicator), then make_case's 5 % of missing values at random, which
    # makes nearly every group renormalise its weights unit by unit (the floor does not: it reads a gap as 0).
    for label, data in (("complete data", np.where(np.isnan(values), 20.0, values)), ("5 % missing", values)):
        runs = {"ours": lambda data=data: index_uncertainty(units, codes, data, spec, params),
                "bare": floor(data, spec), "ranks only": floor(data, spec, quantiles=False)}
        times: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(RUNS):
            for name, fn in runs.items():
                t0 = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - t0)
        ours, bare, ranks_only = (min(times[name]) for name in runs)
        ratios.append(ours / bare)
        print(f"3000 × 100 × {DRAWS} draws, {label}: {ours:.3f} s; bare-numpy floor {bare:.3f} s; "
              f"ratio {ours / bare:.2f} (target ≤ {FLOOR_FACTOR:.1f}); "
              f"floor without the quantiles {ranks_only:.3f} s, ratio {ours / ranks_only:.2f}")
    ok = demo < DEMO_SECONDS and max(ratios) <= FLOOR_FACTOR
    print("OK" if ok else "TOO SLOW")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
