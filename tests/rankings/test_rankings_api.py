"""The rankings API under /api/v1/rankings/: plans, rankings with rows, compute, publish, export; who may do what."""

from __future__ import annotations

import io
import zipfile

import pytest

from leitai.rankings import services
from leitai.rankings.models import Ranking
from tests.rankings.support import add_data, make_plan, publish

API = "/api/v1/rankings/"


@pytest.fixture
def setup(city, organizer):
    add_data(city)
    plan = make_plan(organizer)
    march = publish(plan, city, "2024-03")
    draft = services.compute_ranking(plan.current_version, city["periods"]["2024-04"])
    return {"plan": plan, "march": march, "draft": draft}


def test_the_plans_are_listed_with_their_versions(setup, client):
    body = client.get(API + "plans").json()
    assert body[0]["code"] == "county" and body[0]["unit_kinds"] == ["county"]
    assert body[0]["current_version"] == 1 and [v["number"] for v in body[0]["versions"]] == [1]


def test_the_public_lists_only_published_rankings(setup, client, login, judge):
    assert [r["id"] for r in client.get(API + "rankings").json()] == [setup["march"].pk]
    assert [r["id"] for r in login(judge).get(API + "rankings").json()] == [setup["march"].pk]


def test_organizers_list_drafts_too_and_can_filter(setup, login, organizer):
    client = login(organizer)
    assert {r["id"] for r in client.get(API + "rankings").json()} == {setup["march"].pk, setup["draft"].pk}
    only = client.get(API + "rankings", {"plan": "county", "period": "2024-04"}).json()
    assert [r["id"] for r in only] == [setup["draft"].pk] and only[0]["status"] == "draft"
    assert client.get(API + "rankings", {"plan": "other"}).json() == []


def test_a_ranking_comes_with_its_rows_best_first(setup, client):
    body = client.get(API + f"rankings/{setup['march'].pk}").json()
    assert body["period"] == "2024-03" and body["period_label"] == "2024年1-3月" and body["plan_version"] == 1
    assert [r["unit"] for r in body["rows"]] == ["B", "K", "A"]
    first = body["rows"][0]
    assert first["unit_name"] == "西城区" and first["rank"] == 1
    assert first["score"] == pytest.approx(250 / 3)
    assert first["group_scores"] == pytest.approx({"econ": 75.0, "green": 100.0})
    assert body["spec"]["normalization"] == "minmax" and body["report"] == {"dropped": [], "missing": {}}


def test_a_draft_is_a_404_for_the_public(setup, client, login, reporter_a, organizer):
    url = API + f"rankings/{setup['draft'].pk}"
    response = client.get(url)
    assert response.status_code == 404 and "不存在" in response.json()["detail"]
    assert login(reporter_a).get(url).status_code == 404
    assert login(organizer).get(url).status_code == 200
    assert client.get(API + "rankings/999999").status_code == 404


def test_an_organizer_computes_and_publishes_through_the_api(setup, login, organizer):
    client = login(organizer)
    response = client.post(API + "rankings", {"plan": "county", "period": "2024-04"}, content_type="application/json")
    assert response.status_code == 201
    created = response.json()
    assert created["status"] == "draft" and created["plan_version"] == 1
    published = client.post(API + f"rankings/{created['id']}/publish")
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert Ranking.objects.get(pk=created["id"]).published_by == organizer
    again = client.post(API + f"rankings/{created['id']}/publish")
    assert again.status_code == 422 and "只能发布草稿" in again.json()["detail"]


@pytest.mark.parametrize("payload, status", [
    ({"plan": "nope", "period": "2024-04"}, 404),
    ({"plan": "county", "period": "2031-01"}, 404),
    ({"plan": "county", "period": "2024-04", "version": 7}, 404),
    ({"plan": "county"}, 422),
    ({"plan": "county", "period": "2024-04", "extra": 1}, 422),
    ({"plan": "county", "period": "2024-04", "version": "1"}, 422),
])
def test_bad_compute_requests_are_refused(setup, login, organizer, payload, status):
    response = login(organizer).post(API + "rankings", payload, content_type="application/json")
    assert response.status_code == status
    assert Ranking.objects.count() == 2


def test_compute_and_publish_are_for_organizers_only(setup, client, login, reporter_a, judge, public_user):
    payload = {"plan": "county", "period": "2024-04"}
    assert client.post(API + "rankings", payload, content_type="application/json").status_code == 401
    assert client.post(API + f"rankings/{setup['draft'].pk}/publish").status_code == 401
    for user in (reporter_a, judge, public_user):
        c = login(user)
        response = c.post(API + "rankings", payload, content_type="application/json")
        assert response.status_code == 403 and "考核办" in response.json()["detail"]
        assert c.post(API + f"rankings/{setup['draft'].pk}/publish").status_code == 403
    assert Ranking.objects.count() == 2
    setup["draft"].refresh_from_db()
    assert setup["draft"].status == Ranking.Status.DRAFT


def test_the_export_endpoint_serves_the_recompute_bundle(setup, client):
    response = client.get(API + f"rankings/{setup['march'].pk}/export")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        assert zf.read("result.csv") == services.export_bundle(setup["march"])["result.csv"]
    assert client.get(API + f"rankings/{setup['draft'].pk}/export").status_code == 404


def test_the_openapi_schema_declares_the_error_responses(setup, client):
    schema = client.get("/api/v1/openapi.json").json()
    post = schema["paths"]["/api/v1/rankings/rankings"]["post"]["responses"]
    assert {"201", "401", "403", "404", "422"} <= set(post)
    export = schema["paths"]["/api/v1/rankings/rankings/{ranking_id}/export"]["get"]["responses"]
    assert "application/zip" in export["200"]["content"]
