"""Renewable-share target defaults by province × industry (``green/data/targets.toml``).

:func:`target_default` answers ``{share, year, status, source}`` for a province, an industry
and a reporting year Y:

- ``share``: the row of the latest year ≤ Y matching (province, industry), else (province,
  ``*``) — the province's total consumption weight —, else (``*``, industry) — a national
  industry ratio (80 % for new hub data centres) —; ``None`` when no sourced row exists.
- ``status``: ``"assessed"`` | ``"monitored"`` | ``"none"`` — the industry's status row of the
  latest year ≤ Y (发改办能源〔2025〕669号: electrolytic aluminium assessed; steel, cement,
  polysilicon and hub data centres monitored in 2025); ``"none"`` without one.
- ``year``: the year of the share's row (or of the status row when there is no share).

:func:`resolve_target` picks the target T used by the analysis: an explicit share
(``basis="user"``), else the default share (``"default"``), else 0.3 (``"assumption"``, the
DESIGN's default, not a rule).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from analytics.findings import InputError

TARGETS_FILE = Path(__file__).parent / "data" / "targets.toml"
ASSUMED_TARGET_SHARE = 0.3
STATUSES = ("assessed", "monitored", "none")
INDUSTRIES = (
    "general",
    "electrolytic_aluminium",
    "steel",
    "cement",
    "polysilicon",
    "data_centre_hub",
)
_TARGET_KEYS = {"province", "industry", "year", "share", "source", "confidence"}
_STATUS_KEYS = {"industry", "year", "status", "source", "confidence"}
_CONF = ("C1", "C2", "C3", "U")


@dataclass(frozen=True)
class TargetDefault:
    """``share`` [0–1] or None, ``year``, ``status``, ``source`` (and its ``confidence``)."""

    share: float | None
    year: int | None
    status: str
    source: str | None
    confidence: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "share": self.share,
            "year": self.year,
            "status": self.status,
            "source": self.source,
        }


def _bad(problem: str, entry: int | str = "") -> InputError:
    return InputError(
        "green.data_file_invalid", file=TARGETS_FILE.name, entry=entry, problem=problem
    )


def _check(rows: list[dict], keys: set[str], what: str) -> list[dict]:
    for n, r in enumerate(rows, start=1):
        if set(r) != keys:
            raise _bad(f"{what}: keys {sorted(set(r) ^ keys)} unknown or missing", n)
        if not isinstance(r["year"], int) or not str(r["source"]).strip():
            raise _bad(f"{what}: a year and a source are required", n)
        if r["confidence"] not in _CONF:
            raise _bad(f"{what}: confidence must be C1/C2/C3/U", n)
        if r["industry"] not in (*INDUSTRIES, "*"):
            raise _bad(f"{what}: industry must be one of {INDUSTRIES} or *", n)
    return rows


def load_targets(path: Path = TARGETS_FILE) -> tuple[list[dict], list[dict]]:
    """``(targets, statuses)`` of the table, strictly (``green.data_file_invalid``)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    if set(data) - {"target", "status"}:
        raise _bad(f"unknown top-level keys {sorted(set(data) - {'target', 'status'})}")
    targets = _check(data.get("target", []), _TARGET_KEYS, "target")
    statuses = _check(data.get("status", []), _STATUS_KEYS, "status")
    for n, r in enumerate(targets, start=1):
        if not (isinstance(r["share"], (int, float)) and 0.0 < r["share"] <= 1.0):
            raise _bad("target: share must be in (0, 1]", n)
    for n, r in enumerate(statuses, start=1):
        if r["status"] not in STATUSES:
            raise _bad(f"status: status must be one of {STATUSES}", n)
    return targets, statuses


@cache
def _table() -> tuple[tuple[dict, ...], tuple[dict, ...]]:
    t, s = load_targets()
    return tuple(t), tuple(s)


def target_provinces() -> list[str]:
    """Provinces with a sourced row, sorted."""
    return sorted({r["province"] for r in _table()[0] if r["province"] != "*"})


def _latest(rows: list[dict], year: int) -> dict | None:
    ok = [r for r in rows if r["year"] <= year]
    return max(ok, key=lambda r: r["year"]) if ok else None


def target_default(province: str | None, industry: str | None, year: int) -> TargetDefault:
    """The sourced default for (province, industry) in reporting ``year`` (module docstring)."""
    if industry is not None and industry not in INDUSTRIES:
        raise InputError("green.unknown_industry", value=industry, expected=", ".join(INDUSTRIES))
    targets, statuses = _table()
    ind = industry or "general"
    row = None
    for p, i in ((province, ind), (province, "*"), ("*", ind)):
        if p is None:
            continue
        row = _latest([r for r in targets if r["province"] == p and r["industry"] == i], year)
        if row is not None:
            break
    st = _latest([r for r in statuses if r["industry"] == ind], year)
    status = st["status"] if st is not None else "none"
    if row is not None:
        return TargetDefault(
            float(row["share"]), row["year"], status, row["source"], row["confidence"]
        )
    if st is not None:
        return TargetDefault(None, st["year"], status, st["source"], st["confidence"])
    return TargetDefault(None, None, "none", None)


def resolve_target(target_share: float | None, default: TargetDefault) -> tuple[float, str]:
    """``(T, basis)``: the explicit share, else the default's, else 0.3 (module docstring)."""
    if target_share is not None:
        return target_share, "user"
    if default.share is not None:
        return default.share, "default"
    return ASSUMED_TARGET_SHARE, "assumption"
