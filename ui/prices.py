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

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.findings import InputError
from analytics.tou import COMPARISON_WAYS, MarketBill, PriceSeries, compare_prices
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


def remember_shift(sha256: str, options: Any, tariff_key: str, new_kwh: pd.Series) -> None:
    """Keep the Production page's last shifted load for the comparison (this session only)."""
    st.session_state[SHIFT_KEY] = {"key": shift_key(sha256, options, tariff_key), "kwh": new_kwh}


def _remembered_shift(result: Any) -> pd.Series | None:
    kept = st.session_state.get(SHIFT_KEY)
    if not kept or kept.get("key") != shift_key(result.sha256, result.options, result.tariff_key):
        return None
    return kept["kwh"]


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
                t("prices.col.way"): t(f"prices.way.{way}"),
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
    names = [t(f"prices.way.{w}") for w in ways]
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
    shifted = _remembered_shift(result)
    try:
        series = (
            _marked(
                cached_price_series(
                    series_file.sha256, series_file.name, site_tz(), series_file.data
                ),
                series_file,
            )
            if series_file is not None
            else None
        )
        package = _package(package_files) if package_files else None
        compared = compare_prices(
            analysis.frame,
            analysis.periods,
            analysis.bill,
            series=series,
            package=package,
            shifted_kwh=shifted,
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
