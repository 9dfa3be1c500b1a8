"""Asset stage of an enterprise's power data, and the nine-box canvases that describe it.

The paper (Shen et al., IJMSSSR 2026, DOI 10.56293/IJMSSSR.2026.6202) places every power
data product at a stage — resource utilisation (资源化), assetisation (资产化),
capitalisation (资本化) — and describes each with a nine-box business model canvas. This
module measures the data-maturity indicators of one enterprise's loaded data, combines them
with a five-question questionnaire, and assigns the stage by the criteria below. No
user-visible text lives here: reasons and next steps are codes with parameters (i18n keys
``stage.crit.<code>.met`` / ``stage.crit.<code>.unmet`` and ``stage.step.<code>``).

Criteria
--------
Measured indicators (from the canonical frame and what else is loaded):

=====================  ==============================================================
``interval_minutes``   interval length of the load frame [min]
``history_days``       span of the frame, first interval start to last interval end [d]
``completeness_share`` intervals with data / intervals in the span [0–1]
``production_linked``  a production schedule is loaded and aligned to the load
``green_data``         PV generation (measured or modelled) is present
``meters``             number of meters (load series) of the enterprise
=====================  ==============================================================

Questionnaire (yes/no): ``catalogued`` (data catalogued and governed), ``compliance_reviewed``
(compliance review done), ``registered_asset`` (registered as a data asset),
``exchange_listed`` (listed or traded on a data exchange), ``financed`` (used for financing,
e.g. a data-asset pledge).

The stage is the highest one whose criteria, and all criteria of the stages below it, hold:

* **resource** (资源化) — always: the data is collected and used inside the enterprise.
* **asset** (资产化) — all of
    - ``resolution``: ``interval_minutes`` ≤ 15;
    - ``history``: ``history_days`` ≥ 360 (a year of billing months, a few days' slack);
    - ``completeness``: ``completeness_share`` ≥ 0.95;
    - ``linked``: production linked, or green data present, or ≥ 2 meters (the load is tied
      to what drives it — the paper's "correlation of TOU curves with production plans" and
      "green power and certificate trading potential");
    - ``catalogued``: catalogued and governed;
    - ``compliance``: compliance review done.
* **capital** (资本化) — the asset criteria and all of
    - ``registered``: registered as a data asset (the Wuxi dataset's registration
      certificate);
    - ``circulated``: listed or traded on a data exchange, or used for financing/pledge.

A capital-stage result with both ``exchange_listed`` and ``financed`` is flagged
``advanced`` (the paper's advanced capitalisation, e.g. Beijing Haidian). ``reasons`` lists
every criterion checked up to the next stage (met and unmet, in the order above);
``next_steps`` names one step per unmet criterion of the next stage (for an advanced
capital stage: the ecosystem step only).

The canvases — three reference canvases from the paper (Figures 2–4) and one template per
stage — are TOML data files in ``analytics/canvases`` loaded by :func:`load_canvas`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

STAGES: tuple[str, ...] = ("resource", "asset", "capital")
BOXES: tuple[str, ...] = (
    "key_partners", "key_activities", "key_resources", "value_propositions",
    "customer_relationships", "channels", "customer_segments", "cost_structure",
    "revenue_streams",
)
CANVAS_LANGS: tuple[str, ...] = ("en", "zh-CN")
CANVAS_DIR = Path(__file__).parent / "canvases"

#: Thresholds of the asset criteria.
MAX_INTERVAL_MINUTES = 15
MIN_HISTORY_DAYS = 360
MIN_COMPLETENESS_SHARE = 0.95

ASSET_CRITERIA: tuple[str, ...] = (
    "resolution", "history", "completeness", "linked", "catalogued", "compliance",
)
CAPITAL_CRITERIA: tuple[str, ...] = ("registered", "circulated")
ADVANCED_CRITERIA: tuple[str, ...] = ("exchange_listed", "financed")


@dataclass(frozen=True)
class Indicators:
    """Data-maturity indicators measured from the loaded data (see the module docstring)."""

    interval_minutes: int
    history_days: float
    completeness_share: float
    production_linked: bool = False
    green_data: bool = False
    meters: int = 1


@dataclass(frozen=True)
class Questionnaire:
    """The five yes/no answers (default: all no)."""

    catalogued: bool = False
    compliance_reviewed: bool = False
    registered_asset: bool = False
    exchange_listed: bool = False
    financed: bool = False


@dataclass(frozen=True)
class Reason:
    """One criterion checked: ``code`` (a criterion name), whether it holds, and the
    figures the message quotes (i18n ``stage.crit.<code>.met|unmet``)."""

    code: str
    met: bool
    params: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "met": self.met, "params": dict(self.params)}


@dataclass(frozen=True)
class StageResult:
    """The assessed stage with the reasons for it and the steps to the next stage."""

    stage: str
    advanced: bool
    indicators: Indicators
    answers: Questionnaire
    reasons: tuple[Reason, ...]
    next_steps: tuple[str, ...]

    @property
    def next_stage(self) -> str | None:
        i = STAGES.index(self.stage)
        return STAGES[i + 1] if i + 1 < len(STAGES) else None


def measure_indicators(
    frame: pd.DataFrame,
    *,
    production_linked: bool = False,
    green_data: bool = False,
    meters: int = 1,
) -> Indicators:
    """Indicators of a canonical interval frame.

    Parameters
    ----------
    frame : DataFrame
        Canonical frame: tz-aware interval-start index with a regular frequency, column
        ``kwh`` (NaN for missing intervals).
    production_linked, green_data : bool
        Whether a production schedule / PV series is loaded with the load.
    meters : int
        Number of meters (load series) of the enterprise.

    Notes
    -----
    ``interval_minutes`` = the index frequency (else the median step);
    ``history_days`` = (last start − first start + one interval) / 1 day;
    ``completeness_share`` = non-missing intervals / intervals in that span.
    """
    idx = frame.index
    if len(idx) == 0:
        return Indicators(0, 0.0, 0.0, bool(production_linked), bool(green_data), int(meters))
    step = pd.Timedelta(idx.freq) if idx.freq is not None else (
        pd.Series(idx).diff().median() if len(idx) > 1 else pd.Timedelta(minutes=60))
    minutes = int(round(step.total_seconds() / 60))
    span = idx[-1] - idx[0] + step
    slots = max(int(round(span / step)), 1)
    present = int(frame["kwh"].notna().sum())
    return Indicators(
        interval_minutes=minutes,
        history_days=float(span.total_seconds() / 86400),
        completeness_share=present / slots,
        production_linked=bool(production_linked),
        green_data=bool(green_data),
        meters=int(meters),
    )


def indicators_of(analysis: Any, *, production_linked: bool | None = None, meters: int = 1) -> Indicators:
    """Indicators of an :class:`analytics.analysis.Analysis`.

    ``green_data`` holds when PV generation is present (a measured file or a model);
    ``production_linked`` defaults to whether the analysis carries a production section.
    """
    green = getattr(analysis, "green", None)
    pv_kwh = float(green.balance.pv_generation_kwh) if green is not None else 0.0
    has_pv = pv_kwh > 0 or getattr(analysis, "pv_report", None) is not None
    if production_linked is None:
        production_linked = getattr(analysis, "production", None) is not None
    return measure_indicators(analysis.frame, production_linked=production_linked,
                              green_data=has_pv, meters=meters)


def _checks(ind: Indicators, ans: Questionnaire) -> dict[str, Reason]:
    return {
        "resolution": Reason("resolution", 0 < ind.interval_minutes <= MAX_INTERVAL_MINUTES,
                             {"minutes": ind.interval_minutes, "max_minutes": MAX_INTERVAL_MINUTES}),
        "history": Reason("history", ind.history_days >= MIN_HISTORY_DAYS,
                          {"history_days": round(ind.history_days, 1), "min_days": MIN_HISTORY_DAYS}),
        "completeness": Reason("completeness", ind.completeness_share >= MIN_COMPLETENESS_SHARE,
                               {"completeness_share": round(ind.completeness_share, 4),
                                "min_share": MIN_COMPLETENESS_SHARE}),
        "linked": Reason("linked", ind.production_linked or ind.green_data or ind.meters >= 2,
                         {"production_linked": ind.production_linked, "green_data": ind.green_data,
                          "meters": ind.meters}),
        "catalogued": Reason("catalogued", ans.catalogued),
        "compliance": Reason("compliance", ans.compliance_reviewed),
        "registered": Reason("registered", ans.registered_asset),
        "circulated": Reason("circulated", ans.exchange_listed or ans.financed,
                             {"listed": ans.exchange_listed, "financed": ans.financed}),
        "exchange_listed": Reason("exchange_listed", ans.exchange_listed),
        "financed": Reason("financed", ans.financed),
    }


def assess(indicators: Indicators, answers: Questionnaire | None = None) -> StageResult:
    """The stage of the enterprise's power data by the criteria of the module docstring.

    Returns the stage, whether it is advanced capitalisation, every criterion checked up to
    the next stage (``reasons``) and the codes of the steps to reach it (``next_steps``).
    """
    ans = answers or Questionnaire()
    checks = _checks(indicators, ans)
    asset_ok = all(checks[c].met for c in ASSET_CRITERIA)
    capital_ok = asset_ok and all(checks[c].met for c in CAPITAL_CRITERIA)
    if capital_ok:
        stage = "capital"
        shown = (*ASSET_CRITERIA, *CAPITAL_CRITERIA, *ADVANCED_CRITERIA)
        todo = [c for c in ADVANCED_CRITERIA if not checks[c].met]
        advanced = not todo
        next_steps = tuple(todo) if todo else ("ecosystem",)
    else:
        stage = "asset" if asset_ok else "resource"
        shown = (*ASSET_CRITERIA, *CAPITAL_CRITERIA) if asset_ok else ASSET_CRITERIA
        target = CAPITAL_CRITERIA if asset_ok else ASSET_CRITERIA
        advanced = False
        next_steps = tuple(c for c in target if not checks[c].met)
    return StageResult(stage=stage, advanced=advanced, indicators=indicators, answers=ans,
                       reasons=tuple(checks[c] for c in shown), next_steps=next_steps)


def stage_section(result: StageResult) -> dict[str, Any]:
    """The JSON's ``stage`` section: ``stage``, ``indicators`` (measured and answered),
    ``advanced``, ``reasons[{code, met, params}]`` and ``next_steps[code]``."""
    ind = asdict(result.indicators)
    ind["history_days"] = round(ind["history_days"], 3)
    ind["completeness_share"] = round(ind["completeness_share"], 6)
    return {
        "stage": result.stage,
        "indicators": {**ind, **asdict(result.answers)},
        "advanced": result.advanced,
        "reasons": [r.to_dict() for r in result.reasons],
        "next_steps": list(result.next_steps),
    }


# ------------------------------------------------------------------------------ canvases


@dataclass(frozen=True)
class Source:
    """Where a canvas comes from (the paper for the reference canvases)."""

    authors: tuple[str, ...]
    title: str
    journal: str
    year: int
    volume: int | None = None
    issue: int | None = None
    doi: str = ""
    url: str = ""
    figure: str = ""

    def citation(self) -> str:
        """``Shen, Yuan, … (2026). Title. Journal 8(3). DOI …, Figure 2`` (language-neutral)."""
        authors = ", ".join(self.authors)
        vol = f" {self.volume}({self.issue})" if self.volume is not None else ""
        doi = f". DOI {self.doi}" if self.doi else ""
        fig = f", {self.figure}" if self.figure else ""
        return f"{authors} ({self.year}). {self.title}. {self.journal}{vol}{doi}{fig}"


@dataclass(frozen=True)
class Canvas:
    """A nine-box canvas in both languages.

    ``kind`` is ``"reference"`` (a case from the paper; ``boxes["en"]`` holds the paper's
    text verbatim, ``boxes["zh-CN"]`` a translation) or ``"template"`` (a GreenTemp starting
    point for a stage). ``boxes[lang][box]`` is the text of one box.
    """

    id: str
    kind: str
    stage: str
    advanced: bool
    title: Mapping[str, str]
    boxes: Mapping[str, Mapping[str, str]]
    source: Source
    note: Mapping[str, str] = field(default_factory=dict)


_CANVAS_KEYS = {"id", "kind", "stage", "advanced", "title", "boxes", "source", "note"}
_SOURCE_KEYS = {"authors", "title", "journal", "year", "volume", "issue", "doi", "url", "figure"}


def _check_lang_map(value: Any, what: str, file: str) -> dict[str, str]:
    if not isinstance(value, dict) or set(value) != set(CANVAS_LANGS):
        raise ValueError(f"{file}: {what} needs exactly the languages {CANVAS_LANGS}")
    return {k: str(v) for k, v in value.items()}


def load_canvas(path: Path) -> Canvas:
    """Load one canvas TOML strictly (unknown keys, missing boxes or languages raise ValueError)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    name = path.name
    unknown = set(data) - _CANVAS_KEYS
    if unknown:
        raise ValueError(f"{name}: unknown keys {sorted(unknown)}")
    if data.get("kind") not in ("reference", "template"):
        raise ValueError(f"{name}: kind must be 'reference' or 'template'")
    if data.get("stage") not in STAGES:
        raise ValueError(f"{name}: stage must be one of {STAGES}")
    boxes = data.get("boxes", {})
    if set(boxes) != set(CANVAS_LANGS):
        raise ValueError(f"{name}: boxes need exactly the languages {CANVAS_LANGS}")
    for lang, content in boxes.items():
        if set(content) != set(BOXES):
            raise ValueError(f"{name}: boxes.{lang} must hold exactly the nine boxes {BOXES}")
        if not all(isinstance(v, str) and v.strip() for v in content.values()):
            raise ValueError(f"{name}: boxes.{lang} has an empty box")
    src = data.get("source", {})
    if set(src) - _SOURCE_KEYS or not {"authors", "title", "journal", "year"} <= set(src):
        raise ValueError(f"{name}: source needs authors, title, journal, year (and no other keys "
                         f"than {sorted(_SOURCE_KEYS)})")
    return Canvas(
        id=str(data["id"]), kind=data["kind"], stage=data["stage"],
        advanced=bool(data.get("advanced", False)),
        title=_check_lang_map(data.get("title"), "title", name),
        boxes={lang: {b: boxes[lang][b].strip() for b in BOXES} for lang in CANVAS_LANGS},
        source=Source(**{**src, "authors": tuple(src["authors"])}),
        note=_check_lang_map(data["note"], "note", name) if "note" in data else {},
    )


