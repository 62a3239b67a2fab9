"""Reads of supervision (督办): the in-app notices a user sees, and the 双过半 early warning — every unit ×
annual target with its year-to-date completion, traffic light and year-end projections (linear; seasonal
from last year's monthly profile), and pledges projected to miss.

Bulk reads (a handful of values_list queries) and numpy over arrays: no per-target queries.
Cumulative indicators (ytd, level) are projected; for growth rates and ratios the current value is the
best year-end estimate (a rate does not accumulate), so it is used as the linear projection.
"""

from __future__ import annotations

import numpy as np

from leitai.core.ranking import projection, targets
from leitai.indicators.models import AnnualTarget, Observation, Period
from leitai.units.selectors import within

from ..models import Comparison, Notice, Pledge

STATUS_ORDER = {"behind": 0, "no_data": 1, "on_track": 2, "ahead": 3, "no_target": 4}


# ---- notices ------------------------------------------------------------------------------------

def notices_for(user):
    """The in-app notices a user sees: organizers those for the organizers (escalations, units' actions),
    a unit's reporter those for their unit and the units below it; nobody else any."""
    if not getattr(user, "is_authenticated", False):
        return Notice.objects.none()
    if user.is_organizer:
        return Notice.objects.filter(for_organizers=True)
    if user.is_reporter and user.unit_id:
        return Notice.objects.filter(unit_id__in=within([user.unit_id]), for_organizers=False)
    return Notice.objects.none()


def unread_notices(user) -> int:
    return notices_for(user).exclude(read_by=user).count() if getattr(user, "is_authenticated", False) else 0


def latest_notices(user, limit: int = 200) -> tuple[list[Notice], int]:
    """The latest notices for `user`, each with .unread, and how many of all theirs are unread."""
    qs = notices_for(user)
    unread = set(qs.exclude(read_by=user).values_list("pk", flat=True))
    rows = list(qs.select_related("item", "unit").order_by("-created_at", "-id")[:limit])
    for n in rows:
        n.unread = n.pk in unread
    return rows, len(unread)


# ---- the 双过半 early warning ------------------------------------------------------------------------


def latest_month() -> tuple[int, int] | None:
    """The (year, month) of the latest monthly period holding observations."""
    period = (Period.objects.filter(kind="month", observations__isnull=False)
              .order_by("-year", "-number").values_list("year", "number").first())
    return tuple(period) if period else None


def _values(year: int, month: int, indicator_ids) -> dict[tuple[int, int], float]:
    rows = Observation.objects.filter(period__kind="month", period__year=year, period__number=month,
                                      indicator_id__in=indicator_ids, value__isnull=False)
    return {(u, i): v for u, i, v in rows.values_list("unit_id", "indicator_id", "value")}


def _profiles(year: int, indicator_ids) -> dict[tuple[int, int], np.ndarray]:
    """Last year's 12 cumulative monthly values per (unit, indicator); NaN where a month is missing."""
    out: dict[tuple[int, int], np.ndarray] = {}
    rows = Observation.objects.filter(period__kind="month", period__year=year - 1, indicator_id__in=indicator_ids,
                                      value__isnull=False)
    for u, i, m, v in rows.values_list("unit_id", "indicator_id", "period__number", "value"):
        out.setdefault((u, i), np.full(12, np.nan))[m - 1] = v
    return out


def _project(values, months_to, month, profiles, cumulative) -> tuple[np.ndarray, np.ndarray]:
    """Linear and seasonal projections of ytd `values` at `month` to the months `months_to`."""
    linear = np.where(cumulative, values / month * months_to, values)
    at_month = profiles[:, month - 1]
    rows = np.arange(values.shape[0])
    with np.errstate(divide="ignore", invalid="ignore"):
        seasonal = values / at_month * profiles[rows, months_to - 1]
    usable = ~np.isnan(profiles).any(axis=1) & (np.nan_to_num(profiles, nan=-1) > 0).all(axis=1)
    seasonal = np.where(usable & cumulative, seasonal, np.nan)
    return linear, seasonal


