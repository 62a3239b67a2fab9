"""The data API: public reads, writes by the organizer or the unit's reporter, declared errors."""

from __future__ import annotations

import json

from leitai.indicators import services
from leitai.indicators.models import Observation, ObservationRevision

URL = "/api/v1/data/observations"


def put(client, **body):
    payload = {"unit": "A", "indicator": "gdp", "period": "2024-04", "value": 5.5, **body}
    return client.put(URL, json.dumps(payload), content_type="application/json")


def test_indicators_and_periods_are_public(client, city):
    indicators = client.get("/api/v1/data/indicators").json()
    assert {i["code"] for i in indicators} == {"gdp", "inv", "pm25"}
    assert next(i for i in indicators if i["code"] == "pm25")["direction"] == -1
    periods = client.get("/api/v1/data/periods").json()
    assert [p["code"] for p in periods] == ["2024-04", "2024-03"] and periods[0]["label"] == "2024年4月"


def test_observations_are_public_and_filtered(client, city, organizer):
    for unit, value in (("a", 5), ("b", 6)):
        services.set_observation(organizer, city[unit], city["gdp"], city["periods"]["2024-04"], value)
    services.set_observation(organizer, city["a"], city["gdp"], city["periods"]["2024-03"], 4)
    rows = client.get(URL, {"period": "2024-04"}).json()
    assert [(r["unit"], r["value"]) for r in rows] == [("A", 5.0), ("B", 6.0)]
    rows = client.get(URL, {"unit": "A", "indicator": "gdp"}).json()
    assert [(r["period"], r["value"]) for r in rows] == [("2024-03", 4.0), ("2024-04", 5.0)]
    assert client.get(URL, {"period": "上月"}).status_code == 422


def test_the_units_reporter_puts_a_value_and_it_is_recorded(city, reporter_a, login):
    response = put(login(reporter_a), status="final", reason="月报")
    assert response.status_code == 200, response.content
    assert response.json() == {"unit": "A", "indicator": "gdp", "period": "2024-04", "value": 5.5, "status": "final"}
    revision = ObservationRevision.objects.get()
    assert (revision.source, revision.reason, revision.changed_by) == ("api", "月报", reporter_a)


def test_post_works_like_put_for_an_organizer(city, organizer, login):
    client = login(organizer)
    payload = {"unit": "B", "indicator": "inv", "period": "2024-05", "value": 10}
    assert client.post(URL, json.dumps(payload), content_type="application/json").status_code == 200
    assert Observation.objects.get(unit=city["b"], period__code="2024-05").value == 10


def test_another_countys_reporter_gets_403(city, reporter_b, login):
    response = put(login(reporter_b))
    assert response.status_code == 403 and "东城区" in response.json()["detail"]
    assert Observation.objects.count() == 0


def test_anonymous_writes_are_refused(client, city):
    assert put(client).status_code == 401
    assert Observation.objects.count() == 0


def test_a_judge_gets_403(city, judge, login):
    assert put(login(judge)).status_code == 403


def test_bad_values_get_422(city, organizer, login):
    client = login(organizer)
    assert put(client, value=99).status_code == 422
    assert "合理范围" in put(client, value=99).json()["detail"]
    assert put(client, value="abc").status_code == 422
    assert put(client, value=False).status_code == 422
    assert put(client, period="上月").status_code == 422
    assert Observation.objects.count() == 0


def test_unknown_units_and_indicators_get_404(city, organizer, login):
    client = login(organizer)
    assert put(client, unit="Z").status_code == 404
    assert put(client, indicator="zz").status_code == 404


def test_an_offset_past_any_table_is_refused_not_a_server_error(client, city):
    """Found by the API probe: offset=9223372036854775808 reached the database and answered 500."""
    from leitai.indicators.api import MAX_OFFSET

    for offset in ("9223372036854775808", str(MAX_OFFSET + 1)):
        r = client.get(URL, {"offset": offset})
        assert r.status_code == 422
        assert "offset" in r.content.decode() and str(MAX_OFFSET) in r.content.decode()
    assert client.get(URL, {"offset": str(MAX_OFFSET)}).json() == []
