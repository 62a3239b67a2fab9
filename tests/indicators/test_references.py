"""External reference series (全省平均, 全省排名, 外地对标单位): imported through the data import (same reader, same
checks, same batches), typed by hand, exported; every change kept as a revision."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leitai.core.errors import DataError
from leitai.indicators import references, services
from leitai.indicators.models import (
    ImportBatch,
    Observation,
    Reference,
    ReferencePeer,
    ReferenceRevision,
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def xlsx(*sheets) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HEADER = ["参照类型", "单位", "指标", "期间", "数值", "排名", "参与排名数", "对标单位"]
GOOD = xlsx(("参照数据", [
    HEADER,
    ["全省平均", None, "地区生产总值增速", "2024-04", 5.5, None, None, None],
    ["全省平均", None, "pm25", "2024-04", 38, None, None, None],
    ["全省排名", "东城区", "gdp", "2024-04", 6.1, 3, 90, None],
    ["对标单位", "西城区", "gdp", "2024-04", "7.0%", None, None, "江苏邳州经济开发区"],
]), ("统计数据", [["单位", "指标", "期间", "数值"], ["东城区", "gdp", "2024-04", 6.1]]))


def upload(client, data: bytes, name="refs.xlsx", **fields):
    file = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(reverse("indicators:import"), {"file": file, **fields})


def test_an_organizer_imports_reference_figures_with_the_data_in_one_batch(city, organizer, login):
    client = login(organizer)
    upload(client, GOOD)
    batch = ImportBatch.objects.get()
    assert batch.status == "preview" and batch.report["references"] == 4 and batch.report["ref_new"] == 4
    assert Reference.objects.count() == 0  # previewing writes nothing
    page = client.get(reverse("indicators:import_preview", args=[batch.pk])).content.decode()
    assert "参照数据" in page and "江苏邳州经济开发区" in page and "全省排名" in page

    client.post(reverse("indicators:import_preview", args=[batch.pk]), {"action": "confirm"})
    batch.refresh_from_db()
    assert batch.status == "committed" and batch.created_count == 5  # one value and four reference figures
    assert Observation.objects.get().value == 6.1
    avg = Reference.objects.get(kind="average", indicator=city["gdp"])
    assert avg.value == 5.5 and avg.unit is None and avg.peer is None
    rank = Reference.objects.get(kind="rank")
    assert (rank.unit, rank.rank, rank.total, rank.value) == (city["a"], 3, 90, 6.1)
    peer = Reference.objects.get(kind="peer")
    assert peer.peer.name == "江苏邳州经济开发区" and peer.value == 7.0
    assert list(peer.peer.units.all()) == [city["b"]]  # 西城区 对标 the peer
    assert ReferenceRevision.objects.filter(source=f"import:{batch.pk}").count() == 4


def test_a_second_import_keeps_the_history_of_a_changed_figure(city, organizer):
    first = services.preview_import(GOOD, "refs.xlsx", organizer)
    services.commit_import(first, organizer)
    changed = xlsx(("参照", [HEADER, ["全省平均", None, "gdp", "2024-04", 5.7, None, None, None],
                             ["全省平均", None, "pm25", "2024-04", 38, None, None, None]]))
    second = services.preview_import(changed, "refs2.xlsx", organizer)
    assert (second.report["ref_new"], second.report["ref_changed"], second.report["ref_unchanged"]) == (0, 1, 1)
    services.commit_import(second, organizer)
    avg = Reference.objects.get(kind="average", indicator=city["gdp"])
    assert avg.value == 5.7
    history = [(r.old_value, r.new_value, r.source) for r in avg.revisions.order_by("id")]
    assert history == [(None, 5.5, f"import:{first.pk}"), (5.5, 5.7, f"import:{second.pk}")]
    assert Reference.objects.get(kind="average", indicator=city["pm25"]).revisions.count() == 1  # unchanged: no revision


BAD = xlsx(("参照", [
    HEADER,
    ["全省平均", "东城区", "gdp", "2024-04", 5.5, None, None, None],      # 2: an average names no unit
    ["全省排名", "东城区", "gdp", "2024-04", None, "第三", 90, None],      # 3: rank not a number
    ["全省排名", "东城区", "gdp", "2024-04", None, 95, 90, None],          # 4: rank above the total
    ["对标单位", None, "gdp", "2024-04", 7, None, None, None],             # 5: peer without a name
    ["省外", None, "gdp", "2024-04", 7, None, None, None],                 # 6: unknown kind
    ["全省平均", None, "gdp", "2024-04", 99, None, None, None],            # 7: outside the plausible range
    ["全省平均", None, "pm25", "2024-04", None, None, None, None],         # 8: no value
    ["全省平均", None, "pm25", "2024-04", 40, None, None, None],           # 9: fine
    ["全省平均", None, "pm25", "2024-04", 41, None, None, None],           # 10: repeats row 9
]), ("统计数据", [["单位", "指标", "期间", "数值"], ["东城区", "gdp", "2024-04", 6.1]]))


def test_bad_rows_are_reported_precisely_in_chinese_and_nothing_is_written(city, organizer, login):
    client = login(organizer)
    upload(client, BAD, name="省参照.xlsx")
    batch = ImportBatch.objects.get()
    assert batch.status == "rejected"
    found = {(p["row"], p["column"], p["message_zh"]) for p in batch.report["problems"]}
    assert found == {
        (2, "B", "全省平均不属于某个单位：请清空“单位”列"),
        (3, "F", "名次“第三”应为正整数（如 3）"),
        (4, "G", "名次 95 大于参与排名数 90"),
        (5, "H", "外地对标单位须填写对标单位名称（如 江苏邳州经济开发区）"),
        (6, "A", "参照类型“省外”无法识别（应为 全省平均、全省排名 或 对标单位）"),
        (7, "E", "数值 99 超出“地区生产总值增速”的合理范围 [-30, 50]"),
        (8, "E", "缺少数值"),
        (10, "A", "与第 9 行重复：同一参照数据出现两次"),
    }
    assert {p["sheet"] for p in batch.report["problems"]} == {"参照"}
    page = client.get(reverse("indicators:import_preview", args=[batch.pk])).content.decode()
    assert "第三" in page and "未写入任何数据" in page
    assert Reference.objects.count() == 0 and Observation.objects.count() == 0 and ReferencePeer.objects.count() == 0


def test_a_reporter_may_not_import_reference_figures(city, reporter_a, login):
    client = login(reporter_a)
    upload(client, xlsx(("参照", [HEADER, ["全省平均", None, "gdp", "2024-04", 5.5, None, None, None]])))
    batch = ImportBatch.objects.get()
    assert batch.status == "rejected"
    assert [p["message_zh"] for p in batch.report["problems"]] == ["参照数据（全省平均、全省排名、外地对标单位）只能由考核办导入"]


def test_the_command_line_imports_a_reference_csv(city, tmp_path):
    path = tmp_path / "参照.csv"
    path.write_text("参照类型,指标,期间,数值,对标单位\n对标单位,gdp,2024-04,7.2,江苏邳州经济开发区\n", encoding="utf-8")
    batch = services.import_file(path)
    assert batch.status == "committed"
    assert Reference.objects.get().value == 7.2


def test_one_figure_typed_by_hand_obeys_the_import_rules(city, organizer, reporter_a):
    ref = references.set_reference(organizer, kind="rank", indicator=city["gdp"], period="2024-04", rank=1, total=90,
                                   unit=city["a"])
    assert (ref.rank, ref.total, ref.unit) == (1, 90, city["a"]) and ref.revisions.count() == 1
    with pytest.raises(DataError) as err:
        references.set_reference(organizer, kind="average", indicator=city["gdp"], period="2024-04", value=120)
    assert "合理范围" in err.value.zh
    with pytest.raises(DataError) as err:
        references.set_reference(organizer, kind="rank", indicator=city["gdp"], period="2024-04", unit=city["a"])
    assert "名次" in err.value.zh
    with pytest.raises(PermissionDenied):
        references.set_reference(reporter_a, kind="average", indicator=city["gdp"], period="2024-04", value=5)
    assert Reference.objects.count() == 1


def test_the_api_reports_an_import_batch_with_its_problems_to_its_uploader_only(city, organizer, reporter_a, login):
    client = login(organizer)
    upload(client, BAD, name="省参照.xlsx")
    batch = ImportBatch.objects.get()
    status = client.get(f"/api/v1/data/imports/{batch.pk}").json()
    assert status["status"] == "rejected" and status["problem_count"] == 8 and status["references"] == 1  # the one sound row, not written
    assert {"sheet": "参照", "row": 3, "column": "F", "header": "排名", "code": "bad_rank",
            "message_zh": "名次“第三”应为正整数（如 3）", "message_en": "Rank '第三' must be a whole number from 1"} \
        in status["problems"]
    other = login(reporter_a)
    assert other.get(f"/api/v1/data/imports/{batch.pk}").status_code == 403
    assert other.get("/api/v1/data/imports/999999").status_code == 404


def test_the_hand_form_saves_one_figure_and_reports_a_bad_one_in_chinese(city, organizer, login):
    client = login(organizer)
    url = reverse("indicators:references")
    response = client.post(url, {"kind": "peer", "indicator": city["gdp"].pk, "period": "2024年4月", "value": "7.5",
                                 "peer": "江苏邳州经济开发区", "unit": city["a"].pk})
    assert response.status_code == 302
    ref = Reference.objects.get()
    assert (ref.peer.name, ref.value, ref.period.code) == ("江苏邳州经济开发区", 7.5, "2024-04")
    assert list(ref.peer.units.all()) == [city["a"]]
    page = client.post(url, {"kind": "average", "indicator": city["gdp"].pk, "period": "2024-04", "value": "很多"})
    assert "“很多”不是数字" in page.content.decode() and Reference.objects.count() == 1
    history = client.get(reverse("indicators:reference_history", args=[ref.pk])).content.decode()
    assert "7.5" in history and "web" in history
