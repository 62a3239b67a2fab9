"""The hub paces refreshes: a state with a new seq (a stage change, a reveal) wakes subscribers at once; a
state with the same seq (one more sheet counted) wakes them at most once per refresh interval, with the
latest state. This keeps 5,000 big screens from receiving every one of 300 sheet counts (bench_arena)."""

from __future__ import annotations

import asyncio
import json
import time

from leitai.live.hub import SHARDS, Hub, Subscription


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


def test_a_counter_refresh_reaches_a_large_audience_in_staggered_shards_but_a_new_seq_at_once():
    from leitai.live.hub import STAGGER_FROM, STAGGER_SECONDS

    async def scenario():
        hub = Hub(refresh=0.2)
        subs = [Subscription(hub, "arena:1") for _ in range(STAGGER_FROM + 40)]
        for sub in subs:
            sub.open()
        hub.publish("arena:1", {"seq": 1, "submitted": 0})
        for sub in subs:
            await sub.next()

        async def arrival(sub):
            await sub.next()
            return time.monotonic()

        await asyncio.sleep(0.25)
        started = time.monotonic()
        waiting = [asyncio.create_task(arrival(sub)) for sub in subs]
        await asyncio.sleep(0)
        hub.publish("arena:1", {"seq": 1, "submitted": 5})
        times = [t - started for t in await asyncio.gather(*waiting)]
        # Shard 0 at once, the last shard about STAGGER_SECONDS later: never all in one go.
        assert min(times) < 0.1 and max(times) > STAGGER_SECONDS * 0.6
        assert max(times) < STAGGER_SECONDS + 0.5

        started = time.monotonic()
        waiting = [asyncio.create_task(arrival(sub)) for sub in subs]
        await asyncio.sleep(0)
        hub.publish("arena:1", {"seq": 2, "revealed": True})
        assert max(t - started for t in await asyncio.gather(*waiting)) < 0.2
        for sub in subs:
            sub.close()

    asyncio.run(asyncio.wait_for(scenario(), 10))


def test_a_loop_with_more_subscribers_than_refresh_per_stretches_its_counter_refreshes(monkeypatch):
    import sys

    monkeypatch.setattr(sys.modules["leitai.live.hub"], "REFRESH_PER", 100)  # 300 subscribers: a refresh every 3 × 0.2 s

    async def scenario():
        hub = Hub(refresh=0.2)
        subs = [Subscription(hub, "arena:1") for _ in range(300)]
        for sub in subs:
            sub.open()
        hub.publish("arena:1", {"seq": 1, "submitted": 0})
        for sub in subs:
            await sub.next()
        await asyncio.to_thread(hub.publish, "arena:1", {"seq": 1, "submitted": 1})
        await subs[0].next()  # a counter refresh: the interval starts again now
        started = time.monotonic()
        await asyncio.gather(*(sub.next() for sub in subs[1:]))  # the others' shards follow within the stagger
        waiting = [asyncio.create_task(sub.next()) for sub in subs]
        await asyncio.to_thread(hub.publish, "arena:1", {"seq": 1, "submitted": 2})
        await asyncio.sleep(0.05)
        # Paced, the 300 wait on their shards' events: the slot's one timer wakes them, none has a timer of its own.
        assert len(asyncio.get_running_loop()._scheduled) <= SHARDS + 2  # type: ignore[attr-defined]  # not 300
        assert [m.data["submitted"] for m in await asyncio.gather(*waiting)] == [2] * 300
        assert time.monotonic() - started > 0.45  # not 0.2: stretched in proportion to the audience
        started = time.monotonic()
        await asyncio.to_thread(hub.publish, "arena:1", {"seq": 2, "revealed": True})
        assert (await subs[0].next()).data["revealed"] is True
        assert time.monotonic() - started < 0.2  # a new seq is never held back
        for sub in subs:
            sub.close()

    asyncio.run(asyncio.wait_for(scenario(), 10))


def test_heartbeats_come_from_one_timer_per_channel_and_a_change_still_comes_at_once():
    async def scenario():
        hub = Hub(refresh=0.5)
        subs = [Subscription(hub, "arena:1", heartbeat=0.1) for _ in range(3)]
        for sub in subs:
            sub.open()
        hub.publish("arena:1", {"seq": 1})
        assert [(await sub.next()).seq for sub in subs] == [1, 1, 1]
        started = time.monotonic()
        assert [await sub.next() for sub in subs] == [None, None, None]  # the heartbeat
        assert time.monotonic() - started < 0.5
        hub.publish("arena:1", {"seq": 2})
        assert (await subs[0].next()).seq == 2
        slot = subs[0]._slot
        assert slot.beat_timer is not None
        for sub in subs:
            sub.close()
        assert slot.beat_timer is None  # the last subscriber gone: no timer left behind

    asyncio.run(asyncio.wait_for(scenario(), 10))


