"""Tracking's work in the queue's worker (leitai.queue). The periodic job — no cron entry needed: the daily
supervision (督办: pledge verdicts, reminders, escalations) every day at LEITAI_SUPERVISION_AT, local time;
it is idempotent per day, so running it by hand too (`leitai tracking supervise`) does no harm. And the
rooms' imports (items.tasks, pledges.tasks, projects.tasks), imported here so the worker knows them."""

from __future__ import annotations

import logging

from django.conf import settings

from leitai import queue

from .items import tasks as items_tasks
from .pledges import tasks as pledges_tasks
from .projects import tasks as projects_tasks
from .supervision.services import run_supervision

IMPORTS = (items_tasks, pledges_tasks, projects_tasks)

log = logging.getLogger("leitai.tracking")


@queue.daily(settings.LEITAI_SUPERVISION_AT)
def supervise() -> None:
    report = run_supervision()
    log.info("daily supervision: %s", report.summary())
    for error in report.errors:
        log.warning("daily supervision: not sent: %s", error)
