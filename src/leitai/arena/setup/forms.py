"""Forms for setting up an arena: creating it, the rubric, the panel (one judge or pasted lines), the
order of presentation, the submission deadline, and a contestant's submission (items and slides). Forms of
the day itself are in day/forms.py."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from leitai.accounts.models import Role, User
from leitai.arena.base.models import Arena, ArenaKind
from leitai.arena.setup.models import SubmissionItem
from leitai.core import periods
from leitai.core.errors import LeitaiError
from leitai.core.judging.tally import bonus_by_rank
from leitai.indicators.models import Indicator
from leitai.lang import page_lang as lang
from leitai.rankings.models import AssessmentPlan, Ranking
from leitai.units.models import Unit

TEMPLATE_CHOICES = [
    ("liubi", _("六比：比质量、比位次、比创新、比项目、比环境、比担当")),
    ("four", _("站位、重点、措施、成效")),
    ("custom", _("自定义（以六比为起点，创建后在设置页修改评分项）")),
]
CODE_RE = re.compile(r"^[A-Za-z0-9_-]+$")
PAPER_MARKS = {"纸质", "纸", "paper", "是", "y", "yes", "1"}
SEPARATORS = re.compile(r"[,，\t]")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")



def _code(value: str) -> str:
    value = (value or "").strip()
    if value and not CODE_RE.match(value):
        raise ValidationError(_("编码只能用字母、数字、下划线或连字符"))
    return value


class ArenaCreateForm(forms.Form):
    """新建擂台赛: what it is, when and where, how it is scored and what it counts for."""

    name = forms.CharField(label=_("名称"), max_length=120)
    kind = forms.ChoiceField(label=_("类型"), choices=ArenaKind.choices, initial=ArenaKind.SECRETARY)
    kind_label = forms.CharField(label=_("自定义类型名称（类型选“其他”时填写）"), max_length=40, required=False)
    period = forms.CharField(label=_("考核期间"), max_length=20, help_text=_("通常为季度，如 2024Q2 或 2024年第二季度"))
    held_at = forms.DateTimeField(label=_("举办时间"), required=False, widget=DATETIME_WIDGET)
    venue = forms.CharField(label=_("地点"), max_length=120, required=False)
    speech_minutes = forms.FloatField(label=_("陈述时限（分钟）"), initial=8, min_value=0.5, max_value=120)
    question_minutes = forms.FloatField(label=_("考问时限（分钟）"), initial=5, min_value=0, max_value=120)
    ask_minutes = forms.FloatField(label=_("每位提问时限（分钟）"), initial=2, min_value=0.25, max_value=60, required=False,
                                   help_text=_("提问队列中每位提问人的发言时间，大屏倒计时"))
    reveal_mode = forms.ChoiceField(label=_("揭晓方式"), choices=Arena.RevealMode.choices, initial=Arena.RevealMode.EACH)
    quorum = forms.IntegerField(label=_("法定份数（每个评委组至少需要的评分表）"), initial=3, min_value=0, max_value=100,
                                required=False,
                                help_text=_("低于此数时须填写理由才能揭晓或发布；评委少于此数的组须全部提交；0 表示不检查"))
    template = forms.ChoiceField(label=_("评分模板"), choices=TEMPLATE_CHOICES, initial="liubi")
    bonus_ranks = forms.CharField(label=_("按名次加分（第1名、第2名……，逗号分隔）"), initial="2, 1", required=False,
                                  max_length=100)
    bonus_last = forms.FloatField(label=_("末位扣分（负数；留空则不扣）"), initial=-1, required=False)
    plan = forms.ModelChoiceField(label=_("计入考绩的考核方案"), queryset=AssessmentPlan.objects.filter(active=True),
                                  required=False, empty_label=_("（不计入考核方案）"))

    def clean_period(self):
        try:
            return periods.parse(self.cleaned_data["period"].strip()).code
        except LeitaiError as exc:
            raise ValidationError(exc.message(lang()))

    def clean_bonus_ranks(self):
        points = []
        for n, part in enumerate(SEPARATORS.split(self.cleaned_data["bonus_ranks"] or ""), 1):
            part = part.strip().replace("＋", "+").replace("−", "-")
            if not part:
                continue
            try:
                points.append(float(part))
            except ValueError:
                raise ValidationError(_("第 %(n)d 个分值“%(v)s”不是数字"), params={"n": n, "v": part})
        return points

    def clean(self):
        data = super().clean()
        if data.get("kind") == ArenaKind.CUSTOM and not (data.get("kind_label") or "").strip():
            self.add_error("kind_label", _("类型选“其他”时请填写类型名称"))
        return data

    @property
    def bonus_rule(self) -> dict:
        """{"1": 2, "2": 1, "last": -1}: the form's rows as the rule the tally reads."""
        d = self.cleaned_data
        rule = {str(n): p for n, p in enumerate(d.get("bonus_ranks") or [], 1)}
        if d.get("bonus_last") is not None:
            rule["last"] = d["bonus_last"]
        bonus_by_rank({}, rule)  # the tally's own check: raises SpecError for a rule it cannot read
        return rule


