"""The reporter's data-entry page and a value's revision history."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from leitai.core.errors import DataError
from leitai.indicators import services
from leitai.indicators.models import Observation, ObservationRevision


def entry_url(**params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("indicators:entry") + (f"?{query}" if query else "")


def field(city, unit, indicator):
    return f"v_{city[unit].pk}_{city[indicator].pk}"


def test_a_reporter_sees_their_countys_applicable_indicators(city, reporter_a, login):
    page = login(reporter_a).get(entry_url(period="2024-04")).content.decode()
    assert "东城区" in page and "地区生产总值增速" in page and "PM2.5 浓度" in page
    assert "西城区" not in page
    assert field(city, "a", "gdp") in page


def test_a_reporter_also_sees_the_units_below_theirs(city, reporter_a, login):
    city["pm25"].applies_to = []
    city["pm25"].save()
    page = login(reporter_a).get(entry_url(period="2024-04")).content.decode()
    assert "东城街道" in page and field(city, "town", "pm25") in page
    assert field(city, "town", "gdp") not in page  # gdp applies to counties only


def test_a_reporter_saves_values_and_each_change_is_recorded(city, reporter_a, login):
    client = login(reporter_a)
    data = {field(city, "a", "gdp"): "5.5", field(city, "a", "inv"): "1,200", field(city, "a", "pm25"): ""}
    response = client.post(entry_url(period="2024-04"), data, follow=True)
    assert "已保存 2 个数值" in response.content.decode()
    gdp = Observation.objects.get(unit=city["a"], indicator=city["gdp"], period__code="2024-04")
    assert gdp.value == 5.5 and gdp.updated_by == reporter_a
    assert not Observation.objects.filter(indicator=city["pm25"]).exists()
    data[field(city, "a", "gdp")] = "6"
    client.post(entry_url(period="2024-04"), data)
    assert [(r.old_value, r.new_value, r.source) for r in gdp.revisions.all()] == [(None, 5.5, "web"), (5.5, 6.0, "web")]
    assert ObservationRevision.objects.count() == 3


def test_an_unchanged_form_records_nothing(city, reporter_a, login):
    services.set_observation(reporter_a, city["a"], city["inv"], city["periods"]["2024-04"], 1234.5678901)
    client = login(reporter_a)
    page = client.get(entry_url(period="2024-04")).content.decode()
    assert 'value="1234.5678901"' in page
    client.post(entry_url(period="2024-04"), {field(city, "a", "inv"): "1234.5678901"})
    assert ObservationRevision.objects.count() == 1


def test_bad_values_are_shown_next_to_their_field_and_nothing_is_saved(city, reporter_a, login):
    client = login(reporter_a)
    data = {field(city, "a", "gdp"): "5", field(city, "a", "inv"): "很多", field(city, "a", "pm25"): "900"}
    response = client.post(entry_url(period="2024-04"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "“很多”不是数字" in page and "超出“PM2.5 浓度”的合理范围 [0, 500]" in page
    assert Observation.objects.count() == 0


def test_a_reporter_gets_403_for_another_county(city, reporter_a, login):
    client = login(reporter_a)
    assert client.get(entry_url(period="2024-04", unit="A")).status_code == 200
    assert client.get(entry_url(period="2024-04", unit="B")).status_code == 403
    response = client.post(entry_url(period="2024-04", unit="B"), {field(city, "b", "gdp"): "5"})
    assert response.status_code == 403 and Observation.objects.count() == 0


def test_an_organizer_picks_any_unit(city, organizer, login):
    client = login(organizer)
    client.post(entry_url(period="2024-03", unit="B"), {field(city, "b", "gdp"): "3.3"})
    assert Observation.objects.get(unit=city["b"], indicator=city["gdp"]).value == 3.3


def test_the_history_page_shows_who_when_old_and_new(city, organizer, reporter_a, reporter_b, login):
    period = city["periods"]["2024-04"]
    services.set_observation(reporter_a, city["a"], city["gdp"], period, 5)
    obs = services.set_observation(organizer, city["a"], city["gdp"], period, 6, reason="核对更正")
    page = login(reporter_a).get(reverse("indicators:history", args=[obs.pk])).content.decode()
    assert "东城区填报员" in page and "考核办" in page and "核对更正" in page and "web" in page
    assert login(reporter_b).get(reverse("indicators:history", args=[obs.pk])).status_code == 403


def test_set_observation_checks_permission_range_and_skips_no_ops(city, reporter_a, reporter_b):
    period = city["periods"]["2024-04"]
    with pytest.raises(PermissionDenied):
        services.set_observation(reporter_b, city["a"], city["gdp"], period, 5)
    with pytest.raises(DataError):
        services.set_observation(reporter_a, city["a"], city["gdp"], period, 99)
    with pytest.raises(DataError):
        services.set_observation(reporter_a, city["town"], city["gdp"], period, 1)  # gdp is for counties
    services.set_observation(reporter_a, city["a"], city["gdp"], period, 5)
    services.set_observation(reporter_a, city["a"], city["gdp"], period, "5")
    assert ObservationRevision.objects.count() == 1
    obs = services.set_observation(reporter_a, city["a"], city["gdp"], "2024年5月", 5, status="final")
    assert obs.period.code == "2024-05" and obs.status == "final"


def test_an_admin_edit_is_checked_and_recorded_in_the_history(city, organizer, django_user_model, client):
    admin_user = django_user_model.objects.create_superuser("root", password="x-long-password", role="organizer")
    obs = services.set_observation(organizer, city["a"], city["gdp"], city["periods"]["2024-04"], 5)
    client.force_login(admin_user)
    url = reverse("admin:indicators_observation_change", args=[obs.pk])
    page = client.get(url)
    assert page.status_code == 200 and "修订记录" in page.content.decode()
    form = {"value": "99", "status": "final", "revisions-TOTAL_FORMS": "1", "revisions-INITIAL_FORMS": "1",
            "revisions-MIN_NUM_FORMS": "0", "revisions-MAX_NUM_FORMS": "1000"}
    response = client.post(url, form)
    assert response.status_code == 200 and "合理范围" in response.content.decode()
    form["value"] = "7"
    assert client.post(url, form).status_code == 302
    obs.refresh_from_db()
    assert (obs.value, obs.status) == (7.0, "final")
    last = obs.revisions.last()
    assert (last.old_value, last.new_value, last.source, last.changed_by) == (5.0, 7.0, "admin", admin_user)


def test_the_admin_lists_the_data_models(city, django_user_model, client):
    client.force_login(django_user_model.objects.create_superuser("root", password="x-long-password"))
    for model in ("category", "indicator", "period", "observation", "annualtarget", "importbatch"):
        assert client.get(reverse(f"admin:indicators_{model}_changelist")).status_code == 200
