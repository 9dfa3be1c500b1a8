"""Green page: least-cost procurement, hourly matching heat-map, factors by purpose, CBAM.

One call from ``pages/green.py`` (:func:`plan_block`): the options, then
:func:`analytics.green.plan.green_plan` through :func:`ui.cached.cached_plan` — the function
the CLI calls — and the figures of :func:`analytics.green.plan.plan_sections` drawn. No
computation here beyond formatting.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.findings import InputError
from analytics.green import (
    GreenResult,
    PlanOptions,
    cities,
    goods_list,
    plan_sections,
    procurement_defaults,
)
from analytics.tou import Periods
from ui.cached import cached_plan
from ui.render.charts import layout
from ui.render.format import fmt_cny, fmt_energy, fmt_month, fmt_num, fmt_share, fmt_tonnes
from ui.state import lang, t, t_now
from ui.widgets import show_error

#: Shown shadow prices, in order.
CONSTRAINTS = (
    "annual_target",
    "hourly_target",
    "roof_limit",
    "green_power_cap",
    "direct_self_use",
    "direct_consumption",
    "direct_capacity",
)


def _badge(illustrative: bool) -> str:
    return t("green.illustrative") if illustrative else t("green.confirmed")


def _site_city() -> str:
    """The Green page's city when PV is modelled there, else Wuxi (the sample's region)."""
    city = st.session_state.get("green.city")
    modelled = st.session_state.get("green.pv_mode") == "model"
    return city if modelled and city in cities() else "wuxi"


def plan_options(industry: str | None = None) -> PlanOptions:
    """The plan's options from its widgets (hourly target, roof, CBAM goods)."""
    tf = t_now()
    with st.expander(t("proc.settings"), expanded=False):
        c1, c2, c3 = st.columns(3)
        roof = c1.number_input(
            t("proc.roof"),
            min_value=0.0,
            max_value=1e6,
            value=float(procurement_defaults()["roof_limit_kwp"]["value"]),
            step=100.0,
            key="proc.roof",
            help=t("proc.roof.help"),
        )
        hourly_on = c2.checkbox(t("proc.hourly_on"), key="proc.hourly_on")
        hourly = c2.slider(
            t("proc.hourly"), 0, 100, 30, step=5, key="proc.hourly", disabled=not hourly_on
        )
        goods = c3.selectbox(
            t("proc.cbam_goods"),
            ("none", *goods_list()),
            key="proc.cbam_goods",
            format_func=lambda g: tf(f"proc.goods.{g}"),
        )
        goods_t = c3.number_input(
            t("proc.goods_t"),
            min_value=1.0,
            max_value=1e9,
            value=50_000.0,
            step=1000.0,
            key="proc.goods_t",
            disabled=goods == "none",
        )
    return PlanOptions(
        hourly_target=hourly / 100 if hourly_on else None,
        roof_limit_kwp=roof,
        city=_site_city(),
        industry=industry,
        cbam_goods=None if goods == "none" else goods,
        goods_t=None if goods == "none" else goods_t,
    )


def plan_block(
    green: GreenResult, periods: Periods, green_key: tuple, industry: str | None = None
) -> dict[str, Any] | None:
    """The whole section; returns the JSON sections it shows (``None`` on bad input)."""
    st.subheader(t("proc.heading"))
    st.write(t("proc.intro"))
    options = plan_options(industry)
    try:
        plan = cached_plan(green_key, options, green, periods)
    except InputError as err:
        show_error(err)
        return None
    doc = plan_sections(plan)
    _mix(doc["green"]["procurement"])
    _shadow_prices(doc["green"]["procurement"])
    _parameters()
    _heatmap(plan.matching(), doc["green"]["procurement"]["hourly_matched_share"])
    _factors(doc["green"])
    if "cbam" in doc:
        _cbam(doc["cbam"], plan.cbam.warnings)
    st.download_button(
        t("proc.download"),
        json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8"),
        file_name="green_plan.json",
        mime="application/json",
        key="proc.dl.json",
    )
    return doc


