"""Live backends: how a publish reaches the hub of every server process.

- in-process: publish goes straight into this process's hub (one server process).
- redis: publish is a Redis PUBLISH; ONE listener per process (PSUBSCRIBE leitai:live:*) feeds its hub.
- postgres: publish is a NOTIFY on the channel ``leitai_live``; ONE listener per process (LISTEN) feeds
  its hub. A NOTIFY payload must stay under 8000 bytes: a state of 7500 bytes or more is not sent; a small
  "refetch" marker is, and each process's listener rebuilds the state once with the channel's registered
  loader (for ``arena:<id>``: ``leitai.arena.services.public_state``), then fans it out.

The listeners are daemon threads with blocking clients rather than tasks on the server's event loop: one
thread serves every event loop of the process (uvicorn's, or each test's), a slow Redis or database never
stalls request handling, and the thread needs no shutdown at exit. After a (re)connection the listener
reloads every channel that has subscribers, so a message lost while disconnected is made good.
"""

from __future__ import annotations

import abc
import json
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from leitai.live.hub import Hub, encode

if TYPE_CHECKING:  # psycopg is imported where it is used (the PostgreSQL backend only)
    import psycopg

logger = logging.getLogger("leitai.live")

REDIS_PREFIX = "leitai:live:"
PG_CHANNEL = "leitai_live"
PG_MAX_PAYLOAD = 7500


class InProcessBackend:
    """Single server process: publish straight into the hub."""

    name = "inprocess"

    def __init__(self, hub: Hub, load: Callable[[str], dict | None]):
        self.hub = hub
        self.load = load

    def publish(self, channel: str, data: dict) -> None:
        self.hub.publish(channel, data)

    def is_ready(self) -> bool:
        return True

    def wait_ready(self, timeout: float) -> bool:
        return True

    def close(self) -> None:
        pass


class _ListeningBackend(InProcessBackend, abc.ABC):
    """A backend whose messages arrive through one listener thread per process (subclasses: _listen)."""

    def __init__(self, hub: Hub, load: Callable[[str], dict | None]):
        super().__init__(hub, load)
        self._ready = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    @abc.abstractmethod
    def _listen(self) -> None:
        """Listen until the connection drops or stop() is called (Redis: pub/sub; PostgreSQL: LISTEN)."""

    def is_ready(self) -> bool:
        thread = self._thread
        return self._ready.is_set() and thread is not None and thread.is_alive()

    def wait_ready(self, timeout: float) -> bool:
        """Start the listener if needed and wait until it listens (False if not within timeout)."""
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._stop.clear()
                self._thread = threading.Thread(target=self._run, name=f"leitai-live-{self.name}", daemon=True)
                self._thread.start()
        return self._ready.wait(timeout)

    def close(self) -> None:
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5)
        self._thread = None

    def _run(self) -> None:
        delay = 0.2
        while not self._stop.is_set():
            try:
                self._listen()
                delay = 0.2
            except Exception:
                logger.warning("live %s listener lost its connection; reconnecting", self.name, exc_info=True)
            finally:
                self._ready.clear()
            self._stop.wait(delay)
            delay = min(delay * 2, 5.0)

    def _connected(self) -> None:
        """Mark the listener ready and reload the channels that have subscribers (missed messages)."""
        self._ready.set()
        for channel in self.hub.channels():
            self._refetch(channel)

    def _refetch(self, channel: str) -> None:
        if self.hub.subscriber_count(channel) == 0:
            return
        from django.db import close_old_connections

        close_old_connections()
        try:
            data = self.load(channel)
        except Exception:
            logger.exception("live: loading %s failed", channel)
            return
        finally:
            close_old_connections()
        if data is not None:
            self.hub.publish(channel, data)

    def _deliver(self, raw: str | bytes) -> None:
        try:
            payload = json.loads(raw)
            channel = payload["c"]
        except (ValueError, KeyError, TypeError):
            logger.warning("live %s: ignored malformed message %r", self.name, raw[:200])
            return
        if "d" in payload:
            self.hub.publish(channel, payload["d"])
        else:
            self._refetch(channel)


