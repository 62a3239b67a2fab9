"""The English interface: every page a user meets is English when they chose English, Chinese otherwise.

The catalogue is src/leitai/locale/en/LC_MESSAGES/django.po (msgids are the Chinese UI text). Chinese data
(unit, indicator, plan and people's names, measures) stays Chinese; everything else must be translated.
The arena's pages (擂台赛: list, set-up, a judge's phone, the big screen) and the tracking pages (整改督办:
the public page, the supervision dashboard, the item list and an item) are checked at the end.
"""

from __future__ import annotations

import io
import json
import re

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from leitai.arena.day.selectors import public_state
from leitai.arena.setup.models import STAGE_CHOICES
from leitai.core.judging import flow as arena_flow
from leitai.indicators.models import ImportBatch
from tests.arena import conftest as arena_fixtures
from tests.conftest import wait_for_js
from tests.rankings.support import add_data, make_plan, publish
from tests.tracking import conftest as tracking_fixtures

# The arena fixtures of tests/arena (pytest finds fixtures among the module's names).
arena, contestants, panel, quarter, stage_to = (arena_fixtures.arena, arena_fixtures.contestants, arena_fixtures.panel,
                                                arena_fixtures.quarter, arena_fixtures.stage_to)

# The tracking fixtures of tests/tracking.
make_item = tracking_fixtures.make_item

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


# ---- the arena (擂台赛) ----------------------------------------------------------------------------------
# Words of the arena's Chinese interface (checked outside <script>: the live state there is data).
ARENA_UI = ["擂台赛", "评委", "评分", "大屏", "出场顺序", "抽签", "考问", "点评", "揭晓", "回避", "已提交", "候场", "登台",
            "控制台", "设置", "参赛", "陈述", "权重", "满分", "二维码", "当前", "刷新"]
# The arena fixture's data: its name, venue, judge groups and titles, and the 六比 criteria.
ARENA_DATA = {"年第一季度书记擂台", "市行政中心大礼堂", "市领导", "社会各界代表", "东城区人大",
              "比质量", "比位次", "比创新", "比项目", "比环境", "比担当"}
KIND_EN = "Party secretaries&#x27; arena"


def assert_english_arena(html: str, *expected: str):
    assert '<html lang="en">' in html
    for text in expected:
        assert text in html, text
    shown = SCRIPT.sub("", html)
    for word in CHINESE_UI + ARENA_UI:
        assert word not in shown, word
    assert untranslated(html) - ARENA_DATA == set()


def live_state(html: str) -> dict:
    return json.loads(re.search(r'<script id="live-state" type="application/json">(.*?)</script>', html, re.S).group(1))


@pytest.fixture
def live_arena(arena, contestants, organizer, stage_to):
    """The arena under way: county A is being scored (the public may follow it now)."""
    stage_to(contestants["A"], arena_flow.SCORING_OPEN, organizer)
    arena.refresh_from_db()
    assert arena.status == "live"
    return arena


def test_a_visitor_who_chose_english_sees_the_arena_list_in_english(client, live_arena):
    html = page(english(client), reverse("arena:list"))
    assert_english_arena(html, "Arena contests</h1>", ">Arena contests</a>", KIND_EN, "Assessment period",
                         "Date and time", ">Live</span>", "Big screen", "2024Q1")


def test_an_organizer_who_chose_english_sets_up_an_arena_in_english(login, organizer, arena, panel):
    html = page(english(login(organizer)), reverse("arena:setup", args=[arena.pk]))
    assert_english_arena(html, "Set-up · Leitai</title>", KIND_EN, "In preparation", "speech 480 s, questions 300 s",
                         "Contestants</h2>", "Order of presentation</h2>", "Current method: Draw", "Scoring rules</h2>",
                         "Criteria</h3>", "Judge group</h3>", "Trim highest/lowest", "Print judges' QR codes",
                         "Live console", "Questions and comments", "Paper score sheets", "Phone", "Issued",
                         "Add a judge", "Add several (paste)", "Submission deadline and lock", "Lock submissions now")


def test_a_judges_phone_is_english_when_english_is_chosen(client, organizer, live_arena, contestants, panel,
                                                         stage_to):
    client = english(client)
    url = reverse("arena:judge", args=[panel.tokens["P1"]])
    html = page(client, url)
    assert_english_arena(html, "<title>Judge scoring · ", ">Now</div>", ">Scoring open</span>",
                         "Network lost, reconnecting…", "Submit scores", "out of 10")
    stage_to(contestants["A"], arena_flow.SCORING_CLOSED, organizer)
    html = page(client, url)
    assert_english_arena(html, ">Scoring closed</span>", "Please wait for scoring to open")
    html = page(client, reverse("arena:judge_form", args=[panel.tokens["P1"], contestants["A"].pk]))
    assert "Scoring for this contestant has closed" in html and "You did not submit a score" in html
    assert untranslated(html) - ARENA_DATA == set()


