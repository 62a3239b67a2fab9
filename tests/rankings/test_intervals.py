"""Rank intervals in the product: stored with each ranking, shown beside the rank, ≈ for units the intervals
cannot tell apart, and the warning before publication when a flag, a bonus/deduction or an award boundary
falls among them (docs/uncertainty.md)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from leitai.awards.models import AwardKind
from leitai.indicators.models import Observation
from leitai.rankings import bulletin, cuts, selectors, services
from leitai.rankings.models import Ranking
from tests.rankings.support import make_plan, rows_by_unit

# Normalised (minmax): gdp A 100, B 25, K 0; inv A 0, B 100, K 50; pm25 (lower is better) A 100, B 70, K 0.
# econ (weight 2): A 50, B 62.5, K 25; green: A 100, B 70, K 0; index A 66.67, B 65, K 16.67. Jittering gdp
# against inv moves econ far more than those 1.67 points: A and B swap in many draws (also on econ, where
# B leads), K stays last.
CLOSE = {"A": (9, 100, 40), "B": (6, 300, 46), "K": (5, 200, 60)}


def add_close_data(city, period="2024-04"):
    for unit_code, values in CLOSE.items():
        unit = {"A": city["a"], "B": city["b"], "K": city["c"]}[unit_code]
        for code, value in zip(("gdp", "inv", "pm25"), values, strict=True):
            Observation.objects.create(unit=unit, indicator=city[code], period=city["periods"][period], value=value)


@pytest.fixture
def draft(city, organizer):
    add_close_data(city)
    plan = make_plan(organizer)
    return services.compute_ranking(plan.current_version, city["periods"]["2024-04"])


def test_the_draft_stores_each_units_interval(draft):
    rows = rows_by_unit(draft)
    assert [rows[u].rank for u in "ABK"] == [1, 2, 3]
    assert (rows["A"].rank_lo, rows["A"].rank_hi) == (1, 2)
    assert (rows["B"].rank_lo, rows["B"].rank_hi) == (1, 2)
    assert (rows["K"].median_rank, rows["K"].rank_lo, rows["K"].rank_hi) == (3, 3, 3)
    assert draft.uncertainty["draws"] == 1000 and draft.uncertainty["jitter"] == 0.25
    # econ: A 100·wg/(wg+wi) against B's (25wg + 100wi)/(wg+wi) — B leads unless wi < 0.75·wg (~9 % of the
    # draws: more than 5 %); green has one indicator, so its ranks never move.
    assert rows["A"].group_intervals["econ"] == [2, 2, 1, 2] and rows["B"].group_intervals["econ"] == [1, 1, 1, 2]
    assert rows["A"].group_intervals["green"] == [1, 1, 1, 1] and rows["K"].group_intervals["econ"] == [3, 3, 3, 3]


def test_the_interval_views_mark_the_units_that_overlap(draft):
    views = selectors.interval_views(list(draft.rows.select_related("unit")))
    assert views["A"]["text"] == "1–2" and views["A"]["indistinguishable"]
    assert "西城区" in views["A"]["title"] and "统计上无法区分" in views["A"]["title"]
    assert views["K"] == {"median": 3, "lo": 3, "hi": 3, "text": "", "indistinguishable": False, "title": ""}
    assert selectors.rank_text(5, 3, 8) == "5（3–8）" and selectors.rank_text(3, 3, 3) == "3"
    assert selectors.rank_text(None, None, None) == "—"


def test_the_warnings_before_publication_name_the_red_flag_and_the_category_flag(draft):
    warnings = selectors.publication_warnings(draft)
    whats = [w["what"] for w in warnings]
    # Red flag = best 1: A inside, B outside, overlapping. Yellow flag = worst 1: K alone, safe.
    assert whats[0] == "红旗（前 1 名）" and warnings[0]["inside"] == ["东城区"] and warnings[0]["outside"] == ["西城区"]
    assert not any(w.startswith("黄旗") for w in whats)
    econ = next(w for w in warnings if w["what"] == "类别旗·经济发展")
    assert econ["inside"] == ["西城区"] and econ["outside"] == ["东城区"]
    assert "类别旗·生态环境" not in whats


def test_a_bonus_among_indistinguishable_units_and_an_award_boundary_are_warned(city, organizer, draft):
    plan = draft.plan_version.plan
    services.add_adjustment(city["b"], city["periods"]["2024-04"], 0.5, "招商引资加分", plan=plan)
    AwardKind.objects.create(code="top2", name="先进单位", basis=AwardKind.Basis.RULE,
                             rule=AwardKind.Rule.RANKING_TOP, n=2)
    AwardKind.objects.create(code="first", name="第一名奖", basis=AwardKind.Basis.RULE,
                             rule=AwardKind.Rule.RANKING_TOP, n=1)
    again = services.compute_ranking(plan.current_version, city["periods"]["2024-04"])
    found = cuts.cuts_for(again)
    assert {"label": "第一名奖（前 1 名）", "k": 1, "from_bottom": False} in found
    warnings = {w["what"]: w for w in selectors.publication_warnings(again, found)}
    assert warnings["西城区 的加减分（+0.5）"]["outside"] == ["东城区"]
    assert warnings["第一名奖（前 1 名）"]["inside"] == ["东城区"]
    assert "先进单位（前 2 名）" not in warnings  # A and B both inside, K outside and clearly last


def test_publishing_with_warnings_needs_the_confirmation(draft, login, organizer):
    client = login(organizer)
    page = client.get(reverse("rankings:detail", args=[draft.pk])).content.decode()
    assert 'id="publish-warnings"' in page and "红旗（前 1 名）" in page and 'name="confirm"' in page
    response = client.post(reverse("rankings:publish", args=[draft.pk]), follow=True)
    assert "勾选确认后再发布" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Ranking.Status.DRAFT
    client.post(reverse("rankings:publish", args=[draft.pk]), {"confirm": "1"})
    draft.refresh_from_db()
    assert draft.status == Ranking.Status.PUBLISHED
    page = client.get(reverse("rankings:detail", args=[draft.pk])).content.decode()
    assert 'id="publish-warnings"' not in page  # only drafts are warned about


def test_the_board_and_the_bulletins_show_the_intervals(draft, client):
    services.publish_ranking(draft)
    html = client.get(reverse("rankings:board")).content.decode()
    assert "（1–2）" in html and 'class="indist"' in html and "90% 区间" in html
    assert "统计上无法区分" in html
    wb = load_workbook(io.BytesIO(bulletin.bulletin_xlsx(draft)))
    rows = [[c.value for c in row] for row in wb["排名"].iter_rows(min_row=4)]
    assert [r[6:8] for r in rows] == [["1–2", "≈"], ["1–2", "≈"], ["3–3", None]]
    notes = "\n".join(f"{a.value} {b.value}" for a, b in wb["说明"].iter_rows(max_col=2))
    assert "90% 区间" in notes and "1000 次" in notes
    doc = Document(io.BytesIO(bulletin.bulletin_docx(draft)))
    assert [r.cells[0].text for r in doc.tables[0].rows[1:]] == ["1（1–2）≈", "2（1–2）≈", "3"]
    assert any("90% 区间" in p.text for p in doc.paragraphs)


def test_the_api_gives_the_intervals(draft, client):
    services.publish_ranking(draft)
    data = client.get(f"/api/v1/rankings/rankings/{draft.pk}").json()
    assert data["uncertainty"]["draws"] == 1000
    by_unit = {r["unit"]: r for r in data["rows"]}
    assert (by_unit["A"]["rank_lo"], by_unit["A"]["rank_hi"]) == (1, 2)
    assert by_unit["K"]["median_rank"] == 3


def test_the_public_unit_page_shows_the_interval(draft, client):
    services.publish_ranking(draft)
    html = client.get(reverse("public:unit", args=["A"])).content.decode()
    assert "90% 区间 1–2 名" in html
    assert "90% 区间" not in client.get(reverse("public:unit", args=["K"])).content.decode()  # rank 3 in every draw
