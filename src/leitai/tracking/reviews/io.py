"""A follow-up review round written out as .xlsx: the verdicts, then coverage and satisfaction per unit."""

from __future__ import annotations

from ..base.xlsx import workbook


def review_round_xlsx(rnd, assignments, summary: dict) -> bytes:
    """A follow-up review round: every assignment with its verdict, then coverage and satisfaction per unit."""
    detail = [[a.item.code, a.item.title, a.item.unit.name, a.supervisor.display_name or a.supervisor.username,
               str(a.get_verdict_display()) if a.verdict else "", a.comment,
               a.done_at.replace(tzinfo=None) if a.done_at else None] for a in assignments]
    totals = [[r["unit"], r["assigned"], r["done"], r["coverage"], r["satisfied"], r["basic"], r["not"],
               r["satisfaction"]] for r in [*summary["units"], {**summary["total"], "unit": "合计"}]]
    return workbook([
        ("评价明细", ["事项编号", "问题", "责任单位", "监督员", "评价", "意见", "评价时间"], detail),
        ("覆盖率与满意率", ["责任单位", "分派", "已评价", "覆盖率", "满意", "基本满意", "不满意", "满意率"], totals),
    ])
