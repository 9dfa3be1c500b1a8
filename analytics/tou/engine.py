"""The TOU engine: classify intervals into periods and price a canonical frame.

Definitions (DESIGN.md): the period of an interval is the period in force at its **start**
instant, local time, for that date's season (month) and Chinese day type. A canonical
frame's index already holds interval starts, so an end-labelled reading "08:00" of the
07:45–08:00 interval arrives here as 07:45 and is priced as the period in force at 07:45.

Everything is vectorised: a tariff is compiled into lookup tables (month × half-hour slot →
period; month × period → price); day types are looked up once per calendar date
(:mod:`analytics.tou.calendar`) and broadcast to intervals; sums are ``numpy.bincount``. No
per-row Python loop. No Streamlit import.

Versions: :func:`bill` takes one :class:`~analytics.tou.tariff.Tariff` or a list of versions.
Each date is priced by the version whose ``[valid_from, valid_to]`` covers it (the latest
``valid_from`` wins if two overlap); a date no version covers is priced by the nearest
version and counted in the warning ``tou.outside_validity``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analytics.findings import DataWarning
from analytics.iotools import interval_minutes
from analytics.tou.calendar import day_info
from analytics.tou.tariff import (
    PEAK_PERIODS,
    PERIOD_CODE,
    PERIODS,
    SLOTS_PER_DAY,
    VALLEY_PERIODS,
    HolidayRule,
    Tariff,
    as_list,
    fmt_slot,
    tariff_family,
)

_NS_DAY = 86_400 * 10**9
_NS_SLOT = 1_800 * 10**9
_EPOCH = dt.date(1970, 1, 1)
_FAR = np.iinfo(np.int64).max // 4
_NP = len(PERIODS)

#: The Jiangsu 大工业 two-part 1–10 kV family, priced when no tariff is chosen (DESIGN).
DEFAULT_FAMILY = ("Jiangsu", "large_industrial_two_part", "1-10kV")


@dataclass(frozen=True, eq=False)
class Bill:
    """The TOU bill of a canonical frame.

    Attributes
    ----------
    tariff_ids : tuple of str
        Versions that priced at least one interval, by ``valid_from``.
    energy_kwh, energy_cost_cny : dict
        Per period (all five keys of :data:`PERIODS`, 0.0 where unused) [kWh], [CNY].
    demand_charge_cny : float
        Σ over calendar months of max interval kW × demand price, or contracted kVA ×
        capacity price when ``contracted_kva`` is given [CNY].
    charge_basis : str
        ``"demand"``, ``"capacity"`` or ``"none"``.
    total_cost_cny : float
        Σ energy cost + demand/capacity charge [CNY].
    average_price_cny_per_kwh : float
        total_cost_cny / energy_kwh (NaN when there is no energy) [CNY/kWh].
    monthly : DataFrame
        One row per calendar month present: ``month`` ("YYYY-MM"), ``tariff``,
        ``energy_kwh_<period>`` ×5, ``energy_kwh``, ``energy_cost_cny``, ``max_kw``,
        ``demand_charge_cny``, ``total_cost_cny``.
    warnings : tuple of DataWarning
    """

    tariff_ids: tuple[str, ...]
    energy_kwh: Mapping[str, float]
    energy_cost_cny: Mapping[str, float]
    demand_charge_cny: float
    charge_basis: str
    total_cost_cny: float
    average_price_cny_per_kwh: float
    monthly: pd.DataFrame = field(repr=False)
    warnings: tuple[DataWarning, ...] = ()

    @property
    def total_energy_kwh(self) -> float:
        return float(sum(self.energy_kwh.values()))

    @property
    def warning_codes(self) -> set[str]:
        return {w.code for w in self.warnings}


@dataclass
class _Days:
    """Per-interval time keys and per-unique-date calendar facts."""

    slot: np.ndarray  # (n,) half-hour slot 0..47 of the interval start
    inv: np.ndarray  # (n,) index of the interval's date in the unique dates
    day: np.ndarray  # (u,) unique dates as days since 1970-01-01
    month0: np.ndarray  # (u,) month 0..11
    year: np.ndarray  # (u,)
    rows: np.ndarray  # (u,) intervals per date
    day_type: np.ndarray  # (u,) "working" / "rest" / "holiday"
    block: np.ndarray  # (u,) holiday block key
    block_day: np.ndarray  # (u,) 1-based day within the holiday block
    warnings: list[DataWarning]


def _wall_ns(index: pd.DatetimeIndex) -> np.ndarray:
    """Local wall-clock times as int64 ns (tz dropped, offset kept)."""
    idx = pd.DatetimeIndex(index)
    if idx.tz is not None:
        idx = idx.tz_localize(None)
    return idx.as_unit("ns").asi8


def _days(index: pd.DatetimeIndex) -> _Days:
    wall = _wall_ns(index)
    day_of_row = wall // _NS_DAY
    slot = ((wall - day_of_row * _NS_DAY) // _NS_SLOT).astype(np.intp)
    n = len(day_of_row)
    if n and np.all(day_of_row[1:] >= day_of_row[:-1]):
        change = np.empty(n, dtype=bool)
        change[0] = True
        np.not_equal(day_of_row[1:], day_of_row[:-1], out=change[1:])
        day = day_of_row[change]
        inv = np.cumsum(change) - 1
    else:
        day, inv = np.unique(day_of_row, return_inverse=True)
    d64 = day.astype("datetime64[D]")
    months = d64.astype("datetime64[M]").astype(np.int64)
    info, warnings = day_info(pd.DatetimeIndex(d64))
    return _Days(
        slot=slot,
        inv=inv,
        day=day,
        month0=(months % 12).astype(np.intp),
        year=(months // 12 + 1970).astype(np.int64),
        rows=np.bincount(inv, minlength=len(day)),
        day_type=info["day_type"].to_numpy(dtype=object),
        block=info["holiday_block"].to_numpy(dtype=object),
        block_day=info["holiday_day"].to_numpy(dtype=np.int64),
        warnings=warnings,
    )


def _rule_day_mask(rule: HolidayRule, days: _Days, day_type: str | None = None) -> np.ndarray:
    """Unique dates on which ``rule`` applies."""
    is_hol = days.day_type == "holiday"
    is_rest = days.day_type == "rest"
    hol_ok = is_hol.copy()
    if rule.holidays:
        hol_ok &= np.isin(days.block, list(rule.holidays))
    if rule.first_days is not None:
        hol_ok &= days.block_day <= rule.first_days
    if rule.days == "statutory_holidays":
        mask = hol_ok
    elif rule.days == "rest_days":
        mask = is_rest
    else:
        mask = hol_ok | is_rest
    return mask & np.isin(days.month0 + 1, list(rule.months))


def _rule_slots(rule: HolidayRule) -> np.ndarray:
    """Period code per half-hour slot set by ``rule`` (−1 = not overridden)."""
    codes = np.full(SLOTS_PER_DAY, -1, dtype=np.int8)
    for w in rule.windows:
        codes[w.slots()] = PERIOD_CODE[w.period]
    return codes


def _codes(tariff: Tariff, days: _Days, rows: np.ndarray | slice) -> np.ndarray:
    """Period codes of the intervals ``rows`` under one tariff version."""
    slot = days.slot[rows]
    inv = days.inv[rows]
    month0 = days.month0[inv]
    codes = tariff.month_period[month0, slot]
    for rule in tariff.holiday_rules:
        on_day = _rule_day_mask(rule, days)
        if not on_day.any():
            continue
        rule_codes = _rule_slots(rule)[slot]
        hit = on_day[inv] & (rule_codes >= 0)
        codes = np.where(hit, rule_codes, codes)
    return codes


def _day_number(d: dt.date | None, default: int) -> int:
    return default if d is None else (d - _EPOCH).days


def _versions(tariffs: list[Tariff], day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Version index per unique date, and whether a version's validity covers it."""
    frm = np.array([_day_number(t.valid_from, -_FAR) for t in tariffs], dtype=np.int64)
    to = np.array([_day_number(t.valid_to, _FAR) for t in tariffs], dtype=np.int64)
    d = day[:, None]
    cover = (d >= frm) & (d <= to)
    covered = cover.any(axis=1)
    latest = len(tariffs) - 1 - np.argmax(cover[:, ::-1], axis=1)
    distance = np.maximum(frm - d, 0) + np.maximum(d - to, 0)
    nearest = np.argmin(distance, axis=1)
    return np.where(covered, latest, nearest), covered


