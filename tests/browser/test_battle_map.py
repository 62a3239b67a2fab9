"""The battle map (挂图作战) in Chromium: from the project board to a county's Gantt chart, drawn by the
a server-drawn SVG Gantt chart with planned and actual bars, the late stage in red, and the project list below."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from tests.browser.test_closeout import sign_in

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def projects(transactional_db, city):
    from leitai.tracking.models import KeyProject

    today = dt.date.today()
    common = {"unit": city["a"], "batch": "第一批", "planned_sign": today - dt.timedelta(days=200),
              "actual_sign": today - dt.timedelta(days=200), "planned_complete": today + dt.timedelta(days=300)}
    KeyProject.objects.create(code="XM-1", name="按期开工的产业园", planned_start=today - dt.timedelta(days=100),
                              actual_start=today - dt.timedelta(days=100), stage="started", **common)
    KeyProject.objects.create(code="XM-2", name="迟迟未开工的物流中心", planned_start=today - dt.timedelta(days=90),
                              **common)


def test_the_board_leads_to_a_gantt_chart_with_the_late_stage_in_red(live_server, browser, organizer, projects):
    context, page = sign_in(browser, live_server.url, "organizer")
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto(f"{live_server.url}/tracking/projects/")
    row = page.locator("#units tbody tr", has_text="东城区")
    assert "50%" in row.inner_text()  # one of the two projects due to start has started
    row.locator("a", has_text="挂图作战").click()
    page.wait_for_selector("#gantt svg.lt-gantt")
    assert page.locator("#gantt .lt-mark").count() >= 4
    fills = page.eval_on_selector_all("#gantt .lt-mark", "els => els.map(e => e.getAttribute('fill'))")
    assert "#dc2626" in fills               # XM-2's unstarted stage: more than 30 days late
    assert "#16a34a" in fills               # XM-1 started on time
    labels = page.text_content("#gantt")
    assert "XM-1" in labels and "XM-2" in labels
    assert page.locator("#projects tr", has_text="迟迟未开工的物流中心").count() == 1
    assert outside == []                    # everything served by the app
    context.close()
