"""The results page and the export: hidden from the public until publication, shown to the organizer from
the first reveal, with ranks, group scores, ledger points, records, pledges and the tally rules."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.urls import reverse

from leitai.arena import services
from leitai.arena.models import Arena

# Every judge gives the same mark to every criterion of a contestant: A 9, B 8, K 7 (L3 is recused from A).
MARKS = {"A": 9.0, "B": 8.0, "K": 7.0}


def score(arena, organizer, contestants, panel, sheet, stage_to, codes=("A", "B", "K")):
    for code in codes:
        c = stage_to(contestants[code], "scoring_open", organizer)
        for name, judge in panel.judges.items():
            if not judge.paper and not services.is_recused(judge, c):
                services.submit_sheet(judge, c, sheet(MARKS[code]), f"{name}-{code}")
        stage_to(c, "revealed", organizer)


@pytest.fixture
def published(arena, organizer, contestants, panel, sheet, stage_to):
    score(arena, organizer, contestants, panel, sheet, stage_to)
    services.record_comment(contestants["K"], organizer, "文旅短板要补齐", author="市长")
    return services.publish_results(Arena.objects.get(pk=arena.pk), organizer)


def test_results_are_hidden_from_the_public_before_publication(client, login, public_user, reporter_a, arena,
                                                               organizer, contestants, panel, sheet, stage_to):
    page = reverse("arena:results", args=[arena.pk])
    assert client.get(page).status_code == 404  # in set-up the arena is not public at all
    score(arena, organizer, contestants, panel, sheet, stage_to, codes=("A",))
    # Live: the public follows the day, so the page answers, in Chinese, that results are not out yet.
    for visitor in (client, login(public_user), login(reporter_a)):
        response = visitor.get(page)
        html = response.content.decode()
        assert response.status_code == 200 and "结果尚未揭晓" in html and "结果发布后在此公布" in html
        assert "9.000" not in html and "<table" not in html
    assert client.get(reverse("arena:export", args=[arena.pk])).status_code == 404


def test_the_organizer_sees_the_running_tally_after_a_reveal(login, organizer, arena, contestants, panel, sheet,
                                                             stage_to):
    page = reverse("arena:results", args=[arena.pk])
    before = login(organizer).get(page)  # nothing revealed yet: a page saying so, with the way back
    assert before.status_code == 200 and "结果尚未揭晓" in before.content.decode()
    assert reverse("arena:console", args=[arena.pk]) in before.content.decode()
    score(arena, organizer, contestants, panel, sheet, stage_to, codes=("A",))
    html = login(organizer).get(page).content.decode()
    assert "结果尚未发布" in html and "9.000" in html
    assert "（发布后计入）" in html


def test_the_published_results_are_public_with_ranks_groups_and_ledger_points(client, published):
    html = client.get(reverse("arena:results", args=[published.pk])).content.decode()
    rows = html.split('<table class="data results">')[1].split("</table>")[0]
    assert rows.index("东城区") < rows.index("西城区") < rows.index("南山县")
    assert "张三" in rows  # A's head
    assert "市领导" in rows and "社会各界代表" in rows
    assert "+2" in rows and "+1" in rows and "-1" in rows
    assert "plotly" not in html and 'id="results-chart"' in html
    assert "去掉最高分、最低分各 1 个" in html and "去掉最高分、最低分各 2 个" in html
    assert "文旅短板要补齐" in html
    assert reverse("arena:export", args=[published.pk]) in html
    chart = html.split('id="results-chart"')[1].split("</svg>")[0]  # drawn on the server, the table's scores
    assert re.findall(r'data-tip="([^"]*)"', chart) == ["东城区：9.000", "西城区：8.000", "南山县：7.000"]


def test_the_export_bundle_recomputes_to_the_published_result(client, published):
    response = client.get(reverse("arena:export", args=[published.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    files = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(files.namelist()) == ["CHAIN.jsonl", "HEAD", "README-uncertainty.txt", "README.txt", "audit.csv", "links.csv", "result.csv", "rubric.json", "scores.csv", "sheets.csv", "uncertainty.csv", "uncertainty.json"]
    assert files.read("result.csv").decode() == published.result["tally_csv"]
    assert "J001" in files.read("scores.csv").decode() and "L1" not in files.read("scores.csv").decode()


def test_the_pledges_made_are_listed(client, city, organizer, published, contestants):
    from leitai.arena.models import Submission, SubmissionItem

    sub = Submission.objects.create(contestant=contestants["B"])
    SubmissionItem.objects.create(submission=sub, kind="pledge", text="投资增速不低于 8%", indicator=city["inv"],
                                  comparison="ge", target_value=8)
    html = client.get(reverse("arena:results", args=[published.pk])).content.decode()
    assert "投资增速不低于 8%" in html and "固定资产投资 ≥ 8" in html


def test_a_group_with_fewer_than_three_sheets_shows_no_group_score_anywhere_public(client, published):
    """A has 2 leaders' sheets (L3 sits out): its leaders' score is hidden on the page, the API and the big
    screen's state; the final score and the recomputable export are unchanged."""
    a = published.contestants.get(unit__code="A")
    assert a.group_scores["leaders"] == 9.0  # the tally keeps it
    html = client.get(reverse("arena:results", args=[published.pk])).content.decode()
    rows = html.split('<table class="data results">')[1].split("</table>")[0]
    row_a = rows.split("东城区")[1].split("</tr>")[0]
    assert 'title="评分表少于 3 份，不单独公布">*' in row_a and "9.000" in row_a  # final score still there
    assert row_a.count("9.000") == 2  # the final score and the public group, not the leaders'
    assert "组得分不单独公布" in html
    row_b = rows.split("西城区")[1].split("</tr>")[0]
    assert row_b.count("8.000") == 3 and "*" not in row_b
    api = {r["unit"]: r for r in client.get(f"/api/v1/arena/{published.pk}/results").json()["rows"]}
    assert api["A"]["groups"] == {"leaders": None, "public": 9.0} and api["A"]["score"] == 9.0
    assert api["B"]["groups"] == {"leaders": 8.0, "public": 8.0}
    state = {r["unit_code"]: r for r in client.get(f"/api/v1/arena/{published.pk}/state").json()["results"]}
    assert state["A"]["groups"] == {"leaders": None, "public": 9.0}
    assert state["B"]["groups"] == {"leaders": 8.0, "public": 8.0}
    # The export keeps the whole tally (`leitai arena tally` reproduces it byte for byte).
    files = zipfile.ZipFile(io.BytesIO(client.get(reverse("arena:export", args=[published.pk])).content))
    assert "A,9,1,9,9" in files.read("result.csv").decode().replace(".0", "")
