"""A judge's sign-in account (Judge.account): set on the set-up page, only a 评委 user; the judge opens their
own scoring page (services.issue_own_token), nobody else's, never after publication or for a paper judge."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leitai.arena import services
from leitai.arena.models import Arena, Judge
from leitai.core.errors import LeitaiError


def test_the_set_up_page_links_a_judge_to_a_judge_account(login, organizer, judge, arena):
    group = arena.groups.get(code="leaders")
    response = login(organizer).post(reverse("arena:add_judge", args=[arena.pk]),
                                     {"group": group.pk, "name": "钱七", "title": "市长", "account": judge.pk})
    assert response.status_code == 302
    assert Judge.objects.get(arena=arena, name="钱七").account == judge


def test_only_a_judge_account_may_be_linked(organizer, public_user, arena):
    with pytest.raises(LeitaiError, match="评委账号须为"):
        services.add_judge(arena, organizer, group="leaders", name="钱七", account=public_user)


def test_a_judge_opens_their_own_scoring_page_and_the_old_link_stops(organizer, judge, arena):
    seat = services.add_judge(arena, organizer, group="leaders", name="钱七", account=judge)
    old = services.issue_token(seat, organizer)
    new = services.issue_own_token(seat, judge)
    assert services.judge_for_token(new).pk == seat.pk
    assert services.judge_for_token(old) is None
    assert arena.events.filter(kind="token_issued", payload__by="judge").exists()


def test_nobody_opens_another_judges_page(organizer, judge, reporter_a, arena):
    seat = services.add_judge(arena, organizer, group="leaders", name="钱七")
    for user in (judge, organizer, reporter_a):
        with pytest.raises(LeitaiError, match="只能打开本人的评分页面"):
            services.issue_own_token(seat, user)


def test_no_own_link_for_a_paper_judge_or_after_publication(organizer, judge, arena):
    paper = services.add_judge(arena, organizer, group="public", name="孙八", paper=True, account=judge)
    with pytest.raises(LeitaiError, match="纸质评分"):
        services.issue_own_token(paper, judge)
    seat = services.add_judge(arena, organizer, group="leaders", name="钱七", account=judge)
    Arena.objects.filter(pk=arena.pk).update(status=Arena.Status.PUBLISHED)
    seat.refresh_from_db()
    with pytest.raises(LeitaiError, match="已发布"):
        services.issue_own_token(seat, judge)
