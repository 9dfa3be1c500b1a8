"""Chinese day types (working / rest / holiday) with official 调休 make-up days.

Day types come from ``chinese_calendar`` (the State Council's yearly holiday notices,
2004 → its last known year): a make-up working Saturday or Sunday (调休上班, e.g.
2025-01-26 and 2025-02-08) is ``"working"``; a day inside a statutory holiday block is
``"holiday"``; any other non-working day is ``"rest"``. For a year ``chinese_calendar``
does not know yet it raises ``NotImplementedError``; those years fall back to
``holidays.China`` (statutory days by rule, no make-up days) and the finding
``calendar.unofficial_year`` says so.

Lookups are done once per calendar date, never per interval: a year of 1-minute data is
525,600 intervals but 365 lookups.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable

import chinese_calendar
import numpy as np
import pandas as pd

from analytics.findings import DataWarning

DAY_TYPES: tuple[str, ...] = ("working", "rest", "holiday")

#: Statutory holiday keys (``chinese_calendar.Holiday`` member names).
HOLIDAY_NAMES: tuple[str, ...] = tuple(h.name for h in chinese_calendar.Holiday)

# holidays.China names -> chinese_calendar keys (fallback years only)
_FALLBACK_NAMES: tuple[tuple[str, str], ...] = (
    ("new year's eve", "spring_festival"),
    ("spring festival", "spring_festival"),
    ("new year's day", "new_years_day"),
    ("tomb", "tomb_sweeping_day"),
    ("labo", "labour_day"),
    ("dragon", "dragon_boat_festival"),
    ("mid-autumn", "mid_autumn_festival"),
    ("national day", "national_day"),
)

# Days before the first requested date that are looked up too, so that a holiday block
# already running when the data starts is numbered from its true first day.
_LOOKBACK_DAYS = 14


def _to_dates(dates: Iterable) -> pd.DatetimeIndex:
    """Calendar dates (naive, midnight) of dates / timestamps / strings, local wall time."""
    idx = pd.DatetimeIndex(pd.to_datetime(pd.Index(dates)))
    if idx.tz is not None:
        idx = idx.tz_localize(None)
    return idx.normalize()


@functools.cache
def _official_year(year: int) -> bool:
    try:
        chinese_calendar.is_holiday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def _fallback_name(name: str) -> str:
    low = name.lower()
    for token, key in _FALLBACK_NAMES:
        if token in low:
            return key
    return "other"


@functools.cache
def _fallback_calendar(year: int):
    import holidays  # only needed beyond chinese_calendar's last year

    return holidays.China(years=year)


@functools.lru_cache(maxsize=64)
def _year_lookup(year: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Day type and holiday name of every date of ``year`` (Jan 1 first), looked up once per
    process: the facts of a date never change, and every bill of every enterprise asks."""
    days = pd.date_range(dt.date(year, 1, 1), dt.date(year, 12, 31), freq="D")
    types: list[str] = []
    names: list[str] = []
    official = _official_year(year)
    for ts in days:  # one lookup per calendar date (≈365 a year), not per interval
        d = ts.date()
        if official:
            on_holiday, name = chinese_calendar.get_holiday_detail(d)
            if on_holiday and name is not None:
                types.append("holiday")
                names.append(chinese_calendar.Holiday(name).name)
            elif on_holiday:
                types.append("rest")
                names.append("")
            else:
                types.append("working")
                names.append("")
            continue
        cal = _fallback_calendar(year)
        name = cal.get(d)
        if name is not None:
            types.append("holiday")
            names.append(_fallback_name(str(name)))
        elif d.weekday() >= 5 and d not in getattr(cal, "weekend_workdays", ()):
            types.append("rest")
            names.append("")
        else:
            types.append("working")
            names.append("")
    return tuple(types), tuple(names)


