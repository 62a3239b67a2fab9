"""The arena (擂台赛): contestants, rubric, panel, judges' tokens, score sheets, questions, comments,
shortcomings and the event log of the day. Nothing is deleted: sheets keep every revision."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from leitai.core import arena_flow


class ArenaKind(models.TextChoices):
    SECRETARY = "secretary", _("书记擂台")
    DIRECTOR = "director", _("局长擂台")
    DIRECTOR_EXAM = "director_exam", _("局长问政考场")
    COUNTY = "county", _("县区比拼现场")
    TOWN = "town", _("镇街亮绩赛场")
    CUSTOM = "custom", _("其他")


class Arena(models.Model):
    """One contest day: its contestants present in order and a panel scores them."""

    class Status(models.TextChoices):
        SETUP = "setup", _("筹备中")
        LIVE = "live", _("进行中")
        FINISHED = "finished", _("已结束")
        PUBLISHED = "published", _("已发布")

    class OrderMethod(models.TextChoices):
        RANKING = "ranking", _("按成绩单名次")
        DRAW = "draw", _("抽签")
        MANUAL = "manual", _("手工排序")

    class RevealMode(models.TextChoices):
        EACH = "each", _("逐个揭晓")
        END = "end", _("最后统一揭晓")

    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=20, choices=ArenaKind.choices, default=ArenaKind.SECRETARY)
    kind_label = models.CharField(_("自定义类型名称"), max_length=40, blank=True)
    period = models.ForeignKey("indicators.Period", verbose_name=_("考核期间"), on_delete=models.PROTECT, related_name="+")
    held_at = models.DateTimeField(_("举办时间"), null=True, blank=True)
    venue = models.CharField(_("地点"), max_length=120, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.SETUP)
    order_method = models.CharField(_("出场顺序"), max_length=10, choices=OrderMethod.choices, default=OrderMethod.DRAW)
    order_ranking = models.ForeignKey(
        "rankings.Ranking", verbose_name=_("排序依据的成绩单"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    draw_seed = models.CharField(_("抽签种子"), max_length=64, blank=True)
    speech_seconds = models.PositiveIntegerField(_("陈述时限（秒）"), default=480)
    question_seconds = models.PositiveIntegerField(_("考问时限（秒）"), default=300)
    submission_deadline = models.DateTimeField(_("材料提交截止"), null=True, blank=True)
    reveal_mode = models.CharField(_("揭晓方式"), max_length=8, choices=RevealMode.choices, default=RevealMode.EACH)
    tie_break = models.JSONField(_("同分比较的评委组"), default=list, blank=True)
    bonus_rule = models.JSONField(_("计入考绩的加减分规则"), default=dict, blank=True,
                                  help_text=_('如 {"1": 2, "2": 1, "last": -1}'))
    plan = models.ForeignKey("rankings.AssessmentPlan", verbose_name=_("计入的考核方案"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    max_slides_mb = models.PositiveIntegerField(_("汇报材料大小上限（MB）"), default=20)
    # 排序测评: judges rank all contestants after the last presentation instead of scoring each one; the
    # ranks become points by `rank_points` (core.points, the rule of `leitai points tally`).
    scoring_mode = models.CharField(_("计分方式"), max_length=8, default="score",
                                    choices=[("score", _("打分")), ("rank", _("排序测评"))])
    rank_points = models.JSONField(_("名次赋分表"), default=list, blank=True,
                                   help_text=_("第 1 名、第 2 名……的分数；留空则 n、n−1……1"))
    ranking_state = models.CharField(_("排序测评"), max_length=8, blank=True,
                                     choices=[("", _("未开始")), ("open", _("进行中")), ("closed", _("已结束"))])
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    result = models.JSONField(_("发布的结果"), default=dict, blank=True,
                              help_text="frozen at publication: rows, rubric, tally csv")

    class Meta:
        verbose_name = _("擂台赛")
        verbose_name_plural = _("擂台赛")
        ordering = ["-held_at", "-id"]

    def __str__(self):
        return self.name

    @property
    def kind_name(self) -> str:
        return self.kind_label if self.kind == ArenaKind.CUSTOM and self.kind_label else self.get_kind_display()


class Criterion(models.Model):
    """A rubric criterion: weighted, with a maximum and a step (e.g. 0.5)."""

    arena = models.ForeignKey(Arena, on_delete=models.CASCADE, related_name="criteria")
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

    arena = models.ForeignKey(Arena, on_delete=models.CASCADE, related_name="groups")
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

    arena = models.ForeignKey(Arena, on_delete=models.CASCADE, related_name="contestants")
    unit = models.ForeignKey("units.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("units.Person", verbose_name=_("登台人"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    title = models.CharField(_("职务"), max_length=50, blank=True)
    order = models.PositiveIntegerField(_("出场顺序"), default=0)
    stage = models.CharField(_("环节"), max_length=16, default=arena_flow.WAITING,
                             choices=STAGE_CHOICES)
    stage_changed_at = models.DateTimeField(null=True, blank=True)
    speech_started_at = models.DateTimeField(null=True, blank=True)
    scoring_opened_at = models.DateTimeField(null=True, blank=True)
    scoring_closed_at = models.DateTimeField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    rank = models.IntegerField(null=True, blank=True)
    group_scores = models.JSONField(default=dict, blank=True)
    # The page of the slides on the big screen (0: none) and the slides' page count, set from the console.
    slide_page = models.PositiveIntegerField(default=0)
    slide_pages = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("参赛单位")
        verbose_name_plural = _("参赛单位")
        ordering = ["arena", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["arena", "unit"], name="contestant_unit_unique")]

    def __str__(self):
        return f"{self.unit}"


class Submission(models.Model):
    """What a contestant's reporter submits before the day; locked at the organizer's deadline."""

    contestant = models.OneToOneField(Contestant, on_delete=models.CASCADE, related_name="submission")
    slides = models.FileField(_("汇报材料（PDF）"), upload_to="arena/slides/%Y/", blank=True)
    slides_name = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
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

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("内容"))
    indicator = models.ForeignKey("indicators.Indicator", verbose_name=_("指标"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    comparison = models.CharField(_("比较"), max_length=2, choices=Comparison.choices, blank=True)
    target_value = models.FloatField(_("目标值"), null=True, blank=True)
    deadline = models.ForeignKey("indicators.Period", verbose_name=_("期限"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    sort_order = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("材料条目")
        verbose_name_plural = _("材料条目")
        ordering = ["submission", "kind", "sort_order", "id"]


class Judge(models.Model):
    """A member of the panel. Scores from a phone through a personal link whose secret token is stored
    hashed; or on paper, entered by staff and confirmed by a second staff member."""

    arena = models.ForeignKey(Arena, on_delete=models.CASCADE, related_name="judges")
    group = models.ForeignKey(JudgeGroup, verbose_name=_("评委组"), on_delete=models.PROTECT, related_name="judges")
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职务/身份"), max_length=80, blank=True)
    unit = models.ForeignKey("units.Unit", verbose_name=_("所属单位（回避）"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+",
                             help_text=_("与参赛单位有关联的评委不能为该单位打分"))
    recused_units = models.ManyToManyField("units.Unit", verbose_name=_("另需回避的单位"), blank=True, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    token_hint = models.CharField(max_length=8, blank=True)
    token_issued_at = models.DateTimeField(null=True, blank=True)
    token_revoked_at = models.DateTimeField(null=True, blank=True)
    paper = models.BooleanField(_("纸质评分"), default=False)
    sort_order = models.IntegerField(default=0)
    anon_code = models.CharField(max_length=12, blank=True, help_text="J001…: the judge's name in exports")

    class Meta:
        verbose_name = _("评委")
        verbose_name_plural = _("评委")
        ordering = ["arena", "group__sort_order", "sort_order", "id"]

    def __str__(self):
        return self.name


class ScoreSheet(models.Model):
    """One judge's scores for one contestant (at most one). Changes keep a revision each."""

    class Status(models.TextChoices):
        FINAL = "final", _("有效")
        PENDING = "pending", _("待复核")

    arena = models.ForeignKey(Arena, on_delete=models.CASCADE, related_name="sheets")
    judge = models.ForeignKey(Judge, on_delete=models.PROTECT, related_name="sheets")
    contestant = models.ForeignKey(Contestant, on_delete=models.PROTECT, related_name="sheets")
    scores = models.JSONField(default=dict)
    total = models.FloatField(null=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.FINAL)
    source = models.CharField(max_length=8, default="phone", help_text="phone / paper")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")
        constraints = [models.UniqueConstraint(fields=["judge", "contestant"], name="one_sheet_per_judge_and_contestant")]
        indexes = [models.Index(fields=["arena", "contestant"])]


