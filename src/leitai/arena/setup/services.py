"""Setting up an arena: the arena itself, its rubric, contestants, order of presentation, panel and tokens."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from leitai.arena.base.events import (
    announce,
    close_link_streams,
    lock_arena,
    record_event,
    refuse_if_published,
)
from leitai.arena.base.models import Arena, ArenaKind
from leitai.arena.base.policies import actor, require_organizer
from leitai.arena.setup.models import Contestant, Criterion, Judge, JudgeGroup, SubmissionItem
from leitai.arena.setup.rubrics import DEFAULT_GROUPS, DEFAULT_TIE_BREAK, RUBRIC_TEMPLATES, template_criteria
from leitai.arena.setup.selectors import arena_date, heads_at
from leitai.core.errors import LeitaiError
from leitai.core.judging import flow as arena_flow
from leitai.core.judging.draw import draw_order, order_by_ranking
from leitai.core.judging.flow import WAITING
from leitai.core.judging.points import exact_number
from leitai.core.judging.tally import bonus_by_rank, parse_rubric
from leitai.core.tokens import hash_token, new_token
from leitai.indicators.models import Period
from leitai.rankings.models import Ranking


def _period(period) -> Period:
    if isinstance(period, Period):
        return period
    found = Period.objects.filter(code=str(period or "").strip()).first()
    if found is None:
        raise LeitaiError(f"考核期间 {period} 不存在", f"Period {period} does not exist")
    return found


def _check_bonus_rule(rule) -> dict | list:
    rule = rule or {}
    bonus_by_rank({}, rule)  # raises SpecError naming the bad key or value
    return rule


@transaction.atomic
def create_arena(user, *, name, kind, period, held_at=None, venue="", template="liubi", kind_label="",
                 speech_seconds=480, question_seconds=300, reveal_mode="each", bonus_rule=None, plan=None,
                 ask_seconds=120, quorum=3) -> Arena:
    """Create an arena with a rubric from a template, the default panel groups and the leaders' tie-break."""
    require_organizer(user)
    name = str(name or "").strip()
    if not name:
        raise LeitaiError("擂台赛名称不能为空", "An arena needs a name")
    if kind not in ArenaKind.values:
        raise LeitaiError(f"未知的擂台赛类型 {kind}", f"Unknown arena kind {kind}")
    if template not in RUBRIC_TEMPLATES:
        raise LeitaiError(f"未知的评分模板 {template}（可选 {'、'.join(RUBRIC_TEMPLATES)}）",
                          f"Unknown rubric template {template} (one of {', '.join(RUBRIC_TEMPLATES)})")
    if reveal_mode not in Arena.RevealMode.values:
        raise LeitaiError(f"未知的揭晓方式 {reveal_mode}", f"Unknown reveal mode {reveal_mode}")
    for label, value in (("陈述时限", speech_seconds), ("考问时限", question_seconds), ("每位提问时限", ask_seconds)):
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise LeitaiError(f"{label}应为正整数秒，实为 {value!r}", f"Time limits must be positive seconds, got {value!r}")
    _check_quorum(quorum)
    arena = Arena.objects.create(
        quorum=quorum, name=name, kind=kind, kind_label=str(kind_label or "").strip(), period=_period(period), held_at=held_at,
        venue=venue or "", speech_seconds=speech_seconds, question_seconds=question_seconds, ask_seconds=ask_seconds, reveal_mode=reveal_mode,
        bonus_rule=_check_bonus_rule(bonus_rule), plan=plan, tie_break=list(DEFAULT_TIE_BREAK), created_by=actor(user))
    for i, c in enumerate(template_criteria(template)):
        Criterion.objects.create(arena=arena, code=c["code"], name=c["name"], weight=c["weight"], max_score=c["max"],
                                 step=c.get("step"), sort_order=i)
    for i, g in enumerate(DEFAULT_GROUPS):
        JudgeGroup.objects.create(arena=arena, code=g["code"], name=g["name"], weight=g["weight"], trim=g["trim"],
                                  sort_order=i)
    record_event(arena, "arena_created", user, name=name, template=template)
    return arena


