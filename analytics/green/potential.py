"""Green potential: PV self-consumption, green purchase and GECs for a target, CO2, hourly
matching, and the Green Temperature index. Pure pandas/numpy; no Streamlit.

Definitions (DESIGN.md "Definitions"; per interval i of the load's canonical index, intervals
with a missing load value are left out of every sum):

- consumption_i: the load file's ``kwh`` (the site's consumption). When the user declares the
  file is the **net grid import** (``load_is_net_import=True``) the site's consumption is
  rebuilt as consumption_i = net_i + pv_i. A signed net meter (import − export) gives it
  exactly; an import-only meter reads 0 while exporting, so in intervals with net_i = 0 and
  pv_i > 0 the consumption is taken as pv_i (all PV self-consumed, no export: an upper bound
  on self-consumption), counted in ``green.net_import_ambiguous``; a negative result is set
  to 0 (``green.net_negative_consumption``).
- ``energy_kwh`` = Σ consumption_i.
- ``pv_self_consumed_kwh`` = Σ min(consumption_i, pv_i); ``pv_exported_kwh`` = Σ max(pv_i −
  consumption_i, 0); ``grid_import_kwh`` = energy_kwh − pv_self_consumed_kwh;
  ``pv_generation_kwh`` = Σ pv_i = self-consumed + exported.
- self-consumption ratio = self / generation; self-sufficiency ratio = self / energy.
- Held green electricity (:mod:`analytics.green.holdings`): held_kwh = owned self-consumed PV
  + green power bought + valid GECs × 1000; ``renewable_share_now`` = held_kwh / energy_kwh.
- Green purchase for target share T ∈ [0, 1] (what is still missing): max(0, T × energy_kwh −
  held_kwh); ``gec_count`` = ceil(purchase / 1000) (1 GEC = 1 MWh); ``gec_cost_cny`` =
  gec_count × the GEC price of the vintage bought (default the reporting year's,
  :func:`analytics.green.certificates.gec_price_cny`); the green-power trading route costs
  purchase × environmental premium. T defaults to the province × industry rule, else 0.3
  (:mod:`analytics.green.targets`).
- ``renewable_share`` = (held_kwh + green_purchase_kwh) / energy_kwh = max(T, share now): the
  share of consumption covered once the missing part is bought.
- ``co2_location_t`` = grid_import_kwh / 1000 × grid factor; ``co2_market_t`` =
  max(0, grid_import_kwh + a third party's self-consumed PV − purchase − bought − valid GEC
  kWh) / 1000 × residual factor (green-covered kWh at 0). Grid
  factors: MEE/NBS 电力平均二氧化碳排放因子 (``analytics/green/data/factors/*.toml``); never the
  carbon-market 0.5703 nor the footprint series.
- ``hourly_matched_share`` = Σ_h min(consumption_h, pv_h) / Σ_h consumption_h over local clock
  hours h (intervals summed within the hour first; a DST fold keeps its two hours apart).
- PV certificates: floor(pv_generation_kwh / 1000) GECs could be issued for the site's own PV.

Green Temperature (0–100 °): see :func:`temperature_score`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analytics.findings import DataWarning, InputError
from analytics.green.certificates import (
    VALIDITY_MONTHS,
    GecPrice,
    gec_price_cny,
    gec_prices,
    gec_status,
)
from analytics.green.factors import GridFactor, select_factors
from analytics.green.holdings import Holdings, HoldingsResult, evaluate_holdings
from analytics.green.pv import align_pv, read_defaults
from analytics.green.selfuse import SelfUseCompliance, self_use_compliance
from analytics.green.targets import TargetDefault, resolve_target, target_default
from analytics.iotools import INDEX_NAME, interval_minutes
from analytics.tou import Periods, bill, outside_peak_share

KWH_PER_GEC = 1000.0

# --------------------------------------------------------------------------- factors as data


# --------------------------------------------------------------------------- prices


@dataclass(frozen=True)
class GreenPrices:
    """Prices of the green analysis (editable; defaults in ``analytics/green/data/green_defaults.toml``).

    Attributes
    ----------
    gec_cny_per_certificate : float   unbundled GEC price [CNY/certificate, 1 MWh]
    green_premium_cny_per_kwh : float green-power trading environmental premium [CNY/kWh]
    feed_in_cny_per_kwh : float       price of exported PV [CNY/kWh]
    """

    gec_cny_per_certificate: float
    green_premium_cny_per_kwh: float
    feed_in_cny_per_kwh: float


PRICE_KEYS = ("gec_cny_per_certificate", "green_premium_cny_per_kwh", "feed_in_cny_per_kwh")


def price_defaults() -> dict[str, dict[str, Any]]:
    """Each default price with value, unit, source, seen_in, confidence, illustrative, notes."""
    return {k: dict(read_defaults()["prices"][k]) for k in PRICE_KEYS}


def default_prices() -> GreenPrices:
    return GreenPrices(**{k: float(v["value"]) for k, v in price_defaults().items()})


# --------------------------------------------------------------------------- definitions


def green_purchase_kwh(
    energy_kwh: float, pv_self_consumed_kwh: float, target_share: float
) -> float:
    """Green power/certificates needed for ``target_share`` [kWh] = max(0, T·E − self)."""
    return max(0.0, target_share * energy_kwh - pv_self_consumed_kwh)


def gec_count(purchase_kwh: float) -> int:
    """Certificates to buy = ceil(purchase / 1000); 1 GEC = 1 MWh (fact sheet §0.4).

    The quotient is rounded to 1e-9 first so that 3000.0000000001 kWh of float noise does not
    buy a fourth certificate.
    """
    if purchase_kwh <= 0:
        return 0
    return math.ceil(round(purchase_kwh / KWH_PER_GEC, 9))


def pv_certificates(pv_generation_kwh: float) -> int:
    """GECs the site's own PV could be issued = floor(generation / 1000) (rest carried over)."""
    return max(0, math.floor(round(pv_generation_kwh / KWH_PER_GEC, 9)))


