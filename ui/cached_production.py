"""``st.cache_data`` wrappers of the production analytics, keyed by content hashes.

Keys are small values (the load's and the production file's sha256, the site zone, the
regression and shift options); the frames and bytes go in as ``_``-prefixed arguments that
Streamlit does not hash, so one visitor never sees another's upload.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.production import ProductionAnalysis, analyze_production, read_production
from analytics.shift import ShiftOptions, ShiftResult, optimise_shift
from analytics.tou import default_tariffs_for


@st.cache_data(show_spinner=False, max_entries=16)
def cached_production_analysis(load_key: str, prod_sha: str, prod_name: str, tz: str, granularity: str,
                               second: str | None, tariff_key: str, _frame: pd.DataFrame, _data: bytes,
                               _tariffs: list | None = None) -> ProductionAnalysis:
    """Import a production file and analyse it against the load, its TOU split priced by the
    sidebar's tariff ``_tariffs`` (``tariff_key``) (raises ``InputError``)."""
    data, warnings = read_production(_data, file_name=prod_name, tz=tz)
    return analyze_production(_frame, data, tariffs=_tariffs, import_warnings=warnings,
                              granularity=granularity, second=second, run_shift=False)


@st.cache_data(show_spinner=False, max_entries=16)
def cached_shift(load_key: str, prod_sha: str, prod_name: str, tz: str, options: ShiftOptions,
                 tariff_key: str, _frame: pd.DataFrame, _analysis: ProductionAnalysis,
                 _tariffs: list | None = None) -> ShiftResult:
    """The load-shift scenario for one set of options, priced by the sidebar's tariff."""
    return optimise_shift(_frame, _analysis.data, _analysis.alignment,
                          _tariffs if _tariffs is not None else default_tariffs_for(_frame), options)
