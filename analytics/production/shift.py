"""Load-shift scenario: move movable production runs to cheaper hours, exactly (MILP/HiGHS).

Model
-----
Time is the meter's interval grid. Each movable run ``r`` of line ``l`` keeps its length
``L_r`` (whole intervals; a run off the grid is rounded to it) and draws a constant
incremental power ``P_l`` [kW] while it runs. A binary ``x_{r,s}`` places run ``r`` at start
interval ``s``; candidate starts are those where the whole run lies

* inside its window: the local calendar day it starts on, ± ``window_days`` days, and inside
  the calendar month it starts in (months are solved one by one, which keeps each problem
  small and the monthly demand charge exact);
* inside the working hours ``[earliest, latest)`` of every interval it occupies
  (``latest ≤ earliest`` wraps midnight);
* on intervals with meter data, and off the intervals the line's fixed runs occupy.

Staying put is always a candidate, so the original schedule is feasible and the cost can
never rise. Constraints: one start per run; per line and interval at most one run
(``Σ x ≤ 1``); optional site cap ``new_kw_i ≤ max(cap, old_kw_i)`` (the cap binds wherever
the original met it; where the original was already above it, the load never rises).
Objective (CNY) = Σ_{r,s} x_{r,s} · P_l · h · Σ_{i ∈ run} price_i + demand_price · D with
``D ≥ new_kw_i`` for every interval of the month — the TOU energy cost of the moved runs
plus the month's demand charge, both exactly as :func:`analytics.tou.bill` prices them. A
tiny penalty per interval moved breaks ties towards the nearest slot. scipy's ``milp``
(HiGHS branch and cut) solves each month twice: the energy cost alone (fast; proven optimal
within :data:`MIP_GAP`) and energy + demand charge (harder: the demand variable couples all
days of the month; HiGHS stops at ``time_limit_s`` and ``mip_gap`` says how close the
answer is proven to be). The schedule with the lower bill is kept, and neither is kept
unless the bill falls.

Run energy from the measured load
---------------------------------
``P_l`` comes from the meter, not from a nameplate: an OLS of interval power on the lines'
activity, ``kw_i = base + Σ_l P_l · active_{l,i}`` (``active`` = share of the interval the
line runs, :class:`~analytics.production.Alignment`), over all intervals with data. Where a
state log measured per-line power, ``P_l`` = the line's measured energy in its active
intervals / its active hours instead. Callers may pass ``line_kw`` to override. A run's
energy is ``P_r × hours``; moving it changes the load by ``−P_r`` on its old intervals and
``+P_r`` on its new ones, so the new load is ``kwh + Δ`` and the saving is
``bill(old) − bill(new)`` from the TOU engine.

Physically valid new load
-------------------------
A run cannot take away more power than the meter measured where it ran. The moved power of a
movable run is its line's ``P_l`` bounded by the load it leaves:
``P_r = P_l × min_{i ∈ run} f_i`` with ``f_i = min(1, kw_old_i / Σ_{r' ∋ i} P_{l(r')})``
(the sum over the movable runs covering interval ``i``: runs of several lines sharing an
interval share its load in proportion to their lines' power). Hence the load left behind,
``base_i = kw_old_i − Σ_{r ∋ i} P_r ≥ 0``, and the new load ``base + Σ P_r`` on the new
intervals is ≥ 0 everywhere; energy is conserved (Σ new kWh = Σ old kWh) because runs only
move onto intervals with meter data, and a run over an interval without data (``f = 0``)
does not move. Where the bound binds (``P_r < P_l``: the line power estimate exceeds the
load), the note ``shift.line_power_bounded`` says so; a run's ``energy_kwh`` in ``moves`` is
``P_r × hours``. ``line_kw`` reports the unbounded ``P_l``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pandas as pd

from analytics.findings import DataWarning
from analytics.iotools import interval_minutes
from analytics.tou import Periods, bill

MIP_GAP = 1e-4
#: Relative margin below the load bound of a run's moved power (rounding, not physics).
_BOUND_MARGIN = 1e-12
_MOVE_PENALTY_CNY = 1e-4

#: Notes of a :class:`ShiftResult` (i18n ``note.<code>``).
NOTE_CODES: tuple[str, ...] = (
    "shift.no_movable_runs", "shift.time_limit", "shift.infeasible", "shift.no_saving",
    "shift.line_power_estimated", "shift.line_power_nonpositive", "shift.line_power_bounded",
)  # fmt: skip


@dataclass(frozen=True)
class ShiftOptions:
    """What may move, where and under which limits.

    Attributes
    ----------
    use_flag : bool
        Runs flagged movable in the file may move.
    movable_lines : tuple of str
        Every run of these lines may move.
    movable_rows : tuple of int
        Runs (by 1-based source row) that may move.
    window_days : int
        0 = the run's own day; N = up to N days earlier or later (same calendar month).
    earliest, latest : str
        Working hours ``"HH:MM"``; a run must lie in ``[earliest, latest)`` local time
        (``"24:00"`` allowed; latest ≤ earliest wraps midnight). Default: all day.
    peak_cap_kw : float, optional
        Site power cap [kW] (see module docstring).
    include_demand : bool
        Minimise the monthly demand charge too (default). Without it the energy cost alone
        is minimised, and a month's moves are still dropped if its total bill would rise.
    months : tuple of str, optional
        Only runs starting in these months (``"YYYY-MM"``) move; None = all months.
    line_kw : mapping, optional
        Incremental power per line [kW], overriding the estimate.
    time_limit_s : float
        HiGHS time limit per month [s].
    demand_floor_kw : mapping, optional
        Peak already paid per month (``"YYYY-MM"`` → kW): the month-to-date peak, or the
        month's peak on a bill already received. The month's demand charge is
        ``demand_price × max(floor, new peak)``, so a peak below the floor costs nothing and
        the optimiser gains nothing by lowering it (the floor is also the demand variable's
        lower bound, which tightens the MIP). None = no floor (the peak of the load left).
    """

    use_flag: bool = True
    movable_lines: tuple[str, ...] = ()
    movable_rows: tuple[int, ...] = ()
    window_days: int = 0
    earliest: str = "00:00"
    latest: str = "24:00"
    peak_cap_kw: float | None = None
    include_demand: bool = True
    months: tuple[str, ...] | None = None
    line_kw: Mapping[str, float] | None = None
    time_limit_s: float = 10.0
    demand_floor_kw: Mapping[str, float] | None = None


@dataclass(frozen=True, eq=False)
class ShiftResult:
    """The optimised schedule and what it changes.

    Attributes
    ----------
    moves : DataFrame
        One row per moved run: ``row, line, product, old_start, old_end, new_start,
        new_end, shift_hours, energy_kwh, old_cost_cny, new_cost_cny, saving_cny``
        (costs = TOU energy cost of the run's own energy).
    schedule : DataFrame
        All runs with their new ``start``/``end`` and ``moved`` (the new schedule).
    movable_energy_kwh, shifted_energy_kwh : float
        Energy of the runs that may move / that the optimum moves [kWh].
    old_cost_cny, new_cost_cny, saving_cny : float
        Total bill (energy + demand charge) before and after, and the difference [CNY].
    saving_cny_per_year : float
        saving × 365 / days in the optimised months [CNY/a].
    old_peak_kw, new_peak_kw : float
        Site maximum interval power before and after [kW].
    line_kw : dict
        Incremental power used per line [kW].
    new_kwh : Series
        The shifted load [kWh] per interval.
    typical_day : DataFrame
        Mean kW by time of day (``old_kw``, ``new_kw``) over the optimised months' days.
    status : str
        ``"optimal"`` (proven within :data:`MIP_GAP`), ``"time_limit"`` (best schedule found
        when HiGHS stopped; ``mip_gap`` bounds how far from optimal it can be),
        ``"infeasible"`` or ``"nothing_to_move"``.
    notes : tuple of str
    mip_gap : float
        Largest relative MIP gap of the months solved [0–1].
    priced_by : str
        Kind of the price source the energy was priced with (``agency_tou``, ``series`` or
        ``package``, :data:`analytics.tou.PRICE_SOURCE_KINDS`).
    """

    moves: pd.DataFrame = field(repr=False)
    schedule: pd.DataFrame = field(repr=False)
    movable_energy_kwh: float
    shifted_energy_kwh: float
    old_cost_cny: float
    new_cost_cny: float
    saving_cny: float
    saving_cny_per_year: float
    old_peak_kw: float
    new_peak_kw: float
    line_kw: dict[str, float]
    new_kwh: pd.Series = field(repr=False)
    typical_day: pd.DataFrame = field(repr=False)
    status: str = "optimal"
    notes: tuple[str, ...] = ()
    mip_gap: float = 0.0
    warnings: tuple[DataWarning, ...] = ()
    priced_by: str = "agency_tou"


# --------------------------------------------------------------------------- prices
def interval_prices(
    periods: Periods, energy_price_cny_per_kwh: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Energy price per interval, month id per interval and demand price per month.

    Returns ``(price_cny_per_kwh (n,), month (n,) 0-based in order, demand_cny_per_kw_month
    (months,))`` from the analysis' one classification (the version in force on each date,
    else the nearest; a month's demand price from the version on its first date, 0 where the
    version has none). A period a version does not price costs 0 here.
    ``energy_price_cny_per_kwh`` (n,) replaces the TOU energy price: the chosen price source's
    price per interval (a series or a package, :func:`analytics.tou.source_prices`) [CNY/kWh];
    NaN (intervals without data) costs 0. The demand price stays the tariff's.
    """
    dem = np.array([v.demand_cny_per_kw_month or 0.0 for v in periods.month_versions()])
    price = (
        periods.price_cny_per_kwh if energy_price_cny_per_kwh is None else energy_price_cny_per_kwh
    )
    price = np.asarray(price, dtype=float)
    if price.shape != periods.codes.shape:
        raise ValueError("energy_price_cny_per_kwh must have one price per interval")
    return np.nan_to_num(price), periods.month_of_interval(), dem


# --------------------------------------------------------------------------- line power
def estimate_line_kw(frame: pd.DataFrame, alignment) -> tuple[dict[str, float], float]:
    """Incremental power per line and base power [kW] (see module docstring)."""
    h = alignment.interval_minutes / 60.0
    kw = frame["kwh"].to_numpy(dtype=float) / h
    act = alignment.line_active.to_numpy(dtype=float)
    ok = ~np.isnan(kw)
    X = np.column_stack([np.ones(ok.sum()), act[ok]])
    coef, *_ = np.linalg.lstsq(X, kw[ok], rcond=None)
    out = {ln: float(c) for ln, c in zip(alignment.line_active.columns, coef[1:], strict=True)}
    if alignment.line_kwh is not None:
        for ln in alignment.line_kwh.columns:
            if ln in alignment.line_active.columns:
                hours = float(alignment.line_active[ln].to_numpy()[ok].sum() * h)
                on = alignment.line_active[ln].to_numpy() > 0
                if hours > 0:
                    out[ln] = float(alignment.line_kwh[ln].to_numpy()[ok & on].sum() / hours)
    return out, float(coef[0])


def _per_interval(n: int, start: np.ndarray, length: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Σ of ``weight`` over the runs covering each interval (runs inside ``[0, n)``)."""
    out = np.zeros(n)
    reps = np.asarray(length, dtype=np.int64)
    if not reps.sum():
        return out
    first = np.repeat(np.cumsum(reps) - reps, reps)
    pos = np.repeat(np.asarray(start, dtype=np.int64), reps) + np.arange(reps.sum()) - first
    np.add.at(out, pos, np.repeat(np.asarray(weight, dtype=float), reps))
    return out


def _bounded_power(
    power: np.ndarray,
    movable: np.ndarray,
    start: np.ndarray,
    length: np.ndarray,
    kw_old: np.ndarray,
    has: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Moved power per run bounded by the load it leaves [kW] (module docstring).

    Parameters
    ----------
    power : ndarray
        ``P_l`` of each run's line [kW], ≥ 0.
    movable : ndarray of bool
        Runs that may move (inside the meter's span).
    start, length : ndarray of int
        Each run's first interval and its length [intervals].
    kw_old : ndarray
        Metered power per interval [kW] (0 where missing).
    has : ndarray of bool
        Intervals with meter data.

    Returns
    -------
    power : ndarray
        ``P_r = P_l × min_{i ∈ run} f_i`` for movable runs, ``P_l`` for the others [kW].
    bounded : ndarray of bool
        Movable runs whose power was lowered.
    """
    n = len(kw_old)
    demand = _occupancy(n, start, length, np.where(movable, power, 0.0))
    avail = np.where(has, np.maximum(kw_old, 0.0), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.where(demand > avail, avail / np.where(demand > 0, demand, 1.0), 1.0)
    out = power.copy()
    bounded = np.zeros(len(power), dtype=bool)
    for r in np.flatnonzero(movable):
        low = float(f[start[r] : start[r] + length[r]].min())
        if low < 1.0:
            # a hair below the bound, so that rounding in Σ P_r never takes more than kw_old
            out[r] = power[r] * low * (1.0 - _BOUND_MARGIN)
            bounded[r] = True
    return out, bounded


def _minute(text: str) -> int:
    hh, mm = text.split(":")
    return int(hh) * 60 + int(mm)


# --------------------------------------------------------------------------- optimiser
@dataclass
class _Runs:
    line: np.ndarray
    start: np.ndarray  # interval index (may be outside [0, n))
    length: np.ndarray
    movable: np.ndarray
    power: np.ndarray  # kW


def _occupancy(n: int, start: np.ndarray, length: np.ndarray, weight: np.ndarray) -> np.ndarray:
    diff = np.zeros(n + 1)
    a = np.clip(start, 0, n)
    b = np.clip(start + length, 0, n)
    np.add.at(diff, a, weight)
    np.add.at(diff, b, -weight)
    return np.cumsum(diff[:-1])


def optimise_shift(  # noqa: C901
    frame: pd.DataFrame,
    data,
    alignment,
    periods: Periods,
    options: ShiftOptions | None = None,
    *,
    energy_price_cny_per_kwh: np.ndarray | None = None,
    priced_by: str = "agency_tou",
) -> ShiftResult:
    """Place movable runs to minimise TOU energy cost plus the demand charge.

    Parameters
    ----------
    frame : DataFrame
        Canonical frame (``kwh`` [kWh]).
    data : ProductionData
        The runs (``segments``).
    alignment : Alignment
        Of ``data`` on ``frame`` (line activity for the power estimate).
    periods : Periods
        The TOU classification of ``frame.index`` (:func:`analytics.tou.classify_periods`).
    options : ShiftOptions
    energy_price_cny_per_kwh : ndarray, optional
        Energy price per interval of the chosen price source [CNY/kWh] (default: the TOU
        price of ``periods``); the old and new bills are then Σ kWh × this price plus the
        tariff's demand charge (:func:`interval_prices`).
    priced_by : str
        The source's kind, reported in :attr:`ShiftResult.priced_by`.

    Returns
    -------
    ShiftResult
    """
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    opt = options or ShiftOptions()
    idx = pd.DatetimeIndex(frame.index)
    n = len(idx)
    minutes = interval_minutes(frame)
    h = minutes / 60.0
    step = pd.Timedelta(minutes=minutes)
    kwh = frame["kwh"].to_numpy(dtype=float)
    has = ~np.isnan(kwh)
    kw_old = np.where(has, kwh / h, 0.0)
    price, month, true_dem = interval_prices(periods, energy_price_cny_per_kwh)
    dem_price = true_dem if opt.include_demand else np.zeros_like(true_dem)
    notes: list[str] = []

    est, _ = estimate_line_kw(frame, alignment)
    line_kw = dict(est)
    if opt.line_kw:
        line_kw.update({k: float(v) for k, v in opt.line_kw.items()})
    else:
        notes.append("shift.line_power_estimated")
    seg = data.segments.reset_index(drop=True)
    t0 = idx[0]
    s_i = np.round((pd.DatetimeIndex(seg["start"]) - t0) / step).to_numpy().astype(np.int64)
    e_i = np.round((pd.DatetimeIndex(seg["end"]) - t0) / step).to_numpy().astype(np.int64)
    length = np.maximum(1, e_i - s_i)
    lines = seg["line"].to_numpy(dtype=object)
    power = np.array([max(0.0, line_kw.get(ln, 0.0)) for ln in lines])
    if any(line_kw.get(ln, 0.0) <= 0 for ln in set(lines)):
        notes.append("shift.line_power_nonpositive")
    movable = (
        (seg["movable"].to_numpy(dtype=bool) & opt.use_flag)
        | np.isin(lines, list(opt.movable_lines))
        | np.isin(seg["row"].to_numpy(), list(opt.movable_rows))
    )
    inside = (s_i >= 0) & (s_i + length <= n)
    movable &= inside & (power > 0)
    power, bounded = _bounded_power(power, movable, s_i, length, kw_old, has)
    if bounded.any():
        notes.append("shift.line_power_bounded")
    movable &= power > 0
    wall = idx.tz_localize(None) if idx.tz is not None else idx
    ym = wall.strftime("%Y-%m").to_numpy()
    if opt.months is not None:
        movable &= np.isin(ym[np.clip(s_i, 0, n - 1)], list(opt.months))

    # allowed intervals by time of day
    mod = (wall.hour * 60 + wall.minute).to_numpy()
    lo, hi = _minute(opt.earliest), _minute(opt.latest)
    allowed = (
        ((mod >= lo) & (mod + minutes <= hi)) if hi > lo else ((mod >= lo) | (mod + minutes <= hi))
    )
    day_no = (wall.normalize() - wall.normalize()[0]).days.to_numpy() if n else np.zeros(0, int)

    move_power = np.where(movable, power, 0.0)
    base_kw = kw_old - _occupancy(n, s_i, length, move_power)
    new_start = s_i.copy()
    status = "nothing_to_move" if not movable.any() else "optimal"
    if not movable.any():
        notes.append("shift.no_movable_runs")
    cap = opt.peak_cap_kw
    gap = 0.0

    cum_price = np.r_[0.0, np.cumsum(price)]
    fixed_by_line: dict[str, np.ndarray] = {}
    for ln in sorted(set(lines)):
        m = (lines == ln) & ~movable
        fixed_by_line[ln] = _occupancy(n, s_i[m], length[m], np.ones(int(m.sum()))) > 0
    run_month = month[np.clip(s_i, 0, n - 1)]
    for mo in np.unique(run_month[movable]):
        rs = np.flatnonzero(movable & (run_month == mo))
        in_m = np.flatnonzero(month == mo)
        m0, m1 = int(in_m[0]), int(in_m[-1]) + 1
        cand_r, cand_s = [], []
        for r in rs:
            L = int(length[r])
            bad = ~allowed | ~has | fixed_by_line[lines[r]]
            cbad = np.r_[0, np.cumsum(bad[m0:m1])]
            d0 = day_no[s_i[r]]
            first_day, last_day = d0 - opt.window_days, d0 + opt.window_days
            starts = np.arange(m0, m1 - L + 1)
            ok = (cbad[starts - m0 + L] - cbad[starts - m0]) == 0
            ok &= day_no[starts] >= first_day
            ok &= day_no[starts + L - 1] <= last_day  # its last interval lies on ≤ last_day
            s_ok = starts[ok]
            if s_i[r] not in set(s_ok.tolist()):
                s_ok = np.r_[s_ok, s_i[r]]
            cand_r.append(np.full(len(s_ok), r))
            cand_s.append(s_ok)
        cr = np.concatenate(cand_r)
        cs = np.concatenate(cand_s)
        nc = len(cr)
        cl = length[cr]
        cp = power[cr]
        cost = cp * h * (cum_price[cs + cl] - cum_price[cs]) + _MOVE_PENALTY_CNY * np.abs(
            cs - s_i[cr]
        )
        # coverage matrix: candidate j covers intervals cs_j … cs_j + cl_j − 1
        reps = cl.astype(np.int64)
        col = np.repeat(np.arange(nc), reps)
        offs = np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps, reps)
        row = np.repeat(cs, reps) + offs
        # one start per run
        _, run_pos = np.unique(cr, return_inverse=True)
        nv = nc + 1  # variables: x (nc) then D
        base_cons = [
            LinearConstraint(
                coo_matrix((np.ones(nc), (run_pos, np.arange(nc))), shape=(len(rs), nv)), 1, 1
            )
        ]
        # no overlap per line
        cline = lines[cr]
        for ln in sorted(set(cline)):
            jm = cline[col] == ln
            rr, cc = row[jm], col[jm]
            _, inv = np.unique(rr, return_inverse=True)
            keep = np.bincount(inv)[inv] > 1
            if keep.any():
                ur2, inv2 = np.unique(rr[keep], return_inverse=True)
                A = coo_matrix((np.ones(int(keep.sum())), (inv2, cc[keep])), shape=(len(ur2), nv))
                base_cons.append(LinearConstraint(A, -np.inf, 1))
        # cap on the intervals any candidate touches
        ur, inv = np.unique(row, return_inverse=True)
        Aw = coo_matrix((cp[col], (inv, col)), shape=(len(ur), nv)).tocsr()
        if cap is not None:
            base_cons.append(
                LinearConstraint(Aw, -np.inf, np.maximum(cap, kw_old[ur]) - base_kw[ur] + 1e-9)
            )
        paid = float((opt.demand_floor_kw or {}).get(str(ym[m0]), 0.0))
        d_floor = max(paid, float(np.max(np.where(has[m0:m1], base_kw[m0:m1], -np.inf))))
        # energy only first (fast and exact), then energy + demand; the cheaper bill wins
        attempts = [0.0] + ([float(dem_price[mo])] if dem_price[mo] > 0 else [])
        month_cost = partial(
            _month_cost, rs=rs, length=length, power=power, price=price, h=h, base_kw=base_kw,
            m0=m0, m1=m1, dem=true_dem[mo], floor_kw=paid,
        )  # fmt: skip
        best_obj = month_cost(s_i)
        best = None
        for dem in attempts:
            cons = list(base_cons)
            if dem > 0:
                Ad = (
                    Aw
                    + coo_matrix(
                        (-np.ones(len(ur)), (np.arange(len(ur)), np.full(len(ur), nc))),
                        shape=(len(ur), nv),
                    ).tocsr()
                )
                cons.append(LinearConstraint(Ad, -np.inf, -base_kw[ur]))
            res = milp(
                np.r_[cost, dem],
                constraints=cons,
                integrality=np.r_[np.ones(nc), 0],
                bounds=Bounds(
                    np.r_[np.zeros(nc), d_floor if dem > 0 else 0.0],
                    np.r_[np.ones(nc), np.inf if dem > 0 else 0.0],
                ),
                options={"time_limit": opt.time_limit_s, "mip_rel_gap": MIP_GAP},
            )
            if res.x is None:
                notes.append("shift.infeasible" if res.status == 2 else "shift.time_limit")
                status = "infeasible" if res.status == 2 and status == "optimal" else status
                if res.status != 2:
                    status = "time_limit"
                continue
            if res.status == 1:
                status = "time_limit"
                notes.append("shift.time_limit")
                gap = max(gap, float(getattr(res, "mip_gap", 0.0) or 0.0))
            chosen = res.x[:nc] > 0.5
            trial = new_start.copy()
            trial[cr[chosen]] = cs[chosen]
            # the bill (energy + demand, also when the demand charge was left out of the
            # objective) must fall: the cost never rises
            obj = month_cost(trial)
            if obj < best_obj - 1e-9:
                best_obj, best = obj, trial
        if best is not None:
            new_start[rs] = best[rs]

    moved = new_start != s_i
    # the moved runs' energy leaves their old intervals and lands on their new ones, summed
    # per interval (no running sum, so no rounding residue far from the runs): ≥ 0 by the bound
    run_kwh = move_power[moved] * h
    removed = _per_interval(n, s_i[moved], length[moved], run_kwh)
    added = _per_interval(n, new_start[moved], length[moved], run_kwh)
    new_kwh = np.where(has, (np.where(has, kwh, 0.0) - removed) + added, np.nan)
    old_bill = bill(frame, periods=periods)
    new_frame = pd.DataFrame({"kwh": new_kwh}, index=frame.index)
    new_bill = bill(new_frame, periods=periods)
    old_total, new_total = _totals(
        old_bill, new_bill, kwh, new_kwh, price, energy_price_cny_per_kwh
    )
    if opt.demand_floor_kw:  # the paid peak: only demand above it is charged (or saved)
        old_total += _floor_extra(old_bill, true_dem, opt.demand_floor_kw)
        new_total += _floor_extra(new_bill, true_dem, opt.demand_floor_kw)
    saving = old_total - new_total
    if movable.any() and not moved.any():
        notes.append("shift.no_saving")
    in_scope = np.isin(ym, list(opt.months)) if opt.months is not None else np.ones(n, dtype=bool)
    span_days = max(1, len(np.unique(day_no[in_scope & has])))

    shift_td = (new_start - s_i) * step
    sched = seg.copy()
    sched["start"] = pd.DatetimeIndex(seg["start"]) + pd.to_timedelta(shift_td)
    sched["end"] = pd.DatetimeIndex(seg["end"]) + pd.to_timedelta(shift_td)
    sched["moved"] = moved
    cum_price = np.r_[0.0, np.cumsum(price)]
    mv = np.flatnonzero(moved)
    e_run = power * length * h
    old_c = power * h * (cum_price[np.clip(s_i + length, 0, n)] - cum_price[np.clip(s_i, 0, n)])
    new_c = (
        power
        * h
        * (cum_price[np.clip(new_start + length, 0, n)] - cum_price[np.clip(new_start, 0, n)])
    )
    moves = pd.DataFrame(
        {
            "row": seg["row"].to_numpy()[mv],
            "line": lines[mv],
            "product": seg["product"].to_numpy()[mv],
            "old_start": seg["start"].to_numpy()[mv],
            "old_end": seg["end"].to_numpy()[mv],
            "new_start": sched["start"].to_numpy()[mv],
            "new_end": sched["end"].to_numpy()[mv],
            "shift_hours": (new_start - s_i)[mv] * h,
            "energy_kwh": e_run[mv],
            "old_cost_cny": old_c[mv],
            "new_cost_cny": new_c[mv],
            "saving_cny": (old_c - new_c)[mv],
        }
    )
    sel = in_scope
    tod = (wall.hour * 60 + wall.minute)[sel]
    typical = (
        pd.DataFrame(
            {
                "old_kw": np.where(has, kw_old, np.nan)[sel],
                "new_kw": (new_kwh / h)[sel],
                "minute": tod,
            }
        )
        .groupby("minute")
        .mean()
    )
    typical.index = [f"{m // 60:02d}:{m % 60:02d}" for m in typical.index]
    typical.index.name = "time"
    return ShiftResult(
        moves=moves,
        schedule=sched,
        movable_energy_kwh=float(e_run[movable].sum()),
        shifted_energy_kwh=float(e_run[moved].sum()),
        old_cost_cny=float(old_total),
        new_cost_cny=float(new_total),
        saving_cny=float(saving),
        saving_cny_per_year=float(saving * 365.0 / span_days),
        old_peak_kw=float(np.nanmax(np.where(has, kw_old, np.nan))) if has.any() else math.nan,
        new_peak_kw=float(np.nanmax(new_kwh / h)) if has.any() else math.nan,
        line_kw={k: float(v) for k, v in line_kw.items()},
        new_kwh=pd.Series(new_kwh, index=frame.index, name="kwh"),
        typical_day=typical,
        status=status,
        notes=tuple(dict.fromkeys(notes)),
        mip_gap=gap,
        priced_by=priced_by,
    )


def _totals(old_bill, new_bill, kwh, new_kwh, price, custom) -> tuple[float, float]:
    """Old and new bill [CNY]: the TOU bills, or Σ kWh × the source's price + demand charge."""
    if custom is None:
        return float(old_bill.total_cost_cny), float(new_bill.total_cost_cny)
    old_e = float(np.nansum(kwh * price))
    new_e = float(np.nansum(new_kwh * price))
    return old_e + old_bill.demand_charge_cny, new_e + new_bill.demand_charge_cny


def _floor_extra(b, dem: np.ndarray, floor_kw: Mapping[str, float]) -> float:
    """Demand charge added by the paid floors: Σ_months dem × (max(floor, peak) − peak) [CNY]
    (demand-charged months only; a capacity charge does not depend on the peak)."""
    if b.charge_basis != "demand":
        return 0.0
    m = b.monthly
    floor = np.array([float(floor_kw.get(str(x), 0.0)) for x in m["month"]])
    peak = m["max_kw"].to_numpy(dtype=float)
    return float(np.sum(dem[: len(m)] * (np.maximum(floor, peak) - peak)))


def _month_cost(start, *, rs, length, power, price, h, base_kw, m0, m1, dem, floor_kw) -> float:
    """Energy cost of runs ``rs`` at ``start`` plus the month's demand charge [CNY], the peak
    counted from ``floor_kw`` up (a peak already paid)."""
    cum = np.r_[0.0, np.cumsum(price)]
    e = float(np.sum(power[rs] * h * (cum[start[rs] + length[rs]] - cum[start[rs]])))
    if dem <= 0:
        return e
    n = len(base_kw)
    load = base_kw.copy()
    load += _occupancy(n, start[rs], length[rs], power[rs])
    return e + dem * max(floor_kw, float(np.max(load[m0:m1])))