def _mix(p: dict[str, Any]) -> None:
    lg = lang()
    m = st.columns(4)
    m[0].metric(t("proc.kpi.total_cost"), fmt_cny(p["total_cost_cny"] or float("nan"), lg))
    m[1].metric(
        t("proc.kpi.gec_only"), fmt_cny(p["gec_only_cost_cny"], lg), help=t("proc.help.gec_only")
    )
    m[2].metric(t("proc.kpi.renewable_share"), fmt_share(p["renewable_share"]))
    m[3].metric(
        t("proc.kpi.hourly_matched"),
        fmt_share(p["hourly_matched_share"]),
        help=t("proc.help.hourly_matched"),
    )
    if p["meets_target"]:
        st.success(t("proc.meets"))
    elif p["hourly_target"] is not None and p["hourly_shortfall_kwh"]:
        st.warning(t("proc.hourly_short", kwh=fmt_energy(p["hourly_shortfall_kwh"])))
    else:
        st.warning(t("proc.not_met"))
    rows = []
    for i in p["instruments"]:
        cap = i.get("capacity_kwp", i.get("capacity_mw"))
        unit = "kWp" if "capacity_kwp" in i else "MW" if "capacity_mw" in i else ""
        rows.append(
            {
                t("proc.col.instrument"): t(f"proc.kind.{i['kind']}"),
                t("proc.col.kwh"): round(i["kwh"], 1),
                t("proc.col.cost"): round(i["cost_cny"], 2),
                t("proc.col.unit_cost"): fmt_num(i["unit_cost_cny_per_kwh"], 4),
                t("proc.col.capacity"): f"{fmt_num(cap, 1)} {unit}" if cap is not None else "",
                t("proc.col.surplus"): round(i.get("surplus_kwh") or 0.0, 1),
                t("proc.col.count"): "" if i.get("count") is None else fmt_num(i["count"]),
            }
        )
    numbers = {  # separators in the cells, the numbers kept (the download and tests read them)
        t(c): st.column_config.NumberColumn(format="localized")
        for c in ("proc.col.kwh", "proc.col.cost", "proc.col.surplus")
    }
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", column_config=numbers)
    st.caption(t("proc.cost_note"))
    shaky = [
        t(f"proc.param.{k}")
        for k, d in procurement_defaults().items()
        if d["illustrative"] and not k.startswith("hourly_shortfall")
    ]
    st.caption(t("proc.illustrative_note", params="; ".join(shaky)))
    dl = p["direct_line"]
    if p["direct_line_chosen"] and dl is not None:
        st.caption(
            t(
                "proc.direct_ratios",
                self_use=fmt_share(dl["self_use_share"]),
                consumption=fmt_share(dl["consumption_share"]),
            )
        )


def _shadow_prices(p: dict[str, Any]) -> None:
    sp = p["shadow_prices"]
    rows = [
        {
            t("proc.col.constraint"): t(f"proc.constraint.{k}"),
            t("proc.col.shadow"): round(sp[k]["cost_cny_per_unit"], 4),
            t("proc.col.per"): t("proc.per", unit=sp[k]["unit"]),
            t("proc.col.binding"): t("proc.yes") if sp[k]["binding"] else t("proc.no"),
        }
        for k in CONSTRAINTS
        if k in sp
    ]
    st.markdown(f"**{t('proc.shadow.heading')}**")
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(t("proc.shadow.help"))
    if p["penalised"]:
        st.caption(t("proc.shadow.penalised"))


def _parameters() -> None:
    rows = [
        {
            t("green.src.col.item"): t(f"proc.param.{k}"),
            t("green.src.col.value"): d["value"],
            t("green.src.col.status"): f"{_badge(d['illustrative'])} ({d['confidence']})",
            t("green.src.col.source"): d["source"],
        }
        for k, d in procurement_defaults().items()
    ]
    with st.expander(t("proc.params")):
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        st.caption(t("proc.params.note"))


