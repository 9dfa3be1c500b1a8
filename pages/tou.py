"""Load & TOU cost: KPIs, heat-map, typical days with TOU bands, duration curve,
energy and cost by period, the monthly bill, and the tariff viewer/editor."""

import numpy as np
import pandas as pd
import streamlit as st

from analytics.findings import InputError
from analytics.tou import (
    PERIODS,
    classify,
    day_by_slot,
    day_type_counts,
    duration_curve_kw,
    heatmap_kw,
    load_tariff,
    period_average_price,
    period_grid,
    period_share,
    preset_paths,
    price_table,
    typical_days_kw,
)
from ui.bills import render_bill_sections
from ui.cached import cached_figure
from ui.dataset import current_analysis
from ui.demo import demo_bar
from ui.downloads import csv_bytes, xlsx_bytes
from ui.number_tables import monthly_bill_table, period_table, show_table
from ui.polish import tariff_overrides
from ui.prices import price_comparison_section
from ui.render import charts
from ui.render.format import fmt_cny, fmt_month, fmt_share, fmt_time, md_escape, price_unit
from ui.render.i18n import problem_texts
from ui.report_button import report_button
from ui.state import FileInput, ensure_router, lang, override_banner, t, t_now
from ui.tariffs import (
    EDITOR_PREFIX,
    base_versions,
    edits,
    meta_table,
    price_frame,
    render_agency,
    render_charges,
    reset_edits,
    sync_edit,
    version_label,
    version_on,
)
from ui.widgets import load_and_cost_metrics, show_error, show_warnings

ensure_router()
demo_bar()  # the guided demo's banner (ui/demo.py; nothing when it is off)

st.title(t("tou.title"))
st.write(t("tou.intro"))
report_button()

result = current_analysis()
analysis = result.analysis
frame, stats, bill = analysis.frame, analysis.load, analysis.bill
versions = list(analysis.tariffs)
tf = t_now()
period_names = {p: t(f"period.{p}") for p in PERIODS}
zh = lang() == "zh-CN"
code_run = lang()  # for format_func callbacks, which may run outside the script run

st.caption(
    t(
        "tou.priced_by",
        names=" + ".join(
            dict.fromkeys(md_escape(v.meta.name_zh if zh else v.meta.name) for v in versions)
        ),
    )
)
if any(v.illustrative for v in versions):
    st.warning(t("tou.illustrative_banner"), icon=":material/info:")
override_banner(tariff_overrides())  # a price edit, an uploaded or a chosen tariff

#: everything the page's charts show: the data, its import options, the tariffs, the language
chart_key = ("tou", result.sha256, str(result.options), result.tariff_key, lang())
k = [*st.columns(3), *st.columns(3)]
load_and_cost_metrics(k, stats, bill)
st.caption(t("kpi.peak_at", at=fmt_time(stats.peak_at)) + " " + t("tou.definition"))

tabs = st.tabs(
    [
        t("tou.tab.periods"),
        t("tou.tab.heatmap"),
        t("tou.tab.typical"),
        t("tou.tab.duration"),
        t("tou.tab.monthly"),
        t("tou.tab.tariff"),
    ],
    key="tou.tab",
    on_change="rerun",  # lazy: the heavy charts are drawn only in the open tab (rerun speed)
)

with tabs[0]:
    left, right = st.columns(2)
    left.plotly_chart(
        cached_figure(
            (*chart_key, "energy_by_period"),
            lambda: charts.period_bars(
                dict(bill.energy_kwh),
                title=t("chart.energy_by_period"),
                y_title="kWh",
                names=period_names,
            ),
        ),
        width="stretch",
    )
    right.plotly_chart(
        cached_figure(
            (*chart_key, "cost_by_period"),
            lambda: charts.period_bars(
                dict(bill.energy_cost_cny),
                title=t("chart.cost_by_period"),
                y_title="CNY",
                names=period_names,
            ),
        ),
        width="stretch",
    )
    prices = period_average_price(bill)
    rows = [
        {
            t("tou.periods.col.period"): period_names[p],
            t("tou.periods.col.energy"): round(bill.energy_kwh[p], 1),
            t("tou.periods.col.share"): fmt_share(
                period_share(bill.energy_kwh, analysis.load.energy_kwh, (p,))
            ),
            t("tou.periods.col.cost"): round(bill.energy_cost_cny[p], 2),
            t("tou.periods.col.price"): round(prices[p], 4),
        }
        for p in PERIODS
        if bill.energy_kwh[p] > 0
    ]
    by_period = pd.DataFrame(rows)  # the CSV download's plain numbers
    show_table(period_table(bill, analysis.load.energy_kwh, prices, period_names))
    line = "tou.capacity_line" if bill.charge_basis == "capacity" else "tou.demand_line"
    st.write(t(line, cost=fmt_cny(bill.demand_charge_cny, lang())))
    st.download_button(
        t("download.csv"),
        csv_bytes(by_period),
        file_name="tou_by_period.csv",
        mime="text/csv",
        key="dl.periods",
    )

