"""The tracking imports (pledges, projects, items) run in the queue (leitai.queue jobs): while a job runs its page
shows a progress bar that htmx polls; once done the page reloads with the report; only the session that
started a job may see it. (The queue runs at once in tests; here a job is left running by hand.)"""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from leitai import queue


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def running_job(client) -> str:
    key = uuid.uuid4().hex
    session = client.session
    session[queue.JOBS] = [key]
    session.save()
    return key


@pytest.mark.parametrize("name", ["tracking:import_pledges", "tracking:import_projects", "tracking:import_items"])
def test_a_running_import_shows_a_bar_until_its_report_arrives(login, organizer, city, name):
    client = login(organizer)
    key = running_job(client)
    url = f"{reverse(name)}?job={key}"
    page = client.get(url).content.decode()
    assert "排队等候处理" in page and f'hx-get="{url}"' in page and 'type="file"' not in page

    queue.set_progress(key, "reading", 1, 4)
    bar = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "正在读取和校验文件 · 25%" in bar and "<form" not in bar

    failed = {"step": "checked", "failed": True} if name.endswith("items") else queue.FAILED
    queue.huey.put(f"job:{key}", failed)
    assert client.get(url, HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"
    done = client.get(url).content.decode()
    assert "导入中断，未写入任何数据" in done and 'type="file"' in done
    assert "导入中断" not in client.get(url).content.decode()  # collected: the plain page again
    assert queue.huey.get(f"job:{key}", peek=True) is None


def test_another_session_cannot_see_a_job(login, organizer, city):
    key = running_job(login(organizer))
    queue.huey.put(f"job:{key}", {"ok": False, "problems": [], "created": 0})
    other = login(organizer)  # a second browser: a session of its own
    other.cookies.clear()
    other.force_login(organizer)
    page = other.get(f"{reverse('tracking:import_pledges')}?job={key}").content.decode()
    assert "排队" not in page and "发现" not in page and 'type="file"' in page


def test_a_pledge_import_started_on_the_page_is_written_by_the_queue(login, organizer, city):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from leitai.tracking.models import Pledge

    csv = "单位,承诺内容\n东城区,年内新建口袋公园 3 个\n".encode()
    response = login(organizer).post(reverse("tracking:import_pledges"),
                                     {"file": SimpleUploadedFile("承诺.csv", csv)})
    assert response.status_code == 302 and response["Location"] == reverse("tracking:pledges")
    assert Pledge.objects.get().text == "年内新建口袋公园 3 个"
