"""`verify_bundle` on ranking bundles (排序测评) built in memory from random small panels, by the rules the app
uses: an untouched bundle passes; a changed rank fails check 3 on that judge's line of sheets.csv; a judge's
ranking with no chain entry fails check 4; a changed detail.csv fails check 5; sheets.csv refuses a repeated
judge."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leitai.core.errors import DataError
from leitai.core.io.points import format_detail_csv, format_out_csv, format_ranks_csv, parse_rules_json
from leitai.core.io.receipts import (
    ChainLine,
    RankReceiptRow,
    format_chain_jsonl,
    format_rank_sheets_csv,
    parse_rank_sheets_csv,
)
from leitai.core.io.verify import VerifyFailed, is_ranking, verify_bundle
from leitai.core.judging.points import RankEntry, points_tally
from leitai.core.judging.receipts import GENESIS, chain_entry, chain_hash, digest, rank_receipt

RULES_TEXT = '{"groups": [{"code": "g", "weight": 1}], "tie_break": [], "points": [3, 2, 1]}\n'
ARENA = 5
AT = "2024-04-10T09:00:00+00:00"


def bundle(orders: list[list[int]]) -> dict[str, str]:
    """orders[j] = judge j's ranking as a permutation of the contestants U0…U(n-1); publication last."""
    rules = parse_rules_json(RULES_TEXT)
    entries, rows, chained = [], [], []
    for j, order in enumerate(orders):
        judge, secret = f"J{j + 1:03d}", f"{j:02x}" * 16
        ranks = {f"U{c}": rank for rank, c in enumerate(order, 1)}
        code = rank_receipt(ARENA, judge, ranks, 1, secret)
        entries += [RankEntry("R1", "g", unit, rank, judge) for unit, rank in sorted(ranks.items())]
        rows.append(RankReceiptRow(judge, "g", 1, code, secret))
        chained.append(("rank_sheet", {"judge": judge, "version": 1, "action": "submit", "source": "phone",
                                       "receipt": code}))
    result = points_tally(entries, rules)
    out, detail = format_out_csv(result), format_detail_csv(result, rules)
    chained.append(("published", {"result_sha256": digest(out.encode()), "detail_sha256": digest(detail.encode()),
                                  "rules_sha256": digest(RULES_TEXT.encode())}))
    chain, prev = [], GENESIS
    for seq, (kind, payload) in enumerate(chained, 1):
        h = chain_hash(prev, chain_entry(ARENA, seq, kind, AT, payload))
        chain.append(ChainLine(ARENA, seq, kind, AT, payload, prev, h))
        prev = h
    return {"CHAIN.jsonl": format_chain_jsonl(chain), "HEAD": prev + "\n", "sheets.csv": format_rank_sheets_csv(rows),
            "ranks.csv": format_ranks_csv(entries), "rules.json": RULES_TEXT, "result.csv": out, "detail.csv": detail}


def failure(files) -> VerifyFailed | None:
    try:
        verify_bundle(files)
    except VerifyFailed as e:
        return e
    return None


panels = st.integers(2, 4).flatmap(lambda n: st.lists(st.permutations(list(range(n))), min_size=1, max_size=4))


@settings(max_examples=30, deadline=None)
@given(panels)
def test_an_untouched_bundle_passes(orders):
    files = bundle(orders)
    assert is_ranking(files)
    done = verify_bundle(files)
    assert done.ranking and done.sheets == len(orders)


@settings(max_examples=30, deadline=None)
@given(panels, st.data())
def test_a_changed_rank_fails_check_3_on_that_judges_line(orders, data):
    files = bundle(orders)
    lines = files["ranks.csv"].split("\n")
    n = data.draw(st.integers(1, len(lines) - 2))
    round_code, group, judge, contestant, rank = lines[n].split(",")
    lines[n] = ",".join([round_code, group, judge, contestant, str(int(rank) % len(orders[0]) + 1)])
    problem = failure({**files, "ranks.csv": "\n".join(lines)})
    assert problem is not None and problem.step == 3 and problem.file == "sheets.csv"
    assert files["sheets.csv"].split("\n")[problem.line - 1].startswith(f"{judge},")


def test_a_ranking_missing_from_the_chain_fails_check_4():
    files = bundle([[0, 1, 2], [2, 1, 0]])
    lines = files["CHAIN.jsonl"].split("\n")
    # Rebuild the chain without the second judge's entry: intact, but the ranking is not in it.
    kept = [json.loads(x) for x in lines if x and json.loads(x)["payload"].get("judge") != "J002"]
    chain, prev = [], GENESIS
    for seq, e in enumerate(kept, 1):
        h = chain_hash(prev, chain_entry(ARENA, seq, e["kind"], AT, e["payload"]))
        chain.append(ChainLine(ARENA, seq, e["kind"], AT, e["payload"], prev, h))
        prev = h
    problem = failure({**files, "CHAIN.jsonl": format_chain_jsonl(chain), "HEAD": prev + "\n"})
    assert problem is not None and (problem.step, problem.file, problem.line) == (4, "sheets.csv", 3)


def test_a_changed_detail_fails_check_5():
    files = bundle([[0, 1, 2], [2, 1, 0], [1, 0, 2]])
    problem = failure({**files, "detail.csv": files["detail.csv"].replace(",3\n", ",9\n", 1)})
    assert problem is not None and problem.step == 5 and problem.file == "detail.csv" and problem.line > 1


def test_sheets_csv_refuses_a_repeated_judge():
    text = "judge,group,version,receipt,secret\n" + ("J001,g,1,0000000000," + "ab" * 16 + "\n") * 2
    with pytest.raises(DataError) as caught:
        parse_rank_sheets_csv(text)
    assert caught.value.en == "line 3 repeats line 2: judge J001" and caught.value.zh == "第 3 行与第 2 行重复：评委 J001"
