"""The admin for units, people and posts."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.parametrize("model", ["unit", "person", "post"])
def test_the_admin_lists_units_people_and_posts_in_chinese(admin_client, city, model):
    response = admin_client.get(reverse(f"admin:units_{model}_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "东城区" in html or "张三" in html


def test_the_unit_admin_searches_and_filters(admin_client, city):
    found = admin_client.get(reverse("admin:units_unit_changelist"), {"q": "西城"})
    assert list(found.context["cl"].result_list) == [city["b"]]
    towns = admin_client.get(reverse("admin:units_unit_changelist"), {"kind__exact": "town"})
    assert list(towns.context["cl"].result_list) == [city["town"]]


def test_a_units_admin_page_shows_its_posts_inline(admin_client, city):
    response = admin_client.get(reverse("admin:units_unit_change", args=[city["a"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "任职" in html and "区委书记" in html


def test_the_person_admin_shows_current_posts(admin_client, city):
    response = admin_client.get(reverse("admin:units_person_changelist"))
    assert "东城区 区委书记" in response.content.decode()


def test_a_persons_admin_page_shows_their_posts_inline(admin_client, city):
    response = admin_client.get(reverse("admin:units_person_change", args=[city["person"].pk]))
    assert response.status_code == 200
    assert "区委书记" in response.content.decode()
