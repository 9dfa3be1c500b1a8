"""Chart of the monthly power factor against its standard (labels come in translated)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ui.render.charts import AMBER, GREEN, GREY, layout


def power_factor_chart(
    months: pd.DataFrame, *, standard: float, title: str, y_title: str, standard_name: str
) -> go.Figure:
    """Bars of the monthly power factor (``months``: ``month``, ``pf``), green at or above
    ``standard``, amber below, and the standard as a dashed line."""
    pf = months["pf"].astype(float)
    colours = [GREEN if v >= standard - 0.005 else AMBER for v in pf.fillna(0)]
    fig = go.Figure(go.Bar(x=months["month"], y=pf, marker_color=colours, name=y_title))
    fig.add_hline(
        y=standard,
        line_dash="dash",
        line_color=GREY,
        annotation_text=f"{standard_name} {standard:.2f}",
        annotation_position="top left",
    )
    low = float(min(pf.min(skipna=True), standard)) if pf.notna().any() else standard
    fig.update_yaxes(range=[max(0.0, low - 0.05), 1.0])
    fig.update_xaxes(type="category")  # "2018-01" as written, not a localised date
    return layout(fig, title, y_title, height=320)