class RedisBackend(_ListeningBackend):
    """Redis pub/sub: a sync client publishes, one listener thread per process feeds the hub."""

    name = "redis"

    def __init__(self, hub: Hub, load: Callable[[str], dict | None], url: str):
        super().__init__(hub, load)
        import redis

        self.url = url
        self._client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    def publish(self, channel: str, data: dict) -> None:
        message = encode({"c": channel, "d": data})
        self._client.publish(REDIS_PREFIX + channel, message.encode())

    def _listen(self) -> None:
        import redis

        client = redis.Redis.from_url(self.url, socket_connect_timeout=5, health_check_interval=30)
        pubsub = client.pubsub()
        try:
            pubsub.psubscribe(REDIS_PREFIX + "*")
            # The confirmation comes back once Redis has registered the pattern: from then on no
            # publish is missed, so subscribers may load the current state.
            while not self._stop.is_set():
                message = pubsub.get_message(timeout=1.0)
                if message and message["type"] == "psubscribe":
                    break
            self._connected()
            while not self._stop.is_set():
                message = pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
                if message and message["type"] == "pmessage":
                    self._deliver(message["data"])
        finally:
            pubsub.close()
            client.close()


class PostgresBackend(_ListeningBackend):
    """PostgreSQL LISTEN/NOTIFY on the Django database; large states travel as a refetch marker."""

    name = "postgres"

    def __init__(self, hub: Hub, load: Callable[[str], dict | None], conninfo: str | None = None):
        super().__init__(hub, load)
        self._publish_lock = threading.Lock()
        self._conn: psycopg.Connection | None = None
        self._conninfo = conninfo

    def conninfo(self) -> str:
        """Where to LISTEN and NOTIFY: the Django default database (the test database under pytest)."""
        if self._conninfo:
            return self._conninfo
        from django.db import connections
        from psycopg.conninfo import make_conninfo

        db = connections["default"].settings_dict
        if "postgresql" not in db["ENGINE"]:
            raise RuntimeError("LEITAI_LIVE_BACKEND=postgres needs a PostgreSQL DATABASE_URL")
        params = {"dbname": db["NAME"], "host": db.get("HOST"), "port": db.get("PORT"),
                  "user": db.get("USER"), "password": db.get("PASSWORD")}
        return make_conninfo(**{key: str(value) for key, value in params.items() if value})

    def publish(self, channel: str, data: dict) -> None:
        import psycopg

        payload = encode({"c": channel, "d": data})
        if len(payload.encode()) >= PG_MAX_PAYLOAD:
            seq = data.get("seq") if isinstance(data, dict) else None
            payload = encode({"c": channel, "r": seq})
        # A connection of its own in autocommit: the NOTIFY goes out now, whatever transaction the
        # caller's Django connection is in (services publish from on_commit, after their commit).
        with self._publish_lock:
            for attempt in (1, 2):
                try:
                    if self._conn is None or self._conn.closed:
                        self._conn = psycopg.connect(self.conninfo(), autocommit=True, connect_timeout=5)
                    self._conn.execute("SELECT pg_notify(%s, %s)", (PG_CHANNEL, payload))
                    return
                except psycopg.OperationalError:
                    self._conn = None
                    if attempt == 2:
                        raise

    def _listen(self) -> None:
        import psycopg

        with psycopg.connect(self.conninfo(), autocommit=True, connect_timeout=5) as conn:
            conn.execute(f"LISTEN {PG_CHANNEL}")
            self._connected()
            while not self._stop.is_set():
                for notify in conn.notifies(timeout=1.0):
                    self._deliver(notify.payload)
                    if self._stop.is_set():
                        break

    def close(self) -> None:
        super().close()
        with self._publish_lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
