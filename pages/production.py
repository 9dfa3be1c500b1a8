"""Production: schedule vs load — idle energy, SEC, TOU split, regression, load-shift scenario."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.findings import InputError
from analytics.iotools import STATE_MEANINGS
from analytics.production import RULES, ShiftOptions
from analytics.tou import PERIODS
from ui.cached import cached_figure, cached_production_analysis, cached_shift
from ui.dataset import current_analysis, current_file
from ui.demo import demo_bar
from ui.downloads import csv_bytes
from ui.guard import upload_notice
from ui.holdings import remember_shift as remember_shift_share
from ui.prices import remember_shift, shift_price_source, shift_source_caption
from ui.progress_bar import shift_with_progress
from ui.render.charts import GREEN, PERIOD_COLOURS, layout
from ui.render.format import (
    fmt_cny,
    fmt_count,
    fmt_energy,
    fmt_kw,
    fmt_num,
    fmt_sec,
    fmt_share,
    md_escape,
)
from ui.report_button import report_button
from ui.state import FileInput, ensure_router, lang, set_uploaded, site_tz, state_map, t, t_now
from ui.widgets import show_error, show_warnings

GRANULARITIES = ("day", "week", "month")
SECONDS = ("none", "production_hours")
HOURS = [f"{h:02d}:00" for h in range(25)]


def _on_upload() -> None:
    up = st.session_state.get("uploader.production")
    set_uploaded("production", None if up is None else FileInput.of(up.name, up.getvalue()))


def _layout(fig: go.Figure, title: str, x: str, y: str) -> go.Figure:
    return layout(fig, title, y, x_title=x, legend=None)


#: A machine-state log whose states the visitor can name (codes, or codes not in the map).
STATE_CODE_ERRORS = frozenset({"production.state_codes", "production.state_unmapped"})


def _apply_state_map(codes: list[str]) -> None:
    """Form callback: the chosen meaning of each code becomes the session's state map."""
    ss = st.session_state
    ss["prod.state_map"] = {
        **ss.get("prod.state_map", {}),
        **{c: ss[f"prod.state.{c}"] for c in codes},
    }


def _state_map_step(err: InputError) -> None:
    """Say what each state code of the log means (the CLI's ``--state-map``)."""
    codes = [c for c in str(err.params.get("states", "")).split(", ") if c and c != "…"]
    if not codes:
        return
    st.subheader(t("prod.states.title"))
    st.caption(t("prod.states.help"))
    tf = t_now()
    with st.form("prod.states"):
        cols = st.columns(min(4, len(codes)))
        for k, code in enumerate(codes):
            cols[k % len(cols)].selectbox(
                t("prod.states.code", code=md_escape(code)),
                STATE_MEANINGS,
                index=0 if k == 0 else 1,
                key=f"prod.state.{code}",
                format_func=lambda m: tf(f"prod.states.{m}"),
            )
        st.form_submit_button(t("prod.states.apply"), on_click=_apply_state_map, args=(codes,))


def _store_shift_options() -> None:
    """Form callback: keep the chosen options (a callback survives ``ensure_router``'s rerun)."""
    ss = st.session_state
    cap = float(ss.get("prod.shift.cap") or 0.0)
    month = ss.get("prod.shift.month")
    ss["prod.shift.options"] = dict(
        use_flag=bool(ss.get("prod.shift.use_flag", True)),
        movable_lines=tuple(ss.get("prod.shift.lines") or ()),
        window_days=int(ss.get("prod.shift.window") or 0),
        earliest=ss.get("prod.shift.earliest", "00:00"),
        latest=ss.get("prod.shift.latest", "24:00"),
        peak_cap_kw=cap if cap > 0 else None,
        include_demand=bool(ss.get("prod.shift.demand", True)),
        months=(month,) if month else None,
    )


def _fmt_p(p: float) -> str:
    return "–" if p != p else ("< 0.001" if p < 0.001 else f"{p:.3f}")


ensure_router()
demo_bar()  # the guided demo's banner (ui/demo.py; nothing when it is off)
st.title(t("prod.title"))
st.write(t("prod.intro"))
report_button()
with st.expander(t("prod.definitions"), expanded=False):
    st.markdown(t("prod.definitions.text"))

