"""The task queue: long work (a statistics import's checking and writing) and the daily supervision job run
in a worker beside the web server, never in a request.

huey, on SQLite in the data folder by default (`queue.sqlite3`: nothing to install), or on Redis when
LEITAI_QUEUE=redis (or auto and REDIS_URL is set: several servers then share one queue). `leitai serve`
starts the worker (`leitai worker`) next to itself; the worker also runs the periodic jobs, so no cron entry
is needed. Tests switch the queue to huey's immediate mode (a task runs at once, in the caller).

Each area declares its tasks in a `tasks.py` with `@task()` / `@daily(...)` / `@job`; the worker imports
every app's `tasks` module. Progress is kept in the queue's own store (`set_progress` / `running`), outside
the database transaction the task writes in, so a page can follow a long write while it runs. A `@job` is a
task whose result the page that started it collects (`start`, `outcome`, `forget`): only that browser
session may ask for it; an uploaded file travels to it through the media folder (`stash`, `take`).
"""

from __future__ import annotations

import functools
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from huey import RedisHuey, SqliteHuey, crontab
from huey.api import Huey

log = logging.getLogger("leitai.queue")


def backend_name() -> str:
    """redis or sqlite, as LEITAI_QUEUE and REDIS_URL choose."""
    chosen = settings.LEITAI_QUEUE
    if chosen == "auto":
        return "redis" if settings.REDIS_URL else "sqlite"
    return chosen


def make_huey() -> Huey:
    if backend_name() == "redis":
        if not settings.REDIS_URL:
            raise RuntimeError("LEITAI_QUEUE=redis needs REDIS_URL")
        return RedisHuey("leitai", url=settings.REDIS_URL, utc=False)
    # utc=False: the periodic jobs' times are local (Django sets the process's time zone to TIME_ZONE).
    return SqliteHuey("leitai", filename=str(settings.DATA_DIR / "queue.sqlite3"), utc=False, timeout=30)


huey = make_huey()


def _closing_connections(fn: Callable) -> Callable:
    """A task in the worker starts and ends with usable database connections (as Django's request cycle does);
    in immediate mode it runs inside the caller's connection and transaction, untouched."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        if huey.immediate:
            return fn(*args, **kwargs)
        from django.db import close_old_connections

        close_old_connections()
        try:
            return fn(*args, **kwargs)
        finally:
            close_old_connections()

    return run


def task(**options):
    """`@task()`: a function that `fn(...)` enqueues (and `fn.call_local(...)` runs here)."""
    def decorate(fn: Callable):
        return huey.task(name=f"{fn.__module__}.{fn.__name__}", **options)(_closing_connections(fn))
    return decorate


def daily(at: str):
    """`@daily("08:00")`: a job the worker runs every day at that local time ("" never: run it by hand)."""
    def decorate(fn: Callable):
        if not at:
            return fn
        hour, minute = (int(part) for part in at.split(":"))
        return huey.periodic_task(crontab(minute=str(minute), hour=str(hour)),
                                  name=f"{fn.__module__}.{fn.__name__}")(_closing_connections(fn))
    return decorate


def set_progress(key: str, stage: str, done: int = 0, total: int = 0) -> None:
    huey.put(f"progress:{key}", {"stage": stage, "done": done, "total": total})


def progress(key: str) -> dict | None:
    """The last progress a task reported under `key` ({"stage", "done", "total"}), or None."""
    return huey.get(f"progress:{key}", peek=True)


def clear_progress(key: str) -> None:
    huey.delete(f"progress:{key}")


def running(key: str) -> dict:
    """What a page shows of a running task: {"stage": waiting | reading | writing, "done", "total",
    "percent" (None while unknown)}."""
    found = progress(key) or {"stage": "waiting", "done": 0, "total": 0}
    total = found.get("total") or 0
    return {**found, "percent": min(100, int(found.get("done", 0) * 100 / total)) if total else None}


# ---- jobs: tasks whose result a page collects ---------------------------------------------------------

JOBS = "leitai_jobs"  # the session's list of the jobs it started
FAILED = {"failed": True}


def job(fn: Callable) -> Callable:
    """`@job`: a task `fn(key, *args)` whose return value (picklable) the page collects with `outcome`; an
    exception is logged and collected as FAILED, so a page never waits for ever."""

    @functools.wraps(fn)
    def run(key: str, *args):
        try:
            value = fn(key, *args)
        except Exception:
            log.exception("job %s (%s) failed", key, fn.__name__)
            value = FAILED
        huey.put(f"job:{key}", value)
        clear_progress(key)

    return task()(run)


def start(session, job_task: Callable, *args) -> str:
    """Queue `job_task(key, *args)` for this browser session; the key is what the page asks about."""
    key = uuid.uuid4().hex
    session[JOBS] = [*session.get(JOBS, [])[-19:], key]
    job_task(key, *args)
    return key


def outcome(session, key: str) -> dict | None:
    """None for a job this session did not start (or already collected); {"done": False, "running": ...}
    while it runs; {"done": True, "value": ...} once done."""
    if not key or key not in session.get(JOBS, []):
        return None
    value = huey.get(f"job:{key}", peek=True)
    if value is None:
        return {"done": False, "running": running(key)}
    return {"done": True, "value": value}


def forget(session, key: str) -> None:
    huey.delete(f"job:{key}")
    clear_progress(key)
    session[JOBS] = [k for k in session.get(JOBS, []) if k != key]


def stash(data: bytes) -> str:
    """Keep an uploaded file for a job (in the media folder); the job `take`s it."""
    return default_storage.save(f"queue/{uuid.uuid4().hex}.bin", ContentFile(data))


def take(path: str, keep: bool = False) -> bytes:
    with default_storage.open(path, "rb") as fh:
        data: Any = fh.read()
    if not keep:
        default_storage.delete(path)
    return data


class Reporter:
    """A progress callback for the reader and the writer, reporting at most every `every` seconds."""

    def __init__(self, key: str, stage: str, every: float = 0.5):
        self.key, self.stage, self.every, self.last = key, stage, every, 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last >= self.every or done >= total:
            self.last = now
            set_progress(self.key, self.stage, done, total)


def run_worker(workers: int = 2) -> None:
    """The consumer, in the foreground (the main thread: it handles SIGTERM and SIGINT gracefully)."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("tasks")
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=True, graceful_signal="TERM",
                                    shutdown_timeout=30, check_worker_health=True)
    consumer.run()
