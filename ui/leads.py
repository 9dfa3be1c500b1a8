"""The Portfolio page's leads section: a rule picker, the ranked leads with why each ranks
where it does, 对标 percentiles and 同比/环比 where the data has them, and a CSV download.

Figures come from :func:`analytics.portfolio.rank_leads` on the page's screen table and
:func:`ui.cached.cached_trends`; this module only lays them out.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.findings import InputError
from analytics.portfolio import RULES, available_rules, rank_leads
from analytics.portfolio.benchmarking import MIN_GROUP
from ui.cached import WorkspaceKey, cached_trends
from ui.downloads import csv_bytes
from ui.render.format import md_escape
from ui.render.leads import leads_table, why_text
from ui.state import lang, t, t_now
from ui.widgets import show_error

#: metrics whose percentiles the table shows (industry, then province)
PCT_METRICS = ("peak_sharp_energy_share", "load_factor", "renewable_share_now", "sec_kwh_per_unit")
TREND_COLUMNS = ("energy_kwh_yoy", "energy_kwh_mom", "total_cost_cny_yoy", "total_cost_cny_mom")
TOP = 20  # leads shown (the download has every enterprise)
TOP_WHY = 5  # leads whose why is also spelled out below the table


def _pct_cell(pct: float, n: object) -> str:
    """A percentile as text; a group too small says so (n peers < minimum), none: “—”."""
    if pd.notna(pct):
        return f"{pct:.0%}"
    if pd.isna(n) or int(n) == 0:
        return "—"
    return t("leads.small_group_cell", n=int(n), min=MIN_GROUP)


def _shown(leads: pd.DataFrame, names: pd.DataFrame, code: str) -> pd.DataFrame:
    view = leads.merge(names[["enterprise_id", "name"]], on="enterprise_id", how="left")
    out = pd.DataFrame(
        {
            "rank": view["rank"],
            "enterprise_id": view["enterprise_id"],
            "name": view["name"],
            "rule_value": view["rule_value"],
        }
    )
    for c in TREND_COLUMNS:
        if c in view and view[c].notna().any():
            out[c] = view[c] * 100  # shown in %
    for metric in PCT_METRICS:
        for group in ("industry", "province"):
            out[f"{metric}_pct_{group}"] = [
                _pct_cell(p, n)
                for p, n in zip(
                    view[f"{metric}_pct_{group}"], view[f"{metric}_n_{group}"], strict=True
                )
            ]
    out["why"] = [why_text(w, code) for w in view["why"]]
    return out


def _column(c: str, rule: str):
    if c == "why":
        return st.column_config.TextColumn(t("leads.col.why"), width="large")
    if c == "rule_value":
        return st.column_config.NumberColumn(
            t(f"leads.value.{rule}"), help=t(f"leads.rule.{rule}.help"), format="localized"
        )
    label = t(f"leads.col.{c}") if not c.endswith(("_industry", "_province")) else None
    if label is None:
        metric, _, group = c.rpartition("_pct_")
        label = t(f"leads.pct.{group}", metric=t(f"leads.metric.{metric}"))
        return st.column_config.TextColumn(label, help=t("leads.pct.help", min=MIN_GROUP))
    if c in TREND_COLUMNS:
        return st.column_config.NumberColumn(label, help=t("leads.trend.help"), format="%+.1f%%")
    return st.column_config.Column(label)


def render_leads(table: pd.DataFrame, names: pd.DataFrame, key: WorkspaceKey) -> None:
    """The leads section for the screen ``table`` of the workspace ``key``."""
    st.subheader(t("leads.title"))
    st.caption(t("leads.intro"))
    tf, code = t_now(), lang()
    available = available_rules(table)
    rule = st.selectbox(
        t("leads.rule"),
        list(RULES),
        key="leads.rule",
        format_func=lambda r: (
            tf(f"leads.rule.{r}") + ("" if available[r] else tf("leads.rule.unavailable_mark"))
        ),
        help=t("leads.rule.help"),
    )
    if not available[rule]:
        st.info(t("leads.unavailable", rule=tf(f"leads.rule.{rule}"), column=RULES[rule]))
        return
    try:
        with st.spinner(t("leads.computing")):
            leads = rank_leads(table, rule, trends=cached_trends(key))
    except InputError as err:
        show_error(err)
        return
    shown = _shown(leads, names, code)
    ranked = int(leads["rank"].notna().sum())
    st.caption(t("leads.rule_caption", rule=tf(f"leads.rule.{rule}.help"), n=ranked))
    st.dataframe(
        shown.head(TOP),
        hide_index=True,
        width="stretch",
        key="leads.table",
        column_config={c: _column(c, rule) for c in shown.columns},
    )
    st.markdown(t("leads.top_why", n=min(TOP_WHY, ranked)))
    st.markdown(
        "\n".join(
            f"{r['rank']}. **{md_escape(r['enterprise_id'])} · {md_escape(str(r['name'] or ''))}** "
            f"— {md_escape(r['why'])}"
            for _, r in shown.head(min(TOP_WHY, ranked)).iterrows()
        )
    )
    has_trends = any(c in shown for c in TREND_COLUMNS)
    st.caption(t("leads.trends_shown" if has_trends else "leads.no_trends"))
    st.download_button(
        t("leads.download", n=len(leads)),
        csv_bytes(leads_table(leads, code)),
        f"portfolio_leads_{rule}.csv",
        "text/csv",
        key="leads.dl.csv",
    )
