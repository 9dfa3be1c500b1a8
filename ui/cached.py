"""All ``st.cache_data`` wrappers in one place, keyed by small values.

The file bytes are passed as ``_data`` (not hashed by Streamlit); the key is the
content's sha256 plus the import options (and the tariff key), so one visitor never
sees another's upload and a re-upload of the same bytes is free.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.analysis import Analysis, analyze
from analytics.findings import DataWarning
from analytics.green import (
    GreenPrices,
    GreenResult,
    Holdings,
    analyze_green,
    model_pv,
    model_pv_weather,
)
from analytics.green.plan import GreenPlan, PlanOptions, green_plan
from analytics.iotools import (
    ColumnGuess,
    FileReport,
    ImportOptions,
    ImportReport,
    ProductionData,
    ProductionOptions,
    guess_columns,
    kw,
    read_load,
    read_production,
    read_pv,
    read_weather,
)
from analytics.portfolio import Workspace, screen
from analytics.production import (
    ProductionAnalysis,
    ShiftOptions,
    ShiftResult,
    analyze_production,
    optimise_shift,
)
from analytics.tou import (
    Periods,
    PriceSeries,
    RetailPackage,
    Tariff,
    read_series,
    uploaded_package,
)
from ui.state import FileInput


@st.cache_data(show_spinner=False, max_entries=32)
def cached_import(
    sha256: str, file_name: str, options: ImportOptions, _data: bytes
) -> tuple[pd.DataFrame, ImportReport]:
    """Import a meter file (raises ``InputError``)."""
    return read_load(_data, file_name=file_name, options=options)


@st.cache_data(show_spinner=False, max_entries=32)
def cached_analysis(
    sha256: str,
    file_name: str,
    options: ImportOptions,
    tariff_key: str,
    pv_key: str,
    production_key: str,
    _data: bytes,
    _tariffs: list[Tariff],
    _pv: tuple[pd.DataFrame, ImportReport] | None,
    _production: tuple[ProductionData, FileReport] | None = None,
    _price_warnings: tuple = (),
) -> Analysis:
    """Import a load file and compute its analysis, priced by ``_tariffs`` (``tariff_key``),
    with the measured PV ``_pv`` (``pv_key``: its sha256 and options, or ``"none"``) and the
    production schedule ``_production`` (``production_key``). The load-shift optimiser is not
    run here (it takes seconds per year); the Production page runs it on request."""
    frame, report = cached_import(sha256, file_name, options, _data)
    pv, pv_report = _pv if _pv is not None else (None, None)
    return analyze(
        frame,
        report,
        tariffs=_tariffs,
        pv=pv,
        pv_report=pv_report,
        production=_production,
        run_shift=False,
        price_warnings=_price_warnings,
    )


#: A state map as a cache key: sorted (code, "running" | "stopped") pairs.
StateMap = tuple[tuple[str, str], ...]


@st.cache_data(show_spinner=False, max_entries=16)
def cached_production(
    sha256: str, file_name: str, tz: str, _data: bytes, state_map: StateMap = ()
) -> tuple[ProductionData, FileReport]:
    """A production schedule (runs, counts or a machine-state log) read once per content;
    ``state_map`` = the visitor's (code, "running"|"stopped") pairs for a state log's codes."""
    return read_production(
        _data,
        file_name=file_name,
        options=ProductionOptions(tz=tz, state_map=dict(state_map) or None),
    )


@st.cache_data(show_spinner=False, max_entries=16)
def cached_pv(
    sha256: str, file_name: str, options: ImportOptions, _data: bytes
) -> tuple[pd.DataFrame, ImportReport]:
    """A measured PV file: the importer, negative night values clipped (raises ``InputError``)."""
    return read_pv(_data, file_name=file_name, options=options)


@st.cache_data(show_spinner=False, max_entries=16)
def cached_columns(sha256: str, file_name: str, _data: bytes) -> ColumnGuess:
    """The file's columns and the guessed date/time/value columns (the mapping step)."""
    return guess_columns(_data, file_name=file_name)