with tabs[1]:
    by_period_colour = st.toggle(t("tou.heatmap.by_period"), key="tou.heatmap.periods")
    if not tabs[1].open:
        pass  # drawn when the tab is opened (a 365 × 96 heat-map is the page's largest chart)
    elif by_period_colour:

        def _period_heatmap():
            periods = classify(frame.index, versions).astype(object).where(frame["kwh"].notna())
            matrix = day_by_slot(periods, result.analysis.report.interval_minutes)
            return charts.period_heatmap(
                matrix, title=t("chart.heatmap_periods"), names=period_names
            )

        st.plotly_chart(
            cached_figure((*chart_key, "heatmap_periods"), _period_heatmap), width="stretch"
        )
    else:
        st.plotly_chart(
            cached_figure(
                (*chart_key, "heatmap"),
                lambda: charts.heatmap(
                    heatmap_kw(frame), title=t("chart.heatmap"), colorbar_title="kW"
                ),
            ),
            width="stretch",
        )

with tabs[2]:
    months = sorted(set(frame.index.month))
    default_month = int(stats.peak_at.month)
    month = st.selectbox(
        t("tou.month"),
        [0, *months],
        index=[0, *months].index(default_month),
        format_func=lambda m: (
            tf("tou.month.all") if m == 0 else fmt_month(f"2000-{m:02d}", code_run, year=False)
        ),
        key="tou.month",
    )
    if tabs[2].open:  # profiles and chart only in the open tab
        sub = frame if month == 0 else frame[frame.index.month == month]
        profile, _ = typical_days_kw(sub)
        bands = None
        title = t("chart.typical_days")
        if month:
            first_day = sub.index[0]
            grid = period_grid(version_on(versions, first_day)).loc[month]
            slots = grid.to_numpy()
            bands = []
            start = 0
            for i in range(1, len(slots) + 1):
                if i == len(slots) or slots[i] != slots[start]:
                    end = "24:00" if i == len(slots) else grid.index[i]
                    bands.append((grid.index[start], end, slots[start]))
                    start = i
            title = t("chart.typical_days_month", month=month)
        daytype_names = {d: t(f"daytype.{d}") for d in ("working", "rest", "holiday")}
        st.plotly_chart(
            charts.typical_days(
                profile,
                title=title,
                y_title="kW",
                names=daytype_names,
                bands=bands,
                band_names=period_names,
            ),
            width="stretch",
        )
        counts = day_type_counts(sub)
        st.caption(t("tou.daytype_counts", **{d: int(counts[d]) for d in counts.index}))

with tabs[3]:
    if tabs[3].open:
        st.plotly_chart(
            cached_figure(
                (*chart_key, "duration"),
                lambda: charts.duration_curve(
                    duration_curve_kw(frame),
                    title=t("chart.duration"),
                    x_title=t("chart.duration.x"),
                    y_title="kW",
                ),
            ),
            width="stretch",
        )

