import re
import pytest
from django.conf import settings
from django.urls import reverse
from tests.web.rankings_support import add_data, make_plan, publish

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")

def test_dump(city, organizer, client, login):
    plan = make_plan(organizer)
    add_data(city)
    publish(plan, city, "2024-03", organizer)
    r = publish(plan, city, "2024-04", organizer)
    client = login(organizer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    urls = ["/", "/rankings/", "/units/", "/units/A/", "/units/A/?peer=B", "/data/import/", "/rankings/plans/",
            f"/rankings/{r.pk}/", "/rankings/adjustments/", "/data/imports/", "/data/entry/", "/units/people/",
            f"/rankings/plans/{plan.pk}/", "/accounts/login/"]
    for u in urls:
        resp = client.get(u)
        html = resp.content.decode()
        html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
        print(u, resp.status_code, sorted(set(CJK.findall(html))))

def test_dump2(city, organizer, client, login):
    plan = make_plan(organizer)
    add_data(city)
    publish(plan, city, "2024-03", organizer)
    client = login(organizer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for u in ["/", "/units/", "/data/import/"]:
        html = client.get(u).content.decode()
        for m in re.finditer(r"[年月]", html):
            print(u, repr(html[m.start()-120:m.end()+40]))


def test_dump3(city, organizer, client, login):
    plan = make_plan(organizer)
    add_data(city)
    publish(plan, city, "2024-03", organizer)
    publish(plan, city, "2024-04", organizer)
    client = login(organizer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for u in ["/", "/rankings/", "/units/A/?peer=B", "/units/", "/rankings/plans/1/"]:
        html = client.get(u).content.decode()
        for m in re.finditer(r'<script[^>]*type="application/json".*?</script>', html, flags=re.S):
            print(u, m.group(0)[:1500])
        print(u, sorted(set(CJK.findall(re.sub(r"<script.*?</script>", "", html, flags=re.S)))))


def test_dump4(city, organizer, client, login):
    plan = make_plan(organizer)
    add_data(city)
    publish(plan, city, "2024-03", organizer)
    organizer.is_superuser = True
    organizer.save()
    client = login(organizer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for u in ["/admin/", "/admin/units/unit/", "/admin/units/unit/1/change/", "/admin/indicators/observation/",
              "/admin/indicators/indicator/1/change/", "/admin/rankings/assessmentplan/", "/admin/rankings/ranking/",
              "/admin/rankings/ranking/1/change/", "/admin/accounts/user/", "/admin/indicators/importbatch/",
              "/admin/rankings/adjustment/add/", "/admin/units/post/", "/units/people/1/", "/data/entry/?unit=A&period=2024-04"]:
        r = client.get(u)
        html = r.content.decode()
        print(u, r.status_code, sorted(set(CJK.findall(re.sub(r"<script.*?</script>", "", html, flags=re.S)))))
