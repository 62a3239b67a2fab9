"""The rubric of an arena (评分规则): weighted criteria with a full mark and optional step, judge groups
with weight and trim, the tie-break order; `parse_rubric` reads its JSON form (RUBRIC.json), and
`score_problem` says whether a number can be a score for a criterion. Used by `judging.tally`.

    {"criteria": [{"code", "weight", "max", "step"?, "name"?}],
     "groups": [{"code", "weight", "trim", "name"?}],
     "tie_break"?: ["leaders", ...],
     "calibration"?: {"method": "standardize"}
                   | {"method": "drop_flagged", "flags"?: ["lenient", "severe", ...], "threshold"?: T}}

weight > 0 (default 1), max > 0, step > 0, trim a whole number ≥ 0 (default 0). Unknown keys are refused so
that a misspelt "wieght" cannot silently become weight 1.
"""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from leitai.core.errors import SpecError


@dataclass(frozen=True)
class Criterion:
    """One criterion of a rubric (e.g. 比担当): its weight, its full mark and an optional step."""

    code: str
    weight: float
    max: float
    step: float | None = None
    name: str | None = None


@dataclass(frozen=True)
class JudgeGroup:
    """A group of the panel (考官团): city leaders, representatives of society…; weight and trim k."""

    code: str
    weight: float
    trim: int
    name: str | None = None


CALIBRATION_METHODS = ("standardize", "drop_flagged")
CALIBRATION_FLAGS = ("lenient", "severe", "erratic", "favours_linked")


@dataclass(frozen=True)
class Calibration:
    """A calibration rule the tally applies (declared before scoring opens; docs/uncertainty.md, 评委审计):
    `standardize` each judge's totals within their group, or `drop_flagged` the sheets of the judges the
    audit (core/judging/audit.py) gives one of `flags`, with threshold T (None: the audit's default)."""

    method: str
    flags: tuple[str, ...] = ()
    threshold: float | None = None

    def as_dict(self) -> dict:
        if self.method == "standardize":
            return {"method": "standardize"}
        out: dict = {"method": self.method, "flags": list(self.flags)}
        if self.threshold is not None:
            out["threshold"] = self.threshold
        return out


