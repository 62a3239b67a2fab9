"""The hub paces refreshes: a state with a new seq (a stage change, a reveal) wakes subscribers at once; a
state with the same seq (one more sheet counted) wakes them at most once per refresh interval, with the
latest state. This keeps 5,000 big screens from receiving every one of 300 sheet counts (bench_arena)."""

from __future__ import annotations

import asyncio
import time

from leitai.live.hub import Hub, Subscription


def test_counter_refreshes_are_paced_but_a_new_event_goes_out_at_once():
    async def scenario():
        hub = Hub(refresh=0.5)
        sub = Subscription(hub, "arena:1")
        sub.open()
        hub.publish("arena:1", {"seq": 1, "submitted": 0})
        assert (await sub.next()).data["submitted"] == 0

        # Three more sheets within the interval: one wake-up, late, carrying the last count.
        started = time.monotonic()
        for n in (1, 2, 3):
            await asyncio.to_thread(hub.publish, "arena:1", {"seq": 1, "submitted": n})
        message = await sub.next()
        waited = time.monotonic() - started
        assert message.data["submitted"] == 3
        assert 0.35 < waited < 1.5

        # The reveal (a new seq) right after that wake-up is not held back.
        started = time.monotonic()
        await asyncio.to_thread(hub.publish, "arena:1", {"seq": 2, "revealed": True})
        message = await sub.next()
        assert message.data["revealed"] is True
        assert time.monotonic() - started < 0.2
        sub.close()

    asyncio.run(asyncio.wait_for(scenario(), 10))
