"""Judges' sheets from phones, one or many per transaction: idempotent, and durable before the answer.

`submit_sheet` (one sheet: the pages and the API) and `submit_batch` (many: the lean submission endpoint's
writer, leitai.arena.lean) run the same code. A batch reads what it needs in a handful of queries whatever
its size (judges by token or id, contestants, existing sheets, client keys already seen, recusal data),
decides every request in memory in order, writes with bulk inserts and commits once: 300 judges tapping
"submit" together cost a few transactions instead of 300 (bench/bench_arena.py). One request's refusal
never affects another's; an integrity race with another process retries the whole batch, which then finds
the winner's rows.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from leitai import audit
from leitai.arena.base.answers import error_body, refusal
from leitai.arena.base.events import JudgeRefused, announce_counts
from leitai.arena.base.models import Arena
from leitai.arena.day import receipts
from leitai.arena.day.models import ScoreSheet, ScoreSheetRevision
from leitai.arena.day.scoring import check_open, clean_scores
from leitai.arena.setup.models import Contestant, Judge
from leitai.arena.setup.selectors import recused, rubric_of, unit_parents
from leitai.core.errors import LeitaiError
from leitai.core.judging.receipts import show_receipt
from leitai.core.tokens import hash_token

MAX_BATCH = 200


class UnknownLink(JudgeRefused):
    """The token matches no judge, or was replaced or revoked. The API answers 403."""


class UnknownContestant(LeitaiError):
    """No contestant with this id. The API answers 404."""


@dataclass(frozen=True)
class SheetRequest:
    """One submission: the judge by the token of their link (phones) or by id (a judge already looked up)."""

    contestant_id: int
    scores: object
    client_key: str = ""
    token: str | None = None
    judge_id: int | None = None


@dataclass(frozen=True)
class SubmitOutcome:
    """What a submission did: the stored sheet, whether the client_key had been seen (nothing written), and
    the sheet's version this key stored (a later change in the same batch moves the sheet on)."""

    sheet: ScoreSheet
    duplicate: bool
    version: int = 0
    receipt: str = ""  # the stored revision's receipt code (day/receipts.py), without dashes


def submit_sheet(judge, contestant, scores: dict, client_key: str) -> SubmitOutcome:
    """Store a judge's sheet from the phone (create, or change while scoring is open); durable on return.

    A client_key already stored for this judge and contestant returns that sheet with duplicate=True and
    writes nothing, so a double tap or a retry after a dropped connection never counts twice. An empty
    key gets a fresh one (no retry protection). Raises the refusal (LeitaiError) when it is refused."""
    [outcome] = submit_batch([SheetRequest(contestant.pk, scores, client_key, judge_id=judge.pk)])
    if isinstance(outcome, LeitaiError):
        raise outcome
    return outcome


def submit_batch(requests: list[SheetRequest]) -> list[SubmitOutcome | LeitaiError]:
    """Decide and store many submissions in one transaction; one outcome or refusal per request, in order."""
    requests = [r if r.client_key and str(r.client_key).strip() else
                SheetRequest(r.contestant_id, r.scores, uuid.uuid4().hex, r.token, r.judge_id) for r in requests]
    for attempt in range(3):
        try:
            with transaction.atomic():
                outcomes = _decide_and_write(requests)
                for arena_id in sorted({o.sheet.arena_id for o in outcomes
                                        if isinstance(o, SubmitOutcome) and not o.duplicate}):
                    announce_counts(arena_id)
                return outcomes
        except IntegrityError:
            # Two requests with the same key raced past the lookup in two processes; the loser's batch
            # runs again and finds the winner's rows.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _lock(model, ids, mode: str) -> None:
    """PostgreSQL row locks in id order (no deadlock between batches). SQLite transactions are IMMEDIATE:
    writers run one at a time, so plain reads are already current there."""
    if connection.vendor != "postgresql" or not ids:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cur:
        cur.execute(f"SELECT id FROM {table} WHERE id IN ({marks}) ORDER BY id FOR {mode}", sorted(ids))


