"""Reads of the awards: the public register (approved only), a unit's and a person's awards, the pending
nominations, the kinds, teams and their members, the published results a rule award can rest on, and the
facts the assessment counts."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from leitai.arena.base.models import Arena
from leitai.rankings.models import Ranking
from leitai.units.models import Person, Unit

from .models import Award, AwardEvent, AwardKind, Recipient, Team, TeamMembership

_RELATED = ("kind", "unit", "person", "team", "period", "arena", "ranking__period", "ranking__plan_version__plan")


def _awards() -> QuerySet[Award]:
    return Award.objects.select_related(*_RELATED).order_by("-date", "-id")


def approved(kind: AwardKind | None = None, year: int | None = None, unit_code: str = "") -> QuerySet[Award]:
    """The public register: approved awards, newest first (pending, rejected and revoked never show)."""
    qs = _awards().filter(status=Award.Status.APPROVED)
    if unit_code:
        qs = qs.filter(unit__code=unit_code)
    if kind is not None:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(date__year=year)
    return qs


def years() -> list[int]:
    return sorted({d.year for d in Award.objects.filter(status=Award.Status.APPROVED).values_list("date", flat=True)},
                  reverse=True)


def awards_for_unit(unit: Unit) -> list[Award]:
    """A unit's approved awards, newest first (its own, and those naming its head on an arena day)."""
    return list(approved().filter(unit=unit))


def awards_for_person(person: Person) -> list[Award]:
    """A person's approved awards, newest first: to them, naming them (an arena award names the unit's head on
    the day), and to a team they belonged to on the award's date."""
    return awards_for_people([person])[person.pk]


def awards_for_people(people) -> dict[int, list[Award]]:
    """awards_for_person for several people at once (the comparison of candidates): two queries in all."""
    people = list(people)
    out: dict[int, list[Award]] = {p.pk: [] for p in people}
    memberships = list(TeamMembership.objects.filter(person__in=people).values_list("person_id", "team_id", "start",
                                                                                     "end"))
    found = Q(person__in=people)
    if memberships:
        found |= Q(recipient=Recipient.TEAM, team_id__in={team for _, team, _, _ in memberships})
    for a in approved().filter(found):
        for pk in out:
            if a.person_id == pk or (a.recipient == Recipient.TEAM and any(
                    person == pk and team == a.team_id and start <= a.date and (end is None or a.date <= end)
                    for person, team, start, end in memberships)):
                out[pk].append(a)
    return out


def award(pk: int) -> Award:
    return get_object_or_404(_awards(), pk=pk)


def visible_award(user, pk: int) -> Award:
    """An approved award for everyone; any award for organizers; a reporter's own nominations for them."""
    a = award(pk)
    if a.status == Award.Status.APPROVED or (user.is_authenticated and user.is_organizer):
        return a
    if user.is_authenticated and a.nominated_by_id == user.pk:
        return a
    from django.http import Http404

    raise Http404


def events(a: Award) -> list[AwardEvent]:
    return list(a.events.select_related("by_user").order_by("at", "id"))


def pending() -> QuerySet[Award]:
    return _awards().filter(status=Award.Status.PENDING).select_related("nominated_by").order_by("created_at", "id")


def nominated_by(user) -> QuerySet[Award]:
    return _awards().filter(nominated_by=user).order_by("-created_at", "-id")


def kinds(active_only: bool = False) -> QuerySet[AwardKind]:
    qs = AwardKind.objects.select_related("plan").order_by("sort_order", "id")
    return qs.filter(active=True) if active_only else qs


def kind(pk: int) -> AwardKind:
    return get_object_or_404(AwardKind.objects.select_related("plan"), pk=pk)


def kind_by_code(code: str) -> AwardKind | None:
    return AwardKind.objects.filter(code=code).first()


def rule_kinds(source: str) -> list[AwardKind]:
    """The active rule kinds that read this kind of source ("arena" or "ranking")."""
    from leitai.core.tracking.awards import ARENA_RULES, RANKING_RULES

    rules = ARENA_RULES if source == "arena" else RANKING_RULES
    return list(kinds(active_only=True).filter(basis=AwardKind.Basis.RULE, rule__in=rules))


def ranking_cuts(ranking) -> list[dict]:
    """The award boundaries on a ranking's total rank: every active rule kind "前 N 名" / "后 N 名" that reads
    this ranking's plan (or any plan), as {"label", "k", "from_bottom"} for the warning before publication."""
    plan_id = ranking.plan_version.plan_id
    out = []
    for k in kinds(active_only=True).filter(basis=AwardKind.Basis.RULE,
                                            rule__in=(AwardKind.Rule.RANKING_TOP, AwardKind.Rule.RANKING_BOTTOM)):
        if k.plan_id not in (None, plan_id) or k.n < 1:
            continue
        bottom = k.rule == AwardKind.Rule.RANKING_BOTTOM
        label = (_("%(name)s（后 %(n)s 名）") if bottom else _("%(name)s（前 %(n)s 名）")) % {"name": k.name, "n": k.n}
        out.append({"label": label, "k": k.n, "from_bottom": bottom})
    return out


def nomination_kinds() -> list[AwardKind]:
    return list(kinds(active_only=True).filter(basis=AwardKind.Basis.NOMINATION))


def kind_awards(k: AwardKind) -> QuerySet[Award]:
    return _awards().filter(kind=k)


