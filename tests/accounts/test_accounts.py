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
    nav = html.split('<nav id="site-nav">', 1)[1].split("</nav>", 1)[0]
    shown = {key for key, text in NAV.items() if text in nav}
    assert shown == visible


# ---- lock-out by user name, never by address alone --------------------------------------------------------

def _fail(client, username, address, times=1):
    for _ in range(times):
        response = client.post(reverse("accounts:login"), {"username": username, "password": "wrong"},
                               REMOTE_ADDR=address)
    return response


def test_five_failures_behind_one_nat_address_lock_out_nobody_else_there(client, organizer, reporter_a):
    """A whole office behind one address: reporter_a mistypes five times; the organizer signs in from the
    same address at once, while reporter_a stays locked out there."""
    assert _fail(client, "reporter_a", "10.9.9.9", times=5).status_code == 429
    response = client.post(reverse("accounts:login"), {"username": "organizer", "password": PASSWORD},
                           REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(organizer.pk)
    client.logout()
    locked = client.post(reverse("accounts:login"), {"username": "reporter_a", "password": PASSWORD},
                         REMOTE_ADDR="10.9.9.9")
    assert locked.status_code == 429
    # reporter_a from another address is not locked out by five failures.
    fine = client.post(reverse("accounts:login"), {"username": "reporter_a", "password": PASSWORD},
                       REMOTE_ADDR="10.8.8.8")
    assert fine.status_code == 302


def test_a_user_name_guessed_at_from_many_addresses_is_locked_out_everywhere(client, organizer, settings):
    settings.LEITAI_LOGIN_FAILURE_LIMIT_USER = 12
    for i in range(11):  # 11 addresses, one failure each: below both limits
        assert _fail(client, "organizer", f"10.1.0.{i}").status_code == 200
    assert _fail(client, "organizer", "10.1.0.99").status_code == 429  # the 12th failure of the name
    response = client.post(reverse("accounts:login"), {"username": "organizer", "password": PASSWORD},
                           REMOTE_ADDR="10.2.0.1")
    assert response.status_code == 429 and "该用户名" in response.content.decode()


# ---- the password policy and the password-change page -----------------------------------------------------

@pytest.mark.parametrize("password,code", [
    ("leitai2024", "password_too_simple"),
    ("short-1A", "password_too_short"),
    ("Password1!", "password_too_common"),
    ("organizer-2024", "password_too_similar"),
])
def test_weak_passwords_are_refused(organizer, password, code):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        validate_password(password, organizer)
    assert code in [e.code for e in refused.value.error_list]


def test_the_demo_password_and_the_test_password_pass_the_policy(organizer):
    from django.contrib.auth.password_validation import validate_password

    from leitai.demo.loader import DEMO_PASSWORD

    validate_password(DEMO_PASSWORD, organizer)
    validate_password(PASSWORD, organizer)


def test_the_policy_is_explained_in_chinese(organizer):
    from django.contrib.auth.password_validation import password_validators_help_texts
    from django.utils import translation

    with translation.override("zh-hans"):
        texts = " ".join(password_validators_help_texts())
    assert "至少 3 类" in texts and "10" in texts


@pytest.mark.parametrize("persona", ["organizer", "reporter_a", "judge", "public_user"])
def test_every_signed_in_user_reaches_the_password_page_from_the_menu(request, login, persona):
    client = login(request.getfixturevalue(persona))
    html = client.get(reverse("units:list")).content.decode()
    assert f'href="{reverse("accounts:password_change")}"' in html
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "<h1>修改密码</h1>" in page and "旧密码" in page and "至少 3 类" in page


def test_the_password_page_changes_the_password_and_refuses_a_weak_one(login, reporter_a):
    client = login(reporter_a)
    url = reverse("accounts:password_change")
    weak = client.post(url, {"old_password": PASSWORD, "new_password1": "leitai2024", "new_password2": "leitai2024"})
    assert weak.status_code == 200 and "至少 3 类" in weak.content.decode()
    done = client.post(url, {"old_password": PASSWORD, "new_password1": "Haichuan-kaohe-7",
                             "new_password2": "Haichuan-kaohe-7"})
    assert done.status_code == 302 and done["Location"] == reverse("accounts:password_change_done")
    reporter_a.refresh_from_db()
    assert reporter_a.check_password("Haichuan-kaohe-7")
    assert "密码已修改" in client.get(done["Location"]).content.decode()  # still signed in


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


# ---- sessions that end with the browser -------------------------------------------------------------------

def _sign_in(client, username):
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD},
                           REMOTE_ADDR="10.3.0.1")
    assert response.status_code == 302
    return response.cookies[settings_cookie()]


def settings_cookie():
    from django.conf import settings

    return settings.SESSION_COOKIE_NAME


@pytest.mark.parametrize("mode,organizer_ends,reporter_ends", [
    ("organizers", True, False), ("all", True, True), ("none", False, False),
])
def test_whose_sign_in_ends_when_the_browser_closes(client, organizer, reporter_a, settings, mode, organizer_ends,
                                                    reporter_ends):
    settings.LEITAI_SESSION_BROWSER = mode
    cookie = _sign_in(client, "organizer")
    assert (not cookie["expires"] and not cookie["max-age"]) == organizer_ends
    client.logout()
    cookie = _sign_in(client, "reporter_a")
    assert (not cookie["expires"] and not cookie["max-age"]) == reporter_ends


def test_a_refused_page_says_so_in_the_sites_language_with_a_way_on(client, login, reporter_a):
    """A 403 is the site's page (header, Chinese, a way home or to sign in), not Django's bare English one."""
    page = login(reporter_a).get("/tracking/reviews/")
    assert page.status_code == 403
    html = page.content.decode()
    assert "无权访问" in html and "返回首页" in html and "403 Forbidden" not in html
