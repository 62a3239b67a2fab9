"""The text formats of the receipts and the chain in a published arena bundle (docs/contracts.md):

- sheets.csv: `judge,group,contestant,version,receipt,secret`, one line per counted sheet, in the order of
  scores.csv (contestants in order of presentation, then judges); `receipt` without dashes.
- sheets.csv of a ranking arena (排序测评): `judge,group,version,receipt,secret`, one line per counted ranking
  (a judge ranks every contestant at once, so the ranking, not a contestant, is what has a receipt), in the
  order of ranks.csv (groups, then judges).
- CHAIN.jsonl: one chain entry per line, canonical JSON {"arena","at","hash","kind","payload","prev","seq"}.
- HEAD: the last entry's hash and a line break.

Pure string functions; the app writes them, `leitai arena verify` reads them. Every error names its line.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from leitai.core.errors import DataError
from leitai.core.io.arena import read_header, strict_rows, strip_bom
from leitai.core.io.cells import csv_code, csv_text
from leitai.core.judging.receipts import canonical, is_hash, is_secret, read_receipt

SHEET_COLUMNS = ("judge", "group", "contestant", "version", "receipt", "secret")
RANK_SHEET_COLUMNS = ("judge", "group", "version", "receipt", "secret")
CHAIN_KEYS = ("arena", "at", "hash", "kind", "payload", "prev", "seq")


@dataclass(frozen=True)
class ReceiptRow:
    """One counted sheet's receipt as published (line: its line in sheets.csv, 0 when written)."""

    judge: str
    group: str
    contestant: str
    version: int
    receipt: str
    secret: str
    line: int = 0


@dataclass(frozen=True)
class RankReceiptRow:
    """One counted ranking's receipt as published (line: its line in sheets.csv, 0 when written)."""

    judge: str
    group: str
    version: int
    receipt: str
    secret: str
    line: int = 0


@dataclass(frozen=True)
class ChainLine:
    """One entry of CHAIN.jsonl as read (line: its line in the file, 0 when written)."""

    arena: int
    seq: int
    kind: str
    at: str
    payload: dict
    prev: str
    hash: str
    line: int = 0


