"""The reader fuzzed (hypothesis) with mutated real files: workbooks and CSVs made here, then damaged byte by
byte, cut short, or with their XML rewritten inside an honest zip. Whatever comes in, the reader and the
pure checks after it (core.io.tabular_sheet.parse_import, tracking.items.io.parse_items) either read it or
refuse it with the product's own error, in Chinese, naming the file — never a crash, a hang or a library's
English text."""

from __future__ import annotations

import datetime as dt
import io
import re
import time
import zipfile

import openpyxl
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from leitai.core.errors import LeitaiError
from leitai.core.io.bounds import Limits
from leitai.core.io.tabular import Catalogue
from leitai.core.io.tabular_sheet import parse_import
from leitai.spreadsheets import read_sheets
from leitai.tracking.items.io import parse_items

LIMITS = Limits(seconds=5)
CATALOGUE = Catalogue([("A", "东城区", "东城", "county"), ("B", "西城区", "西城", "county")],
                      [("gdp", "地区生产总值增速", -30, 50, ["county"]), ("inv", "固定资产投资", 0, 5000, [])])
UNITS = {"东城区": "A", "A": "A", "西城区": "B", "B": "B"}


def workbook(write_only: bool) -> bytes:
    wb = openpyxl.Workbook(write_only=write_only)
    ws = wb.create_sheet("2024年1-4月") if write_only else wb.active
    if not write_only:
        ws.title = "2024年1-4月"
    for row in (["2024年1-4月主要指标"], ["单位", "地区生产总值增速", "固定资产投资"], ["东城区", 5.2, "1,234.5"],
                ["西城区", "6.1%", dt.datetime(2024, 4, 30)], ["问题", "责任单位", "整改期限"],
                ["道路破损", "东城区", dt.date(2024, 6, 30)], [True, None, -3]):
        ws.append(row)
    notes = wb.create_sheet("填表说明")
    notes.append(["每行一个单位"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


CSV = "单位,指标,期间,数值\n东城区,gdp,2024-04,5.2\n西城区,inv,2024-04,\"1,234\"\n".encode()
BASES = [("data.xlsx", workbook(False)), ("inline.xlsx", workbook(True)), ("long.csv", CSV),
         ("gbk.csv", CSV.decode().encode("gbk")), ("tab.txt", CSV.replace(b",", b"\t"))]
XMLISH = st.lists(st.sampled_from(list('<>/="\' rcvtsfis0123456789AZX:!-[]&;#_\n単元') +
                                  ["row", "<c ", "<v>", "</v>", '<row r="', 't="s"', 't="n"', 't="d"', 't="b"',
                                   's="1"', "<!DOCTYPE x>", "&#0;", "<![CDATA[", 'r="XFD1"', 'r="1048577"']),
                  max_size=12).map("".join)


def rewritten(data: bytes, part_pick: int, edit) -> bytes:
    """The workbook with one XML part edited (the sheet most often), zipped again with honest headers."""
    src = zipfile.ZipFile(io.BytesIO(data))
    names = [n for n in src.namelist() if n.endswith((".xml", ".rels"))]
    names += [n for n in names if "worksheets/" in n or "sharedStrings" in n] * 3
    target = names[part_pick % len(names)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            body = src.read(name)
            if name == target:
                body = edit(body.decode("utf-8")).encode("utf-8", "surrogatepass")
            dst.writestr(name, body)
    return out.getvalue()


def flipped(data: bytes, flips: list[tuple[float, int]], keep: float) -> bytes:
    buf = bytearray(data[:max(1, int(len(data) * keep))])
    for where, value in flips:
        buf[int(where * (len(buf) - 1))] = value
    return bytes(buf)


VALUES = st.one_of(st.integers(-10**25, 10**25).map(str), st.floats().map(repr), st.text(max_size=8),
                   st.sampled_from(["XFD1048576", "A0", "", "1e308", "-1", "1.5E+400", "0x10", "٣", "²", " 7 ",
                                    "AAAAAAAAAA1", "a1", "3", "s", "n", "b", "d", "e", "str", "inlineStr",
                                    "2024-13-45T99:00", "1904-01-01"]))
MUTATIONS = st.one_of(
    # bytes flipped anywhere (headers, compressed data), and the file cut short
    st.tuples(st.just("bytes"), st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=8),
              st.one_of(st.just(1.0), st.floats(0.01, 1))),
    # text spliced into a part (or the CSV)
    st.tuples(st.just("splice"), st.integers(0, 40), st.floats(0, 1), st.floats(0, 1), XMLISH),
    # attribute values (r, t, s) and cell values rewritten: the XML stays well formed
    st.tuples(st.just("values"), st.integers(0, 40), st.lists(st.tuples(st.integers(0, 60), VALUES), min_size=1,
                                                              max_size=6)),
)
ATTRIBUTE_OR_VALUE = re.compile(r'(?<= [rts]=")[^"]*(?=")|(?<=<v>)[^<]*(?=</v>)|(?<=<t>)[^<]*(?=</t>)')


def _splice(at: float, cut: float, insert: str):
    def edit(text: str) -> str:
        start = int(at * len(text))
        return text[:start] + insert + text[start + int(cut * 40):]
    return edit


def _values(changes):
    def edit(text: str) -> str:
        spans = [m.span() for m in ATTRIBUTE_OR_VALUE.finditer(text)]
        for k, value in sorted(changes, reverse=True):
            if spans:
                a, b = spans[k % len(spans)]
                text = text[:a] + value.replace('"', "&quot;").replace("<", "&lt;").replace("&", "&amp;") + text[b:]
                spans = [m.span() for m in ATTRIBUTE_OR_VALUE.finditer(text)]
        return text
    return edit


def mutate(name: str, data: bytes, mutation) -> bytes:
    kind = mutation[0]
    if kind == "bytes":
        return flipped(data, mutation[1], mutation[2])
    edit = _splice(*mutation[2:]) if kind == "splice" else _values(mutation[2])
    if name.endswith(".xlsx"):
        return rewritten(data, mutation[1], edit)
    encoding = "gbk" if name.startswith("gbk") else "utf-8"
    return edit(data.decode(encoding)).encode(encoding, "replace")


ALLOWED = {"LEITAI_IMPORT_MAX_ROWS", "LEITAI_IMPORT_MAX_COLUMNS", "LEITAI_IMPORT_MAX_CELLS",
           "LEITAI_IMPORT_MAX_UNZIPPED_MB", "LEITAI_IMPORT_MAX_RATIO", "LEITAI_IMPORT_MAX_SECONDS", "Excel", "xlsx",
           "xls", "CSV", "UTF", "GBK", "XML", "DTD"}


def english_left(zh: str) -> list[str]:
    """ASCII words in a Chinese message once names in quotes and column letters are taken out."""
    text = re.sub(r"“[^”]*”", "", zh)
    text = re.sub(r"\b[A-Z]{1,3} 列", "", text)
    return [w for w in re.findall(r"[A-Za-z_]{3,}", text) if w not in ALLOWED]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(BASES), MUTATIONS)
def test_a_mutated_file_is_read_or_refused_in_chinese_and_never_crashes(base, mutation):
    name, data = base
    data = mutate(name, data, mutation)
    started = time.monotonic()
    try:
        sheets = read_sheets(data, name, LIMITS)
    except LeitaiError as exc:
        event(f"refused: {getattr(exc, 'code', '')} {re.sub(r'“[^”]*”', '', exc.zh)[:40]}")
        assert time.monotonic() - started < 6
        assert f"“{name}”" in exc.zh, exc.zh
        assert re.search(r"[\u4e00-\u9fff]", exc.zh) and english_left(exc.zh) == [], exc.zh
        assert exc.en and exc.en != exc.zh
        return
    event("read")
    assert time.monotonic() - started < 6
    assert all(isinstance(title, str) and isinstance(rows, list) for title, rows in sheets)
    parse_import(sheets, CATALOGUE)
    parse_items(sheets, UNITS, dt.date(2024, 5, 1))


def test_the_check_for_english_sees_a_library_message():
    assert english_left("文件“a.xlsx”：File is not a zip file") == ["File", "not", "zip", "file"]
    assert english_left("文件“a.xlsx”工作表“S”第 2 行 XFD 列：超过列数上限 1,000 列（LEITAI_IMPORT_MAX_COLUMNS）") == []
