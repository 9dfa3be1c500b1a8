"""The canonical interval frame: the one shape everything downstream trusts.

A canonical frame is a ``pandas.DataFrame`` with

=================  ==========================  ======  ==========================================
name               dtype                       unit    meaning
=================  ==========================  ======  ==========================================
index              DatetimeIndex[ns, site tz]  —       interval **start**, local site time,
                                                       regular ``freq`` (1/5/15/30/60 min),
                                                       complete from first to last interval
``kwh``            float64                     kWh     energy in the interval (≥ 0 for load);
                                                       ``NaN`` = missing interval (a gap is
                                                       never filled)
``kvarh_lag``      float64 (optional)          kvarh   lagging (inductive) reactive energy in the
                                                       interval, when the load file has a reactive
                                                       column (:mod:`analytics.iotools.load`)
``kvarh_lead``     float64 (optional)          kvarh   leading (capacitive) reactive energy, same
=================  ==========================  ======  ==========================================

The optional reactive columns exist only when the file had them; everything that needs only
energy reads ``kwh`` and ignores them. The index is named ``interval_start``. Power is derived, never stored:
``kw = kwh / (interval_minutes / 60)``.
"""

from __future__ import annotations

import pandas as pd

SCHEMA: tuple[tuple[str, str, str, str], ...] = (
    ("interval_start", "datetime64[ns, tz]", "", "interval start, site local time"),
    ("kwh", "float64", "kWh", "energy in the interval; NaN = missing (not filled)"),
)
#: Optional columns a load file with reactive energy adds (same index, NaN = missing).
REACTIVE_SCHEMA: tuple[tuple[str, str, str, str], ...] = (
    ("kvarh_lag", "float64", "kvarh", "lagging (inductive) reactive energy in the interval"),
    ("kvarh_lead", "float64", "kvarh", "leading (capacitive) reactive energy in the interval"),
)

ALLOWED_INTERVAL_MINUTES: tuple[int, ...] = (1, 5, 15, 30, 60)
INDEX_NAME = "interval_start"


def make_frame(kwh: pd.Series, interval_minutes: int) -> pd.DataFrame:
    """Build a canonical frame from interval-start-indexed energy.

    Parameters
    ----------
    kwh : Series
        Energy per interval [kWh], indexed by tz-aware interval starts (unique,
        sorted, on the ``interval_minutes`` grid). Missing intervals may be absent
        or NaN.
    interval_minutes : int
        One of ``ALLOWED_INTERVAL_MINUTES``.

    Returns
    -------
    DataFrame
        Reindexed onto the complete regular grid from first to last interval;
        intervals absent from ``kwh`` are NaN.
    """
    if interval_minutes not in ALLOWED_INTERVAL_MINUTES:
        raise ValueError(f"interval_minutes must be one of {ALLOWED_INTERVAL_MINUTES}")
    idx = kwh.index
    if not isinstance(idx, pd.DatetimeIndex) or idx.tz is None:
        raise ValueError("index must be a tz-aware DatetimeIndex")
    if not idx.is_unique or not idx.is_monotonic_increasing:
        raise ValueError("index must be unique and sorted")
    freq = pd.Timedelta(minutes=interval_minutes)
    if len(idx):
        full = pd.date_range(idx[0], idx[-1], freq=freq, name=INDEX_NAME)
    else:
        full = pd.DatetimeIndex([], tz=idx.tz, name=INDEX_NAME)
    values = pd.to_numeric(kwh, errors="raise").astype("float64")
    frame = pd.DataFrame({"kwh": values.reindex(full)})
    frame.index.name = INDEX_NAME
    return frame


def interval_minutes(frame: pd.DataFrame) -> int:
    """Interval length of a canonical frame [min]."""
    freq = frame.index.freq
    if freq is not None:
        return int(pd.Timedelta(freq).total_seconds() // 60)
    if len(frame.index) < 2:
        raise ValueError("cannot infer the interval of a frame with < 2 rows and no freq")
    return int((frame.index[1] - frame.index[0]).total_seconds() // 60)


def kw(frame: pd.DataFrame) -> pd.Series:
    """Average power per interval [kW] = kwh / interval hours (NaN where missing)."""
    hours = interval_minutes(frame) / 60.0
    return (frame["kwh"] / hours).rename("kw")
