"""The one reader of every import (leitai.spreadsheets): the values openpyxl gives, within bounds, and every
refusal in Chinese naming the file, the sheet, the row and the column."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
import textwrap
import zlib

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leitai.core.io.bounds import FileRefused, Limits
from leitai.spreadsheets import configured_limits, read_sheets

from . import bombs


def book(*sheets, write_only: bool = False) -> bytes:
    """A workbook from (title, rows) pairs, as openpyxl writes it (shared strings; inline ones in write-only)."""
    wb = openpyxl.Workbook(write_only=write_only)
    if not write_only:
        wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def trimmed(rows) -> list[list]:
    """Rows without trailing empty cells and trailing empty rows (openpyxl pads to the declared size)."""
    out = []
    for row in rows:
        row = list(row)
        while row and row[-1] is None:
            row.pop()
        out.append(row)
    while out and not out[-1]:
        out.pop()
    return out


def openpyxl_rows(data: bytes) -> list[tuple[str, list[list]]]:
    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    return [(ws.title, trimmed(ws.iter_rows(values_only=True))) for ws in wb.worksheets]


def refusal(data: bytes, name: str = "数据.xlsx", **limits) -> FileRefused:
    with pytest.raises(FileRefused) as caught:
        read_sheets(data, name, Limits(**limits))
    return caught.value


CELL = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
    st.integers(min_value=-10**15, max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)).map(
        lambda d: d.replace(microsecond=0)),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
)
SHEETS = st.lists(st.tuples(st.text(alphabet="表数据ABC123", min_size=1, max_size=8),
                            st.lists(st.lists(CELL, max_size=6), max_size=6)),
                  min_size=1, max_size=3, unique_by=lambda s: s[0])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SHEETS, st.booleans())
def test_every_value_reads_as_openpyxl_reads_it(sheets, write_only):
    data = book(*sheets, write_only=write_only)
    ours = [(name, trimmed(rows)) for name, rows in read_sheets(data, "t.xlsx", Limits())]
    assert ours == openpyxl_rows(data)


def test_dates_of_a_1904_workbook_read_as_openpyxl_reads_them():
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    wb.active.append([dt.datetime(2024, 4, 30, 12, 30), dt.date(2024, 5, 1), dt.time(8, 15)])
    out = io.BytesIO()
    wb.save(out)
    assert [(n, trimmed(r)) for n, r in read_sheets(out.getvalue(), "mac.xlsx", Limits())] == openpyxl_rows(
        out.getvalue())
    assert read_sheets(out.getvalue(), "mac.xlsx", Limits())[0][1][0][0] == dt.datetime(2024, 4, 30, 12, 30)


def test_rows_keep_their_numbers_when_the_sheet_skips_some():
    wb = openpyxl.Workbook()
    wb.active["B2"] = "二"
    wb.active["A5"] = 5
    out = io.BytesIO()
    wb.save(out)
    (_name, rows), = read_sheets(out.getvalue(), "gaps.xlsx", Limits())
    assert [list(r) for r in rows] == [[], [None, "二"], [], [], [5]]


def test_a_csv_in_utf8_with_bom_gbk_or_tabs_reads_as_rows():
    assert read_sheets("\ufeff单位,数值\n东城区,1\n".encode(), "a.csv", Limits()) == [
        ("a", [["单位", "数值"], ["东城区", "1"]])]
    assert read_sheets("单位,数值\n东城区,1\n".encode("gbk"), "b.csv", Limits())[0][1][1] == ["东城区", "1"]
    assert read_sheets("单位\t数值\n东城区\t1\n".encode(), "c.txt", Limits())[0][1][1] == ["东城区", "1"]
    assert read_sheets('a,"多\n行"\n'.encode(), "d.csv", Limits())[0][1] == [["a", "多\n行"]]


# ---- the bombs ----------------------------------------------------------------------------------------

MEASURE = textwrap.dedent("""
    import json, resource, sys, time
    from leitai.core.io.bounds import FileRefused, Limits
    from leitai.spreadsheets import read_sheets
    data = open(sys.argv[1], "rb").read()
    started = time.perf_counter()
    try:
        read_sheets(data, "bomb.xlsx", Limits())
        message = ""
    except FileRefused as exc:
        message = exc.zh
    seconds = time.perf_counter() - started
    try:  # this process's own peak (getrusage would also count the forking test process's, kept across exec)
        status = open("/proc/self/status").read()
        peak = int(status.split("VmHWM:")[1].split()[0]) / 1024
    except (OSError, IndexError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "message": message}))