def canvas_paths() -> list[Path]:
    return sorted(CANVAS_DIR.glob("*.toml"))


def reference_canvases() -> list[Canvas]:
    """The paper's three cases, in stage order (assetisation first)."""
    refs = [c for c in map(load_canvas, canvas_paths()) if c.kind == "reference"]
    return sorted(refs, key=lambda c: (STAGES.index(c.stage), c.advanced, c.id))


def stage_template(stage: str) -> Canvas:
    """The GreenTemp template canvas for ``stage``."""
    for c in map(load_canvas, canvas_paths()):
        if c.kind == "template" and c.stage == stage:
            return c
    raise KeyError(f"no template canvas for stage {stage!r}")


@dataclass(frozen=True)
class Figure:
    """An enterprise figure quoted in a canvas box: i18n ``canvas.fig.<code>`` with ``params``
    (raw numbers; the UI formats them for the language by their suffix)."""

    box: str
    code: str
    params: Mapping[str, Any]


def canvas_figures(doc: Mapping[str, Any], stage: StageResult | None = None) -> list[Figure]:
    """The enterprise's own figures for the canvas, from the analysis JSON document.

    ``doc`` is :func:`analytics.analysis.to_json` (sections may be absent). The value
    proposition quotes the TOU cost and peak share, the green target's GEC count and cost,
    and the shift saving when the ``production`` section has one.
    """
    out: list[Figure] = []
    tou = doc.get("tou")
    if tou:
        energy = tou.get("energy_kwh", {})
        total = sum(energy.values()) or float("nan")
        peak_share = (energy.get("sharp", 0.0) + energy.get("peak", 0.0)) / total
        out.append(Figure("value_propositions", "tou", {
            "total_cost_cny": tou["total_cost_cny"], "peak_share": peak_share,
            "average_price_cny_per_kwh": tou["average_price_cny_per_kwh"]}))
        out.append(Figure("cost_structure", "bill", {
            "total_cost_cny": tou["total_cost_cny"], "demand_charge_cny": tou["demand_charge_cny"]}))
    green = doc.get("green")
    if green:
        out.append(Figure("value_propositions", "green", {
            "target_share": green["target_share"], "gec_count": green["gec_count"],
            "gec_cost_cny": green["gec_cost_cny"], "green_purchase_kwh": green["green_purchase_kwh"]}))
        out.append(Figure("revenue_streams", "co2", {
            "co2_location_t": green["co2_location_t"], "co2_market_t": green["co2_market_t"]}))
    production = doc.get("production") or {}
    shift = production.get("shift") or {}
    if shift.get("saving_cny") is not None:
        out.append(Figure("value_propositions", "shift", {
            "saving_cny": shift["saving_cny"],
            "shiftable_energy_kwh": shift.get("shiftable_energy_kwh", float("nan"))}))
    if production.get("sec_kwh_per_unit") is not None:
        out.append(Figure("key_activities", "sec", {
            "sec_kwh_per_unit": production["sec_kwh_per_unit"],
            "idle_share": production.get("idle_share", float("nan"))}))
    data = doc.get("data")
    if data and stage is not None:
        ind = stage.indicators
        out.append(Figure("key_resources", "data", {
            "interval_minutes": ind.interval_minutes, "history_days": ind.history_days,
            "completeness_share": ind.completeness_share, "meters": ind.meters}))
    return out


