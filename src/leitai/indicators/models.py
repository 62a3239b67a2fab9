"""Indicators, periods, observations (with every revision kept) and annual targets."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from leitai.audit.kept import KeptManager, NeverDeleted
from leitai.lang import page_lang


class Direction(models.IntegerChoices):
    HIGHER = 1, _("越高越好")
    LOWER = -1, _("越低越好")


class ValueType(models.TextChoices):
    LEVEL = "level", _("当期值")
    YTD = "ytd", _("年初至今累计值")
    GROWTH = "growth", _("同比增速")
    RATE = "rate", _("比率")


class Frequency(models.TextChoices):
    MONTH = "month", _("月度")
    QUARTER = "quarter", _("季度")
    YEAR = "year", _("年度")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("月")
    QUARTER = "quarter", _("季")
    YEAR = "year", _("年")


class Category(models.Model):
    """A family of indicators, e.g. 经济发展, or one of Weifang's 五大比拼."""

    code = models.CharField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    sort_order = models.IntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("指标类别")
        verbose_name_plural = _("指标类别")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class Indicator(models.Model):
    """A measured quantity that units are compared on."""

    code = models.CharField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    name_en = models.CharField(_("英文名称"), max_length=160, blank=True)
    measure = models.CharField(_("计量单位"), max_length=20, blank=True, help_text=_("如 %、亿元、个"))
    direction = models.IntegerField(_("方向"), choices=Direction.choices, default=Direction.HIGHER)
    category = models.ForeignKey(Category, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="indicators")
    applies_to = models.JSONField(_("适用单位类型"), default=list, blank=True, help_text=_("单位类型列表，空表示全部"))
    frequency = models.CharField(_("频率"), max_length=10, choices=Frequency.choices, default=Frequency.MONTH)
    value_type = models.CharField(_("数值类型"), max_length=10, choices=ValueType.choices, default=ValueType.LEVEL)
    plausible_min = models.FloatField(_("合理下限"), null=True, blank=True)
    plausible_max = models.FloatField(_("合理上限"), null=True, blank=True)
    decimals = models.PositiveSmallIntegerField(_("小数位数"), default=2)
    description = models.TextField(_("说明"), blank=True)
    sort_order = models.IntegerField(_("排序"), default=0)
    active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["category__sort_order", "sort_order", "code"]

    def __str__(self):
        return self.name

    def applies(self, unit_kind: str) -> bool:
        return not self.applies_to or unit_kind in self.applies_to


class Period(models.Model):
    """A month, quarter or year; `code` is 2024-04, 2024Q1 or 2024."""

    code = models.CharField(_("编码"), max_length=10, unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=PeriodKind.choices)
    year = models.IntegerField(_("年份"))
    number = models.IntegerField(_("序号"), default=0, help_text=_("月份或季度；年度为 0"))
    start = models.DateField(_("开始"))
    end = models.DateField(_("结束"))

    class Meta:
        verbose_name = _("期间")
        verbose_name_plural = _("期间")
        ordering = ["start", "kind"]

    def __str__(self):

        from leitai.core.periods import label

        return label(self.code, lang=page_lang())  # "Apr 2024" when the UI is English


class ObservationStatus(models.TextChoices):
    PROVISIONAL = "provisional", _("初步数")
    FINAL = "final", _("最终数")


