"""Price sources beyond the TOU table: an uploaded price series and a retail package.

The same load is priced every way the user gave (DESIGN, "Prices as they are billed in 2026"):

=============  ================================================================================
kind           energy price of load interval i [CNY/kWh]
=============  ================================================================================
agency_tou     the TOU price of i's period, version and month (:class:`~analytics.tou.Periods`)
series         the series' price in force at i's **start**: the price row whose
               ``[t_k, t_k + step)`` holds i's start (an hourly price covers the four 15-min
               load intervals starting inside its hour)
package        (1 − linked_share) × reference_i + linked_share × linked_i + adder, with the
               reference the agency TOU price (``reference = "tou"``) or a series
=============  ================================================================================

Every source is a small dated, versioned :class:`PriceSource` (kind, id, version, validity
window, where it came from, whether it is illustrative), so the agency tables of a later
issue fit the same slot.

Figures of a priced load (:class:`MarketBill`, JSON sections ``market`` and ``package``):

- ``energy_cost_cny`` = Σ_i kWh_i × price_i over the intervals with data [CNY];
- ``demand_charge_cny`` = the tariff's basic charge (demand or capacity) of the TOU bill,
  unchanged: a series or package prices energy only [CNY];
- ``total_cost_cny`` = energy_cost_cny + demand_charge_cny [CNY];
- ``average_price_cny_per_kwh`` = energy_cost_cny / energy_kwh [CNY/kWh] (energy only);
- ``warnings``: ``package.outside_validity`` when load dates lie outside a package's
  ``[valid_from, valid_to]`` (priced all the same; count in intervals).

Coverage: a series must price every load interval with data; the first one it does not
cover is refused with ``prices.not_covering`` (file, interval), never priced as zero.
Intervals without data (gaps) add nothing and need no price.

The package file (TOML, strict: unknown keys, types, bounds and paths refused with
``package.*`` naming the file, line and key)::

    reference = "tou"              # or "series" (then reference_series is required)
    linked_share = 0.15            # 0–0.2, the share linked to the spot average
    linked_series = "spot.csv"     # a price-series file beside the TOML (no "..", no absolute)
    adder_cny_per_kwh = 0.012      # fixed adder (may be negative)
    reference_series = "ref.csv"   # only with reference = "series"
    # optional: id, name, valid_from, valid_to (dates), source, illustrative (bool)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import numpy as np
import pandas as pd

from analytics.findings import DataWarning, InputError
from analytics.iotools.prices import PriceReport, read_prices
from analytics.tou.engine import Bill, Periods, bill
from analytics.tou.tariff import _nesting

PRICE_SOURCE_KINDS: tuple[str, ...] = ("agency_tou", "series", "package")
#: Largest linked share of a retail package (market-2026 §3.3: 10–20 % for TOU packages,
#: 0–20 % otherwise; C3).
MAX_LINKED_SHARE = 0.2
#: Largest |adder| of a package [CNY/kWh].
MAX_ABS_ADDER_CNY_PER_KWH = 10.0
MAX_PACKAGE_BYTES = 64_000
MAX_PACKAGE_NESTING = 4

_NS_MIN = 60_000_000_000


@dataclass(frozen=True)
class PriceSource:
    """What priced a load: a dated, versioned data object.

    Attributes
    ----------
    kind : str
        One of :data:`PRICE_SOURCE_KINDS`.
    id : str
        Tariff id(s) (``"+"``-joined), series file name or package id.
    version : str
        A content version: the first 12 hex digits of the file's sha256, or the tariff
        versions' ``valid_from`` dates (``"+"``-joined).
    valid_from, valid_to : date or None
        Dates the source covers (a series: its first and last interval's dates).
    source : str
        Where it came from (a document number, an uploaded file name).
    illustrative : bool
        True where the prices are not published figures.
    """

    kind: str
    id: str
    version: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    source: str
    illustrative: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "version": self.version,
            "valid_from": None if self.valid_from is None else self.valid_from.isoformat(),
            "valid_to": None if self.valid_to is None else self.valid_to.isoformat(),
            "source": self.source,
            "illustrative": self.illustrative,
        }


@dataclass(frozen=True, eq=False)
class PriceSeries:
    """A price series: price in force from each start [CNY/kWh] for ``step_minutes``."""

    prices: pd.Series
    step_minutes: int
    file_name: str
    source: PriceSource

    @classmethod
    def of(cls, prices: pd.Series, report: PriceReport) -> PriceSeries:
        """From :func:`analytics.iotools.prices.read_prices`' result."""
        last = report.end - pd.Timedelta(minutes=1)
        return cls(
            prices=prices,
            step_minutes=report.step_minutes,
            file_name=report.file_name,
            source=PriceSource(
                kind="series",
                id=report.file_name,
                version=report.sha256[:12],
                valid_from=report.start.date(),
                valid_to=last.date(),
                source=report.file_name,
            ),
        )


def read_series(source: Any, *, file_name: str | None = None, tz: str = "Asia/Shanghai"):
    """Read a price-series file into a :class:`PriceSeries` (raises ``InputError``)."""
    prices, report = read_prices(source, file_name=file_name, tz=tz)
    return PriceSeries.of(prices, report)


def agency_source(periods: Periods) -> PriceSource:
    """The TOU versions of ``periods`` as a :class:`PriceSource` (kind ``agency_tou``)."""
    vs = periods.versions
    return PriceSource(
        kind="agency_tou",
        id="+".join(v.id for v in vs),
        version="+".join(v.valid_from.isoformat() for v in vs),  # each version's first day
        valid_from=min(v.valid_from for v in vs),
        valid_to=None if any(v.valid_to is None for v in vs) else max(v.valid_to for v in vs),
        source="; ".join(dict.fromkeys(v.meta.source for v in vs)),
        illustrative=any(v.illustrative for v in vs),
    )


# --------------------------------------------------------------------------- pricing
def series_prices(index: pd.DatetimeIndex, kwh: np.ndarray, series: PriceSeries) -> np.ndarray:
    """Price in force at each interval start of ``index`` [CNY/kWh] (module docstring).

    ``kwh`` marks the intervals with data (NaN = missing: those get NaN and need no price).
    Raises ``prices.not_covering`` naming the file and the first uncovered interval with data.
    """
    starts = pd.DatetimeIndex(series.prices.index).as_unit("ns").asi8
    t = pd.DatetimeIndex(index).as_unit("ns").asi8
    pos = np.searchsorted(starts, t, side="right") - 1
    safe = np.clip(pos, 0, max(len(starts) - 1, 0))
    covered = (pos >= 0) & (t < starts[safe] + series.step_minutes * _NS_MIN)
    has = ~np.isnan(kwh)
    gap = has & ~covered
    if gap.any():
        i = int(np.flatnonzero(gap)[0])
        raise InputError(
            "prices.not_covering",
            file=series.file_name,
            expected="a price for every load interval",
            interval=pd.Timestamp(index[i]).isoformat(),
            first=pd.Timestamp(series.prices.index[0]).isoformat() if len(starts) else "",
        )
    values = series.prices.to_numpy(dtype=float)[safe]
    return np.where(covered, values, np.nan)


@dataclass(frozen=True, eq=False)
class MarketBill:
    """The load priced by one source (module docstring for the figures).

    ``price_cny_per_kwh`` is the energy price per load interval [CNY/kWh] (NaN without data).
    """

    source: PriceSource
    price_cny_per_kwh: np.ndarray
    energy_kwh: float
    energy_cost_cny: float
    demand_charge_cny: float
    total_cost_cny: float
    average_price_cny_per_kwh: float
    warnings: tuple[DataWarning, ...] = ()


def price_load(
    frame: pd.DataFrame, price_cny_per_kwh: np.ndarray, tou_bill: Bill, source: PriceSource
) -> MarketBill:
    """Price ``frame['kwh']`` at ``price_cny_per_kwh`` per interval, plus the TOU bill's
    demand/capacity charge (unchanged)."""
    kwh = frame["kwh"].to_numpy(dtype=float)
    has = ~np.isnan(kwh)
    energy = float(kwh[has].sum())
    cost = float((kwh[has] * price_cny_per_kwh[has]).sum())  # no BLAS threads for one dot
    demand = float(tou_bill.demand_charge_cny)
    return MarketBill(
        source=source,
        price_cny_per_kwh=price_cny_per_kwh,
        energy_kwh=energy,
        energy_cost_cny=cost,
        demand_charge_cny=demand,
        total_cost_cny=cost + demand,
        average_price_cny_per_kwh=cost / energy if energy > 0 else float("nan"),
    )


def market_bill(frame: pd.DataFrame, series: PriceSeries, tou_bill: Bill) -> MarketBill:
    """The load priced by a price series (JSON section ``market``)."""
    kwh = frame["kwh"].to_numpy(dtype=float)
    price = series_prices(pd.DatetimeIndex(frame.index), kwh, series)
    return price_load(frame, price, tou_bill, series.source)


def market_section(mb: MarketBill) -> dict[str, Any]:
    """The ``market`` / ``package`` JSON section of a :class:`MarketBill` (plain types)."""
    avg = mb.average_price_cny_per_kwh
    return {
        "energy_cost_cny": mb.energy_cost_cny,
        "demand_charge_cny": mb.demand_charge_cny,
        "total_cost_cny": mb.total_cost_cny,
        "average_price_cny_per_kwh": None if np.isnan(avg) else float(avg),
        "energy_kwh": mb.energy_kwh,
        "source": mb.source.to_dict(),
        "warnings": [w.to_dict() for w in mb.warnings],
    }


# --------------------------------------------------------------------------- packages
@dataclass(frozen=True)
class PackageSpec:
    """A retail package as its TOML says (series still file names, relative to the TOML)."""

    file_name: str
    id: str
    name: str
    reference: str
    linked_share: float
    linked_series: str
    adder_cny_per_kwh: float
    reference_series: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    source: str
    illustrative: bool
    sha256: str


@dataclass(frozen=True, eq=False)
class RetailPackage:
    """A retail package with its series read."""

    spec: PackageSpec
    linked: PriceSeries
    reference: PriceSeries | None

    @property
    def source(self) -> PriceSource:
        s = self.spec
        return PriceSource(
            kind="package",
            id=s.id,
            version=s.sha256[:12],
            valid_from=s.valid_from,
            valid_to=s.valid_to,
            source=s.source or s.file_name,
            illustrative=s.illustrative,
        )


_REQUIRED = ("reference", "linked_share", "linked_series", "adder_cny_per_kwh")
_OPTIONAL = ("reference_series", "id", "name", "valid_from", "valid_to", "source", "illustrative")


def _line_of(text: str, key: str) -> int:
    for i, line in enumerate(text.splitlines(), start=1):
        head = line.split("=", 1)[0].strip()
        if head == key or head.strip("[] ") == key:
            return i
    return 0


class _Pkg:
    """Raises the first problem of a package file as ``package.<code>``."""

    def __init__(self, text: str, file: str) -> None:
        self.text, self.file = text, file

    def fail(self, code: str, at: str | None, expected: str, **params: Any) -> InputError:
        """``package.<code>`` at the line of the key ``at`` (none: no line)."""
        line = _line_of(self.text, at) if at else 0
        return InputError(
            f"package.{code}",
            file=self.file,
            row=line or None,
            column=at,
            expected=expected,
            **params,
        )

    def number(self, data: Mapping[str, Any], key: str, lo: float, hi: float) -> float:
        v = data[key]
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not np.isfinite(v):
            raise self.fail("bad_value", key, "a number", value=str(v))
        if not lo <= v <= hi:
            raise self.fail("bad_value", key, f"a number in [{lo:g}, {hi:g}]", value=str(v))
        return float(v)

    def path(self, data: Mapping[str, Any], key: str) -> str:
        v = data[key]
        if not isinstance(v, str) or not v.strip():
            raise self.fail("bad_value", key, "a file name", value=str(v))
        posix, win = PurePosixPath(v), PureWindowsPath(v)
        if (
            posix.is_absolute()
            or win.is_absolute()
            or win.drive
            or ".." in posix.parts
            or ".." in win.parts
            or v.startswith(("~", "\\"))
        ):
            raise self.fail(
                "bad_path", key, "a file inside the package's folder (no '..', not absolute)"
            )
        return v

    def text_value(self, data: Mapping[str, Any], key: str, default: str) -> str:
        v = data.get(key, default)
        if not isinstance(v, str):
            raise self.fail("bad_value", key, "a text", value=str(v))
        return v

    def date(self, data: Mapping[str, Any], key: str) -> dt.date | None:
        v = data.get(key)
        if v is None:
            return None
        if isinstance(v, dt.datetime) or not isinstance(v, dt.date):
            raise self.fail("bad_value", key, "a date such as 2026-01-01", value=str(v))
        return v


def _parse(text: str, file: str) -> Mapping[str, Any]:
    ck = _Pkg(text, file)
    size = len(text.encode("utf-8"))
    if size > MAX_PACKAGE_BYTES:
        raise InputError(
            "package.too_large",
            file=file,
            expected=f"at most {MAX_PACKAGE_BYTES // 1000} kB",
            size_kb=size // 1000,
        )
    depth, line = _nesting(text)
    if depth > MAX_PACKAGE_NESTING:
        raise InputError(
            "package.too_deep", file=file, row=line, expected="a flat TOML file", depth=depth
        )
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError) as exc:
        m = re.search(r"at line (\d+)", str(exc))
        raise InputError(
            "package.toml_syntax",
            file=file,
            row=int(m.group(1)) if m else None,
            expected="valid TOML",
            reason=str(exc),
        ) from None
    for key in data:
        if key not in _REQUIRED and key not in _OPTIONAL:
            raise ck.fail("unknown_key", key, "one of " + ", ".join(_REQUIRED + _OPTIONAL), key=key)
    for key in _REQUIRED:
        if key not in data:
            raise ck.fail("missing_key", None, f"the key {key}", key=key)
    return data


