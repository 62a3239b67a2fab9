"""The public portal and the press release pages in English, for a visitor and the organizer who chose it."""

import pytest
from django.conf import settings
from django.urls import reverse

from leitai.portal.public import services
from tests.i18n.test_english import assert_english

pytestmark = pytest.mark.django_db


def _en(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_a_visitor_who_chose_english_sees_the_portal_in_english(client, organizer, published):
    release = services.create_draft(organizer, ranking=published["april"], codes=["gdp", "pm25"], title="Q1",
                                    office="Office")
    services.publish(organizer, release)
    c = _en(client)
    pages = [("/", ["How is my county doing", "Quarterly indicator releases", "Arena results"]),
             (reverse("public:units"), ["Choose a unit", "Counties &amp; districts"]),
             (reverse("public:unit", args=["A"]), ["Latest rank", "Past places", "Pledges fulfilled", "Key projects",
                                                   "Awards", "No public pledges yet."]),
             (reverse("public:releases"), ["Quarterly indicator releases"]),
             (reverse("public:release", args=[release.pk]), ["Download for print (.docx)", "Jan–Apr 2024"])]
    for url, expected in pages:
        response = c.get(url)
        assert response.status_code == 200, url
        assert_english(response.content.decode(), *expected)


def test_the_organizer_drafts_a_release_in_english(login, organizer, published):
    c = _en(login(organizer))
    html = c.get(reverse("public:release_new")).content.decode()
    assert "New release" in html and "Indicators and their order" in html and "Save draft and preview" in html
    bad = c.post(reverse("public:release_new"), {"ranking": published["april"].pk, "title": "t", "office": "o"})
    assert "give at least one indicator its place" in bad.content.decode()
