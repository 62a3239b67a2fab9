"""Reads of the person's record (个人履历, "在赛马场上选千里马"): every post a person held (a tenure), and for each
the unit's published ranks, its arena scores and places, the pledges made, the rectification items owned and
closed on time, the follow-up reviews' satisfaction — and the awards. Several people are read together for
the comparison of candidates, in a fixed number of queries whatever the number of people, posts and months.

Attribution is the head-in-post rule of units.selectors.holds_on: a month's ranking belongs to the head in
post on the month's last day, an arena to the head in post on the arena's day (arena.setup.selectors.arena_date),
a pledge to the person who made it (else to the head in post on the day it was made), an item to its named
owner (else to the head in post on the day it was assigned). A deputy's post (not the head) carries only
what names the person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from leitai.arena.base.models import Arena
from leitai.arena.results.selectors import rows_in_force
from leitai.arena.setup.models import Contestant
from leitai.arena.setup.selectors import arena_date
from leitai.awards.selectors import awards_for_people
from leitai.core.tracking import rules as flow
from leitai.rankings.models import Ranking, RankingRow
from leitai.tracking.models import Item, Pledge, ReviewAssignment
from leitai.tracking.pledges.selectors import fulfilment, pledge_rates
from leitai.tracking.reviews.selectors import review_rates
from leitai.units.models import Person, Post
from leitai.units.selectors import post_on


@dataclass
class ArenaPlace:
    arena: Arena
    day: dt.date
    score: float | None
    rank: int | None
    size: int
    presenter: str


@dataclass
class Summary:
    """The figures of a tenure or of a whole record (the comparison's columns)."""

    periods: int = 0
    rank_sum: float = 0.0  # of rank / size, for the average place as a share of the field
    best_rank: str = ""
    arenas: int = 0
    best_place: str = ""
    arena_scores: list = field(default_factory=list)
    pledges: dict = field(default_factory=lambda: fulfilment(0, 0, 0))
    items: dict = field(default_factory=dict)
    reviews: dict = field(default_factory=dict)

    @property
    def rank_share(self) -> float | None:
        """The average place as a percentage of the field (0: always first)."""
        return 100.0 * self.rank_sum / self.periods if self.periods else None

    @property
    def arena_average(self) -> float | None:
        return sum(self.arena_scores) / len(self.arena_scores) if self.arena_scores else None


@dataclass
class Tenure:
    post: Post
    ranks: list = field(default_factory=list)  # RankingRow with .size, newest first
    arenas: list[ArenaPlace] = field(default_factory=list)
    pledges: list[Pledge] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    reviews: list[str] = field(default_factory=list)  # the verdicts of the done reviews of its items
    summary: Summary = field(default_factory=Summary)

    @property
    def lines(self) -> list[tuple[str, str]]:
        return summary_lines(self.summary)


@dataclass
class PersonRecord:
    person: Person
    tenures: list[Tenure] = field(default_factory=list)
    pledge_rate: dict = field(default_factory=lambda: fulfilment(0, 0, 0))  # of the pledges the person made
    summary: Summary = field(default_factory=Summary)
    # Approved awards, newest first (leitai.awards.selectors.awards_for_people).
    awards: list = field(default_factory=list)
    unplaced_pledges: list[Pledge] = field(default_factory=list)  # made by the person at a unit of no post of theirs
    unplaced_items: list[Item] = field(default_factory=list)

    @property
    def current(self) -> list[Post]:
        return [t.post for t in self.tenures if t.post.end is None]


def person_record(person: Person, *, public_only: bool = False) -> PersonRecord:
    return person_records([person], public_only=public_only)[0]


def person_records(people, *, public_only: bool = False) -> list[PersonRecord]:
    """The records of the given people, in their order. `public_only` lists only the pledges and items the
    organizer made public (the public side of a published record); the figures, the person's own pledge rate
    included, count the same entries."""
    people = list(people)
    posts = list(Post.objects.filter(person__in=people).select_related("unit").order_by("-start", "-id"))
    records = {p.pk: PersonRecord(person=p) for p in people}
    tenures: dict[int, Tenure] = {}
    for post in posts:
        tenures[post.pk] = Tenure(post=post)
        records[post.person_id].tenures.append(tenures[post.pk])
    if posts:
        units = {p.unit_id for p in posts}
        _ranks(posts, units, tenures)
        _arenas(posts, units, tenures)
        _pledges(people, posts, units, tenures, records, public_only)
        _items(people, posts, units, tenures, records, public_only)
    awards = awards_for_people(people)
    rates = pledge_rates("person_id", people=people, public_only=public_only)
    for record in records.values():
        record.pledge_rate = rates.get(record.person.pk, fulfilment(0, 0, 0))
        record.awards = awards[record.person.pk]
        for tenure in record.tenures:
            tenure.summary = _summarise([tenure])
        record.summary = _summarise(record.tenures)
    return [records[p.pk] for p in people]


def _ranks(posts, units, tenures) -> None:
    earliest = min(p.start for p in posts)
    rows = (RankingRow.objects.filter(ranking__status=Ranking.Status.PUBLISHED, unit__in=units,
                                      ranking__period__end__gte=earliest)
            .select_related("ranking__plan_version__plan", "ranking__period")
            .defer("ranking__inputs", "ranking__spec", "ranking__report", "ranking__plan_version__spec")
            .order_by("-ranking__period__start", "-ranking__published_at", "-ranking_id"))
    rows = list(rows)
    sizes = dict(Ranking.objects.filter(pk__in={r.ranking_id for r in rows}).order_by()
                 .annotate(n=Count("rows")).values_list("pk", "n"))
    seen = set()
    for row in rows:
        key = (row.unit_id, row.ranking.plan_version.plan_id, row.ranking.period_id)
        if key in seen:
            continue  # a period republished: the newest publication counts
        seen.add(key)
        row.size = sizes.get(row.ranking_id, 0)
        for post in _heads_on(posts, row.unit_id, row.ranking.period.end):  # the month's last day
            tenures[post.pk].ranks.append(row)


def _heads_on(posts, unit_id, day) -> list[Post]:
    """Of these people's posts, each person's head post at the unit holding on `day` (holds_on)."""
    people = {p.person_id for p in posts if p.unit_id == unit_id}
    found = (post_on([p for p in posts if p.person_id == pid], unit_id, day) for pid in people)
    return [p for p in found if p is not None]


def _arenas(posts, units, tenures) -> None:
    contestants = list(Contestant.objects.filter(unit__in=units, arena__status=Arena.Status.PUBLISHED)
                       .select_related("arena", "person").defer("arena__result"))
    arenas = {c.arena_id: c.arena for c in contestants}
    # The result rows are read once per arena, with only what the record needs.
    full = Arena.objects.filter(pk__in=arenas).only("id", "result")
    rows = rows_in_force(list(full))
    codes = {p.unit_id: p.unit.code for p in posts}
    for c in contestants:
        day = arena_date(c.arena)
        result = rows.get(c.arena_id, [])
        mine = next((r for r in result if r.get("unit") == codes[c.unit_id]), None)
        for post in _heads_on(posts, c.unit_id, day):
            tenures[post.pk].arenas.append(ArenaPlace(
                arena=c.arena, day=day, score=mine.get("score") if mine else None,
                rank=mine.get("rank") if mine else None, size=len(result),
                presenter=c.person.name if c.person else ""))
    for tenure in tenures.values():
        tenure.arenas.sort(key=lambda a: a.day, reverse=True)


def _place(posts, person_id, unit_id, day, named: bool):
    """The post a pledge or item belongs to: for one naming the person, their post at the unit on the day (a
    deputy's too), else their latest post at the unit; for one naming nobody, the head post on the day."""
    own = [p for p in posts if p.person_id == person_id]
    found = post_on(own, unit_id, day, heads_only=not named)
    if found is None and named:
        at_unit = [p for p in own if p.unit_id == unit_id]
        found = at_unit[0] if at_unit else None  # newest first
    return found


def _pledges(people, posts, units, tenures, records, public_only) -> None:
    qs = Pledge.objects.filter(Q(person__in=people) | Q(person__isnull=True, unit__in=units))
    if public_only:
        qs = qs.filter(public=True)
    for pledge in qs.select_related("unit", "deadline", "indicator").order_by("-made_on", "-created_at", "-id"):
        day = pledge.made_on or timezone.localdate(pledge.created_at)
        if pledge.person_id is not None:
            post = _place(posts, pledge.person_id, pledge.unit_id, day, named=True)
            if post is None:
                records[pledge.person_id].unplaced_pledges.append(pledge)
                continue
            tenures[post.pk].pledges.append(pledge)
            continue
        for person in people:
            post = _place(posts, person.pk, pledge.unit_id, day, named=False)
            if post is not None:
                tenures[post.pk].pledges.append(pledge)


def _items(people, posts, units, tenures, records, public_only) -> None:
    names = {p.pk: p.name for p in people}
    qs = Item.objects.filter(Q(person__in=people) | Q(person__isnull=True, unit__in=units))
    if public_only:
        qs = qs.filter(public=True)
    items = list(qs.select_related("unit").order_by("-assigned_on", "-id"))
    verdicts: dict[int, list[str]] = {}
    for item_id, verdict in (ReviewAssignment.objects.filter(item__in=[i.pk for i in items], done_at__isnull=False)
                             .values_list("item_id", "verdict")):
        verdicts.setdefault(item_id, []).append(verdict)
    for item in items:
        if item.person_id is not None:
            post = _place(posts, item.person_id, item.unit_id, item.assigned_on, named=True)
            if post is None:
                records[item.person_id].unplaced_items.append(item)
                continue
            targets = [post]
        else:
            # An item naming nobody is the head's on the day assigned; one naming its owner by name only (no
            # person record) is the head's only when that name is the head's.
            targets = [p for person in people
                       if (p := _place(posts, person.pk, item.unit_id, item.assigned_on, named=False)) is not None
                       and item.person_name in ("", names[person.pk])]
        for post in targets:
            tenures[post.pk].items.append(item)
            tenures[post.pk].reviews.extend(verdicts.get(item.pk, []))


def _summarise(tenures: list[Tenure]) -> Summary:
    s = Summary()
    best = None
    for t in tenures:
        for row in t.ranks:
            if row.rank is not None and row.size:
                s.periods += 1
                s.rank_sum += row.rank / row.size
                if best is None or row.rank / row.size < best[0]:
                    best = (row.rank / row.size, f"{row.rank}/{row.size}")
    s.best_rank = best[1] if best else ""
    places = [(a.rank, a.size) for t in tenures for a in t.arenas if a.rank]
    s.arenas = sum(len(t.arenas) for t in tenures)
    if places:
        rank, size = min(places, key=lambda p: p[0] / p[1])
        s.best_place = f"{rank}/{size}"
    s.arena_scores = [a.score for t in tenures for a in t.arenas if a.score is not None]
    pledges = {p.pk: p for t in tenures for p in t.pledges}.values()
    s.pledges = fulfilment(len(pledges), sum(p.status == Pledge.Status.KEPT for p in pledges),
                           sum(p.status == Pledge.Status.MISSED for p in pledges))
    s.items = _item_figures([i for i in {i.pk: i for t in tenures for i in t.items}.values()])
    counts = {"assigned": 0, "done": 0, "satisfied": 0, "basic": 0, "not": 0}
    for t in tenures:
        for verdict in t.reviews:
            counts["assigned"] += 1
            counts["done"] += 1
            counts[verdict] = counts.get(verdict, 0) + 1
    s.reviews = {**counts, **review_rates(counts)}
    return s


def _item_figures(items: list[Item]) -> dict:
    """Owned, closed, closed on time (core.tracking.rules.rates) and open past the deadline."""
    if not items:
        return {"total": 0, "closed": 0, "on_time": 0, "overdue_open": 0, "on_time_rate": None}
    created = np.array([i.assigned_on for i in items], dtype="datetime64[D]")
    deadlines = np.array([i.deadline for i in items], dtype="datetime64[D]")
    closed = np.array([i.closed_on if i.state == flow.CLOSED and i.closed_on else None for i in items],
                      dtype="datetime64[D]")
    r = flow.rates(created, deadlines, closed, timezone.localdate())
    return {"total": r.total, "closed": r.closed, "on_time": r.closed_on_time, "overdue_open": r.overdue_open,
            "on_time_rate": r.on_time_rate}


# ---- the figures as text: the page, the comparison and the Word export print the same lines -------------

def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.0f}%"


