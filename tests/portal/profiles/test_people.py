"""People and posts: organizer-only pages, a person's record following them, appointments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from leitai.units import services
from leitai.units.models import Person, Post
from tests.portal.profiles.test_units import observe, publish_ranking


@pytest.mark.parametrize("name,args", [("units:people", []), ("units:person", ["PK"]), ("units:appoint", [])])
def test_people_pages_send_anonymous_visitors_to_sign_in(client, city, name, args):
    url = reverse(name, args=[city["person"].pk if a == "PK" else a for a in args])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", ["reporter_a", "judge", "public_user"])
def test_people_pages_are_forbidden_to_everyone_but_the_organizer(request, login, city, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("units:people")).status_code == 403
    assert client.get(reverse("units:person", args=[city["person"].pk])).status_code == 403
    response = client.post(reverse("units:appoint"), {"new_name": "王五", "unit": city["b"].pk, "title": "区长",
                                                      "is_head": "on", "start": "2024-05-01"})
    assert response.status_code == 403
    assert not Person.objects.filter(name="王五").exists()


def test_the_organizer_sees_people_with_their_posts(login, organizer, city):
    response = login(organizer).get(reverse("units:people"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "人员与任职" in html and "张三" in html and "东城区 区委书记" in html
    assert "登记任职" in html


def test_an_appointment_closes_the_previous_heads_post(login, organizer, city):
    client = login(organizer)
    response = client.post(reverse("units:appoint"), {"new_name": "李四", "unit": city["a"].pk, "title": "区委书记",
                                                      "is_head": "on", "start": "2024-04-10"})
    li = Person.objects.get(name="李四")
    assert response.status_code == 302 and response["Location"] == reverse("units:person", args=[li.pk])
    old = Post.objects.get(person=city["person"])
    assert old.end == dt.date(2024, 4, 9)
    new = Post.objects.get(person=li)
    assert (new.unit, new.start, new.end, new.is_head) == (city["a"], dt.date(2024, 4, 10), None, True)
    detail = client.get(reverse("units:detail", args=["A"])).content.decode()
    assert "李四" in detail and "历任一把手" in detail


def test_an_appointment_must_start_after_the_previous_heads_start(login, organizer, city):
    response = login(organizer).post(reverse("units:appoint"), {
        "person": "", "new_name": "李四", "unit": city["a"].pk, "title": "区委书记", "is_head": "on",
        "start": "2021-05-01"})
    assert response.status_code == 400
    assert "任职起始日期须晚于现任一把手张三的任职起始日期（2021-06-01）" in response.content.decode()
    assert response.context["form"].errors["start"]
    assert Post.objects.get(person=city["person"]).end is None
    # The failed appointment left nothing behind: the new person is rolled back with it.
    assert not Person.objects.filter(name="李四").exists()


def test_an_appointment_form_names_missing_fields_in_chinese(login, organizer, city):
    response = login(organizer).post(reverse("units:appoint"), {"start": "昨天"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "请选择人员或填写新人员姓名" in html and "请选择单位" in html and "请填写职务" in html
    assert "日期格式应为 2024-04-15" in html


def test_a_deputy_post_leaves_the_head_in_place(organizer, city):
    deputy = services.appoint("赵六", city["a"], "区长", dt.date(2024, 1, 1), organizer, is_head=False)
    assert deputy.is_head is False
    assert Post.objects.get(person=city["person"]).end is None


def test_only_the_organizer_may_record_an_appointment(reporter_a, city):
    with pytest.raises(PermissionDenied):
        services.appoint("李四", city["a"], "区委书记", dt.date(2024, 4, 10), reporter_a)


def test_the_current_head_cannot_be_appointed_again(organizer, city):
    with pytest.raises(ValidationError) as info:
        services.appoint(city["person"], city["a"], "区委书记", dt.date(2024, 4, 10), organizer)
    assert "已是该单位的一把手" in str(info.value.message_dict["person"])


def test_a_persons_record_follows_the_person(login, organizer, city):
    observe(city)
    publish_ranking(city, "2024-03", ["A", "B", "K"])
    publish_ranking(city, "2024-04", ["B", "A", "K"])
    li = services.appoint("李四", city["a"], "区委书记", dt.date(2024, 4, 10), organizer)
    # A month counts for whoever held the post on its last day: March for 张三, April for 李四.
    client = login(organizer)
    zhang = client.get(reverse("units:person", args=[city["person"].pk]))
    (item,) = zhang.context["record"].tenures
    assert [(r.ranking.period.code, r.rank) for r in item.ranks] == [("2024-03", 1)]
    li_page = client.get(reverse("units:person", args=[li.person.pk]))
    (item,) = li_page.context["record"].tenures
    assert [(r.ranking.period.code, r.rank) for r in item.ranks] == [("2024-04", 2)]
    html = li_page.content.decode()
    assert "东城区" in html and "2024-04-10" in html and "至今" in html and "↓1" in html


def test_the_organizer_can_start_an_appointment_from_a_unit_page(login, organizer, client, city):
    url = reverse("units:appoint") + f"?unit={city['b'].pk}"
    assert url not in client.get(reverse("units:detail", args=["B"])).content.decode()
    client = login(organizer)
    assert url in client.get(reverse("units:detail", args=["B"])).content.decode()
    form = client.get(url).context["form"]
    assert str(form["unit"].value()) == str(city["b"].pk)
