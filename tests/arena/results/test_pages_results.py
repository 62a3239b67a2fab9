"""The results page and the export: hidden from the public until publication, shown to the organizer from
the first reveal, with ranks, group scores, ledger points, records, pledges and the tally rules."""

from __future__ import annotations

import io
import json
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
    score(arena, organizer, contestants, panel, sheet, stage_to, codes=("A",))
    page = reverse("arena:results", args=[arena.pk])
    assert client.get(page).status_code == 404
    assert login(public_user).get(page).status_code == 404
    assert login(reporter_a).get(page).status_code == 404
    assert client.get(reverse("arena:export", args=[arena.pk])).status_code == 404


def test_the_organizer_sees_the_running_tally_after_a_reveal(login, organizer, arena, contestants, panel, sheet,
                                                             stage_to):
    page = reverse("arena:results", args=[arena.pk])
    assert login(organizer).get(page).status_code == 404  # nothing revealed yet
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
    assert "vendor/plotly/plotly.min.js" in html and 'id="results-data"' in html
    assert "去掉最高分、最低分各 1 个" in html and "去掉最高分、最低分各 2 个" in html
    assert "文旅短板要补齐" in html
    assert reverse("arena:export", args=[published.pk]) in html
    data = json.loads(html.split('id="results-data" type="application/json">')[1].split("</script>")[0])
    assert data["units"] == ["东城区", "西城区", "南山县"] and data["scores"] == [9.0, 8.0, 7.0]


def test_the_export_bundle_recomputes_to_the_published_result(client, published):
    response = client.get(reverse("arena:export", args=[published.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    files = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(files.namelist()) == ["README.txt", "result.csv", "rubric.json", "scores.csv"]
    assert files.read("result.csv").decode() == published.result["tally_csv"]
    assert "J001" in files.read("scores.csv").decode() and "L1" not in files.read("scores.csv").decode()


def test_the_pledges_made_are_listed(client, city, organizer, published, contestants):
    from leitai.arena.models import Submission, SubmissionItem

    sub = Submission.objects.create(contestant=contestants["B"])
    SubmissionItem.objects.create(submission=sub, kind="pledge", text="投资增速不低于 8%", indicator=city["inv"],
                                  comparison="ge", target_value=8)
    html = client.get(reverse("arena:results", args=[published.pk])).content.decode()
    assert "投资增速不低于 8%" in html and "固定资产投资 ≥ 8" in html
