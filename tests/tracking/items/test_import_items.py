"""Business-help workbooks (助企服务问题): a 313-row file with 5 bad rows is refused with a report naming
each bad cell and nothing written; the clean file imports completely in one transaction."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leitai.tracking.models import Item, Transition

HEADER = ["序号", "问题", "详细描述", "责任单位", "责任人", "办结时限", "优先级", "提出企业/提出人", "联系方式", "来源"]
ROWS = 313
FIRST_DATA_ROW = 3  # row 1 is the table's title, row 2 the header


def workbook(bad: bool) -> bytes:
    """313 requests spread over units A, B, K and D01; with `bad`, 5 rows each carry one mistake."""
    soon = dt.date.today() + dt.timedelta(days=60)
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "助企问题清单"
    ws.append(["2026年第一批助企服务问题清单"])
    ws.append(HEADER)
    units = ["东城区", "西城区", "南山县", "D01"]
    for n in range(1, ROWS + 1):
        ws.append([n, f"企业反映问题第{n}号", f"详细情况{n}", units[n % 4], f"负责人{n}", soon + dt.timedelta(days=n % 30),
                   "高中低"[n % 3], f"某某公司{n}", f"1380000{n:04d}", "企业服务专班"])
    if bad:
        ws.cell(FIRST_DATA_ROW + 10, 4, "北城区")  # unknown unit (row 13, column D)
        ws.cell(FIRST_DATA_ROW + 50, 6, "下个月底")  # bad date (row 53, column F)
        ws.cell(FIRST_DATA_ROW + 100, 2).value = None  # missing title (row 103, column B)
        for col, value in enumerate([201, "企业反映问题第1号", "重复", "西城区"], start=1):  # duplicate of row 3
            ws.cell(FIRST_DATA_ROW + 200, col, value)
        ws.cell(FIRST_DATA_ROW + 300, 6, dt.date(2020, 1, 1))  # deadline before today (row 303, column F)
    notes = book.create_sheet("填表说明")
    notes.append(["每行一个问题"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, data: bytes, name="助企服务问题.xlsx", **extra):
    return client.post(reverse("tracking:import_items"), {"file": SimpleUploadedFile(name, data), **extra})


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_five_bad_rows_are_each_named_by_sheet_row_and_column_and_nothing_is_written(login, organizer, city):
    client = login(organizer)
    before = Item.objects.count()
    response = upload(client, workbook(bad=True))
    problems = response.context["problems"]
    where = {(p["sheet"], p["row"], p["column"]) for p in problems}
    assert where == {("助企问题清单", 13, "D"), ("助企问题清单", 53, "F"), ("助企问题清单", 103, "B"),
                     ("助企问题清单", 203, "B"), ("助企问题清单", 303, "F")}
    page = response.content.decode()
    for text in ("未知的责任单位“北城区”", "无法识别的日期“下个月底”", "缺少问题标题", "与工作表“助企问题清单”第 3 行重复",
                 "早于今天", "工作表“助企问题清单” 第 13 行 D 列（责任单位）"):
        assert text in page
    assert "确认导入" not in page
    # Even a forged confirmation writes nothing: no file was kept for a file with problems.
    client.post(reverse("tracking:import_items"), {"action": "confirm"})
    assert Item.objects.count() == before


def test_the_clean_file_imports_all_313_items_after_the_preview(login, organizer, city):
    client = login(organizer)
    preview = upload(client, workbook(bad=False), public="on")
    assert "确认导入" in preview.content.decode() and not preview.context["problems"]
    assert Item.objects.count() == 0  # the preview writes nothing
    response = client.post(reverse("tracking:import_items"), {"action": "confirm"})
    assert response.status_code == 302
    items = Item.objects.filter(source="business_help")
    assert items.count() == ROWS
    first = items.get(title="企业反映问题第1号")
    assert first.unit == city["b"] and first.priority == "normal" and first.person_name == "负责人1"
    assert first.raised_by == "某某公司1" and first.raised_contact == "13800000001" and first.public
    assert first.source_ref == "企业服务专班" and first.import_batch
    assert Transition.objects.filter(action="assign").count() == ROWS
    assert items.filter(unit__code="D01").count() == 78


def test_one_failure_while_writing_leaves_nothing_behind(login, organizer, city, monkeypatch):
    from leitai.core.errors import LeitaiError
    from leitai.tracking.items import services

    real = services.create_item
    calls = []

    def failing(user, **kw):
        calls.append(1)
        if len(calls) == 200:
            raise LeitaiError("写入失败", "write failed")
        return real(user, **kw)

    monkeypatch.setattr(services, "create_item", failing)
    client = login(organizer)
    upload(client, workbook(bad=False))
    response = client.post(reverse("tracking:import_items"), {"action": "confirm"}, follow=True)
    assert "写入失败" in response.content.decode()
    assert Item.objects.count() == 0


def test_a_csv_file_in_gbk_imports_too(login, organizer, city):
    deadline = (dt.date.today() + dt.timedelta(days=10)).strftime("%Y/%m/%d")
    text = f"标题,责任单位,整改期限,优先级\n道路积水,东城区,{deadline},高\n"
    client = login(organizer)
    upload(client, text.encode("gb18030"), name="问题.csv")
    client.post(reverse("tracking:import_items"), {"action": "confirm"})
    item = Item.objects.get(title="道路积水")
    assert item.priority == "high" and item.unit == city["a"] and item.source == "business_help"


def test_a_file_without_a_deadline_column_is_refused(login, organizer, city):
    response = upload(login(organizer), "问题,责任单位\n道路积水,东城区\n".encode(), name="问题.csv")
    assert "缺少“整改期限/办结时限”列" in response.content.decode()


def test_only_the_organizer_may_import(login, reporter_a, city):
    assert login(reporter_a).get(reverse("tracking:import_items")).status_code == 403