@dataclass(frozen=True)
class Rubric:
    """An arena's rubric: weighted criteria, judge groups and the tie-break order of group codes."""

    criteria: tuple[Criterion, ...]
    groups: tuple[JudgeGroup, ...]
    tie_break: tuple[str, ...] = ()
    calibration: Calibration | None = None

    def __post_init__(self) -> None:
        for name in ("criteria", "groups", "tie_break"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        # parse_rubric explains problems field by field; this guards rubrics built in code, where a zero
        # weight sum or a negative trim would otherwise surface as a ZeroDivisionError or a silent no-op.
        codes = [c.code for c in self.criteria]
        groups = [g.code for g in self.groups]
        if not codes or len(set(codes)) != len(codes) or len(set(groups)) != len(groups):
            raise _spec_err("评分项不能为空，评分项与评委组的 code 不能重复",
                            "criteria must not be empty, and criterion and group codes must be unique")
        if any(not c.weight > 0 for c in self.criteria) or any(not g.weight > 0 for g in self.groups) or any(
                not c.max > 0 or (c.step is not None and not c.step > 0) for c in self.criteria):
            raise _spec_err("weight、max、step 都应大于 0", "weight, max and step must be greater than 0")
        if any(g.trim < 0 or g.trim != int(g.trim) for g in self.groups):
            raise _spec_err("trim 应为不小于 0 的整数", "trim must be a whole number ≥ 0")
        if any(t not in groups for t in self.tie_break):
            raise _spec_err("tie_break 中有未定义的评委组", "tie_break names a group that is not defined")

    @property
    def criterion_codes(self) -> list[str]:
        return [c.code for c in self.criteria]

    @property
    def group_codes(self) -> list[str]:
        return [g.code for g in self.groups]


def _spec_err(zh: str, en: str) -> SpecError:
    return SpecError(f"评分规则有误：{zh}", f"Invalid rubric: {en}")


def _number(value, zh: str, en: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise _spec_err(f"{zh} 应为数字，实为 {value!r}", f"{en} must be a number, got {value!r}")
    if value <= 0:
        raise _spec_err(f"{zh} 应大于 0，实为 {value!r}", f"{en} must be greater than 0, got {value!r}")
    return float(value)


def _items(data: dict, key: str, allowed: set[str], label: tuple[str, str]) -> list[tuple[str, str, str, dict]]:
    """The entries of data[key] as (code, zh, en, entry), each checked to be an object with a code."""
    raw = data.get(key)
    if not isinstance(raw, list) or not raw:
        raise _spec_err(f"{key} 应为非空数组", f"{key} must be a non-empty array")
    out: list[tuple[str, str, str, dict]] = []
    for n, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            raise _spec_err(f"{key} 第 {n} 项应为对象", f"{key} item {n} must be an object")
        code = item.get("code")
        if isinstance(code, bool) or not isinstance(code, str | int) or not str(code).strip():
            raise _spec_err(f"{key} 第 {n} 项缺少 code", f"{key} item {n} has no code")
        code = str(code).strip()
        zh, en = f"{label[0]} {code}", f"{label[1]} {code}"
        unknown = sorted(set(item) - allowed)
        if unknown:
            raise _spec_err(f"{zh} 含未知的键 {', '.join(unknown)}", f"{en} has unknown key(s) {', '.join(unknown)}")
        if any(code == c for c, *_ in out):
            raise _spec_err(f"{key} 中 code {code} 重复", f"code {code} appears twice in {key}")
        out.append((code, zh, en, item))
    return out


def parse_rubric(data: Mapping) -> Rubric:
    """Check a rubric dict (RUBRIC.json) and build a Rubric; problems raise SpecError naming the field."""
    if not isinstance(data, Mapping):
        raise _spec_err("应为 JSON 对象", "must be a JSON object")
    unknown = sorted(set(data) - {"criteria", "groups", "tie_break", "calibration"})
    if unknown:
        raise _spec_err(f"未知的键 {', '.join(unknown)}", f"unknown key(s) {', '.join(unknown)}")
    data = dict(data)
    criteria = []
    for code, zh, en, c in _items(data, "criteria", {"code", "weight", "max", "step", "name"}, ("评分项", "criterion")):
        if "max" not in c:
            raise _spec_err(f"{zh} 缺少 max（满分）", f"{en} has no max")
        step = c.get("step")
        criteria.append(Criterion(
            code, _number(c.get("weight", 1), f"{zh} 的 weight", f"{en} weight"),
            _number(c["max"], f"{zh} 的 max", f"{en} max"),
            None if step is None else _number(step, f"{zh} 的 step", f"{en} step"), c.get("name")))
    groups = []
    for code, zh, en, g in _items(data, "groups", {"code", "weight", "trim", "name"}, ("评委组", "group")):
        trim = g.get("trim", 0)
        if isinstance(trim, bool) or not isinstance(trim, int | float) or trim < 0 or trim != int(trim):
            raise _spec_err(f"{zh} 的 trim 应为不小于 0 的整数，实为 {trim!r}",
                            f"{en} trim must be a whole number ≥ 0, got {trim!r}")
        groups.append(JudgeGroup(code, _number(g.get("weight", 1), f"{zh} 的 weight", f"{en} weight"),
                                 int(trim), g.get("name")))
    tie_break = data.get("tie_break") or []
    if not isinstance(tie_break, list):
        raise _spec_err("tie_break 应为评委组 code 的数组", "tie_break must be an array of group codes")
    codes = [g.code for g in groups]
    tie_break = [str(t) for t in tie_break]
    for t in tie_break:
        if t not in codes:
            raise _spec_err(f"tie_break 中的评委组 {t} 不存在", f"tie_break names group {t}, which is not defined")
        if tie_break.count(t) > 1:
            raise _spec_err(f"tie_break 中评委组 {t} 出现了两次", f"tie_break names group {t} twice")
    return Rubric(tuple(criteria), tuple(groups), tuple(tie_break), parse_calibration(data.get("calibration")))


def parse_calibration(raw) -> Calibration | None:
    """The rubric's "calibration" object (None when absent or null); problems name the field."""
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise _spec_err("calibration 应为对象，如 {\"method\": \"standardize\"}",
                        "calibration must be an object, e.g. {\"method\": \"standardize\"}")
    method = raw.get("method")
    if method not in CALIBRATION_METHODS:
        raise _spec_err(f"calibration 的 method 应为 {' 或 '.join(CALIBRATION_METHODS)}，实为 {method!r}",
                        f"calibration method must be {' or '.join(CALIBRATION_METHODS)}, got {method!r}")
    allowed = {"method"} if method == "standardize" else {"method", "flags", "threshold"}
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise _spec_err(f"calibration（{method}）含未知的键 {', '.join(unknown)}",
                        f"calibration ({method}) has unknown key(s) {', '.join(unknown)}")
    if method == "standardize":
        return Calibration(method)
    flags = raw.get("flags", ["lenient", "severe"])
    if not isinstance(flags, list) or not flags or any(f not in CALIBRATION_FLAGS for f in flags) or (
            len(set(flags)) != len(flags)):
        raise _spec_err(f"calibration 的 flags 应为 {'、'.join(CALIBRATION_FLAGS)} 中不重复的若干项，实为 {flags!r}",
                        f"calibration flags must be distinct items of {', '.join(CALIBRATION_FLAGS)}, got {flags!r}")
    threshold = raw.get("threshold")
    if threshold is not None:
        if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real) or not math.isfinite(threshold) \
                or threshold < 0:
            raise _spec_err(f"calibration 的 threshold 应为不小于 0 的数，实为 {threshold!r}",
                            f"calibration threshold must be a number ≥ 0, got {threshold!r}")
        threshold = float(threshold)
    return Calibration(method, tuple(flags), threshold)


def exact(x: float) -> Fraction:
    """The decimal a float stands for (its shortest text): exact(0.1) == Fraction(1, 10)."""
    if isinstance(x, numbers.Integral):
        return Fraction(int(x))
    return _decimal(float(x))


@functools.lru_cache(maxsize=1 << 16)
def _decimal(x: float) -> Fraction:
    # A day's sheets repeat a few dozen distinct scores thousands of times; parsing each once halves a tally.
    return Fraction(repr(x))


def _fmt(x: float) -> str:
    x = float(x)
    return str(int(x)) if x.is_integer() else repr(x)


def score_problem(value, criterion: Criterion) -> tuple[str, str] | None:
    """Why `value` cannot be a score for `criterion`, as (zh, en); None when it can."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(float(value)):
        return f"“{value}”不是数字", f"'{value}' is not a number"
    value = float(value)
    if value < 0:
        return f"分数 {_fmt(value)} 小于 0", f"score {_fmt(value)} is below 0"
    if value > criterion.max:
        return (f"分数 {_fmt(value)} 超过评分项 {criterion.code} 的满分 {_fmt(criterion.max)}",
                f"score {_fmt(value)} exceeds the maximum {_fmt(criterion.max)} of criterion {criterion.code}")
    if criterion.step is not None and (exact(value) / exact(criterion.step)).denominator != 1:
        return (f"分数 {_fmt(value)} 不是评分项 {criterion.code} 步长 {_fmt(criterion.step)} 的整数倍",
                f"score {_fmt(value)} is not a multiple of criterion {criterion.code}'s step {_fmt(criterion.step)}")
    return None
