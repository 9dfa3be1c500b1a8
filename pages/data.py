"""Data: upload meter exports, see what was detected, adjust it, validate, download."""

from contextlib import suppress
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from analytics.findings import DataWarning, InputError
from analytics.iotools import ColumnGuess, ImportOptions, ImportReport
from analytics.portfolio import DEFAULT_WORKSPACE
from ui.cached import (
    cached_canonical_csv,
    cached_columns,
    cached_import,
    cached_preview,
    cached_pv,
)
from ui.dataset import analyse_file, current_file, import_options
from ui.demo import demo_bar
from ui.downloads import csv_bytes
from ui.guard import upload_notice
from ui.progress_bar import import_with_progress
from ui.render.format import fmt_num, fmt_time, md_escape
from ui.report_button import report_button
from ui.state import (
    FileInput,
    ensure_router,
    lang,
    options_state,
    set_uploaded,
    site_tz,
    source,
    t,
    t_now,
    uploaded,
)
from ui.widgets import error_message, show_error, show_warnings, warnings_table
from ui.workspace import SAVED_KEY, save_uploads

ensure_router()
demo_bar()  # the guided demo's banner (ui/demo.py; nothing when it is off)

UNITS = ("W", "kW", "MW", "Wh", "kWh", "MWh")
VALUE_KINDS = ("energy", "power", "register")


def _on_upload(kind: str) -> None:
    up = st.session_state.get(f"uploader.{kind}")
    if up is None:
        set_uploaded(kind, None)
        return
    set_uploaded(kind, FileInput.of(up.name, up.getvalue()))
    options_state(kind).clear()  # a new file starts from detection
    for field in ("labels", "unit", "kind", "dayfirst", "time_column", "value_column"):
        st.session_state.pop(f"ov.{kind}.{field}", None)
    if kind == "load":
        st.session_state["source"] = "upload"


def _sync_override(kind: str, field: str) -> None:
    value = st.session_state.get(f"ov.{kind}.{field}")
    opts = options_state(kind)
    if value in (None, "", "auto"):
        opts.pop(field, None)
    else:
        opts[field] = {"yes": True, "no": False}.get(value, value) if field == "dayfirst" else value


@dataclass(frozen=True)
class Imported:
    """One file as the importer read it (the Data page needs no analysis)."""

    file_name: str
    sha256: str
    options: ImportOptions
    frame: pd.DataFrame
    report: ImportReport
    warnings: list[DataWarning]


def _import(item: FileInput, kind: str) -> Imported:
    """The importer on one file (PV: negative night values clipped and reported)."""
    opts = import_options(kind)
    if kind == "pv":
        frame, report = cached_pv(item.sha256, item.name, opts, item.data)
    else:
        frame, report = cached_import(item.sha256, item.name, opts, item.data)
    return Imported(item.name, item.sha256, opts, frame, report, list(report.warnings))


def _detected_table(result: Imported) -> pd.DataFrame:
    r = result.report
    yes_no = {True: t("common.yes"), False: t("common.no")}
    rows = [
        (t("detect.file"), result.file_name),
        (t("detect.format"), t(f"detect.format.{r.format}")),
        (
            t("detect.encoding"),
            f"{r.encoding}"
            + (f" · {t('detect.delimiter')} {r.delimiter!r}" if r.delimiter else ""),
        ),
        (t("detect.columns"), " / ".join(c for c in (r.time_column, r.value_column) if c) or "–"),
        (t("detect.kind"), t(f"detect.kind.{r.kind}")),
        (t("detect.unit"), r.unit + (f" ({t('detect.assumed')})" if r.unit_assumed else "")),
        (
            t("detect.labels"),
            t(f"detect.labels.{r.label_convention}")
            + f" ({t('detect.auto') if r.label_detected else t('detect.overridden')})",
        ),
        (t("detect.interval"), t("detect.minutes", n=r.interval_minutes)),
        (
            t("detect.zone"),
            r.tz + (f" · {t('detect.source_offset')} {r.source_offset}" if r.source_offset else ""),
        ),
        (t("detect.span"), f"{fmt_time(r.start)} → {fmt_time(r.end)}"),
        (t("detect.rows"), fmt_num(r.rows_read)),
        (
            t("detect.intervals"),
            f"{fmt_num(r.intervals)} · {t('detect.missing')} {fmt_num(r.missing_intervals)}",
        ),
        (t("detect.duplicates"), fmt_num(r.duplicate_rows_dropped)),
        (t("detect.dayfirst"), yes_no.get(r.dayfirst, "–")),
    ]
    return pd.DataFrame(rows, columns=[t("detect.what"), t("detect.value")]).set_index(
        t("detect.what")
    )


