"""The Portfolio page's display pieces (issue 15): every figure in the number policy and in
the visitor's language, the command lines out of the way, and the demo with a progress bar.

- :func:`advanced_section` — the workspace path field and the command lines in a collapsed
  expander "工作区文件与命令行（高级）" (a temporary path or a shell command is no demo text).
- :func:`build_demo` — generate + ingest the seeded synthetic portfolio with one progress bar
  and the estimated time left (:class:`analytics.portfolio.ProgressClock`); the screen that
  follows reports through :func:`ui.screen_progress.screen_with_progress`.
- :func:`kpi_row`, :func:`screen_table`, :func:`scatter_in_policy` — the KPIs, the ranked
  table (``ui.render.format.format_frame``: units in the headers, separators in the cells,
  provinces, industries and size classes as words) and the scatter's axis in one energy unit.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.portfolio import ProgressClock, clock_text, generate, ingest
from ui.render.format import (
    ENERGY_UNITS,
    ZH,
    Col,
    count_unit,
    energy_unit,
    fmt_count,
    fmt_energy,
    fmt_num,
    format_frame,
    with_unit,
)
from ui.render.i18n import has_key, translate
from ui.state import lang, t

#: Session key: the workspace the demo built (applied to the path field on the next run,
#: before the field exists; the page shows "demo portfolio" instead of its temporary path).
DEMO_PENDING = "pf15.demo_pending"
DEMO_BUILT = "pf15.demo_built"

#: Display kind of each screen column (``ui.render.format.Col`` kinds); others are text.
KINDS = {
    "rank": "num",
    "energy_kwh": "energy_kwh",
    "green_purchase_kwh": "energy_kwh",
    "pv_generation_kwh": "energy_kwh",
    "gec_count": "gec",
    "pv_certificates": "gec",
    "peak_sharp_energy_share": "share",
    "valley_energy_share": "share",
    "data_coverage": "share",
    "total_cost_cny": "cny",
    "co2_market_t": "t",
    "sec_kwh_per_unit": "sec",
    "warning_count": "num",
}


def plain_label(key: str) -> str:
    """A column label without its ``[unit]`` (the unit is set from the values)."""
    return re.sub(r"\s*\[[^\]]*\]\s*$", "", t(key))


def apply_pending_demo() -> None:
    """Before the path field exists: point it at the workspace the demo just built."""
    pending = st.session_state.pop(DEMO_PENDING, None)
    if pending:
        st.session_state["portfolio.path"] = pending
        st.session_state[DEMO_BUILT] = pending


def advanced_section(default: str) -> str:
    """The workspace path field and the command lines, collapsed; returns the path."""
    demo = st.session_state.get(DEMO_BUILT)
    path = st.session_state.setdefault("portfolio.path", default)
    if demo and path == demo:
        st.caption(t("pf15.demo.active"))
    with st.expander(t("pf15.advanced"), expanded=False, icon=":material/terminal:"):
        path = st.text_input(
            t("portfolio.path"), key="portfolio.path", help=t("portfolio.path.help")
        )
        st.caption(t("pf15.cli.ingest"))
        st.code(
            "python -m analytics portfolio ingest manifest.csv --workspace "
            + (path or "WS.duckdb"),
            language="bash",
        )
        st.caption(t("portfolio.footer"))
    return path


def build_demo(n: int) -> str:
    """Generate ``n`` synthetic enterprises and ingest their files into a private temporary
    workspace, with one bar for both steps; returns the workspace's path.

    Items: ``n`` enterprises written, then the manifest's files imported (load, PV,
    production: known once the manifest is written, ≈ 1.5 n; 2 n is assumed until then)."""
    bar = st.progress(0.0, text=t("pf15.demo.start"))
    clock = ProgressClock()
    items = {"total": 2 * n}

    def step(phase: str, offset: int) -> Callable[[int, int], None]:
        def report(done: int, total: int) -> None:
            if phase == "ingest":
                items["total"] = offset + total
            est = clock(offset + done, items["total"])
            bar.progress(
                est.share,
                text=t(
                    f"pf15.demo.{phase}",
                    done=fmt_num(done),
                    total=fmt_num(total),
                    eta=clock_text(est.eta_s),
                ),
            )

        return report

    folder = Path(tempfile.mkdtemp(prefix="greentemp_demo_"))
    try:
        manifest = generate(folder / "exports", n, progress=step("generate", 0))
        ws = folder / "demo_workspace.duckdb"
        ingest(manifest, ws, workers=1, progress=step("ingest", n))
    finally:
        bar.empty()
    return str(ws)


def kpi_row(table: pd.DataFrame) -> None:
    """Five KPIs of the screen (enterprises, energy, GECs needed, PV certificates, mean
    score), each in the number policy (one energy unit by magnitude, counts with their unit)."""
    ok = table[table["error"].isna()]
    k1, k2, k3, k4, k5 = st.columns(5)
    # "24家" in Chinese; in English the label says what is counted ("Enterprises: 24")
    count = fmt_count(len(table), "site") if lang() == ZH else fmt_num(len(table))
    k1.metric(t("portfolio.kpi.enterprises"), count)
    k2.metric(t("portfolio.kpi.energy"), fmt_energy(float(ok["energy_kwh"].sum())))
    k3.metric(
        t("portfolio.kpi.gec"),
        fmt_count(int(ok["gec_count"].sum()), "gec"),
        help=t("portfolio.kpi.gec.help"),
    )
    k4.metric(
        t("portfolio.kpi.pv_certificates"),
        fmt_count(int(ok["pv_certificates"].sum()), "gec"),
        help=t("portfolio.kpi.pv_certificates.help"),
    )
    k5.metric(t("portfolio.kpi.score"), fmt_num(float(ok["green_temperature_score"].mean()), 1))


def known(code: str, kind: str, value: object) -> str:
    """A province or industry name in ``code`` when the catalogue knows it (else as given)."""
    key = f"portfolio.{kind}.{value}"
    return translate(code, key) if has_key(key, code) else str(value)


def _spec(c: str, values: pd.Series | None = None) -> Col:
    kind = KINDS.get(c, "text")
    label = plain_label(f"portfolio.col.{c}")
    if kind == "gec":
        return Col(label, "num", unit=count_unit("gec"))
    if kind == "energy_kwh" and values is not None:
        # the typical enterprise's unit (万kWh / MWh), not the largest one's (亿kWh / GWh):
        # a column of "0.22 亿kWh" cells would hide the differences between enterprises
        return Col(label, kind, unit=energy_unit(float(values.median())))
    return Col(label, kind)


def screen_table(view: pd.DataFrame, shown: Sequence[str]) -> tuple[pd.DataFrame, dict]:
    """The ranked table for ``st.dataframe`` and its column config: text cells in the number
    policy (header ``用电量 [万kWh]``), the score kept numeric for its progress bar."""
    code = lang()
    frame = view[list(shown)].copy()
    frame["province"] = frame["province"].map(lambda v: known(code, "province", v))
    frame["industry"] = frame["industry"].map(lambda v: known(code, "industry", v))
    frame["size_class"] = frame["size_class"].map(
        lambda s: t(f"pf15.size.{s}") if isinstance(s, str) and has_key(f"pf15.size.{s}") else s
    )
    if "error" in frame:
        frame["error"] = frame["error"].where(frame["error"].notna(), "")
    specs = {c: _spec(c, frame[c]) for c in shown}
    out = format_frame(frame, specs, code)
    config: dict = {}
    for c, header in zip(shown, out.columns, strict=True):
        help_text = t(f"portfolio.help.{c}")
        if c == "green_temperature_score":
            out[header] = pd.to_numeric(frame[c], errors="coerce").to_numpy()
            config[header] = st.column_config.ProgressColumn(
                header, help=help_text, min_value=0, max_value=100, format="%.1f"
            )
        else:
            config[header] = st.column_config.TextColumn(header, help=help_text)
    return out, config


def scatter_in_policy(fig: go.Figure, view: pd.DataFrame, x_label_key: str) -> go.Figure:
    """The need-vs-saving scatter with its x axis in the energy unit of the number policy
    (万kWh in Chinese, MWh/GWh in English, by the largest need) and shares as percentages."""
    need = view["green_purchase_kwh"]
    unit = energy_unit(need.fillna(0.0))
    fig.update_traces(
        x=need / ENERGY_UNITS[unit],
        marker_colorbar_title_text=t("portfolio.col.green_temperature_score"),  # the colours
    )
    fig.update_xaxes(title_text=with_unit(plain_label(x_label_key), unit), tickformat=",")
    fig.update_layout(title_text=t("pf15.chart.scatter"))  # short enough for half of 1280 px
    if "saving_cny" not in view or view["saving_cny"].isna().all():
        fig.update_yaxes(tickformat=".0%")
    return fig
