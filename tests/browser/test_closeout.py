"""Close-out in Chromium: county A's reporter (on a phone) requests close-out with a photo, the organizer
verifies, and the public page shows the item as closed (已销号)."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from tests.conftest import PASSWORD
from tests.files import image_bytes

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = image_bytes("PNG")


@pytest.fixture
def public_item(transactional_db, organizer, reporter_a, city, settings, tmp_path):
    from leitai.tracking import services

    settings.MEDIA_ROOT = tmp_path / "media"
    return services.create_item(organizer, title="园区道路破损", unit=city["a"], public=True,
                                deadline=dt.date.today() + dt.timedelta(days=20), source="business_help",
                                raised_by="某某制造有限公司", raised_contact="13900000000")


def sign_in(browser, base, username, mobile=False):
    size = {"width": 390, "height": 844} if mobile else {"width": 1280, "height": 900}
    context = browser.new_context(locale="zh-CN", viewport=size)
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    return context, page


def test_a_unit_closes_out_with_a_photo_and_the_public_page_shows_it_closed(live_server, browser, public_item,
                                                                            tmp_path):
    from leitai.tracking.models import Attachment, Item

    url = f"{live_server.url}/tracking/items/{public_item.code}/"
    photo = tmp_path / "现场.png"
    photo.write_bytes(PNG)

    context, page = sign_in(browser, live_server.url, "reporter_a", mobile=True)
    page.goto(url)
    page.click("#act-start button[type=submit]")
    page.wait_for_selector("#act-request_closeout")
    page.fill("#text-request_closeout", "道路已修复，附整改后照片")
    page.set_input_files("#photos", str(photo))
    page.click("#act-request_closeout button[type=submit]")
    page.wait_for_selector("#history img.thumb")
    assert "申请销号" in page.text_content("#state")
    assert page.locator("#act-verify").count() == 0
    context.close()
    assert Attachment.objects.get(item=public_item).is_photo

    context, page = sign_in(browser, live_server.url, "organizer")
    page.goto(url)
    page.click("#act-verify button[type=submit]")
    page.wait_for_selector("#state:has-text('已销号')")
    context.close()
    assert Item.objects.get(pk=public_item.pk).state == "closed"

    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/tracking/public/")
    row = page.locator(f"#public-items tr[data-code='{public_item.code}']")
    assert "已销号" in row.inner_text() and "园区道路破损" in row.inner_text()
    body = page.text_content("body")
    assert "13900000000" not in body and "某某制造有限公司" not in body
    context.close()
