"""Files to rows and back: Excel (.xlsx) and CSV in, the wide .xlsx template out.

`core.tabular` validates plain rows; this module is the only place that knows about file formats.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from leitai import exports
from leitai.core.errors import DataError

Sheet = tuple[str, list[list]]

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # the old binary .xls format


def read_sheets(data: bytes, file_name: str) -> list[Sheet]:
    """The sheets of an .xlsx workbook, or a CSV file as one sheet named after the file."""
    suffix = Path(file_name).suffix.lower()
    if data.startswith(_OLE) or suffix == ".xls":
        raise DataError(f"“{file_name}”是旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后再导入",
                        f"'{file_name}' is an old .xls file: save it as .xlsx in Excel and import again")
    if data.startswith(_ZIP) or suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(data, file_name)
    return [(Path(file_name).stem, _read_csv(data, file_name))]


def _read_xlsx(data: bytes, file_name: str) -> list[Sheet]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, KeyError) for a damaged file
        raise DataError(f"无法读取 Excel 文件“{file_name}”：{exc}", f"Cannot read the Excel file '{file_name}': {exc}")
    try:
        return [(ws.title, [list(row) for row in ws.iter_rows(values_only=True)]) for ws in book.worksheets]
    finally:
        book.close()


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) first; GB18030 (a superset of GBK) is what many offices' Excel saves."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise DataError("无法识别文件编码，请保存为 UTF-8 或 GBK 编码的 CSV",
                        "Unknown text encoding: save the CSV as UTF-8 or GBK")


def _read_csv(data: bytes, file_name: str) -> list[list]:
    text = decode_text(data)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise DataError(f"无法读取 CSV 文件“{file_name}”：{exc}", f"Cannot read the CSV file '{file_name}': {exc}")


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
