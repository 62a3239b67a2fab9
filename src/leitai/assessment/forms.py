"""The scheme (考核办法) as office staff fill it in: plain Chinese fields, no codes and no JSON. `to_spec`
builds the rules core.assessment reads; `initial_from_spec` fills the form back from them."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from leitai.awards.models import AwardKind
from leitai.rankings.models import AssessmentPlan
from leitai.units.models import UnitKind

RANK_MODES = [("points", _("名次赋分（按赋分表）")), ("score", _("综合得分（各月平均）")), ("none", _("不计"))]
DEFAULT_POINTS = "10,9,8,7,6,5,4,3,2,1"


def _dec(label, initial=None, **kw):
    return forms.DecimalField(label=label, required=False, initial=initial, max_digits=8, decimal_places=3, **kw)


class SchemeForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100, initial="年度综合考绩")
    plan = forms.ModelChoiceField(label=_("考核方案"), queryset=AssessmentPlan.objects.filter(active=True))
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    rank_mode = forms.ChoiceField(label=_("月度排名"), choices=RANK_MODES, initial="points")
    rank_points = forms.CharField(label=_("名次赋分表（第 1 名、第 2 名……，逗号分隔）"), required=False, initial=DEFAULT_POINTS)
    rank_weight = _dec(_("月度排名权重"), 1, min_value=0)
    arena_on = forms.BooleanField(label=_("计入擂台赛加减分"), required=False, initial=True)
    arena_weight = _dec(_("擂台赛加减分权重"), 1, min_value=0)
    other_on = forms.BooleanField(label=_("计入其他加减分事项"), required=False, initial=True)
    other_weight = _dec(_("其他加减分权重"), 1, min_value=0)
    pledge_max = _dec(_("承诺兑现率满分（留空不计）"), 5, min_value=0)
    items_max = _dec(_("整改按时销号率满分（留空不计）"), 5, min_value=0)
    items_per_late = _dec(_("每件逾期整改事项扣分"), Decimal("0.5"), min_value=0)
    reviews_max = _dec(_("回头看满意度满分（留空不计）"), 5, min_value=0)
    rollup_kinds = forms.MultipleChoiceField(label=_("计入上级单位的下属单位类型"), required=False,
                                             choices=UnitKind.choices, widget=forms.CheckboxSelectMultiple)
    rollup_weight = _dec(_("下属单位平均分计入权重"), Decimal("0.2"), min_value=0)
    excellent_share = _dec(_("优秀比例上限（%）"), 30, min_value=0, max_value=100)
    excellent_min = _dec(_("优秀最低分（留空不限）"))
    good_share = _dec(_("良好比例上限（%，留空则其余均为良好）"), 40, min_value=0, max_value=100)
    poor_below = _dec(_("低于此分为较差（留空不用）"))
    poor_last = forms.BooleanField(label=_("末位为较差"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # one field per award kind: its points for each award of that kind a unit received (表彰计分)
        self.award_fields: list[str] = []
        for kind in AwardKind.objects.order_by("sort_order", "id"):
            name = f"award_{kind.code}"
            self.fields[name] = _dec(_("“%(name)s”每项得分（负数为扣分，留空不计）") % {"name": kind.name})
            self.award_fields.append(name)

    def clean_rank_points(self):
        raw = self.cleaned_data["rank_points"].replace("，", ",").replace("、", ",")
        if self.data.get("rank_mode") != "points":
            return []
        try:
            points = [float(p) for p in raw.split(",") if p.strip()]
        except ValueError:
            raise ValidationError(_("赋分表应为逗号分隔的数字，如 10,9,8"))
        if not points:
            raise ValidationError(_("请填写赋分表"))
        if any(b > a for a, b in zip(points, points[1:], strict=False)):
            raise ValidationError(_("名次靠后的分数不能更高"))
        return [int(p) if p.is_integer() else p for p in points]

    def clean(self):
        data = super().clean()
        if not self.errors:
            data["spec"] = self.to_spec()
        return data

    def to_spec(self) -> dict:
        d = self.cleaned_data

        def num(x, default=1):
            x = default if x is None else x
            return int(x) if x == int(x) else float(x)

        comps = []
        if d["rank_mode"] == "points":
            comps.append({"code": "rank", "kind": "rank_points", "name": "月度排名赋分", "points": d["rank_points"],
                          "weight": num(d["rank_weight"])})
        elif d["rank_mode"] == "score":
            comps.append({"code": "score", "kind": "rank_score", "name": "月度综合得分", "weight": num(d["rank_weight"])})
        if d["arena_on"]:
            comps.append({"code": "arena", "kind": "ledger", "source": "arena", "name": "擂台赛", "weight": num(d["arena_weight"])})
        if d["other_on"]:
            comps.append({"code": "bonus", "kind": "ledger", "source": "other", "name": "加减分事项", "weight": num(d["other_weight"])})
        if d["pledge_max"] is not None:
            comps.append({"code": "pledges", "kind": "pledge_rate", "name": "承诺兑现", "max": num(d["pledge_max"])})
        if d["items_max"] is not None or d["items_per_late"]:
            comps.append({"code": "items", "kind": "item_ontime", "name": "整改销号", "max": num(d["items_max"], 0),
                          "per_late": -num(d["items_per_late"], 0)})
        if d["reviews_max"] is not None:
            comps.append({"code": "reviews", "kind": "review_satisfaction", "name": "回头看", "max": num(d["reviews_max"])})
        award_points = {name.removeprefix("award_"): num(d[name]) for name in self.award_fields if d.get(name) is not None}
        if award_points:
            comps.append({"code": "awards", "kind": "awards", "name": "表彰", "points": award_points})
        if not comps:
            raise ValidationError(_("请至少选择一项计入考绩的内容"))
        grades = {"excellent_share": num(d["excellent_share"], 0) / 100, "poor_last": bool(d["poor_last"])}
        if d["good_share"] is not None:
            grades["good_share"] = num(d["good_share"]) / 100
        for key in ("excellent_min", "poor_below"):
            if d[key] is not None:
                grades[key] = num(d[key])
        rollup = {"kinds": list(d["rollup_kinds"]), "weight": num(d["rollup_weight"], 0) if d["rollup_kinds"] else 0}
        return {"components": comps, "rollup": rollup, "grades": grades}

    @staticmethod
    def initial_from(scheme) -> dict:
        spec = scheme.spec
        out = {"name": scheme.name, "plan": scheme.plan_id, "year": scheme.year, "note": scheme.note,
               "rank_mode": "none", "arena_on": False, "other_on": False, "pledge_max": None, "items_max": None,
               "items_per_late": None, "reviews_max": None}
        for c in spec["components"]:
            if c["kind"] == "rank_points":
                out.update(rank_mode="points", rank_points=",".join(str(p) for p in c["points"]), rank_weight=c["weight"])
            elif c["kind"] == "rank_score":
                out.update(rank_mode="score", rank_weight=c["weight"])
            elif c["kind"] == "ledger":
                key = "arena" if c.get("source") == "arena" else "other"
                out.update({f"{key}_on": True, f"{key}_weight": c["weight"]})
            elif c["kind"] == "pledge_rate":
                out["pledge_max"] = c["max"]
            elif c["kind"] == "item_ontime":
                out.update(items_max=c.get("max"), items_per_late=-c.get("per_late", 0))
            elif c["kind"] == "review_satisfaction":
                out["reviews_max"] = c["max"]
            elif c["kind"] == "awards":
                out.update({f"award_{code}": points for code, points in c["points"].items()})
        g = spec.get("grades", {})
        out.update(excellent_share=round(g.get("excellent_share", 0) * 100, 3),
                   good_share=round(g["good_share"] * 100, 3) if "good_share" in g else None,
                   excellent_min=g.get("excellent_min"), poor_below=g.get("poor_below"), poor_last=g.get("poor_last", False),
                   rollup_kinds=spec.get("rollup", {}).get("kinds", []), rollup_weight=spec.get("rollup", {}).get("weight"))
        return out
