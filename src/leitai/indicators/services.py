"""Writes to statistics: importing files (preview, then commit whole or not at all) and single edits.

An import page stores the file (`start_import`); the queue checks it (`check_import`: preview, or rejected
with every problem); the user confirms (`request_commit`) and the queue writes it (`commit_import`), whole
or not at all — the long parts never run in a request (indicators.tasks). `leitai import` runs the same
steps at once (`import_file`). Every created or changed value gets an ObservationRevision, so each figure's
history can be shown. Pages, the API and the command line all call these functions.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from leitai.accounts.permissions import can_edit_unit_data
from leitai.core import periods
from leitai.core.errors import DataError, LeitaiError
from leitai.core.io.tabular import BLANK, ParsedImport, Problem, parse_value, unreadable, value_problems
from leitai.core.io.tabular_sheet import parse_import
from leitai.spreadsheets import read_sheets
from leitai.units.models import Unit

from . import selectors
from .models import ImportBatch, Indicator, Observation, ObservationRevision, ObservationStatus, Period
from .references import write_references
from .signals import data_committed

Progress = Callable[[int, int], None]
REPORT_LIMIT = 1000  # problems kept in the stored report; the total is kept too
CHUNK = 5000


def ensure_period(code: str) -> Period:
    """The Period for a code such as 2024-04 or 2024年1-4月, created when first used."""
    info = periods.parse(code)
    period, _created = Period.objects.get_or_create(
        code=info.code,
        defaults={"kind": info.kind, "year": info.year, "number": info.number, "start": info.start, "end": info.end},
    )
    return period


def _actor(user):
    return user if user is not None and user.is_authenticated else None


def _parse(data: bytes, file_name: str, user, period_code: str | None, shape: str | None,
           progress: Progress | None = None) -> ParsedImport:
    try:
        sheets = read_sheets(data, file_name, progress=progress)
    except LeitaiError as exc:
        return ParsedImport(problems=[unreadable(exc, file_name)])
    return parse_import(sheets, selectors.catalogue_for(user), period=period_code, shape=shape or None)


def _diff(records) -> tuple[int, int, int]:
    """How many records are new, changed and unchanged against what the database holds."""
    existing = selectors.existing_values({r[2] for r in records}, {r[1] for r in records})
    new = changed = unchanged = 0
    for unit, indicator, period, value, status in records:
        old = existing.get((unit, indicator, period))
        if old is None:
            if value is None:
                unchanged += 1  # "no value" for a figure never reported: nothing to record
            else:
                new += 1
        elif old[0] != value or (status is not None and old[1] != status):
            changed += 1
        else:
            unchanged += 1
    return new, changed, unchanged


def _report(parsed: ParsedImport, period_code: str | None, shape: str | None, counts=None,
            ref_counts=None) -> dict:
    records = parsed.records
    units, indicators = selectors.names_by_code() if records or parsed.references else ({}, {})
    new, changed, unchanged = counts or (0, 0, 0)
    ref_new, ref_changed, ref_unchanged = ref_counts or (0, 0, 0)
    return {
        "references": len(parsed.references),
        "ref_new": ref_new,
        "ref_changed": ref_changed,
        "ref_unchanged": ref_unchanged,
        "first_references": [[kind, peer if kind == "peer" else units.get(u, u), indicators.get(i, i), p, v, rank, total]
                             for kind, i, p, u, peer, v, rank, total in parsed.references[:20]],
        "period": period_code or "",
        "shape": shape or "",
        "problems": [p.as_dict() for p in parsed.problems[:REPORT_LIMIT]],
        "problem_count": len(parsed.problems),
        "sheets": [vars(s) for s in parsed.sheets],
        "units": sorted({r[0] for r in records}),
        "indicators": sorted({r[1] for r in records}),
        "periods": sorted({r[2] for r in records}),
        "new": new,
        "changed": changed,
        "unchanged": unchanged,
        "first_rows": [[units.get(u, u), indicators.get(i, i), p, v, s] for u, i, p, v, s in records[:20]],
    }


def start_import(file_bytes: bytes, file_name: str, user, period_code: str | None = None,
                 shape: str | None = None) -> ImportBatch:
    """Store an uploaded file as a batch waiting to be checked (status checking): the queue checks it
    (`check_import`), so a large file never holds up a page."""
    chosen = periods.parse(period_code).code if period_code else None
    batch = ImportBatch(
        file_name=Path(file_name).name[:255],
        shape=shape or "",
        period=Period.objects.filter(code=chosen).first() if chosen else None,
        status=ImportBatch.Status.CHECKING,
        report={"period": chosen or "", "shape": shape or ""},
        created_by=_actor(user),
    )
    batch.file.save(Path(file_name).name, ContentFile(file_bytes), save=False)
    batch.save()
    return batch


def check_import(batch: ImportBatch, progress: Progress | None = None) -> ImportBatch:
    """Read and validate a stored batch for the user who uploaded it: status preview (nothing written yet)
    or rejected with the report. A batch no longer waiting (cancelled meanwhile) is left as it is."""
    chosen = batch.report.get("period") or None
    with batch.file.open("rb") as fh:
        data = fh.read()
    parsed = _parse(data, batch.file_name, batch.created_by, chosen, batch.shape or None, progress)
    counts = _diff(parsed.records) if parsed.ok else None
    ref_counts = selectors.reference_diff(parsed.references) if parsed.ok else None
    batch.status = ImportBatch.Status.PREVIEW if parsed.ok else ImportBatch.Status.REJECTED
    batch.row_count = len(parsed.records) + len(parsed.references)
    batch.created_count, batch.changed_count = (
        (counts[0] + ref_counts[0], counts[1] + ref_counts[1]) if counts and ref_counts else (0, 0))
    batch.report = _report(parsed, chosen, batch.shape, counts, ref_counts)
    fields = ["status", "row_count", "created_count", "changed_count", "report"]
    ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.CHECKING).update(
        **{name: getattr(batch, name) for name in fields})
    batch.refresh_from_db()
    return batch


def preview_import(file_bytes: bytes, file_name: str, user, period_code: str | None = None,
                   shape: str | None = None, progress: Progress | None = None) -> ImportBatch:
    """Store a file and validate it at once (the command line): status preview or rejected with a report."""
    return check_import(start_import(file_bytes, file_name, user, period_code, shape), progress)


def fail_import(batch: ImportBatch, error: Exception) -> ImportBatch:
    """A batch whose check or write broke off (a bug, the database gone): rejected, nothing written, and the
    report says so; the details are in the server's log."""
    problem = Problem(batch.file_name, None, "", "", "failed", "导入中断，未写入任何数据，请重新上传；如仍失败请联系管理员",
                      "The import broke off and wrote nothing: upload the file again, or ask the administrator")
    report = {**(batch.report or {}), "problems": [problem.as_dict()], "problem_count": 1}
    ImportBatch.objects.filter(pk=batch.pk, status__in=[ImportBatch.Status.CHECKING, ImportBatch.Status.COMMITTING]
                               ).update(status=ImportBatch.Status.REJECTED, report=report)
    batch.refresh_from_db()
    return batch


