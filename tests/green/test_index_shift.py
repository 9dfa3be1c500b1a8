"""The load-shift component of the Green Temperature is present whenever analyze() solved a
shift scenario (it used to be silently absent: analyze() never passed the scenario on)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.analysis import analyze
from analytics.iotools.load import ImportOptions, read_load
from analytics.iotools.production import read_production
from analytics.production import ShiftOptions
from analytics.tou.tariff import get_tariff

TZ = "Asia/Shanghai"
PRE = get_tariff("jiangsu_large_industrial_1_10kv_pre2025")


def _day(run: tuple[str, str]):
    # one working day, hourly: 100 kW base + a 300 kW movable run of line A
    idx = pd.date_range("2025-03-04", periods=24, freq="60min", tz=TZ)
    on = (idx >= pd.Timestamp(run[0], tz=TZ)) & (idx < pd.Timestamp(run[1], tz=TZ))
    kw = np.where(on, 400.0, 100.0)
    csv = "timestamp,energy_kwh\n" + "".join(
        f"{t.strftime('%Y-%m-%d %H:%M')},{v}\n" for t, v in zip(idx, kw, strict=True)
    )
    frame, report = read_load(
        csv.encode(), file_name="load.csv", options=ImportOptions(labels="start")
    )
    runs = f"line,start,end,units,movable\nA,{run[0]},{run[1]},10,True\n"
    production = read_production(runs.encode(), file_name="runs.csv")
    return frame, report, production


def _temp(run: tuple[str, str], run_shift: bool = True):
    frame, report, production = _day(run)
    return analyze(
        frame,
        report,
        tariffs=PRE,
        production=production,
        run_shift=run_shift,
        shift_options=ShiftOptions(earliest="06:00", include_demand=False, line_kw={"A": 300.0}),
    ).temperature


def test_a_run_the_optimum_moves_gives_zero_realised() -> None:
    # the 18:00–20:00 peak run moves to the 06:00 valley: shifted 600 of 600 kWh movable
    # → realised = 1 − 600 / 600 = 0, and the component is present with its weight
    t = _temp(("2025-03-04 18:00", "2025-03-04 20:00"))
    assert t.components["shift_realised"].value == pytest.approx(0.0)


def test_a_run_already_in_the_valley_is_fully_realised() -> None:
    # 00:00–02:00 is valley already: nothing moves → realised = 1 − 0 / 600 = 1
    t = _temp(("2025-03-04 00:00", "2025-03-04 02:00"))
    assert t.components["shift_realised"].value == 1.0
    assert sum(c.points for c in t.components.values()) == t.score


def test_no_scenario_no_component() -> None:
    t = _temp(("2025-03-04 18:00", "2025-03-04 20:00"), run_shift=False)
    assert "shift_realised" not in t.components
