"""Green: PV and self-consumption, green power and certificates for a target, CO2, Green Temperature."""

import dataclasses
import json

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.findings import InputError
from analytics.green import (
    COMPONENTS,
    DEFAULT_WEIGHTS,
    PRICE_KEYS,
    cities,
    factor_regions,
    factor_years,
    green_section,
    green_temperature_section,
    monthly_table,
    price_defaults,
    typical_day_kw,
)
from ui.cached import cached_figure, cached_model_pv, cached_pv, cached_weather_pv
from ui.dataset import current_analysis, current_file, import_options
from ui.demo import demo_bar
from ui.downloads import csv_bytes
from ui.green_settings import (
    GreenInputs,
    override_items,
    remember_widgets,
    reset_button,
    restore_widgets,
    temperature_of,
    write,
)
from ui.green_settings import green_of as session_green
from ui.holdings import (
    HoldingsPage,
    chosen_industry,
    holdings_section,
    shift_input,
    source_expander,
)
from ui.number_tables import component_table, price_value, show_table, trade_table
from ui.polish import tariff_overrides
from ui.procurement import plan_block
from ui.render.charts import AMBER, GREEN, GREY, layout, monthly_sources, score_gauge
from ui.render.format import (
    fmt_cny,
    fmt_count,
    fmt_energy,
    fmt_num,
    fmt_share,
    fmt_tonnes,
    md_escape,
)
from ui.report_button import report_button
from ui.state import FileInput, ensure_router, lang, override_banner, t, t_now
from ui.widgets import show_error, show_warnings

ensure_router()
demo_bar()  # the guided demo's banner (ui/demo.py; nothing when it is off)

SUN = AMBER
PV_MODES = ("file", "model", "weather", "none")


def _cny(x: float) -> str:
    return fmt_cny(x, compact=True)  # a metric in a quarter of the page: 万元 / M CNY


def _t_co2(x: float) -> str:
    return fmt_tonnes(x)  # as on the Overview and in the report


def _confidence(d: dict) -> str:
    """A confidence code as a word with the code: "未确认 (U)"."""
    code = d["confidence"]
    return f"{t(f'polish.confidence.{code}')} ({code})"


def _badge(illustrative: bool) -> str:
    return t("green.illustrative") if illustrative else t("green.confirmed")


# ------------------------------------------------------------------------------ page

st.title(t("green.title"))
st.write(t("green.intro"))
top = st.container()  # the Report button and the override banner, drawn once the figures are

tf = t_now()  # for format_func callbacks, which may run outside the script run
result = current_analysis()
load = result.analysis.frame
load_key = f"{result.sha256}|{result.options!r}"
periods = result.analysis.periods  # the sidebar's tariff, classified once, as on every page
tariff_key = result.tariff_key
restore_widgets(result)  # the values the widgets had on the last visit (ui/green_settings.py)

