"""The `tracking` commands and the admin pages (which never offer deletion)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from leitai.commands.tracking import tracking
from leitai.tracking.models import Reminder

pytestmark = pytest.mark.django_db(transaction=True)


def test_supervise_runs_the_job_for_the_given_day_and_prints_a_summary(items, settings):
    settings.LEITAI_NOTIFIER = "none"
    result = CliRunner().invoke(tracking, ["supervise", "--today", "2024-06-15"])
    assert result.exit_code == 0, result.output
    assert "即将到期 1 项，已逾期 2 项，长期逾期 1 项" in result.output
    assert Reminder.objects.filter(day="2024-06-15").count() == 4


def test_judge_pledges_prints_the_verdicts(city, organizer):
    from leitai.indicators import services as data
    from leitai.tracking import services

    april = city["periods"]["2024-04"]
    services.create_pledge(organizer, unit=city["a"], text="增速不低于6%", indicator=city["gdp"], comparison="ge",
                           target_value=6, deadline=april)
    data.set_observation(organizer, city["a"], city["gdp"], april, 5.2)
    result = CliRunner().invoke(tracking, ["judge-pledges", "--today", "2024-06-01"])
    assert result.exit_code == 0, result.output
    assert "未兑现" in result.output and "核验承诺 1 项" in result.output


def test_the_admin_lists_items_and_offers_no_deletion(items, login, organizer):
    organizer.is_superuser = True
    organizer.save()
    c = login(organizer)
    assert c.get("/admin/tracking/item/").status_code == 200
    page = c.get(f"/admin/tracking/item/{items['a_done'].pk}/change/")
    assert page.status_code == 200 and f"/{items['a_done'].pk}/delete/" not in page.content.decode()
    assert c.get(f"/admin/tracking/item/{items['a_done'].pk}/delete/").status_code == 403
    assert c.get("/admin/tracking/transition/").status_code == 200
