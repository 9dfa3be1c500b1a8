"""Sales features over the screen table: trends (同比/环比), peer benchmarks (对标), ranked leads.

Nothing here changes the screen's row definition (:mod:`analytics.portfolio.rows`): every
figure is derived from the screen table, plus the monthly bill of each enterprise's stored
load for the trends.

Monthly figures (:func:`monthly_figures`)
    One row per enterprise and calendar month (site local time) of its stored load, priced by
    :func:`analytics.tou.bill` with the tariff choice of the screen (the enterprise's tariff,
    else the default versions in force on the data): ``energy_kwh`` [kWh],
    ``total_cost_cny`` [CNY] (energy cost + that month's demand or capacity charge),
    ``peak_share`` = (sharp + peak energy) / energy [1], ``renewable_share`` = Σ min(load, PV)
    over the month's intervals / energy [1] (own PV only; 0 without PV), ``coverage`` =
    intervals with data / intervals of the calendar month [1].

Trends (:func:`deltas`)
    The reference month M of an enterprise is its latest month with ``coverage`` ≥
    :data:`MIN_MONTH_COVERAGE`. Month-on-month (环比) compares M with M − 1, year-on-year (同比)
    with the same month of the previous year M − 12; a delta is empty (NaN) when the compared
    month is absent or below the coverage bound, so 同比 exists only for enterprises with more
    than one year of data.

    * ``energy_kwh_yoy`` = E(M) / E(M − 12) − 1, ``energy_kwh_mom`` = E(M) / E(M − 1) − 1
      (relative change [1]: 0.1 = +10 %; NaN when the earlier value is 0);
    * ``total_cost_cny_yoy`` / ``_mom``: the same ratio of monthly costs;
    * ``peak_share_yoy`` = peak_share(M) − peak_share(M − 12), ``peak_share_mom`` likewise
      (difference in share points [1]: 0.02 = +2 percentage points);
    * ``renewable_share_yoy`` / ``_mom``: the same difference of renewable shares.

Benchmarks (:func:`benchmarks`)
    For each metric of :data:`BENCHMARK_METRICS` — ``sec_kwh_per_unit`` (only where production
    exists), ``peak_sharp_energy_share``, ``load_factor`` and ``renewable_share_now`` =
    pv_self_consumed_kwh / energy_kwh (own PV's share of consumption, what is held; the target
    does not enter) — the percentile of each enterprise within its industry
    (``<metric>_pct_industry``) and within its province (``<metric>_pct_province``):
    ``pandas.Series.rank(pct=True, method="average")`` over the peers with a value, i.e.
    (average rank, ascending, ties averaged) / n, in (0, 1]: 1.0 is the group's highest value.
    ``<metric>_n_industry`` / ``_n_province`` = n, the peers with a value (the enterprise
    included). A group with fewer than ``min_group`` peers gets no percentile (NaN) — its n
    says why. Rows with an error code or an empty industry/province take no part.

Leads (:func:`rank_leads`)
    A rule of :data:`RULES` orders the enterprises by one column, largest first (ties by
    enterprise_id); enterprises without a value come last without a rank:

    * ``certificate_need`` — ``gec_count`` (certificates to buy for the screen's target);
    * ``valley_shift`` — ``valley_shift_value_cny``, the screen's value of moving all sharp
      and peak energy to the valley at the enterprise's own period prices [CNY] (an upper
      bound, :func:`analytics.portfolio.rows.valley_shift_value_cny`); its reason also gives
      ``valley_shift_potential_kwh`` = peak_sharp_energy_share × energy_kwh, the energy that
      would move [kWh];
    * ``cbam_exposure`` — ``cbam_indirect_emissions_t`` (CBAM indirect emissions [t CO2]),
      available once the screen carries that column; until then the rule raises
      ``leads.rule_unavailable`` (:func:`available_rules` tells which rules a table supports).

    Each lead's ``why`` is a tuple of :class:`Reason` (catalogue code + parameters, no text):
    the rule's figure, the position (gap to the lead above, or lead over the next), a peer
    benchmark where the group is large enough (or the group size when it is not), and the
    energy trend when there is one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analytics.findings import InputError
from analytics.green import align_pv
from analytics.portfolio.store import Workspace
from analytics.tou import bill, default_tariffs_for, resolve_tariff

MIN_GROUP = 5  # fewest peers with a value for a percentile
MIN_MONTH_COVERAGE = 0.9  # share of a month's intervals with data for a trend month
BENCHMARK_METRICS: tuple[str, ...] = (
    "sec_kwh_per_unit",
    "peak_sharp_energy_share",
    "load_factor",
    "renewable_share_now",
)
GROUPS: tuple[str, ...] = ("industry", "province")
TREND_METRICS: tuple[str, ...] = ("energy_kwh", "total_cost_cny", "peak_share", "renewable_share")
RELATIVE_TRENDS = frozenset({"energy_kwh", "total_cost_cny"})  # ratio − 1; others: difference
#: rule → the column it ranks by (largest first)
RULES: Mapping[str, str] = {
    "certificate_need": "gec_count",
    "valley_shift": "valley_shift_value_cny",
    "cbam_exposure": "cbam_indirect_emissions_t",
}
#: rule → (metric whose industry percentile explains the lead, True = a high percentile counts)
PEER_REASON: Mapping[str, tuple[str, bool]] = {
    "certificate_need": ("renewable_share_now", False),
    "valley_shift": ("peak_sharp_energy_share", True),
}
PEER_NOTABLE = 0.75  # a percentile ≥ this (or ≤ 1 − this) is worth a reason
TREND_NOTABLE = 0.05  # |relative energy change| ≥ this is worth a reason


@dataclass(frozen=True)
class Reason:
    """One part of a lead's explanation: catalogue key ``code`` with its parameters."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- derived columns


