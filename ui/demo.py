"""The guided demo ("演示") and the Overview's "this enterprise vs its industry" comparison.

Guided demo
    Session key ``demo.step``: the 0-based index into :data:`ui.render.demo.STEPS` while the
    demo is on, absent when it is off. :func:`demo_start` (the Overview) starts it and opens the
    first step's page; :func:`demo_bar` (every page, once, near the top) shows a compact banner
    — step k of 5, the talking point from this enterprise's cached analysis, and the buttons
    上一步 / 下一步 / 结束演示 that switch pages — and draws nothing when the demo is off.

Industry comparison
    The Portfolio page hands its screen table to :func:`remember_screen` (session key
    ``demo.screen``: the table, the enterprise names and the workspace path, the same objects,
    nothing copied or recomputed). :func:`industry_comparison` (the Overview) compares the
    current enterprise with its industry through
    :func:`analytics.portfolio.benchmarking.compare_to_group`: the workspace enterprise (source
    ``workspace``, or a drill-down from the Portfolio page) by its screen row within its own
    industry; the sample or an upload by its own analysis against the industry the visitor picks
    (default: the sidebar's industry when the portfolio has it, else the most common one).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pandas as pd
import streamlit as st

from analytics.analysis import Analysis
from analytics.findings import InputError
from analytics.portfolio.benchmarking import MIN_GROUP, compare_to_group, enterprise_figures
from ui.dataset import Result, analyse_file, current_file
from ui.render.demo import STEPS, step_header, talking_point
from ui.render.format import Col, fmt_sec, fmt_share, format_frame
from ui.render.i18n import has_key, translate
from ui.state import lang, source, t, t_now, uploaded

STEP_KEY = "demo.step"
SCREEN_KEY = "demo.screen"


# ------------------------------------------------------------------------------ guided demo


def demo_on() -> bool:
    step = st.session_state.get(STEP_KEY)
    return isinstance(step, int) and 0 <= step < len(STEPS)


def _go(index: int | None) -> None:
    """Set the step (None: end the demo) and open its page (ending stays on this page)."""
    if index is None:
        st.session_state.pop(STEP_KEY, None)
        st.rerun()
    st.session_state[STEP_KEY] = index
    st.switch_page(STEPS[index].page, query_params={"lang": lang()})


def demo_start() -> None:
    """The Overview's start button (nothing while the demo is on: the banner leads)."""
    if demo_on():
        return
    if st.button(
        t("demo.start"),
        key="demo.start",
        type="primary",
        icon=":material/slideshow:",
        help=t("demo.start.help"),
    ):
        _go(0)


def _result() -> Result | None:
    """The cached analysis of the current data, or None when there is none (or it fails:
    the page itself says why)."""
    item = current_file("load")
    if item is None:
        return None
    try:
        return analyse_file(item, "load")
    except InputError:
        return None


def _stage(analysis: Analysis) -> str:
    from ui.render.report import stage_name
    from ui.report_button import session_stage

    return stage_name(session_stage(analysis), lang())


def _calling_page(depth: int = 2) -> str | None:
    """``pages/<name>.py`` of the page script that called (Streamlit runs a page with its
    ``__file__`` set), or None."""
    name = sys._getframe(depth).f_globals.get("__file__")
    return f"pages/{Path(name).name}" if name else None


def demo_bar() -> None:
    """The demo banner (every page calls this once near its top; nothing when the demo is off)."""
    if not demo_on():
        return
    index = int(st.session_state[STEP_KEY])
    step, code = STEPS[index], lang()
    here = _calling_page()
    result = _result()
    with st.container(border=True, key="demo.bar"):
        st.markdown(f"**{step_header(index, code)}**")
        if result is None:
            st.write(t("demo.no_data"))
        else:
            # the green figures as the Green page set them (target, holdings, weights)
            from ui.green_settings import session_analysis

            analysis = session_analysis(result) if step.id in ("green", "canvas") else None
            analysis = analysis or result.analysis
            stage = _stage(analysis) if step.id == "canvas" else ""
            st.write(talking_point(step.id, analysis, code, stage=stage))
        last = index == len(STEPS) - 1
        b1, b2, b3, b4 = st.columns([1, 1, 1, 2], vertical_alignment="center")
        if b1.button(t("demo.prev"), key="demo.prev", disabled=index == 0, width="stretch"):
            _go(index - 1)
        if b2.button(
            t("demo.next"),
            key="demo.next",
            disabled=last,
            type="primary",
            width="stretch",
        ):
            _go(index + 1)
        if b3.button(
            t("demo.end"), key="demo.end", type="primary" if last else "secondary", width="stretch"
        ):
            _go(None)
        if here is not None and here != step.page:
            b4.page_link(step.page, label=t("demo.open_step"), icon=":material/arrow_forward:")


# ------------------------------------------------------------------------ industry comparison


def remember_screen(table: pd.DataFrame, names: pd.DataFrame, key: tuple) -> None:
    """The Portfolio page's screen table for the Overview's comparison (this session only)."""
    st.session_state[SCREEN_KEY] = {"table": table, "names": names, "path": str(key[0])}


def _workspace_enterprise(screen: dict) -> str | None:
    """The enterprise id of the current data when it is an enterprise of the screened
    workspace (sidebar source ``workspace``, or a Portfolio drill-down), else None."""
    ids = set(screen["table"]["enterprise_id"])
    if source() == "workspace":
        from ui.workspace import ENTERPRISE_KEY, workspace_path

        try:
            same = Path(workspace_path()).resolve() == Path(screen["path"]).resolve()
        except OSError:
            same = False
        eid = st.session_state.get(ENTERPRISE_KEY)
        return eid if same and eid in ids else None
    eid = st.session_state.get("portfolio.enterprise")
    item = uploaded("load")
    if source() == "upload" and eid in ids and item is not None:
        return eid if item.name == f"{eid}_load.csv" else None
    return None


