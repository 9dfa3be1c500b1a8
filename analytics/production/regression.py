"""Energy vs production regression (statsmodels OLS) with DOE VERIFI validity rules, and CUSUM.

Per period (local calendar day, ISO week starting Monday, or calendar month):
``energy_kwh = intercept_kwh + slope_kwh_per_unit × units [+ b₂ × x₂]``, with ``units``
spread over intervals by run overlap (:func:`analytics.production.align`) and ``x₂``
optional: production hours or mean temperature [°C].

Only complete periods are used by default; every period left out is named with its reason
(``partial``: the meter does not cover the whole period; ``missing``: intervals without
data; ``outside_schedule``: the period lies wholly before the first run or after the last,
so its zero output is unknown rather than measured).

Validity (DOE Superior Energy Performance / EnPI "VERIFI" rules): the model p-value (F-test)
≤ 0.10, every predictor's p-value ≤ 0.20, at least one predictor p-value < 0.10, and
R² ≥ 0.5. ``notes`` holds the code of each rule that fails plus informational codes.

``cv_rmse`` = √(SSE / (n − p)) / ȳ with p parameters including the intercept (ASHRAE
Guideline 14). No Streamlit.

References
----------
US DOE, Superior Energy Performance Measurement and Verification Protocol for Industry
(2012), and the EnPI / VERIFI tool's regression validity checks.
"""

from __future__ import annotations

import math
import warnings as _warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

GRANULARITIES: tuple[str, ...] = ("day", "week", "month")
SECOND_PREDICTORS: tuple[str, ...] = ("production_hours", "temperature_c")
MODEL_P_MAX = 0.10
PREDICTOR_P_MAX = 0.20
ANY_PREDICTOR_P_BELOW = 0.10
R2_MIN = 0.5

#: Codes of ``RegressionResult.notes`` (i18n ``note.<code>``).
NOTE_CODES: tuple[str, ...] = (
    "regression.model_p_high", "regression.predictor_p_high",
    "regression.no_significant_predictor", "regression.r2_low", "regression.too_few_points",
    "regression.no_variation", "regression.periods_excluded", "regression.negative_slope",
)  # fmt: skip
#: The four validity rules, in the order the page shows them (i18n ``rule.<name>``).
RULES: tuple[str, ...] = ("model_p", "predictor_p", "significant_predictor", "r2")


@dataclass(frozen=True, eq=False)
class RegressionResult:
    """An energy-vs-production model.

    Attributes
    ----------
    granularity : str
    predictors : tuple of str
        ``("units",)`` or ``("units", second)``.
    intercept_kwh : float
        Energy per period at zero output [kWh].
    slope_kwh_per_unit : float
        Marginal energy per unit [kWh/unit].
    second_coef : float or None
        Coefficient of the second predictor [kWh/h or kWh/°C].
    r2, adj_r2, p_value, cv_rmse : float
        R², adjusted R², model (F-test) p-value, CV(RMSE) [0–1].
    p_values : dict
        p-value per parameter (``const``, ``units``, second).
    n : int
        Periods in the fit.
    valid : bool
        All four VERIFI rules pass.
    notes : tuple of str
        Codes (see :data:`NOTE_CODES`).
    checks : DataFrame
        ``rule, value, threshold, passed`` for :data:`RULES`.
    table : DataFrame
        Per period used: ``period`` (start, local), ``energy_kwh``, ``units``,
        ``production_hours`` [, ``temperature_c``], ``predicted_kwh``, ``residual_kwh``,
        ``cusum_kwh`` (running Σ actual − predicted).
    excluded : DataFrame
        ``period``, ``reason`` of each period left out.
    """

    granularity: str
    predictors: tuple[str, ...]
    intercept_kwh: float
    slope_kwh_per_unit: float
    second_coef: float | None
    r2: float
    adj_r2: float
    p_value: float
    p_values: dict[str, float]
    cv_rmse: float
    n: int
    valid: bool
    notes: tuple[str, ...]
    checks: pd.DataFrame = field(repr=False)
    table: pd.DataFrame = field(repr=False)
    excluded: pd.DataFrame = field(repr=False)


def _period_start(wall: pd.DatetimeIndex, granularity: str) -> pd.DatetimeIndex:
    """Local wall-clock period start of each naive time."""
    day = wall.normalize()
    if granularity == "day":
        return day
    if granularity == "week":
        return day - pd.to_timedelta(day.day_of_week, unit="D")
    return day - pd.to_timedelta(day.day - 1, unit="D")


def _next_start(start: pd.DatetimeIndex, granularity: str) -> pd.DatetimeIndex:
    if granularity == "day":
        return start + pd.Timedelta(days=1)
    if granularity == "week":
        return start + pd.Timedelta(days=7)
    return start + pd.offsets.MonthBegin(1)


