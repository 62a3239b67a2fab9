"""The files of `leitai assess compute`: INPUTS.json in (the scheme and every fact it counted), OUT.csv and
DETAIL.csv out. Pure string functions; rows in a fixed order, "\\n" line ends, numbers at full precision
(`repr` of the nearest float, integers as integers), so the same inputs always give the same bytes."""

from __future__ import annotations

import csv
import io
import json

from leitai.core.errors import DataError, SpecError
from leitai.core.io.cells import csv_text
from leitai.core.judging.points import format_number
from leitai.core.tracking.assessment import AssessmentResult, Scheme, parse_scheme

FORMAT = "leitai-assessment-1"
_TOP = {"format", "title", "window", "scheme", "units", "rankings", "ledger", "pledges", "items", "reviews", "awards"}


def parse_inputs_json(text: str) -> tuple[dict, Scheme]:
    """INPUTS.json → (facts, scheme); a JSON error names its line and column, a bad key its name."""
    try:
        data = json.loads(text[1:] if text.startswith("\ufeff") else text)
    except json.JSONDecodeError as e:
        raise SpecError(f"JSON 格式错误（第 {e.lineno} 行第 {e.colno} 列）：{e.msg}",
                        f"invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}")
    if not isinstance(data, dict):
        raise SpecError("INPUTS.json 应为 JSON 对象", "INPUTS.json must be a JSON object")
    if data.get("format") != FORMAT:
        raise SpecError(f"format 应为 {FORMAT}", f"format must be {FORMAT}")
    unknown = sorted(set(data) - _TOP)
    if unknown:
        raise SpecError(f"未知的键：{'、'.join(unknown)}", f"unknown key(s): {', '.join(unknown)}")
    for key in ("units", "rankings", "ledger", "pledges", "items", "reviews", "awards"):
        if not isinstance(data.get(key, []), list):
            raise DataError(f"{key} 应为列表", f"{key} must be a list")
    for n, u in enumerate(data.get("units", []), 1):
        if not isinstance(u, dict) or not isinstance(u.get("code"), str):
            raise DataError(f"units 第 {n} 项缺少 code", f"units item {n} lacks a code")
    needed = {"ledger": ("unit", "points"), "pledges": ("unit", "status"), "items": ("unit", "deadline"),
              "reviews": ("unit", "verdict"), "awards": ("unit", "kind")}
    for key, fields in needed.items():
        for n, row in enumerate(data.get(key, []), 1):
            if not isinstance(row, dict):
                raise DataError(f"{key} 第 {n} 项应为对象", f"{key} item {n} must be an object")
            for field in fields:
                if row.get(field) in (None, ""):
                    raise DataError(f"{key} 第 {n} 项缺少 {field}", f"{key} item {n} lacks {field}")
    for n, r in enumerate(data.get("rankings", []), 1):
        if not isinstance(r, dict) or not isinstance(r.get("period"), str) or not isinstance(r.get("rows"), list):
            raise DataError(f"rankings 第 {n} 项应有 period 和 rows", f"rankings item {n} needs period and rows")
        for m, row in enumerate(r["rows"], 1):
            if not (isinstance(row, list) and len(row) == 3 and isinstance(row[0], str)
                    and isinstance(row[1], int) and not isinstance(row[1], bool)):
                raise DataError(f"rankings 第 {n} 项第 {m} 行应为 [单位, 名次, 得分]",
                                f"rankings item {n}, row {m} must be [unit, rank, score]")
    return data, parse_scheme(data.get("scheme"))


def _n(x) -> str:
    return "" if x is None else format_number(x)


def format_out_csv(result: AssessmentResult) -> str:
    """OUT.csv: unit,total,rank,grade,component:<code>…,rollup — best first, ties by unit code."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["unit", "total", "rank", "grade", *(f"component:{c}" for c in result.component_codes), "rollup"])
    for r in result.rows:
        w.writerow([csv_text(r.unit), _n(r.total), r.rank, csv_text(r.grade), *(_n(r.components.get(c)) for c in result.component_codes),
                    _n(r.rollup)])
    return buf.getvalue()


def format_detail_csv(result: AssessmentResult) -> str:
    """DETAIL.csv: unit,component,points,ref,text — every traced line, in the order of OUT.csv."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["unit", "component", "points", "ref", "text"])
    for r in result.rows:
        for ln in r.lines:
            w.writerow([csv_text(r.unit), csv_text(ln.component), _n(ln.points), csv_text(ln.ref), csv_text(ln.zh)])
    return buf.getvalue()
