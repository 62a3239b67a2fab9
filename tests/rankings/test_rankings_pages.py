"""Ranking pages: the public board (成绩单), sorting and filtering through htmx, one ranking, permissions."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from leitai.rankings import services
from leitai.rankings.models import Ranking
from tests.rankings.support import add_data, make_plan, publish


@pytest.fixture
def board(city, organizer):
    add_data(city)
    plan = make_plan(organizer)
    publish(plan, city, "2024-03", organizer)
    services.add_adjustment(city["b"], city["periods"]["2024-04"], -3, "安全生产事故扣分", plan=plan)
    april = publish(plan, city, "2024-04", organizer)
    return {"plan": plan, "april": april}


def _order(html: str) -> list[str]:
    return re.findall(r'<tr data-unit="([^"]+)"', html)


def _chart(html: str) -> list[tuple[str, str]]:
    """The board chart's bars (server-drawn SVG): (unit, value shown) in the order drawn."""
    chart = html.split('id="board-chart"')[1].split("</svg>")[0]
    return [tuple(tip.split("：")) for tip in re.findall(r'data-tip="([^"]*)"', chart)]


def test_the_board_shows_the_latest_published_ranking_to_anonymous_visitors(board, client):
    html = client.get(reverse("rankings:board")).content.decode()
    assert "成绩单" in html and "县市区综合考核" in html and "2024年1-4月" in html
    assert _order(html) == ["A", "B", "K"]
    assert 'href="/units/A/"' in html
    assert '<span class="up" title="进位">↑2</span>' in html
    assert '<span class="down" title="退位">↓1</span>' in html
    assert 'class="star" title="地区生产总值增速、PM2.5 浓度">★2</span>' in html
    assert "flag-red" in html and "flag-yellow" in html and "flag-cat" in html
    assert "75.00" in html  # two decimals on the page
    assert "plotly" not in html and 'class="lt-chart lt-ranked"' in html
    # The chart shows the table's numbers (same selector), best first, with Chinese labels.
    scores = {r.unit.name: f"{r.score:.2f}" for r in board["april"].rows.select_related("unit")}
    assert _chart(html) == [(name, scores[name]) for name in ["东城区", "西城区", "南山县"]]
    assert scores["东城区"] == "75.00"


def test_the_board_can_show_an_earlier_period(board, client):
    html = client.get(reverse("rankings:board"), {"plan": "county", "period": "2024-03"}).content.decode()
    assert "2024年1-3月" in html
    assert _order(html) == ["B", "K", "A"]


def test_the_board_without_published_rankings_says_so(city, client, organizer):
    add_data(city)
    plan = make_plan(organizer)
    services.compute_ranking(plan.current_version, city["periods"]["2024-04"])  # a draft is not shown
    html = client.get(reverse("rankings:board")).content.decode()
    assert "尚未发布排名" in html and "lt-chart" not in html


@pytest.mark.parametrize("sort, direction, expected", [
    ("gdp", "desc", ["A", "K", "B"]),
    ("gdp", "asc", ["B", "K", "A"]),
    ("pm25", "asc", ["A", "B", "K"]),
    ("green", "desc", ["A", "B", "K"]),
    ("econ", "asc", ["K", "B", "A"]),
    ("unit", "asc", ["A", "B", "K"]),
    ("movement", "desc", ["A", "B", "K"]),
    ("score", "asc", ["K", "B", "A"]),
    ("nonsense", "desc", ["A", "B", "K"]),
])
def test_the_board_sorts_by_any_column_on_the_server(board, client, sort, direction, expected):
    html = client.get(reverse("rankings:board"), {"sort": sort, "dir": direction}).content.decode()
    assert _order(html) == expected


