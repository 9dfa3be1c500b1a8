"""Holdings, GEC validity and prices by vintage, target defaults, PV self-use compliance, and
the Green Temperature from what is held — every figure hand-computed."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.findings import InputError
from analytics.green.certificates import (
    gec_price_cny,
    gec_status,
    load_gec_prices,
    valid_through,
)
from analytics.green.holdings import (
    GecLot,
    Holdings,
    evaluate_holdings,
    lot_valid_through,
    read_gec_holdings,
)
from analytics.green.index import green_temperature, shift_realised_share
from analytics.green.potential import GreenPrices, analyze_green, green_section
from analytics.green.targets import resolve_target, target_default
from analytics.iotools.frame import make_frame
from analytics.tou import classify_periods
from analytics.tou.engine import bill
from analytics.tou.tariff import get_tariff

# the four valley intervals of tests/green/test_potential.py: energy 35,000 kWh, PV 37,000,
# self-consumed min(c, pv) = 4000 + 20000 + 5000 + 0 = 29,000, exported 8,000
IDX = pd.date_range("2025-03-03 10:30", periods=4, freq="15min", tz="Asia/Shanghai")
CONS = [10_000.0, 20_000.0, 5_000.0, 0.0]
PV = pd.Series([4_000.0, 25_000.0, 5_000.0, 3_000.0], index=IDX)
PRICES = GreenPrices(5.0, 0.03, 0.4)
TARIFF = get_tariff("jiangsu_large_industrial_1_10kv_2025_426")
PERIODS = classify_periods(IDX, TARIFF)
LOAD = make_frame(pd.Series(CONS, index=IDX), 15)


def _green(**kw):
    kw.setdefault("prices", PRICES)
    kw.setdefault("factor_year", 2023)
    return analyze_green(LOAD, kw.pop("pv", PV), periods=PERIODS, **kw)


# --------------------------------------------------------------------------- validity


@pytest.mark.parametrize(
    ("vintage", "year", "status"),
    [
        (2025, 2025, "valid"),  # current vintage
        (2024, 2025, "valid"),  # previous vintage
        (2026, 2025, "future"),  # not produced yet for 2025
        (2024, 2026, "expired"),  # 2024-12 + 23 months = 2026-11 < 2026-12
        (2023, 2025, "valid"),  # pre-2024 vintages extended to the end of 2025
        (2020, 2025, "valid"),
        (2023, 2026, "expired"),  # the extension ended 2025-12
        (2025, 2026, "valid"),
        (2025, 2027, "expired"),
    ],
)
def test_gec_status_by_vintage(vintage: int, year: int, status: str) -> None:
    assert gec_status(vintage, year) == status


def test_valid_through_is_24_months_from_the_production_month() -> None:
    assert valid_through(2024, 1) == (2025, 12)  # 2024-01 … 2025-12 = 24 months
    assert valid_through(2025, 3) == (2027, 2)
    assert valid_through(2025) == (2027, 11)  # unknown month: December 2025 + 23 months
    assert valid_through(2023, 6) == (2025, 12)  # the pre-2024 extension
    assert lot_valid_through(GecLot(1, 2025, "wind", 7)) == "2027-06"


def test_the_rule_depends_on_the_vintage_year_only() -> None:
    # valid on 31 December of Y  ⇔  valid_through ≥ (Y, 12), for every production month
    for year in (2025, 2026, 2027):
        for vintage in range(2024, year + 1):
            for month in range(1, 13):
                on_dec_31 = valid_through(vintage, month) >= (year, 12)
                assert on_dec_31 == (gec_status(vintage, year) == "valid"), (vintage, month)


# --------------------------------------------------------------------------- holdings


def test_evaluate_holdings_hand_computed() -> None:
    lots = (GecLot(3, 2026), GecLot(2, 2025), GecLot(4, 2024), GecLot(5, 2027))
    h = evaluate_holdings(
        Holdings(green_purchased_kwh=1_000.0, gec_lots=lots, reporting_year=2026),
        energy_kwh=35_000,
        pv_self_consumed_kwh=29_000,
        data_year=2025,
    )
    # 2026: vintages 2025 and 2026 valid (3 + 2 = 5), 2024 expired (4), 2027 future (5)
    assert (h.gec_held, h.gec_valid, h.gec_expired, h.gec_future) == (14, 5, 4, 5)
    assert h.gec_valid_kwh == 5_000
    # held = 29000 (own PV) + 1000 (bought) + 5000 (GECs) = 35000 → share now 1.0
    assert h.held_kwh == 35_000 and h.renewable_share_now == 1.0
    assert [(w.code, w.count) for w in h.warnings] == [
        ("green.gec_expired", 4),
        ("green.gec_future_vintage", 5),
    ]


def test_third_party_pv_does_not_count() -> None:
    h = evaluate_holdings(
        Holdings(pv_owner="third_party"),
        energy_kwh=35_000,
        pv_self_consumed_kwh=29_000,
        data_year=2025,
    )
    assert h.pv_counted_kwh == 0 and h.renewable_share_now == 0.0


def test_analyze_green_with_holdings_hand_computed() -> None:
    hold = Holdings(green_purchased_kwh=500.0, gec_lots=(GecLot(1, 2025), GecLot(7, 2022)))
    r = _green(target_share=0.9, holdings=hold)
    g = green_section(r)
    # 2025 data: 2022 vintage valid via the extension to end-2025 → 8 valid GECs = 8000 kWh
    # held = 29000 + 500 + 8000 = 37500 ≥ 0.9 × 35000 = 31500 → nothing missing
    assert g["holdings"]["gec_valid"] == 8
    assert g["renewable_share_now"] == pytest.approx(37_500 / 35_000)
    assert g["green_purchase_kwh"] == 0.0 and g["gec_count"] == 0
    # smaller holdings: 29000 + 500 + 1000 = 30500; missing 31500 − 30500 = 1000 → 1 GEC
    r = _green(target_share=0.9, holdings=Holdings(500.0, (GecLot(1, 2025),)))
    assert r.green_purchase_kwh == pytest.approx(1_000)
    assert r.gec_count == 1 and r.gec_cost_cny == 5.0
    assert r.renewable_share_now == pytest.approx(30_500 / 35_000)
    assert r.renewable_share == pytest.approx(0.9)  # (30500 + 1000) / 35000
    # market-based: grid import 6000 − (1000 bought for the target + 500 + 1000 held) = 3500
    # → 3.5 MWh × 0.6096 = 2.1336 t
    assert r.co2_market_t == pytest.approx(2.1336)


def test_third_party_pv_raises_the_purchase_and_market_co2() -> None:
    r = _green(target_share=0.9, holdings=Holdings(pv_owner="third_party"))
    # nothing held: 0.9 × 35000 = 31500 to buy → 32 GECs × 5 CNY = 160
    assert r.green_purchase_kwh == pytest.approx(31_500) and r.gec_cost_cny == 160.0
    assert r.renewable_share_now == 0.0
    # market basis: import 6000 + not-owned PV 29000 = 35000 − 31500 covered = 3500 → 2.1336 t
    assert r.co2_market_t == pytest.approx(2.1336)
    # location-based is physical and does not change: 6000 / 1000 × 0.5306
    assert r.co2_location_t == pytest.approx(3.1836)


def test_expired_gecs_warn_with_their_count() -> None:
    r = _green(
        target_share=0.9, holdings=Holdings(gec_lots=(GecLot(3, 2024),), reporting_year=2026)
    )
    codes = {(w.code, w.count) for w in r.warnings}
    assert ("green.gec_expired", 3) in codes
    assert r.holdings.gec_valid == 0


# --------------------------------------------------------------------------- the holdings file


def test_read_gec_holdings_csv(tmp_path) -> None:
    p = tmp_path / "gec.csv"
    p.write_text(
        "count,vintage,project_type\n120,2025-03,centralised_pv\n\n30,2024,wind\n", encoding="utf-8"
    )
    assert read_gec_holdings(p) == (
        GecLot(120, 2025, "centralised_pv", 3),
        GecLot(30, 2024, "wind", None),
    )


def test_read_gec_holdings_chinese_headers_gbk() -> None:
    data = "数量,生产年月,项目类型\n5,2025-11,distributed_pv\n".encode("gbk")
    assert read_gec_holdings(data, file_name="绿证.csv") == (GecLot(5, 2025, "distributed_pv", 11),)


@pytest.mark.parametrize(
    ("text", "code", "row", "column"),
    [
        ("count,vintage\n1,2025\n", "gec_holdings.missing_column", 1, "project_type"),
        ("count,vintage,project_type,price\n", "gec_holdings.unknown_column", 1, "price"),
        ("count,vintage,project_type\n1.5,2025,wind\n", "gec_holdings.bad_count", 2, "count"),
        ("count,vintage,project_type\n0,2025,wind\n", "gec_holdings.bad_count", 2, "count"),
        ("count,vintage,project_type\n3,2025-13,wind\n", "gec_holdings.bad_vintage", 2, "vintage"),
        ("count,vintage,project_type\n3,25,wind\n", "gec_holdings.bad_vintage", 2, "vintage"),
        (
            "count,vintage,project_type\n1,2025,wind\n2,2025,nuclear\n",
            "gec_holdings.bad_project_type",
            3,
            "project_type",
        ),
        ("count,vintage,project_type\n", "gec_holdings.empty", None, None),
        ("", "gec_holdings.empty", None, None),
    ],
)
def test_read_gec_holdings_strict(text: str, code: str, row, column) -> None:
    with pytest.raises(InputError) as e:
        read_gec_holdings(text.encode(), file_name="h.csv")
    assert (e.value.code, e.value.file, e.value.row, e.value.column) == (code, "h.csv", row, column)


def test_read_gec_holdings_bounds() -> None:
    big = b"count,vintage,project_type\n" + b"1,2025,wind\n" * 10_001
    with pytest.raises(InputError) as e:
        read_gec_holdings(big, file_name="h.csv")
    assert e.value.code == "gec_holdings.too_many_rows"
    with pytest.raises(InputError) as e:
        read_gec_holdings(b"x" * (1024 * 1024 + 1), file_name="h.csv")
    assert e.value.code == "import.file_too_large"


# --------------------------------------------------------------------------- prices


def test_gec_price_latest_month_at_or_before() -> None:
    assert float(gec_price_cny(2025, "all", "2025-12")) == 5.22  # Oct 2025 is the latest ≤ Dec
    assert float(gec_price_cny(2025, "all", "2026-01")) == 5.51
    assert float(gec_price_cny(2024, "all", "2026-06")) == 1.25
    assert float(gec_price_cny(2025, "distributed_pv", "2026-01")) == 5.61  # Fudan index
    assert float(gec_price_cny(2025, "wind", "2026-02")) == 5.93  # wind → centralised
    assert float(gec_price_cny(2025, "biomass")) == 4.60  # default: the latest month
    assert gec_price_cny(2025, "all", "2026-01").warnings == ()


def test_gec_price_nearest_with_a_warning() -> None:
    q = gec_price_cny(2025, "all", "2025-01")  # every 2025-vintage row is later: Oct 2025
    assert (q.price_cny, q.month) == (5.22, "2025-10")
    assert [w.code for w in q.warnings] == ["green.gec_price_nearest_month"]
    # centralised has no row before 2026-01: falls back to nothing earlier → the nearest month
    q = gec_price_cny(2025, "centralised", "2025-11")
    assert (q.price_cny, q.month) == (5.93, "2026-01")
    q = gec_price_cny(2027, "all", "2027-12")  # no 2027 vintage: the nearest, 2025
    assert q.vintage == 2025 and q.price_cny == 5.51
    assert [w.code for w in q.warnings] == ["green.gec_price_other_vintage"]
    with pytest.raises(InputError):
        gec_price_cny(2025, "nuclear", "2026-01")
    with pytest.raises(InputError):
        gec_price_cny(2025, "all", "2026-1")


def test_every_price_row_is_sourced_and_the_schema_is_exact() -> None:
    rows = load_gec_prices()
    assert len(rows) == 7
    assert all(r.source and r.confidence in ("C1", "C2", "C3", "U") for r in rows)


def test_missing_gecs_are_priced_at_the_reporting_vintage() -> None:
    r = analyze_green(LOAD, None, periods=PERIODS, target_share=0.3)
    # 2025 data: vintage 2025, December 2025 → the Oct 2025 average 5.22 CNY;
    # 0.3 × 35000 = 10500 kWh → 11 GECs × 5.22 = 57.42 CNY
    assert r.gec_price.vintage == 2025 and r.gec_price.month == "2025-10"
    assert r.gec_count == 11 and r.gec_cost_cny == pytest.approx(57.42)
    r = analyze_green(LOAD, None, periods=PERIODS, target_share=0.3, gec_price_month="2026-01")
    assert r.gec_cost_cny == pytest.approx(11 * 5.51)  # = 60.61


# --------------------------------------------------------------------------- targets


def test_target_defaults() -> None:
    d = target_default("Chongqing", "polysilicon", 2025)
    assert (d.share, d.year, d.status) == (0.342, 2025, "monitored")
    d = target_default("Chongqing", "polysilicon", 2026)  # the 2026 indicative weight
    assert (d.share, d.year) == (0.352, 2026)
    d = target_default("Jiangsu", "data_centre_hub", 2025)  # national 80 %
    assert (d.share, d.status) == (0.80, "monitored")
    d = target_default("Jiangsu", "electrolytic_aluminium", 2025)  # assessed, no sourced share
    assert (d.share, d.status, d.year) == (None, "assessed", 2025)
    d = target_default("Qinghai", "electrolytic_aluminium", 2025)  # 669号 via Qinghai's plan
    assert (d.share, d.status, d.confidence) == (0.70, "assessed", "C3")
    assert target_default("Qinghai", "general", 2025).share == 0.70  # the total weight
    d = target_default("Chongqing", None, 2025)  # the city's total weight, no industry rule
    assert (d.share, d.status) == (0.342, "none")
    assert target_default(None, None, 2025).to_dict() == {
        "share": None,
        "year": None,
        "status": "none",
        "source": None,
    }
    assert target_default("Chongqing", "cement", 2024).share is None  # no row before 2025
    with pytest.raises(InputError):
        target_default("Chongqing", "shipbuilding", 2025)


def test_resolve_target() -> None:
    none = target_default(None, None, 2025)
    assert resolve_target(None, none) == (0.3, "assumption")
    assert resolve_target(0.5, none) == (0.5, "user")
    assert resolve_target(None, target_default("Chongqing", "polysilicon", 2025)) == (
        0.342,
        "default",
    )


def test_the_target_default_reaches_the_green_section() -> None:
    g = green_section(_green(target_share=None, province="Chongqing", industry="polysilicon"))
    assert g["target_share"] == 0.342 and g["target_basis"] == "default"
    # 0.342 × 35000 = 11970 < 29000 own PV → nothing missing
    assert g["green_purchase_kwh"] == 0.0
    assert g["target_default"]["status"] == "monitored"
    g = green_section(_green(target_share=None))
    assert (g["target_share"], g["target_basis"]) == (0.3, "assumption")


# --------------------------------------------------------------------------- PV compliance


def test_pv_self_use_compliance() -> None:
    r = _green(target_share=0.3, province="Shandong")
    s = r.self_use
    # 29000 / 37000 = 0.78378 ≥ Shandong's 0.50 (draft)
    assert s.ratio == pytest.approx(29 / 37)
    assert (s.threshold, s.status, s.meets) == (0.5, "draft", True)
    # surplus 8000 kWh, all in the valley: 8000 × the valley price of the tariff in force
    valley = bill(make_frame(pd.Series([1.0, 0, 0, 0], index=IDX), 15), TARIFF).energy_cost_cny[
        "valley"
    ]
    assert s.surplus_kwh == 8_000 and s.surplus_value_cny == pytest.approx(8_000 * valley)
    s = _green(target_share=0.3, province="Jiangsu").self_use
    assert (s.threshold, s.meets, s.range_low, s.range_high) == (None, None, 0.5, 0.9)
    assert _green(target_share=0.3, pv=None).self_use is None


# --------------------------------------------------------------------------- the index


def test_the_index_measures_holdings_not_the_target() -> None:
    # only own PV held: renewable = 29000 / 35000 whatever the target
    for target in (0.3, 0.9, 1.0):
        t = green_temperature(_green(target_share=target))
        assert t.components["renewable_share"].value == pytest.approx(29 / 35)
    # renewable 29/35 (w .35), hourly 34/35 (w .20), peak avoidance 1 (w .20), Σw = .75:
    # (0.29 + 0.194286 + 0.2) / 0.75 × 100 = 91.238°
    assert green_temperature(_green(target_share=1.0)).score == pytest.approx(
        (0.35 * 29 / 35 + 0.20 * 34 / 35 + 0.20) / 0.75 * 100
    )


class _Shift:
    def __init__(self, movable: float, shifted: float, status: str = "optimal") -> None:
        self.movable_energy_kwh, self.shifted_energy_kwh, self.status = movable, shifted, status


def test_shift_realised_share() -> None:
    assert shift_realised_share(_Shift(1_000, 250)) == 0.75  # 1 − 250 / 1000
    assert shift_realised_share(_Shift(1_000, 0, "time_limit")) == 1.0
    assert shift_realised_share(_Shift(0, 0, "nothing_to_move")) is None
    assert shift_realised_share(_Shift(1_000, 0, "infeasible")) is None
    assert shift_realised_share(None) is None


kwh = st.floats(min_value=0.0, max_value=50_000.0, allow_nan=False)
gecs = st.integers(min_value=0, max_value=60)
vintage = st.sampled_from([2022, 2023, 2024, 2025, 2026])
share = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(b1=kwh, b2=kwh, n1=gecs, n2=gecs, v=vintage, owner=st.sampled_from(["self", "third_party"]))
def test_raising_holdings_never_lowers_the_index(b1, b2, n1, n2, v, owner) -> None:
    lo = Holdings(min(b1, b2), (GecLot(min(n1, n2), v),), owner)
    hi = Holdings(max(b1, b2), (GecLot(max(n1, n2), v),), owner)
    t_lo = green_temperature(_green(target_share=0.5, holdings=lo)).score
    t_hi = green_temperature(_green(target_share=0.5, holdings=hi)).score
    assert t_hi >= t_lo


@settings(max_examples=60, deadline=None)
@given(t1=share, t2=share, b=kwh, n=gecs, v=vintage)
def test_changing_the_target_alone_never_changes_the_index(t1, t2, b, n, v) -> None:
    h = Holdings(b, (GecLot(n, v),))
    s1 = green_temperature(_green(target_share=t1, holdings=h)).score
    s2 = green_temperature(_green(target_share=t2, holdings=h)).score
    assert s1 == s2


# --------------------------------------------------------------------------- strict data files


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ('month = "2026-01"\nvintage = 2025\nproject_type = "all"\nprice_cny = 5.5\n'
         'source = "x"\nconfidence = "C1"\nnote = "extra"', "unknown or missing"),
        ('month = "2026-1"\nvintage = 2025\nproject_type = "all"\nprice_cny = 5.5\n'
         'source = "x"\nconfidence = "C1"', "YYYY-MM"),
        ('month = "2026-01"\nvintage = 2025\nproject_type = "wind"\nprice_cny = 5.5\n'
         'source = "x"\nconfidence = "C1"', "project_type"),
        ('month = "2026-01"\nvintage = 2025\nproject_type = "all"\nprice_cny = -1\n'
         'source = "x"\nconfidence = "C1"', "price_cny"),
        ('month = "2026-01"\nvintage = 2025\nproject_type = "all"\nprice_cny = 5.5\n'
         'source = " "\nconfidence = "C1"', "source"),
    ],
)  # fmt: skip
def test_the_price_loader_names_the_entry(tmp_path, row: str, problem: str) -> None:
    p = tmp_path / "gec_prices.toml"
    good = (
        '[[price]]\nmonth = "2025-10"\nvintage = 2024\nproject_type = "all"\nprice_cny = 2.56\n'
        'source = "NEA"\nconfidence = "C1"\n'
    )
    p.write_text(good + "\n[[price]]\n" + row + "\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_gec_prices(p)
    assert e.value.code == "green.data_file_invalid"
    assert e.value.params["entry"] == 2 and problem in e.value.params["problem"]


def test_the_target_loader_rejects_an_unsourced_share(tmp_path) -> None:
    from analytics.green.targets import load_targets

    p = tmp_path / "targets.toml"
    p.write_text(
        '[[target]]\nprovince = "Jiangsu"\nindustry = "steel"\nyear = 2025\nshare = 0.3\n'
        'source = ""\nconfidence = "C2"\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as e:
        load_targets(p)
    assert e.value.params["entry"] == 1 and "source" in e.value.params["problem"]
