"""Arena fixtures, shared by every arena test (services, pages, live, browser).

    arena        "2024年第一季度书记擂台" over the `city` fixture's counties A, B and K (in that order), with
                 the 六比 rubric (six criteria out of 10, step 0.5), the default groups leaders (市领导,
                 weight 0.6, trim 1) and public (社会各界代表, weight 0.4, trim 2), tie-break by leaders,
                 bonus rule first +2, second +1, last −1, reveal_mode "each". Status setup.
    contestants  {"A": Contestant, "B": …, "K": …} of `arena`.
    panel        Panel(judges, tokens) of `arena`: leaders L1–L3, public P1–P5, each with a phone link
                 (tokens[name] is the raw token); L3 belongs to county A, so L3 is recused from A.
    paper_judge  P6, a public judge who scores on paper (no token).
    staff2       a second organizer, who confirms the paper sheets another staff member entered.
    sheet        sheet(value) → the scores dict giving `value` to every criterion.
    stage_to     stage_to(contestant, stage, user) moves a contestant along the flow up to `stage`.
    other_arena  a second arena (same counties, one leader judge "X1" with token tokens["X1"]).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from leitai.core.judging import flow as arena_flow

ARENA_NAME = "2024年第一季度书记擂台"
CRITERIA = ("quality", "position", "innovation", "project", "environment", "responsibility")
# The way through the day (questions included) to each stage.
PATH = (arena_flow.ON_STAGE, arena_flow.SPEECH, arena_flow.QUESTIONS, arena_flow.SCORING_OPEN,
        arena_flow.SCORING_CLOSED, arena_flow.REVEALED)


@dataclass
class Panel:
    """The judges of an arena by name, and the raw token of each phone judge (shown once at issue)."""

    judges: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)

    def __getitem__(self, name):
        return self.judges[name]


@pytest.fixture
def quarter(city):
    """The period 2024Q1 (the `city` fixture has months only)."""
    from leitai.indicators.models import Period

    return Period.objects.create(code="2024Q1", kind="quarter", year=2024, number=1, start=dt.date(2024, 1, 1),
                                 end=dt.date(2024, 3, 31))


@pytest.fixture
def staff2(city, django_user_model):
    """A second organizer (two-person rule for paper sheets)."""
    return django_user_model.objects.create_user(username="organizer2", password="correct-horse-42",
                                                 role="organizer", is_staff=True, display_name="考核办复核员")


@pytest.fixture
def arena(city, organizer, quarter):
    from leitai.arena import services

    a = services.create_arena(organizer, name=ARENA_NAME, kind="secretary", period=quarter,
                              held_at=dt.datetime(2024, 4, 10, 9, 0, tzinfo=dt.UTC), venue="市行政中心大礼堂",
                              bonus_rule={"1": 2, "2": 1, "last": -1})
    services.add_contestants(a, organizer, [city["a"], city["b"], city["c"]])
    return a


@pytest.fixture
def contestants(arena):
    return {c.unit.code: c for c in arena.contestants.select_related("unit")}


def _judge(services, arena, organizer, panel, name, group, **kw):
    j = services.add_judge(arena, organizer, group=group, name=name, **kw)
    panel.judges[name] = j
    if not j.paper:
        panel.tokens[name] = services.issue_token(j, organizer)
    return j


@pytest.fixture
def panel(arena, organizer, city):
    from leitai.arena import services

    p = Panel()
    for name in ("L1", "L2"):
        _judge(services, arena, organizer, p, name, "leaders", title="市领导")
    _judge(services, arena, organizer, p, "L3", "leaders", title="东城区人大", unit=city["a"])
    for n in range(1, 6):
        _judge(services, arena, organizer, p, f"P{n}", "public", title="社会各界代表")
    return p


@pytest.fixture
def paper_judge(arena, organizer, panel):
    from leitai.arena import services

    return _judge(services, arena, organizer, panel, "P6", "public", paper=True)


@pytest.fixture
def sheet():
    def make(value, **overrides):
        scores = {c: value for c in CRITERIA}
        scores.update(overrides)
        return scores

    return make


def move(contestant, stage, user):
    """Advance a contestant step by step until it reaches `stage` (fresh from the database each step)."""
    from leitai.arena import services
    from leitai.arena.models import Contestant

    c = Contestant.objects.get(pk=contestant.pk)
    if c.stage == stage:
        return c
    ahead = PATH[PATH.index(c.stage) + 1 if c.stage in PATH else 0:]
    if stage not in ahead:
        raise AssertionError(f"{stage} is not ahead of {c.stage}")
    for step in ahead[:ahead.index(stage) + 1]:
        c = services.advance(c, step, user)
    return c


@pytest.fixture
def stage_to():
    return move


@pytest.fixture
def other_arena(city, organizer, quarter):
    from leitai.arena import services

    a = services.create_arena(organizer, name="2024年第一季度局长擂台", kind="director", period=quarter)
    services.add_contestants(a, organizer, [city["a"], city["b"], city["c"]])
    p = Panel()
    _judge(services, a, organizer, p, "X1", "leaders")
    a.panel = p
    return a
