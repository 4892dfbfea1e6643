"""Small, accessible SVG charts (bars, XmR), the same in pages and PDFs. Pure: no Django import."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from html import escape
from typing import Any


def figure(value: float, unit: str = "") -> str:
    """A figure as a board reads it: a whole number where it is one, otherwise one decimal place (never the three
    decimals of a computed limit); a percentage with its sign, another unit after a space."""
    rounded = round(float(value), 1)
    text = f"{rounded:.0f}" if rounded == int(rounded) else f"{rounded:.1f}"
    if text == "-0":
        text = "0"
    if not unit:
        return text
    return f"{text}%" if unit == "%" else f"{text} {unit.strip()}"


def axis_title(unit: str) -> str:
    """What a value axis counts, in words: "Per cent" for a percentage, else the unit with a capital."""
    unit = unit.strip()
    if unit == "%":
        return "Per cent"
    if unit == "h":
        return "Hours"
    return unit[:1].upper() + unit[1:]


def _nice_step(span: float, ticks: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about ``ticks`` intervals over ``span``."""
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if multiple * power >= raw:
            return multiple * power
    return 10 * power


def bar_chart(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    unit: str = "",
    axis: str = "",
    limit: float | None = None,
    limit_label: str = "",
    width: int = 640,
) -> str:
    """Horizontal bars with their values written beside them, an optional limit line, and under the bars the
    value axis's title (``axis``: what the bars count, with its unit, such as "Number of exception reports").

    The chart carries a <title> and an aria-label; pages also show the same figures in a table."""
    bar_h, gap, label_w, pad = 22, 8, 200, 60
    foot = 22 if axis else 0
    bars_h = max(1, len(items)) * (bar_h + gap) + 30
    height = bars_h + foot
    top = max([v for _, v in items] + [limit or 0, 1])
    scale = (width - label_w - pad) / top
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="ml-chart-svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(items):
        y = i * (bar_h + gap) + 10
        w = max(0.0, value * scale)
        over = limit is not None and value > limit
        colour = "#d5281b" if over else "#005eb8"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" font-size="14" fill="#212b32">'
            f"{escape(label)}</text>"
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" font-size="14" fill="#212b32">'
            f"{escape(figure(value) + unit)}</text>"
        )
    if limit is not None:
        x = label_w + limit * scale
        parts.append(
            f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{bars_h - 20}" stroke="#212b32" stroke-dasharray="4 3"/>'
            f'<text x="{x:.1f}" y="{bars_h - 5}" font-size="12" text-anchor="middle" fill="#212b32">'
            f"{escape(limit_label)}</text>"
        )
    if axis:
        parts.append(
            f'<line x1="{label_w}" y1="{bars_h - 18}" x2="{width - pad}" y2="{bars_h - 18}" stroke="#aeb7bd"/>'
            f'<text x="{label_w}" y="{height - 4}" font-size="12" fill="#212b32">{escape(axis)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _when(iso: str, frequency: str = "weekly") -> str:
    day = dt.date.fromisoformat(iso)
    return day.strftime("%b %Y") if frequency == "monthly" else day.strftime("%-d %b %Y")


CAUSE_COLOURS = {"improvement": "#005eb8", "concern": "#ed8b00", "neutral": "#330072", None: "#768692"}
CAUSE_WORDS = {"improvement": "improving", "concern": "a concern", "neutral": "a change", None: "common cause"}


def xmr_svg(
    chart: dict[str, Any],
    *,
    title: str,
    unit: str = "",
    target: float | None = None,
    frequency: str = "monthly",
    width: int = 640,
) -> str:
    """An XmR chart (``core.spc.Chart.as_dict()``: points with their mean, limits and special cause) as an
    accessible SVG: the mean as a line, the process limits dashed, a target dotted, each point coloured by its
    special cause and titled in words. The value axis is titled with the unit and marked at round values; the time
    axis with dates (months for a monthly metric, the week's first day for a weekly one) and titled so. Pages show
    the same points in a table."""
    points = chart["points"]
    height, pad_l, pad_r, pad_t, pad_b = 300, 78, 16, 16, 70
    label = escape(title)
    head = f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}" class="ml-chart-svg" '
    if not points:
        return head + f'width="{width}" height="40"><title>{label}</title><text x="0" y="20">No data.</text></svg>'
    lows = [min(p["value"], p["lower"]) for p in points] + ([target] if target is not None else [])
    highs = [max(p["value"], p["upper"]) for p in points] + ([target] if target is not None else [])
    lo, hi = min(lows), max(highs)
    if hi == lo:
        lo, hi = lo - 1, hi + 1
    step = _nice_step(hi - lo)
    lo, hi = math.floor(lo / step) * step, math.ceil(hi / step) * step
    n = len(points)
    bottom = height - pad_b

    def x(i: float) -> float:
        return pad_l + (width - pad_l - pad_r) * (i / max(n - 1, 1))

    def y(v: float) -> float:
        return pad_t + (bottom - pad_t) * (1 - (v - lo) / (hi - lo))

    parts = [head + f'width="{width}" height="{height}" viewBox="0 0 {width} {height}"><title>{label}</title>']
    # the value axis: round values with the unit, and its title turned along it
    tick = lo
    while tick <= hi + step / 1000:
        parts.append(
            f'<line x1="{pad_l - 4}" y1="{y(tick):.1f}" x2="{width - pad_r}" y2="{y(tick):.1f}" stroke="#e8edee"/>'
            f'<text x="{pad_l - 6}" y="{y(tick) + 4:.1f}" font-size="12" text-anchor="end" fill="#212b32">'
            f"{escape(figure(tick, '%' if unit == '%' else ''))}</text>"
        )
        tick += step
    middle = (pad_t + bottom) / 2
    parts.append(
        f'<text x="14" y="{middle:.1f}" font-size="12" text-anchor="middle" fill="#212b32" '
        f'transform="rotate(-90 14 {middle:.1f})">{escape(axis_title(unit) or "Value")}</text>'
        f'<line x1="{pad_l}" y1="{pad_t}" x2="{pad_l}" y2="{bottom}" stroke="#768692"/>'
        f'<line x1="{pad_l}" y1="{bottom}" x2="{width - pad_r}" y2="{bottom}" stroke="#768692"/>'
    )
    for key, dash in (("mean", ""), ("upper", "6 4"), ("lower", "6 4")):
        segments: list[list[str]] = [[]]
        for i, p in enumerate(points):
            if i and p[key] != points[i - 1][key]:
                segments.append([])
            segments[-1].append(f"{x(i):.1f},{y(p[key]):.1f}")
        for seg in segments:
            if len(seg) == 1:
                seg.append(seg[0])
            style = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(f'<polyline points="{" ".join(seg)}" fill="none" stroke="#425563"{style}/>')
    if target is not None:
        parts.append(
            f'<line x1="{pad_l}" y1="{y(target):.1f}" x2="{width - pad_r}" y2="{y(target):.1f}" '
            'stroke="#d5281b" stroke-dasharray="2 3"/>'
        )
    line = " ".join(f"{x(i):.1f},{y(p['value']):.1f}" for i, p in enumerate(points))
    parts.append(f'<polyline points="{line}" fill="none" stroke="#aeb7bd"/>')
    for i, p in enumerate(points):
        cause = p.get("special_cause")
        parts.append(
            f'<circle cx="{x(i):.1f}" cy="{y(p["value"]):.1f}" r="4" fill="{CAUSE_COLOURS.get(cause, "#768692")}">'
            f"<title>{_when(p['date'], frequency)}: {escape(figure(p['value'], unit))}, "
            f"{CAUSE_WORDS.get(cause, '')}</title></circle>"
        )
    # the time axis: the first, middle and last dates, and what each point is
    marks = sorted({0, (n - 1) // 2, n - 1})
    for i in marks:
        anchor = "start" if i == 0 and n > 1 else "end" if i == n - 1 and n > 1 else "middle"
        parts.append(
            f'<line x1="{x(i):.1f}" y1="{bottom}" x2="{x(i):.1f}" y2="{bottom + 4}" stroke="#768692"/>'
            f'<text x="{x(i):.1f}" y="{bottom + 16}" font-size="12" text-anchor="{anchor}" fill="#212b32">'
            f"{_when(points[i]['date'], frequency)}</text>"
        )
    what = "Week beginning" if frequency == "weekly" else "Month"
    parts.append(
        f'<text x="{(pad_l + width - pad_r) / 2:.1f}" y="{bottom + 32}" font-size="12" text-anchor="middle" '
        f'fill="#212b32">{what}</text>'
        f'<text x="{pad_l}" y="{height - 6}" font-size="12" fill="#212b32">Solid line: the mean. Dashed: the '
        "process limits." + (" Red dotted: the target." if target is not None else "") + "</text></svg>"
    )
    return "".join(parts)
