"""The quarterly press release: the organizer chooses the source and the indicators (in order), previews a
draft, publishes it (frozen), downloads the .docx; a correction is a new version with a reason."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from docx import Document

from leitai.audit.kept import HistoryKept
from leitai.core.errors import LeitaiError
from leitai.portal.public import services
from leitai.portal.public.models import PressRelease

pytestmark = pytest.mark.django_db


def _post(client, url, ranking, orders: dict, **extra):
    data = {"ranking": ranking.pk, "title": "2024年1-4月各县市区主要指标", "office": "示范市考核办公室", **extra}
    data.update({f"order_{code}": n for code, n in orders.items()})
    return client.post(url, data)


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def test_the_organizer_chooses_previews_publishes_and_the_public_sees_it(client, login, organizer, city, published):
    april = published["april"]
    staff = login(organizer)
    form = staff.get(reverse("public:release_new")).content.decode()
    assert "地区生产总值增速" in form and "PM2.5 浓度" in form
    response = _post(staff, reverse("public:release_new"), april, {"pm25": 1, "gdp": 2})
    release = PressRelease.objects.get()
    assert response.status_code == 302 and response.url == reverse("public:release", args=[release.pk])
    assert release.status == "draft" and release.indicators == ["pm25", "gdp"]  # in the order chosen

    preview = staff.get(response.url).content.decode()
    assert "草稿（未发布）" in preview and 'id="publish"' in preview
    assert preview.index("PM2.5 浓度") < preview.index("地区生产总值增速")
    # A draft is the organizers': the public gets a 404 and no link.
    client.logout()
    assert client.get(reverse("public:release", args=[release.pk])).status_code == 404
    assert client.get(reverse("public:release_docx", args=[release.pk])).status_code == 404
    assert reverse("public:release", args=[release.pk]) not in client.get("/").content.decode()

    staff = login(organizer)
    assert staff.post(reverse("public:release_publish", args=[release.pk])).status_code == 302
    release.refresh_from_db()
    assert release.status == "draft"  # not without the confirmation
    staff.post(reverse("public:release_publish", args=[release.pk]), {"confirm": "yes"})
    release.refresh_from_db()
    assert release.status == "published" and release.published_by == organizer

    client.logout()
    home = client.get("/").content.decode()
    assert reverse("public:release", args=[release.pk]) in home and "2024年1-4月各县市区主要指标" in home
    page = client.get(reverse("public:release", args=[release.pk])).content.decode()
    row_a = april.rows.get(unit=city["a"])
    value_a = next(v for u, c, v in april.inputs if u == "A" and c == "gdp")
    assert f"{value_a:.2f}" in page and 'id="publish"' not in page

    content = client.get(reverse("public:release_docx", args=[release.pk])).content
    text = _docx_text(content)
    assert "2024年1-4月各县市区主要指标" in text and "示范市考核办公室" in text
    assert "东城区" in text and f"{value_a:.2f}" in text and "地区生产总值增速（%）" in text
    assert str(row_a.indicator_ranks["gdp"]) in text


def test_a_published_release_is_never_changed_and_a_correction_is_a_new_version(login, organizer, city, published):
    april = published["april"]
    first = services.create_draft(organizer, ranking=april, codes=["gdp"], title="第一版", office="考核办")
    services.publish(organizer, first)
    first.refresh_from_db()
    first.title = "悄悄改标题"
    with pytest.raises(ValueError):
        first.save()
    with pytest.raises(HistoryKept):
        first.delete()
    first.refresh_from_db()
    staff = login(organizer)
    assert staff.get(reverse("public:release_edit", args=[first.pk])).status_code == 302  # sent to correct

    url = reverse("public:release_correct", args=[first.pk])
    refused = _post(staff, url, april, {"gdp": 1, "inv": 2}, reason="")
    assert refused.status_code == 400 and "更正理由" in refused.content.decode()
    _post(staff, url, april, {"gdp": 1, "inv": 2}, reason="漏发固定资产投资")
    second = PressRelease.objects.get(corrects=first)
    assert second.version == 2 and second.status == "draft" and second.indicators == ["gdp", "inv"]
    services.publish(organizer, second)
    first.refresh_from_db()
    assert first.status == "superseded" and first.title == "第一版" and first.indicators == ["gdp"]
    old = staff.get(reverse("public:release", args=[first.pk])).content.decode()
    assert "已被更正" in old and reverse("public:release", args=[second.pk]) in old
    new = staff.get(reverse("public:release", args=[second.pk])).content.decode()
    assert "漏发固定资产投资" in new
    assert "漏发固定资产投资" in _docx_text(staff.get(reverse("public:release_docx", args=[second.pk])).content)


def test_only_organizers_draft_publish_or_correct(client, login, reporter_a, public_user, organizer, published):
    release = services.create_draft(organizer, ranking=published["april"], codes=["gdp"], title="稿", office="办")
    for user in (reporter_a, public_user):
        c = login(user)
        assert c.get(reverse("public:release_new")).status_code == 403
        assert c.post(reverse("public:release_publish", args=[release.pk]), {"confirm": "yes"}).status_code in (403, 404)
        assert c.get(reverse("public:release", args=[release.pk])).status_code == 404
        c.logout()
    assert client.get(reverse("public:release_new")).status_code == 302  # to the sign-in page
    with pytest.raises(PermissionDenied):
        services.publish(reporter_a, release)
    release.refresh_from_db()
    assert release.status == "draft"


def test_bad_choices_are_refused_with_the_field_named(login, organizer, published):
    staff = login(organizer)
    april = published["april"]
    none = _post(staff, reverse("public:release_new"), april, {})
    assert none.status_code == 400 and "请至少填写一个指标的顺序" in none.content.decode()
    twice = _post(staff, reverse("public:release_new"), april, {"gdp": 1, "inv": 1})
    assert twice.status_code == 400 and "顺序 1 重复" in twice.content.decode()
    with pytest.raises(LeitaiError, match="只能选择已发布的排名"):
        services.create_draft(organizer, ranking=published["draft"], codes=["gdp"], title="t", office="o")
    with pytest.raises(LeitaiError, match="不在所选排名中"):
        services.create_draft(organizer, ranking=april, codes=["nope"], title="t", office="o")
    assert not PressRelease.objects.exists()


def test_switching_the_source_shows_its_indicators_without_errors(login, organizer, published):
    staff = login(organizer)
    html = staff.post(reverse("public:release_new"), {"ranking": published["april"].pk, "action": "source",
                                                     "title": "保留的标题", "office": "办"}).content.decode()
    assert "保留的标题" in html and "errorlist" not in html and "地区生产总值增速" in html
    assert not PressRelease.objects.exists()


def test_publishing_refuses_a_draft_whose_ranking_was_corrected_since(organizer, city, published):
    from tests.rankings.support import publish

    release = services.create_draft(organizer, ranking=published["april"], codes=["gdp"], title="t", office="o")
    publish(published["plan"], city, "2024-04", organizer)  # April republished: the old one is superseded
    with pytest.raises(LeitaiError, match="已被更正"):
        services.publish(organizer, release)