with tabs[4]:
    m = bill.monthly
    monthly = pd.DataFrame(
        {
            t("tou.monthly.col.month"): m["month"],
            t("tou.monthly.col.tariff"): m["tariff"],
            **{
                f"{period_names[p]} [kWh]": m[f"energy_kwh_{p}"].round(1)
                for p in PERIODS
                if m[f"energy_kwh_{p}"].sum() > 0
            },
            t("tou.monthly.col.energy"): m["energy_kwh"].round(1),
            t("tou.monthly.col.energy_cost"): m["energy_cost_cny"].round(2),
            t("tou.monthly.col.max_kw"): m["max_kw"].round(1),
            t("tou.monthly.col.demand_charge"): m["demand_charge_cny"].round(2),
            t("tou.monthly.col.total"): m["total_cost_cny"].round(2),
        }
    )
    show_table(monthly_bill_table(m, period_names, versions))
    c1, c2 = st.columns(2)
    c1.download_button(
        t("download.csv"),
        csv_bytes(monthly),
        file_name="tou_monthly_bill.csv",
        mime="text/csv",
        key="dl.monthly.csv",
    )
    c2.download_button(
        t("download.xlsx"),
        lambda: xlsx_bytes(monthly, sheet="monthly"),  # built on click, not on every rerun
        file_name="tou_monthly_bill.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        key="dl.monthly.xlsx",
    )

with tabs[5]:
    code_now = lang()  # the label is formatted again outside the run (AppTest): fix it now
    shown = st.selectbox(
        t("tou.viewer.version"),
        range(len(versions)),
        key="tou.viewer.version",
        format_func=lambda i: version_label(versions[i], code_now),
    )
    tariff = versions[shown]
    st.table(meta_table(tariff, lang()))
    day_type = st.radio(
        t("tou.viewer.day_type"),
        ("working", "rest", "holiday"),
        horizontal=True,
        format_func=lambda d: tf(f"daytype.{d}"),
        key="tou.viewer.daytype",
    )
    if tabs[5].open:
        grid = period_grid(tariff, day_type=day_type)
        st.plotly_chart(
            charts.period_heatmap(grid, title=t("chart.period_grid"), names=period_names),
            width="stretch",
        )
    st.subheader(t("tou.prices"))
    st.dataframe(price_frame(tariff, lang(), period_names), hide_index=True, width="stretch")
    render_charges(tariff, lang())
    render_agency(frame, lang())

    st.subheader(t("tou.editor"))
    st.caption(t("tou.editor.help"))
    preset = base_versions(frame)[0]
    preset_prices = price_table(preset)
    used = [p for p in PERIODS if preset_prices[p].notna().any()]
    cols = st.columns(len(used) + 1)
    for col, p in zip(cols, used, strict=False):
        base = float(np.nanmax(preset_prices[p].to_numpy()))
        col.number_input(
            f"{period_names[p]} [{price_unit()}]",
            min_value=0.0,
            value=edits().get(p, base),
            step=0.01,
            format="%.4f",
            key=EDITOR_PREFIX + p,
            on_change=sync_edit,
            args=(p, base),
        )
    base_demand = float(preset.demand_cny_per_kw_month or 0.0)
    cols[-1].number_input(
        t("tou.editor.demand"),
        min_value=0.0,
        value=edits().get("demand", base_demand),
        step=1.0,
        key=EDITOR_PREFIX + "demand",
        on_change=sync_edit,
        args=("demand", base_demand),
    )
    st.button(
        t("tou.editor.reset"), on_click=reset_edits, key="tou.editor.reset", disabled=not edits()
    )

    st.subheader(t("tou.upload"))
    up = st.file_uploader(
        t("tou.upload"),
        type=["toml"],
        key="tou.upload",
        help=t("tou.upload.help"),
        label_visibility="collapsed",
    )
    if up is not None:
        item = FileInput.of(up.name, up.getvalue())
        try:
            parsed = load_tariff(item.data.decode("utf-8-sig"), file=item.name)
        except InputError as err:
            show_error(err)
            problems = err.params.get("problems") or []
            total = int(err.params.get("count") or len(problems))
            for line in problem_texts(problems, total, lang(), escape=md_escape):
                st.markdown("- " + line)
        except UnicodeDecodeError:
            show_error(InputError("tariff.unreadable", file=item.name, reason="UTF-8"))
        else:
            st.session_state["tariff.upload"] = item
            st.success(t("tou.upload.ok", id=md_escape(parsed.id)))
    for template in (p for p in preset_paths() if p.stem == "template"):
        st.download_button(
            t("tou.template"),
            template.read_bytes(),
            file_name="greentemp_tariff_template.toml",
            mime="application/toml",
            key="dl.template",
        )

price_comparison_section(result)
render_bill_sections(analysis)

with st.expander(t("home.quality")):
    show_warnings(analysis.warnings)
