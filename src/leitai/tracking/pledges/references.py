"""Pledges held against a reference series (对标): 超过全省平均, 达到全省前N, 超过<外地对标单位>. Judged when the
deadline period has ended and both figures are in — the unit's own value and the reference figure (for a
rank, the unit's provincial place) — by the pure rules of core.tracking.pledges; the verdict's note gives
the numbers."""

from __future__ import annotations

from django.utils import timezone

from leitai.core.errors import LeitaiError
from leitai.core.periods import label as period_label
from leitai.core.tracking import pledges as rules
from leitai.indicators.models import Observation, Reference, ReferenceKind

from ..base.services import notify
from ..models import Pledge


def checked_reference(indicator, reference: str, target_value, deadline, peer) -> dict:
    """The checked fields of a pledge against a reference (LeitaiError naming what is missing)."""
    if reference not in (ReferenceKind.AVERAGE, ReferenceKind.RANK, ReferenceKind.PEER):
        raise LeitaiError(f"对标方式“{reference}”无法识别（超过全省平均、达到全省前N、超过外地对标单位）",
                          f"Unknown reference '{reference}' (average, rank or peer)")
    if indicator is None:
        raise LeitaiError("对标的承诺须关联指标", "A pledge against a reference needs an indicator")
    if deadline is None:
        raise LeitaiError("对标的承诺须写明兑现期限（期间）", "A pledge against a reference needs a deadline period")
    top = None
    if reference == ReferenceKind.RANK:
        if isinstance(target_value, bool) or not isinstance(target_value, int | float) or target_value < 1 \
                or not float(target_value).is_integer():
            raise LeitaiError("“达到全省前N”须写明 N（正整数）", "A top-N pledge needs N, a whole number from 1")
        top = float(target_value)
    if reference == ReferenceKind.PEER and peer is None:
        raise LeitaiError("“超过外地对标单位”须写明对标单位", "A pledge against a peer needs the peer")
    return {"reference": reference, "reference_peer": peer if reference == ReferenceKind.PEER else None,
            "comparison": "", "target_value": top}


def judge_reference_pledges(today=None, period=None) -> list[Pledge]:
    """Judge pending pledges against a reference whose deadline period has ended and whose figures are in
    (only those due in `period` when given); returns the pledges judged. Runs in the caller's transaction."""
    today = today or timezone.localdate()
    qs = (Pledge.objects.select_for_update(of=("self",))
          .filter(status=Pledge.Status.PENDING, indicator__isnull=False, deadline__isnull=False,
                  deadline__end__lte=today).exclude(reference="")
          .select_related("indicator", "deadline", "reference_peer"))
    if period is not None:
        qs = qs.filter(deadline=period)
    judged = []
    now = timezone.now()
    for p in qs:
        ind = p.indicator
        refs = Reference.objects.filter(indicator=ind, period=p.deadline, kind=p.reference)
        if p.reference == ReferenceKind.RANK:
            ref = refs.filter(unit=p.unit).first()
            if ref is None:
                continue
            figure, against = ref.rank, int(p.target_value or 1)
        else:
            ref = refs.filter(peer=p.reference_peer).first() if p.reference == ReferenceKind.PEER else refs.first()
            figure = Observation.objects.filter(unit=p.unit, indicator=ind, period=p.deadline,
                                                value__isnull=False).values_list("value", flat=True).first()
            if ref is None or ref.value is None or figure is None:
                continue
            against = ref.value
        p.status = rules.reference_verdict(p.reference, figure, against, ind.direction)
        zh, en = rules.explain_reference(
            p.reference, p.status, what=ind.name, what_en=ind.name_en or ind.name,
            period=period_label(p.deadline.code), period_en=period_label(p.deadline.code, lang="en"),
            figure=figure, reference=against, measure=ind.measure, direction=ind.direction, top=p.target_value,
            peer=p.reference_peer.name if p.reference_peer_id else "", total=ref.total)
        p.verdict_value, p.verdict_at, p.verdict_by = float(figure), now, None
        p.verdict_note, p.verdict_note_en = zh, en
        p.save(update_fields=["status", "verdict_value", "verdict_note", "verdict_note_en", "verdict_at", "verdict_by"])
        judged.append(p)
        notify(f"承诺核验：{p.text[:60]}——{zh}", text_en=f"Pledge judged: {p.text[:60]} — {en}", unit=p.unit)
    return judged
