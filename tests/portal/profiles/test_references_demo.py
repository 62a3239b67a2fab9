"""The demo's reference series reach the pages: the ranking board's 全省对标 rows, a unit's 全省与外地对标 table,
the pledge held against the province's average with its numbers, the reference list, its export and the API."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from leitai.core.ranking import references as refs
from leitai.demo.references import PEER
from leitai.indicators.models import Observation, Reference, ReferencePeer
from leitai.tracking.models import Pledge

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_demo_imports_averages_ranks_and_a_peer(demo):
    assert demo["references"]["references"] > 0
    assert Reference.objects.filter(kind="average").values("indicator").distinct().count() == 4
    assert Reference.objects.filter(kind="rank", rank=1).count() == 1
    peer = ReferencePeer.objects.get(name=PEER)
    assert peer.units.count() == 1 and peer.units.get().kind == "zone"


def test_the_board_shows_the_province_average_row(demo, client):
    page = client.get(reverse("rankings:board") + "?plan=county-hq").content.decode()
    assert 'id="board-references"' in page and "全省平均" in page and PEER in page
    # the count of units above the average is the pure rule's, over the board's own values
    assert "第 1 位/90" in page


def test_the_unit_page_sets_the_zone_beside_the_province_and_its_peer(demo, client):
    zone = ReferencePeer.objects.get(name=PEER).units.get()
    page = client.get(reverse("units:detail", args=[zone.code])).content.decode()
    section = page[page.index('id="outside-benchmark"'):]
    assert PEER in section and "全省平均" in section
    ref = Reference.objects.filter(kind="peer", peer__name=PEER).order_by("-period__start").first()
    mine = Observation.objects.get(unit=zone, indicator=ref.indicator, period=ref.period).value
    zh, _en = refs.gap_words(mine, ref.value, ref.indicator.measure)
    assert zh in section  # the gap to the peer, in words


def test_the_demo_pledge_against_the_province_average_is_judged_with_its_numbers(demo):
    p = Pledge.objects.get(reference="average")
    avg = Reference.objects.get(kind="average", indicator=p.indicator, period=p.deadline)
    mine = Observation.objects.get(unit=p.unit, indicator=p.indicator, period=p.deadline).value
    assert p.status == ("kept" if mine > avg.value else "missed")
    assert f"{mine:g}%" in p.verdict_note and f"全省平均 {avg.value:g}%" in p.verdict_note
    assert "承诺超过全省平均" in p.verdict_note


def test_the_reference_list_export_and_api(demo, client, django_user_model):
    client.force_login(django_user_model.objects.get(username="kaohe"))
    page = client.get(reverse("indicators:references") + "?kind=peer").content.decode()
    assert PEER in page and 'id="reference-add"' in page
    data = client.get(reverse("indicators:reference_export") + "?kind=average").content
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("参照类型", "单位", "指标", "期间", "数值")
    assert len(rows) - 1 == Reference.objects.filter(kind="average").count()
    api = client.get("/api/v1/data/references?kind=rank&limit=3").json()
    assert len(api) == 3 and api[0]["kind"] == "rank" and api[0]["total"] == 90
    assert client.get("/api/v1/data/references?kind=other").status_code == 422