def _check_quorum(quorum) -> None:
    if isinstance(quorum, bool) or not isinstance(quorum, int) or not 0 <= quorum <= 100:
        raise LeitaiError(f"法定份数应为 0–100 的整数，实为 {quorum!r}", f"The quorum must be a whole number 0–100, got {quorum!r}")


@transaction.atomic
def set_quorum(arena, user, quorum: int) -> Arena:
    """法定份数: the sheets each judge group needs before a result is revealed or published without a reason
    (a group with fewer eligible judges needs all of them; 0 checks nothing). Until publication; logged."""
    require_organizer(user)
    arena = lock_arena(arena)
    refuse_if_published(arena)
    _check_quorum(quorum)
    previous = arena.quorum
    arena.quorum = quorum
    arena.save(update_fields=["quorum"])
    record_event(arena, "quorum_set", user, quorum=quorum, previous=previous)
    announce(arena)
    return arena


def _refuse_once_scored(arena) -> None:
    if arena.sheets.exists():
        raise LeitaiError("已有评委提交评分，评分规则不能再修改", "Sheets exist: the rubric can no longer change")


@transaction.atomic
def update_rubric(arena, user, criteria: list[dict], groups: list[dict], tie_break: list[str]) -> Arena:
    """Replace the rubric (criteria, groups, tie-break), checked by the core rules; refused once a sheet exists.

    criteria: [{code, name, weight, max, step?, description?}]; groups: [{code, name, weight, trim}].
    Groups are matched by code, so judges keep their group; a group that still has judges cannot go."""
    require_organizer(user)
    arena = lock_arena(arena)
    refuse_if_published(arena)
    _refuse_once_scored(arena)
    criteria, groups = list(criteria or []), list(groups or [])
    # The description is ours, not the core's; every other key goes to parse_rubric, which refuses
    # unknown ones (a misspelt "wieght" must not silently become weight 1).
    core_view = {
        "criteria": [{k: v for k, v in c.items() if k != "description"} if isinstance(c, dict) else c for c in criteria],
        "groups": groups,
        "tie_break": list(tie_break or []),
    }
    rubric = parse_rubric(core_view)
    by_code = {str(c["code"]).strip(): c for c in criteria}
    arena.criteria.all().delete()
    for i, c in enumerate(rubric.criteria):
        raw = by_code[c.code]
        Criterion.objects.create(arena=arena, code=c.code, name=str(raw.get("name") or c.code)[:60],
                                 description=str(raw.get("description") or "")[:200], weight=c.weight,
                                 max_score=c.max, step=c.step, sort_order=i)
    keep = set(rubric.group_codes)
    gone = arena.groups.exclude(code__in=keep)
    busy = [g.name for g in gone if g.judges.exists()]
    if busy:
        raise LeitaiError(f"评委组 {'、'.join(busy)} 中还有评委，不能删除", f"Group(s) {', '.join(busy)} still have judges")
    gone.delete()
    names = {str(g["code"]).strip(): str(g.get("name") or g["code"]) for g in groups}
    for i, g in enumerate(rubric.groups):
        JudgeGroup.objects.update_or_create(arena=arena, code=g.code, defaults={
            "name": names[g.code][:60], "weight": g.weight, "trim": g.trim, "sort_order": i})
    arena.tie_break = list(rubric.tie_break)
    arena.save(update_fields=["tie_break"])
    record_event(arena, "rubric_updated", user, criteria=rubric.criterion_codes, groups=rubric.group_codes,
                 tie_break=list(rubric.tie_break))
    return arena


def _refuse_after_start(arena) -> None:
    if arena.contestants.exclude(stage=WAITING).exists():
        raise LeitaiError("擂台赛已开始，不能再调整参赛单位和出场顺序",
                          "The arena has started: contestants and order can no longer change")


