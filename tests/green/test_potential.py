"""Hand-computed tests of every DESIGN green definition (analytics/green.py)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analytics.findings import InputError
from analytics.green.factors import select_factors
from analytics.green.index import green_temperature, green_temperature_section
from analytics.green.potential import (
    GreenPrices,
    analyze_green,
    co2_location_t,
    co2_market_t,
    gec_count,
    green_purchase_kwh,
    green_section,
    hourly_matched_share,
    monthly_table,
    pv_balance,
    pv_certificates,
    typical_day_kw,
)
from analytics.iotools.frame import make_frame
from analytics.tou import classify_periods
from analytics.tou.engine import bill
from analytics.tou.tariff import get_tariff

# Four 15-min intervals on Monday 2025-03-03 (a working day), 10:30 … 11:15 local: all in the
# Jiangsu 426 spring/autumn valley 10:00–14:00.
IDX = pd.date_range("2025-03-03 10:30", periods=4, freq="15min", tz="Asia/Shanghai")
CONS = [10_000.0, 20_000.0, 5_000.0, 0.0]
PV = [4_000.0, 25_000.0, 5_000.0, 3_000.0]
PRICES = GreenPrices(
    gec_cny_per_certificate=5.0, green_premium_cny_per_kwh=0.03, feed_in_cny_per_kwh=0.4
)
TARIFF = get_tariff("jiangsu_large_industrial_1_10kv_2025_426")
PERIODS_OF_CONS = classify_periods(IDX, TARIFF)  # one classification, as analyze() makes it


def _frame(values: list[float], index: pd.DatetimeIndex = IDX) -> pd.DataFrame:
    return make_frame(pd.Series(values, index=index), 15)


def _pv() -> pd.Series:
    return pd.Series(PV, index=IDX)


def test_self_consumption_export_import() -> None:
    b = pv_balance(_frame(CONS), _pv())
    # self = min(c, pv) = 4000 + 20000 + 5000 + 0 = 29000
    assert b.pv_self_consumed_kwh == 29_000
    # export = max(pv − c, 0) = 0 + 5000 + 0 + 3000 = 8000
    assert b.pv_exported_kwh == 8_000
    # energy = 35000; import = 35000 − 29000 = 6000; generation = 29000 + 8000 = 37000
    assert (b.energy_kwh, b.grid_import_kwh, b.pv_generation_kwh) == (35_000, 6_000, 37_000)
    assert b.self_consumption_ratio == pytest.approx(29 / 37)
    assert b.self_sufficiency_ratio == pytest.approx(29 / 35)
    assert list(b.intervals["import_kwh"]) == [6_000, 0, 0, 0]
    assert b.warnings == ()


@pytest.mark.parametrize(
    ("target", "purchase", "gecs"),
    [
        (0.5, 0.0, 0),  # 0.5 × 35000 = 17500 < 29000 self-consumed → nothing to buy
        (0.9, 2_500.0, 3),  # 31500 − 29000 = 2500 kWh → ceil(2.5) = 3 GECs
        (1.0, 6_000.0, 6),  # 35000 − 29000 = 6000 kWh → exactly 6 GECs, not 7
    ],
)
def test_purchase_and_gec_rounding_up(target: float, purchase: float, gecs: int) -> None:
    p = green_purchase_kwh(35_000, 29_000, target)
    assert p == pytest.approx(purchase)
    assert gec_count(p) == gecs


def test_gec_count_edges() -> None:
    assert gec_count(0) == 0
    assert gec_count(-5) == 0
    assert gec_count(1) == 1  # 1 kWh still needs a whole certificate
    assert gec_count(1000) == 1
    assert gec_count(1000.0000001) == 1  # float noise below 1e-9 MWh does not buy another
    assert gec_count(1001) == 2
    assert pv_certificates(37_999) == 37  # floor: the 999 kWh carry over
    assert pv_certificates(0) == 0


def test_co2_location_and_market() -> None:
    # 6000 kWh / 1000 × 0.5306 = 3.1836 t
    assert co2_location_t(6_000, 0.5306) == pytest.approx(3.1836)
    # (6000 − 2500) / 1000 × 0.6096 = 3.5 × 0.6096 = 2.1336 t
    assert co2_market_t(6_000, 2_500, 0.6096) == pytest.approx(2.1336)
    # purchase above import never goes negative
    assert co2_market_t(1_000, 2_500, 0.6096) == 0.0


def test_hourly_matching_sums_within_the_hour_first() -> None:
    # hour 10: c = 10000 + 20000 = 30000, pv = 4000 + 25000 = 29000 → 29000
    # hour 11: c = 5000 + 0 = 5000,      pv = 5000 + 3000 = 8000   → 5000
    # share = 34000 / 35000
    share = hourly_matched_share(pd.Series(CONS, index=IDX), _pv())
    assert share == pytest.approx(34 / 35)
    assert share > 29 / 35  # ≥ interval matching


def test_hourly_matching_uses_local_clock_hours_in_a_half_hour_zone() -> None:
    # Asia/Kolkata is UTC+5:30: 10:30 and 10:45 local are one clock hour even though they
    # straddle a UTC hour boundary (05:00 UTC).
    idx = pd.date_range("2025-03-03 10:30", periods=2, freq="15min", tz="Asia/Kolkata")
    c = pd.Series([10.0, 0.0], index=idx)
    p = pd.Series([0.0, 10.0], index=idx)
    assert hourly_matched_share(c, p) == 1.0  # 10 consumed, 10 generated in the hour


def test_analyze_green_hand_computed_and_json_keys() -> None:
    r = analyze_green(
        _frame(CONS),
        _pv(),
        periods=PERIODS_OF_CONS,
        target_share=0.9,
        prices=PRICES,
        factor_year=2023,
    )
    g = green_section(r)
    assert list(g) == [
        "pv_generation_kwh",
        "pv_self_consumed_kwh",
        "pv_exported_kwh",
        "grid_import_kwh",
        "target_share",
        "green_purchase_kwh",
        "gec_count",
        "gec_cost_cny",
        "renewable_share",
        "hourly_matched_share",
        "grid_factor_t_per_mwh",
        "residual_factor_t_per_mwh",
        "co2_location_t",
        "co2_market_t",
        # holdings, target default, GEC price by vintage, PV compliance (issue 14)
        "renewable_share_now",
        "holdings",
        "target_default",
        "target_basis",
        "gec_price",
        "gec_validity",
        "pv_self_use",
    ]
    assert g["green_purchase_kwh"] == pytest.approx(2_500)
    assert g["gec_count"] == 3
    assert g["gec_cost_cny"] == 15.0  # 3 × 5 CNY
    assert r.green_power_cost_cny == pytest.approx(75.0)  # 2500 × 0.03
    assert g["renewable_share"] == pytest.approx(0.9)  # (29000 + 2500) / 35000
    assert g["grid_factor_t_per_mwh"] == 0.5306
    assert g["residual_factor_t_per_mwh"] == 0.6096
    assert g["co2_location_t"] == pytest.approx(3.1836)
    assert g["co2_market_t"] == pytest.approx(2.1336)
    assert r.exported_value_cny == pytest.approx(3_200)  # 8000 × 0.4
    # all four intervals are valley: value = 29000 × valley price; no sharp/peak energy
    valley = bill(_frame([1.0, 0.0, 0.0, 0.0]), TARIFF).energy_cost_cny["valley"]  # CNY per kWh
    assert r.self_consumed_value_cny == pytest.approx(29_000 * valley)
    assert valley == pytest.approx(0.3958 * 0.35 + 0.2443, abs=2e-4)  # B × 0.35 + A
    assert r.outside_peak_share == 1.0
    assert [w.code for w in r.warnings] == [
        "green.factor_older_than_data"
    ]  # 2025 data, 2023 factor
    # kgCO2 per unit
    r2 = analyze_green(
        _frame(CONS),
        _pv(),
        periods=PERIODS_OF_CONS,
        target_share=0.9,
        prices=PRICES,
        factor_year=2023,
        production_units=100,
    )
    assert r2.co2_location_kg_per_unit == pytest.approx(31.836)  # 3.1836 t × 1000 / 100


def test_certificate_trade_off_hand_computed() -> None:
    r = analyze_green(_frame(CONS), _pv(), periods=PERIODS_OF_CONS, target_share=0.9, prices=PRICES)
    t = r.trade_off
    # issuable floor(37000/1000) = 37; keep ceil(29000/1000) = 29; sell 8
    assert (t.issuable, t.claim_kept, t.claim_sold) == (37, 29, 8)
    assert t.claim_net_cost_gec_cny == pytest.approx(-25.0)  # (3 − 8) × 5
    assert t.claim_net_cost_premium_cny == pytest.approx(35.0)  # 2500 × 0.03 − 8 × 5
    # sell all: purchase 0.9 × 35000 = 31500 → 32 GECs; (32 − 37) × 5 = −25
    assert t.sell_purchase_kwh == pytest.approx(31_500)
    assert t.sell_net_cost_gec_cny == pytest.approx(-25.0)
    assert t.sell_net_cost_premium_cny == pytest.approx(760.0)  # 31500 × 0.03 − 37 × 5


def test_net_import_signed_meter_rebuilds_consumption() -> None:
    net = [6_000.0, -5_000.0, 0.0, -3_000.0]  # consumption − pv
    b = pv_balance(_frame(net), _pv(), load_is_net_import=True)
    assert (b.energy_kwh, b.pv_self_consumed_kwh, b.pv_exported_kwh) == (35_000, 29_000, 8_000)
    assert b.grid_import_kwh == 6_000  # = Σ max(net, 0)
    # interval 3: net 0 with pv 5000 → consumption taken as 5000 (ambiguous)
    assert {w.code: w.count for w in b.warnings} == {"green.net_import_ambiguous": 1}


def test_net_import_only_meter_is_an_upper_bound() -> None:
    net = [6_000.0, 0.0, 0.0, 0.0]
    b = pv_balance(_frame(net), _pv(), load_is_net_import=True)
    # consumption = net + pv = 10000, 25000, 5000, 3000 → all PV self-consumed
    assert (b.energy_kwh, b.pv_self_consumed_kwh, b.pv_exported_kwh) == (43_000, 37_000, 0)
    assert {w.code: w.count for w in b.warnings} == {"green.net_import_ambiguous": 3}


def test_missing_load_intervals_are_left_out_and_reported() -> None:
    b = pv_balance(_frame([10_000.0, np.nan, 5_000.0, 0.0]), _pv())
    # energy 15000; self 4000 + 5000 + 0 = 9000; export 0 + 0 + 3000 = 3000
    assert (b.energy_kwh, b.pv_self_consumed_kwh, b.pv_exported_kwh) == (15_000, 9_000, 3_000)
    assert [(w.code, w.count, dict(w.params)) for w in b.warnings] == [
        ("green.pv_when_load_missing", 1, {"kwh": 25_000.0})
    ]


def test_no_pv_means_everything_is_bought() -> None:
    r = analyze_green(_frame(CONS), None, periods=PERIODS_OF_CONS, target_share=0.3, prices=PRICES)
    assert r.balance.pv_generation_kwh == 0
    assert r.green_purchase_kwh == pytest.approx(10_500)  # 0.3 × 35000
    assert r.gec_count == 11
    assert r.hourly_matched_share == 0.0


def test_factor_selection_warnings_and_errors() -> None:
    avg, res, w = select_factors(2022, "jiangsu", data_year=2025)
    assert (avg.value, res.value, res.region) == (0.5978, 0.5856, "national")
    assert [x.code for x in w] == [
        "green.residual_national",
        "green.factor_illustrative",
        "green.factor_older_than_data",
    ]
    avg, res, w = select_factors()
    assert (avg.year, avg.value, res.value, w) == (2023, 0.5306, 0.6096, [])
    with pytest.raises(InputError) as err:
        select_factors(2024)
    assert err.value.code == "green.unknown_factor"
    with pytest.raises(InputError) as err:
        analyze_green(_frame(CONS), _pv(), periods=PERIODS_OF_CONS, target_share=1.2)
    assert err.value.code == "green.bad_target"


def test_monthly_table_and_typical_day() -> None:
    b = pv_balance(_frame(CONS), _pv())
    m = monthly_table(b)
    assert list(m["month"]) == ["2025-03"]
    assert m.loc[0, "self_kwh"] == 29_000
    assert m.loc[0, "self_sufficiency_ratio"] == pytest.approx(29 / 35)
    d = typical_day_kw(b)
    assert list(d["time"]) == ["10:30", "10:45", "11:00", "11:15"]
    assert list(d["load_kw"]) == [40_000, 80_000, 20_000, 0]  # kWh × 4
    assert list(d["pv_kw"]) == [16_000, 100_000, 20_000, 12_000]


def test_temperature_section_adds_up() -> None:
    r = analyze_green(_frame(CONS), _pv(), periods=PERIODS_OF_CONS, target_share=0.9, prices=PRICES)
    temp = green_temperature(r)
    sec = green_temperature_section(temp)
    # renewable = renewable_share_now, what is held — own self-consumed PV 29000 / 35000, not
    # the 0.9 target (w .35); hourly 34/35 (w .20); peak avoidance 1.0 (w .20); Σw = 0.75:
    # (0.35 × 29/35 + 0.20 × 34/35 + 0.20) / 0.75 × 100 = (0.29 + 0.194286 + 0.2) / 0.75 × 100
    expected = (0.35 * 29 / 35 + 0.20 * 34 / 35 + 0.20 * 1.0) / 0.75 * 100  # = 91.238…
    assert sec["score"] == pytest.approx(expected)
    assert set(sec["components"]) == {"renewable_share", "hourly_matching", "peak_avoidance"}
    total = math.fsum(c["weight"] * c["value"] * 100 for c in sec["components"].values())
    assert total == pytest.approx(sec["score"], abs=1e-9)
