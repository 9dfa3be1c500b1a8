"""GEC (绿证) prices by vintage and project type, and the validity rule for a reporting year.

Prices live in ``green/data/gec_prices.toml`` (one ``[[price]]`` per month × vintage × project
type with its source and confidence; the strict loader rejects unknown keys).

Validity (国能发新能规〔2024〕67号, market-2026.md §3.4, C1): a GEC is valid for 2 years from
its production month — a GEC produced in month M is valid through the end of month M + 23; GECs
produced before 2024 were extended to the end of 2025. **Rule used here**: a GEC counts for
reporting year Y when it is still valid on 31 December of Y and was produced no later than
December of Y. Worked out, this depends on the vintage year V only:

- V > Y: not yet produced for that year (``green.gec_future_vintage``);
- V ∈ {Y − 1, Y}: valid (any month of Y − 1 + 23 months reaches December Y at least);
- V ≤ Y − 2: expired (``green.gec_expired``) — except V < 2024 while Y ≤ 2025 (the extension
  to the end of 2025).

This is the fact sheet's "only current and previous-year vintages count for a reporting year",
plus the one transitional case.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from analytics.findings import DataWarning, InputError

DATA_DIR = Path(__file__).parent / "data"
PRICES_FILE = DATA_DIR / "gec_prices.toml"

#: Project types of the price table.
PRICE_TYPES = ("all", "centralised", "distributed", "biomass")

#: Project types of a holdings file → the price table's type (``all`` when not priced apart).
PROJECT_TYPES: dict[str, str] = {
    "centralised_pv": "centralised",
    "wind": "centralised",
    "distributed_pv": "distributed",
    "biomass": "biomass",
    "hydro": "all",
    "geothermal": "all",
    "other": "all",
    "all": "all",
}

CONFIDENCES = ("C1", "C2", "C3", "U")
VALIDITY_MONTHS = 24  # from the production month, inclusive
TRANSITION_VINTAGE = 2024  # vintages before it were valid to the end of 2025
TRANSITION_END_YEAR = 2025
_PRICE_KEYS = {"month", "vintage", "project_type", "price_cny", "source", "confidence"}
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class GecPrice:
    """One price row of ``gec_prices.toml`` as chosen for a request.

    ``price_cny`` [CNY/certificate]; ``month`` "YYYY-MM" of the average used; ``warnings``:
    ``green.gec_price_nearest_month`` (no month ≤ the one asked), ``green.gec_price_other_vintage``
    (no row of the vintage asked; the nearest vintage used). ``float(price)`` = ``price_cny``.
    """

    price_cny: float
    month: str
    vintage: int
    project_type: str
    source: str
    confidence: str
    warnings: tuple[DataWarning, ...] = ()

    def __float__(self) -> float:
        return self.price_cny

    def to_dict(self) -> dict[str, Any]:
        return {
            "vintage": self.vintage,
            "project_type": self.project_type,
            "month": self.month,
            "price_cny": self.price_cny,
            "source": self.source,
            "confidence": self.confidence,
        }


def _bad(path: Path, problem: str, entry: int | str = "") -> InputError:
    return InputError("green.data_file_invalid", file=path.name, entry=entry, problem=problem)


def month_key(text: str) -> tuple[int, int] | None:
    """``"YYYY-MM"`` → (year, month), or None when it is not one."""
    m = _MONTH.match(text) if isinstance(text, str) else None
    return (int(m.group(1)), int(m.group(2))) if m else None


def _check_price(path: Path, n: int, row: dict[str, Any]) -> GecPrice:
    if set(row) != _PRICE_KEYS:
        raise _bad(path, f"keys {sorted(set(row) ^ _PRICE_KEYS)} unknown or missing", n)
    if month_key(row["month"]) is None:
        raise _bad(path, "month must be YYYY-MM", n)
    if not isinstance(row["vintage"], int) or not 2017 <= row["vintage"] <= 2100:
        raise _bad(path, "vintage must be a year 2017-2100", n)
    if row["project_type"] not in PRICE_TYPES:
        raise _bad(path, f"project_type must be one of {PRICE_TYPES}", n)
    price = row["price_cny"]
    if not isinstance(price, (int, float)) or not (0.0 < float(price) < 1000.0):
        raise _bad(path, "price_cny must be in (0, 1000)", n)
    if not str(row["source"]).strip() or row["confidence"] not in CONFIDENCES:
        raise _bad(path, "a price needs a source and a confidence C1/C2/C3/U", n)
    return GecPrice(
        price_cny=float(price),
        month=row["month"],
        vintage=row["vintage"],
        project_type=row["project_type"],
        source=row["source"],
        confidence=row["confidence"],
    )


def load_gec_prices(path: Path = PRICES_FILE) -> tuple[GecPrice, ...]:
    """The price table, strictly (``InputError`` ``green.data_file_invalid`` names the entry)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    if set(data) != {"price"}:
        raise _bad(path, f"top-level keys must be [[price]] only, got {sorted(data)}")
    rows = tuple(_check_price(path, n, r) for n, r in enumerate(data["price"], start=1))
    seen = {(r.month, r.vintage, r.project_type) for r in rows}
    if len(seen) != len(rows):
        raise _bad(path, "a (month, vintage, project_type) is listed twice")
    return rows


