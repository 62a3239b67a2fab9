"""The arena's hash chain (ArenaChainEntry; the rule in core.judging.receipts): appended in the transaction of
what it records, so a rolled-back step leaves no entry and an entry never lacks its step.

Serialised per arena by the arena row lock (SELECT … FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions
run writers one at a time): the caller holds it. The head is read from the last entry through the
(arena, seq) unique index — one index probe, no scan — rather than cached on the arena row, which the admin
and other services also save."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from leitai.arena.base.models import ArenaChainEntry
from leitai.core.judging.receipts import GENESIS, chain_entry, chain_hash

# Logged steps that are not part of the arena's record: what the big screen shows and the question queue
# (the questions themselves are records, "question"), and link issues (their payload holds a token's last
# characters, which a public file should not).
NOT_CHAINED = frozenset({"screen", "slides", "hand", "hand_withdrawn", "hand_dropped", "floor", "floor_end",
                         "token_issued"})


def head(arena_id: int) -> tuple[int, str]:
    """(seq, hash) of the last entry, (0, 64 zeros) before the first."""
    found = (ArenaChainEntry.objects.filter(arena_id=arena_id).order_by("-seq").values_list("seq", "hash").first())
    return found or (0, GENESIS)


def append(arena_id: int, entries: Iterable[tuple[str, dict]], at=None) -> list[ArenaChainEntry]:
    """Append (kind, payload) entries after the head; the caller holds the arena row lock inside its
    transaction. One read of the head and one insert, whatever the number of entries."""
    entries = list(entries)
    if not entries:
        return []
    seq, prev = head(arena_id)
    stamp = (at or timezone.now()).isoformat()
    rows = []
    for kind, payload in entries:
        seq += 1
        data = chain_entry(arena_id, seq, kind, stamp, payload)
        digest = chain_hash(prev, data)
        rows.append(ArenaChainEntry(arena_id=arena_id, seq=seq, kind=kind, data=data, prev_hash=prev, hash=digest))
        prev = digest
    return ArenaChainEntry.objects.bulk_create(rows)


def chained(kind: str) -> bool:
    return kind not in NOT_CHAINED


__all__ = ["NOT_CHAINED", "append", "chained", "head"]
