"""Word documents (python-docx) the product writes — the ranking bulletin (rankings/bulletin.py) and the arena's
minutes (arena/results/minutes.py) — share how a style gets its Chinese font."""

from __future__ import annotations

import io
import zipfile


def set_style_font(style, east_asia: str, *, latin: str = "Times New Roman", size: float | None = None,
                   bold: bool | None = None) -> None:
    """Give a Word style its East Asian font (宋体, 仿宋, 黑体…) and its Latin one. Theme fonts win over named
    ones in Word, so they are dropped for the named fonts to take effect."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style.font.name = latin
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:eastAsia"), east_asia)
    if size:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold


def stable_zip(data: bytes) -> bytes:
    """The same package with every entry dated 1980-01-01, so the same content gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()
