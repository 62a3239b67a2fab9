"""Pledges imported from a workbook: all or nothing, each bad cell named; the list's export imports again."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from leitai.tracking.models import Pledge
from leitai.tracking.pledges.importing import import_pledges

pytestmark = pytest.mark.django_db

HEAD = ["单位", "承诺人", "承诺内容", "指标", "比较", "目标值", "兑现期限", "承诺日期", "公开"]
GOOD = [
    ["东城区", "张三", "4月GDP增速不低于6%", "地区生产总值增速", "≥", 6, "2024-04", "2024-03-15", "是"],
    ["西城区", None, "PM2.5 控制在 30 以内", "pm25", "<=", "30", "2024年4月", None, None],
    ["东城区", None, "年内建成一批口袋公园", None, None, None, None, None, "否"],
]


def book(rows, head=HEAD) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "承诺"
    ws.append(head)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_clean_pledge_table_imports_every_row(city, organizer):
    report = import_pledges(organizer, book(GOOD), "pledges.xlsx")
    assert report["ok"], report["problems"]
    got = {p.text: p for p in Pledge.objects.select_related("unit", "person", "indicator", "deadline")}
    gdp = got["4月GDP增速不低于6%"]
    assert (gdp.unit, gdp.person, gdp.indicator, gdp.comparison, gdp.target_value, gdp.deadline.code) == (
        city["a"], city["person"], city["gdp"], "ge", 6.0, "2024-04")
    assert gdp.made_on == dt.date(2024, 3, 15) and gdp.public and gdp.source == "manual"
    pm = got["PM2.5 控制在 30 以内"]
    assert (pm.unit, pm.indicator, pm.comparison, pm.target_value, pm.deadline.code) == (city["b"], city["pm25"], "le", 30.0,
                                                                                       "2024-04")
    words = got["年内建成一批口袋公园"]
    assert words.indicator is None and words.comparison == "" and not words.public


def test_bad_cells_are_each_named_and_nothing_is_written(city, organizer):
    rows = GOOD + [
        ["不存在的区", None, "承诺", None, None, None, None, None, None],          # row 5: unit
        ["东城区", "李四", "", "gdp", "大于", "abc", "2031Q9", "昨天", "也许"],      # row 6: many cells
        ["西城区", None, "投资达到100亿元", "inv", "=", 100, None, None, None],     # row 7: no deadline
    ]
    report = import_pledges(organizer, book(rows), "pledges.xlsx")
    assert not report["ok"] and Pledge.objects.count() == 0
    where = {(p.row, p.column, p.header) for p in report["problems"]}
    assert (5, "A", "单位") in where
    assert {(6, "B", "承诺人"), (6, "C", "承诺内容"), (6, "E", "比较"), (6, "F", "目标值"), (6, "G", "兑现期限"),
            (6, "H", "承诺日期"), (6, "I", "公开")} <= where
    assert (7, "D", "指标") in where  # a pledge on an indicator needs its deadline
    assert all(p.sheet == "承诺" for p in report["problems"])
    messages = " ".join(p.message("zh-hans") for p in report["problems"])
    assert "找不到单位“不存在的区”" in messages and "兑现期限" in messages


def test_a_reporter_imports_only_for_their_own_unit(city, reporter_a):
    report = import_pledges(reporter_a, book(GOOD), "pledges.xlsx")
    assert not report["ok"] and Pledge.objects.count() == 0
    assert [(p.row, p.column) for p in report["problems"]] == [(3, "A")]
    assert import_pledges(reporter_a, book([GOOD[0], GOOD[2]]), "pledges.xlsx")["ok"]
    assert Pledge.objects.count() == 2


def test_missing_columns_and_an_empty_file_are_reported(city, organizer):
    report = import_pledges(organizer, book([["东城区"]], head=["单位"]), "p.xlsx")
    assert not report["ok"] and "承诺内容" in report["problems"][0].message("zh-hans")
    assert not import_pledges(organizer, book([]), "p.xlsx")["ok"]
    assert not import_pledges(organizer, b"not a workbook", "p.xlsx")["ok"]


def test_the_pledge_list_export_imports_again_through_the_page(login, city, organizer):
    assert import_pledges(organizer, book(GOOD), "pledges.xlsx")["ok"]
    client = login(organizer)
    exported = client.get(reverse("tracking:export_pledges")).content
    Pledge.objects.all().delete()
    page = client.get(reverse("tracking:pledges")).content.decode()
    assert reverse("tracking:import_pledges") in page
    r = client.post(reverse("tracking:import_pledges"),
                    {"file": _upload(exported)}, follow=True)
    assert r.redirect_chain and "已导入 3 项承诺" in r.content.decode()
    assert sorted(Pledge.objects.values_list("text", "comparison")) == [
        ("4月GDP增速不低于6%", "ge"), ("PM2.5 控制在 30 以内", "le"), ("年内建成一批口袋公园", "")]


def test_the_import_page_shows_the_report_and_writes_nothing(login, city, organizer):
    bad = book(GOOD + [["不存在的区", None, "承诺", None, None, None, None, None, None]])
    r = login(organizer).post(reverse("tracking:import_pledges"), {"file": _upload(bad)})
    page = r.content.decode()
    assert r.status_code == 200 and 'id="problems"' in page and "第 5 行" in page and "不存在的区" in page
    assert Pledge.objects.count() == 0


def _upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("pledges.xlsx", data)


def test_english_headers_work_too(city, organizer):
    head = ["Unit", "Pledge", "Indicator", "Comparison", "Target", "Deadline", "Made on", "Public"]
    report = import_pledges(organizer, book([["A", "GDP growth at least 6%", "gdp", ">=", 6, "2024-04", "2024-03-01", "yes"]],
                                            head=head), "pledges.xlsx")
    assert report["ok"], report["problems"]
    p = Pledge.objects.get()
    assert (p.unit, p.indicator, p.comparison, p.deadline.code, p.public) == (city["a"], city["gdp"], "ge", "2024-04", True)
