"""Tracking's periodic job, run by the queue's worker (leitai.queue) — no cron entry needed: the daily
supervision (督办: pledge verdicts, reminders, escalations) every day at LEITAI_SUPERVISION_AT, local time.
It is idempotent per day, so running it by hand too (`leitai tracking supervise`) does no harm."""

from __future__ import annotations

import logging

from django.conf import settings

from leitai import queue

from .supervision.services import run_supervision

log = logging.getLogger("leitai.tracking")


@queue.daily(settings.LEITAI_SUPERVISION_AT)
def supervise() -> None:
    report = run_supervision()
    log.info("daily supervision: %s", report.summary())
    for error in report.errors:
        log.warning("daily supervision: not sent: %s", error)