def derived(table: pd.DataFrame) -> pd.DataFrame:
    """The screen table with ``renewable_share_now`` and ``valley_shift_potential_kwh`` added."""
    out = table.copy()
    energy = out["energy_kwh"].astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        share = out["pv_self_consumed_kwh"].fillna(0.0).astype("float64") / energy
    out["renewable_share_now"] = share.where(energy > 0)
    out["valley_shift_potential_kwh"] = out["peak_sharp_energy_share"].astype("float64") * energy
    return out


# --------------------------------------------------------------------------- benchmarks


def _usable(table: pd.DataFrame) -> pd.Series:
    ok = pd.Series(True, index=table.index)
    if "error" in table:
        ok &= table["error"].isna()
    return ok


def benchmarks(table: pd.DataFrame, *, min_group: int = MIN_GROUP) -> pd.DataFrame:
    """Percentiles within industry and province (see the module docstring).

    Returns one row per row of ``table`` (same order): ``enterprise_id`` and, per metric and
    group, ``<metric>_pct_<group>`` (float, NaN without a percentile) and ``<metric>_n_<group>``
    (Int64: peers with a value, 0 when the enterprise has none).
    """
    if min_group < 1:
        raise InputError("leads.bad_min_group", value=min_group, expected="≥ 1")
    src = derived(table)
    out = pd.DataFrame({"enterprise_id": src["enterprise_id"].to_numpy()}, index=src.index)
    ok = _usable(src)
    for metric in BENCHMARK_METRICS:
        for group in GROUPS:
            value = src[metric].astype("float64").where(ok)
            key = src[group].where(src[group].notna() & (src[group].astype(str) != ""))
            value = value.where(key.notna())
            n = value.groupby(key).transform("count")
            pct = value.groupby(key).rank(pct=True, method="average")
            out[f"{metric}_pct_{group}"] = pct.where(n >= min_group).astype("float64")
            out[f"{metric}_n_{group}"] = n.where(value.notna(), 0).fillna(0).astype("Int64")
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- monthly trends


def _month_intervals(month: pd.Period, interval_minutes: int) -> int:
    return month.days_in_month * 24 * 60 // interval_minutes


