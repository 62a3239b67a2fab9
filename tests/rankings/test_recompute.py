"""The recompute bundle: exported files run through `leitai index compute` give the published result exactly."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from click.testing import CliRunner
from django.urls import reverse

from leitai.cli import main
from leitai.indicators.models import Observation
from leitai.rankings import services
from tests.rankings.support import add_data, make_plan, publish, rows_by_unit


@pytest.fixture
def published(city, organizer):
    add_data(city)
    plan = make_plan(organizer)
    publish(plan, city, "2024-03")
    services.add_adjustment(city["c"], city["periods"]["2024-04"], 1.25, "重点项目提前开工加分", plan=plan)
    Observation.objects.filter(unit=city["b"], indicator=city["inv"], period=city["periods"]["2024-04"]).delete()
    return publish(plan, city, "2024-04")


def _run_cli(tmp_path, files: dict[str, bytes]) -> str:
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(main, ["index", "compute", "--data", str(tmp_path / "data.csv"),
                                       "--spec", str(tmp_path / "spec.json"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_the_bundle_recomputed_by_the_cli_equals_result_csv_and_the_published_rows(published, tmp_path):
    files = services.export_bundle(published)
    assert set(files) == {"data.csv", "spec.json", "result.csv", "README.txt", "intervals.csv", "uncertainty.json"}
    out = _run_cli(tmp_path, files)
    assert out == files["result.csv"].decode("utf-8")
    rows = rows_by_unit(published)
    parsed = list(csv.DictReader(io.StringIO(out)))
    # B lacks inv (econ falls to gdp alone, 0), K's bonus lifts it just past B: 100, 50/3 + 1.25, 50/3.
    assert [r["unit"] for r in parsed] == ["A", "K", "B"]
    for r in parsed:
        row = rows[r["unit"]]
        assert float(r["score"]) == row.score
        assert int(r["rank"]) == row.rank
        assert float(r["group:econ"]) == row.group_scores["econ"]


def test_the_bundle_carries_the_period_the_adjustments_and_a_bilingual_readme(published):
    files = services.export_bundle(published)
    data = files["data.csv"].decode("utf-8")
    assert data.splitlines()[0] == "unit,indicator,value,period"
    assert "B,inv,,2024-04" in data
    spec = json.loads(files["spec.json"])
    assert spec["adjustments"] == [{"unit": "K", "points": 1.25, "reason": "重点项目提前开工加分"}]
    assert "重点项目提前开工加分" in files["spec.json"].decode("utf-8")  # ensure_ascii off: readable Chinese
    readme = files["README.txt"].decode("utf-8")
    assert "leitai index compute --data data.csv --spec spec.json --out out.csv" in readme
    assert "如何复算" in readme and "How to recompute" in readme


def test_result_csv_comes_from_the_stored_rows_not_todays_data(published, tmp_path):
    before = services.export_bundle(published)["result.csv"]
    Observation.objects.all().update(value=3)
    assert services.export_bundle(published)["result.csv"] == before
    assert _run_cli(tmp_path, services.export_bundle(published)) == before.decode("utf-8")


def test_anyone_can_download_the_bundle_of_a_published_ranking_as_a_zip(published, client):
    response = client.get(reverse("rankings:export", args=[published.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert ".zip" in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        assert sorted(zf.namelist()) == ["README.txt", "data.csv", "intervals.csv", "result.csv", "spec.json",
                                         "uncertainty.json"]
        assert zf.read("result.csv") == services.export_bundle(published)["result.csv"]


def test_the_bundle_of_a_draft_is_not_served_to_the_public(city, organizer, client, login):
    add_data(city)
    plan = make_plan(organizer)
    draft = services.compute_ranking(plan.current_version, city["periods"]["2024-04"])
    assert client.get(reverse("rankings:export", args=[draft.pk])).status_code == 404
    assert login(organizer).get(reverse("rankings:export", args=[draft.pk])).status_code == 200


@pytest.mark.parametrize("changes", [
    {"normalization": "zscore"},
    {"normalization": "rank", "aggregation": "arithmetic"},
    {"normalization": "minmax", "scale": [1, 100], "aggregation": "geometric"},
    {"normalization": "target", "indicators": [
        {"code": "gdp", "direction": 1, "weight": 1.5, "group": "econ", "target": 7.3},
        {"code": "inv", "direction": 1, "weight": 1, "group": "econ", "target": 222.2},
        {"code": "pm25", "direction": -1, "weight": 0.7, "group": "green", "target": 35}]},
])
def test_every_normalisation_recomputes_to_the_same_bytes(city, organizer, tmp_path, changes):
    from leitai.units.models import Unit
    from tests.rankings.support import SPEC

    add_data(city)
    Unit.objects.create(code="N", name="新设区", kind="county", parent=city["root"], sort_order=9)  # no data at all
    plan = make_plan(organizer)
    services.create_plan_version(plan, {**SPEC, **changes})
    ranking = publish(plan, city, "2024-04")
    files = services.export_bundle(ranking)
    assert _run_cli(tmp_path, files) == files["result.csv"].decode("utf-8")
    assert files["result.csv"].decode("utf-8").splitlines()[-1].startswith("N,,,")


def test_publishing_stores_intervals_and_the_cli_redraws_them_from_the_bundle_byte_for_byte(published, tmp_path):
    files = services.export_bundle(published)
    params = json.loads(files["uncertainty.json"])
    assert params == published.uncertainty
    assert params["draws"] == 1000 and params["jitter"] == 0.25 and params["alternatives"] == []
    rows = rows_by_unit(published)
    assert all(r.rank_lo <= r.median_rank <= r.rank_hi and r.rank_lo <= r.rank <= r.rank_hi for r in rows.values())
    readme = files["README.txt"].decode("utf-8")
    command = next(line.strip() for line in readme.splitlines() if line.strip().startswith("leitai index uncertainty"))
    assert f"--seed {params['seed']}" in command and "--draws 1000" in command and "--jitter 0.25" in command
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    args = command.split()[1:]
    args = [str(tmp_path / a) if a.endswith((".csv", ".json")) else a for a in args]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out-intervals.csv").read_bytes() == files["intervals.csv"]
    text = files["intervals.csv"].decode("utf-8")
    assert text.splitlines()[0] == "unit,rank,median_rank,rank_lo,rank_hi"
    assert [line.split(",")[0] for line in text.splitlines()[1:]] == ["A", "K", "B"]
    # Today's data do not move the published intervals (they come from the stored rows).
    Observation.objects.all().update(value=3)
    assert services.export_bundle(published)["intervals.csv"] == files["intervals.csv"]


def test_recomputing_the_same_period_draws_the_same_intervals(published, city):
    again = services.compute_ranking(published.plan_version, published.period)
    assert again.uncertainty == published.uncertainty
    first = {u: (r.median_rank, r.rank_lo, r.rank_hi) for u, r in rows_by_unit(published).items()}
    assert {u: (r.median_rank, r.rank_lo, r.rank_hi) for u, r in rows_by_unit(again).items()} == first