def test_the_big_screen_is_english_when_english_is_chosen(client, live_arena):
    html = page(english(client), reverse("arena:screen", args=[live_arena.pk]))
    assert_english_arena(html, " · Big screen</title>", f'id="arena-kind">{KIND_EN}<', 'data-order-tpl="No. {n}"',
                         "On stage", "Order of presentation", "Judges submitted", "Results", "Rank", "Score",
                         "Connection lost, reconnecting…")
    # The state the screen starts from (and every later event) carries the English labels it shows.
    state = live_state(html)
    assert state["arena"]["kind_name_en"] == "Party secretaries' arena"
    assert state["current"]["stage_label_en"] == "Scoring open"
    assert [c["stage_label_en"] for c in state["contestants"]] == ["Scoring open", "Waiting", "Waiting"]


def test_the_big_screen_and_the_phone_stay_chinese_without_a_language_choice(client, live_arena, panel):
    screen = page(client, reverse("arena:screen", args=[live_arena.pk]))
    assert '<html lang="zh-hans">' in screen and "当前登台" in screen and 'id="arena-kind">书记擂台<' in screen
    phone = page(client, reverse("arena:judge", args=[panel.tokens["P1"]]))
    assert '<html lang="zh-hans">' in phone and ">评分中</span>" in phone and "提交评分" in phone
    assert "Submit scores" not in phone and "On stage" not in screen


def test_the_shared_live_state_is_the_same_whichever_language_builds_it(live_arena):
    """Every viewer gets the same events: the state holds both languages, never the builder's alone."""
    states = {}
    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            states[lang] = {k: v for k, v in public_state(live_arena).items() if k != "server_time"}
    assert states["zh-hans"] == states["en"]
    assert states["en"]["arena"]["kind_name"] == "书记擂台"
    assert states["en"]["current"]["stage_label"] == "评分中"


def test_the_stage_names_on_the_pages_are_those_of_the_live_flow_in_both_languages():
    for stage, name in STAGE_CHOICES:
        zh, en = arena_flow.LABELS[stage]
        with translation.override("zh-hans"):
            assert str(name) == zh
        with translation.override("en"):
            assert str(name) == en
    assert [s for s, _ in STAGE_CHOICES] == list(arena_flow.STAGES)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_big_screen_script_shows_the_labels_of_the_page_language(live_server, browser, live_arena):
    """The screen's script draws the stage, the type and the order list from the shared live state."""
    for lang, kind, stage, waiting in (("en", "Party secretaries' arena", "Scoring open", "Waiting"),
                                       ("zh-hans", "书记擂台", "评分中", "候场")):
        context = browser.new_context(locale="zh-CN")
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": live_server.url}])
        page_ = context.new_page()
        # The test server cannot stream: the page draws the state it was rendered with.
        page_.route("**/stream/", lambda route: route.abort())
        page_.goto(f"{live_server.url}{reverse('arena:screen', args=[live_arena.pk])}")
        wait_for_js(page_, "document.querySelectorAll('#side-list li').length === 3")
        assert page_.text_content("#arena-kind") == kind
        assert page_.text_content("#stage-label") == stage
        assert page_.locator("#side-list .r-stage").all_text_contents() == [stage, waiting, waiting]
        context.close()


# ---- rectification tracking (整改督办) ----------------------------------------------------------------------
# Words of the tracking pages' Chinese interface (outside <script>: the chart's data is there).
TRACKING_UI = ["整改", "销号", "督办", "逾期", "到期", "化解率", "办结", "事项", "交办", "承诺", "兑现", "来源",
               "退回", "重新打开", "公开", "新增", "导入", "状态", "期限", "单位"]
# The items' own titles are data.
TRACKING_DATA = {"路灯不亮", "企业用地审批慢", "污水管网改造滞后"}


@pytest.fixture
def tracked(city, make_item):
    """Items of county A in every open state and a closed one; two are public."""
    a = city["a"]
    return {
        "assigned": make_item(a, 20, title="路灯不亮"),
        "returned": make_item(a, -40, "returned", title="污水管网改造滞后"),
        "requested": make_item(a, 10, "requested", title="企业用地审批慢", public=True,
                               source="business_help", raised_by="某某科技有限公司"),
        "closed": make_item(a, -2, "closed", title="路灯不亮", public=True),
    }


