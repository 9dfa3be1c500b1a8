"""The current dataset of the session, analysed through the cache."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from analytics.analysis import Analysis
from analytics.findings import InputError
from analytics.iotools import ImportOptions
from ui.cached import cached_analysis, cached_import, cached_production, cached_pv
from ui.render.format import md_escape
from ui.state import (
    SAMPLE_DIR,
    SAMPLE_FILES,
    FileInput,
    options_state,
    sample_file,
    site_tz,
    source,
    state_map,
    t,
    uploaded,
)
from ui.tariffs import active_tariffs, price_warnings
from ui.widgets import show_error
from ui.workspace import workspace_file

OPTION_FIELDS = ("labels", "unit", "kind", "time_column", "date_column", "value_column", "dayfirst")


@dataclass(frozen=True)
class Result:
    file_name: str
    sha256: str
    options: ImportOptions
    analysis: Analysis
    tariff_key: str = "default"  # cache key of the tariff versions in ``analysis.tariffs``


def import_options(kind: str) -> ImportOptions:
    """Import options for ``kind`` from the site zone and the user's overrides."""
    chosen = options_state(kind)
    return ImportOptions(tz=site_tz(), **{k: v for k, v in chosen.items() if k in OPTION_FIELDS})


def analyse_file(item: FileInput, kind: str = "load") -> Result:
    """Analyse one file, priced by the visitor's tariff (raises ``InputError``)."""
    opts = import_options(kind)
    frame, _ = cached_import(item.sha256, item.name, opts, item.data)
    tariffs, tariff_key = active_tariffs(frame)
    pv_item = current_file("pv") if kind == "load" else None
    pv, pv_key = None, "none"
    if pv_item is not None:
        pv_opts = import_options("pv")
        try:
            pv = cached_pv(pv_item.sha256, pv_item.name, pv_opts, pv_item.data)
            pv_key = f"{pv_item.sha256}:{pv_opts}"
        except InputError:
            pv = None  # the Data page shows the PV file's error; the load is analysed without PV
    production, production_key = None, "none"
    prod_item = current_file("production") if kind == "load" else None
    if prod_item is not None:
        try:
            production = cached_production(
                prod_item.sha256, prod_item.name, site_tz(), prod_item.data, state_map()
            )
            production_key = f"{prod_item.sha256}:{site_tz()}:{state_map()}"
        except InputError:
            production = None  # the Production page shows the schedule's error
    analysis = cached_analysis(
        item.sha256,
        item.name,
        opts,
        tariff_key,
        pv_key,
        production_key,
        item.data,
        tariffs,
        pv,
        production,
        price_warnings(frame),
    )
    return Result(
        file_name=item.name,
        sha256=item.sha256,
        options=opts,
        analysis=analysis,
        tariff_key=tariff_key,
    )


def current_analysis(kind: str = "load") -> Result:
    """The analysis the pages show; stops the page with a hint when there is none."""
    item = current_file(kind)
    if item is None:
        st.info(t("hint.no_data"))
        st.page_link("pages/data.py", label=t("home.go_data"), icon=":material/upload_file:")
        st.stop()
    try:
        with st.spinner(t("hint.importing", name=md_escape(item.name))):
            return analyse_file(item, kind)
    except InputError as err:
        show_error(err)
        st.stop()


def current_file(kind: str) -> FileInput | None:
    """The file the pages analyse: the upload, or the sample when the source is the sample."""
    if source() == "upload":
        return uploaded(kind)
    if source() == "workspace":
        return workspace_file(kind)
    return sample_file(kind) if (SAMPLE_DIR / SAMPLE_FILES[kind]).is_file() else None
