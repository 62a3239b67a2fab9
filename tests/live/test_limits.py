"""Who may hold a live stream open (leitai.live.limits): viewers per address and in all, judges' links
(never refused, the oldest stream closed), organizers (never refused), and the hub closing a tag's
subscriptions — here and, through Redis, in another process's hub."""

from __future__ import annotations

import asyncio

import pytest

from leitai import live
from leitai.live.hub import CONTROL, Closed, Hub, Subscription
from leitai.live.limits import JUDGE, STAFF, VIEWER, Refusal, StreamLimits, Ticket, auto_max, client_key


@pytest.fixture
def caps(settings):
    def set_caps(per_address=3, total=5, per_judge=2):
        settings.LEITAI_STREAMS_PER_ADDRESS = per_address
        settings.LEITAI_STREAMS_MAX = total
        settings.LEITAI_STREAMS_PER_JUDGE = per_judge
        return StreamLimits()

    return set_caps


def test_a_viewer_over_the_per_address_cap_is_refused_and_others_still_come_in(caps):
    limits = caps(per_address=3, total=100)
    tickets = [limits.admit(VIEWER, "10.0.0.1") for _ in range(3)]
    assert all(isinstance(t, Ticket) for t in tickets)
    refused = limits.admit(VIEWER, "10.0.0.1")
    assert isinstance(refused, Refusal) and refused.reason == "address" and refused.limit == 3
    assert refused.retry_after > 0 and "3" in refused.message()
    assert isinstance(limits.admit(VIEWER, "10.0.0.2"), Ticket)
    tickets[0].release()
    tickets[0].release()  # twice: counted once
    assert isinstance(limits.admit(VIEWER, "10.0.0.1"), Ticket)
    assert limits.counts()["viewers"] == 4


def test_the_total_refuses_viewers_but_never_a_judge_or_an_organizer(caps):
    limits = caps(per_address=0, total=5)
    for i in range(5):
        assert isinstance(limits.admit(VIEWER, f"10.0.1.{i}"), Ticket)
    refused = limits.admit(VIEWER, "10.0.2.1")
    assert isinstance(refused, Refusal) and refused.reason == "total" and refused.limit == 5
    assert "已满" in refused.message()
    for i in range(50):
        assert isinstance(limits.admit(JUDGE, f"link-{i}"), Ticket)
        assert isinstance(limits.admit(STAFF, f"user-{i}"), Ticket)
    assert limits.counts() == {"viewers": 5, "addresses": 5, "judges": 50, "staff": 50}


def test_a_judges_link_over_its_cap_closes_its_oldest_stream_instead_of_refusing(caps):
    limits = caps(per_judge=2)
    closed = []
    first, second = limits.admit(JUDGE, "h"), limits.admit(JUDGE, "h")
    first.bind(lambda: closed.append("first"))
    second.bind(lambda: closed.append("second"))
    third = limits.admit(JUDGE, "h")
    assert isinstance(third, Ticket) and closed == ["first"] and first.evicted
    first.release()  # the evicted stream ends and releases: the link still holds two
    assert limits.counts()["judges"] == 2
    assert third.bind(lambda: None)  # a fresh ticket binds


def test_an_ipv6_client_counts_by_its_64_and_a_mapped_ipv4_as_the_ipv4():
    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")
    assert client_key("::ffff:10.1.2.3") == client_key("10.1.2.3") == "10.1.2.3"
    assert client_key("") == "?"


def test_the_automatic_total_leaves_descriptors_for_everything_else(monkeypatch):
    import resource

    monkeypatch.setattr(resource, "getrlimit", lambda _which: (1024, 4096))
    assert auto_max() == 768
    monkeypatch.setattr(resource, "getrlimit", lambda _which: (1_000_000, 1_000_000))
    assert auto_max() == 10_000


def test_closing_a_tag_ends_its_subscriptions_at_once_and_refuses_it_for_a_while():
    async def scenario():
        hub = Hub()
        tagged = Subscription(hub, "arena:1", tag="judge:abc")
        other = Subscription(hub, "arena:1", tag="judge:def")
        public = Subscription(hub, "arena:1")
        for sub in (tagged, other, public):
            sub.open()
        hub.publish("arena:1", {"seq": 1})
        for sub in (tagged, other, public):
            assert (await sub.next(timeout=1)).seq == 1
        waiting = asyncio.ensure_future(tagged.next())
        await asyncio.sleep(0.05)
        assert await asyncio.to_thread(hub.close_tag, "judge:abc") == 1
        with pytest.raises(Closed):
            await asyncio.wait_for(waiting, 2)
        # The others are untouched.
        hub.publish("arena:1", {"seq": 2})
        assert (await other.next(timeout=1)).seq == 2 and (await public.next(timeout=1)).seq == 2
        # A stream opening with the closed tag right after (a lookup cached before the revocation) ends at once.
        late = Subscription(hub, "arena:1", tag="judge:abc")
        late.open()
        with pytest.raises(Closed):
            await late.next(timeout=1)
        # The control channel carries the same order (how it reaches other processes).
        assert hub.publish(CONTROL, {"close": "judge:def"}) is True
        with pytest.raises(Closed):
            await other.next(timeout=1)
        for sub in (tagged, other, public, late):
            sub.close()

    asyncio.run(asyncio.wait_for(scenario(), 10))


def test_close_streams_reaches_another_processs_hub_through_redis(settings):
    """Two hubs, each with its own Redis listener, stand for two server processes."""
    from leitai.live.backends import RedisBackend

    settings.LEITAI_LIVE_BACKEND, settings.REDIS_URL = "redis", "redis://127.0.0.1:6379/0"
    live.reset()
    other_hub = Hub()
    other = RedisBackend(other_hub, lambda channel: None, settings.REDIS_URL)
    assert other.wait_ready(5) and live.backend().wait_ready(5)

    async def scenario():
        sub = Subscription(other_hub, "arena:9", tag="judge:redis-test")
        sub.open()
        other_hub.publish("arena:9", {"seq": 1})
        assert (await sub.next(timeout=1)).seq == 1
        await asyncio.to_thread(live.close_streams, "judge:redis-test")
        with pytest.raises(Closed):
            await sub.next(timeout=5)
        sub.close()

    try:
        asyncio.run(asyncio.wait_for(scenario(), 15))
    finally:
        other.close()
