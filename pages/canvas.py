"""Asset stage & canvas: the stage of the enterprise's power data (measured indicators and a
questionnaire), an editable nine-box canvas pre-filled from the stage template and the
enterprise's figures, and the paper's three reference canvases beside it."""

import json
import re

import pandas as pd
import streamlit as st

from analytics.analysis import to_json
from analytics.stage import BOXES, Questionnaire, canvas_json, parse_canvas_json, reference_canvases
from ui.dataset import current_analysis
from ui.demo import demo_bar
from ui.green_settings import green_banner, session_analysis
from ui.holdings import source_expander
from ui.render.format import fmt_num, fmt_share, md_escape
from ui.render.html import CANVAS_CSS, canvas_document, canvas_html, canvas_markdown
from ui.render.report import (
    box_labels,
    figure_label,
    next_steps_heading,
    prefilled_canvas,
    reason_texts,
    stage_name,
    step_texts,
)
from ui.report_button import (
    ANSWERS_KEY,
    BOXES_KEY,
    FILLED_KEY,
    METERS_KEY,
    remember_prefill,
    report_button,
    session_stage,
    stale_prefill,
)
from ui.state import ensure_router, lang, t
from ui.uploader_hint import uploader_hint

ensure_router()
demo_bar()  # the guided demo's banner (ui/demo.py; nothing when it is off)

QUESTIONS = tuple(Questionnaire.__dataclass_fields__)
WIDGET = "canvas.w."
UPLOAD = "canvas.upload"
#: Heights of the text areas [px]: tall boxes span both rows of the canvas.
TALL, HALF, LOW = 330, 150, 130

st.title(t("canvas.title"))
st.write(t("canvas.intro"))
top = st.container()

result = current_analysis()
analysis = session_analysis(result)  # with the Green page's settings (ui/green_settings.py)
green_banner(result)
code = lang()
labels = box_labels(code)

# --- stage assessment ------------------------------------------------------------------------
st.subheader(t("stage.heading"))
answers = dict(st.session_state.get(ANSWERS_KEY) or {})
left, right = st.columns([3, 2])
with right:
    st.markdown(f"**{t('stage.questionnaire')}**")
    for q in QUESTIONS:
        key = f"stage.w.{q}"
        if key not in st.session_state:
            st.session_state[key] = bool(answers.get(q, False))
        answers[q] = st.checkbox(t(f"stage.q.{q}"), key=key)
    if "stage.w.meters" not in st.session_state:
        st.session_state["stage.w.meters"] = int(st.session_state.get(METERS_KEY, 1))
    st.session_state[METERS_KEY] = int(
        st.number_input(
            t("stage.ind.meters"),
            min_value=1,
            max_value=100_000,
            step=1,
            key="stage.w.meters",
            help=t("stage.ind.meters.help"),
        )
    )
st.session_state[ANSWERS_KEY] = answers
stage = session_stage(analysis)
ind = stage.indicators
yes_no = {True: t("stage.yes"), False: t("stage.no")}
with left:
    st.markdown(f"**{t('stage.indicators')}**")
    m = [*st.columns(3), *st.columns(3)]
    m[0].metric(
        t("stage.ind.interval_minutes"), t("stage.unit.minutes", value=ind.interval_minutes)
    )
    m[1].metric(t("stage.ind.history_days"), t("stage.unit.days", value=fmt_num(ind.history_days)))
    m[2].metric(t("stage.ind.completeness_share"), fmt_share(ind.completeness_share))
    m[3].metric(t("stage.ind.production_linked"), yes_no[ind.production_linked])
    m[4].metric(t("stage.ind.green_data"), yes_no[ind.green_data])
    m[5].metric(t("stage.ind.meters"), fmt_num(ind.meters))
    st.success(t("stage.result", stage=stage_name(stage, code)), icon=":material/grid_view:")
r1, r2 = st.columns(2)
with r1:
    st.markdown(f"**{t('stage.reasons')}**")
    st.markdown(
        "\n".join(
            f"- {':green[✓]' if met else ':red[✗]'} {text}"
            for met, text in reason_texts(stage, code)
        )
    )
with r2:
    st.markdown(f"**{next_steps_heading(stage, code)}**")
    st.markdown("\n".join(f"{i}. {text}" for i, text in enumerate(step_texts(stage, code), 1)))
with st.expander(t("stage.criteria")):
    st.markdown(t("stage.criteria.body"))
with st.expander(t("stage.dataset"), icon=":material/dataset:"):
    # the capitalisation route of the paper's Wuxi case: a registered, publishable dataset
    st.markdown(t("stage.dataset.body"))
    st.code(
        "python -m analytics portfolio export --workspace WS.duckdb --out dataset/ "
        "--anonymise --secret-file key.txt --k 5",
        language="bash",
    )
    st.page_link("pages/portfolio.py", label=t("stage.dataset.link"), icon=":material/apartment:")

# --- canvas ----------------------------------------------------------------------------------
st.subheader(t("canvas.heading"))
doc = to_json(analysis)
template_boxes = prefilled_canvas(doc, stage, code)


def _set_boxes(boxes: dict[str, str], filled_stage: str | None) -> None:
    st.session_state[BOXES_KEY] = dict(boxes)
    st.session_state[FILLED_KEY] = filled_stage
    for b in BOXES:
        st.session_state[WIDGET + b] = boxes[b]
    if filled_stage is not None:
        remember_prefill(boxes, code)


