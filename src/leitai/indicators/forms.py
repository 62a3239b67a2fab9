"""Forms for the data pages: the import upload, the wide template and the data-entry grid."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from leitai.core import periods
from leitai.core.errors import LeitaiError
from leitai.core.io.tabular import BLANK, parse_value, value_problems
from leitai.lang import page_lang as _lang
from leitai.units.models import UnitKind

from . import selectors

SHAPES = [("", _("自动识别")), ("wide", _("宽表（每行一个单位，每列一个指标）")), ("long", _("长表（单位、指标、期间、数值）")),
          ("reference", _("参照数据（参照类型、指标、期间、数值、单位、排名、对标单位）"))]
MAX_UPLOAD = 50 * 1024 * 1024



def plain(value: float) -> str:
    """A float as typed, exactly round-tripping (so an untouched field never counts as changed)."""
    text = repr(value)
    return text[:-2] if text.endswith(".0") else text


def clean_period(text: str) -> str:
    try:
        return periods.parse(text).code
    except LeitaiError as exc:
        raise ValidationError(exc.message(_lang()))


class ImportForm(forms.Form):
    """Upload a statistics file (.xlsx or .csv), optionally fixing its period and shape."""

    file = forms.FileField(label=_("数据文件（.xlsx 或 .csv）"))
    period = forms.CharField(label=_("期间（可选，如 2024-04 或 2024年1-4月）"), required=False, max_length=20)
    shape = forms.ChoiceField(label=_("表格格式"), choices=SHAPES, required=False)

    def clean_period(self):
        text = self.cleaned_data["period"].strip()
        return clean_period(text) if text else None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise ValidationError(_("文件太大（上限 50 MB）"))
        name = upload.name.lower()
        if not name.endswith((".xlsx", ".xlsm", ".csv", ".txt", ".tsv")):
            raise ValidationError(_("只接受 .xlsx 或 .csv 文件（旧版 .xls 请先另存为 .xlsx）"))
        return upload


class TemplateForm(forms.Form):
    """Which wide template to download: the period in its title and the kind of units as rows."""

    period = forms.CharField(label=_("期间"), max_length=20)
    kind = forms.ChoiceField(label=_("单位类型"), choices=UnitKind.choices, initial=UnitKind.COUNTY)

    def clean_period(self):
        return clean_period(self.cleaned_data["period"].strip())


class EntryForm(forms.Form):
    """One field per (unit, applicable indicator); only changed values are saved."""

    def __init__(self, grid, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.grid = grid
        self.cells = {}
        for unit, cells in grid:
            for indicator, obs in cells:
                name = f"v_{unit.pk}_{indicator.pk}"
                initial = "" if obs is None or obs.value is None else plain(obs.value)
                self.fields[name] = forms.CharField(label=indicator.name, required=False, initial=initial)
                self.cells[name] = (unit, indicator, obs)

    def rows(self):
        """[(unit, [(indicator, bound field, observation)])] for the template."""
        return [(unit, [(ind, self[f"v_{unit.pk}_{ind.pk}"], obs) for ind, obs in cells]) for unit, cells in self.grid]

    def clean(self):
        data = super().clean()
        lang = _lang()
        self.changes = []
        for name, (unit, indicator, obs) in self.cells.items():
            raw = (data.get(name) or "").strip()
            try:
                value = parse_value(raw)
            except ValueError:
                self.add_error(name, _("“%(v)s”不是数字") % {"v": raw})
                continue
            value = None if value is BLANK else value
            problems = value_problems(selectors.unit_ref(unit), selectors.indicator_ref(indicator), value)
            if problems:
                _code, zh, en = problems[0]
                self.add_error(name, en if lang.startswith("en") else zh)
                continue
            old = None if obs is None else obs.value
            if value != old:
                self.changes.append((unit, indicator, value))
        return data


class ReferenceForm(forms.Form):
    """One reference figure typed by hand (全省平均, 全省排名, 外地对标单位); the service checks it with the
    import's rules."""

    kind = forms.ChoiceField(label=_("类型"), choices=[("average", _("全省平均")), ("rank", _("全省排名")),
                                                     ("peer", _("外地对标单位"))])
    indicator = forms.ModelChoiceField(label=_("指标"), queryset=None)
    period = forms.CharField(label=_("期间（如 2024-06）"), max_length=20)
    value = forms.CharField(label=_("数值"), required=False, max_length=40)
    unit = forms.ModelChoiceField(label=_("本市单位（全省排名必填；对标单位可选）"), queryset=None, required=False)
    rank = forms.IntegerField(label=_("全省名次"), required=False, min_value=1)
    total = forms.IntegerField(label=_("参与排名数"), required=False, min_value=1)
    peer = forms.CharField(label=_("外地对标单位名称"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        from leitai.units.models import Unit

        from .models import Indicator

        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(active=True)
        self.fields["unit"].queryset = Unit.objects.filter(active=True).order_by("sort_order", "code")

    def clean_period(self):
        return clean_period(self.cleaned_data["period"].strip())
