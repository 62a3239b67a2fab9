"""Pledges (军令状), rectification items (清单督办) with their full history, reminders (督办), follow-up
reviews (回头看), feedback from those who raised an item, and key projects (重大项目). Nothing is deleted."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from leitai.arena.models import SubmissionItem
from leitai.audit.kept import KeptManager, NeverDeleted
from leitai.core.tracking import rules as flow

# A pledge compares an indicator with its target the same way whether made at the arena or here.
Comparison = SubmissionItem.Comparison


def in_language(zh: str, en: str) -> str:
    """A text the system wrote in both languages: the English one on English pages (when there is one)."""
    return en if en and (get_language() or "").startswith("en") else zh


class Pledge(models.Model):
    """A unit's pledge, made by a person; checkable when it names an indicator, a target and a deadline."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待核验")
        KEPT = "kept", _("已兑现")
        MISSED = "missed", _("未兑现")

    class Source(models.TextChoices):
        ARENA = "arena", _("擂台赛承诺")
        MANUAL = "manual", _("直接录入")

    unit = models.ForeignKey("units.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="pledges")
    person = models.ForeignKey("units.Person", verbose_name=_("承诺人"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="pledges")
    text = models.TextField(_("承诺内容"))
    indicator = models.ForeignKey("indicators.Indicator", verbose_name=_("指标"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    comparison = models.CharField(_("比较"), max_length=2, choices=Comparison.choices, blank=True)
    target_value = models.FloatField(_("目标值"), null=True, blank=True)
    deadline = models.ForeignKey("indicators.Period", verbose_name=_("兑现期限"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    arena_item = models.OneToOneField("arena.SubmissionItem", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="pledge")
    # A pledge may repeat (每月…: each month from repeat_start to deadline is judged on its own) and may be
    # judged from key projects instead of an indicator (确保上半年开工83个: the batch's count at the stage).
    repeat = models.CharField(_("重复"), max_length=10, blank=True, choices=[("", _("一次")), ("monthly", _("每月"))])
    repeat_start = models.ForeignKey("indicators.Period", verbose_name=_("首个核验月"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    project_batch = models.CharField(_("重大项目批次"), max_length=40, blank=True)
    project_stage = models.CharField(_("项目阶段"), max_length=10, blank=True,
                                     choices=[("signed", _("签约")), ("started", _("开工")), ("completed", _("竣工投产"))])
    # A pledge may be held against a reference series instead of a number: 超过全省平均, 达到全省前N (N in
    # target_value), 超过<外地对标单位> (reference_peer) — judged from the deadline period's reference figure.
    reference = models.CharField(_("对标"), max_length=8, blank=True,
                                 choices=[("", _("具体数值")), ("average", _("超过全省平均")),
                                          ("rank", _("达到全省前N")), ("peer", _("超过外地对标单位"))])
    reference_peer = models.ForeignKey("indicators.ReferencePeer", verbose_name=_("外地对标单位"), null=True,
                                       blank=True, on_delete=models.PROTECT, related_name="+")
    made_on = models.DateField(_("承诺日期"), null=True, blank=True)
    status = models.CharField(_("核验结果"), max_length=8, choices=Status.choices, default=Status.PENDING)
    verdict_value = models.FloatField(_("核验所用数值"), null=True, blank=True)
    verdict_note = models.TextField(_("核验说明"), blank=True)
    verdict_note_en = models.TextField(blank=True, help_text="the English of a note the system wrote")
    verdict_evidence = models.FileField(_("核验佐证"), upload_to="tracking/pledges/%Y/", blank=True)
    verdict_at = models.DateTimeField(_("核验时间"), null=True, blank=True)
    verdict_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", help_text="empty when judged automatically from data")
    public = models.BooleanField(_("公开"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("承诺")
        verbose_name_plural = _("承诺")
        ordering = ["-created_at", "id"]

    def __str__(self):
        return self.text[:40]

    @property
    def shown_verdict_note(self) -> str:
        return in_language(self.verdict_note, self.verdict_note_en)

    @property
    def reference_target(self) -> str:
        """超过全省平均 / 达到全省前3 / 超过江苏邳州经济开发区 (in the page's language); "" for a numeric target."""
        if not self.reference:
            return ""
        from leitai.core.tracking.pledges import reference_target_words

        zh, en = reference_target_words(self.reference, self.target_value,
                                        self.reference_peer.name if self.reference_peer_id else "")
        return in_language(zh, en)



class PledgeCheck(models.Model):
    """One judged period of a repeating pledge (or the one check of a pledge on key projects): the figure
    used and the verdict. Never changed once written."""

    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="checks")
    period = models.ForeignKey("indicators.Period", on_delete=models.PROTECT, related_name="+")
    value = models.FloatField()
    status = models.CharField(max_length=8, choices=Pledge.Status.choices)
    note = models.TextField(blank=True)
    note_en = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pledge", "period__start"]
        constraints = [models.UniqueConstraint(fields=["pledge", "period"], name="one_check_per_pledge_period")]

    @property
    def shown_note(self) -> str:
        return in_language(self.note, self.note_en)


class Item(models.Model):
    """A rectification item: a problem a unit must fix by a deadline, closed only when verified."""

    class Source(models.TextChoices):
        ARENA_SHORTCOMING = "arena_shortcoming", _("擂台赛短板问题")
        ARENA_COMMENT = "arena_comment", _("领导点评")
        SUPERVISION = "supervision", _("督查发现")
        BUSINESS_HELP = "business_help", _("助企服务问题")
        MANUAL = "manual", _("其他")

    class Priority(models.TextChoices):
        HIGH = "high", _("高")
        NORMAL = "normal", _("中")
        LOW = "low", _("低")

    code = models.CharField(_("编号"), max_length=30, unique=True)
    title = models.CharField(_("问题"), max_length=200)
    description = models.TextField(_("详细描述"), blank=True)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices, default=Source.MANUAL)
    source_ref = models.CharField(_("来源说明"), max_length=200, blank=True)
    arena_shortcoming = models.OneToOneField("arena.Shortcoming", null=True, blank=True, on_delete=models.PROTECT,
                                             related_name="item")
    # A shortcoming the contestant listed in its own submission (短板问题), transferred from the arena.
    arena_item = models.OneToOneField("arena.SubmissionItem", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="rect_item")
    unit = models.ForeignKey("units.Unit", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="items")
    person = models.ForeignKey("units.Person", verbose_name=_("责任人"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="items")
    person_name = models.CharField(_("责任人（姓名）"), max_length=50, blank=True)
    deadline = models.DateField(_("整改期限"))
    priority = models.CharField(_("优先级"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    state = models.CharField(_("状态"), max_length=12, default=flow.ASSIGNED,
                             choices=[(s, _(flow.STATE_LABELS[s][0])) for s in flow.STATES])
    raised_by = models.CharField(_("提出人（企业/群众）"), max_length=100, blank=True)
    raised_contact = models.CharField(_("提出人联系方式"), max_length=100, blank=True)
    public = models.BooleanField(_("公开"), default=False)
    created_at = models.DateTimeField(_("交办时间"), auto_now_add=True)
    assigned_on = models.DateField(_("交办日期"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    import_batch = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["deadline", "id"]
        # (deadline, id): the most urgent lists read in deadline order and stop after a page.
        indexes = [models.Index(fields=["deadline", "id"]), models.Index(fields=["state", "deadline"]),
                   models.Index(fields=["unit", "state"]),
                   models.Index(fields=["source", "state"]),
                   # Covers the dashboard's one grouped query (board.selectors._grouped): read from the index alone,
                   # already in group order, without touching the table.
                   models.Index(fields=["unit", "source", "state", "deadline", "closed_on", "assigned_on"],
                                name="item_dashboard_cover")]

    def __str__(self):
        return f"{self.code} {self.title}"


class Measure(models.Model):
    """One of an item's measures (举措), with its own due date."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="measures")
    text = models.CharField(_("整改措施"), max_length=300)
    due = models.DateField(_("完成时限"), null=True, blank=True)
    done = models.BooleanField(_("已完成"), default=False)
    sort_order = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("整改措施")
        verbose_name_plural = _("整改措施")
        ordering = ["item", "sort_order", "id"]


class Transition(NeverDeleted, models.Model):
    """One step of an item's workflow: who, when, from which state to which, and why. Never deleted."""

    objects = KeptManager()

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="transitions")
    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12)
    text = models.TextField(blank=True, help_text="evidence, reason or note")
    text_en = models.TextField(blank=True, help_text="the English of a text the system wrote (people's own stay as written)")
    at = models.DateTimeField(auto_now_add=True)
    by_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    by_name = models.CharField(max_length=100, blank=True, help_text="for reviews and answers without an account")

    class Meta:
        ordering = ["item", "at", "id"]

    @property
    def shown_text(self) -> str:
        return in_language(self.text, self.text_en)


class Attachment(models.Model):
    """Evidence for an item: a file or photo, attached to a transition or a review."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="attachments")
    transition = models.ForeignKey(Transition, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments")
    review = models.ForeignKey("ReviewAssignment", null=True, blank=True, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to="tracking/evidence/%Y/%m/")
    name = models.CharField(max_length=200)
    is_photo = models.BooleanField(default=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["item", "uploaded_at", "id"]


class Reminder(models.Model):
    """A supervision reminder or escalation made by the daily job (督办), and how it was sent."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("即将到期")
        OVERDUE = "overdue", _("已逾期")
        LONG_OVERDUE = "long_overdue", _("长期逾期（升级督办）")

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="reminders")
    kind = models.CharField(max_length=14, choices=Kind.choices)
    day = models.DateField()
    message = models.TextField()
    recipients = models.JSONField(default=list)
    channel = models.CharField(max_length=20, blank=True)
    sent = models.BooleanField(default=False)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "item"]
        constraints = [models.UniqueConstraint(fields=["item", "kind", "day"], name="one_reminder_per_item_kind_day")]


class ReviewRound(models.Model):
    """A follow-up review round (回头看): which closed items are revisited, by which citizen supervisors."""

    name = models.CharField(_("名称"), max_length=100)
    method = models.CharField(_("抽取方式"), max_length=10, default="all", help_text="all / sample")
    sample_size = models.PositiveIntegerField(_("抽取数量"), null=True, blank=True)
    seed = models.CharField(_("抽样种子"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("回头看批次")
        verbose_name_plural = _("回头看批次")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name


class ReviewAssignment(models.Model):
    """One item revisited by one citizen supervisor, and their verdict; "not satisfied" reopens the item."""

    class Verdict(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASIC = "basic", _("基本满意")
        NOT = "not", _("不满意")

    round = models.ForeignKey(ReviewRound, on_delete=models.PROTECT, related_name="assignments")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="reviews")
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments")
    verdict = models.CharField(_("评价"), max_length=10, choices=Verdict.choices, blank=True)
    comment = models.TextField(_("意见"), blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "item"]
        constraints = [models.UniqueConstraint(fields=["round", "item"], name="one_review_per_item_per_round")]


class Feedback(models.Model):
    """After close-out, the enterprise or citizen who raised an item answers — through a link, without an
    account — whether the problem is really solved; "no" reopens it. The token is stored hashed."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="feedback")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    solved = models.BooleanField(null=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]


class KeyProject(models.Model):
    """A key project (重大项目): signed → started → completed/producing, tracked against planned dates."""

    class Stage(models.TextChoices):
        SIGNED = "signed", _("已签约")
        STARTED = "started", _("已开工")
        COMPLETED = "completed", _("已竣工投产")

    code = models.CharField(_("编号"), max_length=30, unique=True)
    name = models.CharField(_("项目名称"), max_length=200)
    unit = models.ForeignKey("units.Unit", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="projects")
    batch = models.CharField(_("批次"), max_length=40, blank=True)
    arena = models.ForeignKey("arena.Arena", verbose_name=_("亮相的擂台赛"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="projects")
    investment_planned = models.FloatField(_("计划总投资（亿元）"), null=True, blank=True)
    investment_done = models.FloatField(_("已完成投资（亿元）"), null=True, blank=True)
    stage = models.CharField(_("阶段"), max_length=10, choices=Stage.choices, default=Stage.SIGNED)
    planned_sign = models.DateField(_("计划签约"), null=True, blank=True)
    actual_sign = models.DateField(_("实际签约"), null=True, blank=True)
    planned_start = models.DateField(_("计划开工"), null=True, blank=True)
    actual_start = models.DateField(_("实际开工"), null=True, blank=True)
    planned_complete = models.DateField(_("计划竣工投产"), null=True, blank=True)
    actual_complete = models.DateField(_("实际竣工投产"), null=True, blank=True)
    closed = models.BooleanField(_("已销号"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("重大项目")
        verbose_name_plural = _("重大项目")
        ordering = ["unit", "batch", "code"]

    def __str__(self):
        return self.name


class ProjectChange(NeverDeleted, models.Model):
    """A change to a key project (stage, dates, investment): who, when, old and new. Never deleted."""

    objects = KeptManager()

    project = models.ForeignKey(KeyProject, on_delete=models.PROTECT, related_name="changes")
    field = models.CharField(max_length=40)
    old = models.CharField(max_length=100, blank=True)
    new = models.CharField(max_length=100, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    by_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["project", "at", "id"]


class Notice(models.Model):
    """A message shown in the app to a unit's users or the organizers (reminders, escalations, verdicts)."""

    unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    for_organizers = models.BooleanField(default=False)
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.PROTECT, related_name="notices")
    text = models.CharField(max_length=300)
    text_en = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_by = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    @property
    def shown_text(self) -> str:
        return in_language(self.text, self.text_en)