def enterprise_months(
    frame: pd.DataFrame,
    *,
    tariffs: list | None = None,
    contracted_kva: float | None = None,
    pv: pd.DataFrame | None = None,
    interval_minutes: int = 15,
) -> pd.DataFrame:
    """Monthly figures of one canonical load frame (columns as in the module docstring)."""
    versions = tariffs or default_tariffs_for(frame)
    monthly = bill(frame, versions, contracted_kva=contracted_kva).monthly
    kwh = frame["kwh"]
    local_month = kwh.index.tz_localize(None).to_period("M")
    self_kwh = pd.Series(0.0, index=kwh.index)
    if pv is not None:
        pv_kwh, _ = align_pv(pv, kwh.index)
        self_kwh = np.minimum(kwh.fillna(0.0), pv_kwh.fillna(0.0))
    present = kwh.notna().groupby(local_month).sum()
    pv_self = pd.Series(self_kwh.to_numpy(), index=kwh.index).groupby(local_month).sum()
    out = pd.DataFrame({"month": monthly["month"].astype(str)})
    energy = monthly["energy_kwh"].astype("float64").to_numpy()
    peak = (monthly["energy_kwh_sharp"] + monthly["energy_kwh_peak"]).astype("float64")
    periods = pd.PeriodIndex(out["month"], freq="M")
    with np.errstate(divide="ignore", invalid="ignore"):
        out["energy_kwh"] = energy
        out["total_cost_cny"] = monthly["total_cost_cny"].astype("float64").to_numpy()
        out["peak_share"] = np.where(energy > 0, peak.to_numpy() / energy, np.nan)
        out["renewable_share"] = np.where(
            energy > 0, pv_self.reindex(periods).fillna(0.0).to_numpy() / energy, np.nan
        )
    expected = [_month_intervals(p, interval_minutes) for p in periods]
    out["coverage"] = present.reindex(periods).fillna(0).to_numpy() / np.asarray(expected)
    return out


def monthly_figures(workspace: str | Path, enterprise_ids: Iterable[str] | None = None):
    """:func:`enterprise_months` of every stored load (or of ``enterprise_ids``), stacked with
    an ``enterprise_id`` column; enterprises whose load cannot be priced are left out."""
    with Workspace(workspace, read_only=True) as ws:
        ids = list(enterprise_ids) if enterprise_ids is not None else ws.enterprise_ids()
        loads, pvs = ws.series(ids, "load"), ws.series(ids, "pv")
        ents = {i: ws.enterprise(i) for i in loads}
        minutes = {i: m.interval_minutes for i, m in ws.series_meta(list(loads), "load").items()}
    parts = []
    for eid, series in loads.items():
        ent = ents[eid]
        try:
            tariffs = [resolve_tariff(ent.tariff)] if ent.tariff else None
            months = enterprise_months(
                series.frame,
                tariffs=tariffs,
                contracted_kva=ent.contracted_kva,
                pv=pvs[eid].frame if eid in pvs else None,
                interval_minutes=minutes[eid],
            )
        except (InputError, ValueError, KeyError):
            continue  # the screen row carries the error code
        months.insert(0, "enterprise_id", eid)
        parts.append(months)
    cols = ["enterprise_id", "month", *TREND_METRICS, "coverage"]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)


def _change(metric: str, now: float, before: float) -> float:
    if metric in RELATIVE_TRENDS:
        return now / before - 1.0 if before and math.isfinite(before) else math.nan
    return now - before


def deltas(monthly: pd.DataFrame, *, min_coverage: float = MIN_MONTH_COVERAGE) -> pd.DataFrame:
    """Month-on-month and year-on-year changes at each enterprise's reference month.

    Returns one row per enterprise: ``enterprise_id``, ``reference_month`` ("YYYY-MM"),
    ``years`` (distinct calendar years with data), ``<metric>_mom`` and ``<metric>_yoy`` for
    each of :data:`TREND_METRICS` (definitions in the module docstring).
    """
    cols = ["enterprise_id", "reference_month", "years"] + [
        f"{m}_{k}" for m in TREND_METRICS for k in ("mom", "yoy")
    ]
    rows = []
    for eid, g in monthly.groupby("enterprise_id", sort=True):
        by_month = g.set_index(pd.PeriodIndex(g["month"].astype(str), freq="M"))
        good = by_month[by_month["coverage"] >= min_coverage]
        row: dict[str, Any] = {
            "enterprise_id": eid,
            "years": len({p.year for p in by_month.index}),
        }
        if good.empty:
            rows.append(row)
            continue
        ref = good.index.max()
        row["reference_month"] = str(ref)
        for kind, earlier in (("mom", ref - 1), ("yoy", ref - 12)):
            for metric in TREND_METRICS:
                row[f"{metric}_{kind}"] = (
                    _change(metric, good.at[ref, metric], good.at[earlier, metric])
                    if earlier in good.index
                    else math.nan
                )
        rows.append(row)
    out = pd.DataFrame(rows, columns=cols)
    out["years"] = out["years"].astype("Int64")
    for c in cols[3:]:
        out[c] = out[c].astype("float64")
    return out


