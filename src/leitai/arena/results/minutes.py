"""The minutes (纪要) of a published arena, as an assessment office files them: .docx and PDF.

One outline (`outline`) built from results.selectors.minutes_state — title, date and place, who took part,
then sections headed 一、二、三…: the order of appearance, the scores (group scores only where the group is
public, selectors.public_rows), questions and answers, comments, shortcomings with the responsible unit
and deadline, pledges, corrections — rendered twice, by `minutes_docx` (python-docx) and `minutes_pdf`
(reportlab, with the system's WenQuanYi Micro Hei embedded, else the built-in STSong-Light). The same data
gives the same bytes: fixed document dates (the publication's), fixed zip entry times, reportlab's invariant
mode."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from leitai.arena.base.models import Arena
from leitai.arena.base.policies import GROUP_SCORE_MIN_SHEETS
from leitai.arena.results import selectors
from leitai.core.errors import LeitaiError
from leitai.documents import set_style_font, stable_zip

NUMERALS = "一二三四五六七八九十"
CJK_TTF = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Table:
    heads: list[str]
    rows: list[list[str]]
    widths: list[float]  # relative column widths
    notes: list[str] = field(default_factory=list)


@dataclass
class Section:
    heading: str  # without the numeral: "出场顺序"
    paragraphs: list[str] = field(default_factory=list)
    table: Table | None = None
    empty: str = ""  # said instead of an empty table


@dataclass
class Outline:
    title: str
    meta: list[tuple[str, str]]  # (label, text): 时间, 地点, 参加人员…
    intro: str
    sections: list[Section]
    issuer: str
    date: str
    published_at: object = None


def cn_date(moment) -> str:
    d = timezone.localtime(moment).date() if hasattr(moment, "tzinfo") and hasattr(moment, "hour") else moment
    return _("%(y)s年%(m)s月%(d)s日") % {"y": d.year, "m": d.month, "d": d.day}


def _score(v) -> str:
    return "—" if v is None else f"{v:.3f}"


def _points(p) -> str:
    if not p:
        return "—"
    return f"{p:+.2f}".rstrip("0").rstrip(".")


def _rank(v) -> str:
    return "—" if v in (None, 0) else str(v)


def result_table(state: dict) -> Table:
    """The scores as published: rank, unit, presenter, score, each group (hidden below the quorum), sheets,
    points in the assessment. Tests compare these rows with the published rows."""
    ranking = state["ranking"]
    heads = [_("名次"), _("单位"), _("登台人"), _("积分") if ranking else _("得分")]
    heads += [g.name + (_("（组内名次）") if ranking else "") for g in state["groups"]]
    heads += [_("排序表") if ranking else _("评分表"), _("计入考绩")]
    rows = []
    for r in state["rows"]:
        groups = [("—" if v is None else str(v)) if ranking else _score(v) for v in r["group_list"]]
        withdrawn = r.get("ledger") is not None and r["ledger"].withdrawn
        rank = _rank(r["rank"]) + (_("（%(interval)s）") % {"interval": r["interval_text"]} if r.get("interval_text") else "")
        rows.append([rank, r["unit_name"], f"{r['title']} {r['person']}".strip() or "—", _score(r["score"]),
                     *groups, str(r["sheets"]), _points(r["bonus"]) + (_("（已撤销）") if withdrawn else "")])
    notes = []
    if state["hidden_groups"]:
        notes.append(_("“—”：该评委组计入的评分表不足 %(n)s 份，不公布组得分。")
                     % {"n": GROUP_SCORE_MIN_SHEETS})
    if state["tie_break"]:
        notes.append(_("得分相同名次并列；同分时依次比较：%(groups)s。") % {"groups": "、".join(state["tie_break"])})
    if any(r.get("interval_text") for r in state["rows"]):
        notes.append(_("名次后括号内为 90% 区间（评委重抽样），区间重叠的单位统计上无法区分；见结果页“名次区间”。"))
    notes.append(_("表中分数保留三位小数；可复算的评分数据见结果页“下载评分数据”。"))
    return Table(heads, rows, [1, 3, 3, 1.5] + [1.5] * len(state["groups"]) + [1.4, 1.4], notes)


def outline(arena: Arena) -> Outline:
    """The minutes' content, the same for both formats. Only a published arena has minutes."""
    if arena.status != Arena.Status.PUBLISHED:
        raise LeitaiError("擂台赛结果发布后才能生成纪要", "The minutes are available once the results are published")
    state = selectors.minutes_state(arena)
    meta = []
    if arena.held_at:
        meta.append((_("时间"), cn_date(arena.held_at) + timezone.localtime(arena.held_at).strftime(" %H:%M")))
    if arena.venue:
        meta.append((_("地点"), arena.venue))
    meta.append((_("类型"), f"{arena.kind_name}（{arena.period.code}）"))
    if state["panel"]:
        meta.append((_("参加人员"), "；".join(
            _("%(group)s评委") % {"group": p["group"]} + "：" + "、".join(f"{j.name}（{j.title}）" if j.title else j.name for j in p["judges"])
            for p in state["panel"])))
    appearance = list(state["appearance"])
    meta.append((_("参赛单位"), "、".join(c.unit.name for c in appearance)))
    held = cn_date(arena.held_at) if arena.held_at else ""
    intro = _("%(when)s%(where)s举行%(name)s，%(n)s个单位主要负责人登台陈述、接受考问，评委现场评分。"
              "现将有关情况纪要如下。") % {"when": held, "where": _("在%(venue)s") % {"venue": arena.venue}
                                        if arena.venue else "", "name": arena.name, "n": len(appearance)}

    sections = [Section(_("出场顺序"), table=Table(
        [_("序号"), _("单位"), _("登台人")],
        [[str(n), c.unit.name, f"{c.title} {c.person.name if c.person else ''}".strip() or "—"]
         for n, c in enumerate(appearance, 1)], [1, 4, 4]))]

    scores = Section(_("评分结果"), table=result_table(state))
    if state["latest_version"] and state["latest_version"] > 1:
        scores.paragraphs.append(_("以下为第 %(n)s 版结果（发布后经过更正，见“结果更正”）。") % {"n": state["latest_version"]})
    sections.append(scores)

    sections.append(Section(_("考问情况"), table=Table(
        [_("单位"), _("提问人"), _("问题"), _("回答要点")],
        [[q.contestant.unit.name, q.asker or "—", q.text, q.answer or "—"] for q in state["questions"]],
        [2, 1.5, 4, 4]), empty=_("本场未记录考问。")))
    sections.append(Section(_("点评意见"), table=Table(
        [_("单位"), _("点评人"), _("点评内容")],
        [[m.contestant.unit.name, m.author or "—", m.text] for m in state["comments"]], [2, 1.5, 8]),
        empty=_("本场未记录点评。")))

    def state_of(s) -> str:
        item = s["item"]
        if not item:
            return _("未转入督办")
        return f"{item.code} " + (_("逾期") if s["overdue"] else str(item.get_state_display()))

    sections.append(Section(_("短板问题及整改要求"), table=Table(
        [_("序号"), _("参赛单位"), _("问题"), _("责任单位"), _("整改期限"), _("整改情况")],
        [[str(n), s["contestant"] or "—", s["text"] + (f"（{s['origin']}{_('点评')}）" if s["origin"] else ""),
          s["unit"], s["deadline"].isoformat() if s["deadline"] else "—", state_of(s)]
         for n, s in enumerate(state["shortcomings"], 1)], [1, 2, 5, 2, 2, 2]),
        empty=_("本场未记录短板问题。")))

    def verdict(p) -> str:
        pledge = getattr(p, "pledge", None)
        if pledge is None:
            return _("未转入督办")
        note = pledge.shown_verdict_note if pledge.verdict_note else ""
        return str(pledge.get_status_display()) + (f"（{note}）" if note else "")

    sections.append(Section(_("承诺事项（军令状）"), table=Table(
        [_("序号"), _("单位"), _("承诺内容"), _("指标目标"), _("期限"), _("核验结果")],
        [[str(n), p.submission.contestant.unit.name, p.text,
          f"{p.indicator.name} {p.get_comparison_display()} {p.target_value:g}" if p.indicator and p.target_value
          is not None else "—", p.deadline.code if p.deadline else "—", verdict(p)]
         for n, p in enumerate(state["pledges"], 1)], [1, 2, 5, 2.5, 1.6, 2]), empty=_("本场未作出承诺。")))

    if len(state["versions"]) > 1:
        sections.append(Section(_("结果更正"), table=Table(
            [_("版本"), _("时间"), _("更正内容"), _("更正理由")],
            [[str(v["version"]), timezone.localtime(v["at"]).strftime("%Y-%m-%d %H:%M"),
              "；".join(f"{c['unit_name']}：{_points(c['old'])} → {_points(c['new'])}" for c in v["changes"]),
              v["reason"]] for v in state["versions"][1:]], [1, 2.5, 4, 4])))
    return Outline(title=_("%(name)s纪要") % {"name": arena.name}, meta=meta, intro=intro, sections=sections,
                   issuer=state["issuer"], date=cn_date(arena.published_at), published_at=arena.published_at)


