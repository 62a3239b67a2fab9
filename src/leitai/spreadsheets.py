"""Spreadsheets in: the one reader of every import (statistics, rectification items, pledges, key projects)
— an .xlsx workbook, or a .csv file in UTF-8 or GB18030, to rows of cell values, within bounds.

Nothing a file says about itself is trusted:

- An .xlsx is a zip of XML parts. Before any part is parsed, its directory is checked: how many parts, their
  declared sizes in all (LEITAI_IMPORT_MAX_UNZIPPED_MB) and each large part's compression ratio
  (LEITAI_IMPORT_MAX_RATIO). Each part is then unzipped in 64 KB pieces, counting the bytes that really come
  out (a part yielding more than its header declared is refused at once), and parsed as the pieces come by
  expat, which refuses any DTD or entity.
- A sheet's declared size (`<dimension ref="A1:XFD1048576"/>`) is ignored: rows, columns and cells are
  counted as they are read (LEITAI_IMPORT_MAX_ROWS, _COLUMNS, _CELLS), and the clock is watched
  (LEITAI_IMPORT_MAX_SECONDS). A CSV record is read line by line, never longer than a million characters.

Values are what openpyxl gives with `data_only` (a formula's cached result; numbers as int or float; numbers
in a date format as datetime); a cell openpyxl would fail on (a number cell holding text) keeps its text,
for the import to report at its row and column. Rows are numbered as in the sheet: the rows list has an
empty row for each row the file skips. Every refusal is a `core.io.bounds.FileRefused` naming the file and,
where it can, the sheet, row and column, in Chinese and English: no library's own message reaches the user.
The pure reading of the rows into records stays in `core.io` (tabular, tabular_sheet).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import posixpath
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn
from xml.parsers import expat

from leitai.core.io.bounds import MB, Budget, FileRefused, Limits, where

Row = Sequence[Any]
Sheet = tuple[str, list[Row]]
Progress = Callable[[int, int], None]

ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0"  # the old binary .xls format, and encrypted workbooks
PIECE = 64 * 1024
MAX_PARTS = 10_000  # a workbook has a few dozen
RATIO_FROM = MB // 4  # a part that unzips to less than this is harmless whatever its ratio
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_RECORD_CHARS = 1_000_000  # one CSV record, line breaks inside quotes included
EMPTY: tuple = ()  # every row the sheet skips (shared: a million skipped rows cost 8 MB)


def configured_limits() -> Limits:
    """The limits of the LEITAI_IMPORT_MAX_* settings."""
    from django.conf import settings

    return Limits(rows=settings.LEITAI_IMPORT_MAX_ROWS, columns=settings.LEITAI_IMPORT_MAX_COLUMNS,
                  cells=settings.LEITAI_IMPORT_MAX_CELLS,
                  unzipped_bytes=int(settings.LEITAI_IMPORT_MAX_UNZIPPED_MB * MB),
                  ratio=float(settings.LEITAI_IMPORT_MAX_RATIO), seconds=float(settings.LEITAI_IMPORT_MAX_SECONDS))


def read_sheets(data: bytes, file_name: str, limits: Limits | None = None,
                progress: Progress | None = None) -> list[Sheet]:
    """The sheets [(name, rows)] of an .xlsx workbook, or a CSV file as one sheet named after the file.

    `progress(done, total)` follows the reading (bytes of sheet XML, or of the CSV file). Raises FileRefused."""
    name = Path(file_name).name or file_name
    budget = Budget(limits or configured_limits(), name)
    suffix = Path(name).suffix.lower()
    if data.startswith(OLE) or suffix == ".xls":
        raise FileRefused(f"“{name}”是旧版 .xls 文件或加密的工作簿，请在 Excel 中取消密码、另存为 .xlsx 后再导入",
                          f"'{name}' is an old .xls file or an encrypted workbook: remove the password, save it as "
                          f".xlsx in Excel and import again")
    if data.startswith(ZIP) or suffix in (".xlsx", ".xlsm"):
        return XlsxReader(data, budget, progress).sheets()
    return [(Path(name).stem, csv_rows(data, budget, Path(name).stem, progress))]


# ---- CSV ----------------------------------------------------------------------------------------------

def csv_rows(data: bytes, budget: Budget, sheet: str, progress: Progress | None = None) -> list[Row]:
    """A CSV file's records (comma or tab separated, UTF-8 with or without BOM, else GB18030 — what many
    offices' Excel saves), counted against the budget."""
    head = data[:PIECE].split(b"\n", 1)[0]
    delimiter = "\t" if head.count(b"\t") > head.count(b",") else ","
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return _csv_records(data, encoding, delimiter, budget, sheet, progress)
        except UnicodeDecodeError:
            budget.cell_count = 0
    zh, en = where(budget.file_name)
    raise FileRefused(f"{zh}：无法识别文件编码，请保存为 UTF-8 或 GBK 编码的 CSV",
                      f"{en}: unknown text encoding: save the CSV as UTF-8 or GBK")


