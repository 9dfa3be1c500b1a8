"""Agency-purchase (代理购电) prices as dated data: one TOML file per province × month.

A grid company publishes every month, per user class and voltage, the agency-purchase table:
代理购电价格 (the floating base B for agency users), on-grid line loss (上网环节线损),
transmission and distribution (输配电价), the system-operation fee (系统运行费) and the
government funds (政府性基金及附加). Which of them float under the TOU ratios is the
province's rule (fact sheet §0.1, market-2026 §3.2: Jiangsu 426 floats the user's purchase
price; Guizhou from 2026-02-01 only the on-grid price and line loss). A month's energy price
in period t is

    price_t = Σ floating components × r_t + Σ fixed components          [CNY/kWh]

where r_t is the TOU ratio of the preset (the period rules) in force in that month.

Files live in ``analytics/tou/agency_tables/<province>/<YYYY-MM>.toml`` (province in lower
case, e.g. ``jiangsu``); :func:`load_agency_table` is as strict as the tariff loader (unknown
keys, types, bounds, every problem with its line in one ``InputError("agency.invalid")``).
:func:`agency_versions` turns the preset versions and the tables into one tariff version per
calendar month present in the data (``<preset id>@<YYYY-MM>``, valid for that month only), so
the bill engine prices each month by its own table; a month without a table is priced by the
nearest table with the warning ``agency.nearest_month`` naming the months. No Streamlit.

File format (see ``agency_tables/jiangsu/2026-10.toml``)
------------------------------------------------------
Top level: ``province`` (as in the presets, e.g. ``"Jiangsu"``), ``month`` (``"YYYY-MM"``),
``user_class``, ``voltage`` (as in the presets), ``applies_to`` (``agency`` |
``retail-passthrough`` | ``direct``), optional ``valid_from`` / ``valid_to`` (dates inside the
month; default the whole month), ``source``, ``source_url``, ``seen_in``, ``confidence``
(C1/C2/C3/U), ``illustrative``, ``float_rule`` (the document that says what floats),
``absent`` (component names the table does not carry separately: not found, never invented),
``complete`` (default true: the components add up to the published all-in prices, possibly
through an ``unsplit_*`` remainder; false = a part of the price is missing, and every month
it prices gets the warning ``agency.incomplete_table``), ``notes``,
optional ``demand_cny_per_kw_month`` and ``capacity_cny_per_kva_month`` (from the T&D table).
``[[component]]``: ``name`` (one of :data:`COMPONENTS`), ``price_cny_per_kwh``, ``floats``
(true/false), ``source``, ``confidence``, optional ``derived`` (true when the number is
computed from published figures rather than printed) and ``notes``.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import math
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analytics.findings import DataWarning, InputError
from analytics.tou.tariff import (
    CONFIDENCE_LEVELS,
    MAX_TOML_NESTING,
    PERIODS,
    Pricing,
    Problem,
    Tariff,
    _nesting,
    tariff_family,
)

AGENCY_DIR = Path(__file__).parent / "agency_tables"
#: Components of an agency-purchase table (the A part split; ``unsplit_*`` = a derived
#: remainder whose split is not published in the source).
COMPONENTS: tuple[str, ...] = (
    "agency_purchase_price",  # 代理购电价格 (上网电价 for agency users)
    "on_grid_line_loss",  # 上网环节线损费用折价
    "transmission_distribution",  # 输配电价 (电度)
    "system_operation",  # 系统运行费用折价
    "government_funds",  # 政府性基金及附加
    "unsplit_floating",  # floating part whose split the source does not give
    "unsplit_fixed",  # fixed part whose split the source does not give
)
APPLIES_TO: tuple[str, ...] = ("agency", "retail-passthrough", "direct")
MAX_PRICE_CNY_PER_KWH = 5.0
MAX_CHARGE = 500.0  # CNY/kW·month or CNY/kVA·month
MAX_AGENCY_BYTES = 64_000
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_TOP_KEYS = {
    "province", "month", "user_class", "voltage", "applies_to", "valid_from", "valid_to",
    "source", "source_url", "seen_in", "confidence", "illustrative", "float_rule", "absent",
    "complete", "notes", "demand_cny_per_kw_month", "capacity_cny_per_kva_month", "component",
}  # fmt: skip
_REQUIRED = ("province", "month", "user_class", "voltage", "applies_to", "source", "component")
_COMPONENT_KEYS = {"name", "price_cny_per_kwh", "floats", "source", "confidence", "derived",
                   "notes"}  # fmt: skip
#: Loader problem codes (``"agency." + code``; i18n ``error.agency.<code>``).
PROBLEM_CODES: tuple[str, ...] = (
    "toml_syntax", "unknown_key", "missing_key", "bad_type", "bad_month", "bad_validity",
    "unknown_component", "component_repeated", "price_out_of_range", "charge_out_of_range",
    "bad_applies_to", "bad_confidence", "bad_url", "no_floating", "absent_but_given",
    "too_large", "too_deep",
)  # fmt: skip


@dataclass(frozen=True)
class Component:
    """One component of a month's table [CNY/kWh] with its source."""

    name: str
    price_cny_per_kwh: float
    floats: bool
    source: str
    confidence: str
    derived: bool = False
    notes: str = ""


