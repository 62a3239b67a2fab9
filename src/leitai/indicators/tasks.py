"""The statistics import's long parts, run by the queue's worker (leitai.queue): checking a stored file
(reading and validating it) and writing a confirmed one. The page follows them through `progress`."""

from __future__ import annotations

import logging

from leitai import queue
from leitai.core.errors import LeitaiError

from . import services
from .models import ImportBatch
from .selectors import progress_key

log = logging.getLogger("leitai.indicators")


@queue.task()
def check(batch_id: int) -> None:
    batch = ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.CHECKING).first()
    if batch is None:
        return
    key = progress_key(batch_id)
    try:
        services.check_import(batch, progress=queue.Reporter(key, "reading"))
    except Exception as exc:  # the page must not wait forever: the batch is rejected, the log has the rest
        log.exception("checking import batch %s failed", batch_id)
        services.fail_import(batch, exc)
    finally:
        queue.clear_progress(key)


@queue.task()
def commit(batch_id: int) -> None:
    batch = ImportBatch.objects.select_related("created_by").filter(
        pk=batch_id, status=ImportBatch.Status.COMMITTING).first()
    if batch is None:
        return
    key = progress_key(batch_id)
    try:
        services.commit_import(batch, batch.created_by, progress=queue.Reporter(key, "writing"),
                               reading=queue.Reporter(key, "reading"))
    except LeitaiError:  # written meanwhile by another worker (resumed twice): nothing to do
        log.info("import batch %s was already processed", batch_id)
    except Exception as exc:
        log.exception("writing import batch %s failed", batch_id)
        services.fail_import(batch, exc)
    finally:
        queue.clear_progress(key)


def resume() -> int:
    """Queue again the batches a stopped worker left checking or committing (idempotent: a batch already
    done is skipped by the task). Run when the worker starts."""
    waiting = list(ImportBatch.objects.filter(
        status__in=[ImportBatch.Status.CHECKING, ImportBatch.Status.COMMITTING]).values_list("pk", "status"))
    for pk, status in waiting:
        (check if status == ImportBatch.Status.CHECKING else commit)(pk)
    return len(waiting)
