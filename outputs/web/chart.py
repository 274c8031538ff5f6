"""Bar charts over time as inline SVG: no JavaScript, no CDN, works offline and prints.

Each bar segment carries a ``<title>`` (hover shows the exact number) and the
page puts the same numbers in a table under the chart.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

from markupsafe import Markup, escape

# Family colours, also used by the highlights (khaosan.css): dark enough to read
# as bars on white, with the highlights using light tints of the same hues.
FAMILY_COLOURS = {"persons": "#b35806", "orgs": "#1b7837", "provinces": "#2166ac", "programs": "#762a83",
                  "figures": "#c51b7d", "dates": "#7f6000"}


def months_between(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` (YYYY-MM), so gaps show as empty bars, not as nothing."""
    y, m = int(first[:4]), int(first[5:7])
    ly, lm = int(last[:4]), int(last[5:7])
    out = []
    while (y, m) <= (ly, lm):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def by_period(rows: Sequence[tuple[str, str, float]]) -> tuple[list[str], dict[str, list[float]]]:
    """(period, series, value) rows → the periods in order and one list of values per series.

    Months (YYYY-MM) with gaps filled; more than ten years of months become years.
    Rows whose period is not a YYYY-MM month are dropped (undated articles).
    """
    rows = [(p, s, v) for p, s, v in rows if isinstance(p, str) and len(p) == 7 and p[4] == "-" and p[:4].isdigit()]
    if not rows:
        return [], {}
    periods = months_between(min(r[0] for r in rows), max(r[0] for r in rows))
    key: Callable[[str], str] = lambda p: p
    if len(periods) > 120:
        periods = sorted({p[:4] for p in periods})
        key = lambda p: p[:4]  # noqa: E731
    index = {p: i for i, p in enumerate(periods)}
    series: dict[str, list[float]] = {}
    for p, s, v in rows:
        series.setdefault(s, [0.0] * len(periods))[index[key(p)]] += float(v or 0)
    return periods, series


def nice_step(top: float, ticks: int = 5) -> float:
    """A round tick step (1, 2 or 5 × 10ⁿ) giving about ``ticks`` ticks up to ``top``."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    mag = 10 ** math.floor(math.log10(raw))
    for f in (1, 2, 5, 10):
        if raw <= f * mag:
            return f * mag
    return 10 * mag


def short_number(x: float) -> str:
    """1 234 567 890 → 1.23B; Thai amounts get read in millions and billions."""
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(x) >= size:
            return f"{x / size:.3g}{suffix}"
    return f"{x:.3g}" if x != int(x) else f"{int(x)}"


def stacked_bars(periods: Sequence[str], series: Mapping[str, Sequence[float]], colours: Mapping[str, str],
                 title: str, unit: str, width: int = 960, height: int = 340) -> Markup:
    """A stacked bar chart, one bar per period, one colour per series, as an SVG element."""
    left, right, top, bottom = 64, 12, 28, 56
    pw, ph = width - left - right, height - top - bottom
    n = max(len(periods), 1)
    totals = [sum(vals[i] for vals in series.values()) for i in range(len(periods))]
    step = nice_step(max(totals, default=0))
    ymax = step * max(1, math.ceil(max(totals, default=0) / step))
    bw = pw / n
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="khaosan-chart" viewBox="0 0 {width} {height}" '
           f'role="img" aria-label="{escape(title)}">',
           f'<text x="{left}" y="18" class="chart-title">{escape(title)}</text>']
    y = 0.0
    while y <= ymax + 1e-9:
        py = top + ph - ph * y / ymax
        out.append(f'<line x1="{left}" x2="{left + pw}" y1="{py:.1f}" y2="{py:.1f}" class="grid"/>'
                   f'<text x="{left - 6}" y="{py + 4:.1f}" class="tick" text-anchor="end">{short_number(y)}</text>')
        y += step
    label_every = max(1, math.ceil(n / 16))
    for i, p in enumerate(periods):
        x = left + i * bw
        base = top + ph
        for name, vals in series.items():
            v = vals[i]
            if v <= 0:
                continue
            h = ph * v / ymax
            base -= h
            out.append(f'<rect x="{x + 0.1 * bw:.1f}" y="{base:.1f}" width="{max(0.8 * bw, 1):.1f}" '
                       f'height="{h:.1f}" fill="{colours.get(name, "#555")}">'
                       f'<title>{escape(p)} {escape(name)}: {v:,.0f} {escape(unit)}</title></rect>')
        if i % label_every == 0:
            out.append(f'<text x="{x + bw / 2:.1f}" y="{top + ph + 16}" class="tick" text-anchor="end" '
                       f'transform="rotate(-40 {x + bw / 2:.1f} {top + ph + 16})">{escape(p)}</text>')
    out.append(f'<line x1="{left}" x2="{left + pw}" y1="{top + ph}" y2="{top + ph}" class="axis"/>')
    out.append("</svg>")
    return Markup("".join(out))
