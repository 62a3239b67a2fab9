"""What is set up before the day: the rubric, the panel and its judges (with their tokens), the contestants
and their submissions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from leitai.arena.base.models import Arena
from leitai.audit.kept import KeptManager, NeverDeleted
from leitai.core.judging import flow as arena_flow


class Criterion(models.Model):
    """A rubric criterion: weighted, with a maximum and a step (e.g. 0.5)."""

    arena = models.ForeignKey(Arena, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("擂台赛"))
    code = models.CharField(_("编码"), max_length=20)
    name = models.CharField(_("名称"), max_length=60)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    weight = models.FloatField(_("权重"), default=1)
    max_score = models.FloatField(_("满分"), default=10)
    step = models.FloatField(_("最小分差"), null=True, blank=True)
    sort_order = models.IntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("评分项")
        verbose_name_plural = _("评分项")
        ordering = ["arena", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["arena", "code"], name="criterion_code_unique")]

    def __str__(self):
        return self.name


class JudgeGroup(models.Model):
    """A group of judges (city leaders, representatives of society, media…) with its weight and trimming."""

    arena = models.ForeignKey(Arena, on_delete=models.CASCADE, related_name="groups", verbose_name=_("擂台赛"))
    code = models.CharField(_("编码"), max_length=20)
    name = models.CharField(_("名称"), max_length=60)
    weight = models.FloatField(_("权重"), default=1)
    trim = models.PositiveIntegerField(_("去掉最高最低分各几个"), default=0)
    sort_order = models.IntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("评委组")
        verbose_name_plural = _("评委组")
        ordering = ["arena", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["arena", "code"], name="judge_group_code_unique")]

    def __str__(self):
        return self.name


# The Chinese labels of core.arena_flow.LABELS, marked for translation here (core has no Django).
STAGE_CHOICES = [
    (arena_flow.WAITING, _("候场")),
    (arena_flow.ON_STAGE, _("登台")),
    (arena_flow.SPEECH, _("陈述")),
    (arena_flow.QUESTIONS, _("考问")),
    (arena_flow.SCORING_OPEN, _("评分中")),
    (arena_flow.SCORING_CLOSED, _("评分结束")),
    (arena_flow.REVEALED, _("已揭晓")),
]


class Contestant(models.Model):
    """A unit on the arena's stage, presented by its head at that date."""

    arena = models.ForeignKey(Arena, on_delete=models.CASCADE, related_name="contestants", verbose_name=_("擂台赛"))
    unit = models.ForeignKey("units.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("units.Person", verbose_name=_("登台人"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    title = models.CharField(_("职务"), max_length=50, blank=True)
    order = models.PositiveIntegerField(_("出场顺序"), default=0)
    stage = models.CharField(_("环节"), max_length=16, default=arena_flow.WAITING,
                             choices=STAGE_CHOICES)
    stage_changed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("环节切换时间"))
    speech_started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("发言开始时间"))
    scoring_opened_at = models.DateTimeField(null=True, blank=True, verbose_name=_("评分开始时间"))
    scoring_closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("评分截止时间"))
    score = models.FloatField(null=True, blank=True, verbose_name=_("得分"))
    rank = models.IntegerField(null=True, blank=True, verbose_name=_("名次"))
    group_scores = models.JSONField(default=dict, blank=True, verbose_name=_("类别得分"))
    # The page of the slides on the big screen (0: none) and the slides' page count, set from the console.
    slide_page = models.PositiveIntegerField(default=0, verbose_name=_("当前页"))
    slide_pages = models.PositiveIntegerField(default=0, verbose_name=_("页数"))

    class Meta:
        verbose_name = _("参赛单位")
        verbose_name_plural = _("参赛单位")
        ordering = ["arena", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["arena", "unit"], name="contestant_unit_unique")]

    def __str__(self):
        return f"{self.unit}"


