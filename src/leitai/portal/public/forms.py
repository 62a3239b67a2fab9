"""The press release form: the source (a published ranking: period and plan), the indicators with their
printed order (1, 2, 3 …; blank leaves one out), the title and the office; a correction also needs its reason."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from leitai.rankings.selectors import period_label

from . import selectors


class RankingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{period_label(obj.period)} · {obj.plan_version.plan.name}"


class ReleaseForm(forms.Form):
    ranking = RankingChoice(label=_("期间与考核方案（已发布的排名）"), queryset=selectors.source_rankings(),
                            empty_label=None)
    title = forms.CharField(label=_("标题"), max_length=120)
    office = forms.CharField(label=_("发布单位"), max_length=60)
    reason = forms.CharField(label=_("更正理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, ranking=None, correction: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ranking"].queryset = selectors.source_rankings()
        self.correction = correction
        if correction:
            self.fields["reason"].required = True
        else:
            del self.fields["reason"]
        if ranking is None:
            ranking = self._bound_ranking() or self.fields["ranking"].queryset.first()
        self.source = ranking
        self.indicator_rows = []
        for col in (selectors.ranking_indicators(ranking) if ranking else []):
            name = f"order_{col['code']}"
            self.fields[name] = forms.IntegerField(
                label=col["name"], required=False, min_value=1, max_value=selectors.MAX_RELEASE_INDICATORS,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "order"}))
            self.indicator_rows.append({"col": col, "name": name, "group": col["group"]})
        for row in self.indicator_rows:
            row["field"] = self[row["name"]]

    def _bound_ranking(self):
        raw = (self.data.get("ranking") if self.is_bound else None) or self.initial.get("ranking")
        raw = getattr(raw, "pk", raw)
        if raw and str(raw).isdigit():
            return self.fields["ranking"].queryset.filter(pk=int(raw)).first()
        return None

    def clean(self):
        data = super().clean()
        chosen = []
        for row in self.indicator_rows:
            order = data.get(row["name"])
            if order is not None:
                chosen.append((order, row["col"]["code"], row["name"]))
        orders = [o for o, _c, _n in chosen]
        for order, _code, name in chosen:
            if orders.count(order) > 1:
                self.add_error(name, _("顺序 %(n)d 重复：每个指标的顺序须不同") % {"n": order})
        if not chosen and not self.errors:
            raise forms.ValidationError(_("发布的指标：请至少填写一个指标的顺序"))
        data["codes"] = [code for _o, code, _n in sorted(chosen)]
        return data
