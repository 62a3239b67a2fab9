"""Charts drawn on the server as SVG: no chart library in the browser (plotly.js weighed 4.8 MB).

Every chart is an `<svg class="lt-chart">` in CSS pixels, its text in the page's font, at its own size (never
scaled down to an unreadable size: a chart wider than the screen scrolls inside `.chart-scroll`). Each mark
carries its label and value in `data-tip`; static/leitai/charts.js shows it on hover (mouse) and on tap (touch),
and the `<title>` inside each mark is what a screen reader and a browser without script get.

Labels never overlap by construction: ranked bars put each unit's name on its own line above its bar (and take
their card's width, bar lengths in percent); axis
labels are thinned to the room one label needs (text width estimated per character: CJK 1 em, others 0.6 em);
legends wrap onto new lines; the Gantt chart gives every project its own row and its months a slot wide enough
for their Chinese names.

The numbers come from the pages' selectors (the same that fill the tables); this module only draws. Used in
templates as `{% load charts %}` (registered in settings TEMPLATES "libraries").
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()

FONT = "Microsoft YaHei, PingFang SC, WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif"
PALETTE = ["#c0392b", "#2563eb", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4b5563"]
SIZE = 13  # font size of labels, px
SMALL = 12


def text_width(text: str, size: float = SIZE) -> float:
    """Estimated rendered width: CJK characters and full-width punctuation 1 em, the rest 0.6 em."""
    return sum(size if ord(c) >= 0x2E80 else size * 0.6 for c in text)


def fit(text: str, width: float, size: float = SIZE) -> str:
    """`text` cut with an ellipsis to fit `width` (the whole text stays in the mark's tip and title)."""
    if text_width(text, size) <= width:
        return text
    out = ""
    for c in text:
        if text_width(out + c + "…", size) > width:
            break
        out += c
    return out + "…"


def number(value: float | None, decimals: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:.{decimals}f}"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (about `count` of them)."""
    if high == low:
        high = low + 1
    raw = (high - low) / max(1, count)
    step = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * step:
            step *= m
            break
    ticks = [round(math.floor(low / step) * step, 10)]
    while ticks[-1] < high - 1e-9:  # the last tick at or above the highest value
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _attrs(**kw) -> str:
    return " ".join(f'{k.rstrip("_").replace("_", "-")}="{escape(str(v))}"' for k, v in kw.items() if v is not None)


def _text(x: float, y: float, s: str, size: float = SIZE, anchor: str = "start", fill: str = "#1f2933",
          **kw) -> str:
    return (f'<text {_attrs(x=f"{x:.1f}", y=f"{y:.1f}", font_size=size, text_anchor=anchor, fill=fill, **kw)}>'
            f"{escape(s)}</text>")


def _mark(shape: str, tip: str, **kw) -> str:
    """A shape that shows `tip` on hover and tap (charts.js) and carries it as its title."""
    return f'<{shape} {_attrs(**kw)} class="lt-mark" data-tip="{escape(tip)}"><title>{escape(tip)}</title></{shape}>'


def _svg(width: float, height: float, label: str, body: Iterable[str], kind: str) -> SafeString:
    w, h = math.ceil(width), math.ceil(height)
    head = (f'<div class="chart-scroll"><svg class="lt-chart lt-{kind}" '
            f'width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{escape(label)}" '
            f'font-family="{FONT}">')
    return mark_safe(head + "".join(body) + "</svg></div>")  # noqa: S308 - every text above is escaped


def _legend(names: Sequence[str], colours: Sequence[str], width: float, top: float) -> tuple[list[str], float]:
    """Legend entries flowing left to right, wrapping before one would pass `width`; returns the parts and the
    height used. Entries never overlap: each takes its estimated width plus a gap."""
    parts, x, y = [], 0.0, top
    for name, colour in zip(names, colours, strict=True):
        need = 18 + text_width(name, SMALL) + 16
        if x > 0 and x + need > width:
            x, y = 0.0, y + 20
        parts.append(f'<g class="lt-legend-item"><rect x="{x:.1f}" y="{y:.1f}" width="12" height="12" rx="2" '
                     f'fill="{colour}"/>{_text(x + 17, y + 11, name, SMALL)}</g>')
        x += need
    return parts, (y - top + 20) if names else 0.0


# ---- ranked bars: one row per unit, name above its bar --------------------------------------------------

def ranked_bars(labels: Sequence[str], values: Sequence[float | None], *, title: str = "",
                decimals: int = 2, colour: str = PALETTE[0]) -> SafeString:
    """Units in the given order (best first): on each row the rank and name at the left, the value at the right,
    the bar below them. The chart takes its card's width (bar lengths in percent), so it fits a phone as it
    fits a desktop without scaling its text; bars start at zero (at the lowest value when some are negative)."""
    rows = [(str(lab), v) for lab, v in zip(labels, values, strict=True) if v is not None]
    if not rows:
        return mark_safe("")
    low = min(0.0, min(v for _, v in rows))
    high = max(0.0, max(v for _, v in rows)) or 1.0
    row_h, top = 32, 24 if title else 2
    body = [_text(0, 15, title, 14, font_weight="bold")] if title else []
    for i, (label, v) in enumerate(rows):
        y = top + i * row_h
        x0 = (min(v, 0) - low) / (high - low) * 100
        bar_w = max(0.2, abs(v) / (high - low) * 100)
        tip = f"{label}：{number(v, decimals)}"
        # Cut to what a phone's card holds beside the value (the whole name stays in the tip).
        body.append(_text(0, y + 13, fit(f"{i + 1}. {label}", 250), SIZE, class_="lt-label"))
        body.append(f'<text x="100%" y="{y + 13}" font-size="{SMALL}" text-anchor="end" fill="#4b5563" '
                    f'class="lt-value">{number(v, decimals)}</text>')
        body.append(_mark("rect", tip, x=f"{x0:.2f}%", y=f"{y + 17:.1f}", width=f"{bar_w:.2f}%", height=11, rx=2,
                          fill=colour))
    height = top + len(rows) * row_h + 2
    head = (f'<div class="chart-scroll"><svg class="lt-chart lt-ranked" width="100%" height="{height}" role="img" '
            f'aria-label="{escape(title or _("图表"))}" font-family="{FONT}">')
    return mark_safe(head + "".join(body) + "</svg></div>")  # noqa: S308 - every text above is escaped


@register.simple_tag
def ranked_chart(labels, values, title="", decimals=2, colour=PALETTE[0]) -> SafeString:
    return ranked_bars(list(labels), list(values), title=str(title), decimals=int(decimals), colour=str(colour))


# ---- category axis charts: stacked and grouped bars, lines ---------------------------------------------

def _x_slots(categories: Sequence[str], plot_left: float, min_slot: float, min_width: float):
    """The width of one category's slot, the plot width and which labels to show (every `step`-th: a label
    needs its own width plus a gap, rotated labels need 1.3 lines of height between neighbours)."""
    n = max(1, len(categories))
    slot = max(min_slot, (min_width - plot_left) / n)
    widest = max((text_width(c, SMALL) for c in categories), default=0)
    rotate = widest + 6 > slot
    step = 1
    if rotate:  # at -45°, neighbouring labels are slot·sin45 apart
        while slot * step * 0.707 < SMALL * 1.3:
            step += 1
    bottom = (min(widest, 150) * 0.707 + 14) if rotate else 22
    return slot, slot * n, rotate, step, bottom


def _y_axis(parts: list[str], ticks: list[float], y_of, left: float, right: float, decimals: int) -> None:
    for t in ticks:
        y = y_of(t)
        parts.append(f'<line x1="{left:.1f}" x2="{right:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e7eb"/>')
        parts.append(_text(left - 6, y + 4, number(t, decimals), SMALL, "end", "#6b7280"))


def _x_labels(parts: list[str], categories: Sequence[str], left: float, slot: float, base: float, rotate: bool,
              step: int) -> None:
    for i, c in enumerate(categories):
        if i % step:
            continue
        cx = left + (i + 0.5) * slot
        shown = fit(c, 150, SMALL) if rotate else c
        if rotate:
            parts.append(_text(cx, base + 14, shown, SMALL, "end", "#4b5563", class_="lt-x",
                               transform=f"rotate(-45 {cx:.1f} {base + 14:.1f})"))
        else:
            parts.append(_text(cx, base + 16, shown, SMALL, "middle", "#4b5563", class_="lt-x"))


def _tick_decimals(ticks: list[float]) -> int:
    return 0 if all(float(t).is_integer() for t in ticks) else (1 if all(round(t * 10, 6).is_integer() for t in ticks)
                                                                else 2)


def bars(categories: Sequence[str], series: Sequence[dict], *, stacked: bool = False, axis: str = "",
         decimals: int = 2, min_width: int = 640, height: int = 260) -> SafeString:
    """Bars per category: `series` = [{"name", "values"}], side by side or stacked."""
    categories = [str(c) for c in categories]
    if not categories or not series:
        return mark_safe("")
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(series))]
    if stacked:
        totals = [sum(s["values"][i] or 0 for s in series) for i in range(len(categories))]
        low, high = 0.0, max(totals + [0])
    else:
        flat = [v for s in series for v in s["values"] if v is not None]
        low, high = min(flat + [0]), max(flat + [0])
    ticks = nice_ticks(low, high)
    td = _tick_decimals(ticks)
    left = max(text_width(number(t, td), SMALL) for t in ticks) + 12 + (16 if axis else 0)
    slot, plot_w, rotate, step, bottom = _x_slots(categories, left, 30 if stacked else 14 * len(series) + 10,
                                                  min_width)
    width = left + plot_w + 8
    legend, legend_h = _legend([str(s["name"]) for s in series], colours, width, 0) if len(series) > 1 else ([], 0)
    top = legend_h + 10
    y0, y1 = top + height, top
    lo, hi = ticks[0], ticks[-1]

    def y_of(v: float) -> float:
        return y0 - (v - lo) / (hi - lo) * (y0 - y1)

    parts = list(legend)
    _y_axis(parts, ticks, y_of, left, width - 8, td)
    if axis:
        parts.append(_text(12, (y0 + y1) / 2, axis, SMALL, "middle", "#6b7280",
                           transform=f"rotate(-90 12 {(y0 + y1) / 2:.1f})"))
    for i, c in enumerate(categories):
        x = left + i * slot
        base_v = 0.0
        for k, s in enumerate(series):
            v = s["values"][i]
            if v is None or (stacked and not v):
                continue
            tip = f"{c} · {s['name']}：{number(v, decimals)}" if len(series) > 1 else f"{c}：{number(v, decimals)}"
            if stacked:
                ya, yb = y_of(base_v + v), y_of(base_v)
                base_v += v
                parts.append(_mark("rect", tip, x=f"{x + slot * 0.15:.1f}", y=f"{ya:.1f}", width=f"{slot * 0.7:.1f}",
                                   height=f"{max(1.0, yb - ya):.1f}", fill=colours[k]))
            else:
                bw = slot * 0.8 / len(series)
                ya, yb = sorted((y_of(v), y_of(max(lo, 0.0))))
                parts.append(_mark("rect", tip, x=f"{x + slot * 0.1 + k * bw:.1f}", y=f"{ya:.1f}",
                                   width=f"{bw:.1f}", height=f"{max(1.0, yb - ya):.1f}", fill=colours[k]))
    parts.append(f'<line x1="{left:.1f}" x2="{width - 8:.1f}" y1="{y0:.1f}" y2="{y0:.1f}" stroke="#9ca3af"/>')
    _x_labels(parts, categories, left, slot, y0, rotate, step)
    return _svg(width, y0 + bottom + 4, axis or _("图表"), parts, "stacked" if stacked else "bars")


