"""The judge's data panel's fixtures: the arena fixtures (tests/arena), the tracking ones (tests/tracking) and
`record`, county A's public and private record as of TODAY (2024-06-15):

    rankings   the rankings support plan (tests/rankings/support.py), March and April 2024 published:
               A is 3rd in March, 1st in April (moved up 2), with its stars, flags and weak indicators.
    pledges    A: kept (2024-03), missed (2024-03), pending past its deadline (2024-04), running (2024-12),
               and a private one that is due (never shown); B: one kept (never shown on A's panel).
    items      tracking's standard `items` (A: a_asked is public and open, a_done public and closed, the
               other four private) plus a public overdue one (−3 days) and a public one of county B.
    last round "2023年第四季度书记擂台" (2023Q4, published) with A as a contestant: a shortcoming raised
               for A from a comment, one A listed itself, and one for B; all transferred (转入督办, public items).
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.arena import conftest as arena_fixtures
from tests.tracking import conftest as tracking_fixtures

# The arena fixtures of tests/arena and the tracking ones of tests/tracking (pytest finds fixtures among the
# module's names).
arena, contestants, other_arena, panel, quarter, stage_to = (
    arena_fixtures.arena, arena_fixtures.contestants, arena_fixtures.other_arena, arena_fixtures.panel,
    arena_fixtures.quarter, arena_fixtures.stage_to)
items, make_item, today = tracking_fixtures.items, tracking_fixtures.make_item, tracking_fixtures.today
TODAY = tracking_fixtures.TODAY

def _period(code, kind, year, number, start, end):
    from leitai.indicators.models import Period

    return Period.objects.get_or_create(code=code, defaults={"kind": kind, "year": year, "number": number,
                                                             "start": start, "end": end})[0]


@pytest.fixture
def rankings(city, organizer):
    from tests.rankings import support

    plan = support.make_plan(organizer)
    support.add_data(city)
    march = support.publish(plan, city, "2024-03", organizer)
    april = support.publish(plan, city, "2024-04", organizer)
    return {"march": march, "april": april}


@pytest.fixture
def pledges(city):
    from leitai.tracking.models import Pledge

    march, april = city["periods"]["2024-03"], city["periods"]["2024-04"]
    december = _period("2024-12", "month", 2024, 12, dt.date(2024, 12, 1), dt.date(2024, 12, 31))
    a, b = city["a"], city["b"]
    return {
        "kept": Pledge.objects.create(unit=a, text="一季度投资不低于100亿元", indicator=city["inv"], comparison="ge",
                                      target_value=100, deadline=march, status="kept", verdict_value=120),
        "missed": Pledge.objects.create(unit=a, text="PM2.5 降到 35 以下", indicator=city["pm25"], comparison="le",
                                        target_value=35, deadline=march, status="missed", verdict_value=60),
        "pending": Pledge.objects.create(unit=a, text="四月底前完成园区改造", deadline=april),
        "running": Pledge.objects.create(unit=a, text="年底前新增市场主体五千户", deadline=december),
        "private": Pledge.objects.create(unit=a, text="内部承诺不公开", deadline=march, public=False),
        "other": Pledge.objects.create(unit=b, text="西城区的承诺", deadline=march, status="kept"),
    }


@pytest.fixture
def last_round(city, organizer):
    from leitai.arena import services as arena_services
    from leitai.arena.models import Arena
    from leitai.tracking import services as tracking_services

    q4 = _period("2023Q4", "quarter", 2023, 4, dt.date(2023, 10, 1), dt.date(2023, 12, 31))
    prev = arena_services.create_arena(organizer, name="2023年第四季度书记擂台", kind="secretary", period=q4,
                                       held_at=dt.datetime(2024, 1, 10, 9, 0, tzinfo=dt.UTC))
    arena_services.add_contestants(prev, organizer, [city["a"], city["b"]])
    a = prev.contestants.get(unit=city["a"])
    arena_services.save_submission(a, organizer, [{"kind": "shortcoming", "text": "工业投资增速偏低"}])
    comment = arena_services.record_comment(a, organizer, "招商引资力度不够", author="市长")
    arena_services.raise_shortcoming(prev, organizer, "招商引资力度不够", city["a"], dt.date(2024, 4, 30),
                                     comment=comment)
    arena_services.raise_shortcoming(prev, organizer, "西城区的短板", city["b"], dt.date(2024, 4, 30))
    Arena.objects.filter(pk=prev.pk).update(status=Arena.Status.FINISHED)
    prev.refresh_from_db()
    tracking_services.transfer(prev, organizer)
    Arena.objects.filter(pk=prev.pk).update(status=Arena.Status.PUBLISHED)
    prev.refresh_from_db()
    return prev


@pytest.fixture
def record(city, rankings, pledges, items, make_item, last_round):
    extra = {
        "a_public_late": make_item(city["a"], -3, "in_progress", public=True, title="园区道路破损"),
        "b_public": make_item(city["b"], -3, public=True, title="西城区的事项"),
    }
    return {**city, **rankings, "pledges": pledges, "items": {**items, **extra}, "last_round": last_round}


@pytest.fixture(autouse=True)
def fresh_panels():
    """The rendered panels are cached a minute per contestant (portal.panel.views): none across tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
