"""Spreadsheet safety for every CSV/XLSX/Parquet table GreenTemp writes (downloads, screens,
exports): one rule, applied here and nowhere else.

The rule, for every **text** cell, every column name and every index label (numbers, dates
and booleans are left as they are):

1. **No line break survives inside a cell.** CR, LF, CRLF and the other characters that end
   a line (``\\v``, ``\\f``, ``\\x1c``–``\\x1e``, NEL ``\\x85``, U+2028, U+2029), and the other
   C0 control characters except the tab (``\\x00``–``\\x08``, ``\\x0e``–``\\x1f``, ``\\x7f``,
   which XLSX cannot hold), each become one space (a CRLF pair one space). A naive reader that
   splits on line ends, a spreadsheet's import and ``csv``/pandas therefore all see one record
   per row — quoted line breaks are legal CSV, but too many consumers mis-read them to rely on
   quoting alone. The text is otherwise kept (the only data changed is the line break).
2. **No cell starts like a formula.** After step 1, a cell whose first non-blank character
   (blanks: space and tab) is one of ``= + - @`` — or that starts with a tab or CR — gets a
   leading ``'`` (OWASP's CSV-injection advice; ``' =1`` also covers importers that trim
   blanks). ``"textiles\\r@SUM(A1:A9)"`` becomes ``"textiles @SUM(A1:A9)"`` (the ``@`` is no
   longer at a cell start), ``"\\t=1"`` becomes ``"'\\t=1"``.
3. **Every text cell is quoted in CSV** (:data:`CSV_QUOTING` = ``csv.QUOTE_NONNUMERIC``:
   text cells and column names between ``"…"``, inner quotes doubled; numbers bare), so a
   delimiter or a quote inside a cell (``x","y``) stays in its cell.

:func:`neutralise` applies steps 1–2 to a frame; :func:`csv_text`, :func:`write_csv` and
:func:`write_xlsx` are the writers every CSV/XLSX file goes through.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pandas as pd

#: A text cell starting with one of these runs as a formula in Excel/WPS/LibreOffice.
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

#: Quoting of every CSV written: text cells and column names quoted, numbers bare.
CSV_QUOTING = csv.QUOTE_NONNUMERIC

#: Line ends and control characters replaced by one space (a CRLF pair counts as one).
_BREAKS = re.compile("\r\n|[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]")

_BLANKS = " \t"


def safe_text(value: object) -> object:
    """One cell under the rule of the module docstring; a non-text value is returned as is."""
    if not isinstance(value, str):
        return value
    text = _BREAKS.sub(" ", value)
    if text.startswith(FORMULA_PREFIXES) or text.lstrip(_BLANKS).startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _is_text(series: pd.Series) -> bool:
    return series.dtype == object or pd.api.types.is_string_dtype(series)


def _safe_labels(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        return pd.MultiIndex.from_tuples(
            [tuple(safe_text(v) for v in key) for key in index],
            names=[safe_text(n) for n in index.names],
        )
    if _is_text(index.to_series()):
        index = index.map(safe_text)
    return index.rename(safe_text(index.name))


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell, column name and index label made safe (module docstring:
    line breaks → one space, ``'`` before a formula start); numbers are left as they are."""
    out = frame.copy()
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        if isinstance(col.dtype, pd.CategoricalDtype):
            col = col.astype(object)
        if _is_text(col):
            out.isetitem(i, col.map(safe_text))
    out.columns = _safe_labels(out.columns)
    out.index = _safe_labels(out.index)
    return out


def csv_text(frame: pd.DataFrame, *, index: bool = False) -> str:
    """The frame as CSV text under the rule (neutralised, text cells quoted)."""
    return neutralise(frame).to_csv(index=index, quoting=CSV_QUOTING)


def write_csv(frame: pd.DataFrame, out: str | Path, *, index: bool = False) -> Path:
    """Write the frame as CSV (UTF-8 with BOM, so Excel opens Chinese text) under the rule."""
    out = Path(out)
    out.write_text(csv_text(frame, index=index), encoding="utf-8-sig", newline="")
    return out


def write_xlsx(
    frame: pd.DataFrame, out: str | Path | io.BytesIO, *, sheet: str = "data", index: bool = False
) -> Any:
    """Write the frame as one XLSX sheet (``sheet``: our own name, cut to Excel's 31
    characters) under the rule; ``out`` is a path or a buffer, returned as given."""
    with pd.ExcelWriter(out, engine="openpyxl") as xw:
        neutralise(frame).to_excel(xw, sheet_name=sheet[:31], index=index)
    return out
