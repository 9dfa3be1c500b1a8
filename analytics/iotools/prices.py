"""Price-series files → a price per interval start [CNY/kWh] (spot, day-ahead, contract curve).

A price series is a table with a time column and a price column (CSV or XLSX, UTF-8 or GBK,
read by :func:`analytics.iotools.raw.read_table` with its bounds: file size, row cap, field
size, workbook dimensions). Each row is the price **in force from its timestamp** (the
interval start, local site time) for one step of the series; the step is the modal spacing of
the timestamps and must be 15, 30 or 60 minutes. A gap between rows is kept as a gap (a load
interval inside it is not covered, never priced as zero); negative prices are allowed.

Recognised headers (case-insensitive, spaces and ``_`` ignored):

=======  ===========================================================================
role     headers
=======  ===========================================================================
time     time, timestamp, datetime, interval_start, start, 时间, 日期时间, 时刻, 开始时间,
         时段开始, 数据时间
price    price, spot, lmp, clearing price, 价格, 电价, 出清价格, 出清电价, 节点电价,
         现货价格, 日前价格, 实时价格, 合约价格, or any header naming a unit below
=======  ===========================================================================

Units: CNY/kWh by default (元/kWh, 元/度); a price header naming MWh (``元/MWh``,
``CNY/MWh``, ``price_cny_per_mwh``) is divided by 1,000. A price beyond
:data:`MAX_ABS_PRICE_CNY_PER_KWH` after conversion is refused (a CNY/MWh column without its
unit lands here).

Errors (:class:`~analytics.findings.InputError`, each naming the file, the 1-based row as a
spreadsheet shows it, the column and what was expected): ``prices.no_time_column``,
``prices.no_price_column``, ``prices.bad_timestamp``, ``prices.bad_number`` (an empty or
non-numeric price), ``prices.out_of_range``, ``prices.duplicate_time``,
``prices.step_unknown`` (fewer than two rows, or a step that is not 15/30/60 min),
``prices.off_step`` (a timestamp off the series' step grid).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from analytics.findings import InputError
from analytics.iotools.production import parse_numbers, parse_times
from analytics.iotools.raw import read_table, source_bytes

#: Row cap of a price series (a 15-min year is 35,040 rows; ten years of 5-min would pass too).
MAX_ROWS = 1_100_000
#: Largest |price| accepted [CNY/kWh] (spot caps are a few CNY/kWh; 100 catches CNY/MWh).
MAX_ABS_PRICE_CNY_PER_KWH = 100.0
#: Steps a series may have [min].
SERIES_STEPS_MINUTES: tuple[int, ...] = (15, 30, 60)

_TIME_HEADERS = frozenset(
    {
        "time",
        "timestamp",
        "datetime",
        "intervalstart",
        "start",
        "starttime",
        "date",
        "时间",
        "日期时间",
        "时刻",
        "开始时间",
        "时段开始",
        "数据时间",
        "日期",
    }
)
_PRICE_WORDS = (
    "price",
    "spot",
    "lmp",
    "clearing",
    "价格",
    "电价",
    "出清",
    "节点",
    "现货",
    "日前",
    "实时",
    "合约",
)
_UNIT_KWH = re.compile(r"(元|cny|rmb)?\s*/\s*(kwh|度)|per_?kwh|cnyperkwh", re.IGNORECASE)
_UNIT_MWH = re.compile(r"(元|cny|rmb)?\s*/\s*mwh|per_?mwh|cnypermwh", re.IGNORECASE)


@dataclass(frozen=True)
class PriceReport:
    """How a price file was read.

    Attributes
    ----------
    file_name : str
    sha256 : str
        Of the file's bytes (the price source's version).
    time_column, price_column : str
        Headers used.
    unit : str
        ``"CNY/kWh"`` or ``"CNY/MWh"`` (the file's; the series is always CNY/kWh).
    step_minutes : int
        Modal spacing of the timestamps [min].
    rows_read : int
    start, end : Timestamp
        First interval start and the end of the last interval (start + step).
    """

    file_name: str
    sha256: str
    time_column: str
    price_column: str
    unit: str
    step_minutes: int
    rows_read: int
    start: pd.Timestamp
    end: pd.Timestamp


def _norm(h: str) -> str:
    return re.sub(r"[\s_]+", "", h.strip().lower())


def _price_unit(header: str) -> str | None:
    if _UNIT_MWH.search(header.replace(" ", "")):
        return "CNY/MWh"
    if _UNIT_KWH.search(header.replace(" ", "")):
        return "CNY/kWh"
    return None


def _columns(header: list[str], name: str, header_row: int) -> tuple[int, int, str]:
    """Positions of the time and price columns and the price unit."""
    time_col = next((i for i, h in enumerate(header) if _norm(h) in _TIME_HEADERS), None)
    if time_col is None:
        raise InputError(
            "prices.no_time_column",
            file=name,
            row=header_row,
            expected="a time column (time, timestamp, 时间, 日期时间 …)",
            columns=", ".join(h for h in header if h),
        )
    price_col = next(
        (
            i
            for i, h in enumerate(header)
            if i != time_col and (any(w in _norm(h) for w in _PRICE_WORDS) or _price_unit(h))
        ),
        None,
    )
    if price_col is None:
        raise InputError(
            "prices.no_price_column",
            file=name,
            row=header_row,
            expected="a price column (price, 电价, 出清价格, 元/kWh …)",
            columns=", ".join(h for h in header if h),
        )
    return time_col, price_col, _price_unit(header[price_col]) or "CNY/kWh"


def _step(ns: np.ndarray, rows: np.ndarray, name: str, column: str) -> int:
    """Modal step [min] of sorted unique timestamps; every timestamp on its grid."""
    if len(ns) < 2:
        raise InputError(
            "prices.step_unknown",
            file=name,
            column=column,
            expected="at least two rows 15, 30 or 60 minutes apart",
        )
    diffs = np.diff(ns) // 60_000_000_000
    values, counts = np.unique(diffs, return_counts=True)
    step = int(values[np.argmax(counts)])
    if step not in SERIES_STEPS_MINUTES:
        raise InputError(
            "prices.step_unknown",
            file=name,
            column=column,
            expected="rows 15, 30 or 60 minutes apart",
            step=step,
        )
    off = (ns - ns[0]) % (step * 60_000_000_000) != 0
    if off.any():
        i = int(np.flatnonzero(off)[0])
        raise InputError(
            "prices.off_step",
            file=name,
            row=int(rows[i]),
            column=column,
            expected=f"times on the series' {step}-minute grid",
            step=step,
        )
    return step


def _prices(texts: pd.Series, rows: np.ndarray, name: str, column: str, unit: str) -> np.ndarray:
    try:
        values = parse_numbers(texts, rows, file=name, column=column)
    except InputError as err:
        raise InputError(
            "prices.bad_number",
            file=name,
            row=err.row,
            column=column,
            expected="a price in CNY/kWh (negative allowed)",
            text=err.params.get("text", ""),
        ) from None
    empty = np.isnan(values)
    if empty.any():
        i = int(np.flatnonzero(empty)[0])
        raise InputError(
            "prices.bad_number",
            file=name,
            row=int(rows[i]),
            column=column,
            expected="a price in every row (a missing price is never read as zero)",
            text="",
        )
    if unit == "CNY/MWh":
        values = values / 1000.0
    big = np.abs(values) > MAX_ABS_PRICE_CNY_PER_KWH
    if big.any():
        i = int(np.flatnonzero(big)[0])
        raise InputError(
            "prices.out_of_range",
            file=name,
            row=int(rows[i]),
            column=column,
            expected=f"|price| ≤ {MAX_ABS_PRICE_CNY_PER_KWH:g} CNY/kWh (name MWh in the header "
            "for a series in CNY/MWh)",
            text=texts.iloc[i],
        )
    return values


def read_prices(
    source: str | Path | bytes | BinaryIO,
    *,
    file_name: str | None = None,
    tz: str = "Asia/Shanghai",
    max_rows: int = MAX_ROWS,
) -> tuple[pd.Series, PriceReport]:
    """Read a price series (module docstring).

    Parameters
    ----------
    source : path, bytes or binary file
        CSV or XLSX.
    file_name : str, optional
        Name used in messages (default: the path's name, or ``"prices"``).
    tz : str
        Site time zone; naive times are local in it, times with an offset are converted.
    max_rows : int
        Row cap (``import.too_many_rows``).

    Returns
    -------
    prices : Series
        Price in force from each interval start [CNY/kWh], sorted, tz-aware index named
        ``interval_start``, ``attrs["step_minutes"]`` = the step.
    report : PriceReport
    """
    data, name = source_bytes(source, file_name, "prices")
    table = read_table(data, file_name=name, max_rows=max_rows)
    time_col, price_col, unit = _columns(table.header, name, table.header_row)
    t_head = table.header[time_col]
    p_head = table.header[price_col]
    rows = table.rows
    try:
        stamps = parse_times(table.cells[time_col], rows, file=name, column=t_head, tz=tz)
    except InputError as err:
        raise InputError(
            "prices.bad_timestamp",
            file=name,
            row=err.row,
            column=t_head,
            expected=err.expected or "a date and time such as 2026-01-02 08:00",
            text=err.params.get("text", ""),
        ) from None
    values = _prices(table.cells[price_col], rows, name, p_head, unit)
    order = np.argsort(stamps.to_numpy(), kind="stable")
    idx = pd.DatetimeIndex(stamps.iloc[order])  # tz-aware in ``tz`` (parse_times)
    rows_sorted = rows[order]
    dup = idx.duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        raise InputError(
            "prices.duplicate_time",
            file=name,
            row=int(rows_sorted[i]),
            column=t_head,
            expected="one price per interval start",
            text=str(idx[i]),
        )
    ns = idx.as_unit("ns").asi8
    step = _step(ns, rows_sorted, name, t_head)
    series = pd.Series(values[order], index=idx.rename("interval_start"), name="price_cny_per_kwh")
    series.attrs["step_minutes"] = step
    report = PriceReport(
        file_name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        time_column=t_head,
        price_column=p_head,
        unit=unit,
        step_minutes=step,
        rows_read=len(rows),
        start=idx[0],
        end=idx[-1] + pd.Timedelta(minutes=step),
    )
    return series, report
