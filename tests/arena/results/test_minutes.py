"""The minutes (纪要) of a published arena, .docx and PDF: the sections as an office files them, the result
table equal to the published rows (a judge group with fewer than 3 counted sheets hidden), the records of the
day; refused before publication; downloadable by whoever may see the published results."""

from __future__ import annotations

import datetime as dt
import io

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from django.urls import reverse
from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from leitai.arena import services
from leitai.arena.models import Arena
from leitai.arena.results import minutes, selectors

from .test_pages_results import score

pytestmark = pytest.mark.django_db

HEADINGS = ["一、出场顺序", "二、评分结果", "三、考问情况", "四、点评意见", "五、短板问题及整改要求", "六、承诺事项（军令状）"]


@pytest.fixture
def published(arena, organizer, contestants, panel, sheet, stage_to, reporter_a):
    services.save_submission(contestants["A"], reporter_a, [
        {"kind": "shortcoming", "text": "工业投资增速偏低"},
        {"kind": "pledge", "text": "上半年开工83个项目", "indicator": "inv", "comparison": "ge",
         "target_value": 83, "deadline": "2024-04"},
    ])
    score(arena, organizer, contestants, panel, sheet, stage_to)
    services.record_question(contestants["B"], organizer, "招商引资为何落后？", asker="王市长", answer="下半年补齐")
    comment = services.record_comment(contestants["K"], organizer, "文旅短板要补齐", author="市长")
    services.raise_shortcoming(arena, organizer, "文旅项目推进慢", contestants["K"].unit, dt.date(2024, 6, 30),
                               contestant=contestants["K"], comment=comment)
    return services.publish_results(Arena.objects.get(pk=arena.pk), organizer)


def _docx(data: bytes):
    return Document(io.BytesIO(data))


def _texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def _table_after(doc, heading: str):
    """The table right after the heading `heading` (None when the section has no table)."""
    blocks = list(doc.iter_inner_content())
    at = next(n for n, b in enumerate(blocks) if isinstance(b, Paragraph) and b.text == heading)
    for b in blocks[at + 1:]:
        if isinstance(b, Table):
            return b
        if b.style.name == "Heading 1":
            return None
    return None


def _rows(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def test_the_docx_has_the_office_layout_and_the_published_results(published):
    doc = _docx(minutes.minutes_docx(published))
    texts = _texts(doc)
    assert texts[0] == "2024年第一季度书记擂台纪要"
    assert any(t.startswith("时间：2024年4月10日") for t in texts) and "地点：市行政中心大礼堂" in texts
    assert [t for t in texts if t in HEADINGS] == HEADINGS
    assert texts[-2:] == ["示范市考核办", minutes.cn_date(published.published_at)]
    # Judges by group among the participants.
    assert any(t.startswith("参加人员：市领导评委：L1（市领导）") and "社会各界代表评委：P1" in t and "P5" in t for t in texts)

    order = _rows(_table_after(doc, "一、出场顺序"))
    assert [r[1] for r in order[1:]] == ["东城区", "西城区", "南山县"]

    result = _rows(_table_after(doc, "二、评分结果"))
    assert result[0] == ["名次", "单位", "登台人", "得分", "市领导", "社会各界代表", "评分表", "计入考绩"]
    published_rows = selectors.results_state(Arena.objects.get(pk=published.pk))["rows"]
    # Every judge gives each contestant the same marks: the rank intervals collapse to the rank.
    assert [r[:4] for r in result[1:]] == [[f"{r['rank']}（{r['rank']}）", r["unit_name"], f"{r['title']} {r['person']}".strip() or "—",
                                           f"{r['score']:.3f}"] for r in published_rows]
    assert [r[1] for r in result[1:]] == ["东城区", "西城区", "南山县"]
    assert [r[6] for r in result[1:]] == [str(r["sheets"]) for r in published_rows] == ["7", "8", "8"]
    assert [r[7] for r in result[1:]] == ["+2", "+1", "-1"]
    # L3 is recused from A: the leaders counted 2 sheets for A, so that group score is not published.
    assert result[1][4] == "—" and result[1][5] == "9.000"
    assert result[2][4] == "8.000" and result[3][4] == "7.000"
    assert any("不足 3 份" in t for t in texts)

    questions = _rows(_table_after(doc, "三、考问情况"))
    assert questions[1] == ["西城区", "王市长", "招商引资为何落后？", "下半年补齐"]
    comments = _rows(_table_after(doc, "四、点评意见"))
    assert comments[1] == ["南山县", "市长", "文旅短板要补齐"]
    shortcomings = _rows(_table_after(doc, "五、短板问题及整改要求"))
    assert shortcomings[0] == ["序号", "参赛单位", "问题", "责任单位", "整改期限", "整改情况"]
    assert ["1", "东城区", "工业投资增速偏低", "东城区", "—", "未转入督办"] in shortcomings
    assert ["2", "南山县", "文旅项目推进慢（市长点评）", "南山县", "2024-06-30", "未转入督办"] in shortcomings
    pledges = _rows(_table_after(doc, "六、承诺事项（军令状）"))
    assert pledges[1][1:3] == ["东城区", "上半年开工83个项目"] and pledges[1][4] == "2024-04"


def test_the_docx_tables_have_borders_and_the_footer_a_page_number(published):
    doc = _docx(minutes.minutes_docx(published))
    assert all(t.style.name == "Table Grid" for t in doc.tables)
    footer = doc.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "fldChar" in footer
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.top_margin.mm) == 37


