"""Least-cost procurement: hand-solved cases, a brute-force grid, scipy's MILP, the sample year."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from analytics.findings import InputError
from analytics.green.procurement import (
    HourlyProfiles,
    _build,
    default_params,
    gec_only_cost_cny,
    hourly_profiles,
    matching_matrix,
    procure,
    procurement_defaults,
    procurement_section,
    solve_procurement,
)

TZ = "Asia/Shanghai"


def _profiles(c, y, price=0.0, pv=None) -> HourlyProfiles:
    n = len(c)
    return HourlyProfiles(
        hour_start=pd.date_range("2025-06-01", periods=n, freq="h", tz=TZ),
        consumption_kwh=np.asarray(c, dtype=float),
        pv_kwh=np.zeros(n) if pv is None else np.asarray(pv, dtype=float),
        yield_kwh_per_kwp=np.asarray(y, dtype=float),
        price_cny_per_kwh=np.broadcast_to(np.asarray(price, dtype=float), (n,)).copy(),
    )


def _params(**kw):
    base = dict(
        gec_cny_per_certificate=300.0,
        green_premium_cny_per_kwh=1.0,
        feed_in_cny_per_kwh=0.0,
        pv_lcoe_cny_per_kwh=0.2,
        roof_limit_kwp=1500.0,
        direct_line_cny_per_kwh=1.0,
        direct_line_max_mw=0.0,
    )
    return default_params(**(base | kw))


def test_two_hours_pv_and_gecs_by_hand() -> None:
    # c = [1000, 3000] kWh, E = 4000; new PV yields y = [0, 1] kWh/kWp; grid price and feed-in 0,
    # so PV costs λ = 0.2 CNY per kWh generated; a GEC costs 300 CNY (0.3 CNY/kWh).
    # Target 50 % → 2000 kWh. PV only helps in hour 2 (≤ 3000 kWh), roof ≤ 1500 kWp.
    #   x = 1500, n = 1: 300 + 300 = 600 (2500 kWh, overshoots)
    #   x = 1000, n = 1: 200 + 300 = 500 ← the optimum (exactly 2000 kWh)
    #   x = 0,    n = 2: 600
    prof = _profiles([1000, 3000], [0, 1])
    r = solve_procurement(prof, target_share=0.5, params=_params(offer=("pv_expansion", "gec")))
    pv, gec = r.instrument("pv_expansion"), r.instrument("gec")
    assert pv.capacity == pytest.approx(1000.0) and pv.kwh == pytest.approx(1000.0)
    assert pv.cost_cny == pytest.approx(200.0) and pv.unit_cost_cny_per_kwh == pytest.approx(0.2)
    assert gec.count == 1 and gec.cost_cny == pytest.approx(300.0)
    assert r.total_cost_cny == pytest.approx(500.0) and r.meets_target
    assert r.renewable_share == pytest.approx(0.5)
    # hourly matched: PV 1000 kWh in hour 2 → 1000 / 4000
    assert r.hourly_matched_share == pytest.approx(0.25)
    # duals of the LP with n continuous: x = 1500, n = 0.5 (cost 450); the marginal kWh of the
    # target is a GEC's 0.3 CNY; one more kWp replaces 1 kWh of GEC by PV: 0.3 − 0.2 = 0.1 CNY
    sp = {s.constraint: s for s in r.shadow_prices}
    assert sp["annual_target"].cost_cny_per_unit == pytest.approx(0.3)
    assert sp["roof_limit"].cost_cny_per_unit == pytest.approx(0.1)
    assert set(sp) == {"annual_target", "roof_limit"}
    assert r.total_cost_cny <= r.gec_only_cost_cny == 600.0


def test_three_hours_green_power_against_gec_by_hand() -> None:
    # c = [2000, 2000, 2000] kWh, no PV; premium 0.2 CNY/kWh, GEC 300 CNY → 0.3 CNY/kWh.
    # Target 50 % of 6000 = 3000 kWh. Premium 0.19 < 0.3 per kWh: all green power,
    # 3000 × 0.19 = 570 CNY (n = 3 GECs would cost 900, n = 2 + 1000 kWh 600 + 190 = 790).
    prof = _profiles([2000, 2000, 2000], [0, 0, 0])
    p = _params(green_premium_cny_per_kwh=0.19, offer=("green_power", "gec"))
    r = solve_procurement(prof, target_share=0.5, params=p)
    assert r.instrument("green_power").kwh == pytest.approx(3000.0)
    assert r.total_cost_cny == pytest.approx(570.0)
    # with the premium at 0.31 a kWh of green power is dearer than a GEC's 0.3: n = 3, 900 CNY
    r = solve_procurement(
        prof,
        target_share=0.5,
        params=_params(green_premium_cny_per_kwh=0.31, offer=("green_power", "gec")),
    )
    assert r.instrument("gec").count == 3 and r.total_cost_cny == pytest.approx(900.0)


def _brute_force(prof: HourlyProfiles, p, target_share: float, step_kwp: float) -> float:
    """Min cost over a kWp grid × every GEC count, the continuous rest filled greedily.

    For fixed x and n the remaining choice (how much self-consumed PV u_h ≤ min(y_h x, r_h) and
    green power g ≤ Σr − Σu to take) is a fractional knapsack: take every negative-cost kWh, then
    the cheapest until the target is met — independent of the LP code.
    """
    r = prof.residual_kwh
    y = prof.yield_kwh_per_kwp
    energy = prof.energy_kwh
    need0 = target_share * energy - float(prof.existing_matched_kwh.sum())
    best = math.inf
    n_max = max(0, math.ceil(need0 / 1000.0))
    for x in np.arange(0.0, p.roof_limit_kwp + 1e-9, step_kwp):
        cap = np.minimum(y * x, r)
        # exported PV earns min(f, π_h): exporting never beats self-consuming
        f_h = np.minimum(p.feed_in_cny_per_kwh, prof.price_cny_per_kwh)
        unit_u = f_h - prof.price_cny_per_kwh
        base = (p.pv_lcoe_cny_per_kwh * float(y.sum()) - float((f_h * y).sum())) * x
        for n in range(n_max + 1):
            need = need0 - 1000.0 * n
            cost = base + n * p.gec_cny_per_certificate
            items = sorted(
                [(unit_u[h], cap[h], "u") for h in range(len(r))]
                + [(p.green_premium_cny_per_kwh, float(r.sum()), "g")]
            )
            used = 0.0
            room = float(r.sum())  # Σu + g ≤ Σr
            for unit, amount, _ in items:
                take = min(amount, room)
                if unit >= 0:
                    take = min(take, max(0.0, need - used))
                if take <= 0:
                    continue
                cost += unit * take
                used += take
                room -= take
            if used + 1e-6 >= need:
                best = min(best, cost)
    return best


@pytest.mark.parametrize("target", [0.2, 0.5, 0.8])
def test_lp_equals_a_brute_force_grid(target: float) -> None:
    # four hours (hour 3 priced below the feed-in price); every break-point of the LP in x is a multiple of 10 kWp:
    # r_h / y_h = 1500/0.5 = 3000 is beyond the roof, 600/1 = 600, 900/0.3 = 3000
    prof = _profiles(
        [1200, 600, 900, 1300], [0.0, 1.0, 0.3, 0.5], price=[0.3, 0.7, 0.05, 0.4], pv=[0, 0, 0, 0]
    )
    p = _params(
        gec_cny_per_certificate=250.0,
        green_premium_cny_per_kwh=0.3,
        feed_in_cny_per_kwh=0.1,
        pv_lcoe_cny_per_kwh=0.45,
        roof_limit_kwp=800.0,
        offer=("pv_expansion", "green_power", "gec"),
    )
    r = solve_procurement(prof, target_share=target, params=p)
    assert r.meets_target
    assert r.total_cost_cny == pytest.approx(_brute_force(prof, p, target, 10.0), abs=1e-6)


def _milp_cost(prof, p, target_share, hourly_target=None) -> float:
    """The optimum of the same model by scipy's MILP, proved exactly (``mip_rel_gap`` = 0).

    HiGHS stops by default at a relative gap of 1e-4; with the hourly-shortfall penalty in the
    objective (M = 1,000 CNY/kWh × a shortfall of ~1,000 kWh ≈ 1e6 CNY) that gap is ~110 CNY,
    more than the difference between two GEC counts, so the default "optimum" can be dearer
    than :func:`solve_procurement`'s — the reference would be wrong, not the solver.
    """
    energy = prof.energy_kwh
    m0 = float(prof.existing_matched_kwh.sum())
    m = _build(
        prof,
        p,
        target_kwh=target_share * energy - m0,
        hourly_kwh=None if hourly_target is None else hourly_target * energy - m0,
        direct="auto",
    )
    res = milp(
        m.c,
        constraints=LinearConstraint(m.a, -np.inf, m.b),
        integrality=m.integrality,
        bounds=Bounds(m.lb, m.ub),
        options={"mip_rel_gap": 0.0},
    )
    assert res.status == 0
    return float(res.fun)


def test_hourly_shortfall_penalty_does_not_hide_a_cheaper_gec_count() -> None:
    # The counterexample hypothesis found. c = [100, 100, 100, 1907] kWh, E = 2207 kWh; y = 0, so
    # neither new PV nor the direct line (q = 1000·y = 0) can produce anything.
    # Annual target 62.5 % × 2207 = 1379.375 kWh by green power (0.5 CNY/kWh) and GECs (300 each):
    #   n = 0: 1379.375 × 0.5                =   689.6875
    #   n = 1: 300 + (1379.375 − 1000) × 0.5 =   489.6875  ← the optimum
    #   n = 2: 600 (= GECs alone, ceil(1.379375) = 2)
    # Hourly target 50 % × 2207 = 1103.5 kWh: only physical instruments count, none can, so all
    # of it is shortfall, 1103.5 × 1000 CNY/kWh = 1,103,500 → objective 1,103,989.6875.
    # scipy's MILP with its default 1e-4 relative gap stopped at n = 2 (1,104,100; gap 110.31 CNY
    # = 0.99991e-4 of the objective); proved exactly it agrees with the solver.
    c = [100.0, 100.0, 100.0, 1907.0]
    prof = _profiles(c, np.zeros(4), price=np.linspace(0.3, 0.9, 4))
    p = _params(
        direct_line_max_mw=5.0,
        direct_line_cny_per_kwh=0.0,
        green_premium_cny_per_kwh=0.5,
        feed_in_cny_per_kwh=0.2,
        pv_lcoe_cny_per_kwh=0.35,
        roof_limit_kwp=2000.0,
    )
    r = solve_procurement(prof, target_share=0.625, params=p, hourly_target=0.5)
    assert r.instrument("gec").count == 1
    assert r.instrument("green_power").kwh == pytest.approx(379.375)
    assert r.instrument("pv_expansion").kwh == 0.0 and r.instrument("direct_line").kwh == 0.0
    assert r.total_cost_cny == pytest.approx(489.6875)
    assert r.gec_only_cost_cny == pytest.approx(600.0) and r.total_cost_cny <= r.gec_only_cost_cny
    assert r.hourly_shortfall_kwh == pytest.approx(1103.5) and not r.meets_target
    assert r.renewable_share == pytest.approx(0.625)
    objective = r.total_cost_cny + 1000.0 * r.hourly_shortfall_kwh
    assert objective == pytest.approx(1_103_989.6875)
    assert _milp_cost(prof, p, 0.625, 0.5) == pytest.approx(1_103_989.6875, abs=1e-4)


@settings(max_examples=60, deadline=None, derandomize=True)
@example(
    c=[100.0, 100.0, 100.0, 1907.0],
    y_scale=0.0,
    target=0.625,
    dl_price=0.0,
    premium=0.5,
    hourly=0.5,
)
@given(
    c=st.lists(st.floats(100.0, 3000.0), min_size=4, max_size=8),
    y_scale=st.floats(0.0, 1.2),
    target=st.floats(0.0, 1.0),
    dl_price=st.floats(0.0, 1.0),
    premium=st.floats(0.0, 0.5),
    hourly=st.one_of(st.none(), st.floats(0.0, 0.6)),
)
def test_never_dearer_than_gecs_alone_and_close_to_milp(
    c, y_scale, target, dl_price, premium, hourly
) -> None:
    n = len(c)
    y = y_scale * np.sin(np.linspace(0, np.pi, n + 2)[1:-1])
    prof = _profiles(c, y, price=np.linspace(0.3, 0.9, n))
    p = _params(
        direct_line_max_mw=5.0,
        direct_line_cny_per_kwh=dl_price,
        green_premium_cny_per_kwh=premium,
        feed_in_cny_per_kwh=0.2,
        pv_lcoe_cny_per_kwh=0.35,
        roof_limit_kwp=2000.0,
    )
    r = solve_procurement(prof, target_share=target, params=p, hourly_target=hourly)
    assert r.feasible and r.renewable_share + 1e-9 >= target
    if hourly is None:
        # GECs alone are a feasible point of the same model
        assert r.total_cost_cny <= r.gec_only_cost_cny + 1e-6
        assert r.gec_only_cost_cny == gec_only_cost_cny(target * prof.energy_kwh, 300.0)
    # scipy's MILP minimises the same objective (the hourly shortfall's penalty included): the
    # direct-line binary is exact, whole GECs within one certificate's price of the optimum
    objective = r.total_cost_cny + p.hourly_shortfall_penalty_cny_per_kwh * r.hourly_shortfall_kwh
    # with an hourly target, GECs alone leave the whole hourly gap as penalised shortfall
    gap_h = 0.0 if hourly is None else max(0.0, hourly * prof.energy_kwh)
    gecs_alone = r.gec_only_cost_cny + p.hourly_shortfall_penalty_cny_per_kwh * gap_h
    assert objective <= gecs_alone + 1e-6 * max(1.0, gecs_alone)
    best = _milp_cost(prof, p, target, hourly)
    assert best - 1e-4 <= objective <= best + p.gec_cny_per_certificate + 1e-4
    dl = r.instrument("direct_line")
    if r.direct_line_chosen and dl.generation_kwh > 0:
        # 650号: ≥ 60 % of the generation self-used, ≥ 30 % of total consumption
        assert dl.kwh >= 0.6 * dl.generation_kwh - 1e-6
        assert dl.kwh >= 0.3 * prof.energy_kwh - 1e-6
    else:
        assert dl.kwh == pytest.approx(0.0, abs=1e-6)


def test_direct_line_by_hand_binary_rule() -> None:
    # two hours c = [1000, 1000], y = [1, 1] kWh/kWp → q = 1000 kWh/MW per hour; grid price 1,
    # direct line 0.5 → each direct kWh saves 0.5 CNY. No roof. W_max = 0.4 MW:
    # v_h ≤ 1000·w ≤ 400 → Σv ≤ 800 ≥ 30 % × 2000 = 600 ✓, self-use 100 % ≥ 60 %.
    # Optimum w = 0.4, Σv = 800, cost −400; target 40 % = 800 kWh met with no GEC.
    prof = _profiles([1000, 1000], [1, 1], price=1.0)
    p = _params(roof_limit_kwp=0.0, direct_line_cny_per_kwh=0.5, direct_line_max_mw=0.4)
    r = solve_procurement(prof, target_share=0.4, params=p)
    dl = r.instrument("direct_line")
    assert r.direct_line_chosen and dl.capacity == pytest.approx(0.4)
    assert dl.kwh == pytest.approx(800.0) and dl.cost_cny == pytest.approx(-400.0)
    assert r.instrument("gec").count == 0 and r.total_cost_cny == pytest.approx(-400.0)
    # W_max = 0.25 MW: Σv ≤ 500 < 600 (the 30 % rule) → no direct line; target 800 kWh by
    # 1 GEC (300 CNY)
    r = solve_procurement(
        prof, target_share=0.4, params=p.__class__(**{**p.__dict__, "direct_line_max_mw": 0.25})
    )
    assert not r.direct_line_chosen and r.instrument("direct_line").kwh == pytest.approx(0.0)
    assert r.total_cost_cny == pytest.approx(300.0)
    # forced, it is infeasible and says so
    forced = solve_procurement(
        prof,
        target_share=0.4,
        params=p.__class__(**{**p.__dict__, "direct_line_max_mw": 0.25}),
        direct_line="force",
    )
    assert not forced.feasible and not forced.meets_target


def test_hourly_target_counts_only_physical_instruments() -> None:
    # c = [1000, 1000]; PV y = [0, 1]: at most 1000 kWh matched in hour 2 → 50 % hourly at most.
    # Hourly target 40 % → 800 kWh PV (x = 800 kWp, 160 CNY); GECs do not count hour by hour.
    prof = _profiles([1000, 1000], [0, 1])
    p = _params(offer=("pv_expansion", "gec"))
    r = solve_procurement(prof, target_share=0.0, hourly_target=0.4, params=p)
    assert r.meets_target and r.hourly_matched_share == pytest.approx(0.4)
    assert r.instrument("pv_expansion").capacity == pytest.approx(800.0)
    assert r.total_cost_cny == pytest.approx(160.0)
    # 70 % hourly is out of reach: 1000 kWh at most, 400 kWh short, reported
    r = solve_procurement(prof, target_share=0.0, hourly_target=0.7, params=p)
    assert not r.meets_target and r.hourly_shortfall_kwh == pytest.approx(400.0)
    assert procurement_section(r)["penalised"] is True


def test_hourly_profiles_sum_within_the_hour_and_weight_the_price() -> None:
    idx = pd.date_range("2025-06-01", periods=8, freq="15min", tz=TZ)
    c = pd.Series([1.0, 1.0, 2.0, np.nan, 4.0, 4.0, 4.0, 4.0], index=idx)
    price = pd.Series([1.0, 1.0, 0.25, 9.0, 0.5, 0.5, 0.5, 1.0], index=idx)
    y = pd.Series(0.1, index=idx)
    prof = hourly_profiles(c, yield_kwh_per_kwp=y, price_cny_per_kwh=price, pv_kwh=y * 10)
    # hour 0: 1 + 1 + 2 = 4 kWh (the NaN interval left out with its PV); price (1 + 1 + 0.5)/4
    # = 0.625; hour 1: 16 kWh, price (2 + 2 + 2 + 4)/16 = 0.625
    assert list(prof.consumption_kwh) == [4.0, 16.0]
    assert prof.price_cny_per_kwh == pytest.approx([0.625, 0.625])
    assert prof.yield_kwh_per_kwp == pytest.approx([0.3, 0.4])
    assert prof.pv_kwh == pytest.approx([3.0, 4.0])
    with pytest.raises(InputError) as e:
        hourly_profiles(c * 0, yield_kwh_per_kwp=y, price_cny_per_kwh=price)
    assert e.value.code == "procurement.no_energy"


def test_bad_inputs_are_input_errors() -> None:
    prof = _profiles([1000], [1])
    for kw, code in (
        ({"target_share": 1.5}, "green.bad_target"),
        ({"target_share": 0.3, "hourly_target": -0.1}, "procurement.bad_hourly_target"),
    ):
        with pytest.raises(InputError) as e:
            solve_procurement(prof, **kw)
        assert e.value.code == code
    with pytest.raises(InputError) as e:
        default_params(roof_limit_kwp=-1.0)
    assert e.value.code == "procurement.bad_parameter"


def test_every_parameter_is_sourced() -> None:
    for key, d in procurement_defaults().items():
        assert d["source"].strip() and d["confidence"] in {"C1", "C2", "C3", "U"}, key
        assert d["illustrative"] or d["confidence"] in {"C1", "C2"}, key
    d = procurement_defaults()
    # 650号 ratios, market-2026.md §3.6 (C2)
    assert d["direct_self_use_min"]["value"] == 0.6 and d["direct_consumption_min"]["value"] == 0.3


def test_matching_matrix_by_hand() -> None:
    idx = pd.date_range("2025-06-01 23:00", periods=2, freq="h", tz=TZ)
    prof = HourlyProfiles(idx, np.array([100.0, 0.0]), np.zeros(2), np.zeros(2), np.zeros(2))
    m = matching_matrix(prof, np.array([25.0, 0.0]))
    assert list(m.index) == ["2025-06-01", "2025-06-02"] and list(m.columns) == list(range(24))
    assert m.loc["2025-06-01", 23] == 0.25  # 25 / 100
    assert np.isnan(m.loc["2025-06-02", 0])  # no consumption
    assert m.loc["2025-06-01"].iloc[:23].isna().all()


@pytest.fixture(scope="module")
def sample():
    from analytics.green.potential import analyze_green
    from analytics.iotools.load import ImportOptions, read_load
    from analytics.iotools.pv import read_pv
    from analytics.tou import classify_periods, default_tariffs_for
    from tests.conftest import SAMPLE

    load, _ = read_load(SAMPLE / "sunan_load_2025_15min.csv", options=ImportOptions())
    pv, _ = read_pv(SAMPLE / "sunan_pv_2025_15min.csv", options=ImportOptions())
    periods = classify_periods(load.index, default_tariffs_for(load))
    return analyze_green(load, pv, periods=periods, target_share=0.3), periods


@pytest.mark.slow
def test_sample_year_mix(sample) -> None:
    from analytics.green.pv import cities

    g, periods = sample
    w = cities()["wuxi"]
    r, _ = procure(
        g.balance.intervals,
        periods=periods,
        target_share=0.6,
        lat=w.lat,
        lon=w.lon,
        specific_yield_kwh_per_kwp=w.yield_kwh_per_kwp,
        held_kwh=g.balance.pv_self_consumed_kwh,
    )
    assert r.meets_target and r.renewable_share == pytest.approx(0.6, abs=1e-3)
    assert r.total_cost_cny <= r.gec_only_cost_cny
    assert len(r.profiles.consumption_kwh) == 8760
    pv = r.instrument("pv_expansion")
    assert pv.capacity <= 1000.0 + 1e-6 and pv.kwh <= pv.generation_kwh + 1e-6
    dl = r.instrument("direct_line")
    if r.direct_line_chosen:  # 650号 on the sample year: ≥ 60 % self-use, ≥ 30 % of consumption
        assert dl.kwh >= 0.6 * dl.generation_kwh - 1e-3
        assert dl.kwh >= 0.3 * r.profiles.energy_kwh - 1e-3
    m = matching_matrix(r.profiles, r.matched_kwh)
    assert m.shape == (365, 24)
    assert float(np.nanmax(m.to_numpy())) <= 1.0 + 1e-9
    sec = procurement_section(r)
    assert [i["kind"] for i in sec["instruments"]] == list(
        ("pv_expansion", "direct_line", "green_power", "gec")
    )
    assert sec["total_cost_cny"] == pytest.approx(sum(i["cost_cny"] for i in sec["instruments"]))
    # the existing PV matched hour by hour is ≥ the 15-min self-consumption (netting in the hour)
    assert float(r.profiles.existing_matched_kwh.sum()) >= g.balance.pv_self_consumed_kwh - 1e-6
