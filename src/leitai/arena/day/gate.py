"""The gate in front of judges' submissions: a few at a time per server process, the others queue here.

Under ASGI every request runs its sync code in a thread of its own, so 300 judges tapping "submit" together
meant 300 threads at once: on SQLite they fought for the write lock in its busy handler, which sleeps
between tries (20 sheets/s with the CPU half idle); on PostgreSQL each opened a connection of its own until
the server refused clients beyond max_connections (HTTP 500). Queued on a semaphore, they take turns at
once and hold at most `size` connections (bench/bench_arena.py measures it).
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

# Beyond this wait the request goes ahead anyway: the gate paces, it never refuses a sheet.
WAIT_SECONDS = 30.0

_lock = threading.Lock()
_gate: threading.BoundedSemaphore | None = None


def size() -> int:
    """Submissions in flight per process: LEITAI_SUBMIT_CONCURRENCY (config/options.py), else 1 on
    SQLite (one writer at a time anyway) and 4 on PostgreSQL."""
    from django.conf import settings
    from django.db import connection

    configured = getattr(settings, "LEITAI_SUBMIT_CONCURRENCY", 0)
    if configured:
        return int(configured)
    return 1 if connection.vendor == "sqlite" else 4


def _semaphore() -> threading.BoundedSemaphore:
    global _gate
    if _gate is None:
        with _lock:
            if _gate is None:
                _gate = threading.BoundedSemaphore(size())
    return _gate


@contextmanager
def submission_gate():
    """Hold one of the process's submission slots for the whole request (its reads and its write)."""
    from django.db import close_old_connections, connection

    gate = _semaphore()
    acquired = gate.acquire(timeout=WAIT_SECONDS)
    try:
        yield
    finally:
        # Give the connection back now rather than when the response has gone out (CONN_MAX_AGE=0), so the
        # connections open at once stay within the gate's size.
        # Never inside an atomic block (a test's transaction, or a caller's): closing would end it.
        if not connection.in_atomic_block:
            close_old_connections()
        if acquired:
            gate.release()
