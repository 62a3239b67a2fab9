"""The demo city: a small one generated into the test database, checked for shape, realism and provenance."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from leitai.demo.catalogue import INDICATORS
from leitai.demo.generator import generate

SMALL = {"counties": 3, "zones": 1, "departments": 4, "towns_per_county": 2}
# Three months across a new year, so year-to-date totals must restart in January.
MONTHS = {"months": 3, "end": "2024-02"}


@pytest.fixture
def small_demo(demo):
    """The small city (tests/conftest.py: SMALL_DEMO, built once for this module, arenas included)."""
    return demo


@pytest.fixture
def arena_demo(demo):
    """The same city, read for its two arenas: 2024Q1 held and published, 2024Q2 in set-up."""
    return demo


def test_the_small_demo_has_the_requested_units_per_kind(small_demo):
    from leitai.units.models import Unit

    counts = {kind: Unit.objects.filter(kind=kind).count() for kind in ("city", "county", "zone", "department", "town")}
    assert counts == {"city": 1, "county": 3, "zone": 1, "department": 4, "town": 6}
    assert small_demo["units"]["town"] == 6
    assert all(t.parent.kind == "county" for t in Unit.objects.filter(kind="town").select_related("parent"))
    sections = Unit.objects.filter(kind="section").select_related("parent")
    assert sections and all(s.parent.kind == "department" for s in sections)


def test_the_full_demo_is_a_city_of_ten_counties_two_zones_thirty_departments_and_sixty_towns():
    summary = generate(months=1, end="2024-12").summary()
    assert {k: summary["units"][k] for k in ("county", "zone", "department", "town")} == {
        "county": 10, "zone": 2, "department": 30, "town": 60}


def test_the_catalogue_ranks_counties_on_more_than_fifty_indicators(small_demo):
    from leitai.indicators.models import Indicator
    from leitai.rankings.models import AssessmentPlan

    assert Indicator.objects.count() >= 50
    plan = AssessmentPlan.objects.get(code="county-hq")
    assert plan.name == "县市区高质量发展综合考核"
    assert len(plan.current_version.spec["indicators"]) >= 50
    lower_better = set(Indicator.objects.filter(direction=-1).values_list("name", flat=True))
    assert {"不良贷款率", "PM2.5 平均浓度", "安全生产事故起数", "信访总量"} <= lower_better


def test_every_value_lies_in_its_indicators_plausible_range_and_has_a_demo_revision(small_demo):
    from leitai.indicators.models import Observation, ObservationRevision

    rows = list(Observation.objects.values_list("value", "indicator__plausible_min", "indicator__plausible_max"))
    assert len(rows) == small_demo["observations"]
    assert all(lo <= v <= hi for v, lo, hi in rows)
    assert ObservationRevision.objects.filter(source="demo").count() == len(rows)
    assert not Observation.objects.filter(revisions__isnull=True).exists()


def test_some_values_are_missing_and_some_are_outliers():
    city = generate(seed=7, **MONTHS, **SMALL)
    expected = sum(1 for d in INDICATORS for u in city.units if u.kind in d.applies_to) * 3
    assert 0 < len(city.gaps) < 0.05 * expected
    assert len(city.observations) + len(city.gaps) == expected
    full = generate(seed=2024, months=24)
    assert 0.01 <= len(full.gaps) / (len(full.gaps) + len(full.observations)) <= 0.02
    assert full.outliers


def test_the_same_seed_gives_the_same_city_and_another_seed_another():
    a = generate(seed=11, **MONTHS, **SMALL)
    b = generate(seed=11, **MONTHS, **SMALL)
    c = generate(seed=12, **MONTHS, **SMALL)
    assert a.observations == b.observations and a.targets == b.targets and a.people == b.people
    assert a.observations != c.observations


def test_year_to_date_totals_restart_in_january_and_have_annual_targets(small_demo):
    from leitai.indicators.models import AnnualTarget, Observation

    values = {(u, p): v for u, p, v in Observation.objects.filter(indicator__code="fai", unit__kind="county")
              .values_list("unit__code", "period__code", "value")}
    pairs = [(values[u, "2023-12"], values[u, "2024-01"]) for u, p in values if p == "2023-12" and (u, "2024-01") in values]
    assert pairs and all(jan < dec for dec, jan in pairs)
    assert set(AnnualTarget.objects.filter(indicator__code="fai").values_list("year", flat=True)) == {2023, 2024}


def test_a_ranking_is_published_for_every_plan_and_month(small_demo):
    from leitai.rankings.models import AssessmentPlan, Ranking

    plans = list(AssessmentPlan.objects.all())
    assert {p.code for p in plans} == {"county-hq", "town-monthly", "dept-service"}
    for plan in plans:
        published = Ranking.objects.filter(plan_version__plan=plan, status="published")
        assert sorted(published.values_list("period__code", flat=True)) == ["2023-12", "2024-01", "2024-02"]
    assert small_demo["rankings"] == 9
    board = Ranking.objects.get(plan_version__plan__code="county-hq", period__code="2024-02")
    assert board.rows.count() == 4 and board.rows.filter(rank=1).exists()


def test_a_head_change_keeps_the_persons_record(small_demo):
    from leitai.units.models import Person

    movers = [p for p in Person.objects.all() if p.posts.count() > 1]
    assert movers, "one county head moves to a city department"
    kinds = {post.unit.kind for post in movers[0].posts.select_related("unit")}
    assert kinds == {"county", "department"}


def test_the_demo_logins_exist_one_per_role(small_demo):
    from leitai.accounts.models import User
    from leitai.demo.loader import DEMO_PASSWORD

    users = {u.username: u for u in User.objects.select_related("unit")}
    assert {u: users[u].role for u in ("kaohe", "donggang", "xihu", "pingwei", "jiandu", "gongzhong")} == {
        "kaohe": "organizer", "donggang": "reporter", "xihu": "reporter", "pingwei": "judge",
        "jiandu": "supervisor", "gongzhong": "public"}
    assert users["kaohe"].is_superuser and users["kaohe"].is_staff
    assert users["donggang"].unit.name == "东港区" and users["xihu"].unit.name == "西湖区"
    assert users["donggang"].check_password(DEMO_PASSWORD)


def test_the_demo_command_keeps_an_existing_database_and_prints_urls_and_logins(small_demo):
    from leitai.commands.demo import demo
    from leitai.units.models import Unit

    before = Unit.objects.count()
    result = CliRunner().invoke(demo, ["--no-serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert "跳过生成" in result.output
    assert "http://127.0.0.1:8123/rankings/" in result.output
    assert "kaohe" in result.output and "leitai-demo-2024" in result.output
    assert Unit.objects.count() == before


def test_reset_refuses_a_database_outside_the_data_folder(tmp_path):
    from types import SimpleNamespace

    import click

    from leitai.commands.demo import _delete_sqlite

    elsewhere = tmp_path / "precious.sqlite3"
    elsewhere.write_text("keep me")
    conf = SimpleNamespace(DATA_DIR=tmp_path / "data",
                           DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": elsewhere}})
    with pytest.raises(click.UsageError):
        _delete_sqlite(conf)
    assert elsewhere.exists()
    conf.DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "leitai"}}
    with pytest.raises(click.UsageError):
        _delete_sqlite(conf)


def test_reset_deletes_the_sqlite_file_in_the_data_folder(tmp_path):
    from types import SimpleNamespace

    from leitai.commands.demo import _delete_sqlite

    db = tmp_path / "leitai.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / f"leitai.sqlite3{suffix}").write_text("old demo")
    _delete_sqlite(SimpleNamespace(DATA_DIR=tmp_path,
                                   DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": db}}))
    assert not list(tmp_path.iterdir())


def test_the_past_arena_is_published_in_the_order_of_the_last_ranking_with_every_sheet(arena_demo):
    from leitai.arena.models import Arena, ScoreSheet
    from leitai.core.judging.draw import order_by_ranking
    from leitai.rankings.models import Ranking

    past = Arena.objects.get(pk=arena_demo["arenas"]["past"])
    assert (past.name, past.period.code, past.status, past.kind) == ("2024年第一季度书记擂台", "2024Q1", "published",
                                                                      "secretary")
    ranking = Ranking.objects.get(plan_version__plan__code="county-hq", period__code="2024-02", status="published")
    ranks = dict(ranking.rows.values_list("unit__code", "rank"))
    contestants = list(past.contestants.select_related("unit").order_by("order"))
    assert [c.unit.code for c in contestants] == order_by_ranking(list(ranks), ranks)
    assert (past.order_method, past.order_ranking) == ("ranking", ranking)
    assert [c.name for c in past.criteria.all()] == ["比质量", "比位次", "比创新", "比项目", "比环境", "比担当"]
    panel = {g.code: (g.name, g.weight, g.trim, g.judges.count()) for g in past.groups.all()}
    assert panel == {"leaders": ("市领导", 0.6, 1, 10), "public": ("社会各界代表", 0.4, 2, 30)}
    recused = past.judges.filter(unit__isnull=False).count()
    assert recused == 2
    assert ScoreSheet.objects.filter(arena=past, status="final").count() == 40 * len(contestants) - recused
    assert all(c.stage == "revealed" and c.score is not None and c.rank for c in contestants)
    assert sorted(c.rank for c in contestants)[0] == 1
    # The best of the month's ranking presents better than its worst.
    assert contestants[0].rank < contestants[-1].rank


def test_the_past_arena_has_submissions_records_and_its_points_in_the_ledger(arena_demo):
    from leitai.arena import services
    from leitai.arena.models import Arena, SubmissionItem
    from leitai.core.io.arena import format_tally_csv, parse_rubric_json, parse_scores_csv
    from leitai.core.judging.tally import bonus_by_rank, tally
    from leitai.demo.arenas import BONUS_RULE
    from leitai.rankings.models import Adjustment

    past = Arena.objects.get(pk=arena_demo["arenas"]["past"])
    contestants = list(past.contestants.select_related("unit", "submission"))
    for c in contestants:
        kinds = set(c.submission.items.values_list("kind", flat=True))
        assert kinds >= {"highlight", "shortcoming", "measure", "pledge"} and c.submission.locked
        assert c.questions.count() == 2 and 1 <= c.comments.count() <= 2
    pledges = SubmissionItem.objects.filter(submission__contestant__arena=past, indicator__isnull=False)
    assert pledges and all(p.comparison in ("ge", "le") and p.target_value is not None
                           and p.deadline.code.startswith("2024-") for p in pledges)
    shortcomings = list(past.shortcomings.select_related("comment", "contestant"))
    assert len(shortcomings) == 2 and all(s.comment.contestant == s.contestant for s in shortcomings)
    assert shortcomings[0].text != shortcomings[1].text
    ledger = {a.unit.code: a for a in Adjustment.objects.filter(source=f"arena:{past.pk}").select_related("unit", "plan")}
    expected = {code: p for code, p in bonus_by_rank({c.unit.code: c.rank for c in contestants}, BONUS_RULE).items() if p}
    assert {code: a.points for code, a in ledger.items()} == expected
    assert all(a.period == past.period and a.plan.code == "county-hq" and past.name in a.reason for a in ledger.values())
    # Anyone can recompute the published result from the export.
    files = services.export_arena(past)
    rubric = parse_rubric_json(files["rubric.json"].decode())
    again = format_tally_csv(tally(parse_scores_csv(files["scores.csv"].decode(), rubric), rubric), rubric)
    assert again == files["result.csv"].decode()
    kinds = list(past.events.values_list("kind", flat=True))
    assert kinds[0] == "arena_created" and kinds[-1] == "published" and "order_set" in kinds
    # And the receipts and the hash chain of the whole day check out (leitai arena verify's five checks).
    from leitai.core.io.verify import verify_bundle

    done = verify_bundle({name: data.decode() for name, data in files.items()})
    assert done.sheets == past.sheets.filter(status="final").count() > 0 and done.arena == past.pk


def test_the_upcoming_arena_is_in_set_up_in_the_order_of_a_recorded_draw_with_working_links(arena_demo):
    from leitai.arena import services
    from leitai.arena.models import Arena
    from leitai.core.judging.draw import draw_order

    upcoming = Arena.objects.get(pk=arena_demo["arenas"]["upcoming"])
    assert (upcoming.name, upcoming.period.code, upcoming.status) == ("2024年第二季度书记擂台", "2024Q2", "setup")
    codes = list(upcoming.contestants.order_by("order").values_list("unit__code", flat=True))
    assert upcoming.order_method == "draw" and upcoming.draw_seed
    assert codes == draw_order(sorted(codes), upcoming.draw_seed)
    assert upcoming.events.get(kind="order_set").payload["seed"] == upcoming.draw_seed
    assert [c.name for c in upcoming.criteria.all()] == ["站位", "重点", "措施", "成效"]
    judges = list(upcoming.judges.all())
    assert len(judges) == 10 and all(j.token_hash and not j.token_revoked_at for j in judges)
    links = arena_demo["arenas"]["links"]
    assert len(links) == 2 and {link.group for link in links} == {"市领导", "社会各界代表"}
    for link in links:
        judge = services.judge_for_token(link.token)
        assert judge is not None and judge.arena == upcoming and judge.name == link.name
    assert not upcoming.sheets.exists()


def test_the_demo_command_prints_the_arena_pages_and_two_fresh_judge_links(arena_demo):
    from leitai.arena import services
    from leitai.commands.demo import demo

    past, upcoming = arena_demo["arenas"]["past"], arena_demo["arenas"]["upcoming"]
    result = CliRunner().invoke(demo, ["--no-serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    base = "http://127.0.0.1:8123/arena/"
    for path in ("", f"{past}/results/", f"{upcoming}/setup/", f"{upcoming}/console/", f"{upcoming}/screen/"):
        assert base + path in result.output
    # A second run cannot show the old links (only their hashes are kept): it issues two new ones.
    tokens = re.findall(r"/arena/j/([^/\s]+)/", result.output)
    assert len(tokens) == 2
    assert all(services.judge_for_token(t).arena_id == upcoming for t in tokens)
    assert all(services.judge_for_token(link.token) is None for link in arena_demo["arenas"]["links"])
    assert result.output.rstrip().splitlines()[-1].strip().startswith("on a phone")


def test_the_demo_has_rectification_items_at_every_step_and_the_arenas_pledges(arena_demo):
    from leitai.tracking.models import Item, Pledge, Reminder, Transition

    states = set(Item.objects.values_list("state", flat=True))
    assert {"assigned", "in_progress", "requested", "returned", "closed"} <= states
    assert Item.objects.filter(source="business_help").count() == 36
    from leitai.arena.models import Shortcoming, SubmissionItem

    assert Item.objects.filter(arena_shortcoming__isnull=False).count() == Shortcoming.objects.count() > 0
    assert Pledge.objects.filter(source="arena").count() == SubmissionItem.objects.filter(
        kind="pledge", submission__contestant__arena__status="published").count()
    closed = Item.objects.filter(state="closed").first()
    assert list(Transition.objects.filter(item=closed).values_list("action", flat=True)) == [
        "assign", "start", "request_closeout", "verify"]
    assert Reminder.objects.exists()  # the day's supervision ran


def test_the_demo_has_key_projects_on_and_off_schedule_and_shows_a_batch_at_the_published_arena(arena_demo):
    import datetime as dt

    from leitai.arena.models import Arena
    from leitai.demo.tracking import project_batches
    from leitai.tracking.models import KeyProject
    from leitai.tracking.projects import selectors as project_selectors

    counties = {c for c in KeyProject.objects.values_list("unit__kind", flat=True)}
    assert counties == {"county"} and KeyProject.objects.count() >= 4 * 2
    colours = {p.colour for p in project_selectors.board(dt.date.today())["projects"]}
    assert "green" in colours and colours & {"yellow", "red"}
    assert set(KeyProject.objects.values_list("stage", flat=True)) >= {"signed", "started"}
    published = Arena.objects.get(status="published")
    shown = KeyProject.objects.filter(arena=published)
    # The batches are named after the year they were signed in, counted back from today.
    first_batch = project_batches(dt.date.today())[0][0]
    assert shown.exists() and set(shown.values_list("batch", flat=True)) == {first_batch}
