"""Static SVG charts of the report: nice ticks, Chinese months, no plotly."""

import pandas as pd
import plotly.graph_objects as go
import pytest

from ui.render.charts import layout
from ui.render.svg import figure_svg, nice_ticks


def test_nice_ticks() -> None:
    assert nice_ticks(0, 5.9) == [0, 2, 4, 6]  # raw step 1.18 → 2
    assert nice_ticks(0, 594.33) == [0, 200, 400, 600]  # raw step 118.9 → 200
    assert nice_ticks(0, 1.0) == pytest.approx([0, 0.2, 0.4, 0.6, 0.8, 1.0])


def test_bars_with_separators_and_month_labels_in_chinese() -> None:
    fig = go.Figure(go.Bar(x=["2025-01", "2025-02"], y=[1_250.0, 2_500.0], marker_color="#ef6c00"))
    fig = layout(fig, "月度<电费>", "kWh", lang="zh-CN")  # 2,500 kWh stays kWh
    svg = figure_svg(fig, lang="zh-CN")
    assert "2025年1月" in svg and ">2月<" in svg
    assert ">2,500<" in svg  # ticks 0, 500, …, 2,500 with separators
    assert "月度&lt;电费&gt;" in svg  # escaped
    assert svg.count("<rect") == 2 and "#ef6c00" in svg


def test_daily_area_over_dates() -> None:
    idx = pd.date_range("2025-01-01", periods=60, freq="D", tz="Asia/Shanghai")
    fig = go.Figure(go.Scatter(x=idx, y=[40_000.0] * 60, fill="tozeroy", line={"shape": "hv"}))
    svg = figure_svg(layout(fig, "每日", "kWh", lang="zh-CN"), lang="zh-CN")
    assert "2025年1月" in svg and ">2月<" in svg and "万kWh" in svg


def test_other_kinds_are_refused() -> None:
    with pytest.raises(TypeError):
        figure_svg(go.Figure(go.Heatmap(z=[[1, 2]])))
