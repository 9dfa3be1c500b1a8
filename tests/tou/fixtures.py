"""Shared helpers of the TOU tests: preset ids and frames at given local times."""

from __future__ import annotations

import pandas as pd

from analytics.iotools.frame import make_frame
from analytics.tou.engine import classify

TZ = "Asia/Shanghai"


JS_OLD = "jiangsu_large_industrial_1_10kv_pre2025"


JS_426 = "jiangsu_large_industrial_1_10kv_2025_426"


def frame_at(points: dict[str, float], minutes: int = 15):
    """A canonical frame with kWh at the given local start times; every other interval NaN."""
    idx = pd.DatetimeIndex(list(points), tz=TZ)
    return make_frame(pd.Series(list(points.values()), index=idx, dtype=float), minutes)


def periods_at(times: list[str], tariff) -> list[str]:
    return classify(pd.DatetimeIndex(times, tz=TZ), tariff).tolist()


# A small tariff whose every number is easy to check by hand.
TEST_TOML = """
id = "test_tou"
name = "Test"
province = "Test"
user_class = "large_industrial_two_part"
voltage = "1-10kV"
valid_from = 2020-01-01
source = "test"
source_url = "https://example.org/test"
confidence = "U"
illustrative = false

[[season]]
name = "all"
months = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
windows = [
  { period = "valley", start = "22:00", end = "06:00" },
  { period = "flat", start = "06:00", end = "08:00" },
  { period = "peak", start = "08:00", end = "11:30" },
  { period = "flat", start = "11:30", end = "22:00" },
]

[[sharp_peak]]
months = [7]
windows = [{ start = "10:00", end = "11:00" }]

[[holiday_rule]]
days = "statutory_holidays"
windows = [{ period = "deep_valley", start = "10:00", end = "14:00" }]

[[holiday_rule]]
days = "rest_days"
period = "valley"

[prices]
sharp = 1.5
peak = 1.2
flat = 0.7
valley = 0.3
deep_valley = 0.1

[charges]
demand_cny_per_kw_month = 40.0
capacity_cny_per_kva_month = 30.0
"""
