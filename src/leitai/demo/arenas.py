"""The demo's arenas (擂台赛), built only through `leitai.arena.services`, so every step is in the arena's log
exactly as on a real day:

- past: the 书记擂台 of the data's last quarter (built on the clock: the last quarter whose arena day has
  passed, e.g. 2026年第三季度 on 2026-12-03), published. The counties and zones of the
  county plan take the stage in the order of the last month's published ranking; 10 city leaders (trim 1)
  and 30 representatives of society (trim 2) score them with the 六比 rubric; submissions, questions,
  comments and two shortcomings are on record; publication wrote the bonus/deduction points to the ledger.
  One city leader is lenient and one representative severe (PLANTED_BIAS), for the judges' audit to find.
- upcoming: the next quarter's 书记擂台 (2026年第四季度, held next quarter) in set-up: five counties ordered by a recorded
  draw, ten judges with phone links. `links` are two of those links (the raw tokens exist only here).
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import random
from dataclasses import dataclass

from django.utils import timezone

from leitai.accounts.models import User
from leitai.arena import services
from leitai.arena.models import Arena
from leitai.core.judging import flow as arena_flow
from leitai.core.periods import label
from leitai.core.periods import parse as parse_period
from leitai.indicators.models import Indicator, Observation
from leitai.indicators.services import ensure_period
from leitai.rankings.models import AssessmentPlan, Ranking
from leitai.units.models import Unit

from . import arena_text as text
from .names import GIVEN, SURNAMES

PLAN = "county-hq"
# First +2, second +1, third +0.5, last −1 in the county plan's ledger (考绩分数).
BONUS_RULE = {"1": 2, "2": 1, "3": 0.5, "last": -1}
PAST_VENUE = "市行政中心大礼堂"
PAST_DAYS, UPCOMING_DAYS = 16, 17  # days after its quarter ends that each arena is held
UPCOMING_VENUE = "市民中心多功能厅"
UPCOMING_CONTESTANTS = 5
DEMO_JUDGE = "pingwei"  # the demo's 评委 login (loader.DEMO_USERS): the first city leader of each panel
# The judges the demo makes lenient and severe (group, position in the group) → their bias, in marks out of 10:
# the third city leader marks 1.5 above what the others would give, the sixth representative 1.5 below. With the
# small test city's 4 contestants the audit finds exactly these two in 99.7 % of random days (a simulation of
# this model over 300 seeds); with the demo's 12 contestants, always.
PLANTED_BIAS = {("leaders", 2): 1.5, ("public", 5): -1.5}
# Up to the questions; scoring opens once they are recorded.
TO_QUESTIONS = (arena_flow.ON_STAGE, arena_flow.SPEECH, arena_flow.QUESTIONS)


@dataclass(frozen=True)
class JudgeLink:
    """A judge's phone link token, as issued (it is stored hashed: this is the only copy)."""

    name: str
    title: str
    group: str
    token: str


def quarters(end: str) -> tuple[str, str]:
    """The quarter holding the month `end` and the quarter after it: 2024-12 → (2024Q4, 2025Q1)."""
    month = parse_period(end)
    q = (month.number - 1) // 3 + 1
    nxt = (month.year + 1, 1) if q == 4 else (month.year, q + 1)
    return f"{month.year}Q{q}", f"{nxt[0]}Q{nxt[1]}"


def clock_quarters(today: dt.date) -> tuple[str, str]:
    """The demo's arenas on the clock: the latest quarter whose arena day (16 days after it ends) has passed,
    and the quarter after it, whose arena is still to come (2026-12-03 → 2026Q3 held in October, 2026Q4 held in
    January)."""
    year, q = today.year, (today.month - 1) // 3 + 1
    while True:
        year, q = (year - 1, 4) if q == 1 else (year, q - 1)
        if _held(_quarter_end(dt.date(year, q * 3, 1)), PAST_DAYS).date() < today:
            nxt = (year + 1, 1) if q == 4 else (year, q + 1)
            return f"{year}Q{q}", f"{nxt[0]}Q{nxt[1]}"


def arena_name(quarter: str) -> str:
    return f"{label(quarter)}书记擂台"


def _quarter_end(day: dt.date) -> dt.date:
    month = (day.month - 1) // 3 * 3 + 3
    return dt.date(day.year, month, calendar.monthrange(day.year, month)[1])


def _held(quarter_end: dt.date, days: int) -> dt.datetime:
    # The arena of a quarter is held a couple of weeks after it ends, once its figures are out.
    day = quarter_end + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 9, 0))


