"""The quarterly press release (季度指标发布): chosen indicators of a published ranking, frozen when published.

A published release is never changed: a correction is a new version (with its reason) that supersedes it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from leitai.audit.kept import KeptManager, NeverDeleted


class PressRelease(NeverDeleted, models.Model):
    """A release of chosen indicators (e.g. 10, in the order chosen) for the units of a published ranking."""

    objects = KeptManager()

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        SUPERSEDED = "superseded", _("已被更正")

    title = models.CharField(_("标题"), max_length=120)
    office = models.CharField(_("发布单位"), max_length=60)
    ranking = models.ForeignKey("rankings.Ranking", verbose_name=_("数据来源（已发布的排名）"),
                                on_delete=models.PROTECT, related_name="+")
    indicators = models.JSONField(_("发布的指标"), help_text="indicator codes, in the order printed")
    table = models.JSONField(_("发布的数值"), default=dict,
                             help_text="{columns: [...], rows: [...]}: the values and ranks, frozen when published")
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("版本"), default=1)
    corrects = models.OneToOneField("self", verbose_name=_("更正的版本"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="correction")
    reason = models.TextField(_("更正理由"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        app_label = "portal"
        verbose_name = _("指标发布稿")
        verbose_name_plural = _("指标发布稿")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.title} v{self.version}"

    def save(self, *args, **kwargs):
        # Published is frozen: only the status may move on (to superseded).
        if self.pk is not None:
            stored = (PressRelease.objects.filter(pk=self.pk)
                      .values("status", "title", "office", "indicators", "table", "ranking_id").first())
            if stored and stored["status"] != self.Status.DRAFT and any(
                    stored[k] != getattr(self, k) for k in ("title", "office", "indicators", "table", "ranking_id")):
                raise ValueError("a published press release cannot be changed")
        super().save(*args, **kwargs)
