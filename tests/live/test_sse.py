"""The server-sent event streams, read with Django's AsyncClient: the current state at once, each change as
the next event, heartbeats, and never a judge's score in what the public (or a judge) receives."""

from __future__ import annotations

import asyncio
import json

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.test import AsyncClient
from django.urls import reverse

from leitai.arena.day.selectors import results_of
from leitai.core.judging import flow as arena_flow

pytestmark = pytest.mark.django_db


def parse(chunk: bytes) -> dict:
    """One SSE block → {"event", "id", "data", "comment", "retry"}."""
    out = {}
    for line in filter(None, chunk.decode().splitlines()):
        field, _, value = line.partition(":")
        if field == "":
            out["comment"] = value.strip()
        elif field == "data":
            out["data"] = json.loads(value.strip())
        else:
            out[field] = value.strip()
    return out


async def next_state(stream, timeout=5.0) -> dict:
    """The next state (skipping the time event and heartbeats): a "state" event as sent, or a "patch" event
    applied to the state the stream holds, as the pages' live.js does ({"event": "patch", "data": state})."""
    while True:
        block = parse(await asyncio.wait_for(anext(stream.chunks), timeout))
        if block.get("event") == "state":
            stream.held = block["data"]
            return block
        if block.get("event") == "patch":
            held, patch = stream.held, block["data"]
            assert held is not None
            if "from" in patch:  # a new event, as what changed since the state named
                assert patch["from"] == [held["seq"], held.get("rev", 0)]
            else:
                assert patch["seq"] == held["seq"]
            state = json.loads(json.dumps(held))
            for path, value in patch["set"].items():
                head, _, tail = path.partition(".")
                if not tail:
                    state[head] = value
                elif isinstance(state[head], list):
                    state[head][int(tail)] = value
                else:
                    state[head][tail] = value
            state["seq"], state["rev"] = patch["seq"], patch["rev"]
            stream.held = state
            return {**block, "data": state, "patch": block["data"]}


class Stream:
    """Open a stream with AsyncClient; close it (like a browser tab going away) when done."""

    def __init__(self, url, **headers):
        self.url, self.headers = url, headers
        self.held = None

    async def __aenter__(self):
        self.response = await AsyncClient().get(self.url, **self.headers)
        self.chunks = aiter(self.response.streaming_content)
        return self

    async def __aexit__(self, *exc):
        await self.chunks.aclose()


def advance(contestant, stage, user, stage_to, capture):
    """Move a contestant as the console does; the commit's announcement runs (tests keep one transaction)."""
    with capture(execute=True):
        stage_to(contestant, stage, user)


def test_the_public_stream_sends_the_current_state_at_once_then_each_change(arena, contestants, organizer, stage_to,
                                                                           django_capture_on_commit_callbacks):
    advance(contestants["A"], arena_flow.ON_STAGE, organizer, stage_to, django_capture_on_commit_callbacks)

    async def scenario():
        async with Stream(reverse("arena:stream", args=[arena.pk])) as s:
            assert s.response["Content-Type"].startswith("text/event-stream")
            assert s.response["Cache-Control"] == "no-cache" and s.response["X-Accel-Buffering"] == "no"
            hello = parse(await anext(s.chunks))
            assert hello["retry"] == "3000" and hello["event"] == "time" and hello["data"]["now"] > 0
            first = await next_state(s)
            assert first["data"]["current"]["unit"] == "东城区" and first["data"]["current"]["stage"] == "on_stage"
            assert int(first["id"]) == first["data"]["seq"]
            await sync_to_async(advance)(contestants["A"], arena_flow.SPEECH, organizer, stage_to,
                                         django_capture_on_commit_callbacks)
            second = await next_state(s)
            assert second["data"]["current"]["stage"] == "speech"
            assert second["data"]["current"]["speech_ends_at"] > 0
            assert int(second["id"]) > int(first["id"])

    async_to_sync(scenario)()


def test_a_reconnecting_viewer_with_last_event_id_simply_gets_the_current_state(arena, contestants, organizer,
                                                                                stage_to,
                                                                                django_capture_on_commit_callbacks):
    advance(contestants["A"], arena_flow.SPEECH, organizer, stage_to, django_capture_on_commit_callbacks)

    async def scenario():
        async with Stream(reverse("arena:stream", args=[arena.pk]), headers={"Last-Event-ID": "1"}) as s:
            state = await next_state(s)
            assert state["data"]["current"]["stage"] == "speech"

    async_to_sync(scenario)()


def test_an_idle_stream_sends_heartbeats(arena, contestants, organizer, stage_to, django_capture_on_commit_callbacks,
                                         monkeypatch):
    from leitai.live import sse

    monkeypatch.setattr(sse, "HEARTBEAT_SECONDS", 0.05)
    advance(contestants["A"], arena_flow.ON_STAGE, organizer, stage_to, django_capture_on_commit_callbacks)

    async def scenario():
        async with Stream(reverse("arena:stream", args=[arena.pk])) as s:
            await next_state(s)
            assert parse(await asyncio.wait_for(anext(s.chunks), 2)) == {"comment": "heartbeat"}

    async_to_sync(scenario)()


