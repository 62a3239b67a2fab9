"""The text formats of `leitai index compute`: DATA.csv and SPEC.json in, OUT.csv out.

Pure string functions (the command and the export of published rankings do the file I/O), so an
export followed by `leitai index compute` reproduces a published OUT.csv byte for byte: numbers are
written with `repr(float)` (shortest text that reads back to the same float) and rows in a fixed order.

DATA.csv is long ("tidy"): one row per unit and indicator, header `unit,indicator,value` in any column
order, optionally a `period` column. An empty value is a missing value.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re

import numpy as np

from leitai.core import periods
from leitai.core.errors import DataError, PeriodError, SpecError
from leitai.core.io.cells import csv_code, csv_text
from leitai.core.ranking.index import IndexResult, IndexScores
from leitai.core.ranking.spec import IndexSpec, parse_spec

REQUIRED = ("unit", "indicator", "value")
OPTIONAL = ("period",)
# Plain decimal numbers only: Python's float() would also take "nan", "inf" and "1_000".
_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")


def strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


def _period_key(text: str) -> str:
    """Compare periods by meaning when they can be read (2024-04 = 2024年4月), else by text."""
    try:
        return periods.parse(text).code
    except PeriodError:
        return text.strip()


def parse_data_csv(text: str, period: str | None = None) -> tuple[list[str], list[str], np.ndarray]:
    """Read DATA.csv into (units, indicator codes, values); both lists in first-appearance order."""
    reader = csv.reader(io.StringIO(strip_bom(text), newline=""))
    header = next(reader, None)
    while header is not None and not any(c.strip() for c in header):
        header = next(reader, None)
    if header is None:
        raise DataError("文件为空，第 1 行应为表头 unit,indicator,value", "the file is empty: line 1 should be the header unit,indicator,value")
    header_line = reader.line_num
    names = [h.strip().lower() for h in header]
    for col, name in enumerate(names, 1):
        if name not in REQUIRED + OPTIONAL:
            raise DataError(f"第 {header_line} 行第 {col} 列：未知的列名“{header[col - 1]}”（应为 unit、indicator、value、period）",
                            f"line {header_line}, column {col}: unknown column '{header[col - 1]}' (expected unit, indicator, value, period)")
        if names.count(name) > 1:
            raise DataError(f"第 {header_line} 行：列“{name}”出现了两次", f"line {header_line}: column '{name}' appears twice")
    absent = [c for c in REQUIRED if c not in names]
    if absent:
        raise DataError(f"第 {header_line} 行表头缺少列：{'、'.join(absent)}",
                        f"line {header_line}: the header lacks column(s) {', '.join(absent)}")
    at = {name: i for i, name in enumerate(names)}

    rows: list[tuple[int, str, str, str, str | None]] = []  # line, unit, indicator, value text, period
    for fields in reader:
        line = reader.line_num
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(names):
            raise DataError(f"第 {line} 行有 {len(fields)} 列，表头有 {len(names)} 列",
                            f"line {line} has {len(fields)} fields, the header has {len(names)}")
        unit, indicator = csv_code(fields[at["unit"]].strip()), csv_code(fields[at["indicator"]].strip())
        for name, val in (("unit", unit), ("indicator", indicator)):
            if not val:
                raise DataError(f"第 {line} 行 {name} 列为空", f"line {line}, column {name}: empty")
        row_period = csv_code(fields[at["period"]].strip()) if "period" in at else None
        rows.append((line, unit, indicator, fields[at["value"]].strip(), row_period))

    if "period" in at:
        rows = _select_period(rows, period)

    units: dict[str, int] = {}
    codes: dict[str, int] = {}
    cells: dict[tuple[str, str], tuple[int, float]] = {}
    for line, unit, indicator, raw, _ in rows:
        units.setdefault(unit, len(units))
        codes.setdefault(indicator, len(codes))
        if raw == "":
            value = math.nan
        elif _NUMBER.match(raw) and math.isfinite(float(raw)):
            value = float(raw)
        else:
            raise DataError(f"第 {line} 行 value 列：“{raw}”不是数字（缺值请留空）",
                            f"line {line}, column value: '{raw}' is not a number (leave it empty when missing)")
        first = cells.get((unit, indicator))
        if first is not None:
            raise DataError(f"第 {first[0]} 行与第 {line} 行重复：单位 {unit} 的指标 {indicator}",
                            f"lines {first[0]} and {line} repeat unit {unit}, indicator {indicator}")
        cells[(unit, indicator)] = (line, value)

    values = np.full((len(units), len(codes)), np.nan)
    for (unit, indicator), (_, value) in cells.items():
        values[units[unit], codes[indicator]] = value
    return list(units), list(codes), values


def _select_period(rows: list, period: str | None) -> list:
    if period is not None:
        wanted = _period_key(period)
        kept = [r for r in rows if _period_key(r[4]) == wanted]
        if not kept:
            raise DataError(f"period 列中没有期间 {period} 的数据", f"no rows for period {period} in the period column")
        return kept
    distinct = list(dict.fromkeys(_period_key(r[4]) for r in rows))
    if len(distinct) > 1:
        listed = ", ".join(distinct)
        raise DataError(f"文件含多个期间（{listed}），请用 --period 指定其一",
                        f"the file holds several periods ({listed}): choose one with --period")
    return rows


def parse_spec_json(text: str) -> IndexSpec:
    """Read SPEC.json; a JSON syntax error names its line and column."""
    try:
        data = json.loads(strip_bom(text))
    except json.JSONDecodeError as e:
        raise SpecError(f"JSON 格式错误（第 {e.lineno} 行第 {e.colno} 列）：{e.msg}",
                        f"invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}")
    return parse_spec(data)


def _num(x) -> str:
    x = float(x)
    return "" if math.isnan(x) else repr(x)


def format_result_csv(result: IndexResult) -> str:
    """OUT.csv: unit,score,rank,group:<code>…; best first, unranked last, ties in input order."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["unit", "score", "rank", *(f"group:{g}" for g in result.groups)])
    rank = np.asarray(result.rank)
    key = np.where(rank > 0, rank, np.iinfo(np.int64).max)
    for i in np.argsort(key, kind="stable"):
        r = int(rank[i])
        w.writerow([csv_text(result.units[i]), _num(result.score[i]), str(r) if r else "",
                    *(_num(v) for v in result.group_scores[i])])
    return buf.getvalue()


