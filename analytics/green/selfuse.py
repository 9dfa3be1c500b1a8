"""PV self-consumption as a compliance ratio (``green/data/pv_self_use.toml``).

New distributed C&I PV must self-consume a provincial minimum share of its generation
(market-2026.md §3.1: 50–90 % in 11 of 17 provincial rules). For a site with PV:

- ``ratio`` = pv_self_consumed_kwh / pv_generation_kwh [0–1] (the self-consumption ratio);
- ``threshold``: the province's sourced minimum, or None (then ``range_low``/``range_high``
  show the national span of the provincial rules);
- ``meets`` = ratio ≥ threshold (None without a threshold);
- ``surplus_kwh`` = pv_exported_kwh; ``surplus_value_cny`` = Σ surplus_i × the energy price in
  force in interval i — the same classified periods that price the bill (the tariff or price
  source of the analysis), not the old coal benchmark.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from analytics.findings import InputError

SELF_USE_FILE = Path(__file__).parent / "data" / "pv_self_use.toml"
_THRESHOLD_KEYS = {"province", "min_share", "status", "source", "confidence"}
_RANGE_KEYS = {"low", "high", "source", "confidence"}


@dataclass(frozen=True)
class SelfUseCompliance:
    """The compliance ratio of one site's PV (module docstring)."""

    ratio: float
    province: str | None
    threshold: float | None
    status: str | None
    source: str | None
    meets: bool | None
    range_low: float
    range_high: float
    range_source: str
    surplus_kwh: float
    surplus_value_cny: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "ratio": self.ratio,
            "province": self.province,
            "threshold": self.threshold,
            "status": self.status,
            "source": self.source,
            "meets": self.meets,
            "range": [self.range_low, self.range_high],
            "surplus_kwh": self.surplus_kwh,
            "surplus_value_cny": self.surplus_value_cny,
        }


def _bad(problem: str, entry: int | str = "") -> InputError:
    return InputError(
        "green.data_file_invalid", file=SELF_USE_FILE.name, entry=entry, problem=problem
    )


@cache
def self_use_table() -> tuple[dict[str, Any], tuple[dict[str, Any], ...]]:
    """``(range, thresholds)`` of the shipped table, strictly (``green.data_file_invalid``)."""
    data = tomllib.loads(SELF_USE_FILE.read_text(encoding="utf-8"))
    if set(data) != {"range", "threshold"} or set(data["range"]) != _RANGE_KEYS:
        raise _bad("needs [range] (low, high, source, confidence) and [[threshold]] rows")
    for n, r in enumerate(data["threshold"], start=1):
        if set(r) != _THRESHOLD_KEYS or not str(r["source"]).strip():
            raise _bad(f"keys {sorted(set(r) ^ _THRESHOLD_KEYS)} unknown or missing", n)
        if not 0.0 < r["min_share"] <= 1.0 or r["status"] not in ("final", "draft"):
            raise _bad("min_share in (0, 1], status final or draft", n)
    return data["range"], tuple(data["threshold"])


def self_use_compliance(
    *,
    pv_generation_kwh: float,
    pv_self_consumed_kwh: float,
    pv_exported_kwh: float,
    surplus_value_cny: float,
    province: str | None,
) -> SelfUseCompliance | None:
    """The compliance ratio, or None without PV generation."""
    if not pv_generation_kwh > 0:
        return None
    span, rows = self_use_table()
    row = next((r for r in rows if r["province"] == province), None)
    ratio = pv_self_consumed_kwh / pv_generation_kwh
    threshold = float(row["min_share"]) if row else None
    return SelfUseCompliance(
        ratio=ratio,
        province=province,
        threshold=threshold,
        status=row["status"] if row else None,
        source=row["source"] if row else None,
        meets=None if threshold is None else bool(ratio >= threshold),
        range_low=float(span["low"]),
        range_high=float(span["high"]),
        range_source=span["source"],
        surplus_kwh=pv_exported_kwh,
        surplus_value_cny=surplus_value_cny,
    )