def _lock_arenas(contestant_ids: set[int]) -> None:
    """PostgreSQL: the contestants' arenas FOR UPDATE, in id order, in one statement (SQLite: see _lock)."""
    if connection.vendor != "postgresql" or not contestant_ids:
        return
    arenas = connection.ops.quote_name(Arena._meta.db_table)
    contestants = connection.ops.quote_name(Contestant._meta.db_table)
    marks = ", ".join(["%s"] * len(contestant_ids))
    with connection.cursor() as cur:
        cur.execute(f"SELECT id FROM {arenas} WHERE id IN (SELECT arena_id FROM {contestants} WHERE id IN ({marks})) "
                    "ORDER BY id FOR UPDATE", sorted(contestant_ids))


def _decide_and_write(requests: list[SheetRequest]) -> list[SubmitOutcome | LeitaiError]:
    # The arenas FOR UPDATE first (their hash chains append in turn; the lock order arena → contestant →
    # judge of base.events.lock_arena), then contestants FOR SHARE (closing scoring takes FOR UPDATE, so it
    # cannot slip between our check and our commit), then judges FOR UPDATE (one judge's double taps in two
    # processes take turns).
    contestant_ids = {r.contestant_id for r in requests if isinstance(r.contestant_id, int)}
    _lock_arenas(contestant_ids)
    _lock(Contestant, contestant_ids, "SHARE")
    contestants = {c.pk: c for c in Contestant.objects.select_related("arena", "unit").filter(pk__in=contestant_ids)}
    hashes = {r.token: hash_token(r.token) for r in requests
              if r.judge_id is None and isinstance(r.token, str) and 0 < len(r.token) <= 100}
    by_hash = {j.token_hash: j for j in Judge.objects.filter(token_hash__in=set(hashes.values()))}
    by_id = {j.pk: j for j in Judge.objects.filter(pk__in={r.judge_id for r in requests if r.judge_id is not None})}
    judges = {**{j.pk: j for j in by_hash.values()}, **by_id}
    _lock(Judge, set(judges), "UPDATE")
    listed: dict[int, set[int]] = {}
    for judge_id, unit_id in Judge.recused_units.through.objects.filter(judge_id__in=judges).values_list(
            "judge_id", "unit_id"):
        listed.setdefault(judge_id, set()).add(unit_id)
    parents = unit_parents() if judges else {}
    sheets = {(s.judge_id, s.contestant_id): s for s in
              ScoreSheet.objects.filter(judge_id__in=judges, contestant_id__in=contestant_ids)}
    seen = {(rev.sheet.judge_id, rev.sheet.contestant_id, rev.client_key): (rev.sheet, rev.version, rev.receipt) for rev in
            ScoreSheetRevision.objects.select_related("sheet").filter(
                sheet__judge_id__in=judges, sheet__contestant_id__in=contestant_ids,
                client_key__in={str(r.client_key).strip()[:64] for r in requests})}
    rubrics: dict[int, object] = {}
    now = timezone.now()
    new_sheets: dict[tuple[int, int], ScoreSheet] = {}
    changed: dict[int, ScoreSheet] = {}
    revisions: list[tuple[ScoreSheet, ScoreSheetRevision]] = []
    # (judge's anonymous code, unit code) of each revision, from the objects read above: no query per sheet.
    codes: list[tuple[str, str]] = []
    outcomes: list[SubmitOutcome | LeitaiError] = []
    for r in requests:
        judge = judges.get(r.judge_id) if r.judge_id is not None else by_hash.get(hashes.get(r.token))
        contestant = contestants.get(r.contestant_id)
        key = str(r.client_key).strip()[:64]
        try:
            if judge is None:
                raise UnknownLink("评分链接无效或已失效，请联系工作人员", "This link is not valid (any more): ask the staff")
            if contestant is None:
                raise UnknownContestant(f"参赛单位 {r.contestant_id} 不存在", f"Contestant {r.contestant_id} does not exist")
            _check_phone_judge(judge, contestant, listed.get(judge.pk, set()), parents)
            pair = (judge.pk, contestant.pk)
            if (*pair, key) in seen:
                stored, version, code = seen[(*pair, key)]
                outcomes.append(SubmitOutcome(stored, True, version, code))
                continue
            check_open(contestant)
            if contestant.arena_id not in rubrics:
                rubrics[contestant.arena_id] = rubric_of(contestant.arena)
            clean, total = clean_scores(r.scores, rubrics[contestant.arena_id])
        except LeitaiError as e:
            outcomes.append(e)
            continue
        sheet = sheets.get(pair)
        if sheet is None:
            sheet = sheets[pair] = new_sheets[pair] = ScoreSheet(
                arena_id=contestant.arena_id, judge=judge, contestant=contestant, scores=clean, total=total,
                source="phone", version=1, submitted_at=now, updated_at=now)
            action = "submit"
        else:
            sheet.scores, sheet.total, sheet.version, sheet.updated_at = clean, total, sheet.version + 1, now
            if pair not in new_sheets:
                changed[sheet.pk] = sheet
            action = "change"
        revision = ScoreSheetRevision(version=sheet.version, scores=clean, client_key=key, action=action, at=now)
        receipts.stamp(revision, contestant.arena_id, judge.anon_code, contestant.unit.code)
        revisions.append((sheet, revision))
        codes.append((judge.anon_code, contestant.unit.code))
        seen[(*pair, key)] = (sheet, sheet.version, revision.receipt)
        outcomes.append(SubmitOutcome(sheet, False, sheet.version, revision.receipt))
    _write(list(new_sheets.values()), list(changed.values()), revisions, codes)
    return outcomes


