"""Reads of the receipts and the hash chain after the day: the counted sheets' receipts and the chain as the
bundle publishes them (sheets.csv, CHAIN.jsonl, HEAD), the head shown on the results page, and the public
lookup of a receipt (核对回执), which answers only for published arenas. A ranking arena's (排序测评) receipts
are its judges' rankings', one per revision, read the same way."""

from __future__ import annotations

import json

from django.db.models import F

from leitai.arena.base import chain
from leitai.arena.base.models import Arena, ArenaChainEntry
from leitai.arena.day.models import RankSheetRevision, ScoreSheet, ScoreSheetRevision
from leitai.arena.day.selectors import final_sheets
from leitai.arena.setup.selectors import rubric_of
from leitai.core.io.receipts import ChainLine, RankReceiptRow, ReceiptRow
from leitai.core.judging.receipts import GENESIS, short_head, show_receipt
from leitai.core.judging.tally import judge_total, tally


def counted_receipts(arena: Arena) -> list[ReceiptRow]:
    """The counted sheets (phone sheets and confirmed paper sheets) at their current version, with the receipt
    and secret of that version, in the order of scores.csv (day.selectors.final_sheets)."""
    rows = (ScoreSheetRevision.objects
            .filter(sheet__arena=arena, sheet__status=ScoreSheet.Status.FINAL, version=F("sheet__version"))
            .order_by("sheet__contestant__order", "sheet__contestant_id", "sheet__judge__group__sort_order",
                      "sheet__judge__sort_order", "sheet__judge_id", "-id")
            .values_list("sheet_id", "sheet__judge__anon_code", "sheet__judge__group__code",
                         "sheet__contestant__unit__code", "version", "receipt", "secret"))
    out, seen = [], set()
    for sheet_id, judge, group, unit, version, code, secret in rows:
        if sheet_id not in seen:
            seen.add(sheet_id)
            out.append(ReceiptRow(judge, group, unit, version, code, secret))
    return out


def counted_rank_receipts(arena: Arena) -> list[RankReceiptRow] | None:
    """The counted rankings (every judge's ranking at its current version) with that version's receipt and
    secret, in the order of ranks.csv (day.selectors.entries); None when one has no receipt (stored before
    rankings had receipts), so the export says the arena cannot be verified rather than publish a gap."""
    rows = (RankSheetRevision.objects
            .filter(sheet__arena=arena, version=F("sheet__version"))
            .order_by("sheet__judge__group__sort_order", "sheet__judge__sort_order", "sheet__judge_id", "-id")
            .values_list("sheet_id", "sheet__judge__anon_code", "sheet__judge__group__code", "version", "receipt",
                         "secret"))
    out, seen = [], set()
    for sheet_id, judge, group, version, code, secret in rows:
        if sheet_id not in seen:
            if not code:
                return None
            seen.add(sheet_id)
            out.append(RankReceiptRow(judge, group, version, code, secret))
    return out


def chain_lines(arena: Arena) -> list[ChainLine]:
    """Every chain entry of the arena, in order, as CHAIN.jsonl writes them."""
    out = []
    for seq, data, prev, digest in (ArenaChainEntry.objects.filter(arena=arena).order_by("seq")
                                    .values_list("seq", "data", "prev_hash", "hash").iterator(chunk_size=2000)):
        entry = json.loads(data)
        out.append(ChainLine(entry["arena"], seq, entry["kind"], entry["at"], entry["payload"], prev, digest))
    return out


def chain_head(arena: Arena) -> dict:
    """The head for the results page: the full hash, its short form and the number of entries; none for a
    ranking arena whose rankings were stored before they had receipts (its bundle has no chain to check)."""
    if arena.scoring_mode == "rank" and counted_rank_receipts(arena) is None:
        return {"entries": 0, "hash": "", "short": ""}
    seq, digest = chain.head(arena.pk)
    return {"entries": seq, "hash": "" if digest == GENESIS else digest,
            "short": "" if digest == GENESIS else short_head(digest)}


def _status(arena: Arena, sheet: ScoreSheet) -> dict:
    """How the tally used a counted sheet: counted, or dropped as one of its group's highest or lowest."""
    judge, group = sheet.judge.anon_code, sheet.judge.group.code
    result = tally(final_sheets(arena, [sheet.contestant]), rubric_of(arena))
    row = result[sheet.contestant.unit.code]
    g = row.groups.get(group)
    if judge not in row.totals:
        return {"code": "incomplete"}
    if g is not None and judge in g.dropped_high:
        return {"code": "dropped_high"}
    if g is not None and judge in g.dropped_low:
        return {"code": "dropped_low"}
    return {"code": "counted"}


def lookup(code: str, arena: Arena | None = None) -> list[dict]:
    """The sheets (and rankings, their "ranking" key set) a receipt names in published arenas (one, barring a 1-in-10^15 coincidence), as counted: the
    arena, contestant, the judge's anonymous code and group, the scores of that revision, whether it is the
    counted version (else which version replaced it) and how the tally used it. [] when none."""
    found = (ScoreSheetRevision.objects.filter(receipt=code, sheet__arena__status=Arena.Status.PUBLISHED)
             .select_related("sheet__arena", "sheet__judge__group", "sheet__contestant__unit"))
    if arena is not None:
        found = found.filter(sheet__arena=arena)
    out = _rank_lookup(code, arena)
    for r in found.order_by("sheet__arena_id", "id"):
        sheet, a = r.sheet, r.sheet.arena
        criteria = list(a.criteria.all())
        counted = r.version == sheet.version and sheet.status == ScoreSheet.Status.FINAL
        out.append({
            "arena": a, "contestant": sheet.contestant, "judge": sheet.judge.anon_code, "group": sheet.judge.group,
            "version": r.version, "action": r.action, "at": r.at, "receipt": show_receipt(r.receipt),
            "secret": r.secret if counted else "",
            "scores": [{"criterion": c, "value": r.scores.get(c.code)} for c in criteria],
            "total": judge_total(r.scores, rubric_of(a)) if all(c.code in r.scores for c in criteria) else None,
            "counted": counted, "current_version": sheet.version,
            "status": _status(a, sheet) if counted else {"code": "superseded"},
        })
    return out


def _rank_lookup(code: str, arena: Arena | None) -> list[dict]:
    """lookup's rankings: the ranking of that revision (contestants in order of presentation), whether it is
    the counted version (else which replaced it). Every judge's current ranking counts in full."""
    found = (RankSheetRevision.objects.filter(receipt=code, sheet__arena__status=Arena.Status.PUBLISHED)
             .select_related("sheet__arena", "sheet__judge__group"))
    if arena is not None:
        found = found.filter(sheet__arena=arena)
    out = []
    for r in found.order_by("sheet__arena_id", "id"):
        sheet, a = r.sheet, r.sheet.arena
        counted = r.version == sheet.version
        contestants = a.contestants.select_related("unit").order_by("order", "id")
        out.append({
            "ranking": True, "arena": a, "contestant": None, "judge": sheet.judge.anon_code,
            "group": sheet.judge.group, "version": r.version, "action": "submit" if r.version == 1 else "change",
            "at": r.at, "receipt": show_receipt(r.receipt), "secret": r.secret if counted else "",
            "ranks": sorted(({"contestant": c, "rank": r.ranks.get(c.unit.code)} for c in contestants),
                            key=lambda x: (x["rank"] is None, x["rank"] or 0)),
            "counted": counted, "current_version": sheet.version,
            "status": {"code": "counted"} if counted else {"code": "superseded"},
        })
    return out


__all__ = ["chain_head", "chain_lines", "counted_rank_receipts", "counted_receipts", "lookup"]
