"""Importing statistics through the web: upload → preview → confirm, all or nothing, per persona."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leitai.indicators.models import ImportBatch, Observation, ObservationRevision, Period


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # uploaded files are kept per batch; keep them out of the data folder


def xlsx(*sheets) -> bytes:
    """A workbook from (title, rows) pairs."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, data: bytes, name="data.xlsx", **fields):
    file = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(reverse("indicators:import"), {"file": file, **fields})


def counts():
    return Observation.objects.count(), ObservationRevision.objects.count(), Period.objects.count()


GOOD = xlsx(("2024年1-5月", [["2024年1-5月主要指标"], ["单位", "地区生产总值增速", "固定资产投资", "PM2.5 浓度"],
                             ["东城区", 5.2, "1,234.5", 35], ["西城区", "6.1%", 800, 40]]))


def test_an_organizer_uploads_previews_and_confirms_a_good_workbook(city, organizer, login):
    client = login(organizer)
    response = upload(client, GOOD)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("indicators:import_preview", args=[batch.pk])
    assert batch.status == "preview" and batch.created_count == 6
    assert counts() == (0, 0, 2)  # previewing writes nothing

    page = client.get(reverse("indicators:import_preview", args=[batch.pk]))
    assert "确认导入" in page.content.decode() and "2024-05" in page.content.decode()

    response = client.post(reverse("indicators:import_preview", args=[batch.pk]), {"action": "confirm"}, follow=True)
    assert "导入成功" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == "committed" and batch.committed_at is not None
    assert counts() == (6, 6, 3)
    period = Period.objects.get(code="2024-05")
    assert (period.kind, period.start.isoformat(), period.end.isoformat()) == ("month", "2024-05-01", "2024-05-31")
    obs = Observation.objects.get(unit=city["a"], indicator=city["inv"], period=period)
    assert obs.value == 1234.5 and obs.updated_by == organizer
    revision = obs.revisions.get()
    assert (revision.old_value, revision.new_value, revision.source, revision.changed_by) == (
        None, 1234.5, f"import:{batch.pk}", organizer)


def test_reimporting_changed_values_records_old_and_new(city, organizer, login):
    client = login(organizer)
    for data in (GOOD, xlsx(("2024年1-5月", [["单位", "gdp", "inv", "pm25"], ["A", 5.2, 1300, 35], ["B", 6.1, 800, 40]]))):
        upload(client, data)
        batch = ImportBatch.objects.order_by("-pk").first()
        client.post(reverse("indicators:import_preview", args=[batch.pk]), {"action": "confirm"})
    batch.refresh_from_db()
    assert (batch.created_count, batch.changed_count) == (0, 1)
    obs = Observation.objects.get(unit=city["a"], indicator=city["inv"], period__code="2024-05")
    assert [(r.old_value, r.new_value) for r in obs.revisions.all()] == [(None, 1234.5), (1234.5, 1300.0)]
    assert ObservationRevision.objects.count() == 7


def test_one_bad_cell_rejects_the_file_with_its_sheet_row_and_column_and_writes_nothing(city, organizer, login):
    client = login(organizer)
    before = counts()
    bad = xlsx(("四月", [["单位", "地区生产总值增速", "固定资产投资"], ["东城区", 5.2, 100], ["西城区", "暂无", 200]]))
    upload(client, bad, period="2024-04")
    batch = ImportBatch.objects.get()
    assert batch.status == "rejected"
    (problem,) = batch.report["problems"]
    assert (problem["sheet"], problem["row"], problem["column"], problem["code"]) == ("四月", 3, "B", "not_a_number")
    page = client.get(reverse("indicators:import_preview", args=[batch.pk])).content.decode()
    assert "四月" in page and "B（地区生产总值增速）" in page and "“暂无”不是数字" in page
    assert "确认导入" not in page
    response = client.post(reverse("indicators:import_preview", args=[batch.pk]), {"action": "confirm"})
    assert response.status_code == 302
    assert counts() == before


