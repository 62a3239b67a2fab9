"""Run a keyed job at most once per interval: the calls in between fold into one run at the interval's end.

    pacer = Pacer(0.25, build_and_publish)   # build_and_publish(key), any thread
    pacer.request(arena_id)                  # runs now, or once when the interval is over

A request when the key's last run is older than the interval runs at once, in the caller's thread. Otherwise
one run is scheduled (a timer thread) for the end of the interval, and later requests until then join it;
the scheduled run starts after they were made, so it sees everything they saw. With interval 0 every
request runs at once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable

logger = logging.getLogger("leitai.live")


class Pacer:
    def __init__(self, interval: float, job: Callable[[Hashable], None], *, clock: Callable[[], float] = time.monotonic,
                 timer: Callable[[float, Callable[[], None]], object] | None = None):
        self.interval = interval
        self.job = job
        self.clock = clock
        self._timer = timer or _start_timer
        self._lock = threading.Lock()
        self._last: dict[Hashable, float] = {}
        self._pending: set[Hashable] = set()

    def request(self, key: Hashable) -> None:
        with self._lock:
            if key in self._pending:
                return
            wait = self._last.get(key, float("-inf")) + self.interval - self.clock()
            if wait > 0:
                self._pending.add(key)
            else:
                self._last[key] = self.clock()
        if wait > 0:
            self._timer(wait, lambda: self._fire(key))
        else:
            self._run(key)

    def _fire(self, key: Hashable) -> None:
        with self._lock:
            self._pending.discard(key)
            self._last[key] = self.clock()
        self._run(key)

    def _run(self, key: Hashable) -> None:
        try:
            self.job(key)
        except Exception:
            logger.exception("live: paced job for %s failed", key)


def _start_timer(delay: float, fn: Callable[[], None]) -> threading.Timer:
    t = threading.Timer(delay, fn)
    t.daemon = True
    t.start()
    return t