class Submission(models.Model):
    """What a contestant's reporter submits before the day; locked at the organizer's deadline."""

    contestant = models.OneToOneField(Contestant, on_delete=models.CASCADE, related_name="submission", verbose_name=_("参赛单位"))
    slides = models.FileField(_("汇报材料（PDF）"), upload_to="arena/slides/%Y/", blank=True)
    slides_name = models.CharField(max_length=200, blank=True, verbose_name=_("演示文稿名称"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("更新时间"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("更新人"))
    locked = models.BooleanField(_("已锁定"), default=False)

    class Meta:
        verbose_name = _("参赛材料")
        verbose_name_plural = _("参赛材料")


class SubmissionItem(models.Model):
    """One line of a submission: a highlight, a shortcoming, a measure or a pledge (with a checkable target)."""

    class Kind(models.TextChoices):
        HIGHLIGHT = "highlight", _("亮点项目")
        SHORTCOMING = "shortcoming", _("短板问题")
        MEASURE = "measure", _("举措")
        PLEDGE = "pledge", _("承诺（军令状）")

    class Comparison(models.TextChoices):
        GE = "ge", "≥"
        LE = "le", "≤"
        EQ = "eq", "="

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="items", verbose_name=_("申报材料"))
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("内容"))
    indicator = models.ForeignKey("indicators.Indicator", verbose_name=_("指标"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    comparison = models.CharField(_("比较"), max_length=2, choices=Comparison.choices, blank=True)
    target_value = models.FloatField(_("目标值"), null=True, blank=True)
    deadline = models.ForeignKey("indicators.Period", verbose_name=_("期限"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    sort_order = models.IntegerField(default=0, verbose_name=_("排序"))

    class Meta:
        verbose_name = _("材料条目")
        verbose_name_plural = _("材料条目")
        ordering = ["submission", "kind", "sort_order", "id"]


class SubmissionVersion(NeverDeleted, models.Model):
    """Every saved state of a submission, numbered from 1 (its lines as they were, and the slides' name): saving
    replaces the lines, never the versions before. Version 1 of a submission saved before versions were kept
    is its state as found at its next save."""

    objects = KeptManager()

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions", verbose_name=_("申报材料"))
    number = models.PositiveIntegerField(_("版本"))
    items = models.JSONField(_("材料条目"), default=list,
                             help_text="[{kind, text, indicator, comparison, target_value, deadline}]")
    slides_name = models.CharField(_("汇报材料"), max_length=200, blank=True)
    saved_at = models.DateTimeField(_("保存时间"), auto_now_add=True)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("保存人"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("参赛材料版本")
        verbose_name_plural = _("参赛材料版本")
        ordering = ["submission", "number"]
        constraints = [models.UniqueConstraint(fields=["submission", "number"], name="submission_version_unique")]


class Judge(models.Model):
    """A member of the panel. Scores from a phone through a personal link whose secret token is stored
    hashed; or on paper, entered by staff and confirmed by a second staff member."""

    arena = models.ForeignKey(Arena, on_delete=models.CASCADE, related_name="judges", verbose_name=_("擂台赛"))
    group = models.ForeignKey(JudgeGroup, verbose_name=_("评委组"), on_delete=models.PROTECT, related_name="judges")
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职务/身份"), max_length=80, blank=True)
    unit = models.ForeignKey("units.Unit", verbose_name=_("所属单位（回避）"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+",
                             help_text=_("与参赛单位有关联的评委不能为该单位打分"))
    recused_units = models.ManyToManyField("units.Unit", verbose_name=_("另需回避的单位"), blank=True, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, verbose_name=_("口令哈希"))
    token_hint = models.CharField(max_length=8, blank=True, verbose_name=_("口令提示"))
    token_issued_at = models.DateTimeField(null=True, blank=True, verbose_name=_("口令发放时间"))
    token_revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("口令作废时间"))
    paper = models.BooleanField(_("纸质评分"), default=False)
    # The judge's sign-in account (role 评委), if they have one: their home page lists the arenas they judge
    # and lets them open their scoring page on the device they signed in with (services.issue_own_token).
    account = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评委账号"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="judge_seats",
                                help_text=_("评委用此账号登录后，在首页看到所评的擂台赛并可打开评分页面"))
    sort_order = models.IntegerField(default=0, verbose_name=_("排序"))
    anon_code = models.CharField(max_length=12, blank=True, help_text="J001…: the judge's name in exports", verbose_name=_("匿名编号"))

    class Meta:
        verbose_name = _("评委")
        verbose_name_plural = _("评委")
        ordering = ["arena", "group__sort_order", "sort_order", "id"]

    def __str__(self):
        return self.name


class JudgeLink(models.Model):
    """A tie between a judge and a contestant that recusal does not cover (a former post, the same district, a
    挂钩联系 unit), recorded by the organizer before or while scoring: the judges' audit compares the judge's
    marks for linked contestants with those for the others (偏向关联单位). Exported as links.csv."""

    arena = models.ForeignKey(Arena, on_delete=models.CASCADE, related_name="judge_links", verbose_name=_("擂台赛"))
    judge = models.ForeignKey(Judge, on_delete=models.CASCADE, related_name="links", verbose_name=_("评委"))
    contestant = models.ForeignKey(Contestant, on_delete=models.CASCADE, related_name="judge_links",
                                   verbose_name=_("参赛单位"))
    relation = models.CharField(_("关联关系"), max_length=80, help_text=_("如：曾任职、同一区县、挂钩联系单位"))
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("记录人"))

    class Meta:
        verbose_name = _("评委关联")
        verbose_name_plural = _("评委关联")
        ordering = ["arena", "judge__group__sort_order", "judge__sort_order", "judge_id", "contestant__order", "id"]
        constraints = [models.UniqueConstraint(fields=["judge", "contestant"], name="judge_link_unique")]

    def __str__(self):
        return f"{self.judge} · {self.contestant} · {self.relation}"
