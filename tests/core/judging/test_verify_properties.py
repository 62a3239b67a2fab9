"""`verify_bundle` (core.io.verify) on bundles built in memory from random small panels, by the same rules
the app uses: an untouched bundle passes; a changed score fails check 3 on the line of that sheet in
sheets.csv; a dropped chain entry fails check 1 on the line after it; a receipt recomputes only from its own
sheet."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from leitai.core.io.arena import format_scores_csv, format_tally_csv
from leitai.core.io.receipts import ChainLine, ReceiptRow, format_chain_jsonl, format_sheets_csv
from leitai.core.io.verify import VerifyFailed, verify_bundle
from leitai.core.judging.receipts import GENESIS, chain_entry, chain_hash, digest, receipt
from leitai.core.judging.tally import Sheet, parse_rubric, tally

RUBRIC = {"criteria": [{"code": "q", "weight": 1, "max": 10, "step": 0.5},
                       {"code": "p", "weight": 2, "max": 10, "step": 0.5}],
          "groups": [{"code": "g", "weight": 1, "trim": 1}], "tie_break": []}
RUBRIC_TEXT = '{"criteria": [{"code": "q", "weight": 1, "max": 10, "step": 0.5}, {"code": "p", "weight": 2, ' \
              '"max": 10, "step": 0.5}], "groups": [{"code": "g", "weight": 1, "trim": 1}], "tie_break": []}\n'
ARENA = 3


def bundle(marks: list[list[tuple[float, float]]]) -> dict[str, str]:
    """marks[c][j] = (q, p) of judge j for contestant c; one revision per sheet; publication last."""
    rubric = parse_rubric(RUBRIC)
    sheets, rows, entries = [], [], []
    for c, per_judge in enumerate(marks):
        for j, (q, p) in enumerate(per_judge):
            judge, unit, secret = f"J{j + 1:03d}", f"U{c}", f"{c:02x}{j:02x}" * 8
            scores = {"q": q, "p": p}
            code = receipt(ARENA, judge, unit, scores, 1, secret)
            sheets.append(Sheet(judge, "g", unit, scores))
            rows.append(ReceiptRow(judge, "g", unit, 1, code, secret))
            entries.append(("sheet", {"judge": judge, "contestant": unit, "version": 1, "action": "submit",
                                      "source": "phone", "receipt": code}))
    result = format_tally_csv(tally(sheets, rubric), rubric)
    entries.append(("published", {"result_sha256": digest(result.encode()), "rubric_sha256": digest(RUBRIC_TEXT.encode())}))
    chain, prev = [], GENESIS
    for seq, (kind, payload) in enumerate(entries, 1):
        h = chain_hash(prev, chain_entry(ARENA, seq, kind, "2024-04-10T09:00:00+00:00", payload))
        chain.append(ChainLine(ARENA, seq, kind, "2024-04-10T09:00:00+00:00", payload, prev, h))
        prev = h
    return {"CHAIN.jsonl": format_chain_jsonl(chain), "HEAD": prev + "\n", "sheets.csv": format_sheets_csv(rows),
            "scores.csv": format_scores_csv(sheets), "rubric.json": RUBRIC_TEXT, "result.csv": result}


def failure(files, head=None) -> VerifyFailed | None:
    try:
        verify_bundle(files, head)
    except VerifyFailed as e:
        return e
    return None


mark = st.integers(0, 20).map(lambda n: n / 2)
panels = st.lists(st.lists(st.tuples(mark, mark), min_size=1, max_size=4), min_size=1, max_size=3)


@settings(max_examples=40, deadline=None)
@given(panels)
def test_an_untouched_bundle_passes(marks):
    files = bundle(marks)
    assert failure(files) is None
    assert failure(files, files["HEAD"][:10]) is None


@settings(max_examples=40, deadline=None)
@given(panels, st.data())
def test_a_changed_score_fails_check_3_on_its_sheets_line(marks, data):
    files = bundle(marks)
    lines = files["scores.csv"].split("\n")
    n = data.draw(st.integers(1, len(lines) - 2))  # a data line (the last is empty)
    judge, group, contestant, criterion, value = lines[n].split(",")
    lines[n] = ",".join([judge, group, contestant, criterion, "10.0" if value != "10.0" else "9.5"])
    problem = failure({**files, "scores.csv": "\n".join(lines)})
    assert problem is not None and problem.step == 3 and problem.file == "sheets.csv"
    receipts = files["sheets.csv"].split("\n")
    assert receipts[problem.line - 1].startswith(f"{judge},{group},{contestant},")


@settings(max_examples=40, deadline=None)
@given(panels, st.data())
def test_a_dropped_chain_entry_fails_check_1_on_the_next_line(marks, data):
    files = bundle(marks)
    lines = files["CHAIN.jsonl"].split("\n")[:-1]
    n = data.draw(st.integers(0, len(lines) - 2))
    problem = failure({**files, "CHAIN.jsonl": "\n".join(lines[:n] + lines[n + 1:]) + "\n"})
    assert problem is not None and problem.step == 1 and problem.line == n + 1