def post_text(post: Post) -> str:
    end = post.end.strftime("%Y-%m") if post.end else _("至今")
    return _("%(unit)s %(title)s（%(start)s–%(end)s）") % {
        "unit": post.unit.name, "title": post.title, "start": post.start.strftime("%Y-%m"), "end": end}


def summary_lines(s: Summary) -> list[tuple[str, str]]:
    """A summary's figures as (label, text) lines."""
    judged = s.pledges["kept"] + s.pledges["missed"]
    items = s.items or {"total": 0, "closed": 0, "on_time": 0, "overdue_open": 0, "on_time_rate": None}
    return [
        (_("发布排名期数"), str(s.periods)),
        (_("平均位次（名次÷参评单位数）"),
         "—" if s.rank_share is None else _("%(pct).0f%%（越小越靠前）") % {"pct": s.rank_share}),
        (_("最好名次"), s.best_rank or "—"),
        (_("擂台赛场次"), str(s.arenas)),
        (_("擂台赛平均得分"), "—" if s.arena_average is None else f"{s.arena_average:.2f}"),
        (_("擂台赛最好名次"), s.best_place or "—"),
        (_("承诺兑现率（兑现/已核验）"), _("%(rate)s（%(kept)d/%(judged)d，共 %(total)d 项）") % {
            "rate": _pct(s.pledges["rate"]), "kept": s.pledges["kept"], "judged": judged,
            "total": s.pledges["total"]}),
        (_("整改按时销号率（按时/已销号）"), _("%(rate)s（%(on_time)d/%(closed)d，承担 %(total)d 项）") % {
            "rate": _pct(items["on_time_rate"]), "on_time": items["on_time"], "closed": items["closed"],
            "total": items["total"]}),
        (_("逾期未销号"), str(items["overdue_open"])),
        (_("回头看满意度"), _("%(rate)s（%(good)d/%(done)d）") % {
            "rate": _pct(s.reviews.get("satisfaction")), "good": s.reviews.get("satisfied", 0) + s.reviews.get("basic", 0),
            "done": s.reviews.get("done", 0)}),
    ]


