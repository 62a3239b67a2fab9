"""Uploaded files: only JPEG, PNG, WebP, PDF, DOCX, XLSX by content; size limits before storing; each file
served only through a view that applies its object's visibility; nothing under /media/ is reachable."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leitai import uploads
from tests.files import (
    HTML,
    SVG,
    docm_bytes,
    docx_bytes,
    image_bytes,
    pdf_bytes,
    pdf_polyglot,
    pdf_with_script,
    xlsx_bytes,
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize(("data", "kind"), [
    (image_bytes("JPEG"), "jpeg"), (image_bytes("PNG"), "png"), (image_bytes("WEBP"), "webp"),
    (pdf_bytes(), "pdf"), (docx_bytes(), "docx"), (xlsx_bytes(), "xlsx"),
])
def test_accepted_types_are_recognised_by_content(data, kind):
    assert uploads.check_upload(SimpleUploadedFile("no-extension", data)) == kind


@pytest.mark.parametrize(("name", "data"), [
    ("logo.svg", SVG), ("page.html", HTML), ("photo.jpg", HTML), ("slides.pdf", pdf_polyglot()),
    ("macro.docx", docm_bytes()), ("image.gif", image_bytes("GIF")), ("fake.png", b"\x89PNG\r\n\x1a\nbroken"),
    ("fake.pdf", b"%PDF-1.4\n%%EOF\n"), ("notes.txt", "整改说明".encode()),
    ("script.pdf", pdf_with_script("escaped")), ("hidden.pdf", pdf_with_script("compressed")),
])
def test_everything_else_is_refused_with_a_chinese_message_naming_the_file(name, data):
    with pytest.raises(uploads.UploadRefused) as e:
        uploads.check_upload(SimpleUploadedFile(name, data))
    assert f"文件“{name}”不是可接受的类型" in e.value.zh and "按文件内容判断" in e.value.zh


def test_size_limits_and_narrower_kinds():
    with pytest.raises(uploads.UploadRefused, match="超过 1 MB"):
        uploads.check_upload(SimpleUploadedFile("big.png", image_bytes("PNG") + b"\0" * (1024 * 1024)), max_mb=1)
    with pytest.raises(uploads.UploadRefused, match="只接受 PDF"):
        uploads.check_upload(SimpleUploadedFile("slides.pdf", image_bytes("PNG")), uploads.PDF_ONLY)


def test_a_refused_close_out_file_stores_nothing(reporter_a, city, organizer, settings):
    from leitai.tracking import services
    from leitai.tracking.models import Attachment, Transition

    item = services.create_item(organizer, title="问题", unit=city["a"], deadline=__import__("datetime").date(2099, 1, 1))
    services.act(reporter_a, item, "start")
    good = SimpleUploadedFile("ok.png", image_bytes("PNG"))
    bad = SimpleUploadedFile("x.svg", SVG)
    with pytest.raises(uploads.UploadRefused):
        services.act(reporter_a, item, "request_closeout", text="已整改", files=[good, bad])
    item.refresh_from_db()
    assert item.state == "in_progress" and Attachment.objects.count() == 0
    assert Transition.objects.filter(item=item).count() == 2
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_close_out_evidence_is_seen_by_its_unit_the_organizer_and_its_reviewer_only(
        closed_items, login, client, organizer, reporter_a, reporter_b, supervisors):
    from leitai.tracking.models import Attachment
    from leitai.tracking.reviews import services as services_reviews

    photo = Attachment.objects.filter(item=closed_items[0]).get()
    url, thumb = reverse("tracking:attachment", args=[photo.pk]), reverse("tracking:attachment_thumb", args=[photo.pk])
    anonymous = client.get(url)
    assert anonymous.status_code in (302, 403)
    assert login(reporter_b).get(url).status_code == 403
    assert login(supervisors[0]).get(url).status_code == 403
    for user in (organizer, reporter_a):
        response = login(user).get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "attachment" not in response.get("Content-Disposition", "")
        small = login(user).get(thumb)
        assert small.status_code == 200 and small["Content-Type"] == "image/jpeg"
    services_reviews.create_round(organizer, "回头看", supervisors=supervisors[:1], items=[closed_items[0]])
    assert login(supervisors[0]).get(url).status_code == 200
    # the file's own path under /media/ answers nothing
    assert client.get("/media/" + photo.file.name).status_code == 404


def test_documents_download_as_attachments(reporter_a, organizer, city, login):
    from leitai.tracking import services
    from leitai.tracking.models import Attachment

    item = services.create_item(organizer, title="问题", unit=city["a"], deadline=__import__("datetime").date(2099, 1, 1))
    services.act(reporter_a, item, "start")
    services.act(reporter_a, item, "request_closeout", text="见附件",
                 files=[SimpleUploadedFile("说明.docx", docx_bytes())])
    doc = Attachment.objects.get(item=item)
    assert not doc.is_photo
    response = login(organizer).get(reverse("tracking:attachment", args=[doc.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert login(organizer).get(reverse("tracking:attachment_thumb", args=[doc.pk])).status_code == 404
    page = login(organizer).get(reverse("tracking:item", args=[item.code])).content.decode()
    assert reverse("tracking:attachment", args=[doc.pk]) in page and "/media/" not in page


def test_a_file_stored_before_types_were_checked_still_downloads(closed_items, login, organizer):
    from django.core.files.base import ContentFile

    from leitai.tracking.models import Attachment

    old = Attachment.objects.create(item=closed_items[0], file=ContentFile(b"GIF89a old photo", name="old.gif"),
                                    name="old.gif", is_photo=True)
    response = login(organizer).get(reverse("tracking:attachment", args=[old.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment") and response["X-Content-Type-Options"] == "nosniff"


def test_pledge_evidence_follows_the_pledge(organizer, reporter_a, reporter_b, city, login, client):
    from leitai.tracking import services

    p = services.create_pledge(organizer, unit=city["a"], text="优化营商环境", public=False)
    services.judge_pledge_manually(organizer, p, "kept", "评价全省第一",
                                   evidence=SimpleUploadedFile("佐证.pdf", pdf_bytes()))
    url = reverse("tracking:pledge_evidence", args=[p.pk])
    assert client.get(url).status_code in (302, 403)
    assert login(reporter_b).get(url).status_code == 403
    assert login(reporter_a).get(url)["Content-Type"] == "application/pdf"
    p.public = True
    p.save(update_fields=["public"])
    client.logout()
    assert client.get(url).status_code == 200
