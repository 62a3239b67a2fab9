"""Pledges held against a reference series: 超过全省平均, 达到全省前N, 超过<外地对标单位> — entered, imported, and
judged once the deadline period's figures are in, with the numbers in the verdict."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from leitai.core.errors import LeitaiError
from leitai.indicators import references
from leitai.indicators.services import set_observation
from leitai.tracking import services
from leitai.tracking.models import Pledge
from leitai.tracking.pledges.importing import import_pledges

pytestmark = pytest.mark.django_db
AFTER = dt.date(2024, 6, 1)


def test_a_pledge_above_the_province_average_is_judged_when_both_figures_are_in(city, organizer):
    april = city["periods"]["2024-04"]
    p = services.create_pledge(organizer, unit=city["a"], text="4月GDP增速超过全省平均", indicator=city["gdp"],
                               reference="average", deadline=april)
    set_observation(organizer, city["a"], city["gdp"], april, 6.1)
    services.judge_pledges(today=AFTER)
    p.refresh_from_db()
    assert p.status == "pending"  # no province average yet
    references.set_reference(organizer, kind="average", indicator=city["gdp"], period="2024-04", value=5.5)
    services.judge_pledges(today=AFTER)
    p.refresh_from_db()
    assert p.status == "kept" and p.verdict_value == 6.1
    assert p.verdict_note == "2024年4月地区生产总值增速 6.1%，全省平均 5.5%，高 0.6 个百分点；承诺超过全省平均，已兑现"
    assert p.reference_target == "超过全省平均"


def test_a_top_n_pledge_reads_the_units_provincial_place(city, organizer):
    april = city["periods"]["2024-04"]
    p = services.create_pledge(organizer, unit=city["a"], text="GDP增速进入全省前3", indicator=city["gdp"],
                               reference="rank", target_value=3, deadline=april)
    references.set_reference(organizer, kind="rank", indicator=city["gdp"], period="2024-04", unit=city["a"], rank=4,
                             total=90)
    services.judge_pledges(today=AFTER)
    p.refresh_from_db()
    assert p.status == "missed" and p.verdict_value == 4
    assert p.verdict_note == "2024年4月地区生产总值增速居全省第 4 位（共 90 个）；承诺达到全省前3，未兑现"


def test_a_peer_pledge_for_a_lower_is_better_indicator(city, organizer):
    april = city["periods"]["2024-04"]
    references.set_reference(organizer, kind="peer", indicator=city["pm25"], period="2024-04", value=38,
                             peer="江苏邳州经济开发区")
    peer = references.ensure_peer("江苏邳州经济开发区")
    p = services.create_pledge(organizer, unit=city["b"], text="PM2.5 优于邳州", indicator=city["pm25"],
                               reference="peer", reference_peer=peer, deadline=april)
    set_observation(organizer, city["b"], city["pm25"], april, 35)
    services.judge_pledges(today=AFTER)
    p.refresh_from_db()
    assert p.status == "kept" and "低 3 微克/立方米（越低越好）" in p.verdict_note


def test_a_reference_pledge_needs_its_parts(city, organizer):
    april = city["periods"]["2024-04"]
    with pytest.raises(LeitaiError, match="N"):
        services.create_pledge(organizer, unit=city["a"], text="x", indicator=city["gdp"], reference="rank",
                               deadline=april)
    with pytest.raises(LeitaiError, match="对标单位"):
        services.create_pledge(organizer, unit=city["a"], text="x", indicator=city["gdp"], reference="peer",
                               deadline=april)
    with pytest.raises(LeitaiError, match="指标"):
        services.create_pledge(organizer, unit=city["a"], text="x", reference="average", deadline=april)
    assert Pledge.objects.count() == 0


def book(rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "承诺"
    ws.append(["单位", "承诺内容", "指标", "比较", "兑现期限"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_pledge_import_reads_reference_targets_in_words(city, organizer):
    references.ensure_peer("江苏邳州经济开发区")
    report = import_pledges(organizer, book([
        ["东城区", "GDP增速超过全省平均", "gdp", "超过全省平均水平", "2024-04"],
        ["西城区", "GDP增速居全省第一", "gdp", "居全省第一", "2024-04"],
        ["南山县", "GDP增速超过邳州", "gdp", "超过江苏邳州经济开发区", "2024-04"],
    ]), "pledges.xlsx")
    assert report["ok"], report["problems"]
    got = {p.unit.code: p for p in Pledge.objects.select_related("unit", "reference_peer")}
    assert (got["A"].reference, got["A"].target_value) == ("average", None)
    assert (got["B"].reference, got["B"].target_value, got["B"].reference_target) == ("rank", 1.0, "居全省第一")
    assert (got["K"].reference, got["K"].reference_peer.name) == ("peer", "江苏邳州经济开发区")


def test_an_unknown_peer_in_the_pledge_import_is_named_and_nothing_is_written(city, organizer):
    report = import_pledges(organizer, book([
        ["东城区", "GDP增速超过全省平均", "gdp", "超过全省平均", "2024-04"],
        ["西城区", "GDP增速超过昆山", "gdp", "超过昆山开发区", "2024-04"],
        ["南山县", "无期限", "gdp", "超过全省平均", None],
    ]), "pledges.xlsx")
    assert not report["ok"]
    found = {(p.row, p.column, p.message_zh) for p in report["problems"]}
    assert found == {(3, "D", "找不到外地对标单位“昆山开发区”（请先在参照数据中录入）"),
                     (4, "D", "对标的承诺须写明兑现期限（期间）")}
    assert Pledge.objects.count() == 0


def test_a_figure_typed_by_hand_settles_a_pledge_due_at_once(city, organizer):
    april = city["periods"]["2024-04"]
    p = services.create_pledge(organizer, unit=city["a"], text="GDP增速超过全省平均", indicator=city["gdp"],
                               reference="average", deadline=april)
    set_observation(organizer, city["a"], city["gdp"], april, 5.0)
    references.set_reference(organizer, kind="average", indicator=city["gdp"], period="2024-04", value=5.5)
    p.refresh_from_db()  # the deadline (April 2024) is long past: judged when the average was saved
    assert p.status == "missed" and "低 0.5 个百分点" in p.verdict_note
