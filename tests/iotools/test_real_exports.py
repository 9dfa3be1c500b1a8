"""Real exports nobody on the project wrote, read with no option (tests/data/README.md)."""

from __future__ import annotations

import csv
import math

import pandas as pd

from analytics.iotools import read_load
from tests.conftest import TEST_DATA

UCI = TEST_DATA / "uci_steel_industry_2018_15min.csv"


def test_the_uci_steel_year_imports_with_every_kwh() -> None:
    with UCI.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    usage_kwh = math.fsum(float(r["Usage_kWh"]) for r in rows)
    frame, report = read_load(UCI)
    # 365 days × 96 = 35,040 end-labelled rows: 01/01/2018 00:15 closes 00:00–00:15 and the
    # last row, 31/12/2018 00:00, closes the year's final interval 23:45–24:00 (day-first dates)
    assert len(rows) == 35_040 == report.intervals
    assert report.missing_intervals == 0
    assert (report.label_convention, report.dayfirst, report.interval_minutes) == ("end", True, 15)
    assert (report.time_column, report.value_column) == ("date", "Usage_kWh")
    assert frame.index[0] == pd.Timestamp("2018-01-01 00:00", tz="Asia/Shanghai")
    assert frame.index[-1] == pd.Timestamp("2018-12-31 23:45", tz="Asia/Shanghai")
    assert math.isclose(float(frame["kwh"].sum()), usage_kwh, rel_tol=1e-12)  # 959,636.71 kWh
    assert round(usage_kwh, 2) == 959_636.71
