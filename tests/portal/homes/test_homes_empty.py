"""The homes of a city where nothing waits (the tiny `city` fixture, not the demo): they say so."""

from django.urls import reverse


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_organizers_today_says_when_nothing_waits(client, organizer):
    html = _home(client, organizer)
    assert "没有进行中或筹备中的擂台赛" in html
    assert "没有等待发布的成绩单、考绩或擂台赛结果" in html
    assert "没有严重超期的事项" in html
    assert "没有未读提醒" in html


def test_the_reporters_work_says_when_nothing_waits(client, reporter_a):
    html = _home(client, reporter_a)
    assert "还没有需要填报的期间" in html
    assert "没有需要本单位处理的整改事项" in html
    assert "没有待核验的承诺" in html


def test_a_supervisor_without_reviews_is_told_what_comes(client, django_user_model, city):
    user = django_user_model.objects.create_user(username="sup", password="x-Y-z-12345678", role="supervisor")
    assert "考核办分配回头看任务后会显示在这里" in _home(client, user)
