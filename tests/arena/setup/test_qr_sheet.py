"""The judges' token sheet: choosing the phone judges, "生成并打印" issuing fresh links with a QR code
each, and old links stopping when they are regenerated."""

from __future__ import annotations

import re

from django.urls import reverse

from leitai.arena import services

LINK = re.compile(r'href="(http://testserver/arena/j/([^/"]+)/)"')


def test_the_sheet_page_warns_that_printing_replaces_the_links(login, organizer, arena, panel, paper_judge):
    html = login(organizer).get(reverse("arena:tokens", args=[arena.pk])).content.decode()
    assert "生成并打印" in html and "重新生成全部" in html
    assert "旧链接" in html and "立即失效" in html
    # Paper judges get no link: no checkbox to issue one (a bare "P6" could appear inside a random token).
    assert f'name="judge" value="{paper_judge.pk}"' not in html
    assert f'name="judge" value="{panel["P1"].pk}"' in html


def test_the_sheet_has_a_qr_code_and_a_working_link_per_chosen_judge(login, organizer, arena, panel):
    chosen = [panel["L1"], panel["P2"]]
    response = login(organizer).post(reverse("arena:tokens", args=[arena.pk]), {"judge": [j.pk for j in chosen]})
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert html.count('class="card judge-card"') == 2
    assert html.count("<svg") == 2
    assert html.count("请妥善保管，勿转发") == 2
    assert "@media print" in html and "size: A4" in html
    links = LINK.findall(html)
    assert [services.judge_for_token(token) for _url, token in links] == chosen
    assert reverse("arena:judge", args=[links[0][1]]) in links[0][0]


def test_printing_replaces_the_chosen_judges_links_and_keeps_the_others(login, organizer, arena, panel):
    login(organizer).post(reverse("arena:tokens", args=[arena.pk]), {"judge": [panel["L1"].pk]})
    assert services.judge_for_token(panel.tokens["L1"]) is None
    assert services.judge_for_token(panel.tokens["L2"]) == panel["L2"]


def test_regenerating_all_stops_every_old_link(login, organizer, arena, panel):
    html = login(organizer).post(reverse("arena:tokens", args=[arena.pk]), {"all": "1"}).content.decode()
    assert html.count("<svg") == len(panel.tokens) == 8
    assert all(services.judge_for_token(t) is None for t in panel.tokens.values())
    assert {services.judge_for_token(t).name for _u, t in LINK.findall(html)} == set(panel.tokens)


def test_printing_nobody_says_so(login, organizer, arena, panel):
    response = login(organizer).post(reverse("arena:tokens", args=[arena.pk]), {}, follow=True)
    assert "请至少选择一位评委" in response.content.decode()
    assert services.judge_for_token(panel.tokens["L1"]) == panel["L1"]


def test_the_sheet_refuses_a_reporter_and_changes_nothing(login, reporter_a, arena, panel):
    response = login(reporter_a).post(reverse("arena:tokens", args=[arena.pk]), {"all": "1"})
    assert response.status_code == 403
    assert all(services.judge_for_token(t) is not None for t in panel.tokens.values())