@st.cache_data(show_spinner=False, max_entries=32)
def cached_canonical_csv(
    sha256: str, file_name: str, options: ImportOptions, _data: bytes
) -> bytes:
    """The canonical frame as CSV bytes (ISO timestamps with offset, kwh)."""
    frame, _ = cached_import(sha256, file_name, options, _data)
    return canonical_csv(frame)


def canonical_csv(frame: pd.DataFrame) -> bytes:
    """``interval_start`` (ISO 8601 with offset), ``kwh``, ``kw``; missing intervals left empty."""
    raw = pd.Series(frame.index.strftime("%Y-%m-%dT%H:%M:%S%z"))
    stamps = raw.str[:-2] + ":" + raw.str[-2:]
    out = pd.DataFrame(
        {
            "interval_start": stamps.to_numpy(),
            "kwh": frame["kwh"].to_numpy(),
            "kw": kw(frame).to_numpy(),
        }
    )
    return out.to_csv(index=False, float_format="%.6f").encode("utf-8")


@st.cache_data(show_spinner=False, max_entries=16)
def cached_enterprise_files(key: tuple[str, int, int], enterprise_id: str) -> dict[str, FileInput]:
    return enterprise_files(key[0], enterprise_id)


# --------------------------------------------------------------------------- green


@st.cache_data(show_spinner=False, max_entries=16)
def cached_model_pv(
    load_key: str,
    kwp: float,
    lat: float,
    lon: float,
    tilt_deg: float,
    azimuth_deg: float,
    losses: float,
    yield_kwh_per_kwp: float,
    _index: pd.DatetimeIndex,
) -> tuple[pd.DataFrame, list[DataWarning]]:
    """pvlib clear-sky PV on the load's index, scaled to ``yield_kwh_per_kwp``."""
    return model_pv(
        _index,
        kwp=kwp,
        lat=lat,
        lon=lon,
        tilt_deg=tilt_deg,
        azimuth_deg=azimuth_deg,
        losses=losses,
        specific_yield_kwh_per_kwp=yield_kwh_per_kwp,
    )


@st.cache_data(show_spinner=False, max_entries=8)
def cached_weather_pv(
    load_key: str,
    sha256: str,
    file_name: str,
    kwp: float,
    tilt_deg: float,
    azimuth_deg: float,
    losses: float,
    _data: bytes,
    _index: pd.DatetimeIndex,
) -> tuple[pd.DataFrame, list[DataWarning]]:
    """PV from an uploaded EPW/TMY3 weather file on the load's index (raises ``InputError``)."""
    weather, _ = read_weather(_data, file_name=file_name)
    return model_pv_weather(
        _index, weather, kwp=kwp, tilt_deg=tilt_deg, azimuth_deg=azimuth_deg, losses=losses
    )


@st.cache_data(show_spinner=False, max_entries=32)
def cached_green(
    load_key: str,
    pv_key: str,
    target_share: float | None,
    prices: tuple[float, float, float],
    factor_year: int,
    factor_region: str,
    net_import: bool,
    units: float | None,
    _load: pd.DataFrame,
    _pv: pd.DataFrame | None,
    tariff_key: str,
    _periods: Periods,
    holdings: Holdings | None = None,
    province: str | None = None,
    industry: str | None = None,
    gec_vintage: int | None = None,
) -> GreenResult:
    """The green analysis (:func:`analytics.green.analyze_green`) for these inputs, priced by
    the load analysis' classification ``_periods`` (the sidebar's tariff, ``tariff_key``);
    ``target_share=None`` = the province × industry default (the holdings issue)."""
    return analyze_green(
        _load,
        _pv,
        periods=_periods,
        target_share=target_share,
        prices=GreenPrices(*prices),
        factor_year=factor_year,
        factor_region=factor_region,
        load_is_net_import=net_import,
        production_units=units,
        holdings=holdings,
        province=province,
        industry=industry,
        gec_vintage=gec_vintage,
    )


