"""Load shapes with hand-computed expectations."""

import numpy as np
import pandas as pd
import pytest

from analytics.iotools.frame import make_frame
from analytics.tou.profiles import day_type_counts, duration_curve_kw, heatmap_kw, typical_days_kw


def _hourly(start: str, values: list[float]) -> pd.DataFrame:
    idx = pd.date_range(start, periods=len(values), freq="1h", tz="Asia/Shanghai")
    return make_frame(pd.Series(values, index=idx), 60)


def test_heatmap_is_date_by_time_of_day() -> None:
    f = _hourly("2025-03-03 00:00", list(range(48)))  # two days, 0..47 kWh per hour = kW
    m = heatmap_kw(f)
    assert m.shape == (2, 24)
    assert m.loc["2025-03-04", "05:00"] == 29.0  # 24 + 5
    assert list(m.columns[:2]) == ["00:00", "01:00"]


def test_typical_days_split_by_chinese_day_type() -> None:
    # 2025-01-25 Sat (rest), 2025-01-26 Sun = official make-up working day, 2025-01-28 除夕 holiday
    days = pd.date_range("2025-01-25", "2025-01-28", freq="1D")
    level = {"2025-01-25": 10.0, "2025-01-26": 30.0, "2025-01-27": 50.0, "2025-01-28": 7.0}
    values = [level[str(d.date())] for d in days for _ in range(24)]
    typ, warnings = typical_days_kw(_hourly("2025-01-25 00:00", values))
    assert warnings == []
    assert list(typ.columns) == ["working", "rest", "holiday"]
    assert typ.loc["12:00", "working"] == pytest.approx(40.0)  # mean of the 26th (30) and 27th (50)
    assert typ.loc["12:00", "rest"] == pytest.approx(10.0)
    assert typ.loc["12:00", "holiday"] == pytest.approx(7.0)


def test_day_type_counts() -> None:
    f = _hourly("2025-01-25 00:00", [1.0] * 24 * 4)
    counts = day_type_counts(f)
    assert counts.to_dict() == {"working": 2, "rest": 1, "holiday": 1}


def test_duration_curve_sorted_with_hours() -> None:
    # 15-min kWh 1, 3, NaN, 2 → kW 4, 12, 8 sorted: 12, 8, 4 at 0.25, 0.5, 0.75 h
    idx = pd.date_range("2025-05-05", periods=4, freq="15min", tz="Asia/Shanghai")
    f = make_frame(pd.Series([1.0, 3.0, np.nan, 2.0], index=idx), 15)
    d = duration_curve_kw(f)
    assert d["kw"].tolist() == [12.0, 8.0, 4.0]
    assert d["hours"].tolist() == [0.25, 0.5, 0.75]
    assert d["share"].iloc[-1] == 1.0
