"""GreenTemp entry point: a router with the shared sidebar (data source, zone, language)."""

import streamlit as st

from ui.guard import page_boundary
from ui.holdings import target_sidebar
from ui.polish import inject_streamlit_texts, sidebar_controls
from ui.render.format import set_display_lang
from ui.render.i18n import LANGS
from ui.state import SOURCES, TIMEZONES, lang, t, t_now
from ui.tariffs import choices as tariff_choices
from ui.tariffs import label as tariff_label
from ui.tariffs import reset_edits
from ui.workspace import workspace_picker

st.set_page_config(page_title="GreenTemp", page_icon=":material/thermostat:", layout="wide")

set_display_lang(lang())  # this run's figures follow the number policy of the language
inject_streamlit_texts(lang())  # Streamlit's own widget texts in the visitor's language

tf = t_now()
with st.sidebar:
    st.selectbox(
        t("sidebar.language"),
        LANGS,
        index=LANGS.index(lang()),
        key="lang",
        format_func=lambda code: {"zh-CN": "中文", "en": "English"}[code],
    )
    st.radio(
        t("sidebar.source"), SOURCES, key="source", format_func=lambda s: tf(f"sidebar.source.{s}")
    )
    if st.session_state.get("source") == "workspace":
        workspace_picker()
    st.selectbox(t("sidebar.tz"), TIMEZONES, key="tz", help=t("sidebar.tz.help"))
    code = lang()
    st.selectbox(
        t("sidebar.tariff"),
        tariff_choices(),
        key="tariff",
        help=t("sidebar.tariff.help"),
        format_func=lambda c: tariff_label(c, code),
        on_change=reset_edits,
    )
    target_sidebar()  # province × industry: the green target default (ui/holdings.py)
    sidebar_controls()

pages = [
    st.Page("pages/home.py", title=t("nav.home"), icon=":material/thermostat:", default=True),
    st.Page("pages/tou.py", title=t("nav.tou"), icon=":material/bolt:"),
    st.Page("pages/production.py", title=t("nav.production"), icon=":material/factory:"),
    st.Page("pages/data.py", title=t("nav.data"), icon=":material/upload_file:"),
    st.Page("pages/green.py", title=t("nav.green"), icon=":material/eco:"),
    st.Page("pages/canvas.py", title=t("nav.canvas"), icon=":material/grid_view:"),
    st.Page("pages/portfolio.py", title=t("nav.portfolio"), icon=":material/apartment:"),
]
page_boundary(st.navigation(pages).run)
