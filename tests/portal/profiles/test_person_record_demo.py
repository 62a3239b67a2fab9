"""The demo city shows a person's record over two posts, published for every visitor."""

from __future__ import annotations

from django.urls import reverse

from leitai.units.models import Person


def test_the_demo_publishes_the_record_of_a_head_with_two_posts(client, demo):
    person = Person.objects.get(record_public=True)
    assert person.posts.count() == 2
    response = client.get(reverse("units:person", args=[person.pk]))
    assert response.status_code == 200
    record = response.context["record"]
    assert {t.post.unit.kind for t in record.tenures} == {"county", "department"}
    assert all(t.ranks for t in record.tenures if t.post.unit.kind == "county")
    # The unit page of the person's current unit links to the record.
    current = next(t.post.unit for t in record.tenures if t.post.end is None)
    assert reverse("units:person", args=[person.pk]) in client.get(
        reverse("units:detail", args=[current.code])).content.decode()
