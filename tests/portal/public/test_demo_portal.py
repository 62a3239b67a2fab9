"""The demo city's public side: one published press release on the home, and a county's page with the
published arena's result but not the arena still in set-up."""

import io

import pytest
from django.urls import reverse
from docx import Document

from leitai.arena.models import Arena, Contestant
from leitai.portal.public import selectors
from leitai.portal.public.models import PressRelease
from leitai.units.models import Unit


def test_the_demo_publishes_one_press_release_with_ten_indicators(client, demo):
    release = PressRelease.objects.get(pk=demo["press_release"])
    assert release.status == "published" and len(release.indicators) == 10
    assert len(release.table["rows"]) >= 3
    assert reverse("public:release", args=[release.pk]) in client.get("/").content.decode()
    doc = Document(io.BytesIO(client.get(reverse("public:release_docx", args=[release.pk])).content))
    assert doc.paragraphs[0].text == release.title
    first = release.table["rows"][0]
    cells = [c.text for c in doc.tables[0].rows[2].cells]
    assert cells[0] == first["name"]
    assert cells[1] == selectors.value_text(first["cells"][0]["value"], release.table["columns"][0]["decimals"])


@pytest.mark.django_db
def test_a_county_page_shows_the_published_arena_only(client, demo):
    past = Arena.objects.get(pk=demo["arenas"]["past"])
    upcoming = Arena.objects.get(pk=demo["arenas"]["upcoming"])
    assert past.status == "published" and upcoming.status != "published"
    unit = Contestant.objects.filter(arena=past).select_related("unit").first().unit
    rows = selectors.unit_arenas(unit, _anonymous())
    assert [r["arena"].pk for r in rows] == [past.pk]
    html = client.get(reverse("public:unit", args=[unit.code])).content.decode()
    assert reverse("arena:results", args=[past.pk]) in html
    assert reverse("arena:results", args=[upcoming.pk]) not in html
    # The same county is on the upcoming arena's list too: its page still says nothing of it.
    if Contestant.objects.filter(arena=upcoming, unit=unit).exists():
        assert upcoming.name not in html


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


@pytest.mark.django_db
def test_a_draft_assessment_stays_off_the_unit_page(demo):
    from leitai.accounts.models import User
    from leitai.assessment import services as assessment_services
    from leitai.assessment.models import Assessment, Scheme
    from leitai.indicators.services import ensure_period

    organizer = User.objects.get(username="kaohe")
    scheme = Scheme.objects.get()
    published = Assessment.objects.get(pk=demo["assessment"]["year"])
    unit = Unit.objects.get(code=published.result["rows"][0]["unit"])
    before = [a["assessment"].pk for a in selectors.unit_assessments(unit)]
    draft = assessment_services.compute(organizer, scheme, ensure_period(f"{scheme.year}Q3"))
    assert draft.status == "draft"
    after = [a["assessment"].pk for a in selectors.unit_assessments(unit)]
    assert after == before and published.pk in after and draft.pk not in after


def test_the_arena_winners_public_page_shows_its_approved_awards_but_no_pending_nomination(client, demo):
    from leitai.awards.models import Award

    past = Arena.objects.get(pk=demo["arenas"]["past"])
    winner = Contestant.objects.filter(arena=past, rank=1).select_related("unit").first().unit
    html = client.get(reverse("public:unit", args=[winner.code])).content.decode()
    dolphin = Award.objects.get(kind__name="海豚奖", unit=winner, status="approved")
    assert reverse("awards:detail", args=[dolphin.pk]) in html
    for pending in Award.objects.filter(status="pending", unit=winner):
        assert reverse("awards:detail", args=[pending.pk]) not in html
    listed = client.get(reverse("awards:index") + f"?unit={winner.code}").content.decode()
    assert reverse("awards:detail", args=[dolphin.pk]) in listed
    others = Award.objects.filter(status="approved").exclude(unit=winner).exclude(unit=None).first()
    assert others is None or reverse("awards:detail", args=[others.pk]) not in listed