def _csv_records(data: bytes, encoding: str, delimiter: str, budget: Budget, sheet: str,
                 progress: Progress | None) -> list[Row]:
    raw = io.BytesIO(data)
    text = io.TextIOWrapper(raw, encoding=encoding, newline="")
    rows: list[Row] = []
    pending = 0  # characters of the record being read

    def lines() -> Iterator[str]:
        nonlocal pending
        while True:
            line = text.readline(MAX_RECORD_CHARS + 1 - pending)
            if not line:
                return
            pending += len(line)
            if pending > MAX_RECORD_CHARS:
                budget.refuse("too_large", f"一行超过 {MAX_RECORD_CHARS:,} 个字符", f"a row longer than "
                              f"{MAX_RECORD_CHARS:,} characters", sheet, len(rows) + 1)
            yield line

    reader = csv.reader(lines(), delimiter=delimiter)
    limits = budget.limits
    n = 0
    try:
        for row in reader:
            pending = 0
            n += 1
            width = len(row)
            budget.cell_count += width
            if n > limits.rows or width > limits.columns or budget.cell_count > limits.cells:
                budget.row(sheet, n)  # one of these refuses, naming the row
                budget.column(sheet, n, width)
                budget.cells(sheet, n, 0)
            rows.append(row)
            if not n % 1000:
                budget.tick(sheet, n)
                if progress:
                    progress(raw.tell(), len(data))
    except csv.Error:
        budget.refuse("unreadable", "无法读取：引号不配对、单元格过长（超过 131,072 个字符）或含有空字符",
                      "cannot be read: unbalanced quotes, a cell over 131,072 characters or a NUL character",
                      sheet, len(rows) + 1)
    budget.tick(sheet, len(rows))
    if progress:
        progress(len(data), len(data))
    return rows


# ---- .xlsx --------------------------------------------------------------------------------------------

def _local(name: str) -> str:
    """An element's or attribute's name without its namespace (expat gives `namespace}name`)."""
    return name[name.rfind("}") + 1:]