def format_data_csv(units: list[str], indicator_codes: list[str], values, period: str | None = None) -> str:
    """A DATA.csv that parse_data_csv reads back to the same units, codes and matrix (every cell
    written, missing ones empty, so units without any value and the column order survive)."""
    vals = np.asarray(values, dtype=float).reshape(len(units), len(indicator_codes))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["unit", "indicator", "value"] + (["period"] if period is not None else []))
    tail = [csv_text(period)] if period is not None else []
    for i, unit in enumerate(units):
        for j, code in enumerate(indicator_codes):
            w.writerow([csv_text(unit), csv_text(code), _num(vals[i, j]), *tail])
    return buf.getvalue()


def format_uncertainty_csv(result: IndexResult | IndexScores, median_rank, rank_lo, rank_hi) -> str:
    """OUT.csv of `leitai index uncertainty`: unit,rank,median_rank,rank_lo,rank_hi in format_result_csv's
    row order (best first, unranked last with empty cells, ties in input order)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["unit", "rank", "median_rank", "rank_lo", "rank_hi"])
    rank = np.asarray(result.rank)
    key = np.where(rank > 0, rank, np.iinfo(np.int64).max)
    for i in np.argsort(key, kind="stable"):
        cells = [int(rank[i]), int(median_rank[i]), int(rank_lo[i]), int(rank_hi[i])]
        w.writerow([csv_text(result.units[i]), *(str(c) if c else "" for c in cells)])
    return buf.getvalue()
