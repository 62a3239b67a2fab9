"""The key-project workbook: its columns (the import reads them, projects.services) and the board's projects
written out in them, so an export imports again as is."""

from __future__ import annotations

from ..base.xlsx import one_sheet

# header → model field; 项目编号 and 已完成投资 are optional, the rest must be present as columns
HEADERS = {
    "项目编号": "code", "项目名称": "name", "责任单位": "unit", "批次": "batch",
    "计划总投资": "investment_planned", "已完成投资": "investment_done",
    "计划签约": "planned_sign", "计划开工": "planned_start", "计划竣工投产": "planned_complete",
    "实际签约": "actual_sign", "实际开工": "actual_start", "实际竣工投产": "actual_complete",
}
REQUIRED = ("项目名称", "责任单位", "批次", "计划总投资", "计划签约", "计划开工", "计划竣工投产")
SCHEDULE_LABELS = {"green": "按计划", "yellow": "滞后 30 天内", "red": "滞后超过 30 天"}


def projects_xlsx(projects) -> bytes:
    """The listed key projects in the import's own columns (the file imports again as is), then the stage,
    the schedule colour as of the board's day and whether the project is closed out (ignored on import)."""
    fields = list(HEADERS.values())
    header = list(HEADERS) + ["阶段", "进度", "已销号"]
    rows = []
    for p in projects:
        values = [p.unit.name if f == "unit" else getattr(p, f) for f in fields]
        rows.append(values + [str(p.get_stage_display()), SCHEDULE_LABELS.get(getattr(p, "colour", ""), ""),
                              "是" if p.closed else "否"])
    return one_sheet("重大项目", header, rows)
