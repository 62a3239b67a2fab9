"""The arena API: public lists and state, published results, judges' sheets by token (no session, no
CSRF), the organizer's flow and publication (session and CSRF)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from leitai.arena import services
from leitai.arena.models import Arena, ArenaEvent, Judge, ScoreSheet, ScoreSheetRevision

pytestmark = pytest.mark.django_db

BASE = "/api/v1/arena"


@pytest.fixture(params=["django", "lean"])
def phone(request):
    """A judge's phone: no session, CSRF enforced as in a real browser. Twice: straight to Django, and through
    the ASGI application `leitai serve` runs, whose lean path answers the submissions itself
    (leitai.arena.lean; stored inline here, in the test's transaction)."""
    if request.param == "django":
        return Client(enforce_csrf_checks=True)
    from django.core.asgi import get_asgi_application

    from leitai.arena.day.lean import InlineWriter, LeanArena
    from tests.asgi_client import AsgiClient

    return AsgiClient(LeanArena(get_asgi_application(), sheet_writer=InlineWriter()))


@pytest.fixture
def open_a(arena, organizer, contestants, panel, stage_to):
    return stage_to(contestants["A"], "scoring_open", organizer)


def _post(client, url, data, **extra):
    return client.post(url, json.dumps(data), content_type="application/json", **extra)


def _submit(phone, token, contestant, scores, key="k1"):
    return _post(phone, f"{BASE}/judge/{token}/sheets", {"contestant": contestant.pk, "scores": scores, "client_key": key})


def test_the_public_sees_only_arenas_under_way_or_published(client, arena, other_arena, organizer, login,
                                                            contestants, stage_to):
    assert client.get(f"{BASE}/").json() == []
    stage_to(contestants["A"], "on_stage", organizer)
    listed = client.get(f"{BASE}/").json()
    assert [(a["name"], a["status"], a["period"]) for a in listed] == [("2024年第一季度书记擂台", "live", "2024Q1")]
    assert len(login(organizer).get(f"{BASE}/").json()) == 2


def test_the_state_is_public_once_the_arena_is_under_way(client, arena, contestants, organizer, stage_to):
    assert client.get(f"{BASE}/{arena.pk}/state").status_code == 404
    stage_to(contestants["A"], "speech", organizer)
    state = client.get(f"{BASE}/{arena.pk}/state").json()
    assert state["current"]["unit"] == "东城区" and state["current"]["speech_ends_at"] > state["server_time"] - 10_000
    assert state["seq"] > 0 and [c["unit_code"] for c in state["contestants"]] == ["A", "B", "K"]


def test_a_judge_submits_by_token_without_a_session_or_csrf_token(phone, open_a, panel, sheet):
    r = _submit(phone, panel.tokens["L1"], open_a, sheet(8))
    first = r.json()
    assert r.status_code == 200 and first == {"status": "submitted", "version": 1, "receipt": first["receipt"]}
    again = _submit(phone, panel.tokens["L1"], open_a, sheet(8))
    assert again.status_code == 200 and again.json() == {"status": "duplicate", "version": 1, "receipt": first["receipt"]}
    change = _submit(phone, panel.tokens["L1"], open_a, sheet(9), key="k2")
    assert change.json()["status"] == "submitted" and change.json()["version"] == 2
    assert change.json()["receipt"] != first["receipt"] and len(first["receipt"]) == len("ABCD-EFGH-JK")
    assert ScoreSheetRevision.objects.count() == 2 and ScoreSheet.objects.get().total == 9


@pytest.mark.parametrize("case", ["unknown", "revoked", "other_arena", "recused", "paper"])
def test_a_refused_judge_gets_403(phone, open_a, panel, sheet, other_arena, organizer, case):
    token = panel.tokens["P1"]
    if case == "unknown":
        token = "not-a-token"
    elif case == "revoked":
        services.revoke_token(panel["P1"], organizer)
    elif case == "other_arena":
        token = other_arena.panel.tokens["X1"]
    elif case == "recused":
        token = panel.tokens["L3"]
    else:
        Judge.objects.filter(pk=panel["P1"].pk).update(paper=True)
    r = _submit(phone, token, open_a, sheet(8))
    assert r.status_code == 403 and r.json()["detail"]
    assert not ScoreSheet.objects.exists()


def test_scoring_not_open_or_closed_gets_409(phone, open_a, contestants, panel, sheet, organizer, stage_to):
    assert _submit(phone, panel.tokens["P1"], contestants["B"], sheet(8)).status_code == 409
    stage_to(open_a, "scoring_closed", organizer)
    r = _submit(phone, panel.tokens["P1"], open_a, sheet(8))
    assert r.status_code == 409 and "评分已结束" in r.json()["detail"]


@pytest.mark.parametrize("scores", [
    {"quality": 8}, {"quality": 8.25, "position": 8, "innovation": 8, "project": 8, "environment": 8,
                     "responsibility": 8},
    {"quality": True, "position": 8, "innovation": 8, "project": 8, "environment": 8, "responsibility": 8},
    {"quality": "8", "position": 8, "innovation": 8, "project": 8, "environment": 8, "responsibility": 8},
])
def test_invalid_scores_get_422(phone, open_a, panel, scores):
    r = _submit(phone, panel.tokens["P1"], open_a, scores)
    assert r.status_code == 422
    assert not ScoreSheet.objects.exists()


def test_a_malformed_body_gets_422(phone, open_a, panel, sheet):
    url = f"{BASE}/judge/{panel.tokens['P1']}/sheets"
    assert _post(phone, url, {"contestant": open_a.pk, "scores": sheet(8)}).status_code == 422
    assert _post(phone, url, {"contestant": open_a.pk, "scores": sheet(8), "client_key": ""}).status_code == 422
    assert _post(phone, url, {"contestant": "1", "scores": sheet(8), "client_key": "k"}).status_code == 422
    assert _post(phone, url, {"contestant": open_a.pk, "scores": sheet(8), "client_key": "k", "x": 1}).status_code == 422


def test_an_unknown_contestant_gets_404(phone, open_a, panel, sheet):
    r = _post(phone, f"{BASE}/judge/{panel.tokens['P1']}/sheets", {"contestant": 99999, "scores": sheet(8),
                                                                   "client_key": "k"})
    assert r.status_code == 404


def test_the_judge_state_shows_only_the_judges_own_sheet(phone, open_a, panel, sheet):
    _submit(phone, panel.tokens["L1"], open_a, sheet(9.5))
    _submit(phone, panel.tokens["L2"], open_a, sheet(6))
    state = phone.get(f"{BASE}/judge/{panel.tokens['L2']}/state").json()
    assert state["current"]["my_sheet"]["scores"] == sheet(6) and "9.5" not in json.dumps(state)
    assert [c["code"] for c in state["criteria"]][:2] == ["quality", "position"]
    assert phone.get(f"{BASE}/judge/nope/state").status_code == 403


def test_the_organizer_advances_the_flow_with_session_and_csrf(arena, contestants, organizer, reporter_a):
    url = f"{BASE}/{arena.pk}/contestants/{contestants['A'].pk}/advance"
    anonymous = Client()
    assert _post(anonymous, url, {"stage": "on_stage"}).status_code == 401
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(organizer)
    assert _post(csrf_client, url, {"stage": "on_stage"}).status_code == 403  # no CSRF token
    other = Client()
    other.force_login(reporter_a)
    assert _post(other, url, {"stage": "on_stage"}).status_code == 403
    staff = Client()
    staff.force_login(organizer)
    r = _post(staff, url, {"stage": "on_stage"})
    assert r.status_code == 200 and r.json() == {"id": contestants["A"].pk, "unit": "东城区", "stage": "on_stage",
                                                 "stage_label": "登台"}
    assert _post(staff, url, {"stage": "revealed"}).status_code == 409
    assert _post(staff, url, {"stage": "dancing"}).status_code == 422
    wrong = f"{BASE}/{arena.pk + 1000}/contestants/{contestants['A'].pk}/advance"
    assert _post(staff, wrong, {"stage": "speech"}).status_code == 404


def test_results_appear_in_the_api_only_once_published(client, arena, contestants, panel, organizer, sheet,
                                                       stage_to):
    staff = Client()
    staff.force_login(organizer)
    assert client.get(f"{BASE}/{arena.pk}/results").status_code == 404
    assert _post(staff, f"{BASE}/{arena.pk}/publish", {}).status_code == 409
    services.set_quorum(arena, organizer, 0)  # one sheet each here (the quorum: tests/arena/day/test_quorum.py)
    for c in contestants.values():
        c = stage_to(c, "scoring_open", organizer)
        services.submit_sheet(panel["L1"], c, sheet(9 if c.unit.code == "B" else 8), f"k{c.pk}")
        stage_to(c, "scoring_closed", organizer)
    r = _post(staff, f"{BASE}/{arena.pk}/publish", {})
    assert r.status_code == 200
    body = client.get(f"{BASE}/{arena.pk}/results").json()
    assert body == r.json()
    assert body["rows"][0]["unit"] == "B" and body["rows"][0]["bonus"] == 2
    assert body["arena"]["status"] == Arena.Status.PUBLISHED and body["tally_csv"].startswith("contestant,score")
    assert _post(staff, f"{BASE}/{arena.pk}/publish", {}).status_code == 409


def test_publication_through_the_api_takes_the_organizers_reason_below_the_quorum(client, arena, contestants, panel,
                                                                                    organizer, sheet, stage_to):
    staff = Client()
    staff.force_login(organizer)
    for c in contestants.values():  # one sheet each: below the default quorum of three
        c = stage_to(c, "scoring_open", organizer)
        services.submit_sheet(panel["L1"], c, sheet(9 if c.unit.code == "B" else 8), f"k{c.pk}")
        stage_to(c, "scoring_closed", organizer)
    refused = staff.post(f"{BASE}/{arena.pk}/publish", content_type="application/json")  # no body: no reason
    assert refused.status_code == 409 and "法定份数" in refused.json()["detail"]
    assert _post(staff, f"{BASE}/{arena.pk}/publish", {"override_reason": 5}).status_code == 422
    r = _post(staff, f"{BASE}/{arena.pk}/publish", {"override_reason": "经主任会议同意发布"})
    assert r.status_code == 200 and r.json()["rows"][0]["unit"] == "B"
    event = ArenaEvent.objects.get(arena=arena, kind="quorum_override")
    assert event.payload["action"] == "publish" and event.payload["reason"] == "经主任会议同意发布"


def test_the_openapi_schema_declares_the_error_responses(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    sheets = paths[f"{BASE}/judge/{{token}}/sheets"]["post"]["responses"]
    assert {"200", "403", "409", "422"} <= set(sheets)


def test_a_reveal_below_the_quorum_answers_409_and_goes_through_with_a_reason(arena, contestants, organizer, panel,
                                                                             sheet, stage_to):
    c = stage_to(contestants["A"], "scoring_open", organizer)
    services.submit_sheet(panel["P1"], c, sheet(8), "k1")
    stage_to(c, "scoring_closed", organizer)
    staff = Client()
    staff.force_login(organizer)
    url = f"{BASE}/{arena.pk}/contestants/{c.pk}/advance"
    refused = _post(staff, url, {"stage": "revealed"})
    assert refused.status_code == 409 and "至少需要 3 份" in refused.json()["detail"]
    r = _post(staff, url, {"stage": "revealed", "override_reason": "评委缺席"})
    assert r.status_code == 200 and r.json()["stage"] == "revealed"
