"""Anyone can recompute the published result: `leitai arena export` then `leitai arena tally` on the
exported files gives the published result.csv byte for byte — on a day with trimming in both groups, a
recused judge, a changed sheet, a confirmed paper sheet and a tie broken by the leaders' group."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from leitai.arena import services
from leitai.cli import main

pytestmark = pytest.mark.django_db

# Judge → mark on every criterion; K's public P3 gives a mixed sheet whose total is 8.25.
MIXED_825 = {"quality": 8.5, "position": 8.5, "innovation": 8.5, "project": 8, "environment": 8, "responsibility": 8}
MARKS = {
    # leaders 9, 8, 7 (L3 recused) → trimmed 8; public 9, 8, 8, 7, 6 (+ paper P6 8) → trimmed 8; final 8.
    "A": {"L1": 9, "L2": 8, "L4": 7, "P1": 9, "P2": 8, "P3": 8, "P4": 7, "P5": 6},
    # leaders 9, 9, 8, 6 → trimmed 8.5; public 10, 9, 9, 8, 2 → 9; final 0.6·8.5 + 0.4·9 = 8.7.
    "B": {"L1": 9, "L2": 9, "L3": 8, "L4": 6, "P1": 10, "P2": 9, "P3": 9, "P4": 8, "P5": 2},
    # leaders 9 ×4 → 9; public 10, 9, 8.25, 7, 6 → 8.25; final 0.6·9 + 0.4·8.25 = 8.7: ties B, wins on leaders.
    "K": {"L1": 9, "L2": 9, "L3": 9, "L4": 9, "P1": 10, "P2": 9, "P3": MIXED_825, "P4": 7, "P5": 6},
}


@pytest.fixture
def day(arena, contestants, panel, paper_judge, organizer, staff2, sheet, stage_to):
    panel.judges["L4"] = services.add_judge(arena, organizer, group="leaders", name="L4")
    panel.tokens["L4"] = services.issue_token(panel["L4"], organizer)
    for code in ("A", "B", "K"):
        c = stage_to(contestants[code], "scoring_open", organizer)
        if code == "A":
            services.submit_sheet(panel["L1"], c, sheet(5), "first-thought")  # changed below
            paper = services.enter_paper_sheet(organizer, paper_judge, c, sheet(8))
            services.confirm_paper_sheet(staff2, paper)
        for name, mark in MARKS[code].items():
            services.submit_sheet(panel[name], c, mark if isinstance(mark, dict) else sheet(mark), f"{name}-{code}")
        stage_to(c, "revealed", organizer)
    return services.publish_results(arena, organizer)


def test_the_published_result_has_the_tie_broken_by_the_leaders(day):
    rows = [(r["unit"], r["score"], r["rank"], r["groups"]) for r in day.result["rows"]]
    assert rows == [("K", 8.7, 1, {"leaders": 9.0, "public": 8.25}), ("B", 8.7, 2, {"leaders": 8.5, "public": 9.0}),
                    ("A", 8.0, 3, {"leaders": 8.0, "public": 8.0})]
    assert day.result["tally_csv"] == ("contestant,score,rank,group:leaders,group:public\n"
                                       "K,8.7,1,9.0,8.25\nB,8.7,2,8.5,9.0\nA,8.0,3,8.0,8.0\n")


def test_export_then_tally_gives_the_published_result_exactly(day, tmp_path):
    runner = CliRunner()
    out = tmp_path / "export"
    done = runner.invoke(main, ["arena", "export", str(day.pk), "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert sorted(p.name for p in out.iterdir()) == ["CHAIN.jsonl", "HEAD", "README-uncertainty.txt", "README.txt", "audit.csv", "links.csv", "result.csv", "rubric.json", "scores.csv", "sheets.csv", "uncertainty.csv", "uncertainty.json"]
    tallied = runner.invoke(main, ["arena", "tally", "--scores", str(out / "scores.csv"),
                                   "--rubric", str(out / "rubric.json"), "--out", str(tmp_path / "out.csv")])
    assert tallied.exit_code == 0, tallied.output
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == (out / "result.csv").read_text(encoding="utf-8")
    assert (out / "result.csv").read_text(encoding="utf-8") == day.result["tally_csv"]


def test_the_export_is_anonymous_and_holds_only_the_sheets_that_count(day, panel):
    files = services.export_arena(day)
    scores = files["scores.csv"].decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(scores)))
    assert {r["judge"] for r in rows} == {j.anon_code for j in panel.judges.values()}
    for secret in ("L1", "L4", "P6", *panel.tokens.values()):
        assert secret not in scores
    assert {r["contestant"] for r in rows} == {"A", "B", "K"}
    # A's changed sheet counts once, with its final marks; L3 never scored A.
    l1, l3 = panel["L1"].anon_code, panel["L3"].anon_code
    assert {r["score"] for r in rows if r["judge"] == l1 and r["contestant"] == "A"} == {"9.0"}
    assert not [r for r in rows if r["judge"] == l3 and r["contestant"] == "A"]
    assert len(rows) == 6 * (9 + 9 + 9)
    rubric = json.loads(files["rubric.json"])
    assert rubric["tie_break"] == ["leaders"] and [g["trim"] for g in rubric["groups"]] == [1, 2]
    readme = files["README.txt"].decode("utf-8")
    assert "leitai arena tally --scores scores.csv --rubric rubric.json --out out.csv" in readme
    assert "重新计算" in readme and "recompute" in readme


def test_an_unpublished_arena_cannot_be_exported(arena, tmp_path):
    done = CliRunner().invoke(main, ["arena", "export", str(arena.pk), "--out", str(tmp_path)])
    assert done.exit_code == 2 and "发布后才能导出" in done.output
    missing = CliRunner().invoke(main, ["arena", "export", "99999", "--out", str(tmp_path), "--lang", "en"])
    assert missing.exit_code == 2 and "no such arena" in missing.output