# --- PV input -------------------------------------------------------------------------------
st.subheader(t("green.pv.heading"))
mode = st.radio(
    t("green.pv.source"),
    PV_MODES,
    horizontal=True,
    key="green.pv_mode",
    format_func=lambda m: tf(f"green.pv.mode.{m}"),
)
pv_frame: pd.DataFrame | None = None
pv_key = "none"
pv_warnings: list = []
try:
    if mode == "file":
        item = current_file("pv")
        if item is None:
            st.info(t("green.pv.no_file"))
        else:
            opts = import_options("pv")
            pv_frame, pv_report = cached_pv(item.sha256, item.name, opts, item.data)
            pv_warnings = list(pv_report.warnings)
            pv_key = f"file|{item.sha256}|{opts!r}"
            st.caption(
                t(
                    "green.pv.file_caption",
                    name=md_escape(item.name),
                    unit=pv_report.unit,
                    minutes=pv_report.interval_minutes,
                )
            )
    elif mode in ("model", "weather"):
        presets = cities()
        c1, c2, c3, c4 = st.columns(4)
        kwp = c1.number_input(
            t("green.pv.kwp"),
            min_value=1.0,
            max_value=1e6,
            value=1200.0,
            step=50.0,
            key="green.kwp",
        )
        tilt = c2.number_input(
            t("green.pv.tilt"), min_value=0.0, max_value=90.0, value=20.0, key="green.tilt"
        )
        azimuth = c3.number_input(
            t("green.pv.azimuth"),
            min_value=0.0,
            max_value=360.0,
            value=180.0,
            key="green.azimuth",
            help=t("green.pv.azimuth.help"),
        )
        losses = c4.number_input(
            t("green.pv.losses"),
            min_value=0.0,
            max_value=0.5,
            value=0.14,
            step=0.01,
            key="green.losses",
            help=t("green.pv.losses.help"),
        )
        if mode == "model":
            keys = (*presets, "custom")
            d1, d2, d3, d4 = st.columns(4)
            city = d1.selectbox(
                t("green.pv.city"),
                keys,
                index=keys.index("wuxi"),
                format_func=lambda k: tf(f"green.city.{k}"),
                key="green.city",
            )
            base = presets.get(city, presets["nanjing"])
            lat = d2.number_input(t("green.pv.lat"), -90.0, 90.0, base.lat, key=f"green.lat.{city}")
            lon = d3.number_input(
                t("green.pv.lon"), -180.0, 180.0, base.lon, key=f"green.lon.{city}"
            )
            yld = d4.number_input(
                t("green.pv.yield"),
                300.0,
                3000.0,
                base.yield_kwh_per_kwp,
                step=10.0,
                key=f"green.yield.{city}",
                help=t("green.pv.yield.help"),
            )
            if city != "custom":
                st.caption(
                    t(
                        "green.pv.yield_source",
                        badge=_badge(base.illustrative),
                        confidence=base.confidence,
                        source=base.source,
                    )
                )
            pv_frame, pv_warnings = cached_model_pv(
                load_key, kwp, lat, lon, tilt, azimuth, losses, yld, load.index
            )
            pv_key = f"model|{kwp}|{lat}|{lon}|{tilt}|{azimuth}|{losses}|{yld}"
        else:
            up = st.file_uploader(
                t("green.pv.weather_upload"),
                type=["epw", "csv"],
                key="green.weather",
                help=t("green.pv.weather_help"),
            )
            if up is not None:
                wf = FileInput.of(up.name, up.getvalue())
                pv_frame, pv_warnings = cached_weather_pv(
                    load_key, wf.sha256, wf.name, kwp, tilt, azimuth, losses, wf.data, load.index
                )
                pv_key = f"weather|{wf.sha256}|{kwp}|{tilt}|{azimuth}|{losses}"
            else:
                st.info(t("green.pv.weather_none"))
except InputError as err:
    show_error(err)
    pv_frame, pv_key = None, "none"

hp = HoldingsPage.inputs(load)  # holdings, the sidebar's province × industry, their default

