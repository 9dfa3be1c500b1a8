"""The nine-box business model canvas: templates, the paper's reference canvases, the figures.

Canvases are data (``stage/canvases/*.toml``): three stage templates and the paper's three
cases (Guizhou coal-mine early warning — assetisation; Wuxi PV green-trading dataset —
capitalisation; Beijing Haidian smart-energy city brain — advanced capitalisation), each box in
zh-CN and en and attributed to Shen et al., IJMSSSR 2026. :func:`canvas_figures` quotes the
enterprise's own numbers for the boxes; :func:`canvas_json` / :func:`parse_canvas_json` export
and re-read an edited canvas (boxes capped at :data:`MAX_BOX_CHARS`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analytics.stage.assessment import STAGES, StageResult
from analytics.tou import peak_energy_share

BOXES: tuple[str, ...] = (
    "key_partners",
    "key_activities",
    "key_resources",
    "value_propositions",
    "customer_relationships",
    "channels",
    "customer_segments",
    "cost_structure",
    "revenue_streams",
)
CANVAS_LANGS: tuple[str, ...] = ("en", "zh-CN")
CANVAS_DIR = Path(__file__).parent / "canvases"


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
        raise ValueError(
            f"{name}: source needs authors, title, journal, year (and no other keys "
            f"than {sorted(_SOURCE_KEYS)})"
        )
    return Canvas(
        id=str(data["id"]),
        kind=data["kind"],
        stage=data["stage"],
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
        peak_share = peak_energy_share(
            tou.get("energy_kwh", {}), (doc.get("load") or {}).get("energy_kwh", 0.0)
        )
        out.append(
            Figure(
                "value_propositions",
                "tou",
                {
                    "total_cost_cny": tou["total_cost_cny"],
                    "peak_share": peak_share,
                    "average_price_cny_per_kwh": tou["average_price_cny_per_kwh"],
                },
            )
        )
        out.append(
            Figure(
                "cost_structure",
                "bill",
                {
                    "total_cost_cny": tou["total_cost_cny"],
                    "demand_charge_cny": tou["demand_charge_cny"],
                },
            )
        )
    green = doc.get("green")
    if green:
        out.append(
            Figure(
                "value_propositions",
                "green",
                {
                    "target_share": green["target_share"],
                    "gec_count": green["gec_count"],
                    "gec_cost_cny": green["gec_cost_cny"],
                    "green_purchase_kwh": green["green_purchase_kwh"],
                },
            )
        )
        out.append(
            Figure(
                "revenue_streams",
                "co2",
                {"co2_location_t": green["co2_location_t"], "co2_market_t": green["co2_market_t"]},
            )
        )
    production = doc.get("production") or {}
    shift = production.get("shift") or {}
    if shift.get("saving_cny") is not None:
        out.append(
            Figure(
                "value_propositions",
                "shift",
                {
                    "saving_cny": shift["saving_cny"],
                    "shiftable_energy_kwh": shift.get("shiftable_energy_kwh", float("nan")),
                },
            )
        )
    if production.get("sec_kwh_per_unit") is not None:
        out.append(
            Figure(
                "key_activities",
                "sec",
                {
                    "sec_kwh_per_unit": production["sec_kwh_per_unit"],
                    "idle_share": production.get("idle_share", float("nan")),
                },
            )
        )
    data = doc.get("data")
    if data and stage is not None:
        ind = stage.indicators
        out.append(
            Figure(
                "key_resources",
                "data",
                {
                    "interval_minutes": ind.interval_minutes,
                    "history_days": ind.history_days,
                    "completeness_share": ind.completeness_share,
                    "meters": ind.meters,
                },
            )
        )
    return out


#: Schema id of a saved canvas, and the longest box text accepted on load [characters].
CANVAS_SCHEMA = "greentemp.canvas/1"


MAX_BOX_CHARS = 5000


def canvas_json(boxes: Mapping[str, str], *, stage: str, lang: str) -> dict[str, Any]:
    """A canvas as a JSON-ready document (``schema``, ``stage``, ``lang``, ``boxes``)."""
    return {
        "schema": CANVAS_SCHEMA,
        "stage": stage,
        "lang": lang,
        "boxes": {b: str(boxes.get(b, "")) for b in BOXES},
    }


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