def _load_uploaded() -> None:
    up = st.session_state.get(UPLOAD)
    if up is None:
        return
    try:
        boxes = parse_canvas_json(up.getvalue())
    except ValueError:
        st.session_state["canvas.load_msg"] = ("error", up.name)
        return
    _set_boxes(boxes, None)
    st.session_state["canvas.load_msg"] = ("ok", up.name)


if not st.session_state.get(BOXES_KEY) or stale_prefill(code):
    _set_boxes(template_boxes, stage.stage)  # also: an untouched pre-fill follows the language
boxes = dict(st.session_state[BOXES_KEY])
for b in BOXES:  # widgets are dropped when the visitor leaves the page: restore them
    st.session_state.setdefault(WIDGET + b, boxes[b])

c1, c2 = st.columns([3, 1])
c1.caption(t("canvas.help", stage=stage_name(stage, code)))
c2.button(
    t("canvas.fill", stage=stage_name(stage, code)),
    key="canvas.refill",
    on_click=_set_boxes,
    args=(template_boxes, stage.stage),
    icon=":material/restart_alt:",
    type="primary" if st.session_state.get(FILLED_KEY) != stage.stage else "secondary",
)


def _box(container, box: str, height: int) -> None:
    boxes[box] = container.text_area(labels[box], key=WIDGET + box, height=height)


top_row = st.columns(5)
_box(top_row[0], "key_partners", TALL)
_box(top_row[1], "key_activities", HALF)
_box(top_row[1], "key_resources", HALF)
_box(top_row[2], "value_propositions", TALL)
_box(top_row[3], "customer_relationships", HALF)
_box(top_row[3], "channels", HALF)
_box(top_row[4], "customer_segments", TALL)
bottom_row = st.columns(2)
_box(bottom_row[0], "cost_structure", LOW)
_box(bottom_row[1], "revenue_streams", LOW)
st.session_state[BOXES_KEY] = dict(boxes)

with st.expander(t("canvas.preview"), expanded=False):
    st.html(f"<style>{CANVAS_CSS}</style>{canvas_html(boxes, labels)}")

title = f"{t('canvas.doc_title')} — {result.file_name}"
subtitle = [t("canvas.doc_stage", stage=stage_name(stage, code))]
e1, e2, e3 = st.columns(3)
e1.download_button(
    t("canvas.save_json"),
    json.dumps(
        canvas_json(boxes, stage=stage.stage, lang=code), ensure_ascii=False, indent=2
    ).encode("utf-8"),
    file_name="greentemp_canvas.json",
    mime="application/json",
    key="canvas.dl.json",
    on_click="ignore",
    icon=":material/save:",
)
e2.download_button(
    t("canvas.export_md"),
    canvas_markdown(title=title, subtitle=subtitle, boxes=boxes, labels=labels).encode("utf-8"),
    file_name="greentemp_canvas.md",
    mime="text/markdown",
    key="canvas.dl.md",
    on_click="ignore",
    icon=":material/description:",
)
e3.download_button(
    t("canvas.export_html"),
    canvas_document(lang=code, title=title, subtitle=subtitle, boxes=boxes, labels=labels).encode(
        "utf-8"
    ),
    file_name="greentemp_canvas.html",
    mime="text/html",
    key="canvas.dl.html",
    on_click="ignore",
    icon=":material/web:",
)
st.file_uploader(t("canvas.load_json"), type=["json"], key=UPLOAD, on_change=_load_uploaded)
uploader_hint(UPLOAD, t("pf15.canvas.upload_limit"))  # JSON, not the data pages' CSV/XLSX
msg = st.session_state.pop("canvas.load_msg", None)
if msg:
    kind, name = msg
    if kind == "ok":
        st.success(t("canvas.load_ok", name=md_escape(name)))
    else:
        st.error(t("canvas.load_bad", name=md_escape(name)))

# --- reference canvases ----------------------------------------------------------------------
st.subheader(t("canvas.refs.heading"))
st.caption(t("canvas.refs.intro"))
refs = reference_canvases()
tabs = st.tabs([re.split(r"\s*—+\s*", c.title[code])[0] for c in refs])
for tab, ref in zip(tabs, refs, strict=True):
    with tab:
        ref_stage = (
            t("stage.name.capital_advanced") if ref.advanced else t(f"stage.name.{ref.stage}")
        )
        st.markdown(
            f"**{ref.title[code]}** · {t('canvas.refs.stage', stage=ref_stage)} · "
            f"{figure_label(ref, code)}"
        )
        # box by box, side by side: a table reads well at any width (two nine-box grids do not)
        st.table(
            pd.DataFrame(
                {
                    t("canvas.refs.yours"): [boxes.get(b, "") for b in BOXES],
                    ref.title[code]: [ref.boxes[code].get(b, "") for b in BOXES],
                },
                index=[labels[b] for b in BOXES],
            )
        )
        with st.expander(t("canvas.refs.grid")):
            st.html(f"<style>{CANVAS_CSS}</style>{canvas_html(ref.boxes[code], labels)}")
        st.caption(t("pf15.canvas.source", note=ref.note[code]))
        source_expander(ref.source.citation())  # the citation as published (often English)

report_button(top)