def lines(categories: Sequence[str], series: Sequence[dict], *, axis: str = "", decimals: int = 2,
          reverse: bool = False, integer: bool = False, min_width: int = 640, height: int = 240) -> SafeString:
    """Lines over categories (e.g. months): `series` = [{"name", "values"}] with None for a gap. `reverse`
    puts the lowest value on top (ranks: 1 is best)."""
    categories = [str(c) for c in categories]
    flat = [v for s in series for v in s["values"] if v is not None]
    if not categories or not flat:
        return mark_safe("")
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(series))]
    low, high = min(flat), max(flat)
    if integer:  # whole numbers only (ranks): 1 and the highest value shown, steps of a whole number
        low, high = math.floor(low), math.ceil(high)
        step = max(1, math.ceil((high - low) / 5))
        ticks = list(range(int(low), int(high) + step, step))
        if len(ticks) < 2:
            ticks.append(ticks[-1] + 1)
    else:
        pad = (high - low) * 0.1 or abs(high) * 0.1 or 1
        ticks = nice_ticks(low - pad, high + pad)
    td = _tick_decimals(ticks)
    left = max(text_width(number(t, td), SMALL) for t in ticks) + 12 + (16 if axis else 0)
    slot, plot_w, rotate, step, bottom = _x_slots(categories, left, 24, min_width)
    width = left + plot_w + 8
    legend, legend_h = _legend([str(s["name"]) for s in series], colours, width, 0)
    top = legend_h + 10
    y0, y1 = top + height, top
    lo, hi = min(ticks[0], low), max(ticks[-1], high)
    if hi == lo:
        hi = lo + 1

    def y_of(v: float) -> float:
        share = (v - lo) / (hi - lo)
        return y1 + share * (y0 - y1) if reverse else y0 - share * (y0 - y1)

    parts = list(legend)
    _y_axis(parts, ticks, y_of, left, width - 8, td)
    if axis:
        parts.append(_text(12, (y0 + y1) / 2, axis, SMALL, "middle", "#6b7280",
                           transform=f"rotate(-90 12 {(y0 + y1) / 2:.1f})"))
    for k, s in enumerate(series):
        points = [(left + (i + 0.5) * slot, y_of(v), c, v) for i, (c, v) in enumerate(zip(categories, s["values"],
                                                                                          strict=True))
                  if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _c, _v in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colours[k]}" stroke-width="2"/>')
        for x, y, c, v in points:
            shown = str(int(v)) if integer else number(v, decimals)
            tip = f"{s['name']} · {c}：{shown}"
            parts.append(_mark("circle", tip, cx=f"{x:.1f}", cy=f"{y:.1f}", r=4.5, fill=colours[k]))
    parts.append(f'<line x1="{left:.1f}" x2="{width - 8:.1f}" y1="{y0:.1f}" y2="{y0:.1f}" stroke="#9ca3af"/>')
    _x_labels(parts, categories, left, slot, y0, rotate, step)
    return _svg(width, y0 + bottom + 4, axis or _("图表"), parts, "lines")