def _industry_label(value: object, code: str) -> str:
    key = f"portfolio.industry.{value}"
    return translate(code, key) if has_key(key, code) else str(value)


def default_industry(industries: list[str], counts: pd.Series, sidebar: str | None) -> str:
    """The sidebar's industry when the portfolio has it, else the most common (ties: by name)."""
    if sidebar in industries:
        return str(sidebar)
    ranked = sorted(industries, key=lambda i: (-int(counts.get(i, 0)), i))
    return ranked[0]


def _value_text(metric: str, value: float) -> str:
    return fmt_sec(value) if metric == "sec_kwh_per_unit" else fmt_share(value)


def _comparison_frame(rows: pd.DataFrame, code: str) -> pd.DataFrame:
    shown = pd.DataFrame(
        {
            "metric": [t(f"demo.cmp.metric.{m}") for m in rows["metric"]],
            "value": [
                _value_text(m, v) for m, v in zip(rows["metric"], rows["value"], strict=True)
            ],
            "median": [
                _value_text(m, v) for m, v in zip(rows["metric"], rows["median"], strict=True)
            ],
            "pct": rows["pct"],
            "n": rows["n"].astype("float64"),
        }
    )
    return format_frame(
        shown,
        {
            "metric": Col(t("demo.cmp.col.metric")),
            "value": Col(t("demo.cmp.col.value")),
            "median": Col(t("demo.cmp.col.median")),
            "pct": Col(t("demo.cmp.col.pct"), "share", 0),
            "n": Col(t("demo.cmp.col.n"), "num", unit=t("demo.cmp.unit.n")),
        },
        code,
    )


def _sentence(rows: pd.DataFrame, industry: str, n: int) -> str:
    """The most notable metric (the percentile furthest from the middle), or the group size."""
    usable = rows[rows["pct"].notna()]
    if usable.empty:
        return t("demo.cmp.small", industry=industry, n=n, min=MIN_GROUP)
    top = usable.loc[(usable["pct"] - 0.5).abs().idxmax()]
    return t(
        "demo.cmp.sentence",
        industry=industry,
        n=n,
        metric=t(f"demo.cmp.metric.{top['metric']}"),
        value=_value_text(top["metric"], top["value"]),
        median=_value_text(top["metric"], top["median"]),
        pct=fmt_share(top["pct"], 0),
    )


def _pick_industry(table: pd.DataFrame, code: str) -> str | None:
    from ui.holdings import chosen_industry

    usable = table[table["error"].isna()] if "error" in table else table
    counts = usable["industry"].dropna().astype(str)
    counts = counts[counts != ""].value_counts()
    industries = sorted(counts.index)
    if not industries:
        return None
    first = default_industry(industries, counts, chosen_industry())
    tf = t_now()
    return st.columns([1, 2])[0].selectbox(
        tf("demo.cmp.industry"),
        industries,
        index=industries.index(first),
        key="demo.cmp.industry",
        format_func=lambda i: f"{_industry_label(i, code)} ({int(counts[i])})",
    )


def industry_comparison() -> None:
    """The Overview's "this enterprise vs its industry" (a caption when no portfolio is loaded)."""
    screen = st.session_state.get(SCREEN_KEY)
    if not screen or screen["table"].empty:
        st.caption(t("demo.cmp.no_portfolio"))
        return
    table, code = screen["table"], lang()
    st.subheader(t("demo.cmp.title"))
    eid = _workspace_enterprise(screen)
    if eid is not None:
        row = table[table["enterprise_id"] == eid].iloc[0]
        industry = row.get("industry")
        if not isinstance(industry, str) or not industry:
            st.caption(t("demo.cmp.no_industry"))
            return
        figures = enterprise_figures(table, eid)
    else:
        industry = _pick_industry(table, code)
        result = _result()
        if industry is None or result is None:
            st.caption(t("demo.cmp.no_industry"))
            return
        figures = analysis_figures(result.analysis)
    rows = compare_to_group(table, figures, group_value=industry, enterprise_id=eid)
    label = _industry_label(industry, code)
    n = int(rows["n"].max()) if len(rows) else 0
    st.write(_sentence(rows, label, n))
    st.dataframe(_comparison_frame(rows, code), hide_index=True, key="demo.cmp.table")
    st.caption(t("demo.cmp.help", min=MIN_GROUP))


def analysis_figures(analysis: Analysis) -> dict[str, float]:
    """The benchmark metrics of one analysis, defined as the screen row defines them
    (:mod:`analytics.portfolio.rows`, ``renewable_share_now`` as in ``derived``)."""
    from analytics.tou import peak_energy_share

    stats, green = analysis.load, analysis.green
    energy = float(stats.energy_kwh)
    self_kwh = green.balance.pv_self_consumed_kwh
    prod = analysis.production
    sec = prod.metrics.sec_kwh_per_unit if prod is not None else math.nan
    return {
        "sec_kwh_per_unit": float(sec),
        "peak_sharp_energy_share": float(peak_energy_share(analysis.bill.energy_kwh, energy)),
        "load_factor": float(stats.load_factor),
        "renewable_share_now": (0.0 if math.isnan(self_kwh) else float(self_kwh)) / energy
        if energy > 0
        else math.nan,
    }
