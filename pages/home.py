"""Home: the enterprise at a glance (the sample loads without any upload)."""

import streamlit as st

from ui.charts import daily_energy
from ui.dataset import current_analysis
from ui.format import fmt_date, fmt_energy, fmt_kw, fmt_share, fmt_time
from ui.state import ensure_router, t
from ui.widgets import show_warnings

ensure_router()

st.title(t("home.title"))
st.write(t("home.intro"))

result = current_analysis()
stats = result.analysis.load
report = result.analysis.report

st.caption(t("home.dataset", name=result.file_name, start=fmt_date(report.start),
             end=fmt_date(report.end), minutes=report.interval_minutes))
c1, c2, c3, c4 = st.columns(4)
c1.metric(t("kpi.energy"), fmt_energy(stats.energy_kwh), help=t("help.energy_kwh"))
c2.metric(t("kpi.peak"), fmt_kw(stats.peak_kw), help=t("help.peak_kw"))
c3.metric(t("kpi.load_factor"), fmt_share(stats.load_factor), help=t("help.load_factor"))
c4.metric(t("kpi.base_load"), fmt_kw(stats.base_load_kw), help=t("help.base_load_kw"))
st.caption(t("kpi.peak_at", at=fmt_time(stats.peak_at)))

st.plotly_chart(
    daily_energy(result.analysis.frame, title=t("chart.daily_energy"), y_title="kWh"),
    width="stretch",
)

with st.expander(t("home.quality"), expanded=False):
    show_warnings(result.analysis.warnings)

st.page_link("pages/data.py", label=t("home.go_data"), icon=":material/upload_file:")
