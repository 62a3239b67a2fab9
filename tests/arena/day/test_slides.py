"""Slides (汇报材料): stored only as a real PDF; read page by page as server-rendered images or downloaded, by
the organizers, the contestant's reporters and the arena's judges (own link); by everyone once published."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leitai.arena.models import Arena
from tests.files import pdf_bytes


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def slides(contestants, reporter_a):
    from leitai.arena import services

    services.save_submission(contestants["A"], reporter_a, [{"kind": "highlight", "text": "亮点"}],
                             slides=SimpleUploadedFile("东城汇报.pdf", pdf_bytes(pages=3)))
    return contestants["A"]


def test_the_unit_and_the_organizer_read_the_slides_page_by_page(slides, login, organizer, reporter_a, reporter_b, client):
    viewer = reverse("arena:slides", args=[slides.pk])
    for user in (organizer, reporter_a):
        page = login(user).get(viewer).content.decode()
        assert page.count('class="slide"') == 3 and 'src="3.png"' in page
        image = login(user).get(reverse("arena:slides_page", args=[slides.pk, 2]))
        assert image.status_code == 200 and image["Content-Type"] == "image/png" and image.content[:4] == b"\x89PNG"
        pdf = login(user).get(reverse("arena:slides_pdf", args=[slides.pk]))
        assert pdf["Content-Disposition"].startswith("attachment") and pdf["X-Content-Type-Options"] == "nosniff"
    assert login(organizer).get(reverse("arena:slides_page", args=[slides.pk, 4])).status_code == 404
    assert login(reporter_b).get(viewer).status_code == 403
    client.logout()
    assert client.get(viewer).status_code == 403
    Arena.objects.filter(pk=slides.arena_id).update(status=Arena.Status.PUBLISHED)
    assert client.get(viewer).status_code == 200


def test_judges_open_them_from_their_own_link_until_it_is_revoked(slides, panel, client, organizer):
    from leitai.arena import services

    token = panel.tokens["P1"]
    url = reverse("arena:judge_slides", args=[token, slides.pk])
    assert client.get(url).status_code == 200
    assert client.get(reverse("arena:judge_slides_page", args=[token, slides.pk, 1]))["Content-Type"] == "image/png"
    services.revoke_token(panel.judges["P1"], organizer)
    assert client.get(url).status_code == 403
    assert client.get(reverse("arena:judge_slides", args=["not-a-token", slides.pk])).status_code == 403


def test_the_console_puts_the_slides_on_the_big_screen_page_by_page(slides, organizer, login, client, stage_to):
    from leitai.arena import services
    from leitai.arena.day.selectors import public_state
    from leitai.core.errors import LeitaiError

    with pytest.raises(LeitaiError, match="只有台上的选手"):
        services.show_slides(slides, organizer, 1)
    Arena.objects.filter(pk=slides.arena_id).update(status=Arena.Status.LIVE)
    stage_to(slides, "speech", organizer)
    console = login(organizer)
    body = console.get(reverse("arena:console_body", args=[slides.arena_id])).content.decode()
    assert "放映汇报材料" in body
    console.post(reverse("arena:console_slides", args=[slides.pk]), {"page": 1}, HTTP_HX_REQUEST="true")
    state = public_state(slides.arena)
    assert state["current"]["slides"] == {"page": 1, "pages": 3, "url": reverse("arena:screen_slide", args=[slides.arena_id, slides.pk, 1])}
    body = console.post(reverse("arena:console_slides", args=[slides.pk]), {"page": 2}, HTTP_HX_REQUEST="true").content.decode()
    assert "第 2 / 3 页" in body and "下一页" in body
    assert "共 3 页" in console.post(reverse("arena:console_slides", args=[slides.pk]), {"page": 4},
                                   HTTP_HX_REQUEST="true").content.decode()
    client.logout()
    image = client.get(state["current"]["slides"]["url"])  # the screen is public while the arena is live
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    login(organizer).post(reverse("arena:console_slides", args=[slides.pk]), {"page": 0}, HTTP_HX_REQUEST="true")
    assert public_state(slides.arena)["current"]["slides"] is None
    from leitai.arena.models import ArenaEvent

    assert list(ArenaEvent.objects.filter(kind="slides").values_list("payload__page", flat=True)) == [1, 2, 0]


def test_slides_never_shown_are_not_on_the_public_screen_route(slides, client):
    Arena.objects.filter(pk=slides.arena_id).update(status=Arena.Status.LIVE)
    assert client.get(reverse("arena:screen_slide", args=[slides.arena_id, slides.pk, 1])).status_code == 403
