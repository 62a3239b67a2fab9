"""leitai.charts draws SVG on the server: escaped text, Chinese month labels that never collide, axis labels
rotated and thinned when crowded, legends that wrap, values in each mark's tip."""

from __future__ import annotations

import datetime as dt
import re

from leitai import charts


def texts(svg: str, cls: str) -> list[tuple[float, float, str]]:
    return [(float(x), float(y), t) for x, y, t in
            re.findall(r'<text x="([\d.]+)" y="([\d.]+)"[^>]*class="' + cls + r'"[^>]*>([^<]*)</text>', svg)]


def test_text_is_escaped_and_each_mark_carries_its_value():
    svg = charts.ranked_bars(['<script>alert(1)</script>', "东城区"], [2.5, None], title="综合得分")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert re.findall(r'data-tip="([^"]*)"', svg) == ["&lt;script&gt;alert(1)&lt;/script&gt;：2.50"]  # None: no bar


def test_gantt_months_are_chinese_and_never_collide_even_when_narrow():
    rows = [{"code": f"P{i}", "label": f"项目{i}", "bars": [
        {"kind": "planned", "start": dt.date(2024, 1, 15), "end": dt.date(2026, 12, 1), "colour": "#94a3b8",
         "tip": "计划"}]} for i in range(3)]
    for month_width in (14, 30, 60):
        svg = charts.gantt(rows, dt.date(2025, 6, 1), month_width=month_width)
        months = texts(svg, "lt-month")
        assert months[0][2] == "2024年1月" and all(re.fullmatch(r"(\d{4}年)?\d{1,2}月", m) for _, _, m in months)
        for (x1, _, a), (x2, _, _b) in zip(months, months[1:], strict=False):
            assert x1 + charts.text_width(a, charts.SMALL) + 4 <= x2, (month_width, a)
        assert len(months) >= 3


def test_crowded_category_labels_are_rotated_and_thinned_to_one_line_of_room_each():
    categories = [f"海川市第{i}单位" for i in range(80)]
    svg = charts.bars(categories, [{"name": "数", "values": list(range(80))}], min_width=400)
    labels = re.findall(r'<text x="([\d.]+)"[^>]*transform="rotate\(-45[^>]*class="lt-x"', svg) or \
        re.findall(r'<text x="([\d.]+)"[^>]*class="lt-x"[^>]*transform="rotate\(-45', svg)
    assert labels, "crowded labels are rotated"
    xs = [float(x) for x in labels]
    assert min(b - a for a, b in zip(xs, xs[1:], strict=False)) * 0.707 >= charts.SMALL * 1.3 - 0.01


def test_legends_wrap_within_the_chart_width():
    names = [f"很长的图例名称第{i}项" for i in range(8)]
    parts, height = charts._legend(names, charts.PALETTE, 300, 0)
    assert height > 20  # more than one line
    for part in parts:
        x = float(re.search(r'<rect x="([\d.]+)"', part).group(1))
        name = re.search(r">([^<]+)</text>", part).group(1)
        assert x + 17 + charts.text_width(name, charts.SMALL) <= 300


def test_rank_lines_put_rank_one_on_top():
    svg = charts.lines(["1月", "2月"], [{"name": "方案", "values": [1, 3]}], reverse=True, integer=True)
    points = re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"[^>]*data-tip="[^"]*：(\d)"', svg)
    y = {rank: float(cy) for cy, rank in points}
    assert y["1"] < y["3"]


def test_interval_rows_place_each_point_and_interval_against_the_band():
    svg = str(charts.interval_rows(["评委A", "<b>", "评委C"], [1.0, None, -0.2], [0.6, None, None], [1.4, None, None],
                                   band=0.5, flagged=[True, False, False], title="宽严度"))
    # The item without a point is left out; the one without an interval is a dot alone; texts are escaped.
    assert "&lt;b&gt;" not in svg and re.findall(r'data-tip="([^"]*)"', svg) == ["评委A：1.00 [0.60, 1.40]", "评委C：-0.20"]
    # Positions in percent of the card: symmetric around 0 over ±1.4·1.08, 3 % kept free at each side.
    reach = 1.4 * 1.08

    def x(v):
        return 3 + (v + reach) / (2 * reach) * 94

    cx = [float(v) for v in re.findall(r'cx="([\d.]+)%"', svg)]
    assert cx == [round(x(1.0), 2), round(x(-0.2), 2)]
    band = re.search(r'<rect x="([\d.]+)%" y="\d+" width="([\d.]+)%"[^>]*class="lt-band"', svg)
    assert float(band.group(1)) == round(x(-0.5), 2) and abs(float(band.group(2)) - (x(0.5) - x(-0.5))) < 0.01
    assert 'fill="#c0392b"' in svg.split("评委C")[0]  # the flagged point is red
    assert charts.interval_rows(["x"], [None], [None], [None]) == ""
