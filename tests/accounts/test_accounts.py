"""Accounts: Argon2 passwords, the Chinese login and lockout pages, the language switch, each role's menu."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD


def test_new_passwords_are_hashed_with_argon2_in_production_settings(settings, django_user_model, db):
    from leitai.config import settings as production

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    user = django_user_model.objects.create_user(username="new", password="long-enough-pass-1")
    assert user.password.startswith("argon2")
    assert user.check_password("long-enough-pass-1")


def test_the_login_page_speaks_chinese(client, db):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "用户名" in html and "密码" in html and "<h1>登录</h1>" in html


def test_a_wrong_password_shows_the_chinese_error(client, organizer):
    response = client.post(reverse("accounts:login"), {"username": "organizer", "password": "wrong"},
                           REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_right_password_signs_in(client, organizer):
    response = client.post(reverse("accounts:login"), {"username": "organizer", "password": PASSWORD},
                           REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(organizer.pk)


def test_five_failed_logins_lock_the_sixth_attempt_out_with_a_chinese_page(client, organizer):
    url = reverse("accounts:login")
    for _ in range(4):
        response = client.post(url, {"username": "organizer", "password": "wrong"}, REMOTE_ADDR="10.0.0.3")
        assert response.status_code == 200
    # axes answers the failure that reaches the limit with the lockout page already.
    fifth = client.post(url, {"username": "organizer", "password": "wrong"}, REMOTE_ADDR="10.0.0.3")
    assert fifth.status_code == 429
    # Even the right password is refused while the lockout lasts.
    response = client.post(url, {"username": "organizer", "password": PASSWORD}, REMOTE_ADDR="10.0.0.3")
    assert response.status_code == 429
    html = response.content.decode()
    assert "登录失败次数过多" in html and "15 分钟" in html
    assert "_auth_user_id" not in client.session


def test_the_language_switch_sets_the_cookie(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    assert client.get(reverse("units:list")).content.decode().count('lang="en"') == 1


NAV = {"import": "数据导入", "plans": "考核方案", "admin": "后台设置"}


@pytest.mark.parametrize("persona,visible", [
    ("organizer", {"import", "plans", "admin"}),
    ("reporter_a", {"import"}),
    ("judge", set()),
    ("public_user", set()),
    (None, set()),
])
def test_each_role_sees_only_the_menu_items_it_may_use(request, client, login, city, persona, visible):
    if persona:
        client = login(request.getfixturevalue(persona))
    html = client.get(reverse("units:list")).content.decode()
    nav = html.split("<nav>", 1)[1].split("</nav>", 1)[0]
    shown = {key for key, text in NAV.items() if text in nav}
    assert shown == visible
