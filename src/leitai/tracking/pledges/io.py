"""The pledge list written out as .xlsx (pledges.importing reads the same columns back)."""

from __future__ import annotations

from ..base.xlsx import one_sheet


def pledges_xlsx(pledges) -> bytes:
    """The listed pledges and their verdicts as a workbook."""
    header = ["单位", "承诺人", "承诺内容", "指标", "比较", "目标值", "兑现期限", "来源", "核验结果", "核验所用数值", "核验说明"]
    rows = [[p.unit.name, p.person.name if p.person_id else "", p.text, p.indicator.name if p.indicator_id else "",
             p.reference_target or p.get_comparison_display(), None if p.reference else p.target_value, p.deadline.code if p.deadline_id else "",
             str(p.get_source_display()), str(p.get_status_display()), p.verdict_value, p.verdict_note]
            for p in pledges]
    return one_sheet("承诺", header, rows)
