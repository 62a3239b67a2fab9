"""Printable certificates (荣誉证书) of an approved award: one A4 landscape page, .docx (python-docx, the fonts
of leitai/documents.py) and PDF (reportlab, the CJK font of the arena's minutes). Both are built from one
`text(award)`; the same award gives the same bytes (fixed document dates and zip entry times)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from leitai.arena.results.minutes import cn_date, pdf_font
from leitai.core.errors import LeitaiError
from leitai.documents import set_style_font, stable_zip

from .models import Award, Recipient

ISSUER = "市考核办"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Certificate:
    title: str
    to: str        # 授予 …
    body: str      # 在 … 中，… 特发此证
    citation: str
    issuer: str
    date: str


def text(award: Award) -> Certificate:
    if award.status != Award.Status.APPROVED:
        raise LeitaiError("只有已授予的表彰可以打印证书", "Only an approved award has a certificate")
    kind = award.kind
    if award.recipient == Recipient.TEAM:
        to = award.team.name
    elif award.recipient == Recipient.PERSON:
        unit = f"{award.unit.name}" if award.unit else ""
        to = f"{unit}{award.person_title}{award.person.name}同志" if unit or award.person_title else f"{award.person.name}同志"
    else:
        to = award.unit.name
        if award.person:
            to += f"（{award.person_title}{award.person.name}）" if award.person_title else f"（{award.person.name}）"
    body = f"{award.reason.rstrip('。')}，被评为“{kind.name}”。"
    return Certificate(title="荣誉证书", to=f"{to}：", body=body, citation=kind.citation or "特发此证，以资鼓励。",
                       issuer=ISSUER, date=cn_date(award.date))


def certificate_docx(award: Award) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    c = text(award)
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(35)
    section.top_margin = section.bottom_margin = Mm(30)
    styles = doc.styles
    set_style_font(styles["Normal"], "仿宋", size=18)
    styles["Normal"].paragraph_format.line_spacing = Pt(36)
    set_style_font(styles["Title"], "宋体", size=40, bold=True)
    styles["Title"].font.color.rgb = None
    props = doc.core_properties
    props.title, props.author, props.subject = c.title, c.issuer, f"{award.kind.name} · {award.recipient_name}"
    import datetime as dt

    moment = dt.datetime.combine(award.date, dt.time(0, 0))
    props.created = props.modified = moment
    props.last_modified_by = c.issuer
    props.revision = 1
    title = doc.add_paragraph(c.title, style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("")
    doc.add_paragraph(c.to)
    for line in (c.body, c.citation):
        p = doc.add_paragraph(line)
        p.paragraph_format.first_line_indent = Pt(36)
    doc.add_paragraph("")
    for line in (c.issuer, c.date):
        p = doc.add_paragraph(line)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buf = io.BytesIO()
    doc.save(buf)
    return stable_zip(buf.getvalue())


def certificate_pdf(award: Award) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    c = text(award)
    font = pdf_font()
    body = ParagraphStyle("body", fontName=font, fontSize=18, leading=34, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=40, leading=56, alignment=TA_CENTER,
                           textColor=colors.Color(0.7, 0.1, 0.1), spaceAfter=24)
    indent = ParagraphStyle("indent", parent=body, firstLineIndent=36)
    right = ParagraphStyle("right", parent=body, alignment=TA_RIGHT)
    page = landscape(A4)

    def border(canvas, _doc) -> None:
        canvas.saveState()
        canvas.setStrokeColor(colors.Color(0.7, 0.1, 0.1))
        canvas.setLineWidth(3)
        canvas.rect(12 * mm, 12 * mm, page[0] - 24 * mm, page[1] - 24 * mm)
        canvas.setLineWidth(1)
        canvas.rect(15 * mm, 15 * mm, page[0] - 30 * mm, page[1] - 30 * mm)
        canvas.restoreState()

    story = [Paragraph(escape(c.title), title), Paragraph(escape(c.to), body), Paragraph(escape(c.body), indent),
             Paragraph(escape(c.citation), indent), Spacer(1, 30), Paragraph(escape(c.issuer), right),
             Paragraph(escape(c.date), right)]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=page, leftMargin=35 * mm, rightMargin=35 * mm, topMargin=28 * mm,
                            bottomMargin=25 * mm, title=c.title, author=c.issuer, subject=award.kind.name,
                            creator="Leitai", invariant=1)
    doc.build(story, onFirstPage=border)
    return buf.getvalue()


def file_name(award: Award, ext: str) -> str:
    """ASCII, so every browser keeps it: award-12-certificate.pdf."""
    return f"award-{award.pk}-certificate.{ext}"
