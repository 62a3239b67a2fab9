"""Forms used before and on the day: a contestant's submission (items and slides), the records of the
day (questions, comments, shortcomings) and a paper score sheet typed in by staff."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from leitai.core import periods
from leitai.core.errors import LeitaiError
from leitai.indicators.models import Indicator
from leitai.units.models import Unit

from .forms import lang
from .models import SubmissionItem

TEXT_KINDS = [SubmissionItem.Kind.HIGHLIGHT, SubmissionItem.Kind.SHORTCOMING, SubmissionItem.Kind.MEASURE]
PDF_MAGIC = b"%PDF-"


class TextItemForm(forms.Form):
    """A highlight, shortcoming or measure: one text; a row left blank is dropped."""

    text = forms.CharField(label=_("内容"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class PledgeForm(forms.Form):
    """A pledge (军令状): the text and, where it applies, an indicator, a comparison, a target, a deadline."""

    text = forms.CharField(label=_("承诺内容"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    indicator = forms.ModelChoiceField(label=_("指标"), required=False, empty_label=_("（不挂钩指标）"),
                                       queryset=Indicator.objects.filter(active=True).order_by("code"))
    comparison = forms.ChoiceField(label=_("比较"), required=False,
                                   choices=[("", "—"), *SubmissionItem.Comparison.choices])
    target_value = forms.FloatField(label=_("目标值"), required=False, widget=forms.NumberInput(attrs={"step": "any"}))
    deadline = forms.CharField(label=_("期限（期间，如 2024Q4）"), required=False, max_length=20)

    def clean_deadline(self):
        text = (self.cleaned_data["deadline"] or "").strip()
        if not text:
            return ""
        try:
            return periods.parse(text).code
        except LeitaiError as exc:
            raise ValidationError(exc.message(lang()))

    def clean(self):
        d = super().clean()
        filled = [k for k in ("indicator", "comparison", "target_value", "deadline") if d.get(k) not in (None, "")]
        if filled and not (d.get("text") or "").strip():
            self.add_error("text", _("请填写承诺内容"))
        if d.get("indicator") is not None:
            if not d.get("comparison"):
                self.add_error("comparison", _("挂钩指标时请选择比较方式"))
            if d.get("target_value") is None:
                self.add_error("target_value", _("挂钩指标时请填写目标值"))
        elif d.get("comparison") or d.get("target_value") is not None:
            self.add_error("indicator", _("填写了比较或目标值时请选择指标"))
        return d


TextItemFormSet = formset_factory(TextItemForm, extra=1)
PledgeFormSet = formset_factory(PledgeForm, extra=1)


class SlidesForm(forms.Form):
    """The slides: a PDF within the arena's size limit."""

    slides = forms.FileField(label=_("汇报材料（PDF）"), required=False)

    def __init__(self, *args, max_mb: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_mb = max_mb
        self.fields["slides"].help_text = _("仅限 PDF，不超过 %(mb)d MB") % {"mb": max_mb}

    def clean_slides(self):
        upload = self.cleaned_data.get("slides")
        if not upload:
            return None
        if upload.size > self.max_mb * 1024 * 1024:
            raise ValidationError(_("文件“%(name)s”太大：上限 %(mb)d MB"), params={"name": upload.name, "mb": self.max_mb})
        head = upload.read(len(PDF_MAGIC))
        upload.seek(0)
        if head != PDF_MAGIC:
            raise ValidationError(_("文件“%(name)s”不是 PDF：请先导出为 PDF 再上传"), params={"name": upload.name})
        return upload


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
