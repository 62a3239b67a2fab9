"""The assessment bulletin (考绩通报) as an office prints it: .xlsx (one sheet of totals, one of every
point's source) and .docx (title, the grades, the table)."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from leitai import exports
from leitai.core.tracking.assessment import GRADE_LABELS

from .models import Assessment


def _labels(lang: str) -> dict:
    en = lang.startswith("en")
    return {
        "rank": "Rank" if en else "名次", "unit": "Unit" if en else "单位", "total": "Total" if en else "总分",
        "grade": "Grade" if en else "等次", "rollup": "Units below" if en else "下属单位",
        "component": "Component" if en else "组成部分", "points": "Points" if en else "分值",
        "source": "Source" if en else "来源", "detail": "Sources" if en else "得分来源",
        "draft": " (draft)" if en else "（草稿）",
    }


def _grade(code: str, lang: str) -> str:
    zh, en = GRADE_LABELS.get(code, (code, code))
    return en if lang.startswith("en") else zh


def _title(a: Assessment, lang: str) -> str:
    return a.inputs.get("title", str(a)) + (_labels(lang)["draft"] if a.status == Assessment.Status.DRAFT else "")


def xlsx(a: Assessment, lang: str = "zh-hans") -> bytes:
    lab = _labels(lang)
    comps = a.inputs["scheme"]["components"]
    wb = Workbook()
    ws = wb.active
    ws.title = "考绩" if not lang.startswith("en") else "Assessment"
    ws.append([_title(a, lang)])
    ws["A1"].font = Font(bold=True, size=14)
    headers = [lab["rank"], lab["unit"], lab["total"], lab["grade"], *(c.get("name", c["code"]) for c in comps), lab["rollup"]]
    ws.append(headers)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for r in a.result["rows"]:
        ws.append([r["rank"], r["name"], r["total"], _grade(r["grade"], lang),
                   *(r["components"].get(c["code"]) for c in comps), r["rollup"]])
    ws.column_dimensions["B"].width = 16
    detail = wb.create_sheet(lab["detail"])
    detail.append([lab["unit"], lab["component"], lab["points"], lab["source"]])
    names = {c["code"]: c.get("name", c["code"]) for c in comps}
    for r in a.result["rows"]:
        for ln in r["lines"]:
            detail.append([r["name"], names.get(ln["component"], lab["rollup"]), ln["points"],
                           ln["en"] if lang.startswith("en") else ln["zh"]])
    detail.column_dimensions["D"].width = 60
    return exports.save(wb)


def docx(a: Assessment, lang: str = "zh-hans") -> bytes:
    lab = _labels(lang)
    comps = a.inputs["scheme"]["components"]
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")
    style.font.size = Pt(10.5)
    doc.add_heading(_title(a, lang), level=1)
    counts = {}
    for r in a.result["rows"]:
        counts[r["grade"]] = counts.get(r["grade"], 0) + 1
    summary = "；".join(f"{_grade(g, lang)} {counts[g]}" for g in ("excellent", "good", "fair", "poor") if g in counts)
    doc.add_paragraph(summary)
    headers = [lab["rank"], lab["unit"], lab["total"], lab["grade"], *(c.get("name", c["code"]) for c in comps)]
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(text)
    for r in a.result["rows"]:
        cells = table.add_row().cells
        values = [r["rank"], r["name"], f"{r['total']:.2f}", _grade(r["grade"], lang),
                  *(("" if r["components"].get(c["code"]) is None else f"{r['components'][c['code']]:.2f}") for c in comps)]
        for cell, text in zip(cells, values, strict=True):
            cell.text = str(text)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