def build_arenas(organizer, end: str, seed: int, arena_quarters: tuple[str, str] | None = None) -> dict:
    """Build both demo arenas; returns {"past": id, "upcoming": id, "links": [JudgeLink, JudgeLink]}.
    `arena_quarters` (past, next) defaults to the quarter holding `end` and the one after it."""
    rng = random.Random(seed)
    past_q, next_q = arena_quarters or quarters(end)
    # The contestants take the stage in the order of the quarter's last published month.
    last_month = min(end, parse_period(past_q).end.strftime("%Y-%m"))
    published = Ranking.objects.filter(plan_version__plan__code=PLAN, period__kind="month",
                                       status=Ranking.Status.PUBLISHED).select_related("period")
    ranking = (published.filter(period__code__lte=last_month).order_by("-period__start").first()
               or published.order_by("period__start").first())
    past = _past_arena(organizer, rng, ensure_period(past_q), ensure_period(next_q), ranking)
    upcoming, links = _upcoming_arena(organizer, rng, ensure_period(next_q), end, seed)
    return {"past": past.pk, "upcoming": upcoming.pk, "links": links}


class _Names:
    """Unique fictional names for the panel."""

    def __init__(self, rng: random.Random):
        self.rng, self.used = rng, set()

    def __call__(self) -> str:
        while True:
            name = self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.randint(1, 2)))
            if name not in self.used:
                self.used.add(name)
                return name


def _panel(arena, organizer, names: _Names, leaders: list[str], public: list[str], recused: list) -> list:
    """Add the judges (leaders, then the public, the recused ones among them) and give each a phone link."""
    # The first leader signs in as the demo's 评委 (pingwei): their home lists this arena.
    account = User.objects.filter(username=DEMO_JUDGE).first()
    judges = [services.add_judge(arena, organizer, group="leaders", name=names(), title=t,
                                 account=account if n == 0 else None) for n, t in enumerate(leaders)]
    for n, title in enumerate(public):
        unit = recused[n] if n < len(recused) else None
        if unit is not None:
            # 东港区 reads better than 东港; a zone's short name (高新区) is the one people use.
            where = unit.short_name if unit.kind == "zone" and unit.short_name else unit.name
            title = text.RECUSED_TITLES[n % len(text.RECUSED_TITLES)].format(name=where)
        judges.append(services.add_judge(arena, organizer, group="public", name=names(), title=title, unit=unit))
    return judges


def _target(rule: str, value: float, indicator: Indicator, rng: random.Random) -> float:
    if rule == "grow":
        return float(max(1, math.ceil(value * rng.uniform(1.1, 1.3))))
    if rule == "plus":
        return round(min(indicator.plausible_max, value + rng.uniform(1, 3)), 1)
    return float(max(indicator.plausible_min, round(value - rng.uniform(1, 3))))


def _deadline(month: str, after: dt.date):
    """The first end of `month` ("06": the end of June) after the arena's day."""
    year = after.year if dt.date(after.year, int(month), 1) >= after.replace(day=1) else after.year + 1
    return ensure_period(f"{year}-{month}")


def _items(contestant, rng: random.Random, latest: dict, indicators: dict, after: dt.date) -> list[dict]:
    """A plausible submission: highlights, shortcomings, measures and pledges with checkable targets, due at
    the first end of their month after the arena's day."""
    short = contestant.unit.short_name or contestant.unit.name
    items = [{"kind": "highlight", "text": t.format(short=short)} for t in rng.sample(text.HIGHLIGHTS, 2)]
    items += [{"kind": "shortcoming", "text": t} for t in rng.sample(text.SHORTCOMINGS, rng.randint(1, 2))]
    items += [{"kind": "measure", "text": t} for t in rng.sample(text.MEASURES, 2)]
    pledges = [p for p in text.PLEDGES if (contestant.unit_id, p[0]) in latest]
    for code, wording, comparison, month, rule in rng.sample(pledges, min(len(pledges), rng.randint(1, 2))):
        target = _target(rule, latest[contestant.unit_id, code], indicators[code], rng)
        shown = f"{target:g}"
        items.append({"kind": "pledge", "text": wording.format(t=shown), "indicator": code, "comparison": comparison,
                      "target_value": target, "deadline": _deadline(month, after)})
    if rng.random() < 0.5:
        items.append({"kind": "pledge", "text": rng.choice(text.PLEDGE_TEXT_ONLY)})
    return items


def _submissions(arena, contestants, organizer, rng: random.Random, period_code: str, after: dt.date) -> None:
    """Every contestant's submission, from the unit's reporter where the demo has one."""
    codes = [p[0] for p in text.PLEDGES]
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    latest = {(u, i): v for u, i, v in Observation.objects.filter(
        period__code=period_code, indicator__code__in=codes, unit__in=[c.unit for c in contestants])
        .values_list("unit_id", "indicator__code", "value")}
    reporters = {u.unit_id: u for u in User.objects.filter(role="reporter", unit__isnull=False)}
    for c in contestants:
        # A district's own reporter files its submission where the demo has one; the office files the rest.
        services.save_submission(c, reporters.get(c.unit_id, organizer), _items(c, rng, latest, indicators, after))