@dataclass(frozen=True)
class AgencyTable:
    """One province × month agency-purchase table for one user class and voltage."""

    province: str
    month: str  # "YYYY-MM"
    user_class: str
    voltage: str
    applies_to: str
    valid_from: dt.date
    valid_to: dt.date
    components: tuple[Component, ...]
    source: str
    source_url: str = ""
    seen_in: str = ""
    confidence: str = "U"
    illustrative: bool = False
    float_rule: str = ""
    absent: tuple[str, ...] = ()
    complete: bool = True
    notes: str = ""
    demand_cny_per_kw_month: float | None = None
    capacity_cny_per_kva_month: float | None = None
    path: str | None = None

    @property
    def key(self) -> str:
        """``<province lower>/<YYYY-MM>``, the table's name in messages and JSON."""
        return f"{self.province.lower()}/{self.month}"

    @property
    def floating_cny_per_kwh(self) -> float:
        """Σ of the components that float under the TOU ratios [CNY/kWh]."""
        return float(sum(c.price_cny_per_kwh for c in self.components if c.floats))

    @property
    def fixed_cny_per_kwh(self) -> float:
        """Σ of the components that do not float [CNY/kWh]."""
        return float(sum(c.price_cny_per_kwh for c in self.components if not c.floats))

    def price(self, ratio: float) -> float:
        """Energy price of a period with TOU ratio ``ratio``: floating × r + fixed [CNY/kWh]."""
        return self.floating_cny_per_kwh * ratio + self.fixed_cny_per_kwh

    @property
    def month_index(self) -> int:
        """Months since year 0 (year × 12 + month − 1), to measure distances."""
        y, m = map(int, self.month.split("-"))
        return y * 12 + m - 1


