"""Static SVG for the report's charts: a few kilobytes instead of the 4.6 MB plotly.js bundle.

:func:`figure_svg` draws the chart kinds the report uses from the same plotly figures the
pages show (after :func:`ui.render.charts.layout`, so titles, units and scaling are the
pages'): bars (one colour per bar, or several named series, stacked when
``barmode="stack"``) and lines/areas (``fill="tozeroy"``, ``line.shape="hv"``) over
categories or dates. Ticks are "nice" numbers with thousands separators (no SI suffixes);
dates are labelled by month in the report's language. Anything else raises ``TypeError``
(the caller then embeds plotly). No Streamlit, no I/O; every text goes through
:func:`html.escape`.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ui.render.format import fmt_month

WIDTH = 680
FONT = 11
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 28, 34
LEGEND_H = 18


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """About ``n`` round tick values covering [lo, hi] (steps 1, 2, 2.5, 5 × 10^k)."""
    if not math.isfinite(lo) or not math.isfinite(hi) or hi <= lo:
        hi = lo + 1.0
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    ticks = []
    v = start
    while v < hi + step * 0.999:
        ticks.append(round(v, 10))
        v += step
    return ticks


def _tick_text(v: float, ticks: Sequence[float]) -> str:
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    decimals = max(0, -math.floor(math.log10(step))) if step < 1 else (1 if step % 1 else 0)
    return f"{v:,.{decimals}f}"


@dataclass(frozen=True)
class _Series:
    kind: str  # "bar" | "line"
    x: list
    y: np.ndarray
    name: str
    colours: list[str]
    fill: bool
    step: bool


def _colour(value, n: int, default: str) -> list[str]:
    if value is None:
        return [default] * n
    if isinstance(value, str):
        return [value] * n
    return [str(c) for c in value]


def _series(fig: go.Figure) -> list[_Series]:
    out = []
    for tr in fig.data:
        if tr.type not in ("bar", "scatter", "scattergl") or tr.y is None:
            raise TypeError(f"no static drawing for a {tr.type} trace")
        x = list(tr.x) if tr.x is not None else list(range(len(tr.y)))
        y = np.asarray(tr.y, dtype=float)
        if tr.type == "bar":
            out.append(
                _Series(
                    "bar",
                    x,
                    y,
                    tr.name or "",
                    _colour(tr.marker.color, len(y), "#2e7d32"),
                    False,
                    False,
                )
            )
        else:
            colour = tr.line.color or "#2e7d32"
            out.append(
                _Series(
                    "line",
                    x,
                    y,
                    tr.name or "",
                    [colour],
                    tr.fill == "tozeroy",
                    tr.line.shape == "hv",
                )
            )
    return out


def _is_time(x: list) -> bool:
    return (
        bool(x)
        and isinstance(x[0], pd.Timestamp | np.datetime64)
        or (bool(x) and hasattr(x[0], "year") and hasattr(x[0], "month"))
    )


def _month_label(value, lang: str, first: bool) -> str:
    ts = pd.Timestamp(str(value)[:10]) if isinstance(value, str) else pd.Timestamp(value)
    return fmt_month(ts, lang, year=first or ts.month == 1)


def _y_range(series: list[_Series], stacked: bool) -> tuple[float, float]:
    if stacked:
        total = pd.DataFrame([s.y for s in series if s.kind == "bar"]).clip(lower=0).sum()
        hi = float(np.nanmax(total.to_numpy())) if len(total) else 1.0
        lo = 0.0
    else:
        vals = np.concatenate([s.y for s in series])
        vals = vals[np.isfinite(vals)]
        hi = float(vals.max()) if vals.size else 1.0
        lo = min(0.0, float(vals.min()) if vals.size else 0.0)
    return lo, max(hi, lo + 1e-9)


def figure_svg(fig: go.Figure, *, height: int = 260, lang: str = "en") -> str:
    """The figure as an inline ``<svg>`` (viewBox ``WIDTH × height``, scales to its box)."""
    series = _series(fig)
    stacked = fig.layout.barmode == "stack"
    legend = len(series) > 1 and any(s.name for s in series)
    bottom = BOTTOM + (LEGEND_H if legend else 0)
    pw, ph = WIDTH - LEFT - RIGHT, height - TOP - bottom
    lo, hi = _y_range(series, stacked)
    ticks = nice_ticks(lo, hi)
    y0, y1 = ticks[0], ticks[-1]
    sy = lambda v: TOP + ph - (v - y0) / (y1 - y0) * ph  # noqa: E731
    e = lambda s: html.escape(str(s), quote=True)  # noqa: E731
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" font-size="{FONT}" role="img" aria-label="{e(fig.layout.title.text or "")}">',
        f'<text x="{LEFT}" y="16" font-size="13" font-weight="600">{e(fig.layout.title.text or "")}</text>',
    ]
    for v in ticks:
        y = sy(v)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e0e0e0"/>'
        )
        parts.append(
            f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{e(_tick_text(v, ticks))}</text>'
        )
    ytitle = fig.layout.yaxis.title.text or ""
    if ytitle:
        parts.append(
            f'<text transform="translate(12 {TOP + ph / 2:.0f}) rotate(-90)" text-anchor="middle" fill="#555">{e(ytitle)}</text>'
        )
    x = series[0].x
    if series[0].kind == "line" and _is_time(x):
        parts += _time_lines(series, x, sy, pw, ph, lang)
    else:
        parts += _bars(series, sy, pw, ph, lang, stacked, y0)
    if legend:
        lx = LEFT
        ly = height - 6
        for s in series:
            parts.append(
                f'<rect x="{lx}" y="{ly - 9}" width="10" height="10" fill="{e(s.colours[0])}"/>'
            )
            parts.append(f'<text x="{lx + 14}" y="{ly}">{e(s.name)}</text>')
            lx += 24 + 7 * len(s.name.encode("utf-8")) // 2 + 10
    parts.append("</svg>")
    return "".join(parts)


def _bars(series, sy, pw, ph, lang, stacked, y0) -> list[str]:
    cats = list(dict.fromkeys(v for s in series for v in s.x))
    dates = all(
        isinstance(c, str) and len(c) >= 7 and c[:4].isdigit() and c[4] == "-" for c in cats
    )
    band = pw / max(len(cats), 1)
    bars = [s for s in series if s.kind == "bar"]
    groups = 1 if stacked else len(bars)
    width = band * 0.7 / groups
    out: list[str] = []
    base = dict.fromkeys(cats, 0.0)
    for gi, s in enumerate(bars):
        for i, (cx, v) in enumerate(zip(s.x, s.y, strict=False)):
            if not np.isfinite(v):
                continue
            k = cats.index(cx)
            x = LEFT + k * band + band * 0.15 + (0 if stacked else gi * width)
            bottom = base[cx] if stacked else max(y0, 0.0)
            top = bottom + v
            ya, yb = sy(max(top, bottom)), sy(min(top, bottom))
            colour = s.colours[i % len(s.colours)]
            out.append(
                f'<rect x="{x:.1f}" y="{ya:.1f}" width="{width:.1f}" height="{max(yb - ya, 0):.1f}" fill="{html.escape(colour)}"/>'
            )
            if stacked:
                base[cx] = top
    step = max(1, math.ceil(len(cats) / 12))
    for k, c in enumerate(cats):
        if k % step:
            continue
        label = _month_label(c, lang, k == 0) if dates else str(c)
        out.append(
            f'<text x="{LEFT + (k + 0.5) * band:.1f}" y="{TOP + ph + 16}" text-anchor="middle" fill="#555">{html.escape(label)}</text>'
        )
    return out


def _time_lines(series, x, sy, pw, ph, lang) -> list[str]:
    t = pd.DatetimeIndex([pd.Timestamp(v) for v in x])
    t0, t1 = t.min(), t.max()
    span = max((t1 - t0).total_seconds(), 1.0)
    sx = lambda ts: LEFT + (pd.Timestamp(ts) - t0).total_seconds() / span * pw  # noqa: E731
    out: list[str] = []
    for s in series:
        pts: list[tuple[float, float]] = []
        for ts, v in zip(s.x, s.y, strict=False):
            if not np.isfinite(v):
                continue
            px, py = sx(ts), sy(v)
            if s.step and pts:
                pts.append((px, pts[-1][1]))
            pts.append((px, py))
        if not pts:
            continue
        path = "M" + " L".join(f"{a:.1f},{b:.1f}" for a, b in pts)
        colour = html.escape(s.colours[0])
        if s.fill:
            out.append(
                f'<path d="{path} L{pts[-1][0]:.1f},{sy(0):.1f} L{pts[0][0]:.1f},{sy(0):.1f} Z" fill="{colour}" fill-opacity="0.35" stroke="none"/>'
            )
        out.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="1"/>')
    months = pd.date_range(t0.normalize().replace(day=1), t1, freq="MS", tz=t.tz)
    step = max(1, math.ceil(len(months) / 12))
    for k, m in enumerate(months):
        if m < t0 or k % step:
            continue
        out.append(
            f'<text x="{sx(m):.1f}" y="{TOP + ph + 16}" text-anchor="middle" fill="#555">{html.escape(_month_label(m, lang, k == 0))}</text>'
        )
    return out
