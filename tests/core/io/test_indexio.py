"""DATA.csv / OUT.csv text formats: parsing with line-numbered errors, exact formatting, round trips."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leitai.core.errors import DataError
from leitai.core.io.index import format_data_csv, format_result_csv, parse_data_csv, parse_spec_json
from leitai.core.ranking.index import compute_index

NAN = math.nan


def test_data_csv_is_read_in_first_appearance_order_with_empty_values_missing():
    text = "\ufeffindicator,value,unit\r\ngdp,6.5,B\r\ninv,,B\r\ngdp,-1e-3,A\r\n\r\npm25,35,A\r\n"
    units, codes, values = parse_data_csv(text, None)
    assert units == ["B", "A"] and codes == ["gdp", "inv", "pm25"]
    np.testing.assert_array_equal(values, [[6.5, NAN, NAN], [-0.001, NAN, 35.0]])


def test_a_period_column_selects_the_requested_period():
    text = "unit,indicator,value,period\nA,x,1,2024-03\nA,x,2,2024-04\nB,x,3,2024年4月\n"
    units, codes, values = parse_data_csv(text, "2024-04")
    assert units == ["A", "B"] and values.tolist() == [[2.0], [3.0]]


def test_several_periods_without_a_choice_ask_for_period():
    text = "unit,indicator,value,period\nA,x,1,2024-03\nA,x,2,2024-04\n"
    with pytest.raises(DataError, match="--period"):
        parse_data_csv(text, None)
    with pytest.raises(DataError, match="2024-05"):
        parse_data_csv(text, "2024-05")
    assert parse_data_csv("unit,indicator,value,period\nA,x,1,2024-03\n", None)[2].tolist() == [[1.0]]


@pytest.mark.parametrize("text, needle_en, needle_zh", [
    ("unit,indicator,value\nA,x,1\nB,x,abc\n", "line 3, column value", "第 3 行 value 列"),
    ("unit,indicator,value\nA,x,nan\n", "line 2, column value", "第 2 行"),
    ("unit,indicator,value\nA,x,1\nB,x,2\nA,x,3\n", "lines 2 and 4", "第 2 行与第 4 行"),
    ("unit,value\nA,1\n", "indicator", "indicator"),
    ("unit,indicator,value,note\nA,x,1,hi\n", "column 4", "第 4 列"),
    ("unit,indicator,value\nA,x\n", "line 2", "第 2 行"),
    ("unit,indicator,value\n,x,1\n", "line 2, column unit", "第 2 行 unit 列"),
    ("", "empty", "为空"),
])
def test_malformed_data_raises_an_error_naming_the_line_and_column(text, needle_en, needle_zh):
    with pytest.raises(DataError) as err:
        parse_data_csv(text, None)
    assert needle_en in err.value.en
    assert needle_zh in err.value.zh


def test_result_csv_lists_best_first_with_full_precision_and_unranked_last():
    spec = parse_spec_json('{"indicators": [{"code": "a", "group": "g"}, {"code": "b", "group": "g"}],'
                           ' "groups": [{"code": "g"}]}')
    values = np.array([[NAN, NAN], [0, 1], [3, 1], [2, 0], [3, 1]], dtype=float)
    result = compute_index(["E", "A", "B", "C", "D"], ["a", "b"], values, spec)
    assert format_result_csv(result) == (
        "unit,score,rank,group:g\n"
        "B,100.0,1,100.0\n"
        "D,100.0,1,100.0\n"
        "A,50.0,3,50.0\n"
        "C,33.33333333333333,4,33.33333333333333\n"  # lo + (2/3)·100 = 66.66666666666666, halved
        "E,,,\n"
    )


cells = st.one_of(st.floats(allow_nan=False, allow_infinity=False, width=64), st.just(NAN))


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 5), st.integers(1, 4), st.data())
def test_data_csv_written_by_format_data_csv_reads_back_to_the_same_matrix(n, m, data):
    values = np.array(data.draw(st.lists(st.lists(cells, min_size=m, max_size=m), min_size=n, max_size=n)))
    units = [f"单位{i}" for i in range(n)]
    codes = [f"ind,{j}" for j in range(m)]  # a comma forces CSV quoting
    for period in (None, "2024-04"):
        u, c, v = parse_data_csv(format_data_csv(units, codes, values, period), period)
        assert (u, c) == (units, codes)
        np.testing.assert_array_equal(v, values)
        assert np.array_equal(np.signbit(v), np.signbit(values))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(st.one_of(st.floats(-1e6, 1e6), st.just(NAN)), min_size=3, max_size=3), min_size=2, max_size=8),
       st.sampled_from(["minmax", "zscore", "rank"]))
def test_an_exported_ranking_recomputed_from_its_text_files_gives_the_same_out_csv_byte_for_byte(rows, normalization):
    spec = parse_spec_json(json.dumps({
        "normalization": normalization,
        "indicators": [{"code": "a", "group": "g"}, {"code": "b", "direction": -1, "weight": 0.3, "group": "h"},
                       {"code": "c", "weight": 2.7, "group": "h"}],
        "groups": [{"code": "g", "weight": 1.1}, {"code": "h", "parent": "g"}, {"code": "k", "weight": 0.7}],
    }))
    units, codes, values = [f"u{i}" for i in range(len(rows))], ["c", "a", "b"], np.array(rows)
    published = format_result_csv(compute_index(units, codes, values, spec))
    spec_again = parse_spec_json(json.dumps(spec.to_dict()))
    u, c, v = parse_data_csv(format_data_csv(units, codes, values, "2024-04"), "2024-04")
    assert format_result_csv(compute_index(u, c, v, spec_again)) == published