def _refuse_outside_plan(arena, units) -> None:
    """Points go to the ledger of the arena's plan at publication: a unit the plan does not rank could never
    receive them, so it is refused here, at set-up, and not at publication."""
    plan = arena.plan
    if plan is None:
        return
    outside = [u for u in units if u.kind not in plan.unit_kinds]
    if outside:
        names = "、".join(u.name for u in outside)
        raise LeitaiError(
            f"{names} 不参加考核方案“{plan.name}”的排名，擂台赛的加减分无法计入该方案。"
            f"请为本场选择包含这类单位的考核方案，或不选方案（由考绩办法把乡镇街道的成绩计入所属县市区）",
            f"{', '.join(u.name for u in outside)} are not ranked by plan {plan.code}: the arena's points could not "
            f"count in it. Choose a plan that ranks such units, or none (an assessment scheme can roll town results "
            f"up into their county)")


@transaction.atomic
def add_contestants(arena, user, units) -> list[Contestant]:
    """Add units as contestants, each presented by its head at the arena's date; they go last in the order."""
    require_organizer(user)
    arena = lock_arena(arena)
    refuse_if_published(arena)
    _refuse_after_start(arena)
    units = list(units)
    already = set(arena.contestants.values_list("unit_id", flat=True))
    dup = [u.name for u in units if u.pk in already]
    if dup or len({u.pk for u in units}) != len(units):
        raise LeitaiError(f"单位已在参赛名单中：{'、'.join(dup) or '名单中有重复单位'}",
                          f"Already contestants: {', '.join(dup) or 'a unit is listed twice'}")
    _refuse_outside_plan(arena, units)
    heads = heads_at(units, arena_date(arena))
    start = arena.contestants.count()
    added = []
    for i, unit in enumerate(units, 1):
        post = heads.get(unit.pk)
        added.append(Contestant.objects.create(arena=arena, unit=unit, person=post.person if post else None,
                                               title=post.title if post else "", order=start + i))
    record_event(arena, "contestants_added", user, units=[u.code for u in units])
    announce(arena)
    return added


@transaction.atomic
def set_order(arena, user, method, *, seed=None, ranking=None, manual=None) -> list[Contestant]:
    """Fix the order of presentation: a recorded, repeatable draw (抽签), a published ranking, or by hand."""
    require_organizer(user)
    arena = lock_arena(arena)
    refuse_if_published(arena)
    _refuse_after_start(arena)
    contestants = list(arena.contestants.select_related("unit"))
    by_code = {c.unit.code: c for c in contestants}
    if method == Arena.OrderMethod.DRAW:
        seed = str(seed).strip() if seed is not None and str(seed).strip() else secrets.token_hex(8)
        codes = draw_order(list(by_code), seed)
        arena.draw_seed, arena.order_ranking = seed, None
    elif method == Arena.OrderMethod.RANKING:
        if not isinstance(ranking, Ranking) or ranking.status != Ranking.Status.PUBLISHED:
            raise LeitaiError("请选择一份已发布的成绩单作为出场顺序依据", "Choose a published ranking to order by")
        ranks = {code: rank for code, rank in ranking.rows.values_list("unit__code", "rank")}
        codes = order_by_ranking(list(by_code), ranks)
        arena.order_ranking, arena.draw_seed = ranking, ""
    elif method == Arena.OrderMethod.MANUAL:
        ids = [int(x) for x in (manual or [])]
        if sorted(ids) != sorted(c.pk for c in contestants):
            raise LeitaiError("手工排序须恰好列出每个参赛单位一次", "A manual order must list every contestant exactly once")
        by_id = {c.pk: c for c in contestants}
        codes = [by_id[i].unit.code for i in ids]
        arena.order_ranking, arena.draw_seed = None, ""
    else:
        raise LeitaiError(f"未知的排序方式 {method}", f"Unknown order method {method}")
    arena.order_method = method
    arena.save(update_fields=["order_method", "draw_seed", "order_ranking"])
    ordered = [by_code[code] for code in codes]
    for n, c in enumerate(ordered, 1):
        if c.order != n:
            c.order = n
            c.save(update_fields=["order"])
    record_event(arena, "order_set", user, method=method, seed=arena.draw_seed, order=codes)
    announce(arena)
    return ordered


