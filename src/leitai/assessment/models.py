"""考绩: a scheme (考核办法) per plan and year, and the assessments computed from it for a quarter or a year.
A published assessment is frozen (its scheme and every fact it counted are copied in); a correction is a
new version with a reason. Nothing is deleted."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from leitai.audit.kept import KeptManager, NeverDeleted


class Scheme(models.Model):
    """考核办法: how one plan's year of results becomes one score per unit (core.assessment's spec)."""

    name = models.CharField(_("名称"), max_length=100)
    plan = models.ForeignKey("rankings.AssessmentPlan", verbose_name=_("考核方案"), on_delete=models.PROTECT,
                             related_name="schemes")
    year = models.PositiveIntegerField(_("年度"))
    spec = models.JSONField(_("考绩规则"))
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("创建时间"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("更新时间"))

    class Meta:
        verbose_name = _("考绩办法")
        verbose_name_plural = _("考绩办法")
        ordering = ["-year", "plan", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "year"], name="one_scheme_per_plan_and_year")]

    def __str__(self):
        return self.name


class SchemeChange(NeverDeleted, models.Model):
    """Every change of a scheme's rules: who, when, before and after."""

    objects = KeptManager()

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="changes", verbose_name=_("考绩方案"))
    before = models.JSONField(null=True, verbose_name=_("修改前"))
    after = models.JSONField(verbose_name=_("修改后"))
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("时间"))
    by_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("操作人"))

    class Meta:
        verbose_name = _("考绩方案修改记录")
        verbose_name_plural = _("考绩方案修改记录")
        ordering = ["scheme", "at", "id"]


class Assessment(NeverDeleted, models.Model):
    """One computation of a scheme over a window (a quarter or the year): draft, then published (frozen)."""

    objects = KeptManager()

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        SUPERSEDED = "superseded", _("已被更正")

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("考绩方案"))
    period = models.ForeignKey("indicators.Period", verbose_name=_("考核期间"), on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("版本"), default=1)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    reason = models.TextField(_("更正理由"), blank=True)
    inputs = models.JSONField(_("计算依据"), help_text="INPUTS.json: the scheme and every fact counted")
    result = models.JSONField(_("结果"), default=dict)
    computed_at = models.DateTimeField(_("计算时间"), auto_now_add=True)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("计算人"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("发布人"))

    class Meta:
        verbose_name = _("考绩")
        verbose_name_plural = _("考绩")
        ordering = ["-period__start", "scheme", "-version"]
        constraints = [models.UniqueConstraint(fields=["scheme", "period", "version"], name="assessment_version_unique")]

    def __str__(self):
        return f"{self.scheme} {self.period.code} v{self.version}"

    def save(self, *args, **kwargs):
        # Published is frozen: only the status may move on (to superseded).
        if self.pk is not None:
            stored = Assessment.objects.filter(pk=self.pk).values("status", "inputs", "result").first()
            if stored and stored["status"] != self.Status.DRAFT and (
                    stored["inputs"] != self.inputs or stored["result"] != self.result):
                raise ValueError("a published assessment cannot be changed")
        super().save(*args, **kwargs)
