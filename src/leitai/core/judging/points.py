"""排名赋分 (rank-to-points): many rankings — months, arenas, voting panels — turned into points and one
standing. Pure (standard library only); `leitai points tally`, the arena's 排序测评 mode and the annual
assessment's rank components all call `points_tally`.

    rules = parse_points_rules({"groups": [{"code": "leaders", "weight": 0.6}, ...],
                                "tie_break": ["leaders"], "points": [10, 8, 6], "total_tie_break": "countback"})
    result = points_tally(entries, rules)

The contract (docs/points.md):
1. Group rank in a round. A group's rank of a contestant is the rank it gave (a whole-group row), or,
   when several judges of the group ranked in the round, the competition rank (1, 2, 2, 4) of the sum of
   their ranks, lowest sum first. Every judge of a group in a round ranks the same contestants.
2. Combined rank in a round: competition rank of Σ weight × group rank over the groups that ranked in
   the round, lowest first; ties go to the better rank of the `tie_break` groups in turn (a tie-break group
   absent from the round is skipped); still equal → shared rank.
3. Points: combined rank r earns points[r-1]; ranks beyond the list earn 0. Tied contestants share the
   rank and so its points.
4. Totals: Σ points over the rounds, placed highest first. `countback`: a tie goes to the contestant with
   points in more rounds, then to more rounds at the highest points value, then the next value…; still
   equal → shared place. `shared`: equal totals share the place.

Choices the contract leaves open, fixed here:
- A group with one judge (or a whole-group row) in a round keeps the ranks as given (gaps and ties
  included); they are not renumbered. Only several judges' ranks are summed and re-ranked.
- Within a round every group that ranked must rank the same contestants (as its own judges must):
  otherwise the weighted sums would compare different numbers of terms. It is an error naming the round.
- Exact arithmetic: weights and points mean the decimals they are written as (fractions), so 0.1 + 0.2
  ties with 0.3 and no float noise decides a rank. Totals are written as integers when whole.
- `points` must be non-increasing and ≥ 0 (otherwise a rank beyond the list, which earns 0, could beat
  a listed one). `tie_break` defaults to none, `total_tie_break` to "shared".
- Judges are identified within their group: judge "1" of two groups are two judges.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from leitai.core.errors import DataError, SpecError

TOTAL_TIE_BREAKS = ("countback", "shared")


@dataclass(frozen=True)
class PointsGroup:
    code: str
    weight: Fraction


@dataclass(frozen=True)
class PointsRules:
    groups: tuple[PointsGroup, ...]
    points: tuple[Fraction, ...]
    tie_break: tuple[str, ...] = ()
    total_tie_break: str = "shared"

    @property
    def group_codes(self) -> tuple[str, ...]:
        return tuple(g.code for g in self.groups)

    def weight(self, code: str) -> Fraction:
        return next(g.weight for g in self.groups if g.code == code)

    def points_for(self, rank: int) -> Fraction:
        return self.points[rank - 1] if 1 <= rank <= len(self.points) else Fraction(0)

    def as_dict(self) -> dict:
        """The RULES.json object these rules were read from (numbers as plain JSON numbers)."""
        return {"groups": [{"code": g.code, "weight": number(g.weight)} for g in self.groups],
                "tie_break": list(self.tie_break), "points": [number(p) for p in self.points],
                "total_tie_break": self.total_tie_break}


@dataclass(frozen=True)
class RankEntry:
    """One rank: a judge (or, with judge "", the whole group) ranked a contestant in a round.
    `line` is where it came from (a file line, a row number), for error messages."""

    round: str
    group: str
    contestant: str
    rank: int
    judge: str = ""
    line: int = 0


@dataclass
class RoundRow:
    round: str
    contestant: str
    group_ranks: dict[str, int]
    combined_rank: int
    points: Fraction


@dataclass
class Standing:
    contestant: str
    points: Fraction
    place: int
    rounds_scored: int = 0
    by_value: dict[Fraction, int] = field(default_factory=dict)


@dataclass
class PointsResult:
    rounds: list[str]
    detail: list[RoundRow]
    standings: list[Standing]

    def round_rows(self, round_code: str) -> list[RoundRow]:
        return [r for r in self.detail if r.round == round_code]


def exact_number(value, what_zh: str, what_en: str) -> Fraction:
    """A JSON number as the exact decimal it is written as; booleans, NaN and infinities refused."""
    try:
        ok = not isinstance(value, bool) and isinstance(value, numbers.Real) and math.isfinite(float(value))
    except OverflowError:
        ok = False
    if not ok:
        shown = repr(value) if len(repr(value)) < 40 else repr(value)[:37] + "…"
        raise SpecError(f"{what_zh}应为数字，而不是 {shown}", f"{what_en} must be a number, not {shown}")
    return Fraction(value) if isinstance(value, int) else Fraction(repr(float(value)))


def number(x: Fraction) -> int | float:
    """An exact value as the JSON/CSV number it reads as: an integer when whole, else the nearest float."""
    return int(x) if x.denominator == 1 else float(x)


def format_number(x: Fraction) -> str:
    return str(int(x)) if x.denominator == 1 else repr(float(x))


def parse_points_rules(data) -> PointsRules:
    """Validate a RULES.json object; every problem names the key (and list position)."""
    if not isinstance(data, Mapping):
        raise SpecError("规则应为 JSON 对象", "the rules must be a JSON object")
    unknown = sorted(set(data) - {"groups", "tie_break", "points", "total_tie_break"})
    if unknown:
        raise SpecError(f"未知的键：{'、'.join(unknown)}（可用 groups、tie_break、points、total_tie_break）",
                        f"unknown key(s): {', '.join(unknown)} (allowed: groups, tie_break, points, total_tie_break)")
    raw_groups = data.get("groups")
    if not isinstance(raw_groups, list) or not raw_groups:
        raise SpecError("groups 应为非空列表", "groups must be a non-empty list")
    groups: list[PointsGroup] = []
    for i, g in enumerate(raw_groups, 1):
        if not isinstance(g, Mapping):
            raise SpecError(f"groups 第 {i} 项应为对象", f"groups item {i} must be an object")
        extra = sorted(set(g) - {"code", "weight", "name"})
        if extra:
            raise SpecError(f"groups 第 {i} 项：未知的键 {'、'.join(extra)}", f"groups item {i}: unknown key(s) {', '.join(extra)}")
        code = g.get("code")
        if not isinstance(code, str) or not code.strip():
            raise SpecError(f"groups 第 {i} 项缺少 code", f"groups item {i} lacks a code")
        code = code.strip()
        if code in (x.code for x in groups):
            raise SpecError(f"groups 第 {i} 项：评委组 {code} 重复", f"groups item {i}: group {code} appears twice")
        weight = exact_number(g.get("weight", 1), f"groups 第 {i} 项的 weight ", f"groups item {i}: weight")
        if weight < 0:
            raise SpecError(f"groups 第 {i} 项：weight 不能小于 0", f"groups item {i}: weight must not be below 0")
        groups.append(PointsGroup(code, weight))
    codes = [g.code for g in groups]
    tie_break = data.get("tie_break", [])
    if not isinstance(tie_break, list) or not all(isinstance(t, str) for t in tie_break):
        raise SpecError("tie_break 应为评委组编码的列表", "tie_break must be a list of group codes")
    for t in tie_break:
        if t not in codes:
            raise SpecError(f"tie_break：未知的评委组 {t}", f"tie_break: unknown group {t}")
    raw_points = data.get("points")
    if not isinstance(raw_points, list) or not raw_points:
        raise SpecError("points 应为非空的分值列表（第 1 名、第 2 名……的得分）",
                        "points must be a non-empty list (the points of rank 1, 2, …)")
    points = tuple(exact_number(p, f"points 第 {i} 项", f"points item {i}") for i, p in enumerate(raw_points, 1))
    for i, p in enumerate(points, 1):
        if p < 0:
            raise SpecError(f"points 第 {i} 项小于 0", f"points item {i} is below 0")
        if i > 1 and p > points[i - 2]:
            raise SpecError(f"points 第 {i} 项大于第 {i - 1} 项：名次靠后的得分不能更高",
                            f"points item {i} exceeds item {i - 1}: a worse rank cannot earn more")
    total_tb = data.get("total_tie_break", "shared")
    if total_tb not in TOTAL_TIE_BREAKS:
        raise SpecError(f"total_tie_break 应为 countback 或 shared，而不是 {total_tb!r}",
                        f"total_tie_break must be countback or shared, not {total_tb!r}")
    return PointsRules(tuple(groups), points, tuple(tie_break), total_tb)


def competition_ranks(keys: Mapping[str, tuple]) -> dict[str, int]:
    """Competition ranks of exact sort keys, smallest key first: equal keys share the better rank."""
    ordered = sorted(keys.items(), key=lambda kv: kv[1])
    ranks: dict[str, int] = {}
    for pos, (name, key) in enumerate(ordered):
        ranks[name] = ranks[ordered[pos - 1][0]] if pos and key == ordered[pos - 1][1] else pos + 1
    return ranks


def _where(entry: RankEntry) -> tuple[str, str]:
    return (f"第 {entry.line} 行：", f"line {entry.line}: ") if entry.line else ("", "")


def _group_ranks(round_code: str, group: str, entries: list[RankEntry]) -> dict[str, int]:
    """One group's ranks in one round (rule 1)."""
    judges: dict[str, dict[str, RankEntry]] = {}
    for e in entries:
        judges.setdefault(e.judge, {})[e.contestant] = e
    if "" in judges and len(judges) > 1:
        e = judges[""][next(iter(judges[""]))]
        zh, en = _where(e)
        raise DataError(f"{zh}第 {round_code} 轮评委组 {group} 既有整组名次（judge 为空）又有评委个人名次",
                        f"{en}round {round_code}, group {group} has both whole-group ranks (empty judge) and judges' ranks")
    if len(judges) == 1:
        only = next(iter(judges.values()))
        return {c: e.rank for c, e in only.items()}
    names = list(judges)
    first = set(judges[names[0]])
    for judge in names[1:]:
        if set(judges[judge]) != first:
            missing = sorted(first - set(judges[judge]))
            extra = sorted(set(judges[judge]) - first)
            e = next(iter(judges[judge].values()))
            zh, en = _where(e)
            detail_zh = "；".join(([f"未排 {'、'.join(missing)}"] if missing else [])
                                 + ([f"多排了 {'、'.join(extra)}"] if extra else []))
            detail_en = "; ".join(([f"did not rank {', '.join(missing)}"] if missing else [])
                                  + ([f"also ranked {', '.join(extra)}"] if extra else []))
            raise DataError(f"{zh}第 {round_code} 轮评委组 {group} 的评委 {judge} 排的选手与评委 {names[0]} 不同（{detail_zh}）",
                            f"{en}round {round_code}, group {group}: judge {judge} ranked other contestants than judge "
                            f"{names[0]} ({detail_en})")
    sums = {c: (sum(judges[j][c].rank for j in names),) for c in judges[names[0]]}
    return competition_ranks(sums)


