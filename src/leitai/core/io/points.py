"""The text formats of `leitai points tally`: RANKS.csv and RULES.json in, OUT.csv and DETAIL.csv out.

Pure string functions (the command does the file I/O); lines end in "\\n" and rows come in a fixed order,
so the same inputs always give the same bytes.

RANKS.csv: UTF-8 (a BOM is allowed), header with `round,group,contestant,rank` and optionally `judge`,
in any column order. One row is the rank one judge — or the whole group, when `judge` is absent or empty —
gave one contestant in one round.
"""

from __future__ import annotations

import csv
import io
import json
import re

from leitai.core.errors import SpecError
from leitai.core.io.arena import LineProblem, ScoresError, read_header, strip_bom
from leitai.core.io.cells import csv_code, csv_text
from leitai.core.judging.points import PointsResult, PointsRules, RankEntry, format_number, parse_points_rules

REQUIRED = ("round", "group", "contestant", "rank")
OPTIONAL = ("judge",)
_INT = re.compile(r"^\+?\d+$")


def parse_ranks_csv(text: str, rules: PointsRules | None = None) -> list[RankEntry]:
    """Read RANKS.csv; every bad line is collected and raised together (ScoresError), each naming its
    line and column: empty cells, a rank that is not an integer ≥ 1, an unknown group (with rules)."""
    reader = csv.reader(io.StringIO(strip_bom(text), newline=""))
    _line, at = read_header(reader, REQUIRED, OPTIONAL)
    groups = set(rules.group_codes) if rules else None
    known = ", ".join(rules.group_codes) if rules else ""
    problems: list[LineProblem] = []
    entries: list[RankEntry] = []

    def bad(line: int, zh: str, en: str) -> None:
        problems.append(LineProblem(line, f"第 {line} 行{zh}", f"line {line}{en}"))

    for fields in reader:
        line = reader.line_num
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(at):
            bad(line, f"有 {len(fields)} 列，表头有 {len(at)} 列", f" has {len(fields)} fields, the header has {len(at)}")
            continue
        round_code, group, contestant, raw = (fields[at[c]].strip() for c in REQUIRED)
        round_code, group, contestant = csv_code(round_code), csv_code(group), csv_code(contestant)
        judge = csv_code(fields[at["judge"]].strip()) if "judge" in at else ""
        empty = [c for c, v in zip(REQUIRED, (round_code, group, contestant, raw), strict=True) if not v]
        if empty:
            bad(line, f" {'、'.join(empty)} 列为空", f", column {', '.join(empty)}: empty")
            continue
        if groups is not None and group not in groups:
            bad(line, f" group 列：未知的评委组“{group}”（规则中有 {known.replace(', ', '、')}）",
                f", column group: unknown group '{group}' (the rules have {known})")
            continue
        if not _INT.match(raw) or int(raw) < 1:
            bad(line, f" rank 列：名次应为不小于 1 的整数，而不是“{raw}”", f", column rank: a rank must be an integer ≥ 1, not '{raw}'")
            continue
        entries.append(RankEntry(round_code, group, contestant, int(raw), judge, line))
    if problems:
        raise ScoresError(problems)
    return entries


def parse_rules_json(text: str) -> PointsRules:
    try:
        data = json.loads(strip_bom(text))
    except json.JSONDecodeError as e:
        raise SpecError(f"JSON 格式错误（第 {e.lineno} 行第 {e.colno} 列）：{e.msg}",
                        f"invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}")
    return parse_points_rules(data)


def format_out_csv(result: PointsResult) -> str:
    """OUT.csv: contestant,points,place, sorted by place then contestant."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["contestant", "points", "place"])
    for s in result.standings:
        w.writerow([csv_text(s.contestant), format_number(s.points), s.place])
    return buf.getvalue()


def format_detail_csv(result: PointsResult, rules: PointsRules) -> str:
    """DETAIL.csv: round,contestant,group:<code>…,combined_rank,points; rounds in the order they first
    appear in RANKS.csv, then by combined rank and contestant; a group absent from a round is empty."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["round", "contestant", *(f"group:{g}" for g in rules.group_codes), "combined_rank", "points"])
    for r in result.detail:
        w.writerow([csv_text(r.round), csv_text(r.contestant), *(r.group_ranks.get(g, "") for g in rules.group_codes),
                    r.combined_rank, format_number(r.points)])
    return buf.getvalue()


def format_ranks_csv(entries: list[RankEntry]) -> str:
    """A RANKS.csv of entries (what the product exports for recomputation); parse_ranks_csv reads it back."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["round", "group", "judge", "contestant", "rank"])
    for e in entries:
        w.writerow([csv_text(e.round), csv_text(e.group), csv_text(e.judge), csv_text(e.contestant), e.rank])
    return buf.getvalue()
