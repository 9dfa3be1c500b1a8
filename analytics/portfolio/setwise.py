"""The set-wise screen: many enterprises at once, the same row as the single-enterprise path.

:func:`analytics.portfolio.rows.analyse_inputs` screens one enterprise through
:func:`analytics.analysis.analyze` (≈ 60–120 ms an enterprise-year, most of it per-enterprise
overhead: a canonical frame, a calendar classification, two bills, pandas objects). This
module computes the same figures for a batch of enterprises with numpy alone and hands
each enterprise's figures to the one row definition, :func:`analytics.portfolio.rows.screen_row`
(the same JSON keys the analysis writes), so both executions share every derived column.

How a batch is computed
-----------------------
* Enterprises are grouped by (tariff, site tz, interval minutes, grid phase). A group's **grid**
  runs from its earliest to its latest stored interval start; it is classified **once** per
  tariff version set (:func:`analytics.tou.classify_periods`, cached per process), so a
  calendar year is classified once per tariff, not once per enterprise.
* Each enterprise is a row of a matrix ``K`` (enterprises × grid slots, kWh, NaN = no data);
  its canonical frame is the row's slice from its first to its last stored interval.
* Per row, over its slice: energy, peak, load factor; energy and cost by TOU period
  (``bincount`` over the grid's period codes and prices); monthly maximum demand (``fmax.reduceat`` over the grid's months) priced by
  the version in force on the month's first date present, or contracted kVA × capacity price;
  the PV balance (PV on the same grid), hourly matching (``add.reduceat`` over the grid's
  local clock hours), green purchase, certificates, CO2, the Green Temperature
  (:func:`analytics.green.temperature_score`) and the stage (:func:`analytics.stage.assess`).
* Findings are the single path's, by code: the stored import reports, ``tou.*`` of the bill
  (outside validity, illustrative prices, capacity/contracted kVA, calendar), ``pv.*`` of the
  alignment, ``green.*`` of the balance and the factor choice, and the production findings.
* Production sites (stored runs) take their ``production`` figures from the production
  module's own functions (:func:`analytics.production.align`,
  :func:`~analytics.production.production_metrics`, :func:`~analytics.production.clock_check`)
  on the row's frame and the grid's periods; the regression (not in the screen) is skipped.
* An enterprise the matrix cannot hold (PV on another interval or off the load's grid) goes
  through :func:`analytics.portfolio.rows.analyse_inputs` itself.

Each row's sums are the single path's numpy reductions over the same values in the same order,
so the two executions give identical floats (``tests/portfolio/test_setwise.py`` checks every
column of a mixed portfolio for equality).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analytics.findings import DataWarning
from analytics.green import (
    co2_location_t,
    co2_market_t,
    default_prices,
    gec_count,
    green_purchase_kwh,
    select_factors,
    temperature_score,
)
from analytics.iotools import INDEX_NAME
from analytics.portfolio.ingestion import default_workers, ordered
from analytics.portfolio.rows import (
    EnterpriseInputs,
    analyse_inputs,
    error_row,
    finalize,
    screen_row,
)
from analytics.portfolio.store import (
    Enterprise,
    SeriesMeta,
    Workspace,
    build_series,
    span_report,
)
from analytics.production import align, clock_check, production_metrics
from analytics.stage import Indicators, Questionnaire, assess
from analytics.tou import (
    PERIODS,
    Periods,
    classify_periods,
    default_tariffs_for,
    outside_peak_share,
    resolve_tariff,
)

_US_MIN = 60_000_000
_US_HOUR = 3_600_000_000
_NP = len(PERIODS)

#: Enterprises per batch (a 15-min year: 128 × 35,040 × 8 B ≈ 36 MB per matrix).
BATCH = 128

#: Progress callback: (enterprises done, enterprises in all).
Progress = Callable[[int, int], None]


# --------------------------------------------------------------------------- the grid


@dataclass(frozen=True, eq=False)
class Grid:
    """One group's grid of interval starts and its TOU classification (computed once).

    ``ver`` (version index), ``covered`` and ``year`` are per slot; ``month_starts`` and
    ``month_starts`` are the slots where a local calendar month begins; ``hour_key`` is the
    UTC instant [µs] of each slot's local clock hour (a DST fold keeps its two hours apart).
    """

    index: pd.DatetimeIndex
    periods: Periods
    ver: np.ndarray
    covered: np.ndarray
    year: np.ndarray
    month_starts: np.ndarray
    hour_key: np.ndarray
    unofficial: tuple[tuple[str, frozenset[int]], ...]  # calendar findings: (code, years)


def _tariffs(tariff: str | None, index: pd.DatetimeIndex) -> list[Any]:
    """The versions :func:`analytics.portfolio.rows.analyse_enterprise` prices with: the
    enterprise's preset, else the default family's versions in force on the grid's dates
    (a superset of each row's, which picks per date exactly as its own subset would)."""
    if tariff:
        return [resolve_tariff(tariff)]
    return default_tariffs_for(pd.DataFrame(index=index))


@lru_cache(maxsize=32)
def grid(tariff: str | None, tz: str, minutes: int, start_us: int, slots: int) -> Grid:
    """The classified grid of ``slots`` interval starts from ``start_us`` (epoch µs)."""
    us = start_us + np.arange(slots, dtype=np.int64) * minutes * _US_MIN
    index = pd.DatetimeIndex(pd.to_datetime(us, unit="us", utc=True)).tz_convert(tz)
    index = pd.DatetimeIndex(index.as_unit("ns"), freq=f"{minutes}min", name=INDEX_NAME)
    periods = classify_periods(index, _tariffs(tariff, index))
    days = periods.days
    ver = periods.version_of_day[days.inv]
    wall = index.tz_localize(None).as_unit("ns").asi8 // 1000  # local wall clock [µs]
    month = days.year[days.inv] * 12 + days.month0[days.inv]
    hour_key = us - wall % _US_HOUR  # UTC instant of the local clock hour's start
    unofficial = tuple(
        (w.code, frozenset(int(y) for y in str(w.params.get("years", "")).split(", ") if y))
        for w in periods.warnings
    )
    return Grid(
        index=index,
        periods=periods,
        ver=ver,
        covered=periods.covered[days.inv],
        year=days.year[days.inv],
        month_starts=np.flatnonzero(np.r_[True, month[1:] != month[:-1]]),
        hour_key=hour_key,
        unofficial=unofficial,
    )


# --------------------------------------------------------------------------- one batch


@dataclass
class _Member:
    """One enterprise of a group: its slice ``[a, b)`` of the grid and what it brings."""

    ent: Enterprise
    meta: SeriesMeta
    us: np.ndarray
    kwh: np.ndarray
    a: int
    b: int
    pv: tuple[np.ndarray, np.ndarray] | None
    pv_meta: SeriesMeta | None
    production: Any


def _month_charges(
    g: Grid, m: list[_Member], mmax: np.ndarray
) -> tuple[np.ndarray, list[list[str]]]:
    """Demand/capacity charge per row [CNY] and its ``tou.*`` findings (as ``bill``)."""
    versions = g.periods.versions
    dem = np.array([np.nan if t.demand_cny_per_kw_month is None else t.demand_cny_per_kw_month
                    for t in versions])  # fmt: skip
    cap = np.array([np.nan if t.capacity_cny_per_kva_month is None
                    else t.capacity_cny_per_kva_month for t in versions])  # fmt: skip
    ms = g.month_starts
    me = np.r_[ms[1:], len(g.index)]
    out = np.zeros(len(m))
    codes: list[list[str]] = []
    for r, mem in enumerate(m):
        present = (me > mem.a) & (ms < mem.b)
        v = g.ver[np.maximum(ms[present], mem.a)]
        d, c, mx = dem[v], cap[v], mmax[r, present]
        kva = mem.ent.contracted_kva
        found = []
        if kva is not None:
            if np.isnan(c).any():
                found.append("tou.capacity_price_missing")
            charge = np.where(~np.isnan(c), kva * np.nan_to_num(c), np.nan_to_num(mx * d))
        else:
            charge = np.nan_to_num(mx * d)
            if (np.isnan(d) & ~np.isnan(c)).any():
                found.append("tou.contracted_kva_missing")
        out[r] = charge.sum()
        codes.append(found)
    return out, codes


def _tou_findings(g: Grid, mem: _Member, used: list[int]) -> list[str]:
    """``tou.outside_validity``, ``tou.illustrative_prices`` and calendar findings of a row."""
    sl = slice(mem.a, mem.b)
    found = []
    if not g.covered[sl].all():
        found.append("tou.outside_validity")
    if any(g.periods.versions[v].illustrative for v in used):
        found.append("tou.illustrative_prices")
    if g.unofficial:
        years = set(np.unique(g.year[sl]).tolist())
        found += [code for code, ys in g.unofficial if years & ys]
    return found


def _pv_matrix(g: Grid, m: list[_Member], start_us: int, step_us: int) -> tuple[np.ndarray, list]:
    """PV on the load's grid slices (0 elsewhere; NaN where PV is missing inside a row's slice
    is 0 too) and each row's ``pv.*`` alignment findings (as :func:`analytics.green.align_pv`)."""
    n = len(g.index)
    pv = np.zeros((len(m), n))
    codes: list[list[str]] = []
    for r, mem in enumerate(m):
        if mem.pv is None:
            codes.append([])
            continue
        us, kwh = mem.pv
        pos = (us - start_us) // step_us
        keep = (pos >= mem.a) & (pos < mem.b)
        pv[r, pos[keep]] = kwh[keep]
        lo = max(mem.a, int(math.ceil((us[0] - start_us) / step_us)))
        hi = min(mem.b - 1, int((us[-1] - start_us) // step_us))
        inside = max(0, hi - lo + 1)
        found = []
        if (mem.b - mem.a) - inside:
            found.append("pv.not_covering")
        if inside - int(keep.sum()):
            found.append("pv.missing_intervals")
        codes.append(found)
    return np.clip(pv, 0.0, None), codes


@lru_cache(maxsize=64)
def _factors(data_year: int) -> tuple[Any, Any, tuple[DataWarning, ...]]:
    avg, res, fw = select_factors(None, "national", data_year=data_year)
    return avg, res, tuple(fw)


def _production(g: Grid, mem: _Member, k_row: np.ndarray) -> tuple[dict[str, Any], list[str]]:
    """The screen's production figures of a row from the production module's functions."""
    idx = g.index[mem.a : mem.b]
    frame = pd.DataFrame({"kwh": k_row[mem.a : mem.b]}, index=idx)
    period = pd.Series(
        pd.Categorical.from_codes(g.periods.codes[mem.a : mem.b], categories=list(PERIODS)),
        index=idx,
        name="period",
    )
    a = align(frame, mem.production)
    metrics = production_metrics(frame, a, period, mem.production)
    clock = clock_check(frame, a)
    codes = [w.code for w in a.warnings] + ([clock.warning.code] if clock.warning else [])

    def num(x: float) -> float | None:
        return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)

    return {
        "sec_kwh_per_unit": num(metrics.sec_kwh_per_unit),
        "idle_share": num(metrics.idle_share),
        "shift": {"saving_cny": None},
    }, codes


def _stored_codes(meta: SeriesMeta | None) -> list[str]:
    if meta is None:
        return []
    return [w["code"] for r in meta.reports for w in r.get("warnings", [])]


def _group_rows(
    key: tuple[str | None, str, int],
    m: list[_Member],
    target_share: float,
) -> list[dict[str, Any]]:
    """Screen rows of one group (same tariff, tz, interval, grid phase)."""
    tariff, tz, minutes = key
    step = minutes * _US_MIN
    start_us = min(int(mem.us[0]) for mem in m)
    slots = (max(int(mem.us[-1]) for mem in m) - start_us) // step + 1
    g = grid(tariff, tz, minutes, start_us, int(slots))
    hours = minutes / 60.0
    n = len(g.index)
    k = np.full((len(m), n), np.nan)
    for r, mem in enumerate(m):
        pos = (mem.us - start_us) // step
        mem.a, mem.b = int(pos[0]), int(pos[-1]) + 1
        k[r, pos] = mem.kwh
    with np.errstate(invalid="ignore"):
        mmax = np.fmax.reduceat(k / hours, g.month_starts, axis=1)
    charge, charge_codes = _month_charges(g, m, mmax)
    pv, pv_codes = _pv_matrix(g, m, start_us, step)
    prices = default_prices()
    rows = []
    for r, mem in enumerate(m):
        f = _slice_figures(g, mem, k[r], pv[r], hours)
        if not f["present"] or not f["energy"] > 0:
            rows.append(error_row(mem.ent, "analysis.no_energy"))
            continue
        f["charge"] = float(charge[r])
        lost = ["green.pv_when_load_missing"] if f.pop("pv_lost") > 0 else []
        rows.append(
            _row(g, mem, target_share, prices, hours, figures=f,
                 codes=charge_codes[r] + pv_codes[r] + lost, k_row=k[r])
        )  # fmt: skip
    return rows


def _slice_figures(
    g: Grid, mem: _Member, k_row: np.ndarray, pv_row: np.ndarray, hours: float
) -> dict[str, Any]:
    """A row's sums over its own slice, each as the single path computes it (the same
    numpy reductions on the same values in the same order, so the floats are identical):
    :func:`analytics.tou.bill` (``bincount`` by period), :func:`analytics.tou.load_stats`,
    :func:`analytics.green.pv_balance` and :func:`analytics.green.hourly_matched_share`."""
    sl = slice(mem.a, mem.b)
    kwh = k_row[sl]
    ok = ~np.isnan(kwh)
    kwh0 = np.where(ok, kwh, 0.0)
    codes = g.periods.codes[sl]
    by_period = np.bincount(codes, weights=kwh0, minlength=_NP)
    cost = np.bincount(codes, weights=kwh0 * g.periods.price_cny_per_kwh[sl], minlength=_NP)
    p = pv_row[sl]
    p0 = np.where(ok, p, 0.0)
    self_ = np.minimum(kwh0, p0)
    present = int(ok.sum())
    keys = g.hour_key[sl][ok]
    c, ph_in = kwh[ok], p[ok]
    hourly = None
    if len(c):
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        ch = np.add.reduceat(c, starts)
        total = ch.sum()
        if total > 0:
            hourly = float(np.minimum(ch, np.add.reduceat(ph_in, starts)).sum() / total)
    return {
        "present": present,
        "energy": float(kwh0.sum()),
        "peak": float((kwh[ok] / hours).max()) if present else 0.0,
        "by_period": by_period,
        "cost": cost,
        "gen": float(p0.sum()),
        "self": float(self_.sum()),
        "export": float(np.maximum(p0 - kwh0, 0.0).sum()),
        "hourly": hourly,
        "pv_lost": float(p[~ok].sum()),
    }


def _row(
    g: Grid,
    mem: _Member,
    target_share: float,
    prices: Any,
    hours: float,
    *,
    figures: dict[str, Any],
    codes: list[str],
    k_row: np.ndarray,
) -> dict[str, Any]:
    """One row's figures as the analysis JSON's keys, then :func:`screen_row`."""
    f = figures
    ent, sl = mem.ent, slice(mem.a, mem.b)
    used = sorted(set(np.unique(g.ver[sl]).tolist()))
    minutes = int(round(hours * 60))
    start, end = g.index[mem.a], g.index[mem.b - 1]
    report = span_report(
        mem.meta.reports, mem.meta.tz, minutes, start, end, f["present"], mem.b - mem.a
    )
    energy = f["energy"]
    by_period = {p: float(f["by_period"][i]) for i, p in enumerate(PERIODS)}
    total = float(f["cost"].sum()) + f["charge"]
    tou_energy = float(f["by_period"].sum())
    prod, prod_codes = ({}, []) if mem.production is None else _production(g, mem, k_row)
    avg, res, fw = _factors(int(end.year))
    grid_import = energy - f["self"]
    purchase = green_purchase_kwh(energy, f["self"], target_share)
    n_gec = gec_count(purchase)
    # the index counts what is held (own PV, no purchases or GECs in a screen), never the target
    renewable_now = f["self"] / energy
    idle = prod.get("idle_share")
    score = temperature_score(
        renewable_share=renewable_now,
        hourly_matched_share=f["hourly"],
        outside_peak_share=outside_peak_share(by_period, energy),
        idle_share=idle,
    ).score
    stage = assess(
        Indicators(
            interval_minutes=minutes,
            history_days=(mem.b - mem.a) * hours / 24.0,
            completeness_share=f["present"] / (mem.b - mem.a),
            production_linked=mem.production is not None,
            green_data=f["gen"] > 0 or mem.pv is not None,
        ),
        Questionnaire(),
    ).stage
    warnings = [
        *(w.code for w in report.warnings),
        *_tou_findings(g, mem, used),
        *prod_codes,
        *_stored_codes(mem.pv_meta),
        *(w.code for w in (mem.pv_meta.extra_warnings if mem.pv_meta else [])),
        *codes,  # the bill's charge findings, the PV alignment's and the balance's
        *(w.code for w in fw),
    ]
    doc = {
        "data": {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "interval_minutes": minutes,
            "intervals": int(report.intervals),
            "missing_intervals": int(report.missing_intervals),
            "warnings": [{"code": c} for c in warnings],
        },
        "load": {
            "energy_kwh": energy,
            "peak_kw": f["peak"],
            "load_factor": (energy / (f["present"] * hours)) / f["peak"] if f["peak"] > 0 else None,
        },
        "tou": {
            "tariff": "+".join(g.periods.versions[v].id for v in used),
            "energy_kwh": by_period,
            "energy_cost_cny": {p: float(f["cost"][i]) for i, p in enumerate(PERIODS)},
            "total_cost_cny": total,
            "average_price_cny_per_kwh": total / tou_energy if tou_energy > 0 else None,
        },
        **({"production": prod} if mem.production is not None else {}),
        "green": {
            "pv_generation_kwh": f["gen"],
            "pv_self_consumed_kwh": f["self"],
            "pv_exported_kwh": f["export"],
            "green_purchase_kwh": purchase,
            "gec_count": n_gec,
            "gec_cost_cny": n_gec * prices.gec_cny_per_certificate,
            "co2_location_t": co2_location_t(grid_import, avg.value),
            "co2_market_t": co2_market_t(grid_import, purchase, res.value),
            "hourly_matched_share": f["hourly"],
        },
        "green_temperature": {"score": score},
        "stage": {"stage": stage},
    }
    return screen_row(ent, doc)


# --------------------------------------------------------------------------- batches


def screen_batch(path: str | Path, ids: list[str], target_share: float) -> list[dict[str, Any]]:
    """Screen rows of these enterprises (one workspace read: three scans and the metadata)."""
    with Workspace(path, read_only=True) as ws:
        ents = ws.enterprise_map(ids)
        loads = ws.intervals(ids, "load")
        load_meta = ws.series_meta(ids, "load")
        pvs = ws.intervals(ids, "pv")
        pv_meta = ws.series_meta(ids, "pv")
        prods = ws.production(ids) if ws.with_production(ids) else {}
    rows: dict[str, dict[str, Any]] = {}
    groups: dict[tuple[Any, ...], list[_Member]] = {}
    for eid in ids:
        ent = ents[eid]
        if eid not in loads:
            rows[eid] = error_row(ent, "workspace.no_load")
            continue
        meta = load_meta[eid]
        us, kwh = loads[eid]
        step = meta.interval_minutes * _US_MIN
        pv = pvs.get(eid)
        pm = pv_meta.get(eid)
        if pv is not None and (
            pm is None or pm.interval_minutes != meta.interval_minutes or (pv[0][0] - us[0]) % step
        ):  # not on the load's grid: the single-enterprise path
            rows[eid] = analyse_inputs(
                EnterpriseInputs(
                    ent,
                    build_series(us, kwh, meta),
                    None if pm is None else build_series(pv[0], pv[1], pm),
                    prods.get(eid),
                ),
                target_share=target_share,
            )
            continue
        key = (ent.tariff or None, meta.tz, meta.interval_minutes, int(us[0] % step))
        groups.setdefault(key, []).append(
            _Member(ent, meta, us, kwh, 0, 0, pv, pm if pv is not None else None, prods.get(eid))
        )
    for key, members in groups.items():
        for mem, row in zip(members, _group_rows(key[:3], members, target_share), strict=True):
            rows[mem.ent.enterprise_id] = row
    return [rows[i] for i in ids]


def _batch_task(task: tuple[str, list[str], float]) -> list[dict[str, Any]]:
    return screen_batch(*task)


def screen_setwise(
    workspace: str | Path,
    *,
    target_share: float = 0.3,
    workers: int | None = None,
    batch_size: int | None = None,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Screen every enterprise set-wise (:data:`analytics.portfolio.rows.COLUMNS`), batches
    of ``batch_size`` enterprises (default: up to :data:`BATCH`, at least two batches per
    worker) over ``workers`` processes (default: every core; 1 = in this process); memory
    stays bounded by the batches in flight."""
    with Workspace(workspace, read_only=True) as ws:
        found = ws.con.execute("SELECT enterprise_id FROM enterprises ORDER BY 1").fetchall()
    ids = [r[0] for r in found]
    n = workers or default_workers()
    if batch_size is None:  # two batches a worker at least: the pool is used from 16 ids
        batch_size = max(8, min(BATCH, math.ceil(len(ids) / max(2 * n, 1))))
    batches = [ids[i : i + batch_size] for i in range(0, len(ids), batch_size)]
    tasks = [(str(workspace), b, float(target_share)) for b in batches]
    rows: list[dict[str, Any]] = []
    if progress:
        progress(0, len(ids))
    for batch_rows in ordered(_batch_task, tasks, n if len(batches) > 1 else 1):
        rows.extend(batch_rows)
        if progress:
            progress(len(rows), len(ids))
    return finalize(rows)