def _overrides(kind: str, result: Imported | None) -> None:
    tf = t_now()
    with st.expander(t("data.adjust"), expanded=False):
        st.caption(t("data.adjust.help"))
        c1, c2, c3, c4 = st.columns(4)
        c1.selectbox(
            t("detect.labels"),
            ("auto", "start", "end"),
            key=f"ov.{kind}.labels",
            format_func=lambda v: tf(f"override.labels.{v}"),
            on_change=_sync_override,
            args=(kind, "labels"),
        )
        c2.selectbox(
            t("detect.unit"),
            ("auto", *UNITS),
            key=f"ov.{kind}.unit",
            format_func=lambda v: tf("override.auto") if v == "auto" else v,
            on_change=_sync_override,
            args=(kind, "unit"),
        )
        c3.selectbox(
            t("detect.kind"),
            ("auto", *VALUE_KINDS),
            key=f"ov.{kind}.kind",
            format_func=lambda v: tf("override.auto") if v == "auto" else tf(f"detect.kind.{v}"),
            on_change=_sync_override,
            args=(kind, "kind"),
        )
        c4.selectbox(
            t("detect.dayfirst"),
            ("auto", "yes", "no"),
            key=f"ov.{kind}.dayfirst",
            format_func=lambda v: tf("override.auto") if v == "auto" else tf(f"common.{v}"),
            on_change=_sync_override,
            args=(kind, "dayfirst"),
        )
        d1, d2 = st.columns(2)
        d1.text_input(
            t("override.time_column"),
            key=f"ov.{kind}.time_column",
            placeholder=(result.report.time_column or "") if result else "",
            on_change=_sync_override,
            args=(kind, "time_column"),
        )
        d2.text_input(
            t("override.value_column"),
            key=f"ov.{kind}.value_column",
            placeholder=(result.report.value_column or "") if result else "",
            on_change=_sync_override,
            args=(kind, "value_column"),
        )


#: Detection failures the visitor can mend by naming the columns.
MAPPABLE = frozenset({"import.no_time_column", "import.no_value_column"})


def _apply_mapping(kind: str, guess: ColumnGuess) -> None:
    """Form callback: the chosen columns become the file's import options."""
    ss = st.session_state
    chosen = (ss.get(f"map.{kind}.{role}") or None for role in ("date", "time", "value"))
    opts = options_state(kind)
    for field in ("date_column", "time_column", "value_column"):
        opts.pop(field, None)
    opts.update(guess.options(*chosen))


def _mapping_step(kind: str, item: FileInput) -> None:
    """Name the date, time and value columns, pre-filled with the best guess."""
    try:
        guess = cached_columns(item.sha256, item.name, item.data)
    except InputError:
        return  # not a table at all: the error above says why
    st.subheader(t("data.map.title"))
    st.caption(t("data.map.help"))
    choices = ["", *guess.columns]
    tf = t_now()

    def label(c: str) -> str:
        return c if c else tf("data.map.none")

    guessed = {"date": guess.date_column, "time": guess.time_column, "value": guess.value_column}
    with st.form(f"map.{kind}"):
        for col, (role, column) in zip(st.columns(3), guessed.items(), strict=True):
            col.selectbox(
                t(f"data.map.{role}"),
                choices,
                index=choices.index(column or ""),
                format_func=label,
                key=f"map.{kind}.{role}",
                disabled=role == "value" and guess.wide,  # a daily curve's values are its columns
            )
        st.form_submit_button(t("data.map.apply"), on_click=_apply_mapping, args=(kind, guess))


