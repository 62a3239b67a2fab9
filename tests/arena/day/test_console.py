"""The console protects the day: irreversible steps carry a confirmation said on the server (what is missing),
a reveal below the quorum needs a reason, scoring reopens with a reason, and ties on a bonus or deduction
boundary are shown before publication. (The browser side: tests/browser/test_arena_console.py.)"""

from __future__ import annotations

import html as htmllib
import re

import pytest
from django.urls import reverse

from leitai.arena import services
from leitai.arena.models import Arena, ArenaEvent, Contestant

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def body(client, arena) -> str:
    return htmllib.unescape(client.get(reverse("arena:console_body", args=[arena.pk])).content.decode())


def confirm_of(page: str, label: str) -> str:
    """The data-confirm of the console's (focus) button or form button labelled `label`."""
    for m in re.finditer(r"<button[^>]*>([^<]*)</button>", page, re.S):
        if m.group(1).strip() == label:
            found = re.search(r'data-confirm="([^"]*)"', m.group(0))
            return found.group(1) if found else ""
    raise AssertionError(f"no button {label}")


def test_closing_asks_first_and_says_how_many_sheets_are_in(login, organizer, arena, contestants, panel, sheet,
                                                            stage_to):
    c = stage_to(contestants["A"], "scoring_open", organizer)
    services.submit_sheet(panel["P1"], c, sheet(8), "k1")
    page = body(login(organizer), arena)
    # A expects 7 judges (L3 sits out): the message names what is missing, with a template the console
    # keeps current as sheets come in (live_console.js).
    assert confirm_of(page, "结束评分") == "7 位评委中 1 位已提交，结束评分后不能再提交。确认结束评分？"
    assert 'data-confirm-template="{expected} 位评委中 {submitted} 位已提交' in page


def test_a_reveal_below_the_quorum_is_a_form_that_needs_a_reason(login, organizer, arena, contestants, panel,
                                                                 sheet, stage_to):
    c = stage_to(contestants["A"], "scoring_open", organizer)
    services.submit_sheet(panel["P1"], c, sheet(8), "k1")
    stage_to(c, "scoring_closed", organizer)
    client = login(organizer)
    page = body(client, arena)
    assert "东城区 市领导：2 位评委中 0 位已提交，至少需要 2 份" in page
    assert 'name="override_reason" required' in page
    assert "评分表不足法定份数" in confirm_of(page, "填写理由后强制揭晓")
    advance = reverse("arena:console_advance", args=[c.pk])
    refused = htmllib.unescape(client.post(advance, {"target": "revealed"}, **HX).content.decode())
    assert "评分表不足法定份数，不能揭晓" in refused and "社会各界代表：5 位评委中 1 位已提交，至少需要 3 份" in refused
    assert Contestant.objects.get(pk=c.pk).stage == "scoring_closed"
    client.post(advance, {"target": "revealed", "override_reason": "评委临时缺席"}, **HX)
    assert Contestant.objects.get(pk=c.pk).stage == "revealed"
    assert ArenaEvent.objects.get(arena=arena, kind="quorum_override").payload["reason"] == "评委临时缺席"


def test_at_the_quorum_the_reveal_is_a_button_that_asks_first(login, organizer, arena, contestants, panel, sheet,
                                                              stage_to):
    c = stage_to(contestants["A"], "scoring_open", organizer)
    for name in ("L1", "L2", "P1", "P2", "P3"):
        services.submit_sheet(panel[name], c, sheet(8), name)
    stage_to(c, "scoring_closed", organizer)
    page = body(login(organizer), arena)
    assert confirm_of(page, "揭晓结果") == "东城区的结果揭晓后立即显示在大屏上，不能撤回。确认揭晓？"
    assert "override_reason" not in page


