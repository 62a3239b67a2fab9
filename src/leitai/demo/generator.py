"""Generate the demo city 海川市 as plain data (no database): units, people and posts, indicators, monthly
values, annual targets, plans and bonus/deduction items. The same seed always gives the same city.

Values are drawn per unit and indicator from a unit's overall strength (some counties are strong, some
weak), the indicator's own spread, a trend, seasonality (year-to-date totals build up through the year,
more in Q4, and restart in January), autocorrelated noise, a few gaps (about 1.5 %) and a few outliers
(still inside the indicator's plausible range, so an import would accept them).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from leitai.core.periods import PeriodInfo
from leitai.core.periods import parse as parse_period

from . import names
from .catalogue import CATEGORIES, INDICATORS, KIND_SCALE, IndicatorDef, plans

GAP_RATE = 0.015
OUTLIER_RATE = 0.004
# Share of a year's total that lands in each month: the Spring Festival slows Jan–Feb, year-end rushes Q4.
PROFILES = {
    "normal": np.array([0.75, 0.7, 1.0, 1.0, 1.05, 1.15, 0.95, 0.95, 1.0, 1.05, 1.1, 1.3]),
    "late": np.array([0.4, 0.4, 0.6, 0.7, 0.8, 1.1, 0.8, 0.8, 1.0, 1.2, 1.6, 2.6]),
}


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    short_name: str
    name_en: str
    kind: str
    parent: str | None
    sort_order: int


@dataclass(frozen=True)
class PersonRow:
    key: str
    name: str
    gender: str
    note: str = ""


@dataclass(frozen=True)
class PostRow:
    person: str
    unit: str
    title: str
    start: date
    end: date | None = None


@dataclass
class DemoCity:
    """The generated city: everything the loader writes, as plain rows."""

    seed: int
    periods: list[str]
    units: list[UnitRow]
    people: list[PersonRow]
    posts: list[PostRow]
    categories: list[tuple[str, str, int]]
    indicators: list[IndicatorDef]
    observations: list[tuple[str, str, str, float]]  # unit, indicator, period, value
    targets: list[tuple[str, str, int, float]]  # unit, indicator, year, value
    plans: list[dict]
    adjustments: list[tuple[str, str, str, float, str]]  # unit, period, plan, points, reason
    gaps: list[tuple[str, str, str]] = field(default_factory=list)
    outliers: list[tuple[str, str, str]] = field(default_factory=list)

    def summary(self) -> dict:
        """Counts of what was generated, for the command's output and the tests."""
        kinds = Counter(u.kind for u in self.units)
        return {
            "units": dict(kinds), "people": len(self.people), "posts": len(self.posts),
            "indicators": len(self.indicators), "periods": len(self.periods),
            "observations": len(self.observations), "gaps": len(self.gaps), "outliers": len(self.outliers),
            "targets": len(self.targets), "plans": len(self.plans), "adjustments": len(self.adjustments),
        }


def window(end: str, months: int) -> list[PeriodInfo]:
    """The `months` monthly periods ending with `end`, oldest first."""
    last = parse_period(end)
    if last.kind != "month" or months < 1:
        raise ValueError(f"end must be a month such as 2024-12 and months ≥ 1, got {end!r}, {months}")
    out = [last]
    while len(out) < months:
        out.append(out[-1].previous())
    return out[::-1]


def generate(seed: int = 2024, months: int = 24, end: str = "2024-12", *, counties: int = 10, zones: int = 2,
             departments: int = 30, towns_per_county: int = 6) -> DemoCity:
    """Generate 海川市 for the `months` months ending with `end` (see the module docstring)."""
    if not (1 <= counties <= len(names.COUNTIES) and 0 <= zones <= len(names.ZONES)
            and 1 <= departments <= len(names.DEPARTMENTS) and 0 <= towns_per_county <= 6):
        raise ValueError("demo size out of range")
    rng = np.random.default_rng(seed)
    periods = window(end, months)
    units = _units(counties, zones, departments, towns_per_county)
    people, posts = _people(rng, units, periods)
    strength = {u.code: float(rng.normal()) for u in units}
    # Momentum: some units catch up over the two years (进位赶超), others slip back.
    momentum = {u.code: float(rng.normal()) for u in units}
    observations, targets, gaps, outliers = _values(rng, units, strength, momentum, periods)
    return DemoCity(
        seed=seed, periods=[p.code for p in periods], units=units, people=people, posts=posts,
        categories=list(CATEGORIES), indicators=list(INDICATORS), observations=observations, targets=targets,
        plans=plans(), adjustments=_adjustments(units, strength, periods), gaps=gaps, outliers=outliers,
    )


