"""Monthly power factor and the 力调 adjustment (功率因数调整电费) of the bill.

The rule is the national 《功率因数调整电费办法》 ((83)水电财字第215号); its three tables (standards
0.90, 0.85 and 0.80) live in ``tou/data/power_factor_adjustment.toml`` with the source and the
confidence of each part. No user-visible text here.

Definitions
-----------
P, Q
    A calendar month's sums over the intervals that hold both the active energy and the
    counted reactive energy: P = Σ ``kwh`` [kWh], Q = Σ ``kvarh_lag`` [kvarh] (``leading =
    "ignore"``, the rule's anti-reverse meter: leading energy sent back does not count) or
    Σ (``kvarh_lag`` + ``kvarh_lead``) (``leading = "add"``, the |lagging| + |leading| option).
pf
    P / √(P² + Q²) (None when P = 0); the table is read at pf rounded half up to 0.01.
adjustment_share
    From the table of the standard: + surcharge below it, − rebate above it, 0 at it
    [share of the month's bill, 0.005 = 0.5 %].
adjustment_cny
    adjustment_share × the month's bill basis = energy charge + basic (demand or capacity)
    charge of :func:`analytics.tou.bill` (``Bill.monthly.total_cost_cny``) [CNY]; + = paid more.
"""

from __future__ import annotations

import functools
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analytics.findings import DataWarning, InputError
from analytics.tou.engine import Bill

DATA_FILE = Path(__file__).parent / "data" / "power_factor_adjustment.toml"
STANDARDS: tuple[float, ...] = (0.90, 0.85, 0.80)
LEADING_MODES: tuple[str, ...] = ("ignore", "add")
_TOP_KEYS = {"document", "source_urls", "rules", "standard"}
_RULE_KEYS = {
    "rounding",
    "rounding_confidence",
    "basis",
    "basis_confidence",
    "reactive",
    "reactive_confidence",
    "leading_add_confidence",
}
_STANDARD_KEYS = {
    "value",
    "applies_to",
    "applies_to_en",
    "surcharge_confidence",
    "rebate_confidence",
    "surcharge",
    "rebate",
}
_BAND_KEYS = {"from", "to", "per_step"}


@dataclass(frozen=True)
class Band:
    """One band of a table: from ``start`` to ``end`` [hundredths of pf], ``per_step`` share
    per 0.01 inside it."""

    start: int
    end: int
    per_step: float

    def steps(self, pf_hundredths: int) -> int:
        """0.01 steps of ``pf_hundredths`` that fall inside the band, counted from ``start``."""
        if self.end < self.start:  # a surcharge band, going down from the standard
            return max(0, self.start - max(pf_hundredths, self.end))
        return max(0, min(pf_hundredths, self.end) - self.start)


@dataclass(frozen=True)
class StandardTable:
    """The adjustment table of one standard (hundredths: 90 = 0.90)."""

    value: int
    surcharge: tuple[Band, ...]
    rebate: tuple[Band, ...]
    surcharge_confidence: str
    rebate_confidence: str
    applies_to: str
    applies_to_en: str

    def share(self, pf_hundredths: int) -> float:
        """+ surcharge below the standard, − rebate above it (the rebate's last band caps it)."""
        if pf_hundredths < self.value:
            return round(math.fsum(b.steps(pf_hundredths) * b.per_step for b in self.surcharge), 9)
        if pf_hundredths > self.value:
            return -round(math.fsum(b.steps(pf_hundredths) * b.per_step for b in self.rebate), 9)
        return 0.0

    @property
    def rebate_cap(self) -> float:
        """Largest rebate [share]: the rebate at pf = 1.00."""
        return -self.share(100)


@dataclass(frozen=True)
class AdjustmentRules:
    document: str
    source_urls: tuple[str, ...]
    rules: dict[str, str]
    standards: dict[int, StandardTable]


def _bad(file: str, key: str, expected: str) -> InputError:
    return InputError("power_factor.table_invalid", file=file, column=key, expected=expected)


