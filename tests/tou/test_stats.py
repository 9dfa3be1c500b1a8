"""Load statistics with hand-computed expectations."""

import math

import numpy as np
import pandas as pd
import pytest

from analytics.iotools.frame import make_frame
from analytics.tou.stats import load_stats


def _frame(values: list[float], minutes: int = 15) -> pd.DataFrame:
    idx = pd.date_range(
        "2025-03-03 00:00", periods=len(values), freq=f"{minutes}min", tz="Asia/Shanghai"
    )
    return make_frame(pd.Series(values, index=idx), minutes)


def test_load_stats_on_four_intervals() -> None:
    # kWh per 15 min: 100, 200, 50, 150 → kW = ×4: 400, 800, 200, 600
    s = load_stats(_frame([100.0, 200.0, 50.0, 150.0]))
    assert s.energy_kwh == pytest.approx(500.0)  # 100+200+50+150
    assert s.peak_kw == pytest.approx(800.0)
    assert s.peak_at == pd.Timestamp("2025-03-03 00:15", tz="Asia/Shanghai")
    assert s.average_kw == pytest.approx(500.0)  # 500 kWh / (4 × 0.25 h)
    assert s.load_factor == pytest.approx(0.625)  # 500 / 800
    # P5 of [200, 400, 600, 800], linear: rank 0.05×3 = 0.15 → 200 + 0.15×200 = 230
    assert s.base_load_kw == pytest.approx(230.0)


def test_gaps_are_not_filled() -> None:
    # 60-min data with one missing hour: 10, NaN, 30 kWh
    f = _frame([10.0, np.nan, 30.0], minutes=60)
    s = load_stats(f)
    assert s.energy_kwh == pytest.approx(40.0)
    assert s.intervals == 2
    assert s.average_kw == pytest.approx(20.0)  # 40 kWh / (2 × 1 h), the gap is not counted
    assert s.load_factor == pytest.approx(20.0 / 30.0)


def test_zero_load_has_undefined_load_factor() -> None:
    s = load_stats(_frame([0.0, 0.0]))
    assert s.peak_kw == 0.0
    assert math.isnan(s.load_factor)


def test_empty_frame_is_refused() -> None:
    with pytest.raises(ValueError):
        load_stats(_frame([np.nan, np.nan]))
