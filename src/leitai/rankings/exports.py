"""Recomputation: a stored ranking back into engine form, re-run from its snapshot, and the offline bundle.

The bundle (data.csv, spec.json, result.csv, README.txt) lets anyone re-run a published ranking with
`leitai index compute` and compare it with what was published, digit for digit.
"""

from __future__ import annotations

import io
import json
import zipfile

import numpy as np

from leitai.core.io.index import format_data_csv, format_result_csv, format_uncertainty_csv
from leitai.core.periods import label
from leitai.core.ranking.index import IndexResult, compute_index
from leitai.core.ranking.spec import parse_spec
from leitai.core.ranking.uncertainty import UncertaintyParams

README = """\
{title}
{period}（{period_code}）· 方案版本 v{version} · 状态：{status}

【中文】如何复算
本压缩包包含该期排名的全部输入与规则：
  data.csv    各单位各指标的原始数据（空白表示缺失）
  spec.json   考核方案规则快照（标准化、权重、分组、摘星夺旗规则、加减分事项）
  result.csv  发布的排名结果
在任意装有擂台（leitai）的电脑上运行：
  leitai index compute --data data.csv --spec spec.json --out out.csv
然后比较 out.csv 与 result.csv，两者应逐字节一致，例如：
  Windows:  fc out.csv result.csv
  Linux/macOS:  diff out.csv result.csv

[English] How to recompute
This archive holds every input and rule of the ranking:
  data.csv    the raw value of each indicator for each unit (blank = missing)
  spec.json   the plan's rules as used (normalisation, weights, groups, awards, bonus/deduction items)
  result.csv  the ranking as published
On any computer with Leitai installed, run:
  leitai index compute --data data.csv --spec spec.json --out out.csv
and compare out.csv with result.csv: they must be identical, byte for byte
(Windows: fc out.csv result.csv; Linux/macOS: diff out.csv result.csv).
"""

README_INTERVALS = """
【中文】名次区间（90% 区间）如何复算
  intervals.csv     发布的名次区间：unit,rank,median_rank,rank_lo,rank_hi
  uncertainty.json  区间的抽样参数（抽样次数、随机种子、权重扰动幅度、备选方法）
运行：
  {command}
然后比较 out-intervals.csv 与 intervals.csv，两者应逐字节一致。方法见文档 docs/uncertainty.md。

[English] How to recompute the rank intervals (90 % intervals)
  intervals.csv     the published intervals: unit,rank,median_rank,rank_lo,rank_hi
  uncertainty.json  their parameters (draws, seed, weight jitter, alternatives)
Run:
  {command}
and compare out-intervals.csv with intervals.csv: they must be identical, byte for byte (docs/uncertainty.md).
"""


def snapshot_matrix(ranking) -> tuple[list[str], list[str], np.ndarray]:
    """Units (in computed order), indicator codes (spec order) and values from a ranking's inputs snapshot."""
    codes = [i["code"] for i in ranking.spec["indicators"]]
    col = {c: j for j, c in enumerate(codes)}
    units: list[str] = []
    row: dict[str, int] = {}
    for unit_code, _code, _value in ranking.inputs:
        if unit_code not in row:
            row[unit_code] = len(units)
            units.append(unit_code)
    values = np.full((len(units), len(codes)), np.nan)
    for unit_code, code, value in ranking.inputs:
        if value is not None and code in col:
            values[row[unit_code], col[code]] = value
    return units, codes, values


def recompute_from_snapshot(ranking) -> IndexResult:
    """Run the engine again on a ranking's stored inputs and spec (never on today's database)."""
    units, codes, values = snapshot_matrix(ranking)
    return compute_index(units, codes, values, parse_spec(ranking.spec))


def _num(x) -> float:
    return np.nan if x is None else float(x)


