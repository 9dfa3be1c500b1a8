"""Helpers that write real-shaped meter exports into a test's tmp_path.

Shapes follow what metering systems and spreadsheets actually produce: Chinese title rows
above the header, GBK bytes, ``;`` with decimal commas, end-labelled ``00:15 … 24:00`` daily
curves, XLSX with Chinese sheet names.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

SERF = Path(__file__).resolve().parent / "data" / "pv_serf_east_2016_15min.csv"


def write_text(
    path: Path, lines: Iterable[str], *, encoding: str = "utf-8", newline: str = "\n"
) -> Path:
    """Write lines with a trailing newline in ``encoding`` (``utf-8-sig`` adds the BOM)."""
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


def stamps(start: str, periods: int, minutes: int = 15) -> pd.DatetimeIndex:
    return pd.date_range(start, periods=periods, freq=f"{minutes}min")


def long_lines(
    header: str, times: Sequence[str], values: Sequence[object], *, sep: str = ","
) -> list[str]:
    return [header] + [f"{t}{sep}{v}" for t, v in zip(times, values, strict=True)]


def clock_labels(points: int, *, end: bool, style: str = "colon") -> list[str]:
    """Column labels of a wide daily curve with ``points`` values.

    ``style`` "colon": ``00:15 … 24:00`` (end) or ``00:00 … 23:45`` (start; ``unpadded`` gives
    ``0:00``); "T": ``T0000 … T2345``; "P": ``P1 … Pn``; "int": ``1 … n``.
    """
    step = 1440 // points
    if style == "P":
        return [f"P{k}" for k in range(1, points + 1)]
    if style == "int":
        return [str(k) for k in range(1, points + 1)]
    mins = [(k + (1 if end else 0)) * step for k in range(points)]
    if style == "T":
        return [f"T{m // 60:02d}{m % 60:02d}" for m in mins]
    if style == "unpadded":
        return [f"{m // 60}:{m % 60:02d}" for m in mins]
    return [f"{m // 60:02d}:{m % 60:02d}" for m in mins]


def wide_lines(
    labels: Sequence[str],
    days: dict[str, Sequence[object]],
    *,
    date_header: str = "日期",
    title: str | None = None,
    extra: dict[str, str] | None = None,
    sep: str = ",",
) -> list[str]:
    """A wide daily-curve export: optional title row, header, one row per day.

    ``extra`` adds leading columns (e.g. ``{"户号": "3200012345"}``) with a constant value.
    """
    extra = extra or {}
    header = [*extra, date_header, *labels]
    lines = []
    if title is not None:
        lines.append(sep.join([title] + [""] * (len(header) - 1)))
    lines.append(sep.join(header))
    for day, vals in days.items():
        lines.append(sep.join([*extra.values(), day, *(str(v) for v in vals)]))
    return lines


def write_xlsx(
    path: Path,
    rows: Sequence[Sequence[object]],
    *,
    sheet: str = "负荷数据",
    first_sheet: str | None = None,
) -> Path:
    """Write rows to an XLSX workbook; ``first_sheet`` adds an empty sheet in front."""
    wb = Workbook()
    ws = wb.active
    if first_sheet is not None:
        ws.title = first_sheet
        ws = wb.create_sheet(sheet)
    else:
        ws.title = sheet
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def xlsx_workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    """A real workbook written by openpyxl, one sheet per entry, in order."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
