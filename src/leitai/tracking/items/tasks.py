"""The business-help import's two long parts, run by the queue's worker (leitai.queue): checking the file for
the preview, then — once confirmed — checking it again and creating every item in one transaction."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from leitai import queue
from leitai.core.errors import LeitaiError

from ..base.pages import today
from . import services


@queue.job
def check_file(key: str, path: str, file_name: str) -> dict:
    """{"step": "checked", "problems", "records", "first_rows"}, or {"refused": (zh, en)} for a file the reader
    refused. The file is kept for the confirmation only when it is clean."""
    try:
        parsed = services.parse_file(queue.take(path, keep=True), file_name, today(),
                                     progress=queue.Reporter(key, "reading"))
    except LeitaiError as exc:
        queue.take(path)
        return {"step": "checked", "refused": (exc.zh, exc.en)}
    if not parsed.ok:
        queue.take(path)
    return {"step": "checked", "problems": [p.as_dict() for p in parsed.problems[:500]],
            "problem_count": len(parsed.problems), "records": len(parsed.records), "first_rows": parsed.records[:20]}


@queue.job
def create_items(key: str, user_id: int, path: str, file_name: str, public: bool, batch: str) -> dict:
    """{"step": "written", "created"} — or "problems" (the file no longer checks), or "refused" (zh, en)."""
    data = queue.take(path)
    parsed = services.parse_file(data, file_name, today(), progress=queue.Reporter(key, "reading"))
    if not parsed.ok:
        return {"step": "written", "problems": len(parsed.problems)}
    user = get_user_model()._default_manager.get(pk=user_id)
    queue.set_progress(key, "writing")
    try:
        created = services.create_all(user, parsed.records, public, batch)
    except LeitaiError as exc:
        return {"step": "written", "refused": (exc.zh, exc.en)}
    return {"step": "written", "created": len(created)}
