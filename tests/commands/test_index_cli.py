"""`leitai index compute` end to end on small files: exact OUT.csv, summaries, errors with exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from leitai.commands.index import index

DATA = (
    "\ufeffunit,indicator,value\n"
    "A,x,0\nA,y,8\n"
    "B,x,1\nB,y,\n"
    "C,x,2\nC,y,4\n"
    "D,x,4\nD,y,8\n"
    "E,x,\nE,y,\n"
)
SPEC = {
    "indicators": [{"code": "x", "group": "g1"}, {"code": "y", "direction": -1, "group": "g2"},
                   {"code": "z", "group": "g2"}],
    "groups": [{"code": "g1"}, {"code": "g2"}],
    "adjustments": [{"unit": "B", "points": 0.5, "reason": "加分"}],
}
# x → 0, 25, 50, 100; y (lower is better, min 4, max 8) → 0, –, 100, 0; z has no data and is dropped.
# Index = mean(g1, g2): A 0, B 25 (+0.5, y missing so g2 is missing), C 75, D 50; E has nothing.
EXPECTED = (
    "unit,score,rank,group:g1,group:g2\n"
    "C,75.0,1,50.0,100.0\n"
    "D,50.0,2,100.0,0.0\n"
    "B,25.5,3,25.0,\n"
    "A,0.0,4,0.0,0.0\n"
    "E,,,,\n"
)


@pytest.fixture
def files(tmp_path):
    (tmp_path / "DATA.csv").write_text(DATA, encoding="utf-8")
    (tmp_path / "SPEC.json").write_text(json.dumps(SPEC, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def run(tmp_path, *extra, env=None):
    args = ["compute", "--data", str(tmp_path / "DATA.csv"), "--spec", str(tmp_path / "SPEC.json"),
            "--out", str(tmp_path / "OUT.csv"), *extra]
    return CliRunner().invoke(index, args, env=env or {"LEITAI_LANG": ""})


def test_compute_writes_the_expected_out_csv_and_a_summary(files):
    result = run(files)
    assert result.exit_code == 0, result.output
    assert (files / "OUT.csv").read_bytes() == EXPECTED.encode("utf-8")
    assert "已排名 4 个单位（共 5 个）" in result.stderr
    assert "z（无数据）" in result.stderr
    assert "B: y" in result.stderr and "E: x, y" in result.stderr


def test_the_summary_is_in_english_when_asked_by_option_or_environment(files):
    assert "ranked 4 of 5 units" in run(files, "--lang", "en").stderr
    assert "z (no data)" in run(files, env={"LEITAI_LANG": "en-us"}).stderr


def test_a_period_column_is_filtered_by_the_period_option(files):
    lines = DATA.lstrip("\ufeff").splitlines()
    text = "\n".join([lines[0] + ",period"] + [f"{ln},2024-04" for ln in lines[1:]] + ["A,x,99,2024-03"]) + "\n"
    (files / "DATA.csv").write_text(text, encoding="utf-8")
    assert run(files).exit_code == 2
    result = run(files, "--period", "2024年4月")
    assert result.exit_code == 0, result.output
    assert (files / "OUT.csv").read_text(encoding="utf-8") == EXPECTED


def test_a_non_numeric_value_exits_2_naming_the_file_and_line(files):
    (files / "DATA.csv").write_text("unit,indicator,value\nA,x,1\nB,x,一百\n", encoding="utf-8")
    result = run(files)
    assert result.exit_code == 2
    assert "DATA.csv: 第 3 行 value 列" in result.stderr
    assert "Traceback" not in result.output
    assert not (files / "OUT.csv").exists()
    assert "DATA.csv: line 3, column value" in run(files, "--lang", "en").stderr


def test_a_broken_spec_exits_2_naming_the_file_line_and_column(files):
    (files / "SPEC.json").write_text('{"indicators": [\n  {"code": "x" "weight": 1}\n]}', encoding="utf-8")
    result = run(files, "--lang", "en")
    assert result.exit_code == 2
    assert "SPEC.json: invalid JSON at line 2, column 16" in result.stderr


def test_a_geometric_mean_over_zero_exits_2_blaming_the_spec(files):
    (files / "SPEC.json").write_text(json.dumps({**SPEC, "aggregation": "geometric"}), encoding="utf-8")
    result = run(files)
    assert result.exit_code == 2
    assert "SPEC.json: 几何平均要求取值为正" in result.stderr


def test_a_missing_or_non_utf8_file_exits_2(files):
    (files / "DATA.csv").unlink()
    result = run(files)
    assert result.exit_code == 2 and "DATA.csv: 文件不存在" in result.stderr
    (files / "DATA.csv").write_bytes("unit,indicator,value\nA,x,1\n单位,x,2\n".encode("gbk"))
    result = run(files, "--lang", "en")
    assert result.exit_code == 2 and "not UTF-8" in result.stderr


def test_the_installed_console_script_computes_the_same_file(files):
    script = Path(sys.executable).parent / "leitai"
    proc = subprocess.run(
        [str(script), "index", "compute", "--data", str(files / "DATA.csv"), "--spec", str(files / "SPEC.json"),
         "--out", str(files / "OUT.csv"), "--lang", "en"],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert (files / "OUT.csv").read_bytes() == EXPECTED.encode("utf-8")
    assert proc.stderr.startswith("ranked 4 of 5 units")
