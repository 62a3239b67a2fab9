"""Rank intervals on the board in Chromium at 1280 px (table) and on a 390 px phone (cards): the interval beside
the rank, the ≈ mark with its explanation, the legend, nothing overflowing or painted over."""

from __future__ import annotations

import pytest

from leitai.rankings.services import compute_ranking, publish_ranking
from tests.rankings.support import make_plan
from tests.rankings.test_intervals import add_close_data


def _published(city):
    add_close_data(city)
    plan = make_plan()
    publish_ranking(compute_ranking(plan.current_version, city["periods"]["2024-04"]))


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_at_1280_the_table_shows_the_interval_and_the_indistinguishable_mark(live_server, browser, city):
    _published(city)
    page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/rankings/")
    rank_a = page.locator("#board-table tbody tr[data-unit=A] td.rank-col")
    assert rank_a.inner_text().replace("\n", "") == "1（1–2）≈"
    mark = rank_a.locator(".indist")
    assert mark.is_visible()
    assert "统计上无法区分" in mark.get_attribute("title") and "西城区" in mark.get_attribute("title")
    # K is always last: its rank alone, no interval, no mark.
    rank_k = page.locator("#board-table tbody tr[data-unit=K] td.rank-col")
    assert rank_k.inner_text().strip() == "3" and rank_k.locator(".indist").count() == 0
    legend = page.locator("#interval-legend")
    assert legend.is_visible() and "90% 区间" in legend.inner_text() and "统计上无法区分" in legend.inner_text()
    # The interval stays inside the sticky rank column: the unit column is not painted over it.
    rb, ub = rank_a.bounding_box(), page.locator("#board-table tbody tr[data-unit=A] td.unit-col").bounding_box()
    ib = mark.bounding_box()
    assert ib["x"] + ib["width"] <= ub["x"] + 1 and rb["x"] + rb["width"] <= ub["x"] + 1
    assert _overflow(page) <= 0
    assert not page.locator(".board-cards").is_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_each_card_shows_the_interval_and_the_mark(live_server, browser, city):
    _published(city)
    page = browser.new_page(locale="zh-CN", viewport={"width": 390, "height": 844}, has_touch=True)
    page.goto(f"{live_server.url}/rankings/")
    assert _overflow(page) <= 0
    assert not page.locator(".board-wrap").is_visible()
    card_b = page.locator(".board-cards li.board-card[data-unit=B]")
    head = card_b.locator(".card-head .rank")
    assert head.inner_text().replace("\n", "") == "2（1–2）≈"
    assert head.locator(".indist").is_visible()
    card_k = page.locator(".board-cards li.board-card[data-unit=K]")
    assert card_k.locator(".indist").count() == 0
    assert page.locator("#interval-legend").is_visible()
    # The card's head keeps rank, interval, mark, name and score on the card (nothing spills out of it).
    cb = card_b.bounding_box()
    hb = card_b.locator(".card-head").bounding_box()
    assert hb["x"] + hb["width"] <= cb["x"] + cb["width"] + 1
    sb = card_b.locator(".card-head .score").bounding_box()
    assert sb["x"] + sb["width"] <= cb["x"] + cb["width"] + 1
