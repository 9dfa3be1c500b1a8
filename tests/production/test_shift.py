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
