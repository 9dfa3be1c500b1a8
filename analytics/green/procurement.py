"""Least-cost procurement of green electricity for a renewable-share target (MILP, HiGHS).

Four instruments can close the gap between what the enterprise holds and its target:

=============  ==========================================================================
kind           what it is and how it counts
=============  ==========================================================================
pv_expansion   new rooftop PV of ``x`` kWp (≤ the roof limit) with the site's pvlib yield
               per kWp y_h; only its **self-consumed** kWh u_h ≤ y_h·x count (the surplus
               above the hourly load is exported, not consumed)
direct_line    绿电直连 (650号): a plant of ``w`` MW with a PV-shaped profile q_h = 1,000·y_h
               kWh/MW; the load uses v_h ≤ q_h·w; if chosen (binary z) it must self-use
               ≥ 60 % of its generation and supply ≥ 30 % of total consumption
green_power    绿电 bought through green-power trading, ``g`` kWh over the year at a premium
               over the grid price; at most the grid import left after the physical ones
gec            unbundled GECs, ``n`` certificates (integer), 1 GEC = 1,000 kWh
=============  ==========================================================================

The 15-minute year is aggregated to local clock hours h first (at most 8,784 hours, a DST
fold keeps its two hours); intervals without a load value are left out with their PV.

Notes
-----
With consumption c_h, existing on-site PV p_h, residual load r_h = c_h − min(c_h, p_h),
grid energy price π_h [CNY/kWh], energy E = Σ c_h, renewable kWh already held H_0
(default: the existing PV matched hour by hour, m_0 = Σ min(c_h, p_h)) and target share T::

    min  (λ·Y − Σ_h f_h·y_h)·x + Σ_h (f_h − π_h)·u_h + Σ_h (d − π_h)·v_h + a·g + P·n + M·s
    s.t. Σu + Σv + g + 1000·n ≥ T·E − H_0                (annual_target)
         Σu + Σv + s        ≥ T_h·E − m_0               (hourly_target, only with T_h)
         u_h ≤ y_h·x,  v_h ≤ q_h·w,  u_h + v_h ≤ r_h      (every hour)
         Σu + Σv + g ≤ Σ r_h                             (green_power_cap)
         x ≤ roof limit                                  (roof_limit)
         Σv ≥ 0.60·Σq·w                                  (direct_self_use)
         Σv ≥ 0.30·E·z                                   (direct_consumption)
         w ≤ W_max·z,  z ∈ {0, 1},  n ∈ ℕ,  all ≥ 0       (direct_capacity)

λ PV LCOE, f_h = min(f, π_h) the price of exported PV (the feed-in price f, at most the
hour's grid price, so exporting never beats self-consuming — behind-the-meter PV is consumed
first), Y = Σ y_h, d direct-line price, a green-power premium, P GEC
price, M the hourly-shortfall penalty. Costs are **incremental over buying the same kWh from
the grid**: self-consumed PV and direct-line kWh save π_h, so a cheap instrument can have a
negative cost. The hourly target counts only the physical instruments (PV, direct line) hour
by hour; what they cannot reach is the shortfall s, reported (``meets_target`` false), never
hidden. The LP is solved exactly by HiGHS (:func:`scipy.optimize.linprog`); the direct-line
binary is then settled exactly and the GEC count made whole within one certificate's price of
the integer optimum (:func:`_solve_exact`; :func:`scipy.optimize.milp` is the reference in the
tests but takes seconds on a year). The shadow prices are the duals (HiGHS
``ineqlin.marginals``) of the LP at the optimum with GECs continuous and the direct-line choice
fixed (or, when rounding z proved optimal, free in [0, 1]): ``cost_cny_per_unit`` = how much
the total cost falls when the constraint is relaxed by one unit (kWh, kWp or MW), ≥ 0. When
the hourly target is out of reach they carry the penalty M (``penalised`` in the JSON).

Every GEC-only purchase ceil((T·E − H_0)/1000) certificates is a feasible point, so the
optimum never costs more than GECs alone (``gec_only_cost_cny``).

Not modelled: hourly (profiled) green-power contracts — green power counts annually only, so
it never helps the hourly target; storage; the direct line's own capacity cost (its price per
delivered kWh is all-in); GEC vintages (the GEC price is an input: pass the vintage price).
``H_0`` is an input too, so holdings (green power bought, valid GECs) can be passed in.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analytics.findings import InputError
from analytics.green.potential import KWH_PER_GEC, GreenPrices, _hour_keys, default_prices

PARAMS_PATH = Path(__file__).parent / "data" / "procurement.toml"

#: Instruments in display order.
KINDS: tuple[str, ...] = ("pv_expansion", "direct_line", "green_power", "gec")

#: Named constraints whose shadow price is reported, with the unit of one relaxation.
CONSTRAINT_UNITS: dict[str, str] = {
    "annual_target": "kWh",
    "hourly_target": "kWh",
    "green_power_cap": "kWh",
    "roof_limit": "kWp",
    "direct_self_use": "kWh",
    "direct_consumption": "kWh",
    "direct_capacity": "MW",
}

_PARAM_KEYS = {"value", "unit", "source", "seen_in", "confidence", "illustrative", "notes"}
_FILE_PARAMS = (
    "pv_lcoe_cny_per_kwh",
    "roof_limit_kwp",
    "direct_line_cny_per_kwh",
    "direct_line_max_mw",
    "direct_self_use_min",
    "direct_consumption_min",
    "hourly_shortfall_penalty_cny_per_kwh",
)


# --------------------------------------------------------------------------- parameters


@cache
def procurement_defaults() -> dict[str, dict[str, Any]]:
    """Each unit parameter of ``green/data/procurement.toml`` with value, unit, source,
    seen_in, confidence, illustrative, notes. Raises ``InputError`` on an unsourced entry."""
    data = tomllib.loads(PARAMS_PATH.read_text(encoding="utf-8"))
    out = {}
    for key in _FILE_PARAMS:
        entry = data["params"].get(key)
        if entry is None or set(entry) != _PARAM_KEYS or not str(entry["source"]).strip():
            raise InputError(
                "procurement.params_invalid", file=PARAMS_PATH.name, expected=key, parameter=key
            )
        if entry["confidence"] in ("C3", "U") and not entry["illustrative"]:
            raise InputError(
                "procurement.params_invalid", file=PARAMS_PATH.name, expected=key, parameter=key
            )
        out[key] = dict(entry)
    return out


@dataclass(frozen=True)
class ProcurementParams:
    """Unit parameters of the procurement model (module docstring for the symbols).

    Attributes
    ----------
    gec_cny_per_certificate : float    P [CNY per GEC of 1,000 kWh]
    green_premium_cny_per_kwh : float  a, green-power premium over the grid price [CNY/kWh]
    feed_in_cny_per_kwh : float        f, price of exported PV [CNY/kWh]
    pv_lcoe_cny_per_kwh : float        λ, LCOE of new rooftop PV [CNY/kWh generated]
    roof_limit_kwp : float             additional PV the roof can take [kWp]
    direct_line_cny_per_kwh : float    d, delivered price of direct-line kWh [CNY/kWh]
    direct_line_max_mw : float         W_max, largest direct-line plant [MW]
    direct_self_use_min : float        650号 self-use of generation [0–1], 0.60
    direct_consumption_min : float     650号 share of total consumption [0–1], 0.30
    hourly_shortfall_penalty_cny_per_kwh : float  M, solver penalty [CNY/kWh]
    offer : tuple of str               instruments allowed (subset of :data:`KINDS`)
    """

    gec_cny_per_certificate: float
    green_premium_cny_per_kwh: float
    feed_in_cny_per_kwh: float
    pv_lcoe_cny_per_kwh: float
    roof_limit_kwp: float
    direct_line_cny_per_kwh: float
    direct_line_max_mw: float
    direct_self_use_min: float = 0.60
    direct_consumption_min: float = 0.30
    hourly_shortfall_penalty_cny_per_kwh: float = 1000.0
    offer: tuple[str, ...] = KINDS

    def validated(self) -> ProcurementParams:
        """``self`` after the bounds check; raises ``InputError`` ``procurement.bad_parameter``."""
        for name in (
            "gec_cny_per_certificate",
            "green_premium_cny_per_kwh",
            "feed_in_cny_per_kwh",
            "pv_lcoe_cny_per_kwh",
            "roof_limit_kwp",
            "direct_line_cny_per_kwh",
            "direct_line_max_mw",
        ):
            _check(name, getattr(self, name), 0.0, 1e7)
        for name in ("direct_self_use_min", "direct_consumption_min"):
            _check(name, getattr(self, name), 0.0, 1.0)
        if set(self.offer) - set(KINDS) or "gec" not in self.offer:
            raise InputError(
                "procurement.bad_parameter",
                expected=f"a subset of {list(KINDS)} that includes gec",
                parameter="offer",
                value=",".join(self.offer),
            )
        return self


def _check(name: str, value: Any, lo: float, hi: float) -> None:
    if not (isinstance(value, (int, float)) and math.isfinite(value) and lo <= value <= hi):
        raise InputError(
            "procurement.bad_parameter", expected=f"{lo} … {hi}", parameter=name, value=str(value)
        )


def default_params(prices: GreenPrices | None = None, **overrides: Any) -> ProcurementParams:
    """Parameters from ``procurement.toml`` and the green prices (default the green defaults).

    The GEC price is an input (``prices.gec_cny_per_certificate`` or ``overrides``), so a
    price by vintage can be passed in without touching this module.
    """
    prices = prices or default_prices()
    base = {k: float(v["value"]) for k, v in procurement_defaults().items()}
    p = ProcurementParams(
        gec_cny_per_certificate=prices.gec_cny_per_certificate,
        green_premium_cny_per_kwh=prices.green_premium_cny_per_kwh,
        feed_in_cny_per_kwh=prices.feed_in_cny_per_kwh,
        **base,
    )
    return replace(p, **overrides).validated()


# --------------------------------------------------------------------------- hourly inputs


@dataclass(frozen=True, eq=False)
class HourlyProfiles:
    """The year on local clock hours (arrays of one length, one entry per hour with data).

    Attributes
    ----------
    hour_start : DatetimeIndex   local start of each hour (tz-aware)
    consumption_kwh : ndarray    c_h [kWh]
    pv_kwh : ndarray             existing on-site PV p_h [kWh]
    yield_kwh_per_kwp : ndarray  new PV per kWp y_h [kWh/kWp]
    price_cny_per_kwh : ndarray  grid energy price π_h [CNY/kWh] (kWh-weighted in the hour)
    """

    hour_start: pd.DatetimeIndex
    consumption_kwh: np.ndarray
    pv_kwh: np.ndarray
    yield_kwh_per_kwp: np.ndarray
    price_cny_per_kwh: np.ndarray

    @property
    def energy_kwh(self) -> float:
        return float(self.consumption_kwh.sum())

    @property
    def existing_matched_kwh(self) -> np.ndarray:
        """min(c_h, p_h) [kWh]: existing PV matched hour by hour."""
        return np.minimum(self.consumption_kwh, self.pv_kwh)

    @property
    def residual_kwh(self) -> np.ndarray:
        """r_h = c_h − min(c_h, p_h) [kWh]: the load left for new instruments."""
        return self.consumption_kwh - self.existing_matched_kwh


def _on_index(x: pd.Series | np.ndarray | float | None, index: pd.DatetimeIndex) -> np.ndarray:
    if x is None:
        return np.zeros(len(index))
    if isinstance(x, pd.Series):
        return np.nan_to_num(x.reindex(index).to_numpy(dtype=float))
    arr = np.broadcast_to(np.asarray(x, dtype=float), (len(index),))
    return np.nan_to_num(arr)


def hourly_profiles(
    consumption_kwh: pd.Series,
    *,
    yield_kwh_per_kwp: pd.Series | np.ndarray,
    price_cny_per_kwh: pd.Series | np.ndarray | float,
    pv_kwh: pd.Series | np.ndarray | None = None,
) -> HourlyProfiles:
    """Aggregate interval series (tz-aware interval-start index) to local clock hours.

    Energies are summed within the hour; the price is the kWh-weighted mean of the interval
    prices (the plain mean in an hour with no consumption). NaN consumption intervals are left
    out with their PV and yield. Raises ``InputError`` ``procurement.no_energy``.
    """
    index = pd.DatetimeIndex(consumption_kwh.index)
    c = consumption_kwh.to_numpy(dtype=float)
    ok = ~np.isnan(c)
    if not ok.any() or not c[ok].sum() > 0:
        raise InputError("procurement.no_energy", expected="intervals with positive energy")
    p = np.clip(_on_index(pv_kwh, index), 0.0, None)[ok]
    y = np.clip(_on_index(yield_kwh_per_kwp, index), 0.0, None)[ok]
    price = _on_index(price_cny_per_kwh, index)[ok]
    c = c[ok]
    keys = _hour_keys(index)[ok]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    ch = np.add.reduceat(c, starts)
    counts = np.diff(np.r_[starts, len(c)])
    weighted = np.add.reduceat(c * price, starts)
    plain = np.add.reduceat(price, starts) / counts
    with np.errstate(invalid="ignore", divide="ignore"):
        ph = np.where(ch > 0, weighted / np.where(ch > 0, ch, 1.0), plain)
    hour = pd.DatetimeIndex(pd.to_datetime(keys[starts], utc=True)).tz_convert(index.tz)
    return HourlyProfiles(
        hour_start=hour,
        consumption_kwh=ch,
        pv_kwh=np.add.reduceat(p, starts),
        yield_kwh_per_kwp=np.add.reduceat(y, starts),
        price_cny_per_kwh=ph,
    )


# --------------------------------------------------------------------------- result


@dataclass(frozen=True)
class Instrument:
    """One instrument of the mix. ``kwh`` counts toward the target; costs incremental [CNY]."""

    kind: str
    kwh: float
    cost_cny: float
    capacity: float | None = None  # kWp (PV) or MW (direct line)
    generation_kwh: float | None = None
    surplus_kwh: float | None = None
    count: int | None = None  # GECs

    @property
    def unit_cost_cny_per_kwh(self) -> float | None:
        return self.cost_cny / self.kwh if self.kwh > 1e-9 else None


@dataclass(frozen=True)
class ShadowPrice:
    """Fall in total cost when a constraint is relaxed by one ``unit`` [CNY/unit], ≥ 0."""

    constraint: str
    cost_cny_per_unit: float
    unit: str
    binding: bool


@dataclass(frozen=True, eq=False)
class Procurement:
    """The least-cost mix (module docstring). ``matched_kwh`` is per hour of ``profiles``."""

    instruments: tuple[Instrument, ...]
    total_cost_cny: float
    meets_target: bool
    feasible: bool
    target_share: float
    hourly_target: float | None
    held_kwh: float
    renewable_share: float
    hourly_matched_share: float
    hourly_shortfall_kwh: float
    gec_only_cost_cny: float
    direct_line_chosen: bool
    shadow_prices: tuple[ShadowPrice, ...]
    params: ProcurementParams
    profiles: HourlyProfiles = field(repr=False)
    matched_kwh: np.ndarray = field(repr=False)

    def instrument(self, kind: str) -> Instrument | None:
        return next((i for i in self.instruments if i.kind == kind), None)


# --------------------------------------------------------------------------- the model


@dataclass
class _Model:
    c: np.ndarray
    a: Any  # scipy.sparse.csr_matrix
    b: np.ndarray
    lb: np.ndarray
    ub: np.ndarray
    integrality: np.ndarray
    rows: dict[str, int]
    hours_u: np.ndarray
    hours_v: np.ndarray


def surplus_price(p: ProcurementParams, prof: HourlyProfiles) -> np.ndarray:
    """f_h = min(f, π_h) [CNY/kWh]: exported PV earns the feed-in price, at most the hour's grid
    price, so that the model never prefers exporting to self-consuming (behind-the-meter PV is
    consumed first)."""
    return np.minimum(p.feed_in_cny_per_kwh, prof.price_cny_per_kwh)


# fixed variable positions; u_h and v_h follow
_X, _W, _Z, _G, _N, _S = range(6)
_FIXED = 6


def _build(
    prof: HourlyProfiles,
    p: ProcurementParams,
    *,
    target_kwh: float,
    hourly_kwh: float | None,
    direct: str,
) -> _Model:
    """The MILP of the module docstring as ``min c·x, A x ≤ b, lb ≤ x ≤ ub``."""
    r = prof.residual_kwh
    y = prof.yield_kwh_per_kwp
    q = 1000.0 * y
    pi = prof.price_cny_per_kwh
    energy = prof.energy_kwh
    pv_on = "pv_expansion" in p.offer and p.roof_limit_kwp > 0
    dl_on = "direct_line" in p.offer and p.direct_line_max_mw > 0 and direct != "off"
    hu = np.flatnonzero((y > 0) & (r > 0)) if pv_on else np.array([], dtype=int)
    hv = np.flatnonzero((q > 0) & (r > 0)) if dl_on else np.array([], dtype=int)
    nu, nv = len(hu), len(hv)
    nvar = _FIXED + nu + nv
    iu = _FIXED + np.arange(nu)
    iv = _FIXED + nu + np.arange(nv)

    f_h = surplus_price(p, prof)
    c = np.zeros(nvar)
    c[_X] = p.pv_lcoe_cny_per_kwh * float(y.sum()) - float((f_h * y).sum())
    c[_G] = p.green_premium_cny_per_kwh
    c[_N] = p.gec_cny_per_certificate
    c[_S] = p.hourly_shortfall_penalty_cny_per_kwh
    c[iu] = f_h[hu] - pi[hu]
    c[iv] = p.direct_line_cny_per_kwh - pi[hv]

    rows_i: list[np.ndarray] = []
    cols_i: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    b: list[float] = []
    names: dict[str, int] = {}

    def row(name: str | None, cols: np.ndarray, coef: np.ndarray, rhs: float) -> None:
        k = len(b)
        if name:
            names[name] = k
        rows_i.append(np.full(len(cols), k))
        cols_i.append(np.asarray(cols, dtype=int))
        vals.append(np.asarray(coef, dtype=float))
        b.append(rhs)

    phys = np.r_[iu, iv]
    ones = np.ones(len(phys))
    row("annual_target", np.r_[phys, _G, _N], -np.r_[ones, 1.0, KWH_PER_GEC], -target_kwh)
    if hourly_kwh is not None:
        row("hourly_target", np.r_[phys, _S], -np.r_[ones, 1.0], -hourly_kwh)
    row("green_power_cap", np.r_[phys, _G], np.r_[ones, 1.0], float(r.sum()))
    row("roof_limit", np.array([_X]), np.array([1.0]), p.roof_limit_kwp if pv_on else 0.0)
    row(
        "direct_self_use",
        np.r_[_W, iv],
        np.r_[p.direct_self_use_min * float(q.sum()), -np.ones(nv)],
        0.0,
    )
    row(
        "direct_consumption",
        np.r_[_Z, iv],
        np.r_[p.direct_consumption_min * energy, -np.ones(nv)],
        0.0,
    )
    row("direct_capacity", np.array([_W, _Z]), np.array([1.0, -p.direct_line_max_mw]), 0.0)
    # per hour: u_h − y_h·x ≤ 0, v_h − q_h·w ≤ 0, u_h + v_h ≤ r_h (both present)
    k0 = len(b)
    n_hours_rows = nu + nv
    rr = k0 + np.arange(n_hours_rows)
    rows_i += [np.r_[rr[:nu], rr[:nu]], np.r_[rr[nu:], rr[nu:]]]
    cols_i += [np.r_[iu, np.full(nu, _X)], np.r_[iv, np.full(nv, _W)]]
    vals += [np.r_[np.ones(nu), -y[hu]], np.r_[np.ones(nv), -q[hv]]]
    b += [0.0] * n_hours_rows
    both = np.intersect1d(hu, hv)
    if len(both):
        k1 = len(b)
        rb = k1 + np.arange(len(both))
        pos_u = iu[np.searchsorted(hu, both)]
        pos_v = iv[np.searchsorted(hv, both)]
        rows_i.append(np.r_[rb, rb])
        cols_i.append(np.r_[pos_u, pos_v])
        vals.append(np.ones(2 * len(both)))
        b += list(r[both])
    from scipy import sparse  # on first use: SciPy costs ≈ 0.25 s to import

    a = sparse.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows_i), np.concatenate(cols_i))),
        shape=(len(b), nvar),
    )
    lb = np.zeros(nvar)
    ub = np.full(nvar, np.inf)
    ub[_Z] = 1.0 if dl_on and nv else 0.0
    if direct == "force":
        lb[_Z] = ub[_Z]
    if hourly_kwh is None:
        ub[_S] = 0.0
    # a single hour needs at most its residual: tighter bounds help the solver
    ub[iu] = r[hu]
    ub[iv] = r[hv]
    if not pv_on:
        ub[_X] = 0.0
    if "green_power" not in p.offer:
        ub[_G] = 0.0
    integrality = np.zeros(nvar, dtype=int)
    integrality[[_Z, _N]] = 1
    return _Model(c, a, np.asarray(b), lb, ub, integrality, names, hu, hv)


def _lp(m: _Model, lb: np.ndarray, ub: np.ndarray) -> Any:
    """One HiGHS LP of the model with the given bounds (``None`` when infeasible)."""
    from scipy.optimize import linprog

    res = linprog(m.c, A_ub=m.a, b_ub=m.b, bounds=np.c_[lb, ub], method="highs")
    return res if res.status == 0 else None


def _feasible(m: _Model, x: np.ndarray) -> bool:
    tol = 1e-6 * max(1.0, float(np.abs(m.b).max(initial=0.0)))
    return bool(
        (m.a @ x <= m.b + tol).all() and (x >= m.lb - tol).all() and (x <= m.ub + tol).all()
    )


def _integral(v: float) -> bool:
    return abs(v - round(v)) <= 1e-7


def _solve_exact(m: _Model) -> tuple[np.ndarray, Any] | None:
    """The LP optimum, then the direct-line binary, then whole GECs.

    1. The LP relaxation (z ∈ [0, 1], n continuous), solved exactly by HiGHS.
    2. A fractional z* is rounded (z = 1 when w* > 0; z has no cost) and kept when the rounded
       point is feasible — it attains the relaxation's bound, so it is optimal; otherwise both
       z = 0 and z = 1 are solved.
    3. The GEC count is made whole by the cheapest feasible of: rounding up and removing the
       over-cover from the dearest target-driven instruments (:func:`_round_up`), rounding
       down and topping up with green power, and GECs alone. The result is within one
       certificate's price of the integer optimum (tested against :func:`scipy.optimize.milp`,
       which takes seconds on a year) and never dearer than GECs alone.

    Returns (x, the LP whose duals are reported).
    """
    relax = _lp(m, m.lb, m.ub)
    if relax is None:
        return None
    zs: list[tuple[float, Any]] = []
    z = float(relax.x[_Z])
    if _integral(z):
        zs.append((float(round(z)), relax))
    else:
        x = relax.x.copy()
        x[_Z] = 1.0 if x[_W] > 1e-9 else 0.0
        if _feasible(m, x):
            zs.append((x[_Z], relax))
        else:
            for zv in (0.0, 1.0):
                res = _lp(m, *_fixed(m, z=zv))
                if res is not None:
                    zs.append((zv, res))
    cands = [(x, res) for zv, res in zs for x in _integer_gecs(m, zv, res)]
    if zs:
        cands.append((_gecs_alone(m), zs[0][1]))
    cands = [(x, res) for x, res in cands if _feasible(m, x)]
    if not cands:
        return None
    return min(cands, key=lambda c: float(m.c @ c[0]))


def _fixed(m: _Model, **fix: float) -> tuple[np.ndarray, np.ndarray]:
    lb, ub = m.lb.copy(), m.ub.copy()
    for pos, value in ((_Z, fix.get("z")), (_N, fix.get("n"))):
        if value is not None:
            lb[pos] = ub[pos] = value
    return lb, ub


def _gecs_alone(m: _Model) -> np.ndarray:
    """Whole GECs for the annual gap, nothing else (the hourly gap left as shortfall)."""
    x = np.zeros(len(m.c))
    need = -m.b[m.rows["annual_target"]]
    x[_N] = max(0, math.ceil(round(need / KWH_PER_GEC, 9)))
    if "hourly_target" in m.rows:
        x[_S] = max(0.0, -m.b[m.rows["hourly_target"]])
    return x


def _integer_gecs(m: _Model, zv: float, res: Any) -> list[np.ndarray]:
    """Candidates with z = ``zv`` and a whole GEC count (module docstring of the rounding)."""
    x = res.x.copy()
    x[_Z] = zv
    n = float(x[_N])
    if _integral(n):
        x[_N] = round(n)
        return [x]
    down = x.copy()
    down[_N] = math.floor(n)
    down[_G] += (n - math.floor(n)) * KWH_PER_GEC  # the gap by green power, if allowed
    return [_round_up(m, x, (math.ceil(n) - n) * KWH_PER_GEC), down]


def _round_up(m: _Model, x: np.ndarray, over_kwh: float) -> np.ndarray:
    """n rounded up; the ``over_kwh`` it over-covers removed from positive-cost instruments,
    dearest first: green power, then PV or the direct line scaled down (with their hours)."""
    x = x.copy()
    x[_N] = math.ceil(round(x[_N], 9))
    nu = len(m.hours_u)
    groups = {
        "g": (np.array([_G]), np.array([_G])),
        "pv": (np.r_[_X, _FIXED + np.arange(nu)], _FIXED + np.arange(nu)),
        "dl": (
            np.r_[_W, _FIXED + nu + np.arange(len(m.hours_v))],
            _FIXED + nu + np.arange(len(m.hours_v)),
        ),
    }
    unit = {}
    for k, (cols, counted) in groups.items():
        kwh = float(x[counted].sum())
        cost = float(m.c[cols] @ x[cols])
        if kwh > 1e-9 and cost > 0:
            unit[k] = cost / kwh
    for k in sorted(unit, key=unit.get, reverse=True):
        cols, counted = groups[k]
        kwh = float(x[counted].sum())
        keep = max(0.0, 1.0 - over_kwh / kwh)
        trial = x.copy()
        trial[cols] *= keep
        if _feasible(m, trial):
            over_kwh -= (1.0 - keep) * kwh
            x = trial
        if over_kwh <= 1e-9:
            break
    return x


def _shadow_prices(
    m: _Model, res: Any, p: ProcurementParams, x: np.ndarray
) -> tuple[ShadowPrice, ...]:
    """Duals of the LP ``res``; ``binding`` judged at the reported solution ``x``."""
    marg = res.ineqlin.marginals
    slack = m.b - m.a @ x
    shown = {
        "pv_expansion": ("roof_limit",),
        "direct_line": ("direct_self_use", "direct_consumption", "direct_capacity"),
        "green_power": ("green_power_cap",),
    }
    hidden = {r for kind, rows in shown.items() if kind not in p.offer for r in rows}
    return tuple(
        ShadowPrice(
            constraint=name,
            cost_cny_per_unit=float(max(0.0, -marg[k])),
            unit=CONSTRAINT_UNITS[name],
            binding=bool(abs(slack[k]) <= 1e-6 * max(1.0, abs(m.b[k]))),
        )
        for name, k in m.rows.items()
        if name not in hidden
    )


def gec_only_cost_cny(target_kwh: float, gec_cny_per_certificate: float) -> float:
    """Cost of meeting the annual target with GECs alone = ceil(gap / 1000) × price [CNY]."""
    if target_kwh <= 0:
        return 0.0
    return math.ceil(round(target_kwh / KWH_PER_GEC, 9)) * gec_cny_per_certificate


def solve_procurement(
    profiles: HourlyProfiles,
    *,
    target_share: float,
    params: ProcurementParams | None = None,
    hourly_target: float | None = None,
    held_kwh: float | None = None,
    direct_line: str = "auto",
) -> Procurement:
    """The least-cost mix for ``target_share`` (module docstring).

    Parameters
    ----------
    profiles : HourlyProfiles
        The hourly year (:func:`hourly_profiles`).
    target_share : float
        Annual renewable-share target T [0–1].
    params : ProcurementParams, optional
        Default :func:`default_params`.
    hourly_target : float, optional
        Hourly-matched target T_h [0–1]: (m_0 + Σu + Σv) / E ≥ T_h.
    held_kwh : float, optional
        Renewable kWh already held for the annual target H_0 [kWh] (owned self-consumed PV,
        green power bought, valid GECs × 1,000); default m_0, the existing PV matched hourly.
    direct_line : "auto" | "force" | "off"
        Let the solver choose the direct line, force it (the 绿电直连 scenario; infeasible
        when the 650号 ratios cannot be met) or leave it out.

    Raises
    ------
    InputError
        ``green.bad_target`` (T outside [0, 1]), ``procurement.bad_hourly_target``,
        ``procurement.bad_parameter``.
    """
    if not (isinstance(target_share, (int, float)) and 0.0 <= target_share <= 1.0):
        raise InputError("green.bad_target", expected="0 … 1", value=str(target_share))
    if hourly_target is not None and not (
        isinstance(hourly_target, (int, float)) and 0.0 <= hourly_target <= 1.0
    ):
        raise InputError(
            "procurement.bad_hourly_target", expected="0 … 1", value=str(hourly_target)
        )
    p = (params or default_params()).validated()
    energy = profiles.energy_kwh
    m0 = float(profiles.existing_matched_kwh.sum())
    held = m0 if held_kwh is None else float(held_kwh)
    target_kwh = target_share * energy - held
    hourly_kwh = None if hourly_target is None else hourly_target * energy - m0
    m = _build(profiles, p, target_kwh=target_kwh, hourly_kwh=hourly_kwh, direct=direct_line)
    solved = _solve_exact(m)
    if solved is None:
        return _infeasible(profiles, p, target_share, hourly_target, held, target_kwh)
    return _result(profiles, p, m, solved, target_share, hourly_target, held, target_kwh)


def _result(
    prof: HourlyProfiles,
    p: ProcurementParams,
    m: _Model,
    solved: tuple[np.ndarray, Any],
    target_share: float,
    hourly_target: float | None,
    held: float,
    target_kwh: float,
) -> Procurement:
    sol, lp = solved
    nu = len(m.hours_u)
    u = np.clip(sol[_FIXED : _FIXED + nu], 0.0, None)
    v = np.clip(sol[_FIXED + nu :], 0.0, None)
    x, w = float(sol[_X]), float(sol[_W])
    z = round(float(sol[_Z]))
    g, n = float(sol[_G]), round(float(sol[_N]))
    y, pi = prof.yield_kwh_per_kwp, prof.price_cny_per_kwh
    gen_pv = x * float(y.sum())
    gen_dl = w * 1000.0 * float(y.sum())
    instruments = []
    if "pv_expansion" in p.offer:
        f_h = surplus_price(p, prof)
        cost = p.pv_lcoe_cny_per_kwh * gen_pv - x * float((f_h * y).sum())
        cost += float(((f_h[m.hours_u] - pi[m.hours_u]) * u).sum())
        instruments.append(
            Instrument("pv_expansion", float(u.sum()), cost, x, gen_pv, gen_pv - float(u.sum()))
        )
    if "direct_line" in p.offer:
        cost = float(((p.direct_line_cny_per_kwh - pi[m.hours_v]) * v).sum())
        instruments.append(
            Instrument("direct_line", float(v.sum()), cost, w, gen_dl, gen_dl - float(v.sum()))
        )
    if "green_power" in p.offer:
        instruments.append(Instrument("green_power", g, g * p.green_premium_cny_per_kwh))
    instruments.append(
        Instrument("gec", n * KWH_PER_GEC, n * p.gec_cny_per_certificate, count=int(n))
    )
    matched = prof.existing_matched_kwh.copy()
    matched[m.hours_u] += u
    matched[m.hours_v] += v
    energy = prof.energy_kwh
    covered = float(sum(i.kwh for i in instruments))
    shortfall = float(max(0.0, sol[_S]))
    tol = 1e-6 * max(1.0, energy)
    meets = covered + tol >= target_kwh and (hourly_target is None or shortfall <= tol)
    return Procurement(
        instruments=tuple(instruments),
        total_cost_cny=float(sum(i.cost_cny for i in instruments)),
        meets_target=bool(meets),
        feasible=True,
        target_share=float(target_share),
        hourly_target=hourly_target,
        held_kwh=held,
        renewable_share=(held + covered) / energy,
        hourly_matched_share=float(matched.sum() / energy),
        hourly_shortfall_kwh=shortfall,
        gec_only_cost_cny=gec_only_cost_cny(target_kwh, p.gec_cny_per_certificate),
        direct_line_chosen=bool(z),
        shadow_prices=_shadow_prices(m, lp, p, sol),
        params=p,
        profiles=prof,
        matched_kwh=matched,
    )


def _infeasible(
    prof: HourlyProfiles,
    p: ProcurementParams,
    target_share: float,
    hourly_target: float | None,
    held: float,
    target_kwh: float,
) -> Procurement:
    """No mix satisfies the rules (only possible with ``direct_line="force"``)."""
    energy = prof.energy_kwh
    matched = prof.existing_matched_kwh.copy()
    return Procurement(
        instruments=(),
        total_cost_cny=float("nan"),
        meets_target=False,
        feasible=False,
        target_share=float(target_share),
        hourly_target=hourly_target,
        held_kwh=held,
        renewable_share=held / energy,
        hourly_matched_share=float(matched.sum() / energy),
        hourly_shortfall_kwh=float("nan"),
        gec_only_cost_cny=gec_only_cost_cny(target_kwh, p.gec_cny_per_certificate),
        direct_line_chosen=False,
        shadow_prices=(),
        params=p,
        profiles=prof,
        matched_kwh=matched,
    )


# --------------------------------------------------------------------------- views


def matching_matrix(prof: HourlyProfiles, matched_kwh: np.ndarray) -> pd.DataFrame:
    """Matched share per local date × hour of day [0–1]: matched_h / c_h (NaN where c_h = 0
    or the hour has no data). Rows: ``YYYY-MM-DD`` (365 or 366 for a year), columns 0–23;
    a DST fold's two hours are summed."""
    hs = prof.hour_start
    frame = pd.DataFrame(
        {
            "date": hs.strftime("%Y-%m-%d"),
            "hour": hs.hour,
            "c": prof.consumption_kwh,
            "m": np.asarray(matched_kwh, dtype=float),
        }
    )
    g = frame.groupby(["date", "hour"], sort=True)[["c", "m"]].sum()
    share = (g["m"] / g["c"].where(g["c"] > 0)).unstack("hour")
    share = share.reindex(columns=range(24))
    share.index.name = "date"
    return share


