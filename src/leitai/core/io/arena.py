"""The text formats of `leitai arena tally`: SCORES.csv and RUBRIC.json in, OUT.csv out.

Pure string functions; the command and the arena app do the file I/O. Numbers are written with
`repr(float)` (the shortest text that reads back to the same float), rows in a fixed order, lines end
in "\\n", so the same inputs always give the same bytes.

SCORES.csv is long: one row per judge, contestant and criterion, header `judge,group,contestant,
criterion,score` in any column order (UTF-8, a BOM is allowed). An empty score means the judge did not
score that criterion: the sheet is then incomplete, left out of the tally and reported.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass

from leitai.core.errors import DataError, SpecError
from leitai.core.io.cells import csv_code, csv_text
from leitai.core.judging.tally import Rubric, Sheet, TallyResult, parse_rubric, score_problem

COLUMNS = ("judge", "group", "contestant", "criterion", "score")
# Plain decimal numbers only: Python's float() would also take "nan", "inf" and "1_000".
_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
# A file with thousands of bad lines is one mistake repeated: show enough lines to find it.
MAX_REPORTED = 20


@dataclass(frozen=True)
class LineProblem:
    """One bad line of SCORES.csv."""

    line: int
    zh: str
    en: str


class ScoresError(DataError):
    """SCORES.csv cannot be used; `problems` lists every bad line found (the message the first 20)."""

    def __init__(self, problems: list[LineProblem]):
        shown = problems[:MAX_REPORTED]
        zh = [p.zh for p in shown]
        en = [p.en for p in shown]
        if len(problems) > len(shown):
            zh.append(f"……另有 {len(problems) - len(shown)} 处错误")
            en.append(f"… and {len(problems) - len(shown)} more problem(s)")
        super().__init__("\n".join(zh), "\n".join(en))
        self.problems = problems


def strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


def read_header(reader, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> tuple[int, dict[str, int]]:
    """The header line of a long CSV (blank lines before it skipped): its line number and column → index.
    Columns are case-insensitive in any order; an unknown, repeated or missing column names its line."""
    header = next(reader, None)
    while header is not None and not any(c.strip() for c in header):
        header = next(reader, None)
    expected = ",".join(required) + "".join(f"[,{c}]" for c in optional)
    if header is None:
        raise DataError(f"文件为空，第 1 行应为表头 {expected}", f"the file is empty: line 1 should be the header {expected}")
    line = reader.line_num
    names = [h.strip().lower() for h in header]
    for col, name in enumerate(names, 1):
        if name not in required + optional:
            raise DataError(f"第 {line} 行第 {col} 列：未知的列名“{header[col - 1]}”（应为 {'、'.join(required + optional)}）",
                            f"line {line}, column {col}: unknown column '{header[col - 1]}' (expected {expected})")
        if names.count(name) > 1:
            raise DataError(f"第 {line} 行：列“{name}”出现了两次", f"line {line}: column '{name}' appears twice")
    absent = [c for c in required if c not in names]
    if absent:
        raise DataError(f"第 {line} 行表头缺少列：{'、'.join(absent)}", f"line {line}: the header lacks column(s) {', '.join(absent)}")
    return line, {name: i for i, name in enumerate(names)}


def strict_rows(reader, at: dict[str, int]):
    """(line, fields) for each non-blank row after the header; a row with another number of fields than the
    header raises DataError naming its line (files read whole or not at all: links.csv, sheets.csv)."""
    for fields in reader:
        line = reader.line_num
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(at):
            raise DataError(f"第 {line} 行有 {len(fields)} 列，表头有 {len(at)} 列",
                            f"line {line} has {len(fields)} fields, the header has {len(at)}")
        yield line, fields


def _header(reader) -> tuple[int, dict[str, int]]:
    return read_header(reader, COLUMNS)


def parse_scores_csv(text: str, rubric: Rubric | None = None) -> list[Sheet]:
    """Read SCORES.csv into sheets, one per (judge, contestant) in first-appearance order.

    With a rubric, groups, criteria and scores are checked against it. Every bad line is collected and
    raised together as ScoresError, each naming its line: non-numeric, negative, above the maximum or
    off-step scores, unknown groups or criteria, a judge in two groups, the same judge, contestant and
    criterion twice."""
    reader = csv.reader(io.StringIO(strip_bom(text), newline=""))
    _, at = _header(reader)
    criteria = {c.code: c for c in rubric.criteria} if rubric else None
    groups = set(rubric.group_codes) if rubric else None
    problems: list[LineProblem] = []
    sheets: dict[tuple[str, str], Sheet] = {}
    judge_group: dict[str, tuple[str, int]] = {}
    seen: dict[tuple[str, str, str], int] = {}

    def bad(line: int, zh: str, en: str) -> None:
        problems.append(LineProblem(line, f"第 {line} 行{zh}", f"line {line}{en}"))

    for fields in reader:
        line = reader.line_num
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(at):
            bad(line, f"有 {len(fields)} 列，表头有 {len(at)} 列", f" has {len(fields)} fields, the header has {len(at)}")
            continue
        judge, group, contestant, criterion, raw = (fields[at[c]].strip() for c in COLUMNS)
        judge, group, contestant, criterion = (csv_code(v) for v in (judge, group, contestant, criterion))
        empty = [c for c, v in zip(COLUMNS[:4], (judge, group, contestant, criterion), strict=True) if not v]
        if empty:
            bad(line, f" {'、'.join(empty)} 列为空", f", column {', '.join(empty)}: empty")
            continue
        if groups is not None and group not in groups:
            bad(line, f" group 列：未知的评委组“{group}”", f", column group: unknown group '{group}'")
            continue
        first_group, first_line = judge_group.setdefault(judge, (group, line))
        if first_group != group:
            bad(line, f"：评委 {judge} 在第 {first_line} 行属于评委组 {first_group}，此处为 {group}（评委只能属于一个组）",
                f": judge {judge} is in group {first_group} on line {first_line} but in {group} here "
                f"(a judge belongs to one group)")
            continue
        if criteria is not None and criterion not in criteria:
            bad(line, f" criterion 列：未知的评分项“{criterion}”", f", column criterion: unknown criterion '{criterion}'")
            continue
        key = (judge, contestant, criterion)
        if key in seen:
            bad(line, f"与第 {seen[key]} 行重复：评委 {judge}、选手 {contestant}、评分项 {criterion}",
                f" repeats line {seen[key]}: judge {judge}, contestant {contestant}, criterion {criterion}")
            continue
        seen[key] = line
        sheet = sheets.setdefault((judge, contestant), Sheet(judge, group, contestant, {}))
        if raw == "":
            continue
        value = float(raw) if _NUMBER.match(raw) else math.nan
        if not math.isfinite(value):
            bad(line, f" score 列：“{raw}”不是数字（未打分请留空）", f", column score: '{raw}' is not a number (leave it empty when not scored)")
            continue
        problem = score_problem(value, criteria[criterion]) if criteria is not None else None
        if problem is None and value < 0:
            problem = (f"分数 {raw} 小于 0", f"score {raw} is below 0")
        if problem:
            bad(line, f" score 列：{problem[0]}", f", column score: {problem[1]}")
            continue
        sheet.scores[criterion] = value
    if problems:
        raise ScoresError(problems)
    return list(sheets.values())


def parse_rubric_json(text: str) -> Rubric:
    """Read RUBRIC.json; a JSON syntax error names its line and column."""
    try:
        data = json.loads(strip_bom(text))
    except json.JSONDecodeError as e:
        raise SpecError(f"JSON 格式错误（第 {e.lineno} 行第 {e.colno} 列）：{e.msg}",
                        f"invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}")
    return parse_rubric(data)


def _num(x: float | None) -> str:
    return "" if x is None else repr(float(x))


def format_tally_csv(result: TallyResult, rubric: Rubric) -> str:
    """OUT.csv: contestant,score,rank,group:<code>… (rubric order); best first, ties in first-appearance
    order, the unranked last with empty score and rank."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["contestant", "score", "rank", *(f"group:{g}" for g in rubric.group_codes)])
    for row in result.ranked():
        w.writerow([csv_text(row.contestant), _num(row.score), str(row.rank) if row.rank else "",
                    *(_num(row.groups[g].score) if g in row.groups else "" for g in rubric.group_codes)])
    return buf.getvalue()


def format_scores_csv(sheets: list[Sheet]) -> str:
    """A SCORES.csv of the sheets (e.g. anonymised for publication: judge ids are whatever the caller
    gives); parse_scores_csv reads it back to the same sheets. A sheet without any score has no row."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for s in sheets:
        for criterion, score in s.scores.items():
            w.writerow([csv_text(s.judge), csv_text(s.group), csv_text(s.contestant), csv_text(criterion),
                        repr(float(score))])
    return buf.getvalue()
