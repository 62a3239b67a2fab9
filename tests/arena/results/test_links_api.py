"""The judge–contestant links through the API (organizer only): list, record, withdraw; refused after
publication, as on the audit page (leitai.arena.setup.links is the one place both call)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from leitai.arena.models import ArenaEvent, JudgeLink

pytestmark = pytest.mark.django_db


def test_links_are_listed_recorded_and_withdrawn_through_the_api(login, arena, organizer, reporter_a, contestants,
                                                                  panel):
    url = f"/api/v1/arena/{arena.pk}/links"
    assert Client().get(url).status_code == 401
    assert login(reporter_a).get(url).status_code == 403
    api = login(organizer)
    assert api.get(url).json() == []
    body = {"judge_id": panel["P2"].pk, "contestant_id": contestants["A"].pk, "relation": "挂钩联系"}
    made = api.post(url, json.dumps(body), content_type="application/json")
    assert made.status_code == 201
    link = made.json()
    assert link["judge"] == panel["P2"].anon_code and link["contestant"] == contestants["A"].unit.code
    assert link["relation"] == "挂钩联系" and link["judge_name"] == panel["P2"].name
    assert api.get(url).json() == [link]
    again = api.post(url, json.dumps(body), content_type="application/json")
    assert again.status_code == 409 and "已经记录" in again.json()["detail"]
    blank = api.post(url, json.dumps({**body, "contestant_id": contestants["B"].pk, "relation": " "}),
                     content_type="application/json")
    assert blank.status_code == 409 and "关联关系" in blank.json()["detail"]
    assert api.delete(f"{url}/999999").status_code == 404
    assert api.delete(f"{url}/{link['id']}").status_code == 204
    assert not JudgeLink.objects.exists()
    kinds = list(ArenaEvent.objects.filter(arena=arena, kind__startswith="judge_link").values_list("kind", flat=True))
    assert kinds == ["judge_link_added", "judge_link_removed"]
    assert api.get(f"/api/v1/arena/{2**70}/links").status_code in (404, 422)
