"""The data-asset stage and the nine-box canvases (after Shen et al., IJMSSSR 2026).

- :mod:`~analytics.stage.assessment` — measured data-maturity indicators plus a short
  questionnaire give the stage (resource 资源化 / asset 资产化 / capital 资本化) with the
  reason for each criterion and the next steps (:func:`assess`, :func:`stage_section`).
- :mod:`~analytics.stage.canvas` — the nine-box canvas: stage templates and the paper's three
  reference canvases as data (``stage/canvases/*.toml``, attributed to the paper), the
  enterprise's figures for the boxes, the canvas JSON export and its strict parser.
"""

from analytics.stage.assessment import (
    ADVANCED_CRITERIA,
    ASSET_CRITERIA,
    CAPITAL_CRITERIA,
    STAGES,
    Indicators,
    Questionnaire,
    Reason,
    StageResult,
    assess,
    indicators_of,
    measure_indicators,
    stage_section,
)
from analytics.stage.canvas import (
    BOXES,
    CANVAS_LANGS,
    CANVAS_SCHEMA,
    Canvas,
    Figure,
    Source,
    canvas_figures,
    canvas_json,
    load_canvas,
    parse_canvas_json,
    reference_canvases,
    stage_template,
)

__all__ = [
    "ADVANCED_CRITERIA",
    "ASSET_CRITERIA",
    "BOXES",
    "CANVAS_LANGS",
    "CANVAS_SCHEMA",
    "CAPITAL_CRITERIA",
    "STAGES",
    "Canvas",
    "Figure",
    "Indicators",
    "Questionnaire",
    "Reason",
    "Source",
    "StageResult",
    "assess",
    "canvas_figures",
    "canvas_json",
    "indicators_of",
    "load_canvas",
    "measure_indicators",
    "parse_canvas_json",
    "reference_canvases",
    "stage_section",
    "stage_template",
]