@register.simple_tag
def stacked_chart(traces, axis="") -> SafeString:
    """Stacked bars from [{"name", "x", "y"}] (one entry per series, the same categories in each)."""
    traces = list(traces)
    if not traces:
        return mark_safe("")
    return bars(traces[0]["x"], [{"name": t["name"], "values": t["y"]} for t in traces], stacked=True,
                axis=str(axis), decimals=0)


@register.simple_tag
def grouped_chart(labels, series, axis="", decimals=2) -> SafeString:
    return bars(list(labels), list(series), axis=str(axis), decimals=int(decimals))


@register.simple_tag
def line_chart(categories, series, axis="", decimals=2, reverse=False, integer=False) -> SafeString:
    return lines(list(categories), list(series), axis=str(axis), decimals=int(decimals), reverse=bool(reverse),
                 integer=bool(integer))


# ---- Gantt: one row per project, months on top ------------------------------------------------------------

def month_label(day: dt.date, first: bool) -> str:
    """月份的中文标签：每年的一月和第一个月带年份。"""
    return _("%(year)d年%(month)d月") % {"year": day.year, "month": day.month} if first or day.month == 1 \
        else _("%(month)d月") % {"month": day.month}


def gantt(rows: Sequence[dict], today: dt.date, *, label_width: int = 150, month_width: int = 0) -> SafeString:
    """`rows` = [{"label", "code"?, "bars": [{"start", "end", "colour", "tip", "kind"}]}] with dates (the code,
    when given, on a small first line, the label below it: a narrow column that leaves a phone room for the
    bars); planned bars
    (kind "planned") pale and thin in the upper half of the row, actual ones below. Months on the axis in
    Chinese, each in a slot wide enough for its label (every second or third month when they would not fit)."""
    dates = [d for r in rows for b in r["bars"] for d in (b["start"], b["end"])] + [today]
    if not rows:
        return mark_safe("")
    first = min(dates).replace(day=1)
    last = max(dates)
    months = []
    m = first
    while m <= last:
        months.append(m)
        m = (m.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    end = (months[-1].replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    span_days = (end - first).days
    per_month = month_width or max(36, min(90, 960 / max(1, len(months))))
    plot_w = per_month * len(months)
    step = 1  # months shown: every `step`-th, and each only where the one before it has ended
    while per_month * step < text_width(_("%(month)d月") % {"month": 12}, SMALL) + 10:
        step += 1
    row_h, top = 36, 26
    width = label_width + plot_w + 10
    height = top + row_h * len(rows) + 8

    def x_of(d: dt.date) -> float:
        return label_width + (d - first).days / span_days * plot_w

    parts = []
    shown_until = -1.0
    for i, mo in enumerate(months):
        x = x_of(mo)
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{height - 8}" stroke="#f0f0f0"/>')
        is_first = i == 0 or mo.month == 1
        label = month_label(mo, is_first)
        room = text_width(label, SMALL) + 8
        if (i % step == 0 or is_first) and x >= shown_until:
            parts.append(_text(x + 3, top - 10, label, SMALL, fill="#4b5563", class_="lt-month"))
            shown_until = x + room
    for k, r in enumerate(rows):
        y = top + k * row_h
        if k % 2:
            parts.append(f'<rect x="0" y="{y}" width="{width}" height="{row_h}" fill="#fafafa"/>')
        if r.get("code"):
            parts.append(_text(4, y + 14, fit(str(r["code"]), label_width - 12, SMALL - 1), SMALL - 1,
                               fill="#6b7280", class_="lt-row"))
            parts.append(_text(4, y + 30, fit(str(r["label"]), label_width - 12), SIZE, class_="lt-row"))
        else:
            parts.append(_text(4, y + row_h / 2 + 4, fit(str(r["label"]), label_width - 12), SIZE, class_="lt-row"))
        for b in r["bars"]:
            xa, xb = x_of(b["start"]), x_of(b["end"])
            planned = b.get("kind") == "planned"
            parts.append(_mark("rect", b["tip"], x=f"{xa:.1f}", y=f"{y + (8 if planned else 20):.1f}",
                               width=f"{max(2.0, xb - xa):.1f}", height=10 if planned else 11, rx=2,
                               fill=b["colour"], opacity=0.55 if planned else 1))
    tx = x_of(today)
    parts.append(f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{top - 4}" y2="{height - 8}" stroke="#dc2626" '
                 f'stroke-dasharray="4 3"/>')
    parts.append(_text(min(tx + 3, width - 40), height - 1, _("今天"), SMALL - 1, fill="#dc2626"))
    return _svg(width, height + 6, _("甘特图"), parts, "gantt")


@register.simple_tag
def gantt_chart(chart) -> SafeString:
    return gantt(chart["rows"], chart["today"])


# ---- series of points over periods (a unit's page) -------------------------------------------------------

def align(series: Sequence[dict], key: str) -> tuple[list[str], list[dict]]:
    """[{"name", "points": [{"label", "start"?, key}]}] → categories (in time order: by "start", else as first
    seen) and one list of values per series, None where a series has no point."""
    order: dict[str, tuple] = {}
    for s in series:
        for n, p in enumerate(s["points"]):
            order.setdefault(p["label"], (str(p.get("start", "")), n))
    categories = sorted(order, key=lambda c: order[c])
    out = []
    for s in series:
        by_label = {p["label"]: p[key] for p in s["points"]}
        out.append({"name": s["name"], "values": [by_label.get(c) for c in categories]})
    return categories, out


@register.simple_tag
def trend_chart(trend, unit_name, axis="") -> SafeString:
    """One indicator's values over time for the unit (and its benchmark peer, when one is chosen)."""
    series = [{"name": unit_name, "points": trend["points"]}]
    if trend.get("peer"):
        series.append({"name": trend["peer"]["name"], "points": trend["peer"]["points"]})
    categories, values = align(series, "value")
    return lines(categories, values, axis=str(axis))


@register.simple_tag
def rank_chart(history, axis="") -> SafeString:
    """The unit's rank per period in each plan's published rankings (1, the best, on top)."""
    categories, values = align([{"name": h["plan"], "points": h["points"]} for h in history], "rank")
    return lines(categories, values, axis=str(axis), reverse=True, integer=True)


# ---- intervals: one row per item, its point and 95 % interval against a band ±T --------------------------

def interval_rows(labels: Sequence[str], points: Sequence[float | None], lows: Sequence[float | None],
                  highs: Sequence[float | None], *, band: float = 0.0, flagged: Sequence[bool] = (),
                  title: str = "", decimals: int = 2) -> SafeString:
    """Each item on its own row: its name and value above a line from its interval's low to high end with a
    dot at the point; a shaded band from −band to +band and a line at 0 run down the whole chart. Flagged
    items are drawn in red. Like `ranked_bars` it takes its card's width (positions in percent), so it reads
    the same on a phone and a desktop; an item without a point is left out, one without an interval is a dot."""
    flags = list(flagged) or [False] * len(labels)
    rows = [(str(lab), p, lo, hi, f) for lab, p, lo, hi, f in zip(labels, points, lows, highs, flags, strict=True)
            if p is not None]
    if not rows:
        return mark_safe("")
    values = [v for _, p, lo, hi, _ in rows for v in (p, lo, hi) if v is not None] + [band, -band]
    reach = max(abs(v) for v in values) * 1.08 or 1.0
    pad = 3.0  # percent kept free at each side so the end caps stay visible

    def x(v: float) -> float:
        return pad + (v + reach) / (2 * reach) * (100 - 2 * pad)

    row_h, top = 34, 24 if title else 2
    height = top + len(rows) * row_h + 22
    body = [_text(0, 15, title, 14, font_weight="bold")] if title else []
    if band > 0:
        body.append(f'<rect x="{x(-band):.2f}%" y="{top}" width="{x(band) - x(-band):.2f}%" '
                    f'height="{len(rows) * row_h}" fill="#e5e7eb" class="lt-band"/>')
    body.append(f'<line x1="{x(0):.2f}%" x2="{x(0):.2f}%" y1="{top}" y2="{top + len(rows) * row_h}" '
                f'stroke="#9ca3af" stroke-dasharray="3 3"/>')
    for i, (label, p, lo, hi, flag) in enumerate(rows):
        y = top + i * row_h
        colour = PALETTE[0] if flag else PALETTE[1]
        shown = number(p, decimals) + (f" [{number(lo, decimals)}, {number(hi, decimals)}]" if lo is not None
                                       and hi is not None else "")
        body.append(_text(0, y + 13, fit(label, 200), SIZE, class_="lt-label"))
        body.append(f'<text x="100%" y="{y + 13}" font-size="{SMALL}" text-anchor="end" fill="#4b5563" '
                    f'class="lt-value">{escape(shown)}</text>')
        mid = y + 24
        if lo is not None and hi is not None:
            body.append(f'<line x1="{x(lo):.2f}%" x2="{x(hi):.2f}%" y1="{mid}" y2="{mid}" stroke="{colour}" '
                        f'stroke-width="2"/>')
            for end in (lo, hi):
                body.append(f'<line x1="{x(end):.2f}%" x2="{x(end):.2f}%" y1="{mid - 4}" y2="{mid + 4}" '
                            f'stroke="{colour}" stroke-width="2"/>')
        body.append(_mark("circle", f"{label}：{shown}", cx=f"{x(p):.2f}%", cy=mid, r=4.5, fill=colour))
    base = top + len(rows) * row_h + 15
    for v in (-band, 0.0, band) if band > 0 else (0.0,):
        body.append(f'<text x="{x(v):.2f}%" y="{base}" font-size="{SMALL}" text-anchor="middle" '
                    f'fill="#4b5563">{escape(number(v, decimals))}</text>')
    head = (f'<div class="chart-scroll"><svg class="lt-chart lt-intervals" width="100%" height="{height}" '
            f'role="img" aria-label="{escape(title or _("图表"))}" font-family="{FONT}">')
    return mark_safe(head + "".join(body) + "</svg></div>")  # noqa: S308 - every text above is escaped