# ---- rubric -------------------------------------------------------------------------------------

class CriterionForm(forms.Form):
    """One row of the criteria table; a row left blank is dropped."""

    code = forms.CharField(label=_("编码"), max_length=20, required=False)
    name = forms.CharField(label=_("名称"), max_length=60, required=False)
    weight = forms.FloatField(label=_("权重"), required=False, widget=forms.NumberInput(attrs={"step": "any"}))
    max = forms.FloatField(label=_("满分"), required=False, widget=forms.NumberInput(attrs={"step": "any"}))
    step = forms.FloatField(label=_("最小分差"), required=False, widget=forms.NumberInput(attrs={"step": "any"}))

    def clean_code(self):
        return _code(self.cleaned_data["code"])

    def clean(self):
        d = super().clean()
        if not any(d.get(k) not in (None, "") for k in ("code", "name", "weight", "max", "step")):
            return d
        for key, message in (("code", _("请填写编码")), ("name", _("请填写名称")), ("max", _("请填写满分"))):
            if d.get(key) in (None, "") and key not in self.errors:
                self.add_error(key, message)
        for key, message in (("weight", _("权重应大于 0")), ("max", _("满分应大于 0")), ("step", _("最小分差应大于 0"))):
            if d.get(key) is not None and d[key] <= 0:
                self.add_error(key, message)
        return d

    def row(self) -> dict | None:
        d = self.cleaned_data
        if not d.get("code"):
            return None
        row = {"code": d["code"], "name": d["name"], "weight": d["weight"] if d.get("weight") is not None else 1.0,
               "max": d["max"]}
        if d.get("step") is not None:
            row["step"] = d["step"]
        return row


class GroupForm(forms.Form):
    """One judge group: its weight and how many highest and lowest sheets are dropped."""

    code = forms.CharField(label=_("编码"), max_length=20, required=False)
    name = forms.CharField(label=_("名称"), max_length=60, required=False)
    weight = forms.FloatField(label=_("权重"), required=False, widget=forms.NumberInput(attrs={"step": "any"}))
    trim = forms.IntegerField(label=_("去掉最高最低分各几个"), required=False, min_value=0)

    def clean_code(self):
        return _code(self.cleaned_data["code"])

    def clean(self):
        d = super().clean()
        if not any(d.get(k) not in (None, "") for k in ("code", "name", "weight", "trim")):
            return d
        for key, message in (("code", _("请填写编码")), ("name", _("请填写名称"))):
            if not d.get(key) and key not in self.errors:
                self.add_error(key, message)
        if d.get("weight") is not None and d["weight"] <= 0:
            self.add_error("weight", _("权重应大于 0"))
        return d

    def row(self) -> dict | None:
        d = self.cleaned_data
        if not d.get("code"):
            return None
        return {"code": d["code"], "name": d["name"], "weight": d["weight"] if d.get("weight") is not None else 1.0,
                "trim": d.get("trim") or 0}


class _RowsFormSet(forms.BaseFormSet):
    empty_message = _("至少需要一行")

    def rows(self) -> list[dict]:
        return [r for r in (f.row() for f in self.forms) if r is not None]

    def clean(self):
        if any(self.errors):
            return
        codes = [r["code"] for r in self.rows()]
        if not codes:
            raise ValidationError(self.empty_message)
        doubled = sorted({c for c in codes if codes.count(c) > 1})
        if doubled:
            raise ValidationError(_("编码重复：%(codes)s"), params={"codes": "、".join(doubled)})


class _CriteriaFormSet(_RowsFormSet):
    empty_message = _("至少需要一个评分项")


class _GroupsFormSet(_RowsFormSet):
    empty_message = _("至少需要一个评委组")


CriterionFormSet = formset_factory(CriterionForm, formset=_CriteriaFormSet, extra=2)
GroupFormSet = formset_factory(GroupForm, formset=_GroupsFormSet, extra=1)


class TieBreakForm(forms.Form):
    tie_break = forms.CharField(label=_("同分时依次比较的评委组编码（逗号分隔，可留空）"), required=False, max_length=200)

    def clean_tie_break(self):
        return [c.strip() for c in SEPARATORS.split(self.cleaned_data["tie_break"] or "") if c.strip()]


# ---- contestants and order ------------------------------------------------------------------------