# --- settings -------------------------------------------------------------------------------
with st.expander(t("green.settings"), expanded=True):
    s1, s2, s3 = st.columns(3)
    target_share = hp.target_slider(s1)  # None on the default: the analysis resolves it
    years = factor_years()
    year = s2.selectbox(t("green.factor_year"), years, index=len(years) - 1, key="green.year")
    regions = factor_regions()
    region = s3.selectbox(
        t("green.factor_region"),
        regions,
        key="green.region",
        format_func=lambda r: tf(f"green.region.{r}"),
    )
    net = s1.checkbox(t("green.net_import"), key="green.net", help=t("green.net_import.help"))
    _prod = result.analysis.production  # measured units when a production schedule is loaded
    units = s2.number_input(
        t("green.units"),
        min_value=0.0,
        value=float(_prod.metrics.units) if _prod is not None else 0.0,
        step=1000.0,
        format="%.0f",
        key="green.units",
        help=t("green.units.help"),
    )
    defaults = hp.prices  # the GEC price of the reporting year's vintage
    p1, p2, p3 = st.columns(3)
    gec_price = p1.number_input(
        t("green.price.gec_cny_per_certificate"),
        0.0,
        1000.0,
        defaults.gec_cny_per_certificate,
        step=0.1,
        key=f"green.p.gec.{hp.buy_vintage}",  # a new vintage starts at its own price
    )
    premium = p2.number_input(
        t("green.price.green_premium_cny_per_kwh"),
        0.0,
        1.0,
        defaults.green_premium_cny_per_kwh,
        step=0.005,
        format="%.3f",
        key="green.p.premium",
    )
    feed_in = p3.number_input(
        t("green.price.feed_in_cny_per_kwh"),
        0.0,
        2.0,
        defaults.feed_in_cny_per_kwh,
        step=0.01,
        format="%.3f",
        key="green.p.feed",
    )
    rows = [
        {
            t("green.src.col.item"): t(f"green.price.{k}"),
            t("green.src.col.value"): price_value(k, d["value"]),
            t("green.src.col.status"): f"{_badge(d['illustrative'])} · {_confidence(d)}",
        }
        for k, d in price_defaults().items()
        if k in PRICE_KEYS
    ]
    st.caption(t("green.src.caption"))
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
# the prices' citations and notes as the data file gives them (often English), collapsed
source_expander(
    *(
        f"{t(f'green.price.{k}')}: {d['source']}. {d.get('notes', '')}"
        for k, d in price_defaults().items()
        if k in PRICE_KEYS
    )
)

inputs = GreenInputs(
    pv_key=pv_key,
    target_share=target_share,
    gec_cny_per_certificate=gec_price,
    green_premium_cny_per_kwh=premium,
    feed_in_cny_per_kwh=feed_in,
    factor_year=year,
    factor_region=region,
    net_import=net,
    units=units or None,
    holdings=hp.holdings,
    gec_vintage=hp.kwargs["gec_vintage"],
)
try:
    g = session_green(result, inputs, pv_frame)  # the Overview's and the report's computation
except InputError as err:
    show_error(err)
    st.stop()
b = g.balance
if pv_warnings or g.warnings:
    with st.expander(t("green.quality"), expanded=False):
        show_warnings([*pv_warnings, *g.warnings])

# --- self-consumption ------------------------------------------------------------------------
st.subheader(t("green.self.heading"))
m = st.columns(4)
m[0].metric(t("green.kpi.pv_generation"), fmt_energy(b.pv_generation_kwh))
m[1].metric(
    t("green.kpi.self_consumed"), fmt_energy(b.pv_self_consumed_kwh), help=t("green.help.self")
)
m[2].metric(t("green.kpi.exported"), fmt_energy(b.pv_exported_kwh), help=t("green.help.export"))
m[3].metric(t("green.kpi.grid_import"), fmt_energy(b.grid_import_kwh), help=t("green.help.import"))
m = st.columns(4)
m[0].metric(t("green.kpi.self_consumption_ratio"), fmt_share(b.self_consumption_ratio))
m[1].metric(t("green.kpi.self_sufficiency_ratio"), fmt_share(b.self_sufficiency_ratio))
m[2].metric(
    t("green.kpi.self_value"),
    _cny(g.self_consumed_value_cny),
    help=t("green.help.self_value", tariff=" + ".join(g.tariff_ids)),
)
m[3].metric(
    t("green.kpi.export_value"), _cny(g.exported_value_cny), help=t("green.help.export_value")
)

#: the balance charts show the load and the PV only (not the target or the prices)
balance_key = ("green", load_key, pv_key, lang())