def person_pledge_line(record: PersonRecord) -> tuple[str, str]:
    """The per-person pledge rate (tracking.pledges.selectors.pledge_rates by person): pledges the person made."""
    r = record.pledge_rate
    return (_("本人承诺兑现率"), _("%(rate)s（%(kept)d/%(judged)d，共 %(total)d 项）") % {
        "rate": _pct(r["rate"]), "kept": r["kept"], "judged": r["kept"] + r["missed"], "total": r["total"]})


def comparison_rows(records: list[PersonRecord]) -> list[dict]:
    """The comparison of candidates: one row per figure, one value per person."""
    rows = [
        {"label": _("现任"), "values": [_("；").join(f"{p.unit.name} {p.title}" for p in r.current) or "—"
                                        for r in records]},
        {"label": _("任职经历"), "values": [_("；").join(post_text(t.post) for t in r.tenures) or "—" for r in records]},
    ]
    lines = [summary_lines(r.summary) for r in records]
    for n, (label, _text) in enumerate(lines[0] if lines else []):
        rows.append({"label": label, "values": [ls[n][1] for ls in lines]})
    rows.append({"label": person_pledge_line(records[0])[0] if records else "",
                 "values": [person_pledge_line(r)[1] for r in records]})
    rows.append({"label": _("获奖"), "values": [str(len(r.awards)) for r in records]})
    return rows
