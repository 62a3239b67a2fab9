"""One rule for who sees which rectification items: for each persona the item list page, the API and the
Excel export show exactly the same items, and an item's record is open on the page exactly when it is open
through the API. A county's reporter sees the items of the units below it, two levels down included."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from leitai.tracking import policies

BASE = "/api/v1/tracking"


@pytest.fixture
def deep_item(city, organizer):
    """An item of a village under a town under county A (two levels down)."""
    from leitai.tracking import services
    from leitai.units.models import Unit

    village = Unit.objects.create(code="A0101", name="东城街道一社区", kind="section", parent=city["town"])
    return services.create_item(organizer, title="社区问题", unit=village, deadline=dt.date(2099, 1, 1))


def _page_codes(client) -> set[str]:
    html = client.get(reverse("tracking:items")).content.decode()
    return {code for code in policies.Item.objects.values_list("code", flat=True) if code in html}


def _export_codes(client) -> set[str]:
    wb = openpyxl.load_workbook(io.BytesIO(client.get(reverse("tracking:export_items")).content))
    return {str(row[0]) for row in wb.active.iter_rows(min_row=2, values_only=True) if row[0]}


@pytest.mark.parametrize("persona", ["organizer", "reporter_a", "reporter_b"])
def test_page_api_and_export_show_the_same_items(persona, items, deep_item, login, request):
    user = request.getfixturevalue(persona)
    client = login(user)
    api = {i["code"] for i in client.get(f"{BASE}/items").json()}
    expected = set(policies.listed_items(user).values_list("code", flat=True))
    assert api == expected == _page_codes(client) == _export_codes(client)
    if persona == "reporter_a":
        assert deep_item.code in api  # two levels down
    for code in policies.Item.objects.values_list("code", flat=True):
        page = client.get(reverse("tracking:item", args=[code])).status_code
        detail = client.get(f"{BASE}/items/{code}").status_code
        assert (page == 200) == (detail == 200), (code, page, detail)


@pytest.mark.parametrize("persona", ["judge", "public_user"])
def test_everyone_else_sees_the_public_items_only(persona, items, login, request, client):
    api = {i["code"] for i in login(request.getfixturevalue(persona)).get(f"{BASE}/items").json()}
    public = set(policies.public_items().values_list("code", flat=True))
    assert api == public and public
    page = client.get(reverse("tracking:public")).content.decode()
    assert all(code in page for code in public)
