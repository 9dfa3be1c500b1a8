"""What the enterprise already holds: green power bought, GECs by vintage, owned on-site PV.

Definitions (energy E = ``energy_kwh`` of the load; reporting year Y = the year of the load's
last interval unless given):

- ``pv_counted_kwh`` = ``pv_self_consumed_kwh`` when the PV is the enterprise's own
  (``pv_owner="self"``), else 0: a third party's (EMC) PV's certificates — issued for
  self-consumed power too, but not tradable — belong to the project owner (国能发新能规〔2024〕
  67号, market-2026.md §3.4), so its kWh count only when those GECs are transferred, i.e. when
  they appear in the GEC holdings.
- ``green_purchased_kwh``: green power bought (绿电, bundled with its GECs). Its certificates are
  not to be listed again among the GECs held.
- GECs held: lots of (count, vintage, project type); a lot counts for Y by the rule in
  :mod:`analytics.green.certificates` (valid on 31 December of Y). ``gec_valid_kwh`` = valid
  certificates × 1,000 kWh. Expired lots raise the warning ``green.gec_expired`` and lots of a
  vintage after Y ``green.gec_future_vintage``, each with the number of certificates.
- ``held_kwh`` = pv_counted + green_purchased + gec_valid_kwh;
  ``renewable_share_now`` = held_kwh / E (may exceed 1 when more is held than consumed).

The holdings file (CSV, UTF-8 or GBK): a header with ``count``, ``vintage`` and
``project_type`` (Chinese ``数量``, ``生产年月``/``年份``, ``项目类型`` accepted), one lot per row;
``vintage`` is a year ``YYYY`` or a production month ``YYYY-MM``; project types
:data:`~analytics.green.certificates.PROJECT_TYPES`. Read strictly: every problem is an
``InputError`` naming the file, row and column (``gec_holdings.*``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from analytics.findings import DataWarning, InputError
from analytics.green.certificates import PROJECT_TYPES, gec_status, valid_through
from analytics.iotools.raw import decode, source_bytes

KWH_PER_GEC = 1000.0
PV_OWNERS = ("self", "third_party")
MAX_HOLDINGS_BYTES = 1024 * 1024
MAX_HOLDINGS_ROWS = 10_000
MAX_CERTIFICATES = 10**9  # per lot: 1 TWh, far above any enterprise

_HEADERS = {
    "count": "count",
    "数量": "count",
    "vintage": "vintage",
    "生产年月": "vintage",
    "年份": "vintage",
    "project_type": "project_type",
    "项目类型": "project_type",
}
_VINTAGE = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2]))?$")


@dataclass(frozen=True)
class GecLot:
    """``count`` certificates of production year ``vintage`` (``month`` 1–12 if known)."""

    count: int
    vintage: int
    project_type: str = "all"
    month: int | None = None


@dataclass(frozen=True)
class Holdings:
    """The enterprise's holdings (module docstring); all default to nothing held."""

    green_purchased_kwh: float = 0.0
    gec_lots: tuple[GecLot, ...] = ()
    pv_owner: str = "self"
    reporting_year: int | None = None

    def __post_init__(self) -> None:
        kwh = self.green_purchased_kwh
        if not (isinstance(kwh, (int, float)) and 0.0 <= kwh < 1e13):
            raise InputError("green.bad_purchased_kwh", value=str(kwh), expected="a number ≥ 0 kWh")
        if self.pv_owner not in PV_OWNERS:
            raise InputError(
                "green.bad_pv_owner", value=self.pv_owner, expected="self, third_party"
            )


