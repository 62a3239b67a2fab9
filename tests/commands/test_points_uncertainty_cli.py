"""`leitai points uncertainty` end to end (a ranking arena's intervals): a hand-computed OUT.csv, the order of
DETAIL.csv, the seed, errors naming the file."""

from __future__ import annotations

import json

import numpy as np
from click.testing import CliRunner

from leitai.commands.points import points

RULES = {"groups": [{"code": "leaders", "weight": 0.6}, {"code": "public", "weight": 0.4}], "tie_break": ["leaders"],
         "points": [3, 2, 1]}
# Leaders L1: A 1, B 2, C 3; L2: B 1, A 2, C 3. The public (one whole-group row): B, A, C. B is first unless both
# drawn leaders are L1 (a quarter of the draws); C is always third.
RANKS = ("round,group,contestant,rank,judge\n"
         "R,leaders,A,1,L1\nR,leaders,B,2,L1\nR,leaders,C,3,L1\n"
         "R,leaders,A,2,L2\nR,leaders,B,1,L2\nR,leaders,C,3,L2\n"
         "R,public,A,2,\nR,public,B,1,\nR,public,C,3,\n")


def run(tmp_path, *extra, ranks=RANKS, rules=RULES):
    (tmp_path / "RANKS.csv").write_text(ranks, encoding="utf-8", newline="")
    (tmp_path / "RULES.json").write_text(json.dumps(rules), encoding="utf-8")
    args = ["uncertainty", "--ranks", str(tmp_path / "RANKS.csv"), "--rules", str(tmp_path / "RULES.json"),
            "--out", str(tmp_path / "OUT.csv"), *extra]
    return CliRunner().invoke(points, args, env={"LEITAI_LANG": ""})


def test_hand_computed_intervals_in_the_order_of_detail(tmp_path):
    done = run(tmp_path, "--draws", "400", "--seed", "11")
    assert done.exit_code == 0, done.output
    rng = np.random.default_rng(11)
    picked = rng.integers(0, 2, size=(400, 2))
    a_first = (picked == 0).all(axis=1).mean()  # both leaders drawn are L1
    assert 0.05 <= a_first < 0.5  # so A's interval is [1, 2] and B's [1, 2], medians 2 and 1
    assert (tmp_path / "OUT.csv").read_text() == ("contestant,rank,median_rank,rank_lo,rank_hi\n"
                                                  "B,1,1,1,2\nA,2,2,1,2\nC,3,3,3,3\n")
    assert "3 名选手，重抽样 400 次（种子 11）" in done.output


def test_the_seed_fixes_the_bytes(tmp_path):
    run(tmp_path, "--seed", "5")
    first = (tmp_path / "OUT.csv").read_bytes()
    run(tmp_path, "--seed", "5")
    assert (tmp_path / "OUT.csv").read_bytes() == first


def test_bad_inputs_exit_2_naming_the_file(tmp_path):
    done = run(tmp_path, ranks=RANKS + "R2,leaders,A,1,L1\n")
    assert done.exit_code == 2 and "RANKS.csv" in done.output and "一轮" in done.output
    done = run(tmp_path, "--lang", "en", ranks=RANKS.replace("R,public,C,3,", "R,nobody,C,3,"))
    assert done.exit_code == 2 and "RANKS.csv" in done.output and "nobody" in done.output
    done = run(tmp_path, rules={"groups": []})
    assert done.exit_code == 2 and "RULES.json" in done.output
