"""The live hub and its backends: coalescing, fan-out to several subscribers and event loops, publishing
from threads, and round trips through Redis (127.0.0.1:6379) and PostgreSQL LISTEN/NOTIFY (127.0.0.1:5432)."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from leitai import live
from leitai.live.backends import PG_MAX_PAYLOAD, PostgresBackend, RedisBackend
from leitai.live.hub import Hub, Subscription

REDIS_URL = "redis://127.0.0.1:6379/0"


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 20))


def in_thread(fn):
    t = threading.Thread(target=fn)
    t.start()
    return t


async def opened(hub: Hub, channel: str) -> Subscription:
    sub = Subscription(hub, channel)
    sub.open()
    return sub


def test_a_slow_subscriber_gets_the_last_of_300_states_not_a_queue_of_them():
    async def scenario():
        hub = Hub()
        sub = await opened(hub, "c")
        # The subscriber is busy (not reading) while another thread publishes 300 states.
        await asyncio.to_thread(lambda: [hub.publish("c", {"seq": i, "n": i}) for i in range(1, 301)])
        first = await sub.next(timeout=1)
        assert first.seq == 300 and first.data["n"] == 300
        assert await sub.next(timeout=0.1) is None  # nothing queued behind it
        sub.close()

    run(scenario())


def test_a_subscriber_reading_during_a_burst_sees_a_few_states_ending_with_the_last():
    async def scenario():
        hub = Hub()
        sub = await opened(hub, "c")
        seen = []

        async def read():
            while True:
                m = await sub.next(timeout=2)
                seen.append(m.seq)
                if m.seq == 300:
                    return
                await asyncio.sleep(0.02)  # a slow viewer

        reader = asyncio.create_task(read())
        await asyncio.sleep(0)

        def burst():
            for i in range(1, 301):
                hub.publish("c", {"seq": i})
                time.sleep(0.0005)

        await asyncio.to_thread(burst)
        await reader
        assert seen[-1] == 300 and len(seen) < 100 and seen == sorted(seen)

    run(scenario())


def test_every_subscriber_of_a_channel_gets_the_new_state_and_other_channels_are_untouched():
    async def scenario():
        hub = Hub()
        subs = [await opened(hub, "arena:1") for _ in range(5)]
        other = await opened(hub, "arena:2")
        hub.publish("arena:1", {"seq": 7, "who": "东城区"})
        got = await asyncio.gather(*(s.next(timeout=1) for s in subs))
        assert [m.data["who"] for m in got] == ["东城区"] * 5
        assert len({id(m) for m in got}) == 1  # one message, encoded once, shared by all
        assert got[0].sse.startswith(b"id: 7\nevent: state\ndata: ") and "东城区".encode() in got[0].sse
        assert await other.next(timeout=0.1) is None

    run(scenario())


def test_publishing_from_many_threads_at_once_loses_nothing_that_matters():
    async def scenario():
        hub = Hub()
        sub = await opened(hub, "c")

        def worker(k):
            for i in range(200):
                hub.publish("c", {"seq": k * 1000 + i})

        await asyncio.gather(*(asyncio.to_thread(worker, k) for k in range(1, 9)))
        last = await sub.next(timeout=1)
        assert last.seq == 8199  # the newest state wins, whatever order the threads ran in

    run(scenario())


def test_an_older_state_never_replaces_a_newer_one():
    async def scenario():
        hub = Hub()
        sub = await opened(hub, "c")
        hub.publish("c", {"seq": 5, "v": "new"})
        hub.publish("c", {"seq": 4, "v": "old"})  # a slower commit publishing late
        hub.publish("c", {"seq": 5, "v": "same seq, more sheets"})
        assert (await sub.next(timeout=1)).data["v"] == "same seq, more sheets"

    run(scenario())


def test_subscribers_in_two_event_loops_are_both_woken_by_one_publish():
    hub = Hub()
    ready = threading.Barrier(3)
    results = {}

    def loop_thread(name):
        async def wait():
            sub = await opened(hub, "c")
            ready.wait()
            results[name] = (await sub.next(timeout=5)).data["x"]
            sub.close()

        asyncio.run(wait())

    threads = [in_thread(lambda n=n: loop_thread(n)) for n in ("one", "two")]
    ready.wait()
    hub.publish("c", {"x": 42})
    for t in threads:
        t.join(10)
    assert results == {"one": 42, "two": 42}


def test_the_hub_keeps_a_channel_only_while_it_has_subscribers():
    async def scenario():
        hub = Hub()
        assert hub.publish("c", {"seq": 1}) is False  # nobody listens: nothing kept
        sub = await opened(hub, "c")
        assert hub.publish("c", {"seq": 2}) is True and hub.latest("c").seq == 2
        sub.close()
        assert hub.latest("c") is None and hub.channels() == []

    run(scenario())


def test_a_new_subscriber_first_gets_the_state_built_by_the_channels_loader():
    calls = []

    def loader(channel):
        calls.append(channel)
        return {"seq": 3, "from": "loader"}

    live.register_loader("test-loader:", loader)

    async def scenario():
        async with live.subscription("test-loader:1") as a, live.subscription("test-loader:1") as b:
            assert (await a.next(timeout=1)).data["from"] == "loader"
            assert (await b.next(timeout=1)).data["from"] == "loader"
            live.publish("test-loader:1", {"seq": 4, "from": "publish"})
            assert (await a.next(timeout=1)).data["from"] == "publish"

    run(scenario())
    assert calls == ["test-loader:1"]  # loaded once for both subscribers


def test_subscribe_yields_states_as_plain_dicts():
    async def scenario():
        stream = live.subscribe("plain")
        first = asyncio.ensure_future(anext(stream))
        await asyncio.sleep(0.05)
        live.publish("plain", {"seq": 1, "ok": True})
        assert await first == {"seq": 1, "ok": True}
        await stream.aclose()
        assert live.hub.channels() == []

    run(scenario())


def test_publish_never_raises_even_for_data_that_is_not_json(caplog):
    async def scenario():
        async with live.subscription("bad") as sub:
            live.publish("bad", {"seq": 1, "when": object()})
            assert await sub.next(timeout=0.2) is None

    run(scenario())
    assert "publishing to bad failed" in caplog.text


def test_the_redis_backend_carries_a_state_from_a_publishing_thread_to_subscribers(settings):
    settings.LEITAI_LIVE_BACKEND, settings.REDIS_URL = "redis", REDIS_URL
    live.reset()
    assert isinstance(live.backend(), RedisBackend)

    async def scenario():
        async with live.subscription("redis-test:1") as a, live.subscription("redis-test:1") as b:
            await asyncio.to_thread(lambda: [live.publish("redis-test:1", {"seq": i, "unit": "东城区"})
                                             for i in range(1, 51)])
            for sub in (a, b):
                message = await sub.next(timeout=5)
                while message.seq != 50:
                    message = await sub.next(timeout=5)
                assert message.data["unit"] == "东城区"

    run(scenario())


def test_the_redis_listener_reloads_subscribed_channels_after_reconnecting(settings):
    settings.LEITAI_LIVE_BACKEND, settings.REDIS_URL = "redis", REDIS_URL
    live.reset()
    state = {"seq": 1}
    live.register_loader("redis-reload:", lambda channel: dict(state))

    async def scenario():
        async with live.subscription("redis-reload:1") as sub:
            assert (await sub.next(timeout=5)).seq == 1
            state["seq"] = 2  # changed while the listener is away
            backend = live.backend()
            await asyncio.to_thread(backend._connected)  # what the listener does after (re)connecting
            assert (await sub.next(timeout=5)).seq == 2

    run(scenario())


def pg_conninfo() -> str | None:
    """The suite's own PostgreSQL database when it runs on one (None: the backend asks Django), else the
    local server, which CI and these machines always run."""
    from django.db import connection

    return None if connection.vendor == "postgresql" else "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.mark.django_db
def test_the_postgres_backend_carries_states_through_listen_notify():
    hub = Hub()
    stored = {"seq": 0, "rows": "state when the listener connects"}
    loads = []

    def loader(channel):
        loads.append(channel)
        return dict(stored)

    backend = PostgresBackend(hub, loader, conninfo=pg_conninfo())

    async def scenario():
        sub = await opened(hub, "pg-test:1")
        assert await asyncio.to_thread(backend.wait_ready, 10)
        # On connecting, the listener reloads the channels that have subscribers.
        assert (await sub.next(timeout=5)).seq == 0
        await asyncio.to_thread(backend.publish, "pg-test:1", {"seq": 1, "unit": "西城区"})
        message = await sub.next(timeout=5)
        assert message.seq == 1 and message.data["unit"] == "西城区"
        # Too large for a NOTIFY: a refetch marker goes out, and the listener rebuilds the state once.
        stored.update(seq=2, rows="擂" * PG_MAX_PAYLOAD)
        await asyncio.to_thread(backend.publish, "pg-test:1", dict(stored))
        message = await sub.next(timeout=5)
        assert message.seq == 2 and len(message.data["rows"]) == PG_MAX_PAYLOAD and len(loads) == 2
        sub.close()

    try:
        run(scenario())
    finally:
        backend.close()


@pytest.mark.django_db
def test_the_postgres_backend_is_chosen_by_the_setting(settings):
    settings.LEITAI_LIVE_BACKEND = "postgres"
    live.reset()
    assert isinstance(live.backend(), PostgresBackend)
    settings.LEITAI_LIVE_BACKEND = "carrier-pigeon"
    live.reset()
    with pytest.raises(RuntimeError, match="carrier-pigeon"):
        live.backend()