def test_the_pdf_shows_the_title_every_unit_and_the_scores(published):
    data = minutes.minutes_pdf(published)
    pdf = pdfium.PdfDocument(data)
    try:
        assert len(pdf) >= 1
        text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
        last = len(pdf)
    finally:
        pdf.close()
    flat = text.replace("\r", "").replace("\n", "")
    assert "2024年第一季度书记擂台纪要" in flat
    for name in ("东城区", "西城区", "南山县"):
        assert name in flat
    for value in ("9.000", "8.000", "7.000"):
        assert value in flat
    assert "一、出场顺序" in flat and "招商引资为何落后" in flat and "上半年开工83个项目" in flat
    assert f"— {last} —" in text


def test_the_pdf_runs_to_more_pages_with_a_long_record(arena, organizer, contestants, panel, sheet, stage_to):
    score(arena, organizer, contestants, panel, sheet, stage_to)
    for n in range(60):
        services.record_question(contestants["A"], organizer, f"第{n}个问题" + "详细情况" * 20, asker="评委",
                                 answer="回答" * 30)
    published = services.publish_results(Arena.objects.get(pk=arena.pk), organizer)
    pdf = pdfium.PdfDocument(minutes.minutes_pdf(Arena.objects.get(pk=published.pk)))
    try:
        pages = len(pdf)
        last = pdf[pages - 1].get_textpage().get_text_range()
    finally:
        pdf.close()
    assert pages >= 3
    assert f"— {pages} —" in last


def test_the_same_data_gives_the_same_bytes(published):
    again = Arena.objects.get(pk=published.pk)
    assert minutes.minutes_docx(published) == minutes.minutes_docx(again)
    assert minutes.minutes_pdf(published) == minutes.minutes_pdf(again)


def test_an_unpublished_arena_has_no_minutes(login, client, organizer, arena, contestants, panel, sheet, stage_to):
    from leitai.core.errors import LeitaiError

    score(arena, organizer, contestants, panel, sheet, stage_to, codes=("A",))
    with pytest.raises(LeitaiError):
        minutes.minutes_docx(arena)
    for name in ("arena:minutes_docx", "arena:minutes_pdf"):
        url = reverse(name, args=[arena.pk])
        response = login(organizer).get(url)
        assert response.status_code == 409
        assert "结果发布后" in response.content.decode()
        assert response["Content-Type"].startswith("text/html")


def test_who_may_download_is_who_may_see_the_published_results(client, login, public_user, arena, published):
    for name, ext, kind in (("arena:minutes_docx", "docx", "wordprocessingml"), ("arena:minutes_pdf", "pdf", "pdf")):
        url = reverse(name, args=[published.pk])
        for c in (client, login(public_user)):
            response = c.get(url)
            assert response.status_code == 200
            assert kind in response["Content-Type"]
            assert f'filename="arena-{published.pk}-minutes.{ext}"' in response["Content-Disposition"]
    page = client.get(reverse("arena:results", args=[published.pk])).content.decode()
    assert reverse("arena:minutes_docx", args=[published.pk]) in page
    assert reverse("arena:minutes_pdf", args=[published.pk]) in page


def test_the_public_gets_nothing_of_an_arena_in_preparation(client, arena):
    assert client.get(reverse("arena:minutes_pdf", args=[arena.pk])).status_code == 404


