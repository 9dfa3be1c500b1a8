"""Load shapes: heat-map matrix, typical days by day type, load duration curve.

All functions take a canonical frame (tz-aware interval-start index in site local
time, ``kwh`` per interval, NaN = missing) and work in local wall time. Missing
intervals stay missing: means are over the intervals present.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.findings import DataWarning
from analytics.iotools import interval_minutes, kw
from analytics.tou.calendar import DAY_TYPES, day_types_with_warnings


def _slot_labels(minutes: int) -> list[str]:
    return [f"{m // 60:02d}:{m % 60:02d}" for m in range(0, 24 * 60, minutes)]


def day_by_slot(values: pd.Series, minutes: int) -> pd.DataFrame:
    """Any per-interval series as a date × time-of-day matrix (local wall time).

    Index: local calendar dates (naive ``datetime64``); columns: ``"HH:MM"`` interval
    starts. On DST days the repeated wall-clock slot keeps its first value and a skipped
    one stays NaN.
    """
    local = pd.DatetimeIndex(values.index).tz_localize(None)
    slot = (local.hour * 60 + local.minute) // minutes
    table = pd.DataFrame({"date": local.normalize(), "slot": slot, "v": values.to_numpy()})
    table = table.drop_duplicates(["date", "slot"])
    matrix = table.pivot(index="date", columns="slot", values="v")
    matrix = matrix.reindex(columns=range(24 * 60 // minutes))
    matrix.columns = _slot_labels(minutes)
    return matrix


def heatmap_kw(frame: pd.DataFrame) -> pd.DataFrame:
    """Interval power as a date × time-of-day matrix [kW] (NaN where missing)."""
    return day_by_slot(kw(frame), interval_minutes(frame))


def typical_days_kw(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[DataWarning]]:
    """Mean power by time of day for each Chinese day type [kW].

    Returns
    -------
    DataFrame
        Index: ``"HH:MM"`` interval starts; columns: the day types present among
        ``"working"``, ``"rest"``, ``"holiday"`` (official 调休 make-up days count as
        working days); values: mean kW over the days of that type.
    list of DataWarning
        From the calendar (``calendar.unofficial_year``).
    """
    matrix = heatmap_kw(frame)
    types, warnings = day_types_with_warnings(matrix.index)
    out = matrix.groupby(types.to_numpy(), observed=True).mean().T
    out = out[[d for d in DAY_TYPES if d in out.columns]]
    out.index.name = "time"
    return out, warnings


def day_type_counts(frame: pd.DataFrame) -> pd.Series:
    """Number of local calendar days of each day type in the frame's span."""
    dates = pd.DatetimeIndex(frame.index.tz_localize(None).normalize().unique())
    types, _ = day_types_with_warnings(dates)
    return types.value_counts().reindex(list(DAY_TYPES), fill_value=0)


def duration_curve_kw(frame: pd.DataFrame) -> pd.DataFrame:
    """Load duration curve: interval power sorted high → low.

    Returns
    -------
    DataFrame
        ``hours`` (cumulative hours at or above this power, the x-axis [h]),
        ``share`` (the same as a share of the intervals present [0–1]) and ``kw``.
    """
    power = kw(frame).dropna().to_numpy()
    hours = interval_minutes(frame) / 60.0
    ordered = np.sort(power)[::-1]
    n = len(ordered)
    rank = np.arange(1, n + 1)
    return pd.DataFrame({"hours": rank * hours, "share": rank / n, "kw": ordered})
