"""Reads of the unit and person pages (单位画像, 个人履历) and their API: the unit tree with each unit's latest
published rank, weak indicators, trends, benchmarking (对标), 双过半 and a person's record. They read the
units, the data and the published rankings, so they sit above all three (published rankings are frozen,
so their snapshots are read as they are)."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from leitai.core import periods as core_periods
from leitai.core.ranking.targets import double_half
from leitai.indicators.models import AnnualTarget, Indicator, Observation, Period
from leitai.rankings.models import Ranking, RankingRow
from leitai.rankings.selectors import flag_view, group_names
from leitai.units.models import Post, Unit, UnitKind
from leitai.units.selectors import current_heads


@dataclass
class TreeRow:
    unit: Unit
    depth: int
    head: Post | None = None
    latest: RankingRow | None = None


@dataclass
class WeakItem:
    code: str
    name: str
    measure: str
    value: float | None
    rank: int | None
    peers: int
    best_value: float | None
    best_unit: str


@dataclass
class Comparison:
    indicator: Indicator
    mine: float | None
    theirs: float | None
    diff: float | None
    better: str  # "mine", "theirs", "tie" or "" when a value is missing


@dataclass
class TargetLine:
    indicator: Indicator
    period: Period | None
    value: float | None
    target: float
    completion: float | None
    elapsed: float | None
    status: str

    # core.targets gives shares of 1; the page prints percentages.
    @property
    def completion_pct(self) -> float | None:
        # A lower-is-better value at or below zero completes without bound: no percentage to print.
        if self.completion is None or math.isinf(self.completion):
            return None
        return 100.0 * self.completion

    @property
    def elapsed_pct(self) -> float | None:
        return None if self.elapsed is None else 100.0 * self.elapsed


@dataclass
class Benchmark:
    peer: Unit
    period: Period | None
    rows: list[Comparison] = field(default_factory=list)
    scores: dict | None = None  # {"ranking": Ranking, "labels": [...], "mine": [...], "theirs": [...]}


def _published_rows():
    # A ranking's snapshots (every unit's every value) are large and only the weak-indicator table needs
    # them, for one row: leave them out of these joins.
    return (
        RankingRow.objects.filter(ranking__status=Ranking.Status.PUBLISHED)
        .select_related("ranking__plan_version__plan", "ranking__period")
        .defer("ranking__inputs", "ranking__spec", "ranking__report", "ranking__plan_version__spec")
        .order_by("-ranking__period__start", "-ranking__published_at", "-ranking_id")
    )


def latest_ranks(units) -> dict[int, RankingRow]:
    """unit id → its row in the latest published ranking that includes it."""
    wanted = {u.pk for u in units}
    out: dict[int, RankingRow] = {}
    for row in _published_rows().filter(unit__in=wanted).iterator(chunk_size=500):
        out.setdefault(row.unit_id, row)
        if len(out) == len(wanted):
            break  # newest first: once every unit has its row, older rankings add nothing
    return out


def latest_rows_per_plan(unit: Unit) -> list[RankingRow]:
    """The unit's row in the latest published ranking of each plan, newest first, with `size` set."""
    seen, rows = set(), []
    for row in _published_rows().filter(unit=unit):
        plan_id = row.ranking.plan_version.plan_id
        if plan_id not in seen:
            seen.add(plan_id)
            rows.append(row)
    sizes = dict(
        Ranking.objects.filter(pk__in=[r.ranking_id for r in rows]).annotate(n=Count("rows")).values_list("pk", "n")
    )
    names = dict(Indicator.objects.filter(code__in={c for r in rows for c in r.stars}).values_list("code", "name"))
    for row in rows:
        row.size = sizes.get(row.ranking_id, 0)
        row.star_names = [names.get(c, c) for c in row.stars]
        groups = group_names(row.ranking.spec) if row.flags else {}  # once per row, not once per flag
        row.flag_views = [flag_view(f, groups) for f in row.flags]
    return rows


def rank_history(unit: Unit) -> list[dict]:
    """Per plan, the unit's rank in each period's published ranking, oldest first (for the chart)."""
    series: dict[int, dict] = {}
    seen = set()
    for row in _published_rows().filter(unit=unit):
        plan = row.ranking.plan_version.plan
        key = (plan.pk, row.ranking.period_id)
        if key in seen or row.rank is None:
            continue  # a period may have been republished: the newest publication counts
        seen.add(key)
        line = series.setdefault(plan.pk, {"plan": plan.name, "points": []})
        line["points"].append({"period": row.ranking.period.code, "label": str(row.ranking.period),
                               "start": row.ranking.period.start.isoformat(), "rank": row.rank})
    for line in series.values():
        line["points"].reverse()
    return list(series.values())


