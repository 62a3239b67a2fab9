"""Forms of the follow-up review pages: a new round (all closed items or a seeded sample, its supervisors)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from . import selectors


class RoundForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("批次名称"), max_length=100)
    method = forms.ChoiceField(label=gettext_lazy("抽取方式"),
                               choices=[("all", gettext_lazy("全部已销号事项")), ("sample", gettext_lazy("随机抽样"))])
    sample_size = forms.IntegerField(label=gettext_lazy("抽取数量"), min_value=1, required=False)
    seed = forms.CharField(label=gettext_lazy("抽样种子（留空则自动生成）"), max_length=64, required=False)
    supervisors = forms.ModelMultipleChoiceField(label=gettext_lazy("监督员"), queryset=None,
                                                 widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisors"].queryset = selectors.supervisors()