def _check_keys(table: dict[str, Any], allowed: set[str], file: str, where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise _bad(file, f"{where}.{unknown[0]}", "one of " + ", ".join(sorted(allowed)))


def _bands(raw: list[dict[str, Any]], file: str, where: str) -> tuple[Band, ...]:
    out = []
    for i, b in enumerate(raw):
        _check_keys(b, _BAND_KEYS, file, f"{where}[{i}]")
        if not (0 <= b["from"] <= 100 and 0 <= b["to"] <= 100 and 0 <= b["per_step"] < 1):
            raise _bad(file, f"{where}[{i}]", "from/to in 0–100, per_step in [0, 1)")
        out.append(Band(int(b["from"]), int(b["to"]), float(b["per_step"])))
    return tuple(out)


def _standard(raw: dict[str, Any], file: str) -> StandardTable:
    _check_keys(raw, _STANDARD_KEYS, file, "standard")
    v = int(raw["value"])
    return StandardTable(
        value=v,
        surcharge=_bands(raw["surcharge"], file, f"standard.{v}.surcharge"),
        rebate=_bands(raw["rebate"], file, f"standard.{v}.rebate"),
        surcharge_confidence=str(raw["surcharge_confidence"]),
        rebate_confidence=str(raw["rebate_confidence"]),
        applies_to=str(raw["applies_to"]),
        applies_to_en=str(raw["applies_to_en"]),
    )


def parse_rules(text: str, *, file: str = DATA_FILE.name) -> AdjustmentRules:
    """Parse an adjustment-table TOML (strict: unknown keys raise
    ``power_factor.table_invalid`` naming the key)."""
    try:
        raw = tomllib.loads(text)
        _check_keys(raw, _TOP_KEYS, file, "")
        _check_keys(raw["rules"], _RULE_KEYS, file, "rules")
        standards = {s.value: s for s in (_standard(r, file) for r in raw["standard"])}
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, InputError):
            raise
        raise _bad(file, str(exc), "the keys of power_factor_adjustment.toml") from exc
    return AdjustmentRules(
        document=str(raw["document"]),
        source_urls=tuple(raw["source_urls"]),
        rules={k: str(v) for k, v in raw["rules"].items()},
        standards=standards,
    )


@functools.cache
def adjustment_rules() -> AdjustmentRules:
    """The shipped tables (read once; a plain data file, no user input)."""
    return parse_rules(DATA_FILE.read_text(encoding="utf-8"))


def rounded_hundredths(pf: float) -> int:
    """pf rounded half up to 0.01, in hundredths (0.885 → 89; the 1e-9 absorbs binary
    representation: 0.885 × 100 = 88.4999…)."""
    return int(math.floor(pf * 100 + 0.5 + 1e-9))


def adjustment_share(pf: float, standard: float = 0.90) -> float:
    """The table's adjustment at power factor ``pf`` for ``standard`` (0.90 / 0.85 / 0.80)
    [share of the month's bill; + surcharge, − rebate]."""
    return _table(standard).share(rounded_hundredths(pf))


def _table(standard: float) -> StandardTable:
    key = rounded_hundredths(standard)
    tables = adjustment_rules().standards
    if key not in tables:
        raise InputError(
            "power_factor.bad_standard",
            expected="0.90, 0.85 or 0.80",
            value=standard,
        )
    return tables[key]


@dataclass(frozen=True)
class PowerFactorResult:
    """The monthly power factors of a load with reactive energy (module docstring)."""

    standard: float
    leading: str
    months: pd.DataFrame  # month, kwh, kvarh, kvarh_lead, pf, pf_rounded, share, basis, cny
    warnings: tuple[DataWarning, ...] = ()

    @property
    def adjustment_cny(self) -> float:
        return float(np.nansum(self.months["adjustment_cny"].to_numpy(dtype=float)))


def has_reactive(frame: pd.DataFrame) -> bool:
    """Whether the canonical frame carries the lagging reactive column (``kvarh_lag``)."""
    return "kvarh_lag" in frame.columns and bool(frame["kvarh_lag"].notna().any())