def _sorted_versions(tariffs: Tariff | Iterable[Tariff]) -> list[Tariff]:
    versions = sorted(as_list(tariffs), key=lambda t: t.valid_from)
    if not versions:
        raise ValueError("at least one tariff version is needed")
    return versions


@dataclass(frozen=True, eq=False)
class Periods:
    """The TOU classification of one index under one set of tariff versions, computed once.

    :func:`classify_periods` builds it; :func:`bill`, the green bills, production and the shift
    optimiser take it instead of classifying the same index again.

    Attributes
    ----------
    index : DatetimeIndex
        Interval starts, tz-aware (site zone) or naive local times.
    versions : tuple of Tariff
        The versions, by ``valid_from``.
    codes : ndarray of int8
        Period code per interval (position in :data:`PERIODS`).
    price_cny_per_kwh : ndarray
        Energy price per interval of its version, month and period [CNY/kWh] (NaN where the
        version does not price that period).
    version_of_day, covered : ndarray
        Per unique date: the version index that prices it, and whether its validity covers it.
    """

    index: pd.DatetimeIndex
    versions: tuple[Tariff, ...]
    days: _Days = field(repr=False)
    version_of_day: np.ndarray = field(repr=False)
    covered: np.ndarray = field(repr=False)
    codes: np.ndarray = field(repr=False)
    price_cny_per_kwh: np.ndarray = field(repr=False)

    @property
    def warnings(self) -> list[DataWarning]:
        """Calendar findings (``calendar.unofficial_year``), counted in dates."""
        return list(self.days.warnings)

    def series(self) -> pd.Series:
        """Categorical period names on ``index``, named ``"period"``."""
        cat = pd.Categorical.from_codes(self.codes, categories=list(PERIODS))
        out = pd.Series(cat, index=self.index, name="period")
        out.attrs["warnings"] = self.warnings
        return out

    def month_of_interval(self) -> np.ndarray:
        """0-based calendar-month number of each interval, in order of appearance."""
        ym = self.days.year * 12 + self.days.month0
        change = np.r_[True, ym[1:] != ym[:-1]] if len(ym) else np.zeros(0, dtype=bool)
        return (np.cumsum(change) - 1)[self.days.inv] if len(self.codes) else np.zeros(0, np.intp)

    def month_versions(self) -> list[Tariff]:
        """The version in force on the first date present of each calendar month."""
        ym = self.days.year * 12 + self.days.month0
        first = np.flatnonzero(np.r_[True, ym[1:] != ym[:-1]]) if len(ym) else np.zeros(0, int)
        return [self.versions[int(v)] for v in self.version_of_day[first]]


