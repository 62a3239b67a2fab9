"""`leitai arena verify`: check a published arena bundle offline, naming the first thing that fails.

The checks, in this order (docs/contracts.md):
1. CHAIN.jsonl: every entry's seq follows the one before, names the same arena, carries the previous
   entry's hash as `prev` and hashes to its `hash` (core.judging.receipts.chain_hash).
2. HEAD: equals the last entry's hash, and, when the caller gives one (the head shown on the results page),
   begins with it.
3. Receipts: every line of sheets.csv has its sheet in scores.csv and its receipt recomputes from the arena,
   the judge, the contestant, the scores, the version and the secret; every sheet of scores.csv has its line
   in sheets.csv.
4. Chain and sheets: the chain holds a publication entry, no sheet entry after it, and for every judge and
   contestant the last sheet entry before it is the counted sheet of sheets.csv (same version and receipt);
   every sheets.csv line is in the chain.
5. Result: the tally of scores.csv with rubric.json (the same functions as `leitai arena tally`) equals
   result.csv byte for byte, and result.csv and rubric.json are the files the publication entry names by
   their SHA-256.
A ranking arena's bundle (排序测评: ranks.csv and rules.json instead of scores.csv and rubric.json) gets the
same five checks: its receipts are the judges' whole rankings (sheets.csv one line per judge, the receipt
recomputed from their rows of ranks.csv), its chain entries "rank_sheet", and the result is the points tally
(the functions of `leitai points tally`) of ranks.csv, equal to result.csv and detail.csv, which with
rules.json are the files the publication entry names.
Pure: the caller reads the files (as text, "\\n" kept) and passes them in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from leitai.core.errors import LeitaiError
from leitai.core.io.arena import format_tally_csv, parse_rubric_json, parse_scores_csv
from leitai.core.io.arena_audit import parse_links_csv
from leitai.core.io.points import format_detail_csv, format_out_csv, parse_ranks_csv, parse_rules_json
from leitai.core.io.receipts import (
    ChainLine,
    RankReceiptRow,
    ReceiptRow,
    parse_chain_jsonl,
    parse_rank_sheets_csv,
    parse_sheets_csv,
)
from leitai.core.judging.points import RankEntry, points_tally
from leitai.core.judging.receipts import (
    GENESIS,
    chain_entry,
    chain_hash,
    digest,
    rank_receipt,
    receipt,
    show_receipt,
)
from leitai.core.judging.tally import tally

FILES = ("CHAIN.jsonl", "HEAD", "sheets.csv", "scores.csv", "rubric.json", "result.csv")
# A ranking arena's bundle (排序测评), told from a score bundle by having ranks.csv or rules.json and no scores.csv.
RANK_FILES = ("CHAIN.jsonl", "HEAD", "sheets.csv", "ranks.csv", "rules.json", "result.csv", "detail.csv")
RANK_SHEET_KINDS = ("rank_sheet",)
# Read when present: the judge–contestant links a drop_flagged calibration needs to recompute the result.
OPTIONAL = ("links.csv",)
SHEET_KINDS = ("sheet",)
PUBLISHED = "published"


class VerifyFailed(LeitaiError):
    """The first check that fails: its step (1–5), the file and line (0 when the whole file) and the reason."""

    def __init__(self, step: int, file: str, line: int, zh: str, en: str):
        where_zh = f"{file} 第 {line} 行：" if line else f"{file}："
        where_en = f"{file}, line {line}: " if line else f"{file}: "
        super().__init__(f"第 {step} 项检查未通过：{where_zh}{zh}", f"check {step} failed: {where_en}{en}")
        self.step, self.file, self.line = step, file, line


@dataclass(frozen=True)
class Verified:
    arena: int
    entries: int
    head: str
    sheets: int
    contestants: int
    ranking: bool = False


def is_ranking(files: Mapping[str, str | None]) -> bool:
    """A ranking arena's bundle: ranks.csv or rules.json, and no scores.csv."""
    return files.get("scores.csv") is None and (files.get("ranks.csv") is not None
                                                or files.get("rules.json") is not None)