def test_within_one_seq_a_state_with_fewer_sheets_never_replaces_one_with_more():
    async def scenario():
        hub = Hub()
        sub = Subscription(hub, "arena:1")
        sub.open()
        assert hub.publish("arena:1", {"seq": 3, "rev": 10})
        assert hub.publish("arena:1", {"seq": 3, "rev": 8}) is False  # another process's older count
        assert hub.publish("arena:1", {"seq": 3, "rev": 10, "again": True})
        assert hub.publish("arena:1", {"seq": 4, "rev": 0})  # a new event wins whatever its count
        assert hub.latest("arena:1").data == {"seq": 4, "rev": 0}
        sub.close()

    asyncio.run(scenario())


def test_counter_changes_go_out_as_patches_to_viewers_holding_the_chain_and_whole_states_otherwise():
    def state(seq, submitted, stage="scoring_open", rev=0):
        return {"seq": seq, "rev": rev, "server_time": 1000 + rev,
                "current": {"id": 7, "stage": stage, "submitted": submitted, "expected": 90},
                "contestants": [{"id": 7, "stage": stage}], "results": []}

    async def scenario():
        hub = Hub(refresh=0.0)
        early = Subscription(hub, "arena:1")
        early.open()
        hub.publish("arena:1", state(3, 0))
        first = await early.next()
        assert early.frame(first) == first.sse and first.patch_sse is None

        hub.publish("arena:1", state(3, 1, rev=1))
        one = await early.next()
        frame = early.frame(one)
        assert frame.startswith(b"id: 3\nevent: patch\n")
        body = json.loads(frame.split(b"data: ", 1)[1])
        assert body == {"seq": 3, "rev": 1, "set": {"current.submitted": 1, "rev": 1, "server_time": 1001}}

        # A viewer joining mid-chain gets the whole state first, then patches.
        late = Subscription(hub, "arena:1")
        late.open()
        assert late.frame(await late.next()).startswith(b"id: 3\nevent: state\n")
        hub.publish("arena:1", state(3, 2, rev=2))
        two = await early.next()
        assert early.frame(two).startswith(b"id: 3\nevent: patch\n")
        assert late.frame(await late.next()).startswith(b"id: 3\nevent: patch\n")

        # A new seq (a stage change, a reveal) is a whole state, and starts a new chain.
        hub.publish("arena:1", state(4, 2, stage="scoring_closed", rev=2))
        closed = await early.next()
        assert early.frame(closed) == closed.sse
        early.close()
        late.close()

    asyncio.run(asyncio.wait_for(scenario(), 10))


def test_a_patch_names_every_value_changed_since_the_chains_whole_state():
    from leitai.live.hub import PATCH_LIMIT, changed_paths

    async def scenario():
        hub = Hub(refresh=0.0)
        sub = Subscription(hub, "c")
        sub.open()
        hub.publish("c", {"seq": 1, "a": 1, "b": {"x": 1, "y": 1}})
        hub.publish("c", {"seq": 1, "a": 2, "b": {"x": 1, "y": 1}})
        hub.publish("c", {"seq": 1, "a": 1, "b": {"x": 1, "y": 5}})  # a went back: still in the patch
        latest = hub.latest("c")
        body = json.loads(latest.patch_sse.split(b"data: ", 1)[1])
        assert body["set"] == {"a": 1, "b.y": 5}
        sub.close()

    asyncio.run(scenario())
    assert changed_paths({"a": 1}, {"a": 1, "b": 2}) is None           # a key added: whole state
    assert changed_paths({"a": {"x": 1}}, {"a": {"x": 1, "z": 1}}) is None
    many = {f"k{i}": i for i in range(PATCH_LIMIT + 1)}
    assert changed_paths(many, {k: v + 1 for k, v in many.items()}) is None


