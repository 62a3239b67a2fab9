"""`leitai index uncertainty` end to end: hand-computed OUT.csv, the seed fixes the bytes, intervals collapse at
J = 0, and every wrong input exits 2 naming the file or option (docs/contracts.md, docs/uncertainty.md)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from leitai.commands.index import index
from tests.commands.test_index_cli import DATA, SPEC

# A (10, 0), B (0, 10), C (5, 5), weights x 1.1, y 1: after minmax A = 100·1.1fx/(1.1fx+fy),
# B = 100·fy/(1.1fx+fy), C = 50. A is 1st and B 3rd in a draw when 1.1·fx > fy, else B 1st and A 3rd;
# C is 2nd in every draw. Nominal (fx = fy = 1): A 52.4 (1), C 50 (2), B 47.6 (3).
TWO_DATA = "unit,indicator,value\nA,x,10\nA,y,0\nB,x,0\nB,y,10\nC,x,5\nC,y,5\n"
TWO_SPEC = {"indicators": [{"code": "x", "weight": 1.1}, {"code": "y"}]}


def write(tmp_path, data: str, spec: dict):
    (tmp_path / "DATA.csv").write_text(data, encoding="utf-8")
    (tmp_path / "SPEC.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def run(tmp_path, *extra, out="OUT.csv", lang=""):
    args = ["uncertainty", "--data", str(tmp_path / "DATA.csv"), "--spec", str(tmp_path / "SPEC.json"),
            "--out", str(tmp_path / out), *extra]
    return CliRunner().invoke(index, args, env={"LEITAI_LANG": lang})


def expected_two(draws: int, seed: int, jitter: float) -> str:
    f = np.random.default_rng(seed).uniform(1 - jitter, 1 + jitter, size=(draws, 2))  # the first, only step
    a_first = int((1.1 * f[:, 0] > f[:, 1]).sum())

    def q(k_first: int, p: int) -> int:  # the ⌈D·p⌉-th smallest of k_first 1s and the rest 3s
        return 1 if k_first >= -(-draws * p // 100) else 3

    line = lambda unit, rank, k: f"{unit},{rank},{q(k, 50)},{q(k, 5)},{q(k, 95)}"  # noqa: E731
    return "\n".join(["unit,rank,median_rank,rank_lo,rank_hi", line("A", 1, a_first), "C,2,2,2,2",
                      line("B", 3, draws - a_first)]) + "\n"


@pytest.mark.parametrize("draws, seed, jitter", [(20, 7, 0.25), (1000, 42, 0.25), (101, 3, 0.5)])
def test_hand_computed_intervals(tmp_path, draws, seed, jitter):
    write(tmp_path, TWO_DATA, TWO_SPEC)
    result = run(tmp_path, "--draws", str(draws), "--seed", str(seed), "--jitter", str(jitter))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "OUT.csv").read_text(encoding="utf-8") == expected_two(draws, seed, jitter)
    assert f"抽样 {draws} 次" in result.stderr


def test_a_known_case_in_full(tmp_path):
    # Seed 7, 20 draws, J = 0.25: 1.1·fx > fy in 12 of the 20 draws (numpy's PCG64 stream), so A sits at 1 in
    # 12 and at 3 in 8: the 10th smallest of its ranks is 1, the 1st is 1, the 19th is 3; B, at 1 in 8 draws:
    # 3, 1, 3.
    f = np.random.default_rng(7).uniform(0.75, 1.25, size=(20, 2))
    assert int((1.1 * f[:, 0] > f[:, 1]).sum()) == 12
    write(tmp_path, TWO_DATA, TWO_SPEC)
    assert run(tmp_path, "--draws", "20", "--seed", "7").exit_code == 0
    assert (tmp_path / "OUT.csv").read_text(encoding="utf-8") == (
        "unit,rank,median_rank,rank_lo,rank_hi\nA,1,1,1,3\nC,2,2,2,2\nB,3,3,1,3\n")


def test_the_seed_fixes_the_file_byte_for_byte(tmp_path):
    write(tmp_path, TWO_DATA, TWO_SPEC)
    args = ("--draws", "300", "--seed", "11", "--jitter", "0.6", "--alternatives", "aggregation,normalization")
    assert run(tmp_path, *args, out="one.csv").exit_code == 0
    assert run(tmp_path, *args, out="two.csv").exit_code == 0
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "two.csv").read_bytes()
    # The order the alternatives are named in does not matter (the draw order is fixed).
    swapped = ("--draws", "300", "--seed", "11", "--jitter", "0.6", "--alternatives", "normalization,aggregation")
    assert run(tmp_path, *swapped, out="three.csv").exit_code == 0
    assert (tmp_path / "three.csv").read_bytes() == (tmp_path / "one.csv").read_bytes()


def test_at_zero_jitter_every_interval_is_the_nominal_rank_in_index_computes_order(tmp_path):
    # The index compute contract's own case (tests/commands/test_index_cli.py): C, D, B, A ranked, E unranked.
    write(tmp_path, DATA, SPEC)
    result = run(tmp_path, "--draws", "50", "--seed", "1", "--jitter", "0")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "OUT.csv").read_text(encoding="utf-8") == (
        "unit,rank,median_rank,rank_lo,rank_hi\nC,1,1,1,1\nD,2,2,2,2\nB,3,3,3,3\nA,4,4,4,4\nE,,,,\n")


@pytest.mark.parametrize("args, where, zh, en", [
    (("--draws", "0", "--seed", "1"), "--draws", "抽样次数应不小于 1", "must be at least 1"),
    (("--draws", "10", "--seed", "-1"), "--seed", "随机种子应为非负整数", "must be a non-negative integer"),
    (("--draws", "10", "--seed", "1", "--jitter", "1"), "--jitter", "扰动幅度应在 [0, 1) 之内", "must be in [0, 1)"),
    (("--draws", "10", "--seed", "1", "--jitter", "-0.1"), "--jitter", "扰动幅度应在 [0, 1) 之内", "must be in [0, 1)"),
    (("--draws", "10", "--seed", "1", "--alternatives", "weights"), "--alternatives", "只能是 normalization、aggregation",
     "must be among normalization, aggregation"),
])
def test_wrong_options_exit_2_naming_the_option(tmp_path, args, where, zh, en):
    write(tmp_path, TWO_DATA, TWO_SPEC)
    result = run(tmp_path, *args)
    assert result.exit_code == 2 and f"{where}: {zh}" in result.stderr
    assert f"{where}: {en}" in run(tmp_path, *args, lang="en").stderr
    assert not (tmp_path / "OUT.csv").exists()


def test_wrong_files_exit_2_naming_the_file(tmp_path):
    write(tmp_path, "unit,indicator,value\nA,x,abc\n", TWO_SPEC)
    result = run(tmp_path, "--draws", "10", "--seed", "1")
    assert result.exit_code == 2 and "DATA.csv: 第 2 行 value 列" in result.stderr
    write(tmp_path, TWO_DATA, {"indicators": [{"code": "x", "weight": -1}]})
    result = run(tmp_path, "--draws", "10", "--seed", "1")
    assert result.exit_code == 2 and "SPEC.json: 方案规则有误" in result.stderr
