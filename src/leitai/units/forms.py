"""Forms for the people pages: recording an appointment."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Person, Unit


class AppointmentForm(forms.Form):
    """An appointment: an existing person or a new one's name, the unit, the title and the start date."""

    person = forms.ModelChoiceField(label=_("人员"), queryset=Person.objects.all(), required=False,
                                    empty_label=_("（新人员，填写下方姓名）"))
    new_name = forms.CharField(label=_("新人员姓名"), max_length=50, required=False)
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.filter(active=True),
                                  empty_label=_("（请选择单位）"),
                                  error_messages={"required": _("请选择单位。"), "invalid_choice": _("单位不存在。")})
    title = forms.CharField(label=_("职务"), max_length=50, error_messages={"required": _("请填写职务。")})
    is_head = forms.BooleanField(label=_("一把手"), required=False, initial=True)
    start = forms.DateField(label=_("任职起始"), widget=forms.DateInput(attrs={"type": "date"}),
                            error_messages={"required": _("请填写任职起始日期。"),
                                            "invalid": _("日期格式应为 2024-04-15。")})

    def clean(self):
        data = super().clean()
        if not data.get("person") and not (data.get("new_name") or "").strip():
            self.add_error("person", _("请选择人员或填写新人员姓名。"))
        return data

    @property
    def person_or_name(self):
        return self.cleaned_data.get("person") or self.cleaned_data["new_name"].strip()