def _series_tab(kind: str, full: bool = True) -> None:
    """One file's tab; ``full=False`` (a closed tab): only its uploader, no import, no chart."""
    st.file_uploader(
        t(f"data.upload.{kind}"),
        type=["csv", "txt", "xlsx"],
        key=f"uploader.{kind}",
        on_change=_on_upload,
        args=(kind,),
        help=t("data.upload.help"),
    )
    upload_notice(kind)
    item = current_file(kind)
    if item is None:
        st.info(t(f"data.none.{kind}"))
        return
    if not full:
        return
    if source() == "sample":
        st.caption(t("data.showing_sample", name=md_escape(item.name)))
    result: Imported | None = None
    try:
        result = import_with_progress(item.name, len(item.data), lambda: _import(item, kind))
    except InputError as err:
        show_error(err)
        if err.code in MAPPABLE:
            _mapping_step(kind, item)
    _overrides(kind, result)
    if result is None:
        return
    left, right = st.columns([2, 3])
    with left:
        st.subheader(t("data.detected"))
        st.table(_detected_table(result))
    with right:
        st.subheader(t("data.validation"))
        show_warnings(result.warnings)  # this file's findings; pricing notes are on the pages
    st.plotly_chart(
        cached_preview(  # built once per file and language: a rerun only sends it
            result.sha256,
            item.name,
            result.options,
            lang(),
            t(f"chart.preview.{kind}"),
            "kW",
            t("chart.hourly_means"),
            result.frame,
        ),
        width="stretch",
    )
    stem = item.name.rsplit(".", 1)[0]
    d1, d2 = st.columns(2)
    d1.download_button(
        t("data.download.canonical"),
        data=cached_canonical_csv(result.sha256, item.name, result.options, item.data),
        file_name=f"{stem}_canonical.csv",
        mime="text/csv",
        key=f"dl.canonical.{kind}",
    )
    d2.download_button(
        t("data.download.report"),
        data=csv_bytes(warnings_table(result.warnings)),
        file_name=f"{stem}_validation.csv",
        mime="text/csv",
        key=f"dl.report.{kind}",
        disabled=not result.warnings,
    )


def _prepare_load() -> None:
    """Read and analyse the load file under a progress bar (the report button needs the
    analysis; without this a large upload is read there with no sign of progress)."""
    item = current_file("load")
    if item is None:
        return
    with suppress(InputError):  # the load tab shows the error and the mapping step
        import_with_progress(
            item.name, len(item.data), lambda: analyse_file(item, "load"), with_analysis=True
        )


st.title(t("data.title"))
st.write(t("data.intro"))
_prepare_load()
report_button()
# lazy tabs: only the open tab's file is imported and drawn on a rerun (issue 15)
tab_load, tab_pv = st.tabs(
    [t("data.tab.load"), t("data.tab.pv")], key="data.tab", on_change="rerun"
)
with tab_load:
    _series_tab("load", full=bool(tab_load.open))
with tab_pv:
    _series_tab("pv", full=bool(tab_pv.open))


def _save() -> None:
    ss = st.session_state
    try:
        ss[SAVED_KEY] = save_uploads(
            ss["save.path"],
            ss["save.id"].strip(),
            ss["save.name"].strip(),
            ss["save.province"].strip(),
            ss["save.industry"].strip(),
            site_tz(),
        )
    except InputError as err:  # an unusable workspace path or file: shown, never a traceback
        ss[SAVED_KEY] = [
            {
                "kind": "",
                "file": ss["save.path"],
                "status": "error",
                "new": 0,
                "same": 0,
                "error": err,
            }
        ]


with st.expander(t("save.heading"), expanded=bool(st.session_state.get(SAVED_KEY))):
    if uploaded("load") is None:
        st.caption(t("save.needs_upload"))
    else:
        st.caption(t("save.help"))
        a, b = st.columns(2)
        a.text_input(t("ws.path"), value=str(DEFAULT_WORKSPACE), key="save.path")
        b.text_input(t("save.id"), key="save.id", placeholder="E-0001")
        c, d, e = st.columns(3)
        c.text_input(t("save.name"), key="save.name")
        d.text_input(t("save.province"), key="save.province", placeholder="Jiangsu")
        e.text_input(t("save.industry"), key="save.industry", placeholder="electronics")
        ready = bool(st.session_state.get("save.id", "").strip())
        st.button(
            t("save.button"),
            on_click=_save,
            disabled=not ready,
            key="save.go",
            icon=":material/save:",
        )
    saved = st.session_state.get(SAVED_KEY)
    if saved:
        rows = [
            {
                t("save.col.kind"): r["kind"],
                t("save.col.file"): r["file"],
                t("save.col.status"): t(f"save.status.{r['status']}"),
                t("save.col.new"): r["new"],
                t("save.col.same"): r["same"],
                t("save.col.error"): error_message(r["error"]) if r["error"] is not None else "",
            }
            for r in saved
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
