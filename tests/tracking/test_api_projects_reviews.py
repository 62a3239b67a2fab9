"""The tracking API for key projects (list, progress) and follow-up review rounds."""

from __future__ import annotations

import datetime as dt

import pytest

from leitai.tracking.models import KeyProject, ProjectChange
from leitai.tracking.reviews import services as sr

pytestmark = pytest.mark.django_db
BASE = "/api/v1/tracking"


@pytest.fixture
def projects(city):
    common = {"batch": "第一批", "planned_sign": dt.date(2024, 1, 1), "actual_sign": dt.date(2024, 1, 1),
              "planned_start": dt.date(2024, 3, 1), "planned_complete": dt.date(2025, 3, 1)}
    return {"a": KeyProject.objects.create(code="P-A", name="东城项目", unit=city["a"], **common),
            "b": KeyProject.objects.create(code="P-B", name="西城项目", unit=city["b"], **common)}


def test_organizers_and_reporters_list_projects_with_their_schedule_colour(projects, client, login, organizer,
                                                                          reporter_a, judge):
    assert client.get(f"{BASE}/projects").status_code == 401
    assert login(judge).get(f"{BASE}/projects").status_code == 403
    rows = login(organizer).get(f"{BASE}/projects?today=2024-06-30").json()
    assert [(r["code"], r["stage"], r["colour"]) for r in rows] == [("P-A", "signed", "red"), ("P-B", "signed", "red")]
    assert [r["code"] for r in login(reporter_a).get(f"{BASE}/projects?unit=A").json()] == ["P-A"]


def test_a_reporter_records_progress_on_their_own_project_and_it_is_logged(projects, login, reporter_a):
    c = login(reporter_a)
    r = c.post(f"{BASE}/projects/P-A", {"actual_start": "2024-03-10", "investment_done": 2.5},
               content_type="application/json")
    assert r.status_code == 200 and r.json()["stage"] == "started" and r.json()["investment_done"] == 2.5
    assert set(ProjectChange.objects.filter(project=projects["a"]).values_list("field", flat=True)) == {
        "actual_start", "investment_done", "stage"}
    assert c.post(f"{BASE}/projects/P-B", {"actual_start": "2024-03-10"},
                  content_type="application/json").status_code == 403
    assert c.post(f"{BASE}/projects/P-A", {"name": "改名"}, content_type="application/json").status_code == 422
    assert c.post(f"{BASE}/projects/P-A", {"stage": "flying"}, content_type="application/json").status_code == 422
    assert c.post(f"{BASE}/projects/nope", {}, content_type="application/json").status_code == 404


def test_organizers_read_review_rounds_with_coverage_and_satisfaction(login, organizer, reporter_a, supervisors,
                                                                      closed_items):
    rnd = sr.create_round(organizer, "第一轮", method="all", supervisors=supervisors)
    first = rnd.assignments.order_by("id").first()
    sr.record_verdict(first.supervisor, first, "satisfied", "整改到位")
    assert login(reporter_a).get(f"{BASE}/reviews").status_code == 403
    body = login(organizer).get(f"{BASE}/reviews").json()
    assert [r["name"] for r in body] == ["第一轮"]
    total = body[0]["total"]
    assert (total["assigned"], total["done"], total["satisfied"]) == (6, 1, 1)
    assert total["coverage"] == pytest.approx(1 / 6) and total["satisfaction"] == 1.0
    assert {u["unit"] for u in body[0]["units"]} == {"东城区", "西城区"}


def test_review_counts_keep_their_names_and_errors_follow_the_language(login, organizer, reporter_a, supervisors,
                                                                       closed_items, projects):
    sr.create_round(organizer, "第一轮", method="all", supervisors=supervisors)
    total = login(organizer).get(f"{BASE}/reviews").json()[0]["total"]
    assert {"satisfied", "basic", "not"} <= set(total)
    r = login(reporter_a).post(f"{BASE}/projects/P-B", {"investment_done": 1}, content_type="application/json",
                               HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 403 and r.json()["detail"].startswith("Only the responsible unit")


def test_an_empty_stage_is_refused_with_a_clear_message_not_a_server_error(projects, login, organizer):
    """Found by the API probe: {"stage": null} reached the database's NOT NULL and answered 500."""
    c = login(organizer)
    r = c.post(f"{BASE}/projects/P-A", {"stage": None}, content_type="application/json")
    assert r.status_code == 422 and "阶段不能为空" in r.json()["detail"]
    r = c.post(f"{BASE}/projects/P-A", {"stage": None}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 422 and r.json()["detail"].startswith("The stage cannot be empty")
    projects["a"].refresh_from_db()
    assert projects["a"].stage == "signed" and not ProjectChange.objects.exists()