def _sheet(criteria: list[str], level: float, bias: float, profile: dict, rng: random.Random) -> dict:
    """One judge's scores: the contestant's level, the judge's leniency, the contestant's profile per
    criterion and some noise; on the rubric's 0.5 steps, out of 10."""
    sheet_noise = 0.5 * rng.gauss(0, 0.3)
    out = {}
    for code in criteria:
        raw = level + bias + sheet_noise + profile[code] + rng.gauss(0, 0.3)
        out[code] = min(10.0, max(4.0, round(raw * 2) / 2))
    return out


def _past_arena(organizer, rng: random.Random, quarter, next_quarter, ranking: Ranking) -> Arena:
    """Set up the quarter's arena in the order of the ranking, hold its day and publish the results."""
    plan = AssessmentPlan.objects.get(code=PLAN)
    held = _held(quarter.end, PAST_DAYS)
    arena = services.create_arena(organizer, name=arena_name(quarter.code), kind="secretary", period=quarter,
                                  held_at=held, venue=PAST_VENUE, template="liubi", bonus_rule=BONUS_RULE, plan=plan)
    rows = list(ranking.rows.select_related("unit").order_by("rank", "unit__sort_order"))
    services.add_contestants(arena, organizer, [r.unit for r in rows])
    contestants = services.set_order(arena, organizer, "ranking", ranking=ranking)
    # Stronger counties (a better composite score that month) present better: level 6.2 … 8.6 out of 10 (room
    # below the top mark, so that the lenient judge's marks are not all cut off at 10).
    scores = {r.unit_id: r.score for r in rows}
    lo, hi = min(scores.values()), max(scores.values())
    level = {c.pk: 6.2 + 2.4 * (scores[c.unit_id] - lo) / ((hi - lo) or 1) for c in contestants}
    names = _Names(rng)
    public = [text.PUBLIC_TITLES[n % len(text.PUBLIC_TITLES)] for n in range(30)]
    judges = _panel(arena, organizer, names, text.LEADER_TITLES, public,
                    recused=[contestants[0].unit, contestants[-1].unit])
    for judge in judges:
        services.issue_token(judge, organizer)  # scoring from phones; nobody keeps these links
    _submissions(arena, contestants, organizer, rng, ranking.period.code, timezone.localtime(held).date())
    services.set_submission_deadline(arena, organizer, held - dt.timedelta(days=3))
    services.lock_submissions(arena, organizer)
    for c, comment, problem, deadline in _hold_day(arena, organizer, rng, contestants, judges, level, next_quarter):
        services.raise_shortcoming(arena, organizer, problem, c.unit, deadline, comment=comment)
    return services.publish_results(arena, organizer)


def _hold_day(arena, organizer, rng: random.Random, contestants, judges, level: dict, next_quarter) -> list:
    """Each contestant in turn: speech, two questions, every judge's sheet, one or two comments, the reveal.
    Returns the shortcomings to raise from comments: (contestant, comment, text, deadline)."""
    criteria = [c.code for c in arena.criteria.all()]
    # Every judge's leniency is small (well within the audit's threshold, 5 % of the top mark: 0.5) except the
    # planted ones (PLANTED_BIAS), which the judges' audit must find (tests/demo/test_demo_audit.py).
    bias = {j.pk: 0.4 * rng.gauss(0, 0.35) for j in judges}
    for judge, value in _planted(judges).items():
        bias[judge.pk] = value
    leaders = [j for j in judges if j.group.code == "leaders"]
    # Questions come from the leaders and the representatives without ties to a contestant.
    public_judges = [j for j in judges if j.group.code == "public" and j.unit_id is None]
    # The two weakest get a comment naming a shortcoming, which is raised for rectification below.
    weakest = sorted(contestants, key=lambda c: level[c.pk])[:2]
    problems = dict(zip((c.pk for c in weakest), rng.sample([c for c in text.COMMENTS if c[1]], 2), strict=False))
    raised = []
    for contestant in contestants:
        c = contestant
        for stage in TO_QUESTIONS:
            c = services.advance(c, stage, organizer)
        askers = (rng.choice(leaders), rng.choice(public_judges))
        for (question, answer), asker in zip(rng.sample(text.QUESTIONS, 2), askers, strict=True):
            services.record_question(c, organizer, question, judge=asker, answer=answer)
        c = services.advance(c, arena_flow.SCORING_OPEN, organizer)
        profile = {code: rng.gauss(0, 0.35) for code in criteria}
        for judge in judges:
            # Only the judges given a unit can be recused: skip the lookup for the others.
            if judge.unit_id is not None and services.is_recused(judge, c):
                continue
            services.submit_sheet(judge, c, _sheet(criteria, level[c.pk], bias[judge.pk], profile, rng),
                                  client_key=f"demo-{judge.anon_code}-{c.pk}")
        c = services.advance(c, arena_flow.SCORING_CLOSED, organizer)
        chosen = rng.sample(text.COMMENTS, rng.randint(1, 2))
        if c.pk in problems:
            chosen = [problems[c.pk]] + [x for x in chosen if x != problems[c.pk]][:1]
        short = c.unit.short_name or c.unit.name
        speakers = rng.sample(leaders[:4], len(chosen))
        for n, ((words, problem), leader) in enumerate(zip(chosen, speakers, strict=True)):
            comment = services.record_comment(c, organizer, words.format(short=short), judge=leader)
            if c.pk in problems and n == 0:
                raised.append((c, comment, problem))
        services.advance(c, arena_flow.REVEALED, organizer)
    # Deadlines: the end of the next quarter and of the one after it.
    deadlines = (next_quarter.end, _quarter_end(next_quarter.end + dt.timedelta(days=45)))
    return [(*r, deadline) for r, deadline in zip(raised, deadlines, strict=False)]


