"""The arena tally (擂台赛计分): judges' score sheets → judge totals → trimmed group means → each
contestant's final score and rank. Pure (stdlib + numpy); `leitai arena tally` and the arena app call it.

    rubric = parse_rubric({"criteria": [...], "groups": [...], "tie_break": ["leaders"]})
    result = tally(sheets, rubric)

The contract:
- A judge's total = Σ w·s / Σ w over the rubric's criteria. A sheet lacking any criterion is incomplete:
  left out entirely and reported.
- A group's score = the plain mean of its judges' totals for the contestant, after dropping the k highest
  and k lowest (k = the group's trim) when the group has more than 2k complete sheets; otherwise untrimmed.
- The final score = Σ wg·g / Σ wg over the groups that scored the contestant.
- Ranks: competition ranks via `competition_rank` (1 best, "1, 2, 2, 4"). Tied contestants are ordered by
  the score of the first tie-break group (higher better), then the next…; those still tied share a rank.

Choices the contract leaves open, fixed here:
- Exact arithmetic. A score or weight means the decimal it is written as (the shortest text of the float,
  so 8.7 is 87/10, as the judge wrote it); every sum and quotient is exact (fractions), and each published
  number is the float nearest the exact value. So sheet order cannot move a result by one bit, and a
  mean of 8.5, 8.7 and 8.9 is published as 8.7, as it would be by hand.
- `step`: a score must be a whole multiple of step counted from 0, judged on its decimal value.
- Which judge is named as dropped when totals tie at the trimming edge: totals are ordered by
  (total, judge id), the first k are "lowest", the last k "highest". The mean does not depend on it.
- A contestant without any complete sheet gets score None and rank 0 (not ranked).
- Tie-break: a contestant the tie-break group did not score comes after those it did; tie-break
  scores are compared like the final scores (competition_rank's tolerance).
- Sheets of the same judge for the same contestant are merged; a criterion given twice is an error.

Calibration (the rubric's optional "calibration", declared before scoring opens; docs/uncertainty.md): with
`standardize` each judge's totals are evened out within the group before trimming (`_standardize`); with
`drop_flagged` the judges' audit (core/judging/audit.py) runs first and every sheet of a judge with one of the
listed flags is left out (`TallyResult.dropped` says who and why). Without one, the exact contract above is
unchanged.

The rubric (Criterion, JudgeGroup, Rubric, parse_rubric, score_problem) lives in core/judging/rubric.py and is
re-exported here, so callers import the whole arena API from one module.
"""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from leitai.core.errors import DataError, SpecError
from leitai.core.judging.rubric import Criterion, JudgeGroup, Rubric, exact, parse_rubric, score_problem
from leitai.core.ranking.index import competition_rank

if TYPE_CHECKING:
    from leitai.core.judging.audit import JudgeAudit

__all__ = [
    "Criterion", "JudgeGroup", "Rubric", "Sheet", "IncompleteSheet", "GroupScore", "ContestantResult",
    "TallyResult", "parse_rubric", "score_problem", "exact", "judge_total", "complete_totals", "tally", "rank_scores", "bonus_by_rank",
]


@dataclass
class Sheet:
    """One judge's score sheet for one contestant: criterion code → score."""

    judge: str
    group: str
    contestant: str
    scores: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class IncompleteSheet:
    """A sheet lacking some criteria: left out of the tally and reported."""

    judge: str
    group: str
    contestant: str
    missing: tuple[str, ...]


@dataclass
class GroupScore:
    """One group's score for one contestant, with the judges it counted and dropped (appearance order)."""

    group: str
    score: float | None  # None when no judge of the group has a complete sheet for the contestant
    counted: list[str] = field(default_factory=list)
    dropped_high: list[str] = field(default_factory=list)
    dropped_low: list[str] = field(default_factory=list)


@dataclass
class ContestantResult:
    """A contestant's line of the tally."""

    contestant: str
    score: float | None
    rank: int  # 1 is best, ties share; 0 = not ranked (no complete sheet)
    groups: dict[str, GroupScore]  # every rubric group, in rubric order
    totals: dict[str, float]  # judge → total of each complete sheet
    incomplete: list[IncompleteSheet]

    @property
    def group_scores(self) -> dict[str, float | None]:
        return {code: g.score for code, g in self.groups.items()}


