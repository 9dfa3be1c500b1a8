"""Plotly chart builders. Labels come in already translated; no Streamlit here."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.frame import kw

#: Above this many points a preview is drawn from hourly means.
MAX_POINTS = 60_000
GREEN = "#2e7d32"


def _layout(fig: go.Figure, title: str, y_title: str) -> go.Figure:
    fig.update_layout(
        title=title, height=360, margin={"l": 10, "r": 10, "t": 50, "b": 10},
        yaxis_title=y_title, xaxis_title=None, hovermode="x unified", showlegend=False,
        template="plotly_white",
    )
    return fig


def power_preview(frame: pd.DataFrame, *, title: str, y_title: str, hourly_note: str) -> go.Figure:
    """Interval average power [kW] over time; hourly means when the series is long."""
    power = kw(frame)
    if len(power) > MAX_POINTS:
        power = power.resample("1h").mean()
        title = f"{title} — {hourly_note}"
    fig = go.Figure(go.Scattergl(x=power.index, y=power.to_numpy(), mode="lines",
                                 line={"width": 1, "color": GREEN}, name="kW",
                                 connectgaps=False))
    return _layout(fig, title, y_title)


def daily_energy(frame: pd.DataFrame, *, title: str, y_title: str) -> go.Figure:
    """Energy per local calendar day [kWh] (days with no data are left empty)."""
    daily = frame["kwh"].resample("1D").sum(min_count=1)
    fig = go.Figure(go.Bar(x=daily.index, y=daily.to_numpy(), marker_color=GREEN, name="kWh"))
    return _layout(fig, title, y_title)