def matching_heatmap(matrix: pd.DataFrame, title: str, colorbar: str) -> go.Figure:
    """365 × 24 heat-map of the matched share [%] (date × hour of day)."""
    fig = go.Figure(
        go.Heatmap(
            z=matrix.to_numpy() * 100.0,
            x=list(matrix.columns),
            y=list(matrix.index),
            zmin=0.0,
            zmax=100.0,
            colorscale="Greens",
            colorbar={"title": colorbar},
            hoverongaps=False,
        )
    )
    fig = layout(fig, title, "", x_title=t("proc.heatmap.hour"), height=520)
    firsts = [d for d in matrix.index if str(d)[8:10] == "01"]  # rows are "YYYY-MM-DD"
    # month labels of our own (2025年1月 / Jan 2025), not Plotly's English date ticks
    fig.update_layout(
        yaxis={
            "autorange": "reversed",
            "tickvals": list(firsts),
            "ticktext": [fmt_month(str(d), lang()) for d in firsts],
        }
    )
    return fig


def _heatmap(matrix: pd.DataFrame, share: float) -> None:
    st.markdown(f"**{t('proc.heatmap.heading')}**")
    from ui.cached import cached_figure

    key = ("proc.heatmap", int(pd.util.hash_pandas_object(matrix).sum()), share, lang())
    st.plotly_chart(
        cached_figure(
            key,
            lambda: matching_heatmap(matrix, t("proc.heatmap.title", share=fmt_share(share)), "%"),
        ),
        width="stretch",
    )
    st.caption(t("proc.heatmap.help"))


def _factors(g: dict[str, Any]) -> None:
    rows = [
        {
            t("proc.col.field"): t("proc.field." + f["field"].replace(".", "_")),
            t("proc.col.purpose"): t(f"proc.purpose.{f['purpose']}"),
            t("proc.col.factor"): f["value"],
            t("proc.col.data_year"): f["data_year"],
            t("proc.col.published"): f["published"],
            t("green.src.col.status"): f"{_badge(f['illustrative'])} ({f['confidence']})",
        }
        for f in g["factors_used"]
    ]
    st.markdown(f"**{t('proc.factors.heading')}**")
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    pf = g["product_footprint"]
    st.caption(
        t(
            "proc.footprint",
            factor=fmt_num(pf["factor_t_per_mwh"], 4),
            t_co2e=fmt_tonnes(pf["grid_electricity_co2e_t"], lang(), 1),
        )
    )
    ets = g.get("scope2_ets")
    if ets is not None:
        st.info(t(f"proc.ets.{ets['label']}", industry=ets["industry"]))


def _cbam(c: dict[str, Any], notes: tuple) -> None:
    st.subheader(t("proc.cbam.heading"))
    st.write(t("proc.cbam.intro"))
    lg = lang()
    m = st.columns(4)
    m[0].metric(t("proc.cbam.indirect"), fmt_tonnes(c["indirect_emissions_t"], lg, 1))
    m[1].metric(t("proc.cbam.specific"), fmt_num(c["specific_indirect_t_per_t"], 4))
    m[2].metric(
        t("proc.cbam.with_markup", markup=fmt_share(c["default_markup_share"], 0)),
        fmt_num(c["default_with_markup_t_per_t"], 4),
    )
    sc = c["direct_line_scenario"]
    m[3].metric(
        t("proc.cbam.direct_line"),
        fmt_num(sc["specific_indirect_t_per_t"], 4) if sc else "–",
        delta=None if sc is None else f"-{fmt_num(sc['saving_vs_default_t_per_t'], 4)}",
        delta_color="inverse",
        help=t("proc.cbam.direct_line.help"),
    )
    st.caption(
        t(
            "proc.cbam.counted" if c["counted"] else "proc.cbam.not_counted",
            goods=t(f"proc.goods.{c['goods']}"),
            year=c["year"],
        )
    )
    st.caption(t("proc.cbam.actual_none") if c["actual"] is None else t("proc.cbam.actual"))
    for w in notes:
        st.caption(t(f"note.{w.code}", **dict(w.params)))