def _planted(judges) -> dict:
    """The judges PLANTED_BIAS names (by group and position in it) → their bias."""
    by_group: dict[str, list] = {}
    for j in judges:
        by_group.setdefault(j.group.code, []).append(j)
    return {by_group[g][n]: b for (g, n), b in PLANTED_BIAS.items() if n < len(by_group.get(g, []))}


def planted_judges(arena) -> dict[str, str]:
    """The past demo arena's planted judges: anonymous code → "lenient" or "severe"."""
    judges = list(arena.judges.select_related("group").order_by("group__sort_order", "sort_order", "id"))
    return {j.anon_code: "lenient" if b > 0 else "severe" for j, b in _planted(judges).items()}


def _upcoming_arena(organizer, rng: random.Random, quarter, end: str, seed: int) -> tuple[Arena, list[JudgeLink]]:
    """Set up the next quarter's arena: five counties in a recorded draw, a panel of ten with phone links."""
    arena = services.create_arena(organizer, name=arena_name(quarter.code), kind="secretary", period=quarter,
                                  held_at=_held(quarter.end, UPCOMING_DAYS), venue=UPCOMING_VENUE, template="four",
                                  bonus_rule=BONUS_RULE, plan=AssessmentPlan.objects.get(code=PLAN))
    # Counties first (the demo's reporters' districts among them), zones only when counties run short.
    units = sorted(Unit.objects.filter(kind__in=("county", "zone"), active=True),
                   key=lambda u: (u.kind != "county", u.sort_order, u.code))[:UPCOMING_CONTESTANTS]
    services.add_contestants(arena, organizer, units)
    contestants = services.set_order(arena, organizer, "draw", seed=f"海川-{quarter.code}-{seed}")
    names = _Names(random.Random(seed + 1))
    public = [text.PUBLIC_TITLES[n] for n in range(6)]
    judges = _panel(arena, organizer, names, text.UPCOMING_LEADER_TITLES, public, recused=[None, units[-1]])
    tokens = {j.pk: services.issue_token(j, organizer) for j in judges}
    _submissions(arena, contestants, organizer, rng, end, timezone.localtime(arena.held_at).date())
    return arena, [_link(j, tokens[j.pk]) for j in _shown_judges(arena)]


def _link(judge, token: str) -> JudgeLink:
    return JudgeLink(judge.name, judge.title, judge.group.name, token)


def _shown_judges(arena) -> list:
    """The two judges whose links `leitai demo` prints: the first leader and the first representative."""
    judges = list(arena.judges.select_related("group").filter(paper=False, unit__isnull=True))
    firsts = {}
    for j in judges:
        firsts.setdefault(j.group.code, j)
    return [firsts[g] for g in ("leaders", "public") if g in firsts]


def demo_arenas() -> tuple[Arena | None, Arena | None]:
    """The demo's past and upcoming arenas (by their venues: their quarters follow the clock of the build)."""
    past = Arena.objects.filter(venue=PAST_VENUE, status=Arena.Status.PUBLISHED).order_by("-id").first()
    upcoming = Arena.objects.filter(venue=UPCOMING_VENUE).order_by("-id").first()
    return past, upcoming


def reissue_links(organizer) -> list[JudgeLink]:
    """New links for the two shown judges of the upcoming demo arena (their earlier links stop working):
    a second `leitai demo` on the same data can print working links again. Empty once it is published."""
    _past, upcoming = demo_arenas()
    if upcoming is None or upcoming.status == Arena.Status.PUBLISHED:
        return []
    return [_link(j, services.issue_token(j, organizer)) for j in _shown_judges(upcoming)]