def _units(n_counties: int, n_zones: int, n_departments: int, towns_per_county: int) -> list[UnitRow]:
    code, name, short, en = names.CITY
    out = [UnitRow(code, name, short, en, "city", None, 0)]
    for i, (c, n, s, e, _) in enumerate(names.COUNTIES[:n_counties]):
        out.append(UnitRow(c, n, s, e, "county", code, 10 + i))
    for i, (c, n, s, e, _) in enumerate(names.ZONES[:n_zones]):
        out.append(UnitRow(c, n, s, e, "zone", code, 40 + i))
    departments = names.DEPARTMENTS[:n_departments]
    for i, (c, n, s, e, _) in enumerate(departments):
        out.append(UnitRow(c, n, s, f"{names.CITY[3]} {e}", "department", code, 100 + i))
    dept_codes = {d[0] for d in departments}
    for i, (dept, suffix, n, e) in enumerate(names.SECTIONS):
        if dept in dept_codes:
            out.append(UnitRow(f"{dept}-{suffix}", n, n.removeprefix("市"), e, "section", dept, 200 + i))
    for ci, (c, *_rest) in enumerate(names.COUNTIES[:n_counties]):
        for ti, town in enumerate(names.TOWNS[c][:towns_per_county]):
            out.append(UnitRow(f"{c}-{ti + 1:02d}", town, town, "", "town", c, 1000 + ci * 10 + ti))
    return out


def _titles() -> dict[str, str]:
    titles = {c[0]: c[4] for c in names.COUNTIES + names.ZONES + names.DEPARTMENTS}
    for towns in names.TOWNS.values():
        titles.update({t: names.town_title(t) for t in towns})
    return titles