@transaction.atomic
def remove_contestant(contestant, user) -> list[Contestant]:
    """Take a contestant off the list while the arena is in set-up and nobody has scored or questioned it;
    returns the remaining contestants in their new order.

    The order closes up; after a draw it is drawn again with the recorded seed over the remaining units,
    so the published seed still reproduces the order. Its submission goes with it (counted in the log)."""
    require_organizer(user)
    arena = lock_arena(contestant.arena)
    contestant = Contestant.objects.select_for_update(of=("self",)).select_related("unit").get(pk=contestant.pk)
    name = contestant.unit.name
    if arena.status != Arena.Status.SETUP:
        raise LeitaiError(f"擂台赛已不在筹备阶段，不能再移出{name}",
                          f"The arena is past set-up: {contestant.unit.code} can no longer be removed")
    if contestant.sheets.exists():
        raise LeitaiError(f"已有评委为{name}评分，不能移出", f"Judges have scored {contestant.unit.code}: it stays")
    if any(rel.exists() for rel in (contestant.questions, contestant.comments, contestant.shortcomings)):
        raise LeitaiError(f"{name}已有考问、点评或短板记录，不能移出",
                          f"{contestant.unit.code} has questions, comments or shortcomings on record: it stays")
    items = SubmissionItem.objects.filter(submission__contestant=contestant).count()
    code = contestant.unit.code
    contestant.delete()
    rest = list(arena.contestants.select_related("unit").order_by("order", "id"))
    if arena.order_method == Arena.OrderMethod.DRAW and arena.draw_seed:
        by_code = {c.unit.code: c for c in rest}
        rest = [by_code[c] for c in draw_order(list(by_code), arena.draw_seed)]
    for n, c in enumerate(rest, 1):
        if c.order != n:
            c.order = n
            c.save(update_fields=["order"])
    record_event(arena, "contestant_removed", user, unit=code, submission_items=items,
                 order=[c.unit.code for c in rest])
    announce(arena)
    return rest


@transaction.atomic
def add_judge(arena, user, *, group, name, title="", unit=None, paper=False, recused_units=(), account=None) -> Judge:
    """Add a member of the panel; the anonymous code J001, J002… follows the order of creation per arena.

    unit: the judge's own unit (recused from it and any unit above or below it); recused_units: more units;
    account: the judge's sign-in account (role 评委), whose home then lists this arena."""
    require_organizer(user)
    arena = lock_arena(arena)
    refuse_if_published(arena)
    if not isinstance(group, JudgeGroup):
        group = arena.groups.filter(code=str(group)).first()
        if group is None:
            raise LeitaiError("评委组不存在", "No such judge group")
    if group.arena_id != arena.pk:
        raise LeitaiError("评委组不属于本场擂台赛", "The group belongs to another arena")
    name = str(name or "").strip()
    if not name:
        raise LeitaiError("评委姓名不能为空", "A judge needs a name")
    if account is not None and getattr(account, "role", None) != "judge":
        raise LeitaiError("评委账号须为“评委”角色的用户", "A judge's account must be a user with the judge role")
    codes = arena.judges.values_list("anon_code", flat=True)
    n = 1 + max((int(c[1:]) for c in codes if c[1:].isdigit()), default=0)
    judge = Judge.objects.create(arena=arena, group=group, name=name[:50], title=str(title or "")[:80], unit=unit,
                                 paper=bool(paper), sort_order=n, anon_code=f"J{n:03d}", account=account)
    if recused_units:
        judge.recused_units.set(recused_units)
    record_event(arena, "judge_added", user, judge=judge.anon_code, group=group.code, paper=judge.paper)
    announce(arena)
    return judge


