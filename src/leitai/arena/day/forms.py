"""Forms of the day: the records of the day (questions, comments, shortcomings) and a paper score sheet
typed in by staff (the submission's forms are in setup/forms.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from leitai.units.models import Unit

# ---- records of the day ----------------------------------------------------------------------------

class _PanelForm(forms.Form):
    """A record whose person is a judge of the panel, or someone typed in."""

    def __init__(self, *args, arena, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judge"].queryset = arena.judges.select_related("group")
        self.fields["judge"].label_from_instance = lambda j: f"{j.name} · {j.group.name}"


class QuestionForm(_PanelForm):
    judge = forms.ModelChoiceField(label=_("提问评委"), queryset=None, required=False, empty_label=_("（非评委）"))
    asker = forms.CharField(label=_("或提问人"), max_length=80, required=False)
    text = forms.CharField(label=_("问题"), widget=forms.Textarea(attrs={"rows": 2}))
    answer = forms.CharField(label=_("回答要点"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        d = super().clean()
        if d.get("judge") is None and not (d.get("asker") or "").strip():
            self.add_error("asker", _("请选择提问评委或填写提问人"))
        return d


class CommentForm(_PanelForm):
    judge = forms.ModelChoiceField(label=_("点评评委"), queryset=None, required=False, empty_label=_("（非评委）"))
    author = forms.CharField(label=_("或点评人"), max_length=80, required=False)
    text = forms.CharField(label=_("点评内容"), widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        d = super().clean()
        if d.get("judge") is None and not (d.get("author") or "").strip():
            self.add_error("author", _("请选择点评评委或填写点评人"))
        return d


class ShortcomingForm(forms.Form):
    """A shortcoming to rectify: what, which unit answers for it, by when."""

    text = forms.CharField(label=_("短板问题"), widget=forms.Textarea(attrs={"rows": 2}))
    responsible_unit = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.filter(active=True),
                                              empty_label=None)
    deadline = forms.DateField(label=_("整改期限"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    comment = forms.IntegerField(required=False, widget=forms.HiddenInput)


# ---- paper sheets -----------------------------------------------------------------------------------

class _ScoresForm(forms.Form):
    """A score per criterion of the arena's rubric, each within 0 and the criterion's full mark."""

    def __init__(self, *args, arena, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(arena.criteria.all())
        for c in self.criteria:
            attrs = {"step": c.step or "any", "min": 0, "max": c.max_score, "inputmode": "decimal"}
            self.fields[f"c_{c.code}"] = forms.FloatField(
                label=f"{c.name}（{c.max_score:g}）", min_value=0, max_value=c.max_score,
                widget=forms.NumberInput(attrs=attrs))

    def criterion_fields(self):
        return [self[f"c_{c.code}"] for c in self.criteria]

    @property
    def scores(self) -> dict[str, float]:
        return {c.code: self.cleaned_data[f"c_{c.code}"] for c in self.criteria}


class PaperSheetForm(_ScoresForm):
    """A paper sheet as staff type it in: which paper judge, which contestant, a score per criterion."""

    judge = forms.ModelChoiceField(label=_("纸质评分评委"), queryset=None, empty_label=None)
    contestant = forms.ModelChoiceField(label=_("参赛单位"), queryset=None, empty_label=None)

    def __init__(self, *args, arena, contestants, **kwargs):
        super().__init__(*args, arena=arena, **kwargs)
        self.fields["judge"].queryset = arena.judges.filter(paper=True).select_related("group")
        self.fields["judge"].label_from_instance = lambda j: f"{j.name} · {j.group.name}"
        self.fields["contestant"].queryset = contestants
        self.order_fields(["judge", "contestant"])


class PaperConfirmForm(_ScoresForm):
    """The second staff member's own reading of the paper sheet: it must match what was typed in."""