def _num(v: float | None) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


def instrument_entry(i: Instrument) -> dict[str, Any]:
    """One ``instruments[]`` entry of the JSON."""
    out: dict[str, Any] = {
        "kind": i.kind,
        "kwh": float(i.kwh),
        "cost_cny": float(i.cost_cny),
        "unit_cost_cny_per_kwh": _num(i.unit_cost_cny_per_kwh),
    }
    if i.kind == "pv_expansion":
        out |= {"capacity_kwp": i.capacity, "generation_kwh": i.generation_kwh}
        out["surplus_kwh"] = i.surplus_kwh
    elif i.kind == "direct_line":
        out |= {"capacity_mw": i.capacity, "generation_kwh": i.generation_kwh}
        out["surplus_kwh"] = i.surplus_kwh
    elif i.kind == "gec":
        out["count"] = i.count
    return out


def procurement_section(p: Procurement) -> dict[str, Any]:
    """The ``green.procurement`` JSON section (README "Procurement")."""
    dl = p.instrument("direct_line")
    energy = p.profiles.energy_kwh
    direct = None
    if dl is not None and dl.generation_kwh:
        direct = {
            "self_use_share": dl.kwh / dl.generation_kwh,
            "consumption_share": dl.kwh / energy,
        }
    return {
        "instruments": [instrument_entry(i) for i in p.instruments],
        "total_cost_cny": _num(p.total_cost_cny),
        "meets_target": bool(p.meets_target),
        "feasible": bool(p.feasible),
        "target_share": p.target_share,
        "hourly_target": p.hourly_target,
        "held_kwh": float(p.held_kwh),
        "renewable_share": float(p.renewable_share),
        "hourly_matched_share": float(p.hourly_matched_share),
        "hourly_shortfall_kwh": _num(p.hourly_shortfall_kwh),
        "gec_only_cost_cny": float(p.gec_only_cost_cny),
        "direct_line_chosen": bool(p.direct_line_chosen),
        "direct_line": direct,
        "shadow_prices": {
            s.constraint: {
                "cost_cny_per_unit": s.cost_cny_per_unit,
                "unit": s.unit,
                "binding": s.binding,
            }
            for s in p.shadow_prices
        },
        "penalised": bool(p.hourly_shortfall_kwh > 1e-6 * max(1.0, energy)),
        "hours": len(p.profiles.consumption_kwh),
    }