def co2_location_t(grid_import_kwh: float, factor_t_per_mwh: float) -> float:
    """Location-based CO2 [t] = grid import [kWh] / 1000 × factor [tCO2/MWh]."""
    return grid_import_kwh / 1000.0 * factor_t_per_mwh


def co2_market_t(grid_import_kwh: float, purchase_kwh: float, residual_t_per_mwh: float) -> float:
    """Market-based CO2 [t] = max(0, import − green purchase) / 1000 × residual factor."""
    return max(0.0, grid_import_kwh - purchase_kwh) / 1000.0 * residual_t_per_mwh


def _hour_keys(index: pd.DatetimeIndex) -> np.ndarray:
    """UTC ns of the local clock hour's start of each interval (a DST fold stays two hours)."""
    utc = pd.DatetimeIndex(index).as_unit("ns").asi8
    wall = pd.DatetimeIndex(index).tz_localize(None).as_unit("ns").asi8
    return utc - wall % (3600 * 10**9)


def hourly_matched_share(consumption_kwh: pd.Series, pv_kwh: pd.Series) -> float:
    """Σ_h min(consumption_h, pv_h) / Σ_h consumption_h over local clock hours [0–1].

    Both series share a tz-aware interval-start index; NaN consumption intervals are left out
    (with their PV). NaN when there is no consumption.
    """
    c = consumption_kwh.to_numpy(dtype=float)
    p = pv_kwh.to_numpy(dtype=float)
    ok = ~np.isnan(c)
    keys = _hour_keys(pd.DatetimeIndex(consumption_kwh.index))[ok]
    c, p = c[ok], np.nan_to_num(p[ok])
    if not len(c):
        return float("nan")
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    ch = np.add.reduceat(c, starts)
    ph = np.add.reduceat(p, starts)
    total = ch.sum()
    return float(np.minimum(ch, ph).sum() / total) if total > 0 else float("nan")


# --------------------------------------------------------------------------- PV balance


