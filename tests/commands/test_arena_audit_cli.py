"""`leitai arena audit` end to end on small files (hand-computed AUDIT.csv), and `arena tally` with a
calibrated rubric and --links."""

from __future__ import annotations

import json
import math

from click.testing import CliRunner

from leitai.commands.arena import arena
from leitai.core.judging.audit import t_quantile

RUBRIC = {"criteria": [{"code": "a", "weight": 2, "max": 10}, {"code": "b", "weight": 1, "max": 10}],
          "groups": [{"code": "g"}]}  # a total is (2a + b) / 3, out of 10: T = 0.5
# Totals: A 6, 7, 8; B 6.2, 7.1, 7.9; C 5.8, 6.9, 8.1; D 7, 8, 9 (one above everyone).
TOTALS = {"A": (6, 7, 8), "B": (6.2, 7.1, 7.9), "C": (5.8, 6.9, 8.1), "D": (7, 8, 9)}


def write(tmp_path, rubric=RUBRIC, links=None):
    lines = ["judge,group,contestant,criterion,score"]
    for judge, totals in TOTALS.items():
        for contestant, total in zip("xyz", totals, strict=True):
            lines += [f"{judge},g,{contestant},a,{total}", f"{judge},g,{contestant},b,{total}"]
    (tmp_path / "scores.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "rubric.json").write_text(json.dumps(rubric), encoding="utf-8")
    if links is not None:
        (tmp_path / "links.csv").write_text(links, encoding="utf-8")


def test_audit_csv_by_hand(tmp_path):
    write(tmp_path)
    result = CliRunner().invoke(arena, ["audit", "--scores", str(tmp_path / "scores.csv"), "--rubric",
                                        str(tmp_path / "rubric.json"), "--out", str(tmp_path / "audit.csv")],
                                env={"LEITAI_LANG": "zh"})
    assert result.exit_code == 0, result.output
    assert "D（g）：偏宽" in result.output
    lines = (tmp_path / "audit.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "judge,group,sheets,leniency,leniency_lo,leniency_hi,consistency,favour,favour_lo,favour_hi,flags"
    # D: consensus of A, B, C = 6, 7, 8 → +1 on every sheet: interval [1, 1] beyond T = 0.5.
    assert lines[4] == "D,g,3,1.0,1.0,1.0,1.0,,,,lenient"
    # B (D excluded): consensus of A, C = 5.9, 6.95, 8.05 → 0.3, 0.15, −0.15: mean 0.1, s² = 0.0525.
    b = lines[2].split(",")
    half = t_quantile(0.975, 2) * math.sqrt(0.0525 / 3)
    assert b[:3] == ["B", "g", "3"] and math.isclose(float(b[3]), 0.1, abs_tol=1e-12)
    assert math.isclose(float(b[4]), 0.1 - half, abs_tol=1e-12) and math.isclose(float(b[5]), 0.1 + half, abs_tol=1e-12)
    assert b[6:] == ["1.0", "", "", "", ""]


def test_threshold_and_links_options(tmp_path):
    write(tmp_path, links="judge,contestant,relation\nB,x,挂钩联系\nB,y,原任职\n")
    out = tmp_path / "audit.csv"
    result = CliRunner().invoke(arena, ["audit", "--scores", str(tmp_path / "scores.csv"), "--rubric",
                                        str(tmp_path / "rubric.json"), "--links", str(tmp_path / "links.csv"),
                                        "--threshold", "2", "--out", str(out)], env={"LEITAI_LANG": "en"})
    assert result.exit_code == 0, result.output
    assert "T = 2" in result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[4].endswith(",1.0,,,,")  # D not flagged at T = 2
    # B's favour: linked x, y (0.1, 0.15 against A, C, D's consensus) minus the one other (z): no interval.
    b = lines[2].split(",")
    assert b[7] != "" and b[8] == b[9] == "" and b[10] == ""


def test_bad_links_and_threshold_exit_2(tmp_path):
    write(tmp_path, links="judge,contestant\nB,\n")
    base = ["audit", "--scores", str(tmp_path / "scores.csv"), "--rubric", str(tmp_path / "rubric.json"),
            "--out", str(tmp_path / "a.csv")]
    result = CliRunner().invoke(arena, [*base, "--links", str(tmp_path / "links.csv")], env={"LEITAI_LANG": "zh"})
    assert result.exit_code == 2 and "links.csv: 第 2 行 contestant 列为空" in result.output
    result = CliRunner().invoke(arena, [*base, "--threshold", "-1"], env={"LEITAI_LANG": "zh"})
    assert result.exit_code == 2 and "--threshold" in result.output


def test_tally_applies_drop_flagged_and_reports_it(tmp_path):
    write(tmp_path, rubric={**RUBRIC, "calibration": {"method": "drop_flagged", "flags": ["lenient", "severe"]}})
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(arena, ["tally", "--scores", str(tmp_path / "scores.csv"), "--rubric",
                                        str(tmp_path / "rubric.json"), "--out", str(out)], env={"LEITAI_LANG": "zh"})
    assert result.exit_code == 0, result.output
    assert "已剔除评委 D（g）：偏宽" in result.output
    # Without D: x (6 + 6.2 + 5.8) / 3 = 6, y 7, z 8.
    assert out.read_text(encoding="utf-8") == "contestant,score,rank,group:g\nz,8.0,1,8.0\ny,7.0,2,7.0\nx,6.0,3,6.0\n"


def test_tally_rejects_a_bad_calibration_naming_the_field(tmp_path):
    write(tmp_path, rubric={**RUBRIC, "calibration": {"method": "drop_flagged", "flags": ["nice"]}})
    result = CliRunner().invoke(arena, ["tally", "--scores", str(tmp_path / "scores.csv"), "--rubric",
                                        str(tmp_path / "rubric.json"), "--out", str(tmp_path / "o.csv")],
                                env={"LEITAI_LANG": "zh"})
    assert result.exit_code == 2 and "rubric.json" in result.output and "calibration 的 flags" in result.output
