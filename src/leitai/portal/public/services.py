"""Writes of the press release: a draft (chosen ranking and indicators), its publication (the values frozen)
and a correction (a new version with its reason; the corrected one is kept, marked superseded)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from leitai.core.errors import LeitaiError
from leitai.rankings.models import Ranking

from . import selectors
from .models import PressRelease


def _require_organizer(user) -> None:
    if user is None or not (user.is_authenticated and user.is_organizer):
        raise PermissionDenied("organizer only")


def _check(ranking: Ranking, codes: list[str]) -> list[str]:
    if ranking.status != Ranking.Status.PUBLISHED:
        raise LeitaiError("数据来源：只能选择已发布的排名（该排名已被更正或尚未发布），请重新选择",
                          "Source: only a published ranking can be chosen (this one was corrected or is not "
                          "published); choose again")
    known = {c["code"] for c in selectors.ranking_indicators(ranking)}
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise LeitaiError(f"发布的指标：{'、'.join(unknown)} 不在所选排名中",
                          f"Indicators: {', '.join(unknown)} are not in the chosen ranking")
    if not codes:
        raise LeitaiError("发布的指标：请至少选择一个指标", "Indicators: choose at least one")
    if len(codes) > selectors.MAX_RELEASE_INDICATORS:
        raise LeitaiError(f"发布的指标：最多 {selectors.MAX_RELEASE_INDICATORS} 个",
                          f"Indicators: at most {selectors.MAX_RELEASE_INDICATORS}")
    if len(set(codes)) != len(codes):
        raise LeitaiError("发布的指标：同一指标只能选一次", "Indicators: each indicator only once")
    return codes


@transaction.atomic
def create_draft(user, *, ranking: Ranking, codes: list[str], title: str, office: str,
                 corrects: PressRelease | None = None, reason: str = "") -> PressRelease:
    """A new draft; with `corrects` (a published release) and a reason, the draft of its next version."""
    _require_organizer(user)
    _check(ranking, codes)
    version = 1
    if corrects is not None:
        corrects = PressRelease.objects.select_for_update().get(pk=corrects.pk)
        if corrects.status != PressRelease.Status.PUBLISHED:
            raise LeitaiError("只能更正已发布的最新版本", "Only the published latest version can be corrected")
        if not reason.strip():
            raise LeitaiError("更正理由：请写明为何更正", "Reason: say why it is corrected")
        if PressRelease.objects.filter(corrects=corrects).exists():
            raise LeitaiError("该版本已有一份更正稿，请在那份草稿上修改",
                              "This version already has a correction draft: edit that draft")
        version = corrects.version + 1
    return PressRelease.objects.create(
        title=title.strip(), office=office.strip(), ranking=ranking, indicators=list(codes),
        table=selectors.release_table(ranking, codes), version=version, corrects=corrects,
        reason=reason.strip(), created_by=user)


@transaction.atomic
def update_draft(user, release: PressRelease, *, ranking: Ranking, codes: list[str], title: str, office: str,
                 reason: str = "") -> PressRelease:
    _require_organizer(user)
    release = PressRelease.objects.select_for_update().get(pk=release.pk)
    if release.status != PressRelease.Status.DRAFT:
        raise LeitaiError("已发布的稿件不能修改，请用“更正”生成新版本",
                          "A published release cannot be changed: correct it (a new version)")
    _check(ranking, codes)
    if release.corrects_id and not reason.strip():
        raise LeitaiError("更正理由：请写明为何更正", "Reason: say why it is corrected")
    release.ranking, release.indicators = ranking, list(codes)
    release.title, release.office, release.reason = title.strip(), office.strip(), reason.strip()
    release.table = selectors.release_table(ranking, codes)
    release.save()
    return release


@transaction.atomic
def publish(user, release: PressRelease) -> PressRelease:
    """Publish a draft: the values are taken again from its ranking (still published) and frozen; the version
    it corrects becomes superseded."""
    _require_organizer(user)
    release = PressRelease.objects.select_for_update().select_related("ranking").get(pk=release.pk)
    if release.status != PressRelease.Status.DRAFT:
        raise LeitaiError("只能发布草稿", "Only a draft can be published")
    _check(release.ranking, release.indicators)
    release.table = selectors.release_table(release.ranking, release.indicators)
    release.status = PressRelease.Status.PUBLISHED
    release.published_at, release.published_by = timezone.now(), user
    release.save()
    if release.corrects_id:
        old = PressRelease.objects.select_for_update().get(pk=release.corrects_id)
        old.status = PressRelease.Status.SUPERSEDED
        old.save(update_fields=["status"])
    return release
