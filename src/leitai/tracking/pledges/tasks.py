"""The pledge import, run by the queue's worker (leitai.queue): the import page collects its report."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from leitai import queue

from .importing import import_pledges


@queue.job
def import_file(key: str, user_id: int, path: str, file_name: str) -> dict:
    user = get_user_model()._default_manager.get(pk=user_id)
    report = import_pledges(user, queue.take(path), file_name, progress=queue.Reporter(key, "reading"))
    return {"ok": report["ok"], "problems": [p.as_dict() for p in report["problems"]],
            "created": len(report["created"])}
