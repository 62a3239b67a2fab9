"""The lean ASGI paths `leitai serve` puts in front of Django (leitai.arena.lean): many phones' sheets in one
transaction with the same checks and answers as the API, and what goes on to Django."""

from __future__ import annotations

import asyncio
import json

import pytest
from asgiref.sync import async_to_sync
from django.core.asgi import get_asgi_application

from leitai.arena import services
from leitai.arena.base.events import JudgeRefused, ScoringClosed
from leitai.arena.day.lean import InlineWriter, LeanArena, SheetWriter, language_of, parse_sheet
from leitai.arena.day.sheets import SheetRequest, UnknownContestant, UnknownLink, submit_batch
from leitai.arena.models import ScoreSheet, ScoreSheetRevision
from leitai.core.errors import LeitaiError
from tests.asgi_client import AsgiClient, scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_a(arena, organizer, contestants, panel, stage_to):
    return stage_to(contestants["A"], "scoring_open", organizer)


class RecordingWriter(InlineWriter):
    def __init__(self):
        self.seen = []

    async def submit(self, request):
        self.seen.append(request)
        return await super().submit(request)


def _body(contestant, scores, key):
    return json.dumps({"contestant": contestant.pk, "scores": scores, "client_key": key})


def test_a_batch_decides_each_request_on_its_own_in_order(open_a, contestants, panel, sheet):
    t = panel.tokens
    outcomes = submit_batch([
        SheetRequest(open_a.pk, sheet(8), "a1", token=t["L1"]),
        SheetRequest(open_a.pk, sheet(8), "a1", token=t["L1"]),        # a double tap in the same batch
        SheetRequest(open_a.pk, sheet(9), "a2", token=t["L1"]),        # then a change
        SheetRequest(open_a.pk, sheet(7), "b1", token="not-a-token"),
        SheetRequest(open_a.pk, sheet(7), "c1", token=t["L3"]),        # recused from A's unit
        SheetRequest(contestants["B"].pk, sheet(7), "d1", token=t["P1"]),  # B is not open
        SheetRequest(99999, sheet(7), "e1", token=t["P1"]),
        SheetRequest(open_a.pk, {"quality": 8}, "f1", token=t["P2"]),  # incomplete sheet
        SheetRequest(open_a.pk, sheet(6), "g1", token=t["P1"]),
    ])
    first, tap, change, unknown, recused, closed, missing, incomplete, fine = outcomes
    assert (first.duplicate, first.version) == (False, 1)
    assert tap.duplicate and tap.sheet.pk == first.sheet.pk and tap.version == 1
    assert (change.duplicate, change.version) == (False, 2)
    assert isinstance(unknown, UnknownLink) and isinstance(recused, JudgeRefused)
    assert isinstance(closed, ScoringClosed) and isinstance(missing, UnknownContestant)
    assert isinstance(incomplete, LeitaiError) and not isinstance(incomplete, JudgeRefused | ScoringClosed)
    assert not fine.duplicate
    stored = {s.judge.name: s for s in ScoreSheet.objects.select_related("judge")}
    assert set(stored) == {"L1", "P1"} and stored["L1"].total == 9 and stored["L1"].version == 2
    assert sorted(ScoreSheetRevision.objects.values_list("client_key", "version", "action")) == [
        ("a1", 1, "submit"), ("a2", 2, "change"), ("g1", 1, "submit")]
    # The same batch again writes nothing: every key is known now.
    again = submit_batch([SheetRequest(open_a.pk, sheet(8), "a1", token=t["L1"]),
                          SheetRequest(open_a.pk, sheet(6), "g1", token=t["P1"])])
    assert all(o.duplicate for o in again) and ScoreSheetRevision.objects.count() == 3


def test_the_lean_path_stores_through_the_writer_and_answers_like_the_api(open_a, panel, sheet):
    writer = RecordingWriter()
    client = AsgiClient(LeanArena(get_asgi_application(), sheet_writer=writer))
    url = f"/api/v1/arena/judge/{panel.tokens['L1']}/sheets"
    r = client.post(url, _body(open_a, sheet(8), "k1"))
    code = r.json()["receipt"]
    assert r.status_code == 200 and r.json() == {"status": "submitted", "version": 1, "receipt": code}
    assert r["content-type"].startswith("application/json") and len(writer.seen) == 1
    assert client.post(url, _body(open_a, sheet(8), "k1")).json() == {"status": "duplicate", "version": 1,
                                                                      "receipt": code}
    # Bodies the API's schema refuses go on to Django, whose answer is the API's 422.
    for bad in ({"contestant": open_a.pk, "scores": sheet(8)}, {"contestant": "1", "scores": sheet(8), "client_key": "k"},
                {"contestant": open_a.pk, "scores": {"quality": "8"}, "client_key": "k"}):
        assert client.post(url, json.dumps(bad)).status_code == 422
    assert client.post(url, "not json").status_code in (400, 422)
    assert len(writer.seen) == 2 and ScoreSheet.objects.count() == 1