def unit_tree(kind: str = "", query: str = "") -> list[dict]:
    """The units grouped (city; counties, zones and their towns; departments and their sections), each row
    with its depth, current head and latest published rank. A kind filter or a search gives flat lists."""
    units = list(Unit.objects.filter(active=True).select_related("parent"))
    if query:
        q = query.strip()
        matches = Unit.objects.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(code__icontains=q))
        wanted = set(matches.values_list("pk", flat=True))
        units = [u for u in units if u.pk in wanted]
    if kind:
        units = [u for u in units if u.kind == kind]
    heads, ranks = current_heads(units), latest_ranks(units)
    groups = []
    for key, kinds in _GROUPS:
        members = [u for u in units if u.kind in kinds]
        if not members:
            continue
        rows = _flatten(members) if not (kind or query) else [TreeRow(u, 0) for u in members]
        for row in rows:
            row.head, row.latest = heads.get(row.unit.pk), ranks.get(row.unit.pk)
        groups.append({"key": key, "kinds": [UnitKind(k).label for k in kinds], "rows": rows})
    return groups


def _flatten(members: list[Unit]) -> list[TreeRow]:
    ids = {u.pk for u in members}
    children = defaultdict(list)
    for u in members:
        children[u.parent_id if u.parent_id in ids else None].append(u)
    out: list[TreeRow] = []

    def walk(parent_id, depth):
        for u in sorted(children[parent_id], key=lambda x: (x.sort_order, x.code)):
            out.append(TreeRow(u, depth))
            walk(u.pk, depth + 1)

    walk(None, 0)
    return out


def applicable_indicators(unit: Unit) -> list[Indicator]:
    # applies_to is a JSON list; filtering in Python keeps SQLite and PostgreSQL alike.
    return [i for i in Indicator.objects.filter(active=True).select_related("category") if i.applies(unit.kind)]


def _direction(ranking: Ranking, code: str, default: int) -> int:
    for spec in (ranking.spec or {}).get("indicators", []):
        if spec.get("code") == code:
            return int(spec.get("direction", default))
    return default


def weak_items(row: RankingRow | None) -> list[WeakItem]:
    """The weak indicators (短板) named in a ranking row: the unit's value, its rank, the best peer's value,
    all read from the ranking's frozen data snapshot."""
    if row is None or not row.weak:
        return []
    ranking = Ranking.objects.get(pk=row.ranking_id)  # with the snapshots the row list leaves out
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=row.weak)}
    names = dict(Unit.objects.filter(code__in={u for u, _, _ in ranking.inputs}).values_list("code", "name"))
    items = []
    for code in row.weak:
        ind = indicators.get(code)
        values = [(u, v) for u, i, v in ranking.inputs if i == code and v is not None]
        mine = next((v for u, v in values if u == row.unit.code), None)
        sign = _direction(ranking, code, ind.direction if ind else 1)
        best = max(values, key=lambda uv: sign * uv[1]) if values else None
        items.append(WeakItem(
            code=code, name=ind.name if ind else code, measure=ind.measure if ind else "", value=mine,
            rank=row.indicator_ranks.get(code), peers=len(values),
            best_value=best[1] if best else None, best_unit=names.get(best[0], best[0]) if best else "",
        ))
    return items


def series(units: list[Unit], indicators: list[Indicator]) -> dict[tuple[int, int], list[dict]]:
    """(unit id, indicator id) → the observed values over time, oldest first."""
    out: dict[tuple[int, int], list[dict]] = defaultdict(list)
    obs = (
        Observation.objects.filter(unit__in=units, indicator__in=indicators, value__isnull=False)
        .select_related("period").order_by("period__start", "period__kind")
    )
    for o in obs:
        out[(o.unit_id, o.indicator_id)].append(
            {"period": o.period.code, "label": str(o.period), "start": o.period.start.isoformat(), "value": o.value,
             "status": o.status}
        )
    return out


def trends(unit: Unit, weak_codes: list[str], peer: Unit | None = None) -> list[dict]:
    """Chart data: one series per applicable indicator (weak ones first), with the peer's beside it."""
    indicators = applicable_indicators(unit)
    order = {code: n for n, code in enumerate(weak_codes)}
    indicators.sort(key=lambda i: (order.get(i.code, len(order)),))
    data = series([unit] + ([peer] if peer else []), indicators)
    out = []
    for ind in indicators:
        item = {"code": ind.code, "name": ind.name, "measure": ind.measure, "weak": ind.code in order,
                "points": data.get((unit.pk, ind.pk), [])}
        if peer:
            item["peer"] = {"name": peer.name, "points": data.get((peer.pk, ind.pk), [])}
        out.append(item)
    return out