def _monthly_chart() -> go.Figure:
    fig = monthly_sources(
        monthly_table(b), names={k: t(f"green.chart.{k}") for k in ("import", "self", "export")}
    )
    return layout(fig, t("green.chart.monthly"), "MWh", legend=True)


def _typical_day_chart() -> go.Figure:
    day = typical_day_kw(b)
    fig = go.Figure(
        [
            go.Scatter(
                x=day["time"], y=day["load_kw"], name=t("green.chart.load"), line={"color": GREY}
            ),
            go.Scatter(
                x=day["time"],
                y=day["pv_kw"],
                name=t("green.chart.pv"),
                fill="tozeroy",
                line={"color": SUN},
            ),
            go.Scatter(
                x=day["time"], y=day["self_kw"], name=t("green.chart.self"), line={"color": GREEN}
            ),
        ]
    )
    fig.update_xaxes(tickmode="array", tickvals=list(day["time"])[::8])  # every 2 h
    return layout(fig, t("green.chart.typical_day"), "kW", legend=True)


st.plotly_chart(cached_figure((*balance_key, "monthly"), _monthly_chart), width="stretch")
st.plotly_chart(cached_figure((*balance_key, "typical_day"), _typical_day_chart), width="stretch")

# --- target, green power, certificates ---------------------------------------------------------
st.subheader(t("green.target.heading"))
m = st.columns(4)
m[0].metric(
    t("green.kpi.purchase"), fmt_energy(g.green_purchase_kwh), help=t("green.help.purchase")
)
m[1].metric(t("green.kpi.gec_count"), fmt_count(g.gec_count, "gec"), help=t("green.help.gec"))
m[2].metric(t("green.kpi.gec_cost"), _cny(g.gec_cost_cny))
m[3].metric(t("green.kpi.premium_cost"), _cny(g.green_power_cost_cny))
st.metric(
    t("green.kpi.renewable_share"), fmt_share(g.renewable_share), help=t("green.help.renewable")
)
to = g.trade_off
st.caption(t("green.pv_certificates", n=fmt_num(to.issuable)))
show_table(trade_table(to))
st.caption(t("green.trade.help"))
holdings_section(g)

# --- CO2 ---------------------------------------------------------------------------------------
st.subheader(t("green.co2.heading"))
m = st.columns(4)
m[0].metric(
    t("green.kpi.co2_location"), _t_co2(g.co2_location_t), help=t("green.help.co2_location")
)
m[1].metric(t("green.kpi.co2_market"), _t_co2(g.co2_market_t), help=t("green.help.co2_market"))
m[2].metric(
    t("green.kpi.hourly_matched"), fmt_share(g.hourly_matched_share), help=t("green.help.hourly")
)
if units:
    m[3].metric(
        t("green.kpi.co2_per_unit"),
        t(
            "st15.kg_per_unit",
            value=fmt_num(g.co2_location_kg_per_unit, 3),
            market=fmt_num(g.co2_market_kg_per_unit, 3),
        ),
    )
for f in (g.grid_factor, g.residual_factor):
    st.caption(
        t(
            "green.factor_caption",
            kind=t(f"green.factor.{f.kind}"),
            value=f.value,
            year=f.year,
            region=t(f"green.region.{f.region}"),
            document=f.document,
            url=f.url or f.seen_in,
            badge=_badge(f.illustrative),
            confidence=f.confidence,
        )
    )

