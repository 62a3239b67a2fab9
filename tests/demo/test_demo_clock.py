"""The demo follows the clock: built on two different days (time frozen), its statistics end last month, its
published arena is the last quarter's, the next one is still to come, and items and projects sit around today."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

SIZES = {"counties": 3, "zones": 1, "departments": 4, "towns_per_county": 2}


@pytest.mark.django_db
@pytest.mark.parametrize("today, last_month, past_q, next_q", [
    (dt.date(2026, 12, 3), "2026-11", "2026Q3", "2026Q4"),
    # Early April: the first quarter's arena (16 days after it ends) is not held yet.
    (dt.date(2027, 4, 10), "2027-03", "2026Q4", "2027Q1"),
])
def test_the_demo_built_on_a_day_has_dates_that_fit_that_day(clock, settings, today, last_month, past_q, next_q):
    from leitai.arena.models import Arena
    from leitai.assessment.models import Assessment
    from leitai.demo.loader import build
    from leitai.demo.tracking import project_batches
    from leitai.indicators.models import Observation
    from leitai.rankings.models import Ranking
    from leitai.tracking.models import Item, KeyProject, Pledge

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    clock(today)
    summary = build(seed=7, months=6, **SIZES)
    now = timezone.now()

    months = sorted(set(Observation.objects.values_list("period__code", flat=True)))
    assert months[-1] == last_month and len(months) == 6
    assert Ranking.objects.filter(status="published").latest("period__start").period.code == last_month

    past = Arena.objects.get(pk=summary["arenas"]["past"])
    upcoming = Arena.objects.get(pk=summary["arenas"]["upcoming"])
    assert (past.period.code, past.status, upcoming.period.code) == (past_q, "published", next_q)
    assert now - dt.timedelta(days=120) < past.held_at < now < upcoming.held_at < now + dt.timedelta(days=120)

    items = list(Item.objects.all())
    assert len(items) > 36
    for item in items:
        assert today - dt.timedelta(days=120) <= item.assigned_on <= today, item.title
        assert item.deadline >= item.assigned_on and item.deadline >= today - dt.timedelta(days=90), item.title
    arena_items = [i for i in items if i.source != "business_help"]
    assert arena_items and all(i.assigned_on == past.held_at.astimezone(timezone.get_current_timezone()).date()
                               for i in arena_items)
    assert all(p.deadline.end >= past.held_at.date() for p in Pledge.objects.select_related("deadline")
               if p.deadline is not None)

    projects = list(KeyProject.objects.all())
    assert projects
    for p in projects:
        assert p.batch.startswith(f"{p.planned_sign.year}年第"), (p.batch, p.planned_sign)
        assert p.planned_sign <= today and p.planned_sign.year >= today.year - 1
    assert {p.batch for p in projects} == {b for b, _ in project_batches(today)}

    assessed = {a.period.code for a in Assessment.objects.filter(status="published").select_related("period")}
    assert assessed == ({past_q, past_q[:4]} if past_q.endswith("Q4") else {past_q})
