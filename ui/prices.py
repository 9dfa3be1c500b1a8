"""Load & TOU page section: the same load priced every way the user gave.

One call from ``pages/tou.py`` (:func:`price_comparison_section`). A price series and/or a
retail package (its TOML uploaded with the series it names) are read through the cache
wrappers, and :func:`analytics.tou.compare_prices` — the function behind the CLI's ``market``
and ``package`` sections — prices the analysed load by each; with a load shift computed on the
Production page (:func:`remember_shift`), the shifted load is priced by the TOU tariff too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.findings import InputError
from analytics.tou import (
    COMPARISON_WAYS,
    MarketBill,
    PriceSeries,
    compare_prices,
    source_prices,
)
from ui.cached import cached_package, cached_price_series
from ui.downloads import csv_bytes
from ui.render import charts
from ui.render.format import md_escape
from ui.state import SAMPLE_DIR, FileInput, site_tz, t
from ui.widgets import show_error

SERIES_KEY = "prices.series.file"  # FileInput of the uploaded series
PACKAGE_KEY = "prices.package.files"  # list of FileInput: the TOML and its series
SHIFT_KEY = "prices.shift"  # {"key": load key, "new_kwh": Series} from the Production page
SAMPLE_PRICES = SAMPLE_DIR / "prices"
_SAMPLE_SERIES = "hourly_price_2025_illustrative.csv"
_SAMPLE_PACKAGE = ("package_tou_linked_illustrative.toml", _SAMPLE_SERIES)


def shift_key(sha256: str, options: Any, tariff_key: str) -> str:
    """The key a remembered shift belongs to: the load file, its options and the tariff."""
    return f"{sha256}:{options}:{tariff_key}"


def remember_shift(sha256: str, options: Any, tariff_key: str, shift: Any) -> None:
    """Keep the Production page's last shift (its new load and the source it was priced by)
    for the comparison (this session only)."""
    st.session_state[SHIFT_KEY] = {
        "key": shift_key(sha256, options, tariff_key),
        "kwh": shift.new_kwh,
        "priced_by": shift.priced_by,
    }


def _remembered_shift(result: Any) -> tuple[pd.Series | None, str]:
    kept = st.session_state.get(SHIFT_KEY)
    if not kept or kept.get("key") != shift_key(result.sha256, result.options, result.tariff_key):
        return None, "agency_tou"
    return kept["kwh"], kept.get("priced_by", "agency_tou")


def shift_source_caption(chosen: tuple[np.ndarray, str] | None) -> None:
    """Say which source prices the Production page's shift (:func:`shift_price_source`)."""
    kind = chosen[1] if chosen is not None else "agency_tou"
    st.caption(t("prices.shift_priced_by", source=t(f"prices.kind.{kind}")))


def _way_name(way: str, mb: MarketBill) -> str:
    if way == "shifted":
        return t("prices.way.shifted", source=t(f"prices.kind.{mb.source.kind}"))
    return t(f"prices.way.{way}")


def _read_sources(series_file: FileInput | None, package_files: list[FileInput]):
    """The series and package of the chosen files (raises ``InputError``)."""
    series = (
        _marked(
            cached_price_series(series_file.sha256, series_file.name, site_tz(), series_file.data),
            series_file,
        )
        if series_file is not None
        else None
    )
    package = _package(package_files) if package_files else None
    return series, package


def shift_price_source(result: Any) -> tuple[str, tuple[np.ndarray, str] | None]:
    """For the Production page's optimiser: ``(cache key, (price per interval, kind))`` of
    the source chosen in the Load & TOU page's comparison (the package when given, else the
    series), or ``("tou", None)`` for the TOU prices (also when those files do not price
    this load: the Load & TOU page shows why)."""
    series_file = st.session_state.get(SERIES_KEY)
    package_files = list(st.session_state.get(PACKAGE_KEY) or [])
    if st.session_state.get("prices.use_sample"):
        series_file = series_file or _sample(_SAMPLE_SERIES)
        package_files = package_files or [_sample(n) for n in _SAMPLE_PACKAGE]
    if series_file is None and not package_files:
        return "tou", None
    try:
        series, package = _read_sources(series_file, package_files)
        analysis = result.analysis
        chosen = source_prices(analysis.frame, analysis.periods, series=series, package=package)
    except InputError:
        return "tou", None
    if chosen is None:
        return "tou", None
    files = [f for f in (series_file, *package_files) if f is not None]
    return ":".join([chosen[1], *sorted(f.sha256 for f in files)]), chosen


def _uploads(use_sample: bool) -> tuple[FileInput | None, list[FileInput]]:
    c1, c2 = st.columns(2)
    up = c1.file_uploader(
        t("prices.upload.series"),
        type=["csv", "xlsx", "txt"],
        key="prices.series.upload",
        help=t("prices.upload.series.help"),
    )
    ups = c2.file_uploader(
        t("prices.upload.package"),
        type=["toml", "csv", "xlsx", "txt"],
        accept_multiple_files=True,
        key="prices.package.upload",
        help=t("prices.upload.package.help"),
    )
    if up is not None:
        st.session_state[SERIES_KEY] = FileInput.of(up.name, up.getvalue())
    if ups:
        st.session_state[PACKAGE_KEY] = [FileInput.of(u.name, u.getvalue()) for u in ups]
    series = st.session_state.get(SERIES_KEY)
    package = list(st.session_state.get(PACKAGE_KEY) or [])
    if use_sample:
        series = series or _sample(_SAMPLE_SERIES)
        package = package or [_sample(n) for n in _SAMPLE_PACKAGE]
    return series, package


