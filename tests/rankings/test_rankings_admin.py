"""The admin for plans (versions inline, frozen once used), bonus/deduction items and rankings (read-only)."""

from __future__ import annotations

from django.urls import reverse

from leitai.rankings import services
from tests.rankings.support import add_data, make_plan, publish


def _inline_spec_is_editable(html: str) -> bool:
    return 'name="versions-0-spec"' in html


def test_a_plan_page_shows_its_versions_editable_until_a_ranking_uses_them(admin_client, city):
    add_data(city)
    plan = make_plan()
    url = reverse("admin:rankings_assessmentplan_change", args=[plan.pk])
    html = admin_client.get(url).content.decode()
    assert "方案版本" in html and _inline_spec_is_editable(html)
    publish(plan, city, "2024-04")
    html = admin_client.get(url).content.decode()
    assert not _inline_spec_is_editable(html) and "初始版本" in html


def test_rankings_are_read_only_in_the_admin(admin_client, city):
    add_data(city)
    ranking = publish(make_plan(), city, "2024-04")
    listing = admin_client.get(reverse("admin:rankings_ranking_changelist"))
    assert listing.status_code == 200 and "已发布" in listing.content.decode()
    page = admin_client.get(reverse("admin:rankings_ranking_change", args=[ranking.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "规则快照" in html and "东城区" in html
    assert 'name="status"' not in html
    assert admin_client.post(reverse("admin:rankings_ranking_delete", args=[ranking.pk]), {"post": "yes"}).status_code == 403
    assert admin_client.get(reverse("admin:rankings_ranking_add")).status_code == 403


def test_adjustments_are_listed_and_never_deleted_in_the_admin(admin_client, city):
    adj = services.add_adjustment(city["a"], city["periods"]["2024-04"], 2, "获评全省先进加分")
    listing = admin_client.get(reverse("admin:rankings_adjustment_changelist"))
    assert "获评全省先进加分" in listing.content.decode()
    assert admin_client.post(reverse("admin:rankings_adjustment_delete", args=[adj.pk]), {"post": "yes"}).status_code == 403
