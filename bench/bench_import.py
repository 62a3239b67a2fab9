"""Import benchmark: 1,000 units × 100 indicators × 3 months = 300,000 observations from one long CSV.

A fresh SQLite database in a temporary folder; the file goes through `import_file` (preview, then commit
with a revision per value), as `leitai import` does. Target: under 30 seconds.

    .venv/bin/python bench/bench_import.py [--units 1000] [--indicators 100] [--months 3]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchdb import fresh_sqlite

TARGET_SECONDS = 30.0


def _setup(folder: str) -> None:
    fresh_sqlite(folder)


def _catalogue(n_units: int, n_indicators: int) -> tuple[list[str], list[str]]:
    from leitai.indicators.models import Category, Indicator
    from leitai.units.models import Unit

    city = Unit.objects.create(code="C", name="基准市", kind="city")
    Unit.objects.bulk_create(
        Unit(code=f"U{i:04d}", name=f"单位{i:04d}", kind="county", parent=city, sort_order=i) for i in range(n_units)
    )
    category = Category.objects.create(code="bench", name="基准")
    Indicator.objects.bulk_create(
        Indicator(code=f"I{i:03d}", name=f"指标{i:03d}", category=category, applies_to=["county"],
                  plausible_min=0, plausible_max=1000, sort_order=i)
        for i in range(n_indicators)
    )
    return [f"U{i:04d}" for i in range(n_units)], [f"I{i:03d}" for i in range(n_indicators)]


def _write_csv(path: Path, units: list[str], indicators: list[str], months: int) -> int:
    rng = random.Random(42)
    rows = 0
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        fh.write("单位编码,指标编码,期间,数值\n")
        for month in range(1, months + 1):
            period = f"2024-{month:02d}"
            for unit in units:
                fh.write("".join(f"{unit},{ind},{period},{rng.uniform(0, 1000):.2f}\n" for ind in indicators))
                rows += len(indicators)
    return rows


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--indicators", type=int, default=100)
    parser.add_argument("--months", type=int, default=3)
    args = parser.parse_args(argv)

    folder = tempfile.mkdtemp(prefix="leitai-bench-")
    try:
        _setup(folder)
        units, indicators = _catalogue(args.units, args.indicators)
        path = Path(folder) / "observations.csv"
        rows = _write_csv(path, units, indicators, args.months)

        from leitai.indicators.models import Observation, ObservationRevision
        from leitai.indicators.services import import_file

        marks = {}
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            marks.setdefault("commit", time.perf_counter())  # the first call: validation is over

        batch = import_file(path, progress=progress)
        seconds = time.perf_counter() - started
        if batch.status != "committed":
            print(f"import failed: {batch.status}: {batch.report.get('problems', [])[:5]}")
            return 1
        assert Observation.objects.count() == rows and ObservationRevision.objects.count() == rows
        validate = marks.get("commit", started + seconds) - started
        print(f"rows: {rows}")
        print(f"seconds: {seconds:.1f} (preview and validation before the write {validate:.1f})")
        print(f"rows/s: {rows / seconds:,.0f}")
        print(f"target: < {TARGET_SECONDS:.0f} s — {'met' if seconds < TARGET_SECONDS else 'MISSED'}")
        return 0 if seconds < TARGET_SECONDS else 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
