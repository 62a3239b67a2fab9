"""What the day records: judges' score sheets and rankings (every revision kept), questions, comments and
shortcomings. Nothing is deleted."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from leitai.arena.base.models import Arena
from leitai.arena.setup.models import Contestant, Judge
from leitai.audit.kept import KeptManager, NeverDeleted


class ScoreSheet(NeverDeleted, models.Model):
    """One judge's scores for one contestant (at most one). Changes keep a revision each."""

    objects = KeptManager()

    class Status(models.TextChoices):
        FINAL = "final", _("有效")
        PENDING = "pending", _("待复核")

    arena = models.ForeignKey(Arena, on_delete=models.CASCADE, related_name="sheets", verbose_name=_("擂台赛"))
    judge = models.ForeignKey(Judge, on_delete=models.PROTECT, related_name="sheets", verbose_name=_("评委"))
    contestant = models.ForeignKey(Contestant, on_delete=models.PROTECT, related_name="sheets", verbose_name=_("参赛单位"))
    scores = models.JSONField(default=dict, verbose_name=_("各项评分"))
    total = models.FloatField(null=True, verbose_name=_("总分"))
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.FINAL, verbose_name=_("状态"))
    source = models.CharField(max_length=8, default="phone", help_text="phone / paper", verbose_name=_("来源"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("确认人"))
    confirmed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("确认时间"))
    submitted_at = models.DateTimeField(auto_now_add=True, verbose_name=_("提交时间"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("更新时间"))
    version = models.PositiveIntegerField(default=1, verbose_name=_("版本"))

    class Meta:
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")
        constraints = [models.UniqueConstraint(fields=["judge", "contestant"], name="one_sheet_per_judge_and_contestant")]
        indexes = [models.Index(fields=["arena", "contestant"])]


class ScoreSheetRevision(NeverDeleted, models.Model):
    """Every submission and change of a sheet, with its idempotency key (a retry never counts twice)."""

    objects = KeptManager()

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.PROTECT, related_name="revisions", verbose_name=_("评分表"))
    version = models.PositiveIntegerField(verbose_name=_("版本"))
    scores = models.JSONField(verbose_name=_("各项评分"))
    client_key = models.CharField(max_length=64, blank=True, verbose_name=_("客户端标识"))
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("时间"))
    by_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("操作人"))
    action = models.CharField(max_length=12, default="submit", help_text="submit / change / enter / confirm", verbose_name=_("操作"))
    # 回执: set when the revision is stored, never changed (core.judging.receipts; day/receipts.py). The
    # secret is published with the results only, so that the receipt reveals nothing before.
    receipt = models.CharField(max_length=10, blank=True, db_index=True, verbose_name=_("回执码"))
    secret = models.CharField(max_length=32, blank=True, verbose_name=_("回执密钥"))

    class Meta:
        verbose_name = _("评分表修订")
        verbose_name_plural = _("评分表修订")
        ordering = ["sheet", "version", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "client_key"], condition=~models.Q(client_key=""),
                                    name="sheet_revision_key_unique"),
        ]


class RankSheet(NeverDeleted, models.Model):
    """One judge's ranking of every contestant (排序测评): unit code → rank, 1 best, each rank once. Changes
    keep a revision each; a retry with the same key counts once."""

    objects = KeptManager()

    arena = models.ForeignKey(Arena, on_delete=models.CASCADE, related_name="rank_sheets", verbose_name=_("擂台赛"))
    judge = models.ForeignKey(Judge, on_delete=models.PROTECT, related_name="rank_sheets", verbose_name=_("评委"))
    ranks = models.JSONField(verbose_name=_("排序结果"))
    version = models.PositiveIntegerField(default=1, verbose_name=_("版本"))
    submitted_at = models.DateTimeField(auto_now_add=True, verbose_name=_("提交时间"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("更新时间"))

    class Meta:
        verbose_name = _("排序表")
        verbose_name_plural = _("排序表")
        constraints = [models.UniqueConstraint(fields=["arena", "judge"], name="one_rank_sheet_per_judge")]


class RankSheetRevision(NeverDeleted, models.Model):
    objects = KeptManager()

    sheet = models.ForeignKey(RankSheet, on_delete=models.PROTECT, related_name="revisions", verbose_name=_("评分表"))
    version = models.PositiveIntegerField(verbose_name=_("版本"))
    ranks = models.JSONField(verbose_name=_("排序结果"))
    client_key = models.CharField(max_length=64, blank=True, verbose_name=_("客户端标识"))
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("时间"))
    # 回执 of the whole ranking, as a score sheet revision has (core.judging.receipts.rank_receipt); empty on
    # revisions stored before rankings had receipts.
    receipt = models.CharField(max_length=10, blank=True, db_index=True, verbose_name=_("回执码"))
    secret = models.CharField(max_length=32, blank=True, verbose_name=_("回执密钥"))

    class Meta:
        verbose_name = _("排序表修订")
        verbose_name_plural = _("排序表修订")
        ordering = ["sheet", "version", "id"]
        constraints = [models.UniqueConstraint(fields=["sheet", "client_key"], condition=~models.Q(client_key=""),
                                               name="rank_revision_key_unique")]


