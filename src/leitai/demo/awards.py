"""The demo's 表彰: the office's award kinds (海豚奖 / 海龟奖 for each arena, red and yellow flags, the top three,
the last place and the most places gained in the county plan's monthly ranking, and the nominated ones:
突破奖, 成效突出奖, 先进集体, 先进个人, 优秀团队), granted by rule from the published arena and the latest
published ranking, a 招商专班 team with a member who left, one nomination approved and one waiting. All
through the awards services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from leitai.accounts.models import User
from leitai.arena.models import Arena
from leitai.awards import services
from leitai.awards.models import Recipient
from leitai.rankings.models import AssessmentPlan, Ranking
from leitai.units.models import Post, Unit

PLAN = "county-hq"
RULE_KINDS = [
    # code, name, English name, rule, n, citation
    ("haitun", "海豚奖", "Dolphin award", "arena_best", 1, "特授予海豚奖，以资鼓励。"),
    ("haigui", "海龟奖", "Turtle award", "arena_worst", 1, "特授予海龟奖，以资鞭策。"),
    ("hongqi", "月度红旗", "Monthly red flag", "flag_red", 1, ""),
    ("huangqi", "月度黄旗", "Monthly yellow flag", "flag_yellow", 1, "特授予黄旗，以资鞭策。"),
    ("qiansan", "月度前三名", "Monthly top three", "ranking_top", 3, ""),
    ("mowei", "月度末位", "Monthly last place", "ranking_bottom", 1, "特此通报，以资鞭策。"),
    ("jinwei", "进位之星", "Most places gained", "most_gained", 1, ""),
]
NOMINATION_KINDS = [
    ("tupo", "重点工作突破奖", "Breakthrough award", Recipient.UNIT),
    ("chengxiao", "成效突出奖", "Outstanding results award", Recipient.UNIT),
    ("xianjin-jiti", "季度先进集体", "Advanced collective of the quarter", Recipient.UNIT),
    ("xianjin-geren", "季度先进个人", "Advanced individual of the quarter", Recipient.PERSON),
    ("youxiu-tuandui", "季度优秀团队", "Excellent team of the quarter", Recipient.TEAM),
]


def build_awards(organizer, arena_id: int | None) -> dict:
    plan = AssessmentPlan.objects.get(code=PLAN)
    kinds = {}
    for n, (code, name, name_en, rule, size, citation) in enumerate(RULE_KINDS, 1):
        kinds[code] = services.save_kind(organizer, code=code, name=name, name_en=name_en, basis="rule", rule=rule,
                                         n=size, plan=None if rule.startswith("arena") else plan, citation=citation,
                                         sort_order=n)
    for n, (code, name, name_en, recipient) in enumerate(NOMINATION_KINDS, len(RULE_KINDS) + 1):
        kinds[code] = services.save_kind(organizer, code=code, name=name, name_en=name_en, basis="nomination",
                                         recipient=recipient, sort_order=n)
    out = {"kinds": len(kinds), "granted": 0}
    arena = Arena.objects.select_related("period").get(pk=arena_id) if arena_id is not None else None
    if arena is not None:
        out["granted"] += len(services.grant_from_arena(organizer, arena))
    latest = (Ranking.objects.filter(plan_version__plan=plan, status=Ranking.Status.PUBLISHED, period__kind="month")
              .select_related("period", "plan_version__plan").order_by("-period__start", "-id").first())
    if latest is not None:
        out["granted"] += len(services.grant_from_ranking(organizer, latest))
    # nominated for the published arena's quarter, dated its last day (the quarterly selection)
    today = timezone.localdate()
    period = arena.period if arena is not None else None
    day = min(today, period.end) if period is not None else today
    # 招商专班 of the first county: people in post there and in its towns, one of whom left the team
    counties = list(Unit.objects.filter(kind="county").order_by("sort_order", "code"))
    county = counties[0]
    team = services.save_team(organizer, name=f"{county.short_name or county.name}招商专班", unit=county,
                              note="重大招商项目全程代办")
    posts = list(Post.objects.filter(unit__in=[county, *county.children.all()]).select_related("person")
                 .order_by("-is_head", "start", "id"))
    people = []
    for p in posts:
        if p.person not in people:
            people.append(p.person)
    roles = ["组长", "副组长", "成员", "成员"]
    chosen = people[:4]
    for n, person in enumerate(chosen):
        m = services.add_member(organizer, team, person, start=day - dt.timedelta(days=400 - 30 * n), role=roles[n])
        if n == len(chosen) - 1 and n > 0:  # the last one left the team: the history keeps them
            services.end_membership(organizer, m, day - dt.timedelta(days=60))
    out["team"] = team.pk
    # 突破奖 nominated by the county's reporter and approved; 优秀团队 for the 招商专班 waiting for approval
    reporter = User.objects.filter(role="reporter", unit=county).order_by("id").first() or organizer
    approved = services.nominate(reporter, kinds["tupo"], recipient=Recipient.UNIT, unit=county, period=period, date=day,
                                 reason=f"{county.name}攻坚重大产业项目落地，本季度签约亿元以上项目 6 个，实现重点工作突破。")
    services.approve(organizer, approved, "经考核办审核，同意授予。")
    waiting = services.nominate(reporter, kinds["youxiu-tuandui"], recipient=Recipient.TEAM, team=team, period=period,
                                date=day,
                                reason="专班全程代办招商项目审批，平均办结时间缩短一半，季度引进项目数居全市第一。")
    out.update(approved=approved.pk, pending=waiting.pk)
    return out