# --------------------------------------------------------------------------- leads


def available_rules(table: pd.DataFrame) -> dict[str, bool]:
    """Which rules of :data:`RULES` the table supports (its column is present)."""
    cols = set(derived(table).columns) if "energy_kwh" in table else set(table.columns)
    return {rule: column in cols for rule, column in RULES.items()}


def _figure_reason(rule: str, row: pd.Series) -> Reason:
    if rule == "certificate_need":
        return Reason(
            "leads.why.certificate_need",
            {"gec": int(row["gec_count"]), "purchase_kwh": float(row["green_purchase_kwh"])},
        )
    if rule == "valley_shift":
        return Reason(
            "leads.why.valley_shift",
            {
                "shift_kwh": float(row["valley_shift_potential_kwh"]),
                "share": float(row["peak_sharp_energy_share"]),
                "value_cny": float(row["valley_shift_value_cny"]),
            },
        )
    return Reason("leads.why.cbam_exposure", {"t": float(row[RULES[rule]])})


def _position_reason(rule: str, values: np.ndarray, i: int) -> Reason:
    n = len(values)
    gap = "gap_cny" if rule == "valley_shift" else "gap"  # money: formatted by its unit
    if n == 1:
        return Reason("leads.why.only")
    if i == 0:
        return Reason(f"leads.why.first.{rule}", {"n": n, gap: values[0] - values[1]})
    return Reason(
        f"leads.why.behind.{rule}",
        {"rank": i + 1, "n": n, gap: values[i - 1] - values[i]},
    )


def _peer_reason(rule: str, row: pd.Series, min_group: int) -> Reason | None:
    if rule not in PEER_REASON:
        return None
    metric, high = PEER_REASON[rule]
    pct, n = row.get(f"{metric}_pct_industry"), row.get(f"{metric}_n_industry")
    if pct is None or n is None or pd.isna(n) or int(n) == 0:
        return None
    if pd.isna(pct):
        return Reason("leads.why.small_group", {"n": int(n), "min": min_group})
    notable = pct >= PEER_NOTABLE if high else pct <= 1 - PEER_NOTABLE
    if not notable:
        return None
    return Reason(f"leads.why.peer.{metric}", {"pct": float(pct), "n": int(n)})


def _trend_reason(row: pd.Series) -> Reason | None:
    for kind in ("yoy", "mom"):
        change = row.get(f"energy_kwh_{kind}")
        if change is not None and pd.notna(change) and abs(change) >= TREND_NOTABLE:
            return Reason(
                f"leads.why.energy_{kind}",
                {"change": float(change), "month": str(row.get("reference_month") or "")},
            )
    return None