def test_the_cli_writes_the_minutes(published, tmp_path):
    from leitai.commands.arena import arena as arena_cli

    out = tmp_path / "纪要.docx"
    result = CliRunner().invoke(arena_cli, ["minutes", str(published.pk), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert _texts(_docx(out.read_bytes()))[0] == "2024年第一季度书记擂台纪要"
    pdf_out = tmp_path / "m.pdf"
    assert CliRunner().invoke(arena_cli, ["minutes", str(published.pk), "--out", str(pdf_out)]).exit_code == 0
    assert pdf_out.read_bytes().startswith(b"%PDF")
    bad = CliRunner().invoke(arena_cli, ["minutes", str(published.pk), "--out", str(tmp_path / "m.txt")])
    assert bad.exit_code == 2 and ".docx" in bad.output


def test_without_the_system_font_the_pdf_uses_the_built_in_one(published, monkeypatch, tmp_path):
    monkeypatch.setattr(minutes, "CJK_TTF", str(tmp_path / "missing.ttc"))
    data = minutes.minutes_pdf(published)
    assert b"STSong-Light" in data and b"LeitaiCJK" not in data
    pdf = pdfium.PdfDocument(data)
    try:
        text = pdf[0].get_textpage().get_text_range()
    finally:
        pdf.close()
    assert "书记擂台纪要" in text.replace("\r\n", "")


def test_the_embedded_font_is_the_systems_when_present(published):
    if not (minutes.os.path.exists(minutes.CJK_TTF)):
        pytest.skip("no WenQuanYi font on this system")
    assert b"FontFile2" in minutes.minutes_pdf(published)


def test_corrections_are_minuted(published, organizer):
    from leitai.arena.results import corrections

    corrections.correct_points(published, organizer, "K", 0, "末位扣分不适用：并列情形复核")
    doc = _docx(minutes.minutes_docx(Arena.objects.get(pk=published.pk)))
    assert "七、结果更正" in _texts(doc)
    fixes = _rows(_table_after(doc, "七、结果更正"))
    assert fixes[1][0] == "2" and "南山县：-1 → —" in fixes[1][2] and fixes[1][3] == "末位扣分不适用：并列情形复核"
    result = _rows(_table_after(doc, "二、评分结果"))
    assert result[3][1] == "南山县" and result[3][7] == "—（已撤销）"
    assert any(t.startswith("以下为第 2 版结果") for t in _texts(doc))


def test_a_ranking_arena_has_minutes_with_group_ranks(arena, organizer, contestants, panel, stage_to):
    order = {"L1": "ABK", "L2": "BAK", "P1": "ABK", "P2": "ABK", "P3": "BAK", "P4": "KAB", "P5": "AKB"}
    services.set_ranking_rules(arena, organizer, "rank")
    for code in ("A", "B", "K"):
        services.advance(stage_to(contestants[code], "speech", organizer), "scoring_closed", organizer)
    services.set_ranking(Arena.objects.get(pk=arena.pk), organizer, "open")
    for name, ranks in order.items():
        services.submit_ranking(panel.judges[name], {contestants[c].pk: n for n, c in enumerate(ranks, 1)})
    services.set_ranking(Arena.objects.get(pk=arena.pk), organizer, "closed")
    services.reveal_all(Arena.objects.get(pk=arena.pk), organizer)
    published = services.publish_results(Arena.objects.get(pk=arena.pk), organizer)
    result = _rows(_table_after(_docx(minutes.minutes_docx(published)), "二、评分结果"))
    assert result[0][3:6] == ["积分", "市领导（组内名次）", "社会各界代表（组内名次）"]
    # Two leaders ranked (L3 is recused from A): their group ranks are not published; the public's are.
    assert [r[1:6] for r in result[1:]] == [["东城区", "区委书记 张三", "3.000", "—", "1"],
                                           ["西城区", "—", "2.000", "—", "2"],
                                           ["南山县", "—", "1.000", "—", "3"]]
    # Each rank with its interval (the bootstrap over the judges' rankings, stored at publication).
    stored = published.result["uncertainty"]["rows"]

    def shown(code: str) -> str:
        rank, _median, lo, hi = stored[code]
        return f"{rank}（{lo if lo == hi else f'{lo}–{hi}'}）"

    assert [r[0] for r in result[1:]] == [shown("A"), shown("B"), shown("K")]


def test_the_minutes_are_english_for_an_english_reader(published):
    from django.utils import translation

    with translation.override("en"):
        doc = _docx(minutes.minutes_docx(published))
    texts = _texts(doc)
    assert texts[0] == "Minutes of 2024年第一季度书记擂台"
    assert "二、Scores" in texts and "五、Shortcomings and their rectification" in texts
    assert _rows(_table_after(doc, "二、Scores"))[0][:4] == ["Rank", "Unit", "Presenter", "Score"]