@dataclass
class TallyResult:
    """The whole tally: one row per contestant in `contestants` order, plus every incomplete sheet."""

    contestants: list[str]
    rows: list[ContestantResult]
    incomplete: list[IncompleteSheet]
    # drop_flagged calibration: the audit lines of the judges whose sheets were left out (their flags say why)
    dropped: list[JudgeAudit] = field(default_factory=list)

    def __getitem__(self, contestant: str) -> ContestantResult:
        return self.rows[self.contestants.index(contestant)]

    @property
    def ranks(self) -> dict[str, int]:
        return {r.contestant: r.rank for r in self.rows}

    def ranked(self) -> list[ContestantResult]:
        """Rows best first; ties and the unranked (last) keep `contestants` order."""
        return sorted(self.rows, key=lambda r: r.rank or math.inf)


_Weights = tuple[tuple[tuple[str, int], ...], int]


@functools.lru_cache(maxsize=64)
def _integer_weights(rubric: Rubric) -> _Weights:
    """The criteria's exact weights scaled to whole numbers a_i (Σ a_i = A): Σ w·s / Σ w = Σ a·s / A."""
    weights = [exact(c.weight) for c in rubric.criteria]
    q = math.lcm(*(w.denominator for w in weights)) if weights else 1
    scaled = tuple((c.code, int(w * q)) for c, w in zip(rubric.criteria, weights, strict=True))
    return scaled, sum(a for _, a in scaled)


