"""How much of a spreadsheet an import may read, and the count kept while its rows stream in.

`Limits` are the bounds (rows, columns, cells, unzipped bytes, compression ratio, seconds); a `Budget`
counts against them and refuses with `FileRefused`, in Chinese and English, naming the file and, where it
can, the sheet, the row and the column. Pure: `leitai.spreadsheets` opens the files and feeds the counts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn

from leitai.core.errors import DataError
from leitai.core.io.tabular import column_letter

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The defaults hold a city's largest real files with room to spare (a 300,000-value long table is
    1.2 million cells and ~70 MB of sheet XML); the settings LEITAI_IMPORT_MAX_* change them."""

    rows: int = 1_000_000
    columns: int = 1_000
    cells: int = 3_000_000
    unzipped_bytes: int = 256 * MB
    ratio: float = 100.0  # unzipped size / zipped size of one part (real sheets: 5–20, bombs: ~1000)
    seconds: float = 120.0


class FileRefused(DataError):
    """A file an import does not read: too large, damaged or not a spreadsheet. `sheet`, `row` (1-based)
    and `column` (a letter) locate the refusal where they can."""

    def __init__(self, zh: str, en: str, sheet: str = "", row: int | None = None, column: str = "",
                 code: str = "unreadable"):
        super().__init__(zh, en)
        self.sheet, self.row, self.column, self.code = sheet, row, column, code


def where(file_name: str, sheet: str = "", row: int | None = None, column: str = "") -> tuple[str, str]:
    """The place of a refusal, in Chinese and English: 文件“a.xlsx”工作表“S”第 3 行 B 列."""
    zh, en = f"文件“{file_name}”", f"File '{file_name}'"
    if sheet:
        zh, en = zh + f"工作表“{sheet}”", en + f", sheet '{sheet}'"
    if row:
        zh, en = zh + f"第 {row} 行", en + f", row {row}"
    if column:
        zh, en = zh + f" {column} 列", en + f", column {column}"
    return zh, en


class Budget:
    """The count of one file's reading. Every `row`, `cells`, `unzipped` and `tick` call checks its limit."""

    def __init__(self, limits: Limits, file_name: str, clock: Callable[[], float] = time.monotonic):
        self.limits, self.file_name, self.clock = limits, file_name, clock
        self.deadline = clock() + limits.seconds
        self.cell_count = 0
        self.unzipped_count = 0

    def refuse(self, code: str, zh: str, en: str, sheet: str = "", row: int | None = None,
               column: str = "") -> NoReturn:
        at_zh, at_en = where(self.file_name, sheet, row, column)
        raise FileRefused(f"{at_zh}：{zh}；未导入任何数据", f"{at_en}: {en}; nothing imported", sheet, row, column, code)

    def row(self, sheet: str, number: int) -> None:
        if number > self.limits.rows:
            self.refuse("too_many_rows", f"超过行数上限 {self.limits.rows:,} 行（LEITAI_IMPORT_MAX_ROWS），请拆分文件后再导入",
                        f"more than {self.limits.rows:,} rows (LEITAI_IMPORT_MAX_ROWS): split the file", sheet, number)

    def column(self, sheet: str, row: int, index: int) -> None:
        """`index` is 1-based."""
        if index > self.limits.columns:
            self.refuse("too_many_columns",
                        f"超过列数上限 {self.limits.columns:,} 列（LEITAI_IMPORT_MAX_COLUMNS），请删除多余的列",
                        f"more than {self.limits.columns:,} columns (LEITAI_IMPORT_MAX_COLUMNS): delete the extra columns",
                        sheet, row, column_letter(index - 1))

    def cells(self, sheet: str, row: int, count: int) -> None:
        self.cell_count += count
        if self.cell_count > self.limits.cells:
            self.refuse("too_many_cells",
                        f"单元格总数超过上限 {self.limits.cells:,} 个（LEITAI_IMPORT_MAX_CELLS），请拆分文件后再导入",
                        f"more than {self.limits.cells:,} cells in all (LEITAI_IMPORT_MAX_CELLS): split the file",
                        sheet, row)

    def unzipped(self, count: int, part: str) -> None:
        self.unzipped_count += count
        if self.unzipped_count > self.limits.unzipped_bytes:
            self.refuse("too_large", f"解压后超过 {self.limits.unzipped_bytes / MB:.3g} MB 上限（LEITAI_IMPORT_MAX_UNZIPPED_MB，"
                        f"读到“{part}”时）", f"more than {self.limits.unzipped_bytes / MB:.3g} MB once unzipped "
                        f"(LEITAI_IMPORT_MAX_UNZIPPED_MB, at '{part}')")

    def tick(self, sheet: str = "", row: int | None = None) -> None:
        if self.clock() > self.deadline:
            self.refuse("too_slow", f"读取超过 {self.limits.seconds:g} 秒上限（LEITAI_IMPORT_MAX_SECONDS），请拆分文件后再导入",
                        f"reading took more than {self.limits.seconds:g} s (LEITAI_IMPORT_MAX_SECONDS): split the file",
                        sheet, row)