@dataclass(frozen=True, eq=False)
class PvBalance:
    """Interval energy balance of a site with PV.

    Attributes
    ----------
    intervals : DataFrame
        On the load's index: ``consumption_kwh`` (NaN where the load is missing), ``pv_kwh``,
        ``self_kwh``, ``export_kwh``, ``import_kwh`` [kWh] (0 where the load is missing).
    energy_kwh, pv_generation_kwh, pv_self_consumed_kwh, pv_exported_kwh, grid_import_kwh : float
    self_consumption_ratio, self_sufficiency_ratio : float   [0–1], NaN when undefined
    load_is_net_import : bool
    warnings : tuple of DataWarning
    """

    intervals: pd.DataFrame = field(repr=False)
    energy_kwh: float
    pv_generation_kwh: float
    pv_self_consumed_kwh: float
    pv_exported_kwh: float
    grid_import_kwh: float
    self_consumption_ratio: float
    self_sufficiency_ratio: float
    load_is_net_import: bool = False
    warnings: tuple[DataWarning, ...] = ()


def _ratio(a: float, b: float) -> float:
    return a / b if b > 0 else float("nan")


def pv_balance(
    load: pd.DataFrame,
    pv: pd.DataFrame | pd.Series | None = None,
    *,
    load_is_net_import: bool = False,
) -> PvBalance:
    """Self-consumption, export and grid import per interval and in total (module docstring).

    Parameters
    ----------
    load : DataFrame
        Canonical load frame [kWh]: site consumption, or net grid import when
        ``load_is_net_import``.
    pv : DataFrame, Series or None
        Canonical PV frame (aligned with :func:`analytics.green.pv.align_pv`, warnings kept) or a
        Series already on the load's index [kWh]; ``None`` = no PV.
    """
    index = pd.DatetimeIndex(load.index)
    warnings: list[DataWarning] = []
    if pv is None:
        p = np.zeros(len(index))
    elif isinstance(pv, pd.Series):
        p = pv.reindex(index).fillna(0.0).to_numpy(dtype=float)
    else:
        s, w = align_pv(pv, index)
        warnings += w
        p = s.to_numpy(dtype=float)
    p = np.clip(p, 0.0, None)
    raw = load["kwh"].to_numpy(dtype=float)
    ok = ~np.isnan(raw)
    if load_is_net_import:
        cons = raw + p
        amb = int((ok & (raw == 0) & (p > 0)).sum())
        neg = int((ok & (cons < 0)).sum())
        if amb:
            warnings.append(DataWarning("green.net_import_ambiguous", amb))
        if neg:
            warnings.append(DataWarning("green.net_negative_consumption", neg))
        cons = np.where(cons < 0, 0.0, cons)
    else:
        cons = raw
    c0 = np.where(ok, cons, 0.0)
    p0 = np.where(ok, p, 0.0)
    outside = float(p[~ok].sum())
    if outside > 0:
        warnings.append(
            DataWarning(
                "green.pv_when_load_missing",
                int((~ok & (p > 0)).sum()),
                params={"kwh": round(outside, 3)},
            )
        )
    self_ = np.minimum(c0, p0)
    export = np.maximum(p0 - c0, 0.0)
    imp = c0 - self_
    frame = pd.DataFrame(
        {
            "consumption_kwh": np.where(ok, cons, np.nan),
            "pv_kwh": p0,
            "self_kwh": self_,
            "export_kwh": export,
            "import_kwh": imp,
        },
        index=index,
    )
    frame.index.name = INDEX_NAME
    energy = float(c0.sum())
    self_total = float(self_.sum())
    gen = float(p0.sum())
    return PvBalance(
        intervals=frame,
        energy_kwh=energy,
        pv_generation_kwh=gen,
        pv_self_consumed_kwh=self_total,
        pv_exported_kwh=float(export.sum()),
        grid_import_kwh=energy - self_total,
        self_consumption_ratio=_ratio(self_total, gen),
        self_sufficiency_ratio=_ratio(self_total, energy),
        load_is_net_import=load_is_net_import,
        warnings=tuple(warnings),
    )