def classify_periods(index: pd.DatetimeIndex, tariffs: Tariff | Iterable[Tariff]) -> Periods:
    """Classify ``index`` once: period code and energy price of every interval.

    Each date is priced by the version whose validity covers it (the latest ``valid_from``
    wins), else by the nearest version (module docstring).
    """
    index = pd.DatetimeIndex(index)
    versions = _sorted_versions(tariffs)
    days = _days(index)
    ver_u, covered = _versions(versions, days.day)
    n = len(days.slot)
    codes = np.zeros(n, dtype=np.int8)
    price = np.zeros(n)
    used = np.unique(ver_u)
    for v in used:
        tariff = versions[int(v)]
        rows: np.ndarray | slice = slice(None) if len(used) == 1 else (ver_u[days.inv] == v)
        c = _codes(tariff, days, rows)
        codes[rows] = c
        price[rows] = tariff.month_price[days.month0[days.inv[rows]], c]
    return Periods(
        index=index,
        versions=tuple(versions),
        days=days,
        version_of_day=ver_u,
        covered=covered,
        codes=codes,
        price_cny_per_kwh=price,
    )


def classify(index: pd.DatetimeIndex, tariff: Tariff | Iterable[Tariff]) -> pd.Series:
    """TOU period of each interval, by its start instant in local time.

    Parameters
    ----------
    index : DatetimeIndex
        Interval starts, tz-aware (site time zone) or naive local times.
    tariff : Tariff or list of Tariff
        One version, or versions chosen per date as in :func:`bill`.

    Returns
    -------
    Series
        Categorical period names (categories :data:`~analytics.tou.tariff.PERIODS`) on
        ``index``, named ``"period"``. Calendar findings are in ``attrs["warnings"]``.
    """
    return classify_periods(index, tariff).series()


