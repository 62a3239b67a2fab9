"""The person's record for cadre evaluation (干部考评材料) as a Word document: one person's record, tenure by
tenure, or the comparison of candidates side by side. Fonts as every Word document of the product
(leitai.documents)."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from leitai.documents import set_style_font

from .records import PersonRecord, comparison_rows, person_pledge_line, post_text, summary_lines

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _document(landscape: bool = False):
    doc = Document()
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    set_style_font(doc.styles["Normal"], "仿宋", size=12)
    set_style_font(doc.styles["Title"], "黑体", size=20)
    for name in ("Heading 1", "Heading 2", "Table Grid"):
        set_style_font(doc.styles[name], "黑体" if name.startswith("Heading") else "仿宋")
    return doc


def _table(doc, heads: list[str], rows: list[list[str]]):
    grid = doc.add_table(rows=1, cols=len(heads), style="Table Grid")
    for cell, text in zip(grid.rows[0].cells, heads, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for values in rows:
        for cell, text in zip(grid.add_row().cells, values, strict=True):
            cell.text = text
    return grid


def _date_line(doc) -> None:
    d = timezone.localdate()
    doc.add_paragraph(_("生成日期：%(date)s") % {"date": f"{d.year}年{d.month}月{d.day}日"}).alignment = \
        WD_ALIGN_PARAGRAPH.CENTER


def _bytes(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def record_docx(record: PersonRecord) -> bytes:
    """One person's record: the overall figures, then each tenure with its ranks, arenas, pledges and items."""
    doc = _document()
    doc.add_paragraph(_("干部考评材料：%(name)s") % {"name": record.person.name}, style="Title").alignment = \
        WD_ALIGN_PARAGRAPH.CENTER
    _date_line(doc)
    doc.add_heading(_("综合情况"), level=1)
    _table(doc, [_("项目"), _("情况")], [list(line) for line in
                                        [*summary_lines(record.summary), person_pledge_line(record)]])
    doc.add_heading(_("获奖"), level=2)
    for award in record.awards:
        doc.add_paragraph(f"{award.date:%Y-%m-%d} {award}" + (f"：{award.reason}" if award.reason else ""))
    if not record.awards:
        doc.add_paragraph(_("暂无获奖记录。"))
    for tenure in record.tenures:
        doc.add_heading(post_text(tenure.post), level=1)
        if not tenure.post.is_head:
            doc.add_paragraph(_("非一把手任职：单位的排名和擂台赛不计入本人。"))
        _table(doc, [_("项目"), _("情况")], [list(line) for line in summary_lines(tenure.summary)])
        if tenure.ranks:
            doc.add_heading(_("发布的排名"), level=2)
            _table(doc, [_("期间"), _("考核方案"), _("综合得分"), _("名次")],
                   [[str(r.ranking.period), r.ranking.plan_version.plan.name,
                     "—" if r.score is None else f"{r.score:.2f}",
                     f"{r.rank}/{r.size}" if r.rank else "—"] for r in tenure.ranks])
        if tenure.arenas:
            doc.add_heading(_("擂台赛"), level=2)
            _table(doc, [_("日期"), _("擂台赛"), _("得分"), _("名次")],
                   [[a.day.isoformat(), a.arena.name, "—" if a.score is None else f"{a.score:.2f}",
                     f"{a.rank}/{a.size}" if a.rank else "—"] for a in tenure.arenas])
        if tenure.pledges:
            doc.add_heading(_("承诺"), level=2)
            _table(doc, [_("承诺内容"), _("核验结果")],
                   [[p.text, str(p.get_status_display())] for p in tenure.pledges])
        if tenure.items:
            doc.add_heading(_("整改事项"), level=2)
            _table(doc, [_("编号"), _("问题"), _("整改期限"), _("销号日期")],
                   [[i.code, i.title, i.deadline.isoformat(), i.closed_on.isoformat() if i.closed_on else "—"]
                    for i in tenure.items])
    return _bytes(doc)


def comparison_docx(records: list[PersonRecord]) -> bytes:
    """The candidates side by side: one row per figure, one column per person."""
    doc = _document(landscape=True)
    names = "、".join(r.person.name for r in records)
    doc.add_paragraph(_("干部考评比较：%(names)s") % {"names": names}, style="Title").alignment = \
        WD_ALIGN_PARAGRAPH.CENTER
    _date_line(doc)
    _table(doc, [_("项目"), *[r.person.name for r in records]],
           [[row["label"], *row["values"]] for row in comparison_rows(records)])
    return _bytes(doc)
