"""The demo city: a small one generated into the test database, checked for shape, realism and provenance."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from leitai.demo.catalogue import INDICATORS
from leitai.demo.generator import generate

SMALL = {"counties": 3, "zones": 1, "departments": 4, "towns_per_county": 2}
# Three months across a new year, so year-to-date totals must restart in January.
MONTHS = {"months": 3, "end": "2024-02"}


@pytest.fixture
def small_demo(db):
    from leitai.demo.loader import build

    return build(seed=7, **MONTHS, **SMALL)


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
