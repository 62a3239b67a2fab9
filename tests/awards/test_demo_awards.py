"""The small demo city's awards: 海豚奖 and 海龟奖 for the published arena, the flags, top three and last place
of the latest county ranking, the 招商专班 team, one approved and one pending nomination, and the awards in
the published assessment — each checked against the published results it rests on."""

from __future__ import annotations

from django.urls import reverse

from leitai.arena.models import Arena
from leitai.assessment.models import Assessment
from leitai.awards import selectors
from leitai.awards.models import Award, Team
from leitai.rankings.models import Ranking


def test_the_demo_arena_gives_the_dolphin_to_its_best_and_the_turtle_to_its_last(demo):
    arena = Arena.objects.get(pk=demo["arenas"]["past"])
    rows = arena.result["rows"]
    ranks = [r["rank"] for r in rows if r["rank"]]
    best = sorted(r["unit"] for r in rows if r["rank"] == min(ranks))
    worst = sorted(r["unit"] for r in rows if r["rank"] == max(ranks))
    got = Award.objects.filter(arena=arena)
    assert sorted(a.unit.code for a in got if a.kind.code == "haitun") == best
    assert sorted(a.unit.code for a in got if a.kind.code == "haigui") == worst
    presenters = {r["unit"]: r["person"] for r in rows}
    assert all(a.person.name == presenters[a.unit.code] for a in got if a.person)


def test_the_latest_ranking_gives_its_flags_top_three_and_last_place(demo):
    latest = (Ranking.objects.filter(plan_version__plan__code="county-hq", status="published", period__kind="month")
              .order_by("-period__start").first())
    rows = list(latest.rows.select_related("unit"))
    got = {}
    for a in Award.objects.filter(ranking=latest):
        got.setdefault(a.kind.code, set()).add(a.unit.code)
    assert got["hongqi"] == {r.unit.code for r in rows if any(f["kind"] == "red" for f in r.flags)}
    assert got["huangqi"] == {r.unit.code for r in rows if any(f["kind"] == "yellow" for f in r.flags)}
    assert got["qiansan"] == {r.unit.code for r in rows if r.rank and r.rank <= 3}
    last = max(r.rank for r in rows if r.rank)
    assert got["mowei"] == {r.unit.code for r in rows if r.rank == last}


def test_the_demo_team_nominations_and_assessment(demo, client):
    team = Team.objects.get(name__endswith="招商专班")
    assert team.memberships.filter(end__isnull=False).count() == 1
    assert Award.objects.get(pk=demo["awards"]["approved"]).status == "approved"
    waiting = Award.objects.get(pk=demo["awards"]["pending"])
    assert waiting.status == "pending" and waiting.team == team
    html = client.get(reverse("awards:index")).content.decode()
    assert "海豚奖" in html and "重点工作突破奖" in html and f'id="award-{waiting.pk}"' not in html
    year = Assessment.objects.get(pk=demo["assessment"]["year"])
    assert any(f["kind"] == "tupo" for f in year.inputs["awards"])
    approved = Award.objects.get(pk=demo["awards"]["approved"])
    row = next(r for r in year.result["rows"] if r["unit"] == approved.unit.code)
    assert any(ln["ref"] == f"award:{approved.pk}" and ln["points"] == 2 for ln in row["lines"])
    assert selectors.awards_for_unit(approved.unit)[0].date >= selectors.awards_for_unit(approved.unit)[-1].date
