"""Assessment plans (versioned), bonus/deduction items, and published rankings that never change."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from leitai.audit.kept import KeptManager, NeverDeleted


class AssessmentPlan(models.Model):
    """考核方案: which units are ranked on what; its rules live in numbered, immutable versions."""

    code = models.CharField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    unit_kinds = models.JSONField(_("参评单位类型"), default=list, help_text=_("如 [\"county\", \"zone\"]"))
    description = models.TextField(_("说明"), blank=True)
    active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def current_version(self):
        return self.versions.order_by("-number").first()


class PlanVersion(NeverDeleted, models.Model):
    """One version of a plan's rules (the `spec`, see leitai.core.ranking.spec). Editing a plan adds a version."""

    objects = KeptManager()

    plan = models.ForeignKey(AssessmentPlan, on_delete=models.PROTECT, related_name="versions", verbose_name=_("考核方案"))
    number = models.PositiveIntegerField(_("版本号"))
    spec = models.JSONField(_("规则"))
    note = models.CharField(_("修订说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人"))

    class Meta:
        verbose_name = _("方案版本")
        verbose_name_plural = _("方案版本")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique")]

    def __str__(self):
        return f"{self.plan} v{self.number}"


class Adjustment(NeverDeleted, models.Model):
    """A bonus (+) or deduction (−) added to a unit's composite score, with its reason (加减分 / 考绩分数)."""

    objects = KeptManager()

    unit = models.ForeignKey("units.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="adjustments")
    period = models.ForeignKey("indicators.Period", verbose_name=_("期间"), on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(
        AssessmentPlan, verbose_name=_("考核方案"), null=True, blank=True, on_delete=models.PROTECT, related_name="adjustments"
    )
    points = models.FloatField(_("分值"))
    reason = models.CharField(_("事由"), max_length=200)
    source = models.CharField(_("来源"), max_length=40, default="manual", help_text="manual / arena:<id> / …")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人"))
    withdrawn = models.BooleanField(_("已撤销"), default=False)
    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("撤销人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("加减分事项")
        verbose_name_plural = _("加减分事项")
        ordering = ["-created_at"]


class Ranking(NeverDeleted, models.Model):
    """A computed ranking of a plan for a period. Once published it is frozen: inputs and spec are copied in."""

    objects = KeptManager()

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        SUPERSEDED = "superseded", _("已被替代")

    plan_version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="rankings", verbose_name=_("方案版本"))
    period = models.ForeignKey("indicators.Period", on_delete=models.PROTECT, related_name="rankings", verbose_name=_("期间"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    spec = models.JSONField(_("规则快照"))
    inputs = models.JSONField(_("数据快照"), help_text="[[unit_code, indicator_code, value|null], …]")
    report = models.JSONField(_("计算说明"), default=dict, help_text="dropped indicators, missing values, …")
    uncertainty = models.JSONField(_("排名区间参数"), default=dict, blank=True,
                                   help_text="{draws, seed, jitter, alternatives} of the rank intervals; {} = none")
    computed_at = models.DateTimeField(_("计算时间"), auto_now_add=True)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("计算人"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("发布人"))

    class Meta:
        verbose_name = _("排名")
        verbose_name_plural = _("排名")
        ordering = ["-period__start", "-computed_at"]

    def __str__(self):
        return f"{self.plan_version.plan} {self.period}"

    def save(self, *args, **kwargs):
        # A published ranking is frozen: only its status may move on (to superseded).
        if self.pk is not None:
            stored = Ranking.objects.filter(pk=self.pk).values("status", "spec", "inputs").first()
            if stored and stored["status"] != self.Status.DRAFT:
                if stored["spec"] != self.spec or stored["inputs"] != self.inputs:
                    raise ValueError("a published ranking cannot be changed")
        super().save(*args, **kwargs)


class RankingRow(models.Model):
    """One unit's line in a ranking (成绩单)."""

    ranking = models.ForeignKey(Ranking, on_delete=models.CASCADE, related_name="rows", verbose_name=_("排名"))
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    score = models.FloatField(null=True, verbose_name=_("得分"))
    base_score = models.FloatField(null=True, help_text="before bonus/deduction items", verbose_name=_("基础得分"))
    adjustment = models.FloatField(default=0, verbose_name=_("加减分"))
    rank = models.IntegerField(null=True, verbose_name=_("名次"))
    previous_rank = models.IntegerField(null=True, verbose_name=_("上期名次"))
    movement = models.IntegerField(null=True, help_text="previous rank − rank: positive moved up (进位)", verbose_name=_("位次变化"))
    median_rank = models.IntegerField(null=True, blank=True, verbose_name=_("名次中位数"))
    rank_lo = models.IntegerField(null=True, blank=True, verbose_name=_("90% 区间最好名次"),
                                  help_text="the best end of the 90 % rank interval")
    rank_hi = models.IntegerField(null=True, blank=True, verbose_name=_("90% 区间最差名次"),
                                  help_text="the worst end of the 90 % rank interval")
    group_intervals = models.JSONField(default=dict, blank=True, verbose_name=_("类别名次区间"),
                                       help_text="{top-level group: [rank, median, lo, hi]}")
    group_scores = models.JSONField(default=dict, verbose_name=_("类别得分"))
    indicator_scores = models.JSONField(default=dict, help_text="normalised value per indicator", verbose_name=_("单项得分"))
    indicator_ranks = models.JSONField(default=dict, verbose_name=_("单项名次"))
    missing = models.JSONField(default=list, verbose_name=_("缺失指标"))
    stars = models.JSONField(default=list, help_text="indicator codes that earned a star", verbose_name=_("摘星"))
    flags = models.JSONField(default=list, help_text="[{kind, code, label}]", verbose_name=_("旗帜"))
    weak = models.JSONField(default=list, help_text="weak indicator codes (短板), worst first", verbose_name=_("短板指标"))

    class Meta:
        verbose_name = _("排名行")
        verbose_name_plural = _("排名行")
        ordering = ["ranking", "rank", "unit__sort_order"]
        constraints = [models.UniqueConstraint(fields=["ranking", "unit"], name="ranking_row_unique")]


class RankingCorrection(NeverDeleted, models.Model):
    """A correction of a published ranking's bonus/deduction for one unit (who, why, old → new): the
    corrected ranking is a new published ranking (`to_ranking`, computed from the same frozen data), the
    one it corrects (`from_ranking`) is superseded and stays visible. The ledger gets the difference as an
    entry of its own (`adjustment`), so later rankings and the assessment count the corrected figure."""

    objects = KeptManager()

    from_ranking = models.ForeignKey(Ranking, verbose_name=_("被更正的排名"), on_delete=models.PROTECT,
                                     related_name="corrections_made")
    to_ranking = models.OneToOneField(Ranking, verbose_name=_("更正后的排名"), on_delete=models.PROTECT,
                                      related_name="correction")
    unit = models.ForeignKey("units.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    old_points = models.FloatField(_("原加减分"))
    new_points = models.FloatField(_("更正后的加减分"))
    reason = models.TextField(_("更正理由"))
    adjustment = models.ForeignKey(Adjustment, verbose_name=_("记入的加减分事项"), on_delete=models.PROTECT,
                                   related_name="+")
    at = models.DateTimeField(_("更正时间"), auto_now_add=True)
    by_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("更正人"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("排名更正")
        verbose_name_plural = _("排名更正")
        ordering = ["-at", "-id"]