def period_table(
    kwh: pd.Series,
    units: pd.Series,
    production: pd.Series,
    *,
    interval_minutes: int,
    granularity: str = "day",
    temperature_c: pd.Series | None = None,
    schedule_span: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    complete_only: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Aggregate intervals to periods; returns ``(used, excluded)``.

    ``used`` columns: ``period`` (local start, tz-aware), ``energy_kwh``, ``units``,
    ``production_hours`` [, ``temperature_c``]; ``excluded``: ``period``, ``reason``.
    """
    if granularity not in GRANULARITIES:
        raise ValueError(f"granularity must be one of {GRANULARITIES}")
    idx = pd.DatetimeIndex(kwh.index)
    tz = idx.tz
    wall = idx.tz_localize(None) if tz is not None else idx
    key = _period_start(wall, granularity)
    h = interval_minutes / 60.0
    v = kwh.to_numpy(dtype=float)
    df = pd.DataFrame(
        {
            "key": key,
            "kwh": np.where(np.isnan(v), 0.0, v),
            "present": ~np.isnan(v),
            "rows": 1,
            "units": units.to_numpy(dtype=float),
            "prod_h": production.to_numpy(dtype=float) * h,
        }
    )
    g = df.groupby("key", sort=True).sum()
    starts = pd.DatetimeIndex(g.index)
    ends = pd.DatetimeIndex(_next_start(starts, granularity))
    if tz is not None:
        s_loc = starts.tz_localize(tz, ambiguous=False, nonexistent="shift_forward")
        e_loc = ends.tz_localize(tz, ambiguous=False, nonexistent="shift_forward")
    else:
        s_loc, e_loc = starts, ends
    expected = np.round((e_loc - s_loc) / pd.Timedelta(minutes=interval_minutes)).astype(int)
    reason = np.full(len(g), "", dtype=object)
    reason[g["rows"].to_numpy() < expected] = "partial"
    reason[(reason == "") & (g["present"].to_numpy() < g["rows"].to_numpy())] = "missing"
    if schedule_span is not None:
        first, last = schedule_span
        out = (e_loc <= first) | (s_loc >= last)
        reason[(reason == "") & np.asarray(out)] = "outside_schedule"
    table = pd.DataFrame(
        {
            "period": s_loc,
            "energy_kwh": g["kwh"].to_numpy(),
            "units": g["units"].to_numpy(),
            "production_hours": g["prod_h"].to_numpy(),
        }
    )
    if temperature_c is not None:
        t_idx = pd.DatetimeIndex(temperature_c.index)
        t_wall = (
            t_idx.tz_convert(tz).tz_localize(None)
            if t_idx.tz is not None and tz is not None
            else t_idx
        )
        t_mean = temperature_c.groupby(_period_start(pd.DatetimeIndex(t_wall), granularity)).mean()
        table["temperature_c"] = t_mean.reindex(starts).to_numpy(dtype=float)
        no_t = np.isnan(table["temperature_c"].to_numpy())
        reason[(reason == "") & no_t] = "no_temperature"
    if not complete_only:
        reason[np.isin(reason, ["partial", "missing"])] = ""
    keep = reason == ""
    excluded = pd.DataFrame({"period": s_loc[~keep], "reason": reason[~keep]})
    return table.loc[keep].reset_index(drop=True), excluded.reset_index(drop=True)


def _nan_result(granularity, predictors, notes, table, excluded, n) -> RegressionResult:
    checks = pd.DataFrame(
        {
            "rule": list(RULES),
            "value": [math.nan] * 4,
            "threshold": [MODEL_P_MAX, PREDICTOR_P_MAX, ANY_PREDICTOR_P_BELOW, R2_MIN],
            "passed": [False] * 4,
        }
    )
    t = table.assign(predicted_kwh=math.nan, residual_kwh=math.nan, cusum_kwh=math.nan)
    return RegressionResult(
        granularity,
        predictors,
        math.nan,
        math.nan,
        None if len(predictors) < 2 else math.nan,
        math.nan,
        math.nan,
        math.nan,
        {},
        math.nan,
        n,
        False,
        tuple(notes),
        checks,
        t,
        excluded,
    )


def fit_energy_model(
    table: pd.DataFrame,
    excluded: pd.DataFrame | None = None,
    *,
    granularity: str = "day",
    second: str | None = None,
) -> RegressionResult:
    """OLS of ``energy_kwh`` on ``units`` (and ``second``) over the rows of ``table``.

    Parameters
    ----------
    table : DataFrame
        From :func:`period_table` (``energy_kwh``, ``units`` and the second predictor).
    excluded : DataFrame, optional
        Periods left out (reported, and noted as ``regression.periods_excluded``).
    second : {"production_hours", "temperature_c"}, optional
    """
    import statsmodels.api as sm

    if second is not None and second not in SECOND_PREDICTORS:
        raise ValueError(f"second must be one of {SECOND_PREDICTORS}")
    excluded = excluded if excluded is not None else pd.DataFrame(columns=["period", "reason"])
    predictors = ("units",) if second is None else ("units", second)
    notes: list[str] = []
    if len(excluded):
        notes.append("regression.periods_excluded")
    n = len(table)
    k = len(predictors)
    if n < k + 2:
        return _nan_result(
            granularity, predictors, [*notes, "regression.too_few_points"], table, excluded, n
        )
    X = table[list(predictors)].to_numpy(dtype=float)
    if np.any(np.ptp(X, axis=0) == 0):
        return _nan_result(
            granularity, predictors, [*notes, "regression.no_variation"], table, excluded, n
        )
    y = table["energy_kwh"].to_numpy(dtype=float)
    Xc = sm.add_constant(pd.DataFrame(X, columns=list(predictors)), has_constant="add")
    with np.errstate(all="ignore"), _warnings.catch_warnings():
        _warnings.simplefilter("ignore")
        res = sm.OLS(y, Xc).fit()
        pvals = {name: float(p) for name, p in res.pvalues.items()}
        f_p = float(res.f_pvalue) if res.f_pvalue is not None else math.nan
    sse = float(res.ssr)
    p = k + 1
    rmse = math.sqrt(sse / (n - p))
    cv = rmse / float(y.mean()) if y.mean() != 0 else math.nan
    r2 = float(res.rsquared)
    if sse <= 1e-12 * max(1.0, float(((y - y.mean()) ** 2).sum())):  # exact fit
        f_p = 0.0
        pvals = {name: 0.0 for name in pvals}
        r2 = 1.0
    pred_p = [pvals[name] for name in predictors]
    checks = pd.DataFrame(
        {
            "rule": list(RULES),
            "value": [f_p, max(pred_p), min(pred_p), r2],
            "threshold": [MODEL_P_MAX, PREDICTOR_P_MAX, ANY_PREDICTOR_P_BELOW, R2_MIN],
            "passed": [
                f_p <= MODEL_P_MAX,
                max(pred_p) <= PREDICTOR_P_MAX,
                min(pred_p) < ANY_PREDICTOR_P_BELOW,
                r2 >= R2_MIN,
            ],
        }
    )
    for rule, code in zip(
        RULES,
        (
            "regression.model_p_high",
            "regression.predictor_p_high",
            "regression.no_significant_predictor",
            "regression.r2_low",
        ),
        strict=True,
    ):
        if not bool(checks.loc[checks["rule"] == rule, "passed"].iloc[0]):
            notes.append(code)
    params = res.params
    if params["units"] < 0:
        notes.append("regression.negative_slope")
    predicted = np.asarray(res.fittedvalues, dtype=float)
    resid = y - predicted
    t = table.assign(predicted_kwh=predicted, residual_kwh=resid, cusum_kwh=np.cumsum(resid))
    return RegressionResult(
        granularity=granularity,
        predictors=predictors,
        intercept_kwh=float(params["const"]),
        slope_kwh_per_unit=float(params["units"]),
        second_coef=float(params[second]) if second else None,
        r2=r2,
        adj_r2=float(res.rsquared_adj) if r2 < 1.0 else 1.0,
        p_value=f_p,
        p_values=pvals,
        cv_rmse=cv,
        n=n,
        valid=bool(checks["passed"].all()),
        notes=tuple(notes),
        checks=checks,
        table=t,
        excluded=excluded,
    )


def energy_regression(
    frame: pd.DataFrame,
    alignment,
    *,
    granularity: str = "day",
    second: str | None = None,
    temperature_c: pd.Series | None = None,
    schedule_span: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    complete_only: bool = True,
) -> RegressionResult:
    """Energy vs units per ``granularity`` for a frame and its :class:`~analytics.production.Alignment`.

    Parameters
    ----------
    frame : DataFrame
        Canonical frame (``kwh`` [kWh]).
    alignment : Alignment
        Units and production intervals per interval.
    granularity : {"day", "week", "month"}
    second : {"production_hours", "temperature_c"}, optional
        Second predictor; ``temperature_c`` needs ``temperature_c``.
    temperature_c : Series, optional
        Air temperature, tz-aware index, any step [°C]; averaged per period.
    schedule_span : (Timestamp, Timestamp), optional
        First run start and last run end; periods wholly outside are excluded.
    complete_only : bool
        Leave out periods the meter does not fully cover (default).
    """
    if second == "temperature_c" and temperature_c is None:
        raise ValueError("second='temperature_c' needs temperature_c")
    table, excluded = period_table(
        frame["kwh"],
        alignment.units,
        alignment.production,
        interval_minutes=alignment.interval_minutes,
        granularity=granularity,
        temperature_c=temperature_c if second == "temperature_c" else None,
        schedule_span=schedule_span,
        complete_only=complete_only,
    )
    return fit_energy_model(table, excluded, granularity=granularity, second=second)
