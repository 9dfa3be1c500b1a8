"""Canvases: the paper's three reference canvases hold its box contents; templates load."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.stage.assessment import STAGES
from analytics.stage.canvas import (
    BOXES,
    CANVAS_LANGS,
    load_canvas,
    reference_canvases,
    stage_template,
)
from tests.conftest import ROOT

AUTHORS = ("Qi Shen", "Qing Yuan", "Ziyuan Xie", "Pengyu Quan", "Sen Zhang", "Xiaobao Yu")

#: A distinctive phrase of every box, as printed in the paper (Figures 2–4).
PHRASES: dict[str, dict[str, str]] = {
    "guizhou_coal_mine_early_warning": {
        "key_partners": "Mine safety regulatory authority",
        "key_activities": "Model iteration and optimization",
        "key_resources": "Equipment resources",
        "value_propositions": "precise early-warning system for coal mine safety",
        "customer_relationships": "closed-loop feedback mechanism",
        "channels": "on-site deployment channels",
        "customer_segments": "various types of coal mining enterprises",
        "cost_structure": "data acquisition equipment",
        "revenue_streams": "Pilot Cooperation Fees",
    },
    "wuxi_pv_green_trading_dataset": {
        "key_partners": "relevant data trading enterprise users",
        "key_activities": "data compliance review",
        "key_resources": "market resources",
        "value_propositions": "analyzing user transaction potential",
        "customer_relationships": "win-win government-enterprise partnership",
        "channels": "Recognition and authorization of power data assets",
        "customer_segments": "community residents",
        "cost_structure": "service costs, product costs",
        "revenue_streams": "income from user data transactions",
    },
    "beijing_haidian_city_brain": {
        "key_partners": "data trading platforms",
        "key_activities": "market operations",
        "key_resources": "qualification resources",
        "value_propositions": "seven key areas",
        "customer_relationships": "closed-loop feedback relationships",
        "channels": "Data Asset Registration and Certification Platform",
        "customer_segments": "listed high-tech enterprises",
        "cost_structure": "compliance costs",
        "revenue_streams": "Revenue from data product transactions",
    },
}


def test_three_reference_canvases_in_stage_order() -> None:
    refs = reference_canvases()
    assert [c.id for c in refs] == list(PHRASES)
    assert [(c.stage, c.advanced) for c in refs] == [
        ("asset", False),
        ("capital", False),
        ("capital", True),
    ]


@pytest.mark.parametrize("canvas_id", list(PHRASES))
def test_reference_canvas_holds_the_papers_box_contents(canvas_id: str) -> None:
    canvas = {c.id: c for c in reference_canvases()}[canvas_id]
    assert set(PHRASES[canvas_id]) == set(BOXES)
    for box, phrase in PHRASES[canvas_id].items():
        assert phrase in canvas.boxes["en"][box], (canvas_id, box)
        assert canvas.boxes["zh-CN"][box].strip(), (canvas_id, box)


@pytest.mark.parametrize("canvas", reference_canvases(), ids=lambda c: c.id)
def test_reference_canvas_is_attributed_to_the_paper(canvas) -> None:
    src = canvas.source
    assert src.authors == AUTHORS
    assert src.doi == "10.56293/IJMSSSR.2026.6202"
    assert (src.journal, src.year, src.volume, src.issue) == ("IJMSSSR", 2026, 8, 3)
    assert src.figure in {"Figure 2", "Figure 3", "Figure 4"}
    assert "IJMSSSR 8(3)" in src.citation()
    assert set(canvas.note) == set(CANVAS_LANGS)


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_has_a_template_in_both_languages(stage: str) -> None:
    tpl = stage_template(stage)
    assert tpl.kind == "template" and tpl.stage == stage
    for lang in CANVAS_LANGS:
        assert all(tpl.boxes[lang][b] for b in BOXES)
    assert "not from the paper" in tpl.source.journal


def test_loader_is_strict(tmp_path: Path) -> None:
    good = (ROOT / "analytics" / "stage" / "canvases" / "template_asset.toml").read_text(
        encoding="utf-8"
    )
    bad = tmp_path / "bad.toml"
    bad.write_text("colour = 'red'\n" + good, encoding="utf-8")
    with pytest.raises(ValueError, match="unknown keys"):
        load_canvas(bad)
    bad.write_text(good.replace("revenue_streams = ", "revenue_stream = "), encoding="utf-8")
    with pytest.raises(ValueError, match="nine boxes"):
        load_canvas(bad)


# ------------------------------------------------------------------------ the canvas page


def _canvas_page(lang: str = "en"):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("pages/canvas.py")
    at.run()
    assert not at.exception, at.exception
    return at


def _html_bodies(at) -> str:
    from google.protobuf.json_format import MessageToDict

    out = []

    def walk(node) -> None:
        for child in (getattr(node, "children", None) or {}).values():
            walk(child)
        if getattr(node, "proto", None) is not None and hasattr(node.proto, "DESCRIPTOR"):
            d = MessageToDict(node.proto)
            if "body" in d and "bmc" in str(d["body"]):
                out.append(d["body"])

    walk(at.main)
    return "\n".join(out)


def test_page_assesses_the_sample_and_prefills_the_canvas() -> None:
    from analytics.analysis import analyze
    from analytics.iotools.load import ImportOptions, read_load
    from analytics.iotools.pv import read_pv
    from tests.conftest import SAMPLE
    from ui.render.format import fmt_cny

    load, pv = SAMPLE / "sunan_load_2025_15min.csv", SAMPLE / "sunan_pv_2025_15min.csv"
    frame, report = read_load(load, file_name=load.name, options=ImportOptions())
    pv_frame, pv_report = read_pv(pv, file_name=pv.name, options=ImportOptions())
    lib = analyze(frame, report, pv=pv_frame, pv_report=pv_report)
    at = _canvas_page()
    assert "Resource utilisation" in at.success[0].value
    boxes = {ta.key.removeprefix("canvas.w."): ta.value for ta in at.text_area}
    assert set(boxes) == set(BOXES)
    vp = boxes["value_propositions"]
    assert fmt_cny(lib.bill.total_cost_cny, "en") in vp
    assert f"{lib.green.gec_count:,} GECs" in vp
    assert "15-minute data" in boxes["key_resources"]
    # answering the questionnaire lifts the stage; the refill button brings the asset template
    at.checkbox(key="stage.w.catalogued").check()
    at.checkbox(key="stage.w.compliance_reviewed").check()
    at.run()
    assert "Assetisation" in at.success[0].value
    at.button(key="canvas.refill").click()
    at.run()
    assert at.text_area(key="canvas.w.key_partners").value.startswith("Power supply company")


def test_edits_persist_across_pages_and_are_escaped() -> None:
    at = _canvas_page()
    evil = "Our <script>alert(1)</script> partners"
    at.text_area(key="canvas.w.key_partners").set_value(evil)
    at.run()
    assert at.session_state["canvas.boxes"]["key_partners"] == evil
    bodies = _html_bodies(at)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in bodies and "<script>" not in bodies
    at.switch_page("pages/home.py")
    at.run()
    at.switch_page("pages/canvas.py")
    at.run()
    assert at.text_area(key="canvas.w.key_partners").value == evil


def test_loading_a_saved_canvas() -> None:
    import json

    from analytics.stage.canvas import canvas_json

    at = _canvas_page("zh-CN")
    saved = canvas_json({b: f"已保存：{b}" for b in BOXES}, stage="asset", lang="zh-CN")
    at.file_uploader(key="canvas.upload").set_value(
        ("canvas.json", json.dumps(saved, ensure_ascii=False).encode("utf-8"), "application/json")
    )
    at.run()
    assert not at.exception, at.exception
    assert at.text_area(key="canvas.w.channels").value == "已保存：channels"
    assert any(
        "canvas.json" in s.value.replace("\\", "") for s in at.success
    )  # names are Markdown-escaped
    at.file_uploader(key="canvas.upload").set_value(("bad.json", b"[1]", "application/json"))
    at.run()
    assert any("bad.json" in e.value.replace("\\", "") for e in at.error)
    assert at.text_area(key="canvas.w.channels").value == "已保存：channels"


def _canvas_page_with(state: dict, lang: str):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    for k, v in state.items():
        at.session_state[k] = v
    at.run()
    at.switch_page("pages/canvas.py")
    at.run()
    assert not at.exception, at.exception
    return at


def test_an_untouched_prefill_follows_the_language_edits_stay() -> None:
    import re

    zh = _canvas_page("zh-CN")
    keys = ("canvas.boxes", "canvas.filled_lang", "canvas.filled_boxes", "canvas.filled_stage")
    state = {k: zh.session_state[k] for k in keys}
    assert state["canvas.filled_lang"] == "zh-CN"
    # the session switched to English (seeded: AppTest keeps the sidebar's first language)
    at = _canvas_page_with(state, "en")
    partners = at.text_area(key="canvas.w.key_partners").value
    assert partners and not re.search(r"[\u4e00-\u9fff]", partners)
    # a canvas the visitor edited is theirs: it stays as typed
    state["canvas.boxes"] = {**state["canvas.boxes"], "channels": "我的渠道"}
    at = _canvas_page_with(state, "en")
    assert at.text_area(key="canvas.w.channels").value == "我的渠道"