def parse_package(text: str, *, file: str = "<text>", sha256: str = "") -> PackageSpec:
    """Validate a package's TOML text (module docstring); raises ``package.*``."""
    ck = _Pkg(text, file)
    data = _parse(text, file)
    reference = data["reference"]
    if reference not in ("tou", "series"):
        raise ck.fail("bad_value", "reference", '"tou" or "series"', value=str(reference))
    share = ck.number(data, "linked_share", 0.0, MAX_LINKED_SHARE)
    adder = ck.number(
        data, "adder_cny_per_kwh", -MAX_ABS_ADDER_CNY_PER_KWH, MAX_ABS_ADDER_CNY_PER_KWH
    )
    linked = ck.path(data, "linked_series")
    ref_series = None
    if reference == "series":
        if "reference_series" not in data:
            raise ck.fail(
                "missing_key",
                None,
                'reference_series with reference = "series"',
                key="reference_series",
            )
        ref_series = ck.path(data, "reference_series")
    elif "reference_series" in data:
        raise ck.fail(
            "bad_value",
            "reference_series",
            'no reference_series with reference = "tou"',
            value=str(data["reference_series"]),
        )
    illustrative = data.get("illustrative", False)
    if not isinstance(illustrative, bool):
        raise ck.fail("bad_value", "illustrative", "true or false", value=str(illustrative))
    valid_from, valid_to = ck.date(data, "valid_from"), ck.date(data, "valid_to")
    if valid_from and valid_to and valid_to < valid_from:
        raise ck.fail("bad_value", "valid_to", "a date on or after valid_from", value=str(valid_to))
    stem = Path(file).stem or "package"
    return PackageSpec(
        file_name=file,
        id=ck.text_value(data, "id", stem),
        name=ck.text_value(data, "name", stem),
        reference=reference,
        linked_share=share,
        linked_series=linked,
        adder_cny_per_kwh=adder,
        reference_series=ref_series,
        valid_from=valid_from,
        valid_to=valid_to,
        source=ck.text_value(data, "source", ""),
        illustrative=illustrative,
        sha256=sha256,
    )


