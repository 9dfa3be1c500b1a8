"""Portfolio: screen every enterprise of a workspace for green-trading potential."""

import html
import re

import streamlit as st

from analytics.findings import InputError
from analytics.portfolio import DEFAULT_WORKSPACE
from analytics.tou import list_presets
from ui.cached import cached_enterprises
from ui.demo import demo_bar, remember_screen
from ui.downloads import csv_bytes, xlsx_bytes
from ui.leads import render_leads
from ui.portfolio_display import (
    DEMO_PENDING,
    advanced_section,
    apply_pending_demo,
    build_demo,
    kpi_row,
    scatter_in_policy,
    screen_table,
)
from ui.render.charts import need_vs_saving, score_histogram
from ui.render.format import md_escape
from ui.render.i18n import has_key, translate
from ui.report_button import report_button
from ui.screen_progress import screen_with_progress
from ui.state import ensure_router, lang, t, t_now
from ui.widgets import show_error
from ui.workspace import open_enterprise, workspace_key

ensure_router()
demo_bar()  # the guided demo's banner (ui/demo.py; nothing when it is off)

if st.session_state.pop("portfolio.go_home", False):  # set by the drill-down callback
    st.switch_page("pages/home.py", query_params={"lang": lang()})

st.title(t("portfolio.title"))
st.write(t("portfolio.intro"))
top = st.container()  # the Report button (of the session's enterprise), as on every page

apply_pending_demo()
c1, c2 = st.columns([3, 1])
with c1:
    path = advanced_section(str(DEFAULT_WORKSPACE))
target = c2.number_input(
    t("portfolio.target"),
    min_value=0.0,
    max_value=1.0,
    value=0.3,
    step=0.05,
    key="portfolio.target",
    help=t("portfolio.target.help"),
)
DEMO_SIZE = 24

key = workspace_key(path)
if key is None:
    st.info(t("pf15.no_workspace", path=md_escape(path)))
    if st.button(
        t("portfolio.demo", n=DEMO_SIZE),
        key="portfolio.demo",
        icon=":material/science:",
        help=t("portfolio.demo.help"),
    ):
        st.session_state[DEMO_PENDING] = build_demo(DEMO_SIZE)
        st.rerun()
    report_button(top)
    st.stop()

try:
    with st.spinner(t("portfolio.screening")):
        table = screen_with_progress(key, float(target))
        names = cached_enterprises(key)
except InputError as err:
    show_error(err)
    st.stop()

if table.empty:
    st.info(t("portfolio.empty"))
    st.stop()
remember_screen(table, names, key)  # for the Overview's industry comparison (ui/demo.py)

tf = t_now()
kpi_row(table)
failed = int(table["error"].notna().sum())
if failed:
    st.warning(t("portfolio.failed", n=failed))

# ------------------------------------------------------------------ filters
merged = table.merge(
    names[["enterprise_id", "name", "tz", "tariff"]].rename(columns={"tariff": "tariff_id"}),
    on="enterprise_id",
    how="left",
)
f1, f2, f3, f4 = st.columns(4)
provinces = sorted(merged["province"].dropna().unique())
industries = sorted(merged["industry"].dropna().unique())
sizes = [s for s in ("S", "M", "L") if s in set(merged["size_class"].dropna())]
code_now = lang()


def _known(kind: str, value: object) -> str:
    """A province or industry name in the UI language when the catalogue knows it (else as given)."""
    key = f"portfolio.{kind}.{value}"
    return translate(code_now, key) if has_key(key, code_now) else str(value)


pick_prov = f1.multiselect(
    t("portfolio.filter.province"),
    provinces,
    key="portfolio.f.province",
    format_func=lambda v: _known("province", v),
)
pick_ind = f2.multiselect(
    t("portfolio.filter.industry"),
    industries,
    key="portfolio.f.industry",
    format_func=lambda v: _known("industry", v),
)
pick_size = f3.multiselect(
    t("portfolio.filter.size"),
    sizes,
    key="portfolio.f.size",
    format_func=lambda s: tf(f"pf15.size.long.{s}"),
)
lo, hi = f4.slider(
    t("portfolio.filter.score"), 0.0, 100.0, (0.0, 100.0), step=1.0, key="portfolio.f.score"
)
view = merged
if pick_prov:
    view = view[view["province"].isin(pick_prov)]
