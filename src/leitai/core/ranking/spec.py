"""The assessment-plan spec: how indicators are normalised, weighted, grouped and awarded.

Its JSON form is the SPEC.json of `leitai index compute` (the offline contract, see README):

    {"normalization": "minmax"|"zscore"|"rank"|"target", "scale": [0, 100],
     "aggregation": "arithmetic"|"geometric",
     "indicators": [{"code", "direction": 1|-1, "weight", "group", "target", "name"?}],
     "groups": [{"code", "weight", "parent", "name"?}],
     # product extensions, all optional:
     "awards": {"star_top_k": 3, "category_flags": true, "red_flags": 1, "yellow_flags": 1},
     "weak_k": 3,
     "adjustments": [{"unit", "points", "reason"}]}
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

from leitai.core.errors import SpecError

NORMALIZATIONS = ("minmax", "zscore", "rank", "target")
AGGREGATIONS = ("arithmetic", "geometric")


@dataclass(frozen=True)
class IndicatorSpec:
    """One indicator in a plan: direction 1 higher is better, −1 lower is better."""

    code: str
    direction: int = 1
    weight: float = 1.0
    group: str | None = None
    target: float | None = None
    name: str | None = None


@dataclass(frozen=True)
class GroupSpec:
    """A node of the weighting tree (category, sub-category…); `parent` None means top level."""

    code: str
    weight: float = 1.0
    parent: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class AwardRules:
    """摘星夺旗 rules: a star per indicator in the top k; a flag for each top-level group's best;
    red flags for the top n of the total, yellow flags for the bottom n."""

    star_top_k: int = 0
    category_flags: bool = False
    red_flags: int = 0
    yellow_flags: int = 0


@dataclass(frozen=True)
class AdjustmentSpec:
    """A bonus (+) or deduction (−) added to a unit's index, with its reason."""

    unit: str
    points: float
    reason: str = ""


@dataclass(frozen=True)
class IndexSpec:
    """A whole plan: normalisation, scale, aggregation, the indicator/group tree, awards, adjustments."""

    normalization: str = "minmax"
    scale: tuple[float, float] = (0.0, 100.0)
    aggregation: str = "arithmetic"
    indicators: tuple[IndicatorSpec, ...] = ()
    groups: tuple[GroupSpec, ...] = ()
    awards: AwardRules = field(default_factory=AwardRules)
    weak_k: int = 3
    adjustments: tuple[AdjustmentSpec, ...] = ()

    @property
    def indicator_codes(self) -> list[str]:
        return [i.code for i in self.indicators]

    @property
    def group_codes(self) -> list[str]:
        return [g.code for g in self.groups]

    def to_dict(self) -> dict:
        """The JSON form; `parse_spec(spec.to_dict()) == spec`."""
        out = asdict(self)
        out["scale"] = list(self.scale)
        out["indicators"] = [_compact(i) for i in out["indicators"]]
        out["groups"] = [_compact(g) for g in out["groups"]]
        out["adjustments"] = [dict(a) for a in out["adjustments"]]
        return out


def _compact(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None or k in ("code",)}


def _err(zh: str, en: str) -> SpecError:
    return SpecError(f"方案规则有误：{zh}", f"Invalid spec: {en}")


def _optional_number(value, where_zh: str, where_en: str) -> float | None:
    return None if value is None else _number(value, where_zh, where_en)


def _number(value, where_zh: str, where_en: str, *, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _err(f"{where_zh} 应为数字，实为 {value!r}", f"{where_en} must be a number, got {value!r}")
    if positive and value <= 0:
        raise _err(f"{where_zh} 应大于 0，实为 {value!r}", f"{where_en} must be greater than 0, got {value!r}")
    return float(value)


def _code(value, where_zh: str, where_en: str) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool) or str(value).strip() == "":
        raise _err(f"{where_zh} 缺少 code", f"{where_en} has no code")
    return str(value).strip()