def monthly_table(balance: PvBalance) -> pd.DataFrame:
    """One row per calendar month: ``month`` ("YYYY-MM"), consumption, PV, self-consumed,
    exported, grid import [kWh], self-consumption and self-sufficiency ratios [0–1]."""
    f = balance.intervals
    month = pd.DatetimeIndex(f.index).strftime("%Y-%m")
    g = (
        f.fillna({"consumption_kwh": 0.0})
        .groupby(month, sort=True)[
            ["consumption_kwh", "pv_kwh", "self_kwh", "export_kwh", "import_kwh"]
        ]
        .sum()
    )
    g.index.name = "month"
    out = g.reset_index()
    with np.errstate(invalid="ignore", divide="ignore"):
        out["self_consumption_ratio"] = np.where(out.pv_kwh > 0, out.self_kwh / out.pv_kwh, np.nan)
        out["self_sufficiency_ratio"] = np.where(
            out.consumption_kwh > 0, out.self_kwh / out.consumption_kwh, np.nan
        )
    return out


def typical_day_kw(balance: PvBalance, months: Iterable[int] | None = None) -> pd.DataFrame:
    """Mean power by local time of day [kW]: ``time`` ("HH:MM" interval start), ``load_kw``,
    ``pv_kw``, ``self_kw`` over the intervals with a load value (optionally some months)."""
    f = balance.intervals
    idx = pd.DatetimeIndex(f.index)
    keep = f["consumption_kwh"].notna().to_numpy()
    if months is not None:
        keep &= np.isin(idx.month, list(months))
    f, idx = f[keep], idx[keep]
    hours = interval_minutes(balance.intervals) / 60.0 if len(balance.intervals) > 1 else 1.0
    tod = idx.strftime("%H:%M")
    g = f.groupby(tod, sort=True)[["consumption_kwh", "pv_kwh", "self_kwh"]].mean() / hours
    g.columns = ["load_kw", "pv_kw", "self_kw"]
    g.index.name = "time"
    return g.reset_index()


# --------------------------------------------------------------------------- green result


@dataclass(frozen=True)
class CertificateTradeOff:
    """Claim own PV (keep its certificates) versus sell all its certificates.

    ``claim``: the certificates covering self-consumption are kept (ceil(self/1000), at most
    all issuable), the rest (exported PV's) may be sold; the target needs ``purchase_kwh``.
    ``sell``: all issuable certificates are sold, so the own PV no longer counts as green
    (a GEC is the sole proof of the attribute and may be traded once, 发改能源〔2023〕1044号)
    and the target needs T × energy. Net cost = purchase cost − sale revenue, by GEC and by
    the green-power premium route [CNY].
    """

    issuable: int
    claim_kept: int
    claim_sold: int
    claim_purchase_kwh: float
    claim_net_cost_gec_cny: float
    claim_net_cost_premium_cny: float
    sell_sold: int
    sell_purchase_kwh: float
    sell_net_cost_gec_cny: float
    sell_net_cost_premium_cny: float


def certificate_trade_off(
    balance: PvBalance,
    target_share: float,
    prices: GreenPrices,
) -> CertificateTradeOff:
    gec = prices.gec_cny_per_certificate
    prem = prices.green_premium_cny_per_kwh
    issuable = pv_certificates(balance.pv_generation_kwh)
    kept = min(issuable, gec_count(balance.pv_self_consumed_kwh))
    sold = issuable - kept
    p_claim = green_purchase_kwh(balance.energy_kwh, balance.pv_self_consumed_kwh, target_share)
    p_sell = green_purchase_kwh(balance.energy_kwh, 0.0, target_share)
    return CertificateTradeOff(
        issuable=issuable,
        claim_kept=kept,
        claim_sold=sold,
        claim_purchase_kwh=p_claim,
        claim_net_cost_gec_cny=gec_count(p_claim) * gec - sold * gec,
        claim_net_cost_premium_cny=p_claim * prem - sold * gec,
        sell_sold=issuable,
        sell_purchase_kwh=p_sell,
        sell_net_cost_gec_cny=gec_count(p_sell) * gec - issuable * gec,
        sell_net_cost_premium_cny=p_sell * prem - issuable * gec,
    )


