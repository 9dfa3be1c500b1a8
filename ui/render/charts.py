"""Plotly chart builders, the one chart style and the one palette.

Labels come in already translated; no Streamlit here. Every chart of the pages and the report
goes through :func:`layout` and takes its colours from :data:`PERIOD_COLOURS` and the named
colours below, so a TOU period looks the same everywhere.

:func:`layout` also applies the number policy of :mod:`ui.render.format` to the axes, in the
language of the run (or ``lang=``):

* a y axis titled with a unit it knows (``kWh``/``MWh``/``GWh``/``万kWh``/``亿kWh`` energy,
  ``CNY``/``元``/``万元`` money) is rescaled to the unit the policy picks for the largest bar
  or point (``万kWh`` and ``万元`` in Chinese, ``MWh`` and ``CNY`` in English) and titled with it;
* ticks carry thousands separators and never SI suffixes (no ``6M``, ``60k``);
* a date x axis shows Chinese months and days in zh-CN (``2025年1月``, ``1月15日``), with a
  matching hover format;
* axes grow their margins for their tick labels (``automargin``), a legend sits below the
  plot clear of the tick labels.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analytics.iotools import kw
from ui.render.format import ENERGY_UNITS, ZH, display_lang, energy_unit, money_unit

#: Above this many points a preview is drawn from hourly means.
MAX_POINTS = 60_000
GREEN = "#2e7d32"
GREY = "#90a4ae"
AMBER = "#f9a825"
TEMPLATE = "plotly_white"

#: Money axis titles and their CNY per unit.
MONEY_UNITS: dict[str, float] = {"CNY": 1.0, "元": 1.0, "万元": 1e4, "亿元": 1e8}
#: Tick formats of a date axis in Chinese, by tick spacing [ms] (plotly ``tickformatstops``).
ZH_DATE_TICKS: tuple[dict, ...] = (
    {"dtickrange": [None, 86_400_000], "value": "%-m月%-d日 %H:%M"},
    {"dtickrange": [86_400_000, "M1"], "value": "%-m月%-d日"},
    {"dtickrange": ["M1", "M12"], "value": "%Y年%-m月"},
    {"dtickrange": ["M12", None], "value": "%Y年"},
)
_MONTH_TEXT = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def _scalable(fig: go.Figure) -> list:
    """The traces whose ``y`` holds the axis values (bars, lines, points)."""
    return [
        tr for tr in fig.data if tr.type in ("bar", "scatter", "scattergl") and tr.y is not None
    ]


def _axis_unit(fig: go.Figure, y_title: str, lang: str) -> str:
    """Rescale the traces of a unit axis to the policy's unit; returns the axis title."""
    traces = _scalable(fig)
    if y_title in ENERGY_UNITS:
        per = ENERGY_UNITS[y_title]
        pick = lambda v: (lambda u: (u, ENERGY_UNITS[u]))(energy_unit(v, lang))  # noqa: E731
    elif y_title in MONEY_UNITS:
        per = MONEY_UNITS[y_title]
        pick = lambda v: money_unit(v, lang)  # noqa: E731
    else:
        return y_title
    if not traces or len(traces) != len(fig.data):
        return y_title  # a waterfall, a histogram…: left as drawn
    values = np.concatenate([np.asarray(tr.y, dtype=float) * per for tr in traces])
    if fig.layout.barmode == "stack":  # a stack is as tall as its sum
        values = np.asarray(
            pd.DataFrame([np.asarray(tr.y, dtype=float) * per for tr in traces]).sum()
        )
    unit, target = pick(values)
    factor = per / target
    if factor != 1.0:
        for tr in traces:
            tr.y = (np.asarray(tr.y, dtype=float) * factor).tolist()  # a list: plain JSON spec
            if tr.name == y_title:  # a trace named by its unit ("kWh") follows the axis
                tr.name = unit
    return unit