load = current_analysis()
frame = load.analysis.frame
st.file_uploader(
    t("prod.upload"),
    type=["csv", "txt", "xlsx"],
    key="uploader.production",
    on_change=_on_upload,
    help=t("prod.upload.help"),
)
upload_notice("production")
item = current_file("production")
if item is None:
    st.info(t("prod.none"))
    st.stop()
st.caption(t("prod.files", load=md_escape(load.file_name), production=md_escape(item.name)))

c1, c2 = st.columns(2)
# labels looked up now, so format_func does not depend on the language at call time
gran_labels = {g: t(f"prod.granularity.{g}") for g in GRANULARITIES}
second_labels = {s: t(f"prod.second.{s}") for s in SECONDS}
granularity = c1.selectbox(
    t("prod.granularity"),
    GRANULARITIES,
    key="prod.granularity",
    format_func=gran_labels.__getitem__,
)
second = c2.selectbox(
    t("prod.second"), SECONDS, key="prod.second", format_func=second_labels.__getitem__
)
load_key = f"{load.sha256}:{load.options}"
try:
    with st.spinner(t("hint.importing", name=md_escape(item.name))):
        pa = cached_production_analysis(
            load_key,
            item.sha256,
            item.name,
            site_tz(),
            granularity,
            None if second == "none" else second,
            load.tariff_key,
            frame,
            item.data,
            load.analysis.periods,
            state_map(),
        )
except InputError as err:
    show_error(err)
    if err.code in STATE_CODE_ERRORS:
        _state_map_step(err)
    st.stop()

m = pa.metrics
# the charts' cache key: the production analysis' inputs and the language (ui.cached)
chart_key = (load_key, item.sha256, site_tz(), granularity, second, load.tariff_key, state_map())
chart_key = (*chart_key, lang())
k = st.columns(4)
k[0].metric(t("prod.kpi.units"), fmt_count(m.units, "unit"), help=t("prod.help.units"))
k[1].metric(t("prod.kpi.sec"), fmt_sec(m.sec_kwh_per_unit), help=t("prod.help.sec"))
k[2].metric(t("prod.kpi.idle_energy"), fmt_energy(m.idle_energy_kwh), help=t("prod.help.idle"))
k[3].metric(t("prod.kpi.idle_share"), fmt_share(m.idle_share))
k = st.columns(4)
k[0].metric(t("prod.kpi.production_hours"), f"{fmt_num(m.production_hours)} h")
k[1].metric(t("prod.kpi.production_energy"), fmt_energy(m.production_energy_kwh))
k[2].metric(t("prod.kpi.base_idle"), fmt_kw(m.base_load_idle_kw), help=t("prod.help.base"))
k[3].metric(
    t("prod.kpi.base_production"), fmt_kw(m.base_load_production_kw), help=t("prod.help.base")
)

with st.expander(t("prod.quality"), expanded=bool(pa.warnings)):
    show_warnings(pa.warnings)

st.subheader(t("prod.tou.title"))
used = [p for p in PERIODS if m.hours_by_period[p] > 0]  # only the periods the tariff has
fig = go.Figure(
    go.Bar(
        x=[t(f"period.{p}") for p in used],
        y=[m.energy_by_period_kwh[p] for p in used],
        marker_color=[PERIOD_COLOURS[p] for p in used],
        text=[fmt_count(m.hours_by_period[p], "hour") for p in used],
        textposition="outside",
    )
)
st.plotly_chart(
    cached_figure((*chart_key, "tou"), lambda: _layout(fig, t("prod.tou.chart"), "", "kWh")),
    width="stretch",
)
lines = m.lines.astype(object).where(m.lines.notna(), "–")  # no per-line meter: a dash, not None
lines = lines.rename(columns={c: t(f"prod.lines.{c}") for c in m.lines.columns})
st.dataframe(lines, hide_index=True, width="stretch")

