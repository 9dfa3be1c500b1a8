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

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

STAGES: tuple[str, ...] = ("resource", "asset", "capital")

#: Thresholds of the asset criteria.
MAX_INTERVAL_MINUTES = 15
MIN_HISTORY_DAYS = 360
MIN_COMPLETENESS_SHARE = 0.95

ASSET_CRITERIA: tuple[str, ...] = (
    "resolution",
    "history",
    "completeness",
    "linked",
    "catalogued",
    "compliance",
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
    step = (
        pd.Timedelta(idx.freq)
        if idx.freq is not None
        else (pd.Series(idx).diff().median() if len(idx) > 1 else pd.Timedelta(minutes=60))
    )
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


def indicators_of(
    analysis: Any, *, production_linked: bool | None = None, meters: int = 1
) -> Indicators:
    """Indicators of an :class:`analytics.analysis.Analysis`.

    ``green_data`` holds when PV generation is present (a measured file or a model);
    ``production_linked`` defaults to whether the analysis carries a production section.
    """
    green = getattr(analysis, "green", None)
    pv_kwh = float(green.balance.pv_generation_kwh) if green is not None else 0.0
    has_pv = pv_kwh > 0 or getattr(analysis, "pv_report", None) is not None
    if production_linked is None:
        production_linked = getattr(analysis, "production", None) is not None
    return measure_indicators(
        analysis.frame, production_linked=production_linked, green_data=has_pv, meters=meters
    )


def _checks(ind: Indicators, ans: Questionnaire) -> dict[str, Reason]:
    return {
        "resolution": Reason(
            "resolution",
            0 < ind.interval_minutes <= MAX_INTERVAL_MINUTES,
            {"minutes": ind.interval_minutes, "max_minutes": MAX_INTERVAL_MINUTES},
        ),
        "history": Reason(
            "history",
            ind.history_days >= MIN_HISTORY_DAYS,
            {"history_days": round(ind.history_days, 1), "min_days": MIN_HISTORY_DAYS},
        ),
        "completeness": Reason(
            "completeness",
            ind.completeness_share >= MIN_COMPLETENESS_SHARE,
            {
                "completeness_share": round(ind.completeness_share, 4),
                "min_share": MIN_COMPLETENESS_SHARE,
            },
        ),
        "linked": Reason(
            "linked",
            ind.production_linked or ind.green_data or ind.meters >= 2,
            {
                "production_linked": ind.production_linked,
                "green_data": ind.green_data,
                "meters": ind.meters,
            },
        ),
        "catalogued": Reason("catalogued", ans.catalogued),
        "compliance": Reason("compliance", ans.compliance_reviewed),
        "registered": Reason("registered", ans.registered_asset),
        "circulated": Reason(
            "circulated",
            ans.exchange_listed or ans.financed,
            {"listed": ans.exchange_listed, "financed": ans.financed},
        ),
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
    return StageResult(
        stage=stage,
        advanced=advanced,
        indicators=indicators,
        answers=ans,
        reasons=tuple(checks[c] for c in shown),
        next_steps=next_steps,
    )


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