def _people(rng, units: list[UnitRow], periods: list[PeriodInfo]) -> tuple[list[PersonRow], list[PostRow]]:
    """A head for every county, zone, department and town, and two changes of head inside the window."""
    titles = _titles()
    used: set[str] = set()

    def person(note: str = "") -> PersonRow:
        while True:
            given = "".join(rng.choice(list(names.GIVEN), size=int(rng.integers(1, 3))))
            full = str(rng.choice(list(names.SURNAMES))) + given
            if full not in used:
                used.add(full)
                return PersonRow(f"p{len(used):04d}", full, "女" if rng.random() < 0.22 else "男", note)

    first = periods[0].start
    people: list[PersonRow] = []
    posts: list[PostRow] = []
    heads: dict[str, int] = {}  # unit code -> index of its current head's post
    for u in units:
        if u.kind not in ("county", "zone", "department", "town"):
            continue
        p = person()
        people.append(p)
        start = first - timedelta(days=int(rng.integers(120, 1800)))
        heads[u.code] = len(posts)
        posts.append(PostRow(p.key, u.code, titles.get(u.code) or titles.get(u.name, "主要负责人"), start.replace(day=1)))
    if len(periods) < 2:
        return people, posts
    counties = [u.code for u in units if u.kind == "county"]
    zones = [u.code for u in units if u.kind == "zone"]
    depts = [u.code for u in units if u.kind == "department"]
    # 1) A county's head is promoted to head a city department (the person's record follows them);
    #    the department's former head retires.
    when = periods[max(1, len(periods) * 5 // 12)].start
    county, dept = counties[min(2, len(counties) - 1)], depts[0]
    _end_post(posts, heads[dept], when)
    moved = posts[heads[county]]
    _end_post(posts, heads[county], when)
    posts.append(PostRow(moved.person, dept, titles[dept], when))
    newcomer = person("由外市调任")
    people.append(newcomer)
    posts.append(PostRow(newcomer.key, county, titles[county], when))
    # 2) A zone (or another county) gets a new head from outside.
    when = periods[max(1, len(periods) * 3 // 4)].start
    unit = zones[0] if zones else counties[0]
    _end_post(posts, heads[unit], when)
    newcomer = person("由省直机关交流任职")
    people.append(newcomer)
    posts.append(PostRow(newcomer.key, unit, titles[unit], when))
    return people, posts


def _end_post(posts: list[PostRow], i: int, when: date) -> None:
    p = posts[i]
    posts[i] = PostRow(p.person, p.unit, p.title, p.start, when - timedelta(days=1))


def _values(rng, units, strength, momentum, periods):
    """Monthly values for every unit and indicator that applies to it, and annual targets for ytd totals."""
    wanted = {(p.year, p.number) for p in periods}
    years = sorted({p.year for p in periods})
    y0 = years[0]
    observations, targets, gaps, outliers = [], [], [], []
    for d in INDICATORS:
        for u in units:
            if u.kind not in d.applies_to:
                continue
            # Strong units do well on most indicators but not all: the own term gives everyone short boards.
            eff = d.direction * (0.55 * strength[u.code] + 0.85 * float(rng.normal()))
            drift = d.direction * 0.45 * momentum[u.code]
            scale = KIND_SCALE[u.kind]
            for y in years:
                series, target = _year(rng, d, eff, drift, scale, y - y0)
                if target is not None:
                    targets.append((u.code, d.code, y, target))
                for m in range(1, 13):
                    if (y, m) not in wanted:
                        continue
                    period = f"{y}-{m:02d}"
                    if rng.random() < GAP_RATE:
                        gaps.append((u.code, d.code, period))
                        continue
                    value = float(series[m - 1])
                    if rng.random() < OUTLIER_RATE:
                        value = _outlier(rng, d, value)
                        outliers.append((u.code, d.code, period))
                    observations.append((u.code, d.code, period, _fit(d, value)))
    return observations, targets, gaps, outliers


def _year(rng, d: IndicatorDef, eff: float, drift: float, scale: float, year_index: int):
    """Twelve months of one indicator for one unit in one year, and the year's target (ytd totals only).
    `eff` is the unit's standing on the indicator, `drift` how that standing moves per year."""
    g = d.gen
    months = np.arange(1, 13)
    t = year_index + (months - 1) / 12.0
    if d.value_type == "ytd":
        cv = g.get("cv", 0.4)
        expected = g["annual"] * scale * math.exp(cv * (eff + drift * year_index) - cv**2 / 2)
        expected *= (1 + g.get("growth", 0.05)) ** year_index
        realised = expected * max(0.5, 1 + 0.09 * float(rng.normal()))
        weights = PROFILES[g.get("season", "normal")] * np.clip(1 + 0.12 * rng.normal(size=12), 0.3, None)
        share = weights / weights.sum()
        if g.get("count"):
            series = np.cumsum(rng.poisson(realised * share))
        else:
            series = realised * np.cumsum(share)
        target = expected * (1 + float(rng.uniform(0.0, 0.08)))
        target = max(1.0, round(target)) if g.get("count") else round(target, d.decimals)
        return series, target
    base = g["mean"] + g.get("sd", 0.0) * (eff + drift * t)
    noise = np.zeros(12)
    if g.get("noise"):
        # Autocorrelated: a month's surprise carries into the next, as cumulative statistics do.
        e = float(rng.normal(0, g["noise"]))
        for k in range(12):
            e = 0.6 * e + float(rng.normal(0, g["noise"]))
            noise[k] = e
    season = g.get("season")
    if season == "ramp":
        final = np.minimum(base, d.hi - 0.5)
        return final * (0.22 + 0.78 * (months / 12.0) ** 0.8) + noise, None
    level = base + g.get("trend", 0.0) * t
    if season == "winter":
        level = level * (1 + 0.35 * np.cos(2 * np.pi * (months - 1) / 12))
    if g.get("count"):
        lam = np.clip((level + noise) * scale, 0.05, None)
        return rng.poisson(lam).astype(float), None
    return _soft_floor(level + noise, d.lo, g["mean"]), None


def _soft_floor(values: np.ndarray, lo: float, mean: float) -> np.ndarray:
    """Bend values that would fall below the plausible minimum smoothly towards it (a weak inland county
    has a small marine-economy share, not exactly 0 %); values well above it are left unchanged."""
    width = max(0.1 * (mean - lo), 1e-6)
    return lo + width * np.logaddexp(0.0, (values - lo) / width)


def _outlier(rng, d: IndicatorDef, value: float) -> float:
    """A value far from the unit's usual one: a typo-like jump an office would query, yet plausible."""
    if d.value_type == "ytd" or d.gen.get("count"):
        return value * float(rng.choice([rng.uniform(0.35, 0.6), rng.uniform(1.7, 2.4)]))
    spread = max(d.gen.get("sd", 1.0), d.gen.get("noise", 0.5), 0.5)
    return value + float(rng.choice([-1, 1])) * spread * float(rng.uniform(3.0, 5.0))


def _fit(d: IndicatorDef, value: float) -> float:
    return float(min(d.hi, max(d.lo, round(value, d.decimals))))


def _adjustments(units: list[UnitRow], strength: dict, periods: list[PeriodInfo]):
    """A few bonus and deduction items with their reasons (加减分事项)."""
    by_kind: dict[str, list[str]] = {}
    for u in units:
        by_kind.setdefault(u.kind, []).append(u.code)
    counties = sorted(by_kind.get("county", []), key=lambda c: -strength[c])
    n = len(periods)

    def at(months_before_end: int) -> str:
        return periods[max(0, n - 1 - months_before_end)].code

    out = [
        (counties[0], at(8), "county-hq", 2.0, "获国家级表彰：全国营商环境创新试点城市（区）"),
        (counties[-1], at(3), "county-hq", -3.0, "发生较大安全事故：建筑工地坍塌造成 3 人死亡"),
    ]
    if len(counties) > 2:
        out.append((counties[len(counties) // 2], at(5), "county-hq", 1.0, "承办全省重大项目建设现场推进会"))
    if by_kind.get("zone"):
        out.append((by_kind["zone"][0], at(6), "county-hq", 1.5, "获评省级营商环境改革创新试点"))
    if by_kind.get("town"):
        out.append((by_kind["town"][-1], at(2), "town-monthly", -2.0, "发生较大安全事故：企业厂房火灾"))
    out.append((by_kind["department"][0], at(4), "dept-service", 1.0, "助企服务工作获省政府通报表扬"))
    return out
