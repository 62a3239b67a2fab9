"""The arena (擂台赛) itself and its event log: what every room of the arena builds on."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from leitai.audit.kept import KeptManager, NeverDeleted


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
    ask_seconds = models.PositiveIntegerField(_("每位提问时限（秒）"), default=120)
    submission_deadline = models.DateTimeField(_("材料提交截止"), null=True, blank=True)
    reveal_mode = models.CharField(_("揭晓方式"), max_length=8, choices=RevealMode.choices, default=RevealMode.EACH)
    tie_break = models.JSONField(_("同分比较的评委组"), default=list, blank=True)
    bonus_rule = models.JSONField(_("计入考绩的加减分规则"), default=dict, blank=True,
                                  help_text=_('如 {"1": 2, "2": 1, "last": -1}'))
    plan = models.ForeignKey("rankings.AssessmentPlan", verbose_name=_("计入的考核方案"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    # 法定份数: below it for any judge group, a result is revealed or published only with a written reason
    # (day.flow.check_quorum). A group with fewer eligible judges needs all of them.
    quorum = models.PositiveSmallIntegerField(_("每个评委组至少需要的评分表份数"), default=3,
                                              help_text=_("评委少于此数的组须全部提交；0 表示不检查"))
    max_slides_mb = models.PositiveIntegerField(_("汇报材料大小上限（MB）"), default=20)
    # 排序测评: judges rank all contestants after the last presentation instead of scoring each one; the
    # ranks become points by `rank_points` (core.points, the rule of `leitai points tally`).
    scoring_mode = models.CharField(_("计分方式"), max_length=8, default="score",
                                    choices=[("score", _("打分")), ("rank", _("排序测评"))])
    rank_points = models.JSONField(_("名次赋分表"), default=list, blank=True,
                                   help_text=_("第 1 名、第 2 名……的分数；留空则 n、n−1……1"))
    ranking_state = models.CharField(_("排序测评"), max_length=8, blank=True,
                                     choices=[("", _("未开始")), ("open", _("进行中")), ("closed", _("已结束"))])
    # The calibration rule the tally applies (the rubric's "calibration": {"method": "standardize"} or
    # {"method": "drop_flagged", "flags": [...], "threshold"?: T}; {} for none). Declared before scoring opens,
    # never changed after (setup.links.set_calibration; docs/uncertainty.md, 评委审计).
    calibration = models.JSONField(_("校准规则"), default=dict, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("发布人"))
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


class ArenaEvent(NeverDeleted, models.Model):
    """The arena's log: every step of the flow and every setting changed on the day, in order.
    `seq` numbers the live stream (server-sent events resume from Last-Event-ID)."""

    objects = KeptManager()

    arena = models.ForeignKey(Arena, on_delete=models.CASCADE, related_name="events", verbose_name=_("擂台赛"))
    seq = models.PositiveIntegerField(verbose_name=_("序号"))
    kind = models.CharField(max_length=30, verbose_name=_("类型"))
    payload = models.JSONField(default=dict, verbose_name=_("内容数据"))
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("时间"))
    by_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("操作人"))

    class Meta:
        verbose_name = _("擂台赛事件")
        verbose_name_plural = _("擂台赛事件")
        ordering = ["arena", "seq"]
        constraints = [models.UniqueConstraint(fields=["arena", "seq"], name="arena_event_seq_unique")]


class ArenaChainEntry(NeverDeleted, models.Model):
    """The arena's hash chain (回执与哈希链, docs/uncertainty.md): every sheet revision (with its receipt, never
    its secret or scores) and every logged step, in order. `data` is the canonical entry text the hash covers
    (core.judging.receipts.chain_entry); hash = SHA-256(prev_hash ‖ data). Appended in the transaction of what
    it records, under the arena row lock (base/chain.py); never changed or deleted."""

    objects = KeptManager()

    arena = models.ForeignKey(Arena, on_delete=models.PROTECT, related_name="chain", verbose_name=_("擂台赛"))
    seq = models.PositiveIntegerField(verbose_name=_("序号"))
    kind = models.CharField(max_length=30, verbose_name=_("类型"))
    data = models.TextField(verbose_name=_("内容（规范 JSON）"))
    prev_hash = models.CharField(max_length=64, verbose_name=_("前一条哈希"))
    hash = models.CharField(max_length=64, verbose_name=_("哈希"))

    class Meta:
        verbose_name = _("哈希链条目")
        verbose_name_plural = _("哈希链条目")
        ordering = ["arena", "seq"]
        constraints = [models.UniqueConstraint(fields=["arena", "seq"], name="arena_chain_seq_unique")]