@dataclass(frozen=True)
class HoldingsResult:
    """The holdings evaluated for one load (module docstring) [kWh, certificates]."""

    reporting_year: int
    pv_owner: str
    pv_counted_kwh: float
    green_purchased_kwh: float
    gec_held: int
    gec_valid: int
    gec_expired: int
    gec_future: int
    gec_valid_kwh: float
    held_kwh: float
    renewable_share_now: float
    warnings: tuple[DataWarning, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """The ``green.holdings`` section (plain types)."""
        return {
            "reporting_year": int(self.reporting_year),
            "pv_owner": self.pv_owner,
            "pv_counted_kwh": float(self.pv_counted_kwh),
            "green_purchased_kwh": float(self.green_purchased_kwh),
            "gec_held": int(self.gec_held),
            "gec_valid": int(self.gec_valid),
            "gec_expired": int(self.gec_expired),
            "gec_future": int(self.gec_future),
            "gec_valid_kwh": float(self.gec_valid_kwh),
            "held_kwh": float(self.held_kwh),
        }


def evaluate_holdings(
    holdings: Holdings | None,
    *,
    energy_kwh: float,
    pv_self_consumed_kwh: float,
    data_year: int,
) -> HoldingsResult:
    """Count what is held for the reporting year (``holdings.reporting_year`` or ``data_year``)."""
    h = holdings or Holdings()
    year = h.reporting_year or data_year
    by_status = {"valid": 0, "expired": 0, "future": 0}
    for lot in h.gec_lots:
        by_status[gec_status(lot.vintage, year)] += lot.count
    warnings = []
    if by_status["expired"]:
        warnings.append(
            DataWarning("green.gec_expired", by_status["expired"], params={"year": year})
        )
    if by_status["future"]:
        warnings.append(
            DataWarning("green.gec_future_vintage", by_status["future"], params={"year": year})
        )
    pv = pv_self_consumed_kwh if h.pv_owner == "self" else 0.0
    gec_kwh = by_status["valid"] * KWH_PER_GEC
    held = pv + float(h.green_purchased_kwh) + gec_kwh
    return HoldingsResult(
        reporting_year=year,
        pv_owner=h.pv_owner,
        pv_counted_kwh=pv,
        green_purchased_kwh=float(h.green_purchased_kwh),
        gec_held=sum(lot.count for lot in h.gec_lots),
        gec_valid=by_status["valid"],
        gec_expired=by_status["expired"],
        gec_future=by_status["future"],
        gec_valid_kwh=gec_kwh,
        held_kwh=held,
        renewable_share_now=held / energy_kwh if energy_kwh > 0 else float("nan"),
        warnings=tuple(warnings),
    )


def lot_valid_through(lot: GecLot) -> str:
    """``"YYYY-MM"``: the last month the lot is valid (the latest if its month is unknown)."""
    y, m = valid_through(lot.vintage, lot.month)
    return f"{y}-{m:02d}"


# --------------------------------------------------------------------------- the file


def _cell_error(code: str, name: str, row: int, column: str, expected: str, value: str):
    return InputError(code, file=name, row=row, column=column, expected=expected, value=value[:40])


def _header(cells: list[str], name: str) -> dict[str, int]:
    cols: dict[str, int] = {}
    for i, raw in enumerate(cells):
        key = _HEADERS.get(raw.strip().lstrip("\ufeff").lower())
        if key is None:
            raise InputError(
                "gec_holdings.unknown_column",
                file=name,
                row=1,
                column=raw.strip()[:40],
                expected="count, vintage, project_type",
            )
        if key in cols:
            raise InputError("gec_holdings.duplicate_column", file=name, row=1, column=key)
        cols[key] = i
    missing = [k for k in ("count", "vintage", "project_type") if k not in cols]
    if missing:
        raise InputError(
            "gec_holdings.missing_column",
            file=name,
            row=1,
            column=", ".join(missing),
            expected="count, vintage, project_type",
        )
    return cols


def _lot(cells: list[str], cols: dict[str, int], name: str, row: int) -> GecLot:
    def cell(key: str) -> str:
        i = cols[key]
        return cells[i].strip() if i < len(cells) else ""

    count, vintage, kind = cell("count"), cell("vintage"), cell("project_type")
    if not count.isdigit() or not 0 < int(count) <= MAX_CERTIFICATES:
        raise _cell_error(
            "gec_holdings.bad_count",
            name,
            row,
            "count",
            "a whole number of certificates ≥ 1",
            count,
        )
    m = _VINTAGE.match(vintage)
    if m is None or not 2017 <= int(m.group(1)) <= 2100:
        raise _cell_error(
            "gec_holdings.bad_vintage", name, row, "vintage", "YYYY or YYYY-MM (2017–2100)", vintage
        )
    if kind.lower() not in PROJECT_TYPES:
        raise _cell_error(
            "gec_holdings.bad_project_type",
            name,
            row,
            "project_type",
            ", ".join(PROJECT_TYPES),
            kind,
        )
    month = int(m.group(2)) if m.group(2) else None
    return GecLot(int(count), int(m.group(1)), kind.lower(), month)


def read_gec_holdings(
    source: str | Path | bytes | BinaryIO, *, file_name: str | None = None
) -> tuple[GecLot, ...]:
    """The lots of a holdings CSV (module docstring); raises ``InputError`` on any problem.

    Bounds before parsing: at most :data:`MAX_HOLDINGS_BYTES` bytes
    (``import.file_too_large``) and :data:`MAX_HOLDINGS_ROWS` data rows
    (``gec_holdings.too_many_rows``). Blank lines are skipped; row numbers are file lines.
    """
    data, name = source_bytes(source, file_name, "holdings.csv", max_bytes=MAX_HOLDINGS_BYTES)
    if not data.strip():
        raise InputError("gec_holdings.empty", file=name, expected="a header and one lot a row")
    text, _ = decode(data, file_name=name)
    if text.count("\n") > MAX_HOLDINGS_ROWS + 1:
        raise InputError(
            "gec_holdings.too_many_rows", file=name, expected=f"≤ {MAX_HOLDINGS_ROWS} rows"
        )
    delimiter = (
        ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    )
    rows = [
        (n, r)
        for n, r in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1)
        if any(c.strip() for c in r)
    ]
    if not rows:
        raise InputError("gec_holdings.empty", file=name, expected="a header and one lot a row")
    cols = _header(rows[0][1], name)
    lots = tuple(_lot(cells, cols, name, n) for n, cells in rows[1:])
    if not lots:
        raise InputError("gec_holdings.empty", file=name, expected="a header and one lot a row")
    return lots


def held_lots(count: int, vintage: int, project_type: str = "all") -> tuple[GecLot, ...]:
    """``--gec-held N``: one lot of ``count`` certificates (none when 0)."""
    if not isinstance(count, int) or not 0 <= count <= MAX_CERTIFICATES:
        raise InputError("green.bad_gec_held", value=str(count), expected="a whole number ≥ 0")
    return (GecLot(count, vintage, project_type),) if count else ()


def combine(*groups: Iterable[GecLot]) -> tuple[GecLot, ...]:
    """All lots of several sources, in order."""
    return tuple(lot for g in groups for lot in g)
