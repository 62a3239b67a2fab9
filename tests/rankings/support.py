"""Shared set-up for the rankings tests: a county plan over gdp/inv/pm25 and two months of data.

Hand-computed (minmax 0–100, econ weight 2, green weight 1):

2024-03  gdp inv pm25 → normalised gdp, inv, pm25 → econ, green → score, rank
  A       5  100  60       0    0    0      0    0     0        3
  B       9  200  40     100   50  100     75  100    83.33     1
  K       7  300  50      50  100   50     75   50    66.67     2
2024-04
  A       8  150  30     100   25  100   62.5 100    75        1   (moved up 2)
  B       6  300  40       0  100   50     50   50    50        2   (down 1)
  K       7  100  50      50    0    0     25    0    16.67     3   (down 1)
"""

from __future__ import annotations

from leitai.indicators.models import Observation

SPEC = {
    "normalization": "minmax",
    "scale": [0, 100],
    "aggregation": "arithmetic",
    "indicators": [
        {"code": "gdp", "direction": 1, "weight": 1, "group": "econ"},
        {"code": "inv", "direction": 1, "weight": 1, "group": "econ"},
        {"code": "pm25", "direction": -1, "weight": 1, "group": "green"},
    ],
    "groups": [{"code": "econ", "name": "经济发展", "weight": 2}, {"code": "green", "name": "生态环境", "weight": 1}],
    "awards": {"star_top_k": 1, "category_flags": True, "red_flags": 1, "yellow_flags": 1},
    "weak_k": 2,
}

DATA = {
    "2024-03": {"A": (5, 100, 60), "B": (9, 200, 40), "K": (7, 300, 50)},
    "2024-04": {"A": (8, 150, 30), "B": (6, 300, 40), "K": (7, 100, 50)},
}


def make_plan(user=None, code="county", name="县市区综合考核"):
    from leitai.rankings.services import create_plan

    return create_plan(code, name, ["county"], SPEC, user=user)


def add_data(city, periods=("2024-03", "2024-04")):
    for period in periods:
        for unit_code, values in DATA[period].items():
            unit = {"A": city["a"], "B": city["b"], "K": city["c"]}[unit_code]
            for code, value in zip(("gdp", "inv", "pm25"), values, strict=True):
                Observation.objects.create(unit=unit, indicator=city[code], period=city["periods"][period], value=value)


def publish(plan, city, period, user=None):
    from leitai.rankings.services import compute_ranking, publish_ranking

    return publish_ranking(compute_ranking(plan.current_version, city["periods"][period], user=user), user=user)


def rows_by_unit(ranking) -> dict:
    return {r.unit.code: r for r in ranking.rows.select_related("unit")}
