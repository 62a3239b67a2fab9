"""`leitai arena tally` end to end on small files: exact OUT.csv, report of incomplete sheets, errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from leitai.commands.arena import arena

RUBRIC = {
    "criteria": [{"code": "quality", "weight": 2, "max": 10, "step": 0.5, "name": "比质量"},
                 {"code": "innovation", "weight": 1, "max": 10, "step": 0.5, "name": "比创新"}],
    "groups": [{"code": "leaders", "weight": 3, "trim": 1, "name": "市领导"},
               {"code": "public", "weight": 1, "trim": 0, "name": "群众代表"}],
    "tie_break": ["leaders"],
}
# A judge's total is (2·quality + innovation) / 3. Leaders drop their highest and lowest total when
# they have 3 sheets or more; the final score is (3·leaders + 1·public) / 4 over the groups present.
SHEETS = [
    # 鹿城: leaders 26/3, 8, 9 → drop L2 (8) and L3 (9) → 26/3; public 7 and (16+5)/3 = 7 → 7;
    #       final (3·26/3 + 7) / 4 = 33/4 = 8.25
    ("L1", "leaders", "鹿城", 9, 8), ("L2", "leaders", "鹿城", 8, 8), ("L3", "leaders", "鹿城", 10, 7),
    ("P1", "public", "鹿城", 7, 7), ("P2", "public", "鹿城", 8, 5),
    # 龙湾: leaders 9, 10, 8 → keep L1's 9; public 6 and (13+5)/3 = 6 → 6; final (27 + 6) / 4 = 8.25,
    #       tied with 鹿城 but ahead on the leaders' score (9 > 26/3)
    ("L1", "leaders", "龙湾", 9, 9), ("L2", "leaders", "龙湾", 10, 10), ("L3", "leaders", "龙湾", 8, 8),
    ("P1", "public", "龙湾", 6, 6), ("P2", "public", "龙湾", 6.5, 5),
    # 瓯海: two leaders (= 2k, untrimmed) 7 and 6 → 6.5; P1 gave no innovation score: incomplete, left
    #       out, so public is absent and the final score is the leaders' 6.5
    ("L1", "leaders", "瓯海", 7, 7), ("L2", "leaders", "瓯海", 6, 6), ("P1", "public", "瓯海", 9, None),
    # 洞头: its only sheet lacks quality: not scored, not ranked
    ("P2", "public", "洞头", None, 5),
    # 瑞安: leaders 26/3 three times → 26/3; public 7 → final 8.25, exactly like 鹿城, leaders too: they
    #       share rank 2 (鹿城 listed first: it appears first in the file)
    ("L1", "leaders", "瑞安", 9, 8), ("L2", "leaders", "瑞安", 9, 8), ("L3", "leaders", "瑞安", 9, 8),
    ("P1", "public", "瑞安", 7, 7),
]
EXPECTED = (
    "contestant,score,rank,group:leaders,group:public\n"
    "龙湾,8.25,1,9.0,6.0\n"
    "鹿城,8.25,2,8.666666666666666,7.0\n"
    "瑞安,8.25,2,8.666666666666666,7.0\n"
    "瓯海,6.5,4,6.5,\n"
    "洞头,,,,\n"
)


def scores_csv() -> str:
    # columns deliberately not in the documented order; a BOM as Excel writes it; CRLF line ends
    lines = ["\ufeffcontestant,judge,criterion,score,group"]
    for judge, group, contestant, quality, innovation in SHEETS:
        for criterion, score in (("quality", quality), ("innovation", innovation)):
            lines.append(f"{contestant},{judge},{criterion},{'' if score is None else score},{group}")
    return "\r\n".join(lines) + "\r\n"


@pytest.fixture
def files(tmp_path):
    (tmp_path / "SCORES.csv").write_text(scores_csv(), encoding="utf-8", newline="")
    (tmp_path / "RUBRIC.json").write_text(json.dumps(RUBRIC, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def run(tmp_path, *extra, env=None):
    args = ["tally", "--scores", str(tmp_path / "SCORES.csv"), "--rubric", str(tmp_path / "RUBRIC.json"),
            "--out", str(tmp_path / "OUT.csv"), *extra]
    return CliRunner().invoke(arena, args, env=env or {"LEITAI_LANG": ""})


def test_tally_writes_the_expected_out_csv(files):
    result = run(files)
    assert result.exit_code == 0, result.output
    assert (files / "OUT.csv").read_bytes() == EXPECTED.encode("utf-8")


def test_incomplete_sheets_are_reported_on_stderr(files):
    result = run(files)
    assert result.stderr.splitlines() == [
        f"已排名 4 名选手（共 5 名）→ {files / 'OUT.csv'}",
        "不完整的评分表未计入（2 份）：",
        "  评委 P1，选手 瓯海：缺少 innovation",
        "  评委 P2，选手 洞头：缺少 quality",
    ]
    en = run(files, "--lang", "en").stderr.splitlines()
    assert en[1:] == ["incomplete sheets left out (2):", "  judge P1, contestant 瓯海: missing innovation",
                      "  judge P2, contestant 洞头: missing quality"]
    assert run(files, env={"LEITAI_LANG": "en-us"}).stderr.startswith("ranked 4 of 5 contestants")


def test_a_file_without_a_bom_gives_the_same_result(files):
    (files / "SCORES.csv").write_text(scores_csv().lstrip("\ufeff"), encoding="utf-8", newline="")
    assert run(files).exit_code == 0
    assert (files / "OUT.csv").read_text(encoding="utf-8") == EXPECTED


def test_a_bad_line_exits_2_naming_the_file_and_line(files):
    text = scores_csv().replace("瓯海,L2,quality,6,leaders", "瓯海,L2,quality,10.5,leaders")
    (files / "SCORES.csv").write_text(text, encoding="utf-8")
    result = run(files)
    assert result.exit_code == 2
    # header on line 1, two lines per sheet: 瓯海's L2 sheet is the 12th, its quality on line 24
    assert "SCORES.csv: 第 24 行 score 列：分数 10.5 超过评分项 quality 的满分 10" in result.stderr
    assert "Traceback" not in result.output
    assert not (files / "OUT.csv").exists()
    en = run(files, "--lang", "en").stderr
    assert "SCORES.csv: line 24, column score: score 10.5 exceeds the maximum 10 of criterion quality" in en


def test_every_bad_line_gets_its_own_message_line(files):
    text = scores_csv().replace(",7,public", ",七,public").replace("L3,innovation,7,", "L3,innovation,7.2,")
    (files / "SCORES.csv").write_text(text, encoding="utf-8")
    result = run(files, "--lang", "en")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) > 2 and all(line.startswith(f"{files / 'SCORES.csv'}: line ") for line in lines)
    assert any("'七' is not a number" in line for line in lines)
    assert any("7.2 is not a multiple of criterion innovation's step 0.5" in line for line in lines)


def test_a_bad_rubric_exits_2_naming_the_rubric_file(files):
    (files / "RUBRIC.json").write_text(json.dumps({**RUBRIC, "tie_break": ["press"]}), encoding="utf-8")
    result = run(files, "--lang", "en")
    assert result.exit_code == 2
    assert "RUBRIC.json: Invalid rubric: tie_break names group press, which is not defined" in result.stderr
    (files / "RUBRIC.json").write_text("{", encoding="utf-8")
    assert "RUBRIC.json: JSON 格式错误" in run(files).stderr


def test_a_missing_or_non_utf8_file_exits_2(files):
    (files / "RUBRIC.json").unlink()
    result = run(files)
    assert result.exit_code == 2 and "RUBRIC.json: 文件不存在" in result.stderr
    (files / "SCORES.csv").write_bytes("judge,group,contestant,criterion,score\nL1,leaders,鹿城,quality,8\n".encode("gbk"))
    (files / "RUBRIC.json").write_text(json.dumps(RUBRIC), encoding="utf-8")
    result = run(files, "--lang", "en")
    assert result.exit_code == 2 and "SCORES.csv: not UTF-8" in result.stderr


def test_importing_the_command_does_not_import_django():
    code = ("import sys, leitai.commands.arena; "
            "sys.exit(1 if any(m == 'django' or m.startswith('django.') for m in sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0
