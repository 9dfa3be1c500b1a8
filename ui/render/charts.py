"""Plotly chart builders, the one chart style and the one palette.

Labels come in already translated; no Streamlit here. Every chart of the pages and the report
goes through :func:`layout` and takes its colours from :data:`PERIOD_COLOURS` and the named
colours below, so a TOU period looks the same everywhere.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.iotools import kw

#: Above this many points a preview is drawn from hourly means.
MAX_POINTS = 60_000
GREEN = "#2e7d32"
GREY = "#90a4ae"
AMBER = "#f9a825"
TEMPLATE = "plotly_white"


def layout(
    fig: go.Figure,
    title: str,
    y_title: str,
    *,
    x_title: str | None = None,
    legend: bool | None = False,
    height: int | None = 360,
    top: int = 50,
    legend_y: float = -0.15,
    unified_hover: bool = False,
) -> go.Figure:
    """The one chart style: white template, tight margins, optional horizontal legend below.

    ``height`` None leaves the height to the container (the report sizes its charts itself);
    ``legend`` None leaves plotly's default (a legend when there are several traces).
    """
    fig.update_layout(
        title=title,
        margin={"l": 10, "r": 10, "t": top, "b": 10},
        yaxis_title=y_title,
        xaxis_title=x_title,
        template=TEMPLATE,
        **({"showlegend": legend} if legend is not None else {}),
        **({"height": height} if height is not None else {}),
        **({"legend": {"orientation": "h", "y": legend_y}} if legend else {}),
        **({"hovermode": "x unified"} if unified_hover else {}),
    )
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
        template="plotly_white",
        yaxis={"autorange": "reversed"},
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
        template="plotly_white",
        yaxis={"autorange": "reversed"},
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
    for start, end, period in bands or []:
        x1 = end if end in slots else slots[-1]
        fig.add_vrect(
            x0=start,
            x1=x1,
            fillcolor=PERIOD_COLOURS.get(period, "#ddd"),
            opacity=0.13,
            line_width=0,
            layer="below",
            annotation_text=(band_names or {}).get(period, ""),
            annotation_position="top left",
            annotation_font_size=10,
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
    fig = layout(fig, title, y_title, unified_hover=True)
    fig.update_layout(showlegend=True, legend={"orientation": "h", "y": -0.15})
    fig.update_xaxes(type="category", nticks=13)
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
    values: dict[str, float], *, title: str, y_title: str, names: dict[str, str]
) -> go.Figure:
    """One bar per TOU period (energy or cost), in period order, empty periods left out."""
    keys = [p for p in PERIOD_COLOURS if values.get(p, 0)]
    fig = go.Figure(
        go.Bar(
            x=[names[p] for p in keys],
            y=[values[p] for p in keys],
            marker_color=[PERIOD_COLOURS[p] for p in keys],
        )
    )
    return layout(fig, title, y_title, unified_hover=True)


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
    translated trace names. The caller sets the title with :func:`layout`.
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
