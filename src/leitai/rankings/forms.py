"""Forms for plans (rules edited as Chinese fields; JSON import as an advanced tool), computing a ranking, and bonus/deduction items."""

from __future__ import annotations

import json

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from leitai.core.ranking.spec import AGGREGATIONS, NORMALIZATIONS
from leitai.core.ranking.uncertainty import ALTERNATIVES, DEFAULT_DRAWS, DEFAULT_JITTER, MAX_PLAN_DRAWS
from leitai.indicators.models import Indicator, Period
from leitai.units.models import Unit, UnitKind

from .codes import unique_code
from .models import AssessmentPlan

NORMALIZATION_CHOICES = list(zip(NORMALIZATIONS, [
    _("极差标准化（最好者满分、最差者最低分）"), _("标准分（与平均水平相比）"), _("名次赋分（按名次给分）"),
    _("目标完成度（实际值与目标值之比）")], strict=True))
AGGREGATION_CHOICES = list(zip(AGGREGATIONS, [_("加权算术平均"), _("加权几何平均")], strict=True))
DIRECTION_CHOICES = [(1, _("越高越好")), (-1, _("越低越好"))]
DEFAULT_AWARDS = {"star_top_k": 3, "category_flags": True, "red_flags": 1, "yellow_flags": 1}


def parse_json_field(text: str) -> dict:
    """Pasted JSON → dict, with a Chinese error naming the line and column."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise forms.ValidationError(_("JSON 格式有误：第 %(line)d 行第 %(col)d 列，%(msg)s"),
                                    params={"line": e.lineno, "col": e.colno, "msg": e.msg})
    if not isinstance(data, dict):
        raise forms.ValidationError(_("方案规则应为 JSON 对象（以 { 开头）"))
    return data


def default_spec(indicators) -> dict:
    """A starting spec: the chosen indicators, grouped by their category, equal weights."""
    groups, seen = [], set()
    for ind in indicators:
        if ind.category.code not in seen:
            seen.add(ind.category.code)
            groups.append({"code": ind.category.code, "name": ind.category.name, "weight": 1})
    return {
        "normalization": "minmax", "scale": [0, 100], "aggregation": "arithmetic",
        "indicators": [{"code": i.code, "direction": i.direction, "weight": 1, "group": i.category.code}
                       for i in indicators],
        "groups": groups, "awards": dict(DEFAULT_AWARDS), "weak_k": 3,
    }


def name_fields(form: forms.Form) -> None:
    """Every field's own error messages name the field: “权重”应为数字, 请填写“分值下限”, …"""
    for field in form.fields.values():
        label = str(field.label or "")
        messages = {"required": _("请填写“{field}”"), "invalid": _("“{field}”格式有误"),
                    "invalid_choice": _("“{field}”的选项无效")}
        if isinstance(field, forms.FloatField | forms.IntegerField):
            messages.update(invalid=_("“{field}”应为数字"), min_value=_("“{field}”不能小于 %(limit_value)s"),
                            max_value=_("“{field}”不能大于 %(limit_value)s"))
        if isinstance(field, forms.SlugField):
            messages["invalid"] = _("“{field}”只能含字母、数字、连字符")
        for key, message in messages.items():
            field.error_messages[key] = str(message).replace("{field}", label)


class IndicatorChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.category.name}）"


