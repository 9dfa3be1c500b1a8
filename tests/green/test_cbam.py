"""CBAM indirect emissions and the national-ETS label, by hand."""

from __future__ import annotations

import pytest

from analytics.findings import InputError
from analytics.green.cbam import cbam_indirect, cbam_section, default_markup_share, scope2_ets


def test_cement_2026_by_hand() -> None:
    # 1,000,000 kWh for 10,000 t of cement; factor 0.5306 tCO2/MWh (the MEE/NBS 2023 national
    # average standing in for the EU default): 1,000 MWh × 0.5306 = 530.6 t; 530.6 / 10,000 =
    # 0.05306 t/t; 2026 mark-up 10 %: 0.05306 × 1.1 = 0.058366 t/t
    r = cbam_indirect("cement", 10_000, 1_000_000, data_year=2026)
    s = cbam_section(r)
    assert (s["goods"], s["year"], s["counted"]) == ("cement", 2026, True)
    assert s["electricity_kwh"] == 1_000_000 and s["factor_t_per_mwh"] == 0.5306
    assert s["indirect_emissions_t"] == pytest.approx(530.6)
    assert s["specific_indirect_t_per_t"] == pytest.approx(0.05306)
    assert s["default_markup_share"] == 0.10
    assert s["default_with_markup_t_per_t"] == pytest.approx(0.058366)
    assert s["factor_basis"] == "default_proxy" and s["factor"]["purpose"] == "cbam"
    assert s["actual"] is None and s["direct_line_scenario"] is None
    assert s["notes"] == ["cbam.factor_proxy"]


def test_direct_line_scenario_and_actual_by_hand() -> None:
    # 400,000 kWh of the 1,000,000 through a direct line at factor 0: (1,000 − 400) MWh × 0.5306
    # = 318.36 t; per tonne 0.031836; saving vs default 0.05306 − 0.031836 = 0.021224 t/t;
    # average factor 318.36 / 1,000 MWh = 0.31836
    r = cbam_indirect(
        "fertilisers",
        10_000,
        1_000_000,
        data_year=2027,
        direct_line_kwh=400_000,
        linked_kwh=400_000,
    )
    s = cbam_section(r)
    for case in (s["direct_line_scenario"], s["actual"]):
        assert case["indirect_emissions_t"] == pytest.approx(318.36)
        assert case["specific_indirect_t_per_t"] == pytest.approx(0.031836)
        assert case["saving_vs_default_t_per_t"] == pytest.approx(0.021224)
        assert case["factor_t_per_mwh"] == pytest.approx(0.31836)
    assert s["default_markup_share"] == 0.20 and s["counted"]


def test_only_cement_and_fertilisers_count_and_the_year() -> None:
    for goods in ("steel", "aluminium", "hydrogen"):
        assert not cbam_indirect(goods, 1.0, 1000.0, data_year=2026).counted
    r = cbam_indirect("steel", 1.0, 1000.0, data_year=2025)
    assert r.year == 2026 and {w.code for w in r.warnings} == {
        "cbam.before_definitive_period",
        "cbam.factor_proxy",
    }
    assert [default_markup_share(y) for y in (2025, 2026, 2027, 2028, 2034)] == [
        0.0,
        0.10,
        0.20,
        0.30,
        0.30,
    ]


def test_bad_goods_and_quantity() -> None:
    for args, code in ((("glass", 1.0), "cbam.bad_goods"), (("cement", 0.0), "cbam.bad_goods_t")):
        with pytest.raises(InputError) as e:
            cbam_indirect(*args, 1000.0, data_year=2026)
        assert e.value.code == code


def test_scope2_is_not_counted_by_the_national_ets() -> None:
    assert scope2_ets(None) is None
    steel = scope2_ets("Steel")
    assert steel == {
        "industry": "steel",
        "ets_sector": True,
        "counted_by_national_ets": False,
        "label": "not_counted_by_national_ets",
    }
    assert scope2_ets("aluminum")["ets_sector"] and scope2_ets("cement")["ets_sector"]
    assert scope2_ets("textiles")["label"] == "not_an_ets_sector"