def request_commit(batch: ImportBatch, user) -> ImportBatch:
    """Confirm a previewed batch: it waits for the queue to write it (status committing). Raises DataError when
    it is not a preview any more (confirmed twice, cancelled)."""
    if not ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEW).update(
            status=ImportBatch.Status.COMMITTING):
        batch.refresh_from_db()
        raise DataError(f"导入批次 {batch.pk} 的状态是“{batch.get_status_display()}”，不能导入",
                        f"Import batch {batch.pk} is {batch.status} and cannot be committed")
    batch.refresh_from_db()
    return batch


def cancel_import(batch: ImportBatch, user) -> ImportBatch:
    """Drop a previewed batch: it stays in the history as cancelled."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status == ImportBatch.Status.PREVIEW:
            batch.status = ImportBatch.Status.CANCELLED
            batch.save(update_fields=["status"])
    return batch


def commit_import(batch: ImportBatch, user, progress: Progress | None = None,
                  reading: Progress | None = None) -> ImportBatch:
    """Validate the stored file again and write all of it in one transaction, or nothing (status rejected).

    `reading(done, total)` follows the second reading of the file, `progress(done, total)` the writing."""
    waiting = (ImportBatch.Status.PREVIEW, ImportBatch.Status.COMMITTING)
    if batch.status not in waiting:
        raise DataError(f"导入批次 {batch.pk} 的状态是“{batch.get_status_display()}”，不能导入",
                        f"Import batch {batch.pk} is {batch.status} and cannot be committed")
    with batch.file.open("rb") as fh:
        data = fh.read()
    chosen = batch.report.get("period") or None
    parsed = _parse(data, batch.file_name, user, chosen, batch.shape, reading)
    if not parsed.ok:
        # The catalogue or the user's rights changed since the preview: report, write no data.
        batch.status = ImportBatch.Status.REJECTED
        batch.report = _report(parsed, chosen, batch.shape)
        batch.save(update_fields=["status", "report"])
        return batch
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status not in waiting:
            raise DataError(f"导入批次 {batch.pk} 已处理", f"Import batch {batch.pk} was already processed")
        created, changed = _write(parsed.records, _actor(user), f"import:{batch.pk}", progress) \
            if parsed.records else (0, 0)
        # Reference figures (全省平均, 全省排名, 外地对标单位) of the same file, in the same transaction.
        ref_created, ref_changed = write_references(parsed.references, _actor(user), f"import:{batch.pk}")
        batch.status = ImportBatch.Status.COMMITTED
        batch.committed_at = timezone.now()
        batch.created_count, batch.changed_count = created + ref_created, changed + ref_changed
        batch.row_count = len(parsed.records) + len(parsed.references)
        if chosen:
            batch.period = Period.objects.get(code=chosen)
        batch.save()
    # New figures can settle pledges whose deadline has passed (leitai.tracking listens).
    data_committed.send(sender=ImportBatch, batch=batch)
    return batch


def _write(records, user, source: str, progress: Progress | None) -> tuple[int, int]:
    """Upsert observations in bulk and record a revision for each created or changed value."""
    period_ids = {code: ensure_period(code).pk for code in sorted({r[2] for r in records})}
    unit_ids = dict(Unit.objects.filter(code__in={r[0] for r in records}).values_list("code", "id"))
    indicator_ids = dict(Indicator.objects.filter(code__in={r[1] for r in records}).values_list("code", "id"))
    existing = {
        (u, i, p): (pk, v, s)
        for pk, u, i, p, v, s in Observation.objects.filter(
            period_id__in=period_ids.values(), indicator_id__in=indicator_ids.values()
        ).values_list("id", "unit_id", "indicator_id", "period_id", "value", "status").iterator(chunk_size=5000)
    }
    now = timezone.now()
    user_id = user.pk if user is not None else None
    to_create, to_update, revisions = [], [], []
    for unit, indicator, period, value, status in records:
        key = (unit_ids[unit], indicator_ids[indicator], period_ids[period])
        old = existing.get(key)
        if old is None:
            if value is not None:
                to_create.append((*key, value, status or ObservationStatus.PROVISIONAL.value))
            continue
        pk, old_value, old_status = old
        new_status = status or old_status
        if old_value != value or old_status != new_status:
            to_update.append((pk, value, new_status))
            revisions.append((pk, old_value, value, old_status, new_status))
    total, done = len(to_create) + len(to_update), 0
    if progress:
        progress(0, total)
    stamp = connection.ops.adapt_datetimefield_value(now)
    fields = ["unit", "indicator", "period", "value", "status", "updated_at", "updated_by"]
    for start in range(0, len(to_create), CHUNK):
        chunk = to_create[start:start + CHUNK]
        _insert(Observation, fields, [(*row, stamp, user_id) for row in chunk])
        done += len(chunk)
        if progress:
            progress(done, total)
    if to_create:
        created = {row[:3] for row in to_create}
        ids = Observation.objects.filter(period_id__in=period_ids.values(), indicator_id__in=indicator_ids.values())
        revisions.extend(
            (pk, None, to_value, "", to_status)
            for pk, *key, to_value, to_status in ids.values_list(
                "id", "unit_id", "indicator_id", "period_id", "value", "status").iterator(chunk_size=5000)
            if tuple(key) in created
        )
    table = connection.ops.quote_name(Observation._meta.db_table)
    update = (f"UPDATE {table} SET {_col(Observation, 'value')} = %s, {_col(Observation, 'status')} = %s, "
              f"{_col(Observation, 'updated_at')} = %s, {_col(Observation, 'updated_by')} = %s WHERE {_col(Observation, 'id')} = %s")
    for start in range(0, len(to_update), CHUNK):
        chunk = to_update[start:start + CHUNK]
        with connection.cursor() as cursor:
            cursor.executemany(update, [(value, status, stamp, user_id, pk) for pk, value, status in chunk])
        done += len(chunk)
        if progress:
            progress(done, total)
    fields = ["observation", "old_value", "new_value", "old_status", "new_status", "changed_at", "changed_by",
              "source", "reason"]
    _insert(ObservationRevision, fields, [(*row, stamp, user_id, source, "") for row in revisions])
    return len(to_create), len(to_update)


def _col(model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def _insert(model, fields: list[str], rows: list[tuple]) -> None:
    """Insert many rows fast: COPY on PostgreSQL, multi-row parameterised INSERTs elsewhere (SQLite).

    Why not bulk_create: for a 300,000-value import it spent ~90% of its time building and preparing model
    instances (measured with cProfile). Table and column names come from the models' metadata and values are
    adapted by the caller (`adapt_datetimefield_value`).
    """
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(_col(model, name) for name in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # psycopg re-parses long multi-row statements on every call; COPY streams the rows instead.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        one = f"({', '.join(['%s'] * len(fields))})"
        per_statement = max(1, min(1000, (connection.features.max_query_params or 10000) // len(fields)))
        for start in range(0, len(rows), per_statement):
            batch = rows[start:start + per_statement]
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(batch))}",
                           [value for row in batch for value in row])


def import_file(path, user=None, period_code: str | None = None, shape: str | None = None,
                progress: Progress | None = None, dry_run: bool = False) -> ImportBatch:
    """Preview and, when the file is sound (and not a dry run), commit it: what `leitai import` runs."""
    path = Path(path)
    batch = preview_import(path.read_bytes(), path.name, user, period_code, shape)
    if batch.status != ImportBatch.Status.PREVIEW:
        return batch
    if dry_run:
        return cancel_import(batch, user)
    return commit_import(batch, user, progress)


def checked_value(unit: Unit, indicator: Indicator, value) -> float | None:
    """A value as entered (number or text such as "12.5%"), checked against the indicator; raises DataError."""
    try:
        number = parse_value(value)
    except (TypeError, ValueError):
        raise DataError(f"“{value}”不是数字", f"'{value}' is not a number")
    number = None if number is BLANK else number
    for _code, zh, en in value_problems(selectors.unit_ref(unit), selectors.indicator_ref(indicator), number):
        raise DataError(zh, en)
    return number


def set_observation(user, unit: Unit, indicator: Indicator, period: Period | str, value, status: str | None = None,
                    reason: str = "", source: str = "web") -> Observation | None:
    """Set one value (a reporter for their own units only), recording a revision; nothing happens if unchanged.

    `period` may be a code (created when first used). Returns the observation, or None when "no value" was
    set on a figure that was never reported. Raises PermissionDenied, or DataError for a bad value.
    """
    if not can_edit_unit_data(user, unit):
        raise PermissionDenied
    number = checked_value(unit, indicator, value)
    if status is not None and status not in ObservationStatus.values:
        raise DataError(f"状态“{status}”无效", f"Invalid status '{status}'")
    actor = _actor(user)
    with transaction.atomic():
        if not isinstance(period, Period):
            period = ensure_period(period)
        obs = Observation.objects.select_for_update().filter(unit=unit, indicator=indicator, period=period).first()
        if obs is None:
            if number is None:
                return None
            obs = Observation(unit=unit, indicator=indicator, period=period)
            old_value, old_status = None, ""
        else:
            old_value, old_status = obs.value, obs.status
            if old_value == number and (status is None or status == old_status):
                return obs
        obs.value = number
        obs.status = status or old_status or ObservationStatus.PROVISIONAL
        obs.updated_by = actor
        obs.save()
        ObservationRevision.objects.create(observation=obs, old_value=old_value, new_value=number,
                                           old_status=old_status, new_status=obs.status, changed_by=actor,
                                           source=source, reason=reason[:200])
    return obs


def save_entry(user, period: Period, changes) -> int:
    """Save the data-entry form: every changed (unit, indicator, value) in one transaction, all or nothing."""
    with transaction.atomic():
        for unit, indicator, value in changes:
            set_observation(user, unit, indicator, period, value, source="web")
    return len(changes)
