"""The supervision dashboard (organizer only) and the public pages (everyone, no raiser's contact)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from leitai.tracking.models import Item, Pledge


@pytest.fixture
def fixed_clock(clock, today):
    clock(today)


def test_the_dashboard_counts_states_and_lists_late_items(login, organizer, items, fixed_clock):
    response = login(organizer).get(reverse("tracking:dashboard"))
    page = response.content.decode()
    board = response.context["board"]
    assert board["by_state"]["closed"] == 2 and board["deadlines"]["long_overdue"] == 1
    assert 'id="list-long_overdue"' in page and items["a_long"].code in page
    assert items["a_late"].code in page and items["b_late"].code in page
    assert "plotly" not in page and 'class="lt-chart lt-stacked"' in page
    chart = page.split('id="chart"')[1].split("</svg>")[0]  # open items per unit, stacked by state
    assert "事项数" in chart and 'class="lt-legend-item"' in chart


def test_the_dashboard_shows_rates_per_unit_and_source(login, organizer, items, fixed_clock):
    response = login(organizer).get(reverse("tracking:dashboard"))
    by_unit = {row["key"]: row for row in response.context["by_unit"]}
    assert by_unit["东城区"]["r"].total == 6 and by_unit["东城区"]["resolution"] == "16.7%"
    assert by_unit["西城区"]["on_time"] == "0.0%"
    sources = {row["key"] for row in response.context["by_source"]}
    assert "助企服务问题" in sources
    page = response.content.decode()
    assert "化解率" in page and "按期办结率" in page and "平均办结天数" in page


def test_the_dashboard_chart_stacks_open_items_by_unit_and_state(login, organizer, items, fixed_clock):
    page = login(organizer).get(reverse("tracking:dashboard")).content.decode()
    chart = page.split('id="chart"', 1)[1].split("</svg>", 1)[0]  # drawn on the server: one tip per bar part
    tips = dict(tip.split("：") for tip in re.findall(r'data-tip="([^"]*)"', chart))
    assert tips["东城区 · 已交办"] == "2" and tips["西城区 · 整改中"] == "1"
    assert not any("已销号" in tip for tip in tips)


@pytest.mark.parametrize("persona", ["reporter_a", "judge", "public_user"])
def test_only_the_organizer_opens_the_dashboard(login, request, persona, items):
    assert login(request.getfixturevalue(persona)).get(reverse("tracking:dashboard")).status_code == 403


def test_the_anonymous_are_sent_to_sign_in_from_the_dashboard(client, city):
    assert client.get(reverse("tracking:dashboard")).status_code == 302


@pytest.mark.parametrize("persona", [None, "organizer", "reporter_a", "reporter_b", "judge", "public_user"])
def test_everyone_sees_the_public_page_with_only_public_items(client, login, request, persona, items, fixed_clock):
    if persona:
        client = login(request.getfixturevalue(persona))
    page = client.get(reverse("tracking:public")).content.decode()
    assert items["a_done"].code in page and items["a_asked"].code in page
    assert items["a_late"].code not in page and items["b_late"].code not in page
    assert "已销号" in page and "化解率" in page


def test_the_public_page_never_shows_a_raisers_name_or_contact(client, items):
    Item.objects.filter(pk=items["b_late"].pk).update(public=True, raised_contact="13800000000")
    page = client.get(reverse("tracking:public")).content.decode()
    assert items["b_late"].code in page
    assert "13800000000" not in page and "某某科技有限公司" not in page


def test_the_public_page_lists_public_pledges_and_their_verdicts(client, city):
    Pledge.objects.create(unit=city["a"], text="GDP 增速不低于 7%", status="kept", verdict_note="实际 7.4%")
    Pledge.objects.create(unit=city["a"], text="内部承诺", public=False)
    page = client.get(reverse("tracking:public")).content.decode()
    assert "GDP 增速不低于 7%" in page and "已兑现" in page and "实际 7.4%" in page
    assert "内部承诺" not in page
