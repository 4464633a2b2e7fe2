"""Small server-side SVG charts for the report pages: no script, no CDN, legible in print.

Series differ by shape as well as colour (solid or dashed lines, round or square markers, filled
or hatched bars), so a black-and-white printout still tells them apart. Each chart carries a
<title> and <desc> for screen readers; the pages print the numbers in a table beside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 600, 280
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 14, 56


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | None]
    style: int = 0  # 0: solid/filled/round, 1: dashed/hatched/square, 2: dotted


def _nice_max(value: float, *, whole: bool = False) -> float:
    """A round top for the axis: four equal steps of a round number (1, 1.5, 2, 2.5, 3…).

    `whole` keeps every step a whole number (counts of dossiers are never 12,5).
    """
    if value <= 0:
        return 4 if whole else 1
    step = value / 4
    power = 10 ** math.floor(math.log10(step))
    for factor in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        candidate = factor * power
        if candidate >= step and (not whole or float(candidate).is_integer()):
            return 4 * candidate
    return 40 * power


def _number(value: float) -> str:
    text = f"{value:,.1f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",")


def _frame(title: str, desc: str, labels: list[str], y_max: float, unit: str) -> list[str]:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>",
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" class="hatch-bg"/>'
        '<line x1="0" y1="0" x2="0" y2="6" class="hatch-line"/></pattern></defs>',
    ]
    for i in range(5):
        value = y_max * i / 4
        y = TOP + plot_h - plot_h * i / 4
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(_number(value))}{escape(unit)}</text>"
        )
    step = plot_w / max(len(labels), 1)
    for i, label in enumerate(labels):
        x = LEFT + step * (i + 0.5)
        parts.append(
            f'<text class="tick" x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    parts.append(
        f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
        f'y1="{TOP + plot_h}" y2="{TOP + plot_h}"/>'
    )
    return parts


def _legend(series: list[Series], kind: str) -> list[str]:
    parts = []
    x = LEFT
    y = HEIGHT - 14
    for s in series:
        if kind == "bar":
            parts.append(
                f'<rect class="bar s{s.style}" x="{x}" y="{y - 9}" width="14" height="10"/>'
            )
        else:
            parts.append(
                f'<line class="line s{s.style}" x1="{x}" x2="{x + 18}" y1="{y - 4}" y2="{y - 4}"/>'
            )
            parts.append(_marker(x + 9, y - 4, s.style))
        parts.append(f'<text class="legend" x="{x + 24}" y="{y}">{escape(s.name)}</text>')
        x += 36 + 7.5 * len(s.name)
    return parts


def _marker(x: float, y: float, style: int) -> str:
    if style == 1:
        return f'<rect class="marker s1" x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7"/>'
    if style == 2:
        return (
            f'<path class="marker s2" d="M{x:.1f} {y - 4.5:.1f} L{x + 4.5:.1f} {y + 3.5:.1f} '
            f'L{x - 4.5:.1f} {y + 3.5:.1f} Z"/>'
        )
    return f'<circle class="marker s0" cx="{x:.1f}" cy="{y:.1f}" r="3.5"/>'


def bar_chart(*, title: str, desc: str, labels: list[str], series: list[Series]) -> SafeString:
    """Grouped bars, one group per label, one bar per series."""
    top = max((v or 0 for s in series for v in s.values), default=0)
    y_max = _nice_max(top, whole=True)
    parts = _frame(title, desc, labels, y_max, "")
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(labels), 1)
    bar_w = step * 0.7 / max(len(series), 1)
    for si, s in enumerate(series):
        for i, value in enumerate(s.values):
            if not value:
                continue
            h = plot_h * value / y_max
            x = LEFT + step * i + step * 0.15 + bar_w * si
            y = TOP + plot_h - h
            parts.append(
                f'<rect class="bar s{s.style}" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" '
                f'height="{h:.1f}"><title>{escape(labels[i])} · {escape(s.name)}: '
                f"{escape(_number(value))}</title></rect>"
            )
    if len(series) > 1:
        parts += _legend(series, "bar")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()


def line_chart(
    *, title: str, desc: str, labels: list[str], series: list[Series], unit: str = "%"
) -> SafeString:
    """Lines over the labels; a missing value (None) breaks the line rather than reading 0."""
    top = max((v or 0 for s in series for v in s.values), default=0)
    y_max = 100.0 if unit == "%" else _nice_max(top)
    parts = _frame(title, desc, labels, y_max, unit)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(labels), 1)
    for s in series:
        segments: list[list[tuple[float, float]]] = [[]]
        points = []
        for i, value in enumerate(s.values):
            if value is None:
                segments.append([])
                continue
            point = (LEFT + step * (i + 0.5), TOP + plot_h - plot_h * value / y_max)
            segments[-1].append(point)
            points.append((point, labels[i], value))
        for segment in segments:
            if len(segment) > 1:
                d = " ".join(f"{x:.1f},{y:.1f}" for x, y in segment)
                parts.append(f'<polyline class="line s{s.style}" points="{d}"/>')
        for (x, y), label, value in points:
            parts.append(
                f"<g>{_marker(x, y, s.style)}<title>{escape(label)} · {escape(s.name)}: "
                f"{escape(_number(value))}{escape(unit)}</title></g>"
            )
    parts += _legend(series, "line")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()