def verify_bundle(files: Mapping[str, str | None], head: str | None = None) -> Verified:
    """Run the five checks on the bundle's texts (a missing file is None); raise VerifyFailed at the first
    failure, else return a summary."""
    if is_ranking(files):
        return _verify_ranking(files, head)
    for name in FILES:
        if files.get(name) is None:
            step = 1 if name == "CHAIN.jsonl" else 2 if name == "HEAD" else 3 if name != "result.csv" else 5
            raise VerifyFailed(step, name, 0, "文件不存在（结果发布后导出的数据包才包含它；哈希链启用之前发布的场次没有"
                               "哈希链和回执，README.txt 会说明，其结果只能用 leitai arena tally 复算）",
                               "missing (a bundle exported after publication has it; an arena published before the "
                               "hash chain existed has no chain or receipts, as its README.txt says: recompute its "
                               "result with leitai arena tally)")
    chain = _check_chain(files["CHAIN.jsonl"] or "")
    last = _check_head(chain, files["HEAD"] or "", head)
    rubric, sheets, receipts = _check_receipts(chain[0].arena, files)
    published = _check_chain_counted(chain, receipts, _SHEETS)
    _check_result(files, rubric, sheets, published)
    return Verified(chain[0].arena, len(chain), last, len(receipts), len({r.contestant for r in receipts}))


def _check_chain(text: str) -> list[ChainLine]:
    try:
        chain = parse_chain_jsonl(text)
    except LeitaiError as problem:
        raise VerifyFailed(1, "CHAIN.jsonl", 0, problem.zh, problem.en)
    if not chain:
        raise VerifyFailed(1, "CHAIN.jsonl", 0, "链为空", "the chain is empty")
    prev, arena = GENESIS, chain[0].arena
    for n, e in enumerate(chain, 1):
        if e.seq != n:
            raise VerifyFailed(1, "CHAIN.jsonl", e.line, f"序号应为 {n}，此处为 {e.seq}（条目被删除、插入或调换了顺序）",
                               f"seq should be {n}, it is {e.seq} (an entry was removed, inserted or moved)")
        if e.arena != arena:
            raise VerifyFailed(1, "CHAIN.jsonl", e.line, f"擂台赛编号 {e.arena} 与第一条的 {arena} 不同",
                               f"arena {e.arena} differs from the first entry's {arena}")
        if e.prev != prev:
            raise VerifyFailed(1, "CHAIN.jsonl", e.line, "记录的前一条哈希与上一条不符（上一条被改动、删除或调换）",
                               "the previous hash it carries does not match the entry before (changed, removed or moved)")
        if chain_hash(e.prev, chain_entry(e.arena, e.seq, e.kind, e.at, e.payload)) != e.hash:
            raise VerifyFailed(1, "CHAIN.jsonl", e.line, "内容与其哈希不符（该条被改动）",
                               "its content does not match its hash (the entry was changed)")
        prev = e.hash
    return chain


def _check_head(chain: list[ChainLine], text: str, expected: str | None) -> str:
    last = chain[-1].hash
    written = text.strip()
    if written != last:
        raise VerifyFailed(2, "HEAD", 1, f"“{written[:16]}…”不是链的最后一条哈希 {last[:16]}…",
                           f"'{written[:16]}…' is not the chain's last hash {last[:16]}…")
    if expected is not None:
        wanted = expected.replace("-", "").replace(" ", "").lower()
        if len(wanted) < 8 or not last.startswith(wanted):
            raise VerifyFailed(2, "HEAD", 1, f"链头 {last[:12]}… 与给定的 {expected} 不符（请核对结果页显示的链头，至少 8 位）",
                               f"the head {last[:12]}… does not match the given {expected} (check the head on the "
                               "results page, at least 8 digits)")
    return last


def _first_line(scores_text: str, judge: str, contestant: str) -> int:
    """The line of scores.csv where a judge's sheet for a contestant begins (for naming it)."""
    import csv
    import io

    from leitai.core.io.arena import COLUMNS, read_header, strip_bom
    from leitai.core.io.cells import csv_code

    reader = csv.reader(io.StringIO(strip_bom(scores_text), newline=""))
    _, at = read_header(reader, COLUMNS)
    for fields in reader:
        if len(fields) == len(at) and (csv_code(fields[at["judge"]].strip()), csv_code(fields[at["contestant"]].strip())) \
                == (judge, contestant):
            return reader.line_num
    return 0


