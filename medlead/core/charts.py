"""Small, accessible SVG charts (bars, XmR), the same in pages and PDFs. Pure: no Django import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape
from typing import Any


def bar_chart(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    unit: str = "",
    limit: float | None = None,
    limit_label: str = "",
    width: int = 640,
) -> str:
    """Horizontal bars with their values written beside them, and an optional limit line.

    The chart carries a <title> and an aria-label; pages also show the same figures in a table."""
    bar_h, gap, label_w, pad = 22, 8, 200, 60
    height = max(1, len(items)) * (bar_h + gap) + 30
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
            f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" font-size="14" fill="#212b32">{value:g}{escape(unit)}</text>'
        )
    if limit is not None:
        x = label_w + limit * scale
        parts.append(
            f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 20}" stroke="#212b32" stroke-dasharray="4 3"/>'
            f'<text x="{x:.1f}" y="{height - 5}" font-size="12" text-anchor="middle" fill="#212b32">'
            f"{escape(limit_label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _when(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%-d %b %Y")


CAUSE_COLOURS = {"improvement": "#005eb8", "concern": "#ed8b00", "neutral": "#330072", None: "#768692"}
CAUSE_WORDS = {"improvement": "improving", "concern": "a concern", "neutral": "a change", None: "common cause"}


def xmr_svg(chart: dict[str, Any], *, title: str, unit: str = "", target: float | None = None, width: int = 640) -> str:
    """An XmR chart (``core.spc.Chart.as_dict()``: points with their mean, limits and special cause) as an
    accessible SVG: the mean as a line, the process limits dashed, a target dotted, each point coloured by its
    special cause and titled in words. Pages show the same points in a table."""
    points = chart["points"]
    height, pad_l, pad_r, pad_t, pad_b = 280, 64, 16, 16, 48
    label = escape(title)
    head = f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}" class="ml-chart-svg" '
    if not points:
        return head + f'width="{width}" height="40"><title>{label}</title><text x="0" y="20">No data.</text></svg>'
    lows = [min(p["value"], p["lower"]) for p in points] + ([target] if target is not None else [])
    highs = [max(p["value"], p["upper"]) for p in points] + ([target] if target is not None else [])
    lo, hi = min(lows), max(highs)
    if hi == lo:
        lo, hi = lo - 1, hi + 1
    margin = (hi - lo) * 0.05
    lo, hi = lo - margin, hi + margin
    n = len(points)

    def x(i: float) -> float:
        return pad_l + (width - pad_l - pad_r) * (i / max(n - 1, 1))

    def y(v: float) -> float:
        return pad_t + (height - pad_t - pad_b) * (1 - (v - lo) / (hi - lo))

    parts = [head + f'width="{width}" height="{height}" viewBox="0 0 {width} {height}"><title>{label}</title>']
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
            f"<title>{_when(p['date'])}: {p['value']:g}{escape(unit)}, {CAUSE_WORDS.get(cause, '')}</title></circle>"
        )
    parts.append(
        f'<text x="4" y="{y(hi - margin) + 4:.1f}" font-size="12" fill="#212b32">{hi - margin:.4g}</text>'
        f'<text x="4" y="{y(lo + margin) + 4:.1f}" font-size="12" fill="#212b32">{lo + margin:.4g}</text>'
        f'<text x="{pad_l}" y="{height - 24}" font-size="12" fill="#212b32">{_when(points[0]["date"])}</text>'
        f'<text x="{width - pad_r}" y="{height - 24}" font-size="12" text-anchor="end" fill="#212b32">'
        f"{_when(points[-1]['date'])}</text>"
        f'<text x="{pad_l}" y="{height - 6}" font-size="12" fill="#212b32">Solid line: the mean. Dashed: the '
        "process limits." + (" Red dotted: the target." if target is not None else "") + "</text></svg>"
    )
    return "".join(parts)
