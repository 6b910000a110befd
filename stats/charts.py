"""Server-rendered SVG bar charts: geometry here, markup in templates/stats/admin/_bar_chart.html.

Coordinates are formatted as strings with a dot, whatever the language: Vietnamese number
formatting would turn 12.5 into "12,5" and break the SVG.
"""

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .live import format_number

WIDTH, HEIGHT = 760, 250
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 14, 30


@dataclass(frozen=True)
class Bar:
    x: str
    y: str
    width: str
    height: str
    text: str


@dataclass(frozen=True)
class Tick:
    position: str
    label: str


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    desc: str
    bars: list
    y_ticks: list
    x_ticks: list
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    bottom: int = HEIGHT - BOTTOM


def _fmt(value):
    return f"{value:.1f}"


def nice_ceiling(value, ticks=4):
    """The smallest 1/2/5×10ⁿ step such that `ticks` steps reach `value`; returns (top, step)."""
    if value <= 0:
        return ticks, 1
    raw = value / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        step = factor * magnitude
        if step >= raw:
            break
    step = max(1, int(step))
    return step * ticks, step


def bar_chart(chart_id, title, points, unit):
    """points: [(date, value)] in order; unit: what is counted, e.g. "lượt xem"."""
    values = [value for _day, value in points]
    peak = max(values, default=0)
    top, step = nice_ceiling(peak)
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(points), 1)
    gap = min(slot * 0.2, 4)
    bars = []
    for index, (day, value) in enumerate(points):
        height = plot_height * value / top
        bars.append(
            Bar(
                x=_fmt(LEFT + index * slot + gap / 2),
                y=_fmt(TOP + plot_height - height),
                width=_fmt(max(slot - gap, 1)),
                height=_fmt(height),
                text=f"{day.strftime('%d/%m/%Y')}: {format_number(value)} {unit}",
            )
        )
    y_ticks = [
        Tick(position=_fmt(TOP + plot_height - plot_height * level / top), label=format_number(level))
        for level in range(0, top + 1, step)
    ]
    every = max(1, round(len(points) / 6))
    x_ticks = [
        Tick(position=_fmt(LEFT + index * slot + slot / 2), label=day.strftime("%d/%m"))
        for index, (day, _value) in enumerate(points)
        if (len(points) - 1 - index) % every == 0
    ]
    if points:
        peak_day = next(day for day, value in points if value == peak)
        desc = _(
            "Từ %(start)s đến %(end)s: tổng %(total)s %(unit)s, trung bình %(average)s mỗi ngày, "
            "cao nhất %(peak)s ngày %(peak_day)s."
        ) % {
            "start": points[0][0].strftime("%d/%m/%Y"),
            "end": points[-1][0].strftime("%d/%m/%Y"),
            "total": format_number(sum(values)),
            "unit": unit,
            "average": format_number(round(sum(values) / len(values))),
            "peak": format_number(peak),
            "peak_day": peak_day.strftime("%d/%m/%Y"),
        }
    else:
        desc = _("Chưa có số liệu.")
    return BarChart(id=chart_id, title=title, desc=desc, bars=bars, y_ticks=y_ticks, x_ticks=x_ticks)