def _check_receipts(arena: int, files: Mapping[str, str | None]):
    try:
        rubric = parse_rubric_json(files["rubric.json"] or "")
    except LeitaiError as e:
        raise VerifyFailed(3, "rubric.json", 0, e.zh, e.en)
    scores_text = files["scores.csv"] or ""
    try:
        sheets = parse_scores_csv(scores_text, rubric)
    except LeitaiError as e:
        raise VerifyFailed(3, "scores.csv", 0, e.zh, e.en)
    try:
        receipts = parse_sheets_csv(files["sheets.csv"] or "")
    except LeitaiError as e:
        raise VerifyFailed(3, "sheets.csv", 0, e.zh, e.en)
    by_pair = {(s.judge, s.contestant): s for s in sheets}
    listed = set()
    for r in receipts:
        sheet = by_pair.get((r.judge, r.contestant))
        if sheet is None:
            raise VerifyFailed(3, "sheets.csv", r.line, f"scores.csv 中没有评委 {r.judge} 对 {r.contestant} 的评分表（评分被删除）",
                               f"scores.csv has no sheet of judge {r.judge} for {r.contestant} (scores removed)")
        if sheet.group != r.group:
            raise VerifyFailed(3, "sheets.csv", r.line, f"评委 {r.judge} 在 scores.csv 中属于评委组 {sheet.group}，此处为 {r.group}",
                               f"judge {r.judge} is in group {sheet.group} in scores.csv but {r.group} here")
        if receipt(arena, r.judge, r.contestant, sheet.scores, r.version, r.secret) != r.receipt:
            raise VerifyFailed(3, "sheets.csv", r.line,
                               f"回执 {show_receipt(r.receipt)} 与评委 {r.judge} 对 {r.contestant} 的评分表不符"
                               "（分数、版本、密钥或回执被改动）",
                               f"receipt {show_receipt(r.receipt)} does not match judge {r.judge}'s sheet for "
                               f"{r.contestant} (a score, the version, the secret or the receipt was changed)")
        listed.add((r.judge, r.contestant))
    for s in sheets:
        if (s.judge, s.contestant) not in listed:
            raise VerifyFailed(3, "scores.csv", _first_line(scores_text, s.judge, s.contestant),
                               f"评委 {s.judge} 对 {s.contestant} 的评分表在 sheets.csv 中没有回执（评分表是加上去的）",
                               f"judge {s.judge}'s sheet for {s.contestant} has no receipt in sheets.csv (it was added)")
    return rubric, sheets, receipts


@dataclass(frozen=True)
class _Counted:
    """How check 4 names what it matches, for score sheets (keyed by judge and contestant) or rankings (by judge):
    the entry kinds, the key of a chain entry and of a sheets.csv row, and the words of its messages."""

    kinds: frozenset
    entry_key: Callable[[ChainLine], Any]
    row_key: Callable[[Any], Any]  # a sheets.csv row
    whose_zh: Callable[[Any], str]  # "评委 J 对 C 的评分表"
    whose_en: Callable[[Any], str]  # "judge J's sheet for C"
    a_en: Callable[[Any], str]  # "a sheet of judge J for C"
    noun_zh: str
    noun_en: str


def _payload_judge(e: ChainLine) -> str:
    return str(e.payload.get("judge", ""))


_SHEETS = _Counted(frozenset(SHEET_KINDS), lambda e: (_payload_judge(e), str(e.payload.get("contestant", ""))),
                   lambda r: (r.judge, r.contestant), lambda k: f"评委 {k[0]} 对 {k[1]} 的评分表",
                   lambda k: f"judge {k[0]}'s sheet for {k[1]}", lambda k: f"a sheet of judge {k[0]} for {k[1]}",
                   "评分表", "sheet")
_RANKINGS = _Counted(frozenset(RANK_SHEET_KINDS), _payload_judge, lambda r: r.judge, lambda k: f"评委 {k} 的排序",
                     lambda k: f"judge {k}'s ranking", lambda k: f"a ranking of judge {k}", "排序", "ranking")