def test_a_new_event_goes_as_what_changed_to_viewers_holding_the_state_just_before_it():
    """A reveal to thousands of screens: the new result and stage, not every result so far again."""
    from leitai.live.hub import delta

    rows = [{"id": i, "stage": "revealed", "result": {"score": 90.0 - i, "rank": i + 1}} for i in range(11)]

    def state(seq, last_stage, results):
        return {"seq": seq, "rev": 0, "arena": {"status": "live"},
                "current": {"id": 11, "stage": last_stage},
                "contestants": rows + [{"id": 11, "stage": last_stage, "result": results and {"score": 70, "rank": 12}}],
                "results": [r["result"] for r in rows] + ([{"score": 70, "rank": 12}] if results else [])}

    async def scenario():
        hub = Hub(refresh=0.0)
        holding, late = Subscription(hub, "arena:1"), Subscription(hub, "arena:1")
        holding.open()
        hub.publish("arena:1", state(8, "scoring_closed", False))
        assert holding.frame(await holding.next()).startswith(b"id: 8\nevent: state\n")
        hub.publish("arena:1", state(9, "revealed", True))
        reveal = await holding.next()
        frame = holding.frame(reveal)
        assert frame.startswith(b"id: 9\nevent: patch\n") and len(frame) * 2 < len(reveal.sse)
        body = json.loads(frame.split(b"data: ", 1)[1])
        assert body["from"] == [8, 0] and body["seq"] == 9
        assert set(body["set"]) == {"current.stage", "contestants.11", "results"}
        # Applying it to the state held gives the new state exactly.
        applied = json.loads(json.dumps(state(8, "scoring_closed", False)))
        for path, value in body["set"].items():
            head, _, tail = path.partition(".")
            if not tail:
                applied[head] = value
            elif isinstance(applied[head], list):
                applied[head][int(tail)] = value
            else:
                applied[head][tail] = value
        applied.update(seq=9, rev=0)
        assert applied == reveal.data
        # A viewer that did not hold the state before gets the whole state.
        late.open()
        assert late.frame(await late.next()) == reveal.sse
        holding.close()
        late.close()

    asyncio.run(asyncio.wait_for(scenario(), 10))
    assert delta({"a": 1, "b": 2}, {"a": 1}) is None  # a key removed: the whole state
    assert delta({"a": [1, 2]}, {"a": [1, 2, 3]}) == {"a": [1, 2, 3]}
    assert delta({"a": {"x": 1}}, {"a": {"x": 1, "y": 2}}) == {"a": {"x": 1, "y": 2}}
    assert delta({"a": None}, {"a": {"x": 1}, "b": 0}) == {"a": {"x": 1}, "b": 0}


def test_a_new_event_goes_as_a_delta_to_viewers_holding_an_older_counter_state_too():
    """Paced big screens skip counter states (a refresh every few seconds at 10,000 viewers): when the reveal
    comes they hold a state older than the one just before it, and still get the reveal as what changed —
    one delta made per held version, shared by every viewer holding it."""
    rows = [{"id": i, "stage": "revealed", "result": {"score": 90.0 - i}} for i in range(11)]

    def state(seq, rev, stage):
        return {"seq": seq, "rev": rev, "current": {"id": 11, "stage": stage, "submitted": rev},
                "contestants": rows + [{"id": 11, "stage": stage, "result": {"score": 70} if stage == "revealed" else None}],
                "ranks": {str(i): i + 1 for i in range(12 if stage == "revealed" else 11)}}

    async def scenario():
        hub = Hub(refresh=3600.0)  # counter refreshes never fall due: viewers keep the state they were given
        paced, other, fresh = (Subscription(hub, "arena:1") for _ in range(3))
        for sub in (paced, other):
            sub.open()
        hub.publish("arena:1", state(8, 1, "scoring_open"))
        for sub in (paced, other):
            assert sub.frame(await sub.next()).startswith(b"id: 8\nevent: state\n")
        for rev in range(2, 30):  # sheets counted: same seq, paced away
            hub.publish("arena:1", state(8, rev, "scoring_open"))
        fresh.open()
        assert fresh.frame(await fresh.next()).startswith(b"id: 8\nevent: state\n")  # holds rev 29
        hub.publish("arena:1", state(9, 29, "revealed"))
        reveal = await paced.next()
        frame = paced.frame(reveal)
        body = json.loads(frame.split(b"data: ", 1)[1])
        assert frame.startswith(b"id: 9\nevent: patch\n") and body["from"] == [8, 1]
        assert set(body["set"]) == {"current.stage", "current.submitted", "contestants.11", "ranks"}
        assert other.frame(await other.next()) is frame  # made once for everyone holding rev 1
        fresh_frame = fresh.frame(await fresh.next())
        assert json.loads(fresh_frame.split(b"data: ", 1)[1])["from"] == [8, 29]
        for sub in (paced, other, fresh):
            sub.close()

    asyncio.run(asyncio.wait_for(scenario(), 10))
