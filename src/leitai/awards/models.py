"""表彰: award kinds the office defines (by rule from a published result, or by nomination and approval), the
register of awards to units, people and teams, teams and their membership over time. Nothing is deleted:
an award is rejected or revoked with a reason, a membership is ended, and every step is in the award's log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from leitai.audit.kept import KeptManager, NeverDeleted


class Recipient(models.TextChoices):
    UNIT = "unit", _("单位")
    PERSON = "person", _("个人")
    TEAM = "team", pgettext_lazy("award recipient", "团队")


class AwardKind(NeverDeleted, models.Model):
    """A kind of award: 海豚奖 (best of each arena), 突破奖 (by nomination), …"""

    objects = KeptManager()

    class Basis(models.TextChoices):
        RULE = "rule", _("按规则评定")
        NOMINATION = "nomination", _("推荐审批")

    class Rule(models.TextChoices):
        ARENA_BEST = "arena_best", _("擂台赛每场第一名")
        ARENA_WORST = "arena_worst", _("擂台赛每场最后一名")
        RANKING_TOP = "ranking_top", _("排名前 N 名")
        RANKING_BOTTOM = "ranking_bottom", _("排名后 N 名")
        FLAG_RED = "flag_red", _("排名红旗")
        FLAG_YELLOW = "flag_yellow", _("排名黄旗")
        MOST_GAINED = "most_gained", _("名次进位最多")

    code = models.CharField(_("编码"), max_length=40, unique=True,
                            help_text=_("考绩办法按此编码给分；字母、数字、短横线"))
    name = models.CharField(_("名称"), max_length=60)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    basis = models.CharField(_("评定方式"), max_length=12, choices=Basis.choices)
    rule = models.CharField(_("规则"), max_length=20, choices=Rule.choices, blank=True)
    n = models.PositiveSmallIntegerField(_("名次数 N"), default=1, help_text=_("前 N 名、后 N 名的 N"))
    plan = models.ForeignKey("rankings.AssessmentPlan", verbose_name=_("限于考核方案"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+",
                             help_text=_("排名类规则只评定该方案的排名；留空则不限"))
    recipient = models.CharField(_("授予对象"), max_length=8, choices=Recipient.choices, default=Recipient.UNIT)
    description = models.TextField(_("说明"), blank=True)
    citation = models.CharField(_("证书用语"), max_length=200, blank=True,
                                help_text=_("证书正文的最后一句，如“特发此证，以资鼓励。”"))
    active = models.BooleanField(_("在用"), default=True)
    sort_order = models.IntegerField(_("排序"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("表彰类别")
        verbose_name_plural = _("表彰类别")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name


class Team(NeverDeleted, models.Model):
    """A named group of people (招商专班, a project team): its members change over time."""

    objects = KeptManager()

    name = models.CharField(_("团队名称"), max_length=100, unique=True)
    unit = models.ForeignKey("units.Unit", verbose_name=_("所属单位"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    note = models.CharField(_("说明"), max_length=200, blank=True)
    active = models.BooleanField(_("在用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("团队")
        verbose_name_plural = _("团队")
        ordering = ["name"]

    def __str__(self):
        return self.name


class TeamMembership(NeverDeleted, models.Model):
    """A person's time in a team: ended, never deleted."""

    objects = KeptManager()

    team = models.ForeignKey(Team, verbose_name=_("团队"), on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey("units.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("团队职务"), max_length=40, blank=True)
    start = models.DateField(_("加入日期"))
    end = models.DateField(_("离开日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("团队成员")
        verbose_name_plural = _("团队成员")
        ordering = ["team", "start", "id"]

    def __str__(self):
        return f"{self.team} · {self.person}"


class Award(NeverDeleted, models.Model):
    """One award: to a unit (and, for an arena award, its head on the day), a person or a team."""

    objects = KeptManager()

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已授予")
        REJECTED = "rejected", _("未批准")
        REVOKED = "revoked", _("已撤销")

    kind = models.ForeignKey(AwardKind, verbose_name=_("表彰类别"), on_delete=models.PROTECT, related_name="awards")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    recipient = models.CharField(_("授予对象"), max_length=8, choices=Recipient.choices)
    unit = models.ForeignKey("units.Unit", verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    person = models.ForeignKey("units.Person", verbose_name=_("人员"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    person_title = models.CharField(_("职务"), max_length=60, blank=True)
    team = models.ForeignKey(Team, verbose_name=_("团队"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="awards")
    period = models.ForeignKey("indicators.Period", verbose_name=_("期间"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("表彰日期"))
    reason = models.TextField(_("事由"))
    reason_en = models.TextField(_("英文事由"), blank=True, help_text="a rule award's reason in English")
    arena = models.ForeignKey("arena.Arena", verbose_name=_("依据的擂台赛"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    ranking = models.ForeignKey("rankings.Ranking", verbose_name=_("依据的排名"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    base_ranking = models.ForeignKey("rankings.Ranking", verbose_name=_("比较的排名"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    # A rule award's identity (kind, source, recipient): granting again from the same result adds nothing.
    rule_key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("推荐人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=200, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("撤销人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoke_reason = models.CharField(_("撤销理由"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("表彰")
        verbose_name_plural = _("表彰")
        ordering = ["-date", "-id"]
        constraints = [models.CheckConstraint(
            condition=(models.Q(recipient="unit", unit__isnull=False, team__isnull=True)
                       | models.Q(recipient="person", person__isnull=False, team__isnull=True)
                       | models.Q(recipient="team", team__isnull=False, unit__isnull=True)),
            name="award_has_its_recipient")]

    def __str__(self):
        return f"{self.kind} · {self.recipient_name}"

    @property
    def recipient_name(self) -> str:
        if self.recipient == Recipient.TEAM:
            return self.team.name if self.team else ""
        if self.recipient == Recipient.PERSON:
            return self.person.name if self.person else ""
        return self.unit.name if self.unit else ""


class AwardEvent(NeverDeleted, models.Model):
    """The award's log: granted, nominated, approved, rejected, revoked — who, when, and the note."""

    objects = KeptManager()

    class Action(models.TextChoices):
        GRANTED = "granted", _("按规则授予")
        NOMINATED = "nominated", _("推荐")
        APPROVED = "approved", _("批准")
        REJECTED = "rejected", _("不批准")
        REVOKED = "revoked", _("撤销")

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    by_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("表彰记录")
        verbose_name_plural = _("表彰记录")
        ordering = ["award", "at", "id"]
