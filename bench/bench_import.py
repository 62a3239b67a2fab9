"""Import benchmark: 1,000 units × 100 indicators × 3 months = 300,000 observations from one long table.

A fresh SQLite database in a temporary folder; the file goes through `import_file` (preview, then commit
with a revision per value), as `leitai import` does — read by the bounded reader (leitai.spreadsheets)
under the default LEITAI_IMPORT_MAX_* limits. Target: under 30 seconds for the CSV. `--format xlsx` writes
the same table as an .xlsx (1.2 million cells, ~70 MB of sheet XML) and also times reading it alone.

    .venv/bin/python bench/bench_import.py [--units 1000] [--indicators 100] [--months 3] [--format csv|xlsx]
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


def _write_xlsx(path: Path, units: list[str], indicators: list[str], months: int) -> int:
    import openpyxl

    rng = random.Random(42)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("数据")
    sheet.append(["单位编码", "指标编码", "期间", "数值"])
    rows = 0
    for month in range(1, months + 1):
        period = f"2024-{month:02d}"
        for unit in units:
            for ind in indicators:
                sheet.append([unit, ind, period, round(rng.uniform(0, 1000), 2)])
                rows += 1
    book.save(path)
    return rows


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--indicators", type=int, default=100)
    parser.add_argument("--months", type=int, default=3)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    args = parser.parse_args(argv)

    folder = tempfile.mkdtemp(prefix="leitai-bench-")
    try:
        _setup(folder)
        units, indicators = _catalogue(args.units, args.indicators)
        path = Path(folder) / f"observations.{args.format}"
        rows = (_write_xlsx if args.format == "xlsx" else _write_csv)(path, units, indicators, args.months)

        from leitai.spreadsheets import read_sheets

        started = time.perf_counter()
        sheets = read_sheets(path.read_bytes(), path.name)
        reading = time.perf_counter() - started
        cells = sum(len(row) for _name, sheet in sheets for row in sheet)
        del sheets
        print(f"file: {path.stat().st_size / 1024 / 1024:.1f} MB {args.format}; reading alone: {reading:.1f} s "
              f"({cells / reading:,.0f} cells/s)")

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
