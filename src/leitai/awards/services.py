"""Writes of the awards, each in one transaction: kinds, teams and their members, granting by rule from a
published arena or ranking (again adds nothing: a rule award is keyed by kind, source and unit), nominating,
approving or rejecting a nomination, revoking an award with a reason. Every step is logged (AwardEvent) and
audited; nothing is deleted."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from leitai.core.errors import LeitaiError
from leitai.core.periods import label as period_label
from leitai.core.ranking.index import FLAG_RED, FLAG_YELLOW
from leitai.core.tracking import awards as rules

from . import policies, selectors
from .models import Award, AwardEvent, AwardKind, Recipient, Team, TeamMembership

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")


def _organizer(user) -> None:
    if not policies.is_organizer(user):
        raise PermissionDenied("organizers only")


def _text(value, limit: int = 0) -> str:
    text = str(value or "").strip()
    return text[:limit] if limit else text


# ---------------------------------------------------------------------------------------------- kinds


@transaction.atomic
def save_kind(user, *, code: str, name: str, basis: str, rule: str = "", n: int = 1, plan=None,
              recipient: str = Recipient.UNIT, name_en: str = "", description: str = "", citation: str = "",
              active: bool = True, sort_order: int = 0, kind: AwardKind | None = None) -> AwardKind:
    """Create or change an award kind. A rule kind gives units; a kind's code and rule cannot change once it
    has awards (the assessment and the register read them)."""
    _organizer(user)
    code, name = _text(code), _text(name)
    if not name:
        raise LeitaiError("请填写表彰类别的名称", "The award kind needs a name")
    if not CODE.match(code):
        raise LeitaiError("编码只能用字母、数字、短横线和下划线（不超过 40 个字符），如 haitun",
                          "The code may only use letters, digits, - and _ (at most 40), e.g. haitun")
    if basis not in AwardKind.Basis.values:
        raise LeitaiError("请选择评定方式", "Choose how the award is decided")
    if basis == AwardKind.Basis.RULE:
        if rule not in AwardKind.Rule.values:
            raise LeitaiError("按规则评定的表彰请选择规则", "A rule award kind needs its rule")
        recipient = Recipient.UNIT
    else:
        rule = ""
        if recipient not in Recipient.values:
            raise LeitaiError("请选择授予对象", "Choose who receives the award")
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 100:
        raise LeitaiError("名次数 N 应为 1 到 100 之间的整数", "N must be a whole number from 1 to 100")
    clash = AwardKind.objects.filter(code=code).exclude(pk=kind.pk if kind else None).first()
    if clash:
        raise LeitaiError(f"编码 {code} 已被表彰类别“{clash.name}”使用", f"The code {code} is taken by {clash.name}")
    if kind is not None:
        kind = AwardKind.objects.select_for_update().get(pk=kind.pk)
        if kind.awards.exists() and (kind.code != code or kind.rule != rule or kind.basis != basis):
            raise LeitaiError("该类别已有表彰记录：编码、评定方式和规则不能再改（可新建类别）",
                              "This kind has awards: its code, basis and rule can no longer change")
    else:
        kind = AwardKind(created_by=user)
    kind.code, kind.name, kind.name_en, kind.basis, kind.rule, kind.n = code, name, _text(name_en), basis, rule, n
    kind.plan, kind.recipient, kind.description, kind.citation = plan, recipient, _text(description), _text(citation, 200)
    kind.active, kind.sort_order = bool(active), int(sort_order or 0)
    kind.save()
    return kind


# ---------------------------------------------------------------------------------------------- rule awards


def _grant(user, kind: AwardKind, key: str, unit, *, person=None, title: str = "", period=None, date, reason: str,
           reason_en: str, arena=None, ranking=None, base=None) -> Award | None:
    rule_key = f"{kind.pk}:{key}:{unit.code}"
    if Award.objects.filter(rule_key=rule_key).exists():
        return None
    now = timezone.now()
    try:
        with transaction.atomic():
            a = Award.objects.create(kind=kind, status=Award.Status.APPROVED, recipient=Recipient.UNIT, unit=unit,
                                     person=person, person_title=title[:60], period=period, date=date, reason=reason,
                                     reason_en=reason_en, arena=arena, ranking=ranking, base_ranking=base,
                                     rule_key=rule_key, decided_by=user, decided_at=now)
    except IntegrityError:  # granted meanwhile by another request: still nothing twice
        return None
    AwardEvent.objects.create(award=a, action=AwardEvent.Action.GRANTED, by_user=user)  # the reason is on the award
    return a


def _score(v) -> str:
    return "—" if v is None else f"{float(v):.2f}"


def _arena_day(arena) -> dt.date:
    moment = arena.held_at or arena.published_at or timezone.now()
    return timezone.localtime(moment).date()


@transaction.atomic
def grant_from_arena(user, arena, kinds: list[AwardKind] | None = None) -> list[Award]:
    """海豚奖 / 海龟奖 from a published arena's rows (as corrected): the best and the worst rank, ties all earn
    it, each naming the unit's presenter (its head) on the day. Returns the awards added (none the second time)."""
    _organizer(user)
    if arena.status != "published":
        raise LeitaiError("擂台赛发布结果后才能按规则评定表彰", "Awards by rule need the arena's published results")
    rows = selectors.arena_rows(arena)
    by_code = {r["unit"].code: r for r in rows}
    pairs = [(code, r["rank"]) for code, r in by_code.items()]
    day = _arena_day(arena)
    added = []
    for kind in kinds if kinds is not None else selectors.rule_kinds("arena"):
        if kind.rule not in rules.ARENA_RULES:
            continue
        best = kind.rule == AwardKind.Rule.ARENA_BEST
        for code in rules.best(pairs) if best else rules.worst(pairs):
            r = by_code[code]
            place_zh, place_en = ("第一名", "first place") if best else ("最后一名", "last place")
            a = _grant(user, kind, f"arena:{arena.pk}", r["unit"], person=r["person"], title=r["title"],
                       period=arena.period, date=day,
                       reason=f"{arena.name}{place_zh}（第 {r['rank']} 名，{_score(r['score'])} 分）",
                       reason_en=f"{arena.name}: {place_en} (rank {r['rank']}, score {_score(r['score'])})", arena=arena)
            if a:
                added.append(a)
    return added