if pick_ind:
    view = view[view["industry"].isin(pick_ind)]
if pick_size:
    view = view[view["size_class"].isin(pick_size)]
score = view["green_temperature_score"]
view = view[score.isna() | score.between(lo, hi)]

RANKS = (
    "green_purchase_kwh",
    "gec_count",
    "pv_certificates",
    "peak_sharp_energy_share",
    "energy_kwh",
    "green_temperature_score",
)
rank_by = st.selectbox(
    t("portfolio.rank_by"),
    RANKS,
    key="portfolio.rank_by",
    format_func=lambda c: re.sub(r"\s*\[[^\]]*\]$", "", tf(f"portfolio.col.{c}")),
)
ascending = rank_by == "green_temperature_score"  # the coldest first
view = view.sort_values(rank_by, ascending=ascending, na_position="last").reset_index(drop=True)
view.insert(0, "rank", range(1, len(view) + 1))

SHOWN = (
    "rank",
    "enterprise_id",
    "name",
    "province",
    "industry",
    "size_class",
    "energy_kwh",
    "green_temperature_score",
    "green_purchase_kwh",
    "gec_count",
    "pv_generation_kwh",
    "pv_certificates",
    "peak_sharp_energy_share",
    "valley_energy_share",
    "total_cost_cny",
    "co2_market_t",
    "sec_kwh_per_unit",
    "data_coverage",
    "warning_count",
    "error",
)
st.subheader(t("portfolio.table", n=len(view), total=len(table)))
shown, config = screen_table(view, SHOWN)
st.dataframe(shown, hide_index=True, width="stretch", key="portfolio.table", column_config=config)

d1, d2 = st.columns(2)
export = view.drop(columns=["tz", "tariff_id"])
d1.download_button(
    t("portfolio.download_csv"),
    csv_bytes(export),
    "portfolio_screen.csv",
    "text/csv",
    key="portfolio.dl.csv",
)
d2.download_button(
    t("portfolio.download_xlsx"),
    xlsx_bytes(export, sheet="portfolio"),
    "portfolio_screen.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="portfolio.dl.xlsx",
)

# ------------------------------------------------------------------ charts
has_saving = view["saving_cny"].notna().any()
y_col = "saving_cny" if has_saving else "peak_sharp_energy_share"
hover = [
    html.escape(f"{r.enterprise_id} · {r.name}") for r in view.itertuples()
]  # plotly renders tags
ch1, ch2 = st.columns(2)
ch1.plotly_chart(
    scatter_in_policy(
        need_vs_saving(
            view,
            y=y_col,
            title=t("portfolio.chart.scatter"),
            x_title=t("portfolio.chart.need_mwh"),
            y_title=t(f"portfolio.col.{y_col}"),
            hover=hover,
        ),
        view,
        "portfolio.chart.need_mwh",
    ),
    width="stretch",
    key="portfolio.scatter",
)
if not has_saving:
    ch1.caption(t("portfolio.chart.no_saving"))
ch2.plotly_chart(
    score_histogram(
        view["green_temperature_score"],
        title=t("portfolio.chart.histogram"),
        x_title=t("portfolio.col.green_temperature_score"),
        y_title=t("portfolio.chart.count"),
    ),
    width="stretch",
    key="portfolio.histogram",
)

render_leads(table, names, key)  # leads: rule picker, why, 对标 percentiles, 同比/环比

# ------------------------------------------------------------------ drill-down
st.subheader(t("portfolio.drill"))
ids = view["enterprise_id"].tolist()
if ids:
    label = dict(zip(view["enterprise_id"], view["name"].fillna(""), strict=True))
    chosen = st.selectbox(
        t("portfolio.drill.pick"),
        ids,
        key="portfolio.pick",
        format_func=lambda i: f"{i} · {label.get(i, '')}",
    )
    row = view[view["enterprise_id"] == chosen].iloc[0]
    presets = [m.id for m in list_presets()]
    st.button(
        t("portfolio.drill.open"),
        key="portfolio.open",
        type="primary",
        on_click=open_enterprise,
        args=(
            key[0],
            chosen,
            str(row["tz"]),
            row["tariff_id"] if isinstance(row["tariff_id"], str) else None,
            presets,
        ),
        help=t("portfolio.drill.help"),
    )
report_button(top)
