"""The bill as the user receives it: reconciliation with real bills, calibration, the
basic-charge choice and the power-factor section, computed once for the CLI and the page.

Definitions (README "Bills, power factor and the basic-charge choice")
-------------------------------------------------------------------------
computed month
    A calendar month of :func:`analytics.tou.bill` (``Bill.monthly``): ``computed_kwh`` =
    energy of the intervals present, ``computed_cny`` = energy charge + basic (demand or
    capacity) charge. ``data_coverage_share`` = intervals with data ÷ intervals of the
    calendar month.
kwh_diff_share, cny_diff_share
    (billed − computed) ÷ computed (None when computed is 0 or either is missing).
flag
    True when the month has no data, |kwh_diff_share| > ``kwh_tolerance`` (default 0.02), or
    the CNY pair is given and |cny_diff_share| > ``cny_tolerance`` (default 0.05).
calibration factor
    For a fully covered month with a billed total: factor = (billed_cny − basic charge) ÷
    energy charge, the scale on the energy price level that makes the tool's month equal
    the bill while the basic charge is kept. ``factor_mean`` = Σ (billed − basic) ÷ Σ energy
    charge over the calibrated months. Applied (``calibrate=True``): every computed month is
    re-priced with its own factor, or ``factor_mean`` where it has none, into
    ``calibrated_total_cost_cny``.
basic-charge choice
    Per month: demand = max interval kW × the version's demand price [CNY/kW·month];
    capacity = contracted kVA × the version's capacity price [CNY/kVA·month]; ``cheaper`` is
    the smaller, ``saving_cny`` = |demand − capacity|. Declared-demand rules (申报需量, the
    over-declaration surcharge) are not modelled: no province's rule is sourced here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analytics.findings import DataWarning, InputError
from analytics.iotools import interval_minutes
from analytics.iotools.bills import PERIOD_KEYS, Bills
from analytics.tou.engine import Bill, Periods
from analytics.tou.power_factor import monthly_power_factor, power_factor_section


@dataclass(frozen=True)
class BillOptions:
    """What the bill sections take beside the load (CLI flags, page widgets)."""

    pf_standard: float = 0.90
    pf_leading: str = "ignore"  # "ignore" | "add"
    contracted_kva: float | None = None
    kwh_tolerance: float = 0.02
    cny_tolerance: float = 0.05
    calibrate: bool = False
    pf_requested: bool = False  # the user asked for the power factor (--pf-standard)

    def check(self) -> None:
        """Bounds before the work (``bills.bad_tolerance``, ``cli.bad_contracted_kva``)."""
        for name, v in (
            ("kwh_tolerance", self.kwh_tolerance),
            ("cny_tolerance", self.cny_tolerance),
        ):
            if not (0 <= v < 1):
                raise InputError(
                    "bills.bad_tolerance", expected="a share in [0, 1)", option=name, value=v
                )
        if self.contracted_kva is not None and not self.contracted_kva > 0:
            raise InputError(
                "cli.bad_contracted_kva",
                expected="a contracted capacity > 0 kVA",
                value=self.contracted_kva,
            )


def _f(v: Any) -> float | None:
    """A plain float, None for a missing figure (NaN, None)."""
    if v is None:
        return None
    v = float(v)
    return None if math.isnan(v) else v


def _diff(billed: float | None, computed: float | None) -> float | None:
    if billed is None or computed is None or computed == 0:
        return None
    return (billed - computed) / computed


# ----------------------------------------------------------------------------- basic charge


def basic_charge_choice(
    bill: Bill, periods: Periods, contracted_kva: float
) -> tuple[dict[str, Any], list[DataWarning]]:
    """``tou.basic_charge_choice``: demand vs capacity charge per month, year and in total."""
    m = bill.monthly
    versions = periods.month_versions()
    months, missing = [], set()
    for (_, row), t in zip(m.iterrows(), versions, strict=True):
        dem, cap = t.demand_cny_per_kw_month, t.capacity_cny_per_kva_month
        if dem is None or cap is None:
            missing.add(t.id)
        d = float(row["max_kw"]) * dem if dem is not None else None
        c = float(contracted_kva) * cap if cap is not None else None
        months.append(_choice(d, c) | {"month": row["month"], "max_kw": float(row["max_kw"])})
    years = []
    for year in sorted({r["month"][:4] for r in months}):
        years.append(_total([r for r in months if r["month"][:4] == year]) | {"year": int(year)})
    out = _total(months) | {
        "contracted_kva": float(contracted_kva),
        "declared_demand": "not_modelled",
        "years": years,
        "months": months,
    }
    warnings = (
        [
            DataWarning(
                "basic_charge.price_missing",
                count=len(missing),
                params={"tariff": ", ".join(sorted(missing))},
            )
        ]
        if missing
        else []
    )
    return out, warnings


def _choice(demand: float | None, capacity: float | None) -> dict[str, Any]:
    both = demand is not None and capacity is not None
    return {
        "demand_charge_cny": demand,
        "capacity_charge_cny": capacity,
        "cheaper": (("demand" if demand <= capacity else "capacity") if both else None),
        "saving_cny": abs(demand - capacity) if both else None,
    }


def _total(months: list[dict[str, Any]]) -> dict[str, Any]:
    """Sums over the months that have both prices (None when none has)."""
    ok = [r for r in months if r["cheaper"] is not None]
    if not ok:
        return _choice(None, None)
    return _choice(
        math.fsum(r["demand_charge_cny"] for r in ok),
        math.fsum(r["capacity_charge_cny"] for r in ok),
    )


# ----------------------------------------------------------------------------- bill check


def month_coverage(frame: pd.DataFrame) -> dict[str, float]:
    """Share of each calendar month's intervals that hold data ("YYYY-MM" → 0–1)."""
    if not len(frame):
        return {}
    step = pd.Timedelta(minutes=interval_minutes(frame))
    idx = pd.DatetimeIndex(frame.index)
    have = frame["kwh"].notna().groupby([idx.year, idx.month]).sum()
    out = {}
    for (y, mo), n in have.items():
        start = pd.Timestamp(year=int(y), month=int(mo), day=1, tz=idx.tz)
        end = start + pd.offsets.MonthBegin(1)
        expected = len(pd.date_range(start, end, freq=step, inclusive="left"))
        out[f"{int(y)}-{int(mo):02d}"] = float(n) / expected if expected else 0.0
    return out


