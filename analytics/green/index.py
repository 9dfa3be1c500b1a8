"""The Green Temperature (0–100 °): a weighted sum of the components present.

score = Σ wᵢ × valueᵢ × 100 with the weights normalised over the present components
(defaults :data:`DEFAULT_WEIGHTS`; GreenTemperature's own choice, editable on the Green page).
The components' points add up exactly to the score; raising the renewable share or lowering
the idle share never lowers it (property-tested).

The renewable component measures what is **held** (``renewable_share_now``: owned self-consumed
PV + green power bought + valid GECs, over energy), never the target: raising holdings never
lowers the score and changing the target alone never changes it (property-tested). The
load-shift component is present whenever a shift scenario was solved
(:func:`shift_realised_share`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from analytics.green.potential import GreenResult

#: Components in display order; each value is a 0–1 "goodness" (higher is greener).
COMPONENTS: tuple[str, ...] = (
    "renewable_share",
    "hourly_matching",
    "peak_avoidance",
    "idle_avoidance",
    "shift_realised",
)


#: Default weights (a GreenTemp design choice, editable; normalised over the components present).
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "renewable_share": 0.35,
    "hourly_matching": 0.20,
    "peak_avoidance": 0.20,
    "idle_avoidance": 0.15,
    "shift_realised": 0.10,
}


@dataclass(frozen=True)
class Component:
    """One component: ``value`` [0–1], normalised ``weight`` [0–1], ``points`` = weight × value × 100."""

    value: float
    weight: float
    points: float


@dataclass(frozen=True)
class GreenTemperature:
    score: float  # [0–100 °] = Σ points
    components: Mapping[str, Component]


def temperature_score(
    *,
    renewable_share: float | None,
    hourly_matched_share: float | None = None,
    outside_peak_share: float | None = None,
    idle_share: float | None = None,
    shift_realised_share: float | None = None,
    weights: Mapping[str, float] | None = None,
) -> GreenTemperature:
    """The Green Temperature index (0–100 °) and its decomposition.

    Components (each clipped to [0, 1]; ``None``/NaN = absent and left out):

    ================  ==========================================================
    renewable_share   renewable_share_now = held green kWh / energy (not the target)
    hourly_matching   hourly_matched_share (own PV matched hour by hour)
    peak_avoidance    share of consumption outside the sharp and peak TOU periods
    idle_avoidance    1 − idle_share (idle = energy outside production intervals)
    shift_realised    share of the movable energy already in its cheapest hours
                      (:func:`shift_realised_share`)
    ================  ==========================================================

    Notes
    -----
    score = Σ_i w_i × v_i × 100 with w_i = W_i / Σ_present W_j (default weights
    :data:`DEFAULT_WEIGHTS`, all ≥ 0). The score is linear with non-negative weights in
    each value, so raising the renewable share or lowering the idle share never lowers it,
    and the components' points add up to the score (``math.fsum``).

    Raises
    ------
    ValueError
        A negative or unknown weight, or no present component with a positive weight.
    """
    raw = {
        "renewable_share": renewable_share,
        "hourly_matching": hourly_matched_share,
        "peak_avoidance": outside_peak_share,
        "idle_avoidance": None if idle_share is None else 1.0 - idle_share,
        "shift_realised": shift_realised_share,
    }
    w = dict(DEFAULT_WEIGHTS if weights is None else weights)
    if set(w) - set(COMPONENTS) or any(not (v >= 0.0) for v in w.values()):
        raise ValueError(f"weights must be ≥ 0 and named from {COMPONENTS}")
    present = {
        k: min(1.0, max(0.0, float(v)))
        for k, v in raw.items()
        if v is not None and not math.isnan(v) and w.get(k, 0.0) > 0.0
    }
    total_w = math.fsum(w[k] for k in present)
    if total_w <= 0:
        raise ValueError("no component with a positive weight")
    comps = {}
    for k in COMPONENTS:
        if k in present:
            wk = w[k] / total_w
            comps[k] = Component(value=present[k], weight=wk, points=wk * present[k] * 100.0)
    return GreenTemperature(score=math.fsum(c.points for c in comps.values()), components=comps)


def shift_realised_share(shift: Any) -> float | None:
    """Share of the movable energy the optimum leaves where it is [0–1], or None.

    = 1 − shifted_energy_kwh / movable_energy_kwh of a solved scenario (status ``optimal`` or
    ``time_limit``, a :class:`analytics.production.shift.ShiftResult`): 1 when every movable run
    already sits in its cheapest hours, 0 when the optimum moves all of them. None without a
    scenario, when nothing is movable or the scenario is infeasible.
    """
    if shift is None or getattr(shift, "status", None) not in ("optimal", "time_limit"):
        return None
    movable = float(shift.movable_energy_kwh)
    if not movable > 0:
        return None
    return min(1.0, max(0.0, 1.0 - float(shift.shifted_energy_kwh) / movable))


def green_temperature(
    result: GreenResult,
    *,
    idle_share: float | None = None,
    shift_realised_share: float | None = None,
    weights: Mapping[str, float] | None = None,
) -> GreenTemperature:
    """The index of one green analysis: ``renewable_share_now`` (what is held, never the
    target); ``idle_share`` from the production section and ``shift_realised_share`` from its
    shift scenario when known."""
    return temperature_score(
        renewable_share=result.renewable_share_now,
        hourly_matched_share=result.hourly_matched_share,
        outside_peak_share=result.outside_peak_share,
        idle_share=idle_share,
        shift_realised_share=shift_realised_share,
        weights=weights,
    )


def green_temperature_section(temp: GreenTemperature) -> dict[str, Any]:
    """The ``green_temperature`` section: ``score`` and ``components{name: {value, weight}}``."""
    return {
        "score": float(temp.score),
        "components": {
            k: {"value": float(c.value), "weight": float(c.weight)}
            for k, c in temp.components.items()
        },
    }
