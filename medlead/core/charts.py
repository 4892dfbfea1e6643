"""Small, accessible SVG bar charts, the same in pages and PDFs. Pure: no Django import."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape


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
