"""Results: publication (frozen, with bonus and deduction points in the units' assessment ledgers) and the
anonymised export that recomputes it. The tally itself is a read of the day (day.selectors.tally_arena)."""

from __future__ import annotations

import json

from django.db import transaction
from django.utils import timezone

from leitai.arena.base.events import Published, announce, lock_arena, record_event
from leitai.arena.base.policies import require_organizer
from leitai.arena.day import intervals
from leitai.arena.day.flow import check_quorum, refuse_pending_paper
from leitai.arena.day.selectors import final_sheets, tally_arena
from leitai.arena.setup.selectors import links_of, rubric_dict
from leitai.core.errors import LeitaiError
from leitai.core.io.arena import format_scores_csv, format_tally_csv
from leitai.core.io.arena_audit import format_audit_csv, format_links_csv
from leitai.core.judging.audit import audit
from leitai.core.judging.flow import REVEALED, SCORING_CLOSED
from leitai.core.judging.tally import bonus_by_rank, parse_rubric, tally
from leitai.rankings.services import add_adjustment


def _points(p: float) -> str:
    text = f"{p:+.2f}".rstrip("0").rstrip(".")
    return text


def bonus_reason(arena, rank: int, points: float) -> str:
    """e.g. "2024年第一季度书记擂台 第1名（+2分）"."""
    return f"{arena.name} 第{rank}名（{_points(points)}分）"


@transaction.atomic
def publish_results(arena, user, override_reason: str = ""):
    """Publish once: final scores and ranks, the frozen result (rubric, rows, tally CSV) and the bonus or
    deduction points by rank in each unit's assessment ledger. Nothing about the scores changes after.

    Refused while a judge group is below the quorum (for a contestant not already revealed with a reason),
    unless the organizer gives a reason (day.flow.check_quorum, logged and shown on the results page)."""
    require_organizer(user)
    arena = lock_arena(arena)
    if arena.status == arena.Status.PUBLISHED:
        raise Published("本场擂台赛结果已经发布", "The arena's results are already published")
    contestants = list(arena.contestants.select_for_update(of=("self",)).select_related("unit", "person")
                       .order_by("order", "id"))
    if not contestants:
        raise LeitaiError("本场擂台赛没有参赛单位", "The arena has no contestants")
    open_ = [c.unit.name for c in contestants if c.stage not in (SCORING_CLOSED, REVEALED)]
    if open_:
        raise LeitaiError(f"还有选手评分未结束：{'、'.join(open_)}", f"Scoring is not closed for: {', '.join(open_)}")
    refuse_pending_paper(arena)
    check_quorum(arena, contestants, user, override_reason, "publish")
    if arena.scoring_mode == "rank":
        return _publish_ranking(arena, user, contestants)
    result, rubric = tally_arena(arena)
    bonus = bonus_by_rank(result.ranks, arena.bonus_rule or {})
    rows = []
    for c in contestants:
        row = result[c.unit.code]
        c.score, c.rank, c.group_scores = row.score, row.rank or None, row.group_scores
        c.save(update_fields=["score", "rank", "group_scores"])
        points = bonus[c.unit.code]
        if points:
            add_adjustment(c.unit, arena.period, points, bonus_reason(arena, row.rank, points), plan=arena.plan,
                           user=user, source=f"arena:{arena.pk}")
        rows.append({"contestant": c.pk, "unit": c.unit.code, "unit_name": c.unit.name,
                     "person": c.person.name if c.person else "", "title": c.title, "order": c.order,
                     "score": row.score, "rank": row.rank or None, "groups": row.group_scores,
                     "sheets": len(row.totals), "bonus": points})
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["order"]))
    # The published CSV is the tally of exactly the exported sheets (contestants with at least one sheet),
    # so `leitai arena tally` on the export reproduces it byte for byte.
    exported = tally(final_sheets(arena), rubric, links=links_of(arena) if rubric.calibration else None)
    tally_csv = format_tally_csv(exported, rubric)
    now = timezone.now()
    arena.result = {"rubric": rubric_dict(arena), "rows": rows, "tally_csv": tally_csv,
                    "published_at": now.isoformat(),
                    # Rank intervals (bootstrap over the judges): `leitai arena uncertainty` on the export.
                    "uncertainty": intervals.record(arena, exported, rubric)}
    if exported.dropped:  # drop_flagged calibration: which judges' sheets were left out, and why
        arena.result["dropped"] = [dropped_dict(d) for d in exported.dropped]
    arena.status, arena.published_at, arena.published_by = arena.Status.PUBLISHED, now, user
    arena.save(update_fields=["result", "status", "published_at", "published_by"])
    record_event(arena, "published", user, ranks={r["unit"]: r["rank"] for r in rows}, **published_digests(arena))
    announce(arena)
    return arena