class ScoreSheetRevision(models.Model):
    """Every submission and change of a sheet, with its idempotency key (a retry never counts twice)."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.PROTECT, related_name="revisions")
    version = models.PositiveIntegerField()
    scores = models.JSONField()
    client_key = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    by_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=12, default="submit", help_text="submit / change / enter / confirm")

    class Meta:
        ordering = ["sheet", "version", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "client_key"], condition=~models.Q(client_key=""),
                                    name="sheet_revision_key_unique"),
        ]


class RankSheet(models.Model):
    """One judge's ranking of every contestant (排序测评): unit code → rank, 1 best, each rank once. Changes
    keep a revision each; a retry with the same key counts once."""

    arena = models.ForeignKey(Arena, on_delete=models.CASCADE, related_name="rank_sheets")
    judge = models.ForeignKey(Judge, on_delete=models.PROTECT, related_name="rank_sheets")
    ranks = models.JSONField()
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("排序表")
        verbose_name_plural = _("排序表")
        constraints = [models.UniqueConstraint(fields=["arena", "judge"], name="one_rank_sheet_per_judge")]


class RankSheetRevision(models.Model):
    sheet = models.ForeignKey(RankSheet, on_delete=models.PROTECT, related_name="revisions")
    version = models.PositiveIntegerField()
    ranks = models.JSONField()
    client_key = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sheet", "version", "id"]
        constraints = [models.UniqueConstraint(fields=["sheet", "client_key"], condition=~models.Q(client_key=""),
                                               name="rank_revision_key_unique")]


class Question(models.Model):
    """A question put to a contestant on stage (考问), who asked it, and the answer."""

    contestant = models.ForeignKey(Contestant, on_delete=models.PROTECT, related_name="questions")
    judge = models.ForeignKey(Judge, verbose_name=_("提问评委"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    asker = models.CharField(_("提问人"), max_length=80, blank=True)
    text = models.TextField(_("问题"))
    answer = models.TextField(_("回答要点"), blank=True)
    at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("考问")
        verbose_name_plural = _("考问")
        ordering = ["contestant", "at", "id"]


class Comment(models.Model):
    """A leader's comment (点评) on a contestant; it may set a rectification direction."""

    contestant = models.ForeignKey(Contestant, on_delete=models.PROTECT, related_name="comments")
    judge = models.ForeignKey(Judge, verbose_name=_("点评人（评委）"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    author = models.CharField(_("点评人"), max_length=80, blank=True)
    text = models.TextField(_("点评内容"))
    at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("点评")
        verbose_name_plural = _("点评")
        ordering = ["contestant", "at", "id"]


class Shortcoming(models.Model):
    """A shortcoming raised at the arena (from a comment or a submission) with a responsible unit and a
    deadline; the tracking area turns these into managed rectification items."""

    arena = models.ForeignKey(Arena, on_delete=models.PROTECT, related_name="shortcomings")
    contestant = models.ForeignKey(Contestant, null=True, blank=True, on_delete=models.PROTECT, related_name="shortcomings")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.PROTECT, related_name="shortcomings")
    text = models.TextField(_("问题"))
    responsible_unit = models.ForeignKey("units.Unit", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+")
    deadline = models.DateField(_("整改期限"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("短板问题")
        verbose_name_plural = _("短板问题")
        ordering = ["arena", "created_at", "id"]


class ArenaEvent(models.Model):
    """The arena's log: every step of the flow and every setting changed on the day, in order.
    `seq` numbers the live stream (server-sent events resume from Last-Event-ID)."""

    arena = models.ForeignKey(Arena, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=30)
    payload = models.JSONField(default=dict)
    at = models.DateTimeField(auto_now_add=True)
    by_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["arena", "seq"]
        constraints = [models.UniqueConstraint(fields=["arena", "seq"], name="arena_event_seq_unique")]
