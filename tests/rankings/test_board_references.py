"""Reference figures beside the city's own: the ranking board's 全省对标 table and a unit's 全省与外地对标
section, with numbers computed by hand from tests/rankings/support.py (2024-04: gdp A 8, B 6, K 7; PM2.5
A 30, B 40, K 50)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from leitai.indicators import references
from tests.i18n.test_english import untranslated
from tests.rankings.support import add_data, make_plan, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def referenced(city, organizer):
    plan = make_plan(organizer)
    add_data(city)
    publish(plan, city, "2024-04", organizer)
    put = references.set_reference
    put(organizer, kind="average", indicator=city["gdp"], period="2024-04", value=7)
    put(organizer, kind="average", indicator=city["pm25"], period="2024-04", value=40)
    put(organizer, kind="rank", indicator=city["gdp"], period="2024-04", unit=city["a"], rank=2, total=90)
    put(organizer, kind="peer", indicator=city["gdp"], period="2024-04", value=6.5, peer="江苏邳州经济开发区",
        unit=city["b"])
    return city


def section(html: str, anchor: str) -> str:
    start = html.index(anchor)
    return html[start:html.index("</section>", start)]


def test_the_board_shows_the_province_average_the_peer_and_the_ranks(client, referenced):
    html = section(client.get(reverse("rankings:board")).content.decode(), 'id="board-references"')
    rows = html.split("<tr>")[2:]
    gdp, pm = (r for r in rows)
    # gdp: average 7; A (8) is above, K (7) equals it and is not, B (6) below → 1 of 3
    assert "地区生产总值增速" in gdp and "7.00 %" in gdp and "1 / 3 个" in gdp
    assert "江苏邳州经济开发区 6.50 %" in gdp and "东城区 第 2 位/90" in gdp
    # PM2.5, lower is better: average 40; A (30) is better, B (40) equal, K (50) worse → 1 of 3
    assert "越低越好" in pm and "40.00" in pm and "1 / 3 个" in pm


def test_the_unit_page_sets_its_value_beside_the_province_and_its_peer(client, referenced):
    html = section(client.get(reverse("units:detail", args=["B"])).content.decode(), 'id="outside-benchmark"')
    assert "江苏邳州经济开发区" in html
    # B's gdp 6 against the average 7 and the peer's 6.5; its PM2.5 40 equals the average
    assert '<span class="badge bad">低 1 个百分点</span>' in html
    assert '<span class="badge bad">低 0.5 个百分点</span>' in html
    assert '<span class="badge ">持平</span>' in html
    a = section(client.get(reverse("units:detail", args=["A"])).content.decode(), 'id="outside-benchmark"')
    assert "第 2 位 / 90" in a and "江苏邳州经济开发区" not in a  # A does not 对标 the peer
    assert '<span class="badge ok">高 1 个百分点</span>' in a


def test_a_unit_without_reference_figures_shows_no_section(client, city, organizer):
    add_data(city)
    assert 'id="outside-benchmark"' not in client.get(reverse("units:detail", args=["A"])).content.decode()


def test_the_reference_parts_are_english_when_english_is_chosen(client, referenced, organizer, login):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    board = section(client.get(reverse("rankings:board")).content.decode(), 'id="board-references"')
    assert "Against the province" in board and "1 of 3" in board and "(Lower is better)" in board
    unit = section(client.get(reverse("units:detail", args=["B"])).content.decode(), 'id="outside-benchmark"')
    assert "1 point lower" in unit and "0.5 points lower" in unit and "level" in unit
    assert untranslated(board) - {"江苏邳州经济开发区"} == set()
    assert untranslated(unit) - {"江苏邳州经济开发区"} == set()
    staff = login(organizer)
    staff.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for url in (reverse("indicators:references"), reverse("indicators:import")):
        html = staff.get(url).content.decode()
        assert untranslated(html) - {"江苏邳州经济开发区"} == set(), url
