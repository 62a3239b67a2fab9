"""Rank intervals of a published arena (arena/day/intervals.py): stored at publication, reproduced byte for
byte by `leitai arena uncertainty` on the export, shown on the results page, and the warning on the console's
publish confirmation when a bonus or award boundary falls between contestants the judges cannot tell apart."""

from __future__ import annotations

import html as htmllib
import json
import re

import pytest
from click.testing import CliRunner
from django.urls import reverse

from leitai.arena import services
from leitai.arena.day import intervals
from leitai.arena.models import Arena
from leitai.cli import main
from tests.arena.results.test_export_roundtrip import MARKS

pytestmark = pytest.mark.django_db

# Every judge gives the same mark to every criterion: A 9, B 8, K 7 — resampling judges changes nothing.
SAME = {"A": 9.0, "B": 8.0, "K": 7.0}


def score_all(arena, organizer, contestants, panel, sheet, stage_to, marks):
    for code in ("A", "B", "K"):
        c = stage_to(contestants[code], "scoring_open", organizer)
        for name, judge in panel.judges.items():
            if judge.paper or services.is_recused(judge, c) or name not in marks[code]:
                continue
            mark = marks[code][name]
            services.submit_sheet(judge, c, mark if isinstance(mark, dict) else sheet(mark), f"{name}-{code}")
        stage_to(c, "revealed", organizer)
    return Arena.objects.get(pk=arena.pk)


@pytest.fixture
def close_day(arena, organizer, contestants, panel, sheet, stage_to):
    """K and B tie on 8.7 (K first on the leaders' score), A 8.0: all revealed, not published."""
    panel.judges["L4"] = services.add_judge(arena, organizer, group="leaders", name="L4")
    panel.tokens["L4"] = services.issue_token(panel["L4"], organizer)
    return score_all(arena, organizer, contestants, panel, sheet, stage_to, MARKS)


@pytest.fixture
def clear_day(arena, organizer, contestants, panel, sheet, stage_to):
    marks = {code: {name: v for name in panel.judges} for code, v in SAME.items()}
    return score_all(arena, organizer, contestants, panel, sheet, stage_to, marks)


def test_publication_stores_the_intervals_with_their_parameters(close_day, organizer):
    arena = services.publish_results(close_day, organizer)
    stored = arena.result["uncertainty"]
    assert stored["draws"] == 1000 and stored["seed"] == arena.pk
    assert stored["csv"].splitlines()[0] == "contestant,rank,median_rank,rank_lo,rank_hi"
    assert [line.split(",")[:2] for line in stored["csv"].splitlines()[1:]] == [["K", "1"], ["B", "2"], ["A", "3"]]
    for _rank, med, lo, hi in stored["rows"].values():
        assert 1 <= lo <= med <= hi <= 3
    # K and B tie on the final score: some draws of the judges put B first.
    assert stored["rows"]["K"][2] == 1 and stored["rows"]["B"][2] == 1


def test_the_export_reproduces_the_stored_intervals_byte_for_byte(close_day, organizer, tmp_path):
    arena = services.publish_results(close_day, organizer)
    runner = CliRunner()
    out = tmp_path / "export"
    assert runner.invoke(main, ["arena", "export", str(arena.pk), "--out", str(out)]).exit_code == 0
    params = json.loads((out / "uncertainty.json").read_text(encoding="utf-8"))
    assert params["draws"] == 1000 and params["seed"] == arena.pk
    done = runner.invoke(main, ["arena", "uncertainty", "--scores", str(out / "scores.csv"),
                                "--rubric", str(out / "rubric.json"), "--draws", str(params["draws"]),
                                "--seed", str(params["seed"]), "--out", str(tmp_path / "u.csv")])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "u.csv").read_bytes() == (out / "uncertainty.csv").read_bytes()
    assert (out / "uncertainty.csv").read_text(encoding="utf-8") == arena.result["uncertainty"]["csv"]
    assert params["command"] in (out / "README-uncertainty.txt").read_text(encoding="utf-8").replace(
        "--out u.csv", "--out uncertainty.csv")
    # Another seed is another set of draws, so the seed really is part of the contract.
    other = runner.invoke(main, ["arena", "uncertainty", "--scores", str(out / "scores.csv"),
                                 "--rubric", str(out / "rubric.json"), "--draws", "7", "--seed", "1",
                                 "--out", str(tmp_path / "v.csv")])
    assert other.exit_code == 0


def test_identical_judges_give_collapsed_intervals_and_no_warning(clear_day, organizer):
    assert intervals.cut_warnings(clear_day) == []
    arena = services.publish_results(clear_day, organizer)
    assert arena.result["uncertainty"]["rows"] == {"A": [1, 1, 1, 1], "B": [2, 2, 2, 2], "K": [3, 3, 3, 3]}


