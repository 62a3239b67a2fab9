"""Deadline classes and rates with a controllable clock (`today` is passed in, never read)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from leitai.core.tracking import rules as flow
from leitai.tracking.board import selectors
from leitai.tracking.items import selectors as item_selectors
from leitai.tracking.models import Item

pytestmark = pytest.mark.django_db


def test_the_dashboard_counts_states_and_deadline_classes_on_the_given_day(items, today):
    d = selectors.dashboard(today)
    assert d["by_state"] == {"assigned": 2, "in_progress": 2, "requested": 1, "closed": 2, "returned": 1,
                             "reopened": 0}
    assert d["deadlines"] == {"on_track": 2, "due_soon": 1, "overdue": 2, "long_overdue": 1, "done": 2}
    assert [i.pk for i in d["long_overdue"]] == [items["a_long"].pk]
    assert [i.pk for i in d["overdue"]] == [items["a_late"].pk, items["b_late"].pk]


def test_moving_the_clock_moves_items_between_classes(items, today):
    later = selectors.deadline_counts(today + dt.timedelta(days=36))
    # a_late (−5) becomes long overdue at +36; a_long stays; b_late (−1) is 37 days late; a_soon (+3) 33.
    assert later["long_overdue"] == 4
    earlier = selectors.deadline_counts(today - dt.timedelta(days=60))
    assert earlier["on_track"] == 6 and earlier["overdue"] == earlier["long_overdue"] == 0


def test_database_counts_agree_with_the_vectorised_core_classes(items, today):
    rows = list(Item.objects.values_list("deadline", "state"))
    classes = flow.deadline_class(np.array([d for d, _ in rows], dtype="datetime64[D]"),
                                  np.array([s in flow.OPEN_STATES for _, s in rows]), today)
    counts = selectors.deadline_counts(today)
    for kind in (flow.ON_TRACK, flow.DUE_SOON, flow.OVERDUE, flow.LONG_OVERDUE, flow.DONE):
        assert counts[kind] == int((classes == kind).sum())


def test_rates_per_unit_and_source_equal_the_core_rates(items, today):
    by_unit = selectors.item_rates("unit", today)
    assert list(by_unit) == ["A", "B"]
    a, b = by_unit["A"], by_unit["B"]
    assert (a.total, a.closed, a.closed_on_time, a.overdue_open) == (6, 1, 1, 2)
    assert a.resolution_rate == pytest.approx(1 / 6) and a.on_time_rate == 1.0
    assert a.avg_days_to_close == (dt.date(2024, 6, 11) - dt.date(2024, 5, 1)).days
    assert (b.closed, b.on_time_rate, b.avg_days_to_close) == (1, 0.0, 35.0)
    for key, field in (("unit", "unit__code"), ("source", "source")):
        for value, got in selectors.item_rates(key, today).items():
            rows = list(Item.objects.filter(**{field: value}).values_list("assigned_on", "deadline", "closed_on"))
            arr = [np.array([r[i] or np.datetime64("NaT") for r in rows], dtype="datetime64[D]") for i in range(3)]
            want = flow.rates(*arr, today)
            assert got.total == want.total and got.closed_on_time == want.closed_on_time
            assert got.overdue_open == want.overdue_open and got.resolution_rate == want.resolution_rate
            assert got.avg_days_to_close == (pytest.approx(want.avg_days_to_close) if want.closed else None)
    assert selectors.item_rates("source", today)["business_help"].resolution_rate == 0.0


def test_filtered_items_by_unit_state_source_and_overdue(items, today):
    late = item_selectors.filtered_items(unit="A", overdue=True, today=today)
    assert {i.pk for i in late} == {items["a_late"].pk, items["a_long"].pk}
    assert [i.pk for i in item_selectors.filtered_items(source="business_help")] == [items["b_late"].pk]
    assert item_selectors.filtered_items(state="closed").count() == 2
    assert {i.pk for i in item_selectors.filtered_items(public_only=True)} == {items["a_asked"].pk, items["a_done"].pk}


def test_an_empty_dashboard_has_zero_counts_and_no_rates(city, today):
    d = selectors.dashboard(today)
    assert sum(d["by_state"].values()) == 0 and d["by_unit"] == {} and d["overdue"] == []
    assert d["rates"].total == 0 and d["rates"].resolution_rate is None
