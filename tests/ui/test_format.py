"""The one number policy (ui/render/format.py), with hand-written expectations."""

import threading

import numpy as np
import pandas as pd

from ui.render.format import (
    Col,
    display_lang,
    energy_unit,
    fmt_cny,
    fmt_count,
    fmt_energy,
    fmt_energy_lang,
    fmt_kw,
    fmt_month,
    fmt_param,
    fmt_price,
    fmt_ratio,
    fmt_sec,
    fmt_share,
    fmt_tonnes,
    format_frame,
    money_unit,
    set_display_lang,
    with_unit,
)


def test_money_formats() -> None:
    assert fmt_cny(12_060_776.8) == "12,060,777 CNY"
    assert fmt_cny(12_060_776.8, compact=True) == "12.06 M CNY"
    assert fmt_cny(12_060_776.8, "zh-CN") == "1,206.08 万元"  # 12,060,776.8 / 10,000
    assert fmt_cny(12_060_776.8, "zh-CN", compact=True) == "1,206 万元"
    assert fmt_cny(5_000.0, "zh-CN") == "5,000 元"
    assert fmt_cny(99_999.0, "zh-CN") == "99,999 元"  # below 10 万元 stays in 元
    assert fmt_cny(123_456_789.0, "zh-CN") == "1.23 亿元"  # 123,456,789 / 1e8
    assert fmt_cny(float("nan"), "zh-CN") == "–"


def test_energy_unit_fits_the_magnitude() -> None:
    assert fmt_energy(9_999.0) == "9,999 kWh"
    assert fmt_energy(42.25) == "42.2 kWh"  # below 100 kWh one decimal (banker's .25 → .2)
    assert fmt_energy(13_723_110.1) == "13,723.1 MWh"  # 13,723,110.1 / 1,000
    assert fmt_energy(250_000_000.0) == "250.00 GWh"  # ≥ 1e8 kWh: / 1e6
    assert fmt_energy(1_320_000.0) == "1,320.0 MWh"  # 1,320,000 / 1,000
    assert fmt_energy(13_723_110.1, "zh-CN") == "1,372.31 万kWh"  # / 10,000
    assert fmt_energy(10_000.0, "zh-CN") == "1.00 万kWh"  # no MWh in Chinese
    assert fmt_energy(9_999.0, "zh-CN") == "9,999 kWh"
    assert fmt_energy(250_000_000.0, "zh-CN") == "2.50 亿kWh"  # / 1e8
    assert fmt_energy(float("nan")) == "–"
    assert fmt_energy_lang(13_723_110.1, "zh-CN") == "1,372.31 万kWh"


def test_related_figures_share_one_unit() -> None:
    # PV generation 1.3 GWh and export 8,000 kWh: both in the unit of the larger one
    unit = energy_unit([1_300_000.0, 8_000.0], "zh-CN")
    assert unit == "万kWh"
    assert fmt_energy(8_000.0, "zh-CN", unit=unit) == "0.80 万kWh"
    assert energy_unit(np.array([5.0, np.nan])) == "kWh"
    assert money_unit([5e4, 2e6], "zh-CN") == ("万元", 1e4)
    assert money_unit([5e4, 2e6], "en") == ("CNY", 1.0)


def test_price_share_power_mass_sec_counts() -> None:
    assert fmt_price(0.87886, "en", 3) == "0.879 CNY/kWh"
    assert fmt_price(0.87886, "zh-CN") == "0.8789 元/kWh"
    assert fmt_share(0.3) == "30.0 %"
    assert fmt_kw(4_290.4) == "4,290 kW"
    assert fmt_tonnes(7_281.4, "zh-CN") == "7,281 吨"
    assert fmt_sec(2.19949, "zh-CN") == "2.199 kWh/件"
    assert fmt_sec(2.19949, "en") == "2.199 kWh/unit"
    assert fmt_sec(2.19949, "en", unit_name="t") == "2.199 kWh/t"
    assert fmt_count(2_836, "gec", "zh-CN") == "2,836张"
    assert fmt_count(2_836, "gec", "en") == "2,836 GEC"
    assert fmt_ratio(1.0584) == "1.06 ×"


def test_months() -> None:
    assert fmt_month("2025-01", "zh-CN") == "2025年1月"
    assert fmt_month(pd.Timestamp("2025-11-15"), "zh-CN", year=False) == "11月"
    assert fmt_month("2018-03", "en") == "Mar 2018"


def test_parameters_by_unit_suffix() -> None:
    assert fmt_param("sec_kwh_per_unit", 2.19949, "zh-CN") == "2.199 kWh/件"
    assert fmt_param("energy_kwh", 13_723_110.1, "zh-CN") == "1,372.31 万kWh"
    assert fmt_param("cost_cny", 123_456.0, "zh-CN") == "12.35 万元"
    assert fmt_param("gap_days", 12, "zh-CN") == "12天"
    assert fmt_param("count", 4290448) == "4,290,448"


def test_the_run_language_is_per_thread_and_explicit_wins() -> None:
    seen: list[str] = []

    def run() -> None:
        set_display_lang("zh-CN")
        seen.append(fmt_energy(13_723_110.1))
        seen.append(fmt_energy(13_723_110.1, "en"))

    th = threading.Thread(target=run)
    th.start()
    th.join()
    assert seen == ["1,372.31 万kWh", "13,723.1 MWh"]
    assert display_lang() == "en"  # this thread never set it


def test_format_frame_units_in_headers_separators_in_cells() -> None:
    df = pd.DataFrame(
        {
            "month": ["2025-01", "2025-02"],
            "energy_kwh": [4_290_448.0, 6_239_482.0],
            "cost_cny": [3_512_000.0, 4_800_000.5],
            "max_kw": [4_290.4, 4_100.0],
            "share": [0.25, float("nan")],
        }
    )
    out = format_frame(
        df,
        {
            "month": Col("月份", "month"),
            "energy_kwh": Col("电量", "energy_kwh"),
            "cost_cny": Col("电费", "cny"),
            "max_kw": Col("最大需量", "kw"),
            "share": Col("占比", "share"),
        },
        "zh-CN",
    )
    assert list(out.columns) == ["月份", "电量 [万kWh]", "电费 [万元]", "最大需量 [kW]", "占比 [%]"]
    # 4,290,448 / 1e4 = 429.0448; 6,239,482 / 1e4 = 623.9482; 4,800,000.5 / 1e4 = 480.00
    assert out.iloc[0].tolist() == ["2025年1月", "429.04", "351.20", "4,290", "25.0"]
    assert out.iloc[1].tolist() == ["2025年2月", "623.95", "480.00", "4,100", "–"]
    en = format_frame(
        df, {"energy_kwh": Col("Energy", "energy_kwh"), "cost_cny": Col("Cost", "cny")}, "en"
    )
    # largest 6,239,482 kWh → MWh; money in CNY with separators
    assert en.iloc[1].tolist() == ["6,239.5", "4,800,000"]
    assert list(en.columns) == ["Energy [MWh]", "Cost [CNY]"]


def test_catalogue_headers_get_the_column_unit() -> None:
    assert with_unit("电量 [kWh]", "万kWh") == "电量 [万kWh]"
    assert with_unit("Energy", "MWh") == "Energy [MWh]"
    assert with_unit("Period", "") == "Period"
    df = pd.DataFrame({"e": [4_290_448.0]})
    assert list(format_frame(df, {"e": Col("电量 [kWh]", "energy_kwh")}, "zh-CN").columns) == [
        "电量 [万kWh]"
    ]