def _marked(series: PriceSeries, item: FileInput) -> PriceSeries:
    """The shipped sample series is synthetic: its source says illustrative."""
    if item.name != _SAMPLE_SERIES or item.sha256 != _sample(_SAMPLE_SERIES).sha256:
        return series
    return replace(series, source=replace(series.source, illustrative=True))


def _sample(name: str) -> FileInput:
    path = SAMPLE_PRICES / name
    return FileInput.of(path.name, path.read_bytes())


def _package(files: list[FileInput]):
    tomls = [f for f in files if f.name.lower().endswith(".toml")]
    if not tomls:
        st.warning(t("prices.package.needs_toml"))
        return None
    toml = tomls[0]
    others = {f.name: f.data for f in files if f is not toml}
    key = (toml.sha256, *sorted(f"{f.name}:{f.sha256}" for f in files if f is not toml))
    try:
        text = toml.data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("package.unreadable", file=toml.name, reason="UTF-8") from None
    return cached_package(key, toml.name, site_tz(), text, others)


def comparison_table(compared: Mapping[str, MarketBill]) -> pd.DataFrame:
    """One row per way (:data:`COMPARISON_WAYS` order), translated headers, CNY to 2 d.p."""
    base = compared["agency_tou"].total_cost_cny
    rows = []
    for way in COMPARISON_WAYS:
        if way not in compared:
            continue
        mb = compared[way]
        src = mb.source
        line = t(
            "prices.source_line",
            id=src.id,
            version=src.version,
            valid_from=src.valid_from or "…",
            valid_to=src.valid_to or t("prices.open_ended"),
        )
        if src.illustrative:
            line += f" · {t('prices.illustrative')}"
        rows.append(
            {
                t("prices.col.way"): _way_name(way, mb),
                t("prices.col.energy_cost"): round(mb.energy_cost_cny, 2),
                t("prices.col.demand_charge"): round(mb.demand_charge_cny, 2),
                t("prices.col.total"): round(mb.total_cost_cny, 2),
                t("prices.col.average"): round(mb.average_price_cny_per_kwh, 4),
                t("prices.col.difference"): round(mb.total_cost_cny - base, 2),
                t("prices.col.source"): line,
            }
        )
    return pd.DataFrame(rows)


def comparison_chart(compared: Mapping[str, MarketBill]) -> go.Figure:
    """Stacked bars per way: energy cost and basic charge [CNY]."""
    ways = [w for w in COMPARISON_WAYS if w in compared]
    names = [_way_name(w, compared[w]) for w in ways]
    fig = go.Figure(
        [
            go.Bar(
                x=names,
                y=[compared[w].energy_cost_cny for w in ways],
                name=t("prices.chart.energy"),
                marker_color=charts.GREEN,
            ),
            go.Bar(
                x=names,
                y=[compared[w].demand_charge_cny for w in ways],
                name=t("prices.chart.demand"),
                marker_color=charts.GREY,
            ),
        ]
    )
    fig.update_layout(barmode="stack")
    return charts.layout(fig, t("prices.chart.title"), "CNY", legend=True, height=380)


def price_comparison_section(result: Any) -> None:
    """The section: uploads, then the table and chart of the load priced every way given."""
    analysis = result.analysis
    st.subheader(t("prices.title"))
    st.caption(t("prices.intro"))
    use_sample = st.toggle(t("prices.use_sample"), key="prices.use_sample")
    series_file, package_files = _uploads(use_sample)
    if series_file is None and not package_files:
        st.info(t("prices.hint"))
        return
    shifted, shifted_by = _remembered_shift(result)
    try:
        series, package = _read_sources(series_file, package_files)
        compared = compare_prices(
            analysis.frame,
            analysis.periods,
            analysis.bill,
            series=series,
            package=package,
            shifted_kwh=shifted,
            shifted_by=shifted_by,
        )
    except InputError as err:
        show_error(err)
        return
    table = comparison_table(compared)
    shown = table.drop(columns=[t("prices.col.source")])
    formats = {c: st.column_config.NumberColumn(format="localized") for c in shown.columns[1:]}
    formats[t("prices.col.average")] = st.column_config.NumberColumn(format="%.4f")
    st.dataframe(shown, hide_index=True, width="stretch", column_config=formats)
    st.caption(
        "  \n".join(
            f"{md_escape(way)}: {md_escape(src)}"
            for way, src in zip(
                table[t("prices.col.way")], table[t("prices.col.source")], strict=True
            )
        )
    )
    st.plotly_chart(comparison_chart(compared), width="stretch", key="prices.chart")
    st.info(t("prices.caveat"), icon=":material/history:")
    st.caption(t("prices.definition"))
    if shifted is not None:
        st.caption(t("prices.shift_note"))
    for w in compared["package"].warnings if "package" in compared else ():
        st.warning(
            t(f"warning.{w.code}", count=w.count, **{k: md_escape(v) for k, v in w.params.items()})
        )
    if any(mb.source.illustrative for mb in compared.values()):
        st.caption(
            t(
                "prices.illustrative_sources",
                names=", ".join(
                    md_escape(mb.source.id) for mb in compared.values() if mb.source.illustrative
                ),
            )
        )
    st.download_button(
        t("download.csv"),
        csv_bytes(table),
        file_name="price_comparison.csv",
        mime="text/csv",
        key="dl.prices",
    )