# regression ------------------------------------------------------------------------------
r = pa.regression
st.subheader(t("prod.reg.title"))
st.caption(t("prod.reg.model", granularity=t(f"prod.granularity.{r.granularity}")))
k = st.columns(5)
k[0].metric(t("prod.reg.slope"), f"{fmt_num(r.slope_kwh_per_unit, 3)} kWh")
k[1].metric(t("prod.reg.intercept"), fmt_energy(r.intercept_kwh))
k[2].metric("R²", fmt_num(r.r2, 3), help=t("prod.reg.adj_r2", adj=fmt_num(r.adj_r2, 3)))
k[3].metric("CV(RMSE)", fmt_share(r.cv_rmse))
k[4].metric(t("prod.reg.valid"), t("common.yes") if r.valid else t("common.no"))
checks = pd.DataFrame(
    {
        t("prod.reg.rule"): [t(f"rule.{x}") for x in RULES],
        t("prod.reg.value"): [
            _fmt_p(v) if x != "r2" else fmt_num(v, 3)
            for x, v in zip(r.checks["rule"], r.checks["value"], strict=True)
        ],
        t("prod.reg.passed"): [
            t("common.yes") if p else t("common.no") for p in r.checks["passed"]
        ],
    }
)
st.dataframe(checks, hide_index=True, width="stretch")
for code in r.notes:
    st.caption(
        "• "
        + t(
            f"note.{code}",
            p_value=_fmt_p(r.p_value),
            r2=fmt_num(r.r2, 3),
            n=r.n,
            excluded=len(r.excluded),
        )
    )
if r.n and r.slope_kwh_per_unit == r.slope_kwh_per_unit:
    tab = r.table
    left, right = st.columns(2)
    xs = pd.Series(sorted(tab["units"]))
    fig = go.Figure(
        [
            go.Scatter(
                x=tab["units"],
                y=tab["energy_kwh"],
                mode="markers",
                name=t("prod.reg.actual"),
                marker={"color": GREEN, "size": 6},
            ),
            go.Scatter(
                x=xs,
                y=r.intercept_kwh + r.slope_kwh_per_unit * xs,
                mode="lines",
                name=t("prod.reg.fit"),
                line={"color": "#ef6c00"},
            )
            if len(r.predictors) == 1
            else go.Scatter(
                x=tab["units"],
                y=tab["predicted_kwh"],
                mode="markers",
                name=t("prod.reg.fit"),
                marker={"color": "#ef6c00", "size": 4},
            ),
        ]
    )
    left.plotly_chart(
        cached_figure(
            (*chart_key, "scatter"),
            lambda: _layout(fig, t("prod.reg.scatter"), t("prod.kpi.units"), "kWh"),
        ),
        width="stretch",
    )
    fig = go.Figure(
        go.Scatter(x=tab["period"], y=tab["cusum_kwh"], mode="lines", line={"color": GREEN})
    )
    right.plotly_chart(
        cached_figure((*chart_key, "cusum"), lambda: _layout(fig, t("prod.reg.cusum"), "", "kWh")),
        width="stretch",
    )
if len(r.excluded):
    with st.expander(t("prod.reg.excluded", n=len(r.excluded))):
        ex = r.excluded.assign(
            period=r.excluded["period"].dt.strftime("%Y-%m-%d"),
            reason=[t(f"prod.reason.{x}") for x in r.excluded["reason"]],
        )
        st.dataframe(
            ex.rename(columns={"period": t("prod.reg.period"), "reason": t("prod.reg.reason")}),
            hide_index=True,
            width="stretch",
        )

# load shift ------------------------------------------------------------------------------
st.subheader(t("prod.shift.title"))
st.caption(t("prod.shift.method"))
seg = pa.data.segments
months = sorted(pd.DatetimeIndex(seg["start"]).strftime("%Y-%m").unique()) if len(seg) else []
with st.form("prod.shift.form"):
    f1, f2, f3 = st.columns(3)
    f1.checkbox(t("prod.shift.use_flag"), value=True, key="prod.shift.use_flag")
    f1.multiselect(t("prod.shift.lines"), pa.data.lines, key="prod.shift.lines")
    f2.number_input(
        t("prod.shift.window"), min_value=0, max_value=7, value=0, step=1, key="prod.shift.window"
    )
    f2.selectbox(
        t("prod.shift.month"),
        months,
        index=max(0, len(months) - 1) if months else None,
        key="prod.shift.month",
    )
    f3.selectbox(t("prod.shift.earliest"), HOURS[:-1], index=0, key="prod.shift.earliest")
    f3.selectbox(t("prod.shift.latest"), HOURS[1:], index=23, key="prod.shift.latest")
    g1, g2 = st.columns(2)
    g1.number_input(
        t("prod.shift.cap"),
        min_value=0.0,
        value=0.0,
        step=100.0,
        key="prod.shift.cap",
        help=t("prod.shift.cap.help"),
    )
    g2.checkbox(t("prod.shift.demand"), value=True, key="prod.shift.demand")
    st.form_submit_button(t("prod.shift.run"), key="prod.shift.run", on_click=_store_shift_options)
