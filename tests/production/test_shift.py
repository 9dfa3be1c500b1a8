"""Load-shift optimiser: hand-solved optima and a property test of its constraints.

Prices (Jiangsu 大工业 1–10 kV before 2025-06-01, a March working day): valley 00:00–08:00
0.38283, peak 08:00–11:00 and 17:00–22:00 0.95674, flat 11:00–17:00 and 22:00–24:00 0.6401
CNY/kWh; demand charge 40 CNY/kW·month.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.iotools.frame import make_frame
from analytics.iotools.production import read_production
from analytics.production.metrics import align
from analytics.production.shift import ShiftOptions, interval_prices, optimise_shift
from analytics.tou import classify_periods
from analytics.tou.engine import bill
from analytics.tou.tariff import get_tariff

TZ = "Asia/Shanghai"
PRE = get_tariff("jiangsu_large_industrial_1_10kv_pre2025")
PEAK, FLAT, VALLEY = 0.95674, 0.6401, 0.38283


def _case(
    runs: list[tuple[str, str, str, bool]],
    *,
    base_kw: float = 100.0,
    line_kw: dict[str, float],
    day: str = "2025-03-04",
    days: int = 1,
    minutes: int = 60,
):
    idx = pd.date_range(day, periods=days * 24 * 60 // minutes, freq=f"{minutes}min", tz=TZ)
    kw = np.full(len(idx), base_kw)
    rows = ["line,start,end,units,movable"]
    for line, s, e, mov in runs:
        on = (idx >= pd.Timestamp(s, tz=TZ)) & (idx < pd.Timestamp(e, tz=TZ))
        kw[on] += line_kw[line]
        rows.append(f"{line},{s},{e},10,{mov}")
    frame = make_frame(pd.Series(kw * minutes / 60, index=idx), minutes)
    data, _ = read_production("\n".join(rows).encode(), file_name="runs.csv")
    return frame, data, align(frame, data)


def test_interval_prices_match_the_bill() -> None:
    idx = pd.date_range("2025-05-30", periods=96 * 4, freq="15min", tz=TZ)  # spans two versions
    frame = make_frame(pd.Series(np.linspace(1, 50, len(idx)), index=idx), 15)
    tariffs = [PRE, get_tariff("jiangsu_large_industrial_1_10kv_2025_426")]
    price, month, dem = interval_prices(classify_periods(idx, tariffs))
    b = bill(frame, tariffs)
    assert float((price * frame["kwh"]).sum()) == pytest.approx(sum(b.energy_cost_cny.values()))
    assert month.tolist() == [0] * 96 * 2 + [1] * 96 * 2 and dem.tolist() == [40.0, 40.0]


def test_one_run_moves_to_the_valley() -> None:
    # A 300 kW run 18:00–20:00 (peak); working hours from 06:00 → the only cheapest slot is
    # 06:00–08:00 (valley). Saving = 300 kW × 2 h × (0.95674 − 0.38283) = 344.346 CNY.
    frame, data, a = _case(
        [("A", "2025-03-04 18:00", "2025-03-04 20:00", True)], line_kw={"A": 300}
    )
    r = optimise_shift(
        frame,
        data,
        a,
        classify_periods(frame.index, PRE),
        ShiftOptions(earliest="06:00", include_demand=False, line_kw={"A": 300.0}),
    )
    assert r.status == "optimal"
    assert r.moves["new_start"].tolist() == [pd.Timestamp("2025-03-04 06:00", tz=TZ)]
    assert r.saving_cny == pytest.approx(600 * (PEAK - VALLEY))  # 344.346
    assert r.shifted_energy_kwh == 600.0
    assert r.moves["saving_cny"].iloc[0] == pytest.approx(344.346)
    assert r.old_peak_kw == 400.0 and r.new_peak_kw == 400.0


def test_two_runs_of_one_line_share_the_valley_without_overlap() -> None:
    # Runs of 2 h (18–20) and 1 h (09–10) on line A; hours from 05:00 leave a 3-h valley
    # 05–08 that holds both back to back: saving = 300 × 3 × (0.95674 − 0.38283) = 516.519.
    frame, data, a = _case(
        [
            ("A", "2025-03-04 18:00", "2025-03-04 20:00", True),
            ("A", "2025-03-04 09:00", "2025-03-04 10:00", True),
        ],
        line_kw={"A": 300},
    )
    r = optimise_shift(
        frame,
        data,
        a,
        classify_periods(frame.index, PRE),
        ShiftOptions(earliest="05:00", include_demand=False, line_kw={"A": 300.0}),
    )
    assert r.saving_cny == pytest.approx(900 * (PEAK - VALLEY))
    new = r.schedule.sort_values("start")
    assert new["start"].min() == pd.Timestamp("2025-03-04 05:00", tz=TZ)
    assert new["end"].max() == pd.Timestamp("2025-03-04 08:00", tz=TZ)
    assert (new["start"].iloc[1:].to_numpy() >= new["end"].iloc[:-1].to_numpy()).all()


def test_demand_charge_keeps_the_run_out_of_the_busy_valley() -> None:
    # Fixed line B draws 500 kW 00:00–08:00, so the valley already peaks at 600 kW. Moving A
    # (300 kW, 18–20) there saves 344.35 CNY of energy but adds 300 kW × 40 = 12,000 CNY of
    # demand charge; the flat hours (100 kW base) take it without raising the peak:
    # saving = 600 kWh × (0.95674 − 0.6401) = 189.984 CNY.
    runs = [
        ("A", "2025-03-04 18:00", "2025-03-04 20:00", True),
        ("B", "2025-03-04 00:00", "2025-03-04 08:00", False),
    ]
    frame, data, a = _case(runs, line_kw={"A": 300, "B": 500})
    opts = ShiftOptions(line_kw={"A": 300.0, "B": 500.0})
    r = optimise_shift(frame, data, a, classify_periods(frame.index, PRE), opts)
    assert r.saving_cny == pytest.approx(600 * (PEAK - FLAT))
    assert r.new_peak_kw == 600.0
    # without the demand charge but with a 650 kW cap: the same answer, for the cap's sake
    r2 = optimise_shift(
        frame,
        data,
        a,
        classify_periods(frame.index, PRE),
        ShiftOptions(line_kw={"A": 300.0, "B": 500.0}, include_demand=False, peak_cap_kw=650),
    )
    assert r2.saving_cny == pytest.approx(600 * (PEAK - FLAT))
    # neither: the energy-only optimum is the valley (344.346 − 12,000 CNY on the bill), so the
    # bill would rise and the original schedule is kept
    r3 = optimise_shift(
        frame,
        data,
        a,
        classify_periods(frame.index, PRE),
        ShiftOptions(line_kw={"A": 300.0, "B": 500.0}, include_demand=False),
    )
    assert r3.moves.empty and r3.saving_cny == 0.0 and r3.new_peak_kw == 600.0
    assert set(r3.notes) == {"shift.no_saving"}


def test_estimated_line_power_from_the_load() -> None:
    frame, data, a = _case(
        [
            ("A", "2025-03-04 18:00", "2025-03-04 20:00", True),
            ("B", "2025-03-04 09:00", "2025-03-04 12:00", False),
        ],
        line_kw={"A": 300, "B": 200},
    )
    r = optimise_shift(
        frame, data, a, classify_periods(frame.index, PRE), ShiftOptions(include_demand=False)
    )
    assert r.line_kw == pytest.approx({"A": 300.0, "B": 200.0})
    assert "shift.line_power_estimated" in r.notes


def test_nothing_movable() -> None:
    frame, data, a = _case(
        [("A", "2025-03-04 18:00", "2025-03-04 20:00", False)], line_kw={"A": 300}
    )
    r = optimise_shift(
        frame, data, a, classify_periods(frame.index, PRE), ShiftOptions(line_kw={"A": 300.0})
    )
    assert r.status == "nothing_to_move" and r.saving_cny == 0.0 and r.moves.empty
    assert set(r.notes) == {"shift.no_movable_runs"}


@st.composite
def _instances(draw):
    days = draw(st.integers(1, 2))
    n = days * 24
    runs = []
    for line in ("A", "B"):
        t = draw(st.integers(0, 6))
        for _ in range(draw(st.integers(0, 3))):
            length = draw(st.integers(1, 5))
            gap = draw(st.integers(0, 6))
            s = t + gap
            if s + length > n:
                break
            runs.append((line, s, s + length, draw(st.booleans())))
            t = s + length
    line_kw = {
        "A": draw(st.sampled_from([100.0, 250.0])),
        "B": draw(st.sampled_from([80.0, 300.0])),
    }
    lo = draw(st.integers(0, 12))
    hi = draw(st.integers(lo + 1, 24))
    return dict(
        days=days,
        runs=runs,
        line_kw=line_kw,
        window=draw(st.integers(0, 1)),
        earliest=f"{lo:02d}:00",
        latest=f"{hi:02d}:00",
        cap=draw(st.one_of(st.none(), st.sampled_from([200.0, 400.0, 600.0]))),
        demand=draw(st.booleans()),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_instances())
def test_property_constraints_hold_and_cost_never_rises(inst) -> None:
    day0 = pd.Timestamp("2025-03-04", tz=TZ)
    runs = [
        (
            ln,
            f"{day0 + pd.Timedelta(hours=s):%Y-%m-%d %H:%M}",
            f"{day0 + pd.Timedelta(hours=e):%Y-%m-%d %H:%M}",
            mov,
        )
        for ln, s, e, mov in inst["runs"]
    ]
    if not runs:
        return
    frame, data, a = _case(runs, line_kw=inst["line_kw"], days=inst["days"])
    opts = ShiftOptions(
        window_days=inst["window"],
        earliest=inst["earliest"],
        latest=inst["latest"],
        peak_cap_kw=inst["cap"],
        include_demand=inst["demand"],
        line_kw=inst["line_kw"],
    )
    r = optimise_shift(frame, data, a, classify_periods(frame.index, PRE), opts)
    # cost never rises (the bill of the shifted load, energy + demand)
    assert r.new_cost_cny <= r.old_cost_cny + 1e-6
    sched = r.schedule
    lo, hi = int(inst["earliest"][:2]), int(inst["latest"][:2])
    for _, run in sched[sched["moved"]].iterrows():
        orig = data.segments.loc[data.segments["row"] == run["row"]].iloc[0]
        # window: within ± window_days of the original day
        d_new0 = (run["start"].normalize() - orig["start"].normalize()).days
        d_new1 = (
            (run["end"] - pd.Timedelta(minutes=1)).normalize() - orig["start"].normalize()
        ).days
        assert -inst["window"] <= d_new0 and d_new1 <= inst["window"]
        # working hours: every hour the run occupies is in [lo, hi)
        hours = pd.date_range(run["start"], run["end"], freq="1h", inclusive="left").hour
        assert ((hours >= lo) & (hours + 1 <= hi)).all()
        assert run["end"] - run["start"] == orig["end"] - orig["start"]
    # no overlap between runs of one line
    for _, g in sched.groupby("line"):
        g = g.sort_values("start")
        assert (g["start"].iloc[1:].to_numpy() >= g["end"].iloc[:-1].to_numpy()).all()
    # peak cap: never above max(cap, old load)
    if inst["cap"] is not None:
        old_kw = frame["kwh"].to_numpy()
        new_kw = r.new_kwh.to_numpy()
        assert (new_kw <= np.maximum(inst["cap"], old_kw) + 1e-6).all()


# --------------------------------------------------------------------------- physical validity
def test_moved_power_is_bounded_by_the_load_it_leaves() -> None:
    # Base 100 kW; line A really draws 50 kW 17:00–19:00 (load 150 kW there), fixed line B
    # 300 kW 12:00–14:00 (load 400 kW, the day's peak). The given line power of A, 400 kW,
    # exceeds the 150 kW metered where A runs: unbounded, its old hours would fall to
    # 150 − 400 = −250 kW. Bounded: f = 150 / 400 = 0.375, P_r = 400 × 0.375 = 150 kW (a hair
    # less, 1e-12 relative), so A moves 2 h × 150 kW = 300 kWh to the nearest valley slot,
    # 06:00–08:00 (new load 250 kW < the 400 kW peak: no demand rise).
    # Saving = 300 × (0.95674 − 0.38283) = 300 × 0.57391 = 172.173 CNY.
    frame, data, a = _case(
        [
            ("A", "2025-03-04 17:00", "2025-03-04 19:00", True),
            ("B", "2025-03-04 12:00", "2025-03-04 14:00", False),
        ],
        line_kw={"A": 50, "B": 300},
    )
    r = optimise_shift(
        frame,
        data,
        a,
        classify_periods(frame.index, PRE),
        ShiftOptions(include_demand=False, line_kw={"A": 400.0, "B": 300.0}),
    )
    assert "shift.line_power_bounded" in r.notes
    assert r.line_kw["A"] == 400.0  # the line's power as given; the run moves only 150 kW
    assert r.moves["new_start"].tolist() == [pd.Timestamp("2025-03-04 06:00", tz=TZ)]
    assert r.moves["energy_kwh"].iloc[0] == pytest.approx(300.0, rel=1e-9)
    assert r.saving_cny == pytest.approx(300 * (PEAK - VALLEY), rel=1e-9)  # 172.173
    new = r.new_kwh.to_numpy()
    assert new.min() >= 0.0
    assert new[17] == pytest.approx(0.0, abs=1e-6) and new[18] == pytest.approx(0.0, abs=1e-6)
    assert new[6] == pytest.approx(250.0) and new[7] == pytest.approx(250.0)
    assert abs(new.sum() - frame["kwh"].sum()) <= 1e-9  # energy conserved
    assert r.new_peak_kw == 400.0


def test_runs_of_two_lines_sharing_an_interval_share_its_load() -> None:
    # A (given 300 kW) and C (given 100 kW) both run 18:00–19:00; the meter shows 100 + 20 +
    # 20 = 140 kW there. Together they ask 400 kW of 140: f = 140 / 400 = 0.35, so A moves
    # 105 kW and C 35 kW — exactly the 140 kW the interval holds, none below zero. Both go to
    # the valley (100 + 140 = 240 kW < fixed B's 400 kW peak 12:00–14:00: no demand rise).
    frame, data, a = _case(
        [
            ("A", "2025-03-04 18:00", "2025-03-04 19:00", True),
            ("C", "2025-03-04 18:00", "2025-03-04 19:00", True),
            ("B", "2025-03-04 12:00", "2025-03-04 14:00", False),  # 400 kW: the day's peak
        ],
        line_kw={"A": 20, "C": 20, "B": 300},
    )
    r = optimise_shift(
        frame,
        data,
        a,
        classify_periods(frame.index, PRE),
        ShiftOptions(include_demand=False, line_kw={"A": 300.0, "C": 100.0, "B": 300.0}),
    )
    e = dict(zip(r.moves["line"], r.moves["energy_kwh"], strict=True))
    assert e["A"] == pytest.approx(105.0, rel=1e-9) and e["C"] == pytest.approx(35.0, rel=1e-9)
    new = r.new_kwh.to_numpy()
    assert new.min() >= 0.0 and new[18] == pytest.approx(0.0, abs=1e-6)
    assert abs(new.sum() - frame["kwh"].sum()) <= 1e-9


@st.composite
def _overdrawn(draw):
    hours = 24
    base = draw(st.lists(st.floats(0.0, 200.0), min_size=hours, max_size=hours))
    runs = []
    for k in range(draw(st.integers(1, 4))):
        s = draw(st.integers(0, hours - 1))
        e = draw(st.integers(s + 1, min(hours, s + 6)))
        runs.append((f"L{k}", s, e))
    given = {f"L{k}": draw(st.floats(1.0, 5_000.0)) for k in range(len(runs))}
    return base, runs, given


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_overdrawn())
def test_property_new_load_never_negative_and_energy_conserved(inst) -> None:
    # any load (0–200 kW), any runs, line power up to 5,000 kW (mostly far above the load):
    # min(new load) ≥ 0 and Σ new = Σ old within 1e-9 kWh
    base, runs, given = inst
    idx = pd.date_range("2025-03-04", periods=24, freq="60min", tz=TZ)
    frame = make_frame(pd.Series(base, index=idx), 60)
    rows = ["line,start,end,units,movable"]
    for ln, s, e in runs:
        rows.append(
            f"{ln},{idx[s]:%Y-%m-%d %H:%M},{(idx[0] + pd.Timedelta(hours=e)):%Y-%m-%d %H:%M},1,True"
        )
    data, _ = read_production("\n".join(rows).encode(), file_name="runs.csv")
    r = optimise_shift(
        frame,
        data,
        align(frame, data),
        classify_periods(frame.index, PRE),
        ShiftOptions(include_demand=False, line_kw=given, time_limit_s=5.0),
    )
    new = r.new_kwh.to_numpy()
    assert new.min() >= 0.0
    assert abs(new.sum() - float(frame["kwh"].sum())) <= 1e-9


def test_the_shift_is_priced_by_the_chosen_source() -> None:
    # The same 300 kW run 18:00–20:00, but priced by a price series: 0.5 CNY/kWh every hour
    # except 12:00–14:00 at −0.1 (a midday negative spot price). The TOU valley (06–08) is
    # no longer the cheapest: the run moves to 12:00–14:00.
    # Saving = 300 kW × 2 h × (0.5 − (−0.1)) = 360 CNY (the demand charge is unchanged: the
    # peak stays 400 kW and the series prices energy only).
    from analytics.tou import PriceSeries, PriceSource, source_prices

    frame, data, a = _case(
        [("A", "2025-03-04 18:00", "2025-03-04 20:00", True)], line_kw={"A": 300}
    )
    periods = classify_periods(frame.index, PRE)
    hours = frame.index.hour
    series = PriceSeries(
        prices=pd.Series(np.where((hours >= 12) & (hours < 14), -0.1, 0.5), index=frame.index),
        step_minutes=60,
        file_name="spot.csv",
        source=PriceSource("series", "spot.csv", "test", None, None, "test"),
    )
    price, kind = source_prices(frame, periods, series=series)
    r = optimise_shift(
        frame,
        data,
        a,
        periods,
        ShiftOptions(earliest="06:00", include_demand=False, line_kw={"A": 300.0}),
        energy_price_cny_per_kwh=price,
        priced_by=kind,
    )
    assert r.priced_by == "series" and r.status == "optimal" and r.mip_gap <= 1e-4
    assert r.moves["new_start"].tolist() == [pd.Timestamp("2025-03-04 12:00", tz=TZ)]
    assert r.saving_cny == pytest.approx(600 * 0.6)  # 360 CNY
    # old bill = Σ kWh × series price + the TOU bill's demand charge
    old_energy = float((frame["kwh"].to_numpy() * price).sum())
    demand = bill(frame, periods=periods).demand_charge_cny
    assert r.old_cost_cny == pytest.approx(old_energy + demand)
    # default unchanged: TOU prices move it to the valley
    tou = optimise_shift(
        frame,
        data,
        a,
        periods,
        ShiftOptions(earliest="06:00", include_demand=False, line_kw={"A": 300.0}),
    )
    assert tou.priced_by == "agency_tou"
    assert tou.moves["new_start"].tolist() == [pd.Timestamp("2025-03-04 06:00", tz=TZ)]


@pytest.mark.parametrize(
    ("floor", "saving"),
    [
        # no floor: energy 600 kWh × (0.95674 − 0.38283) = 344.346 + demand 300 kW × 40 = 12,000
        (None, 344.346 + 12_000.0),
        # 500 kW already paid this month: only 700 → 500 counts, 200 kW × 40 = 8,000
        ({"2025-03": 500.0}, 344.346 + 8_000.0),
        # 700 kW already paid: lowering the peak saves nothing, only the energy moves pay
        ({"2025-03": 700.0}, 344.346),
    ],
)
def test_the_months_paid_peak_is_a_floor(floor, saving) -> None:
    # Lines A (movable) and B (fixed), 300 kW each, both 18:00–20:00 on 100 kW base: peak
    # 700 kW. Moving A to the valley 06:00–08:00 leaves a 400 kW peak.
    frame, data, a = _case(
        [
            ("A", "2025-03-04 18:00", "2025-03-04 20:00", True),
            ("B", "2025-03-04 18:00", "2025-03-04 20:00", False),
        ],
        line_kw={"A": 300, "B": 300},
    )
    r = optimise_shift(
        frame,
        data,
        a,
        classify_periods(frame.index, PRE),
        ShiftOptions(
            earliest="06:00",
            include_demand=True,
            line_kw={"A": 300.0, "B": 300.0},
            demand_floor_kw=floor,
        ),
    )
    assert r.status == "optimal" and r.mip_gap <= 1e-4
    assert r.moves["new_start"].tolist() == [pd.Timestamp("2025-03-04 06:00", tz=TZ)]
    assert r.saving_cny == pytest.approx(saving, abs=1e-3)