def _lookup_range(first: dt.date, last: dt.date) -> tuple[pd.DataFrame, list[int]]:
    """Day type and holiday name for every date in [first, last]; unofficial years."""
    days = pd.date_range(first, last, freq="D")
    types: list[str] = []
    names: list[str] = []
    official = {y: _official_year(y) for y in range(first.year, last.year + 1)}
    for year in official:
        lo = (max(first, dt.date(year, 1, 1)) - dt.date(year, 1, 1)).days
        hi = (min(last, dt.date(year, 12, 31)) - dt.date(year, 1, 1)).days + 1
        year_types, year_names = _year_lookup(year)
        types.extend(year_types[lo:hi])
        names.extend(year_names[lo:hi])
    table = pd.DataFrame({"day_type": types, "holiday": names}, index=days)
    # number the days of each holiday block (a run of consecutive holiday days); the block is
    # named after its first day (2025-10-06 "Mid-autumn" sits in the National Day block)
    is_hol = table["day_type"].to_numpy() == "holiday"
    start = is_hol & ~np.r_[False, is_hol[:-1]]
    pos = np.arange(len(table))
    first_pos = np.maximum.accumulate(np.where(start, pos, 0))
    table["holiday_day"] = np.where(is_hol, pos - first_pos + 1, 0)
    block_name = np.asarray(table["holiday"].to_numpy(), dtype=object)
    table["holiday_block"] = np.where(is_hol, block_name[first_pos], "")
    unofficial = sorted(y for y, ok in official.items() if not ok)
    return table, unofficial


def day_info(dates: Iterable) -> tuple[pd.DataFrame, list[DataWarning]]:
    """Day type and holiday detail per date.

    Parameters
    ----------
    dates : iterable of dates, timestamps or ISO strings
        Calendar dates (a tz-aware timestamp counts by its own local wall date).

    Returns
    -------
    DataFrame
        One row per input element, in input order, indexed by the normalised date:
        ``day_type`` (``"working"``/``"rest"``/``"holiday"``), ``holiday`` (the
        ``chinese_calendar.Holiday`` key of the day, ``""`` off holidays),
        ``holiday_block`` (key of the block's first day) and ``holiday_day`` (1-based
        position of the day in its holiday block, 0 off holidays).
    list of DataWarning
        ``calendar.unofficial_year`` (count = input dates in those years,
        ``params["years"]``) when a year is beyond ``chinese_calendar``.
    """
    idx = _to_dates(dates)
    cols = ["day_type", "holiday", "holiday_block", "holiday_day"]
    if len(idx) == 0:
        return pd.DataFrame(columns=cols, index=idx), []
    first = (idx.min() - pd.Timedelta(days=_LOOKBACK_DAYS)).date()
    table, unofficial = _lookup_range(first, idx.max().date())
    out = table.loc[idx, cols]
    warnings: list[DataWarning] = []
    if unofficial:
        in_years = np.isin(idx.year, unofficial)
        used = sorted({int(y) for y in idx.year[in_years]})
        if used:
            warnings.append(
                DataWarning(
                    "calendar.unofficial_year",
                    count=int(in_years.sum()),
                    params={"years": ", ".join(str(y) for y in used)},
                )
            )
    return out, warnings


def day_types_with_warnings(dates: Iterable) -> tuple[pd.Series, list[DataWarning]]:
    """:func:`day_types` and its findings as a pair."""
    info, warnings = day_info(dates)
    series = info["day_type"].astype(pd.CategoricalDtype(DAY_TYPES)).rename("day_type")
    return series, warnings


def day_types(dates: Iterable) -> pd.Series:
    """Chinese day type of each date: ``"working"``, ``"rest"`` or ``"holiday"``.

    Parameters
    ----------
    dates : iterable of dates, timestamps or ISO strings

    Returns
    -------
    Series
        Categorical (categories :data:`DAY_TYPES`), one value per input element, indexed
        by the normalised date. Findings (``calendar.unofficial_year`` for years
        ``chinese_calendar`` does not know) are in ``series.attrs["warnings"]`` as a list of
        :class:`~analytics.findings.DataWarning`; :func:`day_types_with_warnings` returns
        them as a pair.

    Examples
    --------
    2025-01-26 (Sunday) is a 调休 make-up working day; 2025-01-28 is 春节::

        day_types(["2025-01-26", "2025-01-28", "2025-03-01"]).tolist()
        # ['working', 'holiday', 'rest']
    """
    series, warnings = day_types_with_warnings(dates)
    series.attrs["warnings"] = warnings
    return series