class PlanCreateForm(forms.Form):
    """A new plan, named in Chinese; its code is made from the name (pinyin) unless set in the advanced part."""

    name = forms.CharField(label=_("方案名称"), max_length=100)
    unit_kinds = forms.MultipleChoiceField(label=_("参评单位类型"), choices=UnitKind.choices,
                                           widget=forms.CheckboxSelectMultiple)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    indicators = IndicatorChoice(
        label=_("指标"), required=False, queryset=Indicator.objects.filter(active=True).select_related("category"),
        widget=forms.CheckboxSelectMultiple, help_text=_("按类别分组、等权重；创建后可再调整"))
    code = forms.SlugField(label=_("方案编码"), max_length=40, required=False,
                           help_text=_("留空则由名称的拼音自动生成；发布后保持不变"))
    spec_json = forms.CharField(label=_("导入方案规则 JSON"), required=False,
                                widget=forms.Textarea(attrs={"rows": 6, "class": "mono"}),
                                help_text=_("填写后以此为准，忽略上面勾选的指标"))

    ADVANCED = ("code", "spec_json")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_fields(self)

    def basic_fields(self):
        return [self[n] for n in self.fields if n not in self.ADVANCED]

    def advanced_fields(self):
        return [self[n] for n in self.ADVANCED]

    def clean_code(self):
        code = self.cleaned_data["code"]
        if code and AssessmentPlan.objects.filter(code=code).exists():
            raise forms.ValidationError(_("方案编码 %(code)s 已存在"), params={"code": code})
        return code

    def clean(self):
        data = super().clean()
        if not data.get("code") and data.get("name") and "code" not in self.errors:
            data["code"] = unique_code(data["name"], AssessmentPlan.objects.values_list("code", flat=True), "plan")
        text = (data.get("spec_json") or "").strip()
        if text:
            try:
                data["spec"] = parse_json_field(text)
            except forms.ValidationError as e:
                self.add_error("spec_json", e)
        elif data.get("indicators"):
            data["spec"] = default_spec(list(data["indicators"]))
        elif "indicators" in data:
            self.add_error("indicators", _("请至少选择一个指标（或在高级选项中导入方案规则 JSON）"))
        return data


