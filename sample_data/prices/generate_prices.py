"""Generate the ILLUSTRATIVE, SYNTHETIC hourly price series of the demo (2025, CNY/kWh).

Not a market price: a seeded shape made up for the demo, read as an **all-in** price (energy
plus transmission, funds and fees, so that it compares with the agency TOU bill): a flat
level, a morning and an evening peak, a midday solar dip (deepest on spring and autumn
weekends) and noise. A real spot price is the energy part only; add the rest (a package's
adder) before comparing it with a TOU bill.
Run ``python sample_data/prices/generate_prices.py`` to rewrite the CSV files beside it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent


def hourly_series(seed: int = 2025) -> pd.DataFrame:
    """Hourly synthetic prices for 2025 [CNY/kWh] (illustrative)."""
    rng = np.random.default_rng(seed)
    idx = pd.date_range("2025-01-01 00:00", "2025-12-31 23:00", freq="h")
    hour = idx.hour.to_numpy()
    month = idx.month.to_numpy()
    weekend = idx.day_of_week.to_numpy() >= 5
    base = 0.70
    peaks = 0.12 * np.exp(-((hour - 9) ** 2) / 4.0) + 0.30 * np.exp(-((hour - 19) ** 2) / 5.0)
    solar = np.where(np.isin(month, (3, 4, 5, 9, 10)), 0.34, 0.20)
    dip = solar * np.exp(-((hour - 12.5) ** 2) / 5.0) * np.where(weekend, 1.45, 1.0)
    night = -0.14 * ((hour <= 5) | (hour >= 23))
    price = base + peaks - dip + night + rng.normal(0.0, 0.025, len(idx))
    return pd.DataFrame(
        {"time": idx.strftime("%Y-%m-%d %H:%M"), "price_cny_per_kwh": price.round(4)}
    )


def main() -> None:
    hourly_series().to_csv(HERE / "hourly_price_2025_illustrative.csv", index=False)


if __name__ == "__main__":
    main()
