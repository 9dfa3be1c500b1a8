"""A flat tariff and small frames with reactive energy for the bill tests (hand-computable)."""

from __future__ import annotations

import pandas as pd

from analytics.iotools import make_frame
from analytics.tou import Tariff, load_tariff

#: 0.50 CNY/kWh all day (B 0.40 × 1.0 + A 0.10), demand 40 CNY/kW·month, capacity 30 CNY/kVA·month.
FLAT_TOML = """
id = "flat_test"
name = "Flat test tariff"
name_zh = "测试单一电价"
province = "Test"
user_class = "large_industrial_two_part"
voltage = "1-10kV"
valid_from = 2018-01-01
source = "test fixture"
source_url = "https://example.org/flat"
confidence = "U"
illustrative = true

[[season]]
name = "all_year"
months = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
windows = [{ period = "flat", start = "00:00", end = "24:00" }]

[pricing]
base_cny_per_kwh = 0.40
adder_cny_per_kwh = 0.10
ratios = { flat = 1.0 }

[charges]
demand_cny_per_kw_month = 40.0
capacity_cny_per_kva_month = 30.0
"""


def flat_tariff() -> Tariff:
    return load_tariff(FLAT_TOML)


def hourly_frame(months: dict[str, tuple[float, float]], tz: str = "Asia/Shanghai") -> pd.DataFrame:
    """Whole calendar months of hourly intervals; per month ``(kwh, kvarh_lag)`` spread evenly
    over its hours (so every interval of the month has the same kW)."""
    parts = []
    for month, (kwh, kvarh) in months.items():
        start = pd.Timestamp(f"{month}-01", tz=tz)
        idx = pd.date_range(start, start + pd.offsets.MonthBegin(1), freq="1h", inclusive="left")
        n = len(idx)
        parts.append(pd.DataFrame({"kwh": kwh / n, "kvarh_lag": kvarh / n}, index=idx))
    df = pd.concat(parts)
    frame = make_frame(df["kwh"], 60)
    frame["kvarh_lag"] = df["kvarh_lag"].reindex(frame.index)
    return frame


__all__ = ["FLAT_TOML", "flat_tariff", "hourly_frame"]
