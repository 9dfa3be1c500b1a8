"""Alignment, production metrics and the clock check on generated factories and the sample."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analytics.iotools.load import ImportOptions, read_load
from analytics.iotools.production import read_production
from analytics.production.metrics import align, clock_check, production_metrics, spread
from analytics.tou.engine import classify, default_tariffs_for
from analytics.tou.tariff import PERIODS
from tests.conftest import SAMPLE
from tests.production_factory import TZ, factory

# Three days, one line: 400 kW on top of a 100 kW base, 2 kWh per unit.
RUNS_3D = [
    ("L1", "2025-03-03 08:00", "2025-03-03 16:00"),  # 8 h → 400 × 8 / 2 = 1600 units
    ("L1", "2025-03-04 08:00", "2025-03-04 12:00"),  # 4 h → 800 units
    ("L1", "2025-03-05 22:00", "2025-03-06 00:00"),  # 2 h → 400 units (to midnight)
]


def _factory_3d():
    frame, csv = factory(
        RUNS_3D, days=3, base_kw=100, line_kw={"L1": 400}, kwh_per_unit={"L1": 2.0}
    )
    data, prod_report = read_production(csv, file_name="runs.csv")
    assert prod_report.warnings == []
    return frame, data


def test_spread_is_exact_on_the_grid_and_pro_rates_off_it() -> None:
    # 4 intervals of 900 s; window 0–1800 s with 10 units → 5, 5; window 1350–2250 → half/half
    out = spread(
        4, 900.0, np.array([0.0, 1350.0]), np.array([1800.0, 2250.0]), np.array([10.0, 6.0])
    )
    assert out.tolist() == [5.0, 5.0 + 3.0, 3.0, 0.0]
    # time overlap [s]: a window reaching outside the grid counts only inside
    assert spread(2, 900.0, np.array([-450.0]), np.array([450.0])).tolist() == [450.0, 0.0]


def test_idle_energy_and_sec_recovered_exactly_on_interval_boundaries() -> None:
    frame, data = _factory_3d()
    a = align(frame, data)
    period = classify(frame.index, default_tariffs_for(frame))
    m = production_metrics(frame, a, period, data)
    # energy: base 100 kW × 72 h = 7,200 kWh + line 400 kW × 14 h = 5,600 kWh → 12,800 kWh
    assert m.energy_kwh == 12_800.0
    # units 1600 + 800 + 400 = 2,800 → SEC = 12,800 / 2,800 = 4.571428… kWh/unit
    assert m.units == 2_800.0
    assert m.sec_kwh_per_unit == 12_800.0 / 2_800.0
    # production intervals: 14 h × 4 = 56; idle = 288 − 56 = 232 intervals × 100 kW × 0.25 h
    assert m.production_hours == 14.0 and m.idle_hours == 58.0
    assert m.idle_energy_kwh == 232 * 25.0  # 5,800 kWh
    assert m.idle_share == 5_800.0 / 12_800.0
    assert m.production_energy_kwh == 56 * 125.0  # 500 kW × 0.25 h = 125 kWh per interval
    assert m.base_load_idle_kw == 100.0 and m.base_load_production_kw == 500.0
    assert sum(m.energy_by_period_kwh.values()) == 7_000.0
    assert set(m.energy_by_period_kwh) == set(PERIODS)
    assert sum(m.hours_by_period.values()) == 14.0
    assert m.lines["units"].tolist() == [2_800.0]
    assert m.lines["active_hours"].tolist() == [14.0]
    assert math.isnan(m.lines["sec_kwh_per_unit"].iloc[0])  # no per-line power in a runs file
    assert a.warnings == []


def test_production_energy_by_tou_period_by_hand() -> None:
    # 2025-03-03 (Monday, spring) under Jiangsu 2025 (before 06-01: old periods):
    # only the line's own period split matters; check that the production energy in each
    # period equals 125 kWh × production intervals classified in that period.
    frame, data = _factory_3d()
    a = align(frame, data)
    period = classify(frame.index, default_tariffs_for(frame))
    m = production_metrics(frame, a, period, data)
    prod = a.production.to_numpy()
    for p in PERIODS:
        n = int(((period == p).to_numpy() & prod).sum())
        assert m.energy_by_period_kwh[p] == n * 125.0
        assert m.hours_by_period[p] == n * 0.25


def test_half_interval_rule_and_pro_rated_units() -> None:
    # A 20-minute run 08:00–08:20 (100 units): interval 08:00 fully covered (75 units),
    # 08:15 covered 5 of 15 minutes (< half: idle) with 25 units.
    frame, csv = factory(
        [("L1", "2025-03-03 08:00", "2025-03-03 08:20")],
        days=1,
        base_kw=0,
        line_kw={"L1": 300},
        kwh_per_unit={"L1": 1.0},
    )
    data, _ = read_production(csv, file_name="r.csv")
    a = align(frame, data)
    i = frame.index.get_loc(pd.Timestamp("2025-03-03 08:00", tz=TZ))
    assert a.units.iloc[i : i + 2].tolist() == pytest.approx([75.0, 25.0])
    assert a.production.iloc[i : i + 2].tolist() == [True, False]
    assert {w.code for w in a.warnings} == {"production.off_grid"}


def test_span_mismatch_is_warned() -> None:
    frame, data = _factory_3d()
    late = frame.iloc[: 96 * 2]  # meter ends a day before the last run
    a = align(late, data)
    by = {w.code: w for w in a.warnings}
    assert set(by) == {"production.span_mismatch"}
    assert by["production.span_mismatch"].count == 1  # the 2025-03-05 run
    assert by["production.span_mismatch"].params["units_outside"] == 400.0


def test_per_line_sec_from_a_state_log_power_column() -> None:
    # Two machines, 15-min state rows for 2 h: A 80 kW, 4 items per window (5 kWh/item);
    # B 40 kW, 10 items (1 kWh/item); A runs the first hour, B the whole two hours.
    stamps = pd.date_range("2025-03-03 08:00", periods=8, freq="15min")
    rows = ["time,machine,status,items,power_kw"]
    for k, ts in enumerate(stamps):
        rows.append(
            f"{ts:%Y-%m-%d %H:%M},A,{'run' if k < 4 else 'stop'},{4 if k < 4 else 0},{80 if k < 4 else 0}"
        )
        rows.append(f"{ts:%Y-%m-%d %H:%M},B,run,10,40")
    data, prod_report = read_production("\n".join(rows).encode(), file_name="s.csv")
    assert prod_report.warnings == []
    idx = pd.date_range("2025-03-03", periods=96, freq="15min", tz=TZ)
    frame = pd.DataFrame({"kwh": np.full(96, 30.0)}, index=idx)
    a = align(frame, data)
    m = production_metrics(frame, a, classify(idx, default_tariffs_for(frame)), data)
    lines = m.lines.set_index("line")
    # A: 4 windows × 80 kW × 0.25 h = 80 kWh over 16 items = 5 kWh/item
    assert lines.loc["A", "energy_kwh"] == 80.0 and lines.loc["A", "sec_kwh_per_unit"] == 5.0
    # B: 8 × 40 × 0.25 = 80 kWh over 80 items = 1 kWh/item
    assert lines.loc["B", "sec_kwh_per_unit"] == 1.0


def test_clock_check_finds_a_shifted_schedule() -> None:
    runs = [
        ("L1", f"2025-03-{d:02d} {h:02d}:00", f"2025-03-{d:02d} {h + 3:02d}:00")
        for d in range(3, 10)
        for h in (2, 9, 15)
    ]
    frame, csv = factory(
        runs, days=8, base_kw=100, line_kw={"L1": 500}, kwh_per_unit={"L1": 1.0}, noise=0.02
    )
    data, _ = read_production(csv, file_name="r.csv")
    assert clock_check(frame, align(frame, data)).best_lag_minutes == 0
    # the meter's clock runs 45 min late: the load appears 45 min after the schedule
    shifted = frame.shift(3)
    check = clock_check(shifted, align(shifted, data))
    assert check.best_lag_minutes == 45
    assert check.warning is not None and check.warning.code == "production.clock_offset"
    assert check.warning.params["minutes"] == 45
    assert len(check.correlation) == 17  # ±2 h in 15-min steps


@pytest.fixture(scope="module")
def sample():
    load = SAMPLE / "sunan_load_2025_15min.csv"
    frame, _ = read_load(load, file_name=load.name, options=ImportOptions())
    data, prod_report = read_production(SAMPLE / "sunan_production_runs_2025.csv")
    return frame, data, prod_report.warnings


def test_sample_aligns_clean_with_no_clock_offset(sample) -> None:
    frame, data, warnings = sample
    a = align(frame, data)
    assert warnings == [] and a.warnings == []
    assert a.units.sum() == pytest.approx(data.units)
    assert clock_check(frame, a).best_lag_minutes == 0
    m = production_metrics(frame, a, classify(frame.index, default_tariffs_for(frame)), data)
    # README: L1 447, L2 877, L3 453 runs; idle load well below production load
    assert m.lines["runs"].tolist() == [447, 877, 453]
    assert m.base_load_idle_kw < m.base_load_production_kw
    assert m.energy_by_period_kwh["peak"] > m.energy_by_period_kwh["valley"]


# --------------------------------------------------------------------------- zones (issue 12)
def test_conform_puts_production_times_in_the_loads_zone() -> None:
    from analytics.iotools import ProductionOptions
    from analytics.production.metrics import conform

    csv = b"line,start,end,units\nA,2025-03-03T00:00Z,2025-03-03T02:00Z,8\n"
    data, _ = read_production(csv, options=ProductionOptions(tz="UTC"))
    idx = pd.date_range("2025-03-03", periods=96, freq="15min", tz=TZ)
    frame = pd.DataFrame({"kwh": np.ones(96)}, index=idx)
    c = conform(frame, data)
    # 00:00Z = 08:00 +08:00; the input is untouched; conforming again returns the same object
    assert c.segments["start"].iloc[0].isoformat() == "2025-03-03T08:00:00+08:00"
    assert c.tz == TZ and str(data.segments["start"].dt.tz) == "UTC"
    assert conform(frame, c) is c
    # 8 units over 08:00–10:00 (8 intervals): 1 each in intervals 32–39
    assert np.flatnonzero(align(frame, data).units.to_numpy()).tolist() == list(range(32, 40))
