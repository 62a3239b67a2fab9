"""Write a generated demo city into the database (bulk inserts, one transaction), create the demo users,
then compute and publish every plan's ranking for every month through the rankings services."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from leitai.arena.models import Arena
from leitai.core.periods import parse as parse_period
from leitai.demo.assessment import build_assessment
from leitai.indicators.models import (
    AnnualTarget,
    Category,
    Indicator,
    Observation,
    ObservationRevision,
    ObservationStatus,
    Period,
)
from leitai.rankings.models import AssessmentPlan
from leitai.rankings.services import add_adjustment, compute_ranking, create_plan, publish_ranking
from leitai.units.models import Person, Post, Unit
from leitai.units.selectors import heads_at
from leitai.units.services import set_record_public

from .arenas import build_arenas
from .awards import build_awards
from .generator import DemoCity, generate
from .press import build_press_release
from .references import build_references
from .tracking import build_tracking

DEMO_PASSWORD = "leitai-demo-2024"

# (username, role, display name, unit: "county:0" = the first county, or None, organizer flags)
DEMO_USERS = [
    ("kaohe", "organizer", "市考核办", None, True),
    ("donggang", "reporter", "填报员", "county:0", False),
    ("xihu", "reporter", "填报员", "county:1", False),
    ("pingwei", "judge", "评委（市领导）", None, False),
    ("jiandu", "supervisor", "市民监督团成员", None, False),
    ("gongzhong", "public", "市民", None, False),
]

Step = Callable[[str], None]


def _quiet(_msg: str) -> None:
    """The default progress callback: say nothing."""


def build(seed: int = 2024, months: int = 24, end: str = "2024-12", *, step: Step = _quiet,
          rank_progress=None, arenas: bool = True, **sizes) -> dict:
    """Generate the demo city, load it, create the demo users, publish all rankings and hold the arenas
    (a past one published, an upcoming one in set-up): one transaction.

    `step(message)` is called before each stage; `rank_progress(iterable)` may wrap the ranking loop
    (e.g. click.progressbar). Returns the generator's summary plus timings, ranking counts and
    "arenas": {"past": id, "upcoming": id, "links": [JudgeLink…]} (the links' raw tokens are not stored);
    arenas=False leaves the arenas out (tests of the city alone).
    """
    started = time.perf_counter()
    step("生成数据 / generating the city")
    city = generate(seed, months, end, **sizes)
    summary = city.summary()
    with transaction.atomic():
        step(f"写入数据库 / writing {summary['observations']} values")
        organizer = load(city)
        step("计算并发布排名 / computing and publishing rankings")
        summary["rankings"] = publish_all(city, organizer, rank_progress)
        summary["press_release"] = build_press_release(organizer)
        if arenas:
            step("擂台赛：评分、揭晓、发布，筹备下一场 / arenas: scoring, reveal, publication, the next one")
            summary["arenas"] = build_arenas(organizer, end, seed)
            step("承诺与整改：擂台短板、助企服务问题、督办 / pledges and rectification items, supervision")
            summary["tracking"] = build_tracking(organizer, summary["arenas"]["past"], seed)
            step("表彰：海豚奖、海龟奖、红旗黄旗、推荐审批 / awards: by rule and by nomination")
            summary["awards"] = build_awards(organizer, summary["arenas"]["past"])
            step("考绩：季度和年度考绩，计算并发布 / the assessment: a quarter and the year, published")
            summary["assessment"] = build_assessment(organizer, int(end[:4]))
            summary["records"] = publish_records(organizer, summary["arenas"]["past"])
            step("参照数据：全省平均、全省排名、外地对标单位 / reference series: province averages, ranks, a peer")
            summary["references"] = build_references(organizer, seed)
    summary["seconds"] = round(time.perf_counter() - started, 1)
    return summary


def publish_records(organizer, arena_id: int) -> list[int]:
    """Publish two people's records (公开履历) for visitors to see: the head promoted from a county to a
    department (two posts) and the head in post of the past arena's winner (arena, pledges and items)."""
    ids = list(Person.objects.annotate(n=Count("posts")).filter(n__gt=1).order_by("id").values_list("id", flat=True))[:1]
    arena = Arena.objects.get(pk=arena_id)
    winner = next((r["unit"] for r in arena.result.get("rows", []) if r.get("rank") == 1), None)
    if winner:
        unit = Unit.objects.get(code=winner)
        head = heads_at([unit], timezone.localdate(arena.held_at)).get(unit.pk)
        if head and head.person_id not in ids:
            ids.append(head.person_id)
    for person in Person.objects.filter(pk__in=ids):
        set_record_public(person, True, organizer)
    return ids


def load(city: DemoCity):
    """Insert the city's rows with bulk_create; every value gets a revision with source "demo".
    Returns the demo organizer (the author of plans and bonus/deduction items)."""
    units = _load_units(city)
    _load_people(city, units)
    indicators = _load_indicators(city)
    periods = _load_periods(city)
    _load_observations(city, units, indicators, periods)
    AnnualTarget.objects.bulk_create(
        AnnualTarget(unit=units[u], indicator=indicators[i], year=y, value=v) for u, i, y, v in city.targets
    )
    users = create_users(units)
    organizer = users["kaohe"]
    plans = {}
    for p in city.plans:
        plans[p["code"]] = create_plan(p["code"], p["name"], p["unit_kinds"], p["spec"], user=organizer,
                                       description=p["description"])
    for unit, period, plan, points, reason in city.adjustments:
        add_adjustment(units[unit], periods[period], points, reason, plan=plans[plan], user=organizer, source="demo")
    return organizer


def _load_units(city: DemoCity) -> dict[str, Unit]:
    out: dict[str, Unit] = {}
    pending = list(city.units)
    # Parents first: each pass inserts the units whose parent already exists.
    while pending:
        ready = [u for u in pending if u.parent is None or u.parent in out]
        created = Unit.objects.bulk_create(
            Unit(code=u.code, name=u.name, short_name=u.short_name, name_en=u.name_en, kind=u.kind,
                 parent=out.get(u.parent), sort_order=u.sort_order) for u in ready
        )
        out.update({u.code: u for u in created})
        pending = [u for u in pending if u.code not in out]
    return out


def _load_people(city: DemoCity, units: dict[str, Unit]) -> None:
    people = Person.objects.bulk_create(Person(name=p.name, gender=p.gender, note=p.note) for p in city.people)
    by_key = {row.key: obj for row, obj in zip(city.people, people, strict=True)}
    Post.objects.bulk_create(
        Post(person=by_key[p.person], unit=units[p.unit], title=p.title, is_head=True, start=p.start, end=p.end)
        for p in city.posts
    )


def _load_indicators(city: DemoCity) -> dict[str, Indicator]:
    categories = {c.code: c for c in Category.objects.bulk_create(
        Category(code=code, name=name, sort_order=order) for code, name, order in city.categories)}
    created = Indicator.objects.bulk_create(
        Indicator(code=d.code, name=d.name, name_en=d.name_en, measure=d.measure, direction=d.direction,
                  category=categories[d.category], applies_to=list(d.applies_to), frequency="month",
                  value_type=d.value_type, plausible_min=d.lo, plausible_max=d.hi, decimals=d.decimals,
                  sort_order=n)
        for n, d in enumerate(city.indicators)
    )
    return {i.code: i for i in created}


def _load_periods(city: DemoCity) -> dict[str, Period]:
    infos = [parse_period(code) for code in city.periods]
    created = Period.objects.bulk_create(
        Period(code=p.code, kind=p.kind, year=p.year, number=p.number, start=p.start, end=p.end) for p in infos
    )
    return {p.code: p for p in created}


def _load_observations(city: DemoCity, units, indicators, periods) -> None:
    # The latest month is still provisional (初步数); earlier months have been finalised.
    latest = city.periods[-1]
    observations = Observation.objects.bulk_create(
        (Observation(unit=units[u], indicator=indicators[i], period=periods[p], value=v,
                     status=ObservationStatus.PROVISIONAL if p == latest else ObservationStatus.FINAL)
         for u, i, p, v in city.observations),
        batch_size=2000,
    )
    reason = f"演示数据：海川市（随机种子 {city.seed}）"
    ObservationRevision.objects.bulk_create(
        (ObservationRevision(observation=o, old_value=None, new_value=o.value, old_status="", new_status=o.status,
                             source="demo", reason=reason) for o in observations),
        batch_size=2000,
    )


def create_users(units: dict[str, Unit]) -> dict:
    """The demo logins, one per role, all with DEMO_PASSWORD."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    counties = sorted((u for u in units.values() if u.kind == "county"), key=lambda u: (u.sort_order, u.code))
    out = {}
    for username, role, display, unit_ref, organizer in DEMO_USERS:
        unit = counties[int(unit_ref.split(":")[1])] if unit_ref else None
        user = user_model(username=username, role=role, unit=unit, is_staff=organizer, is_superuser=organizer,
                          display_name=f"{unit.name}{display}" if unit else display)
        user.set_password(DEMO_PASSWORD)
        user.save()
        out[username] = user
    return out


def publish_all(city: DemoCity, user, progress=None) -> int:
    """Compute and publish each plan's ranking month by month (in order, so movements are filled in)."""
    by_code = {p.code: p for p in AssessmentPlan.objects.filter(code__in=[p["code"] for p in city.plans])}
    # The first plan is published last each month, so the board opens on it (the latest publication).
    plans = [by_code[p["code"]] for p in reversed(city.plans)]
    periods = {p.code: p for p in Period.objects.filter(code__in=city.periods)}
    jobs = [(plan, periods[code]) for code in city.periods for plan in plans]
    count = 0
    for plan, period in (progress(jobs) if progress else jobs):
        ranking = compute_ranking(plan.current_version, period, user=user)
        publish_ranking(ranking, user=user)
        count += 1
    return count


def describe_users() -> list[tuple[str, str, str]]:
    """(username, role label, unit or note) for the login table the demo prints."""
    from leitai.accounts.models import User

    rows = []
    for username, *_ in DEMO_USERS:
        user = User.objects.filter(username=username).select_related("unit").first()
        if user is not None:
            rows.append((username, str(user.get_role_display()), user.unit.name if user.unit else ""))
    return rows
