"""The task queue's backends (leitai.queue): SQLite in the data folder by default, Redis when configured."""

from __future__ import annotations

import socket

import pytest
from huey import RedisHuey, SqliteHuey

from leitai import queue


def test_the_default_queue_is_sqlite_in_the_data_folder(settings):
    settings.LEITAI_QUEUE, settings.REDIS_URL = "auto", ""
    made = queue.make_huey()
    assert isinstance(made, SqliteHuey) and made.storage.filename == str(settings.DATA_DIR / "queue.sqlite3")
    assert made.utc is False  # the daily job's time is local


def test_redis_is_used_when_configured_and_a_missing_url_is_named(settings):
    settings.LEITAI_QUEUE, settings.REDIS_URL = "redis", ""
    with pytest.raises(RuntimeError, match="REDIS_URL"):
        queue.make_huey()
    settings.LEITAI_QUEUE, settings.REDIS_URL = "auto", "redis://127.0.0.1:6379/15"
    assert queue.backend_name() == "redis" and isinstance(queue.make_huey(), RedisHuey)


def test_a_redis_queue_carries_progress_between_processes(settings):
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.LEITAI_QUEUE, settings.REDIS_URL = "redis", "redis://127.0.0.1:6379/15"
    writer, reader = queue.make_huey(), queue.make_huey()  # two processes' queues
    try:
        writer.put("progress:test", {"stage": "writing", "done": 1, "total": 2})
        assert reader.get("progress:test", peek=True) == {"stage": "writing", "done": 1, "total": 2}
    finally:
        writer.delete("progress:test")