def test_the_report_is_in_english_when_the_interface_is_english(city, organizer, login):
    client = login(organizer)
    upload(client, xlsx(("S", [["单位", "gdp"], ["北城区", 1]])), period="2024-04")
    batch = ImportBatch.objects.get()
    page = client.get(reverse("indicators:import_preview", args=[batch.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Unknown unit" in page


def test_a_reporter_importing_another_countys_row_gets_an_error_and_nothing_is_written(city, reporter_a, login):
    client = login(reporter_a)
    before = counts()
    data = xlsx(("S", [["单位", "gdp"], ["东城区", 5], ["西城区", 6]]))
    upload(client, data, period="2024-04")
    batch = ImportBatch.objects.get()
    assert batch.status == "rejected"
    assert [(p["code"], p["row"]) for p in batch.report["problems"]] == [("not_permitted", 3)]
    assert counts() == before


def test_a_reporter_imports_their_own_countys_data(city, reporter_a, login):
    client = login(reporter_a)
    upload(client, xlsx(("S", [["单位", "gdp"], ["东城区", 5]])), period="2024-04")
    batch = ImportBatch.objects.get()
    client.post(reverse("indicators:import_preview", args=[batch.pk]), {"action": "confirm"})
    assert Observation.objects.get(unit=city["a"], indicator=city["gdp"]).value == 5


def test_a_reporter_cannot_see_another_users_batch(city, organizer, reporter_b, login):
    upload(login(organizer), GOOD)
    batch = ImportBatch.objects.get()
    client = login(reporter_b)
    assert client.get(reverse("indicators:import_preview", args=[batch.pk])).status_code == 403
    assert client.post(reverse("indicators:import_preview", args=[batch.pk]), {"action": "confirm"}).status_code == 403
    assert Observation.objects.count() == 0


def test_cancelling_a_preview_writes_nothing(city, organizer, login):
    client = login(organizer)
    upload(client, GOOD)
    batch = ImportBatch.objects.get()
    client.post(reverse("indicators:import_preview", args=[batch.pk]), {"action": "cancel"})
    batch.refresh_from_db()
    assert batch.status == "cancelled" and Observation.objects.count() == 0


def test_a_long_csv_with_bom_is_imported(city, organizer, login):
    client = login(organizer)
    text = "单位名称,指标名称,期间,数值,状态\n东城区,地区生产总值增速,2024年4月,5.5,最终数\n西城区,gdp,2024-04,4.5,\n"
    upload(client, text.encode("utf-8-sig"), name="四月.csv")
    batch = ImportBatch.objects.get()
    assert batch.status == "preview", batch.report
    client.post(reverse("indicators:import_preview", args=[batch.pk]), {"action": "confirm"})
    obs = Observation.objects.get(unit=city["a"], indicator=city["gdp"], period__code="2024-04")
    assert (obs.value, obs.status) == (5.5, "final")


def test_a_gbk_csv_is_imported(city, organizer, login):
    client = login(organizer)
    text = "单位,指标,期间,本期值\n东城区,固定资产投资,2024-03,88\n"
    upload(client, text.encode("gbk"), name="data.csv")
    batch = ImportBatch.objects.get()
    assert batch.status == "preview", batch.report
    assert batch.report["first_rows"][0][:4] == ["东城区", "固定资产投资", "2024-03", 88.0]


def test_the_htmx_upload_answers_with_a_client_redirect(city, organizer, login):
    client = login(organizer)
    file = SimpleUploadedFile("data.xlsx", GOOD)
    response = client.post(reverse("indicators:import"), {"file": file}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("indicators:import_preview", args=[ImportBatch.objects.get().pk])


def test_the_upload_page_has_an_htmx_progress_bar(city, organizer, login):
    page = login(organizer).get(reverse("indicators:import")).content.decode()
    assert 'hx-encoding="multipart/form-data"' in page
    assert '<progress id="upload-progress"' in page and 'src="/static/indicators/import.js"' in page
    from django.contrib.staticfiles import finders

    assert "htmx:xhr:progress" in Path(finders.find("indicators/import.js")).read_text(encoding="utf-8")


def test_a_bad_period_and_a_wrong_file_type_are_form_errors(city, organizer, login):
    client = login(organizer)
    page = upload(client, GOOD, period="上个月").content.decode()
    assert "无法识别的期间" in page
    page = upload(client, b"x", name="data.pdf").content.decode()
    assert "只接受 .xlsx 或 .csv 文件" in page
    assert ImportBatch.objects.count() == 0


def test_an_old_xls_file_is_rejected_with_a_clear_message(city, organizer, login):
    upload(login(organizer), b"\xd0\xcf\x11\xe0" + b"\0" * 100, name="old.xlsx")
    batch = ImportBatch.objects.get()
    assert batch.status == "rejected" and "另存为 .xlsx" in batch.report["problems"][0]["message_zh"]


def test_the_import_history_lists_batches(city, organizer, reporter_a, login):
    upload(login(organizer), GOOD)
    assert "data.xlsx" in login(organizer).get(reverse("indicators:batches")).content.decode()
    assert "data.xlsx" not in login(reporter_a).get(reverse("indicators:batches")).content.decode()


@pytest.mark.parametrize("name", ["indicators:import", "indicators:batches", "indicators:entry"])
def test_anonymous_visitors_are_sent_to_sign_in(client, city, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_judges_cannot_import(city, judge, login):
    assert login(judge).get(reverse("indicators:import")).status_code == 403


def test_the_wide_template_lists_units_and_indicators_and_imports_back(city, organizer, login):
    client = login(organizer)
    response = client.get(reverse("indicators:template"), {"period": "2024-06", "kind": "county"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = book.worksheets[0]
    assert ws.cell(2, 1).value == "单位名称"
    assert [c.value for c in ws[2]][1:] == ["地区生产总值增速", "固定资产投资", "PM2.5 浓度"]
    assert [ws.cell(r, 1).value for r in (3, 4, 5)] == ["东城区", "西城区", "南山县"]
    for r in (3, 4, 5):
        for c in (2, 3, 4):
            ws.cell(r, c, 10)
    out = io.BytesIO()
    book.save(out)
    upload(client, out.getvalue(), name="filled.xlsx")
    batch = ImportBatch.objects.get()
    assert batch.status == "preview" and batch.report["periods"] == ["2024-06"] and batch.created_count == 9


def test_a_reporters_template_lists_only_their_units(city, reporter_a, login):
    response = login(reporter_a).get(reverse("indicators:template"), {"period": "2024-06", "kind": "county"})
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [row[0] for row in ws.iter_rows(min_row=3, values_only=True)] == ["东城区"]


def test_a_failure_while_writing_rolls_everything_back(city, organizer, login, monkeypatch):
    from leitai.indicators import services

    client = login(organizer)
    upload(client, GOOD)
    batch = ImportBatch.objects.get()
    before = counts()
    real_insert = services._insert

    def failing_insert(model, fields, rows):
        if model is ObservationRevision:  # observations and the new period are already written by now
            raise RuntimeError("disk full")
        return real_insert(model, fields, rows)

    monkeypatch.setattr(services, "_insert", failing_insert)
    with pytest.raises(RuntimeError):
        services.commit_import(batch, organizer)
    assert counts() == before
    batch.refresh_from_db()
    assert batch.status == "preview"


def test_a_commit_revalidates_and_rejects_when_the_catalogue_changed(city, organizer, login):
    from leitai.indicators import services

    upload(login(organizer), GOOD)
    batch = ImportBatch.objects.get()
    city["inv"].plausible_max = 100
    city["inv"].save()
    batch = services.commit_import(batch, organizer)
    assert batch.status == "rejected" and batch.report["problems"][0]["code"] == "out_of_range"
    assert Observation.objects.count() == 0