class XlsxReader:
    """One .xlsx read once: `sheets()` gives every worksheet's rows (chart sheets have none)."""

    def __init__(self, data: bytes, budget: Budget, progress: Progress | None = None):
        self.data, self.budget, self.progress = data, budget, progress
        self.parts: dict[str, zipfile.ZipInfo] = {}
        self.shared: list[str] = []
        self.date_styles: set[int] = set()
        self.delta_styles: set[int] = set()
        self.date1904 = False
        self.done = 0
        self.total = 0

    def damaged(self, what_zh: str = "", what_en: str = "", sheet: str = "", row: int | None = None,
                column: str = "") -> NoReturn:
        self.budget.refuse("unreadable", "不是有效的 Excel（.xlsx）文件，或文件已损坏" + (f"（{what_zh}）" if what_zh else ""),
                           "not a valid Excel (.xlsx) file, or a damaged one" + (f" ({what_en})" if what_en else ""),
                           sheet, row, column)

    # the zip's directory, checked before anything is unzipped
    def open(self) -> None:
        tail = self.data[-(65_535 + 22):]
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) - at < 22:
            self.damaged("找不到压缩包目录", "no zip directory")
        entries, directory = struct.unpack("<HI", tail[at + 10:at + 16])
        if entries > MAX_PARTS or directory > MAX_PARTS * 1024:
            self.budget.refuse("too_large", f"包含的部件过多（超过 {MAX_PARTS:,} 个）", f"more than {MAX_PARTS:,} parts")
        try:
            infos = zipfile.ZipFile(io.BytesIO(self.data)).infolist()
        except Exception:  # zipfile raises many kinds for a damaged directory; its English text stays out
            self.damaged("压缩包目录无法读取", "unreadable zip directory")
        limits = self.budget.limits
        declared = sum(i.file_size for i in infos)
        if declared > limits.unzipped_bytes:
            self.budget.refuse("too_large", f"解压后共 {declared / MB:,.1f} MB，超过 {limits.unzipped_bytes / MB:.3g} MB 上限"
                               f"（LEITAI_IMPORT_MAX_UNZIPPED_MB）",
                               f"{declared / MB:,.1f} MB once unzipped, over the {limits.unzipped_bytes / MB:.3g} MB "
                               f"limit (LEITAI_IMPORT_MAX_UNZIPPED_MB)")
        for info in infos:
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > RATIO_FROM and ratio > limits.ratio:
                self.budget.refuse("too_large", f"部件“{info.filename}”的压缩比为 {ratio:,.0f} 倍，超过 {limits.ratio:g} 倍"
                                   f"上限（LEITAI_IMPORT_MAX_RATIO），疑似恶意构造的文件",
                                   f"part '{info.filename}' is compressed {ratio:,.0f} times, over the limit of "
                                   f"{limits.ratio:g} (LEITAI_IMPORT_MAX_RATIO): a crafted file")
        self.parts = {i.filename: i for i in infos}

    def pieces(self, part: str, sheet: str = "", counted: bool = False) -> Iterator[bytes]:
        """A part unzipped here (stored or deflated, as Excel writes them) in 64 KB pieces, each counted: more
        bytes than the header declared, or a running ratio over the limit, is a refusal at once."""
        info = self.parts.get(part)
        if info is None:
            self.damaged(f"缺少部件“{part}”", f"part '{part}' is missing", sheet)
        broken = (f"部件“{part}”无法解压", f"part '{part}' cannot be unzipped")
        if info.flag_bits & 0x1:
            self.damaged("工作簿已加密，请取消密码后再导入", "the workbook is encrypted: remove the password", sheet)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            self.damaged(*broken, sheet)
        at = info.header_offset
        header = self.data[at:at + 30]
        if len(header) < 30 or header[:4] != ZIP:
            self.damaged(*broken, sheet)
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        begin = at + 30 + name_length + extra_length
        end = begin + info.compress_size
        if end > len(self.data):
            self.damaged(*broken, sheet)
        view = memoryview(self.data)
        inflate = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
        ratio, got, crc, consumed = self.budget.limits.ratio, 0, 0, 0

        def check(piece: bytes, consumed: int) -> None:
            nonlocal got, crc
            got += len(piece)
            if got > info.file_size:
                self.budget.refuse("too_large", f"部件“{part}”解压后比文件头声明的 {info.file_size:,} 字节更大，"
                                   f"疑似恶意构造的文件", f"part '{part}' unzips to more than the {info.file_size:,} "
                                   f"bytes its header declares: a crafted file", sheet)
            if got > RATIO_FROM and got > ratio * max(consumed, 1):
                self.budget.refuse("too_large", f"部件“{part}”的压缩比超过 {ratio:g} 倍上限（LEITAI_IMPORT_MAX_RATIO），"
                                   f"疑似恶意构造的文件", f"part '{part}' is compressed more than {ratio:g} times "
                                   f"(LEITAI_IMPORT_MAX_RATIO): a crafted file", sheet)
            self.budget.unzipped(len(piece), part)
            self.budget.tick(sheet)
            crc = zlib.crc32(piece, crc)
            if counted:
                self.done += len(piece)
                if self.progress:
                    self.progress(self.done, self.total)

        for at in range(begin, end, PIECE):
            data = view[at:min(at + PIECE, end)].tobytes()
            consumed += len(data)
            if inflate is None:
                check(data, consumed)
                yield data
                continue
            while data:
                try:
                    piece = inflate.decompress(data, PIECE)
                except zlib.error:
                    self.damaged(*broken, sheet)
                data = inflate.unconsumed_tail
                if not piece and data:
                    self.damaged(*broken, sheet)
                if piece:
                    check(piece, consumed - len(data))
                    yield piece
            if inflate.eof:
                break
        while inflate is not None and not inflate.eof:  # what zlib still holds once the input is all in
            try:
                piece = inflate.decompress(b"", PIECE)
            except zlib.error:
                self.damaged(*broken, sheet)
            if not piece:
                self.damaged(*broken, sheet)  # the stream stops short
            check(piece, consumed)
            yield piece
        if got != info.file_size or crc != info.CRC:
            self.damaged(*broken, sheet)

    def parse(self, part: str, start, end=None, text=None, sheet: str = "", counted: bool = False) -> None:
        """Feed a part to expat piece by piece; a DTD or an entity declaration is a refusal."""

        def no_dtd(*_args):
            self.damaged("含有 DTD 或实体声明", "it declares a DTD or entities", sheet)

        parser = expat.ParserCreate(namespace_separator="}")
        parser.buffer_text = True
        parser.buffer_size = PIECE
        parser.StartDoctypeDeclHandler = no_dtd
        parser.EntityDeclHandler = no_dtd
        parser.StartElementHandler = start
        if end is not None:
            parser.EndElementHandler = end
        if text is not None:
            parser.CharacterDataHandler = text
        try:
            for piece in self.pieces(part, sheet, counted):
                parser.Parse(piece, False)
            parser.Parse(b"", True)
        except expat.ExpatError:
            self.damaged(f"部件“{part}”的 XML 有误", f"part '{part}' is not well-formed XML", sheet)

    # the workbook's parts
    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """The relationships of a part: id → (type's last word, target part name)."""
        folder, base = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", base + ".rels")
        found: dict[str, tuple[str, str]] = {}

        def start(name, attrs):
            if _local(name) == "Relationship" and attrs.get("TargetMode") != "External":
                target = attrs.get("Target", "")
                target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                    posixpath.join(folder, target))
                found[attrs.get("Id", "")] = (attrs.get("Type", "").rsplit("/", 1)[-1], target)

        if rels_part in self.parts:
            self.parse(rels_part, start)
        return found

    def sheets(self) -> list[Sheet]:
        self.open()
        document = next((t for kind, t in self.relationships("").values() if kind == "officeDocument"),
                        "xl/workbook.xml")
        listed: list[tuple[str, str]] = []

        def start(name, attrs):
            tag = _local(name)
            if tag == "sheet":
                rid = next((v for k, v in attrs.items() if _local(k) == "id"), "")
                listed.append((attrs.get("name", ""), rid))
            elif tag == "workbookPr":
                self.date1904 = attrs.get("date1904", "").lower() in ("1", "true")

        self.parse(document, start)
        rels = self.relationships(document)
        by_kind = {kind: target for kind, target in rels.values()}
        worksheets = []
        for name, rid in listed:
            if rid not in rels:
                self.damaged(f"找不到工作表“{name}”的内容", f"sheet '{name}' has no content", name)
            kind, target = rels[rid]
            if kind == "worksheet":
                if target not in self.parts:
                    self.damaged(f"找不到工作表“{name}”的内容", f"sheet '{name}' has no content", name)
                worksheets.append((name, target))
        self.total = sum(self.parts[t].file_size for _n, t in worksheets)
        if "sharedStrings" in by_kind:
            self.shared = self.read_shared(by_kind["sharedStrings"])
        if "styles" in by_kind:
            self.read_styles(by_kind["styles"])
        result: list[Sheet] = []
        for name, target in worksheets:
            reader = SheetReader(self, name)
            self.parse(target, reader.start, reader.end, reader.chars, name, counted=True)
            result.append((name, reader.rows))
        return result

    def read_shared(self, part: str) -> list[str]:
        """The shared strings: each `<si>`'s text runs (phonetic runs left out), as openpyxl reads them."""
        strings: list[str] = []
        parts: list[str] = []
        state = {"collect": False, "phonetic": False, "size": 0}
        limit = self.budget.limits.cells

        def start(name, attrs):
            tag = _local(name)
            if tag == "si":
                parts.clear()
                state["size"] = 0
            elif tag == "t" and not state["phonetic"]:
                state["collect"] = True
            elif tag == "rPh":
                state["phonetic"] = True

        def end(name):
            tag = _local(name)
            if tag == "t":
                state["collect"] = False
            elif tag == "rPh":
                state["phonetic"] = False
            elif tag == "si":
                strings.append("".join(parts).replace("x005F_", ""))
                if len(strings) > limit:
                    self.budget.refuse("too_many_cells", f"共享字符串超过 {limit:,} 个（LEITAI_IMPORT_MAX_CELLS）",
                                       f"more than {limit:,} shared strings (LEITAI_IMPORT_MAX_CELLS)")

        def chars(data):
            if state["collect"]:
                parts.append(data)
                state["size"] += len(data)
                if state["size"] > MAX_CELL_CHARS:
                    self.damaged(f"共享字符串第 {len(strings) + 1} 个超过 {MAX_CELL_CHARS:,} 个字符",
                                 f"shared string {len(strings) + 1} is longer than {MAX_CELL_CHARS:,} characters")

        self.parse(part, start, end, chars)
        return strings

    def read_styles(self, part: str) -> None:
        """Which cell styles show dates (and durations): numbers in them are read as openpyxl does."""
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

        custom: dict[int, str] = {}
        formats: list[int] = []
        inside = {"cellXfs": False}

        def number(raw) -> int:
            try:
                return int(raw)
            except (TypeError, ValueError):
                return 0

        def start(name, attrs):
            tag = _local(name)
            if tag == "numFmt":
                custom[number(attrs.get("numFmtId"))] = attrs.get("formatCode", "")
            elif tag == "cellXfs":
                inside["cellXfs"] = True
            elif tag == "xf" and inside["cellXfs"]:
                formats.append(number(attrs.get("numFmtId")))

        def end(name):
            if _local(name) == "cellXfs":
                inside["cellXfs"] = False

        self.parse(part, start, end)
        for index, fmt_id in enumerate(formats):
            fmt = custom[fmt_id] if fmt_id in custom else BUILTIN_FORMATS.get(fmt_id)
            if is_date_format(fmt):
                self.date_styles.add(index)
            if is_timedelta_format(fmt):
                self.delta_styles.add(index)


