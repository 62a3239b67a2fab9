"""The demo city shows a person's record over two posts, published for every visitor."""

from __future__ import annotations

from django.urls import reverse

from leitai.units.models import Person


def test_the_demo_publishes_the_record_of_a_head_with_two_posts(client, demo):
    published = list(Person.objects.filter(record_public=True).order_by("id"))
    assert len(published) == 2
    person = next(p for p in published if p.posts.count() == 2)
    response = client.get(reverse("units:person", args=[person.pk]))
    assert response.status_code == 200
    record = response.context["record"]
    assert {t.post.unit.kind for t in record.tenures} == {"county", "department"}
    assert all(t.ranks for t in record.tenures if t.post.unit.kind == "county")
    # The unit page of the person's current unit links to the record.
    current = next(t.post.unit for t in record.tenures if t.post.end is None)
    assert reverse("units:person", args=[person.pk]) in client.get(
        reverse("units:detail", args=[current.code])).content.decode()


def test_the_demo_publishes_the_record_of_the_arena_winners_head(client, demo):
    person = next(p for p in Person.objects.filter(record_public=True) if p.posts.count() == 1)
    record = client.get(reverse("units:person", args=[person.pk])).context["record"]
    (tenure,) = record.tenures
    assert [a.rank for a in tenure.arenas] == [1]
    assert tenure.ranks and tenure.pledges


def test_the_winners_head_has_the_dolphin_award_on_the_record_and_in_the_word_export(client, demo):
    import io

    import docx

    person = next(p for p in Person.objects.filter(record_public=True) if p.posts.count() == 1)
    response = client.get(reverse("units:person", args=[person.pk]))
    awards = response.context["record"].awards
    assert "海豚奖" in [a.kind.name for a in awards]
    dolphin = next(a for a in awards if a.kind.name == "海豚奖")
    assert reverse("awards:detail", args=[dolphin.pk]) in response.content.decode()
    export = client.get(reverse("units:person_docx", args=[person.pk]))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(export.content)).paragraphs)
    assert "海豚奖" in text
