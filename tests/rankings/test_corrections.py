"""Correcting a published ranking's bonus/deduction: a new published ranking from the same frozen data and rules
(today's data never leaks in), the corrected one superseded and still shown, the difference in the ledger, who
and why recorded — and the new ranking's bundle recomputes byte for byte."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from leitai.cli import main
from leitai.core.errors import LeitaiError
from leitai.indicators.models import Observation
from leitai.rankings import services
from leitai.rankings.models import Adjustment, Ranking, RankingCorrection
from tests.rankings.support import add_data, make_plan, publish, rows_by_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def april(city, organizer):
    add_data(city)
    plan = make_plan(organizer)
    services.add_adjustment(city["c"], city["periods"]["2024-04"], 1.25, "重点项目提前开工加分", plan=plan)
    return publish(plan, city, "2024-04", organizer)


def test_a_correction_publishes_a_new_ranking_from_the_same_snapshot_and_keeps_the_old(april, city, organizer,
                                                                                       login, tmp_path):
    before = {code: (r.score, r.rank) for code, r in rows_by_unit(april).items()}
    # Today's data changed after publication: the correction must not pick it up.
    Observation.objects.filter(unit=city["a"], indicator=city["gdp"], period=city["periods"]["2024-04"]).update(value=1)
    client = login(organizer)
    response = client.post(reverse("rankings:correct", args=[april.pk]),
                           {"unit": city["c"].pk, "points": "40", "reason": "省级表彰漏登，补足加分"})
    assert response.status_code == 302
    correction = RankingCorrection.objects.get()
    new = correction.to_ranking
    assert response.url == reverse("rankings:detail", args=[new.pk])
    assert (correction.from_ranking_id, correction.old_points, correction.new_points) == (april.pk, 1.25, 40.0)
    assert correction.by_user == organizer and correction.reason == "省级表彰漏登，补足加分"
    assert Ranking.objects.get(pk=april.pk).status == "superseded" and new.status == "published"
    assert new.inputs == Ranking.objects.get(pk=april.pk).inputs  # the same frozen data
    rows = {code: (r.score, r.rank) for code, r in rows_by_unit(new).items()}
    assert rows["A"][0] == before["A"][0] and rows["B"][0] == before["B"][0]  # from the snapshot, not today's data
    assert rows["K"][0] == pytest.approx(before["K"][0] + 38.75)
    assert {code: rank for code, (_, rank) in rows.items()} == {"A": 1, "K": 2, "B": 3}
    assert rows_by_unit(new)["K"].adjustment == pytest.approx(40)
    # the ledger: the difference, for this plan, with the reason
    entry = correction.adjustment
    assert (entry.points, entry.plan_id, entry.withdrawn) == (38.75, april.plan_version.plan_id, False)
    assert "省级表彰漏登" in entry.reason and Adjustment.objects.filter(unit=city["c"], withdrawn=False).count() == 2
    # both pages say what happened and link to each other
    old_page = client.get(reverse("rankings:detail", args=[april.pk])).content.decode()
    new_page = client.get(reverse("rankings:detail", args=[new.pk])).content.decode()
    assert "此排名已被更正" in old_page and reverse("rankings:detail", args=[new.pk]) in old_page
    assert "更正版本" in new_page and "省级表彰漏登" in new_page and reverse("rankings:detail", args=[april.pk]) in new_page
    # the corrected ranking's bundle recomputes byte for byte
    for name, content in services.export_bundle(new).items():
        (tmp_path / name).write_bytes(content)
    result = CliRunner().invoke(main, ["index", "compute", "--data", str(tmp_path / "data.csv"), "--spec",
                                       str(tmp_path / "spec.json"), "--out", str(tmp_path / "out.csv")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.csv").read_bytes() == (tmp_path / "result.csv").read_bytes()


def test_a_correction_is_refused_without_reason_change_organizer_or_publication(april, city, organizer, reporter_a):
    with pytest.raises(PermissionDenied):
        services.correct_ranking(april, reporter_a, city["c"], 3, "x")
    with pytest.raises(LeitaiError, match="理由"):
        services.correct_ranking(april, organizer, city["c"], 3, " ")
    with pytest.raises(LeitaiError, match="无需更正"):
        services.correct_ranking(april, organizer, city["c"], 1.25, "同样")
    with pytest.raises(LeitaiError, match="不在该排名中"):
        services.correct_ranking(april, organizer, city["town"], 3, "x")
    services.correct_ranking(april, organizer, city["c"], 3, "第一次更正")
    with pytest.raises(LeitaiError, match="现行发布"):
        services.correct_ranking(Ranking.objects.get(pk=april.pk), organizer, city["c"], 5, "更正已被替代的排名")
    assert RankingCorrection.objects.count() == 1


def test_published_rankings_and_their_ledger_are_read_only_in_the_admin(april, organizer, login):
    organizer.is_superuser = True
    organizer.save()
    client = login(organizer)
    entry = Adjustment.objects.get()
    for url in (reverse("admin:rankings_ranking_change", args=[april.pk]),
                reverse("admin:rankings_adjustment_change", args=[entry.pk])):
        assert client.post(url, {"points": "9", "status": "draft"}).status_code == 403
    for url in (reverse("admin:rankings_ranking_delete", args=[april.pk]),
                reverse("admin:rankings_adjustment_delete", args=[entry.pk])):
        assert client.post(url, {"post": "yes"}).status_code == 403
    assert Adjustment.objects.get().points == 1.25 and Ranking.objects.get(pk=april.pk).status == "published"
