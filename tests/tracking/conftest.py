"""Tracking fixtures (the pages helper reuses them: import them the way tests/live/conftest.py does).

    today     TODAY = 2024-06-15, the fixed clock every deadline below is relative to; pass it as `today`
              to selectors and run_supervision.
    make_item make_item(unit, deadline_offset, state="assigned", **kw) → an Item handed out by the organizer
              on 2024-05-01 with deadline TODAY + offset days, then moved to `state` through services.act
              (reporter_a / reporter_b act for counties A / B). A closed item's closed_on is set to
              TODAY + closed_offset (kw, default 0) so rates do not depend on the real date.
    items     the standard set (a dict by name), all from organizer, assigned on 2024-05-01:
                a_track     A  deadline +20  assigned       (on track)
                a_soon      A  deadline +3   in_progress    (due soon)
                a_late      A  deadline −5   assigned       (overdue)
                a_long      A  deadline −40  returned       (long overdue)
                a_asked     A  deadline +10  requested      (close-out requested, public)
                a_done      A  deadline −2   closed, closed_on −4 (on time, public)
                b_done_late B  deadline −20  closed, closed_on −10 (late)
                b_late      B  deadline −1   in_progress    (overdue, source business_help, raised by an
                                                             enterprise)
              So: A has 6 items (1 closed on time, 2 overdue of which 1 long), B has 2 (1 closed late).
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.arena.conftest import (  # noqa: F401 - arena fixtures for the transfer (转入督办)
    arena,
    contestants,
    quarter,
)
from tests.files import image_bytes

TODAY = dt.date(2024, 6, 15)
ASSIGNED_ON = dt.date(2024, 5, 1)
# The way from "assigned" to each state, and who takes each step ("unit" or "organizer").
PATHS = {
    "assigned": [],
    "in_progress": [("start", "unit")],
    "requested": [("start", "unit"), ("request_closeout", "unit")],
    "closed": [("start", "unit"), ("request_closeout", "unit"), ("verify", "organizer")],
    "returned": [("start", "unit"), ("request_closeout", "unit"), ("return", "organizer")],
}


@pytest.fixture
def today():
    return TODAY


@pytest.fixture
def make_item(city, organizer, reporter_a, reporter_b):
    from leitai.tracking import services
    from leitai.tracking.models import Item

    reporters = {"A": reporter_a, "B": reporter_b}

    def make(unit, deadline_offset, state="assigned", closed_offset=0, **kw):
        kw.setdefault("title", f"{unit.name}整改事项")
        item = services.create_item(organizer, unit=unit, deadline=TODAY + dt.timedelta(days=deadline_offset),
                                    assigned_on=kw.pop("assigned_on", ASSIGNED_ON), **kw)
        for action, who in PATHS[state]:
            user = organizer if who == "organizer" else reporters[unit.code]
            item = services.act(user, item, action, text=f"{action} 说明")
        if state == "closed":
            # act() stamps the real date; the fixtures keep the clock fixed.
            Item.objects.filter(pk=item.pk).update(closed_on=TODAY + dt.timedelta(days=closed_offset))
            item.refresh_from_db()
        return item

    return make


@pytest.fixture
def items(city, make_item):
    a, b = city["a"], city["b"]
    return {
        "a_track": make_item(a, 20),
        "a_soon": make_item(a, 3, "in_progress"),
        "a_late": make_item(a, -5),
        "a_long": make_item(a, -40, "returned"),
        "a_asked": make_item(a, 10, "requested", public=True),
        "a_done": make_item(a, -2, "closed", closed_offset=-4, public=True),
        "b_done_late": make_item(b, -20, "closed", closed_offset=-10),
        "b_late": make_item(b, -1, "in_progress", source="business_help", raised_by="某某科技有限公司"),
    }


@pytest.fixture
def supervisors(city, django_user_model):
    return [django_user_model.objects.create_user(username=f"sup{n}", password="x", role="supervisor",
                                                  display_name=f"监督员{n}") for n in (1, 2)]


@pytest.fixture
def closed_items(organizer, reporter_a, reporter_b, city):
    """Six items closed through the workflow: four of county A, two of county B (one raised by an enterprise)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from leitai.tracking import services

    out = []
    for n in range(6):
        unit, reporter = (city["a"], reporter_a) if n < 4 else (city["b"], reporter_b)
        raised = "某某科技有限公司" if n == 5 else ""
        item = services.create_item(organizer, title=f"问题{n}", unit=unit, deadline=dt.date(2099, 1, 1),
                                    source="business_help" if raised else "manual", raised_by=raised)
        services.act(reporter, item, "start")
        photo = SimpleUploadedFile(f"after{n}.png", PNG, content_type="image/png")
        services.act(reporter, item, "request_closeout", text="已整改完毕", files=[photo])
        out.append(services.act(organizer, item, "verify"))
    return out


PNG = image_bytes("PNG")