# --------------------------------------------------------------------------- loader
class _Check:
    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.problems: list[Problem] = []

    def add(self, line: int, code: str, **params: Any) -> None:
        assert code in PROBLEM_CODES, code
        self.problems.append(Problem(int(line), "agency." + code, params))

    def line(self, key: str, n: int | None = None) -> int:
        """Line of ``key =`` at the top level (n None) or in the n-th ``[[component]]``."""
        start, end = 0, len(self.lines)
        heads = [i for i, s in enumerate(self.lines) if s.strip().startswith("[[component]]")]
        if n is None:
            end = heads[0] if heads else end
        elif n < len(heads):
            start = heads[n]
            end = heads[n + 1] if n + 1 < len(heads) else end
        pat = re.compile(r"^\s*" + re.escape(key) + r"\s*=")
        for i in range(start, end):
            if pat.match(self.lines[i]):
                return i + 1
        return start + 1 if n is not None else 0

    def number(self, value: Any, line: int, key: str, high: float, code: str) -> float | None:
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
        ):
            self.add(line, "bad_type", key=key, expected="number")
            return None
        if not 0 <= value <= high:
            self.add(line, code, key=key, value=value, high=high)
            return None
        return float(value)

    def text(self, data: Mapping[str, Any], key: str, n: int | None = None) -> str:
        v = data.get(key, "")
        if not isinstance(v, str):
            self.add(self.line(key, n), "bad_type", key=key, expected="text")
            return ""
        return v

    def flag(self, data: Mapping[str, Any], key: str, n: int | None = None) -> bool:
        v = data.get(key, False)
        if not isinstance(v, bool):
            self.add(self.line(key, n), "bad_type", key=key, expected="true/false")
            return False
        return v

    def confidence(self, data: Mapping[str, Any], n: int | None = None) -> str:
        v = data.get("confidence", "U")
        if v not in CONFIDENCE_LEVELS:
            self.add(self.line("confidence", n), "bad_confidence", value=str(v))
            return "U"
        return str(v)


def _month_window(ck: _Check, data: Mapping[str, Any]) -> tuple[str, dt.date, dt.date]:
    month = data.get("month")
    m = _MONTH_RE.match(month) if isinstance(month, str) else None
    if m is None or not 1 <= int(m.group(2)) <= 12:
        if "month" in data:
            ck.add(ck.line("month"), "bad_month", value=str(month))
        return "", dt.date(1970, 1, 1), dt.date(1970, 1, 1)
    y, mo = int(m.group(1)), int(m.group(2))
    first = dt.date(y, mo, 1)
    last = dt.date(y, mo, calendar.monthrange(y, mo)[1])
    dates = []
    for key, default in (("valid_from", first), ("valid_to", last)):
        v = data.get(key, default)
        if isinstance(v, dt.datetime):
            v = v.date()
        if not isinstance(v, dt.date):
            ck.add(ck.line(key), "bad_type", key=key, expected="a date YYYY-MM-DD")
            v = default
        dates.append(v)
    lo, hi = dates
    if not first <= lo <= hi <= last:
        ck.add(ck.line("valid_from"), "bad_validity", month=month, valid_from=str(lo),
               valid_to=str(hi))  # fmt: skip
    return str(month), lo, hi


def _components(ck: _Check, raw: Any) -> list[Component]:
    if not isinstance(raw, list) or not raw or not all(isinstance(c, dict) for c in raw):
        ck.add(ck.line("component"), "bad_type", key="component", expected="[[component]] tables")
        return []
    out: list[Component] = []
    seen: set[str] = set()
    for n, c in enumerate(raw):
        for key in c:
            if key not in _COMPONENT_KEYS:
                ck.add(ck.line(key, n), "unknown_key", key=key, table="component")
        for key in ("name", "price_cny_per_kwh", "floats", "source"):
            if key not in c:
                ck.add(ck.line("name", n), "missing_key", key=f"component.{key}")
        name = c.get("name")
        if "name" in c and name not in COMPONENTS:
            ck.add(ck.line("name", n), "unknown_component", name=str(name),
                   expected=", ".join(COMPONENTS))  # fmt: skip
            continue
        if name in seen:
            ck.add(ck.line("name", n), "component_repeated", name=str(name))
            continue
        seen.add(str(name))
        price = ck.number(c.get("price_cny_per_kwh"), ck.line("price_cny_per_kwh", n),
                          f"{name}.price_cny_per_kwh", MAX_PRICE_CNY_PER_KWH,
                          "price_out_of_range") if "price_cny_per_kwh" in c else None  # fmt: skip
        floats = ck.flag(c, "floats", n)
        if price is None or "floats" not in c or name is None:
            continue
        out.append(
            Component(
                name=str(name),
                price_cny_per_kwh=price,
                floats=floats,
                source=ck.text(c, "source", n),
                confidence=ck.confidence(c, n),
                derived=ck.flag(c, "derived", n),
                notes=ck.text(c, "notes", n),
            )
        )
    return out


