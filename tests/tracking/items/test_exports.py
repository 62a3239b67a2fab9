"""Excel exports of the item list (as filtered) and of the pledges, per role."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from leitai.tracking.models import Pledge


def sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_the_organizer_exports_every_item_with_the_raisers_contact(login, organizer, items):
    rows = sheet(login(organizer).get(reverse("tracking:export_items")))
    assert rows[0][:3] == ["编号", "问题", "详细描述"] and rows[0][-1] == "联系方式"
    assert {r[0] for r in rows[1:]} == {i.code for i in items.values()}
    late = next(r for r in rows if r[0] == items["b_late"].code)
    assert late[3] == "助企服务问题" and late[4] == "西城区" and late[8] == "整改中" and late[11] == "某某科技有限公司"


def test_the_export_follows_the_lists_filters(login, organizer, items):
    rows = sheet(login(organizer).get(reverse("tracking:export_items"), {"state": "closed"}))
    assert {r[0] for r in rows[1:]} == {items["a_done"].code, items["b_done_late"].code}


def test_a_reporter_exports_only_their_units_items_without_contacts(login, reporter_b, items):
    rows = sheet(login(reporter_b).get(reverse("tracking:export_items")))
    assert "联系方式" not in rows[0]
    assert {r[0] for r in rows[1:]} == {items["b_late"].code, items["b_done_late"].code}


def test_the_pledge_export_holds_the_verdicts(login, organizer, city):
    Pledge.objects.create(unit=city["a"], text="年内新增就业 1 万人", status="missed", verdict_note="实际 0.8 万人")
    rows = sheet(login(organizer).get(reverse("tracking:export_pledges")))
    assert rows[0][:3] == ["单位", "承诺人", "承诺内容"]
    assert rows[1][0] == "东城区" and rows[1][2] == "年内新增就业 1 万人" and rows[1][8] == "未兑现"


@pytest.mark.parametrize("url", ["tracking:export_items", "tracking:export_pledges"])
def test_judges_cannot_export(login, judge, url, city):
    assert login(judge).get(reverse(url)).status_code == 403


def test_the_pledge_export_follows_the_status_filter(login, organizer, city):
    Pledge.objects.create(unit=city["a"], text="已兑现的承诺", status="kept")
    Pledge.objects.create(unit=city["b"], text="待核验的承诺")
    rows = sheet(login(organizer).get(reverse("tracking:export_pledges"), {"status": "kept"}))
    assert [r[2] for r in rows[1:]] == ["已兑现的承诺"]
