"""Writes for the assessment: schemes (every change logged), computing a draft, publishing (frozen), and
correcting a published assessment (a new version with a reason). Organizers only."""

from __future__ import annotations

import json

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from leitai.core.errors import LeitaiError
from leitai.core.io.assess import format_detail_csv, format_out_csv
from leitai.core.tracking.assessment import GRADE_LABELS, compute_assessment, parse_scheme, scheme_dict
from leitai.indicators.models import Period

from . import selectors
from .models import Assessment, Scheme, SchemeChange


def _require_organizer(user) -> None:
    from django.core.exceptions import PermissionDenied

    if user is None or not user.is_authenticated or not user.is_organizer:
        raise PermissionDenied("organizers only")


@transaction.atomic
def save_scheme(user, *, name, plan, year, spec, note="", scheme: Scheme | None = None) -> Scheme:
    """Create or change a scheme; its rules are validated by core and every change is logged."""
    _require_organizer(user)
    name = str(name or "").strip()
    if not name:
        raise LeitaiError("请填写考绩办法的名称", "The scheme needs a name")
    if plan is None:
        raise LeitaiError("请选择考核方案", "Choose the plan")
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise LeitaiError("年度应为 2000 到 2100 之间的整数", "The year must be between 2000 and 2100")
    canonical = scheme_dict(parse_scheme(spec))
    clash = Scheme.objects.filter(plan=plan, year=year).exclude(pk=scheme.pk if scheme else None).first()
    if clash:
        raise LeitaiError(f"考核方案“{plan.name}”{year} 年已有考绩办法“{clash.name}”",
                          f"Plan {plan.code} already has a scheme for {year}: {clash.name}")
    before = {"name": scheme.name, "plan": scheme.plan.code, "year": scheme.year, "spec": scheme.spec} if scheme else None
    if scheme is not None and (plan.pk != scheme.plan_id or year != scheme.year) and scheme.assessments.exclude(
            status=Assessment.Status.DRAFT).exists():
        raise LeitaiError("该考绩办法已有发布的考绩，考核方案和年度不能再改（可新建考绩办法）",
                          "Assessments of this scheme are published: its plan and year can no longer change")
    if scheme is None:
        scheme = Scheme.objects.create(name=name, plan=plan, year=year, spec=canonical, note=note, created_by=user)
    else:
        scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
        scheme.name, scheme.plan, scheme.year, scheme.spec, scheme.note = name, plan, year, canonical, note
        scheme.save()
    after = {"name": name, "plan": plan.code, "year": year, "spec": canonical}
    if before != after:
        SchemeChange.objects.create(scheme=scheme, before=before, after=after, by_user=user)
    return scheme


def _window(scheme: Scheme, period) -> Period:
    if period.kind not in ("quarter", "year"):
        raise LeitaiError("考绩按季度或年度计算", "An assessment covers a quarter or a year")
    if period.year != scheme.year:
        raise LeitaiError(f"期间 {period.code} 不在考绩办法的年度 {scheme.year} 内",
                          f"The period {period.code} is not in the scheme's year {scheme.year}")
    return period


def _result(inputs: dict) -> dict:
    """The stored result: rows with totals, ranks, grades, component points and traced lines."""
    facts = inputs
    result = compute_assessment(facts, parse_scheme(inputs["scheme"]))
    names = {u["code"]: u.get("name", u["code"]) for u in inputs["units"]}
    rows = []
    for r in result.rows:
        rows.append({
            "unit": r.unit, "name": names.get(r.unit, r.unit), "total": float(r.total), "rank": r.rank, "grade": r.grade,
            "components": {c: float(v) for c, v in r.components.items()}, "rollup": None if r.rollup is None else float(r.rollup),
            "lines": [{"component": ln.component, "zh": ln.zh, "en": ln.en, "points": None if ln.points is None else float(ln.points),
                       "ref": ln.ref} for ln in r.lines],
        })
    return {"rows": rows, "components": result.component_codes, "out_csv": format_out_csv(result),
            "detail_csv": format_detail_csv(result)}