def _validate(data: Mapping[str, Any], ck: _Check, path: str | None) -> AgencyTable | None:
    for key in data:
        if key not in _TOP_KEYS:
            ck.add(ck.line(key), "unknown_key", key=key, table="(top)")
    for key in _REQUIRED:
        if key not in data:
            ck.add(0, "missing_key", key=key)
    month, lo, hi = _month_window(ck, data)
    applies = data.get("applies_to")
    if "applies_to" in data and applies not in APPLIES_TO:
        ck.add(ck.line("applies_to"), "bad_applies_to", value=str(applies),
               expected=", ".join(APPLIES_TO))  # fmt: skip
    url = ck.text(data, "source_url")
    if url and not url.startswith(("http://", "https://")):
        ck.add(ck.line("source_url"), "bad_url", value=url)
    charges = {}
    for key in ("demand_cny_per_kw_month", "capacity_cny_per_kva_month"):
        if key in data:
            charges[key] = ck.number(
                data[key], ck.line(key), key, MAX_CHARGE, "charge_out_of_range"
            )
    comps = _components(ck, data.get("component")) if "component" in data else []
    absent = data.get("absent", [])
    if not isinstance(absent, list) or not all(isinstance(a, str) for a in absent):
        ck.add(ck.line("absent"), "bad_type", key="absent", expected="list of component names")
        absent = []
    for a in absent:
        if a not in COMPONENTS:
            ck.add(ck.line("absent"), "unknown_component", name=a, expected=", ".join(COMPONENTS))
        elif any(c.name == a for c in comps):
            ck.add(ck.line("absent"), "absent_but_given", name=a)
    if comps and not any(c.floats for c in comps):
        ck.add(ck.line("component"), "no_floating")
    texts = {k: ck.text(data, k) for k in ("province", "user_class", "voltage", "source",
                                            "seen_in", "float_rule", "notes")}  # fmt: skip
    confidence = ck.confidence(data)
    illustrative = ck.flag(data, "illustrative")
    complete = ck.flag(data, "complete") if "complete" in data else True
    if ck.problems:
        return None
    return AgencyTable(
        province=texts["province"],
        month=month,
        user_class=texts["user_class"],
        voltage=texts["voltage"],
        applies_to=str(applies),
        valid_from=lo,
        valid_to=hi,
        components=tuple(comps),
        source=texts["source"],
        source_url=url,
        seen_in=texts["seen_in"],
        confidence=confidence,
        illustrative=illustrative,
        float_rule=texts["float_rule"],
        absent=tuple(absent),
        complete=complete,
        notes=texts["notes"],
        demand_cny_per_kw_month=charges.get("demand_cny_per_kw_month"),
        capacity_cny_per_kva_month=charges.get("capacity_cny_per_kva_month"),
        path=path,
    )


