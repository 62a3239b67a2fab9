"""Word documents (python-docx) the product writes — the ranking bulletin (rankings/bulletin.py) and the arena's
minutes (arena/results/minutes.py) — share how a style gets its Chinese font."""

from __future__ import annotations


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
