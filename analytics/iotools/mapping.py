"""The column-mapping step: a file's columns and the best guess of which holds what.

When detection fails (``import.no_time_column`` / ``import.no_value_column``) the Data page
asks the visitor to map the columns; this module reads the file's header and guesses, from the
cells of the first rows, which column holds the date (or date-time), the time of day and the
value, so the step starts pre-filled. The guess never imports anything: the visitor's choice
goes back to :func:`analytics.iotools.read_load` as ``ImportOptions(date_column=…,
time_column=…, value_column=…)``.

Rules, on up to :data:`SAMPLE_ROWS` non-empty cells per column: a **date** column is the first
whose cells mostly parse as dates or date-times (``2025-03-01``, ``01/03/2025 00:15``, or compact
``yyyymmdd`` / ``yyyymmddHHMM`` digits); a **time** column is the first other column whose cells
are mostly clock times (``00:15``, ``23:45:00``); the **value** is the first remaining column
whose cells are mostly numbers. "Mostly" is at least :data:`MOSTLY` of the sampled cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from analytics.iotools.raw import read_table, source_bytes

SAMPLE_ROWS = 50
MOSTLY = 0.8
_CLOCK = re.compile(r"^\d{1,2}:\d{2}(:\d{2})?$")
_COMPACT = re.compile(r"^(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(\d{4})?$")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


@dataclass(frozen=True)
class ColumnGuess:
    """The header of a file and the guessed role columns (None = no candidate)."""

    columns: tuple[str, ...]
    date_column: str | None
    time_column: str | None
    value_column: str | None
    wide: bool = False  # ≥ 24 numeric columns: a daily curve (one row per day)

    def options(self, date: str | None, time: str | None, value: str | None) -> dict[str, str]:
        """The :class:`~analytics.iotools.ImportOptions` fields for a visitor's mapping: a
        separate time column → ``date_column`` + ``time_column``; a daily curve → its
        ``date_column``; else the one date-time column is the ``time_column``."""
        out: dict[str, str] = {}
        if date and time:
            out |= {"date_column": date, "time_column": time}
        elif date:
            out["date_column" if self.wide else "time_column"] = date
        if value and not self.wide:
            out["value_column"] = value
        return out


def _share(cells: pd.Series, test) -> float:
    sample = [c for c in cells.astype(str).str.strip() if c][:SAMPLE_ROWS]
    return sum(1 for c in sample if test(c)) / len(sample) if sample else 0.0


def _is_date(text: str) -> bool:
    if _COMPACT.match(text):
        return True
    if _CLOCK.match(text) or _NUMBER.match(text):
        return False
    try:
        pd.to_datetime(text, format="mixed", dayfirst=False)
    except (ValueError, TypeError, OverflowError):
        return False
    return True


def guess_columns(
    source: str | Path | bytes | BinaryIO,
    *,
    file_name: str | None = None,
    max_rows: int = 2_000_000,
) -> ColumnGuess:
    """The file's columns and the best guess of the date, time and value columns.

    Raises the raw reader's :class:`~analytics.findings.InputError` when the file cannot be
    read as a table at all (then there is nothing to map).
    """
    data, name = source_bytes(source, file_name)
    table = read_table(data, file_name=name, max_rows=max_rows)
    header = [h or f"column_{i + 1}" for i, h in enumerate(table.header)]
    cells = {h: table.cells[i] for i, h in enumerate(header)}
    date = next((h for h in header if _share(cells[h], _is_date) >= MOSTLY), None)
    time = next((h for h in header if h != date and _share(cells[h], _CLOCK.match) >= MOSTLY), None)
    numeric = [
        h
        for h in header
        if _share(cells[h], lambda c: bool(_NUMBER.match(c.replace(",", "")))) >= MOSTLY
    ]
    value = next(
        (
            h
            for h in header
            if h not in (date, time)
            and _share(cells[h], lambda c: bool(_NUMBER.match(c.replace(",", "")))) >= MOSTLY
        ),
        None,
    )
    return ColumnGuess(tuple(header), date, time, value, wide=len(numeric) >= 24)
