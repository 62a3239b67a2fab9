"""The figures of the overview pages: rates per unit or source, the supervision dashboard, the chart of
open items, the public page's items and the unit names the rate tables show.

Everything here aggregates in the database (GROUP BY with conditional counts), so the dashboard answers
in well under 300 ms on 100,000 items; the figures equal core.tracking.rates on the same items."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, F, FloatField, Func, Q, Sum
from django.utils import timezone

from leitai.core.tracking import rules as flow
from leitai.units.models import Unit

from ..models import Item

BY = {"unit": "unit__code", "source": "source"}


class DaysBetween(Func):
    """Whole days from the first date to the second, in SQL. Django's date subtraction calls a Python
    function per row on SQLite (too slow for 100,000 items), so each backend gets its native form."""

    output_field = FloatField()
    arity = 2

    def as_sql(self, compiler, connection, **extra):  # PostgreSQL: date − date is a number of days
        first, first_params = compiler.compile(self.source_expressions[0])
        second, second_params = compiler.compile(self.source_expressions[1])
        return f"({second} - {first})", (*second_params, *first_params)

    def as_sqlite(self, compiler, connection, **extra):
        first, first_params = compiler.compile(self.source_expressions[0])
        second, second_params = compiler.compile(self.source_expressions[1])
        return f"(julianday({second}) - julianday({first}))", (*second_params, *first_params)


CLASSES = (flow.ON_TRACK, flow.DUE_SOON, flow.OVERDUE, flow.LONG_OVERDUE, flow.DONE)


def _class_counts(today: date, by_state: bool = False) -> dict:
    """Conditional counts per deadline class. Grouped by state, openness is constant within a group, so
    the state test is left out (faster) and the caller moves closed groups to "done"."""
    soon = today + timedelta(days=flow.DUE_SOON_DAYS)
    long_ago = today - timedelta(days=flow.LONG_OVERDUE_DAYS)
    is_open = Q(state__in=flow.OPEN_STATES)
    if by_state:
        return {
            flow.ON_TRACK: Count("id", filter=Q(deadline__gt=soon)),
            flow.DUE_SOON: Count("id", filter=Q(deadline__gte=today, deadline__lte=soon)),
            flow.OVERDUE: Count("id", filter=Q(deadline__lt=today, deadline__gte=long_ago)),
            flow.LONG_OVERDUE: Count("id", filter=Q(deadline__lt=long_ago)),
        }
    return {
        flow.ON_TRACK: Count("id", filter=is_open & Q(deadline__gt=soon)),
        flow.DUE_SOON: Count("id", filter=is_open & Q(deadline__gte=today, deadline__lte=soon)),
        flow.OVERDUE: Count("id", filter=is_open & Q(deadline__lt=today, deadline__gte=long_ago)),
        flow.LONG_OVERDUE: Count("id", filter=is_open & Q(deadline__lt=long_ago)),
        flow.DONE: Count("id", filter=~is_open),
    }


def _aggregates(today: date) -> dict:
    closed = Q(closed_on__isnull=False)
    return {
        "total": Count("id"),
        "closed": Count("id", filter=closed),
        "closed_on_time": Count("id", filter=closed & Q(closed_on__lte=F("deadline"))),
        "overdue_open": Count("id", filter=Q(closed_on__isnull=True, deadline__lt=today)),
        # A sum (not an average) so the per-unit, per-source and city figures add up from one grouped query.
        "close_time": Sum(DaysBetween("assigned_on", "closed_on"), filter=closed),
    }


FIGURES = ("total", "closed", "closed_on_time", "overdue_open")


def _rates(row: dict) -> flow.Rates:
    total, closed, on_time, spent = row["total"], row["closed"], row["closed_on_time"], row["close_time"]
    return flow.Rates(total, closed, on_time, row["overdue_open"], closed / total if total else None,
                      on_time / closed if closed else None,
                      spent / closed if closed and spent is not None else None)


def _grouped(today: date, items=None) -> list[dict]:
    """One grouped query: the figures per (unit, source, state); the rest is summed from these rows."""
    qs = (items if items is not None else Item.objects.all()).order_by()
    # Grouped on the unit's id (no join over every item); codes and order come from the few units involved.
    rows = list(qs.values("unit_id", "source", "state")
                .annotate(**_aggregates(today), **_class_counts(today, by_state=True)))
    units = {pk: (order, code) for pk, order, code in
             Unit.objects.filter(pk__in={r["unit_id"] for r in rows}).values_list("pk", "sort_order", "code")}
    for r in rows:
        r["unit__sort_order"], r["unit__code"] = units[r["unit_id"]]
    rows.sort(key=lambda r: (r["unit__sort_order"], r["unit__code"], r["source"], r["state"]))
    for r in rows:
        r[flow.DONE] = 0 if r["state"] in flow.OPEN_STATES else r["total"]
        if r[flow.DONE]:
            r.update(dict.fromkeys(CLASSES[:-1], 0))
    return rows


def _combine(rows: list[dict], key) -> dict[str, flow.Rates]:
    sums: dict[str, dict] = {}
    for r in rows:
        acc = sums.setdefault(key(r), {**dict.fromkeys(FIGURES, 0), "close_time": None})
        for f in FIGURES:
            acc[f] += r[f]
        if r["close_time"] is not None:
            acc["close_time"] = r["close_time"] + (acc["close_time"] or 0)
    return {k: _rates(v) for k, v in sums.items()}


def item_rates(by: str = "unit", today: date | None = None, items=None) -> dict[str, flow.Rates]:
    """Rates (化解率, on-time rate, average days to close) per unit code (in unit order) or per source."""
    if by not in BY:
        raise ValueError(f"by must be one of {', '.join(BY)}")
    rows = _grouped(today or timezone.localdate(), items)
    if by == "source":
        rows = sorted(rows, key=lambda r: r["source"])
    return _combine(rows, lambda r: r[BY[by]])


def city_rates(today: date | None = None, items=None) -> flow.Rates:
    """Rates over all (or the given) items."""
    today = today or timezone.localdate()
    return _rates((items if items is not None else Item.objects.all()).order_by().aggregate(**_aggregates(today)))


def deadline_counts(today: date, items=None) -> dict[str, int]:
    """Open items per deadline class (on_track / due_soon / overdue / long_overdue), done = closed."""
    return (items if items is not None else Item.objects.all()).order_by().aggregate(**_class_counts(today))


def items_in_class(kind: str, today: date, items=None):
    """Open items of one deadline class, most urgent first (a queryset: slice it for a page)."""
    soon = today + timedelta(days=flow.DUE_SOON_DAYS)
    long_ago = today - timedelta(days=flow.LONG_OVERDUE_DAYS)
    ranges = {flow.DUE_SOON: Q(deadline__gte=today, deadline__lte=soon),
              flow.OVERDUE: Q(deadline__lt=today, deadline__gte=long_ago),
              flow.LONG_OVERDUE: Q(deadline__lt=long_ago), flow.ON_TRACK: Q(deadline__gt=soon)}
    if kind not in ranges:
        raise ValueError(f"unknown deadline class {kind}")
    qs = items if items is not None else Item.objects.all()
    return qs.filter(ranges[kind], state__in=flow.OPEN_STATES).select_related("unit").order_by("deadline", "id")


def dashboard(today: date | None = None, listed: int = 20) -> dict:
    """The organizer's supervision dashboard: counts by state and deadline class, the most overdue items,
    rates for the city, per unit and per source."""
    today = today or timezone.localdate()
    rows = _grouped(today)
    return {
        "today": today,
        "by_state": {s: sum(r["total"] for r in rows if r["state"] == s) for s in flow.STATES},
        "deadlines": {k: sum(r[k] for r in rows) for k in CLASSES},
        "due_soon": list(items_in_class(flow.DUE_SOON, today)[:listed]),
        "overdue": list(items_in_class(flow.OVERDUE, today)[:listed]),
        "long_overdue": list(items_in_class(flow.LONG_OVERDUE, today)[:listed]),
        "rates": _combine(rows, lambda r: "")[""] if rows else city_rates(today),
        "by_unit": _combine(rows, lambda r: r["unit__code"]),
        "by_source": _combine(sorted(rows, key=lambda r: r["source"]), lambda r: r["source"]),
    }


def open_items_per_unit_and_state() -> list[dict]:
    """Open items counted per unit and state (unit__name, unit__sort_order, state, n), in the units' order."""
    return list(Item.objects.exclude(state=flow.CLOSED).values("unit__name", "unit__sort_order", "state")
                .annotate(n=Count("id")).order_by("unit__sort_order", "unit__name"))


def public_items(limit: int = 500):
    """The public items, latest assigned first, with only what the public page shows."""
    return (Item.objects.filter(public=True).select_related("unit")
            .only("code", "title", "unit__name", "state", "deadline", "closed_on", "assigned_on")
            .order_by("-assigned_on", "code"))[:limit]


def unit_names() -> dict[str, str]:
    """Unit code → name, and the unit's id (as text) → name: rates come keyed by either."""
    names = dict(Unit.objects.values_list("code", "name"))
    names.update({str(k): v for k, v in Unit.objects.values_list("id", "name")})
    return names