def published_arenas() -> list[Arena]:
    return list(Arena.objects.filter(status=Arena.Status.PUBLISHED).select_related("period")
                .order_by("-held_at", "-id"))


def published_arena(pk: int) -> Arena:
    return get_object_or_404(Arena.objects.select_related("period"), pk=pk, status=Arena.Status.PUBLISHED)


def published_rankings(plan=None) -> list[Ranking]:
    qs = (Ranking.objects.filter(status=Ranking.Status.PUBLISHED)
          .select_related("period", "plan_version__plan").order_by("-period__start", "plan_version__plan_id", "-id"))
    if plan is not None:
        qs = qs.filter(plan_version__plan=plan)
    return list(qs)


def published_ranking(pk: int) -> Ranking:
    return get_object_or_404(Ranking.objects.select_related("period", "plan_version__plan"), pk=pk,
                             status=Ranking.Status.PUBLISHED)


def previous_ranking(ranking: Ranking) -> Ranking | None:
    """The same plan's published ranking of the period before, of the same kind (the base of 名次进位)."""
    return (Ranking.objects.filter(status=Ranking.Status.PUBLISHED, plan_version__plan=ranking.plan_version.plan,
                                   period__kind=ranking.period.kind, period__start__lt=ranking.period.start)
            .select_related("period").order_by("-period__start", "-id").first())


def ranking_rows(ranking: Ranking) -> list[dict]:
    """[{unit (Unit), rank, score, flags}] of a published ranking, best first."""
    return [{"unit": r.unit, "rank": r.rank, "score": r.score, "flags": r.flags or []}
            for r in ranking.rows.select_related("unit").order_by("rank", "unit__sort_order", "unit__code")]


def units_by_code(codes) -> dict[str, Unit]:
    return {u.code: u for u in Unit.objects.filter(code__in=list(codes))}


def people_by_id(ids) -> dict[int, Person]:
    return Person.objects.in_bulk(list(ids))


def head_on(unit: Unit, day: dt.date):
    """The unit's head in post on that day (a Post), or None."""
    from leitai.units.models import Post

    return (Post.objects.filter(unit=unit, is_head=True, start__lte=day).filter(Q(end__isnull=True) | Q(end__gte=day))
            .select_related("person").order_by("-start", "-id").first())


def teams() -> QuerySet[Team]:
    return Team.objects.select_related("unit").order_by("name")


def team(pk: int) -> Team:
    return get_object_or_404(Team.objects.select_related("unit"), pk=pk)


def memberships(t: Team) -> list[TeamMembership]:
    """Every membership, current first, then the ended ones (the history)."""
    return sorted(t.memberships.select_related("person"), key=lambda m: (m.end is not None, m.start, m.pk))


def members_on(t: Team, day: dt.date) -> list[TeamMembership]:
    return [m for m in memberships(t) if m.start <= day and (m.end is None or m.end >= day)]


def membership(pk: int) -> TeamMembership:
    return get_object_or_404(TeamMembership.objects.select_related("team", "person"), pk=pk)


def window_facts(start: dt.date, end: dt.date, unit_codes: set[str], as_of: dt.date) -> list[dict]:
    """INPUTS.json's "awards": the units' approved awards of the window, by date then id. An award
    revoked (or approved) after `as_of` counts as it stood on `as_of`: approved then and not yet revoked."""
    out = []
    # an award counts in the window holding its period (an arena's quarter, a ranking's month), else its date
    inside = (Q(period__isnull=False, period__start__gte=start, period__end__lte=end)
              | Q(period__isnull=True, date__gte=start, date__lte=end))
    qs = (Award.objects.filter(inside, recipient=Recipient.UNIT, status__in=(Award.Status.APPROVED, Award.Status.REVOKED))
          .select_related("kind", "unit").order_by("date", "id"))
    for a in qs:
        if a.unit.code not in unit_codes:
            continue
        if a.decided_at is None or timezone.localdate(a.decided_at) > as_of:
            continue
        if a.status == Award.Status.REVOKED and a.revoked_at and timezone.localdate(a.revoked_at) <= as_of:
            continue
        out.append({"ref": f"award:{a.pk}", "unit": a.unit.code, "kind": a.kind.code, "name": a.kind.name,
                    "name_en": a.kind.name_en or a.kind.name, "date": a.date.isoformat()})
    return out


def arena_rows(arena: Arena) -> list[dict]:
    """The arena's published rows as they stand (the latest corrected version), each with the contestant's unit,
    presenter (the unit's head on the day, a Person or None) and title."""
    from leitai.arena.results.selectors import result_versions
    from leitai.arena.setup.selectors import contestants

    by_unit = {c.unit.code: c for c in contestants(arena)}
    out = []
    for r in result_versions(arena)[-1]["rows"]:
        c = by_unit.get(r["unit"])
        if c is None:
            continue
        out.append({"unit": c.unit, "rank": r.get("rank"), "score": r.get("score"), "person": c.person,
                    "title": c.title})
    return out


def team_awards(t: Team) -> list[Award]:
    return list(approved().filter(team=t))


def kind_awards_for_source(what: str, obj) -> list[Award]:
    """Every award resting on this arena or ranking (any status), by kind."""
    qs = _awards().filter(arena=obj) if what == "arena" else _awards().filter(ranking=obj)
    return list(qs.order_by("kind__sort_order", "kind_id", "unit__sort_order", "id"))
