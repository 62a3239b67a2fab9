"""The tracking API: who sees which items, actions with session auth and role rules, pledges, rates."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db
BASE = "/api/v1/tracking"


def _post(client, code, action, text=""):
    return client.post(f"{BASE}/items/{code}/actions", {"action": action, "text": text},
                       content_type="application/json")


def test_the_organizer_lists_and_filters_all_items(items, login, organizer):
    c = login(organizer)
    assert len(c.get(f"{BASE}/items").json()) == 8
    assert {i["code"] for i in c.get(f"{BASE}/items?unit=B").json()} == {items["b_done_late"].code,
                                                                          items["b_late"].code}
    assert [i["code"] for i in c.get(f"{BASE}/items?source=business_help").json()] == [items["b_late"].code]
    assert [i["state"] for i in c.get(f"{BASE}/items?state=requested").json()] == ["requested"]
    overdue = c.get(f"{BASE}/items?overdue=true").json()
    assert all(i["state"] != "closed" for i in overdue) and len(overdue) >= 3


def test_the_public_sees_only_public_items_and_a_reporter_their_own(items, client, login, reporter_b):
    public = client.get(f"{BASE}/items").json()
    assert {i["code"] for i in public} == {items["a_asked"].code, items["a_done"].code}
    assert client.get(f"{BASE}/items/{items['a_late'].code}").status_code == 404
    # a public item's history is for those who see the item in full, as on its page
    assert client.get(f"{BASE}/items/{items['a_asked'].code}").status_code == 404
    mine = login(reporter_b).get(f"{BASE}/items").json()
    assert {i["unit"] for i in mine} == {"B"} and len(mine) == 2
    assert login(reporter_b).get(f"{BASE}/items/{items['a_asked'].code}").status_code == 404


def test_an_items_detail_carries_its_transitions_and_the_actions_open_to_you(items, login, reporter_a):
    body = login(reporter_a).get(f"{BASE}/items/{items['a_asked'].code}").json()
    assert [t["action"] for t in body["transitions"]] == ["assign", "start", "request_closeout"]
    assert body["transitions"][1]["by"] == "东城区填报员" and body["allowed_actions"] == []


def test_the_unit_requests_close_out_and_the_organizer_verifies_through_the_api(
        items, client, reporter_a, organizer):
    code = items["a_soon"].code
    client.force_login(reporter_a)
    r = _post(client, code, "request_closeout", "已整改完毕")
    assert r.status_code == 200 and r.json()["state"] == "requested"
    assert _post(client, code, "verify").status_code == 422
    client.force_login(organizer)
    r = _post(client, code, "verify", "核验属实")
    assert r.status_code == 200 and r.json()["state"] == "closed" and r.json()["closed_on"]


@pytest.mark.parametrize("who", ["reporter_b", "judge", "public_user"])
def test_other_roles_get_403_on_county_as_item(who, items, client, request):
    client.force_login(request.getfixturevalue(who))
    assert _post(client, items["a_soon"].code, "request_closeout", "越权").status_code == 403


def test_the_anonymous_are_refused_and_unknown_codes_are_404(items, client, login, organizer):
    assert _post(client, items["a_soon"].code, "start").status_code == 401
    assert _post(login(organizer), "ZG-1999-00001", "verify").status_code == 404
    bad = login(organizer).post(f"{BASE}/items/{items['a_asked'].code}/actions", {"action": 1},
                                content_type="application/json")
    assert bad.status_code == 422


def test_public_pledges_and_rates_for_organizers(city, organizer, reporter_a, items, client, login):
    from leitai.tracking import services

    services.create_pledge(organizer, unit=city["a"], text="公开承诺")
    services.create_pledge(organizer, unit=city["a"], text="内部承诺", public=False)
    assert [p["text"] for p in client.get(f"{BASE}/pledges").json()] == ["公开承诺"]
    assert client.get(f"{BASE}/rates").status_code == 401
    assert login(reporter_a).get(f"{BASE}/rates").status_code == 403
    rows = login(organizer).get(f"{BASE}/rates?by=unit").json()
    assert [(r["key"], r["total"], r["closed"]) for r in rows] == [("A", 6, 1), ("B", 2, 1)]
    assert login(organizer).get(f"{BASE}/rates?by=colour").status_code == 422
