"""The public home and a unit's public page: only what is published, only the public pledges and items."""

import datetime as dt

import pytest
from django.urls import reverse

from leitai.portal.public import selectors, sparkline

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_and_a_public_user_get_the_public_home(client, login, public_user, published):
    for c in (client, login(public_user)):
        html = c.get("/").content.decode()
        assert 'id="home-finder"' in html and "我的县市区怎么样" in html
        assert reverse("public:units") in html
        assert reverse("public:unit", args=["A"]) in html  # a county is one tap away
        assert reverse("rankings:detail", args=[published["april"].pk]) in html
        assert reverse("rankings:detail", args=[published["draft"].pk]) not in html


def test_an_organizer_keeps_the_home_of_the_signed_in(login, organizer, published):
    html = login(organizer).get("/").content.decode()
    assert 'id="home-finder"' not in html


def test_the_chooser_finds_a_unit_by_part_of_its_name(client, published):
    html = client.get(reverse("public:units"), {"q": "东城"}).content.decode()
    assert reverse("public:unit", args=["A"]) in html and reverse("public:unit", args=["A01"]) in html
    assert reverse("public:unit", args=["B"]) not in html
    assert [g["kind"] for g in selectors.unit_choices()] == ["county", "department", "town"]


def test_the_unit_page_shows_the_latest_published_place_its_movement_and_history(client, city, published):
    section = selectors.unit_rankings(city["a"])[0]
    april = published["april"]
    row = april.rows.get(unit=city["a"])
    assert section["ranking"].pk == april.pk  # the later draft is not "latest"
    assert section["rank"] == row.rank and section["size"] == 3
    assert [p["period"] for p in section["history"]] == ["2024-03", "2024-04"]
    assert section["line"] is not None  # two periods draw a line
    html = client.get(reverse("public:unit", args=["A"])).content.decode()
    assert f"第 {row.rank} 名 / 共 3" in html and "<svg" in html and "<polyline" in html
    assert f"2024年4月 {row.rank}" in html  # the line's title names each period's place (hover or long-press)
    assert reverse("rankings:detail", args=[published["draft"].pk]) not in html


def test_the_unit_page_shows_public_pledges_and_items_only(client, city, published, tracked):
    html = client.get(reverse("public:unit", args=["A"])).content.decode()
    assert "GDP 增速不低于 7%" in html and "投资突破两百亿" in html and "已兑现" in html and "未兑现" in html
    assert "内部承诺不公开" not in html
    assert "老旧小区加装电梯进度慢" in html and "已逾期" in html and "营商环境投诉办理" in html
    assert "内部督查问题不公开" not in html
    pledges = selectors.unit_pledges(city["a"])
    assert (pledges["kept"], pledges["judged"]) == (1, 2)
    assert pledges["history"] == [{"year": 2024, "kept": 1, "missed": 1, "pending": 0}]
    items = selectors.unit_items(city["a"], dt.date.today())
    assert (items["total"], items["closed"], items["late"]) == (2, 1, 1)
    assert sum(q["on_time"] for q in items["history"]) == 1


def test_private_records_stay_hidden_even_from_a_signed_in_public_user(login, public_user, city, published, tracked):
    html = login(public_user).get(reverse("public:unit", args=["A"])).content.decode()
    assert "内部承诺不公开" not in html and "内部督查问题不公开" not in html


def test_key_projects_show_as_counts_without_names(client, city, published):
    from leitai.tracking.models import KeyProject

    today = dt.date.today()
    KeyProject.objects.create(code="XM-1", name="保密的产业园项目", unit=city["a"], batch="第一批",
                              planned_start=today - dt.timedelta(days=30), actual_start=today - dt.timedelta(days=20),
                              stage="started")
    KeyProject.objects.create(code="XM-2", name="另一个项目", unit=city["a"], batch="第一批",
                              planned_start=today - dt.timedelta(days=90))
    html = client.get(reverse("public:unit", args=["A"])).content.decode()
    assert "应开工 2 个，已开工 1 个" in html and "第一批" in html
    assert "保密的产业园项目" not in html and "XM-1" not in html


def test_an_unknown_unit_is_a_404(client, db):
    assert client.get(reverse("public:unit", args=["NOPE"])).status_code == 404


def test_the_sparkline_puts_rank_one_at_the_top():
    line = sparkline.points([3, 1], lower_is_better=True)
    first, last = (tuple(map(float, p.split(","))) for p in line["points"].split())
    assert last[1] < first[1]  # y grows downwards: rank 1 is drawn higher
    assert sparkline.points([2]) is None and sparkline.points([None, 4]) is None