def rubric_json(rubric: dict) -> bytes:
    """rubric.json of the bundle, as exported."""
    return (json.dumps(rubric, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _stored_result(arena) -> dict:
    """The published result as the database holds it (PostgreSQL orders a JSON column's keys its own way; the
    export and the publication's digests both write this, so they agree on every database)."""
    return type(arena).objects.filter(pk=arena.pk).values_list("result", flat=True).get()


def published_digests(arena) -> dict:
    """The SHA-256 of result.csv and rubric.json as the export will write them, for the chain's publication
    entry (`leitai arena verify` checks them). Read back from the database: PostgreSQL orders a JSON
    column's keys its own way, and the export writes what it reads."""
    from leitai.core.judging.receipts import digest

    stored = _stored_result(arena)
    return {"result_sha256": digest(stored["tally_csv"].encode("utf-8")),
            "rubric_sha256": digest(rubric_json(stored["rubric"]))}


def _publish_ranking(arena, user, contestants):
    """publish_results for 排序测评: ranks and points by core.points, the same ledger entries by rank."""
    from leitai.arena.day.selectors import tally_ranking
    from leitai.arena.setup.selectors import rules_dict, rules_of
    from leitai.core.io.points import format_detail_csv, format_out_csv

    if arena.ranking_state != "closed":
        raise LeitaiError("请先结束排序测评", "Close the ranking first")
    result = tally_ranking(arena)
    if result is None:
        raise LeitaiError("还没有评委提交排序", "No judge has submitted a ranking")
    detail = {r.contestant: r for r in result.detail}
    ranks = {c.unit.code: (detail[c.unit.code].combined_rank if c.unit.code in detail else 0) for c in contestants}
    bonus = bonus_by_rank(ranks, arena.bonus_rule or {})
    sheets = arena.rank_sheets.count()
    rows = []
    for c in contestants:
        d = detail.get(c.unit.code)
        c.score = float(d.points) if d else None
        c.rank, c.group_scores = (d.combined_rank if d else None), (dict(d.group_ranks) if d else {})
        if c.stage != REVEALED:
            c.stage = REVEALED
        c.save(update_fields=["score", "rank", "group_scores", "stage"])
        points = bonus[c.unit.code]
        if points:
            add_adjustment(c.unit, arena.period, points, bonus_reason(arena, c.rank, points), plan=arena.plan,
                           user=user, source=f"arena:{arena.pk}")
        rows.append({"contestant": c.pk, "unit": c.unit.code, "unit_name": c.unit.name,
                     "person": c.person.name if c.person else "", "title": c.title, "order": c.order,
                     "score": c.score, "rank": c.rank, "groups": c.group_scores, "sheets": sheets if d else 0,
                     "bonus": points})
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["order"]))
    rules = rules_of(arena)
    now = timezone.now()
    arena.result = {"mode": "rank", "rules": rules_dict(arena), "rows": rows, "tally_csv": format_out_csv(result),
                    "detail_csv": format_detail_csv(result, rules), "published_at": now.isoformat(),
                    # Rank intervals (bootstrap over the judges' rankings): `leitai points uncertainty`.
                    "uncertainty": intervals.record(arena)}
    arena.status, arena.published_at, arena.published_by = arena.Status.PUBLISHED, now, user
    arena.save(update_fields=["result", "status", "published_at", "published_by"])
    record_event(arena, "published", user, ranks={r["unit"]: r["rank"] for r in rows}, **ranking_digests(arena))
    announce(arena)
    return arena


