"""The text formats of `leitai arena audit`: LINKS.csv in, AUDIT.csv out (SCORES.csv and RUBRIC.json are
`arena tally`'s, core/io/arena.py). Pure string functions, numbers written as the tally's OUT.csv writes them
(`repr(float)`, empty when undefined), lines ending in "\\n": the same inputs always give the same bytes.

LINKS.csv: header `judge,contestant,relation` in any column order (UTF-8, a BOM allowed); one row per pair
where a judge has a tie to a contestant that recusal does not cover. `relation` is free text (may be empty).
"""

from __future__ import annotations

import csv
import io

from leitai.core.errors import DataError
from leitai.core.io.arena import read_header, strict_rows, strip_bom
from leitai.core.io.cells import csv_code, csv_text
from leitai.core.judging.audit import AuditResult

LINK_COLUMNS = ("judge", "contestant", "relation")
AUDIT_COLUMNS = ("judge", "group", "sheets", "leniency", "leniency_lo", "leniency_hi", "consistency",
                 "favour", "favour_lo", "favour_hi", "flags")


def parse_links_csv(text: str) -> dict[tuple[str, str], str]:
    """LINKS.csv → {(judge, contestant): relation}, in file order. A row without judge or contestant, or a
    pair given twice, is an error naming its line."""
    reader = csv.reader(io.StringIO(strip_bom(text), newline=""))
    _, at = read_header(reader, ("judge", "contestant"), ("relation",))
    links: dict[tuple[str, str], str] = {}
    lines: dict[tuple[str, str], int] = {}
    for line, fields in strict_rows(reader, at):
        judge, contestant = (csv_code(fields[at[c]].strip()) for c in ("judge", "contestant"))
        relation = csv_code(fields[at["relation"]].strip()) if "relation" in at else ""
        empty = [c for c, v in (("judge", judge), ("contestant", contestant)) if not v]
        if empty:
            raise DataError(f"第 {line} 行 {'、'.join(empty)} 列为空", f"line {line}, column {', '.join(empty)}: empty")
        if (judge, contestant) in links:
            raise DataError(f"第 {line} 行与第 {lines[judge, contestant]} 行重复：评委 {judge}、选手 {contestant}",
                            f"line {line} repeats line {lines[judge, contestant]}: judge {judge}, contestant {contestant}")
        links[judge, contestant] = relation
        lines[judge, contestant] = line
    return links


def format_links_csv(links: dict[tuple[str, str], str]) -> str:
    """A LINKS.csv of the pairs (in the order given); parse_links_csv reads it back."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(LINK_COLUMNS)
    for (judge, contestant), relation in links.items():
        w.writerow([csv_text(judge), csv_text(contestant), csv_text(relation)])
    return buf.getvalue()


def _num(x: float | None) -> str:
    return "" if x is None else repr(float(x))


def format_audit_csv(result: AuditResult) -> str:
    """AUDIT.csv: one row per judge, sorted by group then judge; flags joined with ";"."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(AUDIT_COLUMNS)
    for r in sorted(result.rows, key=lambda r: (r.group, r.judge)):
        w.writerow([csv_text(r.judge), csv_text(r.group), str(r.sheets), _num(r.leniency), _num(r.leniency_lo),
                    _num(r.leniency_hi), _num(r.consistency), _num(r.favour), _num(r.favour_lo), _num(r.favour_hi),
                    ";".join(r.flags)])
    return buf.getvalue()
