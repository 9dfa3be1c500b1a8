"""Reactive-energy columns beside the active energy (the load importer)."""

from __future__ import annotations

import csv
import math
from pathlib import Path

from analytics.iotools import ImportOptions, read_load
from tests.conftest import TEST_DATA
from tests.importer_fixtures import stamps, write_text

UCI = TEST_DATA / "uci_steel_industry_2018_15min.csv"


def test_chinese_active_and_reactive_energy(tmp_path: Path) -> None:
    times = stamps("2025-01-06 00:00", 8)
    lines = ["数据时间,正向有功总电量(kWh),正向无功总电量(kvarh),反向无功总电量(kvarh),功率因数"]
    lines += [f"{t:%Y-%m-%d %H:%M},{10 + i},{4 + i},1,0.9" for i, t in enumerate(times)]
    frame, rep = read_load(write_text(tmp_path / "meter.csv", lines))
    assert rep.value_column == "正向有功总电量(kWh)"  # the active column is still the value
    assert rep.reactive_columns == {
        "kvarh_lag": "正向无功总电量(kvarh)",
        "kvarh_lead": "反向无功总电量(kvarh)",
    }
    # 4 + 5 + … + 11 = 60 kvarh lagging; 8 × 1 = 8 leading; active 10 + … + 17 = 108 kWh
    assert frame["kwh"].sum() == 108.0
    assert frame["kvarh_lag"].sum() == 60.0 and frame["kvarh_lead"].sum() == 8.0
    assert rep.warning_codes == set()


def test_reactive_power_in_kvar_is_turned_into_kvarh(tmp_path: Path) -> None:
    times = stamps("2025-01-06 00:00", 4)
    lines = ["timestamp,Active power (kW),Reactive power (kvar)"]
    lines += [f"{t:%Y-%m-%d %H:%M},100,48" for t in times]
    frame, rep = read_load(write_text(tmp_path / "scada.csv", lines))
    # 15-minute intervals: 100 kW × 0.25 h = 25 kWh; 48 kvar × 0.25 h = 12 kvarh
    assert list(frame["kwh"]) == [25.0] * 4 and list(frame["kvarh_lag"]) == [12.0] * 4
    assert "kvarh_lead" not in frame.columns


def test_a_reactive_cell_that_is_not_a_number_is_empty_and_reported(tmp_path: Path) -> None:
    times = stamps("2025-01-06 00:00", 4)
    lines = ["时间,电量,无功电量"] + [
        f"{t:%Y-%m-%d %H:%M},1,{v}" for t, v in zip(times, ["1", "x", "1", "1"], strict=True)
    ]
    frame, rep = read_load(write_text(tmp_path / "m.csv", lines), options=ImportOptions(unit="kWh"))
    assert frame["kvarh_lag"].isna().tolist() == [False, True, False, False]
    w = next(w for w in rep.warnings if w.code == "import.reactive_non_numeric")
    assert (w.count, w.first_rows) == (1, (3,))


def test_a_register_keeps_only_the_active_energy(tmp_path: Path) -> None:
    times = stamps("2025-01-06 00:00", 10)
    lines = ["时间,正向有功表码,无功表码"] + [
        f"{t:%Y-%m-%d %H:%M},{1000 + 5 * i},{500 + i}" for i, t in enumerate(times)
    ]
    frame, rep = read_load(write_text(tmp_path / "reg.csv", lines))
    assert list(frame.columns) == ["kwh"] and "import.reactive_ignored" in rep.warning_codes


def test_the_uci_steel_year_keeps_both_reactive_columns() -> None:
    with UCI.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    lag = math.fsum(float(r["Lagging_Current_Reactive_Power_kVarh"]) for r in rows)
    lead = math.fsum(float(r["Leading_Current_Reactive_Power_kVarh"]) for r in rows)
    frame, rep = read_load(UCI, options=ImportOptions(tz="Asia/Seoul"))
    assert rep.value_column == "Usage_kWh"
    assert set(rep.reactive_columns) == {"kvarh_lag", "kvarh_lead"}
    assert math.isclose(float(frame["kvarh_lag"].sum()), lag, rel_tol=1e-12)  # 456,759.84
    assert math.isclose(float(frame["kvarh_lead"].sum()), lead, rel_tol=1e-12)  # 135,638.04
    assert round(lag, 2) == 456_759.84 and round(lead, 2) == 135_638.04