def rules_json(rules: dict) -> bytes:
    """rules.json of a ranking arena's bundle, as exported."""
    return (json.dumps(rules, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def ranking_digests(arena) -> dict:
    """published_digests for 排序测评: result.csv, detail.csv and rules.json as the export writes them (read
    back from the database for the same reason)."""
    from leitai.core.judging.receipts import digest

    stored = _stored_result(arena)
    return {"result_sha256": digest(stored["tally_csv"].encode("utf-8")),
            "detail_sha256": digest(stored["detail_csv"].encode("utf-8")),
            "rules_sha256": digest(rules_json(stored["rules"]))}


RANK_README = """擂台赛排序测评数据（匿名）/ Arena rankings (anonymised)
{name}

  ranks.csv    每位评委（匿名编号）对每个参赛单位排出的名次 / every judge's rank of every contestant
  rules.json   评委组权重、同分比较顺序、名次赋分表 / group weights, tie-break, points by rank
  result.csv   发布的积分和名次 / the published points and places
  detail.csv   各评委组名次、综合名次和积分 / group ranks, combined rank and points
{chain_files}
复算 / recompute (out.csv equals result.csv, out-detail.csv equals detail.csv):

  leitai points tally --ranks ranks.csv --rules rules.json --out out.csv --detail out-detail.csv

规则：每个评委组按本组评委名次之和排序（和小者在前，相同则并列）；各组名次按组权重加权求和，小者在前，
相同时依次比较 tie_break 中评委组的名次；综合名次 r 得 points[r-1] 分。详见 docs/points.md。
The rule: each group orders the contestants by the sum of its judges' ranks; the group ranks are summed with
the group weights, lowest first, ties broken by the tie_break groups' ranks; rank r earns points[r-1].
"""


README = """擂台赛评分数据（匿名）/ Arena scores (anonymised)
{name}

本目录文件 / Files:
  scores.csv   全部有效评分表：评委（匿名编号）、评委组、参赛单位编码、评分项、分数
               every counted score sheet: judge (anonymous code), group, contestant (unit code), criterion, score
  rubric.json  评分规则：评分项权重与满分、评委组权重与去掉最高最低分个数、同分比较顺序
               the rubric: criteria weights and maxima, group weights and trimming, the tie-break order
  result.csv   发布的结果 / the published result
  sheets.csv   每份计入的评分表的版本、回执码和密钥 / each counted sheet's version, receipt and secret
  CHAIN.jsonl  本场记录的哈希链（每份评分表的每一版、每个环节、揭晓、发布）/ the arena's hash chain
  HEAD         哈希链的链头（结果页显示）/ the chain's head (shown on the results page)

任何人都可以用以下命令重新计算结果，输出与 result.csv 完全一致：
Anyone can recompute the result; the output equals result.csv exactly:

  leitai arena tally --scores scores.csv --rubric rubric.json --out out.csv

核对哈希链、回执和结果（逐项检查，指出第一处不符）/ check the chain, the receipts and the result:

  leitai arena verify .  [--head 结果页显示的链头 / the head on the results page]

计分规则：评委总分 = 各评分项分数按权重的加权平均；评委组得分 = 去掉最高分和最低分（各 trim 个，
评分表多于 2×trim 份时）后的平均分；最终得分 = 各评委组得分按组权重的加权平均；同分时依次比较
tie_break 中评委组的得分。
The tally: a judge's total is the weighted mean of the criteria; a group's score is the mean of its judges'
totals after dropping the trim highest and lowest (when it has more than 2×trim sheets); the final score is
the group-weighted mean; ties are broken by the scores of the tie_break groups in turn.
"""


RANK_CHAIN_FILES = """  sheets.csv   每份计入的排序的评委、版本、回执码和密钥 / each counted ranking's judge, version, receipt, secret
  CHAIN.jsonl  本场记录的哈希链（每份排序的每一版、开始和结束排序、揭晓、发布）/ the arena's hash chain
  HEAD         哈希链的链头（结果页显示）/ the chain's head (shown on the results page)
"""

RANK_VERIFY_README = """
核对哈希链、回执和结果（逐项检查，指出第一处不符）/ check the chain, the receipts and the result:

  leitai arena verify .  [--head 结果页显示的链头 / the head shown on the results page]

回执码由擂台赛编号、评委匿名编号、该评委的整份排序（单位编码 → 名次）、版本和密钥算出（docs/uncertainty.md）。
A ranking's receipt is computed from the arena, the judge's anonymous code, the whole ranking (unit code →
rank), the version and the secret (docs/uncertainty.md).
"""

NO_RANK_RECEIPTS_README = """
本场结果在排序回执启用之前发布，数据包中没有 sheets.csv、CHAIN.jsonl 和 HEAD，
不能用 leitai arena verify 核对；结果仍可用上面的 leitai points tally 复算。
This arena was published before rankings had receipts: the bundle has no sheets.csv, CHAIN.jsonl or HEAD
and cannot be checked with leitai arena verify; the result can still be recomputed with leitai points tally
(above).
"""

NO_CHAIN_README = """
本场结果在哈希链与回执启用之前发布，数据包中没有 sheets.csv、CHAIN.jsonl 和 HEAD，
不能用 leitai arena verify 核对；结果仍可用上面的 leitai arena tally 复算。
This arena was published before receipts and the hash chain existed: the bundle has no sheets.csv,
CHAIN.jsonl or HEAD and cannot be checked with leitai arena verify; the result can still be recomputed
with leitai arena tally (above).
"""

AUDIT_README = """
评委审计与校准 / Judges' audit and calibration:
  links.csv    评委（匿名编号）与参赛单位的关联 / judge–contestant links: judge,contestant,relation
  audit.csv    评委审计：偏宽、偏严、不稳定、偏向关联单位 / the judges' audit (docs/contracts.md)

  leitai arena audit --scores scores.csv --rubric rubric.json --links links.csv --out audit.csv
  leitai arena tally --scores scores.csv --rubric rubric.json --links links.csv --out out.csv

rubric.json 含 calibration 时，结果按其校准（standardize：组内按评委标准化；drop_flagged：剔除被审计标记的
评委的评分表）；--links 用于 drop_flagged 的“偏向关联单位”。
When rubric.json has a calibration, the tally applies it (standardize each judge within the group, or drop the
sheets of the judges the audit flags); --links matters to drop_flagged's favours_linked.
"""


def dropped_dict(row) -> dict:
    """A judge dropped by the drop_flagged calibration, as stored with the published result."""
    return {"judge": row.judge, "group": row.group, "flags": list(row.flags), "sheets": row.sheets,
            "leniency": row.leniency, "leniency_lo": row.leniency_lo, "leniency_hi": row.leniency_hi,
            "consistency": row.consistency, "favour": row.favour, "favour_lo": row.favour_lo,
            "favour_hi": row.favour_hi}


def audit_files(arena, rubric) -> dict[str, bytes]:
    """links.csv and audit.csv of the export: the audit of exactly the exported sheets (with the calibration's
    threshold when it declares one), so `leitai arena audit` on the bundle reproduces audit.csv."""
    links = links_of(arena)
    threshold = rubric.calibration.threshold if rubric.calibration else None
    result = audit(final_sheets(arena), rubric, links, threshold)
    return {"links.csv": format_links_csv(links).encode("utf-8"),
            "audit.csv": format_audit_csv(result).encode("utf-8")}


def export_arena(arena) -> dict[str, bytes]:
    """The published arena's anonymised sheets, rubric and result, plus a README (UTF-8, "\\n" lines)."""
    if arena.status != arena.Status.PUBLISHED:
        raise LeitaiError("擂台赛结果发布后才能导出", "An arena can be exported once its results are published")
    if arena.result.get("mode") == "rank":
        return _export_ranking(arena)
    from leitai.arena.results.receipts import chain_lines, counted_receipts
    from leitai.core.io.receipts import format_chain_jsonl, format_sheets_csv

    chain = chain_lines(arena)
    files = {
        "scores.csv": format_scores_csv(final_sheets(arena)).encode("utf-8"),
        "rubric.json": rubric_json(_stored_result(arena)["rubric"]),
        "result.csv": arena.result["tally_csv"].encode("utf-8"),
        "README.txt": (README.format(name=arena.name) + AUDIT_README).encode("utf-8"),
    }
    if chain:
        files.update({"sheets.csv": format_sheets_csv(counted_receipts(arena)).encode("utf-8"),
                      "CHAIN.jsonl": format_chain_jsonl(chain).encode("utf-8"),
                      "HEAD": (chain[-1].hash + "\n").encode("utf-8")})
    else:  # published before the hash chain existed: nothing to verify but the tally, and the README says so
        files["README.txt"] += NO_CHAIN_README.encode("utf-8")
    files.update(intervals.export_files(arena))
    files.update(audit_files(arena, parse_rubric(arena.result["rubric"])))
    return files


def _export_ranking(arena) -> dict[str, bytes]:
    """export_arena for 排序测评: ranks, rules and result, and the receipts and the chain to verify them, unless
    a counted ranking was stored before rankings had receipts (the README then says so)."""
    from leitai.arena.day.selectors import entries
    from leitai.arena.results.receipts import chain_lines, counted_rank_receipts
    from leitai.core.io.points import format_ranks_csv
    from leitai.core.io.receipts import format_chain_jsonl, format_rank_sheets_csv

    stored = _stored_result(arena)
    counted = counted_rank_receipts(arena)
    chain = chain_lines(arena) if counted is not None else []
    files = {
        "ranks.csv": format_ranks_csv(entries(arena)).encode("utf-8"),
        "rules.json": rules_json(stored["rules"]),
        "result.csv": stored["tally_csv"].encode("utf-8"),
        "detail.csv": stored["detail_csv"].encode("utf-8"),
    }
    if counted is not None and chain:
        readme = RANK_README.format(name=arena.name, chain_files=RANK_CHAIN_FILES) + RANK_VERIFY_README
        files.update({"sheets.csv": format_rank_sheets_csv(counted).encode("utf-8"),
                      "CHAIN.jsonl": format_chain_jsonl(chain).encode("utf-8"),
                      "HEAD": (chain[-1].hash + "\n").encode("utf-8")})
    else:
        readme = RANK_README.format(name=arena.name, chain_files="") + NO_RANK_RECEIPTS_README
    files["README.txt"] = readme.encode("utf-8")
    files.update(intervals.export_files(arena))
    return files