def load_agency_table(source: str | Path, *, file: str | None = None) -> AgencyTable:
    """Load one month's table from a TOML path or TOML text (strict; see module docstring).

    Raises ``InputError("agency.invalid", file=…, problems=[Problem…], count=n)`` listing
    every problem with its line, or ``InputError("agency.unreadable")``.
    """
    path: str | None = None
    if isinstance(source, Path) or (
        isinstance(source, str) and "\n" not in source and source.strip().endswith(".toml")
    ):
        p = Path(source)
        name, path = file or p.name, str(p)
        try:
            text = p.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError("agency.unreadable", file=name, reason=type(exc).__name__) from None
    else:
        text, name = str(source), file or "<text>"
    ck = _Check(text)
    if len(text.encode("utf-8")) > MAX_AGENCY_BYTES:
        ck.add(0, "too_large", limit_kb=MAX_AGENCY_BYTES // 1000)
        raise InputError("agency.invalid", file=name, problems=ck.problems, count=1)
    deepest, at = _nesting(text)  # tomllib recurses into nested arrays: bound it first
    if deepest > MAX_TOML_NESTING:
        ck.add(at, "too_deep", depth=deepest, limit=MAX_TOML_NESTING)
        raise InputError("agency.invalid", file=name, problems=ck.problems, count=1)
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError) as exc:
        m = re.search(r"at line (\d+)", str(exc))
        ck.add(int(m.group(1)) if m else 0, "toml_syntax", reason=str(exc).split(" (at ")[0])
        raise InputError("agency.invalid", file=name, problems=ck.problems, count=1) from None
    table = _validate(data, ck, path)
    if table is None:
        problems = sorted(ck.problems, key=lambda p: p.line)
        raise InputError("agency.invalid", file=name, problems=problems, count=len(problems))
    return table


def agency_provinces() -> list[str]:
    """Province folders shipped under :data:`AGENCY_DIR` (lower case)."""
    return sorted(p.name for p in AGENCY_DIR.iterdir() if p.is_dir())


@cache
def _shipped(province: str) -> tuple[AgencyTable, ...]:
    folder = AGENCY_DIR / province
    return tuple(load_agency_table(p) for p in sorted(folder.glob("*.toml")))


def agency_tables(
    province: str,
    *,
    folder: Path | None = None,
    applies_to: str = "agency",
    user_class: str | None = None,
    voltage: str | None = None,
) -> list[AgencyTable]:
    """The tables of ``province`` (shipped, or every ``*.toml`` in ``folder``) for users of
    class ``applies_to`` (and of ``user_class`` / ``voltage`` when given), by month.
    ``InputError("agency.unknown_province")`` or ``("agency.no_tables")`` when none."""
    key = province.strip().lower()
    if folder is not None:
        tables = [load_agency_table(p) for p in sorted(Path(folder).glob("*.toml"))]
    elif key in agency_provinces():
        tables = list(_shipped(key))
    else:
        raise InputError(
            "agency.unknown_province", province=province, expected=", ".join(agency_provinces())
        )
    tables = [
        t
        for t in tables
        if t.applies_to == applies_to
        and user_class in (None, t.user_class)
        and voltage in (None, t.voltage)
    ]
    if not tables:
        raise InputError(
            "agency.no_tables",
            province=province,
            applies_to=applies_to,
            user_class=user_class or "",
            voltage=voltage or "",
        )
    return sorted(tables, key=lambda t: t.month_index)


def rule_versions(
    tables: Sequence[AgencyTable], chosen: Sequence[Tariff] | None = None
) -> list[Tariff]:
    """The TOU rule versions (periods and ratios) for ``tables``: the ``chosen`` versions if
    they belong to the tables' province, else every shipped version of the province's
    family (same user class and voltage); each month then takes the version in force."""
    province = tables[0].province
    if chosen:
        other = [v.id for v in chosen if v.meta.province.lower() != province.lower()]
        if other:
            raise InputError("agency.province_mismatch", tariff=other[0], province=province)
        return list(chosen)
    family = tariff_family(province, tables[0].user_class, tables[0].voltage)
    if not family:
        raise InputError(
            "agency.no_rules",
            province=province,
            user_class=tables[0].user_class,
            voltage=tables[0].voltage,
        )
    return family


# --------------------------------------------------------------------------- pricing
@dataclass(frozen=True)
class AgencyMonth:
    """How one calendar month of the data was priced."""

    month: str  # "YYYY-MM" of the data
    table: AgencyTable
    nearest: bool  # True: no table for this month; the nearest one priced it
    tariff: Tariff  # the month's version (``<preset>@<YYYY-MM>``)