def points_tally(entries: Iterable[RankEntry], rules: PointsRules) -> PointsResult:
    """Rank-to-points over rounds (module docstring). Raises DataError naming the line (or round) of the
    first problem: an unknown group, a rank below 1, a contestant ranked twice by one judge in a round,
    judges or groups of a round that ranked different contestants."""
    known = set(rules.group_codes)
    by_round: dict[str, dict[str, list[RankEntry]]] = {}
    seen: dict[tuple[str, str, str, str], RankEntry] = {}
    earned: dict[str, list[Fraction]] = {}
    first_line: dict[tuple[str, str, str], RankEntry] = {}
    for e in entries:
        zh, en = _where(e)
        if e.group not in known:
            raise DataError(f"{zh}未知的评委组“{e.group}”（规则中有 {'、'.join(rules.group_codes)}）",
                            f"{en}unknown group '{e.group}' (the rules have {', '.join(rules.group_codes)})")
        if isinstance(e.rank, bool) or not isinstance(e.rank, int) or e.rank < 1:
            raise DataError(f"{zh}名次应为不小于 1 的整数，而不是 {e.rank!r}", f"{en}a rank must be an integer ≥ 1, not {e.rank!r}")
        key = (e.round, e.group, e.judge, e.contestant)
        if key in seen:
            who_zh = f"评委 {e.judge}" if e.judge else f"评委组 {e.group}"
            who_en = f"judge {e.judge}" if e.judge else f"group {e.group}"
            prev = seen[key]
            again_zh = f"（第 {prev.line} 行已排过）" if prev.line else ""
            again_en = f" (already on line {prev.line})" if prev.line else ""
            raise DataError(f"{zh}第 {e.round} 轮中{who_zh}对选手 {e.contestant} 排了两次{again_zh}",
                            f"{en}in round {e.round}, {who_en} ranked contestant {e.contestant} twice{again_en}")
        seen[key] = e
        first_line.setdefault((e.round, e.group, e.contestant), e)
        by_round.setdefault(e.round, {}).setdefault(e.group, []).append(e)
    if not by_round:
        raise DataError("没有任何名次", "there are no ranks")

    detail: list[RoundRow] = []
    for round_code, groups in by_round.items():
        present = [g for g in rules.group_codes if g in groups]
        ranks = {g: _group_ranks(round_code, g, groups[g]) for g in present}
        contestants = list(dict.fromkeys(e.contestant for g in present for e in groups[g]))
        for g in present:
            absent = [c for c in contestants if c not in ranks[g]]
            if absent:
                other = next(h for h in present if absent[0] in ranks[h])
                e = first_line[(round_code, other, absent[0])]
                zh, en = _where(e)
                raise DataError(f"{zh}第 {round_code} 轮评委组 {other} 排了选手 {absent[0]}，评委组 {g} 没有排"
                                f"（同一轮中各评委组须排同样的选手）",
                                f"{en}in round {round_code} group {other} ranked contestant {absent[0]} but group {g} did "
                                f"not (the groups of a round rank the same contestants)")
        tb = [g for g in rules.tie_break if g in ranks]
        keys = {c: (sum(rules.weight(g) * ranks[g][c] for g in present), *(ranks[g][c] for g in tb))
                for c in contestants}
        combined = competition_ranks(keys)
        for c in sorted(contestants, key=lambda c: (combined[c], c)):
            earns = rules.points_for(combined[c])
            detail.append(RoundRow(round_code, c, {g: ranks[g][c] for g in present}, combined[c], earns))
            earned.setdefault(c, []).append(earns)

    values = sorted(set(rules.points) - {Fraction(0)}, reverse=True)
    standings = []
    for c, pts in earned.items():
        scored = [p for p in pts if p > 0]
        standings.append(Standing(c, sum(pts, Fraction(0)), 0, len(scored),
                                  {v: sum(1 for p in pts if p == v) for v in values}))

    def place_key(s: Standing) -> tuple:
        if rules.total_tie_break == "countback":
            return (-s.points, -s.rounds_scored, *(-s.by_value[v] for v in values))
        return (-s.points,)

    places = competition_ranks({s.contestant: place_key(s) for s in standings})
    for s in standings:
        s.place = places[s.contestant]
    standings.sort(key=lambda s: (s.place, s.contestant))
    return PointsResult(list(by_round), detail, standings)