def resolve_package(spec: PackageSpec, read: Callable[[str, str], PriceSeries]) -> RetailPackage:
    """Read the package's series with ``read(relative_path, key) -> PriceSeries``."""
    linked = read(spec.linked_series, "linked_series")
    ref = read(spec.reference_series, "reference_series") if spec.reference_series else None
    return RetailPackage(spec=spec, linked=linked, reference=ref)


def load_package(path: Path, *, tz: str = "Asia/Shanghai") -> RetailPackage:
    """Load a package TOML and the series beside it (CLI; each path must resolve inside the
    TOML's folder, symlinks included); raises ``package.*`` or the series' ``prices.*``."""
    name = path.name
    try:
        if path.stat().st_size > MAX_PACKAGE_BYTES:
            raise InputError(
                "package.too_large",
                file=name,
                expected=f"at most {MAX_PACKAGE_BYTES // 1000} kB",
                size_kb=path.stat().st_size // 1000,
            )
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("package.unreadable", file=name, reason=type(exc).__name__) from None
    spec = parse_package(text, file=name, sha256=hashlib.sha256(raw).hexdigest())
    folder = path.resolve().parent

    def read(rel: str, key: str) -> PriceSeries:
        target = (folder / rel).resolve()
        if not target.is_relative_to(folder):
            raise _Pkg(text, name).fail(
                "bad_path", key, "a file inside the package's folder (no link out)"
            )
        if not target.is_file():
            raise _Pkg(text, name).fail("file_not_found", key, "an existing file", path=rel)
        return read_series(target, file_name=rel, tz=tz)

    return resolve_package(spec, read)


