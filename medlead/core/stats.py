"""Statistics for variation: funnel plots (variation-and-spc.md: an indicator against volume, with control
limits funnelling around the overall value). Pure: no Django import."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class FunnelPoint:
    label: str
    n: int
    value: float
    outside_95: bool
    outside_998: bool


@dataclass(frozen=True)
class Funnel:
    centre: float
    sd: float
    points: list[FunnelPoint]

    def limits(self, n: int, z: float) -> tuple[float, float]:
        half = z * self.sd / math.sqrt(max(n, 1))
        return self.centre - half, self.centre + half


def funnel(groups: Sequence[tuple[str, int, float]], individual_values: Sequence[float]) -> Funnel:
    """Group means against group size, with limits at 2 (about 95%) and 3 (about 99.8%) standard errors of the
    individual values' spread around the overall mean."""
    if not individual_values:
        return Funnel(0.0, 0.0, [])
    centre = sum(individual_values) / len(individual_values)
    sd = math.sqrt(sum((v - centre) ** 2 for v in individual_values) / max(len(individual_values) - 1, 1))
    points = []
    for label, n, value in groups:
        se = sd / math.sqrt(max(n, 1))
        points.append(FunnelPoint(label, n, value, abs(value - centre) > 1.96 * se, abs(value - centre) > 3.09 * se))
    return Funnel(centre, sd, points)


def funnel_proportions(groups: Sequence[tuple[str, int, int]]) -> Funnel:
    """A funnel of proportions (label, denominator, numerator): the centre is the overall proportion and the limits
    its binomial spread, p +/- z * sqrt(p(1 - p) / n), at z 1.96 (95%) and 3.09 (99.8%) (variation-and-spc.md:
    funnel plots compare units without a league table)."""
    total = sum(n for _, n, _ in groups)
    if not total:
        return Funnel(0.0, 0.0, [])
    centre = sum(k for _, _, k in groups) / total
    sd = math.sqrt(centre * (1 - centre))
    points = []
    for label, n, k in groups:
        if n <= 0:
            continue
        value, se = k / n, sd / math.sqrt(n)
        points.append(FunnelPoint(label, n, value, abs(value - centre) > 1.96 * se, abs(value - centre) > 3.09 * se))
    return Funnel(centre, sd, points)


def funnel_svg(f: Funnel, *, title: str, width: int = 640, height: int = 360, counting: str = "plans") -> str:
    """The funnel plot (values are shares, shown as percentages) as an accessible SVG; ``counting`` names what the
    horizontal axis counts. Pages list the same points in a table."""
    from html import escape

    label = escape(title)
    head = f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}" width="{width}" '
    if not f.points:
        return head + f'height="40"><title>{label}</title><text x="0" y="20" font-size="14">No data.</text></svg>'
    pad_l, pad_r, pad_t, pad_b = 60, 20, 20, 40
    max_n = max(p.n for p in f.points) * 1.1
    values = [p.value for p in f.points] + [f.centre]
    lo, hi = max(min(values) - 0.05, 0.0), max(values) + 0.05

    def x(n: float) -> float:
        return pad_l + (width - pad_l - pad_r) * n / max_n

    def y(v: float) -> float:
        return pad_t + (height - pad_t - pad_b) * (1 - (min(max(v, lo), hi) - lo) / (hi - lo))

    parts = [head + f'height="{height}" viewBox="0 0 {width} {height}"><title>{label}</title>']
    parts.append(
        f'<line x1="{pad_l}" y1="{y(f.centre):.1f}" x2="{width - pad_r}" y2="{y(f.centre):.1f}" stroke="#212b32"/>'
    )
    for z, dash in ((1.96, "6 3"), (3.09, "2 3")):
        for side in (0, 1):
            pts = " ".join(f"{x(n):.1f},{y(f.limits(n, z)[side]):.1f}" for n in range(1, int(max_n) + 1))
            parts.append(f'<polyline points="{pts}" fill="none" stroke="#768692" stroke-dasharray="{dash}"/>')
    for p in f.points:
        colour = "#d5281b" if p.outside_998 else ("#ed8b00" if p.outside_95 else "#005eb8")
        parts.append(
            f'<circle cx="{x(p.n):.1f}" cy="{y(p.value):.1f}" r="5" fill="{colour}">'
            f"<title>{escape(p.label)}: {p.value * 100:.0f}%, {p.n} {escape(counting)}</title></circle>"
        )
    parts.append(
        f'<text x="{pad_l}" y="{height - 8}" font-size="12" fill="#212b32">'
        f"{escape(counting.capitalize())} in the group, 0 to {int(max_n)}</text>"
        f'<text x="4" y="{pad_t + 10}" font-size="12" fill="#212b32">{hi * 100:.0f}%</text>'
        f'<text x="4" y="{height - pad_b}" font-size="12" fill="#212b32">{lo * 100:.0f}%</text></svg>'
    )
    return "".join(parts)


def suppress_small(counts: dict[str, int], minimum: int) -> dict[str, int | None]:
    """Small-number suppression for aggregate tables of people: a count from 1 to ``minimum - 1`` is hidden
    (None), and when exactly one cell is hidden the next smallest non-zero cell is hidden too, so the hidden
    one cannot be worked out from the total. Zero is shown: it identifies nobody."""
    out: dict[str, int | None] = dict(counts)
    hidden = [k for k, v in counts.items() if 0 < v < minimum]
    for k in hidden:
        out[k] = None
    if len(hidden) == 1:
        rest = sorted((v, k) for k, v in counts.items() if v >= minimum)
        if rest:
            out[rest[0][1]] = None
    return out
