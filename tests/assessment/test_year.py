"""A whole year in one test: monthly rankings, two arenas (one of towns), pledges and items taken from the
stage (转入督办), close-outs, an assessment with a roll-up of towns into counties, published, traced to
every source, exported and recomputed byte for byte; a quarter counts only what falls inside it."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from click.testing import CliRunner
from django.urls import reverse

from leitai.arena import services as arena_services
from leitai.arena.models import Arena
from leitai.assessment import services
from leitai.assessment.models import Assessment
from leitai.commands.assess import assess
from leitai.indicators import services as data
from leitai.indicators.services import ensure_period
from leitai.rankings.services import add_adjustment
from leitai.tracking import services as tracking
from leitai.tracking.models import Item
from leitai.units.models import Unit
from tests.rankings.support import add_data, make_plan, publish

AS_OF = dt.date(2024, 12, 31)
SCHEME = {
    "components": [
        {"code": "rank", "kind": "rank_points", "name": "月度排名赋分", "points": [10, 8, 6]},
        {"code": "arena", "kind": "ledger", "source": "arena", "name": "擂台赛"},
        {"code": "bonus", "kind": "ledger", "source": "other", "name": "加减分事项"},
        {"code": "pledges", "kind": "pledge_rate", "max": 4, "name": "承诺兑现"},
        {"code": "items", "kind": "item_ontime", "max": 2, "per_late": -0.5, "name": "整改销号"},
        {"code": "reviews", "kind": "review_satisfaction", "max": 2, "name": "回头看"},
    ],
    "rollup": {"kinds": ["town"], "weight": 0.5},
    "grades": {"excellent_share": 0.34, "poor_last": True},
}


def _run_arena(arena, organizer, judges, marks, sheet, stage_to):
    arena_services.set_quorum(arena, organizer, 0)  # a few judges score here (the quorum: tests/arena/day/test_quorum.py)
    for c in arena.contestants.select_related("unit").order_by("order"):
        c = stage_to(c, "scoring_open", organizer)
        for n, j in enumerate(judges):
            arena_services.submit_sheet(j, c, sheet(marks[c.unit.code]), f"{j.pk}-{c.pk}-{n}")
        stage_to(c, "revealed", organizer)
    return arena_services.publish_results(Arena.objects.get(pk=arena.pk), organizer)


@pytest.fixture
def year(city, organizer, reporter_a, reporter_b, arena, contestants, panel, sheet, stage_to, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    plan = make_plan(organizer)
    add_data(city)  # 2024-03: A 3rd, B 1st, K 2nd; 2024-04: A 1st, B 2nd, K 3rd
    for month in ("2024-03", "2024-04"):
        publish(plan, city, month, organizer)
    # Arena 1 (2024Q1, every county): submissions with a shortcoming and pledges, a comment turned into a
    # shortcoming for B; marks A 9, B 8, K 7 → +2, +1, −1 in the ledger.
    arena_services.save_submission(contestants["A"], reporter_a, [
        {"kind": "shortcoming", "text": "工业投资增速偏低"}, {"kind": "measure", "text": "开展项目攻坚月"},
        {"kind": "pledge", "text": "一季度投资不低于50亿元", "indicator": "inv", "comparison": "ge",
         "target_value": 50, "deadline": "2024Q1"}])
    arena_services.save_submission(contestants["B"], reporter_b, [{"kind": "pledge", "text": "优化营商环境"}])
    comment = arena_services.record_comment(contestants["B"], organizer, "招商引资力度不够", author="市长")
    arena_services.raise_shortcoming(arena, organizer, "招商引资力度不够", city["b"], dt.date(2024, 9, 30), comment=comment)
    leaders = [j for j in panel.judges.values() if j.group.code == "leaders" and j.unit_id is None]
    _run_arena(arena, organizer, leaders, {"A": 9, "B": 8, "K": 7}, sheet, stage_to)
    # Arena 2 (2024Q2, towns, no plan): A01 (under A) first +3, B01 (under B) last −1.
    b01 = Unit.objects.create(code="B01", name="西城街道", kind="town", parent=city["b"])
    town_arena = arena_services.create_arena(organizer, name="2024年第二季度镇街亮绩赛场", kind="town",
                                             period=ensure_period("2024Q2"), bonus_rule={"1": 3, "last": -1})
    arena_services.add_contestants(town_arena, organizer, [city["town"], b01])
    judges = [arena_services.add_judge(town_arena, organizer, group="leaders", name=f"T{n}") for n in range(2)]
    for j in judges:
        arena_services.issue_token(j, organizer)
    _run_arena(town_arena, organizer, judges, {"A01": 9, "B01": 7}, sheet, stage_to)
    # 转入督办, then: A's item closed on time, B's left open past its deadline; A's pledge missed, B's kept.
    rows = {r.text: r.key for r in tracking.transfer_preview(arena)}
    tracking.transfer(arena, organizer, {rows["工业投资增速偏低"]: {"deadline": dt.date(2024, 6, 30)}})
    item = Item.objects.get(arena_item__text="工业投资增速偏低")
    tracking.act(reporter_a, item, "start")
    tracking.act(reporter_a, item, "request_closeout", text="已完成")
    tracking.act(organizer, item, "verify")
    Item.objects.filter(pk=item.pk).update(closed_on=dt.date(2024, 6, 20))  # closed in 2024, as it would have been
    data.set_observation(organizer, city["a"], city["inv"], ensure_period("2024Q1"), 48)
    tracking.judge_pledges(today=dt.date(2024, 4, 15))
    from leitai.tracking.models import Pledge

    tracking.judge_pledge_manually(organizer, Pledge.objects.get(text="优化营商环境"), "kept", "营商环境评价全省第一")
    add_adjustment(city["c"], ensure_period("2024-04"), 0.5, "获省级表彰", plan=plan, user=organizer)
    scheme = services.save_scheme(organizer, name="2024年度县市区考绩", plan=plan, year=2024, spec=SCHEME)
    return {"scheme": scheme, "arena": arena, "town_arena": town_arena, "item": item}


def test_the_year_is_totalled_ranked_graded_and_traced(year, organizer, login, client, tmp_path):
    # A: ranks 3rd, 1st → 6, 10 → 8; arena +2; pledge missed 0/1 → 0; item on time 1/1 → 2; reviews none → 2;
    #    towns: A01 +3 + 4 + 2 + 2 = 11 → × 0.5 = 5.5.                                            = 19.5
    # B: 1st, 2nd → 9; +1; kept 1/1 → 4; item open past 2024-09-30 → 0 − 0.5; 2; B01 −1 + 8 = 7 → 3.5 = 19
    # K: 2nd, 3rd → 7; −1; +0.5 (province award); 4; 2; 2                                         = 14.5
    a = services.compute(organizer, year["scheme"], ensure_period("2024"), as_of=AS_OF)
    rows = {r["unit"]: r for r in a.result["rows"]}
    assert [(r["unit"], r["total"], r["rank"], r["grade"]) for r in a.result["rows"]] == [
        ("A", 19.5, 1, "excellent"), ("B", 19.0, 2, "good"), ("K", 14.5, 3, "poor")]
    assert rows["B"]["components"] == {"rank": 9.0, "arena": 1.0, "bonus": 0.0, "pledges": 4.0, "items": -0.5, "reviews": 2.0}
    for r in a.result["rows"]:
        assert sum(ln["points"] for ln in r["lines"] if ln["points"] is not None) == pytest.approx(r["total"])
    # drafts are the organizer's; the public sees nothing yet
    assert client.get(reverse("assessment:board", args=[a.pk])).status_code == 404
    services.publish(organizer, a)
    board = client.get(reverse("assessment:board", args=[a.pk])).content.decode()
    assert "2024年度县市区考绩" in board and "19.50" in board and "优秀" in board and "较差" in board
    # click a total: every point with its source, linked
    page = client.get(reverse("assessment:unit", args=[a.pk, "A"])).content.decode()
    ranking_march = a.inputs["rankings"][0]["ref"].split(":")[1]
    assert "2024年3月排名第 3 名（+6）" in page and reverse("rankings:detail", args=[int(ranking_march)]) in page
    assert "第1名（+2分）" in page and reverse("arena:results", args=[year["arena"].pk]) in page
    assert "下属单位（1 个）平均 11.00 × 0.5" in page
    b_page = client.get(reverse("assessment:unit", args=[a.pk, "B"])).content.decode()
    late = Item.objects.get(arena_shortcoming__text="招商引资力度不够")
    assert f"整改事项 {late.code} 逾期" in b_page and reverse("tracking:item", args=[late.code]) in b_page
    # the export recomputes byte for byte
    bundle = zipfile.ZipFile(io.BytesIO(client.get(reverse("assessment:export", args=[a.pk])).content))
    inputs, result = bundle.read("inputs.json"), bundle.read("result.csv")
    (tmp_path / "inputs.json").write_bytes(inputs)
    run = CliRunner().invoke(assess, ["compute", "--inputs", str(tmp_path / "inputs.json"), "--out",
                                      str(tmp_path / "out.csv")], env={"LEITAI_LANG": ""})
    assert run.exit_code == 0, run.output
    assert (tmp_path / "out.csv").read_bytes() == result
    assert json.loads(inputs)["window"] == {"code": "2024", "start": "2024-01-01", "end": "2024-12-31", "as_of": "2024-12-31"}
    # published is frozen; a correction is a new version with its reason
    a.result = {}
    with pytest.raises(ValueError):
        a.save()
    new = services.correct(organizer, Assessment.objects.get(pk=a.pk), "补录整改销号日期")
    assert (new.version, new.status, new.reason) == (2, "draft", "补录整改销号日期")
    services.publish(organizer, new)
    assert Assessment.objects.get(pk=a.pk).status == "superseded"
    # the API lists it for everyone
    api = client.get("/api/v1/assessment/").json()
    assert [x["version"] for x in api] == [2, 1]
    detail = client.get(f"/api/v1/assessment/{new.pk}/units/A").json()
    assert detail["total"] == 19.5 and any(ln["ref"] == f"arena:{year['arena'].pk}" for ln in detail["lines"])


def test_a_quarter_counts_only_what_falls_inside_it(year, organizer):
    # 2024Q1: March's ranking only (A 3rd → 6, B 1st → 10, K 2nd → 8), arena 1 (Q1) but not the town arena (Q2)
    # nor K's April award; A's Q1 pledge missed → 0; no item due in Q1 → full 2; reviews 2.
    # Towns: A01 and B01 have nothing in Q1 → 4 + 2 + 2 = 8 → × 0.5 = 4 each.
    q1 = services.compute(organizer, year["scheme"], ensure_period("2024Q1"), as_of=AS_OF)
    assert [(r["unit"], r["total"]) for r in q1.result["rows"]] == [("B", 23.0), ("A", 16.0), ("K", 15.0)]


def test_the_scheme_page_is_in_chinese_and_refuses_bad_input(login, organizer, city, reporter_a):
    plan = make_plan(organizer)
    url = reverse("assessment:scheme_new")
    assert login(reporter_a).get(url).status_code == 403
    client = login(organizer)
    page = client.get(url).content.decode()
    assert "名次赋分表" in page and "优秀比例上限" in page and "JSON" not in page
    form = {"name": "2024年度考绩", "plan": plan.pk, "year": 2024, "rank_mode": "points", "rank_points": "10,12",
            "rank_weight": "1", "arena_on": "on", "arena_weight": "1", "excellent_share": "30", "poor_last": "on"}
    assert "名次靠后的分数不能更高" in client.post(url, form).content.decode()
    form["rank_points"] = "10，9，8"
    assert client.post(url, form).status_code == 302
    from leitai.assessment.models import Scheme

    scheme = Scheme.objects.get()
    assert scheme.spec["components"][0] == {"code": "rank", "kind": "rank_points", "name": "月度排名赋分",
                                            "points": [10, 9, 8], "weight": 1, "aggregate": "mean"}
    assert scheme.changes.count() == 1
    edit = client.get(reverse("assessment:scheme_edit", args=[scheme.pk])).content.decode()
    assert 'value="10,9,8"' in edit


def test_a_published_schemes_plan_and_year_stay(year, organizer):
    from leitai.core.errors import LeitaiError
    from tests.rankings.support import make_plan

    scheme = year["scheme"]
    services.publish(organizer, services.compute(organizer, scheme, ensure_period("2024Q1"), as_of=AS_OF))
    other = make_plan(organizer, code="other", name="另一方案")
    with pytest.raises(LeitaiError, match="考核方案和年度不能再改"):
        services.save_scheme(organizer, name=scheme.name, plan=other, year=2024, spec=SCHEME, scheme=scheme)
    services.save_scheme(organizer, name="2024年度县市区考绩（修订）", plan=scheme.plan, year=2024, spec=SCHEME, scheme=scheme)
    last = scheme.changes.order_by("-id").first()
    assert last.before["name"] == "2024年度县市区考绩" and last.after["name"] == "2024年度县市区考绩（修订）"


def test_the_board_speaks_english_to_english_readers(year, organizer, client):
    from django.conf import settings

    a = services.publish(organizer, services.compute(organizer, year["scheme"], ensure_period("2024"), as_of=AS_OF))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("assessment:board", args=[a.pk])).content.decode()
    assert "Points for monthly ranks" in page and "Arena points" in page and "2024年度县市区考绩 · 2024" in page
    assert "月度排名赋分" not in page and "Excellent" in page