def _check_phone_judge(judge: Judge, contestant: Contestant, listed: set[int], parents) -> None:
    """The phone checks of scoring._check_paper_judge's kind, on values read once per batch."""
    if judge.arena_id != contestant.arena_id:
        raise JudgeRefused("此评委不属于本场擂台赛", "This judge belongs to another arena")
    if judge.token_hash is None or judge.token_revoked_at is not None:
        raise JudgeRefused("评分链接已失效，请联系工作人员", "This link has been revoked: ask the staff")
    if judge.paper:
        raise JudgeRefused("您使用纸质评分，请将评分表交给工作人员", "You score on paper: hand your sheet to the staff")
    if recused(judge.unit_id, listed, contestant.unit_id, parents):
        raise JudgeRefused(f"您与{contestant.unit.name}有关联，需回避，不能为其打分",
                           f"You are tied to {contestant.unit.name} and must not score it")


def _write(new: list[ScoreSheet], changed: list[ScoreSheet],
           revisions: list[tuple[ScoreSheet, ScoreSheetRevision]], codes: list[tuple[str, str]]) -> None:
    if new:
        created = ScoreSheet.objects.bulk_create(new)
        if any(s.pk is None for s in created):  # a backend that cannot return ids from a bulk insert
            found = {(s.judge_id, s.contestant_id): s.pk for s in ScoreSheet.objects.filter(
                judge_id__in={s.judge_id for s in new}, contestant_id__in={s.contestant_id for s in new})}
            for s in new:
                s.pk = found[(s.judge_id, s.contestant_id)]
    if changed:
        ScoreSheet.objects.bulk_update(changed, ["scores", "total", "version", "updated_at"])
    rows = []
    for sheet, revision in revisions:
        revision.sheet_id = sheet.pk
        rows.append(revision)
    if rows:
        ScoreSheetRevision.objects.bulk_create(rows)
        # The arena's hash chain: one "sheet" entry per revision, in the order stored (one insert per arena).
        by_arena: dict[int, list] = {}
        for (sheet, r), (judge_code, unit_code) in zip(revisions, codes, strict=True):
            by_arena.setdefault(sheet.arena_id, []).append((judge_code, unit_code, r, "phone"))
        for arena_id in sorted(by_arena):
            receipts.chain_sheets(arena_id, by_arena[arena_id], at=revisions[0][1].at)
        # One audit entry for the batch, listing every sheet version it stored (not one entry per sheet:
        # this is the day's hot path, bench/bench_arena.py).
        audit.record_batch(ScoreSheet, "submit", [
            {"sheet": sheet.pk, "judge": sheet.judge_id, "contestant": sheet.contestant_id, "version": r.version,
             "action": r.action, "scores": r.scores, "key": r.client_key} for sheet, r in revisions],
            note="judges' phones")


__all__ = ["MAX_BATCH", "SheetRequest", "SubmitOutcome", "UnknownContestant", "UnknownLink", "submit_batch",
           "submit_sheet"]


def sheet_answer(outcome) -> tuple[int, dict]:
    """The HTTP status and body for one submission's outcome, in the active language."""
    if isinstance(outcome, UnknownContestant):
        return 404, error_body(outcome)
    if isinstance(outcome, LeitaiError):
        return refusal(outcome)
    return 200, {"status": "duplicate" if outcome.duplicate else "submitted", "version": outcome.version,
                 "receipt": show_receipt(outcome.receipt)}