def parse_spec(data: dict) -> IndexSpec:
    """Check a spec dict and build an IndexSpec; every problem raises SpecError naming the field."""
    if not isinstance(data, dict):
        raise _err("应为 JSON 对象", "must be a JSON object")
    normalization = data.get("normalization", "minmax")
    if normalization not in NORMALIZATIONS:
        raise _err(f"normalization 应为 {'/'.join(NORMALIZATIONS)} 之一，实为 {normalization!r}",
                   f"normalization must be one of {', '.join(NORMALIZATIONS)}, got {normalization!r}")
    aggregation = data.get("aggregation", "arithmetic")
    if aggregation not in AGGREGATIONS:
        raise _err(f"aggregation 应为 {'/'.join(AGGREGATIONS)} 之一，实为 {aggregation!r}",
                   f"aggregation must be one of {', '.join(AGGREGATIONS)}, got {aggregation!r}")
    scale = data.get("scale", [0, 100])
    if not isinstance(scale, list | tuple) or len(scale) != 2:
        raise _err("scale 应为两个数字 [下限, 上限]", "scale must be two numbers [low, high]")
    lo = _number(scale[0], "scale[0]", "scale[0]")
    hi = _number(scale[1], "scale[1]", "scale[1]")
    if not hi > lo:
        raise _err("scale 的上限应大于下限", "scale's high end must exceed its low end")

    raw_groups = data.get("groups") or []
    if not isinstance(raw_groups, list):
        raise _err("groups 应为数组", "groups must be an array")
    groups: list[GroupSpec] = []
    for n, g in enumerate(raw_groups, 1):
        zh, en = f"第 {n} 个分组", f"group #{n}"
        if not isinstance(g, dict):
            raise _err(f"{zh} 应为对象", f"{en} must be an object")
        code = _code(g.get("code"), zh, en)
        zh, en = f"分组 {code}", f"group {code}"
        weight = _number(g.get("weight", 1), f"{zh} 的 weight", f"{en} weight", positive=True)
        parent = g.get("parent")
        parent = None if parent in (None, "") else str(parent)
        groups.append(GroupSpec(code, weight, parent, g.get("name")))
    group_codes = [g.code for g in groups]
    if len(set(group_codes)) != len(group_codes):
        dup = next(c for c in group_codes if group_codes.count(c) > 1)
        raise _err(f"分组编码 {dup} 重复", f"group code {dup} appears twice")
    for g in groups:
        if g.parent is not None and g.parent not in group_codes:
            raise _err(f"分组 {g.code} 的上级 {g.parent} 不存在", f"group {g.code}: parent {g.parent} is not a group")
    _check_acyclic(groups)

    raw_ind = data.get("indicators")
    if not isinstance(raw_ind, list) or not raw_ind:
        raise _err("indicators 应为非空数组", "indicators must be a non-empty array")
    indicators: list[IndicatorSpec] = []
    for n, i in enumerate(raw_ind, 1):
        zh, en = f"第 {n} 个指标", f"indicator #{n}"
        if not isinstance(i, dict):
            raise _err(f"{zh} 应为对象", f"{en} must be an object")
        code = _code(i.get("code"), zh, en)
        zh, en = f"指标 {code}", f"indicator {code}"
        direction = i.get("direction", 1)
        if direction not in (1, -1) or isinstance(direction, bool):
            raise _err(f"{zh} 的 direction 应为 1 或 -1，实为 {direction!r}", f"{en}: direction must be 1 or -1, got {direction!r}")
        weight = _number(i.get("weight", 1), f"{zh} 的 weight", f"{en} weight", positive=True)
        group = i.get("group")
        group = None if group in (None, "") else str(group)
        if groups and group is None:
            raise _err(f"{zh} 未指定 group（已定义分组时每个指标都要归组）", f"{en} has no group (groups are defined)")
        if group is not None and group not in group_codes:
            raise _err(f"{zh} 的分组 {group} 不存在", f"{en}: group {group} is not defined")
        target = _optional_number(i.get("target"), f"{zh} 的 target", f"{en} target")
        if normalization == "target" and (target is None or target == 0):
            raise _err(f"按目标值标准化时，{zh} 需要非零的 target", f"with target normalisation {en} needs a non-zero target")
        indicators.append(IndicatorSpec(code, int(direction), weight, group, target, i.get("name")))
    codes = [i.code for i in indicators]
    if len(set(codes)) != len(codes):
        dup = next(c for c in codes if codes.count(c) > 1)
        raise _err(f"指标编码 {dup} 重复", f"indicator code {dup} appears twice")

    aw = data.get("awards") or {}
    if not isinstance(aw, dict):
        raise _err("awards 应为对象", "awards must be an object")
    awards = AwardRules(
        star_top_k=_int(aw.get("star_top_k", 0), "awards.star_top_k"),
        category_flags=_bool(aw.get("category_flags", False), "awards.category_flags"),
        red_flags=_int(aw.get("red_flags", 0), "awards.red_flags"),
        yellow_flags=_int(aw.get("yellow_flags", 0), "awards.yellow_flags"),
    )
    weak_k = _int(data.get("weak_k", 3), "weak_k")
    raw_adj = data.get("adjustments") or []
    if not isinstance(raw_adj, list):
        raise _err("adjustments 应为数组", "adjustments must be an array")
    adjustments = []
    for n, a in enumerate(raw_adj, 1):
        if not isinstance(a, dict) or "unit" not in a:
            raise _err(f"第 {n} 个加减分事项缺少 unit", f"adjustment #{n} has no unit")
        pts = _number(a.get("points"), f"第 {n} 个加减分事项的 points", f"adjustment #{n} points")
        adjustments.append(AdjustmentSpec(str(a["unit"]), pts, str(a.get("reason", ""))))
    return IndexSpec(normalization, (lo, hi), aggregation, tuple(indicators), tuple(groups), awards, weak_k, tuple(adjustments))


def _int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _err(f"{name} 应为非负整数，实为 {value!r}", f"{name} must be a non-negative integer, got {value!r}")
    return value


def _bool(value, name: str) -> bool:
    if not isinstance(value, bool):
        raise _err(f"{name} 应为 true 或 false，实为 {value!r}", f"{name} must be true or false, got {value!r}")
    return value


def _check_acyclic(groups: list[GroupSpec]) -> None:
    parent = {g.code: g.parent for g in groups}
    for start in parent:
        seen: set[str] = set()
        node: str | None = start
        while node is not None:
            if node in seen:
                raise _err(f"分组 {start} 的上级关系成环", f"group {start}: parents form a cycle")
            seen.add(node)
            node = parent[node]