chosen = st.session_state.get("prod.shift.options")
if chosen is None:
    st.info(t("prod.shift.hint"))
    st.stop()
prices_key, shift_prices = shift_price_source(load)
shift_source_caption(shift_prices)
sh = shift_with_progress(  # a bar with the time left on a first solve (ui/progress_bar.py)
    seg,
    ShiftOptions(**chosen),
    lambda: cached_shift(
        load_key,
        item.sha256,
        item.name,
        site_tz(),
        ShiftOptions(**chosen),
        load.tariff_key,
        frame,
        pa,
        load.analysis.periods,
        prices_key,
        shift_prices,
    ),
)
remember_shift_share(load, sh)  # the Green Temperature's shift component (ui/holdings.py)
remember_shift(load.sha256, load.options, load.tariff_key, sh)
k = st.columns(5)
k[0].metric(t("prod.shift.shifted"), fmt_energy(sh.shifted_energy_kwh))
k[1].metric(t("prod.shift.saving"), fmt_cny(sh.saving_cny, lang()))
k[2].metric(t("prod.shift.saving_year"), fmt_cny(sh.saving_cny_per_year, lang()))
k[3].metric(t("prod.shift.peak_old"), fmt_kw(sh.old_peak_kw))
k[4].metric(
    t("prod.shift.peak_new"),
    fmt_kw(sh.new_peak_kw),
    delta=fmt_kw(sh.new_peak_kw - sh.old_peak_kw),
    delta_color="inverse",
)
st.caption(
    t("prod.shift.status", status=t(f"prod.shift.status.{sh.status}"), gap=fmt_share(sh.mip_gap, 2))
)
for code in sh.notes:
    st.caption("• " + t(f"note.{code}", gap=fmt_share(sh.mip_gap, 2)))
td = sh.typical_day
fig = go.Figure(
    [
        go.Scatter(
            x=list(td.index),
            y=td["old_kw"],
            mode="lines",
            name=t("prod.shift.old"),
            line={"color": "#9e9e9e"},
        ),
        go.Scatter(
            x=list(td.index),
            y=td["new_kw"],
            mode="lines",
            name=t("prod.shift.new"),
            line={"color": GREEN},
        ),
    ]
)
st.plotly_chart(
    cached_figure(
        (*chart_key, repr(chosen), prices_key, "typical"),
        lambda: _layout(fig, t("prod.shift.typical"), "", "kW"),
    ),
    width="stretch",
)
moves = sh.moves.assign(
    **{
        c: sh.moves[c].dt.strftime("%Y-%m-%d %H:%M")
        for c in ("old_start", "old_end", "new_start", "new_end")
    }
)
st.dataframe(
    moves.rename(columns={c: t(f"prod.moves.{c}") for c in moves.columns}),
    hide_index=True,
    width="stretch",
)
d1, d2 = st.columns(2)
d1.download_button(
    t("prod.download.moves"),
    data=csv_bytes(moves),
    file_name="moves.csv",
    mime="text/csv",
    key="dl.prod.moves",
)
sched = sh.schedule.assign(
    start=sh.schedule["start"].dt.strftime("%Y-%m-%d %H:%M:%S"),
    end=sh.schedule["end"].dt.strftime("%Y-%m-%d %H:%M:%S"),
)
d2.download_button(
    t("prod.download.schedule"),
    data=csv_bytes(sched),
    file_name="new_schedule.csv",
    mime="text/csv",
    key="dl.prod.schedule",
)