class SpecSettingsForm(forms.Form):
    normalization = forms.ChoiceField(label=_("标准化方法"), choices=NORMALIZATION_CHOICES)
    scale_low = forms.FloatField(label=_("分值下限"), initial=0)
    scale_high = forms.FloatField(label=_("分值上限"), initial=100)
    aggregation = forms.ChoiceField(label=_("汇总方式"), choices=AGGREGATION_CHOICES)
    star_top_k = forms.IntegerField(label=_("单项前几名摘星"), min_value=0, initial=3)
    category_flags = forms.BooleanField(label=_("类别第一夺类别旗"), required=False, initial=True)
    red_flags = forms.IntegerField(label=_("红旗数（综合前几名）"), min_value=0, initial=1)
    yellow_flags = forms.IntegerField(label=_("黄旗数（综合后几名）"), min_value=0, initial=1)
    weak_k = forms.IntegerField(label=_("每个单位列出的短板指标数"), min_value=0, initial=3)
    # Rank intervals (docs/uncertainty.md): the plan's own draws, weight jitter and method alternatives.
    interval_draws = forms.IntegerField(label=_("名次区间：抽样次数"), min_value=100, max_value=MAX_PLAN_DRAWS,
                                        initial=DEFAULT_DRAWS, required=False)
    interval_jitter = forms.FloatField(label=_("名次区间：权重浮动幅度（如 0.25：各权重在 0.75 到 1.25 倍之间随机取值）"), min_value=0, max_value=0.9,
                                       initial=DEFAULT_JITTER, required=False)
    interval_alternatives = forms.MultipleChoiceField(
        label=_("名次区间：同时考虑其他方法"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[("normalization", _("其他标准化方法")), ("aggregation", _("其他汇总方式"))])
    note = forms.CharField(label=_("修订说明"), max_length=200, required=False)
    spec_json = forms.CharField(label=_("导入方案规则 JSON（填写后以此为准）"), required=False,
                                widget=forms.Textarea(attrs={"rows": 6, "class": "mono"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_fields(self)

    def clean(self):
        data = super().clean()
        low, high = data.get("scale_low"), data.get("scale_high")
        if low is not None and high is not None and not high > low:
            self.add_error("scale_high", _("分值上限应大于下限"))
        text = (data.get("spec_json") or "").strip()
        if text:
            try:
                data["pasted"] = parse_json_field(text)
            except forms.ValidationError as e:
                self.add_error("spec_json", e)
        return data


def positive(value) -> None:
    if value is not None and not value > 0:
        raise forms.ValidationError(_("权重应大于 0"))


def indicator_options() -> list[tuple[str, str]]:
    """The indicator picker's choices (by Chinese name), read once per page rather than once per table row."""
    return [("", "—")] + [(i.code, i.name) for i in Indicator.objects.all()]


class IndicatorRowForm(forms.Form):
    code = forms.ChoiceField(label=_("指标"), required=False)
    weight = forms.FloatField(label=_("权重"), required=False, validators=[positive], initial=1)
    group = forms.CharField(label=_("分组"), required=False, max_length=100,
                            widget=forms.TextInput(attrs={"list": "group-names"}))
    direction = forms.TypedChoiceField(label=_("方向"), choices=DIRECTION_CHOICES, coerce=int, initial=1)
    target = forms.FloatField(label=_("目标值"), required=False)

    def __init__(self, *args, indicator_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = indicator_choices if indicator_choices is not None else indicator_options()
        name_fields(self)


class GroupRowForm(forms.Form):
    """One group (类别), named in Chinese; `code` is generated and shown only in the advanced part."""

    name = forms.CharField(label=_("分组名称"), required=False, max_length=100)
    weight = forms.FloatField(label=_("权重"), required=False, validators=[positive], initial=1)
    parent = forms.CharField(label=_("上级分组"), required=False, max_length=100,
                             widget=forms.TextInput(attrs={"list": "group-names"}))
    code = forms.SlugField(label=_("分组编码"), required=False, max_length=40)

    BASIC = ("name", "weight", "parent")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_fields(self)

    def basic_fields(self):
        return [self[n] for n in self.BASIC]


IndicatorFormSet = formset_factory(IndicatorRowForm, extra=3)
GroupFormSet = formset_factory(GroupRowForm, extra=2)


def spec_initial(spec: dict) -> tuple[dict, list[dict], list[dict]]:
    """A stored spec split into the settings form's and the two tables' initial values (groups by name)."""
    awards = {**DEFAULT_AWARDS, **(spec.get("awards") or {})}
    scale = spec.get("scale") or [0, 100]
    intervals = spec.get("uncertainty") or {}
    settings = {"normalization": spec.get("normalization", "minmax"), "scale_low": scale[0], "scale_high": scale[1],
                "aggregation": spec.get("aggregation", "arithmetic"), "weak_k": spec.get("weak_k", 3), **awards,
                "interval_draws": intervals.get("draws", DEFAULT_DRAWS),
                "interval_jitter": intervals.get("jitter", DEFAULT_JITTER),
                "interval_alternatives": list(intervals.get("alternatives") or [])}
    label = {g["code"]: g.get("name") or g["code"] for g in spec.get("groups", [])}
    inds = [{"code": i["code"], "weight": i.get("weight", 1), "group": label.get(i.get("group"), i.get("group") or ""),
             "direction": i.get("direction", 1), "target": i.get("target")} for i in spec.get("indicators", [])]
    groups = [{"code": g["code"], "name": g.get("name") or "", "weight": g.get("weight", 1),
               "parent": label.get(g.get("parent"), g.get("parent") or "")} for g in spec.get("groups", [])]
    return settings, inds, groups


def _group_rows(group_set) -> tuple[list[dict], dict[str, str]]:
    """The filled group rows as spec groups (codes generated from names where blank) and a name-or-code → code
    lookup; errors are attached to the rows' fields."""
    rows = [f for f in group_set if f.cleaned_data.get("code") or f.cleaned_data.get("name")]
    taken = {f.cleaned_data["code"] for f in rows if f.cleaned_data.get("code")}
    groups, lookup = [], {}
    for form in rows:
        g = form.cleaned_data
        code = g.get("code") or unique_code(g["name"], taken, "group")
        taken.add(code)
        name = g.get("name") or None
        if name and name in lookup and lookup[name] != code:
            form.add_error("name", _("分组名称 %(name)s 重复") % {"name": name})
        lookup[code] = code
        if name:
            lookup[name] = code
        groups.append({"code": code, "name": name, "weight": g.get("weight") or 1, "parent": g.get("parent") or None})
    for form, g in zip(rows, groups, strict=True):
        if g["parent"]:
            if g["parent"] not in lookup:
                form.add_error("parent", _("上级分组 %(code)s 未定义") % {"code": g["parent"]})
            else:
                g["parent"] = lookup[g["parent"]]
    return groups, lookup


def build_spec(settings: SpecSettingsForm, ind_set, group_set) -> dict | None:
    """The spec the three forms describe, or None after attaching field errors in Chinese."""
    if not (settings.is_valid() and ind_set.is_valid() and group_set.is_valid()):
        return None
    data = settings.cleaned_data
    if data.get("pasted") is not None:
        return data["pasted"]
    groups, lookup = _group_rows(group_set)
    indicators = []
    for form in ind_set:
        i = form.cleaned_data
        if not i.get("code"):
            continue
        group = (i.get("group") or "").strip()
        if groups and not group:
            form.add_error("group", _("已定义分组时，每个指标都要归入一个分组"))
        elif group and group not in lookup:
            form.add_error("group", _("分组 %(code)s 未定义") % {"code": group})
        indicators.append({"code": i["code"], "direction": i["direction"], "weight": i.get("weight") or 1,
                           "group": lookup.get(group) if group else None, "target": i.get("target")})
    if not indicators:
        settings.add_error(None, _("至少要有一个指标"))
    if any(f.errors for f in [*ind_set, *group_set]) or settings.errors:
        return None
    return {
        "normalization": data["normalization"], "scale": [data["scale_low"], data["scale_high"]],
        "aggregation": data["aggregation"], "indicators": indicators, "groups": groups, "weak_k": data["weak_k"],
        "awards": {"star_top_k": data["star_top_k"], "category_flags": data["category_flags"],
                   "red_flags": data["red_flags"], "yellow_flags": data["yellow_flags"]},
        "uncertainty": {"draws": data.get("interval_draws") or DEFAULT_DRAWS,
                        "jitter": DEFAULT_JITTER if data.get("interval_jitter") is None else data["interval_jitter"],
                        "alternatives": [a for a in ALTERNATIVES if a in (data.get("interval_alternatives") or [])]},
    }


class ComputeForm(forms.Form):
    period = forms.ModelChoiceField(label=_("期间"), queryset=Period.objects.order_by("-start"), to_field_name="code")

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The latest month with data is what an office usually ranks next.
        latest = Period.objects.filter(observations__isnull=False).order_by("-start").first()
        if latest is not None:
            self.fields["period"].initial = latest.code
        if plan is not None:
            self.fields["version"] = forms.ModelChoiceField(
                label=_("方案版本"), queryset=plan.versions.order_by("-number"), required=False,
                empty_label=_("最新版本"))


class AdjustmentForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.filter(active=True).exclude(kind="city"))
    period = forms.ModelChoiceField(label=_("期间"), queryset=Period.objects.order_by("-start"))
    points = forms.FloatField(label=_("分值（加分为正、减分为负）"))
    reason = forms.CharField(label=_("事由"), max_length=200)
    plan = forms.ModelChoiceField(label=_("考核方案"), queryset=AssessmentPlan.objects.all(), required=False,
                                  empty_label=_("所有方案"))

    def clean_points(self):
        points = self.cleaned_data["points"]
        if points == 0:
            raise forms.ValidationError(_("分值不能为 0"))
        return points


class RankingCorrectionForm(forms.Form):
    """更正 a published ranking: one unit's bonus/deduction total, and why."""

    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none())
    points = forms.FloatField(label=_("更正后的加减分"), help_text=_("该单位在本期排名中的加减分合计；0 表示不加不减"),
                              min_value=-100, max_value=100)
    reason = forms.CharField(label=_("更正理由"), max_length=150, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, ranking=None, **kwargs):
        super().__init__(*args, **kwargs)
        if ranking is not None:
            self.fields["unit"].queryset = Unit.objects.filter(
                pk__in=ranking.rows.values_list("unit_id", flat=True)).order_by("sort_order", "code")
