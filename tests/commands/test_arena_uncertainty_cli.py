"""`leitai arena uncertainty` end to end: a hand-computed OUT.csv, the tally's order, the seed, errors."""

from __future__ import annotations

import json

import numpy as np
from click.testing import CliRunner

from leitai.commands.arena import arena
from tests.commands.test_arena_cli import RUBRIC, scores_csv

SIMPLE_RUBRIC = {"criteria": [{"code": "x", "weight": 1, "max": 100}], "groups": [{"code": "A", "weight": 1, "trim": 0}]}
# Judge a: P 90, Q 80; judge b: P 70, Q 85. Both: P 80 < Q 82.5. Only the draw {a, a} puts P first.
SIMPLE = "judge,group,contestant,criterion,score\na,A,P,x,90\na,A,Q,x,80\nb,A,P,x,70\nb,A,Q,x,85\n"


def run(tmp_path, *extra, out="OUT.csv"):
    args = ["uncertainty", "--scores", str(tmp_path / "SCORES.csv"), "--rubric", str(tmp_path / "RUBRIC.json"),
            "--out", str(tmp_path / out), *extra]
    return CliRunner().invoke(arena, args, env={"LEITAI_LANG": ""})


def write(tmp_path, scores: str, rubric: dict) -> None:
    (tmp_path / "SCORES.csv").write_text(scores, encoding="utf-8", newline="")
    (tmp_path / "RUBRIC.json").write_text(json.dumps(rubric, ensure_ascii=False), encoding="utf-8")


def test_hand_computed_intervals(tmp_path):
    write(tmp_path, SIMPLE, SIMPLE_RUBRIC)
    result = run(tmp_path, "--draws", "20", "--seed", "5")
    assert result.exit_code == 0, result.output
    # The documented draw: rng.integers(0, 2, size=(20, 2)), judges a = 0, b = 1 (code order).
    aa = int((np.random.default_rng(5).integers(0, 2, size=(20, 2)) == 0).all(axis=1).sum())
    assert 1 <= aa < 10  # so P's 5 % bound is 1 (1st of 20 draws), its median 2; Q's upper bound is 2
    q_hi = 2 if aa >= 2 else 1  # Q is 2nd in `aa` draws: its 95 % bound (19th of 20) is 2 when aa ≥ 2
    assert (tmp_path / "OUT.csv").read_text(encoding="utf-8") == (
        "contestant,rank,median_rank,rank_lo,rank_hi\n"
        f"Q,1,1,1,{q_hi}\n"
        "P,2,2,1,2\n")
    assert "2 名选手，重抽样 20 次（种子 5）" in result.stderr


def test_rows_follow_the_tally_and_the_unranked_are_empty(tmp_path):
    write(tmp_path, scores_csv(), RUBRIC)
    assert run(tmp_path, "--seed", "3").exit_code == 0
    lines = (tmp_path / "OUT.csv").read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[0] for line in lines] == ["contestant", "龙湾", "鹿城", "瑞安", "瓯海", "洞头"]
    assert [line.split(",")[1] for line in lines[1:]] == ["1", "2", "2", "4", ""]
    assert lines[-1] == "洞头,,,,"
    for line in lines[1:-1]:
        rank, med, lo, hi = map(int, line.split(",")[1:])
        assert 1 <= lo <= med <= hi <= 4


def test_the_seed_fixes_the_bytes_and_another_seed_may_differ(tmp_path):
    write(tmp_path, scores_csv(), RUBRIC)
    assert run(tmp_path, "--seed", "7", "--draws", "200", out="a.csv").exit_code == 0
    assert run(tmp_path, "--seed", "7", "--draws", "200", out="b.csv").exit_code == 0
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_bad_inputs_exit_2_naming_the_file(tmp_path):
    write(tmp_path, SIMPLE.replace("70", "170"), SIMPLE_RUBRIC)
    result = run(tmp_path)
    assert result.exit_code == 2 and "SCORES.csv: 第 4 行 score 列" in result.stderr
    write(tmp_path, SIMPLE, {**SIMPLE_RUBRIC, "tie_break": ["B"]})
    result = run(tmp_path)
    assert result.exit_code == 2 and "RUBRIC.json: " in result.stderr
    write(tmp_path, SIMPLE, SIMPLE_RUBRIC)
    assert run(tmp_path, "--draws", "0").exit_code == 2
    assert run(tmp_path, "--seed", "-1").exit_code == 2