def _ranking_label(ranking, lang: str = "zh-hans") -> str:
    return f"{ranking.plan_version.plan.name} {period_label(ranking.period.code, lang=lang)}"


@transaction.atomic
def grant_from_ranking(user, ranking, kinds: list[AwardKind] | None = None) -> list[Award]:
    """Top N, bottom N, red and yellow flags and most places gained (against the plan's previous published
    ranking) from a published ranking; ties all earn it; each names the unit's head at the period's end."""
    _organizer(user)
    if ranking.status != "published":
        raise LeitaiError("只有已发布的排名可以按规则评定表彰", "Awards by rule need a published ranking")
    rows = selectors.ranking_rows(ranking)
    by_code = {r["unit"].code: r for r in rows}
    pairs = [(code, r["rank"]) for code, r in by_code.items()]
    day = ranking.period.end
    plan = ranking.plan_version.plan
    zh, en = _ranking_label(ranking), _ranking_label(ranking, "en")
    base = None
    added = []
    for kind in kinds if kinds is not None else selectors.rule_kinds("ranking"):
        if kind.rule not in rules.RANKING_RULES or (kind.plan_id and kind.plan_id != plan.pk):
            continue
        found: list[tuple[str, str, str]] = []  # (unit code, reason zh, reason en)
        if kind.rule in (AwardKind.Rule.RANKING_TOP, AwardKind.Rule.RANKING_BOTTOM):
            top = kind.rule == AwardKind.Rule.RANKING_TOP
            for code in rules.top(pairs, kind.n) if top else rules.bottom(pairs, kind.n):
                rank = by_code[code]["rank"]
                which_zh, which_en = ("前", "top") if top else ("后", "bottom")
                found.append((code, f"{zh}第 {rank} 名（{which_zh} {kind.n} 名）",
                              f"{en}: rank {rank} ({which_en} {kind.n})"))
        elif kind.rule in (AwardKind.Rule.FLAG_RED, AwardKind.Rule.FLAG_YELLOW):
            flag = FLAG_RED if kind.rule == AwardKind.Rule.FLAG_RED else FLAG_YELLOW
            flag_zh, flag_en = ("红旗", "red flag") if flag == FLAG_RED else ("黄旗", "yellow flag")
            for code in rules.flagged([(c, r["flags"]) for c, r in by_code.items()], flag):
                found.append((code, f"{zh}{flag_zh}（第 {by_code[code]['rank']} 名）",
                              f"{en}: {flag_en} (rank {by_code[code]['rank']})"))
        else:
            base = selectors.previous_ranking(ranking)
            if base is None:
                continue
            before = {r["unit"].code: r["rank"] for r in selectors.ranking_rows(base)}
            base_zh = period_label(base.period.code)
            base_en = period_label(base.period.code, lang="en")
            for code, gain in rules.most_gained(before, {c: r["rank"] for c, r in by_code.items()}):
                found.append((code, f"{zh}较{base_zh}进位 {gain} 名（第 {before[code]} 名 → 第 {by_code[code]['rank']} 名）",
                              f"{en}: up {gain} places on {base_en} (rank {before[code]} → {by_code[code]['rank']})"))
        for code, reason, reason_en in found:
            unit = by_code[code]["unit"]
            head = selectors.head_on(unit, day)
            a = _grant(user, kind, f"ranking:{ranking.pk}", unit, person=head.person if head else None,
                       title=head.title if head else "", period=ranking.period, date=day, reason=reason,
                       reason_en=reason_en, ranking=ranking,
                       base=base if kind.rule == AwardKind.Rule.MOST_GAINED else None)
            if a:
                added.append(a)
    return added


