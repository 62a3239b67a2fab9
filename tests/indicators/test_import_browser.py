"""The import page in Chromium: the htmx upload fills the progress bar, then preview and confirm."""

from __future__ import annotations

import pytest

from leitai.indicators.models import Observation


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_upload_shows_progress_then_the_preview_and_confirms(live_server, browser, city, organizer, client,
                                                                 tmp_path, settings):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(organizer)
    context = browser.new_context(locale="zh-CN")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    # ~2 MB of empty rows (skipped by the importer) make the upload long enough to report progress.
    path = tmp_path / "四月.csv"
    path.write_text("单位,指标,期间,数值\n东城区,gdp,2024-04,5.5\n" + ",,,\n" * 500_000 + "西城区,gdp,2024-04,4.5\n",
                    encoding="utf-8")
    page.goto(f"{live_server.url}/data/import/")
    page.evaluate("""document.body.addEventListener('htmx:xhr:progress', function () {
        sessionStorage.setItem('upload', document.getElementById('upload-progress').value); });""")
    page.set_input_files("#id_file", str(path))
    page.click("#import-form button[type=submit]")
    page.wait_for_url("**/data/import/*/")
    assert page.evaluate("sessionStorage.getItem('upload')") == "100"
    assert "确认导入" in page.content(), page.text_content("main")
    page.click("button[value=confirm]")
    expect(page.locator(".messages")).to_contain_text("导入成功")  # written (the queue runs at once in tests)
    assert Observation.objects.filter(period__code="2024-04").count() == 2
    assert outside == []
    context.close()
