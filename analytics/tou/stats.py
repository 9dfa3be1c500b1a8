"""Load statistics of a canonical frame (DESIGN "Definitions").

All figures use only the intervals present (``kwh`` not NaN); gaps are never
filled. Power is the interval average ``kw = kwh / interval hours``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from analytics.iotools import interval_minutes, kw

#: Percentile of interval power taken as the base load [%].
BASE_LOAD_PERCENTILE = 5.0


@dataclass(frozen=True)
class LoadStats:
    """Headline load figures.

    Attributes
    ----------
    energy_kwh : float
        Σ kwh over the intervals present [kWh].
    peak_kw : float
        Maximum interval average power [kW].
    peak_at : pandas.Timestamp
        Start of the (first) interval with ``peak_kw``, site local time.
    average_kw : float
        energy_kwh / (intervals present × interval hours) [kW].
    load_factor : float
        average_kw / peak_kw [0–1]; NaN when peak_kw is 0.
    base_load_kw : float
        5th percentile of interval power (numpy ``linear`` method) [kW].
    intervals : int
        Intervals with data.
    """

    energy_kwh: float
    peak_kw: float
    peak_at: pd.Timestamp
    average_kw: float
    load_factor: float
    base_load_kw: float
    intervals: int

    def to_dict(self) -> dict[str, object]:
        d = asdict(self)
        d["peak_at"] = self.peak_at.isoformat()
        d.pop("intervals")
        return d


def load_stats(frame: pd.DataFrame) -> LoadStats:
    """Energy, peak, average, load factor and base load of a canonical frame.

    Parameters
    ----------
    frame : DataFrame
        Canonical frame (tz-aware interval-start index, column ``kwh`` [kWh]).

    Returns
    -------
    LoadStats

    Notes
    -----
    ``average_kw = Σ kwh / (n × h)`` with n intervals present and h the interval
    length in hours; ``load_factor = average_kw / peak_kw``;
    ``base_load_kw = P5(kw)``.
    """
    power_kw = kw(frame).dropna()
    if power_kw.empty:
        raise ValueError("the frame holds no interval with data")
    hours = interval_minutes(frame) / 60.0
    energy_kwh = float(frame["kwh"].sum(skipna=True))
    peak_kw = float(power_kw.max())
    average_kw = energy_kwh / (len(power_kw) * hours)
    return LoadStats(
        energy_kwh=energy_kwh,
        peak_kw=peak_kw,
        peak_at=power_kw.idxmax(),
        average_kw=average_kw,
        load_factor=average_kw / peak_kw if peak_kw > 0 else float("nan"),
        base_load_kw=float(np.percentile(power_kw.to_numpy(), BASE_LOAD_PERCENTILE)),
        intervals=len(power_kw),
    )