def grant(user, kind: AwardKind, source: str) -> list[Award]:
    """Grant one rule kind from a source "arena:<id>" or "ranking:<id>" (the kind page's choice)."""
    what, _, key = str(source).partition(":")
    if kind.basis != AwardKind.Basis.RULE:
        raise LeitaiError("该类别按推荐审批授予，不能按规则评定", "This kind is given by nomination, not by rule")
    if not key.isdigit() or what not in ("arena", "ranking"):
        raise LeitaiError("请选择依据的擂台赛或排名", "Choose the arena or ranking the award rests on")
    if (what == "arena") != (kind.rule in rules.ARENA_RULES):
        raise LeitaiError("该规则不适用于所选的结果（擂台赛规则选擂台赛，排名规则选排名）",
                          "This rule does not read that kind of result (arena rules read arenas, ranking rules rankings)")
    if what == "arena":
        return grant_from_arena(user, selectors.published_arena(int(key)), [kind])
    ranking = selectors.published_ranking(int(key))
    if kind.plan_id and kind.plan_id != ranking.plan_version.plan_id:
        raise LeitaiError(f"该类别只评定考核方案“{kind.plan.name}”的排名", f"This kind only reads rankings of {kind.plan.name}")
    return grant_from_ranking(user, ranking, [kind])


# ---------------------------------------------------------------------------------------------- nominations


@transaction.atomic
def nominate(user, kind: AwardKind, *, recipient: str, unit=None, person=None, team=None, period=None,
             date: dt.date | None = None, reason: str) -> Award:
    """A nomination with its reason, waiting for an organizer's approval."""
    if not policies.may_nominate(user):
        raise PermissionDenied("organizers and reporters only")
    if kind.basis != AwardKind.Basis.NOMINATION or not kind.active:
        raise LeitaiError("请选择在用的推荐类表彰", "Choose an award kind in use that is given by nomination")
    if recipient != kind.recipient:
        raise LeitaiError(f"“{kind.name}”授予{Recipient(kind.recipient).label}",
                          f"{kind.name} is given to a {Recipient(kind.recipient).value}")
    target = {Recipient.UNIT: unit, Recipient.PERSON: person, Recipient.TEAM: team}[Recipient(recipient)]
    if target is None:
        field = {Recipient.UNIT: ("单位", "unit"), Recipient.PERSON: ("人员", "person"), Recipient.TEAM: ("团队", "team")}
        zh, en = field[Recipient(recipient)]
        raise LeitaiError(f"请选择获奖的{zh}", f"Choose the {en}")
    reason = _text(reason)
    if len(reason) < 4:
        raise LeitaiError("请写明推荐理由（事迹）", "Write the reason for the nomination")
    date = date or timezone.localdate()
    kw = {"unit": unit if recipient == Recipient.UNIT else None, "person": person if recipient == Recipient.PERSON else None,
          "team": team if recipient == Recipient.TEAM else None}
    if not policies.may_nominate_for(user, day=date, **kw):
        raise PermissionDenied("not your unit")
    if recipient == Recipient.PERSON:
        post = _post_on(person, date)
        if post is not None:
            kw["unit"] = post.unit
            title = post.title
        else:
            title = ""
    else:
        title = ""
    a = Award.objects.create(kind=kind, status=Award.Status.PENDING, recipient=recipient, person_title=title,
                             period=period, date=date, reason=reason, nominated_by=user, **kw)
    AwardEvent.objects.create(award=a, action=AwardEvent.Action.NOMINATED, note=reason[:200], by_user=user)
    return a