""")


def measured(tmp_path, data: bytes) -> dict:
    """Read the file in a fresh interpreter: its whole peak memory (file bytes included) and the time."""
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(data)
    done = subprocess.run([sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True, timeout=60,
                          check=True)
    return json.loads(done.stdout)


def test_the_dimension_bomb_is_a_real_one_for_openpyxl():
    """The fixture is what the probe sent: openpyxl's read-only mode believes it (and pads to it)."""
    data = bombs.dimension_bomb()
    assert len(data) < 2048
    ws = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    assert (ws.max_row, ws.max_column) == (1_048_576, 16_384)


def test_the_dimension_bomb_is_read_for_what_it_holds_in_under_2_s_and_200_mb(tmp_path):
    result = measured(tmp_path, bombs.dimension_bomb())
    assert result["message"] == "" and result["seconds"] < 2 and result["peak_mb"] < 200, result
    assert read_sheets(bombs.dimension_bomb(), "bomb.xlsx", Limits()) == [("数据", [["单位"]])]


@pytest.mark.parametrize(("far", "row", "column", "words"), [
    ("XFD2", 2, "XFD", "超过列数上限 1,000 列"), ("A1048576", 1_048_576, "", "超过行数上限 1,000,000 行")])
def test_a_cell_far_out_is_refused_by_its_row_and_column(tmp_path, far, row, column, words):
    result = measured(tmp_path, bombs.dimension_bomb(far))
    assert result["seconds"] < 2 and result["peak_mb"] < 200, result
    exc = refusal(bombs.dimension_bomb(far))
    assert (exc.sheet, exc.row, exc.column) == ("数据", row, column)
    assert exc.zh.startswith(f"文件“数据.xlsx”工作表“数据”第 {row} 行") and words in exc.zh


@pytest.mark.parametrize(("lie", "words"), [
    ("", "超过 256 MB 上限"),  # honest zip64 sizes: refused from the directory, before anything is unzipped
    ("small", "比文件头声明的 1,024 字节更大"),  # declares 1 KB: refused at the first 64 KB
    ("modest", "压缩比超过 100 倍上限"),  # declares a size the ratio check passes: refused by the running ratio
])
def test_a_50_mb_zip_bomb_is_refused_in_under_2_s_and_200_mb(tmp_path, lie, words):
    data = bombs.zip_bomb(50, lie)
    assert len(data) > 49 * bombs.MB
    result = measured(tmp_path, data)
    assert result["seconds"] < 2 and result["peak_mb"] < 200, result
    assert result["message"].startswith("文件“bomb.xlsx”") and words in result["message"], result