def _ratios(preset: Tariff) -> np.ndarray:
    """TOU ratio per calendar month × period of a B × r + A preset (NaN = not priced)."""
    if preset.pricing is None or not preset.pricing.base_cny_per_kwh > 0:
        raise InputError(
            "agency.preset_without_ratios",
            tariff=preset.id,
            expected="a preset with [pricing] B, A and ratios",
        )
    b, a = preset.pricing.base_cny_per_kwh, preset.pricing.adder_cny_per_kwh
    return (np.asarray(preset.month_price) - a) / b


def month_version(preset: Tariff, table: AgencyTable, month: str) -> Tariff:
    """The preset's period rules priced by ``table`` for the calendar month ``month``.

    Prices: floating × r_t + fixed for every month row (only ``month`` is in the validity).
    Demand and capacity prices come from the table when it is ``month``'s own table and
    carries them; a table borrowed for another month lends its energy prices only (the T&D
    period may differ), so the preset's demand and capacity prices apply.
    """
    own = table.month == month
    ratio = _ratios(preset)
    prices = table.floating_cny_per_kwh * ratio + table.fixed_cny_per_kwh
    prices.setflags(write=False)
    y, m = map(int, month.split("-"))
    first, last = dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])
    meta = dataclasses.replace(
        preset.meta,
        id=f"{preset.id}@{month}",
        valid_from=first,
        valid_to=last,
        illustrative=table.illustrative,
    )
    base = preset.pricing
    assert base is not None
    return dataclasses.replace(
        preset,
        meta=meta,
        month_price=prices,
        prices={
            p: float(np.nanmax(prices[:, k]))
            for k, p in enumerate(PERIODS)
            if not np.isnan(prices[:, k]).all()
        },  # fmt: skip
        pricing=Pricing(table.floating_cny_per_kwh, table.fixed_cny_per_kwh, dict(base.ratios)),
        seasons=tuple(
            dataclasses.replace(
                season,
                prices={
                    p: float(prices[season.months[0] - 1, PERIODS.index(p)])
                    for p in season.prices
                    if season.months
                },
            )
            for season in preset.seasons
        ),
        demand_cny_per_kw_month=(
            table.demand_cny_per_kw_month
            if own and table.demand_cny_per_kw_month is not None
            else preset.demand_cny_per_kw_month
        ),
        capacity_cny_per_kva_month=(
            table.capacity_cny_per_kva_month
            if own and table.capacity_cny_per_kva_month is not None
            else preset.capacity_cny_per_kva_month
        ),
    )


def _version_on(versions: Sequence[Tariff], day: dt.date) -> tuple[Tariff, bool]:
    """The version in force on ``day`` (latest ``valid_from``), else the nearest; covered?"""
    live = [v for v in versions if v.meta.covers(day)]
    if live:
        return max(live, key=lambda v: v.valid_from), True

    def distance(v: Tariff) -> int:
        ahead = (v.valid_from - day).days
        behind = (day - v.valid_to).days if v.valid_to is not None else -1
        return max(ahead, behind, 0)

    return min(versions, key=distance), False


def _nearest_table(tables: Sequence[AgencyTable], index: int) -> AgencyTable:
    """The table of month ``index`` or the nearest one (a tie goes to the earlier month)."""
    return min(tables, key=lambda t: (abs(t.month_index - index), t.month_index))


@dataclass(frozen=True)
class AgencyPricing:
    """The month versions that price a load, how each month was priced, and the findings."""

    versions: tuple[Tariff, ...]
    months: tuple[AgencyMonth, ...]
    warnings: tuple[DataWarning, ...]


