"""Electricity emission factors as sourced data (``green/data/factors/*.toml``), by purpose.

Each factor carries its data year (``year``), publication date (``published``), scope
(national / regional / provincial), region, kind, **purpose**, value [tCO2/MWh or tCO2e/MWh],
document, address, confidence and ``illustrative``; the strict loader rejects unknown keys and
a purpose that does not match the kind (market-2026.md §3.9):

=================  =================  ===================================================
purpose            kinds              what for
=================  =================  ===================================================
location           average            Scope 2 location-based (MEE+NBS 电力平均二氧化碳排放因子)
market_residual    residual           Scope 2 market-based residual ("不包括市场化交易的非化石能源电量")
product_footprint  lifecycle,         product carbon footprint: the life-cycle 电力碳足迹因子
                   td_lifecycle       + the T&D factor incl. losses
cbam               cbam_proxy         EU CBAM indirect emissions, default-value stand-in
=================  =================  ===================================================

:func:`select_factors` picks the location and residual factors of one year and region (default:
the latest national) with warnings when they are older than the data or illustrative;
:func:`factor_for` picks a factor of any purpose; :func:`factor_entry` is the JSON's record of
a factor used. The carbon-market reporting factor 0.5703 is never used; the footprint series
never enters Scope 2.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from analytics.findings import DataWarning, InputError

FACTORS_DIR = Path(__file__).parent / "data" / "factors"


_FACTOR_KEYS = {
    "year",
    "scope",
    "region",
    "kind",
    "purpose",
    "published",
    "value",
    "document",
    "url",
    "seen_in",
    "confidence",
    "illustrative",
}


_FILE_KEYS = {"series", "series_en", "unit", "factor"}


SCOPES = ("national", "regional", "provincial")


KINDS = ("average", "residual", "lifecycle", "td_lifecycle", "cbam_proxy")


#: What each kind of factor is for (market-2026.md §3.9): location-based Scope 2, market-based
#: residual, product footprint (lifecycle + T&D), EU CBAM. A file's entry must agree.
PURPOSE_OF_KIND = {
    "average": "location",
    "residual": "market_residual",
    "lifecycle": "product_footprint",
    "td_lifecycle": "product_footprint",
    "cbam_proxy": "cbam",
}


PURPOSES = ("location", "market_residual", "product_footprint", "cbam")


UNITS = ("tCO2/MWh", "tCO2e/MWh")


CONFIDENCES = ("C1", "C2", "C3", "U")


@dataclass(frozen=True)
class GridFactor:
    """One published grid CO2 factor [tCO2/MWh] with where it comes from."""

    year: int
    scope: str
    region: str
    kind: str
    value: float
    document: str
    url: str
    seen_in: str
    confidence: str
    illustrative: bool
    series: str = ""
    purpose: str = "location"
    published: str = ""  # publication date of the document, ISO (YYYY-MM-DD or YYYY-MM)

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in (*sorted(_FACTOR_KEYS), "series")}

    @property
    def data_year(self) -> int:
        """The year the factor describes (``year``), not the year it was published."""
        return self.year


def load_factors(path: Path) -> tuple[GridFactor, ...]:
    """Load one factor file strictly: unknown or missing keys and unsourced values raise.

    Raises ``InputError`` ``green.factor_file_invalid`` naming the file and the entry.
    """
    data = tomllib.loads(path.read_text(encoding="utf-8"))

    def bad(problem: str, entry: int | None = None) -> InputError:
        return InputError(
            "green.factor_file_invalid",
            file=path.name,
            problem=problem,
            entry="" if entry is None else entry,
        )

    if set(data) - _FILE_KEYS:
        raise bad(f"unknown keys {sorted(set(data) - _FILE_KEYS)}")
    if data.get("unit") not in UNITS:
        raise bad(f"unit must be one of {list(UNITS)}")
    out = []
    for n, f in enumerate(data.get("factor", []), start=1):
        keys = set(f)
        if keys != _FACTOR_KEYS:
            raise bad(f"keys {sorted(keys ^ _FACTOR_KEYS)} unknown or missing", n)
        if f["scope"] not in SCOPES or f["kind"] not in KINDS or f["confidence"] not in CONFIDENCES:
            raise bad("scope, kind or confidence not allowed", n)
        if not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", str(f["published"])):
            raise bad("published must be a date YYYY-MM-DD (or YYYY-MM)", n)
        if f["purpose"] != PURPOSE_OF_KIND[f["kind"]]:
            raise bad(f"purpose of kind {f['kind']} must be {PURPOSE_OF_KIND[f['kind']]}", n)
        if not (f["document"].strip() and (f["url"].strip() or f["seen_in"].strip())):
            raise bad("a value needs a document and a URL or where it was seen", n)
        if not 0.0 < float(f["value"]) < 2.0:
            raise bad("value out of range (0, 2) tCO2/MWh", n)
        if f["confidence"] in ("C3", "U") and not f["illustrative"]:
            raise bad("C3/U values must be illustrative", n)
        out.append(GridFactor(series=data["series"], **{k: f[k] for k in _FACTOR_KEYS}))
    return tuple(out)


@cache
def grid_factors() -> tuple[GridFactor, ...]:
    """All shipped factors (every ``analytics/green/data/factors/*.toml``)."""
    return tuple(f for p in sorted(FACTORS_DIR.glob("*.toml")) for f in load_factors(p))


def factor_years() -> list[int]:
    """Years with a national average factor, ascending."""
    return sorted(
        {f.year for f in grid_factors() if f.region == "national" and f.kind == "average"}
    )


def factor_regions() -> list[str]:
    """Regions with an average factor: ``national`` first, then regional grids, then provinces."""
    regs = {(SCOPES.index(f.scope), f.region) for f in grid_factors() if f.kind == "average"}
    return [r for _, r in sorted(regs)]


def select_factors(
    year: int | None = None,
    region: str = "national",
    *,
    data_year: int | None = None,
) -> tuple[GridFactor, GridFactor, list[DataWarning]]:
    """The location factor and the residual factor for ``year`` and ``region``.

    ``year=None`` takes the latest year published. The residual ("不包括市场化交易的非化石能源
    电量") factor is published nationally only: for another region the national residual of the
    same year is used (``green.residual_national``). Warnings: ``green.factor_illustrative``
    (a C3/U value), ``green.factor_older_than_data`` (``data_year`` after the factor's year).
    Raises ``InputError`` ``green.unknown_factor``.
    """
    year = max(factor_years()) if year is None else int(year)
    by = {(f.year, f.region, f.kind): f for f in grid_factors()}
    avg = by.get((year, region, "average"))
    if avg is None:
        raise InputError(
            "green.unknown_factor",
            expected=f"years {factor_years()}, regions {factor_regions()}",
            year=year,
            region=region,
        )
    warnings: list[DataWarning] = []
    res = by.get((year, region, "residual"))
    if res is None:
        res = by[(year, "national", "residual")]
        warnings.append(
            DataWarning("green.residual_national", 0, params={"region": region, "year": year})
        )
    if avg.illustrative or res.illustrative:
        warnings.append(
            DataWarning(
                "green.factor_illustrative",
                0,
                params={"region": region, "year": year, "confidence": avg.confidence},
            )
        )
    if data_year is not None and data_year > year:
        warnings.append(
            DataWarning(
                "green.factor_older_than_data",
                0,
                params={"factor_year": year, "data_year": data_year},
            )
        )
    return avg, res, warnings


def factor_for(kind: str, year: int | None = None, region: str = "national") -> GridFactor:
    """The factor of ``kind`` for ``year`` (default: the latest) and ``region``.

    Raises ``InputError`` ``green.unknown_factor``.
    """
    fs = [f for f in grid_factors() if f.kind == kind and f.region == region]
    pick = [f for f in fs if year is None or f.year == year]
    if not pick:
        raise InputError(
            "green.unknown_factor",
            expected=f"years {sorted({f.year for f in fs})} of {kind}",
            year="" if year is None else year,
            region=region,
        )
    return max(pick, key=lambda f: f.year)


def factor_entry(field: str, f: GridFactor) -> dict[str, Any]:
    """What the JSON says of a factor it used: the ``field`` it fed and the factor's purpose."""
    return {
        "field": field,
        "purpose": f.purpose,
        "kind": f.kind,
        "series": f.series,
        "region": f.region,
        "data_year": f.year,
        "published": f.published,
        "value": f.value,
        "confidence": f.confidence,
        "illustrative": f.illustrative,
    }