def assert_english_tracking(html: str, *expected: str, allowed: frozenset = frozenset()):
    assert '<html lang="en">' in html
    for text in expected:
        assert text in html, text
    shown = SCRIPT.sub("", html)
    for word in CHINESE_UI + TRACKING_UI:
        assert word not in shown, word
    assert untranslated(html) - TRACKING_DATA <= allowed


def test_a_visitor_who_chose_english_sees_the_public_tracking_page_in_english(client, tracked):
    html = page(english(client), reverse("tracking:public"))
    assert_english_tracking(html, "<h1>Rectification progress (public)</h1>", "Rectification items</h2>",
                            "Pledges fulfilled</h2>", "Close-out by unit</h2>", "Resolution rate", "On-time rate",
                            ">Close-out requested</span>", ">Closed</span>", "No pledges yet", "企业用地审批慢")
    assert "污水管网改造滞后" not in html  # not public


def test_an_organizer_who_chose_english_sees_the_supervision_dashboard_in_english(login, organizer, tracked):
    html = page(english(login(organizer)), reverse("tracking:dashboard"))
    assert_english_tracking(html, "<title>Supervision dashboard", "All items", "New item",
                            "Import business-help requests", "Public page", "<h2>Assigned</h2>",
                            "<h2>In progress</h2>", "<h2>Close-out requested</h2>", "<h2>Returned</h2>",
                            "<h2>Reopened</h2>", "<h2>Due soon</h2>", "<h2>Long overdue</h2>", "Resolution rate",
                            "On-time rate", "Average days to close", "Open items by unit</h2>",
                            "Long overdue (escalated supervision)", "Close-out by unit</h2>",
                            "Close-out by source</h2>", "Business-help request", "Overdue and open")
    chart = html.split('id="chart"', 1)[1].split("</svg>", 1)[0]  # the legend of the server-drawn chart
    legend = re.findall(r'<g class="lt-legend-item">.*?<text[^>]*>([^<]*)</text></g>', chart)
    assert set(legend) == {"Assigned", "Close-out requested", "Returned"}


def test_the_item_list_and_an_item_are_english_when_english_is_chosen(login, organizer, tracked):
    client = english(login(organizer))
    html = page(client, reverse("tracking:items"))
    assert_english_tracking(html, "Responsible unit", '<option value="requested">Close-out requested</option>',
                            '<option value="long_overdue">Long overdue</option>', "Export to Excel",
                            ">Returned</td>", ">Long overdue</span>")
    html = page(client, reverse("tracking:item", args=[tracked["requested"].code]))
    # The log's own text (the assignment's "整改期限 …", the units' notes) is stored text, not interface.
    html = re.sub(r'<td style="white-space:normal">.*?</td>', "", html, flags=re.S)
    assert_english_tracking(html, 'id="state">Close-out requested</span>', "Act on this item</h2>",
                            ">Verify and close</button>", ">Return</button>", "History</h2>",
                            "Start work", "In progress → Close-out requested", "Raised by (business/person)",
                            allowed=frozenset({"某某科技有限公司", "东城区填报员"}))  # the raiser, a user


def test_the_tracking_pages_stay_chinese_without_a_language_choice(client, login, organizer, tracked):
    public_page = page(client, reverse("tracking:public"))
    assert '<html lang="zh-hans">' in public_page and "<h1>整改公开</h1>" in public_page and ">申请销号</span>" in public_page
    dashboard = page(login(organizer), reverse("tracking:dashboard"))
    assert "督办看板" in dashboard and "<h2>整改中</h2>" in dashboard and "化解率" in dashboard
    assert "Supervision dashboard" not in dashboard and "Close-out requested" not in public_page


def test_the_pledge_import_page_and_its_report_are_in_english(login, organizer, city):
    from tests.tracking.pledges.test_import_pledges import GOOD, _upload, book

    client = english(login(organizer))
    html = page(client, reverse("tracking:import_pledges"))
    assert_english_tracking(html, "<h1>Import pledges</h1>", "A file exported from the pledge list imports as is")
    bad = book(GOOD + [["不存在的区", None, "承诺", None, None, None, None, None, None]])
    report = client.post(reverse("tracking:import_pledges"), {"file": _upload(bad)}).content.decode()
    assert "problems found; no pledge was written" in report and "Unknown unit" in report
