"""The one chart style: the number policy on axes, Chinese dates, the TOU palette."""

import contextvars

import pandas as pd
import plotly.graph_objects as go
import pytest

from ui.render.charts import (
    PERIOD_COLOURS,
    daily_energy,
    layout,
    monthly_sources,
    period_bars,
    score_gauge,
    typical_days,
)
from ui.render.format import set_display_lang

NAMES = {"sharp": "尖峰", "peak": "高峰", "flat": "平段", "valley": "低谷", "deep_valley": "深谷"}


def in_lang(lang: str, build):
    """``build()`` as in a page run of ``lang`` (a copied context: nothing leaks)."""

    def run():
        set_display_lang(lang)
        return build()

    return contextvars.copy_context().run(run)


def _two_days() -> pd.DataFrame:
    idx = pd.date_range("2025-01-01", periods=2 * 96, freq="15min", tz="Asia/Shanghai")
    # day 1: 96 × 420 kWh = 40,320 kWh; day 2: 96 × 500 kWh = 48,000 kWh
    return pd.DataFrame({"kwh": [420.0] * 96 + [500.0] * 96}, index=idx)


def test_energy_axis_in_wan_kwh_in_chinese_and_mwh_in_english() -> None:
    zh = in_lang("zh-CN", lambda: daily_energy(_two_days(), title="每日用电量", y_title="kWh"))
    assert zh.layout.yaxis.title.text == "万kWh"
    assert list(zh.data[0].y) == pytest.approx([4.032, 4.8])  # 40,320 / 1e4, 48,000 / 1e4
    assert zh.data[0].name == "万kWh"  # the unit-named trace follows its axis
    en = layout(go.Figure(go.Bar(x=["a"], y=[48_000.0])), "Daily", "kWh", lang="en")
    assert en.layout.yaxis.title.text == "MWh" and list(en.data[0].y) == [48.0]
    small = layout(go.Figure(go.Bar(x=["a"], y=[9_000.0])), "x", "kWh", lang="zh-CN")
    assert small.layout.yaxis.title.text == "kWh" and list(small.data[0].y) == [9_000.0]


def test_money_axis_no_si_ticks_wan_yuan_in_chinese() -> None:
    cost = {"sharp": 0.0, "peak": 6_000_000.0, "flat": 2_500_000.0, "valley": 900_000.0}
    zh = period_bars(dict(cost), title="电费", y_title="CNY", names=NAMES)
    zh = layout(zh, "电费", "CNY", lang="zh-CN")
    assert zh.layout.yaxis.title.text == "万元"
    assert list(zh.data[0].y) == pytest.approx([600.0, 250.0, 90.0])  # / 1e4
    assert list(zh.data[0].x) == ["高峰", "平段", "低谷"]  # the empty sharp period left out
    assert list(zh.data[0].marker.color) == [PERIOD_COLOURS[p] for p in ("peak", "flat", "valley")]
    en = layout(
        period_bars(dict(cost), title="Cost", y_title="CNY", names=NAMES), "Cost", "CNY", lang="en"
    )
    assert en.layout.yaxis.title.text == "CNY" and max(en.data[0].y) == 6_000_000.0
    assert en.layout.yaxis.exponentformat == "none" and en.layout.yaxis.separatethousands
    assert en.layout.yaxis.automargin and en.layout.xaxis.automargin


def test_stacked_monthly_axis_scaled_by_its_stack() -> None:
    monthly = pd.DataFrame(
        {
            "month": ["2025-01", "2025-02"],
            "import_kwh": [900_000.0, 800_000.0],
            "self_kwh": [200_000.0, 300_000.0],
            "export_kwh": [10_000.0, 20_000.0],
        }
    )
    fig = monthly_sources(monthly, names={"import": "电网", "self": "自用", "export": "上网"})
    fig = layout(fig, "月度", "MWh", legend=True, lang="zh-CN")
    # MWh × 1,000 = kWh; stack 1,110,000 kWh → 万kWh; 900 MWh = 90 万kWh
    assert fig.layout.yaxis.title.text == "万kWh"
    assert list(fig.data[0].y) == pytest.approx([90.0, 80.0])
    # months as Chinese ticks and hover
    assert fig.layout.xaxis.hoverformat == "%Y年%-m月"
    assert fig.layout.xaxis.tickformatstops[2].value == "%Y年%-m月"
    assert fig.layout.legend.orientation == "h" and fig.layout.legend.yanchor == "top"


def test_english_dates_keep_plotly_ticks_and_odd_traces_are_left_alone() -> None:
    en = layout(daily_energy(_two_days(), title="Daily", y_title="kWh"), "Daily", "kWh", lang="en")
    assert en.layout.xaxis.tickformatstops == ()
    water = go.Figure(go.Waterfall(x=["a", "b"], y=[10.0, 20.0], measure=["relative", "total"]))
    assert layout(water, "w", "CNY", lang="zh-CN").layout.yaxis.title.text == "CNY"


def test_typical_day_bands_are_legend_keys_not_overlapping_labels() -> None:
    profile = pd.DataFrame(
        {"working": [1.0, 2.0, 3.0, 4.0]}, index=["00:00", "06:00", "12:00", "18:00"]
    )
    bands = [
        ("00:00", "06:00", "valley"),
        ("06:00", "12:00", "peak"),
        ("12:00", "18:00", "flat"),
        ("18:00", "24:00", "peak"),
    ]
    fig = typical_days(
        profile,
        title="典型日",
        y_title="kW",
        names={"working": "工作日"},
        bands=bands,
        band_names=NAMES,
    )
    assert fig.layout.annotations == ()  # no text inside the bands
    assert len(fig.layout.shapes) == 4
    keys = [tr.name for tr in fig.data if tr.legendgroup == "bands"]
    assert keys == ["高峰", "平段", "低谷"]  # once each, in period order
    assert fig.layout.showlegend


def test_gauge_has_room_for_its_labels() -> None:
    g = score_gauge(42.0, title="绿色温度")
    assert g.layout.margin.l >= 40 and g.layout.margin.r >= 40 and g.layout.margin.t >= 60
