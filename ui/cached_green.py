"""``st.cache_data`` wrappers of the green page, keyed by content hashes and small values.

Frames and bytes travel as ``_``-prefixed (unhashed) arguments; the key is the load's
``load_key`` (sha256 + import options) and the PV's ``pv_key`` (sha256 + options, or the
model parameters), so one visitor never sees another's data.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.findings import DataWarning
from analytics.green import GreenPrices, GreenResult, analyze_green
from analytics.pv import model_pv, model_pv_weather, read_weather


@st.cache_data(show_spinner=False, max_entries=16)
def cached_model_pv(load_key: str, kwp: float, lat: float, lon: float, tilt_deg: float,
                    azimuth_deg: float, losses: float, yield_kwh_per_kwp: float,
                    _index: pd.DatetimeIndex) -> tuple[pd.DataFrame, list[DataWarning]]:
    """pvlib clear-sky PV on the load's index, scaled to ``yield_kwh_per_kwp``."""
    return model_pv(_index, kwp=kwp, lat=lat, lon=lon, tilt_deg=tilt_deg, azimuth_deg=azimuth_deg,
                    losses=losses, specific_yield_kwh_per_kwp=yield_kwh_per_kwp)


@st.cache_data(show_spinner=False, max_entries=8)
def cached_weather_pv(load_key: str, sha256: str, file_name: str, kwp: float, tilt_deg: float,
                      azimuth_deg: float, losses: float, _data: bytes,
                      _index: pd.DatetimeIndex) -> tuple[pd.DataFrame, list[DataWarning]]:
    """PV from an uploaded EPW/TMY3 weather file on the load's index (raises ``InputError``)."""
    weather = read_weather(_data, file_name)
    return model_pv_weather(_index, weather, kwp=kwp, tilt_deg=tilt_deg, azimuth_deg=azimuth_deg,
                            losses=losses)


@st.cache_data(show_spinner=False, max_entries=32)
def cached_green(load_key: str, pv_key: str, target_share: float, prices: tuple[float, float, float],
                 factor_year: int, factor_region: str, net_import: bool, units: float | None,
                 _load: pd.DataFrame, _pv: pd.DataFrame | None, tariff_key: str = "default",
                 _tariffs: list | None = None) -> GreenResult:
    """The green analysis (:func:`analytics.green.analyze_green`) for these inputs, priced by
    ``_tariffs`` (the sidebar's choice, keyed by ``tariff_key``; None = the default)."""
    return analyze_green(
        _load, _pv, target_share=target_share, prices=GreenPrices(*prices),
        factor_year=factor_year, factor_region=factor_region, load_is_net_import=net_import,
        production_units=units, tariffs=_tariffs,
    )