def result_from_rows(ranking) -> IndexResult:
    """The stored rows of a ranking as an IndexResult, in the order the ranking was computed."""
    units, codes, _values = snapshot_matrix(ranking)
    groups = [g["code"] for g in ranking.spec.get("groups") or []]
    by_code = {r.unit.code: r for r in ranking.rows.select_related("unit")}
    rows = [by_code[u] for u in units]
    n = len(rows)
    normalized = np.array([[_num(r.indicator_scores.get(c)) for c in codes] for r in rows], dtype=float).reshape(n, len(codes))
    group_scores = np.array([[_num(r.group_scores.get(g)) for g in groups] for r in rows], dtype=float).reshape(n, len(groups))
    indicator_rank = np.array([[r.indicator_ranks.get(c) or 0 for c in codes] for r in rows], dtype=np.int64)
    return IndexResult(
        units=units, indicators=codes, groups=groups,
        normalized=normalized, group_scores=group_scores,
        base_score=np.array([_num(r.base_score) for r in rows], dtype=float),
        adjustment=np.array([float(r.adjustment) for r in rows], dtype=float),
        score=np.array([_num(r.score) for r in rows], dtype=float),
        rank=np.array([r.rank or 0 for r in rows], dtype=np.int64),
        indicator_rank=indicator_rank.reshape(n, len(codes)),
        missing={r.unit.code: list(r.missing) for r in rows if r.missing},
        dropped=[(d["code"], d["reason"]) for d in ranking.report.get("dropped", [])],
        stars=[list(r.stars) for r in rows],
        # The label is added for display when the ranking is stored; the engine's flags carry none.
        flags=[[{k: v for k, v in f.items() if k != "label"} for f in r.flags] for r in rows],
        weak=[list(r.weak) for r in rows],
    )


def interval_params_of(ranking) -> UncertaintyParams | None:
    """The parameters a ranking's intervals were drawn with; None for a ranking stored without intervals."""
    u = ranking.uncertainty or {}
    if not u:
        return None
    return UncertaintyParams(int(u["draws"]), int(u["seed"]), float(u["jitter"]), tuple(u.get("alternatives") or ()))


def interval_command(params: UncertaintyParams) -> str:
    """The `leitai index uncertainty` command line that redraws a ranking's intervals from its bundle."""
    alts = f" --alternatives {','.join(params.alternatives)}" if params.alternatives else ""
    return (f"leitai index uncertainty --data data.csv --spec spec.json --draws {params.draws} --seed {params.seed} "
            f"--jitter {params.jitter!r}{alts} --out out-intervals.csv")


def intervals_csv(ranking) -> str:
    """The published intervals as `leitai index uncertainty` writes them, from the stored rows."""
    stored = result_from_rows(ranking)
    by_code = {r.unit.code: r for r in ranking.rows.select_related("unit")}
    rows = [by_code[u] for u in stored.units]
    med, lo, hi = (np.array([getattr(r, f) or 0 for r in rows], dtype=np.int64)
                   for f in ("median_rank", "rank_lo", "rank_hi"))
    return format_uncertainty_csv(stored, med, lo, hi)


def export_bundle(ranking) -> dict[str, bytes]:
    """The recompute bundle of a ranking: data.csv, spec.json, result.csv and README.txt, and, when the
    ranking has rank intervals, intervals.csv and uncertainty.json."""
    units, codes, values = snapshot_matrix(ranking)
    plan = ranking.plan_version.plan
    readme = README.format(
        title=plan.name, period=label(ranking.period.code, ytd=ranking.period.kind == "month"),
        period_code=ranking.period.code, version=ranking.plan_version.number, status=ranking.get_status_display(),
    )
    bundle = {
        "data.csv": format_data_csv(units, codes, values, period=ranking.period.code).encode("utf-8"),
        "spec.json": (json.dumps(ranking.spec, ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
        "result.csv": format_result_csv(result_from_rows(ranking)).encode("utf-8"),
    }
    params = interval_params_of(ranking)
    if params is not None:
        bundle["intervals.csv"] = intervals_csv(ranking).encode("utf-8")
        bundle["uncertainty.json"] = (json.dumps(params.to_dict(), indent=2) + "\n").encode("utf-8")
        readme += README_INTERVALS.format(command=interval_command(params))
    bundle["README.txt"] = readme.replace("\n", "\r\n").encode("utf-8")
    return bundle


def bundle_zip(ranking) -> bytes:
    """The recompute bundle as one .zip archive (what the download button and the API serve)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in export_bundle(ranking).items():
            zf.writestr(name, content)
    return buf.getvalue()


def bundle_name(ranking, ext: str) -> str:
    """A download file name such as county-2024-04-v2.zip."""
    return f"{ranking.plan_version.plan.code}-{ranking.period.code}-v{ranking.plan_version.number}-{ranking.pk}.{ext}"
