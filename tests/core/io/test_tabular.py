"""Reading statistics tables: wide and long, Chinese headers and names, every problem found before writing."""

from __future__ import annotations

import datetime as dt

import pytest

from leitai.core.io.tabular import BLANK, Catalogue, column_letter, find_period, parse_value
from leitai.core.io.tabular_sheet import parse_import

UNITS = [("A", "东城区", "东城", "county"), ("B", "西城区", "西城", "county"), ("A01", "东城街道", "", "town")]
INDICATORS = [
    ("gdp", "地区生产总值增速", -30, 50, ["county"]),
    ("inv", "固定资产投资", 0, 5000, ["county"]),
    ("pm25", "PM2.5 浓度", 0, 500, []),
]


def catalogue(editable=None):
    return Catalogue(UNITS, INDICATORS, editable)


def codes(result):
    return [p.code for p in result.problems]


def test_a_wide_sheet_with_chinese_names_reads_one_record_per_filled_cell():
    rows = [["单位", "地区生产总值增速", "固定资产投资", "PM2.5浓度"],
            ["东城区", 5.2, "1,234.5", "３５"],
            ["西城", "6.1%", None, "-"]]
    result = parse_import([("Sheet1", rows)], catalogue(), period="2024-04")
    assert result.ok, result.problems
    assert result.records == [
        ("A", "gdp", "2024-04", 5.2, None), ("A", "inv", "2024-04", 1234.5, None), ("A", "pm25", "2024-04", 35.0, None),
        ("B", "gdp", "2024-04", 6.1, None), ("B", "pm25", "2024-04", None, None),
    ]
    assert result.sheets[0].shape == "wide"


def test_a_wide_sheet_takes_its_period_from_the_title_row():
    rows = [["2024年1-4月主要指标完成情况"], ["单位名称", "gdp"], ["A", 5]]
    result = parse_import([("Sheet1", rows)], catalogue())
    assert result.records == [("A", "gdp", "2024-04", 5.0, None)]


def test_a_wide_sheet_takes_its_period_from_the_sheet_name():
    result = parse_import([("2024年3月", [["单位", "gdp"], ["A", 5]])], catalogue())
    assert result.records == [("A", "gdp", "2024-03", 5.0, None)]


def test_a_wide_sheet_takes_its_period_from_a_period_column_and_skips_a_sequence_column():
    rows = [["序号", "单位", "期间", "gdp", "备注"], [1, "A", "2024年4月", 5, "说明"], [2, "B", "2024-03", 6, ""]]
    result = parse_import([("Sheet1", rows)], catalogue())
    assert result.records == [("A", "gdp", "2024-04", 5.0, None), ("B", "gdp", "2024-03", 6.0, None)]


def test_a_wide_sheet_without_any_period_is_a_problem():
    result = parse_import([("Sheet1", [["单位", "gdp"], ["A", 5]])], catalogue())
    assert codes(result) == ["missing_period"]
    assert not result.records


def test_a_long_sheet_with_chinese_headers_and_status_is_detected_and_read():
    rows = [["单位名称", "指标名称", "期间", "本期值", "状态"],
            ["东城区", "地区生产总值增速", "2024年4月", "5.5", "最终数"],
            ["B", "inv", "2024-04", 12, ""],
            ["A", "PM2.5 浓度", "2024-04", "", "初步数"]]
    result = parse_import([("数据", rows)], catalogue())
    assert result.ok, result.problems
    assert result.sheets[0].shape == "long"
    assert result.records == [("A", "gdp", "2024-04", 5.5, "final"), ("B", "inv", "2024-04", 12.0, None)]


def test_a_long_sheet_accepts_english_headers_and_excel_dates_as_periods():
    rows = [["unit", "indicator", "period", "value", "status"], ["A", "gdp", dt.datetime(2024, 4, 1), 3, "final"]]
    result = parse_import([("Sheet1", rows)], catalogue())
    assert result.records == [("A", "gdp", "2024-04", 3.0, "final")]


def test_the_shape_can_be_forced():
    rows = [["单位", "指标", "期间", "数值"], ["A", "gdp", "2024-04", 1]]
    result = parse_import([("Sheet1", rows)], catalogue(), period="2024-04", shape="wide")
    assert "unknown_indicator" in codes(result)


def test_an_unknown_unit_is_named_with_its_row_and_column():
    result = parse_import([("表1", [["单位", "gdp"], ["东城区", 1], ["北城区", 2]])], catalogue(), period="2024-04")
    (problem,) = result.problems
    assert (problem.sheet, problem.row, problem.column, problem.header, problem.code) == ("表1", 3, "A", "单位",
                                                                                          "unknown_unit")
    assert "北城区" in problem.message_zh and "北城区" in problem.message_en
    assert problem.where() == "工作表“表1” 第 3 行 A 列（单位）"


def test_an_unknown_indicator_header_is_reported_once_at_the_header_row():
    result = parse_import([("S", [["单位", "gdp", "人均收入"], ["A", 1, 2], ["B", 1, 2]])], catalogue(), period="2024-04")
    assert [(p.code, p.row, p.column) for p in result.problems] == [("unknown_indicator", 1, "C")]


def test_an_unknown_indicator_in_a_long_row_is_reported():
    rows = [["单位", "指标", "数值"], ["A", "失业率", 3]]
    result = parse_import([("S", rows)], catalogue(), period="2024-04")
    assert [(p.code, p.row, p.column) for p in result.problems] == [("unknown_indicator", 2, "B")]


def test_text_that_is_not_a_number_is_an_error_but_dashes_mean_missing():
    rows = [["单位", "gdp", "inv", "pm25"], ["A", "暂无", "—", "/"]]
    result = parse_import([("S", rows)], catalogue(), period="2024-04")
    assert [(p.code, p.column) for p in result.problems] == [("not_a_number", "B")]
    assert "暂无" in result.problems[0].message_zh