def bill(
    frame: pd.DataFrame,
    tariffs: Tariff | Iterable[Tariff] | None = None,
    *,
    contracted_kva: float | None = None,
    periods: Periods | None = None,
) -> Bill:
    """Price a canonical frame: energy and cost per period, demand/capacity charge, total.

    Parameters
    ----------
    frame : DataFrame
        Canonical frame (:mod:`analytics.iotools.frame`): tz-aware interval-start index, ``kwh``
        [kWh] with NaN = missing (missing intervals add nothing; gaps are not filled).
    tariffs : Tariff or list of Tariff
        One version or the versions of one tariff; each date is priced by the version in
        force on it (see module docstring).
    contracted_kva : float, optional
        Contracted capacity [kVA]. When given and the version has a capacity price, each
        calendar month present is charged contracted_kva × capacity price; otherwise the
        demand charge applies.
    periods : Periods, optional
        The classification of ``frame.index`` (:func:`classify_periods`), when the caller has
        it already; then ``tariffs`` may be left out (the versions are the periods').

    Returns
    -------
    Bill

    Notes
    -----
    cost = Σ kwh_i × price(version_i, month_i, period_i);
    demand charge = Σ_months max_i∈month(kwh_i / h) × price_kw_month, h = interval hours,
    using the demand price of the version in force on the month's first date present.
    Warnings: ``tou.outside_validity`` (intervals priced by the nearest version),
    ``tou.illustrative_prices`` (intervals priced by an illustrative version),
    ``tou.contracted_kva_missing`` (capacity-only tariff without ``contracted_kva``),
    ``tou.capacity_price_missing`` (``contracted_kva`` given, no capacity price) and
    ``calendar.unofficial_year`` (count in intervals).
    """
    if not frame.index.is_monotonic_increasing:
        frame = frame.sort_index()
    index = pd.DatetimeIndex(frame.index)
    if periods is None:
        periods = classify_periods(index, tariffs)
    elif not periods.index.equals(index):
        raise ValueError("periods were classified for another index")
    versions = list(periods.versions)
    kwh = frame["kwh"].to_numpy(dtype=float)
    kwh0 = np.where(np.isnan(kwh), 0.0, kwh)
    days, ver_u, covered = periods.days, periods.version_of_day, periods.covered
    codes, price = periods.codes, periods.price_cny_per_kwh
    n = len(kwh)

    energy = np.bincount(codes, weights=kwh0, minlength=_NP) if n else np.zeros(_NP)
    cost_rows = kwh0 * price
    cost = np.bincount(codes, weights=cost_rows, minlength=_NP) if n else np.zeros(_NP)

    # calendar months ---------------------------------------------------------------------
    ym_u = days.year * 12 + days.month0
    m_change = np.r_[True, ym_u[1:] != ym_u[:-1]] if len(ym_u) else np.zeros(0, dtype=bool)
    month_of_u = np.cumsum(m_change) - 1
    first_u = np.flatnonzero(m_change)  # first unique date of each month
    nm = len(first_u)
    mi = month_of_u[days.inv] if n else np.zeros(0, dtype=np.intp)
    e_month = np.bincount(mi * _NP + codes, weights=kwh0, minlength=nm * _NP).reshape(nm, _NP)
    c_month = np.bincount(mi, weights=cost_rows, minlength=nm)
    warnings: list[DataWarning] = []
    if nm:
        hours = interval_minutes(frame) / 60.0 if n > 1 or frame.index.freq is not None else 1.0
        starts = np.flatnonzero(np.r_[True, mi[1:] != mi[:-1]])
        with np.errstate(invalid="ignore"):
            max_kw = np.fmax.reduceat(kwh / hours, starts)
        max_kw = np.where(np.isnan(max_kw), 0.0, max_kw)
    else:
        max_kw = np.zeros(0)
    month_version = [versions[int(v)] for v in ver_u[first_u]]
    charge = np.zeros(nm)
    basis = "none"
    if nm:
        if contracted_kva is not None:
            cap = np.array([t.capacity_cny_per_kva_month for t in month_version], dtype=object)
            if any(c is None for c in cap):
                warnings.append(
                    DataWarning(
                        "tou.capacity_price_missing",
                        count=int(sum(c is None for c in cap)),
                        params={
                            "tariff": ", ".join(
                                sorted(
                                    {
                                        t.id
                                        for t, c in zip(month_version, cap, strict=True)
                                        if c is None
                                    }
                                )
                            )
                        },
                    )
                )
        dem = [t.demand_cny_per_kw_month for t in month_version]
        for k, t in enumerate(month_version):
            if contracted_kva is not None and t.capacity_cny_per_kva_month is not None:
                charge[k] = float(contracted_kva) * t.capacity_cny_per_kva_month
                basis = "capacity"
            elif dem[k] is not None:
                charge[k] = max_kw[k] * dem[k]
                basis = "demand" if basis == "none" else basis
        no_kva = [
            t.id
            for t in month_version
            if contracted_kva is None
            and t.demand_cny_per_kw_month is None
            and t.capacity_cny_per_kva_month is not None
        ]
        if no_kva:
            warnings.append(
                DataWarning(
                    "tou.contracted_kva_missing",
                    count=len(no_kva),
                    params={"tariff": ", ".join(sorted(set(no_kva)))},
                )
            )

    # findings ------------------------------------------------------------------------------
    used = sorted({int(v) for v in ver_u}) or [len(versions) - 1]  # empty: newest version
    outside = ~covered
    if outside.any():
        nearest = sorted({versions[int(v)].id for v in ver_u[outside]})
        out_days = days.day[outside].astype("datetime64[D]")
        warnings.append(
            DataWarning(
                "tou.outside_validity",
                count=int(days.rows[outside].sum()),
                params={
                    "tariff": ", ".join(nearest),
                    "first": str(out_days.min()),
                    "last": str(out_days.max()),
                },
            )
        )
    illus = [v for v in used if versions[v].illustrative]
    if illus:
        rows = int(days.rows[np.isin(ver_u, illus)].sum())
        warnings.append(
            DataWarning(
                "tou.illustrative_prices",
                count=rows,
                params={"tariff": ", ".join(versions[v].id for v in illus)},
            )
        )
    for w in days.warnings:  # calendar findings, counted in intervals
        years = [int(y) for y in str(w.params.get("years", "")).split(", ") if y]
        rows = int(days.rows[np.isin(days.year, years)].sum())
        warnings.append(DataWarning(w.code, count=rows, params=dict(w.params)))

    energy_cost = float(cost.sum())
    demand_total = float(charge.sum())
    total = energy_cost + demand_total
    total_energy = float(energy.sum())
    monthly = pd.DataFrame(
        {
            "month": [f"{int(days.year[u])}-{int(days.month0[u]) + 1:02d}" for u in first_u],
            "tariff": [t.id for t in month_version],
            **{f"energy_kwh_{p}": e_month[:, k] for k, p in enumerate(PERIODS)},
            "energy_kwh": e_month.sum(axis=1),
            "energy_cost_cny": c_month,
            "max_kw": max_kw,
            "demand_charge_cny": charge,
            "total_cost_cny": c_month + charge,
        }
    )
    return Bill(
        tariff_ids=tuple(versions[v].id for v in used),
        energy_kwh={p: float(energy[k]) for k, p in enumerate(PERIODS)},
        energy_cost_cny={p: float(cost[k]) for k, p in enumerate(PERIODS)},
        demand_charge_cny=demand_total,
        charge_basis=basis,
        total_cost_cny=total,
        average_price_cny_per_kwh=total / total_energy if total_energy > 0 else float("nan"),
        monthly=monthly,
        warnings=tuple(warnings),
    )