def _check_chain_counted(chain: list[ChainLine], receipts: list[ReceiptRow] | list[RankReceiptRow], what: _Counted) -> ChainLine:
    """Check 4: a publication entry, no sheet (ranking) entry after it, and each sheet's last entry before it is
    the counted one of sheets.csv (same version and receipt), and the other way round."""
    published = next((e for e in chain if e.kind == PUBLISHED), None)
    if published is None:
        raise VerifyFailed(4, "CHAIN.jsonl", 0, "链中没有发布记录（published）", "the chain has no publication entry")
    last: dict = {}
    for entry in chain:
        if entry.kind not in what.kinds:
            continue
        key = what.entry_key(entry)
        if entry.seq > published.seq:
            raise VerifyFailed(4, "CHAIN.jsonl", entry.line, f"发布之后又有{what.whose_zh(key)}记录",
                               f"{what.a_en(key)} after the publication")
        last[key] = entry
    counted = {what.row_key(r) for r in receipts}
    for r in receipts:
        key = what.row_key(r)
        e = last.get(key)
        if e is None:
            raise VerifyFailed(4, "sheets.csv", r.line, f"{what.whose_zh(key)}不在链中（{what.noun_zh}是加上去的）",
                               f"{what.whose_en(key)} is not in the chain (it was added)")
        if e.payload.get("version") != r.version or e.payload.get("receipt") != r.receipt:
            raise VerifyFailed(4, "sheets.csv", r.line,
                               f"链中该{what.noun_zh}最后一版为第 {e.payload.get('version')} 版、回执 "
                               f"{show_receipt(str(e.payload.get('receipt')))}（CHAIN.jsonl 第 {e.line} 行），"
                               f"此处为第 {r.version} 版、回执 {show_receipt(r.receipt)}",
                               f"the chain's last version of this {what.noun_en} is {e.payload.get('version')}, receipt "
                               f"{show_receipt(str(e.payload.get('receipt')))} (CHAIN.jsonl line {e.line}); here "
                               f"version {r.version}, receipt {show_receipt(r.receipt)}")
    for key, kept in last.items():
        if key not in counted:
            raise VerifyFailed(4, "CHAIN.jsonl", kept.line,
                               f"{what.whose_zh(key)}（第 {kept.payload.get('version')} 版）不在 sheets.csv 中"
                               f"（{what.noun_zh}被删除）",
                               f"{what.whose_en(key)} (version {kept.payload.get('version')}) is not in sheets.csv "
                               "(it was removed)")
    return published


def _check_result(files: Mapping[str, str | None], rubric, sheets, published: ChainLine) -> None:
    result_text = files["result.csv"] or ""
    links = None
    if rubric.calibration and files.get("links.csv"):
        try:
            links = parse_links_csv(files["links.csv"] or "")
        except LeitaiError as e:
            raise VerifyFailed(5, "links.csv", 0, e.zh, e.en) from e
    recomputed = format_tally_csv(tally(sheets, rubric, links=links), rubric)
    _same(recomputed, result_text, "result.csv", "评分表", "sheets")
    _digests(files, published, (("rubric.json", "rubric_sha256"), ("result.csv", "result_sha256")))


def _same(recomputed: str, text: str, name: str, what_zh: str, what_en: str) -> None:
    """Check 5's comparison: the recomputed file equals the published one, else its first differing line."""
    if recomputed != text:
        ours, theirs = recomputed.split("\n"), text.split("\n")
        n = next((i for i, (a, b) in enumerate(zip(ours, theirs, strict=False)) if a != b), min(len(ours), len(theirs)))
        want = ours[n] if n < len(ours) else "（文件结束）"
        raise VerifyFailed(5, name, n + 1, f"复算结果为“{want}”，文件中不同（发布的结果与{what_zh}不符）",
                           f"the tally gives '{want if n < len(ours) else '(end of file)'}', the file differs "
                           f"(the published result does not match the {what_en})")


def _digests(files: Mapping[str, str | None], published: ChainLine, named_by: tuple[tuple[str, str], ...]) -> None:
    """The published files are those the publication entry names by their SHA-256."""
    for name, key in named_by:
        named = published.payload.get(key)
        if named != digest((files[name] or "").encode("utf-8")):
            raise VerifyFailed(5, name, 0, f"SHA-256 与链中发布记录（CHAIN.jsonl 第 {published.line} 行）所记的不同",
                               f"its SHA-256 differs from the publication entry's (CHAIN.jsonl line {published.line})")


