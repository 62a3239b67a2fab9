"""The pure comparisons against reference series, with hand-computed numbers."""

from __future__ import annotations

import pytest

from leitai.core.errors import DataError
from leitai.core.ranking import references as refs
from leitai.core.tracking import pledges as rules


def test_ahead_is_signed_by_the_indicator_direction():
    assert refs.ahead(8.2, 6.5, 1) == 1.7           # 8.2 − 6.5, not 1.6999999999999993
    assert refs.ahead(8.2, 6.5, -1) == -1.7
    assert refs.ahead(0.52, 0.55, -1) == 0.03       # energy use per unit: lower is better
    assert refs.exceeds(6.6, 6.5) and not refs.exceeds(6.5, 6.5) and not refs.exceeds(6.4, 6.5)
    assert refs.exceeds(35, 38, -1) and not refs.exceeds(38, 38, -1)
    with pytest.raises(DataError):
        refs.ahead(float("nan"), 1.0)
    with pytest.raises(DataError):
        refs.ahead(1.0, 1.0, 0)


def test_top_n_counts_the_place_itself():
    assert refs.within_top(1, 1) and refs.within_top(3, 3) and not refs.within_top(4, 3)
    with pytest.raises(DataError):
        refs.within_top(0, 3)


def test_the_gap_in_words_uses_points_for_percentages():
    assert refs.gap_words(8.2, 6.5, "%") == ("高 1.7 个百分点", "1.7 points higher")
    assert refs.gap_words(35, 38, "微克/立方米") == ("低 3 微克/立方米", "3 微克/立方米 lower")
    assert refs.gap_words(5.5, 5.5, "%") == ("持平", "level")


@pytest.mark.parametrize(("text", "parsed"), [
    ("超过全省平均", ("average", None, "")),
    ("超过全省平均水平", ("average", None, "")),
    ("高于 全省平均", ("average", None, "")),
    ("居全省第一", ("rank", 1, "")),
    ("达到全省前3", ("rank", 3, "")),
    ("进入全省前十名", ("rank", 10, "")),
    ("超过江苏邳州经济开发区", ("peer", None, "江苏邳州经济开发区")),
    ("≥", None), ("", None), ("超过全省第一", None),
])
def test_a_pledged_target_in_words(text, parsed):
    assert rules.parse_reference_target(text) == parsed


def test_reference_verdicts_computed_by_hand():
    # 超过全省平均: 6.1 against 5.5 is 0.6 better; 5.5 against 5.5 is not above; lower is better for PM2.5
    assert rules.reference_verdict("average", 6.1, 5.5, 1) == rules.KEPT
    assert rules.reference_verdict("average", 5.5, 5.5, 1) == rules.MISSED
    assert rules.reference_verdict("average", 41, 38, -1) == rules.MISSED
    # 达到全省前3: 3rd is kept, 4th missed
    assert rules.reference_verdict("rank", 3, 3) == rules.KEPT
    assert rules.reference_verdict("rank", 4, 3) == rules.MISSED
    # 超过<对标单位>: 7.0 against the peer's 7.2
    assert rules.reference_verdict("peer", 7.0, 7.2, 1) == rules.MISSED
    with pytest.raises(DataError):
        rules.reference_verdict("median", 1, 1)


def test_the_verdict_explains_its_numbers():
    zh, en = rules.explain_reference("average", rules.KEPT, what="地区生产总值增速", what_en="GDP growth",
                                     period="2024年4月", period_en="Apr 2024", figure=6.1, reference=5.5, measure="%")
    assert zh == "2024年4月地区生产总值增速 6.1%，全省平均 5.5%，高 0.6 个百分点；承诺超过全省平均，已兑现"
    assert en == "GDP growth, Apr 2024: 6.1%, province average 5.5%, 0.6 points higher; pledged above the province average: kept"
    zh, _en = rules.explain_reference("rank", rules.MISSED, what="地区生产总值增速", what_en="GDP growth",
                                      period="2024年4月", period_en="Apr 2024", figure=4, reference=3, top=3, total=90)
    assert zh == "2024年4月地区生产总值增速居全省第 4 位（共 90 个）；承诺达到全省前3，未兑现"
    zh, _en = rules.explain_reference("peer", rules.KEPT, what="PM2.5 浓度", what_en="PM2.5", period="2024年4月",
                                      period_en="Apr 2024", figure=35, reference=38, measure="微克/立方米", direction=-1,
                                      peer="江苏邳州经济开发区")
    assert zh == ("2024年4月PM2.5 浓度 35微克/立方米，江苏邳州经济开发区 38微克/立方米，低 3 微克/立方米（越低越好）；"
                  "承诺超过江苏邳州经济开发区，已兑现")