def uploaded_package(
    text: str,
    *,
    file: str,
    files: Mapping[str, bytes],
    tz: str = "Asia/Shanghai",
    sha256: str = "",
) -> RetailPackage:
    """A package uploaded with its series (the page): each series path is matched to an
    uploaded file of the same base name; raises ``package.file_not_found`` otherwise."""
    spec = parse_package(text, file=file, sha256=sha256)

    def read(rel: str, key: str) -> PriceSeries:
        base = PurePosixPath(rel.replace("\\", "/")).name
        if base not in files:
            raise _Pkg(text, file).fail("file_not_found", key, "the series uploaded too", path=rel)
        return read_series(files[base], file_name=base, tz=tz)

    return resolve_package(spec, read)


def package_prices(frame: pd.DataFrame, periods: Periods, package: RetailPackage) -> np.ndarray:
    """Package energy price per interval [CNY/kWh]:
    (1 − s) × reference + s × linked + adder (module docstring)."""
    idx = pd.DatetimeIndex(frame.index)
    kwh = frame["kwh"].to_numpy(dtype=float)
    linked = series_prices(idx, kwh, package.linked)
    if package.reference is None:
        ref = np.asarray(periods.price_cny_per_kwh, dtype=float)
    else:
        ref = series_prices(idx, kwh, package.reference)
    s = package.spec.linked_share
    return (1.0 - s) * ref + s * linked + package.spec.adder_cny_per_kwh


