"""`leitai import FILE`: the command line runs the same import, with a progress bar and exit code 2 on problems."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from leitai.cli import main
from leitai.indicators import services
from leitai.indicators.models import ImportBatch, Observation, ObservationRevision, Period

GOOD = "单位,指标,期间,数值\n东城区,gdp,2024-04,5.5\n西城区,固定资产投资,2024-04,300\n南山县,pm25,2024年5月,30\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def run(*args):
    return CliRunner().invoke(main, ["import", *map(str, args)])


def test_the_command_imports_a_long_csv_with_a_progress_bar(city, tmp_path):
    path = tmp_path / "data.csv"
    path.write_text(GOOD, encoding="utf-8")
    result = run(path)
    assert result.exit_code == 0, result.output
    assert "已导入" in result.stdout and "新增 3" in result.stdout
    assert "写入中" in result.stderr
    assert Observation.objects.count() == 3 and ObservationRevision.objects.count() == 3
    assert Period.objects.filter(code="2024-05").exists()
    batch = ImportBatch.objects.get()
    assert batch.status == "committed" and batch.created_by is None
    assert ObservationRevision.objects.filter(source=f"import:{batch.pk}").count() == 3


def test_a_bad_file_exits_2_with_the_report_and_writes_nothing(city, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(GOOD + "北城区,gdp,2024-04,1\n东城区,inv,2024-04,暂无\n", encoding="utf-8")
    before = (Observation.objects.count(), ObservationRevision.objects.count(), Period.objects.count())
    result = run(path)
    assert result.exit_code == 2
    assert "发现 2 处问题" in result.stderr
    assert "工作表“bad” 第 5 行 A 列（单位）: 找不到单位“北城区”" in result.stderr
    assert "第 6 行 D 列（数值）: “暂无”不是数字" in result.stderr
    assert (Observation.objects.count(), ObservationRevision.objects.count(), Period.objects.count()) == before


def test_the_report_can_be_in_english(city, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("unit,indicator,period,value\nA,gdp,2024-04,99\n", encoding="utf-8")
    result = run(path, "--lang", "en")
    assert result.exit_code == 2
    assert "sheet 'bad', row 2, column D (value): Value 99 is outside the plausible range [-30, 50]" in result.stderr


def test_a_dry_run_validates_and_writes_nothing(city, tmp_path):
    path = tmp_path / "data.csv"
    path.write_text(GOOD, encoding="utf-8")
    result = run(path, "--dry-run")
    assert result.exit_code == 0 and "试运行" in result.stdout
    assert Observation.objects.count() == 0 and ImportBatch.objects.get().status == "cancelled"


def test_period_and_shape_options_are_passed_on(city, tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("单位,gdp,inv\nA,1,2\nB,3,4\n", encoding="gb18030")
    result = run(path, "--period", "2024年1-4月", "--shape", "wide")
    assert result.exit_code == 0, result.output
    assert set(Observation.objects.values_list("period__code", flat=True)) == {"2024-04"}
    assert run(path, "--period", "上月").exit_code == 2


def test_import_file_reports_progress(city, tmp_path):
    path = tmp_path / "data.csv"
    path.write_text(GOOD, encoding="utf-8")
    calls = []
    batch = services.import_file(path, progress=lambda done, total: calls.append((done, total)))
    assert batch.status == "committed" and calls[0] == (0, 3) and calls[-1] == (3, 3)
