"""The arena benchmark (bench/bench_arena.py) runs end to end with tiny numbers and its own integrity checks
hold: every acknowledged sheet is stored once, double taps and retries after a dropped connection write
nothing more, and every viewer receives every reveal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_arena.py"


def test_the_arena_benchmark_loses_and_duplicates_no_sheet_and_reaches_every_viewer(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE",
                                                          "DJANGO_ALLOW_ASYNC_UNSAFE", "LEITAI_DATA_DIR")}
    env["TMPDIR"] = str(tmp_path)
    # Large shares of double taps and drops so that 5 judges exercise both paths every time.
    run = subprocess.run([sys.executable, str(BENCH), "--judges", "5", "--contestants", "2", "--window", "2",
                          "--viewers", "20", "--double-tap", "0.4", "--drop", "0.4"],
                         env=env, capture_output=True, text=True, timeout=120)
    result_lines = [line for line in run.stdout.splitlines() if line.startswith("RESULT ")]
    assert run.returncode == 0 and result_lines, run.stdout[-3000:] + run.stderr[-3000:]
    figures = json.loads(result_lines[-1][len("RESULT "):])

    checks = figures["integrity"]
    assert checks["lost"] == 0
    assert checks["duplicated"] == 0
    assert checks["mismatched"] == 0
    # 2 contestants in windows and 1 in a burst, 5 judges each.
    assert checks["sheets"] == checks["expected_sheets"] == 15
    assert checks["revisions"] == checks["distinct_keys_sent"] == 15
    assert figures["spread"]["double_taps"] == 4 and figures["spread"]["drops"] == 4
    # Double taps answer twice (one "submitted", one "duplicate"): more 2xx answers than sheets.
    assert figures["statuses"] == {"200": 15 + 6}
    assert figures["viewers"]["connected"] == 20
    assert figures["reveal_got"] == [20, 20, 20]
    assert figures["publish"]["got"] == 20