class SheetReader:
    """expat's handlers for one worksheet: rows as lists of values, numbered as in the sheet."""

    def __init__(self, book: XlsxReader, name: str):
        self.book, self.budget, self.name = book, book.budget, name
        self.shared, self.dates, self.deltas = book.shared, book.date_styles, book.delta_styles
        # openpyxl's two epochs (openpyxl.utils.datetime), imported only when a date is met
        self.epoch = dt.datetime(1904, 1, 1) if book.date1904 else dt.datetime(1899, 12, 30)
        self.rows: list[Row] = []
        self.row_no = 0
        self.in_row = False
        self.cols: list[int] = []
        self.vals: list = []
        self.col = 0
        self.kind = "n"
        self.style = 0
        self.parts: list[str] | None = None
        self.collect = False
        self.size = 0
        self.in_inline = False
        self.phonetic = False
        self.letters: dict[str, int] = {}
        self.tags: dict[str, str] = {}  # expat's `namespace}name` → name
        self.max_columns, self.max_cells = book.budget.limits.columns, book.budget.limits.cells

    def start(self, name, attrs):
        tag = self.tags.get(name)
        if tag is None:
            tag = self.tags[name] = name[name.rfind("}") + 1:]
        if tag == "c":
            self.cell_start(attrs)
        elif tag == "v":
            if self.kind != "inlineStr":
                self.parts, self.collect, self.size = [], True, 0
        elif tag == "t":
            self.collect = self.in_inline and not self.phonetic
        elif tag == "is":
            self.parts, self.in_inline, self.size = [], True, 0
        elif tag == "row":
            self.row_start(attrs)
        elif tag == "rPh":
            self.phonetic = True

    def end(self, name):
        tag = self.tags.get(name)
        if tag is None:
            tag = self.tags[name] = name[name.rfind("}") + 1:]
        if tag == "c":
            self.cell_end()
        elif tag == "v" or tag == "t":
            self.collect = False
        elif tag == "is":
            self.in_inline = False
        elif tag == "row":
            self.row_end()
        elif tag == "rPh":
            self.phonetic = False

    def chars(self, data):
        if self.collect:
            self.parts.append(data)  # type: ignore[union-attr]
            self.size += len(data)
            if self.size > MAX_CELL_CHARS:
                self.book.damaged(f"单元格超过 {MAX_CELL_CHARS:,} 个字符", f"a cell longer than {MAX_CELL_CHARS:,} characters",
                                  self.name, self.row_no, self.letter())

    def letter(self) -> str:
        from leitai.core.io.tabular import column_letter

        return column_letter(self.col - 1) if self.col else ""

    def row_start(self, attrs):
        raw = attrs.get("r")
        try:
            number = self.row_no + 1 if raw is None else int(raw)
        except ValueError:
            self.book.damaged(f"行号“{raw[:20]}”无效", f"row number '{raw[:20]}' is invalid", self.name, self.row_no + 1)
        if number <= self.row_no:
            self.book.damaged("行号重复或顺序颠倒", "a row number repeats or goes back", self.name, number)
        self.budget.row(self.name, number)
        self.row_no, self.col, self.in_row = number, 0, True
        self.cols, self.vals = [], []

    def row_end(self):
        self.in_row = False
        cols, vals = self.cols, self.vals
        if not cols:
            row: Row = EMPTY
        elif cols[-1] == len(cols):  # ascending and last == count: no gap
            row = vals
        else:
            padded: list = [None] * cols[-1]
            for col, value in zip(cols, vals, strict=True):
                padded[col - 1] = value
            self.budget.cells(self.name, self.row_no, cols[-1] - len(cols))
            row = padded
        if self.row_no > len(self.rows) + 1:
            self.rows.extend([EMPTY] * (self.row_no - 1 - len(self.rows)))
        self.rows.append(row)

    def cell_start(self, attrs):
        if not self.in_row:
            self.book.damaged("单元格不在任何一行中", "a cell outside any row", self.name, self.row_no or None)
        ref = attrs.get("r")
        if ref:
            letters = ref.rstrip("0123456789")
            col = self.letters.get(letters)
            if col is None:
                col = 0
                for ch in letters[:8]:
                    if not "A" <= ch <= "Z":
                        col = 0
                        break
                    col = col * 26 + ord(ch) - 64
                if not col or len(letters) > 7:
                    self.book.damaged(f"单元格地址“{ref[:20]}”无效", f"cell reference '{ref[:20]}' is invalid",
                                      self.name, self.row_no)
                self.letters[letters] = col
        else:
            col = self.col + 1
        budget = self.budget
        if col > self.max_columns:
            budget.column(self.name, self.row_no, col)
        if col <= self.col:
            self.book.damaged("单元格重复或顺序颠倒", "a cell repeats or goes back", self.name, self.row_no,
                              ref[:20] if ref else "")
        budget.cell_count += 1
        if budget.cell_count > self.max_cells:
            budget.cells(self.name, self.row_no, 0)
        self.col = col
        self.kind = attrs.get("t", "n")
        style = attrs.get("s")
        self.style = int(style) if style and style.isascii() and style.isdigit() else 0
        self.parts = None
        self.collect = self.in_inline = self.phonetic = False

    def cell_end(self):
        parts, kind = self.parts, self.kind
        self.parts, self.collect = None, False
        text = None if parts is None else "".join(parts)
        value: Any
        if kind == "inlineStr":
            value = text
        elif not text:
            value = None
        elif kind == "n":
            try:
                value = float(text) if ("." in text or "E" in text or "e" in text) else int(text)
            except ValueError:
                value = text
            else:
                if self.style in self.dates:
                    value = self.date(value)
        elif kind == "s":
            try:
                index = int(text)
            except ValueError:
                index = -1
            if not 0 <= index < len(self.shared):
                self.book.damaged(f"引用了不存在的共享字符串 {text[:20]}", f"a shared string {text[:20]} that does not exist",
                                  self.name, self.row_no, self.letter())
            value = self.shared[index]
        elif kind == "b":
            try:
                value = bool(int(text))
            except ValueError:
                value = text
        elif kind == "d":
            from openpyxl.utils.datetime import from_ISO8601

            try:
                value = from_ISO8601(text)
            except (ValueError, OverflowError, TypeError):
                value = text
        else:  # str (a formula's text), e (an error such as #N/A)
            value = text
        self.cols.append(self.col)
        self.vals.append(value)

    def date(self, number):
        from openpyxl.utils.datetime import from_excel

        try:
            return from_excel(number, self.epoch, timedelta=self.style in self.deltas)
        except (OverflowError, ValueError):
            return "#VALUE!"
