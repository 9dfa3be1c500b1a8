"""The Report button on every page: the session's analysis, stage and canvas as one HTML file.

Reads the Asset-stage page's session keys (answers, meters, edited boxes) so a report carries
what the visitor set; the document itself is built by the Streamlit-free
:func:`ui.render.report.build_report`.
"""

from __future__ import annotations

from typing import Any

from analytics.analysis import Analysis, to_json
from analytics.findings import InputError
from analytics.stage import BOXES, Questionnaire, StageResult
from ui.dataset import analyse_file, current_file
from ui.green_settings import session_analysis
from ui.render.report import assess_analysis, build_report, prefilled_canvas, report_file_name
from ui.state import company_name, t
from ui.state import lang as current_lang

#: Session keys of the Asset-stage page that the report reads.
ANSWERS_KEY = "stage.answers"
METERS_KEY = "stage.meters"
BOXES_KEY = "canvas.boxes"
FILLED_KEY = "canvas.filled_stage"
#: The language and the texts of the last pre-fill (a pre-fill left untouched follows a
#: language switch; the visitor's own texts never change).
FILLED_LANG_KEY = "canvas.filled_lang"
FILLED_BOXES_KEY = "canvas.filled_boxes"
#: The last Report button's builder (``() -> bytes``, the download's data).
MAKE_KEY = "report.make"


def remember_prefill(boxes: dict[str, str], lang: str) -> None:
    import streamlit as st

    st.session_state[FILLED_LANG_KEY] = lang
    st.session_state[FILLED_BOXES_KEY] = dict(boxes)


def stale_prefill(lang: str) -> bool:
    """True when the saved canvas is an untouched pre-fill in another language."""
    import streamlit as st

    saved = st.session_state.get(BOXES_KEY)
    filled_lang = st.session_state.get(FILLED_LANG_KEY)
    return (
        bool(saved)
        and filled_lang not in (None, lang)
        and ({b: str(saved.get(b, "")) for b in BOXES} == st.session_state.get(FILLED_BOXES_KEY))
    )


def session_answers() -> Questionnaire:
    import streamlit as st

    saved = st.session_state.get(ANSWERS_KEY) or {}
    return Questionnaire(
        **{k: bool(v) for k, v in saved.items() if k in Questionnaire.__dataclass_fields__}
    )


def session_stage(analysis: Analysis) -> StageResult:
    """The stage from the loaded data and the questionnaire answers of this session."""
    import streamlit as st

    linked = (
        current_file("production") is not None or getattr(analysis, "production", None) is not None
    )
    return assess_analysis(
        analysis,
        session_answers(),
        production_linked=linked,
        meters=int(st.session_state.get(METERS_KEY, 1)),
    )


def session_boxes(analysis: Analysis, stage: StageResult, lang: str) -> dict[str, str]:
    """The visitor's canvas, else the pre-filled one for the assessed stage."""
    import streamlit as st

    saved = None if stale_prefill(lang) else st.session_state.get(BOXES_KEY)
    if saved:
        return {b: str(saved.get(b, "")) for b in BOXES}
    return prefilled_canvas(to_json(analysis), stage, lang)


def report_button(container: Any = None) -> None:
    """A download button for the HTML report of the current analysis (built on click)."""
    import streamlit as st

    # never stops the page: without a readable load there is simply no report (the Data page
    # must stay usable exactly then, to upload or map a file)
    item = current_file("load")
    if item is None:
        return
    try:
        result = analyse_file(item, "load")
    except InputError:
        return
    code = current_lang()
    analysis = session_analysis(result)  # the Green page's settings (ui/green_settings.py)
    stage = session_stage(analysis)
    saved = None if stale_prefill(code) else st.session_state.get(BOXES_KEY)
    boxes = {b: str(saved.get(b, "")) for b in BOXES} if saved else None
    name = result.file_name
    company = company_name()

    def make() -> bytes:  # runs on click, outside the script run: no session state here
        return build_report(
            analysis, lang=code, file_name=name, stage=stage, boxes=boxes, company=company
        ).encode("utf-8")

    st.session_state[MAKE_KEY] = make  # the download's bytes, exactly (tests read them here)
    row = (container or st).container(horizontal=True)
    row.download_button(
        t("report.button"),
        data=make,
        file_name=report_file_name(name, code),
        mime="text/html",
        on_click="ignore",
        icon=":material/summarize:",
        help=t("report.button.help"),
        key="report.download",
    )
    pdf_button(row, make, report_file_name(name, code))


def pdf_button(container: Any, make_html: Any, html_name: str) -> None:
    """The same report as a PDF (``ui.pdf``: local headless Chromium, built on click), or a
    caption pointing to the browser's print dialogue when no Chromium is found."""
    from ui.pdf import find_chromium, html_to_pdf

    if find_chromium() is None:
        container.caption(t("pf15.pdf.missing"))
        return
    failed = t("pf15.pdf.failed")

    def make_pdf() -> bytes:  # on click, outside the script run
        pdf = html_to_pdf(make_html().decode("utf-8"))
        if pdf is None:
            raise RuntimeError(failed)  # Streamlit shows it; never an empty file
        return pdf

    container.download_button(
        t("pf15.pdf.button"),
        data=make_pdf,
        file_name=html_name.removesuffix(".html") + ".pdf",
        mime="application/pdf",
        on_click="ignore",
        icon=":material/picture_as_pdf:",
        help=t("pf15.pdf.help"),
        key="report.download_pdf",
    )
