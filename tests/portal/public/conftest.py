import datetime as dt

import pytest

from tests.rankings.support import add_data, make_plan, publish


@pytest.fixture
def published(city, organizer):
    """Two published months of the county plan (A first in April), and a later draft nobody may see."""
    from leitai.indicators.models import Period
    from leitai.rankings.services import compute_ranking

    plan = make_plan(organizer)
    add_data(city)
    publish(plan, city, "2024-03", organizer)
    april = publish(plan, city, "2024-04", organizer)
    may = Period.objects.create(code="2024-05", kind="month", year=2024, number=5, start=dt.date(2024, 5, 1),
                                end=dt.date(2024, 5, 31))
    city["periods"]["2024-05"] = may
    draft = compute_ranking(plan.current_version, city["periods"]["2024-04"], user=organizer)
    return {"plan": plan, "april": april, "draft": draft}


@pytest.fixture
def tracked(city):
    """Public and private pledges and items of county A."""
    from leitai.tracking.models import Item, Pledge

    a = city["a"]
    Pledge.objects.create(unit=a, text="GDP 增速不低于 7%", status="kept", verdict_note="实际 7.4%",
                          deadline=city["periods"]["2024-04"])
    Pledge.objects.create(unit=a, text="投资突破两百亿", status="missed", deadline=city["periods"]["2024-04"])
    Pledge.objects.create(unit=a, text="内部承诺不公开", public=False, status="kept")
    today = dt.date.today()
    Item.objects.create(code="ZG-1", title="老旧小区加装电梯进度慢", unit=a, deadline=today - dt.timedelta(days=5),
                        assigned_on=today - dt.timedelta(days=40), public=True)
    Item.objects.create(code="ZG-2", title="营商环境投诉办理", unit=a, deadline=today - dt.timedelta(days=1),
                        assigned_on=today - dt.timedelta(days=40), state="closed",
                        closed_on=today - dt.timedelta(days=3), public=True)
    Item.objects.create(code="ZG-3", title="内部督查问题不公开", unit=a, deadline=today + dt.timedelta(days=5),
                        assigned_on=today - dt.timedelta(days=10), public=False)
