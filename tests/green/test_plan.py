"""The green plan: one call for procurement, footprint, factors used, ETS label and CBAM."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.green.plan import PlanOptions, green_plan, plan_sections
from analytics.green.potential import analyze_green
from analytics.iotools import make_frame
from analytics.tou import classify_periods, default_tariffs_for


@pytest.fixture(scope="module")
def two_june_days():
    # a flat 400 kW load for two June days (96 × 2 intervals of 100 kWh), no PV on site
    idx = pd.date_range("2025-06-02", periods=192, freq="15min", tz="Asia/Shanghai")
    frame = make_frame(pd.Series(np.full(192, 100.0), index=idx), 15)
    periods = classify_periods(frame.index, default_tariffs_for(frame))
    return analyze_green(frame, None, periods=periods, target_share=0.3), periods


def test_plan_sections_by_hand(two_june_days) -> None:
    green, periods = two_june_days
    plan = green_plan(
        green, periods, PlanOptions(industry="cement", cbam_goods="cement", goods_t=100.0)
    )
    doc = plan_sections(plan)
    g = doc["green"]
    # product footprint: grid import 19,200 kWh (no PV) × (0.5777 + 0.0327) / 1000 = 11.71968 t
    assert g["product_footprint"]["factor_t_per_mwh"] == pytest.approx(0.6104)
    assert g["product_footprint"]["grid_electricity_co2e_t"] == pytest.approx(11.71968)
    assert [f["purpose"] for f in g["factors_used"]] == [
        "location",
        "market_residual",
        "product_footprint",
        "product_footprint",
        "cbam",
    ]
    assert g["scope2_ets"]["label"] == "not_counted_by_national_ets"
    p = g["procurement"]
    assert p["meets_target"] and p["hours"] == 48
    assert p["total_cost_cny"] <= p["gec_only_cost_cny"]
    # CBAM: 19,200 kWh / 1000 × 0.5306 = 10.18752 t for 100 t of cement → 0.1018752 t/t
    c = doc["cbam"]
    assert c["indirect_emissions_t"] == pytest.approx(10.18752)
    assert c["specific_indirect_t_per_t"] == pytest.approx(0.1018752)
    # the 绿电直连 scenario: the direct line's kWh at factor 0 (650号 ratios met)
    sc = c["direct_line_scenario"]
    scen = plan.direct_line_scenario
    dl = scen.instrument("direct_line")
    assert scen.direct_line_chosen and sc["linked_kwh"] == pytest.approx(dl.kwh)
    assert dl.kwh >= 0.3 * 19_200 - 1e-6 and dl.kwh >= 0.6 * dl.generation_kwh - 1e-6
    assert sc["indirect_emissions_t"] == pytest.approx((19_200 - dl.kwh) / 1000 * 0.5306)
    # the matching matrix: 2 days × 24 hours, shares in [0, 1]
    m = plan.matching()
    assert m.shape == (2, 24) and np.nanmax(m.to_numpy()) <= 1 + 1e-9