# --------------------------------------------------------------------------- from an analysis


def procure(
    intervals: pd.DataFrame,
    *,
    periods: Any,
    target_share: float,
    lat: float,
    lon: float,
    specific_yield_kwh_per_kwp: float,
    tilt_deg: float = 20.0,
    azimuth_deg: float = 180.0,
    params: ProcurementParams | None = None,
    hourly_target: float | None = None,
    held_kwh: float | None = None,
    direct_line: str = "auto",
) -> tuple[Procurement, list[Any]]:
    """The least-cost mix for a PV balance's ``intervals`` (``consumption_kwh``, ``pv_kwh``).

    New PV and the direct line's profile: :func:`analytics.green.pv.model_pv` with 1 kWp at
    (``lat``, ``lon``) scaled to ``specific_yield_kwh_per_kwp``; grid prices: the analysis'
    one TOU classification ``periods`` (``periods.price_cny_per_kwh`` per interval). Returns
    the procurement and the PV model's warnings.
    """
    from analytics.green.pv import model_pv

    index = pd.DatetimeIndex(intervals.index)
    per_kwp, warnings = model_pv(
        index,
        kwp=1.0,
        lat=lat,
        lon=lon,
        tilt_deg=tilt_deg,
        azimuth_deg=azimuth_deg,
        specific_yield_kwh_per_kwp=specific_yield_kwh_per_kwp,
    )
    price = pd.Series(np.nan_to_num(periods.price_cny_per_kwh), index=periods.index)
    prof = hourly_profiles(
        intervals["consumption_kwh"],
        yield_kwh_per_kwp=per_kwp["kwh"],
        price_cny_per_kwh=price,
        pv_kwh=intervals["pv_kwh"],
    )
    result = solve_procurement(
        prof,
        target_share=target_share,
        params=params,
        hourly_target=hourly_target,
        held_kwh=held_kwh,
        direct_line=direct_line,
    )
    return result, warnings
