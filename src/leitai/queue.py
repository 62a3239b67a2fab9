"""The task queue: long work (a statistics import's checking and writing) and the daily supervision job run
in a worker beside the web server, never in a request.

huey, on SQLite in the data folder by default (`queue.sqlite3`: nothing to install), or on Redis when
LEITAI_QUEUE=redis (or auto and REDIS_URL is set: several servers then share one queue). `leitai serve`
starts the worker (`leitai worker`) next to itself; the worker also runs the periodic jobs, so no cron entry
is needed. Tests switch the queue to huey's immediate mode (a task runs at once, in the caller).

Each area declares its tasks in a `tasks.py` with `@task()` / `@daily(...)`; the worker imports every app's
`tasks` module. Progress is kept in the queue's own store (`set_progress` / `progress`), outside the
database transaction the task writes in, so a page can follow a long write while it runs.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable

from django.conf import settings
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