def test_the_lean_path_answers_in_the_judges_language(open_a, contestants, panel, sheet):
    client = AsgiClient(LeanArena(get_asgi_application(), sheet_writer=RecordingWriter()))
    url = f"/api/v1/arena/judge/{panel.tokens['P1']}/sheets"
    zh = client.post(url, _body(contestants["B"], sheet(8), "k1"))
    en = client.post(url, _body(contestants["B"], sheet(8), "k2"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert zh.status_code == en.status_code == 409
    assert "评分尚未开始" in zh.json()["detail"] and "has not opened" in en.json()["detail"]
    assert client.post("/api/v1/arena/judge/nope/sheets", _body(open_a, sheet(8), "k3")).status_code == 403
    assert client.post(url, json.dumps({"contestant": 99999, "scores": sheet(8), "client_key": "k4"})).status_code == 404


def test_language_and_body_parsing_follow_django_and_the_schema():
    assert language_of(scope("GET", "/", {"accept-language": "en-US,en;q=0.8"})) == "en"
    assert language_of(scope("GET", "/", {"accept-language": "en", "cookie": "django_language=zh-hans"})) == "zh-hans"
    assert language_of(scope("GET", "/", {"accept-language": "fr"})) == "zh-hans"
    assert parse_sheet(b'{"contestant": 3, "scores": {"q": 8, "p": 7.5}, "client_key": "k"}') == (3, {"q": 8.0, "p": 7.5}, "k")
    for bad in (b"[]", b"{}", b'{"contestant": true, "scores": {}, "client_key": "k"}',
                b'{"contestant": 3, "scores": {"q": true}, "client_key": "k"}',
                b'{"contestant": 3, "scores": {"q": 8}, "client_key": ""}',
                b'{"contestant": 3, "scores": {"q": 8}, "client_key": "k", "x": 1}', b"\xff"):
        assert parse_sheet(bad) is None


def test_other_paths_and_methods_go_on_to_django(arena, client):
    calls = []

    async def django_app(scope, receive, send):
        calls.append((scope["method"], scope["path"]))
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    app = LeanArena(django_app)
    client = AsgiClient(app)
    assert client.get("/api/v1/arena/judge/tok/sheets").status_code == 204
    assert client.get(f"/arena/{arena.pk}/stream/").status_code == 204  # in set-up: not public yet
    assert client.get("/arena/j/unknown/stream/").status_code == 204
    assert client.get("/").status_code == 204
    assert calls == [("GET", "/api/v1/arena/judge/tok/sheets"), ("GET", f"/arena/{arena.pk}/stream/"),
                     ("GET", "/arena/j/unknown/stream/"), ("GET", "/")]


@pytest.mark.django_db(transaction=True)
def test_the_writer_thread_stores_concurrent_sheets_in_few_transactions(open_a, panel, sheet):
    """The real writer: 40 phones at once (with double taps) → every sheet stored once, in batches."""
    writer = SheetWriter()
    tokens = [panel.tokens[name] for name in ("L1", "L2", "P1", "P2", "P3")]

    async def day():
        requests = [SheetRequest(open_a.pk, sheet(5 + i % 5), f"key-{i}", token=tokens[i % 5]) for i in range(40)]
        requests += requests[:10]  # double taps and retries: the same keys again
        return await asyncio.gather(*(writer.submit(r) for r in requests))

    try:
        outcomes = async_to_sync(day)()
    finally:
        writer.stop()
    assert not writer._thread.is_alive()
    assert all(not isinstance(o, Exception) for o in outcomes)
    assert sum(not o.duplicate for o in outcomes) == 40 and sum(o.duplicate for o in outcomes) == 10
    assert ScoreSheet.objects.count() == 5 and ScoreSheetRevision.objects.count() == 40
    assert sorted(ScoreSheet.objects.values_list("version", flat=True)) == [8, 8, 8, 8, 8]
    assert writer.batches < 40


def test_a_revoked_link_cannot_score_through_the_lean_path(open_a, panel, sheet, organizer):
    services.revoke_token(panel["P1"], organizer)
    client = AsgiClient(LeanArena(get_asgi_application(), sheet_writer=InlineWriter()))
    r = client.post(f"/api/v1/arena/judge/{panel.tokens['P1']}/sheets", _body(open_a, sheet(8), "k"))
    assert r.status_code == 403 and not ScoreSheet.objects.exists()
