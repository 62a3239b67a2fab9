"""Live updates: publish a channel's state from sync code, subscribe to it from async code (SSE).

    from leitai import live
    live.publish("arena:7", state)              # any thread; never raises (a failure is logged)
    async for state in live.subscribe("arena:7"):  # the LATEST state whenever it changed
        ...

Subscribers get the current state first (from this process's hub, or built once by the loader
registered for the channel's prefix, e.g. ``live.register_loader("arena:", load)``), then the latest
state after each change. Coalescing: a slow subscriber skips intermediate states instead of queueing.

The backend comes from settings.LEITAI_LIVE_BACKEND: ``inprocess`` (one server process), ``redis``
(settings.REDIS_URL), ``postgres`` (LISTEN/NOTIFY on the Django database), or ``auto`` (redis when
REDIS_URL is set, else inprocess). With several server processes use redis or postgres. See backends.py.

``live.close_streams(tag)`` ends, in every process, the open streams that subscribed with that tag (a
revoked judge's link); who may open how many streams is decided by live.limits.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from leitai.live.backends import InProcessBackend, PostgresBackend, RedisBackend
from leitai.live.hub import CONTROL, Closed, Hub, Message, Subscription

__all__ = ["Closed", "Message", "Subscription", "backend", "close_streams", "detached", "hub", "latest", "publish",
           "read_db", "register_loader", "reset", "subscribe", "subscription"]

logger = logging.getLogger("leitai.live")

hub = Hub()
_loaders: dict[str, Callable[[str], dict | None]] = {}
_backend: InProcessBackend | None = None
_backend_lock = threading.Lock()
# One load per channel and event loop, shared by every subscriber who connects while it runs.
_loading: dict[tuple[int, str], asyncio.Future] = {}

READY_TIMEOUT = 5.0


def register_loader(prefix: str, loader: Callable[[str], dict | None]) -> None:
    """Register a sync function building the current state of channels starting with prefix."""
    _loaders[prefix] = loader


def load(channel: str) -> dict | None:
    """The current state of a channel from its loader (sync; None when no loader or nothing to show)."""
    matches = [prefix for prefix in _loaders if channel.startswith(prefix)]
    if not matches:
        return None
    return _loaders[max(matches, key=len)](channel)


def backend() -> InProcessBackend:
    """The configured backend, made on first use."""
    global _backend
    if _backend is None:
        with _backend_lock:
            if _backend is None:
                _backend = _make_backend()
    return _backend


def _make_backend() -> InProcessBackend:
    from django.conf import settings

    choice = getattr(settings, "LEITAI_LIVE_BACKEND", "auto") or "auto"
    redis_url = getattr(settings, "REDIS_URL", "")
    if choice == "auto":
        choice = "redis" if redis_url else "inprocess"
    if choice == "inprocess":
        return InProcessBackend(hub, load)
    if choice == "redis":
        if not redis_url:
            raise RuntimeError("LEITAI_LIVE_BACKEND=redis needs REDIS_URL")
        return RedisBackend(hub, load, redis_url)
    if choice == "postgres":
        return PostgresBackend(hub, load)
    raise RuntimeError(f"LEITAI_LIVE_BACKEND must be auto, inprocess, redis or postgres, not {choice!r}")


def reset() -> None:
    """Stop the backend's listener and forget all state (tests, or after changing settings)."""
    global _backend
    with _backend_lock:
        if _backend is not None:
            _backend.close()
        _backend = None
    hub.clear()
    _loading.clear()


def publish(channel: str, data: dict) -> None:
    """Send data as the channel's new state to every subscriber, in every process (sync, any thread).

    Never raises: it runs after the change was committed, and a live-update failure must not turn a
    saved score into an error page. The failure is logged; the next publish brings viewers up to date.
    """
    try:
        backend().publish(channel, data)
    except Exception:
        logger.exception("live: publishing to %s failed", channel)


def close_streams(tag: str) -> None:
    """End every open stream subscribed with `tag`, in every server process (sync, any thread; call it after
    the commit that made them unwelcome). This process's streams close at once, whatever the backend; the
    others' through the backend's fan-out (the CONTROL channel). Never raises (a failure is logged)."""
    hub.close_tag(tag)
    chosen = backend()
    if chosen.name == "inprocess":
        return
    try:
        chosen.publish(CONTROL, {"close": tag})
    except Exception:
        logger.exception("live: closing the streams of %s in the other processes failed", tag)


def latest(channel: str) -> Message | None:
    """The state this process's hub holds for a channel (only while it has subscribers)."""
    return hub.latest(channel)


def detached(fn: Callable, *args):
    """Run fn(*args), then close the database connections this thread opened (not inside an atomic block)."""
    from django.db import connections

    try:
        return fn(*args)
    finally:
        for conn in connections.all(initialized_only=True):
            # Inside an atomic block (a test's transaction) the connection is not ours to close.
            if not conn.in_atomic_block:
                conn.close()


async def read_db(fn: Callable, *args):
    """Run a short database read for a long-lived stream, then close the connection it opened.

    Under ASGI, sync code (Django's a* ORM methods, sync_to_async) runs in a thread of the request's own whose
    database connection otherwise stays open as long as the request: 5,000 open streams held 5,000
    connections (PostgreSQL refused clients beyond max_connections; SQLite took 1.6 GB). bench/bench_arena.py"""
    from asgiref.sync import sync_to_async

    return await sync_to_async(detached)(fn, *args)


async def _ensure_state(channel: str) -> None:
    """Load the channel's state into the hub once if it has none (shared by concurrent subscribers)."""
    if hub.latest(channel) is not None or not any(channel.startswith(p) for p in _loaders):
        return
    loop = asyncio.get_running_loop()
    key = (id(loop), channel)
    future = _loading.get(key)
    if future is None:
        future = _loading[key] = asyncio.ensure_future(read_db(load, channel))
        future.add_done_callback(lambda _f: _loading.pop(key, None))
    try:
        data = await asyncio.shield(future)
    except Exception:
        logger.exception("live: loading %s failed", channel)
        return
    if data is not None:
        hub.seed(channel, data)


@asynccontextmanager
async def subscription(channel: str, heartbeat: float | None = None,
                       tag: str | None = None) -> AsyncIterator[Subscription]:
    """An open subscription; ``await sub.next(timeout)`` gives the next state or None on timeout (Closed once
    the subscription's `tag` was closed by close_streams).

    The first next() returns the current state at once. Joining the hub and waiting for the backend's
    listener happen BEFORE the state is loaded, so no change between the load and the first publish is lost.
    """
    sub = Subscription(hub, channel, heartbeat, tag)
    sub.open()
    try:
        chosen = backend()
        if not chosen.is_ready() and not await asyncio.to_thread(chosen.wait_ready, READY_TIMEOUT):
            logger.warning("live: the %s listener is not connected; %s may miss updates", chosen.name, channel)
        await _ensure_state(channel)
        yield sub
    finally:
        sub.close()


async def subscribe(channel: str) -> AsyncIterator[dict]:
    """Yield the channel's current state, then its latest state after each change (coalesced)."""
    async with subscription(channel) as sub:
        while True:
            message = await sub.next()
            if message is not None:
                yield message.data