@cache
def gec_prices() -> tuple[GecPrice, ...]:
    """The shipped price table (``green/data/gec_prices.toml``)."""
    return load_gec_prices()


def _months(key: tuple[int, int]) -> int:
    return key[0] * 12 + key[1] - 1


def gec_price_cny(vintage: int, project_type: str = "all", month: str | None = None) -> GecPrice:
    """The price of a certificate of ``vintage`` and ``project_type`` as of ``month``.

    Parameters
    ----------
    vintage : int
        Production year of the certificate.
    project_type : str
        A price type (:data:`PRICE_TYPES`) or a holdings type (:data:`PROJECT_TYPES`, mapped);
        a type without a row for the vintage falls back to ``"all"``.
    month : str, optional
        ``"YYYY-MM"``; default the latest month in the table.

    Returns
    -------
    GecPrice
        The row of the latest month ≤ ``month``; when every row is later, the nearest month
        (warning ``green.gec_price_nearest_month``). A vintage without any row uses the nearest
        vintage (ties: the older; warning ``green.gec_price_other_vintage``). ``float()`` of the
        result is the price [CNY/certificate].
    """
    kind = PROJECT_TYPES.get(project_type, project_type)
    if kind not in PRICE_TYPES:
        raise InputError("green.bad_project_type", value=project_type, expected=str(PRICE_TYPES))
    table = gec_prices()
    warnings: list[DataWarning] = []
    vintages = sorted({r.vintage for r in table})
    used = min(vintages, key=lambda v: (abs(v - vintage), v))
    if used != vintage:
        warnings.append(
            DataWarning("green.gec_price_other_vintage", 1, params={"asked": vintage, "used": used})
        )
    rows = [r for r in table if r.vintage == used and r.project_type == kind] or [
        r for r in table if r.vintage == used and r.project_type == "all"
    ]
    asked = month_key(month) if month is not None else max(month_key(r.month) for r in rows)
    if asked is None:
        raise InputError("green.bad_month", value=str(month), expected="YYYY-MM")
    before = [r for r in rows if _months(month_key(r.month)) <= _months(asked)]
    if before:
        best = max(before, key=lambda r: _months(month_key(r.month)))
    else:
        best = min(rows, key=lambda r: _months(month_key(r.month)))
        warnings.append(
            DataWarning(
                "green.gec_price_nearest_month",
                1,
                params={"asked": f"{asked[0]}-{asked[1]:02d}", "used": best.month},
            )
        )
    return GecPrice(**{**best.__dict__, "warnings": tuple(warnings)})


def valid_through(vintage: int, month: int | None = None) -> tuple[int, int]:
    """(year, month) of the last month a GEC of ``vintage`` (production ``month``) is valid.

    Production month M → M + 23 months; unknown month → December of the vintage (the latest
    possible); vintages before 2024 → December 2025 (the extension).
    """
    if vintage < TRANSITION_VINTAGE:
        return (TRANSITION_END_YEAR, 12)
    m = 12 if month is None else month
    total = vintage * 12 + (m - 1) + VALIDITY_MONTHS - 1
    return (total // 12, total % 12 + 1)


def gec_status(vintage: int, reporting_year: int) -> str:
    """``"valid"``, ``"expired"`` or ``"future"`` for ``reporting_year`` (module docstring)."""
    if vintage > reporting_year:
        return "future"
    if vintage >= reporting_year - 1:
        return "valid"
    if vintage < TRANSITION_VINTAGE and reporting_year <= TRANSITION_END_YEAR:
        return "valid"
    return "expired"


def certificates_for(kwh: float) -> int:
    """Certificates covering ``kwh`` = ceil(kWh / 1000), rounded to 1e-9 first (float noise)."""
    return 0 if kwh <= 0 else math.ceil(round(kwh / 1000.0, 9))
