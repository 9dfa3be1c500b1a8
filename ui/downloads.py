"""Download payloads: CSV/XLSX written under the one spreadsheet-safety rule of
:mod:`analytics.sheets` (text cells neutralised, line breaks removed, text quoted in CSV)."""

from __future__ import annotations

import io

import pandas as pd

from analytics.sheets import csv_text, write_xlsx


def csv_bytes(frame: pd.DataFrame, *, index: bool = False) -> bytes:
    """CSV with a BOM so Excel opens Chinese text correctly."""
    return csv_text(frame, index=index).encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, *, sheet: str = "data", index: bool = False) -> bytes:
    buf = io.BytesIO()
    write_xlsx(frame, buf, sheet=sheet, index=index)
    return buf.getvalue()
