"""The person's record (个人履历, 在赛马场上选千里马): attribution across a change of post, the pledge rate, the
publish switch and who may see what, the comparison of candidates, the Word export, the API, the queries."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document

from leitai.arena.base.models import Arena
from leitai.arena.setup.models import Contestant
from leitai.audit.models import Entry
from leitai.core.tracking import rules as flow
from leitai.indicators.models import Period
from leitai.portal.profiles import records
from leitai.rankings.models import AssessmentPlan, PlanVersion, Ranking, RankingRow
from leitai.tracking.models import Item, Pledge, ReviewAssignment, ReviewRound
from leitai.units import services
from leitai.units.models import Person


def month(city, m: int) -> Period:
    code = f"2024-{m:02d}"
    if code not in city["periods"]:
        start = dt.date(2024, m, 1)
        end = (dt.date(2024, m + 1, 1) if m < 12 else dt.date(2025, 1, 1)) - dt.timedelta(days=1)
        city["periods"][code] = Period.objects.create(code=code, kind="month", year=2024, number=m, start=start,
                                                      end=end)
    return city["periods"][code]


def rank(city, m: int, order: list[str]) -> Ranking:
    """A published ranking of the month, `order` listing unit codes best first."""
    plan, _ = AssessmentPlan.objects.get_or_create(code="county", defaults={"name": "县市区月度考核",
                                                                             "unit_kinds": ["county"]})
    version, _ = PlanVersion.objects.get_or_create(plan=plan, number=1, defaults={"spec": {}})
    ranking = Ranking.objects.create(plan_version=version, period=month(city, m), status=Ranking.Status.PUBLISHED,
                                     spec={}, inputs=[], published_at=timezone.now())
    units = {"A": city["a"], "B": city["b"], "K": city["c"]}
    for n, code in enumerate(order, 1):
        RankingRow.objects.create(ranking=ranking, unit=units[code], score=100.0 - 10 * n, base_score=100.0 - 10 * n,
                                  rank=n)
    return ranking


def arena(city, day: dt.date, rows: list[tuple[str, float, int]], name: str) -> Arena:
    held = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    a = Arena.objects.create(name=name, period=month(city, day.month), held_at=held, status=Arena.Status.PUBLISHED,
                             result={"rows": [{"unit": u, "score": s, "rank": r} for u, s, r in rows]})
    units = {"A": city["a"], "B": city["b"], "K": city["c"]}
    for n, (code, _s, _r) in enumerate(rows, 1):
        Contestant.objects.create(arena=a, unit=units[code], order=n)
    return a


@pytest.fixture
def career(city, organizer, django_user_model):
    """张三 heads 东城区 (A) until June 2024, then 西城区 (B) from July; 李四 heads A from July."""
    zhang = city["person"]
    li = services.appoint("李四", city["a"], "区委书记", dt.date(2024, 7, 1), organizer).person
    services.appoint(zhang, city["b"], "区委书记", dt.date(2024, 7, 1), organizer)
    for m in (5, 6, 7, 8):
        rank(city, m, ["A", "B", "K"] if m % 2 else ["B", "K", "A"])
    arena(city, dt.date(2024, 6, 15), [("A", 91.5, 1), ("B", 88.0, 2)], "六月擂台赛")
    arena(city, dt.date(2024, 9, 10), [("B", 93.0, 1), ("A", 85.0, 2)], "九月擂台赛")
    pledges = {
        "a_may": Pledge.objects.create(unit=city["a"], text="五月东城区承诺", made_on=dt.date(2024, 5, 10),
                                       status=Pledge.Status.KEPT, public=True),
        "a_aug": Pledge.objects.create(unit=city["a"], text="八月东城区承诺", made_on=dt.date(2024, 8, 1),
                                       status=Pledge.Status.MISSED, public=True),
        "zhang_b": Pledge.objects.create(unit=city["b"], person=zhang, text="张三在西城区的承诺",
                                         made_on=dt.date(2024, 9, 12), status=Pledge.Status.KEPT, public=True),
        "zhang_a": Pledge.objects.create(unit=city["a"], person=zhang, text="张三在东城区的内部承诺",
                                         made_on=dt.date(2024, 3, 1), status=Pledge.Status.MISSED, public=False),
    }
    on_time = Item.objects.create(code="ZG-1", title="东城区五月事项", unit=city["a"], deadline=dt.date(2024, 6, 1),
                                  assigned_on=dt.date(2024, 5, 1), state=flow.CLOSED, closed_on=dt.date(2024, 5, 20),
                                  public=True)
    late = Item.objects.create(code="ZG-2", title="李四的八月事项", unit=city["a"], person=li,
                               deadline=dt.date(2024, 8, 31), assigned_on=dt.date(2024, 8, 1), state=flow.CLOSED,
                               closed_on=dt.date(2024, 9, 5))
    supervisor = django_user_model.objects.create_user(username="sup", password="x", role="supervisor")
    rnd = ReviewRound.objects.create(name="第一轮")
    ReviewAssignment.objects.create(round=rnd, item=on_time, supervisor=supervisor, verdict="satisfied",
                                    done_at=timezone.now())
    ReviewAssignment.objects.create(round=rnd, item=late, supervisor=supervisor, verdict="not",
                                    done_at=timezone.now())
    return {"zhang": zhang, "li": li, "pledges": pledges}


def _by_unit(record):
    return {t.post.unit.code: t for t in record.tenures}


def test_ranks_arenas_pledges_and_items_follow_the_head_in_post(city, career):
    zhang, li = records.person_records([career["zhang"], career["li"]])
    z = _by_unit(zhang)
    assert set(z) == {"A", "B"}  # moving from A to B keeps both tenures
    # A month belongs to whoever headed the unit on its last day: May–June to 张三 at A, July–August to 李四.
    assert [(r.ranking.period.code, r.rank, r.size) for r in z["A"].ranks] == [("2024-06", 3, 3), ("2024-05", 1, 3)]
    assert [(r.ranking.period.code, r.rank) for r in z["B"].ranks] == [("2024-08", 1), ("2024-07", 2)]
    (li_a,) = li.tenures
    assert [(r.ranking.period.code, r.rank) for r in li_a.ranks] == [("2024-08", 3), ("2024-07", 1)]
    # An arena belongs to the head in post on its day: June at A to 张三, September at A to 李四, at B to 张三.
    assert [(a.arena.name, a.score, a.rank, a.size) for a in z["A"].arenas] == [("六月擂台赛", 91.5, 1, 2)]
    assert [(a.arena.name, a.rank) for a in z["B"].arenas] == [("九月擂台赛", 1)]
    assert [(a.arena.name, a.rank) for a in li_a.arenas] == [("九月擂台赛", 2)]
    # Pledges: the unit's (naming nobody) to the head on the day made; the person's own to their post.
    assert [p.text for p in z["A"].pledges] == ["五月东城区承诺", "张三在东城区的内部承诺"]
    assert [p.text for p in z["B"].pledges] == ["张三在西城区的承诺"]
    assert [p.text for p in li_a.pledges] == ["八月东城区承诺"]
    # Items: the unit's to the head on the day assigned, a named owner's to them; on time and reviews.
    assert [i.code for i in z["A"].items] == ["ZG-1"] and [i.code for i in li_a.items] == ["ZG-2"]
    assert z["A"].summary.items["on_time"] == 1 and li_a.summary.items["on_time"] == 0
    assert li_a.summary.items["closed"] == 1
    assert z["A"].summary.reviews["satisfaction"] == 1.0 and li_a.summary.reviews["satisfaction"] == 0.0
    assert zhang.summary.periods == 4 and zhang.summary.arenas == 2


def test_the_pledge_rate_of_the_person_is_shown(login, organizer, city, career):
    zhang = records.person_record(career["zhang"])
    # The per-person rate (tracking.pledges.selectors.pledge_rates by person): one kept, one missed.
    assert zhang.pledge_rate == {"total": 2, "kept": 1, "missed": 1, "rate": 0.5}
    assert zhang.summary.pledges == {"total": 3, "kept": 2, "missed": 1, "rate": 2 / 3}
    html = login(organizer).get(reverse("units:person", args=[career["zhang"].pk])).content.decode()
    assert "本人承诺兑现率" in html and "50%（1/2，共 2 项）" in html
    assert "东城区" in html and "西城区" in html and "六月擂台赛" in html and "九月擂台赛" in html
    assert "整改按时销号率" in html and "回头看满意度" in html and 'id="awards"' in html


def test_a_record_is_the_organizers_until_published(client, login, organizer, reporter_a, city, career):
    zhang = career["zhang"]
    urls = [reverse("units:person", args=[zhang.pk]), reverse("units:person_docx", args=[zhang.pk]),
            reverse("units:compare") + f"?p={zhang.pk}&p={career['li'].pk}"]
    api = f"/api/v1/units/people/{zhang.pk}/record"
    for url in urls:
        client.logout()
        assert client.get(url).status_code == 302  # anonymous: sign in
        assert login(reporter_a).get(url).status_code == 403
    assert login(reporter_a).get(api).status_code == 403
    client.logout()
    assert client.get(api).status_code == 403
    # Only the organizer switches it, and the switch is in the audit log.
    assert login(reporter_a).post(reverse("units:publish_record", args=[zhang.pk]), {"public": "1"}).status_code == 403
    assert not Person.objects.get(pk=zhang.pk).record_public
    response = login(organizer).post(reverse("units:publish_record", args=[zhang.pk]), {"public": "1"})
    assert response.status_code == 302 and Person.objects.get(pk=zhang.pk).record_public
    assert Entry.objects.filter(model="units.person", object_pk=str(zhang.pk), action="update").exists()
    client.logout()
    page = client.get(urls[0])
    assert page.status_code == 200
    html = page.content.decode()
    # The published record shows the public pledges only.
    assert "张三在西城区的承诺" in html and "张三在东城区的内部承诺" not in html
    # …and the figures count those only: of 张三's own pledges, the public one (kept).
    assert "100%（1/1，共 1 项）" in html
    assert client.get(urls[1]).status_code == 200
    assert client.get(api).status_code == 200
    # The comparison needs every candidate's record published: 李四's is not.
    assert client.get(urls[2]).status_code == 302
    client.logout()
    assert login(reporter_a).get(urls[2]).status_code == 403
    login(organizer).post(reverse("units:publish_record", args=[zhang.pk]), {"public": "0"})
    assert not Person.objects.get(pk=zhang.pk).record_public
    client.logout()
    assert client.get(api).status_code == 403


def test_the_unit_page_and_the_people_list_lead_to_the_records(client, login, organizer, city, career):
    url = reverse("units:person", args=[career["zhang"].pk])
    assert url not in client.get(reverse("units:detail", args=["B"])).content.decode()
    services.set_record_public(career["zhang"], True, organizer)
    assert url in client.get(reverse("units:detail", args=["B"])).content.decode()
    organizer_client = login(organizer)
    assert reverse("units:people") in organizer_client.get(reverse("units:list")).content.decode()
    people = organizer_client.get(reverse("units:people")).content.decode()
    assert url in people and reverse("units:compare") in people and 'name="p"' in people


def test_the_comparison_puts_two_to_five_candidates_side_by_side(login, organizer, city, career):
    client = login(organizer)
    zhang, li = career["zhang"], career["li"]
    response = client.get(reverse("units:compare") + f"?p={zhang.pk}&p={li.pk}")
    assert response.status_code == 200
    rows = {r["label"]: r["values"] for r in response.context["rows"]}
    assert rows["发布排名期数"] == ["4", "2"]
    assert rows["本人承诺兑现率"][0].startswith("50%")
    assert rows["擂台赛场次"] == ["2", "1"]
    html = response.content.decode()
    assert "张三" in html and "李四" in html
    for query in (f"?p={zhang.pk}", "?p=1&p=2&p=3&p=4&p=5&p=6", "?p=x&p=1", f"?p={zhang.pk}&p=99999"):
        bad = client.get(reverse("units:compare") + query)
        assert bad.status_code == 400 and bad.context["error"]


def test_the_word_exports_open_and_name_the_people(login, organizer, city, career):
    client = login(organizer)
    zhang, li = career["zhang"], career["li"]
    response = client.get(reverse("units:person_docx", args=[zhang.pk]))
    assert response.status_code == 200 and response["Content-Type"].endswith("wordprocessingml.document")
    text = _docx_text(response.content)
    assert "干部考评材料：张三" in text and "东城区" in text and "西城区" in text and "六月擂台赛" in text
    response = client.get(reverse("units:compare_docx") + f"?p={zhang.pk}&p={li.pk}")
    text = _docx_text(response.content)
    assert "张三" in text and "李四" in text and "本人承诺兑现率" in text


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_the_api_gives_the_record_with_strict_fields(login, organizer, city, career):
    body = login(organizer).get(f"/api/v1/units/people/{career['zhang'].pk}/record").json()
    assert body["name"] == "张三" and body["pledge_rate"] == {"total": 2, "kept": 1, "missed": 1, "rate": 0.5}
    tenures = {t["unit"]: t for t in body["tenures"]}
    assert [r["period"] for r in tenures["A"]["ranks"]] == ["2024-06", "2024-05"]
    assert tenures["B"]["arenas"][0]["name"] == "九月擂台赛"
    assert login(organizer).get("/api/v1/units/people/99999/record").status_code == 404


def test_the_record_is_read_in_a_fixed_number_of_queries(city, career, organizer):
    def count(people):
        with CaptureQueriesContext(connection) as ctx:
            records.person_records(people)
        return len(ctx.captured_queries)

    few = count([career["zhang"]])
    # More people, more posts, more months, arenas, pledges and items: the same number of queries.
    wang = services.appoint("王五", city["c"], "县委书记", dt.date(2023, 1, 1), organizer).person
    services.appoint(wang, city["town"], "街道书记", dt.date(2024, 8, 1), organizer)
    for m in (9, 10, 11):
        rank(city, m, ["K", "A", "B"])
    arena(city, dt.date(2024, 10, 10), [("K", 90.0, 1), ("A", 80.0, 2)], "十月擂台赛")
    for n in range(5):
        Pledge.objects.create(unit=city["c"], text=f"承诺{n}", made_on=dt.date(2024, 5, n + 1))
    assert count([career["zhang"], career["li"], wang]) == few


def test_the_pages_read_no_more_with_more_history(login, city, career, organizer):
    client = login(organizer)
    zhang, li = career["zhang"], career["li"]
    urls = [reverse("units:person", args=[zhang.pk]), reverse("units:compare") + f"?p={zhang.pk}&p={li.pk}",
            reverse("units:people")]

    def counts():
        out = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    before = counts()
    for m in (9, 10, 11):
        rank(city, m, ["B", "A", "K"])
    arena(city, dt.date(2024, 10, 10), [("B", 90.0, 1), ("A", 80.0, 2)], "十月擂台赛")
    for n in range(3):
        Pledge.objects.create(unit=city["b"], person=zhang, text=f"承诺{n}", made_on=dt.date(2024, 10, n + 1),
                              deadline=month(city, 12))
        Item.objects.create(code=f"ZG-X{n}", title=f"事项{n}", unit=city["b"], deadline=dt.date(2024, 12, 1),
                            assigned_on=dt.date(2024, 10, 1))
    services.appoint(zhang, city["c"], "县委书记", dt.date(2024, 11, 1), organizer)
    assert counts() == before


def test_the_record_and_the_comparison_are_english_on_english_pages(login, organizer, city, career):
    from django.conf import settings

    client = login(organizer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    zhang, li = career["zhang"], career["li"]
    for url, expected in [
        (reverse("units:person", args=[zhang.pk]),
         ["Pledges kept (the person&#x27;s own)", "50% (1/2, 2 in all)", "This post at a glance", "Published ranks",
          "Export for cadre evaluation (Word)", "Publish the record", "Awards"]),
        (reverse("units:compare") + f"?p={zhang.pk}&p={li.pk}",
         ["Comparison of candidates", "Average place (rank ÷ units ranked)", "Export the comparison (Word)"]),
        (reverse("units:people"), ["Compare the people ticked", "Not published"]),
    ]:
        html = client.get(url).content.decode()
        for text in expected:
            assert text in html, text
        for chinese in ("本人承诺兑现率", "平均位次", "候选人比较", "本任期概况", "（", "，", "；"):
            assert chinese not in html, (url, chinese)


def test_a_post_holds_from_its_first_to_its_last_day(city, organizer):
    from leitai.units.selectors import heads_at, holds_on

    li = services.appoint("李四", city["a"], "区委书记", dt.date(2024, 7, 1), organizer)
    old = city["person"].posts.get()
    assert old.end == dt.date(2024, 6, 30)
    assert holds_on(old, dt.date(2024, 6, 30)) and not holds_on(old, dt.date(2024, 7, 1))
    assert holds_on(li, dt.date(2024, 7, 1)) and not holds_on(li, dt.date(2024, 6, 30))
    assert heads_at([city["a"]], dt.date(2024, 6, 30))[city["a"].pk].person == city["person"]
    assert heads_at([city["a"]], dt.date(2024, 7, 1))[city["a"].pk].person == li.person
    assert city["a"].pk not in heads_at([city["a"]], dt.date(2021, 5, 31))
