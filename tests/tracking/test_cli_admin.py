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


def test_projects_and_pledges_import_and_export_from_the_command_line(city, organizer, tmp_path):
    import openpyxl

    from leitai.tracking.models import KeyProject, Pledge
    from tests.tracking.pledges.test_import_pledges import GOOD, book
    from tests.tracking.projects.test_projects import GOOD as PROJECTS

    projects = tmp_path / "projects.csv"
    projects.write_text(PROJECTS, encoding="utf-8")
    result = CliRunner().invoke(tracking, ["import-projects", str(projects), "--year", "2024"])
    assert result.exit_code == 0 and "已导入 3 个项目" in result.output
    assert KeyProject.objects.count() == 3

    out = tmp_path / "out.xlsx"
    result = CliRunner().invoke(tracking, ["export-projects", str(out), "--unit", "A", "--today", "2024-06-30"])
    assert result.exit_code == 0
    rows = list(openpyxl.load_workbook(out).active.values)
    assert len(rows) == 3 and {r[2] for r in rows[1:]} == {"东城区"}

    bad = tmp_path / "pledges.xlsx"
    bad.write_bytes(book(GOOD + [["不存在的区", None, "承诺", None, None, None, None, None, None]]))
    result = CliRunner().invoke(tracking, ["import-pledges", str(bad), "--lang", "en"])
    assert result.exit_code == 2 and "nothing written" in result.output and "Unknown unit" in result.output
    assert Pledge.objects.count() == 0
    good = tmp_path / "good.xlsx"
    good.write_bytes(book(GOOD))
    result = CliRunner().invoke(tracking, ["import-pledges", str(good), "--as", organizer.username])
    assert result.exit_code == 0 and "已导入 3 个承诺" in result.output and Pledge.objects.count() == 3
    assert CliRunner().invoke(tracking, ["import-pledges", str(good), "--as", "nobody"]).exit_code != 0


def test_an_admin_edit_of_an_open_item_is_in_its_history_and_a_closed_item_is_read_only(admin_client, city, organizer):
    """The admin may correct an open item; each change is a line in the item's history ("后台修改": old → new).
    A closed item is shown, never changed, and takes no new measure."""
    import datetime as dt

    from django.urls import reverse

    from leitai.core.errors import LeitaiError
    from leitai.tracking import services as ts
    from leitai.tracking.models import Item

    first, later = dt.date.today() + dt.timedelta(days=30), dt.date.today() + dt.timedelta(days=60)
    item = ts.create_item(organizer, title="道路积水", unit=city["a"], deadline=first)
    url = reverse("admin:tracking_item_change", args=[item.pk])
    form = {f.name: getattr(item, f.attname) for f in Item._meta.concrete_fields
            if f.editable and f.name not in ("id", "code", "state", "closed_on", "assigned_on", "created_by",
                                             "arena_shortcoming", "arena_item", "import_batch")}
    form = {k: ("on" if v is True else "" if v in (None, False) else v) for k, v in form.items()}
    form.update({"unit": city["b"].pk, "deadline": later.isoformat(), "measures-TOTAL_FORMS": 0,
                 "measures-INITIAL_FORMS": 0, "transitions-TOTAL_FORMS": 1, "transitions-INITIAL_FORMS": 1,
                 "transitions-0-id": item.transitions.get().pk, "transitions-0-item": item.pk})
    response = admin_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    last = Item.objects.get(pk=item.pk).transitions.order_by("-id").first()
    assert last.action == "edited"
    assert "东城区 → 西城区" in last.text and f"{first} → {later}" in last.text
    Item.objects.filter(pk=item.pk).update(state="closed", closed_on=dt.date.today())
    assert admin_client.post(url, form).status_code == 403
    with pytest.raises(LeitaiError, match="已销号"):
        ts.add_measure(organizer, Item.objects.get(pk=item.pk), "再加一条")