def _post_on(person, day: dt.date):
    from django.db.models import Q

    from leitai.units.models import Post

    return (Post.objects.filter(person=person, start__lte=day).filter(Q(end__isnull=True) | Q(end__gte=day))
            .select_related("unit").order_by("-is_head", "-start").first())


def _locked(award: Award) -> Award:
    return Award.objects.select_for_update().get(pk=award.pk)


@transaction.atomic
def approve(user, award: Award, note: str = "") -> Award:
    _organizer(user)
    a = _locked(award)
    if a.status != Award.Status.PENDING:
        raise LeitaiError("只有待审批的推荐可以批准", "Only a pending nomination can be approved")
    a.status, a.decided_by, a.decided_at, a.decision_note = Award.Status.APPROVED, user, timezone.now(), _text(note, 200)
    a.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    AwardEvent.objects.create(award=a, action=AwardEvent.Action.APPROVED, note=a.decision_note, by_user=user)
    return a


@transaction.atomic
def reject(user, award: Award, note: str) -> Award:
    _organizer(user)
    note = _text(note, 200)
    if not note:
        raise LeitaiError("不批准须写明理由", "A rejection needs a reason")
    a = _locked(award)
    if a.status != Award.Status.PENDING:
        raise LeitaiError("只有待审批的推荐可以不批准", "Only a pending nomination can be rejected")
    a.status, a.decided_by, a.decided_at, a.decision_note = Award.Status.REJECTED, user, timezone.now(), note
    a.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    AwardEvent.objects.create(award=a, action=AwardEvent.Action.REJECTED, note=note, by_user=user)
    return a


@transaction.atomic
def revoke(user, award: Award, reason: str) -> Award:
    """Withdraw an approved award: it stays in the register's history (not on the public page), with the reason."""
    _organizer(user)
    reason = _text(reason, 200)
    if not reason:
        raise LeitaiError("撤销须写明理由", "Revoking needs a reason")
    a = _locked(award)
    if a.status != Award.Status.APPROVED:
        raise LeitaiError("只有已授予的表彰可以撤销", "Only an approved award can be revoked")
    a.status, a.revoked_by, a.revoked_at, a.revoke_reason = Award.Status.REVOKED, user, timezone.now(), reason
    a.save(update_fields=["status", "revoked_by", "revoked_at", "revoke_reason"])
    AwardEvent.objects.create(award=a, action=AwardEvent.Action.REVOKED, note=reason, by_user=user)
    return a


# ---------------------------------------------------------------------------------------------- teams


@transaction.atomic
def save_team(user, *, name: str, unit=None, note: str = "", active: bool = True, team: Team | None = None) -> Team:
    _organizer(user)
    name = _text(name, 100)
    if not name:
        raise LeitaiError("请填写团队名称", "The team needs a name")
    clash = Team.objects.filter(name=name).exclude(pk=team.pk if team else None).exists()
    if clash:
        raise LeitaiError(f"已有名为“{name}”的团队", f"There already is a team named {name}")
    team = Team.objects.select_for_update().get(pk=team.pk) if team else Team()
    team.name, team.unit, team.note, team.active = name, unit, _text(note, 200), bool(active)
    team.save()
    return team


@transaction.atomic
def add_member(user, team: Team, person, *, start: dt.date, role: str = "") -> TeamMembership:
    _organizer(user)
    if person is None:
        raise LeitaiError("请选择人员", "Choose the person")
    if start is None:
        raise LeitaiError("请填写加入日期", "Enter the date they joined")
    if TeamMembership.objects.filter(team=team, person=person, end__isnull=True).exists():
        raise LeitaiError(f"{person.name} 已在团队中", f"{person.name} is already in the team")
    return TeamMembership.objects.create(team=team, person=person, role=_text(role, 40), start=start)


@transaction.atomic
def end_membership(user, membership: TeamMembership, end: dt.date) -> TeamMembership:
    """A member leaves: the membership gets its end date and stays in the team's history."""
    _organizer(user)
    m = TeamMembership.objects.select_for_update().get(pk=membership.pk)
    if m.end is not None:
        raise LeitaiError("该成员已离开团队", "This member has already left the team")
    if end is None or end < m.start:
        raise LeitaiError("离开日期不能早于加入日期", "The end date cannot be before the start")
    m.end = end
    m.save(update_fields=["end"])
    return m