def _new_link(judge, user, **payload) -> str:
    """Replace a judge's token with a new one (the arena locked, not published, not a paper judge) and return it."""
    lock_arena(judge.arena)
    judge = Judge.objects.select_for_update().get(pk=judge.pk)
    refuse_if_published(judge.arena)
    if judge.paper:
        raise LeitaiError(f"评委 {judge.name} 使用纸质评分，不发放手机评分链接",
                          f"Judge {judge.name} scores on paper and gets no phone link")
    raw = new_token()
    close_link_streams(judge.token_hash)  # the replaced link's phone stops following the arena
    judge.token_hash, judge.token_hint = hash_token(raw), raw[-4:]
    judge.token_issued_at, judge.token_revoked_at = timezone.now(), None
    judge.save(update_fields=["token_hash", "token_hint", "token_issued_at", "token_revoked_at"])
    record_event(judge.arena, "token_issued", user, judge=judge.anon_code, hint=judge.token_hint, **payload)
    announce(judge.arena)
    return raw


@transaction.atomic
def issue_token(judge, user) -> str:
    """Give a judge a new personal link token and return it (only this once; the database keeps its hash).

    Reissuing replaces the previous token, which stops working at once."""
    require_organizer(user)
    return _new_link(judge, user)


@transaction.atomic
def issue_own_token(judge, user) -> str:
    """A signed-in judge opens their own scoring page (from the judge's home): a new link for the judge whose
    account `user` is, as issue_token gives; the previous link (the printed card) stops working at once."""
    if not getattr(user, "is_authenticated", False) or judge.account_id != user.pk:
        raise LeitaiError("只能打开本人的评分页面", "Only your own scoring page can be opened")
    return _new_link(judge, user, by="judge")


@transaction.atomic
def revoke_token(judge, user) -> Judge:
    """Stop a judge's link from working (a lost phone): its pages, its submissions and its open live streams,
    which close at once; issue_token gives a new one."""
    require_organizer(user)
    lock_arena(judge.arena)
    judge = Judge.objects.select_for_update().get(pk=judge.pk)
    if judge.token_hash is None:
        raise LeitaiError(f"评委 {judge.name} 还没有评分链接", f"Judge {judge.name} has no link")
    if judge.token_revoked_at is None:
        judge.token_revoked_at = timezone.now()
        judge.save(update_fields=["token_revoked_at"])
        record_event(judge.arena, "token_revoked", user, judge=judge.anon_code)
        announce(judge.arena)
        close_link_streams(judge.token_hash)
    return judge


@transaction.atomic
def set_ranking_rules(arena, user, mode: str, points=None) -> Arena:
    """Choose scoring or 排序测评 and the points table, before any sheet or ranking exists."""
    require_organizer(user)
    arena = lock_arena(arena)
    refuse_if_published(arena)
    if mode not in arena_flow.MODES:
        raise LeitaiError("计分方式应为打分或排序测评", "The scoring must be score or rank")
    if arena.sheets.exists() or arena.rank_sheets.exists():
        raise LeitaiError("已有评分，计分方式不能再改", "Sheets exist: the scoring can no longer change")
    points = list(points or [])
    checked = [exact_number(p, f"赋分表第 {i} 项", f"points item {i}") for i, p in enumerate(points, 1)]
    if any(p < 0 for p in checked) or any(b > a for a, b in zip(checked, checked[1:], strict=False)):
        raise LeitaiError("名次赋分表应为不增的非负数（第 1 名最高）", "The points must not increase with rank and not be negative")
    arena.scoring_mode, arena.rank_points = mode, points
    arena.save(update_fields=["scoring_mode", "rank_points"])
    record_event(arena, "scoring_mode", user, mode=mode, points=points)
    return arena
