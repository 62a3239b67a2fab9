"""The press release as the newspaper prints it (.docx): title, office and date, units × the chosen
indicators with each value and its rank, the source and, for a correction, its reason."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from leitai.documents import set_style_font
from leitai.lang import is_english

from . import selectors
from .models import PressRelease

BODY_FONT = "宋体"
TITLE_FONT = "黑体"


def date_text(release: PressRelease) -> str:
    moment = release.published_at or release.created_at
    d = timezone.localtime(moment).date()
    return _("%(y)d年%(m)d月%(d)d日") % {"y": d.year, "m": d.month, "d": d.day}


def heading(col: dict) -> str:
    if not col.get("measure"):
        return col["name"]
    return f"{col['name']} ({col['measure']})" if is_english() else f"{col['name']}（{col['measure']}）"


def release_docx(release: PressRelease) -> bytes:
    table = selectors.shown_table(release.table)
    cols = table["columns"]
    doc = Document()
    section = doc.sections[0]
    if len(cols) > 4:  # a wide table prints across the page
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    set_style_font(doc.styles["Normal"], BODY_FONT, latin="SimSun", size=10.5)
    set_style_font(doc.styles["Title"], TITLE_FONT, latin="SimHei", size=18, bold=True)
    set_style_font(doc.styles["Table Grid"], BODY_FONT, latin="SimSun", size=9 if len(cols) <= 6 else 8)

    title = release.title + ("" if release.status != PressRelease.Status.DRAFT else _("（草稿）"))
    doc.add_paragraph(title, style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(f"{release.office}　{date_text(release)}").alignment = WD_ALIGN_PARAGRAPH.CENTER
    if release.version > 1:
        doc.add_paragraph(_("第 %(v)d 版（更正）。更正理由：%(reason)s") % {"v": release.version,
                                                                       "reason": release.reason})

    grid = doc.add_table(rows=2, cols=1 + 2 * len(cols), style="Table Grid")
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    top, sub = grid.rows[0].cells, grid.rows[1].cells
    unit_cell = top[0].merge(sub[0])
    unit_cell.text = ""
    unit_cell.paragraphs[0].add_run(_("单位")).bold = True
    for k, col in enumerate(cols):
        head = top[1 + 2 * k].merge(top[2 + 2 * k])
        head.text = ""
        head.paragraphs[0].add_run(heading(col)).bold = True
        head.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        for cell, text in ((sub[1 + 2 * k], _("数值")), (sub[2 + 2 * k], _("位次"))):
            cell.text = ""
            cell.paragraphs[0].add_run(text).bold = True
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for r in table["rows"]:
        cells = grid.add_row().cells
        cells[0].text = r["name"]
        for k, cell in enumerate(r["cells"]):
            cells[1 + 2 * k].text = cell["text"]
            cells[2 + 2 * k].text = "—" if cell["rank"] is None else str(cell["rank"])
            for c in (cells[1 + 2 * k], cells[2 + 2 * k]):
                c.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    note = doc.add_paragraph(_("数据来源：%(plan)s %(period)s已发布排名；位次为该指标在参评单位中的名次。")
                             % {"plan": table["plan"], "period": table["period_label"]})
    note.runs[0].font.size = Pt(9)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