def benchmark(unit: Unit, peer: Unit) -> Benchmark:
    """对标: both units' values in the latest period both reported (else the latest either reported), and
    their normalised scores in the latest published ranking that ranks both."""
    indicators = applicable_indicators(unit)
    obs = Observation.objects.filter(unit__in=[unit, peer], indicator__in=indicators, value__isnull=False)
    reported = defaultdict(set)
    for unit_id, period_id in obs.values_list("unit_id", "period_id").distinct():
        reported[period_id].add(unit_id)
    periods = Period.objects.filter(pk__in=reported).order_by("-start", "kind")
    latest = next((p for p in periods if len(reported[p.pk]) == 2), periods.first())
    result = Benchmark(peer=peer, period=latest)
    if latest:
        values = {(o.unit_id, o.indicator_id): o.value for o in obs.filter(period=latest)}
        for ind in indicators:
            mine, theirs = values.get((unit.pk, ind.pk)), values.get((peer.pk, ind.pk))
            result.rows.append(_compare(ind, mine, theirs))
    result.scores = _scores_side_by_side(unit, peer)
    return result


def _compare(ind: Indicator, mine, theirs) -> Comparison:
    if mine is None or theirs is None:
        return Comparison(ind, mine, theirs, None, "")
    diff = mine - theirs
    signed = diff * ind.direction
    better = "tie" if abs(signed) < 1e-12 else ("mine" if signed > 0 else "theirs")
    return Comparison(ind, mine, theirs, diff, better)


def _scores_side_by_side(unit: Unit, peer: Unit) -> dict | None:
    for row in _published_rows().filter(unit=unit):
        other = RankingRow.objects.filter(ranking=row.ranking, unit=peer).first()
        if other is None:
            continue
        codes = [c for c in row.indicator_scores if c in other.indicator_scores]
        names = dict(Indicator.objects.filter(code__in=codes).values_list("code", "name"))
        return {
            "ranking": row.ranking, "labels": [names.get(c, c) for c in codes],
            "mine": [row.indicator_scores[c] for c in codes], "theirs": [other.indicator_scores[c] for c in codes],
        }
    return None


def targets_year(unit: Unit) -> int:
    """The year 双过半 is shown for: the latest year up to this one in which the unit has targets."""
    this_year = timezone.localdate().year
    latest = (AnnualTarget.objects.filter(unit=unit, year__lte=this_year)
              .order_by("-year").values_list("year", flat=True).first())
    return latest or this_year


def double_half_lines(unit: Unit, year: int | None = None) -> list[TargetLine]:
    """双过半: each indicator with an annual target for the unit, its year-to-date value (latest month),
    completion against the target and the share of the year elapsed."""
    today = timezone.localdate()
    year = year or today.year
    # Without data the status is "no_data"; the elapsed share shown is then the calendar's.
    default_fraction = today.month / 12.0 if year == today.year else (1.0 if year < today.year else 1 / 12)
    targets = AnnualTarget.objects.filter(unit=unit, year=year).select_related("indicator")
    lines = []
    for t in targets.order_by("indicator__category__sort_order", "indicator__sort_order", "indicator__code"):
        ind = t.indicator
        obs = (
            Observation.objects.filter(unit=unit, indicator=ind, period__year=year, period__kind="month",
                                       value__isnull=False)
            .select_related("period").order_by("-period__start").first()
        )
        value = obs.value if obs else None
        fraction = core_periods.parse(obs.period.code).year_fraction if obs else default_fraction
        verdict = double_half(value, t.value, fraction, direction=ind.direction, value_type=ind.value_type)
        lines.append(TargetLine(
            indicator=ind, period=obs.period if obs else None, value=value, target=t.value,
            completion=verdict.get("completion"), elapsed=verdict.get("elapsed"), status=verdict["status"],
        ))
    return lines


def indicator_by_code(code: str) -> Indicator | None:
    return Indicator.objects.filter(code=code).first()


# Which part of the tree each kind sits in: the territorial tree and the departments' tree.
_GROUPS = (
    ("city", (UnitKind.CITY,)),
    ("area", (UnitKind.COUNTY, UnitKind.ZONE, UnitKind.TOWN)),
    ("dept", (UnitKind.DEPARTMENT, UnitKind.SECTION)),
)
