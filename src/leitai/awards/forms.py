"""The awards' forms, in plain Chinese fields; the services validate again (the API and the CLI use them too)."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leitai.indicators.models import Period
from leitai.rankings.models import AssessmentPlan
from leitai.units.models import Person, Unit

from .models import AwardKind, Recipient, Team


class KindForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=60)
    code = forms.CharField(label=_("编码"), max_length=40,
                           help_text=_("考绩办法按此编码给分；字母、数字、短横线，如 haitun"))
    basis = forms.ChoiceField(label=_("评定方式"), choices=AwardKind.Basis.choices)
    rule = forms.ChoiceField(label=_("规则（按规则评定时）"), required=False,
                             choices=[("", "—")] + list(AwardKind.Rule.choices))
    n = forms.IntegerField(label=_("名次数 N（前 N 名、后 N 名）"), min_value=1, max_value=100, initial=1)
    plan = forms.ModelChoiceField(label=_("限于考核方案（排名类规则，留空不限）"), required=False,
                                  queryset=AssessmentPlan.objects.filter(active=True))
    recipient = forms.ChoiceField(label=_("授予对象（推荐审批时）"), choices=Recipient.choices, initial=Recipient.UNIT)
    name_en = forms.CharField(label=_("英文名称"), max_length=100, required=False)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    citation = forms.CharField(label=_("证书用语"), max_length=200, required=False,
                               help_text=_("留空则为“特发此证，以资鼓励。”"))
    sort_order = forms.IntegerField(label=_("排序"), initial=0, required=False)
    active = forms.BooleanField(label=_("在用"), required=False, initial=True)

    def clean(self):
        data = super().clean()
        if data.get("basis") == AwardKind.Basis.RULE and not data.get("rule"):
            self.add_error("rule", _("按规则评定的表彰请选择规则"))
        return data

    @staticmethod
    def initial_from(kind: AwardKind) -> dict:
        return {"name": kind.name, "code": kind.code, "basis": kind.basis, "rule": kind.rule, "n": kind.n,
                "plan": kind.plan_id, "recipient": kind.recipient, "name_en": kind.name_en,
                "description": kind.description, "citation": kind.citation, "sort_order": kind.sort_order,
                "active": kind.active}


def _periods():
    return Period.objects.filter(kind__in=("quarter", "year", "month")).order_by("-start", "kind")


class NominationForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("表彰类别"), queryset=AwardKind.objects.none())
    unit = forms.ModelChoiceField(label=_("单位（授予单位时）"), required=False, queryset=Unit.objects.none())
    person = forms.ModelChoiceField(label=_("人员（授予个人时）"), required=False, queryset=Person.objects.none())
    team = forms.ModelChoiceField(label=_("团队（授予团队时）"), required=False, queryset=Team.objects.none())
    period = forms.ModelChoiceField(label=_("期间（如季度）"), required=False, queryset=Period.objects.none())
    date = forms.DateField(label=_("表彰日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reason = forms.CharField(label=_("推荐理由（事迹）"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = AwardKind.objects.filter(basis=AwardKind.Basis.NOMINATION, active=True)
        units = Unit.objects.filter(active=True).order_by("sort_order", "code")
        people = Person.objects.order_by("name", "id")
        teams = Team.objects.filter(active=True).order_by("name")
        if user is not None and not user.is_organizer and user.unit is not None:
            # a reporter: their own unit and the units below it, the people in post there, its teams
            ids = [u.pk for u in units if u.is_within(user.unit)]
            units = units.filter(pk__in=ids)
            today = timezone.localdate()
            people = people.filter(posts__unit_id__in=ids, posts__start__lte=today).filter(
                Q(posts__end__isnull=True) | Q(posts__end__gte=today)).distinct()
            teams = teams.filter(unit_id__in=ids)
        self.fields["unit"].queryset = units
        self.fields["person"].queryset = people
        self.fields["team"].queryset = teams
        self.fields["period"].queryset = _periods()
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("审批意见（不批准时必填）"), required=False, max_length=200)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("撤销理由"), max_length=200)


class TeamForm(forms.Form):
    name = forms.CharField(label=_("团队名称"), max_length=100)
    unit = forms.ModelChoiceField(label=_("所属单位"), required=False,
                                  queryset=Unit.objects.filter(active=True).order_by("sort_order", "code"))
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    active = forms.BooleanField(label=_("在用"), required=False, initial=True)


class MemberForm(forms.Form):
    person = forms.ModelChoiceField(label=_("人员"), queryset=Person.objects.order_by("name", "id"))
    role = forms.CharField(label=_("团队职务"), max_length=40, required=False)
    start = forms.DateField(label=_("加入日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class EndForm(forms.Form):
    end = forms.DateField(label=_("离开日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
