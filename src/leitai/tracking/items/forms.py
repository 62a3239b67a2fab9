"""Forms of the item pages: a new item, a workflow action with evidence, the list filters, the import."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from leitai.core.tracking import rules as flow
from leitai.units.models import Unit

from .. import policies
from ..base.forms import MAX_FILE, ImportFileForm
from ..models import Item


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, each at most 10 MB."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        out = [super(MultipleFileField, self).clean(f, initial) for f in files]
        for f in out:
            if f.size > MAX_FILE:
                raise ValidationError(_("文件“%(name)s”超过 10 MB"), params={"name": f.name})
        return out


class ItemForm(forms.Form):
    """A new rectification item entered by the organizer."""

    title = forms.CharField(label=_("问题"), max_length=200)
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.filter(active=True))
    deadline = forms.DateField(label=_("整改期限"), widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.ChoiceField(label=_("来源"), choices=Item.Source.choices, initial=Item.Source.MANUAL)
    priority = forms.ChoiceField(label=_("优先级"), choices=Item.Priority.choices, initial=Item.Priority.NORMAL)
    description = forms.CharField(label=_("详细描述"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    person_name = forms.CharField(label=_("责任人"), max_length=50, required=False)
    measures = forms.CharField(label=_("整改措施（每行一条）"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    source_ref = forms.CharField(label=_("来源说明"), max_length=200, required=False)
    raised_by = forms.CharField(label=_("提出企业/提出人"), max_length=100, required=False)
    raised_contact = forms.CharField(label=_("联系方式"), max_length=100, required=False)
    public = forms.BooleanField(label=_("公开"), required=False)

    def clean_measures(self):
        return [line.strip() for line in self.cleaned_data["measures"].splitlines() if line.strip()]


class ActionForm(forms.Form):
    """One workflow step: the action, its text (evidence or reason) and any files or photos."""

    action = forms.ChoiceField(choices=[(a, flow.ACTION_LABELS[a][0]) for a in flow.ACTIONS], widget=forms.HiddenInput)
    text = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    files = MultipleFileField(label=_("佐证材料"), required=False)
    photos = MultipleFileField(label=_("现场照片"), required=False,
                               widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}))


OVERDUE_CLASSES = [("", _("全部")), (flow.ON_TRACK, _("正常")), (flow.DUE_SOON, _("即将到期")),
                   (flow.OVERDUE, _("已逾期")), (flow.LONG_OVERDUE, _("长期逾期")), (flow.DONE, _("已销号"))]


def state_choices() -> list[tuple[str, str]]:
    """The state filter's choices in the page language (core's labels are (zh, en) pairs, not gettext)."""
    half = 1 if (get_language() or "").startswith("en") else 0
    return [("", _("全部"))] + [(s, flow.STATE_LABELS[s][half]) for s in flow.STATES]


class ItemFilterForm(forms.Form):
    """Filters of the item lists (every field optional)."""

    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.filter(active=True), required=False)
    state = forms.ChoiceField(label=_("状态"), required=False,
                              choices=state_choices)
    source = forms.ChoiceField(label=_("来源"), required=False, choices=[("", _("全部"))] + list(Item.Source.choices))
    due = forms.ChoiceField(label=_("期限"), required=False, choices=OVERDUE_CLASSES)
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units

    @classmethod
    def for_user(cls, data, user) -> ItemFilterForm:
        """The filters in `data` (a query string), offering the units the user may see in full (policies)."""
        return cls(data or None, units=policies.visible_units(user))

    def filters(self) -> dict:
        """The chosen filters as keywords of policies.item_filter (none when unbound or invalid)."""
        if not (self.is_bound and self.is_valid()):
            return {}
        d = self.cleaned_data
        return {"unit": d["unit"].code if d["unit"] else None, "state": d["state"], "source": d["source"],
                "due": d["due"], "query": d["q"]}


class ImportItemsForm(ImportFileForm):
    """Upload a business-help workbook (.xlsx or .csv)."""

    public = forms.BooleanField(label=_("导入后公开"), required=False)