def to_tou_json(bill: Bill) -> dict[str, Any]:
    """The ``tou`` section of the analysis JSON (DESIGN.md), from a :class:`Bill`.

    ``tariff`` is the id of the version that priced the data; when a series spans several
    versions their ids are joined with ``"+"`` in ``valid_from`` order (always a string).
    ``average_price_cny_per_kwh`` is ``None`` when there is no energy.
    """
    avg = bill.average_price_cny_per_kwh
    return {
        "tariff": "+".join(bill.tariff_ids),
        "energy_kwh": {p: float(bill.energy_kwh[p]) for p in PERIODS},
        "energy_cost_cny": {p: float(bill.energy_cost_cny[p]) for p in PERIODS},
        "demand_charge_cny": float(bill.demand_charge_cny),
        "total_cost_cny": float(bill.total_cost_cny),
        "average_price_cny_per_kwh": None if avg != avg else float(avg),
    }


def period_share(
    energy_by_period_kwh: Mapping[str, float], energy_kwh: float, periods: Iterable[str]
) -> float:
    """Share of the energy in ``periods`` [0–1]: Σ energy_by_period_kwh[p ∈ periods] ÷
    ``energy_kwh``, the energy of the intervals present (:attr:`LoadStats.energy_kwh
    <analytics.tou.stats.LoadStats.energy_kwh>`, the headline figure — one denominator for
    every page, the JSON, the screen and the report); NaN when there is no energy."""
    part = sum(energy_by_period_kwh.get(p, 0.0) for p in periods)
    return part / energy_kwh if energy_kwh > 0 else float("nan")


