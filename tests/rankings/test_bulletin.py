"""The bulletin (通报): an .xlsx laid out for printing and a .docx, both in Chinese."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from leitai.rankings import bulletin, services
from tests.rankings.support import add_data, make_plan, publish


@pytest.fixture
def ranking(city, organizer):
    add_data(city)
    plan = make_plan(organizer)
    publish(plan, city, "2024-03")
    services.add_adjustment(city["b"], city["periods"]["2024-04"], -3, "安全生产事故扣分", plan=plan)
    return publish(plan, city, "2024-04")


def test_the_xlsx_bulletin_has_the_title_the_date_and_the_ranked_rows(ranking):
    wb = load_workbook(io.BytesIO(bulletin.bulletin_xlsx(ranking)))
    assert wb.sheetnames == ["排名", "指标明细", "说明"]
    ws = wb["排名"]
    assert ws["A1"].value == "示范市2024年1-4月县市区综合考核排名通报"
    # 6 fixed + 2 interval columns + 2 groups + 3 indicators
    assert {"A1:M1", "A2:M2"} <= {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value.startswith("发布日期：") and "年" in ws["A2"].value
    header = [c.value for c in ws[3]]
    assert header[:8] == ["名次", "单位", "综合得分", "较上期", "星数", "旗帜", "90% 区间", "统计上无法区分"]
    assert "经济发展" in header and "生态环境" in header
    assert "地区生产总值增速（%）" in header and "PM2.5 浓度（微克/立方米）" in header
    assert ws["A3"].font.bold and ws["B4"].border.left.style == "thin"
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert [r[:2] for r in rows] == [[1, "东城区"], [2, "西城区"], [3, "南山县"]]
    assert rows[0][2] == pytest.approx(75.0) and ws["C4"].number_format == "0.00"
    assert rows[0][3] == "↑2" and rows[1][3] == "↓1"
    assert rows[0][4] == 2 and "红旗" in rows[0][5] and "黄旗" in rows[2][5]
    assert rows[1][2] == pytest.approx(47.0)  # the deduction counts in full precision
    assert ws.freeze_panes == "C4"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.column_dimensions["B"].width == 18


def test_the_xlsx_detail_and_notes_sheets(ranking):
    wb = load_workbook(io.BytesIO(bulletin.bulletin_xlsx(ranking)))
    detail = wb["指标明细"]
    assert [c.value for c in detail[3]][:3] == ["名次", "单位", "地区生产总值增速 标准化得分"]
    assert detail["C4"].value == pytest.approx(100.0)
    notes = "\n".join(f"{a.value} {b.value}" for a, b in wb["说明"].iter_rows(max_col=2))
    assert "加减分事项 西城区 -3：安全生产事故扣分" in notes
    assert "未计入的指标 无" in notes and "leitai index compute" in notes


def test_the_docx_bulletin_has_the_title_highlights_table_and_adjustments(ranking):
    doc = Document(io.BytesIO(bulletin.bulletin_docx(ranking)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "示范市2024年1-4月县市区综合考核排名通报" in text
    assert "东城区位列第一" in text and "进位最快的是东城区（上升 2 位）" in text
    assert "东城区获得红旗" in text and "南山县被亮黄旗" in text
    assert "西城区　-3 分：安全生产事故扣分" in text and "leitai index compute" in text
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["名次", "单位", "得分", "较上期", "星", "旗"]
    assert [r.cells[1].text for r in table.rows[1:]] == ["东城区", "西城区", "南山县"]
    assert table.rows[1].cells[2].text == "75.00" and table.rows[1].cells[4].text == "★★"
    section = doc.sections[0]
    assert section.page_width > section.page_height  # landscape
    rfonts = doc.styles["Normal"].element.rPr.rFonts
    assert rfonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "宋体"


def test_a_draft_bulletin_says_it_is_a_draft(city, organizer):
    add_data(city)
    draft = services.compute_ranking(make_plan(organizer).current_version, city["periods"]["2024-04"])
    wb = load_workbook(io.BytesIO(bulletin.bulletin_xlsx(draft)))
    assert wb["排名"]["A2"].value.startswith("草稿（未发布）")


def test_organizers_download_both_bulletins(ranking, login, organizer):
    client = login(organizer)
    xlsx = client.get(reverse("rankings:bulletin_xlsx", args=[ranking.pk]))
    assert xlsx.status_code == 200 and xlsx["Content-Type"].endswith("spreadsheetml.sheet")
    assert load_workbook(io.BytesIO(xlsx.content))["排名"]["B4"].value == "东城区"
    docx = client.get(reverse("rankings:bulletin_docx", args=[ranking.pk]))
    assert docx.status_code == 200 and 'filename="county-2024-04-v1-' in docx["Content-Disposition"]
    assert "南山县" in "\n".join(c.text for row in Document(io.BytesIO(docx.content)).tables[0].rows for c in row.cells)


def test_the_bulletin_shows_completion_against_annual_targets(ranking, city):
    """完成情况: April is a third of the year; A's investment 150 of 600 is 25 % (behind), B's 300 of 600 is
    50 % (ahead of 33.3 %)."""
    from leitai.indicators.models import AnnualTarget

    AnnualTarget.objects.create(unit=city["a"], indicator=city["inv"], year=2024, value=600)
    AnnualTarget.objects.create(unit=city["b"], indicator=city["inv"], year=2024, value=600)
    wb = load_workbook(io.BytesIO(bulletin.bulletin_xlsx(ranking)))
    assert wb.sheetnames == ["排名", "指标明细", "完成情况", "说明"]
    rows = [[c.value for c in row] for row in wb["完成情况"].iter_rows(min_row=4)]
    assert [(r[0], r[2], r[3], round(r[4], 1), round(r[5], 1), r[6]) for r in rows] == [
        ("东城区", 150, 600, 25.0, 33.3, "滞后"), ("西城区", 300, 600, 50.0, 33.3, "超进度")]
    text = "\n".join(p.text for p in Document(io.BytesIO(bulletin.bulletin_docx(ranking))).paragraphs)
    assert "年度目标完成情况" in text