def format_sheets_csv(rows: list[ReceiptRow]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(SHEET_COLUMNS)
    for r in rows:
        w.writerow([csv_text(r.judge), csv_text(r.group), csv_text(r.contestant), str(r.version), r.receipt, r.secret])
    return buf.getvalue()


def parse_sheets_csv(text: str) -> list[ReceiptRow]:
    """Read sheets.csv; the first bad line raises DataError naming it (and the column)."""
    reader = csv.reader(io.StringIO(strip_bom(text), newline=""))
    _, at = read_header(reader, SHEET_COLUMNS)
    rows: list[ReceiptRow] = []
    seen: dict[tuple[str, str], int] = {}
    for line, fields in strict_rows(reader, at):
        judge, group, contestant, version, code, secret = (fields[at[c]].strip() for c in SHEET_COLUMNS)
        judge, group, contestant = csv_code(judge), csv_code(group), csv_code(contestant)
        for name, value in (("judge", judge), ("group", group), ("contestant", contestant)):
            if not value:
                raise DataError(f"第 {line} 行 {name} 列为空", f"line {line}, column {name}: empty")
        _check_receipt_fields(line, version, code, secret)
        if (judge, contestant) in seen:
            raise DataError(f"第 {line} 行与第 {seen[(judge, contestant)]} 行重复：评委 {judge}、选手 {contestant}",
                            f"line {line} repeats line {seen[(judge, contestant)]}: judge {judge}, contestant {contestant}")
        seen[(judge, contestant)] = line
        rows.append(ReceiptRow(judge, group, contestant, int(version), code, secret, line))
    return rows


def _check_receipt_fields(line: int, version: str, code: str, secret: str) -> None:
    """The version, receipt and secret cells of a sheets.csv line, either kind."""
    if not version.isdigit() or int(version) < 1:
        raise DataError(f"第 {line} 行 version 列：“{version}”不是正整数",
                        f"line {line}, column version: '{version}' is not a positive whole number")
    receipt = read_receipt(code)
    if receipt is None or receipt != code:
        raise DataError(f"第 {line} 行 receipt 列：“{code}”不是回执码（10 位，不含连字符）",
                        f"line {line}, column receipt: '{code}' is not a receipt (10 characters, no dashes)")
    if not is_secret(secret):
        raise DataError(f"第 {line} 行 secret 列：应为 32 位小写十六进制数", f"line {line}, column secret: "
                        "expected 32 lowercase hex digits")


def format_rank_sheets_csv(rows: list[RankReceiptRow]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(RANK_SHEET_COLUMNS)
    for r in rows:
        w.writerow([csv_text(r.judge), csv_text(r.group), str(r.version), r.receipt, r.secret])
    return buf.getvalue()


def parse_rank_sheets_csv(text: str) -> list[RankReceiptRow]:
    """Read a ranking arena's sheets.csv; the first bad line raises DataError naming it (and the column)."""
    reader = csv.reader(io.StringIO(strip_bom(text), newline=""))
    _, at = read_header(reader, RANK_SHEET_COLUMNS)
    rows: list[RankReceiptRow] = []
    seen: dict[str, int] = {}
    for line, fields in strict_rows(reader, at):
        judge, group, version, code, secret = (fields[at[c]].strip() for c in RANK_SHEET_COLUMNS)
        judge, group = csv_code(judge), csv_code(group)
        for name, value in (("judge", judge), ("group", group)):
            if not value:
                raise DataError(f"第 {line} 行 {name} 列为空", f"line {line}, column {name}: empty")
        _check_receipt_fields(line, version, code, secret)
        if judge in seen:
            raise DataError(f"第 {line} 行与第 {seen[judge]} 行重复：评委 {judge}",
                            f"line {line} repeats line {seen[judge]}: judge {judge}")
        seen[judge] = line
        rows.append(RankReceiptRow(judge, group, int(version), code, secret, line))
    return rows


def format_chain_jsonl(entries: list[ChainLine]) -> str:
    return "".join(canonical({"arena": e.arena, "seq": e.seq, "kind": e.kind, "at": e.at, "payload": e.payload,
                              "prev": e.prev, "hash": e.hash}) + "\n" for e in entries)


def parse_chain_jsonl(text: str) -> list[ChainLine]:
    """Read CHAIN.jsonl (the hashes are checked by core.judging.verify); a malformed line raises DataError."""
    out: list[ChainLine] = []
    for n, raw in enumerate(strip_bom(text).split("\n"), 1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except ValueError as e:
            raise DataError(f"第 {n} 行不是 JSON：{e}", f"line {n} is not JSON: {e}")
        if not isinstance(obj, dict) or sorted(obj) != list(CHAIN_KEYS):
            raise DataError(f"第 {n} 行应恰有这些键：{'、'.join(CHAIN_KEYS)}",
                            f"line {n} should have exactly the keys {', '.join(CHAIN_KEYS)}")
        ok = (isinstance(obj["arena"], int) and isinstance(obj["seq"], int) and isinstance(obj["kind"], str)
              and isinstance(obj["at"], str) and isinstance(obj["payload"], dict)
              and isinstance(obj["prev"], str) and isinstance(obj["hash"], str))
        if not ok or not is_hash(obj["prev"]) or not is_hash(obj["hash"]):
            raise DataError(f"第 {n} 行的某个值类型不对（arena、seq 为整数，payload 为对象，prev、hash 为 64 位十六进制）",
                            f"line {n}: a value has the wrong type (arena and seq whole numbers, payload an object, "
                            "prev and hash 64 hex digits)")
        out.append(ChainLine(obj["arena"], obj["seq"], obj["kind"], obj["at"], obj["payload"], obj["prev"],
                             obj["hash"], n))
    return out


__all__ = ["CHAIN_KEYS", "RANK_SHEET_COLUMNS", "SHEET_COLUMNS", "ChainLine", "RankReceiptRow", "ReceiptRow",
           "format_chain_jsonl", "format_rank_sheets_csv", "format_sheets_csv", "parse_chain_jsonl",
           "parse_rank_sheets_csv", "parse_sheets_csv"]