@dataclass(frozen=True, eq=False)
class GreenResult:
    """Everything the ``green`` section, the page and the index need (module docstring)."""

    balance: PvBalance
    target_share: float
    green_purchase_kwh: float
    gec_count: int
    gec_cost_cny: float
    green_power_cost_cny: float
    renewable_share: float
    hourly_matched_share: float
    grid_factor: GridFactor
    residual_factor: GridFactor
    co2_location_t: float
    co2_market_t: float
    prices: GreenPrices
    self_consumed_value_cny: float
    exported_value_cny: float
    energy_by_period_kwh: Mapping[str, float]
    outside_peak_share: float
    trade_off: CertificateTradeOff
    production_units: float | None = None
    tariff_ids: tuple[str, ...] = ()
    warnings: tuple[DataWarning, ...] = ()
    # holdings, target default, GEC price by vintage, PV compliance (analytics/green/holdings.py)
    holdings: HoldingsResult | None = None
    target_default: TargetDefault | None = None
    target_basis: str = "user"
    gec_price: GecPrice | None = None
    self_use: SelfUseCompliance | None = None

    @property
    def renewable_share_now(self) -> float:
        """(owned self-consumed PV + green power bought + valid GECs × 1,000) / energy [0–…]."""
        if self.holdings is not None:
            return self.holdings.renewable_share_now
        return _ratio(self.balance.pv_self_consumed_kwh, self.balance.energy_kwh)

    @property
    def co2_location_kg_per_unit(self) -> float:
        u = self.production_units
        return self.co2_location_t * 1000.0 / u if u else float("nan")

    @property
    def co2_market_kg_per_unit(self) -> float:
        u = self.production_units
        return self.co2_market_t * 1000.0 / u if u else float("nan")


def _held_and_priced(
    bal: PvBalance,
    *,
    holdings: Holdings | None,
    target_share: float | None,
    province: str | None,
    industry: str | None,
    gec_price_month: str | None,
    data_year: int,
    gec_vintage: int | None = None,
) -> tuple[HoldingsResult, TargetDefault, float, str, GecPrice]:
    """Holdings for the reporting year, the target default and T, the GEC price of its vintage.

    The missing certificates are priced at ``gec_vintage`` (default the reporting year's; it
    must count for that year: Y − 1 or Y), type ``all``, as of ``gec_price_month`` (default
    December of the reporting year).
    """
    if target_share is not None and not (
        isinstance(target_share, (int, float)) and 0.0 <= target_share <= 1.0
    ):
        raise InputError("green.bad_target", expected="0 … 1", value=str(target_share))
    held = evaluate_holdings(
        holdings,
        energy_kwh=bal.energy_kwh,
        pv_self_consumed_kwh=bal.pv_self_consumed_kwh,
        data_year=data_year,
    )
    year = held.reporting_year
    default = target_default(province, industry, year)
    share, basis = resolve_target(target_share, default)
    vintage = year if gec_vintage is None else gec_vintage
    if gec_status(vintage, year) != "valid":
        raise InputError(
            "green.gec_vintage_not_counted", value=str(vintage), expected=f"{year - 1} or {year}"
        )
    quote = gec_price_cny(vintage, "all", gec_price_month or f"{year}-12")
    return held, default, float(share), basis, quote