def test_the_console_reopens_scoring_with_a_reason(login, organizer, arena, contestants, panel, sheet, stage_to):
    c = stage_to(contestants["A"], "scoring_closed", organizer)
    client = login(organizer)
    page = body(client, arena)
    assert "重新打开评分" in page and reverse("arena:console_reopen", args=[c.pk]) in page
    url = reverse("arena:console_reopen", args=[c.pk])
    refused = client.post(url, {"reason": ""}, **HX).content.decode()
    assert "重新打开评分的理由不能为空" in refused and Contestant.objects.get(pk=c.pk).stage == "scoring_closed"
    client.post(url, {"reason": "评委网络故障"}, **HX)
    assert Contestant.objects.get(pk=c.pk).stage == "scoring_open"
    assert "重新打开评分" not in body(client, arena)  # open again: nothing to reopen


def test_ties_on_a_bonus_or_deduction_boundary_are_shown_before_publication(login, organizer, arena, contestants,
                                                                            panel, sheet, stage_to):
    services.set_quorum(arena, organizer, 0)
    for code, mark in (("A", 9), ("B", 7), ("K", 7)):  # B and K tie for 2nd of 3: +1 and −1 untied
        c = stage_to(contestants[code], "scoring_open", organizer)
        services.submit_sheet(panel["P1"], c, sheet(mark), f"P1-{code}")
        stage_to(c, "scoring_closed", organizer)
    client = login(organizer)
    page = body(client, arena)
    assert "并列名次涉及加减分" in page
    assert "西城区、南山县 并列第 2 名，各计 -1 分；若不并列，第 2–3 名应分别计 +1、-1 分" in page
    for code in ("A", "B", "K"):
        stage_to(contestants[code], "revealed", organizer)
    assert "注意并列：西城区、南山县 并列第 2 名" in confirm_of(body(client, arena), "发布结果")
    client.post(reverse("arena:console_publish", args=[arena.pk]), **HX)
    assert Arena.objects.get(pk=arena.pk).status == Arena.Status.PUBLISHED
    assert "并列名次涉及加减分" not in body(client, arena)


def test_publication_below_the_quorum_needs_a_reason_in_the_console(login, organizer, arena, contestants, panel,
                                                                    sheet, stage_to):
    Arena.objects.filter(pk=arena.pk).update(reveal_mode="end")
    for code in ("A", "B", "K"):
        c = stage_to(contestants[code], "scoring_open", organizer)
        services.submit_sheet(panel["P1"], c, sheet(8), f"P1-{code}")
        stage_to(c, "scoring_closed", organizer)
    client = login(organizer)
    page = body(client, arena)
    assert "评分表不足法定份数" in confirm_of(page, "填写理由后强制揭晓")
    client.post(reverse("arena:console_reveal_all", args=[arena.pk]), **HX)
    assert set(arena.contestants.values_list("stage", flat=True)) == {"scoring_closed"}
    client.post(reverse("arena:console_reveal_all", args=[arena.pk]), {"override_reason": "试运行"}, **HX)
    assert set(arena.contestants.values_list("stage", flat=True)) == {"revealed"}
    page = body(client, arena)
    assert "发布后结果不可更改" in confirm_of(page, "发布结果")  # the reveal excused them: no reason asked again


def test_after_a_reload_the_judges_phone_shows_the_sheet_already_submitted(client, arena, contestants, panel,
                                                                          organizer, sheet, stage_to):
    c = stage_to(contestants["A"], "scoring_open", organizer)
    services.submit_sheet(panel["L1"], c, sheet(8, quality=9.5), "k1")
    stage_to(c, "scoring_closed", organizer)
    for stage in ("scoring_closed", "revealed"):
        if stage == "revealed":
            services.advance(c, "revealed", organizer, override_reason="测试")
        page = client.get(reverse("arena:judge", args=[panel.tokens["L1"]])).content.decode()
        assert 'id="sheet"' in page and "已提交 ✓" in page and "9.5" in page
        assert "评分表只读" in page and 'class="score-form"' not in page
    # A judge who sent nothing for it waits as before; another judge never sees L1's scores.
    other = client.get(reverse("arena:judge", args=[panel.tokens["L2"]])).content.decode()
    assert 'id="sheet"' not in other and "9.5" not in other
