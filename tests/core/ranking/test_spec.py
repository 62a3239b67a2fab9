"""The plan spec: round trip through JSON and errors that name the field."""

from __future__ import annotations

import json

import pytest

from leitai.core.errors import SpecError
from leitai.core.io.index import parse_spec_json
from leitai.core.ranking.spec import AwardRules, parse_spec

FULL = {
    "normalization": "target", "scale": [10, 90], "aggregation": "geometric",
    "indicators": [{"code": "gdp", "direction": 1, "weight": 2.5, "group": "g", "target": 6.5, "name": "GDP 增速"},
                   {"code": "pm25", "direction": -1, "weight": 1, "group": "h", "target": 35}],
    "groups": [{"code": "top", "weight": 1}, {"code": "g", "weight": 3, "parent": "top", "name": "经济"},
               {"code": "h", "weight": 1, "parent": "top"}],
    "awards": {"star_top_k": 3, "category_flags": True, "red_flags": 1, "yellow_flags": 2},
    "weak_k": 2,
    "adjustments": [{"unit": "A", "points": -1.5, "reason": "安全生产事故"}],
}


def test_a_spec_survives_a_round_trip_through_its_json_form():
    spec = parse_spec(FULL)
    again = parse_spec_json(json.dumps(spec.to_dict(), ensure_ascii=False))
    assert again == spec
    assert spec.awards == AwardRules(3, True, 1, 2)
    assert spec.indicator_codes == ["gdp", "pm25"] and spec.group_codes == ["top", "g", "h"]


def test_defaults_fill_in_a_minimal_spec():
    spec = parse_spec({"indicators": [{"code": "a"}]})
    assert (spec.normalization, spec.scale, spec.aggregation, spec.weak_k) == ("minmax", (0.0, 100.0), "arithmetic", 3)
    assert parse_spec(spec.to_dict()) == spec


@pytest.mark.parametrize("patch, field", [
    ({"normalization": "log"}, "normalization"),
    ({"aggregation": "median"}, "aggregation"),
    ({"scale": [100, 0]}, "scale"),
    ({"scale": [0, "x"]}, "scale[1]"),
    ({"indicators": []}, "indicators"),
    ({"indicators": [{"code": "a", "direction": 2}]}, "direction"),
    ({"indicators": [{"code": "a", "weight": 0}]}, "weight"),
    ({"indicators": [{"code": "a", "group": "nope"}]}, "nope"),
    ({"indicators": [{"code": "a"}, {"code": "a"}]}, "a"),
    ({"indicators": [{"weight": 1}]}, "code"),
    ({"normalization": "target", "indicators": [{"code": "a"}]}, "target"),
    ({"groups": [{"code": "g", "parent": "g"}], "indicators": [{"code": "a", "group": "g"}]}, "g"),
    ({"groups": [{"code": "g", "parent": "zz"}], "indicators": [{"code": "a", "group": "g"}]}, "zz"),
    ({"groups": [{"code": "g"}], "indicators": [{"code": "a"}]}, "group"),
    ({"awards": {"star_top_k": -1}}, "awards.star_top_k"),
    ({"awards": {"category_flags": "yes"}}, "awards.category_flags"),
    ({"weak_k": 1.5}, "weak_k"),
    ({"adjustments": [{"unit": "A", "points": "x"}]}, "points"),
    ({"adjustments": {"unit": "A"}}, "adjustments"),
])
def test_a_bad_spec_raises_an_error_naming_the_field(patch, field):
    data = {"indicators": [{"code": "a"}], **patch}
    with pytest.raises(SpecError) as err:
        parse_spec(data)
    assert field in err.value.en and field in err.value.zh


def test_a_json_syntax_error_names_its_line_and_column():
    with pytest.raises(SpecError) as err:
        parse_spec_json('{\n  "indicators": [\n    {"code": "a",}\n  ]\n}')
    assert "line 3, column 18" in err.value.en
    assert "第 3 行第 18 列" in err.value.zh


def test_a_spec_file_may_start_with_a_byte_order_mark():
    assert parse_spec_json('\ufeff{"indicators": [{"code": "a"}]}').indicator_codes == ["a"]
