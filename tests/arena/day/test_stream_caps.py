"""Hostile clients and the arena's live streams, through the ASGI application `leitai serve` runs (the lean
paths in front of Django): a client over its cap is refused (503, Retry-After, a message saying why) while a
judge's link and a signed-in organizer still connect; a revoked or replaced link's open streams end at once."""

from __future__ import annotations

import asyncio

import pytest
from django.core.asgi import get_asgi_application

from leitai import live
from leitai.arena.day.lean import LeanArena
from leitai.core.judging import flow as arena_flow
from leitai.live.limits import limits
from tests.asgi_client import scope

pytestmark = pytest.mark.django_db(transaction=True)


class Open:
    """One client's GET of a stream, held open until close(); `status`, `headers`, `body` of what came back."""

    def __init__(self, app, path: str, address: str = "10.0.0.1", headers: dict | None = None):
        self.app, self.path, self.address, self.headers = app, path, address, headers or {}
        self.messages: asyncio.Queue = asyncio.Queue()
        self.gone = asyncio.Event()
        self.body = b""

    async def __aenter__(self):
        asked = False

        async def receive():
            nonlocal asked
            if not asked:
                asked = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await self.gone.wait()
            return {"type": "http.disconnect"}

        request = scope("GET", self.path, self.headers)
        request["client"] = (self.address, 40000)
        self.task = asyncio.create_task(self.app(request, receive, self.messages.put))
        start = await asyncio.wait_for(self.messages.get(), 10)
        self.status = start["status"]
        self.headers_out = {k.decode().lower(): v.decode() for k, v in start["headers"]}
        if self.status != 200:
            await self.read_to_end()
        return self

    async def next_event(self, name: bytes = b"event: state", timeout: float = 10) -> bytes:
        while True:
            message = await asyncio.wait_for(self.messages.get(), timeout)
            chunk = message.get("body", b"")
            self.body += chunk
            if name in chunk:
                return chunk
            if not message.get("more_body", False):
                raise EOFError("the stream ended")

    async def read_to_end(self, timeout: float = 10) -> bytes:
        while True:
            message = await asyncio.wait_for(self.messages.get(), timeout)
            self.body += message.get("body", b"")
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                return self.body

    async def __aexit__(self, *exc):
        self.gone.set()
        await asyncio.wait_for(self.task, 10)


@pytest.fixture
def live_arena(arena, contestants, organizer, stage_to, settings):
    settings.LEITAI_STREAMS_PER_ADDRESS, settings.LEITAI_STREAMS_MAX, settings.LEITAI_STREAMS_PER_JUDGE = 2, 3, 2
    stage_to(contestants["A"], arena_flow.ON_STAGE, organizer)  # live: the public may watch
    return arena


def test_a_client_over_its_cap_is_refused_while_a_judge_and_the_organizer_still_connect(live_arena, panel, organizer,
                                                                                       client):
    app = LeanArena(get_asgi_application())
    url = f"/arena/{live_arena.pk}/stream/"
    client.force_login(organizer)
    session = f"sessionid={client.cookies['sessionid'].value}"
    before = limits.counts()

    async def scenario():
        async with Open(app, url) as a1, Open(app, url) as a2:
            assert a1.status == a2.status == 200
            await a1.next_event()
            async with Open(app, url) as a3:  # a third from the same address
                assert a3.status == 503 and int(a3.headers_out["retry-after"]) > 0
                assert "此地址" in a3.body.decode() and "2" in a3.body.decode()
            async with Open(app, url, "10.0.0.2") as b1:  # another address: the third viewer in all
                assert b1.status == 200
                async with Open(app, url, "10.0.0.3") as c1, \
                        Open(app, url, "10.0.0.4", {"accept-language": "en"}) as c2:
                    assert c1.status == c2.status == 503
                    assert "已满" in c1.body.decode() and "full" in c2.body.decode()
                # A judge's phone, from the crowded address, is never refused …
                async with Open(app, f"/arena/j/{panel.tokens['L1']}/stream/") as judge:
                    assert judge.status == 200
                    await judge.next_event()
                    # … nor the organizer's console, whose session takes it to Django.
                    async with Open(app, url, headers={"cookie": session}) as console:
                        assert console.status == 200
                        await console.next_event()
                        now = limits.counts()
                        assert {k: now[k] - before[k] for k in now} == {"viewers": 3, "addresses": 2, "judges": 1,
                                                                         "staff": 1}
            # A viewer gone: the next one comes in.
            async with Open(app, url, "10.0.0.3") as c1:
                assert c1.status == 200

    asyncio.run(scenario())
    assert limits.counts() == before  # every stream, however it ended, gave its place back


@pytest.mark.parametrize("lean", [True, False], ids=["lean", "django"])
def test_a_revoked_links_open_stream_ends_at_once(live_arena, contestants, panel, organizer, lean):
    from leitai.arena import services

    django_app = get_asgi_application()
    app = LeanArena(django_app) if lean else django_app

    async def scenario():
        async with Open(app, f"/arena/j/{panel.tokens['P1']}/stream/") as revoked, \
                Open(app, f"/arena/j/{panel.tokens['P2']}/stream/") as kept:
            await revoked.next_event()
            await kept.next_event()
            await asyncio.to_thread(services.revoke_token, panel["P1"], organizer)
            # The revoked link's stream is over (whatever state changes came first) …
            while True:
                try:
                    await revoked.next_event(timeout=5)
                except EOFError:
                    break
            await asyncio.wait_for(revoked.task, 5)
            # … the other judge's goes on.
            assert not kept.task.done()
            await asyncio.to_thread(services.advance, contestants["A"], arena_flow.SPEECH, organizer)
            assert b"speech" in await kept.next_event(b"speech")  # a whole state or what changed
            # Opening the revoked link again is refused.
            async with Open(app, f"/arena/j/{panel.tokens['P1']}/stream/") as again:
                assert again.status == 403

    asyncio.run(scenario())
    assert live.hub.subscriber_count(f"arena:{live_arena.pk}") == 0


def test_a_replaced_links_stream_ends_and_a_links_oldest_stream_makes_room(live_arena, panel, organizer):
    from leitai.arena import services

    app = LeanArena(get_asgi_application())
    old = panel.tokens["L2"]

    async def scenario():
        async with Open(app, f"/arena/j/{old}/stream/") as first, Open(app, f"/arena/j/{old}/stream/") as second:
            await first.next_event()
            await second.next_event()
            # LEITAI_STREAMS_PER_JUDGE = 2: a third stream of the link closes the first.
            async with Open(app, f"/arena/j/{old}/stream/") as third:
                assert third.status == 200
                await third.next_event()
                await asyncio.wait_for(first.task, 5)
                assert not second.task.done()
                new = await asyncio.to_thread(services.issue_token, panel["L2"], organizer)
                await asyncio.wait_for(asyncio.gather(second.task, third.task), 5)
                async with Open(app, f"/arena/j/{new}/stream/") as renewed:
                    assert renewed.status == 200

    asyncio.run(scenario())
