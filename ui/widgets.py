"""Small shared renderers: warnings table, error box, KPI row."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import streamlit as st

from analytics.findings import DataWarning, InputError
from ui.render.format import fmt_cny, fmt_energy, fmt_kw, fmt_price, fmt_share, md_escape
from ui.render.i18n import has_key
from ui.state import lang, t


def warning_text(w: DataWarning) -> str:
    key = f"warning.{w.code}"
    return t(key, count=w.count, **dict(w.params)) if has_key(key, lang()) else w.code


def warnings_table(warnings: Iterable[DataWarning]) -> pd.DataFrame:
    """The validation report as a readable table (code, what, count, first rows)."""
    rows = [
        {
            t("report.col.finding"): warning_text(w),
            t("report.col.count"): int(w.count),
            t("report.col.rows"): ", ".join(str(r) for r in w.first_rows),
            t("report.col.code"): w.code,
        }
        for w in warnings
    ]
    cols = [
        t("report.col.finding"),
        t("report.col.count"),
        t("report.col.rows"),
        t("report.col.code"),
    ]
    return pd.DataFrame(rows, columns=cols)


def show_warnings(warnings: list[DataWarning]) -> None:
    if not warnings:
        st.success(t("report.clean"))
        return
    st.warning(t("report.summary", n=len(warnings)))
    st.dataframe(warnings_table(warnings), hide_index=True, width="stretch")


def error_message(err: InputError) -> str:
    key = f"error.{err.code}"
    ctx = {k: md_escape(v) for k, v in err.context().items()}
    text = t(key, **ctx) if has_key(key, lang()) else md_escape(err)
    where = [
        t("error.where.file", file=md_escape(err.file)) if err.file else "",
        t("error.where.row", row=err.row) if err.row is not None else "",
        t("error.where.column", column=md_escape(err.column)) if err.column else "",
    ]
    loc = " · ".join(w for w in where if w)
    return f"{text}\n\n{loc}" if loc else text


def show_error(err: InputError) -> None:
    """A clear error box for unreadable input (never a traceback)."""
    st.error(error_message(err), icon=":material/error:")


def load_and_cost_metrics(cols: list, stats, bill, *, compact: bool = False) -> None:
    """The six headline metrics (energy, peak, load factor, base load, total cost, average
    price) into six columns; ``compact`` money and a 3-decimal price where space is short."""

    cols[0].metric(t("kpi.energy"), fmt_energy(stats.energy_kwh), help=t("help.energy_kwh"))
    cols[1].metric(t("kpi.peak"), fmt_kw(stats.peak_kw), help=t("help.peak_kw"))
    cols[2].metric(t("kpi.load_factor"), fmt_share(stats.load_factor), help=t("help.load_factor"))
    cols[3].metric(t("kpi.base_load"), fmt_kw(stats.base_load_kw), help=t("help.base_load_kw"))
    cols[4].metric(
        t("kpi.total_cost"),
        fmt_cny(bill.total_cost_cny, lang(), compact=compact),
        help=t("help.total_cost_cny"),
    )
    cols[5].metric(
        t("kpi.average_price"),
        fmt_price(bill.average_price_cny_per_kwh, lang(), 3 if compact else 4),
        help=t("help.average_price"),
    )
