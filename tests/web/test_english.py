"""The English interface: every page a user meets is English when they chose English, Chinese otherwise.

The catalogue is src/leitai/locale/en/LC_MESSAGES/django.po (msgids are the Chinese UI text). Chinese data
(unit, indicator, plan and people's names, measures) stays Chinese; everything else must be translated.
"""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leitai.indicators.models import ImportBatch
from tests.web.rankings_support import add_data, make_plan, publish

IDEOGRAPHS = re.compile(r"[\u4e00-\u9fff]+")
SCRIPT = re.compile(r"<script.*?</script>", re.S)

# Words of the Chinese interface that must not survive in the English one.
CHINESE_UI = ["成绩单", "登录", "退出", "数据导入", "考核方案", "后台设置", "期间", "指标走势", "短板", "摘星",
              "综合得分", "一把手", "上传", "最新排名", "名次", "全部", "筛选", "密码", "用户名", "双过半", "对标"]

# Chinese that is data, not interface: the fixture city's names, the plan, people, measures, the brand
# ("擂台 Leitai") and the language switch's own name for Chinese.
DATA = {"示范市", "东城区", "西城区", "南山县", "东城街道", "市发展改革委", "经济发展", "生态环境", "地区生产总值增速",
        "固定资产投资", "浓度", "亿元", "微克", "立方米", "张三", "区委书记", "县市区综合考核", "考核办", "擂台", "简体中文"}


@pytest.fixture
def published(city, organizer):
    """Two published months of the county plan, so the scoreboard and unit pages have content."""
    plan = make_plan(organizer)
    add_data(city)
    publish(plan, city, "2024-03", organizer)
    return publish(plan, city, "2024-04", organizer)


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page(client, url, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response.content.decode()


def untranslated(html: str) -> set[str]:
    """Chinese text on the page that is not known data (scripts hold JSON data and are left out).

    "2024年1-4月" is the example of a period written the Chinese way, which the import accepts."""
    return set(IDEOGRAPHS.findall(SCRIPT.sub("", html).replace("2024年1-4月", ""))) - DATA


def assert_english(html: str, *expected: str):
    assert '<html lang="en">' in html
    for text in expected:
        assert text in html, text
    for word in CHINESE_UI:
        assert word not in html, word
    assert untranslated(html) == set()


PUBLIC_PAGES = [
    ("/", ["Scoreboard", "Units", "Sign in", "Latest published scoreboards", "Recompute", "Apr 2024"]),
    ("/rankings/", ["<h1>Scoreboard", "Composite score", "Stars", "Moved up", "Higher is better",
                    "Lower is better", "Details and downloads"]),
    ("/units/", ["Units</h1>", "All types", "Counties &amp; districts", "Towns &amp; streets",
                 "City departments", "Head", "Latest rank"]),
    ("/units/A/", ["Latest scoreboard", "Weak indicators", "Indicator trend", "Rank history", "Benchmark",
                   "Double-half check", "in post since"]),
    ("/accounts/login/", ["Sign in</h1>", "Username", "Password"]),
]


@pytest.mark.parametrize(("url", "expected"), PUBLIC_PAGES, ids=[u for u, _ in PUBLIC_PAGES])
def test_a_visitor_who_chose_english_sees_english_pages(client, published, url, expected):
    html = page(english(client), url)
    assert_english(html, *expected)


@pytest.mark.parametrize(("url", "expected"), [
    ("/data/import/", ["Data import</h1>", "Upload and validate", "Download Excel template",
                      "Wide (one row per unit"]),
    ("/rankings/plans/", ["Assessment plans</h1>", "Bonuses and deductions", "New plan", "Plan code",
                          "Unit types ranked", "Counties &amp; districts"]),
    ("/units/A/?peer=B", ["this unit and", "Difference", "Better"]),
])
def test_an_organizer_who_chose_english_sees_english_work_pages(login, organizer, published, url, expected):
    html = page(english(login(organizer)), url)
    assert_english(html, "Data import", "Assessment plans", "Admin settings", "Sign out", *expected)


def test_the_admin_is_english_too(login, organizer, published):
    organizer.is_superuser = True
    organizer.save()
    html = page(english(login(organizer)), "/admin/")
    assert "Leitai administration" in html and "Units and people" in html and "Assessment plans and rankings" in html
    assert untranslated(html) == set()


def test_without_a_cookie_or_accept_language_the_pages_are_chinese(client, published):
    for url, words in [("/", ["成绩单", "登录"]), ("/rankings/", ["综合得分", "摘星"]), ("/units/", ["全部类型", "县市区"]),
                       ("/accounts/login/", ["用户名", "密码"])]:
        html = page(client, url)
        assert '<html lang="zh-hans">' in html
        for word in words:
            assert word in html, (url, word)
        assert "Scoreboard" not in html and "Sign in" not in html


def test_an_organizer_without_a_language_choice_sees_chinese_work_pages(login, organizer, published):
    client = login(organizer)
    assert "上传并校验" in page(client, "/data/import/")
    plans = page(client, "/rankings/plans/")
    assert "新建方案" in plans and "县市区、" not in plans and "New plan" not in plans


def test_choosing_english_in_the_language_switch_turns_the_site_english(client, published):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/rankings/"})
    assert response.status_code == 302 and client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert_english(page(client, "/rankings/"), "Scoreboard")
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "成绩单" in page(client, "/rankings/")


def workbook(rows) -> bytes:
    book = openpyxl.Workbook()
    book.active.title = "S"
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def bad_import(settings, tmp_path, city, organizer, login):
    """An organizer's upload naming a unit that does not exist, previewed as a rejected batch."""
    settings.MEDIA_ROOT = tmp_path
    client = login(organizer)
    data = workbook([["单位", "gdp"], ["北城区", 1]])
    client.post(reverse("indicators:import"), {"file": SimpleUploadedFile("bad.xlsx", data), "period": "2024-04"})
    batch = ImportBatch.objects.get()
    assert batch.status == "rejected"
    return client, reverse("indicators:import_preview", args=[batch.pk])


def test_an_import_error_is_reported_in_english_when_the_interface_is_english(bad_import):
    client, url = bad_import
    html = page(english(client), url)
    assert "Unknown unit &#x27;北城区&#x27;" in html or "Unknown unit '北城区'" in html
    assert "Found 1 problem(s); nothing was written." in html and "Upload again" in html
    assert "找不到单位" not in html and "重新上传" not in html
    assert untranslated(html) == {"北城区", "单位"}  # the file's own unit name and column header, quoted back


def test_the_same_import_error_is_chinese_by_default(bad_import):
    client, url = bad_import
    html = page(client, url)
    assert "找不到单位“北城区”" in html and "重新上传" in html and "Unknown unit" not in html


def test_a_form_error_from_the_upload_is_english_when_the_interface_is_english(city, organizer, login):
    client = english(login(organizer))
    old_excel = SimpleUploadedFile("old.xls", b"\xd0\xcf\x11\xe0 not really excel")
    html = client.post(reverse("indicators:import"), {"file": old_excel}).content.decode()
    assert "Only .xlsx or .csv files are accepted" in html
    assert untranslated(html) == set()
