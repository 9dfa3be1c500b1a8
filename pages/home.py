"""Home: the enterprise at a glance (the sample loads without any upload)."""

import streamlit as st

from analytics.tou import peak_energy_share, valley_energy_share
from ui.dataset import current_analysis
from ui.demo import demo_bar, demo_start, industry_comparison
from ui.green_settings import figures as green_figures
from ui.green_settings import override_items as green_overrides
from ui.polish import tariff_overrides
from ui.render.charts import daily_energy
from ui.render.format import fmt_cny, fmt_count, fmt_date, fmt_num, fmt_share, fmt_time, md_escape
from ui.report_button import report_button
from ui.state import company_name, ensure_router, lang, override_banner, t
from ui.widgets import load_and_cost_metrics, show_warnings

ensure_router()
demo_bar()  # the guided demo's banner (ui/demo.py; nothing when it is off)

st.title(t("home.title"))
st.subheader(company_name())
st.write(t("home.intro"))
report_button()
demo_start()  # the guided demo's start button (ui/demo.py)

result = current_analysis()
analysis = result.analysis
stats, bill = analysis.load, analysis.bill
green, temp = green_figures(result)  # the Green page's settings (ui/green_settings.py)
override_banner([*green_overrides(result), *tariff_overrides()])
report = analysis.report

st.caption(
    t(
        "home.dataset",
        name=md_escape(result.file_name),
        start=fmt_date(report.start),
        end=fmt_date(report.end),
        minutes=report.interval_minutes,
    )
)

score_col, text_col = st.columns([1, 3])
score_col.metric(
    t("home.green_temperature"), f"{temp.score:.0f}°", help=t("home.green_temperature.help")
)
text_col.write(
    t(
        "home.story",
        cost=fmt_cny(bill.total_cost_cny, lang()),
        peak_share=fmt_share(peak_energy_share(bill.energy_kwh, stats.energy_kwh)),
        valley_share=fmt_share(valley_energy_share(bill.energy_kwh, stats.energy_kwh)),
        renewable=fmt_share(green.balance.self_sufficiency_ratio),
        target=fmt_share(green.target_share, 0),
        gec=fmt_num(green.gec_count),
    )
)

c = [*st.columns(4), *st.columns(4)]
load_and_cost_metrics(c, stats, bill, compact=True)
c[6].metric(
    t("home.co2_location"),
    t("home.t_co2", value=fmt_num(green.co2_location_t)),
    help=t("home.co2_location.help", factor=green.grid_factor.value, year=green.grid_factor.year),
)
c[7].metric(t("home.gec_needed"), fmt_count(green.gec_count, "gec"), help=t("home.gec_needed.help"))
st.caption(t("kpi.peak_at", at=fmt_time(stats.peak_at)))

st.plotly_chart(
    daily_energy(analysis.frame, title=t("chart.daily_energy"), y_title="kWh"),
    width="stretch",
)

with st.expander(t("home.quality"), expanded=False):
    show_warnings(analysis.warnings)

industry_comparison()  # this enterprise vs its industry when a portfolio is loaded (ui/demo.py)

n1, n2, n3 = st.columns(3)
n1.page_link("pages/tou.py", label=t("home.go_tou"), icon=":material/bolt:")
n2.page_link("pages/green.py", label=t("home.go_green"), icon=":material/eco:")
n3.page_link("pages/data.py", label=t("home.go_data"), icon=":material/upload_file:")