class Observation(models.Model):
    """The value of one indicator for one unit in one period."""

    unit = models.ForeignKey("units.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="observations")
    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="observations")
    period = models.ForeignKey(Period, verbose_name=_("期间"), on_delete=models.PROTECT, related_name="observations")
    value = models.FloatField(_("数值"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=ObservationStatus.choices, default=ObservationStatus.PROVISIONAL)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("更新人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("观测值")
        verbose_name_plural = _("观测值")
        constraints = [models.UniqueConstraint(fields=["unit", "indicator", "period"], name="observation_unique")]
        indexes = [models.Index(fields=["period", "indicator"])]

    def __str__(self):
        return f"{self.unit} {self.indicator} {self.period}: {self.value}"


class ObservationRevision(NeverDeleted, models.Model):
    """One change to an observation: never deleted, so every figure's history can be shown."""

    objects = KeptManager()

    observation = models.ForeignKey(Observation, on_delete=models.PROTECT, related_name="revisions")
    old_value = models.FloatField(null=True, blank=True)
    new_value = models.FloatField(null=True, blank=True)
    old_status = models.CharField(max_length=12, blank=True)
    new_status = models.CharField(max_length=12, blank=True)
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=40, blank=True, help_text="web / import:<batch id> / api / demo")
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("修订记录")
        verbose_name_plural = _("修订记录")
        ordering = ["changed_at", "id"]


class AnnualTarget(NeverDeleted, models.Model):
    """A unit's target for an indicator for a year (the figure 双过半 and pledges are measured against)."""

    objects = KeptManager()

    unit = models.ForeignKey("units.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="targets")
    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="targets")
    year = models.IntegerField(_("年份"))
    value = models.FloatField(_("目标值"))

    class Meta:
        verbose_name = _("年度目标")
        verbose_name_plural = _("年度目标")
        constraints = [models.UniqueConstraint(fields=["unit", "indicator", "year"], name="target_unique")]


class ImportBatch(NeverDeleted, models.Model):
    """One upload of a statistics file: checked in the queue (checking), previewed, then confirmed and written
    in the queue (committing), whole or not at all."""

    objects = KeptManager()

    class Status(models.TextChoices):
        CHECKING = "checking", _("校验中")
        PREVIEW = "preview", _("待确认")
        COMMITTING = "committing", _("导入中")
        COMMITTED = "committed", _("已导入")
        REJECTED = "rejected", _("有错误")
        CANCELLED = "cancelled", _("已取消")

    file_name = models.CharField(_("文件名"), max_length=255)
    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/", blank=True)
    shape = models.CharField(_("格式"), max_length=10, blank=True)
    period = models.ForeignKey(Period, verbose_name=_("期间"), null=True, blank=True, on_delete=models.PROTECT)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PREVIEW)
    row_count = models.IntegerField(_("行数"), default=0)
    created_count = models.IntegerField(_("新增"), default=0)
    changed_count = models.IntegerField(_("修改"), default=0)
    report = models.JSONField(_("校验报告"), default=list, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    committed_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-created_at"]


# External reference series (对标): the province's average, a unit's provincial rank, a named peer outside the
# city — held beside the city's own data, imported through the same pipeline, every change kept.

class ReferenceKind(models.TextChoices):
    AVERAGE = "average", _("全省平均")
    RANK = "rank", _("全省排名")
    PEER = "peer", _("外地对标单位")


class ReferencePeer(NeverDeleted, models.Model):
    """A named unit outside the city that units hold themselves against (江苏邳州经济开发区), with the city's
    units that 对标 it."""

    objects = KeptManager()

    name = models.CharField(_("名称"), max_length=100, unique=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    units = models.ManyToManyField("units.Unit", verbose_name=_("对标的本市单位"), blank=True, related_name="peers")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("外地对标单位")
        verbose_name_plural = _("外地对标单位")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Reference(models.Model):
    """One reference figure for an indicator and a period.

    - 全省平均 (average): `value`, no unit, no peer — the province's figure at the indicator's level.
    - 全省排名 (rank): a city unit's place in the province, `unit` set, `rank` (1 = first), `total` (of how many,
      optional) and its `value` (optional: the province may publish only the place).
    - 外地对标单位 (peer): the peer's `value`.
    Changed only by the services, which write a ReferenceRevision for every change."""

    kind = models.CharField(_("类型"), max_length=10, choices=ReferenceKind.choices)
    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="references")
    period = models.ForeignKey(Period, verbose_name=_("期间"), on_delete=models.PROTECT, related_name="references")
    unit = models.ForeignKey("units.Unit", verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="references")
    peer = models.ForeignKey(ReferencePeer, verbose_name=_("外地对标单位"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="references")
    value = models.FloatField(_("数值"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("全省名次"), null=True, blank=True)
    total = models.PositiveIntegerField(_("参与排名数"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("更新人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("参照数据")
        verbose_name_plural = _("参照数据")
        ordering = ["indicator", "period__start", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], condition=models.Q(kind="average"),
                                    name="reference_one_average"),
            models.UniqueConstraint(fields=["indicator", "period", "unit"], condition=models.Q(kind="rank"),
                                    name="reference_one_rank"),
            models.UniqueConstraint(fields=["indicator", "period", "peer"], condition=models.Q(kind="peer"),
                                    name="reference_one_peer"),
            models.CheckConstraint(
                condition=(models.Q(kind="average", unit__isnull=True, peer__isnull=True)
                           | models.Q(kind="rank", unit__isnull=False, peer__isnull=True, rank__isnull=False)
                           | models.Q(kind="peer", unit__isnull=True, peer__isnull=False)),
                name="reference_shape"),
        ]

    def __str__(self):
        who = self.unit or self.peer or self.get_kind_display()
        return f"{who} {self.indicator} {self.period}"


class ReferenceRevision(NeverDeleted, models.Model):
    """One change to a reference figure (its creation included): never deleted."""

    objects = KeptManager()

    reference = models.ForeignKey(Reference, on_delete=models.PROTECT, related_name="revisions")
    old_value = models.FloatField(null=True, blank=True)
    new_value = models.FloatField(null=True, blank=True)
    old_rank = models.PositiveIntegerField(null=True, blank=True)
    new_rank = models.PositiveIntegerField(null=True, blank=True)
    old_total = models.PositiveIntegerField(null=True, blank=True)
    new_total = models.PositiveIntegerField(null=True, blank=True)
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    source = models.CharField(max_length=40, blank=True, help_text="web / import:<batch id> / api / demo")
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("参照数据修订记录")
        verbose_name_plural = _("参照数据修订记录")
        ordering = ["changed_at", "id"]