# --------------------------------------------------------------------------- production


@st.cache_data(show_spinner=False, max_entries=16)
def cached_production_analysis(
    load_key: str,
    prod_sha: str,
    prod_name: str,
    tz: str,
    granularity: str,
    second: str | None,
    tariff_key: str,
    _frame: pd.DataFrame,
    _data: bytes,
    _periods: Periods,
    state_map: StateMap = (),
) -> ProductionAnalysis:
    """Import a production file and analyse it against the load, its TOU split by the load
    analysis' classification ``_periods`` (the sidebar's tariff, ``tariff_key``; raises
    ``InputError``); ``state_map`` as in :func:`cached_production`."""
    data, report = cached_production(prod_sha, prod_name, tz, _data, state_map)
    return analyze_production(
        _frame,
        data,
        periods=_periods,
        import_warnings=report.warnings,
        granularity=granularity,
        second=second,
        run_shift=False,
    )


@st.cache_data(show_spinner=False, max_entries=16)
def cached_shift(
    load_key: str,
    prod_sha: str,
    prod_name: str,
    tz: str,
    options: ShiftOptions,
    tariff_key: str,
    _frame: pd.DataFrame,
    _analysis: ProductionAnalysis,
    _periods: Periods,
    prices_key: str = "tou",
    _prices: tuple[object, str] | None = None,
) -> ShiftResult:
    """The load-shift scenario for one set of options, priced by the sidebar's tariff
    (the load analysis' classification ``_periods``, keyed by ``tariff_key``), or by the
    chosen price source ``_prices`` = (price per interval, kind), keyed by ``prices_key``."""
    priced = (
        {} if _prices is None else {"energy_price_cny_per_kwh": _prices[0], "priced_by": _prices[1]}
    )
    return optimise_shift(_frame, _analysis.data, _analysis.alignment, _periods, options, **priced)


# --------------------------------------------------------------------------- price sources


@st.cache_data(show_spinner=False, max_entries=16)
def cached_price_series(sha256: str, file_name: str, tz: str, _data: bytes) -> PriceSeries:
    """Read a price-series upload (raises ``InputError``)."""
    return read_series(_data, file_name=file_name, tz=tz)


@st.cache_data(show_spinner=False, max_entries=16)
def cached_package(
    key: tuple[str, ...], file_name: str, tz: str, _text: str, _files: dict[str, bytes]
) -> RetailPackage:
    """Read a retail-package upload with its series (``key``: the TOML's sha256 and the
    series' names and sha256; raises ``InputError``)."""
    return uploaded_package(_text, file=file_name, files=_files, tz=tz, sha256=key[0])


# --------------------------------------------------------------------------- portfolio

WorkspaceKey = tuple[str, int, int]


@st.cache_data(show_spinner=False, max_entries=8)
def cached_screen(key: WorkspaceKey, target_share: float) -> pd.DataFrame:
    """The screen table of the workspace (local engine; raises ``InputError``)."""
    return screen(key[0], target_share=target_share)


@st.cache_data(show_spinner=False, max_entries=8)
def cached_enterprises(key: WorkspaceKey) -> pd.DataFrame:
    """Master data of every enterprise (id, name, province, city, industry, tariff, tz, …)."""
    with Workspace(key[0], read_only=True) as ws:
        return ws.enterprises()


@st.cache_data(show_spinner=False, max_entries=8)
def cached_trends(key: WorkspaceKey) -> pd.DataFrame:
    """同比/环比 of every enterprise from its monthly bills (:func:`analytics.portfolio.deltas`)."""
    from analytics.portfolio import deltas, monthly_figures

    return deltas(monthly_figures(key[0]))


