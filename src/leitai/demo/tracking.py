"""The demo's rectification lists: the published arena's shortcomings and pledges turned into managed items
and pledges, and a batch of business-help requests (助企服务问题) at every step of the workflow, dated
around today so the supervision dashboard has due-soon, overdue and closed items to show. All through the
tracking services, so every step is in the items' history."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from leitai.accounts.models import User
from leitai.arena.models import Arena
from leitai.core.periods import label
from leitai.core.tracking import rules as flow
from leitai.tracking import services
from leitai.tracking.base.notify import NullNotifier
from leitai.tracking.models import Item
from leitai.units.models import Unit

PROBLEMS = [
    "企业用电增容审批时间过长", "厂区周边道路破损影响物流车辆通行", "新建厂房消防验收排期过久",
    "中小企业贷款续贷手续繁琐", "园区污水管网接驳未完成", "高新技术企业认定材料重复提交",
    "外贸企业出口退税到账慢", "员工子女入学咨询渠道不畅", "项目用地规划调整久拖未决",
    "企业招工信息发布渠道少", "工业园区公交线路班次少", "政务服务大厅跨部门事项多头跑",
    "标准厂房租金补贴兑现滞后", "技改项目设备补助申报流程不清", "企业污染治理设施验收标准不明确",
    "夜间施工许可办理时间长", "物流园区货车停车位不足", "跨境电商企业报关指导不足",
]
DEMO_SUPERVISOR = "jiandu"  # the demo's 市民监督员 login (loader.DEMO_USERS)
COMPANIES = ["海川新材料科技有限公司", "东港精密制造有限公司", "临川食品股份有限公司", "西湖智能装备有限公司",
             "云溪跨境电商有限公司", "清河纺织集团", "望海港口物流有限公司", "北塘医药科技有限公司"]


def build_tracking(organizer, arena_id: int | None, seed: int) -> dict:
    """Items and pledges from the published arena, then 36 business-help requests in every state."""
    rng = random.Random(seed)
    today = timezone.localdate()
    out = {"arena_items": 0, "pledges": 0, "business_help": 0}
    if arena_id is not None:
        arena = Arena.objects.get(pk=arena_id)
        # 转入督办 as the organizer does it on the arena's page: every row as previewed.
        items, pledges = services.transfer(arena, organizer)
        out["arena_items"], out["pledges"] = len(items), len(pledges)
    reporters = {u.unit_id: u for u in User.objects.filter(role="reporter", unit__isnull=False)}
    counties = list(Unit.objects.filter(kind="county").order_by("sort_order", "code"))
    # Units with a demo reporter move their items along; the others' items wait (some become overdue).
    with_reporter = [u for u in counties if u.pk in reporters]
    others = [u for u in counties if u.pk not in reporters]
    # The visits behind the requests: the quarter of six weeks ago (items were assigned 20–90 days ago).
    visit_day = today - dt.timedelta(days=45)
    visit = f"{label(f'{visit_day.year}Q{(visit_day.month - 1) // 3 + 1}')}助企服务走访"
    for n in range(36):
        unit = with_reporter[n % len(with_reporter)] if n % 3 else others[n % len(others)]
        assigned = today - dt.timedelta(days=rng.randint(20, 90))
        deadline = assigned + dt.timedelta(days=rng.choice([30, 45, 60, 90]))
        item = services.create_item(
            organizer, title=rng.choice(PROBLEMS), unit=unit, deadline=deadline, source="business_help",
            description="企业在助企服务走访中反映，需责任单位限期解决并反馈。", priority=rng.choice(["high", "normal", "normal"]),
            measures=["明确专人对接企业", "制定解决方案并限时办结"], raised_by=rng.choice(COMPANIES),
            raised_contact=f"0571-8{rng.randint(1000000, 9999999)}", public=n % 2 == 0, assigned_on=assigned,
            source_ref=visit)
        reporter = reporters.get(unit.pk)
        step = (n // 3) % 6  # 0 assigned, 1 in progress, 2 requested, 3 returned, 4–5 closed
        if reporter is None or step == 0:
            continue
        services.act(reporter, item, "start")
        if step >= 2:
            services.act(reporter, item, "request_closeout", "已与企业对接，问题已解决，附现场照片和企业确认单。")
        if step == 3:
            services.act(organizer, item, "return", "整改佐证不足，请补充企业书面确认。")
        if step >= 4:
            services.act(organizer, item, "verify", "经核验，整改到位，同意销号。")
    out["business_help"] = 36
    out["reviews"] = build_reviews(organizer, seed)
    out["projects"] = build_projects(organizer, counties, arena_id, rng, today)
    report = services.run_supervision(today=today, notifier=NullNotifier())
    out["reminders"] = report.reminders
    return out


def build_reviews(organizer, seed: int) -> int:
    """A follow-up review round (回头看) over a seeded sample of the closed items, all assigned to the demo's
    citizen supervisor (jiandu), who has already judged the first one: their home shows the rest to do."""
    supervisor = User.objects.filter(username=DEMO_SUPERVISOR, role="supervisor").first()
    closed = Item.objects.filter(state=flow.CLOSED).count()
    if supervisor is None or not closed:
        return 0
    rnd = services.create_round(organizer, "2024年第四季度回头看", method="sample", sample_size=min(4, closed),
                                seed=f"海川-回头看-{seed}", supervisors=[supervisor])
    first = rnd.assignments.order_by("id").first()
    services.record_verdict(supervisor, first, "satisfied", "到企业现场查看，问题已解决，企业表示满意。")
    return rnd.assignments.count()


PROJECTS = ["智能制造产业园", "港口物流中心", "新能源电池生产基地", "生物医药产业园二期", "数字经济总部大楼",
            "冷链物流仓储中心", "高端装备制造基地", "文旅综合体", "城市更新片区改造", "现代农业产业园"]


BATCH_MONTHS_AGO = (10, 4)


def project_batches(today: dt.date) -> list[tuple[str, int]]:
    """The demo's two project batches as (name, months before today their signing starts), named after the
    year and half-year they were signed in: 2026-12-03 → 2026年第一批 (10 months ago), 2026年第二批 (4)."""
    out = []
    for months_ago in BATCH_MONTHS_AGO:
        day = today - dt.timedelta(days=30 * months_ago)
        out.append([day.year, 1 if day.month <= 6 else 2, months_ago])
    if out[0][:2] == out[1][:2]:  # both in one half-year: the first and the second of that year
        out[0][1], out[1][1] = 1, 2
    return [(f"{year}年第{'一' if n == 1 else '二'}批", months_ago) for year, n, months_ago in out]


def build_projects(organizer, counties, arena_id: int | None, rng: random.Random, today: dt.date) -> int:
    """Two batches of key projects per county (重大项目), through the import: some on schedule, some late,
    some completed; the first batch is shown at the published arena. Returns how many."""
    from leitai.tracking.projects import services as project_services

    lines = ["项目名称,责任单位,批次,计划总投资,已完成投资,计划签约,计划开工,计划竣工投产,实际签约,实际开工,实际竣工投产"]
    batches = project_batches(today)
    for unit in counties:
        for batch, months_ago in batches:
            for k in range(2):
                sign = today - dt.timedelta(days=30 * months_ago + rng.randint(0, 20))
                start = sign + dt.timedelta(days=rng.choice([60, 90, 120]))
                complete = start + dt.timedelta(days=rng.choice([240, 365, 540]))
                slip = rng.choice([0, 0, 10, 45, None])  # days late to start; None: not started yet
                actual_start = start + dt.timedelta(days=slip) if slip is not None and start + dt.timedelta(days=slip) <= today else None
                done = complete if actual_start and complete <= today and rng.random() < 0.7 else None
                planned = rng.choice([5, 8, 12, 20, 35])
                invested = planned if done else (round(planned * rng.uniform(0.1, 0.8), 1) if actual_start else 0)
                name = f"{unit.short_name or unit.name}{PROJECTS[(k * 5 + rng.randint(0, 4)) % len(PROJECTS)]}"
                lines.append(",".join(str(x) for x in (
                    name, unit.code, batch, planned, invested, sign, start, complete, sign, actual_start or "", done or "")))
    report = project_services.import_projects(organizer, "\n".join(lines).encode(), "demo-projects.csv", year=today.year)
    if not report["ok"]:
        raise RuntimeError(f"demo projects: {[p.message() for p in report['problems']]}")
    if arena_id is not None:
        project_services.show_at_arena(organizer, batches[0][0], Arena.objects.get(pk=arena_id))
    return len(report["created"])
