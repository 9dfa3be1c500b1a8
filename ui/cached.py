"""All ``st.cache_data`` wrappers in one place, keyed by small values.

The file bytes are passed as ``_data`` (not hashed by Streamlit); the key is the
content's sha256 plus the import options (and the tariff key), so one visitor never
sees another's upload and a re-upload of the same bytes is free.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.analysis import Analysis, analyze
from analytics.findings import DataWarning
from analytics.frame import kw
from analytics.importer import ImportOptions, ImportReport, read_load
from analytics.production import read_production
from analytics.pv import read_pv
from analytics.tariff import Tariff


@st.cache_data(show_spinner=False, max_entries=32)
def cached_import(sha256: str, file_name: str, options: ImportOptions, _data: bytes) -> tuple[pd.DataFrame, ImportReport]:
    """Import a meter file (raises ``InputError``)."""
    return read_load(_data, file_name=file_name, options=options)


@st.cache_data(show_spinner=False, max_entries=32)
def cached_analysis(sha256: str, file_name: str, options: ImportOptions, tariff_key: str,
                    pv_key: str, production_key: str, _data: bytes, _tariffs: list[Tariff] | None,
                    _pv: tuple[pd.DataFrame, ImportReport, list[DataWarning]] | None,
                    _production: tuple | None = None) -> Analysis:
    """Import a load file and compute its analysis, priced by ``_tariffs`` (``tariff_key``),
    with the measured PV ``_pv`` (``pv_key``: its sha256 and options, or ``"none"``) and the
    production schedule ``_production`` (``production_key``). The load-shift optimiser is not
    run here (it takes seconds per year); the Production page runs it on request."""
    frame, report = cached_import(sha256, file_name, options, _data)
    pv, pv_report, pv_warnings = _pv if _pv is not None else (None, None, [])
    return analyze(frame, report, tariffs=_tariffs, pv=pv, pv_report=pv_report, pv_warnings=pv_warnings,
                   production=_production, run_shift=False)


@st.cache_data(show_spinner=False, max_entries=16)
def cached_production(sha256: str, file_name: str, tz: str, _data: bytes) -> tuple:
    """A production schedule (runs, counts or a machine-state log) read once per content."""
    return read_production(_data, file_name=file_name, tz=tz)


@st.cache_data(show_spinner=False, max_entries=16)
def cached_pv(sha256: str, file_name: str, options: ImportOptions,
              _data: bytes) -> tuple[pd.DataFrame, ImportReport, list[DataWarning]]:
    """A measured PV file: the importer, negative night values clipped (raises ``InputError``)."""
    return read_pv(_data, file_name=file_name, options=options)


@st.cache_data(show_spinner=False, max_entries=32)
def cached_canonical_csv(sha256: str, file_name: str, options: ImportOptions, _data: bytes) -> bytes:
    """The canonical frame as CSV bytes (ISO timestamps with offset, kwh)."""
    frame, _ = cached_import(sha256, file_name, options, _data)
    return canonical_csv(frame)


def canonical_csv(frame: pd.DataFrame) -> bytes:
    """``interval_start`` (ISO 8601 with offset), ``kwh``, ``kw``; missing intervals left empty."""
    raw = pd.Series(frame.index.strftime("%Y-%m-%dT%H:%M:%S%z"))
    stamps = raw.str[:-2] + ":" + raw.str[-2:]
    out = pd.DataFrame({"interval_start": stamps.to_numpy(), "kwh": frame["kwh"].to_numpy(),
                        "kw": kw(frame).to_numpy()})
    return out.to_csv(index=False, float_format="%.6f").encode("utf-8")
