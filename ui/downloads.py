"""Download payloads: CSV/XLSX with spreadsheet formulas neutralised in text cells."""

from __future__ import annotations

import io

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix ``'`` to text cells that a spreadsheet would run as a formula (``= + - @``)."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_PREFIXES) else v
            )
    out.columns = [
        "'" + c if isinstance(c, str) and c.startswith(FORMULA_PREFIXES) else c for c in out.columns
    ]
    return out


def csv_bytes(frame: pd.DataFrame, *, index: bool = False) -> bytes:
    """CSV with a BOM so Excel opens Chinese text correctly."""
    return neutralise(frame).to_csv(index=index).encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, *, sheet: str = "data", index: bool = False) -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        neutralise(frame).to_excel(xw, sheet_name=sheet[:31], index=index)
    return buf.getvalue()