def test_the_stream_carries_counts_and_revealed_results_but_never_a_judges_score(
        arena, contestants, organizer, panel, stage_to, sheet, django_capture_on_commit_callbacks):
    from leitai.arena import services

    a = contestants["A"]
    advance(a, arena_flow.SCORING_OPEN, organizer, stage_to, django_capture_on_commit_callbacks)
    odd = {"quality": 7.5, "position": 6.5, "innovation": 9.5, "project": 5.5, "environment": 8.5,
           "responsibility": 3.5}

    def submit(name, scores):
        with django_capture_on_commit_callbacks(execute=True):
            services.submit_sheet(panel[name], a, scores, f"{name}-key")

    async def scenario():
        async with Stream(reverse("arena:stream", args=[arena.pk])) as s:
            before = await next_state(s)
            assert before["data"]["current"]["submitted"] == 0
            await sync_to_async(submit)("L1", odd)
            after = await next_state(s)
            assert after["data"]["current"]["submitted"] == 1
            # Only the counters travel: a patch of a few values, not the whole state again.
            assert after["event"] == "patch" and "current.submitted" in after["patch"]["set"]
            assert len(after["patch"]["set"]) <= 4
            text = json.dumps(after["data"])
            assert not any(str(v) in text for v in odd.values())
            for name in ("L2", "P1", "P2", "P3", "P4", "P5"):
                await sync_to_async(submit)(name, sheet(8))
            await sync_to_async(advance)(a, arena_flow.SCORING_CLOSED, organizer, stage_to,
                                         django_capture_on_commit_callbacks)
            await sync_to_async(advance)(a, arena_flow.REVEALED, organizer, stage_to,
                                         django_capture_on_commit_callbacks)
            state = await next_state(s)
            while state["data"]["current"]["stage"] != "revealed":
                state = await next_state(s)
            results = results_of(state["data"])
            assert [r["unit"] for r in results] == ["东城区"] and results[0]["rank"] == 1
            assert results[0]["score"] > 0  # the revealed result travels in the event itself
            assert not any(str(v) in json.dumps(state["data"]) for v in (7.5, 6.5, 9.5, 5.5, 3.5))

    async_to_sync(scenario)()


def test_an_arena_in_setup_streams_only_to_organizers(client, login, arena, organizer, reporter_a):
    url = reverse("arena:stream", args=[arena.pk])
    assert client.get(url).status_code == 403
    assert login(reporter_a).get(url).status_code == 403
    response = login(organizer).get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/event-stream")
    assert client.get(reverse("arena:stream", args=[987654])).status_code == 404


def test_a_judges_stream_follows_the_arena_and_refuses_a_revoked_link(arena, contestants, organizer, panel, stage_to,
                                                                     django_capture_on_commit_callbacks):
    from leitai.arena import services

    advance(contestants["B"], arena_flow.SCORING_OPEN, organizer, stage_to, django_capture_on_commit_callbacks)

    async def scenario():
        async with Stream(reverse("arena:judge_stream", args=[panel.tokens["L1"]])) as s:
            state = await next_state(s)
            assert state["data"]["current"]["unit"] == "西城区" and state["data"]["current"]["stage"] == "scoring_open"

    async_to_sync(scenario)()
    services.revoke_token(panel["L1"], organizer)
    denied = async_to_sync(AsyncClient().get)(reverse("arena:judge_stream", args=[panel.tokens["L1"]]))
    assert denied.status_code == 403


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lean", [False, True], ids=["django", "lean"])
def test_a_client_disconnect_ends_the_stream_and_its_subscription(arena, contestants, organizer, stage_to, lean):
    """Through the real ASGI handler, as uvicorn drives it: the browser goes away mid-stream. Both Django's
    stream view and the lean path `leitai serve` runs in front of it (which must not hand it to Django)."""
    from django.core.asgi import get_asgi_application

    from leitai import live
    from leitai.arena.day.lean import LeanArena
    from tests.asgi_client import scope

    stage_to(contestants["A"], arena_flow.ON_STAGE, organizer)
    django_app = get_asgi_application()
    handed_on = []

    async def spy(scope, receive, send):
        handed_on.append(scope["path"])
        return await django_app(scope, receive, send)

    app = LeanArena(spy) if lean else django_app
    url = reverse("arena:stream", args=[arena.pk])
    channel = f"arena:{arena.pk}"

    async def scenario():
        inbox = asyncio.Queue()
        await inbox.put({"type": "http.request", "body": b"", "more_body": False})
        got_state = asyncio.Event()
        sent = []

        async def send(message):
            sent.append(message)
            if b"event: state" in message.get("body", b""):
                got_state.set()

        request = asyncio.create_task(app(scope("GET", url), inbox.get, send))
        await asyncio.wait_for(got_state.wait(), 10)
        assert sent[0]["status"] == 200 and live.hub.subscriber_count(channel) == 1
        await inbox.put({"type": "http.disconnect"})
        await asyncio.wait_for(request, 5)
        assert live.hub.subscriber_count(channel) == 0

    asyncio.run(scenario())
    assert handed_on == []
