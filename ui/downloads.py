"""Download payloads: CSV/XLSX with spreadsheet formulas neutralised in text cells."""

from __future__ import annotations

import io

import pandas as pd

from analytics.sheets import neutralise


def csv_bytes(frame: pd.DataFrame, *, index: bool = False) -> bytes:
    """CSV with a BOM so Excel opens Chinese text correctly."""
    return neutralise(frame).to_csv(index=index).encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, *, sheet: str = "data", index: bool = False) -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        neutralise(frame).to_excel(xw, sheet_name=sheet[:31], index=index)
    return buf.getvalue()