def analyze_green(
    load: pd.DataFrame,
    pv: pd.DataFrame | pd.Series | None = None,
    *,
    periods: Periods,
    target_share: float | None = None,
    prices: GreenPrices | None = None,
    factor_year: int | None = None,
    factor_region: str = "national",
    load_is_net_import: bool = False,
    production_units: float | None = None,
    holdings: Holdings | None = None,
    province: str | None = None,
    industry: str | None = None,
    gec_price_month: str | None = None,
    gec_vintage: int | None = None,
) -> GreenResult:
    """The green analysis of a canonical load frame and an optional PV frame.

    Parameters
    ----------
    load : DataFrame
        Canonical load frame [kWh] (consumption, or net import with ``load_is_net_import``).
    pv : DataFrame, Series or None
        Canonical PV frame on any allowed interval (measured via :func:`analytics.iotools.read_pv`
        or modelled via :func:`analytics.green.pv.model_pv`), or ``None``.
    target_share : float or None
        Renewable-share target T [0–1]; ``None`` = the default of ``province`` × ``industry``
        (:func:`analytics.green.targets.target_default`), else the 0.3 assumption.
    periods : Periods
        The TOU classification of ``load.index`` (:func:`analytics.tou.classify_periods`,
        computed once per analysis): values self-consumed PV at the TOU energy price and gives
        the energy per period (peak avoidance). The TOU warnings belong to the ``tou``
        section and are not repeated here.
    prices : GreenPrices, optional
        Default :func:`default_prices` with the GEC price of the reporting year's vintage
        (:func:`analytics.green.certificates.gec_price_cny`).
    factor_year, factor_region : int or None, str
        Grid factor selection (:func:`select_factors`); default the latest national.
    load_is_net_import : bool
        The load file is the net grid import (module docstring).
    production_units : float, optional
        Units produced over the period, for kgCO2 per unit.
    holdings : Holdings, optional
        Green power bought, GECs held, the PV's owner (:mod:`analytics.green.holdings`);
        default nothing bought, the PV owned.
    province, industry : str, optional
        For the target default and the PV self-consumption threshold.
    gec_price_month : str, optional
        ``"YYYY-MM"`` of the GEC price; default December of the reporting year.
    gec_vintage : int, optional
        Vintage of the GECs to buy (Y − 1 or Y); default the reporting year Y.

    Raises
    ------
    InputError
        ``green.bad_target`` (T outside [0, 1]), ``green.unknown_factor``, ``pv.interval_mismatch``,
        ``green.unknown_industry``, ``green.bad_month``.
    """
    bal = pv_balance(load, pv, load_is_net_import=load_is_net_import)
    f = bal.intervals
    data_year = int(pd.DatetimeIndex(f.index)[-1].year) if len(f) else None
    held, default, target_share, basis, quote = _held_and_priced(
        bal,
        holdings=holdings,
        target_share=target_share,
        province=province,
        industry=industry,
        gec_price_month=gec_price_month,
        data_year=data_year or max(p.vintage for p in gec_prices()),
        gec_vintage=gec_vintage,
    )
    if prices is None:
        d = default_prices()
        prices = GreenPrices(quote.price_cny, d.green_premium_cny_per_kwh, d.feed_in_cny_per_kwh)
    avg, res, fw = select_factors(factor_year, factor_region, data_year=data_year)
    purchase = green_purchase_kwh(bal.energy_kwh, held.held_kwh, target_share)
    n_gec = gec_count(purchase)
    # both bills on the load's own index (intervals without a load value count 0 kWh), so the
    # one classification of the analysis prices them
    cons_frame = pd.DataFrame({"kwh": f["consumption_kwh"].reindex(periods.index)})
    self_frame = pd.DataFrame({"kwh": f["self_kwh"].reindex(periods.index)})
    export_frame = pd.DataFrame({"kwh": f["export_kwh"].reindex(periods.index)})
    if len(f):
        load_bill = bill(cons_frame, periods=periods)
        by_period, ids = dict(load_bill.energy_kwh), tuple(load_bill.tariff_ids)
        self_value = float(sum(bill(self_frame, periods=periods).energy_cost_cny.values()))
        surplus_value = float(sum(bill(export_frame, periods=periods).energy_cost_cny.values()))
    else:
        by_period, self_value, surplus_value, ids = {}, 0.0, 0.0, ()
    # market-based: kWh whose attribute the enterprise holds count zero; a third party's
    # self-consumed PV is not the enterprise's green power (its GECs belong to the owner)
    not_owned_pv = bal.pv_self_consumed_kwh - held.pv_counted_kwh
    covered = purchase + held.held_kwh - held.pv_counted_kwh
    return GreenResult(
        balance=bal,
        target_share=float(target_share),
        green_purchase_kwh=purchase,
        gec_count=n_gec,
        gec_cost_cny=n_gec * prices.gec_cny_per_certificate,
        green_power_cost_cny=purchase * prices.green_premium_cny_per_kwh,
        renewable_share=_ratio(held.held_kwh + purchase, bal.energy_kwh),
        hourly_matched_share=hourly_matched_share(f["consumption_kwh"], f["pv_kwh"]),
        grid_factor=avg,
        residual_factor=res,
        co2_location_t=co2_location_t(bal.grid_import_kwh, avg.value),
        co2_market_t=co2_market_t(bal.grid_import_kwh + not_owned_pv, covered, res.value),
        prices=prices,
        self_consumed_value_cny=self_value,
        exported_value_cny=bal.pv_exported_kwh * prices.feed_in_cny_per_kwh,
        energy_by_period_kwh=by_period,
        outside_peak_share=outside_peak_share(by_period, bal.energy_kwh),
        trade_off=certificate_trade_off(bal, target_share, prices),
        production_units=production_units,
        tariff_ids=ids,
        warnings=(*bal.warnings, *fw, *held.warnings, *quote.warnings),
        holdings=held,
        target_default=default,
        target_basis=basis,
        gec_price=quote,
        self_use=self_use_compliance(
            pv_generation_kwh=bal.pv_generation_kwh,
            pv_self_consumed_kwh=bal.pv_self_consumed_kwh,
            pv_exported_kwh=bal.pv_exported_kwh,
            surplus_value_cny=surplus_value,
            province=province,
        ),
    )