def validity_warning(frame: pd.DataFrame, source: PriceSource) -> DataWarning | None:
    """``package.outside_validity``: intervals with data on dates outside the source's
    ``[valid_from, valid_to]`` (count in intervals; ``first``/``last`` such dates)."""
    if source.valid_from is None and source.valid_to is None:
        return None
    wall = pd.DatetimeIndex(frame.index)
    wall = wall.tz_localize(None) if wall.tz is not None else wall
    day = wall.normalize()
    out = np.zeros(len(day), dtype=bool)
    if source.valid_from is not None:
        out |= day < pd.Timestamp(source.valid_from)
    if source.valid_to is not None:
        out |= day > pd.Timestamp(source.valid_to)
    out &= frame["kwh"].notna().to_numpy()
    if not out.any():
        return None
    days = day[out]
    return DataWarning(
        "package.outside_validity",
        count=int(out.sum()),
        params={
            "package": source.id,
            "first": days.min().date().isoformat(),
            "last": days.max().date().isoformat(),
            "valid_from": str(source.valid_from or "…"),
            "valid_to": str(source.valid_to or "…"),
        },
    )


def package_bill(
    frame: pd.DataFrame, periods: Periods, package: RetailPackage, tou_bill: Bill
) -> MarketBill:
    """The load priced by a retail package (JSON section ``package``); intervals outside the
    package's validity are priced all the same, with ``package.outside_validity``."""
    mb = price_load(frame, package_prices(frame, periods, package), tou_bill, package.source)
    w = validity_warning(frame, package.source)
    return mb if w is None else replace(mb, warnings=(w,))