def enterprise_files(path: str, enterprise_id: str) -> dict[str, FileInput]:
    """The stored series of one enterprise as CSV exports the importer reads back exactly.

    ``load``/``pv``: ``timestamp,energy_kwh`` with naive local interval starts (gaps stay
    gaps); ``production``: ``line,start,end,units,product,movable``.
    """
    out: dict[str, FileInput] = {}
    with Workspace(path, read_only=True) as ws:
        for kind in ("load", "pv"):
            s = ws.load(enterprise_id, kind)
            if s is None:
                continue
            kwh = s.frame["kwh"].dropna()
            df = pd.DataFrame(
                {"timestamp": kwh.index.strftime("%Y-%m-%d %H:%M:%S"), "energy_kwh": kwh.to_numpy()}
            )
            out[kind] = FileInput.of(
                f"{enterprise_id}_{kind}.csv", df.to_csv(index=False).encode("utf-8")
            )
        runs = ws.runs(enterprise_id)
        if len(runs):
            fmt = "%Y-%m-%d %H:%M:%S"
            df = pd.DataFrame(
                {
                    "line": runs["line"],
                    "start": runs["start_at"].dt.strftime(fmt),
                    "end": runs["end_at"].dt.strftime(fmt),
                    "units": runs["units"],
                    "product": runs["product"],
                    "movable": runs["movable"],
                }
            )
            out["production"] = FileInput.of(
                f"{enterprise_id}_production.csv", df.to_csv(index=False).encode("utf-8")
            )
    return out


# --------------------------------------------------------------------------- green plan


@st.cache_data(show_spinner=False, max_entries=16)
def cached_plan(
    green_key: tuple, options: PlanOptions, _green: GreenResult, _periods: Periods
) -> GreenPlan:
    """The green plan (:func:`analytics.green.green_plan`) of the green analysis identified by
    ``green_key`` (the inputs of :func:`cached_green`), for these options."""
    return green_plan(_green, _periods, options)


# --------------------------------------------------------------------------- green settings

from analytics.green import GreenTemperature, green_temperature  # noqa: E402


@st.cache_data(show_spinner=False, max_entries=32)
def cached_green_temperature(
    green_key: tuple,
    idle_share: float | None,
    shift_share: float | None,
    weights: tuple[tuple[str, float], ...],
    _green: GreenResult,
) -> GreenTemperature:
    """The Green Temperature (:func:`analytics.green.green_temperature`) of the green analysis
    identified by ``green_key`` (its inputs; ``ui/green_settings.py``); raises ``ValueError``
    when every weight is 0."""
    return green_temperature(
        _green, idle_share=idle_share, shift_realised_share=shift_share, weights=dict(weights)
    )


# --------------------------------------------------------------------------- rerun speed


@st.cache_resource(show_spinner=False, max_entries=16)
def cached_preview(
    sha256: str,
    file_name: str,
    options: ImportOptions,
    lang: str,
    title: str,
    y_title: str,
    hourly_note: str,
    _frame: pd.DataFrame,
) -> go.Figure:
    """The Data page's power preview of one imported file, built once and shared (a
    resource, not copied per call: ~0.2 s of unpickling saved; callers must not change it);
    dates as wall-time text so a rerun encodes it in ~0.05 s (:mod:`ui.rerun`)."""
    from ui.render.charts import power_preview
    from ui.rerun import wall_time_x

    fig = power_preview(_frame, title=title, y_title=y_title, hourly_note=hourly_note)
    return wall_time_x(fig)


@st.cache_resource(show_spinner=False, max_entries=64)
def cached_figure(key: tuple, _build: Callable[[], go.Figure]) -> go.Figure:
    """A page's finished chart, built by ``_build()`` once per ``key`` and shared (a
    resource: callers must not change it). ``key`` names everything the chart shows (the
    inputs' cache keys and the language); it saves the ~0.05 s per chart that
    :func:`ui.render.charts.layout` takes on every rerun."""
    return _build()