# --- Green Temperature -------------------------------------------------------------------------
st.subheader(t("green.temp.heading"))
with st.expander(t("green.temp.inputs")):
    i1, i2 = st.columns(2)
    prod = result.analysis.production
    measured = (
        prod.metrics.idle_share
        if prod is not None and prod.metrics.idle_share == prod.metrics.idle_share
        else None
    )
    measured_pct = round(measured * 100, 1) if measured is not None else 30.0
    use_idle = i1.checkbox(
        t("green.temp.use_idle"), key="green.use_idle", value=measured is not None
    )
    idle = i1.slider(
        t("green.temp.idle"),
        0.0,
        100.0,
        measured_pct,
        step=0.1,
        key="green.idle",
        disabled=not use_idle,
        help=t("green.temp.idle_measured") if measured is not None else None,
    )
    shift_share = shift_input(i2, result)  # on whenever the Production page solved a scenario
    wcols = st.columns(len(COMPONENTS))
    weights = {
        k: wcols[i].number_input(
            t(f"green.comp.{k}"), 0.0, 10.0, DEFAULT_WEIGHTS[k], step=0.05, key=f"green.w.{k}"
        )
        for i, k in enumerate(COMPONENTS)
    }
try:
    # the measured idle share exactly, unless the user moved the slider (then the slider's value)
    idle_share = (
        (measured if measured is not None and idle == measured_pct else idle / 100)
        if use_idle
        else None
    )
    inputs = dataclasses.replace(
        inputs,
        idle_share=idle_share,
        shift_share=shift_share,
        weights=tuple((k, float(weights[k])) for k in DEFAULT_WEIGHTS),
    )
    temp = temperature_of(result, inputs, g)
except ValueError:
    st.warning(t("green.temp.no_weights"))
    st.stop()
write(result, inputs, (pv_frame, pv_warnings))  # the Overview and the report follow
remember_widgets()
with top:
    override_banner([*override_items(result), *tariff_overrides()])
reset_button(result, top)
report_button(top)
left, right = st.columns(2)
left.plotly_chart(
    cached_figure(
        ("green.gauge", round(temp.score, 6), lang()),
        lambda: score_gauge(temp.score, title=t("green.temp.gauge")),
    ),
    width="stretch",
)


def _waterfall() -> go.Figure:
    names = [t(f"green.comp.{k}") for k in temp.components]
    water = go.Figure(
        go.Waterfall(
            x=[*names, t("green.temp.total")],
            measure=["relative"] * len(names) + ["total"],
            y=[c.points for c in temp.components.values()] + [temp.score],
            text=[f"{c.points:.1f}°" for c in temp.components.values()] + [f"{temp.score:.1f}°"],
            connector={"line": {"color": GREY}},
            increasing={"marker": {"color": GREEN}},
            totals={"marker": {"color": SUN}},
        )
    )
    return layout(water, t("green.temp.waterfall"), "°", legend=False)


waterfall_key = tuple((k, round(c.points, 6)) for k, c in temp.components.items())
right.plotly_chart(
    cached_figure(("green.waterfall", waterfall_key, round(temp.score, 6), lang()), _waterfall),
    width="stretch",
)
show_table(component_table(temp))

with st.expander(t("green.definitions")):
    st.markdown(t("green.definitions.body"))
    st.markdown(t("green.temp.formula"))

# --- least-cost procurement, hourly matching, factors by purpose, CBAM (ui/procurement.py) ------
green_key = (load_key, pv_key, target_share, gec_price, premium, feed_in, year, region, net, units)
plan_block(g, periods, (*green_key, repr(hp.kwargs), tariff_key), industry=chosen_industry())

# --- downloads ---------------------------------------------------------------------------------
d1, d2, d3 = st.columns(3)
d1.download_button(
    t("green.download.monthly"),
    lambda: csv_bytes(monthly_table(b)),  # built on click, not on every rerun
    file_name="green_monthly.csv",
    mime="text/csv",
    on_click="ignore",
    key="green.dl.monthly",
)
d2.download_button(
    t("green.download.typical_day"),
    lambda: csv_bytes(typical_day_kw(b)),
    file_name="green_typical_day.csv",
    mime="text/csv",
    on_click="ignore",
    key="green.dl.day",
)
payload = {"green": green_section(g), "green_temperature": green_temperature_section(temp)}
d3.download_button(
    t("green.download.json"),
    json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8"),
    file_name="green.json",
    mime="application/json",
    key="green.dl.json",
)
