"""The units API under /api/v1/units/: the tree, a unit with its head, observation series, weak indicators."""

from __future__ import annotations

from tests.portal.profiles.test_units import observe, publish_ranking

API = "/api/v1/units/"


def test_the_api_lists_units_filtered_by_kind_and_parent(client, city):
    counties = client.get(API, {"kind": "county"}).json()
    assert [u["code"] for u in counties] == ["A", "B", "K"]
    assert counties[0] == {"code": "A", "name": "东城区", "short_name": "", "name_en": "", "kind": "county",
                           "parent": "C"}
    below_a = client.get(API, {"parent": "A"}).json()
    assert [u["code"] for u in below_a] == ["A01"]
    assert len(client.get(API).json()) == 6


def test_an_unknown_kind_is_refused_with_422(client, city):
    assert client.get(API, {"kind": "planet"}).status_code == 422


def test_a_unit_comes_with_its_current_head(client, city):
    body = client.get(API + "A").json()
    assert body["name"] == "东城区"
    assert body["head"] == {"person": "张三", "title": "区委书记", "start": "2021-06-01"}
    assert client.get(API + "B").json()["head"] is None


def test_an_unknown_unit_is_a_404_with_a_chinese_message(client, city):
    response = client.get(API + "NOPE")
    assert response.status_code == 404
    assert "NOPE" in response.json()["detail"] and "不存在" in response.json()["detail"]
    assert client.get(API + "NOPE/weak").status_code == 404
    assert client.get(API + "NOPE/observations", {"indicator": "gdp"}).status_code == 404


def test_the_observation_series_of_a_unit_is_in_time_order(client, city):
    observe(city)
    body = client.get(API + "A/observations", {"indicator": "inv"}).json()
    assert body["indicator"] == "inv" and body["measure"] == "亿元"
    assert [(p["period"], p["value"]) for p in body["points"]] == [("2024-03", 100.0), ("2024-04", 160.0)]
    assert body["points"][0]["label"] == "2024年3月"


def test_the_series_needs_a_known_indicator(client, city):
    assert client.get(API + "A/observations", {"indicator": "nope"}).status_code == 404
    assert client.get(API + "A/observations").status_code == 422


def test_weak_indicators_come_from_the_latest_published_ranking(client, city):
    observe(city)
    assert client.get(API + "A/weak").json() == {"unit": "A", "plan": None, "period": None, "items": []}
    publish_ranking(city, "2024-04", ["B", "A", "K"], weak={"A": ["pm25"]})
    body = client.get(API + "A/weak").json()
    assert body["plan"] == "county" and body["period"] == "2024-04"
    assert body["items"] == [{"indicator": "pm25", "name": "PM2.5 浓度", "value": 38.0, "rank": 2, "peers": 3,
                              "best_value": 33.0, "best_unit": "西城区"}]


def test_the_openapi_schema_declares_the_404s(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    paths = {p: v for p, v in schema["paths"].items() if p.startswith(API)}
    assert "404" in paths[API + "{code}"]["get"]["responses"]
    assert "404" in paths[API + "{code}/weak"]["get"]["responses"]
