"""403, 404 and 500 in Chinese inside the site's layout, saying what happened and where to go next."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

LAYOUT = 'class="brand"'  # the site's header (base.html)


def broken_processor(request):
    raise RuntimeError("a context processor that fails, as one reading a database that is down would")


@pytest.fixture
def no_debug(settings):
    settings.DEBUG = False


def test_404_in_chinese_with_the_way_home(client, db, no_debug):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert LAYOUT in html and "页面不存在" in html and "没有找到您要打开的页面" in html
    assert f'href="{reverse("portal:home")}"' in html and "返回首页" in html


def test_404_of_a_signed_in_user_leads_to_their_home(client, organizer, no_debug):
    client.force_login(organizer)
    html = client.get(reverse("units:detail", args=["NOPE"])).content.decode()
    assert "页面不存在" in html and "返回首页" in html
    assert "今日工作" in client.get(reverse("portal:home")).content.decode()  # where that link leads them


def test_403_for_a_signed_in_user_without_the_right(client, city, no_debug):
    # a page for reporters and organizers, opened by a signed-in member of the public and by nobody
    url = reverse("tracking:notices")
    response = client.get(url)
    assert response.status_code == 302  # the anonymous are sent to sign in
    from leitai.accounts.models import User

    public = User.objects.create_user(username="citizen", password="x-Y-z-12345678", role="public")
    client.force_login(public)
    response = client.get(url)
    assert response.status_code == 403
    html = response.content.decode()
    assert LAYOUT in html and "无权访问" in html and "联系考核办" in html and "返回首页" in html


def test_403_page_for_the_anonymous_links_login_with_next(rf, db):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = rf.get("/tracking/reviews/")
    request.user = AnonymousUser()
    html = permission_denied(request, PermissionDenied()).content.decode()
    assert "无权访问" in html and "请先登录" in html
    assert f'{reverse("accounts:login")}?next=/tracking/reviews/' in html


@override_settings(ROOT_URLCONF="tests.portal.boom_urls")
def test_500_in_chinese_inside_the_layout(client, organizer, no_debug):
    client.raise_request_exception = False
    client.force_login(organizer)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert LAYOUT in html and "服务器出错" in html and "返回首页" in html
    assert f'href="{reverse("portal:home")}"' in html


def test_500_does_not_need_the_request_context_processors(client, organizer, no_debug, settings):
    """The page renders even when a context processor fails (the site's layout, without user or notices)."""
    engines = [dict(t, OPTIONS={**t["OPTIONS"], "context_processors": [
        *t["OPTIONS"]["context_processors"], "tests.portal.test_errors.broken_processor"]}) for t in settings.TEMPLATES]
    with override_settings(TEMPLATES=engines, ROOT_URLCONF="tests.portal.boom_urls"):
        client.raise_request_exception = False
        client.force_login(organizer)
        response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert LAYOUT in html and "服务器出错" in html


def test_500_in_english_for_an_english_visitor(client, db, no_debug):
    with override_settings(ROOT_URLCONF="tests.portal.boom_urls"):
        client.raise_request_exception = False
        client.cookies["django_language"] = "en"
        html = client.get("/boom/").content.decode()
    assert "Server error" in html and "服务器出错" not in html
