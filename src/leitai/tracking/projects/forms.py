"""Forms of the key-project pages: a project's progress and the project table's upload."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from ..models import KeyProject
from .services import DATE_FIELDS, PLAN_FIELDS


class ProjectForm(forms.ModelForm):
    """Progress of a key project; a reporter's form hides the plan fields."""

    class Meta:
        model = KeyProject
        fields = ["name", "batch", "investment_planned", "investment_done", "stage", *DATE_FIELDS]
        widgets = {f: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d") for f in DATE_FIELDS}

    def __init__(self, *args, organizer=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not organizer:
            for f in PLAN_FIELDS:
                del self.fields[f]


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("项目表（.xlsx 或 .csv）"))
