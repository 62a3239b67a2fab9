"""The correction form of a published result: which unit, its new points, why."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CorrectionForm(forms.Form):
    unit = forms.ChoiceField(label=_("单位"))
    points = forms.FloatField(label=_("更正后的分值"), help_text=_("计入考绩的加减分；0 表示不加不减"),
                              min_value=-100, max_value=100)
    reason = forms.CharField(label=_("更正理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(r["unit"], r["unit_name"]) for r in rows]
