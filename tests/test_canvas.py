"""Canvases: the paper's three reference canvases hold its box contents; templates load."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.stage import (
    BOXES,
    CANVAS_LANGS,
    STAGES,
    load_canvas,
    reference_canvases,
    stage_template,
)

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
    assert [(c.stage, c.advanced) for c in refs] == [("asset", False), ("capital", False),
                                                     ("capital", True)]


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
    good = (Path(__file__).parent.parent / "analytics" / "canvases" / "template_asset.toml").read_text(
        encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text("colour = 'red'\n" + good, encoding="utf-8")
    with pytest.raises(ValueError, match="unknown keys"):
        load_canvas(bad)
    bad.write_text(good.replace("revenue_streams = ", "revenue_stream = "), encoding="utf-8")
    with pytest.raises(ValueError, match="nine boxes"):
        load_canvas(bad)