def _dates(x) -> pd.DatetimeIndex | None:
    """The x values as dates when they are dates (Timestamps or ``YYYY-MM[-DD]`` text)."""
    if x is None or len(x) == 0:
        return None
    arr = np.asarray(x)
    first = arr[0]
    if arr.dtype.kind == "M" or isinstance(first, dt.date | pd.Timestamp | np.datetime64):
        idx = pd.DatetimeIndex(pd.to_datetime(pd.Series(arr), utc=False).to_numpy())
        return idx
    if isinstance(first, str) and all(_MONTH_TEXT.match(str(v)) for v in arr[:50]):
        return pd.DatetimeIndex(pd.to_datetime(pd.Series(arr)))
    return None


def _hover_format(idx: pd.DatetimeIndex) -> str:
    if (idx.day == 1).all() and (idx.hour == 0).all() and (idx.minute == 0).all():
        return "%Y年%-m月"
    if (idx.hour == 0).all() and (idx.minute == 0).all():
        return "%Y年%-m月%-d日"
    return "%Y年%-m月%-d日 %H:%M"


def _date_axis(fig: go.Figure, lang: str) -> None:
    """Chinese date ticks and hover on a date x axis (English keeps plotly's own)."""
    if lang != ZH:
        return
    idx = next(
        (d for d in (_dates(tr.x) for tr in fig.data if hasattr(tr, "x")) if d is not None), None
    )
    if idx is None or fig.layout.xaxis.type == "category":
        return
    fig.update_xaxes(tickformatstops=list(ZH_DATE_TICKS), hoverformat=_hover_format(idx))


def layout(
    fig: go.Figure,
    title: str,
    y_title: str,
    *,
    x_title: str | None = None,
    legend: bool | None = False,
    height: int | None = 360,
    top: int = 50,
    legend_y: float | None = None,
    unified_hover: bool = False,
    lang: str | None = None,
) -> go.Figure:
    """The one chart style: white template, tight margins that grow for tick labels,
    optional horizontal legend below, the number policy on the axes (module docstring).

    ``height`` None leaves the height to the container (the report sizes its charts itself);
    ``legend`` None leaves plotly's default (a legend when there are several traces);
    ``legend_y`` the legend's top in plot fractions (default below the tick labels and the
    x title).
    """
    code = display_lang(lang)
    y_title = _axis_unit(fig, y_title, code)
    if legend_y is None:
        legend_y = -0.3 if x_title else -0.18
    fig.update_layout(
        title=title,
        margin={"l": 10, "r": 10, "t": top, "b": 10},
        yaxis_title=y_title,
        xaxis_title=x_title,
        template=TEMPLATE,
        separators=".,",
        **({"showlegend": legend} if legend is not None else {}),
        **({"height": height} if height is not None else {}),
        **(
            {"legend": {"orientation": "h", "y": legend_y, "yanchor": "top", "x": 0}}
            if legend
            else {}
        ),
        **({"hovermode": "x unified"} if unified_hover else {}),
    )
    fig.update_xaxes(automargin=True, separatethousands=True, exponentformat="none")
    fig.update_yaxes(automargin=True, separatethousands=True, exponentformat="none")
    _date_axis(fig, code)
    return fig


def power_preview(frame: pd.DataFrame, *, title: str, y_title: str, hourly_note: str) -> go.Figure:
    """Interval average power [kW] over time; hourly means when the series is long."""
    power = kw(frame)
    if len(power) > MAX_POINTS:
        power = power.resample("1h").mean()
        title = f"{title} — {hourly_note}"
    fig = go.Figure(
        go.Scattergl(
            x=power.index,
            y=power.to_numpy(),
            mode="lines",
            line={"width": 1, "color": GREEN},
            name="kW",
            connectgaps=False,
        )
    )
    return layout(fig, title, y_title, unified_hover=True)


def daily_energy(frame: pd.DataFrame, *, title: str, y_title: str) -> go.Figure:
    """Energy per local calendar day [kWh] (days with no data are left empty)."""
    daily = frame["kwh"].resample("1D").sum(min_count=1)
    fig = go.Figure(go.Bar(x=daily.index, y=daily.to_numpy(), marker_color=GREEN, name="kWh"))
    return layout(fig, title, y_title, unified_hover=True)


#: Colours of the TOU periods (sharp → deep valley), shared by every TOU chart.
PERIOD_COLOURS: dict[str, str] = {
    "sharp": "#b71c1c",
    "peak": "#ef6c00",
    "flat": "#fdd835",
    "valley": "#42a5f5",
    "deep_valley": "#1a237e",
}
DAY_TYPE_COLOURS: dict[str, str] = {"working": GREEN, "rest": "#8d6e63", "holiday": "#7b1fa2"}


