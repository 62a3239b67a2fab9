"""Writing entries, sealing them into the hash chain, and verifying the chain."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from .context import current
from .models import Entry, Pending, Seal

GENESIS = "0" * 64
# Any constant: the key of PostgreSQL's transaction-scoped advisory lock that serialises sealing.
_LOCK_KEY = 0x1E17A1


def canonical(value) -> str:
    """The one JSON text of a value: sorted keys, no spaces, UTF-8 characters as they are."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def seal_hash(seq: int, entry_id: int, data: str, prev_hash: str) -> str:
    """sha256 over the canonical JSON of the entry (its number, its content) and the previous hash."""
    text = canonical({"seq": seq, "entry": entry_id, "data": data, "prev": prev_hash})
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record(action: str, model: str, object_pk, *, old=None, new=None, note: str = "") -> Entry:
    """Append one entry inside the caller's transaction: sealed in it on SQLite, right after it commits on
    PostgreSQL (where holding the chain's lock until then would make unrelated writers wait, or deadlock)."""
    actor = current()
    at = timezone.now()
    object_pk = "" if object_pk is None else str(object_pk)
    data = canonical({"at": at.isoformat(), "actor_id": actor.user_id, "actor": actor.name, "via": actor.via,
                      "action": action, "model": model, "pk": object_pk, "old": old, "new": new, "note": note})
    fields = dict(at=at, actor_id=actor.user_id, actor=actor.name[:150], via=actor.via[:300], action=action,
                  model=model, object_pk=object_pk[:64], data=data)
    if connection.vendor == "sqlite":
        # SQLite's writers take turns (IMMEDIATE transactions hold the write lock from their start), so the
        # entry is sealed at once, in the same transaction: nothing is left to seal after the commit.
        with transaction.atomic():
            entry = Entry.objects.create(**fields)
            _chain([(entry.id, data)])
        return entry
    entry = Entry.objects.create(**fields)
    Pending.objects.create(entry=entry)
    _seal_after_commit()
    return entry


def _seal_after_commit() -> None:
    """One sealing per transaction, after it commits (in autocommit mode: at once)."""
    conn = transaction.get_connection()
    if conn.in_atomic_block and any(getattr(entry[1], "leitai_audit_seal", False) for entry in conn.run_on_commit):
        return

    def run() -> None:
        seal()

    run.leitai_audit_seal = True
    transaction.on_commit(run, robust=True)


def _lock() -> None:
    # SQLite: Leitai's transactions are IMMEDIATE, so writers already run one at a time.
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def _chain(pending: list[tuple[int, str]]) -> None:
    """Seal (entry id, data) pairs after the last seal; the caller holds the chain's lock."""
    seq, prev = Seal.objects.order_by("-seq").values_list("seq", "hash").first() or (0, GENESIS)
    seals = []
    for entry_id, data in pending:
        seq += 1
        digest = seal_hash(seq, entry_id, data, prev)
        seals.append(Seal(seq=seq, entry_id=entry_id, prev_hash=prev, hash=digest))
        prev = digest
    Seal.objects.bulk_create(seals)


def seal(limit: int = 5000) -> int:
    """Chain every committed entry that has no seal yet (the Pending list), in id order; returns how many."""
    total = 0
    while True:
        with transaction.atomic():
            _lock()
            ids = list(Pending.objects.order_by("entry_id").values_list("entry_id", flat=True)[:limit])
            if not ids:
                return total
            data = dict(Entry.objects.filter(id__in=ids).values_list("id", "data"))
            _chain([(i, data[i]) for i in ids])
            Pending.objects.filter(entry_id__in=ids).delete()
        total += len(ids)


@dataclass(frozen=True)
class Verdict:
    """The result of `verify`: intact, or the first broken entry and what is wrong with it."""

    entries: int
    head: str
    broken_entry: int | None = None
    zh: str = ""
    en: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_entry is None


def _columns_problem(row, content: dict) -> str | None:
    """Which lookup column no longer says what the sealed content says."""
    _seq, _entry, _prev, _hash, _data, at, actor_id, action, model, object_pk = row
    try:
        sealed_at = dt.datetime.fromisoformat(content["at"])
    except (KeyError, TypeError, ValueError):
        return "at"
    checks = {"at": at == sealed_at, "actor_id": actor_id == content.get("actor_id"),
              "action": action == content.get("action"), "model": model == content.get("model"),
              "object_pk": object_pk == str(content.get("pk"))[:64]}
    return next((name for name, ok in checks.items() if not ok), None)


def verify() -> Verdict:
    """Seal what is pending, then walk the chain from the first seal: the first entry whose content, order or
    predecessor does not match its seal is named. Entries nobody sealed (none, after the sealing) are reported."""
    seal()
    prev, expected, count = GENESIS, 1, 0
    rows = (Seal.objects.order_by("seq")
            .values_list("seq", "entry_id", "prev_hash", "hash", "entry__data", "entry__at", "entry__actor_id",
                         "entry__action", "entry__model", "entry__object_pk").iterator(chunk_size=2000))
    for row in rows:
        seq, entry_id, prev_hash, digest, data = row[:5]
        if data is None:
            return Verdict(count, prev, entry_id, f"条目 {entry_id} 已被删除（链上第 {seq} 条）",
                           f"entry {entry_id} was deleted (link {seq} of the chain)")
        if seq != expected:
            return Verdict(count, prev, entry_id, f"条目 {entry_id} 之前缺少第 {expected}–{seq - 1} 条",
                           f"links {expected}–{seq - 1} before entry {entry_id} are missing")
        if prev_hash != prev:
            return Verdict(count, prev, entry_id, f"条目 {entry_id} 记录的前一条哈希与链不符（前一条被改动或删除）",
                           f"entry {entry_id}: the previous hash it carries does not match the chain "
                           "(the entry before it was changed or removed)")
        if seal_hash(seq, entry_id, data, prev_hash) != digest:
            return Verdict(count, prev, entry_id, f"条目 {entry_id} 的内容与其哈希不符（内容被改动）",
                           f"entry {entry_id}: its content does not match its hash (the content was changed)")
        try:
            column = _columns_problem(row, json.loads(data))
        except ValueError:
            column = "data"
        if column:
            return Verdict(count, prev, entry_id, f"条目 {entry_id} 的 {column} 列与已封存的内容不符",
                           f"entry {entry_id}: column {column} does not match the sealed content")
        prev, expected, count = digest, expected + 1, count + 1
    orphan = Entry.objects.filter(seal__isnull=True).order_by("id").values_list("id", flat=True).first()
    if orphan is not None:
        return Verdict(count, prev, orphan, f"条目 {orphan} 没有封存", f"entry {orphan} is not sealed")
    return Verdict(count, prev)
