"""Users and their roles: organizer, unit reporter, judge, citizen supervisor, public."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ORGANIZER = "organizer", _("考核办（组织者）")
    REPORTER = "reporter", _("单位填报员")
    JUDGE = "judge", _("评委")
    SUPERVISOR = "supervisor", _("市民监督员")
    PUBLIC = "public", _("公众")


class User(AbstractUser):
    """A person who signs in; the role decides what they may do, a reporter belongs to one unit."""

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.PUBLIC)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("所属单位"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="users", help_text=_("填报员只能编辑本单位（及下属单位）的数据"),
    )
    display_name = models.CharField(_("姓名"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.display_name or self.username

    @property
    def is_organizer(self) -> bool:
        return self.is_superuser or self.role == Role.ORGANIZER

    @property
    def is_reporter(self) -> bool:
        return self.role == Role.REPORTER and self.unit_id is not None
