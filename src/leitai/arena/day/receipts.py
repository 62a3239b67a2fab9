"""Receipts (回执) for sheet revisions and their chain entries: every stored revision — a phone submission or
change, a paper entry or confirmation — gets a fresh 128-bit secret and its receipt (core.judging.receipts)
before it is inserted, and a "sheet" entry in the arena's hash chain in the same transaction. Never changed.
A ranking's revision (排序测评) gets the same: its receipt over the whole ranking and a "rank_sheet" entry."""

from __future__ import annotations

from collections.abc import Iterable

from leitai.arena.base import chain
from leitai.core.judging.receipts import new_secret, rank_receipt, receipt


def stamp(revision, arena_id: int, judge_code: str, unit_code: str) -> None:
    """Give an unsaved revision its secret and receipt."""
    revision.secret = new_secret()
    revision.receipt = receipt(arena_id, judge_code, unit_code, revision.scores, revision.version, revision.secret)


def sheet_payload(judge_code: str, unit_code: str, revision, source: str) -> dict:
    """What the chain says of a revision: who, for whom, which version, how, and the receipt (never the
    secret or the scores, which the receipt binds and the bundle publishes)."""
    return {"judge": judge_code, "contestant": unit_code, "version": revision.version, "action": revision.action,
            "source": source, "receipt": revision.receipt}


def chain_sheets(arena_id: int, items: Iterable[tuple[str, str, object, str]], at=None) -> None:
    """Append one "sheet" entry per (judge code, unit code, revision, source); the caller holds the arena lock."""
    chain.append(arena_id, [("sheet", sheet_payload(j, u, r, s)) for j, u, r, s in items], at=at)


def stamp_ranking(revision, arena_id: int, judge_code: str) -> None:
    """Give an unsaved ranking revision its secret and receipt (its ranks: unit code → rank)."""
    revision.secret = new_secret()
    revision.receipt = rank_receipt(arena_id, judge_code, revision.ranks, revision.version, revision.secret)


def ranking_payload(judge_code: str, revision) -> dict:
    """What the chain says of a ranking's revision: whose, which version, and the receipt (never the secret
    or the ranks, which the receipt binds and the bundle publishes)."""
    return {"judge": judge_code, "version": revision.version, "action": "submit" if revision.version == 1 else "change",
            "source": "phone", "receipt": revision.receipt}


def chain_ranking(arena_id: int, judge_code: str, revision, at=None) -> None:
    """Append the "rank_sheet" entry of a stored ranking revision; the caller holds the arena lock."""
    chain.append(arena_id, [("rank_sheet", ranking_payload(judge_code, revision))], at=at)


__all__ = ["chain_ranking", "chain_sheets", "ranking_payload", "sheet_payload", "stamp", "stamp_ranking"]
