"""Production correlation: align a production file to the meter, metrics, clock check.

Definitions (DESIGN.md): a **production interval** is one overlapped by production runs for
at least half its length (the union of all lines' runs, so two lines running at once count
once); ``idle_energy_kwh`` is the energy in the other intervals; ``sec_kwh_per_unit`` =
energy_kwh / units. Units are spread over intervals in proportion to each run's overlap
(a run of 100 units over 1 h puts 25 in each 15-min interval).

The import lives in :mod:`analytics.iotools.production` (re-exported here); the regression in
:mod:`analytics.production.regression`; the load-shift optimiser in :mod:`analytics.production.shift`; the JSON
section in :func:`production_section` (:mod:`analytics.production_report`). No Streamlit.

Time zones: :func:`conform` puts every production timestamp in the load's zone first (aware
times converted, naive ones read as local in the file's zone ``ProductionData.tz``), so a
production file read in another zone than the load, or given with ``Z``/``+08:00`` offsets,
compares by instant and overlaps where it should; :func:`align` and
:func:`analyze_production` call it, the optimiser receives the conformed data.

Alignment is vectorised (:func:`spread`): each run gives its first and last interval their
partial share and its interior intervals a full share through a difference array — no
per-run loop, and exact for runs on the grid.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from analytics.findings import DataWarning, InputError
from analytics.iotools import PRODUCTION_WARNING_CODES as IMPORT_WARNING_CODES
from analytics.iotools import ProductionData, interval_minutes
from analytics.production.regression import energy_regression
from analytics.production.shift import ShiftOptions, optimise_shift
from analytics.tou import BASE_LOAD_PERCENTILE, PERIODS, Periods

#: Share of an interval runs must cover for it to be a production interval (DESIGN).
PRODUCTION_SHARE = 0.5
#: The schedule may start later / end earlier than the meter by this many days unwarned
#: (a holiday week at either end of a year is normal).
SPAN_TOLERANCE_DAYS = 7
#: Largest lag the clock check tries [h].
MAX_LAG_HOURS = 2.0
#: Percentile of interval power taken as base load (DESIGN: 5th).
BASE_PERCENTILE = BASE_LOAD_PERCENTILE  # the same base-load definition as analytics.tou.stats

#: Every warning code of this module (i18n ``warning.<code>``).
WARNING_CODES: tuple[str, ...] = (
    *IMPORT_WARNING_CODES, "production.span_mismatch", "production.off_grid",
    "production.no_overlap", "production.clock_offset",
)  # fmt: skip
_EPS = 1e-9


@dataclass(frozen=True, eq=False)
class Alignment:
    """A production file aligned to a canonical frame's intervals.

    Attributes
    ----------
    coverage : Series
        Share of each interval covered by the union of all runs [0–1].
    production : Series of bool
        ``coverage ≥ 0.5`` (DESIGN's production interval).
    units : Series
        Units per interval, pro-rated by run overlap [units].
    line_units : DataFrame
        Units per interval and line [units].
    line_active : DataFrame
        Share of each interval covered by each line's runs (union per line) [0–1].
    line_kwh : DataFrame or None
        Energy per interval and line from a state log's power column [kWh].
    units_outside : float
        Units of runs (parts) outside the meter's span [units].
    interval_minutes : int
    warnings : list of DataWarning
    """

    coverage: pd.Series
    production: pd.Series
    units: pd.Series
    line_units: pd.DataFrame
    line_active: pd.DataFrame
    line_kwh: pd.DataFrame | None
    units_outside: float
    interval_minutes: int
    warnings: list[DataWarning] = field(default_factory=list)


def _in_zone(
    values: pd.Series, zone, naive_tz: str, *, file: str, column: str, rows: np.ndarray
) -> pd.DatetimeIndex:
    """Timestamps → a DatetimeIndex in ``zone`` (None = naive wall clock of ``naive_tz``).

    Aware values are converted (mixed offsets too, element by element); naive ones are local
    in ``naive_tz``. A naive time that does not exist once there (a DST gap or fold) raises
    ``production.bad_timestamp`` naming its row.
    """
    col = pd.Series(values).reset_index(drop=True)
    if isinstance(col.dtype, pd.DatetimeTZDtype):
        ix = pd.DatetimeIndex(col)
    elif col.dtype.kind == "M" or not len(col):
        ix = pd.DatetimeIndex(col).tz_localize(naive_tz, ambiguous="NaT", nonexistent="NaT")
    else:  # object: Timestamps with several zones, or aware and naive mixed
        ts = [pd.Timestamp(v) for v in col]
        ix = pd.DatetimeIndex(
            [
                t
                if pd.isna(t)
                else (
                    t.tz_localize(naive_tz, ambiguous="NaT", nonexistent="NaT")
                    if t.tzinfo is None
                    else t
                ).tz_convert("UTC")
                for t in ts
            ]
        )
        ix = pd.DatetimeIndex(ix, tz="UTC") if not len(ix) else ix
    bad = np.asarray(ix.isna())
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            "production.bad_timestamp",
            file=file,
            row=int(rows[i]) if i < len(rows) else None,
            column=column,
            expected="a local time that exists once (daylight saving)",
            text=str(col.iloc[i]),
        )
    if ix.tz is None:  # only when empty and naive
        ix = ix.tz_localize(naive_tz)
    if zone is None:
        return ix.tz_convert(naive_tz).tz_localize(None)
    return ix.tz_convert(zone)


def conform(frame: pd.DataFrame, data: ProductionData) -> ProductionData:
    """``data`` with every timestamp in the zone of ``frame``'s index (see module docstring).

    Segments' ``start``/``end`` and ``line_kwh``'s become tz-aware in the load's zone
    (naive production times are local in ``data.tz``); ``data.tz`` becomes the load's zone.
    Returns ``data`` itself when nothing changes; inputs are never modified.
    """
    zone = pd.DatetimeIndex(frame.index).tz
    seg = data.segments
    target = None if zone is None else str(zone)

    def same(col: pd.Series) -> bool:
        return isinstance(col.dtype, pd.DatetimeTZDtype) and str(col.dt.tz) == target

    lk = data.line_kwh
    if (
        all(same(seg[c]) for c in ("start", "end"))
        and (lk is None or all(same(lk[c]) for c in ("start", "end")))
        and data.tz == target
    ):
        return data
    rows = seg["row"].to_numpy() if "row" in seg else np.arange(2, len(seg) + 2)
    new_seg = seg.copy()
    for c in ("start", "end"):
        ix = _in_zone(seg[c], zone, data.tz, file=data.file_name, column=c, rows=rows)
        new_seg[c] = ix.to_numpy() if zone is None else ix
    new_lk = lk
    if lk is not None:
        new_lk = lk.copy()
        lrows = np.arange(2, len(lk) + 2)
        for c in ("start", "end"):
            ix = _in_zone(lk[c], zone, data.tz, file=data.file_name, column=c, rows=lrows)
            new_lk[c] = ix.to_numpy() if zone is None else ix
    return replace(data, segments=new_seg, line_kwh=new_lk, tz=target or data.tz)


def _seconds(ts: pd.Series | pd.DatetimeIndex, t0: pd.Timestamp) -> np.ndarray:
    return ((pd.DatetimeIndex(ts) - t0) / pd.Timedelta(seconds=1)).to_numpy(dtype=float)


def spread(
    n: int, step: float, s: np.ndarray, e: np.ndarray, amount: np.ndarray | None = None
) -> np.ndarray:
    """Spread each window ``[s, e)`` over ``n`` intervals of ``step`` seconds from 0.

    Returns, per interval, Σ over windows of ``amount × overlap / (e − s)``, or the overlap
    itself [s] when ``amount`` is None. Windows may reach outside ``[0, n·step)``; only the
    part inside counts. Interior intervals get ``amount × step / (e − s)`` through a
    difference array, the first and last touched interval their partial share, so
    windows on the grid with whole-number amounts per interval are spread exactly.
    """
    out = np.zeros(n)
    if not len(s) or n == 0:
        return out
    s = np.asarray(s, dtype=float)
    e = np.asarray(e, dtype=float)
    dur = e - s
    amt = dur if amount is None else np.asarray(amount, dtype=float)
    i0 = np.floor(s / step).astype(np.int64)
    i1 = np.ceil(e / step).astype(np.int64) - 1  # last interval touched
    single = i0 == i1
    # windows inside one interval
    ok = single & (i0 >= 0) & (i0 < n)
    np.add.at(out, i0[ok], amt[ok])
    multi = ~single
    first_share = amt * (((i0 + 1) * step - s) / dur)
    last_share = amt * ((e - i1 * step) / dur)
    ok = multi & (i0 >= 0) & (i0 < n)
    np.add.at(out, i0[ok], first_share[ok])
    ok = multi & (i1 >= 0) & (i1 < n)
    np.add.at(out, i1[ok], last_share[ok])
    # interior intervals i0+1 … i1−1 through a difference array
    full = step if amount is None else None
    per = np.full(len(s), step) if full is not None else amt * step / dur
    a = np.clip(i0 + 1, 0, n)
    b = np.clip(i1, 0, n)
    ok = multi & (b > a)
    diff = np.zeros(n + 1)
    np.add.at(diff, a[ok], per[ok])
    np.add.at(diff, b[ok], -per[ok])
    out += np.cumsum(diff[:-1])
    return out


def _union(s: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Merge ``[s, e)`` windows into disjoint ones."""
    if not len(s):
        return s, e
    order = np.argsort(s, kind="stable")
    s, e = s[order], e[order]
    run_end = np.maximum.accumulate(e)
    new = np.r_[True, s[1:] > run_end[:-1]]
    starts = s[new]
    ends = np.maximum.reduceat(e, np.flatnonzero(new))
    return starts, ends


def align(
    frame: pd.DataFrame, data: ProductionData, *, span_tolerance_days: int = SPAN_TOLERANCE_DAYS
) -> Alignment:
    """Align production segments to a canonical frame.

    Parameters
    ----------
    frame : DataFrame
        Canonical frame (tz-aware interval-start index, ``kwh`` [kWh]).
    data : ProductionData
        From :func:`read_production`.
    span_tolerance_days : int
        Days the schedule may start later or end earlier than the meter without the
        warning ``production.span_mismatch``.

    Returns
    -------
    Alignment

    Notes
    -----
    Warnings: ``production.span_mismatch`` (runs outside the meter's span, or the schedule
    starting > tolerance after / ending > tolerance before the meter), ``production.off_grid``
    (run boundaries off the meter's interval grid: pro-rated), ``production.no_overlap``
    (no run overlaps any metered interval).
    """
    idx = pd.DatetimeIndex(frame.index)
    minutes = interval_minutes(frame)
    step = minutes * 60.0
    n = len(idx)
    t0 = idx[0]
    data = conform(frame, data)
    seg = data.segments
    s = _seconds(seg["start"], t0)
    e = _seconds(seg["end"], t0)
    u = seg["units"].to_numpy(dtype=float)
    lines = data.lines
    line_arr = seg["line"].to_numpy(dtype=object)
    line_units = np.zeros((n, len(lines)))
    line_active = np.zeros((n, len(lines)))
    for j, ln in enumerate(lines):
        m = line_arr == ln
        line_units[:, j] = spread(n, step, s[m], e[m], u[m])
        us, ue = _union(s[m], e[m])
        line_active[:, j] = spread(n, step, us, ue) / step
    us, ue = _union(s, e)
    coverage = np.clip(spread(n, step, us, ue) / step, 0.0, 1.0)
    line_units = np.where(np.abs(line_units) < 1e-9, 0.0, line_units)
    line_active = np.clip(line_active, 0.0, 1.0)
    units_total = line_units.sum(axis=1)

    warnings: list[DataWarning] = []
    meter_end_s = n * step
    outside = (s < 0) | (e > meter_end_s)
    inside_units = units_total.sum()
    units_outside = float(max(0.0, u.sum() - inside_units))
    rows = seg["row"].to_numpy()
    day = 86_400.0
    late_start = (np.floor(s.min() / day) * day if len(s) else 0.0) > span_tolerance_days * day
    early_end = (
        meter_end_s - (np.ceil(e.max() / day) * day if len(e) else 0.0)
    ) > span_tolerance_days * day
    if outside.any() or late_start or early_end:
        warnings.append(
            DataWarning(
                "production.span_mismatch",
                count=int(outside.sum()),
                first_rows=tuple(int(r) for r in rows[outside][:5]),
                params={
                    "meter_start": idx[0].strftime("%Y-%m-%d"),
                    "meter_end": (idx[-1] + pd.Timedelta(minutes=minutes)).strftime(
                        "%Y-%m-%d %H:%M"
                    ),
                    "schedule_start": data.start.strftime("%Y-%m-%d") if len(seg) else "",
                    "schedule_end": data.end.strftime("%Y-%m-%d %H:%M") if len(seg) else "",
                    "units_outside": round(units_outside, 3),
                },
            )
        )
    off = (np.abs(np.remainder(s, step)) > _EPS) | (np.abs(np.remainder(e, step)) > _EPS)
    if off.any():
        warnings.append(
            DataWarning(
                "production.off_grid",
                count=int(off.sum()),
                first_rows=tuple(int(r) for r in rows[off][:5]),
                params={"interval_minutes": minutes},
            )
        )
    if len(seg) and not (coverage > 0).any():
        warnings.append(DataWarning("production.no_overlap", count=len(seg)))

    line_kwh = None
    if data.line_kwh is not None:
        lk = data.line_kwh
        ls, le = _seconds(lk["start"], t0), _seconds(lk["end"], t0)
        lkwh = lk["kwh"].to_numpy(dtype=float)
        larr = lk["line"].to_numpy(dtype=object)
        klines = sorted(set(larr))
        mat = np.column_stack(
            [spread(n, step, ls[larr == ln], le[larr == ln], lkwh[larr == ln]) for ln in klines]
        )
        line_kwh = pd.DataFrame(mat, index=idx, columns=klines)

    prod = coverage >= PRODUCTION_SHARE - _EPS
    return Alignment(
        coverage=pd.Series(coverage, index=idx, name="coverage"),
        production=pd.Series(prod, index=idx, name="production"),
        units=pd.Series(units_total, index=idx, name="units"),
        line_units=pd.DataFrame(line_units, index=idx, columns=lines),
        line_active=pd.DataFrame(line_active, index=idx, columns=lines),
        line_kwh=line_kwh,
        units_outside=units_outside,
        interval_minutes=minutes,
        warnings=warnings,
    )


@dataclass(frozen=True, eq=False)
class ProductionMetrics:
    """Headline production figures (intervals with meter data only).

    Attributes
    ----------
    units : float
        Units made in metered intervals (pro-rated) [units].
    energy_kwh : float
        Σ kwh over intervals present [kWh].
    sec_kwh_per_unit : float
        energy_kwh / units [kWh/unit]; NaN without units.
    idle_energy_kwh, production_energy_kwh : float
        Energy in non-production / production intervals [kWh].
    idle_share : float
        idle_energy_kwh / energy_kwh [0–1].
    production_hours, idle_hours : float
        Metered hours in production / idle intervals [h].
    energy_by_period_kwh, hours_by_period : dict
        Production energy [kWh] and production hours [h] per TOU period (all five keys).
    idle_energy_by_period_kwh : dict
        Idle energy per TOU period [kWh].
    base_load_idle_kw, base_load_production_kw : float
        5th percentile of interval power in idle / production intervals [kW].
    mean_kw_idle, mean_kw_production : float
        Mean interval power in idle / production intervals [kW].
    lines : DataFrame
        Per line: ``line, runs, units, active_hours, energy_kwh, sec_kwh_per_unit``
        (energy and SEC only where per-line power was measured, else NaN).
    """

    units: float
    energy_kwh: float
    sec_kwh_per_unit: float
    idle_energy_kwh: float
    idle_share: float
    production_energy_kwh: float
    production_hours: float
    idle_hours: float
    energy_by_period_kwh: dict[str, float]
    hours_by_period: dict[str, float]
    idle_energy_by_period_kwh: dict[str, float]
    base_load_idle_kw: float
    base_load_production_kw: float
    mean_kw_idle: float
    mean_kw_production: float
    lines: pd.DataFrame = field(repr=False)


def _pct(x: np.ndarray) -> float:
    return float(np.percentile(x, BASE_PERCENTILE)) if len(x) else math.nan


def production_metrics(
    frame: pd.DataFrame, alignment: Alignment, period: pd.Series, data: ProductionData | None = None
) -> ProductionMetrics:
    """Units, SEC, idle energy, production energy by TOU period, base loads.

    Parameters
    ----------
    frame : DataFrame
        Canonical frame (``kwh`` [kWh], NaN = missing).
    alignment : Alignment
        From :func:`align` on the same frame.
    period : Series
        TOU period name per interval (:func:`analytics.tou.classify` of ``frame.index``).
    data : ProductionData, optional
        For the run count per line.

    Notes
    -----
    Only intervals with data count: ``units = Σ_{i present} units_i``,
    ``sec = Σ kwh_i / units``, ``idle = Σ_{i present, not production} kwh_i``,
    ``base_load_* = P5(kwh_i / h)`` over idle / production intervals.
    """
    kwh = frame["kwh"].to_numpy(dtype=float)
    present = ~np.isnan(kwh)
    h = alignment.interval_minutes / 60.0
    prod = alignment.production.to_numpy() & present
    idle = ~alignment.production.to_numpy() & present
    units = float(alignment.units.to_numpy()[present].sum())
    energy = float(kwh[present].sum())
    idle_e = float(kwh[idle].sum())
    prod_e = float(kwh[prod].sum())
    per = pd.Categorical(period, categories=list(PERIODS)).codes
    np_ = len(PERIODS)
    e_per = np.bincount(per[prod], weights=kwh[prod], minlength=np_)
    h_per = np.bincount(per[prod], minlength=np_) * h
    i_per = np.bincount(per[idle], weights=kwh[idle], minlength=np_)
    kw = kwh / h
    rows = []
    counts = data.segments["line"].value_counts() if data is not None else pd.Series(dtype=int)
    for ln in alignment.line_units.columns:
        lu = float(alignment.line_units[ln].to_numpy()[present].sum())
        active = float(alignment.line_active[ln].to_numpy()[present].sum() * h)
        le = math.nan
        if alignment.line_kwh is not None and ln in alignment.line_kwh.columns:
            le = float(alignment.line_kwh[ln].to_numpy()[present].sum())
        rows.append(
            {
                "line": ln,
                "runs": int(counts.get(ln, 0)),
                "units": lu,
                "active_hours": active,
                "energy_kwh": le,
                "sec_kwh_per_unit": le / lu if lu > 0 else math.nan,
            }
        )
    lines = pd.DataFrame(
        rows, columns=["line", "runs", "units", "active_hours", "energy_kwh", "sec_kwh_per_unit"]
    )
    return ProductionMetrics(
        units=units,
        energy_kwh=energy,
        sec_kwh_per_unit=energy / units if units > 0 else math.nan,
        idle_energy_kwh=idle_e,
        idle_share=idle_e / energy if energy > 0 else math.nan,
        production_energy_kwh=prod_e,
        production_hours=float(prod.sum() * h),
        idle_hours=float(idle.sum() * h),
        energy_by_period_kwh={p: float(e_per[k]) for k, p in enumerate(PERIODS)},
        hours_by_period={p: float(h_per[k]) for k, p in enumerate(PERIODS)},
        idle_energy_by_period_kwh={p: float(i_per[k]) for k, p in enumerate(PERIODS)},
        base_load_idle_kw=_pct(kw[idle]),
        base_load_production_kw=_pct(kw[prod]),
        mean_kw_idle=float(kw[idle].mean()) if idle.any() else math.nan,
        mean_kw_production=float(kw[prod].mean()) if prod.any() else math.nan,
        lines=lines,
    )


@dataclass(frozen=True, eq=False)
class ClockCheck:
    """Lag between the production signal and the load.

    Attributes
    ----------
    best_lag_minutes : int
        Shift to add to the schedule's times so that it lines up best with the load
        (> 0: the load follows the schedule late; the schedule's clock runs early) [min].
    correlation : Series
        Pearson correlation of load and shifted signal per lag [min].
    warning : DataWarning or None
        ``production.clock_offset`` when the best lag is not 0.
    """

    best_lag_minutes: int
    correlation: pd.Series
    warning: DataWarning | None


def clock_check(
    frame: pd.DataFrame, alignment: Alignment, *, max_lag_hours: float = MAX_LAG_HOURS
) -> ClockCheck:
    """Best lag within ±``max_lag_hours`` between the production signal and the load.

    The signal is the number of active lines per interval (Σ line coverage); the load is
    ``kwh``. For each lag L (whole intervals), the signal shifted L later is correlated with
    the load over the intervals both have; the best lag maximises the correlation (ties go to
    the smallest |L|). ``production.clock_offset`` is warned when it is not 0.
    """
    y = frame["kwh"].to_numpy(dtype=float)
    x = alignment.line_active.sum(axis=1).to_numpy(dtype=float)
    minutes = alignment.interval_minutes
    k = int(max_lag_hours * 60 // minutes)
    lags = np.arange(-k, k + 1)
    corr = np.full(len(lags), np.nan)
    n = len(y)
    for j, L in enumerate(lags):
        if L >= 0:
            a, b = x[: n - L], y[L:]
        else:
            a, b = x[-L:], y[: n + L]
        ok = ~np.isnan(b)
        a, b = a[ok], b[ok]
        if len(a) > 2 and a.std() > 0 and b.std() > 0:
            corr[j] = float(np.corrcoef(a, b)[0, 1])
    series = pd.Series(corr, index=lags * minutes, name="correlation")
    series.index.name = "lag_minutes"
    if np.all(np.isnan(corr)):
        return ClockCheck(0, series, None)
    best = float(np.nanmax(corr))
    cands = lags[np.isclose(corr, best, rtol=0, atol=1e-12)]
    lag = int(cands[np.argmin(np.abs(cands))]) * minutes
    warning = None
    if lag != 0:
        at0 = corr[k]
        warning = DataWarning(
            "production.clock_offset",
            count=1,
            params={
                "minutes": lag,
                "correlation": round(best, 3),
                "correlation_at_zero": None if np.isnan(at0) else round(float(at0), 3),
            },
        )
    return ClockCheck(lag, series, warning)


# --------------------------------------------------------------------------- one analysis
@dataclass(frozen=True, eq=False)
class ProductionAnalysis:
    """Everything the page and the CLI show for one production file.

    ``shift`` is None when the scenario was not asked for (``shift_options=None``).
    ``warnings`` = import + alignment + clock-check findings (render as ``warning.<code>``).
    """

    data: ProductionData
    alignment: Alignment
    metrics: ProductionMetrics
    regression: object  # analytics.production.regression.RegressionResult
    clock: ClockCheck
    shift: object | None  # analytics.production.shift.ShiftResult
    warnings: list[DataWarning]


def analyze_production(
    frame: pd.DataFrame,
    data: ProductionData,
    *,
    periods: Periods,
    import_warnings: list[DataWarning] | None = None,
    granularity: str = "day",
    second: str | None = None,
    temperature_c: pd.Series | None = None,
    shift_options=None,
    run_shift: bool = True,
    shift_prices: tuple[np.ndarray, str] | None = None,
) -> ProductionAnalysis:
    """Align, measure, regress, check the clock and (optionally) optimise the shift.

    Parameters
    ----------
    frame : DataFrame
        Canonical load frame.
    data : ProductionData
        From :func:`read_production`.
    periods : Periods
        The TOU classification of ``frame.index`` (:func:`analytics.tou.classify_periods`,
        computed once per analysis): production energy by period and the shift's prices.
    import_warnings : list of DataWarning, optional
        The reader's findings (``report.warnings`` of :func:`read_production`).
    granularity, second, temperature_c
        Of the regression (:func:`analytics.production.regression.energy_regression`).
    shift_options : ShiftOptions, optional
        Of the load-shift scenario (default :class:`~analytics.production.shift.ShiftOptions`).
    run_shift : bool
        Skip the optimiser when False.
    shift_prices : (ndarray, str), optional
        Energy price per interval of the chosen price source [CNY/kWh] and its kind: the
        shift is priced by it (default: the TOU prices of ``periods``).
    """
    data = conform(frame, data)
    a = align(frame, data)
    period = periods.series()
    metrics = production_metrics(frame, a, period, data)
    span = (data.start, data.end) if len(data.segments) else None
    reg = energy_regression(
        frame,
        a,
        granularity=granularity,
        second=second,
        temperature_c=temperature_c,
        schedule_span=span,
    )
    clock = clock_check(frame, a)
    shift = (
        optimise_shift(
            frame,
            data,
            a,
            periods,
            shift_options or ShiftOptions(),
            **(
                {"energy_price_cny_per_kwh": shift_prices[0], "priced_by": shift_prices[1]}
                if shift_prices is not None
                else {}
            ),
        )
        if run_shift
        else None
    )
    warnings = [*(import_warnings or []), *a.warnings]
    if clock.warning is not None:
        warnings.append(clock.warning)
    return ProductionAnalysis(data, a, metrics, reg, clock, shift, warnings)


def _num(x: float | None) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def _iso(ts) -> str:
    return pd.Timestamp(ts).isoformat()


def production_section(result: ProductionAnalysis) -> dict:
    """The ``production`` section of the analysis JSON (DESIGN), plain JSON types.

    NaN becomes ``None``; ``notes`` are codes (i18n ``note.<code>``); each move is
    ``{row, line, product, old_start, old_end, new_start, new_end, shift_hours, energy_kwh,
    saving_cny}`` with ISO 8601 times carrying the site's offset.
    """
    m = result.metrics
    r = result.regression
    sh = result.shift
    moves = []
    if sh is not None:
        for mv in sh.moves.itertuples(index=False):
            moves.append(
                {
                    "row": int(mv.row),
                    "line": str(mv.line),
                    "product": str(mv.product),
                    "old_start": _iso(mv.old_start),
                    "old_end": _iso(mv.old_end),
                    "new_start": _iso(mv.new_start),
                    "new_end": _iso(mv.new_end),
                    "shift_hours": float(mv.shift_hours),
                    "energy_kwh": float(mv.energy_kwh),
                    "saving_cny": float(mv.saving_cny),
                }
            )
    return {
        "units": float(m.units),
        "sec_kwh_per_unit": _num(m.sec_kwh_per_unit),
        "idle_energy_kwh": float(m.idle_energy_kwh),
        "idle_share": _num(m.idle_share),
        "energy_by_period_kwh": {p: float(m.energy_by_period_kwh[p]) for p in PERIODS},
        "regression": {
            "granularity": r.granularity,
            "intercept_kwh": _num(r.intercept_kwh),
            "slope_kwh_per_unit": _num(r.slope_kwh_per_unit),
            "r2": _num(r.r2),
            "p_value": _num(r.p_value),
            "cv_rmse": _num(r.cv_rmse),
            "n": int(r.n),
            "valid": bool(r.valid),
            "notes": list(r.notes),
        },
        "shift": {
            # None when the scenario was not run (CLI --no-shift, screens): not a zero saving
            "shiftable_energy_kwh": float(sh.shifted_energy_kwh) if sh is not None else None,
            "saving_cny": float(sh.saving_cny) if sh is not None else None,
            "moves": moves,
            # the price source, the solver's status and its proven MIP gap (None: not run)
            "priced_by": sh.priced_by if sh is not None else None,
            "status": sh.status if sh is not None else None,
            "mip_gap": float(sh.mip_gap) if sh is not None else None,
        },
    }