def _month_keys(index: pd.DatetimeIndex) -> np.ndarray:
    """``"YYYY-MM"`` of each interval start (local time), as in ``Bill.monthly.month``."""
    return np.asarray(index.year * 100 + index.month)


def monthly_power_factor(
    frame: pd.DataFrame,
    bill: Bill,
    *,
    standard: float = 0.90,
    leading: str = "ignore",
) -> PowerFactorResult | None:
    """The month-by-month power factor and adjustment, or None without reactive energy.

    Parameters
    ----------
    frame : DataFrame
        Canonical frame with ``kwh`` and ``kvarh_lag`` (``kvarh_lead`` optional) [kWh, kvarh].
    bill : Bill
        The bill of the same frame (:func:`analytics.tou.bill`); its monthly total is the basis.
    standard : float
        0.90 (default), 0.85 or 0.80.
    leading : {"ignore", "add"}
        Whether leading reactive energy is added to the lagging (module docstring).
    """
    if leading not in LEADING_MODES:
        raise InputError("power_factor.bad_leading", expected="ignore or add", value=leading)
    table = _table(standard)
    if not has_reactive(frame):
        return None
    warnings: list[DataWarning] = []
    lead = frame["kvarh_lead"] if "kvarh_lead" in frame.columns else None
    q = frame["kvarh_lag"]
    if leading == "add" and lead is not None:
        q = q + lead
    elif lead is not None and float(lead.fillna(0).abs().sum()) > 0:
        warnings.append(
            DataWarning(
                "power_factor.leading_not_counted",
                count=int((lead.fillna(0) != 0).sum()),
                params={"kvarh": round(float(lead.sum()), 1)},
            )
        )
    both = frame["kwh"].notna() & q.notna()
    keys = _month_keys(pd.DatetimeIndex(frame.index))
    df = pd.DataFrame(
        {
            "key": keys[both.to_numpy()],
            "kwh": frame["kwh"][both].to_numpy(),
            "kvarh": q[both].to_numpy(),
            "kvarh_lead": (lead[both].fillna(0.0).to_numpy() if lead is not None else 0.0),
        }
    )
    sums = df.groupby("key", sort=True)[["kwh", "kvarh", "kvarh_lead"]].sum()
    basis = bill.monthly.set_index("month")["total_cost_cny"]
    rows = []
    for key, r in sums.iterrows():
        month = f"{int(key) // 100}-{int(key) % 100:02d}"
        p, qq = float(r["kwh"]), float(r["kvarh"])
        pf = p / math.hypot(p, qq) if p > 0 else None
        share = table.share(rounded_hundredths(pf)) if pf is not None else None
        b = float(basis.get(month, float("nan")))
        rows.append(
            {
                "month": month,
                "kwh": p,
                "kvarh": qq,
                "kvarh_lead": float(r["kvarh_lead"]),
                "pf": pf,
                "pf_rounded": rounded_hundredths(pf) / 100 if pf is not None else None,
                "adjustment_share": share,
                "basis_cny": b,
                "adjustment_cny": share * b if share is not None else None,
            }
        )
    return PowerFactorResult(
        standard=table.value / 100,
        leading=leading,
        months=pd.DataFrame(rows),
        warnings=tuple(warnings),
    )


def _num(v: Any) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


def power_factor_section(result: PowerFactorResult) -> dict[str, Any]:
    """The ``power_factor`` JSON section (plain types; README "Bills, power factor")."""
    rules = adjustment_rules()
    table = rules.standards[rounded_hundredths(result.standard)]
    return {
        "standard": result.standard,
        "reactive": "lagging" if result.leading == "ignore" else "lagging_plus_leading",
        "document": rules.document,
        "basis": rules.rules["basis"],
        "confidence": {
            "surcharge": table.surcharge_confidence,
            "rebate": table.rebate_confidence,
            "leading_add": rules.rules["leading_add_confidence"],
        },
        "rebate_cap_share": table.rebate_cap,
        "adjustment_cny": result.adjustment_cny,
        "months": [
            {k: (v if k == "month" else _num(v)) for k, v in row.items()}
            for row in result.months.to_dict("records")
        ],
    }