def rank_leads(
    table: pd.DataFrame,
    rule: str,
    *,
    trends: pd.DataFrame | None = None,
    min_group: int = MIN_GROUP,
) -> pd.DataFrame:
    """The screen table ranked by ``rule`` with benchmarks, trends and a ``why`` per lead.

    Parameters
    ----------
    table : DataFrame
        A screen table (:data:`analytics.portfolio.COLUMNS`; extra columns are kept).
    rule : str
        A key of :data:`RULES`.
    trends : DataFrame, optional
        :func:`deltas` of the same enterprises (merged on ``enterprise_id``).
    min_group : int
        Fewest peers for a percentile.

    Returns
    -------
    DataFrame
        ``rank`` (Int64, 1 = best lead; empty without a value), ``rule``, ``rule_value``
        (the ranked column), the table's columns, ``renewable_share_now``,
        ``valley_shift_potential_kwh``, the :func:`benchmarks` columns, the trend columns when
        given, and ``why`` (tuple of :class:`Reason`). Raises ``leads.unknown_rule`` or
        ``leads.rule_unavailable``.
    """
    if rule not in RULES:
        raise InputError("leads.unknown_rule", rule=rule, expected=", ".join(RULES))
    if not available_rules(table)[rule]:
        raise InputError("leads.rule_unavailable", rule=rule, column=RULES[rule])
    df = derived(table).reset_index(drop=True)
    df = df.merge(benchmarks(table, min_group=min_group), on="enterprise_id", how="left")
    if trends is not None:
        df = df.merge(trends, on="enterprise_id", how="left")
    value = df[RULES[rule]].astype("float64").where(_usable(df))
    df.insert(0, "rule_value", value)
    df.insert(0, "rule", rule)
    df = df.assign(_has=value.notna()).sort_values(
        ["_has", "rule_value", "enterprise_id"], ascending=[False, False, True], kind="stable"
    )
    df = df.drop(columns="_has").reset_index(drop=True)
    ranked = int(value.notna().sum())
    df.insert(
        0, "rank", pd.array(list(range(1, ranked + 1)) + [None] * (len(df) - ranked), "Int64")
    )
    values = df["rule_value"].to_numpy("float64")[:ranked]
    whys: list[tuple[Reason, ...]] = []
    for i, row in df.iterrows():
        if i >= ranked:
            whys.append((Reason("leads.why.no_value", {"column": RULES[rule]}),))
            continue
        parts = [_figure_reason(rule, row), _position_reason(rule, values, int(i))]
        parts += [r for r in (_peer_reason(rule, row, min_group), _trend_reason(row)) if r]
        whys.append(tuple(parts))
    df["why"] = whys
    return df


# --------------------------------------------------------------------------- one enterprise


def enterprise_figures(table: pd.DataFrame, enterprise_id: str) -> dict[str, float]:
    """The :data:`BENCHMARK_METRICS` of one row of a screen table (``renewable_share_now`` as
    :func:`derived` defines it; NaN where the row has no value)."""
    src = derived(table)
    row = src[src["enterprise_id"] == enterprise_id]
    if row.empty:
        raise InputError("demo.unknown_enterprise", value=enterprise_id, expected="a screen row")
    return {
        m: float(row.iloc[0][m]) if pd.notna(row.iloc[0][m]) else math.nan
        for m in BENCHMARK_METRICS
    }


def compare_to_group(
    table: pd.DataFrame,
    figures: Mapping[str, float],
    *,
    group_value: str,
    group: str = "industry",
    enterprise_id: str | None = None,
    min_group: int = MIN_GROUP,
) -> pd.DataFrame:
    """One enterprise's figures against one group of a screen table (its industry or province).

    The peers are the usable rows (no error code) of ``table`` whose ``group`` equals
    ``group_value`` and that have a value of the metric, the enterprise ``enterprise_id`` left
    out (so an enterprise of the table is not counted twice, and one from outside — the sample,
    an upload — is compared with the portfolio as it is).

    Returns one row per metric of :data:`BENCHMARK_METRICS` (that order): ``metric``,
    ``value`` (``figures[metric]``, NaN when absent), ``median`` (median of the peers' values,
    NaN without peers), ``pct`` — the enterprise's percentile among the peers plus itself,
    ``rank(pct=True, method="average")`` as in :func:`benchmarks` (so for an enterprise of the
    table it equals its ``<metric>_pct_<group>``), NaN when it has no value or that group has
    fewer than ``min_group`` members — and ``n`` (Int64: the peers plus the enterprise when it
    has a value).
    """
    if min_group < 1:
        raise InputError("leads.bad_min_group", value=min_group, expected="≥ 1")
    src = derived(table)
    members = _usable(src) & (src[group].astype(str) == str(group_value))
    if enterprise_id is not None:
        members &= src["enterprise_id"] != enterprise_id
    rows = []
    for metric in BENCHMARK_METRICS:
        peers = src.loc[members, metric].astype("float64").dropna().to_numpy()
        value = float(figures.get(metric, math.nan))
        has = math.isfinite(value)
        n = len(peers) + (1 if has else 0)
        pct = math.nan
        if has and n >= min_group:
            pct = float(pd.Series([*peers, value]).rank(pct=True, method="average").iloc[-1])
        median = float(np.median(peers)) if len(peers) else math.nan
        rows.append({"metric": metric, "value": value, "median": median, "pct": pct, "n": n})
    out = pd.DataFrame(rows, columns=["metric", "value", "median", "pct", "n"])
    out["n"] = out["n"].astype("Int64")
    return out