def test_boundaries_of_the_bonus_rule_and_the_awards():
    # {"1": 2, "2": 1, "last": -1} over 4 ranked: 2, 1, 0, −1 → boundaries after 1, 2 and 3; 海豚奖 after the
    # best rank, 海龟奖 before the worst.
    assert intervals.boundaries([1, 2, 3, 4], {"1": 2, "2": 1, "last": -1}) == {
        1: ["bonus", "best"], 2: ["bonus"], 3: ["bonus", "worst"]}
    assert intervals.boundaries([1, 1, 3, 3, 0], {}) == {2: ["best", "worst"]}
    # All tied: nobody is best or worst alone; the bonus boundary after place 1 has nobody outside it, so
    # uncertain_cut never warns on it.
    assert intervals.boundaries([1, 1, 1], {"1": 1}) == {1: ["bonus"]}
    assert intervals.boundaries([2, 1, 3], [0, 0, 0]) == {1: ["best"], 2: ["worst"]}


def test_the_console_warns_before_publication(close_day, login, organizer):
    warnings = intervals.cut_warnings(close_day)
    first = next(w for w in warnings if w["after"] == 1)
    assert first["what"] == ["bonus", "best"]
    assert first["inside"][0].startswith("西城区（1–") or first["inside"][0].startswith(
        close_day.contestants.get(unit__code="K").unit.name)
    body = htmllib.unescape(login(organizer).get(reverse("arena:console_body", args=[close_day.pk])).content.decode())
    assert 'id="interval-warnings"' in body
    assert "加减分、海豚奖（第一名）的分界（第 1 名与第 2 名之间）" in body
    assert "统计上无法区分" in body
    # …and the publish button's confirmation says it too.
    confirm = re.search(r'class="step step-publish"[^>]*data-confirm="([^"]*)"', body, re.S)
    assert confirm and confirm.group(1).startswith("名次区间：加减分、海豚奖（第一名）的分界")
    assert confirm.group(1).endswith("确认发布？")


def test_the_results_page_shows_each_interval_and_the_indistinguishable(close_day, organizer, client):
    arena = services.publish_results(close_day, organizer)
    page = htmllib.unescape(client.get(reverse("arena:results", args=[arena.pk])).content.decode())
    text = re.sub(r"<[^>]+>", "", page)
    rows = arena.result["uncertainty"]["rows"]
    lo, hi = rows["K"][2], rows["K"][3]
    assert f"第1名（{lo}–{hi}）" in text
    assert "90% 区间，评委重抽样" in page and 'id="rank-intervals"' in page
    assert "统计上无法区分" in page and "≈" in page
    assert f"--draws 1000 --seed {arena.pk}" in page


def test_an_arena_published_before_intervals_shows_plain_ranks(clear_day, organizer, client):
    arena = services.publish_results(clear_day, organizer)
    result = dict(arena.result)
    result.pop("uncertainty")
    Arena.objects.filter(pk=arena.pk).update(result=result)
    page = client.get(reverse("arena:results", args=[arena.pk])).content.decode()
    assert 'id="rank-intervals"' not in page and "第1名" not in page
    assert "uncertainty.csv" not in services.export_arena(Arena.objects.get(pk=arena.pk))


def test_the_api_gives_the_stored_intervals(close_day, organizer, client):
    arena = services.publish_results(close_day, organizer)
    body = client.get(f"/api/v1/arena/{arena.pk}/results").json()
    assert body["uncertainty"] == arena.result["uncertainty"]
    assert body["uncertainty"]["seed"] == arena.pk and set(body["uncertainty"]["rows"]) == {"A", "B", "K"}


def test_the_organizers_preview_shows_the_intervals_publication_will_store(close_day, organizer, login):
    page = htmllib.unescape(login(organizer).get(reverse("arena:results", args=[close_day.pk])).content.decode())
    assert 'id="rank-intervals-preview"' in page and "预览：区间按目前的有效评分表计算" in page
    text = re.sub(r"<[^>]+>", "", page)
    preview = intervals.record(close_day)["rows"]["K"]
    assert f"第1名（{preview[2]}–{preview[3]}）" in text and "≈" in page
    arena = services.publish_results(close_day, organizer)
    assert arena.result["uncertainty"]["rows"]["K"] == preview  # what was previewed is what is published
    published = htmllib.unescape(login(organizer).get(reverse("arena:results", args=[arena.pk])).content.decode())
    assert 'id="rank-intervals-preview"' not in published and 'id="rank-intervals"' in published
