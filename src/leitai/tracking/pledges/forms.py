"""Forms of the pledge pages: the organizer's verdict with its evidence (the import uses base.forms)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..base.forms import MAX_FILE
from ..models import Pledge


class PledgeVerdictForm(forms.Form):
    """The organizer's verdict on a pledge without an indicator, with its evidence."""

    status = forms.ChoiceField(label=_("核验结果"), choices=[(Pledge.Status.KEPT, Pledge.Status.KEPT.label),
                                                            (Pledge.Status.MISSED, Pledge.Status.MISSED.label)])
    note = forms.CharField(label=_("核验说明"), widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label=_("核验佐证"), required=False)

    def clean_evidence(self):
        f = self.cleaned_data.get("evidence")
        if f and f.size > MAX_FILE:
            raise ValidationError(_("文件超过 10 MB"))
        return f