def heatmap(matrix: pd.DataFrame, *, title: str, colorbar_title: str) -> go.Figure:
    """Date × time-of-day heat-map of power [kW]."""
    fig = go.Figure(
        go.Heatmap(
            z=matrix.to_numpy(),
            x=list(matrix.columns),
            y=matrix.index,
            colorscale="YlOrRd",
            colorbar={"title": colorbar_title},
            hoverongaps=False,
        )
    )
    fig.update_layout(
        title=title,
        height=520,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        template=TEMPLATE,
        yaxis={"autorange": "reversed", "automargin": True},
        xaxis={"automargin": True},
    )
    return fig


def period_heatmap(matrix: pd.DataFrame, *, title: str, names: dict[str, str]) -> go.Figure:
    """Date × time-of-day map coloured by TOU period (``matrix`` holds period keys)."""
    order = [p for p in PERIOD_COLOURS if (matrix == p).any().any()]
    codes = matrix.apply(lambda col: col.map({p: i for i, p in enumerate(order)})).to_numpy(
        dtype=float
    )
    n = max(len(order), 1)
    scale = []
    for i, p in enumerate(order):
        scale += [[i / n, PERIOD_COLOURS[p]], [(i + 1) / n, PERIOD_COLOURS[p]]]
    fig = go.Figure(
        go.Heatmap(
            z=codes,
            x=list(matrix.columns),
            y=matrix.index,
            colorscale=scale or "Greys",
            zmin=-0.5,
            zmax=n - 0.5,
            hoverongaps=False,
            colorbar={"tickvals": list(range(n)), "ticktext": [names[p] for p in order]},
        )
    )
    fig.update_layout(
        title=title,
        height=520,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        template=TEMPLATE,
        yaxis={"autorange": "reversed", "automargin": True},
        xaxis={"automargin": True},
    )
    return fig


def typical_days(
    profile: pd.DataFrame,
    *,
    title: str,
    y_title: str,
    names: dict[str, str],
    bands: list[tuple[str, str, str]] | None = None,
    band_names: dict[str, str] | None = None,
) -> go.Figure:
    """Typical-day curves by day type [kW], TOU period bands shaded behind.

    ``bands``: ``(start "HH:MM", end "HH:MM", period)`` windows of one representative day.
    """
    fig = go.Figure()
    slots = list(profile.index)
    shown: list[str] = []
    for start, end, period in bands or []:
        x1 = end if end in slots else slots[-1]
        fig.add_vrect(
            x0=start,
            x1=x1,
            fillcolor=PERIOD_COLOURS.get(period, "#ddd"),
            opacity=0.13,
            line_width=0,
            layer="below",
        )
        if period not in shown:
            shown.append(period)
    # the band names as legend keys (in period order): text in narrow bands would overlap
    for period in [p for p in PERIOD_COLOURS if p in shown]:
        fig.add_trace(
            go.Scatter(
                x=[slots[0]],
                y=[None],
                mode="markers",
                marker={
                    "symbol": "square",
                    "size": 12,
                    "color": PERIOD_COLOURS[period],
                    "opacity": 0.4,
                },
                name=(band_names or {}).get(period, period),
                legendgroup="bands",
                hoverinfo="skip",
            )
        )
    for col in profile.columns:
        fig.add_trace(
            go.Scatter(
                x=slots,
                y=profile[col].to_numpy(),
                mode="lines",
                name=names.get(col, col),
                line={"color": DAY_TYPE_COLOURS.get(col), "width": 2},
            )
        )
    fig.update_xaxes(type="category", nticks=13)
    fig = layout(fig, title, y_title, legend=True, unified_hover=True)
    return fig


def duration_curve(curve: pd.DataFrame, *, title: str, x_title: str, y_title: str) -> go.Figure:
    """Load duration curve: kW against hours at or above it."""
    fig = go.Figure(
        go.Scattergl(
            x=curve["hours"],
            y=curve["kw"],
            mode="lines",
            line={"color": GREEN, "width": 2},
            fill="tozeroy",
        )
    )
    fig = layout(fig, title, y_title, unified_hover=True)
    fig.update_xaxes(title=x_title)
    return fig


