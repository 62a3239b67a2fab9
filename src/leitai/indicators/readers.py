"""The wide .xlsx template an office fills in. Files are read into rows by `leitai.spreadsheets` (the one
reader of every import, within bounds); `core.io.tabular` validates the rows."""

from __future__ import annotations

from leitai import exports


def wide_template(title: str, sheet_name: str, units: list[str], indicators: list[tuple[str, str]],
                  values: dict[tuple[int, int], float] | None = None) -> bytes:
    """A wide .xlsx an office fills in: a title naming the period, then 单位名称 and one column per indicator.

    `indicators` are (name, measure); `values` optionally pre-fills cells by (unit index, indicator index).
    """
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet_name[:31]
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["单位名称", *(name for name, _measure in indicators)])
    head_fill = PatternFill("solid", fgColor="F3F4F6")
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    values = values or {}
    for u, unit in enumerate(units):
        ws.append([unit, *(values.get((u, i)) for i in range(len(indicators)))])
    ws.column_dimensions["A"].width = 18
    for i in range(len(indicators)):
        ws.column_dimensions[get_column_letter(i + 2)].width = 16
    ws.freeze_panes = "B3"
    notes = book.create_sheet("填表说明")
    for line in (
        ["填表说明"],
        ["1. 每行一个单位，每列一个指标；不要改动第 2 行的表头。"],
        ["2. 数值只填数字，可带 % 或千分位逗号；暂无数据填 - 或留空。"],
        ["3. 期间以第 1 行标题为准（如 2024年1-4月），导入时也可另行选择。"],
        *([f"{name}（{measure}）"] for name, measure in indicators if measure),
    ):
        notes.append(line)
    return exports.save(book)
