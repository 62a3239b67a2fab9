"""The demo's 考绩: the county plan's 2024 scheme (monthly ranks to points, arenas, other bonus/deduction
items, pledges, items closed on time, follow-up satisfaction, awards, towns rolled up into their county), computed
for 2024Q4 and the whole of 2024 and published — all through the assessment services."""

from __future__ import annotations

from leitai.assessment import services
from leitai.indicators.services import ensure_period
from leitai.rankings.models import AssessmentPlan

PLAN = "county-hq"
SPEC = {
    "components": [
        {"code": "rank", "kind": "rank_points", "name": "月度排名赋分", "points": [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]},
        {"code": "arena", "kind": "ledger", "source": "arena", "name": "擂台赛"},
        {"code": "bonus", "kind": "ledger", "source": "other", "name": "加减分事项"},
        {"code": "pledges", "kind": "pledge_rate", "name": "承诺兑现", "max": 5},
        {"code": "items", "kind": "item_ontime", "name": "整改销号", "max": 5, "per_late": -0.5},
        {"code": "reviews", "kind": "review_satisfaction", "name": "回头看", "max": 5},
        {"code": "awards", "kind": "awards", "name": "表彰", "points": {"haitun": 1, "haigui": -1, "tupo": 2}},
    ],
    "rollup": {"kinds": ["town"], "weight": 0.2},
    "grades": {"excellent_share": 0.3, "good_share": 0.4, "poor_last": True},
}


def build_assessment(organizer, year: int = 2024) -> dict:
    plan = AssessmentPlan.objects.get(code=PLAN)
    scheme = services.save_scheme(organizer, name=f"{year}年度县市区高质量发展综合考绩", plan=plan, year=year, spec=SPEC,
                                  note="月月大比拼的名次赋分、季季大比武的擂台赛加减分、承诺兑现、整改销号和回头看满意度，"
                                       "乡镇街道的平均分按 0.2 计入所属县市区；海豚奖加 1 分、海龟奖减 1 分、重点工作突破奖加 2 分。")
    out = {"scheme": scheme.pk}
    for code in (f"{year}Q4", str(year)):
        a = services.publish(organizer, services.compute(organizer, scheme, ensure_period(code)))
        out[code] = a.pk
    out["year"] = out[str(year)]
    return out