def period_bars(
    values: dict[str, float],
    *,
    title: str,
    y_title: str,
    names: dict[str, str],
    text: dict[str, str] | None = None,
    x_title: str | None = None,
) -> go.Figure:
    """One bar per TOU period (energy or cost), in period order, empty periods left out
    (only the periods the tariff has); ``text`` an optional label above each bar."""
    keys = [p for p in PERIOD_COLOURS if values.get(p, 0)]
    fig = go.Figure(
        go.Bar(
            x=[names[p] for p in keys],
            y=[values[p] for p in keys],
            marker_color=[PERIOD_COLOURS[p] for p in keys],
            **(
                {
                    "text": [text.get(p, "") for p in keys],
                    "textposition": "outside",
                    "cliponaxis": False,
                }
                if text
                else {}
            ),
        )
    )
    return layout(fig, title, y_title, x_title=x_title, unified_hover=True)


def score_gauge(score: float, *, title: str, height: int = 320) -> go.Figure:
    """The Green Temperature gauge (0–100°) with margins wide enough for its tick labels."""
    fig = go.Figure(
        go.Indicator(
            mode="gauge+number",
            value=score,
            number={"suffix": "°", "valueformat": ".1f"},
            gauge={
                "axis": {"range": [0, 100], "tickwidth": 1},
                "bar": {"color": GREEN},
                "steps": [
                    {"range": [0, 33], "color": "#e3f2fd"},
                    {"range": [33, 66], "color": "#fff8e1"},
                    {"range": [66, 100], "color": "#e8f5e9"},
                ],
            },
            title={"text": title},
        )
    )
    fig.update_layout(height=height, margin={"l": 40, "r": 40, "t": 70, "b": 20}, template=TEMPLATE)
    return fig


def need_vs_saving(
    table: pd.DataFrame, *, y: str, title: str, x_title: str, y_title: str, hover: list[str]
) -> go.Figure:
    """Scatter: green-purchase need [MWh] against ``y``, marker area ∝ energy."""
    energy = table["energy_kwh"].fillna(0.0)
    size = 8 + 40 * (energy / energy.max()) ** 0.5 if energy.max() > 0 else 10
    fig = go.Figure(
        go.Scatter(
            x=table["green_purchase_kwh"] / 1000.0,
            y=table[y],
            mode="markers",
            marker={
                "size": size,
                "color": table["green_temperature_score"],
                "colorscale": "RdYlGn",
                "showscale": True,
                "line": {"width": 0.5, "color": "#555"},
            },
            text=hover,
            hovertemplate="%{text}<extra></extra>",
        )
    )
    return layout(fig, title, y_title, x_title=x_title, height=420)


def score_histogram(scores: pd.Series, *, title: str, x_title: str, y_title: str) -> go.Figure:
    """Distribution of the Green Temperature score (0–100) in bins of 5."""
    fig = go.Figure(
        go.Histogram(
            x=scores.dropna(), xbins={"start": 0, "end": 100, "size": 5}, marker_color=GREEN
        )
    )
    return layout(fig, title, y_title, x_title=x_title, height=420)


def monthly_sources(monthly: pd.DataFrame, *, names: dict[str, str]) -> go.Figure:
    """Consumption by source per month [MWh], stacked: grid import, self-consumed PV, exported PV.

    ``monthly`` is :func:`analytics.green.monthly_table` (``month``, ``import_kwh``,
    ``self_kwh``, ``export_kwh`` [kWh]); ``names`` maps ``import``/``self``/``export`` to the
    translated trace names. The caller sets the title with :func:`layout` and the y title
    ``"MWh"`` (the unit the traces hold; layout rescales the axis to 万kWh in Chinese).
    """
    colours = {"import": GREY, "self": GREEN, "export": AMBER}
    fig = go.Figure(
        [
            go.Bar(
                x=monthly["month"], y=monthly[f"{k}_kwh"] / 1000, name=names[k], marker_color=col
            )
            for k, col in colours.items()
        ]
    )
    fig.update_layout(barmode="stack")
    return fig
