"""Hostile workbooks, made by the tests (no binary is checked in): the dimension bomb, zip bombs with honest
and lying headers, and a zip writer that sets every size and checksum by hand."""

from __future__ import annotations

import struct
import zlib

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MB = 1024 * 1024

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
PACKAGE_RELS = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{RELS}">'
                f'<Relationship Id="rId1" Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/>'
                f'</Relationships>').encode()
WORKBOOK = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{MAIN}" xmlns:r="{OFFICE}">'
            f'<sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>').encode()
WORKBOOK_RELS = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{RELS}">'
                 f'<Relationship Id="rId1" Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
                 f'</Relationships>').encode()
SHEET_HEAD = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN}">'
              f'<dimension ref="A1:XFD1048576"/><sheetData>').encode()
SHEET_TAIL = b"</sheetData></worksheet>"


def raw_zip(entries) -> bytes:
    """A zip from (name, stored bytes, method, crc, declared size) entries, exactly as given (zip64 sizes when
    the declared size needs them): a lying header is written as easily as an honest one."""
    out, central = bytearray(), bytearray()
    for name, body, method, crc, size in entries:
        name_b = name.encode()
        big = size >= 0xFFFFFFFF
        extra = struct.pack("<HHQQ", 1, 16, size, len(body)) if big else b""
        sizes = (0xFFFFFFFF, 0xFFFFFFFF) if big else (len(body), size)
        version = 45 if big else 20
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, version, 0, method, 0, 0x21, crc, *sizes, len(name_b),
                           len(extra)) + name_b + extra + body
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, version, version, 0, method, 0, 0x21, crc, *sizes,
                               len(name_b), len(extra), 0, 0, 0, 0, offset) + name_b + extra
    at = len(out)
    out += central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), at, 0)
    return bytes(out)


def deflated(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def workbook(sheet_xml: bytes) -> bytes:
    """A minimal .xlsx around one sheet's XML, honest in every header."""
    parts = [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", PACKAGE_RELS), ("xl/workbook.xml", WORKBOOK),
             ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS), ("xl/worksheets/sheet1.xml", sheet_xml)]
    return raw_zip([(name, deflated(body), 8, zlib.crc32(body), len(body)) for name, body in parts])


def dimension_bomb(far_cell: str = "") -> bytes:
    """A workbook of under 2 KB, like the 1.9 KB one the probe sent, declaring A1:XFD1048576 (openpyxl's read-only mode pads every row to XFD and
    every sheet to row 1,048,576 from it), with one real cell — and a second one at `far_cell` (from row 2
    on) if given."""
    cells = '<row r="1"><c r="A1" t="inlineStr"><is><t>单位</t></is></c></row>'
    if far_cell:
        row = far_cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        cells += f'<row r="{row}"><c r="{far_cell}"><v>1</v></c></row>'
    return workbook(SHEET_HEAD + cells.encode() + SHEET_TAIL)


ROW = b'<row><c t="inlineStr"><is><t>0</t></is></c><c><v>0</v></c></row>'


def zip_bomb(zipped_mb: float, lie: str = "") -> bytes:
    """An .xlsx whose sheet is `zipped_mb` of deflate blocks, each 1 MB of the same rows (about 1,000 times
    smaller zipped): 50 MB unzips to ~17 GB. `lie`: "" declares the true size (zip64), "small" declares
    1 KB, "modest" declares a size the ratio limit would pass (4× the zipped size)."""
    unit = ROW * (MB // len(ROW))
    block = zlib.compressobj(9, zlib.DEFLATED, -15)
    one = block.compress(unit) + block.flush(zlib.Z_FULL_FLUSH)
    head = zlib.compressobj(9, zlib.DEFLATED, -15)
    tail = zlib.compressobj(9, zlib.DEFLATED, -15)
    copies = max(1, int(zipped_mb * MB) // len(one))
    body = (head.compress(SHEET_HEAD) + head.flush(zlib.Z_FULL_FLUSH) + one * copies
            + tail.compress(SHEET_TAIL) + tail.flush())
    true_size = len(SHEET_HEAD) + len(unit) * copies + len(SHEET_TAIL)
    declared = {"": true_size, "small": 1024, "modest": 4 * len(body)}[lie]
    parts = [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", PACKAGE_RELS), ("xl/workbook.xml", WORKBOOK),
             ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)]
    entries = [(name, deflated(b), 8, zlib.crc32(b), len(b)) for name, b in parts]
    entries.append(("xl/worksheets/sheet1.xml", body, 8, 0, declared))  # the checksum of 50 GB is not computed
    return raw_zip(entries)