def agency_versions(
    index: pd.DatetimeIndex, presets: Iterable[Tariff], tables: Sequence[AgencyTable]
) -> AgencyPricing:
    """One tariff version per calendar month of ``index``: the preset in force (period rules
    and ratios) priced by that month's agency table, or by the nearest table.

    Warnings: ``agency.nearest_month`` (months without a table: ``months``, ``tables``;
    count = intervals), ``agency.rule_outside_validity`` (months no preset version covers,
    priced by the nearest version), ``agency.incomplete_table`` (months priced by a table
    marked ``complete = false``: ``months``, ``absent``).
    """
    presets = sorted(presets, key=lambda t: t.valid_from)
    if not presets or not tables:
        raise ValueError("agency pricing needs at least one preset and one table")
    wall = pd.DatetimeIndex(index)
    if wall.tz is not None:
        wall = wall.tz_localize(None)
    ym = (wall.year * 12 + wall.month - 1).to_numpy()
    months_u, counts = np.unique(ym, return_counts=True)
    out: list[AgencyMonth] = []
    near: list[tuple[str, str, int]] = []
    outside: list[tuple[str, str, int]] = []
    partial: list[tuple[str, str, int]] = []
    for k, n in zip(months_u, counts, strict=True):
        y, m0 = divmod(int(k), 12)
        label = f"{y:04d}-{m0 + 1:02d}"
        preset, covered = _version_on(presets, dt.date(y, m0 + 1, 1))
        table = _nearest_table(tables, int(k))
        nearest = table.month_index != int(k)
        out.append(AgencyMonth(label, table, nearest, month_version(preset, table, label)))
        if nearest:
            near.append((label, table.key, int(n)))
        if not covered:
            outside.append((label, preset.id, int(n)))
        if not table.complete:
            partial.append((label, ", ".join(table.absent) or "?", int(n)))
    warnings = [
        _months_warning(code, entries, key, sep)
        for code, entries, key, sep in (
            ("agency.nearest_month", near, "tables", ", "),
            ("agency.rule_outside_validity", outside, "tariff", ", "),
            ("agency.incomplete_table", partial, "absent", "; "),
        )
        if entries
    ]
    return AgencyPricing(tuple(a.tariff for a in out), tuple(out), tuple(warnings))


def _months_warning(
    code: str, entries: list[tuple[str, str, int]], key: str, sep: str
) -> DataWarning:
    """One warning over ``(month, what, intervals)`` entries: the months, the distinct
    ``what`` under ``key`` (joined by ``sep``) and the intervals concerned as the count."""
    return DataWarning(
        code,
        count=sum(c for _, _, c in entries),
        params={
            "months": ", ".join(mo for mo, _, _ in entries),
            key: sep.join(sorted({w for _, w, _ in entries})),
        },
    )


def agency_section(pricing: AgencyPricing) -> dict[str, Any]:
    """The JSON section ``agency``: per calendar month the table used and its prices."""
    months = []
    for a in pricing.months:
        t = a.table
        prices = np.asarray(a.tariff.month_price)[int(a.month[5:]) - 1]
        months.append(
            {
                "month": a.month,
                "table": t.key,
                "nearest": bool(a.nearest),
                "applies_to": t.applies_to,
                "floating_cny_per_kwh": t.floating_cny_per_kwh,
                "fixed_cny_per_kwh": t.fixed_cny_per_kwh,
                "components_cny_per_kwh": {c.name: c.price_cny_per_kwh for c in t.components},
                "floating_components": [c.name for c in t.components if c.floats],
                "absent": list(t.absent),
                "complete": bool(t.complete),
                "prices_cny_per_kwh": {
                    p: None if np.isnan(prices[k]) else float(prices[k])
                    for k, p in enumerate(PERIODS)
                },
                "demand_cny_per_kw_month": a.tariff.demand_cny_per_kw_month,
                "capacity_cny_per_kva_month": a.tariff.capacity_cny_per_kva_month,
                "source": t.source,
                "confidence": t.confidence,
            }
        )
    return {"tariff": "+".join(v.id for v in pricing.versions), "months": months}
