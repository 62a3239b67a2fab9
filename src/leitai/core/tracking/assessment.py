"""考绩: a year's (or a quarter's) results turned into one score, rank and grade per unit, every point traced
to its source. Pure (standard library only); the assessment app gathers the facts from the database, and
`leitai assess compute` recomputes a published assessment from its exported INPUTS.json (docs/assessment.md).

    spec = parse_scheme(raw_spec)
    result = compute_assessment(facts, spec)   # facts: the dict of INPUTS.json

Components (each points × its `weight`, default 1):
- `rank_points` 排名赋分: each ranking in the window turns the unit's rank into points by the table
  `points` (core.points, the rule of `leitai points tally`); `aggregate` "mean" (default) or "sum" over
  the rankings that ranked the unit.
- `rank_score`: the mean composite score over the rankings that ranked the unit.
- `ledger`: bonus/deduction entries in the window; `source` "arena" (entries written by arenas, source
  `arena:<id>`), "other" (every other entry) or "all".
- `pledge_rate`: `max` × kept / judged pledges due in the window.
- `item_ontime`: `max` × on-time / counted rectification items due in the window (an item counts once
  closed or once its deadline has passed by `as_of`; on time = closed on or before the deadline), plus
  `per_late` (e.g. −0.5) for each item closed late or still open after its deadline.
- `review_satisfaction`: `max` × (satisfied + basically satisfied) / follow-up reviews done in the window.
- `awards`: `points` per award kind code ({"haitun": 2, "haigui": -1}) for each approved award of that kind
  a unit received in the window (facts "awards"); kinds not listed count nothing.
A rate component of a unit with nothing to count earns its full `max` (nothing promised was missed).

Roll-up (`rollup`: {"kinds": ["town"], "weight": 0.2}): an assessed unit also earns weight × the mean own
total of its descendants of those kinds (as Wenzhou counts town secretaries' results into the county).

Ranks: competition ranks of the totals, highest first (1, 2, 2, 4). Grades (`grades`):
- 优秀 (excellent): the best units while they stay within `excellent_share` of the units (a tie that would
  cross the cap is left out whole), and at or above `excellent_min` when set;
- 较差 (poor): below `poor_below` when set, and, with `poor_last`, the units sharing the last rank (unless
  every unit shares it);
- 良好 (good): the next best, at most `good_share` of the units more than those graded 优秀 (ties likewise;
  all the rest when `good_share` is not set);
- 一般 (fair): the rest.
Arithmetic is exact (fractions of the decimals as written), so the order of the facts never changes a bit.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from leitai.core.errors import DataError, SpecError
from leitai.core.judging.points import PointsGroup, PointsRules, exact_number, format_number
from leitai.core.periods import label as period_label

KINDS = ("rank_points", "rank_score", "ledger", "pledge_rate", "item_ontime", "review_satisfaction", "awards")
LEDGER_SOURCES = ("arena", "other", "all")
GRADES = ("excellent", "good", "fair", "poor")
GRADE_LABELS = {"excellent": ("优秀", "Excellent"), "good": ("良好", "Good"), "fair": ("一般", "Fair"),
                "poor": ("较差", "Poor")}
KIND_LABELS = {
    "rank_points": ("月度排名赋分", "Points for monthly ranks"), "rank_score": ("月度综合得分", "Monthly composite score"),
    "ledger": ("加减分", "Bonus and deductions"), "pledge_rate": ("承诺兑现率", "Pledges kept"),
    "item_ontime": ("整改按时销号率", "Items closed on time"), "review_satisfaction": ("回头看满意度", "Follow-up satisfaction"),
    "awards": ("表彰", "Awards"),
}
_KEYS = {
    "rank_points": {"points", "aggregate"}, "rank_score": set(), "ledger": {"source"}, "pledge_rate": {"max"},
    "item_ontime": {"max", "per_late"}, "review_satisfaction": {"max"}, "awards": {"points"},
}


@dataclass(frozen=True)
class Component:
    code: str
    kind: str
    name: str
    weight: Fraction
    params: dict


@dataclass(frozen=True)
class Scheme:
    components: tuple[Component, ...]
    rollup_kinds: tuple[str, ...] = ()
    rollup_weight: Fraction = Fraction(0)
    grades: dict = field(default_factory=dict)


@dataclass
class Line:
    """One traced contribution: what it is, its points (None for a line that only lists a source), and the
    reference of the record it came from (ranking:<id>, adjustment:<id>, item:<code>, pledge:<id>, …)."""

    component: str
    zh: str
    en: str
    points: Fraction | None
    ref: str = ""


@dataclass
class UnitResult:
    unit: str
    total: Fraction
    rank: int
    grade: str
    components: dict[str, Fraction]
    rollup: Fraction | None
    lines: list[Line]


@dataclass
class AssessmentResult:
    rows: list[UnitResult]
    component_codes: list[str]


def _num(value, where_zh: str, where_en: str) -> Fraction:
    return exact_number(value, where_zh, where_en)


def parse_scheme(data) -> Scheme:
    """Validate a scheme (考核办法) object; every problem names the component or key."""
    if not isinstance(data, Mapping):
        raise SpecError("考绩办法应为 JSON 对象", "the scheme must be a JSON object")
    unknown = sorted(set(data) - {"components", "rollup", "grades"})
    if unknown:
        raise SpecError(f"未知的键：{'、'.join(unknown)}", f"unknown key(s): {', '.join(unknown)}")
    raw = data.get("components")
    if not isinstance(raw, list) or not raw:
        raise SpecError("请至少设置一个考绩组成部分", "the scheme needs at least one component")
    comps: list[Component] = []
    for i, c in enumerate(raw, 1):
        where_zh, where_en = f"第 {i} 个组成部分", f"component {i}"
        if not isinstance(c, Mapping):
            raise SpecError(f"{where_zh}应为对象", f"{where_en} must be an object")
        kind = c.get("kind")
        if kind not in KINDS:
            raise SpecError(f"{where_zh}：未知的类型 {kind!r}（可用 {'、'.join(KINDS)}）", f"{where_en}: unknown kind {kind!r}")
        extra = sorted(set(c) - {"code", "kind", "name", "weight"} - _KEYS[kind])
        if extra:
            raise SpecError(f"{where_zh}：未知的键 {'、'.join(extra)}", f"{where_en}: unknown key(s) {', '.join(extra)}")
        code = str(c.get("code") or kind).strip()
        if code in (x.code for x in comps):
            raise SpecError(f"{where_zh}：编码 {code} 重复", f"{where_en}: code {code} appears twice")
        weight = _num(c.get("weight", 1), f"{where_zh}的权重", f"{where_en}: weight")
        params: dict = {}
        if kind == "rank_points":
            pts = c.get("points")
            if not isinstance(pts, list) or not pts:
                raise SpecError(f"{where_zh}：请填写名次赋分表（第 1 名、第 2 名……的分数）",
                                f"{where_en}: points must list the points of rank 1, 2, …")
            params["rules"] = PointsRules((PointsGroup("ranking", Fraction(1)),),
                                          tuple(_num(p, f"{where_zh}的赋分表第 {n} 项", f"{where_en}: points item {n}")
                                                for n, p in enumerate(pts, 1)))
            for n in range(1, len(pts)):
                if params["rules"].points[n] > params["rules"].points[n - 1]:
                    raise SpecError(f"{where_zh}：赋分表第 {n + 1} 项大于第 {n} 项", f"{where_en}: points item {n + 1} exceeds item {n}")
            agg = c.get("aggregate", "mean")
            if agg not in ("mean", "sum"):
                raise SpecError(f"{where_zh}：aggregate 应为 mean 或 sum", f"{where_en}: aggregate must be mean or sum")
            params["aggregate"] = agg
        elif kind == "ledger":
            source = c.get("source", "all")
            if source not in LEDGER_SOURCES:
                raise SpecError(f"{where_zh}：source 应为 arena、other 或 all", f"{where_en}: source must be arena, other or all")
            params["source"] = source
        elif kind == "awards":
            pts = c.get("points")
            if not isinstance(pts, Mapping) or not pts:
                raise SpecError(f"{where_zh}：请填写各表彰类别的分值（如 {{\"haitun\": 2}}）",
                                f"{where_en}: points must give the points of each award kind (e.g. {{\"haitun\": 2}})")
            params["points"] = {}
            for key, value in pts.items():
                if not isinstance(key, str) or not key.strip():
                    raise SpecError(f"{where_zh}：表彰类别的编码不能为空", f"{where_en}: an award kind code is empty")
                params["points"][key] = _num(value, f"{where_zh}中表彰“{key}”的分值", f"{where_en}: points of award {key}")
        elif kind in ("pledge_rate", "item_ontime", "review_satisfaction"):
            if "max" in c or kind != "item_ontime":
                params["max"] = _num(c.get("max"), f"{where_zh}的满分", f"{where_en}: max")
                if params["max"] < 0:
                    raise SpecError(f"{where_zh}：满分不能小于 0", f"{where_en}: max must not be below 0")
            if kind == "item_ontime":
                params["max"] = params.get("max", Fraction(0))
                params["per_late"] = _num(c.get("per_late", 0), f"{where_zh}的逾期扣分", f"{where_en}: per_late")
        name = str(c.get("name") or KIND_LABELS[kind][0])
        comps.append(Component(code, kind, name, weight, params))
    rollup = data.get("rollup") or {}
    if not isinstance(rollup, Mapping) or set(rollup) - {"kinds", "weight"}:
        raise SpecError("rollup 应为 {\"kinds\": [...], \"weight\": 数字}", "rollup must be {\"kinds\": [...], \"weight\": number}")
    kinds = rollup.get("kinds", [])
    if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
        raise SpecError("rollup.kinds 应为单位类型的列表", "rollup.kinds must be a list of unit kinds")
    rweight = _num(rollup.get("weight", 0), "rollup 的权重", "rollup weight")
    grades = data.get("grades") or {}
    allowed = {"excellent_share", "excellent_min", "good_share", "poor_below", "poor_last"}
    if not isinstance(grades, Mapping) or set(grades) - allowed:
        raise SpecError(f"grades 只能有 {'、'.join(sorted(allowed))}", f"grades may only have {', '.join(sorted(allowed))}")
    clean: dict = {}
    for key in ("excellent_share", "good_share"):
        if grades.get(key) is not None:
            clean[key] = _num(grades[key], f"grades.{key}", f"grades.{key}")
            if not 0 <= clean[key] <= 1:
                raise SpecError(f"grades.{key} 应在 0 到 1 之间", f"grades.{key} must lie between 0 and 1")
    for key in ("excellent_min", "poor_below"):
        if grades.get(key) is not None:
            clean[key] = _num(grades[key], f"grades.{key}", f"grades.{key}")
    clean["poor_last"] = bool(grades.get("poor_last", False))
    return Scheme(tuple(comps), tuple(kinds), rweight, clean)


def scheme_dict(scheme: Scheme) -> dict:
    """The scheme as the JSON object it is stored and exported as (parse_scheme reads it back)."""
    def num(x: Fraction):
        return int(x) if x.denominator == 1 else float(x)

    comps = []
    for c in scheme.components:
        d = {"code": c.code, "kind": c.kind, "name": c.name, "weight": num(c.weight)}
        if c.kind == "rank_points":
            d["points"] = [num(p) for p in c.params["rules"].points]
            d["aggregate"] = c.params["aggregate"]
        elif c.kind == "ledger":
            d["source"] = c.params["source"]
        elif c.kind == "awards":
            d["points"] = {k: num(v) for k, v in sorted(c.params["points"].items())}
        else:
            if c.kind != "item_ontime" or c.params["max"]:
                d["max"] = num(c.params["max"])
            if c.kind == "item_ontime":
                d["per_late"] = num(c.params["per_late"])
        comps.append(d)
    grades = {k: (num(v) if isinstance(v, Fraction) else v) for k, v in scheme.grades.items()}
    return {"components": comps, "rollup": {"kinds": list(scheme.rollup_kinds), "weight": num(scheme.rollup_weight)},
            "grades": grades}


def _date(value, what: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise DataError(f"{what}：“{value}”不是日期（如 2024-06-30）", f"{what}: '{value}' is not a date (e.g. 2024-06-30)")


def _pct(num: int, den: int) -> str:
    return f"{100 * num / den:.1f}%"


def _sign(x: Fraction) -> str:
    text = format_number(x) if x.denominator == 1 else f"{float(x):.2f}".rstrip("0").rstrip(".")
    return f"+{text}" if x >= 0 else text


def _ranking_component(c: Component, rankings: list, unit_codes: set[str]) -> dict[str, list[Line]]:
    out: dict[str, list[Line]] = {}
    if c.kind == "rank_points":
        # each month's published rank as it is (a unit no longer listed leaves its gap): points[rank-1] by the
        # table, the rule of core.points
        rules = c.params["rules"]
        for r in rankings:
            for u, rank, _score in r["rows"]:
                if rank and u in unit_codes:
                    out.setdefault(u, []).append(Line(
                        c.code, f"{period_label(r['period'])}排名第 {int(rank)} 名",
                        f"{period_label(r['period'], lang='en')}: rank {int(rank)}", rules.points_for(int(rank)), r["ref"]))
    else:
        for r in rankings:
            for u, rank, score in r["rows"]:
                if rank and score is not None and u in unit_codes:
                    s = _num(score, "综合得分", "score")
                    out.setdefault(u, []).append(Line(c.code, f"{period_label(r['period'])}综合得分 {float(s):g}",
                                                      f"{period_label(r['period'], lang='en')}: composite score {float(s):g}",
                                                      s, r["ref"]))
    # aggregate: a mean is one summary line over the monthly lines (kept for tracing, without points)
    if c.kind == "rank_score" or c.params.get("aggregate") == "mean":
        for lines in out.values():
            monthly = [ln.points for ln in lines if ln.points is not None]
            mean = sum(monthly, Fraction(0)) / len(lines)
            for ln, pts in zip(lines, monthly, strict=True):
                ln.zh, ln.en = f"{ln.zh}（{_sign(pts)}）", f"{ln.en} ({_sign(pts)})"
                ln.points = None
            lines.append(Line(c.code, f"{len(lines)} 期平均", f"mean of {len(lines)} period(s)", mean))
    return out


def _rate_line(c: Component, num: int, den: int, zh: str, en: str) -> Line:
    if den == 0:
        return Line(c.code, f"{zh}：无可计事项，得满分", f"{en}: nothing to count, full points", c.params["max"])
    pts = c.params["max"] * Fraction(num, den)
    return Line(c.code, f"{zh} {num}/{den}（{_pct(num, den)}）", f"{en} {num}/{den} ({_pct(num, den)})", pts)


def compute_assessment(facts: Mapping, scheme: Scheme) -> AssessmentResult:
    """Totals, ranks, grades and traced lines per assessed unit from the facts (INPUTS.json's shape)."""
    units = facts.get("units") or []
    if not units:
        raise DataError("没有参加考绩的单位", "there are no units to assess")
    by_code = {u["code"]: u for u in units}
    assessed = [u["code"] for u in units if u.get("assessed")]
    if not assessed:
        raise DataError("没有参加考绩的单位", "there are no units to assess")
    all_codes = set(by_code)
    as_of = _date((facts.get("window") or {}).get("as_of"), "window.as_of") or dt.date.max
    lines: dict[str, list[Line]] = {u: [] for u in by_code}
    comp_points: dict[str, dict[str, Fraction]] = {u: {} for u in by_code}
    for c in scheme.components:
        got: dict[str, list[Line]] = {}
        if c.kind in ("rank_points", "rank_score"):
            got = _ranking_component(c, facts.get("rankings") or [], all_codes)
        elif c.kind == "ledger":
            for e in facts.get("ledger") or []:
                src = str(e.get("source", ""))
                is_arena = src.startswith("arena:")
                if c.params["source"] == "arena" and not is_arena or c.params["source"] == "other" and is_arena:
                    continue
                if e["unit"] in by_code:
                    pts = _num(e["points"], "加减分分值", "points")
                    got.setdefault(e["unit"], []).append(Line(c.code, str(e.get("reason", "")), str(e.get("reason_en") or e.get("reason", "")),
                                                              pts, e.get("ref", "")))
        elif c.kind == "awards":
            # each approved award of a listed kind, in the order of the facts (date, then id)
            for a in facts.get("awards") or []:
                if a.get("unit") in by_code and a.get("kind") in c.params["points"]:
                    date = str(a.get("date", ""))
                    got.setdefault(a["unit"], []).append(Line(
                        c.code, f"{a.get('name', a['kind'])}（{date}）", f"{a.get('name_en') or a.get('name', a['kind'])} ({date})",
                        c.params["points"][a["kind"]], a.get("ref", "")))
        elif c.kind == "pledge_rate":
            tally: dict[str, list] = {}
            for p in facts.get("pledges") or []:
                if p.get("status") in ("kept", "missed") and p["unit"] in by_code:
                    tally.setdefault(p["unit"], []).append(p)
            for u in by_code:
                ps = tally.get(u, [])
                kept = sum(1 for p in ps if p["status"] == "kept")
                got[u] = [_rate_line(c, kept, len(ps), "承诺兑现", "pledges kept")]
                for p in ps:
                    got[u].append(Line(c.code, f"承诺“{p.get('text', '')[:40]}”{'已兑现' if p['status'] == 'kept' else '未兑现'}",
                                       f"pledge '{p.get('text', '')[:40]}' {p['status']}", None, p.get("ref", "")))
        elif c.kind == "item_ontime":
            per: dict[str, list] = {}
            for it in facts.get("items") or []:
                if it["unit"] not in by_code:
                    continue
                deadline = _date(it.get("deadline"), "items.deadline")
                closed = _date(it.get("closed_on"), "items.closed_on")
                if deadline is None:
                    raise DataError("整改事项缺少期限（deadline）", "an item lacks its deadline")
                if closed is None and deadline >= as_of:
                    continue  # not due yet and still open: not counted
                per.setdefault(it["unit"], []).append((it, closed is not None and closed <= deadline))
            for u in by_code:
                rows = per.get(u, [])
                n_on_time = sum(1 for _it, ok in rows if ok)
                got[u] = ([_rate_line(c, n_on_time, len(rows), "整改按时销号", "items closed on time")]
                          if c.params["max"] else [])
                for it, ok in rows:
                    if not ok:
                        late_points: Fraction | None = c.params["per_late"] or None
                        got[u].append(Line(c.code, f"整改事项 {it.get('code', '')} 逾期", f"item {it.get('code', '')} late",
                                           late_points, it.get("ref", "")))
        elif c.kind == "review_satisfaction":
            per = {}
            for r in facts.get("reviews") or []:
                if r["unit"] in by_code and r.get("verdict") in ("satisfied", "basic", "not"):
                    per.setdefault(r["unit"], []).append(r)
            for u in by_code:
                rs = per.get(u, [])
                good = sum(1 for r in rs if r["verdict"] in ("satisfied", "basic"))
                got[u] = [_rate_line(c, good, len(rs), "回头看满意", "follow-up reviews satisfied")]
        for u in by_code:
            ls = got.get(u, [])
            pts = sum((ln.points for ln in ls if ln.points is not None), Fraction(0))
            if c.weight != 1:
                for ln in ls:
                    if ln.points is not None:
                        ln.zh, ln.en = f"{ln.zh}（×{float(c.weight):g}）", f"{ln.en} (×{float(c.weight):g})"
                        ln.points = ln.points * c.weight
            comp_points[u][c.code] = pts * c.weight
            lines[u].extend(ls)
    own = {u: sum(comp_points[u].values(), Fraction(0)) for u in by_code}

    def ancestors(code: str):
        seen = set()
        parent = by_code[code].get("parent")
        while parent and parent in by_code and parent not in seen:
            seen.add(parent)
            yield parent
            parent = by_code[parent].get("parent")

    rollup: dict[str, Fraction | None] = {u: None for u in assessed}
    if scheme.rollup_kinds and scheme.rollup_weight:
        children: dict[str, list[str]] = {}
        for code, u in by_code.items():
            if u.get("kind") in scheme.rollup_kinds:
                for a in ancestors(code):
                    children.setdefault(a, []).append(code)
        for a in assessed:
            kids = sorted(children.get(a, []))
            if not kids:
                continue
            mean = sum((own[k] for k in kids), Fraction(0)) / len(kids)
            rollup[a] = mean * scheme.rollup_weight
            lines[a].append(Line("rollup", f"下属单位（{len(kids)} 个）平均 {float(mean):.2f} × {float(scheme.rollup_weight):g}",
                                 f"units below ({len(kids)}): mean {float(mean):.2f} × {float(scheme.rollup_weight):g}",
                                 rollup[a], "units:" + ",".join(kids)))
    totals = {u: own[u] + (rollup[u] or 0) for u in assessed}
    ordered = sorted(assessed, key=lambda u: (-totals[u], u))
    ranks: dict[str, int] = {}
    for pos, u in enumerate(ordered):
        ranks[u] = ranks[ordered[pos - 1]] if pos and totals[u] == totals[ordered[pos - 1]] else pos + 1
    grades = assign_grades(ordered, ranks, totals, scheme.grades)
    rows = [UnitResult(u, totals[u], ranks[u], grades[u], comp_points[u], rollup[u], lines[u]) for u in ordered]
    return AssessmentResult(rows, [c.code for c in scheme.components])


def _within(ordered: list[str], ranks: dict[str, int], start: int, cap: int) -> list[str]:
    """Units from position `start` on whose whole tie group ends at or before position `cap`."""
    last = {ranks[u]: i for i, u in enumerate(ordered)}  # the last position of each tie
    chosen = []
    for u in ordered[start:]:
        if last[ranks[u]] + 1 > cap:
            break
        chosen.append(u)
    return chosen


def assign_grades(ordered: list[str], ranks: dict[str, int], totals: dict[str, Fraction], rule: dict) -> dict[str, str]:
    """Grades by the scheme's rule (module docstring): best first in `ordered`."""
    n = len(ordered)
    grades = {u: "fair" for u in ordered}
    poor = set()
    if rule.get("poor_below") is not None:
        poor |= {u for u in ordered if totals[u] < rule["poor_below"]}
    worst = max(ranks.values())
    if rule.get("poor_last") and worst > 1:
        poor |= {u for u in ordered if ranks[u] == worst}
    cap_ex = math.floor(n * rule.get("excellent_share", Fraction(0)))
    excellent = [u for u in _within(ordered, ranks, 0, cap_ex)
                 if u not in poor and (rule.get("excellent_min") is None or totals[u] >= rule["excellent_min"])]
    for u in excellent:
        grades[u] = "excellent"
    rest = [u for u in ordered if u not in excellent and u not in poor]
    if rule.get("good_share") is None:
        good = rest
    else:
        cap_good = len(excellent) + math.floor(n * rule["good_share"])
        good = [u for u in _within(ordered, ranks, len(excellent), cap_good) if u not in poor]
    for u in good:
        grades[u] = "good"
    for u in poor:
        grades[u] = "poor"
    return grades

