"""Awards (表彰): rule awards from a published arena and a published ranking (hand-checked, ties), granting
again adds nothing, nominations and their approval, who may do what, revocation with the history kept, the
certificates, the public page and the API, and the awards in the assessment.

The fixtures: the `city` of tests/conftest.py (counties A 东城区, B 西城区, K 南山县; 张三 区委书记 of A) with the
arena of tests/arena (2024Q1, contestants A, B, K, each presented by its head), and the county plan of
tests/rankings published for 2024-03 and 2024-04. Their published ranks, read off the ranking pages:
2024-03 B 1 (red flag), K 2, A 3 (yellow flag); 2024-04 A 1 (red flag), B 2, K 3 (yellow flag).
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pypdfium2 as pdfium
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from leitai.arena.models import Arena
from leitai.awards import certificates, selectors, services
from leitai.awards.models import Award, AwardEvent, Recipient
from leitai.core.errors import LeitaiError
from leitai.core.io.assess import format_out_csv, parse_inputs_json
from leitai.core.tracking.assessment import compute_assessment
from tests.rankings.support import add_data, make_plan, publish


def _published_arena(arena, rows):
    """The arena as published with these frozen rows [(unit code, rank, score)] (the frozen result's shape)."""
    contestants = {c.unit.code: c for c in arena.contestants.select_related("unit", "person")}
    result_rows = [{"contestant": contestants[u].pk, "unit": u, "unit_name": contestants[u].unit.name,
                    "person": contestants[u].person.name if contestants[u].person else "", "title": contestants[u].title,
                    "order": contestants[u].order, "score": score, "rank": rank, "groups": {}, "sheets": 5, "bonus": 0}
                   for u, rank, score in rows]
    Arena.objects.filter(pk=arena.pk).update(status=Arena.Status.PUBLISHED, result={"rows": result_rows},
                                             published_at=timezone.now())
    return Arena.objects.get(pk=arena.pk)


def _kind(user, code, rule="", basis="rule", n=1, recipient=Recipient.UNIT, name=None):
    return services.save_kind(user, code=code, name=name or code, basis=basis, rule=rule, n=n, recipient=recipient)


@pytest.fixture
def rankings(city, organizer):
    plan = make_plan(organizer)
    add_data(city)
    march = publish(plan, city, "2024-03", organizer)
    april = publish(plan, city, "2024-04", organizer)
    return plan, march, april


@pytest.fixture
def dolphin_turtle(organizer):
    return _kind(organizer, "haitun", "arena_best", name="海豚奖"), _kind(organizer, "haigui", "arena_worst", name="海龟奖")


# ------------------------------------------------------------------------------------------- rules


def test_the_best_of_the_arena_gets_the_dolphin_naming_its_head_and_a_tie_at_the_bottom_gives_two_turtles(
        city, organizer, arena, dolphin_turtle):
    # A first with 90; B and K share the last rank (2) with 85: both get the 海龟奖
    published = _published_arena(arena, [("A", 1, 90.0), ("B", 2, 85.0), ("K", 2, 85.0)])
    added = services.grant_from_arena(organizer, published)
    dolphin, turtle = dolphin_turtle
    got = {(a.kind.code, a.unit.code) for a in added}
    assert got == {("haitun", "A"), ("haigui", "B"), ("haigui", "K")}
    best = next(a for a in added if a.kind == dolphin)
    assert best.person == city["person"] and best.person_title == "区委书记"  # 张三, A's head on the arena day
    assert best.status == Award.Status.APPROVED and best.arena_id == arena.pk and best.period.code == "2024Q1"
    assert "第一名" in best.reason and "90.00" in best.reason
    assert best.date == dt.date(2024, 4, 10)


def test_a_tie_at_the_top_gives_every_tied_unit_the_dolphin_and_nobody_is_last_when_all_tie(
        organizer, arena, dolphin_turtle):
    published = _published_arena(arena, [("A", 1, 88.0), ("B", 1, 88.0), ("K", 1, 88.0)])
    added = services.grant_from_arena(organizer, published)
    assert sorted((a.kind.code, a.unit.code) for a in added) == [("haitun", "A"), ("haitun", "B"), ("haitun", "K")]


def test_granting_again_from_the_same_result_adds_nothing(organizer, arena, dolphin_turtle, rankings):
    published = _published_arena(arena, [("A", 1, 90.0), ("B", 2, 85.0), ("K", 3, 80.0)])
    assert len(services.grant_from_arena(organizer, published)) == 2
    assert services.grant_from_arena(organizer, published) == []
    top = _kind(organizer, "top2", "ranking_top", n=2)
    _plan, _march, april = rankings
    assert len(services.grant(organizer, top, f"ranking:{april.pk}")) == 2
    assert services.grant(organizer, top, f"ranking:{april.pk}") == []
    assert Award.objects.count() == 4 and AwardEvent.objects.filter(action="granted").count() == 4


def test_an_unpublished_arena_grants_nothing(organizer, arena, dolphin_turtle):
    with pytest.raises(LeitaiError):
        services.grant_from_arena(organizer, arena)


def test_ranking_rules_hand_checked_against_the_published_months(city, organizer, rankings):
    _plan, march, april = rankings
    kinds = [_kind(organizer, "top2", "ranking_top", n=2), _kind(organizer, "last", "ranking_bottom", n=1),
             _kind(organizer, "red", "flag_red"), _kind(organizer, "yellow", "flag_yellow"),
             _kind(organizer, "gain", "most_gained")]
    added = services.grant_from_ranking(organizer, april)
    got = sorted((a.kind.code, a.unit.code) for a in added)
    # 2024-04: A 1, B 2, K 3; red A, yellow K; A rose from 3 to 1 (+2), B and K fell one place each
    assert got == [("gain", "A"), ("last", "K"), ("red", "A"), ("top2", "A"), ("top2", "B"), ("yellow", "K")]
    gain = next(a for a in added if a.kind.code == "gain")
    assert gain.base_ranking == march and "进位 2 名" in gain.reason and "第 3 名 → 第 1 名" in gain.reason
    red = next(a for a in added if a.kind.code == "red")
    assert red.ranking == april and red.person == city["person"] and red.date == dt.date(2024, 4, 30)
    assert len(kinds) == 5
    # the first month has no month before it: nobody gained places
    assert not any(a.kind.code == "gain" for a in services.grant_from_ranking(organizer, march))


def test_a_rule_kind_reads_only_its_kind_of_result(organizer, arena, dolphin_turtle, rankings):
    dolphin, _turtle = dolphin_turtle
    with pytest.raises(LeitaiError):
        services.grant(organizer, dolphin, f"ranking:{rankings[2].pk}")


def test_the_organizer_grants_by_rule_from_the_ranking_page_link_and_each_award_links_back(
        login, organizer, rankings):
    _plan, _march, april = rankings
    _kind(organizer, "red", "flag_red", name="红旗单位")
    client = login(organizer)
    assert f'?source=ranking:{april.pk}"' in client.get(reverse("rankings:detail", args=[april.pk])).content.decode()
    page = client.get(reverse("awards:grant") + f"?source=ranking:{april.pk}")
    assert page.status_code == 200 and "红旗单位" in page.content.decode()
    client.post(reverse("awards:grant"), {"source": f"ranking:{april.pk}"})
    client.post(reverse("awards:grant"), {"source": f"ranking:{april.pk}"})
    award = Award.objects.get()
    html = client.get(reverse("awards:detail", args=[award.pk])).content.decode()
    assert reverse("rankings:detail", args=[april.pk]) in html


# ------------------------------------------------------------------------------------------- nominations


@pytest.fixture
def breakthrough(organizer):
    return _kind(organizer, "tupo", basis="nomination", name="突破奖")


def test_a_reporter_nominates_the_organizer_approves_and_only_then_the_public_sees_it(
        client, login, city, organizer, reporter_a, breakthrough):
    reporter = login(reporter_a)
    response = reporter.post(reverse("awards:nominate"), {
        "kind": breakthrough.pk, "unit": city["a"].pk, "date": "2024-05-01", "reason": "招商引资实现重大突破，签约项目 6 个"})
    award = Award.objects.get()
    assert response.status_code == 302 and award.status == Award.Status.PENDING and award.nominated_by == reporter_a
    # a reporter cannot approve, not by the page and not by the service
    assert reporter.post(reverse("awards:decide", args=[award.pk]), {"decision": "approve"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.approve(reporter_a, award)
    client.logout()
    # pending: not on the public page, not in the API, no page of its own for the anonymous
    assert "招商引资实现重大突破" not in client.get(reverse("awards:index")).content.decode()
    assert client.get(reverse("awards:detail", args=[award.pk])).status_code == 404
    assert client.get(f"/api/v1/awards/{award.pk}").status_code == 404
    assert client.get("/api/v1/awards/").json() == []
    organizer_client = login(organizer)
    assert "招商引资实现重大突破" in organizer_client.get(reverse("awards:pending")).content.decode()
    organizer_client.post(reverse("awards:decide", args=[award.pk]), {"decision": "approve", "note": "同意"})
    award.refresh_from_db()
    assert award.status == Award.Status.APPROVED and award.decided_by == organizer
    client.logout()
    assert "招商引资实现重大突破" in client.get(reverse("awards:index")).content.decode()
    listed = client.get("/api/v1/awards/").json()
    assert [a["id"] for a in listed] == [award.pk] and listed[0]["unit"] == "A" and listed[0]["source"] is None


def test_a_reporter_nominates_only_within_their_unit(city, reporter_a, breakthrough):
    with pytest.raises(PermissionDenied):
        services.nominate(reporter_a, breakthrough, recipient=Recipient.UNIT, unit=city["b"], reason="西城区的成绩很突出")


def test_a_rejection_needs_a_reason_and_a_revocation_keeps_the_award_and_its_history(
        client, login, city, organizer, breakthrough):
    a = services.nominate(organizer, breakthrough, recipient=Recipient.UNIT, unit=city["a"], reason="攻坚克难成效明显")
    with pytest.raises(LeitaiError):
        services.reject(organizer, a, "")
    services.approve(organizer, a)
    page = login(organizer)
    page.post(reverse("awards:revoke", args=[a.pk]), {"reason": ""})
    a.refresh_from_db()
    assert a.status == Award.Status.APPROVED  # no reason, no revocation
    page.post(reverse("awards:revoke", args=[a.pk]), {"reason": "事迹核实有误"})
    a.refresh_from_db()
    assert a.status == Award.Status.REVOKED and a.revoke_reason == "事迹核实有误"
    assert [e.action for e in a.events.all()] == ["nominated", "approved", "revoked"]
    with pytest.raises(LeitaiError):
        a.delete()
    html = page.get(reverse("awards:detail", args=[a.pk])).content.decode()
    assert "事迹核实有误" in html
    client.logout()
    assert client.get(reverse("awards:detail", args=[a.pk])).status_code == 404
    assert selectors.awards_for_unit(city["a"]) == []


def test_the_pages_ask_before_approving_rejecting_and_revoking(login, city, organizer, breakthrough):
    a = services.nominate(organizer, breakthrough, recipient=Recipient.UNIT, unit=city["a"], reason="攻坚克难成效明显")
    html = login(organizer).get(reverse("awards:detail", args=[a.pk])).content.decode()
    assert html.count("data-confirm") == 2
    services.approve(organizer, a)
    assert "data-confirm" in login(organizer).get(reverse("awards:detail", args=[a.pk])).content.decode()


# ------------------------------------------------------------------------------------------- teams, people


def test_team_awards_reach_the_members_of_the_day_and_unit_awards_the_head_named(city, organizer, arena,
                                                                                 dolphin_turtle):
    from leitai.units.models import Person

    team_kind = _kind(organizer, "team", basis="nomination", recipient=Recipient.TEAM, name="优秀团队")
    team = services.save_team(organizer, name="东城区招商专班", unit=city["a"])
    li = Person.objects.create(name="李四")
    wang = Person.objects.create(name="王五")
    services.add_member(organizer, team, li, start=dt.date(2024, 1, 1), role="组长")
    left = services.add_member(organizer, team, wang, start=dt.date(2024, 1, 1))
    services.end_membership(organizer, left, dt.date(2024, 2, 1))
    award = services.approve(organizer, services.nominate(organizer, team_kind, recipient=Recipient.TEAM, team=team,
                                                          date=dt.date(2024, 3, 31), reason="专班全程代办招商项目"))
    assert selectors.awards_for_person(li) == [award]
    assert selectors.awards_for_person(wang) == []  # left before the award
    assert [m.person for m in selectors.memberships(team)] == [li, wang]  # the history is kept
    published = _published_arena(arena, [("A", 1, 90.0), ("B", 2, 85.0), ("K", 3, 80.0)])
    dolphin = next(a for a in services.grant_from_arena(organizer, published) if a.unit.code == "A")
    assert selectors.awards_for_person(city["person"]) == [dolphin]
    assert selectors.awards_for_unit(city["a"]) == [dolphin]  # newest first; the team's award is the team's


# ------------------------------------------------------------------------------------------- certificates


def test_the_certificates_open_and_name_the_award_and_the_recipient(client, city, organizer, arena, dolphin_turtle):
    from docx import Document

    published = _published_arena(arena, [("A", 1, 90.0), ("B", 2, 85.0), ("K", 3, 80.0)])
    award = next(a for a in services.grant_from_arena(organizer, published) if a.unit.code == "A")
    response = client.get(reverse("awards:certificate", args=[award.pk, "docx"]))
    assert response.status_code == 200 and "wordprocessingml" in response["Content-Type"]
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "荣誉证书" in text and "东城区（区委书记张三）" in text and "海豚奖" in text
    response = client.get(reverse("awards:certificate", args=[award.pk, "pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = pdfium.PdfDocument(response.content)
    try:
        flat = pdf[0].get_textpage().get_text_range().replace("\r", "").replace("\n", "")
    finally:
        pdf.close()
    assert "荣誉证书" in flat and "海豚奖" in flat and "东城区" in flat
    assert certificates.certificate_pdf(award) == certificates.certificate_pdf(award)
    assert certificates.certificate_docx(award) == certificates.certificate_docx(award)
    services.revoke(organizer, award, "成绩更正")
    assert client.get(reverse("awards:certificate", args=[award.pk, "pdf"])).status_code == 404


# ------------------------------------------------------------------------------------------- the API


def test_the_api_lists_approved_awards_and_refuses_a_bad_query(client, organizer, arena, dolphin_turtle):
    published = _published_arena(arena, [("A", 1, 90.0), ("B", 2, 85.0), ("K", 3, 80.0)])
    services.grant_from_arena(organizer, published)
    rows = client.get("/api/v1/awards/?kind=haitun").json()
    assert [(r["unit"], r["person"], r["source"]) for r in rows] == [("A", "张三", f"arena:{arena.pk}")]
    assert len(client.get("/api/v1/awards/?year=2024").json()) == 2
    assert client.get("/api/v1/awards/?year=abc").status_code == 422
    assert client.get("/api/v1/awards/?kind=nope").status_code == 404
    assert {k["code"] for k in client.get("/api/v1/awards/kinds").json()} == {"haitun", "haigui"}


# ------------------------------------------------------------------------------------------- the assessment


def test_awards_count_in_the_assessment_as_the_scheme_says_and_recompute_offline(city, organizer, arena, quarter,
                                                                                 dolphin_turtle, breakthrough):
    from leitai.assessment import services as assessment

    plan = make_plan(organizer)
    published = _published_arena(arena, [("A", 1, 90.0), ("B", 2, 85.0), ("K", 2, 85.0)])
    services.grant_from_arena(organizer, published)  # 海豚奖 A; 海龟奖 B and K (tied last)
    services.approve(organizer, services.nominate(organizer, breakthrough, recipient=Recipient.UNIT, unit=city["a"],
                                                  date=dt.date(2024, 2, 1), reason="攻坚克难成效明显"))
    services.nominate(organizer, breakthrough, recipient=Recipient.UNIT, unit=city["b"], date=dt.date(2024, 2, 1),
                      reason="尚未批准的推荐")  # pending: not counted
    revoked = services.approve(organizer, services.nominate(organizer, breakthrough, recipient=Recipient.UNIT,
                                                            unit=city["c"], date=dt.date(2024, 3, 1), reason="已撤销的表彰"))
    services.revoke(organizer, revoked, "核实有误")  # revoked: not counted
    spec = {"components": [{"code": "awards", "kind": "awards", "name": "表彰",
                            "points": {"haitun": 3, "haigui": -1, "tupo": 2}}], "grades": {}}
    scheme = assessment.save_scheme(organizer, name="2024年度考绩", plan=plan, year=2024, spec=spec)
    a = assessment.compute(organizer, scheme, quarter)
    # by hand: A 3 (海豚奖) + 2 (突破奖) = 5; B −1 and K −1 (海龟奖 each): ranks 1, 2, 2
    assert [(r["unit"], r["total"], r["rank"]) for r in a.result["rows"]] == [("A", 5.0, 1), ("B", -1.0, 2), ("K", -1.0, 2)]
    assert [f["kind"] for f in a.inputs["awards"]] == ["tupo", "haitun", "haigui", "haigui"]
    a_lines = next(r for r in a.result["rows"] if r["unit"] == "A")["lines"]
    assert {ln["ref"].split(":")[0] for ln in a_lines} == {"award"}
    a = assessment.publish(organizer, a)
    files = assessment.export_bundle(a)
    facts, parsed = parse_inputs_json(files["inputs.json"].decode())
    assert format_out_csv(compute_assessment(facts, parsed)).encode() == files["result.csv"]
    assert json.loads(files["inputs.json"])["scheme"]["components"][0]["points"] == {"haigui": -1, "haitun": 3, "tupo": 2}


def test_the_scheme_form_gives_points_per_award_kind(organizer, dolphin_turtle, rankings):
    from leitai.assessment.forms import SchemeForm

    plan = rankings[0]
    form = SchemeForm({"name": "考绩", "plan": plan.pk, "year": 2024, "rank_mode": "none", "award_haitun": "2",
                       "award_haigui": "-1", "excellent_share": "30"})
    assert form.is_valid(), form.errors
    comps = form.cleaned_data["spec"]["components"]
    assert comps == [{"code": "awards", "kind": "awards", "name": "表彰", "points": {"haitun": 2, "haigui": -1}}]


# ------------------------------------------------------------------------------------------- English


def test_the_award_pages_are_english_when_english_is_chosen(client, login, city, organizer, arena, dolphin_turtle,
                                                              breakthrough):
    from tests.i18n.test_english import DATA, english, untranslated

    published = _published_arena(arena, [("A", 1, 90.0), ("B", 2, 85.0), ("K", 3, 80.0)])
    granted = services.grant_from_arena(organizer, published)
    pending = services.nominate(organizer, breakthrough, recipient=Recipient.UNIT, unit=city["a"], reason="事迹突出成效明显")
    team = services.save_team(organizer, name="专班", unit=city["a"])
    data = DATA | {"海豚奖", "海龟奖", "突破奖", "事迹突出成效明显", "专班", "年第一季度书记擂台", "区委书记张三"}
    urls = [reverse("awards:index"), reverse("awards:detail", args=[granted[0].pk]), reverse("awards:kinds"),
            reverse("awards:kind", args=[dolphin_turtle[0].pk]), reverse("awards:kind_new"),
            reverse("awards:pending"), reverse("awards:nominate"), reverse("awards:teams"),
            reverse("awards:team", args=[team.pk]), reverse("awards:detail", args=[pending.pk]),
            reverse("awards:grant") + f"?source=arena:{arena.pk}"]
    page = english(login(organizer))
    for url in urls:
        response = page.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="en">' in html and "Awards" in html, url
        assert untranslated(html) - data == set(), url


def test_the_admin_shows_kinds_teams_and_awards_and_deletes_none(login, organizer, breakthrough, city):
    award = services.nominate(organizer, breakthrough, recipient=Recipient.UNIT, unit=city["a"], reason="攻坚克难成效明显")
    team = services.save_team(organizer, name="东城区招商专班", unit=city["a"])
    organizer.is_superuser = True  # the demo's organizer (kaohe) is a superuser
    organizer.save()
    admin = login(organizer)
    for url in ("/admin/awards/awardkind/", f"/admin/awards/awardkind/{breakthrough.pk}/change/", "/admin/awards/award/",
                f"/admin/awards/award/{award.pk}/change/", "/admin/awards/team/", f"/admin/awards/team/{team.pk}/change/"):
        assert admin.get(url).status_code == 200, url
    assert admin.get(f"/admin/awards/award/{award.pk}/delete/").status_code == 403
    assert admin.get(f"/admin/awards/team/{team.pk}/delete/").status_code == 403


def test_the_kind_page_grants_from_the_chosen_result_once(login, organizer, arena, dolphin_turtle):
    published = _published_arena(arena, [("A", 1, 90.0), ("B", 2, 85.0), ("K", 3, 80.0)])
    dolphin, _turtle = dolphin_turtle
    page = login(organizer)
    html = page.get(reverse("awards:kind", args=[dolphin.pk])).content.decode()
    assert f'value="arena:{published.pk}"' in html
    for _ in range(2):
        page.post(reverse("awards:kind_grant", args=[dolphin.pk]), {"source": f"arena:{published.pk}"})
    assert [(a.kind.code, a.unit.code) for a in Award.objects.all()] == [("haitun", "A")]
    assert f'id="award-{Award.objects.get().pk}"' in page.get(reverse("awards:kind", args=[dolphin.pk])).content.decode()
    results = page.get(reverse("arena:results", args=[published.pk])).content.decode()
    assert f'?source=arena:{published.pk}"' in results  # 按规则评定表彰 on the arena's results page
