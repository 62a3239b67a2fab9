"""Corrections of a published result: the result itself is frozen at publication (Arena.result, version 1);
a correction (who, why, old → new) adds the next version and never touches the ones before."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from leitai.arena.base.models import Arena
from leitai.audit.kept import KeptManager, NeverDeleted


class ResultCorrection(NeverDeleted, models.Model):
    """Version 2, 3, … of a published arena's result: the rows as corrected, what changed, why and by whom."""

    objects = KeptManager()

    arena = models.ForeignKey(Arena, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("擂台赛"))
    version = models.PositiveIntegerField(_("版本"))
    reason = models.TextField(_("更正理由"))
    changes = models.JSONField(_("更正内容"), help_text="[{unit, unit_name, field, old, new}]")
    rows = models.JSONField(_("更正后的结果"), help_text="the published rows as corrected (Arena.result's rows' form)")
    at = models.DateTimeField(_("更正时间"), auto_now_add=True)
    by_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("更正人"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("擂台赛结果更正")
        verbose_name_plural = _("擂台赛结果更正")
        ordering = ["arena", "version"]
        constraints = [models.UniqueConstraint(fields=["arena", "version"], name="result_correction_version_unique")]

    def __str__(self):
        return f"{self.arena} v{self.version}"
