"""Monthly electricity bills the user received: CSV/XLSX or the page's entry form → a table.

``read_bills(source) -> (bills, report)`` reads one row per billing month. Columns (headers
matched after lower-casing and dropping spaces and a trailing unit in brackets, e.g.
``电量(kWh)`` = ``电量``), in :data:`BILL_COLUMNS`:

=================  =========================================  ==========================
column             header spellings                           unit / format
=================  =========================================  ==========================
``month``          month, 月份, 年月, 电费年月, 账单月份, …   ``YYYY-MM`` (also ``YYYY/MM``,
                                                              ``YYYYMM``, ``2025年1月``, or a
                                                              first-of-month date)
``energy_kwh``     energy_kwh, kwh, 电量, 总电量, 用电量, …    kWh
``energy_kwh_<p>`` sharp/peak/flat/valley/deep_valley_kwh,    kWh per TOU period
                   尖峰电量, 高峰电量 / 峰电量, 平段电量, …
``demand_kw``      demand_kw, 最大需量, 需量, …                kW
``total_cny``      total_cny, 总电费, 电费合计, 应收电费, …     CNY
=================  =========================================  ==========================

The reader is strict: ``month`` and ``energy_kwh`` (or per-period kWh, whose sum is then the
month's energy) are required; an unknown header, a month that does not parse or repeats, a
cell that is not a number or is negative each raise one :class:`~analytics.findings.InputError`
(``bills.*``) naming the file, the 1-based row and the column. An empty optional cell is
"not given" (NaN), never zero. At most :data:`MAX_BILL_ROWS` rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from analytics.findings import InputError
from analytics.iotools.raw import FileReport, read_table, source_bytes

MAX_BILL_ROWS = 1_200  # a hundred years of months
PERIOD_KEYS = ("sharp", "peak", "flat", "valley", "deep_valley")

#: Canonical column → accepted header spellings (after :func:`_norm`).
BILL_COLUMNS: dict[str, tuple[str, ...]] = {
    "month": ("month", "billing_month", "月份", "月", "年月", "电费年月", "账单月份", "结算月份", "电费月份", "账期"),
    "energy_kwh": ("energy_kwh", "kwh", "energy", "电量", "总电量", "用电量", "有功电量", "结算电量", "抄见电量", "有功总电量"),
    "energy_kwh_sharp": ("energy_kwh_sharp", "sharp_kwh", "sharp", "尖峰电量", "尖峰", "尖电量", "尖段电量"),
    "energy_kwh_peak": ("energy_kwh_peak", "peak_kwh", "peak", "高峰电量", "峰电量", "峰段电量", "高峰", "峰"),
    "energy_kwh_flat": ("energy_kwh_flat", "flat_kwh", "flat", "平段电量", "平电量", "平时电量", "平段", "平"),
    "energy_kwh_valley": ("energy_kwh_valley", "valley_kwh", "valley", "低谷电量", "谷电量", "谷段电量", "低谷", "谷"),
    "energy_kwh_deep_valley": ("energy_kwh_deep_valley", "deep_valley_kwh", "deep_valley", "深谷电量", "深谷"),
    "demand_kw": ("demand_kw", "max_demand_kw", "demand", "最大需量", "需量", "实际最大需量"),
    "total_cny": ("total_cny", "total", "bill_cny", "总电费", "电费合计", "电费", "应收电费", "应缴电费", "合计电费", "总金额", "金额"),
}  # fmt: skip
_ALIASES = {alias: col for col, names in BILL_COLUMNS.items() for alias in names}
_UNIT_SUFFIX = re.compile(r"[(\[（【][^)\]）】]*[)\]）】]$")
_MONTH_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月?$"),
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.]0?1(?:[ T]00:00(?::00)?)?$"),
)
_NUMBER_COLUMNS = tuple(c for c in BILL_COLUMNS if c != "month")


@dataclass(frozen=True)
class Bills:
    """The user's bills, one row per month, sorted.

    ``table`` columns: ``month`` ("YYYY-MM"), ``row`` (source row), ``energy_kwh`` [kWh] and
    whichever of ``energy_kwh_<period>`` [kWh], ``demand_kw`` [kW], ``total_cny`` [CNY] the
    file had (NaN = not given for that month).
    """

    table: pd.DataFrame
    file_name: str

    @property
    def months(self) -> list[str]:
        return list(self.table["month"])


def _norm(header: str) -> str:
    h = header.strip().lower().replace("\u3000", "").replace(" ", "")
    return _UNIT_SUFFIX.sub("", h)


def parse_month(text: str) -> str | None:
    """``"YYYY-MM"`` of a month cell, or None when it is not a month."""
    t = text.strip()
    for pattern in _MONTH_PATTERNS:
        m = pattern.match(t)
        if m:
            year, month = int(m.group(1)), int(m.group(2))
            if 1970 <= year < 2100 and 1 <= month <= 12:
                return f"{year}-{month:02d}"
    return None


def _columns(header: list[str], file: str) -> dict[str, int]:
    cols: dict[str, int] = {}
    for i, h in enumerate(header):
        if not h.strip():
            continue
        col = _ALIASES.get(_norm(h))
        if col is None:
            raise InputError(
                "bills.unknown_column",
                file=file,
                column=h,
                expected=", ".join(BILL_COLUMNS),
            )
        if col in cols:
            raise InputError("bills.duplicate_column", file=file, column=h, expected=col)
        cols[col] = i
    if "month" not in cols:
        raise InputError("bills.no_month_column", file=file, expected="month (月份) as YYYY-MM")
    if "energy_kwh" not in cols and not any(c.startswith("energy_kwh_") for c in cols):
        raise InputError(
            "bills.no_energy_column", file=file, expected="energy_kwh (电量) or per-period kWh"
        )
    return cols


def _number(text: str, file: str, row: int, column: str) -> float:
    t = text.strip().replace(",", "").replace("，", "")
    if not t:
        return float("nan")
    try:
        v = float(t)
    except ValueError:
        raise InputError(
            "bills.bad_number", file=file, row=row, column=column, expected="a number", text=text
        ) from None
    if not np.isfinite(v) or abs(v) > 1e15:
        raise InputError(
            "bills.bad_number", file=file, row=row, column=column, expected="a number", text=text
        )
    if v < 0:
        raise InputError(
            "bills.negative", file=file, row=row, column=column, expected="≥ 0", text=text
        )
    return v


def parse_bills(header: list[str], cells: list[list[str]], rows: list[int], *, file: str) -> Bills:
    """Validate a table of text cells (header, data rows, their source rows) into
    :class:`Bills`; the form on the page and :func:`read_bills` both end here."""
    cols = _columns(header, file)
    out: dict[str, list] = {"month": [], "row": []}
    numeric = [c for c in _NUMBER_COLUMNS if c in cols]
    for c in numeric:
        out[c] = []
    seen: dict[str, int] = {}
    for cell_row, row in zip(cells, rows, strict=True):
        if not any(str(c).strip() for c in cell_row):
            continue  # a blank line (the form's empty last row)
        text = str(cell_row[cols["month"]]).strip()
        month = parse_month(text)
        if month is None:
            raise InputError(
                "bills.bad_month",
                file=file,
                row=row,
                column=header[cols["month"]],
                expected="YYYY-MM",
                text=text,
            )
        if month in seen:
            raise InputError(
                "bills.duplicate_month",
                file=file,
                row=row,
                column=header[cols["month"]],
                expected="one row per month",
                month=month,
                first_row=seen[month],
            )
        seen[month] = row
        out["month"].append(month)
        out["row"].append(row)
        for c in numeric:
            out[c].append(_number(str(cell_row[cols[c]]), file, row, header[cols[c]]))
    if not out["month"]:
        raise InputError("bills.empty", file=file, expected="at least one month")
    table = pd.DataFrame(out)
    periods = [f"energy_kwh_{p}" for p in PERIOD_KEYS if f"energy_kwh_{p}" in table]
    if "energy_kwh" not in table:
        table["energy_kwh"] = table[periods].sum(axis=1, min_count=1)
    missing = table["energy_kwh"].isna()
    if missing.any():
        r = int(table.loc[missing, "row"].iloc[0])
        col = header[cols["energy_kwh"]] if "energy_kwh" in cols else "energy_kwh"
        raise InputError(
            "bills.missing_energy", file=file, row=r, column=col, expected="the month's kWh"
        )
    return Bills(table=table.sort_values("month").reset_index(drop=True), file_name=file)


def read_bills(
    source: str | Path | bytes | BinaryIO, *, file_name: str | None = None
) -> tuple[Bills, FileReport]:
    """Read a bills file (CSV/XLSX; module docstring). Raises :class:`InputError`."""
    data, name = source_bytes(source, file_name)
    table = read_table(data, file_name=name, max_rows=MAX_BILL_ROWS)
    cells = table.cells.astype(str).to_numpy().tolist()
    bills = parse_bills(list(table.header), cells, [int(r) for r in table.rows], file=name)
    return bills, FileReport(file_name=name, layout="bills", rows_read=len(cells))


def bills_from_frame(frame: pd.DataFrame, *, file: str = "form") -> Bills:
    """Bills from an edited table (the page's ``st.data_editor``): header = the frame's
    columns, source rows = 2, 3, … as a spreadsheet would number them."""
    cells = [["" if pd.isna(v) else str(v) for v in row] for row in frame.itertuples(index=False)]
    return parse_bills(
        [str(c) for c in frame.columns], cells, list(range(2, len(cells) + 2)), file=file
    )