class ContestantsForm(forms.Form):
    """Units to add as contestants (checkboxes grouped by kind on the page)."""

    units = forms.ModelMultipleChoiceField(label=_("参赛单位"), queryset=Unit.objects.filter(active=True),
                                           widget=forms.CheckboxSelectMultiple,
                                           error_messages={"required": _("请至少勾选一个单位")})


class DrawForm(forms.Form):
    seed = forms.CharField(label=_("抽签种子（留空则随机生成并记录）"), max_length=64, required=False)


class RankingOrderForm(forms.Form):
    ranking = forms.ModelChoiceField(
        label=_("按已发布成绩单的名次"), empty_label=None,
        queryset=Ranking.objects.filter(status=Ranking.Status.PUBLISHED)
        .select_related("plan_version__plan", "period").order_by("-period__start", "-pk"))


class QuorumForm(forms.Form):
    quorum = forms.IntegerField(label=_("法定份数（每个评委组至少需要的评分表）"), min_value=0, max_value=100,
                                help_text=_("低于此数时须填写理由才能揭晓或发布；评委少于此数的组须全部提交；0 表示不检查"))


class DeadlineForm(forms.Form):
    submission_deadline = forms.DateTimeField(label=_("材料提交截止时间"), required=False, widget=DATETIME_WIDGET)
    max_slides_mb = forms.IntegerField(label=_("汇报材料大小上限（MB）"), min_value=1, max_value=200)


# ---- the panel ------------------------------------------------------------------------------------

class JudgeForm(forms.Form):
    """Add one judge to a group of the arena's panel."""

    group = forms.ModelChoiceField(label=_("评委组"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("姓名"), max_length=50)
    title = forms.CharField(label=_("职务/身份"), max_length=80, required=False)
    unit = forms.ModelChoiceField(label=_("所属单位（回避该单位）"), queryset=Unit.objects.filter(active=True),
                                  required=False, empty_label=_("（无）"))
    paper = forms.BooleanField(label=_("纸质评分"), required=False)
    account = forms.ModelChoiceField(label=_("评委账号"), queryset=User.objects.filter(role=Role.JUDGE, is_active=True),
                                     required=False, empty_label=_("（无）"),
                                     help_text=_("评委用此账号登录后，在首页看到所评的擂台赛并可打开评分页面"))

    def __init__(self, *args, arena, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = arena.groups.all()


class BulkJudgeForm(forms.Form):
    """Judges pasted one per line: 姓名,职务,评委组编码[,所属单位编码][,纸质]."""

    lines = forms.CharField(label=_("每行一位评委：姓名,职务,评委组编码[,所属单位编码][,纸质]"),
                            widget=forms.Textarea(attrs={"rows": 6, "placeholder": _("王五,市长,leaders\n李四,企业代表,public,,纸质")}))

    def __init__(self, *args, arena, **kwargs):
        super().__init__(*args, **kwargs)
        self.arena = arena

    def clean_lines(self) -> list[dict]:
        groups = {g.code: g for g in self.arena.groups.all()}
        units = {}
        for u in Unit.objects.all():
            units[u.code] = units[u.name] = u
        out, problems = [], []
        for n, raw in enumerate(self.cleaned_data["lines"].splitlines(), 1):
            if not raw.strip():
                continue
            parts = [p.strip() for p in SEPARATORS.split(raw)]
            paper = len(parts) > 3 and parts[-1].lower() in PAPER_MARKS
            if paper:
                parts = parts[:-1]
            if len(parts) < 3 or len(parts) > 4:
                problems.append(_("第 %(n)d 行：应为“姓名,职务,评委组编码[,所属单位编码][,纸质]”，实有 %(k)d 项")
                                % {"n": n, "k": len(parts) + paper})
                continue
            name, title, group_code = parts[:3]
            unit_code = parts[3] if len(parts) == 4 else ""
            if not name:
                problems.append(_("第 %(n)d 行：缺少姓名") % {"n": n})
            if group_code not in groups:
                problems.append(_("第 %(n)d 行：评委组编码“%(code)s”不存在（可用：%(known)s）")
                                % {"n": n, "code": group_code, "known": "、".join(groups) or "—"})
            if unit_code and unit_code not in units:
                problems.append(_("第 %(n)d 行：单位“%(code)s”不存在") % {"n": n, "code": unit_code})
            if name and group_code in groups and (not unit_code or unit_code in units):
                out.append({"name": name, "title": title, "group": groups[group_code],
                            "unit": units.get(unit_code) if unit_code else None, "paper": paper})
        if problems:
            raise ValidationError([ValidationError(str(p)) for p in problems])
        if not out:
            raise ValidationError(_("没有可添加的评委"))
        return out


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