def _num(v: float) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


def green_section(result: GreenResult) -> dict[str, Any]:
    """The ``green`` section of ``greentemp.analysis/1`` (DESIGN), exactly its keys."""
    b = result.balance
    return {
        "pv_generation_kwh": float(b.pv_generation_kwh),
        "pv_self_consumed_kwh": float(b.pv_self_consumed_kwh),
        "pv_exported_kwh": float(b.pv_exported_kwh),
        "grid_import_kwh": float(b.grid_import_kwh),
        "target_share": float(result.target_share),
        "green_purchase_kwh": float(result.green_purchase_kwh),
        "gec_count": int(result.gec_count),
        "gec_cost_cny": float(result.gec_cost_cny),
        "renewable_share": _num(result.renewable_share),
        "hourly_matched_share": _num(result.hourly_matched_share),
        "grid_factor_t_per_mwh": float(result.grid_factor.value),
        "residual_factor_t_per_mwh": float(result.residual_factor.value),
        "co2_location_t": float(result.co2_location_t),
        "co2_market_t": float(result.co2_market_t),
        **holdings_keys(result),
    }


def holdings_keys(result: GreenResult) -> dict[str, Any]:
    """The ``green`` keys of holdings, target default, GEC price and PV compliance."""
    h, q, d = result.holdings, result.gec_price, result.target_default
    year = h.reporting_year if h is not None else None
    return {
        "renewable_share_now": _num(result.renewable_share_now),
        "holdings": h.to_dict() if h is not None else None,
        "target_default": d.to_dict() if d is not None else None,
        "target_basis": result.target_basis,
        "gec_price": None
        if q is None
        else {
            **q.to_dict(),
            "price_cny": float(result.prices.gec_cny_per_certificate),
            "table_price_cny": q.price_cny,
        },
        "gec_validity": None
        if year is None
        else {
            "months": VALIDITY_MONTHS,
            "reporting_year": year,
            "vintages_counted": [year - 1, year],
        },
        "pv_self_use": result.self_use.to_dict() if result.self_use is not None else None,
    }


# --------------------------------------------------------------------------- Green Temperature
