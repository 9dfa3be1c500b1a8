"""Spreadsheet safety for every CSV/XLSX GreenTemp writes (downloads, screens, exports)."""

from __future__ import annotations

import pandas as pd

#: A text cell starting with one of these runs as a formula in Excel/WPS/LibreOffice.
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: object) -> object:
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) else value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with ``'`` prefixed to text cells (and column names) that a spreadsheet would run
    as a formula (leading ``= + - @``, tab or CR); numbers are left as they are."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(_safe)
    out.columns = [_safe(c) for c in out.columns]
    return out
