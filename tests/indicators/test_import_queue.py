"""The import's long parts run in the queue (leitai.queue, immediate in tests): the page follows them with a
progress bar, a confirmed batch is written once, a broken task rejects its batch, a stopped worker's batches
are resumed — and hostile files are refused quickly, in Chinese, through every import."""

from __future__ import annotations

import time
import tracemalloc

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leitai import queue
from leitai.core.errors import DataError
from leitai.indicators import selectors, services, tasks
from leitai.indicators.models import ImportBatch, Observation
from tests.spreadsheets import bombs

from .test_import import GOOD, upload


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_while_the_queue_checks_the_page_shows_a_progress_bar_that_polls(city, organizer, login):
    client = login(organizer)
    batch = services.start_import(GOOD, "data.xlsx", organizer)  # stored, not yet checked
    page = client.get(reverse("indicators:import_preview", args=[batch.pk])).content.decode()
    assert "排队等候处理" in page and "确认导入" not in page
    assert f'hx-get="{reverse("indicators:import_progress", args=[batch.pk])}"' in page and 'hx-trigger="every 1s"' in page

    queue.set_progress(selectors.progress_key(batch.pk), "reading", 30, 120)
    fragment = client.get(reverse("indicators:import_progress", args=[batch.pk]), HTTP_HX_REQUEST="true")
    assert "正在读取和校验文件 · 25%" in fragment.content.decode() and 'value="25"' in fragment.content.decode()

    tasks.check(batch.pk)
    done = client.get(reverse("indicators:import_progress", args=[batch.pk]), HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"  # the page reloads and shows the preview
    assert "确认导入" in client.get(reverse("indicators:import_preview", args=[batch.pk])).content.decode()
    assert queue.progress(selectors.progress_key(batch.pk)) is None


def test_the_progress_bar_speaks_english_when_english_is_chosen(city, organizer, login):
    client = login(organizer)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    batch = services.start_import(GOOD, "data.xlsx", organizer)
    queue.set_progress(selectors.progress_key(batch.pk), "reading", 1, 2)
    bar = client.get(reverse("indicators:import_progress", args=[batch.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "Reading and checking the file · 50%" in bar and "Refresh" in bar
    assert "Checking" in client.get(reverse("indicators:batches")).content.decode()  # the batch's status


def test_a_confirmed_batch_is_written_once_and_the_page_says_so(city, organizer, login):
    client = login(organizer)
    upload(client, GOOD)
    batch = ImportBatch.objects.get()
    page = client.post(reverse("indicators:import_preview", args=[batch.pk]), {"action": "confirm"}, follow=True)
    assert "导入成功：新增 6 个数值" in page.content.decode()
    batch.refresh_from_db()
    assert batch.status == "committed" and Observation.objects.count() == 6
    with pytest.raises(DataError, match="已导入"):
        services.request_commit(batch, organizer)
    again = client.post(reverse("indicators:import_preview", args=[batch.pk]), {"action": "confirm"}, follow=True)
    assert "不能导入" in again.content.decode() and Observation.objects.count() == 6


def test_while_the_queue_writes_the_bar_follows_the_writing(city, organizer, login):
    client = login(organizer)
    upload(client, GOOD)
    batch = services.request_commit(ImportBatch.objects.get(), organizer)  # confirmed, not yet written
    queue.set_progress(selectors.progress_key(batch.pk), "writing", 3, 6)
    page = client.get(reverse("indicators:import_preview", args=[batch.pk])).content.decode()
    assert "正在写入数据 · 50%" in page and "确认导入" not in page
    tasks.commit(batch.pk)
    batch.refresh_from_db()
    assert batch.status == "committed" and Observation.objects.count() == 6


def test_a_task_that_breaks_rejects_its_batch_and_writes_nothing(city, organizer, login, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services, "check_import", broken)
    upload(login(organizer), GOOD)
    batch = ImportBatch.objects.get()
    assert batch.status == "rejected" and batch.report["problems"][0]["code"] == "failed"
    assert "导入中断" in batch.report["problems"][0]["message_zh"]


def test_batches_a_stopped_worker_left_are_resumed(city, organizer):
    checking = services.start_import(GOOD, "a.xlsx", organizer)
    committing = services.request_commit(services.preview_import(GOOD, "b.xlsx", organizer), organizer)
    assert tasks.resume() == 2  # the queue runs them at once in tests
    checking.refresh_from_db()
    committing.refresh_from_db()
    assert (checking.status, committing.status) == ("preview", "committed")
    assert tasks.resume() == 0


def test_the_command_line_still_imports_at_once(city, tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_bytes(GOOD)
    batch = services.import_file(path)
    assert batch.status == "committed" and Observation.objects.count() == 6


# ---- hostile files through the imports ----------------------------------------------------------------

BOMBS = [("dimension", lambda: bombs.dimension_bomb("A1048576"), "超过行数上限"),
         ("zip64", lambda: bombs.zip_bomb(50), "超过 256 MB 上限"),
         ("lying", lambda: bombs.zip_bomb(50, "modest"), "压缩比超过 100 倍上限")]


@pytest.mark.parametrize(("kind", "make", "words"), BOMBS, ids=[b[0] for b in BOMBS])
def test_a_bomb_uploaded_to_the_data_import_is_refused_in_under_2_s_and_200_mb(city, organizer, login, kind, make,
                                                                               words):
    data = make()
    started = time.perf_counter()
    batch = services.preview_import(data, "炸弹.xlsx", organizer)  # stored, then read: what the worker does
    seconds = time.perf_counter() - started
    client = login(organizer)
    tracemalloc.start()
    try:  # the whole upload through the page, counting every allocation (the request's own copies too)
        started = time.perf_counter()
        client.post(reverse("indicators:import"), {"file": SimpleUploadedFile("炸弹.xlsx", data)})
        request_seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert batch.status == "rejected"
    for batch in ImportBatch.objects.all():
        problem = batch.report["problems"][0]
        assert batch.status == "rejected" and words in problem["message_zh"], problem
        assert problem["message_zh"].startswith("文件“炸弹.xlsx”")
    assert seconds < 2 and peak < 200 * 1024 * 1024, (seconds, peak / 1024 / 1024)
    assert request_seconds < 10  # a 50 MB upload, parsed, stored and refused: the page answers at once


@pytest.mark.parametrize("path", ["tracking:import_pledges", "tracking:import_projects", "tracking:import_items"])
def test_a_bomb_uploaded_to_the_tracking_imports_is_refused_in_chinese(city, organizer, login, path):
    client = login(organizer)
    started = time.perf_counter()
    page = client.post(reverse(path), {"file": SimpleUploadedFile("炸弹.xlsx", bombs.zip_bomb(5, "small"))})
    assert time.perf_counter() - started < 2
    assert "文件“炸弹.xlsx”" in page.content.decode() and "比文件头声明的 1,024 字节更大" in page.content.decode()