def heading(n: int, text: str) -> str:
    """一、出场顺序 … 十、…; beyond ten, 十一、 and so on."""
    numeral = NUMERALS[n - 1] if n <= 10 else "十" + NUMERALS[n - 11]
    return f"{numeral}、{text}"


# ----------------------------------------------------------------------------------------------- docx


def _docx_font(style, east_asia: str, size: float | None = None, bold: bool | None = None) -> None:
    set_style_font(style, east_asia, size=size, bold=bold)
    style.font.color.rgb = None


def _page_number(paragraph) -> None:
    """“— n —” centred: a PAGE field between two dashes."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph.add_run("— ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = " PAGE "
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)
    paragraph.add_run(" —")


def minutes_docx(arena: Arena) -> bytes:
    """The minutes as a Word document: A4, the official margins, title in 宋体 bold, body in 仿宋, headings
    一、二、三 in 黑体, bordered tables with a repeated header row, page numbers “— n —” at the foot."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    o = outline(arena)
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    width = 210 - 28 - 26
    _docx_font(doc.styles["Normal"], "仿宋", 14)
    doc.styles["Normal"].paragraph_format.space_after = Pt(4)
    _docx_font(doc.styles["Title"], "宋体", 22, True)
    _docx_font(doc.styles["Heading 1"], "黑体", 16, False)
    _docx_font(doc.styles["Table Grid"], "仿宋", 10.5)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by, props.comments = o.title, o.issuer, o.issuer, ""
    props.created = props.modified = props.last_printed = o.published_at
    props.revision = 1

    title = doc.add_paragraph(o.title, style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for label, text in o.meta:
        p = doc.add_paragraph()
        p.add_run(f"{label}：").bold = True
        p.add_run(text)
    doc.add_paragraph(o.intro).paragraph_format.first_line_indent = Pt(28)
    for n, s in enumerate(o.sections, 1):
        doc.add_heading(heading(n, s.heading), level=1)
        for text in s.paragraphs:
            doc.add_paragraph(text)
        t = s.table
        if t is None:
            continue
        if not t.rows:
            doc.add_paragraph(s.empty)
            continue
        grid = doc.add_table(rows=1, cols=len(t.heads), style="Table Grid")
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        total = sum(t.widths)
        head_row = grid.rows[0]
        trpr = head_row._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        trpr.append(repeat)
        for cell, text in zip(head_row.cells, t.heads, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(text).bold = True
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        for values in t.rows:
            for cell, text in zip(grid.add_row().cells, values, strict=True):
                cell.text = text
        for col, w in zip(grid.columns, t.widths, strict=True):
            for cell in col.cells:
                cell.width = Mm(width * w / total)
        for note in t.notes:
            p = doc.add_paragraph(note)
            p.runs[0].font.size = Pt(10.5)
    end = doc.add_paragraph()
    end.paragraph_format.space_before = Pt(28)
    end.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    end.add_run(o.issuer)
    doc.add_paragraph(o.date).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(foot)
    buf = io.BytesIO()
    doc.save(buf)
    return stable_zip(buf.getvalue())


# ------------------------------------------------------------------------------------------------ pdf


def pdf_font() -> str:
    """The CJK font's name in reportlab: WenQuanYi Micro Hei (CJK_TTF) embedded when the system has it, else
    the built-in STSong-Light (not embedded: every PDF reader has it)."""
    from reportlab.pdfbase import pdfmetrics

    if os.path.exists(CJK_TTF):
        try:
            pdfmetrics.getFont("LeitaiCJK")
            return "LeitaiCJK"
        except KeyError:
            from reportlab.pdfbase.ttfonts import TTFont

            try:
                pdfmetrics.registerFont(TTFont("LeitaiCJK", CJK_TTF, subfontIndex=0))
                return "LeitaiCJK"
            except Exception:  # noqa: BLE001 — an unreadable font file: fall back to the built-in one
                pass
    try:
        pdfmetrics.getFont("STSong-Light")
    except KeyError:
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def minutes_pdf(arena: Arena) -> bytes:
    """The minutes as PDF (A4, the same outline and layout as the .docx), page numbers “— n —"."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable

    o = outline(arena)
    font = pdf_font()
    body = ParagraphStyle("body", fontName=font, fontSize=12, leading=20, wordWrap="CJK")
    styles = {
        "title": ParagraphStyle("title", parent=body, fontSize=20, leading=30, alignment=TA_CENTER, spaceAfter=12),
        "heading": ParagraphStyle("heading", parent=body, fontSize=14, leading=24, spaceBefore=10, spaceAfter=4,
                                  keepWithNext=1),
        "intro": ParagraphStyle("intro", parent=body, firstLineIndent=24, spaceBefore=6),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=13),
        "head": ParagraphStyle("head", parent=body, fontSize=9, leading=13, alignment=TA_CENTER),
        "note": ParagraphStyle("note", parent=body, fontSize=9, leading=14),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
    }
    width = A4[0] - (28 + 26) * mm

    def para(text: str, style: str = "body") -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), styles.get(style, body))

    story: list = [para(o.title, "title")]
    for label, text in o.meta:
        story.append(Paragraph(f"<b>{escape(label)}：</b>{escape(text)}", body))
    story.append(para(o.intro, "intro"))
    for n, s in enumerate(o.sections, 1):
        story.append(para(heading(n, s.heading), "heading"))
        story += [para(text) for text in s.paragraphs]
        t = s.table
        if t is None:
            continue
        if not t.rows:
            story.append(para(s.empty))
            continue
        total = sum(t.widths)
        data = [[para(h, "head") for h in t.heads]] + [[para(v, "cell") for v in row] for row in t.rows]
        table = PdfTable(data, colWidths=[width * w / total for w in t.widths], repeatRows=1)
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.95, 0.95, 0.95)),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]))
        story.append(table)
        story += [para(note, "note") for note in t.notes]
    story += [Spacer(1, 24), para(o.issuer, "right"), para(o.date, "right")]

    def page_number(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(font, 11)
        canvas.drawCentredString(A4[0] / 2, 18 * mm, f"— {doc.page} —")
        canvas.restoreState()

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=28 * mm, rightMargin=26 * mm, topMargin=30 * mm,
                            bottomMargin=30 * mm, title=o.title, author=o.issuer, subject=o.title, creator="Leitai",
                            invariant=1)
    doc.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return buf.getvalue()


def file_name(arena: Arena, ext: str) -> str:
    """ASCII, so every browser keeps it: arena-7-minutes.docx."""
    return f"arena-{arena.pk}-minutes.{ext}"