def test_a_small_file_unzipping_to_50_mb_is_refused_by_its_ratio():
    sheet = bombs.SHEET_HEAD + bombs.ROW * (50 * bombs.MB // len(bombs.ROW)) + bombs.SHEET_TAIL
    exc = refusal(bombs.workbook(sheet))
    assert "压缩比为" in exc.zh and "xl/worksheets/sheet1.xml" in exc.zh


# ---- each limit, configurable ------------------------------------------------------------------------

ROWS = [["单位", "数值"], ["东城区", 1], ["西城区", 2], ["南山县", 3]]
CSV = "单位,数值\n东城区,1\n西城区,2\n南山县,3\n".encode()


@pytest.mark.parametrize(("data", "name"), [(book(("表", ROWS)), "a.xlsx"), (CSV, "表.csv")])
def test_rows_columns_cells_and_seconds_are_each_bounded(data, name):
    assert len(read_sheets(data, name, Limits(rows=4, columns=2, cells=8))[0][1]) == 4
    exc = refusal(data, name, rows=3)
    assert (exc.sheet, exc.row, exc.code) == ("表", 4, "too_many_rows") and "超过行数上限 3 行" in exc.zh
    exc = refusal(data, name, columns=1)
    assert (exc.row, exc.column, exc.code) == (1, "B", "too_many_columns") and "第 1 行 B 列" in exc.zh
    exc = refusal(data, name, cells=5)
    assert (exc.row, exc.code) == (3, "too_many_cells") and "单元格总数超过上限 5 个" in exc.zh
    exc = refusal(data * 200 if name.endswith(".csv") else data, name, seconds=0)
    assert exc.code == "too_slow" and "读取超过 0 秒上限" in exc.zh


def test_the_unzipped_size_and_the_ratio_are_configurable():
    data = book(("表", ROWS))
    assert "解压后共 0.0 MB，超过 0.01 MB 上限" in refusal(data, unzipped_bytes=bombs.MB // 100 + 1).zh
    sheet = bombs.SHEET_HEAD + bombs.ROW * (2 * bombs.MB // len(bombs.ROW)) + bombs.SHEET_TAIL
    big = bombs.workbook(sheet)
    assert read_sheets(big, "big.xlsx", Limits(ratio=1000))
    assert "压缩比为" in refusal(big, ratio=50).zh


def test_the_limits_come_from_the_settings(settings):
    assert configured_limits() == Limits()
    settings.LEITAI_IMPORT_MAX_ROWS, settings.LEITAI_IMPORT_MAX_UNZIPPED_MB = 3, 0.5
    assert (configured_limits().rows, configured_limits().unzipped_bytes) == (3, 512 * 1024)
    with pytest.raises(FileRefused, match="超过行数上限 3 行"):
        read_sheets(CSV, "a.csv")


# ---- damaged and hostile files ------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "words"), [
    (b"not a workbook", "不是有效的 Excel"),
    (bombs.workbook(b"<worksheet><sheetData><row><c><v>1</v></row></sheetData></worksheet>"), "XML 有误"),
    (bombs.workbook(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet/>'), "含有 DTD"),
    (bombs.workbook(b'<worksheet><sheetData><row><c t="s"><v>7</v></c></row></sheetData></worksheet>'),
     "共享字符串"),
    (bombs.workbook(b'<worksheet><sheetData><row r="x"/></sheetData></worksheet>'), "行号“x”无效"),
    (bombs.workbook(b'<worksheet><sheetData><row><c r="1A"/></row></sheetData></worksheet>'), "单元格地址“1A”无效"),
    (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "另存为 .xlsx"),
])
def test_a_damaged_or_hostile_workbook_is_refused_in_chinese(data, words):
    exc = refusal(data)
    assert exc.zh.startswith("文件“数据.xlsx”") or exc.zh.startswith("“数据.xlsx”")
    assert words in exc.zh and exc.en != exc.zh


def test_a_wrong_checksum_or_a_short_stream_is_damaged():
    good = bombs.workbook(bombs.SHEET_HEAD + b'<row><c><v>1</v></c></row>' + bombs.SHEET_TAIL)
    assert read_sheets(good, "a.xlsx", Limits()) == [("数据", [[1]])]
    body = bombs.SHEET_HEAD + b"<row/>" + bombs.SHEET_TAIL
    wrong_crc = bombs.raw_zip([(n, bombs.deflated(b), 8, zlib.crc32(b) + (n.endswith("sheet1.xml")), len(b))
                               for n, b in _parts(body)])
    assert "无法解压" in refusal(wrong_crc).zh
    short = bombs.raw_zip([(n, bombs.deflated(b)[:-8] if n.endswith("sheet1.xml") else bombs.deflated(b), 8,
                            zlib.crc32(b), len(b)) for n, b in _parts(body)])
    assert "无法解压" in refusal(short).zh


def _parts(sheet: bytes):
    return [("[Content_Types].xml", bombs.CONTENT_TYPES), ("_rels/.rels", bombs.PACKAGE_RELS),
            ("xl/workbook.xml", bombs.WORKBOOK), ("xl/_rels/workbook.xml.rels", bombs.WORKBOOK_RELS),
            ("xl/worksheets/sheet1.xml", sheet)]


@pytest.mark.parametrize(("data", "words"), [
    (b"a,b\n\"open quote\n" + b"x" * 200_000, "无法读取"),
    (b'a,b\n"' + b"x" * 140_000 + b'"\n', "单元格过长"),
    (b"a," * 600_000, "一行超过 1,000,000 个字符"),
    (b"\xff\xfe\x00\x81\x30", "无法识别文件编码"),
])
def test_a_damaged_csv_is_refused_in_chinese_with_its_row(data, words):
    exc = refusal(data, "表.csv")
    assert exc.zh.startswith("文件“表.csv”") and words in exc.zh