#: Schema id of a saved canvas, and the longest box text accepted on load [characters].
CANVAS_SCHEMA = "greentemp.canvas/1"
MAX_BOX_CHARS = 5000


def canvas_json(boxes: Mapping[str, str], *, stage: str, lang: str) -> dict[str, Any]:
    """A canvas as a JSON-ready document (``schema``, ``stage``, ``lang``, ``boxes``)."""
    return {"schema": CANVAS_SCHEMA, "stage": stage, "lang": lang,
            "boxes": {b: str(boxes.get(b, "")) for b in BOXES}}


def parse_canvas_json(data: bytes | str) -> dict[str, str]:
    """The boxes of a saved canvas (a :func:`canvas_json` document, or a bare ``{box: text}``).

    Raises ValueError unless it is a JSON object whose boxes are known names holding text
    of at most :data:`MAX_BOX_CHARS` characters; boxes not given come back empty.
    """
    import json

    try:
        doc = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise ValueError(f"not JSON: {err}") from None
    if not isinstance(doc, dict):
        raise ValueError("not a JSON object")
    boxes = doc.get("boxes", doc) if "schema" in doc or "boxes" in doc else doc
    if not isinstance(boxes, dict) or not boxes or set(boxes) - set(BOXES):
        raise ValueError(f"boxes must be a subset of {BOXES}")
    if not all(isinstance(v, str) and len(v) <= MAX_BOX_CHARS for v in boxes.values()):
        raise ValueError(f"every box must be text of at most {MAX_BOX_CHARS} characters")
    return {b: boxes.get(b, "") for b in BOXES}