def test_a_duplicate_row_names_both_rows():
    rows = [["单位", "指标", "期间", "数值"], ["A", "gdp", "2024-04", 1], ["东城区", "地区生产总值增速", "2024年4月", 2]]
    result = parse_import([("S", rows)], catalogue())
    (problem,) = result.problems
    assert problem.code == "duplicate" and problem.row == 3
    assert "第 2 行" in problem.message_zh and "row 2" in problem.message_en


def test_a_duplicate_across_sheets_names_the_other_sheet():
    sheets = [("一", [["单位", "gdp"], ["A", 1]]), ("二", [["单位", "gdp"], ["A", 2]])]
    result = parse_import(sheets, catalogue(), period="2024-04")
    assert codes(result) == ["duplicate"]
    assert "工作表“一”第 2 行" in result.problems[0].message_zh


def test_a_value_outside_the_plausible_range_is_an_error():
    result = parse_import([("S", [["单位", "gdp", "inv"], ["A", 51, -1]])], catalogue(), period="2024-04")
    assert [(p.code, p.column) for p in result.problems] == [("out_of_range", "B"), ("out_of_range", "C")]
    assert "[-30, 50]" in result.problems[0].message_zh


def test_a_period_that_differs_from_the_chosen_one_is_a_mismatch():
    rows = [["单位", "指标", "期间", "数值"], ["A", "gdp", "2024-03", 1], ["B", "gdp", "2024-04", 2]]
    result = parse_import([("S", rows)], catalogue(), period="2024-04")
    assert [(p.code, p.row, p.column) for p in result.problems] == [("period_mismatch", 2, "C")]


def test_a_sheet_titled_with_another_period_than_the_chosen_one_is_a_mismatch():
    result = parse_import([("2024年3月", [["单位", "gdp"], ["A", 1]])], catalogue(), period="2024-04")
    assert codes(result) == ["period_mismatch"]


def test_an_unreadable_period_is_an_error():
    rows = [["单位", "指标", "期间", "数值"], ["A", "gdp", "上个月", 1]]
    result = parse_import([("S", rows)], catalogue())
    assert codes(result) == ["bad_period"]


def test_an_indicator_that_does_not_apply_to_the_unit_kind_is_an_error():
    result = parse_import([("S", [["单位", "gdp", "pm25"], ["东城街道", 1, 2]])], catalogue(), period="2024-04")
    assert [(p.code, p.column) for p in result.problems] == [("not_applicable", "B")]
    assert "县市区" in result.problems[0].message_zh


def test_a_unit_the_reporter_may_not_edit_is_an_error():
    result = parse_import([("S", [["单位", "gdp"], ["A", 1], ["B", 2]])], catalogue(editable={"A", "A01"}),
                          period="2024-04")
    assert [(p.code, p.row) for p in result.problems] == [("not_permitted", 3)]
    assert result.records == [("A", "gdp", "2024-04", 1.0, None)]


def test_every_problem_is_collected_not_just_the_first():
    rows = [["单位", "gdp", "inv"], ["X", "abc", 1], ["A", 99, "x"], ["B", 1, 2], ["B", 1, 2]]
    result = parse_import([("S", rows)], catalogue(), period="2024-04")
    assert codes(result) == ["unknown_unit", "not_a_number", "out_of_range", "not_a_number", "duplicate", "duplicate"]


def test_notes_and_empty_sheets_are_skipped():
    sheets = [("填表说明", [["请按模板填写"], ["a", "b"]]), ("空表", [[None, " "]]), ("S", [["单位", "gdp"], ["A", 1]])]
    result = parse_import(sheets, catalogue(), period="2024-04")
    assert result.ok and [s.skipped for s in result.sheets] == ["notes", "empty", ""]


def test_a_file_without_data_is_a_problem():
    assert codes(parse_import([("S", [])], catalogue())) == ["no_data"]


def test_a_long_sheet_missing_the_value_column_is_a_problem():
    result = parse_import([("S", [["单位", "指标", "期间"], ["A", "gdp", "2024-04"]])], catalogue(), shape="long")
    assert codes(result) == ["missing_column"]


def test_names_match_after_removing_spaces_and_full_width_spaces():
    result = parse_import([("S", [["单位", "地区生产\u3000总值增速"], [" 东 城 区 ", 1]])], catalogue(), period="2024-04")
    assert result.records == [("A", "gdp", "2024-04", 1.0, None)]


@pytest.mark.parametrize("raw, expected", [
    (12, 12.0), ("12.5", 12.5), ("12.5%", 12.5), ("1,234.5", 1234.5), ("１２", 12.0), ("－3.5", -3.5),
    (" 7 ", 7.0), ("-", None), ("—", None), ("/", None),
])
def test_cell_values_are_read_as_numbers(raw, expected):
    assert parse_value(raw) == expected


@pytest.mark.parametrize("raw", ["暂无", "nan", "inf", True, dt.date(2024, 1, 1)])
def test_text_and_non_numbers_are_rejected(raw):
    with pytest.raises(ValueError):
        parse_value(raw)


def test_empty_cells_are_blank_not_missing():
    assert parse_value(None) is BLANK and parse_value("  ") is BLANK


def test_periods_are_found_in_titles_and_names():
    assert find_period("2024年1-4月主要指标") == "2024-04"
    assert find_period("2024年第一季度") == "2024Q1"
    assert find_period("gdp_2024-03.csv") == "2024-03"
    assert find_period("Sheet1") is None


def test_column_letters_follow_the_spreadsheet():
    assert [column_letter(i) for i in (0, 2, 25, 26, 27, 701)] == ["A", "C", "Z", "AA", "AB", "ZZ"]