@transaction.atomic
def compute(user, scheme: Scheme, period, as_of=None) -> Assessment:
    """Compute (or recompute) the draft of `scheme` for a quarter or the year from today's records."""
    _require_organizer(user)
    _window(scheme, period)
    as_of = as_of or timezone.localdate()
    inputs = selectors.facts(scheme, period, as_of)
    result = _result(inputs)
    existing = Assessment.objects.select_for_update().filter(scheme=scheme, period=period)
    draft = existing.filter(status=Assessment.Status.DRAFT).first()
    if draft is not None:
        draft.inputs, draft.result, draft.computed_by, draft.computed_at = inputs, result, user, timezone.now()
        draft.save()
        return draft
    version = (existing.aggregate(v=Max("version"))["v"] or 0) + 1
    if version > 1:
        raise LeitaiError("该期间的考绩已发布；如需更正，请使用“更正”并写明理由",
                          "This window's assessment is published: use “correct” with a reason")
    return Assessment.objects.create(scheme=scheme, period=period, version=version, inputs=inputs, result=result,
                                     computed_by=user)


@transaction.atomic
def correct(user, published: Assessment, reason: str, as_of=None) -> Assessment:
    """A correction of a published assessment: a new draft version, from today's records, with the reason."""
    _require_organizer(user)
    reason = str(reason or "").strip()
    if not reason:
        raise LeitaiError("更正须写明理由", "A correction needs a reason")
    published = Assessment.objects.select_for_update().get(pk=published.pk)
    if published.status != Assessment.Status.PUBLISHED:
        raise LeitaiError("只有已发布的考绩可以更正", "Only a published assessment can be corrected")
    if Assessment.objects.filter(scheme=published.scheme, period=published.period, status=Assessment.Status.DRAFT).exists():
        raise LeitaiError("已有待发布的更正版本", "A correction is already waiting to be published")
    inputs = selectors.facts(published.scheme, published.period, as_of or timezone.localdate())
    version = Assessment.objects.filter(scheme=published.scheme, period=published.period).aggregate(v=Max("version"))["v"] + 1
    return Assessment.objects.create(scheme=published.scheme, period=published.period, version=version, inputs=inputs,
                                     result=_result(inputs), reason=reason, computed_by=user)


@transaction.atomic
def publish(user, assessment: Assessment) -> Assessment:
    """Publish a draft: it is frozen; an earlier published version of the same window is marked corrected."""
    _require_organizer(user)
    a = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if a.status != Assessment.Status.DRAFT:
        raise LeitaiError("该考绩已发布", "This assessment is already published")
    for earlier in Assessment.objects.filter(scheme=a.scheme, period=a.period, status=Assessment.Status.PUBLISHED):
        earlier.status = Assessment.Status.SUPERSEDED
        earlier.save(update_fields=["status"])
    a.status, a.published_at, a.published_by = Assessment.Status.PUBLISHED, timezone.now(), user
    a.save(update_fields=["status", "published_at", "published_by"])
    return a


README = """{title}

inputs.json  考绩办法（scheme）和计入的全部来源：各月排名、加减分台账、承诺、整改事项、回头看
result.csv   发布的总分、名次、等次和各组成部分得分
detail.csv   每一分的来源

复算 / recompute:
    leitai assess compute --inputs inputs.json --out out.csv --detail out-detail.csv
out.csv 与 result.csv 逐字节一致 / out.csv equals result.csv byte for byte.
规则说明 / the rules: docs/assessment.md
"""


def export_bundle(a: Assessment) -> dict[str, bytes]:
    """inputs.json, result.csv, detail.csv and README.txt of a published assessment."""
    if a.status == Assessment.Status.DRAFT:
        raise LeitaiError("草稿不能导出，请先发布", "Publish the assessment before exporting it")
    return {
        "inputs.json": json.dumps(a.inputs, ensure_ascii=False, indent=1).encode("utf-8"),
        "result.csv": a.result["out_csv"].encode("utf-8"),
        "detail.csv": a.result["detail_csv"].encode("utf-8"),
        "README.txt": README.format(title=a.inputs.get("title", "")).encode("utf-8"),
    }


def grade_label(code: str, lang: str = "zh-hans") -> str:
    zh, en = GRADE_LABELS.get(code, (code, code))
    return en if lang.startswith("en") else zh

