"""The bulletin (通报) of a ranking, laid out as an assessment office prints it: .xlsx and .docx."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from leitai import exports
from leitai.core.ranking.index import FLAG_RED, FLAG_YELLOW
from leitai.documents import set_style_font
from leitai.units.models import Unit

from .selectors import board_table, rank_text, target_completion

CJK_FONT = "宋体"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
RECOMPUTE = gettext_lazy("本排名可离线复算：在成绩单详情页下载复算包（data.csv、spec.json、result.csv），"
             "运行 leitai index compute --data data.csv --spec spec.json --out out.csv，"
             "所得 out.csv 与 result.csv 逐字节一致。")


def title(ranking, table: dict) -> str:
    """E.g. 示范市2024年1-4月县市区综合考核排名通报."""
    city = Unit.objects.filter(kind="city").order_by("sort_order", "code").first()
    name = ranking.plan_version.plan.name
    prefix = city.name if city and not name.startswith(city.name) else ""
    return _("%(city)s%(period)s%(plan)s排名通报") % {"city": prefix, "period": table["period_label"], "plan": name}


def date_line(ranking) -> str:
    if ranking.published_at is None:
        return _("草稿（未发布）· 计算于 %(date)s") % {"date": _cn_date(ranking.computed_at)}
    return _("发布日期：%(date)s") % {"date": _cn_date(ranking.published_at)}


def _cn_date(moment) -> str:
    d = timezone.localtime(moment).date()
    return f"{d.year}年{d.month}月{d.day}日"


def movement_text(m) -> str:
    if m is None:
        return "—"
    return f"↑{m}" if m > 0 else f"↓{-m}" if m < 0 else "—"


def _flags_text(row) -> str:
    return "、".join(f["text"] for f in row["flags"])


# ----------------------------------------------------------------------------------------------- xlsx


def _head(ws, row: int, headers: list[str]) -> None:
    for col, text in enumerate(headers, 1):
        cell = ws.cell(row=row, column=col, value=text)
        cell.font = Font(bold=True, name=CJK_FONT)
        cell.fill = HEAD_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _body(ws, row: int, values: list, formats: list[str | None]) -> None:
    for col, (value, fmt) in enumerate(zip(values, formats, strict=True), 1):
        cell = ws.cell(row=row, column=col, value=value)
        cell.border = BORDER
        cell.font = Font(name=CJK_FONT)
        if fmt:
            cell.number_format = fmt
        cell.alignment = Alignment(horizontal="left" if col == 2 else "center", vertical="center")


def _print_setup(ws, title_rows: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.print_options.horizontalCentered = True


def _title_rows(ws, text: str, sub: str, width: int) -> None:
    last = get_column_letter(max(width, 2))
    ws.merge_cells(f"A1:{last}1")
    ws.merge_cells(f"A2:{last}2")
    ws["A1"] = text
    ws["A1"].font = Font(bold=True, size=16, name=CJK_FONT)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    ws["A2"] = sub
    ws["A2"].font = Font(size=11, name=CJK_FONT)
    ws["A2"].alignment = Alignment(horizontal="center")


def bulletin_xlsx(ranking) -> bytes:
    """The bulletin workbook: 排名 (as printed), 指标明细 (normalised scores) and 说明 (notes)."""
    table = board_table(ranking)
    rows = table["rows"]
    wb = Workbook()
    ws = wb.active
    ws.title = _("排名")
    heads = [_("名次"), _("单位"), _("综合得分"), _("较上期"), _("星数"), _("旗帜")]
    with_intervals = bool(table["interval_legend"])
    if with_intervals:
        heads += [_("90% 区间"), _("统计上无法区分")]
    heads += [g["name"] for g in table["groups"]]
    heads += [f"{c['name']}（{c['measure']}）" if c["measure"] else c["name"] for c in table["indicators"]]
    _title_rows(ws, title(ranking, table), date_line(ranking), len(heads))
    _head(ws, 3, heads)
    for n, r in enumerate(rows, 4):
        values = [r["rank"], r["unit"].name, r["score"], movement_text(r["movement"]), len(r["stars"]), _flags_text(r)]
        formats = [None, None, "0.00", None, None, None]
        if with_intervals:
            iv = r["interval"]
            values += [f"{iv['lo']}–{iv['hi']}" if iv else "", "≈" if iv and iv["indistinguishable"] else ""]
            formats += [None, None]
        values += r["groups"] + [v["value"] for v in r["values"]]
        formats += ["0.00"] * len(r["groups"])
        formats += ["0." + "0" * c["decimals"] if c["decimals"] else "0" for c in table["indicators"]]
        _body(ws, n, values, formats)
    widths = [6, 18, 10, 8, 6, 22] + ([10, 10] if with_intervals else []) + [12] * len(table["groups"]) + [14] * len(table["indicators"])
    for col, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = w
    ws.row_dimensions[3].height = 36
    ws.freeze_panes = "C4"
    _print_setup(ws, "1:3")

    detail = wb.create_sheet(_("指标明细"))
    heads = [_("名次"), _("单位")] + [_("%(name)s 标准化得分") % {"name": c["name"]} for c in table["indicators"]]
    _title_rows(detail, _("%(title)s · 指标标准化得分") % {"title": title(ranking, table)}, date_line(ranking), len(heads))
    _head(detail, 3, heads)
    scores = {row.unit_id: row.indicator_scores for row in ranking.rows.all()}
    for n, r in enumerate(rows, 4):
        s = scores[r["unit"].pk]
        _body(detail, n, [r["rank"], r["unit"].name] + [s.get(c["code"]) for c in table["indicators"]],
              [None, None] + ["0.00"] * len(table["indicators"]))
    for col, w in enumerate([6, 18] + [16] * len(table["indicators"]), 1):
        detail.column_dimensions[get_column_letter(col)].width = w
    detail.freeze_panes = "C4"
    _print_setup(detail, "1:3")

    lines = target_completion(ranking)
    if lines:
        done = wb.create_sheet(_("完成情况"))
        heads = [_("单位"), _("指标"), _("本期累计"), _("年度目标"), _("完成进度（%）"), _("时间进度（%）"), _("状态")]
        _title_rows(done, _("%(title)s · 年度目标完成情况") % {"title": title(ranking, table)}, date_line(ranking), len(heads))
        _head(done, 3, heads)
        for n, line in enumerate(lines, 4):
            ind = line["indicator"]
            _body(done, n, [line["unit"].name, f"{ind.name}（{ind.measure}）" if ind.measure else ind.name, line["value"],
                            line["target"], line["completion"], line["elapsed"], str(line["status_label"])],
                  [None, None, "0.00", "0.00", "0.0", "0.0", None])
        for col, w in enumerate([18, 26, 12, 12, 14, 14, 10], 1):
            done.column_dimensions[get_column_letter(col)].width = w
        done.freeze_panes = "C4"
        _print_setup(done, "1:3")

    notes = wb.create_sheet(_("说明"))
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 90
    for line in _notes(ranking, table):
        notes.append(line)
    for cell in notes["A"]:
        cell.font = Font(bold=True, name=CJK_FONT)
    _print_setup(notes, "1:1")
    return exports.save(wb)


def _notes(ranking, table) -> list[list[str]]:
    plan = ranking.plan_version.plan
    lines = [[_("考核方案"), _("%(name)s（%(code)s）第 %(v)d 版") % {"name": plan.name, "code": plan.code,
                                                                  "v": ranking.plan_version.number}],
             [_("期间"), table["period_label"]]]
    if table["dropped"]:
        for d in table["dropped"]:
            lines.append([_("未计入的指标"), f"{d['name']}：{d['reason']}"])
    else:
        lines.append([_("未计入的指标"), _("无")])
    if table["missing_notes"]:
        for m in table["missing_notes"]:
            lines.append([_("缺失数据"), f"{m['unit']}：{'、'.join(m['indicators'])}"])
    else:
        lines.append([_("缺失数据"), _("无")])
    items = _adjustment_lines(table)
    for unit, points, reason in items:
        lines.append([_("加减分事项"), f"{unit} {points}：{reason}"])
    if not items:
        lines.append([_("加减分事项"), _("无")])
    lines.append([_("复算方法"), str(RECOMPUTE)])
    if table["interval_legend"]:
        lines.append([_("90% 区间"), table["interval_legend"]])
    return lines


def _adjustment_lines(table) -> list[tuple[str, str, str]]:
    return [(a["unit"], f"{a['points']:+g}", a["reason"]) for a in table["adjustment_items"]]


# ----------------------------------------------------------------------------------------------- docx


def _cjk(style, size: float | None = None, bold: bool | None = None) -> None:
    set_style_font(style, CJK_FONT, latin="SimSun", size=size, bold=bold)


def highlights(table) -> str:
    """One paragraph: who came first, who climbed fastest, who holds the red and yellow flags."""
    rows = table["rows"]
    parts = []
    first = [r["unit"].name for r in rows if r["rank"] == 1]
    if first:
        parts.append(_("%(units)s位列第一") % {"units": "、".join(first)})
    best = max((r["movement"] for r in rows if r["movement"]), default=0)
    if best > 0:
        climbers = [r["unit"].name for r in rows if r["movement"] == best]
        parts.append(_("进位最快的是%(units)s（上升 %(n)d 位）") % {"units": "、".join(climbers), "n": best})
    red = [r["unit"].name for r in rows if any(f["kind"] == FLAG_RED for f in r["flags"])]
    yellow = [r["unit"].name for r in rows if any(f["kind"] == FLAG_YELLOW for f in r["flags"])]
    if red:
        parts.append(_("%(units)s获得红旗") % {"units": "、".join(red)})
    if yellow:
        parts.append(_("%(units)s被亮黄旗") % {"units": "、".join(yellow)})
    return "；".join(parts) + "。" if parts else _("本期无排名数据。")


def bulletin_docx(ranking) -> bytes:
    """The bulletin document: title, date, highlights, the table, bonus/deduction items, how to recompute."""
    table = board_table(ranking)
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    _cjk(doc.styles["Normal"], 12)
    for name in ("Title", "Heading 1", "Heading 2", "Table Grid"):
        _cjk(doc.styles[name])
    head = doc.add_paragraph(title(ranking, table), style="Title")
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(date_line(ranking)).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(highlights(table))

    heads = [_("名次"), _("单位"), _("得分"), _("较上期"), _("星"), _("旗")]
    grid = doc.add_table(rows=1, cols=len(heads), style="Table Grid")
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(grid.rows[0].cells, heads, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for r in table["rows"]:
        cells = grid.add_row().cells
        iv = r["interval"] or {}
        rank = rank_text(r["rank"], iv.get("lo"), iv.get("hi")) + ("≈" if iv.get("indistinguishable") else "")
        values = [rank, r["unit"].name,
                  f"{r['score']:.2f}" if r["score"] is not None else "—",
                  movement_text(r["movement"]), "★" * len(r["stars"]), _flags_text(r)]
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    if table["interval_legend"]:
        doc.add_paragraph(table["interval_legend"])

    lines = target_completion(ranking)
    if lines:
        doc.add_heading(_("年度目标完成情况"), level=2)
        heads = [_("单位"), _("指标"), _("本期累计"), _("年度目标"), _("完成进度"), _("时间进度"), _("状态")]
        grid = doc.add_table(rows=1, cols=len(heads), style="Table Grid")
        for cell, text in zip(grid.rows[0].cells, heads, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(text).bold = True
        for line in lines:
            cells = grid.add_row().cells
            pct = "—" if line["completion"] is None else f"{line['completion']:.1f}%"
            values = [line["unit"].name, line["indicator"].name, "—" if line["value"] is None else f"{line['value']:g}",
                      f"{line['target']:g}", pct, f"{line['elapsed']:.1f}%", str(line["status_label"])]
            for cell, text in zip(cells, values, strict=True):
                cell.text = text

    doc.add_heading(_("加减分事项"), level=2)
    items = _adjustment_lines(table)
    for unit, points, reason in items:
        doc.add_paragraph(f"{unit}　{points} 分：{reason}")
    if not items:
        doc.add_paragraph(_("本期无加减分事项。"))
    if table["dropped"] or table["missing_notes"]:
        doc.add_heading(_("数据说明"), level=2)
        for d in table["dropped"]:
            doc.add_paragraph(_("未计入的指标：%(name)s（%(reason)s）") % d)
        for m in table["missing_notes"]:
            doc.add_paragraph(_("缺失数据：%(unit)s：%(list)s") % {"unit": m["unit"], "list": "、".join(m["indicators"])})
    doc.add_heading(_("复算方法"), level=2)
    doc.add_paragraph(str(RECOMPUTE))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