def _from_bill(frame: pd.DataFrame, b: Bill, price: np.ndarray, source: PriceSource) -> MarketBill:
    energy = float(b.total_energy_kwh)
    cost = float(sum(b.energy_cost_cny.values()))
    return MarketBill(
        source=source,
        price_cny_per_kwh=price,
        energy_kwh=energy,
        energy_cost_cny=cost,
        demand_charge_cny=float(b.demand_charge_cny),
        total_cost_cny=float(b.total_cost_cny),
        average_price_cny_per_kwh=cost / energy if energy > 0 else float("nan"),
    )


def agency_bill(frame: pd.DataFrame, periods: Periods, tou_bill: Bill) -> MarketBill:
    """The TOU bill as a :class:`MarketBill` (the comparison's agency row): the ``tou``
    section's energy cost, demand charge and total (average = energy cost / energy)."""
    price = np.asarray(periods.price_cny_per_kwh, dtype=float)
    return _from_bill(frame, tou_bill, price, agency_source(periods))


#: Rows of a comparison, in order.
COMPARISON_WAYS: tuple[str, ...] = ("agency_tou", "series", "package", "shifted")


def compare_prices(
    frame: pd.DataFrame,
    periods: Periods,
    tou_bill: Bill,
    *,
    series: PriceSeries | None = None,
    package: RetailPackage | None = None,
    shifted_kwh: pd.Series | None = None,
    shifted_by: str = "agency_tou",
) -> dict[str, MarketBill]:
    """The same load priced every way given, keyed by :data:`COMPARISON_WAYS` (absent when
    not given). ``shifted`` is the load after the load shift (``shifted_kwh`` on ``frame``'s
    index) priced by the source the shift was optimised with (``shifted_by``: the TOU
    versions, the series or the package; its ``source.kind`` says which), its demand charge
    recomputed from the shifted load."""
    out = {"agency_tou": agency_bill(frame, periods, tou_bill)}
    if series is not None:
        out["series"] = market_bill(frame, series, tou_bill)
    if package is not None:
        out["package"] = package_bill(frame, periods, package, tou_bill)
    if shifted_kwh is not None:
        shifted = pd.DataFrame({"kwh": shifted_kwh.to_numpy(dtype=float)}, index=frame.index)
        new_bill = bill(shifted, periods=periods)
        if shifted_by == "package" and package is not None:
            out["shifted"] = package_bill(shifted, periods, package, new_bill)
        elif shifted_by == "series" and series is not None:
            out["shifted"] = market_bill(shifted, series, new_bill)
        else:
            out["shifted"] = _from_bill(
                shifted, new_bill, out["agency_tou"].price_cny_per_kwh, out["agency_tou"].source
            )
    return out


def source_prices(
    frame: pd.DataFrame,
    periods: Periods,
    *,
    series: PriceSeries | None = None,
    package: RetailPackage | None = None,
) -> tuple[np.ndarray, str] | None:
    """The chosen source's energy price per interval [CNY/kWh] and its kind, for the
    load-shift optimiser: the package when given, else the series, else None (TOU)."""
    if package is not None:
        return package_prices(frame, periods, package), "package"
    if series is not None:
        kwh = frame["kwh"].to_numpy(dtype=float)
        return series_prices(pd.DatetimeIndex(frame.index), kwh, series), "series"
    return None


def price_sections(compared: Mapping[str, MarketBill]) -> dict[str, Any]:
    """The JSON sections ``market`` (series) and ``package`` of a comparison."""
    return {
        section: market_section(compared[way])
        for section, way in (("market", "series"), ("package", "package"))
        if way in compared
    }
