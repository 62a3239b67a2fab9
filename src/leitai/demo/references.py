"""The demo's reference series: the province's averages of a handful of indicators for every demo month, the
counties' provincial places in the last month, one outside peer (江苏邳州经济开发区, held up to the first
development zone) — imported through the data import like any office's file — and one pledge held against
the province's average (超过全省平均), judged with its numbers."""

from __future__ import annotations

import random

from leitai import exports
from leitai.indicators import services as data
from leitai.indicators.models import Indicator, Observation, Period
from leitai.tracking import services as tracking
from leitai.units.models import Unit

AVERAGED = ["gdp_growth", "ind_va_growth", "fai_growth", "retail_growth"]
PEER = "江苏邳州经济开发区"
RANKED = "gdp_growth"
PROVINCE_COUNTIES = 90


def latest_months() -> list[Period]:
    """The demo months that have figures (the tracking and the arenas also create later periods)."""
    return list(Period.objects.filter(kind="month", observations__indicator__code__in=AVERAGED).distinct()
                .order_by("start"))


def reference_workbook(seed: int) -> bytes:
    """The 参照数据 sheet an office would fill in, built from the loaded demo figures."""
    import openpyxl

    rng = random.Random(seed + 12)
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=AVERAGED)}
    months = latest_months()
    zone = Unit.objects.filter(kind="zone").order_by("sort_order", "code").first()
    values: dict = {}
    for unit_id, kind, code, period_id, value in Observation.objects.filter(
            indicator__code__in=AVERAGED, unit__kind__in=["county", "zone"], value__isnull=False).values_list(
            "unit_id", "unit__kind", "indicator__code", "period_id", "value"):
        values.setdefault((code, period_id), []).append((unit_id, kind, value))
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "参照数据"
    ws.append(["参照类型", "单位", "指标", "期间", "数值", "排名", "参与排名数", "对标单位"])
    for month in months:
        for code in AVERAGED:
            found = values.get((code, month.pk))
            if not found:
                continue
            mean = sum(v for _u, _k, v in found) / len(found)
            ws.append(["全省平均", None, indicators[code].name, month.code, round(mean - 0.4 + rng.uniform(-0.5, 0.5), 1)])
            own = next((v for u, _k, v in found if zone is not None and u == zone.pk), None)
            if own is not None:
                ws.append(["对标单位", zone.name if month == months[0] else None, indicators[code].name, month.code,
                           round(own + 1.2 + rng.uniform(-0.8, 0.8), 1), None, None, PEER])
    if months:
        last = months[-1]
        counties = sorted(((v, u) for u, k, v in values.get((RANKED, last.pk), []) if k == "county"), reverse=True)
        names = dict(Unit.objects.filter(pk__in=[u for _v, u in counties]).values_list("pk", "name"))
        for n, (value, unit_id) in enumerate(counties):
            ws.append(["全省排名", names[unit_id], indicators[RANKED].name, last.code, value, 1 + n * 7, PROVINCE_COUNTIES])
    return exports.save(book)


def build_references(organizer, seed: int) -> dict:
    batch = data.preview_import(reference_workbook(seed), "2024年全省参照数据.xlsx", organizer)
    if batch.status != batch.Status.PREVIEW:
        raise RuntimeError(f"the demo's reference file was rejected: {batch.report.get('problems', [])[:3]}")
    batch = data.commit_import(batch, organizer)
    out = {"references": batch.row_count, "pledges": 0}
    donggang = Unit.objects.filter(users__username="donggang").first() or Unit.objects.filter(kind="county").first()
    months = latest_months()
    last = months[-1] if months else None
    if donggang is not None and last is not None:
        tracking.create_pledge(organizer, unit=donggang, text=f"{last.year}年规上工业增加值增速超过全省平均水平",
                               indicator=Indicator.objects.get(code="ind_va_growth"), reference="average",
                               deadline=last, made_on=last.start)
        tracking.judge_pledges()
        out["pledges"] = 1
    return out