def early_warning(year: int, month: int, units=None) -> dict:
    """Rows for every annual target of `year` (limited to `units` when given) and the pledges likely to miss."""
    qs = AnnualTarget.objects.filter(year=year)
    if units is not None:
        qs = qs.filter(unit__in=units)
    targets_rows = list(qs.values_list("unit_id", "unit__name", "unit__sort_order", "indicator_id", "indicator__name",
                                       "indicator__measure", "indicator__direction", "indicator__value_type", "value"))
    pledges = Pledge.objects.filter(indicator__isnull=False, deadline__year=year, status=Pledge.Status.PENDING,
                                    target_value__isnull=False)
    if units is not None:
        pledges = pledges.filter(unit__in=units)
    pledge_rows = list(pledges.values_list("id", "unit_id", "unit__name", "indicator_id", "indicator__name",
                                           "indicator__direction", "indicator__value_type", "comparison",
                                           "target_value", "deadline__kind", "deadline__number", "text"))
    indicator_ids = {r[3] for r in targets_rows} | {r[3] for r in pledge_rows}
    values = _values(year, month, indicator_ids)
    profiles = _profiles(year, indicator_ids)
    blank = np.full(12, np.nan)

    rows = []
    if targets_rows:
        keys = [(r[0], r[3]) for r in targets_rows]
        v = np.array([values.get(k, np.nan) for k in keys], dtype=float)
        t = np.array([r[8] for r in targets_rows], dtype=float)
        d = np.array([r[6] for r in targets_rows])
        kinds = np.array([r[7] for r in targets_rows], dtype=object)
        cumulative = np.isin(kinds, targets.CUMULATIVE)
        prof = np.array([profiles.get(k, blank) for k in keys], dtype=float)
        dh = targets.double_half_array(v, t, month / 12, d, kinds)
        linear, seasonal = _project(v, np.full(len(keys), 12), month, prof, cumulative)
        best = np.where(np.isnan(seasonal), linear, seasonal)
        flags = projection.warn_array(best, t, d)
        for n, r in enumerate(targets_rows):
            rows.append({"unit": r[1], "sort": r[2], "indicator": r[4], "measure": r[5], "target": r[8],
                         "value": _f(v[n]), "completion": _f(dh["completion"][n]), "status": dh["status"][n],
                         "linear": _f(linear[n]), "seasonal": _f(seasonal[n]), "flag": bool(flags[n])})
        rows.sort(key=lambda x: (not x["flag"], STATUS_ORDER.get(x["status"], 9), x["sort"], x["unit"], x["indicator"]))

    pledges_out = []
    future = [r for r in pledge_rows if _deadline_month(r[9], r[10]) >= month]
    if future:
        keys = [(r[1], r[3]) for r in future]
        v = np.array([values.get(k, np.nan) for k in keys], dtype=float)
        t = np.array([r[8] for r in future], dtype=float)
        to = np.array([_deadline_month(r[9], r[10]) for r in future])
        cumulative = np.isin(np.array([r[6] for r in future], dtype=object), targets.CUMULATIVE)
        prof = np.array([profiles.get(k, blank) for k in keys], dtype=float)
        linear, seasonal = _project(v, to, month, prof, cumulative)
        best = np.where(np.isnan(seasonal), linear, seasonal)
        # ≥ misses below the target, ≤ above it; = follows the indicator's direction
        d = np.array([-1 if r[7] == Comparison.LE else 1 if r[7] == Comparison.GE else r[5] for r in future])
        flags = projection.warn_array(best, t, d)
        for n, r in enumerate(future):
            if flags[n]:
                pledges_out.append({"id": r[0], "unit": r[2], "indicator": r[4], "text": r[11], "target": r[8],
                                    "comparison": dict(Comparison.choices).get(r[7], ""), "value": _f(v[n]),
                                    "projection": _f(best[n])})
    return {"year": year, "month": month, "elapsed": month / 12, "rows": rows, "pledges": pledges_out,
            "flagged": sum(r["flag"] for r in rows)}


def _deadline_month(kind: str, number: int) -> int:
    return {"month": number, "quarter": number * 3}.get(kind, 12)


def _f(x) -> float | None:
    return None if x is None or np.isnan(x) else float(x)
