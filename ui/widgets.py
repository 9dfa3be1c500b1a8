"""Small shared renderers: warnings table, error box, KPI row."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import streamlit as st

from analytics.findings import DataWarning, InputError
from ui.format import md_escape
from ui.i18n import has_key
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
    cols = [t("report.col.finding"), t("report.col.count"), t("report.col.rows"), t("report.col.code")]
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