def _month_row(
    b: pd.Series, c: pd.Series | None, cover: float, opts: BillOptions
) -> dict[str, Any]:
    billed_kwh = float(b["energy_kwh"])
    computed_kwh = _f(c["energy_kwh"]) if c is not None else None
    billed_cny = _f(b.get("total_cny"))
    computed_cny = _f(c["total_cost_cny"]) if c is not None else None
    kd, cd = _diff(billed_kwh, computed_kwh), _diff(billed_cny, computed_cny)
    row: dict[str, Any] = {
        "month": b["month"],
        "has_data": c is not None,
        "data_coverage_share": cover,
        "billed_kwh": billed_kwh,
        "computed_kwh": computed_kwh,
        "kwh_diff_share": kd,
    }
    if "total_cny" in b.index:
        row |= {"billed_cny": billed_cny, "computed_cny": computed_cny, "cny_diff_share": cd}
    if "demand_kw" in b.index:
        row |= {
            "billed_demand_kw": _f(b["demand_kw"]),
            "computed_max_kw": _f(c["max_kw"]) if c is not None else None,
        }
    periods = {}
    for p in PERIOD_KEYS:
        col = f"energy_kwh_{p}"
        if col in b.index and _f(b[col]) is not None:
            comp = _f(c[col]) if c is not None else None
            periods[p] = {
                "billed_kwh": float(b[col]),
                "computed_kwh": comp,
                "kwh_diff_share": _diff(float(b[col]), comp),
            }
    if periods:
        row["periods"] = periods
    row["flag"] = bool(
        c is None
        or kd is None
        or abs(kd) > opts.kwh_tolerance
        or (billed_cny is not None and (cd is None or abs(cd) > opts.cny_tolerance))
    )
    return row