def peak_energy_share(energy_by_period_kwh: Mapping[str, float], energy_kwh: float) -> float:
    """Share of the energy in the sharp and peak periods (:data:`PEAK_PERIODS`) [0–1]."""
    return period_share(energy_by_period_kwh, energy_kwh, PEAK_PERIODS)


def outside_peak_share(energy_by_period_kwh: Mapping[str, float], energy_kwh: float) -> float:
    """Share of the energy outside the sharp and peak periods [0–1]: (``energy_kwh`` − Σ
    energy in :data:`PEAK_PERIODS`) ÷ ``energy_kwh`` — the complement of
    :func:`peak_energy_share` over the same denominator (the Green Temperature's peak
    avoidance); NaN when there is no energy."""
    peak = sum(energy_by_period_kwh.get(p, 0.0) for p in PEAK_PERIODS)
    return (energy_kwh - peak) / energy_kwh if energy_kwh > 0 else float("nan")


def valley_energy_share(energy_by_period_kwh: Mapping[str, float], energy_kwh: float) -> float:
    """Share of the energy in the valley and deep-valley periods (:data:`VALLEY_PERIODS`)."""
    return period_share(energy_by_period_kwh, energy_kwh, VALLEY_PERIODS)


def period_average_price(bill: Bill) -> dict[str, float]:
    """Average energy price per period: energy cost ÷ energy [CNY/kWh]; NaN where a period
    has no energy (the demand charge is not spread over periods)."""
    return {
        p: bill.energy_cost_cny[p] / bill.energy_kwh[p] if bill.energy_kwh[p] > 0 else float("nan")
        for p in PERIODS
    }


_GRID_DAY_RULES = {
    "working": (),
    "rest": ("rest_days", "non_working_days"),
    "holiday": ("statutory_holidays", "non_working_days"),
}


def period_grid(tariff: Tariff, *, day_type: str = "working") -> pd.DataFrame:
    """Period names by month (rows 1–12) and half-hour (columns "00:00" … "23:30").

    ``day_type`` = ``"working"`` shows the seasons and sharp-peak windows; ``"rest"`` and
    ``"holiday"`` also apply the holiday rules for that kind of day (holiday-name and
    first-days filters are ignored: the grid shows what such a day can look like).
    """
    if day_type not in _GRID_DAY_RULES:
        raise ValueError(f"day_type must be one of {tuple(_GRID_DAY_RULES)}")
    grid = np.array(tariff.month_period, copy=True)
    for rule in tariff.holiday_rules:
        if rule.days in _GRID_DAY_RULES[day_type]:
            codes = _rule_slots(rule)
            for m in rule.months:
                grid[m - 1] = np.where(codes >= 0, codes, grid[m - 1])
    names = np.asarray(PERIODS, dtype=object)[grid]
    return pd.DataFrame(
        names,
        index=pd.RangeIndex(1, 13, name="month"),
        columns=[fmt_slot(i) for i in range(SLOTS_PER_DAY)],
    )


def default_tariffs_for(frame: pd.DataFrame) -> list[Tariff]:
    """The Jiangsu 大工业 two-part 1–10 kV versions that price ``frame`` (DESIGN default).

    Returns the versions in force on the frame's dates, or the nearest one where none is
    (then :func:`bill` warns ``tou.outside_validity``); the newest version for an empty frame.
    """
    family = tariff_family(*DEFAULT_FAMILY)
    if not family:
        raise LookupError("no Jiangsu large-industrial preset is shipped")
    if len(frame.index) == 0:
        return family[-1:]
    wall = _wall_ns(pd.DatetimeIndex(frame.index))
    day = np.unique(wall // _NS_DAY)
    ver, _ = _versions(family, day)
    return [family[int(v)] for v in np.unique(ver)]