def _verify_ranking(files: Mapping[str, str | None], head: str | None) -> Verified:
    """verify_bundle for a ranking arena's bundle: checks 1 and 2 as for scores, 3 to 5 on the rankings."""
    for name in RANK_FILES:
        if files.get(name) is None:
            step = 1 if name == "CHAIN.jsonl" else 2 if name == "HEAD" else 5 if name in ("result.csv", "detail.csv") \
                else 3
            raise VerifyFailed(step, name, 0, "文件不存在（结果发布后导出的数据包才包含它；排序回执启用之前发布的场次没有"
                               "哈希链和回执，README.txt 会说明，其结果只能用 leitai points tally 复算）",
                               "missing (a bundle exported after publication has it; an arena published before "
                               "rankings had receipts has no chain or receipts, as its README.txt says: recompute "
                               "its result with leitai points tally)")
    chain = _check_chain(files["CHAIN.jsonl"] or "")
    last = _check_head(chain, files["HEAD"] or "", head)
    rules, entries, receipts = _check_rank_receipts(chain[0].arena, files)
    published = _check_chain_counted(chain, receipts, _RANKINGS)
    try:
        result = points_tally(entries, rules)
    except LeitaiError as problem:
        raise VerifyFailed(5, "ranks.csv", 0, problem.zh, problem.en) from problem
    _same(format_out_csv(result), files["result.csv"] or "", "result.csv", "排序", "rankings")
    _same(format_detail_csv(result, rules), files["detail.csv"] or "", "detail.csv", "排序", "rankings")
    _digests(files, published, (("rules.json", "rules_sha256"), ("result.csv", "result_sha256"),
                                ("detail.csv", "detail_sha256")))
    return Verified(chain[0].arena, len(chain), last, len(receipts), len({e.contestant for e in entries}), True)


def _check_rank_receipts(arena: int, files: Mapping[str, str | None]):
    """Check 3 for rankings: each sheets.csv line's receipt recomputes from that judge's rows of ranks.csv, and
    every judge of ranks.csv has a line."""
    try:
        rules = parse_rules_json(files["rules.json"] or "")
    except LeitaiError as problem:
        raise VerifyFailed(3, "rules.json", 0, problem.zh, problem.en) from problem
    try:
        entries = parse_ranks_csv(files["ranks.csv"] or "", rules)
    except LeitaiError as problem:
        raise VerifyFailed(3, "ranks.csv", 0, problem.zh, problem.en) from problem
    try:
        receipts = parse_rank_sheets_csv(files["sheets.csv"] or "")
    except LeitaiError as problem:
        raise VerifyFailed(3, "sheets.csv", 0, problem.zh, problem.en) from problem
    rankings: dict[str, dict[str, int]] = {}
    first: dict[str, RankEntry] = {}
    for e in entries:
        ranking = rankings.setdefault(e.judge, {})
        if e.contestant in ranking:
            raise VerifyFailed(3, "ranks.csv", e.line, f"评委 {e.judge} 对 {e.contestant} 的名次重复出现",
                               f"judge {e.judge} ranks {e.contestant} twice")
        ranking[e.contestant] = e.rank
        first.setdefault(e.judge, e)
    listed = set()
    for r in receipts:
        ranked = rankings.get(r.judge)
        if ranked is None:
            raise VerifyFailed(3, "sheets.csv", r.line, f"ranks.csv 中没有评委 {r.judge} 的排序（排序被删除）",
                               f"ranks.csv has no ranking of judge {r.judge} (the ranking was removed)")
        if first[r.judge].group != r.group:
            raise VerifyFailed(3, "sheets.csv", r.line,
                               f"评委 {r.judge} 在 ranks.csv 中属于评委组 {first[r.judge].group}，此处为 {r.group}",
                               f"judge {r.judge} is in group {first[r.judge].group} in ranks.csv but {r.group} here")
        if rank_receipt(arena, r.judge, ranked, r.version, r.secret) != r.receipt:
            raise VerifyFailed(3, "sheets.csv", r.line,
                               f"回执 {show_receipt(r.receipt)} 与评委 {r.judge} 的排序不符（名次、版本、密钥或回执被改动）",
                               f"receipt {show_receipt(r.receipt)} does not match judge {r.judge}'s ranking (a rank, "
                               "the version, the secret or the receipt was changed)")
        listed.add(r.judge)
    for judge, row in first.items():
        if judge not in listed:
            raise VerifyFailed(3, "ranks.csv", row.line, f"评委 {judge or '（空）'} 的排序在 sheets.csv 中没有回执（排序是加上去的）",
                               f"judge {judge or '(empty)'}'s ranking has no receipt in sheets.csv (it was added)")
    return rules, entries, receipts


__all__ = ["FILES", "OPTIONAL", "RANK_FILES", "VerifyFailed", "Verified", "is_ranking", "verify_bundle"]