class Question(models.Model):
    """A question put to a contestant on stage (考问), who asked it, and the answer."""

    contestant = models.ForeignKey(Contestant, on_delete=models.PROTECT, related_name="questions", verbose_name=_("参赛单位"))
    judge = models.ForeignKey(Judge, verbose_name=_("提问评委"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    asker = models.CharField(_("提问人"), max_length=80, blank=True)
    text = models.TextField(_("问题"))
    answer = models.TextField(_("回答要点"), blank=True)
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("时间"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人"))

    class Meta:
        verbose_name = _("考问")
        verbose_name_plural = _("考问")
        ordering = ["contestant", "at", "id"]


class FloorRequest(models.Model):
    """A hand raised to question the contestant on stage (我要提问): the live queue of askers. The organizer
    gives the floor in turn; each asker speaks against a timer (Arena.ask_seconds) and what was asked and
    answered becomes a Question of the day's records."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("排队中")
        SPEAKING = "speaking", _("提问中")
        DONE = "done", _("已提问")
        WITHDRAWN = "withdrawn", _("已撤回")
        LAPSED = "lapsed", _("未轮到")

    OPEN = (Status.WAITING, Status.SPEAKING)

    contestant = models.ForeignKey(Contestant, on_delete=models.PROTECT, related_name="floor_requests", verbose_name=_("参赛单位"))
    judge = models.ForeignKey(Judge, verbose_name=_("提问评委"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    asker = models.CharField(_("提问人"), max_length=80)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.WAITING)
    requested_at = models.DateTimeField(auto_now_add=True, verbose_name=_("申请时间"))
    floor_at = models.DateTimeField(null=True, blank=True, verbose_name=_("发言时间"))
    ended_at = models.DateTimeField(null=True, blank=True, verbose_name=_("结束时间"))
    question = models.ForeignKey("Question", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("提问"))

    class Meta:
        verbose_name = _("提问排队")
        verbose_name_plural = _("提问排队")
        ordering = ["contestant", "requested_at", "id"]
        constraints = [models.UniqueConstraint(fields=["contestant", "judge"], condition=models.Q(status__in=["waiting", "speaking"]),
                                               name="floor_one_open_hand_per_judge"),
                       models.UniqueConstraint(fields=["contestant"], condition=models.Q(status="speaking"),
                                               name="floor_one_speaker")]


class Comment(models.Model):
    """A leader's comment (点评) on a contestant; it may set a rectification direction."""

    contestant = models.ForeignKey(Contestant, on_delete=models.PROTECT, related_name="comments", verbose_name=_("参赛单位"))
    judge = models.ForeignKey(Judge, verbose_name=_("点评人（评委）"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    author = models.CharField(_("点评人"), max_length=80, blank=True)
    text = models.TextField(_("点评内容"))
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("时间"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人"))

    class Meta:
        verbose_name = _("点评")
        verbose_name_plural = _("点评")
        ordering = ["contestant", "at", "id"]


class Shortcoming(models.Model):
    """A shortcoming raised at the arena (from a comment or a submission) with a responsible unit and a
    deadline; the tracking area turns these into managed rectification items."""

    arena = models.ForeignKey(Arena, on_delete=models.PROTECT, related_name="shortcomings", verbose_name=_("擂台赛"))
    contestant = models.ForeignKey(Contestant, null=True, blank=True, on_delete=models.PROTECT, related_name="shortcomings", verbose_name=_("参赛单位"))
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.PROTECT, related_name="shortcomings", verbose_name=_("意见"))
    text = models.TextField(_("问题"))
    responsible_unit = models.ForeignKey("units.Unit", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+")
    deadline = models.DateField(_("整改期限"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("创建时间"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人"))

    class Meta:
        verbose_name = _("短板问题")
        verbose_name_plural = _("短板问题")
        ordering = ["arena", "created_at", "id"]