def test_an_htmx_request_gets_only_the_table_partial(board, client):
    response = client.get(reverse("rankings:board"), {"sort": "gdp", "dir": "asc"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<div id="board-table">')
    assert _order(html) == ["B", "K", "A"]
    assert [unit for unit, _ in _chart(html)] == ["东城区", "西城区", "南山县"]  # the chart comes with the table
    assert 'hx-get="?plan=county&amp;period=2024-04&amp;sort=gdp&amp;dir=desc&amp;open=econ"' in html
    assert "HX-Request" in response["Vary"]


def test_an_htmx_history_restore_gets_the_whole_page(board, client):
    html = client.get(reverse("rankings:board"), HTTP_HX_REQUEST="true",
                      HTTP_HX_HISTORY_RESTORE_REQUEST="true").content.decode()
    assert "<html" in html and 'id="board-table"' in html


def test_filtering_by_category_shows_only_its_indicators_and_score(board, client):
    html = client.get(reverse("rankings:board"), {"category": "green"}, HTTP_HX_REQUEST="true").content.decode()
    head = re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)
    assert "PM2.5 浓度" in head and "生态环境" in head
    assert "地区生产总值增速" not in head and "固定资产投资" not in head and "经济发展" not in head
    assert head.count('class="num group-col open"') == 1 and head.count('class="num ind-col"') == 1
    assert '<option value="green" selected>' in html


def test_filtering_by_unit_kind_keeps_only_those_units(board, client):
    assert _order(client.get(reverse("rankings:board"), {"kind": "county"}).content.decode()) == ["A", "B", "K"]
    html = client.get(reverse("rankings:board"), {"kind": "town"}).content.decode()
    assert _order(html) == [] and "没有符合条件的单位" in html


def test_the_board_notes_missing_values_and_dropped_indicators(city, organizer, client):
    from leitai.indicators.models import Observation

    add_data(city, ["2024-04"])
    Observation.objects.filter(unit=city["c"], indicator=city["inv"]).delete()
    Observation.objects.filter(indicator=city["gdp"]).update(value=7)
    publish(make_plan(organizer), city, "2024-04")
    html = client.get(reverse("rankings:board")).content.decode()
    assert "未计入的指标" in html and "地区生产总值增速（各单位数值相同，无法区分）" in html
    assert "缺失数据" in html and "南山县：固定资产投资" in html


def test_a_ranking_page_shows_status_version_and_adjustments_with_reasons(board, client):
    html = client.get(reverse("rankings:detail", args=[board["april"].pk])).content.decode()
    assert "已发布" in html and "方案第 1 版" in html
    assert "安全生产事故扣分" in html and "-3" in html
    assert "导出复算包" in html
    assert "通报 (.xlsx)" not in html and 'action="/rankings/' not in html  # no organizer buttons


def test_organizers_see_actions_on_a_draft(board, city, login, organizer):
    draft = services.compute_ranking(board["plan"].current_version, city["periods"]["2024-04"])
    html = login(organizer).get(reverse("rankings:detail", args=[draft.pk])).content.decode()
    assert "草稿" in html and "发布" in html
    for name in ("publish", "export", "bulletin_xlsx", "bulletin_docx"):
        assert reverse(f"rankings:{name}", args=[draft.pk]) in html


def test_drafts_are_invisible_to_everyone_but_organizers(board, city, client, login, reporter_a, judge, public_user):
    draft = services.compute_ranking(board["plan"].current_version, city["periods"]["2024-04"])
    url = reverse("rankings:detail", args=[draft.pk])
    assert client.get(url).status_code == 404
    for user in (reporter_a, judge, public_user):
        assert login(user).get(url).status_code == 404


def test_a_superseded_ranking_stays_visible_and_says_so(board, city, client):
    publish(board["plan"], city, "2024-04")
    html = client.get(reverse("rankings:detail", args=[board["april"].pk])).content.decode()
    assert "已被替代" in html


def test_an_organizer_publishes_a_draft_from_its_page(board, city, login, organizer):
    draft = services.compute_ranking(board["plan"].current_version, city["periods"]["2024-04"])
    # A and B swap on econ under the weight jitter: the category flag warning asks for the confirmation.
    response = login(organizer).post(reverse("rankings:publish", args=[draft.pk]), {"confirm": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("rankings:detail", args=[draft.pk])
    draft.refresh_from_db()
    board["april"].refresh_from_db()
    assert draft.status == Ranking.Status.PUBLISHED and board["april"].status == Ranking.Status.SUPERSEDED


def test_publishing_twice_shows_an_error_instead_of_changing_anything(board, login, organizer):
    client = login(organizer)
    response = client.post(reverse("rankings:publish", args=[board["april"].pk]), follow=True)
    assert "只能发布草稿" in response.content.decode()


@pytest.mark.parametrize("name, method", [("publish", "post"), ("bulletin_xlsx", "get"), ("bulletin_docx", "get")])
def test_organizer_actions_are_refused_to_other_roles(board, client, login, reporter_a, judge, public_user, name, method):
    url = reverse(f"rankings:{name}", args=[board["april"].pk])
    anonymous = getattr(client, method)(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    for user in (reporter_a, judge, public_user):
        assert getattr(login(user), method)(url).status_code == 403
    board["april"].refresh_from_db()
    assert board["april"].status == Ranking.Status.PUBLISHED


def test_publishing_needs_a_post(board, login, organizer):
    assert login(organizer).get(reverse("rankings:publish", args=[board["april"].pk])).status_code == 405


def test_the_adjustment_reason_shows_on_the_score_and_stays_listed_when_filtered(board, client):
    url = reverse("rankings:detail", args=[board["april"].pk])
    html = client.get(url).content.decode()
    assert "加减分 -3.00；安全生产事故扣分" in html
    filtered = client.get(url, {"kind": "town"}).content.decode()
    assert _order(filtered) == [] and "安全生产事故扣分" in filtered