def _calibration(
    bills: Bills, monthly: pd.DataFrame, cover: dict[str, float], opts: BillOptions
) -> dict[str, Any]:
    comp = monthly.set_index("month")
    done, skipped = [], []
    for _, b in bills.table.iterrows():
        month = b["month"]
        billed = _f(b.get("total_cny"))
        reason = None
        if month not in comp.index:
            reason = "no_data"
        elif billed is None:
            reason = "no_total"
        elif cover.get(month, 0.0) < 1.0 - 1e-9:
            reason = "partial_month"
        elif not float(comp.at[month, "energy_cost_cny"]) > 0:
            reason = "no_energy_cost"
        elif billed < float(comp.at[month, "demand_charge_cny"]):
            reason = "below_basic_charge"
        if reason:
            skipped.append({"month": month, "reason": reason})
            continue
        energy = float(comp.at[month, "energy_cost_cny"])
        basic = float(comp.at[month, "demand_charge_cny"])
        done.append(
            {
                "month": month,
                "factor": (billed - basic) / energy,
                "energy_cost_cny": energy,
                "basic_charge_cny": basic,
                "billed_cny": billed,
            }
        )
    mean = (
        math.fsum(r["billed_cny"] - r["basic_charge_cny"] for r in done)
        / math.fsum(r["energy_cost_cny"] for r in done)
        if done
        else None
    )
    out: dict[str, Any] = {
        "applied": bool(opts.calibrate and done),
        "factor_mean": mean,
        "months": done,
        "not_calibrated": skipped,
    }
    if out["applied"]:
        own = {r["month"]: r["factor"] for r in done}
        out["calibrated_total_cost_cny"] = math.fsum(
            own.get(r.month, mean) * r.energy_cost_cny + r.demand_charge_cny
            for r in monthly.itertuples()
        )
    return out


def bill_check(
    bills: Bills, bill: Bill, frame: pd.DataFrame, options: BillOptions | None = None
) -> tuple[dict[str, Any], list[DataWarning]]:
    """The ``bill_check`` section (months[], tolerances, calibration) and its warnings."""
    opts = options or BillOptions()
    cover = month_coverage(frame)
    comp = bill.monthly.set_index("month")
    months = [
        _month_row(
            b,
            comp.loc[b["month"]] if b["month"] in comp.index else None,
            cover.get(b["month"], 0.0),
            opts,
        )
        for _, b in bills.table.iterrows()
    ]
    no_data = [r["month"] for r in months if not r["has_data"]]
    warnings = []
    if no_data:
        warnings.append(
            DataWarning(
                "bills.month_without_data",
                count=len(no_data),
                params={"months": ", ".join(no_data)},
            )
        )
    flagged = [r["month"] for r in months if r["flag"] and r["has_data"]]
    if flagged:
        warnings.append(
            DataWarning(
                "bills.months_differ", count=len(flagged), params={"months": ", ".join(flagged)}
            )
        )
    section = {
        "file": bills.file_name,
        "kwh_tolerance": opts.kwh_tolerance,
        "cny_tolerance": opts.cny_tolerance,
        "flagged_months": [r["month"] for r in months if r["flag"]],
        "months": months,
        "calibration": _calibration(bills, bill.monthly, cover, opts),
    }
    return section, warnings


# ----------------------------------------------------------------------------- all sections


@dataclass(frozen=True)
class BillSections:
    """What the CLI adds to the JSON and the page shows (absent = None)."""

    power_factor: dict[str, Any] | None
    bill_check: dict[str, Any] | None
    basic_charge_choice: dict[str, Any] | None
    warnings: tuple[DataWarning, ...]


def bill_sections(
    frame: pd.DataFrame,
    bill: Bill,
    periods: Periods,
    *,
    options: BillOptions | None = None,
    bills: Bills | None = None,
) -> BillSections:
    """The ``power_factor``, ``bill_check`` and ``tou.basic_charge_choice`` sections of one
    analysis (``frame``, its ``bill`` and ``periods``): the one function both faces call."""
    opts = options or BillOptions()
    opts.check()
    warnings: list[DataWarning] = []
    pf = monthly_power_factor(frame, bill, standard=opts.pf_standard, leading=opts.pf_leading)
    pf_section = None
    if pf is not None:
        pf_section = power_factor_section(pf)
        warnings += pf.warnings
    elif opts.pf_requested:
        warnings.append(DataWarning("power_factor.no_reactive"))
    check = None
    if bills is not None:
        check, w = bill_check(bills, bill, frame, opts)
        warnings += w
    choice = None
    if opts.contracted_kva is not None:
        choice, w = basic_charge_choice(bill, periods, opts.contracted_kva)
        warnings += w
    return BillSections(pf_section, check, choice, tuple(warnings))
