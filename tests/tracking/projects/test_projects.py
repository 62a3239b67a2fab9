"""Key projects: the all-or-nothing import, edits with history, close-out, start rate and the pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from leitai.core.errors import LeitaiError
from leitai.tracking.models import KeyProject, ProjectChange
from leitai.tracking.projects import selectors as project_selectors
from leitai.tracking.projects import services as sp

TODAY = dt.date(2024, 6, 30)
HEAD = "项目名称,责任单位,批次,计划总投资,计划签约,计划开工,计划竣工投产,实际签约,实际开工,实际竣工投产\n"
GOOD = (HEAD
        + "智能制造产业园,东城区,2024第一批,12.5,2024-01-10,2024-03-01,2025-06-30,2024-01-12,2024-03-05,\n"
        + "港口物流中心,西城区,2024第一批,8,2024-02-01,2024-05-01,2025-12-31,2024-02-01,,\n"
        + "新能源电池项目,东城区,2024第二批,20,2024-04-01,2024-09-01,2026-06-30,,,\n")


def _import(organizer, text, name="projects.csv"):
    return sp.import_projects(organizer, text.encode("utf-8"), name, year=2024)


def _project(**kw):
    fields = {"code": "XM-T-1", "name": "测试项目", "batch": "第一批", "planned_sign": dt.date(2024, 1, 1),
              "actual_sign": dt.date(2024, 1, 1),
              "planned_start": dt.date(2024, 3, 1), "planned_complete": dt.date(2025, 3, 1)}
    fields.update(kw)
    return KeyProject.objects.create(**fields)


def test_a_clean_project_table_imports_every_row_with_its_stage(organizer, city):
    report = _import(organizer, GOOD)
    assert report["ok"], report["problems"]
    projects = {p.name: p for p in KeyProject.objects.all()}
    assert len(projects) == 3
    assert projects["智能制造产业园"].stage == "started"
    assert projects["智能制造产业园"].unit == city["a"]
    assert projects["港口物流中心"].stage == "signed"
    assert projects["新能源电池项目"].investment_planned == 20
    assert sorted(p.code for p in projects.values()) == ["XM-2024-0001", "XM-2024-0002", "XM-2024-0003"]


def test_one_bad_row_writes_nothing_and_the_report_names_row_and_column(organizer, city):
    bad = GOOD + "坏项目,不存在的区,2024第二批,abc,2024-13-01,2024-09-01,2026-06-30,,,\n"
    report = _import(organizer, bad)
    assert not report["ok"]
    assert KeyProject.objects.count() == 0
    where = {(p.row, p.column, p.header) for p in report["problems"]}
    assert (5, "B", "责任单位") in where
    assert (5, "D", "计划总投资") in where
    assert (5, "E", "计划签约") in where
    assert all(p.sheet == "projects" for p in report["problems"])
    assert "第 5 行" in report["problems"][0].where()


def test_a_table_without_the_required_columns_is_rejected(organizer, city):
    report = _import(organizer, "项目名称,责任单位\n某项目,东城区\n")
    assert not report["ok"]
    assert "计划开工" in report["problems"][0].message_zh


def test_only_the_organizer_imports_projects(reporter_a):
    with pytest.raises(PermissionDenied):
        _import(reporter_a, GOOD)


def test_each_changed_field_is_recorded_and_the_stage_follows_the_actual_dates(reporter_a, city):
    p = _project(unit=city["a"], actual_sign=None)
    sp.update_project(reporter_a, p, actual_sign=dt.date(2024, 1, 2), actual_start=dt.date(2024, 3, 10),
                      investment_done=3.5, planned_sign=dt.date(2024, 1, 1))
    p.refresh_from_db()
    assert p.stage == "started"
    changes = {c.field: (c.old, c.new) for c in ProjectChange.objects.filter(project=p)}
    assert changes == {"actual_sign": ("", "2024-01-02"), "actual_start": ("", "2024-03-10"),
                       "investment_done": ("", "3.5"), "stage": ("signed", "started")}
    assert set(ProjectChange.objects.values_list("by_user__username", flat=True)) == {"reporter_a"}


def test_a_reporter_cannot_edit_another_countys_project_or_change_the_plan(reporter_a, city):
    other = _project(unit=city["b"])
    with pytest.raises(PermissionDenied):
        sp.update_project(reporter_a, other, investment_done=1.0)
    own = _project(code="XM-T-2", unit=city["a"])
    with pytest.raises(PermissionDenied):
        sp.update_project(reporter_a, own, planned_start=dt.date(2024, 12, 1))
    assert ProjectChange.objects.count() == 0


def test_a_project_closes_only_when_completed_and_then_stays_frozen(organizer, reporter_a, city):
    p = _project(unit=city["a"])
    with pytest.raises(LeitaiError):
        sp.close_project(organizer, p)
    sp.update_project(organizer, p, actual_start=dt.date(2024, 3, 1), actual_complete=dt.date(2025, 2, 1))
    with pytest.raises(PermissionDenied):
        sp.close_project(reporter_a, p)
    p = sp.close_project(organizer, p)
    assert p.closed and p.stage == "completed"
    with pytest.raises(LeitaiError):
        sp.update_project(organizer, p, investment_done=9.0)
    assert ProjectChange.objects.filter(project=p, field="closed").count() == 1


def test_the_board_gives_each_unit_its_start_rate_and_colours(organizer, city):
    _project(code="P1", unit=city["a"], actual_start=dt.date(2024, 3, 1), stage="started")
    _project(code="P2", unit=city["a"], planned_start=dt.date(2024, 4, 1))  # 90 days late: red
    _project(code="P3", unit=city["a"], planned_start=dt.date(2024, 9, 1), planned_complete=dt.date(2025, 9, 1))
    _project(code="P4", unit=city["b"], batch="第二批", planned_start=dt.date(2024, 6, 20))  # 10 days late
    data = project_selectors.board(TODAY)
    rows = {r["unit"].code: r for r in data["units"]}
    assert (rows["A"]["started"], rows["A"]["due"]) == (1, 2)
    assert rows["A"]["start_rate"] == pytest.approx(0.5)
    assert rows["A"]["colours"] == {"green": 2, "yellow": 0, "red": 1}
    assert rows["B"]["colours"]["yellow"] == 1
    assert [r["unit"].code for r in project_selectors.board(TODAY, batch="第二批")["units"]] == ["B"]


def test_the_board_and_battle_map_pages_show_the_projects(login, organizer, city):
    _project(code="P1", unit=city["a"], actual_start=dt.date(2024, 3, 1),
             stage="started")
    _project(code="P2", unit=city["a"], planned_start=dt.date(2024, 4, 1))
    client = login(organizer)
    page = client.get(reverse("tracking:projects") + "?today=2024-06-30").content.decode()
    assert "开工率" in page and "50%" in page and 'data-colour="red"' in page
    page = client.get(reverse("tracking:battle_map", args=["A"]) + "?today=2024-06-30").content.decode()
    assert "plotly" not in page and 'class="lt-chart lt-gantt"' in page and "P2" in page
    chart = page.split('id="gantt"')[1].split("</svg>")[0]
    assert 'fill="#dc2626"' in chart  # P2's unstarted stage is a red bar
    months = re.findall(r'class="lt-month">([^<]*)<', chart)  # in Chinese, the year on January's
    assert months[0] == "2024年1月" and "2025年1月" in months and all(m.endswith("月") for m in months)
    assert "http://" not in page.replace("http://testserver", "") and "https://" not in page


def test_the_project_page_saves_a_reporters_progress_and_shows_the_history(login, reporter_a, city):
    p = _project(unit=city["a"], actual_sign=None)
    client = login(reporter_a)
    page = client.get(reverse("tracking:project", args=[p.code])).content.decode()
    assert 'name="actual_start"' in page and 'name="planned_start"' not in page
    data = {"investment_done": "2", "stage": "signed", "actual_sign": "2024-01-05", "actual_start": "",
            "actual_complete": ""}
    response = client.post(reverse("tracking:project", args=[p.code]), data)
    assert response.status_code == 302
    page = client.get(reverse("tracking:project", args=[p.code])).content.decode()
    assert "actual_sign" in page and "2024-01-05" in page


def test_project_pages_need_a_data_editor_and_import_needs_the_organizer(client, login, judge, reporter_a, city):
    assert client.get(reverse("tracking:projects")).status_code == 302
    assert login(judge).get(reverse("tracking:projects")).status_code == 403
    assert login(reporter_a).get(reverse("tracking:import_projects")).status_code == 403


def test_the_import_page_reports_bad_cells(login, organizer, city):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("projects.csv", (HEAD + "坏项目,东城区,第一批,1,2024-01-01,明天,2025-01-01,,,\n").encode())
    page = login(organizer).post(reverse("tracking:import_projects"), {"file": upload}).content.decode()
    assert "第 2 行" in page and "F 列" in page and "未写入任何项目" in page
    assert KeyProject.objects.count() == 0


def test_the_board_exports_its_projects_in_the_import_columns_and_the_file_imports_again(login, organizer, city):
    import io

    import openpyxl

    assert _import(organizer, GOOD)["ok"]
    client = login(organizer)
    assert 'href="/tracking/projects/export.xlsx?unit=&amp;batch="' in client.get(reverse("tracking:projects")).content.decode()
    r = client.get(reverse("tracking:export_projects") + "?batch=2024第一批&today=2024-06-30")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.values)
    assert rows[0][:4] == ("项目编号", "项目名称", "责任单位", "批次") and rows[0][-3:] == ("阶段", "进度", "已销号")
    by_name = {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert set(by_name) == {"智能制造产业园", "港口物流中心"}  # the batch filter holds
    park = by_name["智能制造产业园"]
    assert (park["责任单位"], park["计划总投资"], park["阶段"], park["已销号"]) == ("东城区", 12.5, "已开工", "否")
    assert park["实际开工"].date() == dt.date(2024, 3, 5) and park["进度"] == "滞后 30 天内"  # started 4 days late
    # Round trip: the same rows under new codes import cleanly into an empty table.
    KeyProject.objects.all().delete()
    for row in ws.iter_rows(min_row=2):
        row[0].value = None
    out = io.BytesIO()
    ws.parent.save(out)
    report = sp.import_projects(organizer, out.getvalue(), "export.xlsx", year=2024)
    assert report["ok"], report["problems"]
    assert sorted(KeyProject.objects.values_list("name", "stage")) == [("智能制造产业园", "started"),
                                                                      ("港口物流中心", "signed")]


def test_a_batch_is_shown_at_an_arena_for_its_contestants_and_listed_on_the_results_page(login, organizer, reporter_a,
                                                                                        city, arena):
    _project(code="P1", unit=city["a"], batch="第一批")
    _project(code="P2", unit=city["town"], batch="第一批", name="街道项目")  # under contestant A
    _project(code="P3", unit=city["dept"], batch="第一批", name="部门项目")  # not a contestant
    _project(code="P4", unit=city["b"], batch="第二批")
    with pytest.raises(PermissionDenied):
        sp.show_at_arena(reporter_a, "第一批", arena)
    with pytest.raises(LeitaiError):
        sp.show_at_arena(organizer, "第三批", arena)
    assert sp.show_at_arena(organizer, "第一批", arena) == 2
    assert sorted(KeyProject.objects.filter(arena=arena).values_list("code", flat=True)) == ["P1", "P2"]
    assert ProjectChange.objects.filter(field="arena", new=arena.name).count() == 2
    assert sp.show_at_arena(organizer, "第一批", arena) == 0  # already there: nothing recorded again

    client = login(organizer)
    page = client.get(reverse("arena:setup", args=[arena.pk])).content.decode()
    section = page.split('id="arena-projects"')[1]
    assert "P1" in section and "街道项目" in section and "部门项目" not in section
    board = client.get(reverse("tracking:projects")).content.decode()
    assert 'id="show-at-arena"' in board and reverse("arena:results", args=[arena.pk]) in board

    # The board's form takes the batch off again (no arena chosen).
    r = client.post(reverse("tracking:show_at_arena"), {"batch": "第一批", "arena": ""}, follow=True)
    assert r.status_code == 200 and not KeyProject.objects.filter(arena__isnull=False).exists()
    r = client.post(reverse("tracking:show_at_arena"), {"batch": "第二批", "arena": str(arena.pk)}, follow=True)
    assert KeyProject.objects.get(code="P4").arena == arena and "将在" in r.content.decode()
    assert login(reporter_a).post(reverse("tracking:show_at_arena"), {"batch": "第二批", "arena": ""}).status_code == 403
    # Once published, the public results page lists them too.
    from leitai.arena.models import Arena

    Arena.objects.filter(pk=arena.pk).update(status=Arena.Status.PUBLISHED, result={"rows": []})
    public = login(reporter_a).get(reverse("arena:results", args=[arena.pk])).content.decode()
    assert "P4" in public.split('id="arena-projects"')[1]
