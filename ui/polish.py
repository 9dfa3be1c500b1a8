"""The zh-CN demo polish that belongs to the frame, not to a page (issue 15).

* :func:`streamlit_texts_css`: Streamlit's own widget texts that ``t()`` cannot reach (the
  file uploader's "Drag and drop file here" / "Limit 200MB per file • CSV, TXT, XLSX" /
  "Upload", the multiselect's "Choose options", the keyboard "Skip to main content" link)
  are hidden by CSS and replaced by our
  catalogue's words, and headline metrics wrap instead of being cut off. Selectors are the
  ``data-testid`` attributes of Streamlit 1.67's DOM (checked with headless Chromium).
* :func:`sidebar_controls`: the company-name field and the reset button of the sidebar.
"""

from __future__ import annotations

import json

import streamlit as st

from ui.state import COMPANY_KEY, reset_session, t

UPLOADER = '[data-testid="stFileUploaderDropzone"]'
INSTRUCTIONS = '[data-testid="stFileUploaderDropzoneInstructions"]'


def _css_text(text: str) -> str:
    """A CSS string literal (JSON quoting is valid CSS quoting for these texts)."""
    return json.dumps(text, ensure_ascii=False)


def streamlit_texts_css(lang: str) -> str:
    """The ``<style>`` that replaces Streamlit's own English widget texts with ours and keeps
    headline metrics whole at 1280 px (two lines rather than an ellipsis)."""
    from ui.render.i18n import translate

    tr = lambda key: _css_text(translate(lang, key))  # noqa: E731
    return f"""<style>
{UPLOADER} button [data-testid="stMarkdownContainer"] p {{display:none}}
{UPLOADER} button [data-testid="stMarkdownContainer"]::after {{content:{tr("polish.uploader.browse")}}}
{INSTRUCTIONS} span {{display:none}}
{INSTRUCTIONS} > div::before {{content:{tr("polish.uploader.drop")};display:block;font-weight:600}}
{INSTRUCTIONS} > div::after {{content:{tr("polish.uploader.limit")};display:block;font-size:.8rem;
 opacity:.7}}
[data-testid="stMultiSelect"] input::placeholder {{color:transparent}}
[data-testid="stSkipToContent"] {{font-size:0}}
[data-testid="stSkipToContent"]::after {{content:{tr("polish.skip")};font-size:1rem}}
[data-testid="stMetricValue"] {{font-size:clamp(1.05rem, 1.55vw, 1.9rem)}}
[data-testid="stMetricValue"] > div, [data-testid="stMetricValue"] {{white-space:normal;
 overflow:visible;text-overflow:clip;overflow-wrap:anywhere;line-height:1.2}}
[data-testid="stMetricLabel"] p {{white-space:normal;overflow:visible;text-overflow:clip}}
</style>"""


def inject_streamlit_texts(lang: str) -> None:
    """Put :func:`streamlit_texts_css` on the page (``app.py``, once per run)."""
    st.html(streamlit_texts_css(lang))


def sidebar_controls() -> None:
    """The company-name field and the reset button (inside ``with st.sidebar``)."""
    from ui.render.i18n import LANGS, translate

    defaults = {translate(code, "polish.company.default") for code in LANGS}
    # the sample's name follows the language until the visitor types their own
    if st.session_state.get(COMPANY_KEY) in (None, "", *defaults):
        st.session_state[COMPANY_KEY] = t("polish.company.default")
    st.text_input(t("polish.company"), key=COMPANY_KEY, help=t("polish.company.help"))
    st.button(
        t("polish.reset"),
        on_click=reset_session,
        help=t("polish.reset.help"),
        icon=":material/restart_alt:",
        key="polish.reset",
    )


def tariff_overrides() -> list[str]:
    """The active tariff adjustments as short texts for :func:`ui.state.override_banner`:
    price edits, an uploaded tariff file, a preset chosen instead of the automatic one."""
    from ui.state import lang
    from ui.tariffs import AUTO, UPLOADED, choice, edits, label

    items = []
    e = edits()
    if e:
        items.append(t("polish.override.tariff_edits", n=len(e)))
    c = choice()
    if c == UPLOADED:
        items.append(t("polish.override.tariff_upload"))
    elif c != AUTO:
        items.append(t("polish.override.tariff_choice", name=label(c, lang())))
    return items