def _exact_total(scores: Mapping[str, float], rubric: Rubric, scaled: _Weights | None = None) -> Fraction:
    """Σ w·s / Σ w, exactly, in whole numbers: the same Fraction as summing Fractions, a few times faster (the
    reveal and the publication add up every sheet of the day: 12,000 at 1,000 judges, bench/bench_arena.py).
    `scaled`: _integer_weights(rubric), when the caller adds up many sheets."""
    weights, total = scaled or _integer_weights(rubric)
    values = [(a, exact(scores[code])) for code, a in weights]
    d = math.lcm(*(s.denominator for _, s in values)) if values else 1
    return Fraction(sum(a * s.numerator * (d // s.denominator) for a, s in values), d * total)


def judge_total(scores: Mapping[str, float], rubric: Rubric) -> float:
    """A judge's total: Σ w·s / Σ w over the rubric's criteria; every criterion must be scored."""
    known = {c.code: c for c in rubric.criteria}
    for code, value in scores.items():
        if code not in known:
            raise DataError(f"未知的评分项 {code}", f"unknown criterion {code}")
        problem = score_problem(value, known[code])
        if problem:
            raise DataError(f"评分项 {code}：{problem[0]}", f"criterion {code}: {problem[1]}")
    missing = [c for c in known if c not in scores]
    if missing:
        raise DataError(f"评分表不完整，缺少评分项：{'、'.join(missing)}",
                        f"the sheet is incomplete, missing criteria: {', '.join(missing)}")
    return float(_exact_total(scores, rubric))


def _collect(sheets: Iterable[Sheet], rubric: Rubric, contestants: Sequence[str] | None):
    """Validate the sheets and merge them per (judge, contestant), in first-appearance order."""
    criteria = {c.code: c for c in rubric.criteria}
    groups = set(rubric.group_codes)
    order: list[str] = []
    if contestants is not None:
        order = [str(c) for c in contestants]
        dup = next((c for c in order if order.count(c) > 1), None)
        if dup is not None:
            raise DataError(f"选手 {dup} 在名单中出现了两次", f"contestant {dup} appears twice in the list")
    listed = set(order)
    judge_group: dict[str, str] = {}
    merged: dict[tuple[str, str], tuple[str, dict[str, float]]] = {}
    # A day's sheets repeat a few dozen distinct scores: each (criterion, score) is judged once. Keyed by the
    # value's type too, so True is never taken for the 1 already checked.
    checked: dict[tuple[str, type, object], tuple[str, str] | None] = {}
    for sheet in sheets:
        judge, group, contestant = str(sheet.judge).strip(), str(sheet.group).strip(), str(sheet.contestant).strip()
        if not (judge and group and contestant):
            raise DataError("评分表的评委、评委组、选手都不能为空", "a sheet needs a judge, a group and a contestant")
        where_zh, where_en = f"评委 {judge} 对选手 {contestant} 的评分表", f"judge {judge}'s sheet for contestant {contestant}"
        if group not in groups:
            raise DataError(f"{where_zh}：未知的评委组 {group}", f"{where_en}: unknown group {group}")
        first = judge_group.setdefault(judge, group)
        if first != group:
            raise DataError(f"评委 {judge} 同时出现在评委组 {first} 和 {group} 中",
                            f"judge {judge} appears in two groups, {first} and {group}")
        if contestant not in listed:
            if contestants is not None:
                raise DataError(f"{where_zh}：选手 {contestant} 不在名单中",
                                f"{where_en}: contestant {contestant} is not in the list")
            order.append(contestant)
            listed.add(contestant)
        _, scores = merged.setdefault((judge, contestant), (group, {}))
        for code, value in sheet.scores.items():
            code = str(code)
            if code not in criteria:
                raise DataError(f"{where_zh}：未知的评分项 {code}", f"{where_en}: unknown criterion {code}")
            key = (code, type(value), value)
            try:
                problem = checked[key]
            except (KeyError, TypeError):  # new, or unhashable (a list: score_problem refuses it)
                problem = score_problem(value, criteria[code])
                if type(value) in (int, float):
                    checked[key] = problem
            if problem:
                raise DataError(f"{where_zh}：{problem[0]}", f"{where_en}: {problem[1]}")
            if code in scores:
                raise DataError(f"{where_zh}：评分项 {code} 重复打分", f"{where_en}: criterion {code} is scored twice")
            scores[code] = float(value)
    return order, merged


def _group_score(group: JudgeGroup, entries: list[tuple[str, Fraction]]) -> tuple[GroupScore, Fraction | None]:
    if not entries:
        return GroupScore(group.code, None), None
    k = group.trim if len(entries) > 2 * group.trim else 0
    # float(t) first: it orders like t (rounding is monotone) and settles almost every comparison cheaply.
    ordered = sorted(entries, key=lambda e: (float(e[1]), e[1], e[0]))
    kept = ordered[k:len(ordered) - k]
    low = {j for j, _ in ordered[:k]}
    high = {j for j, _ in ordered[len(ordered) - k:]} if k else set()
    mean = sum((t for _, t in kept), Fraction(0)) / len(kept)
    judges = [j for j, _ in entries]
    return GroupScore(group.code, float(mean), [j for j in judges if j not in low | high],
                      [j for j in judges if j in high], [j for j in judges if j in low]), mean


def complete_totals(sheets: Iterable[Sheet], rubric: Rubric, contestants: Sequence[str] | None = None
                    ) -> tuple[list[str], list[tuple[str, str, str, Fraction]], list[IncompleteSheet]]:
    """The sheets checked and merged as the tally does: (contestant order, one (judge, group, contestant,
    exact total) per complete sheet in first-appearance order, the incomplete sheets). The tally and the
    judges' audit (core/judging/audit.py) both start here."""
    order, merged = _collect(sheets, rubric, contestants)
    complete: list[tuple[str, str, str, Fraction]] = []
    incomplete: list[IncompleteSheet] = []
    weights = _integer_weights(rubric)
    for (judge, contestant), (group, scores) in merged.items():
        missing = tuple(c for c in rubric.criterion_codes if c not in scores)
        if missing:
            incomplete.append(IncompleteSheet(judge, group, contestant, missing))
        else:
            complete.append((judge, group, contestant, _exact_total(scores, rubric, weights)))
    return order, complete, incomplete


def _standardize(complete: list[tuple[str, str, str, Fraction]]) -> list[tuple[str, str, str, Fraction]]:
    """The `standardize` calibration: within each group, a judge's total t becomes
    M + (t − m)·(S / s), m and s the mean and standard deviation (population, ÷n) of that judge's totals,
    M and S those of all the group's totals. Means and variances are exact; the ratio S / s is the float
    nearest √(S² / s²), taken as its exact binary value, so the result is the same for any sheet order. A judge
    with one sheet, or whose totals are all equal, counts at M on every sheet."""
    def stats(values: list[Fraction]) -> tuple[Fraction, Fraction]:
        mean = sum(values, Fraction(0)) / len(values)
        return mean, sum(((v - mean) ** 2 for v in values), Fraction(0)) / len(values)

    by_group: dict[str, list[Fraction]] = {}
    by_judge: dict[str, list[Fraction]] = {}
    for judge, group, _, total in complete:
        by_group.setdefault(group, []).append(total)
        by_judge.setdefault(judge, []).append(total)
    groups = {g: stats(v) for g, v in by_group.items()}
    judges = {j: stats(v) for j, v in by_judge.items()}
    out = []
    for judge, group, contestant, total in complete:
        big_m, big_v = groups[group]
        m, var = judges[judge]
        ratio = Fraction(math.sqrt(float(big_v / var))) if var else Fraction(0)
        out.append((judge, group, contestant, big_m + (total - m) * ratio))
    return out


def _calibrate(sheets: list[Sheet], rubric: Rubric, contestants: Sequence[str] | None,
               complete: list[tuple[str, str, str, Fraction]], links) -> tuple[list, list]:
    """The rubric's calibration applied to the complete sheets' totals: (totals that count, dropped judges)."""
    cal = rubric.calibration
    if cal is None:
        return complete, []
    if cal.method == "standardize":
        return _standardize(complete), []
    from leitai.core.judging.audit import audit  # audit builds on this module

    flags = set(cal.flags)
    dropped = [r for r in audit(sheets, rubric, links, cal.threshold, contestants).rows if flags & set(r.flags)]
    gone = {r.judge for r in dropped}
    return [e for e in complete if e[0] not in gone], dropped


def tally(sheets: Iterable[Sheet], rubric: Rubric, contestants: Sequence[str] | None = None,
          links: Mapping[tuple[str, str], str] | Iterable[tuple[str, str]] | None = None) -> TallyResult:
    """Score and rank every contestant (the list given, else first-appearance order in `sheets`). `links`
    ((judge, contestant) pairs) matter only to a `drop_flagged` calibration that drops `favours_linked`."""
    sheets = list(sheets)
    order, complete, incomplete = complete_totals(sheets, rubric, contestants)
    complete, dropped = _calibrate(sheets, rubric, contestants, complete, links)
    totals: dict[str, dict[str, list[tuple[str, Fraction]]]] = {c: {} for c in order}
    for judge, group, contestant, total in complete:
        totals[contestant].setdefault(group, []).append((judge, total))
    rows = []
    for contestant in order:
        groups: dict[str, GroupScore] = {}
        num = den = Fraction(0)
        for g in rubric.groups:
            groups[g.code], mean = _group_score(g, totals[contestant].get(g.code, []))
            if mean is not None:
                num += exact(g.weight) * mean
                den += exact(g.weight)
        sheet_totals = {j: float(t) for g in rubric.groups for j, t in totals[contestant].get(g.code, [])}
        rows.append(ContestantResult(contestant, float(num / den) if den else None, 0, groups, sheet_totals,
                                     [s for s in incomplete if s.contestant == contestant]))
    for row, rank in zip(rows, _ranks(rows, rubric.tie_break), strict=True):
        row.rank = rank
    return TallyResult(order, rows, incomplete, dropped)


def _nan(values: Iterable[float | None]) -> np.ndarray:
    return np.array([math.nan if v is None else v for v in values], dtype=float)


def _ranks(rows: list[ContestantResult], tie_break: Sequence[str]) -> list[int]:
    return rank_scores([r.score for r in rows], [r.group_scores for r in rows], tie_break)


def rank_scores(scores: Sequence[float | None], group_scores: Sequence[Mapping[str, float | None]],
                tie_break: Sequence[str]) -> list[int]:
    """Competition ranks of the final scores, refined inside each tie by the tie-break groups' scores in turn
    (0 for a contestant without a score). The tally's ranks; the reveal ranks the contestants revealed so far
    from their stored scores with it, without adding up their sheets again."""
    base = competition_rank(_nan(scores))
    keys: list[list[int]] = [[int(r)] for r in base]
    for code in tie_break:
        blocks: dict[tuple[int, ...], list[int]] = {}
        for i, key in enumerate(keys):
            blocks.setdefault(tuple(key), []).append(i)
        for members in blocks.values():
            sub = competition_rank(_nan(group_scores[i].get(code) for i in members))
            for i, r in zip(members, sub, strict=True):
                # Not scored by the tie-break group (rank 0) sorts after every scored member.
                keys[i].append(int(r) or len(members) + 1)
    return [1 + sum(1 for j in range(len(keys)) if base[j] and keys[j] < keys[i]) if base[i] else 0
            for i in range(len(keys))]


# ---------------------------------------------------------------------------------------------- bonus

def _bonus_rule(rule) -> tuple[dict[int, float], float | None]:
    def points(value, where: str) -> float:
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
            raise SpecError(f"加减分规则 {where} 的分值应为数字，实为 {value!r}",
                            f"bonus rule {where}: points must be a number, got {value!r}")
        return float(value)

    if isinstance(rule, Sequence) and not isinstance(rule, str):
        rule = {"ranks": list(rule)}
    if not isinstance(rule, Mapping):
        raise SpecError("加减分规则应为对象或数组", "a bonus rule must be an object or an array")
    by_rank: dict[int, float] = {}
    last = None
    for key, value in rule.items():
        if key == "last":
            last = points(value, "last")
        elif key == "ranks" and isinstance(value, Sequence) and not isinstance(value, str):
            by_rank.update({n: points(v, f"ranks[{n - 1}]") for n, v in enumerate(value, 1)})
        elif (isinstance(key, int) and not isinstance(key, bool) and key >= 1) or (
                isinstance(key, str) and key.isascii() and key.isdigit() and int(key) >= 1):
            by_rank[int(key)] = points(value, str(key))
        else:
            raise SpecError(f"加减分规则的键 {key!r} 应为名次（1、2…）、\"last\" 或 \"ranks\"",
                            f"bonus rule key {key!r} must be a rank (1, 2…), \"last\" or \"ranks\"")
    return by_rank, last


def bonus_by_rank(ranks: Mapping[str, int], rule) -> dict[str, float]:
    """Bonus (+) or deduction (−) points per contestant from its rank, for the annual assessment ledger.

    `rule`: {"1": 2, "2": 1, "last": -1}, a list [2, 1, 0.5] for ranks 1..n, or {"ranks": [...], "last": -1}.
    Tied contestants all get their shared rank's points; "last" goes to every contestant sharing the worst
    rank and replaces that rank's own points, but only when someone ranks better (if all tie, nobody is
    last). Unranked contestants (rank 0) get 0."""
    by_rank, last = _bonus_rule(rule)
    worst = max((int(r) for r in ranks.values() if r), default=0)
    out = {}
    for contestant, rank in ranks.items():
        rank = int(rank or 0)
        if rank == 0:
            out[contestant] = 0.0
        elif last is not None and rank == worst and worst > 1:
            out[contestant] = last
        else:
            out[contestant] = by_rank.get(rank, 0.0)
    return out


def boundary_ties(ranks: Mapping[str, int], rule) -> list[tuple[int, list[str], float, list[float]]]:
    """Ties that sit on a bonus or deduction boundary: k contestants tied at rank r all get the points of
    rank r (or "last"), while the places r … r+k−1 untied would earn different points — e.g. four tied at
    the bottom all take the last place's deduction. Returns (rank, the tied contestants in `ranks` order,
    the points each gets, the points of the places r … r+k−1 if untied), best rank first."""
    by_rank, last = _bonus_rule(rule)
    ranked = [int(r) for r in ranks.values() if r]
    n = len(ranked)
    given = bonus_by_rank(ranks, rule)
    out = []
    for rank in sorted(set(ranked)):
        tied = [c for c, r in ranks.items() if r and int(r) == rank]
        if len(tied) < 2:
            continue
        places = [last if last is not None and place == n else by_rank.get(place, 0.0)
                  for place in range(rank, rank + len(tied))]
        if len(set(places)) > 1:
            out.append((rank, tied, given[tied[0]], places))
    return out
