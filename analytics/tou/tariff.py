"""TOU tariffs as validated data: the TOML format, the strict loader and the presets.

A tariff version is one TOML file (``analytics/tou/presets/*.toml``). The loader
:func:`load_tariff` rejects unknown keys and reports **every** problem with the line it
sits on, in one :class:`~analytics.findings.InputError` (code ``"tariff.invalid"``,
``params["problems"]`` = list of :class:`Problem` ``(line, code, params)``). The engine
that prices a canonical frame (:func:`classify`, :func:`bill`, :func:`period_grid`,
:func:`to_tou_json`, :func:`default_tariffs_for`) lives in :mod:`analytics.tou` and is
re-exported here. This module imports no Streamlit.

File format (see ``analytics/tou/presets/template.toml`` for a commented example)
---------------------------------------------------------------------------
Top level: ``id``, ``name``, ``name_zh``, ``province``, ``user_class``
(``large_industrial_two_part``, ``general_ci_two_part``, ``general_ci`` …), ``voltage``
(``"1-10kV"``), ``valid_from`` and optional ``valid_to`` (inclusive dates),
``source`` (document number), ``source_url``, ``national_rule``, ``confidence``
(``C1``/``C2``/``C3``/``U`` of the period structure and ratios, after
``reference/domain-facts.md``), ``illustrative`` (true when the prices are not a
published figure), ``seen_in`` (where the values were read), ``notes``.

``[[season]]``: ``name``, ``months`` and ``windows`` = ``[{period, start, end}, …]``,
half-open ``[start, end)`` ``"HH:MM"`` on the half-hour, ``end = "24:00"`` allowed, a
window may wrap midnight (``22:00``–``02:00``); a season's windows must tile
00:00–24:00 exactly and the seasons' months must cover 1–12 once. Optional per-season
``prices = {period = CNY/kWh}`` or ``ratios = {period = r}`` override the tariff-level
ones (Shanghai's ratios differ by season).

Prices: ``[prices]`` per period [CNY/kWh], or ``[pricing]`` with
``base_cny_per_kwh`` (B, the floating base), ``adder_cny_per_kwh`` (A, the part that
does not float) and ``ratios`` per period (flat defaults to 1); the loader computes
``price = B × ratio + A`` (fact sheet §0.1). Periods: ``sharp`` (尖峰), ``peak`` (高峰),
``flat`` (平段), ``valley`` (低谷), ``deep_valley`` (深谷).

``[[sharp_peak]]``: ``months`` and ``windows = [{start, end}]`` that become ``sharp``
(or the window's ``period``) in those months, over the season's periods.

``[[holiday_rule]]``: ``days`` = ``"statutory_holidays"`` | ``"rest_days"`` |
``"non_working_days"`` (day types from :mod:`analytics.tou.calendar`, so 调休 make-up days
are working days), optional ``months``, ``holidays`` (``chinese_calendar.Holiday``
keys: ``spring_festival``, ``labour_day``, ``national_day`` …; a day belongs to the
block it sits in), ``first_days`` (only the first N days of each block), and either
``period`` (the whole day is priced as that period: "holidays priced as valley") or
``windows = [{period, start, end}]`` (those hours only). Rules apply in file order over
the season and sharp-peak periods; a later rule wins.

``[charges]``: ``demand_cny_per_kw_month`` (on each calendar month's maximum interval
kW) and/or ``capacity_cny_per_kva_month`` (on the contracted kVA, a bill parameter).

Line numbers
------------
``tomllib`` gives values, not positions, so each problem's line is found by searching the
source text: the n-th ``[[table]]`` / ``[table]`` header opens a span that runs to the next
header that is not its own sub-table; a key is the first ``key =`` in its span (also inside
inline tables); the k-th item of an array of inline tables (``windows``) is the line that
holds the (k+1)-th ``{`` after the key. Line 0 means "the file as a whole" (a missing key).
Syntax errors carry the line ``tomllib`` reports.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from analytics.findings import InputError
from analytics.tou.calendar import HOLIDAY_NAMES

PERIODS: tuple[str, ...] = ("sharp", "peak", "flat", "valley", "deep_valley")
#: The periods a peak share counts, and a valley share.
PEAK_PERIODS: tuple[str, ...] = ("sharp", "peak")
VALLEY_PERIODS: tuple[str, ...] = ("valley", "deep_valley")
PERIOD_CODE: Mapping[str, int] = {p: i for i, p in enumerate(PERIODS)}
SLOTS_PER_DAY = 48  # half-hour resolution
CONFIDENCE_LEVELS: tuple[str, ...] = ("C1", "C2", "C3", "U")
DAY_RULES: tuple[str, ...] = ("statutory_holidays", "rest_days", "non_working_days")
NATIONAL_RULE = "国家发展改革委 发改价格〔2021〕1093号《关于进一步完善分时电价机制的通知》"
PRESET_DIR = Path(__file__).parent / "presets"
TEMPLATE_ID = "template"

_TOP_KEYS = {
    "id",
    "name",
    "name_zh",
    "province",
    "user_class",
    "voltage",
    "valid_from",
    "valid_to",
    "source",
    "source_url",
    "national_rule",
    "confidence",
    "illustrative",
    "seen_in",
    "notes",
    "season",
    "sharp_peak",
    "holiday_rule",
    "prices",
    "pricing",
    "charges",
    "example",
    "not_modelled",
    "placeholder_ratios",
}
_REQUIRED = (
    "id",
    "name",
    "province",
    "user_class",
    "voltage",
    "valid_from",
    "source",
    "source_url",
    "confidence",
    "season",
)
_SEASON_KEYS = {"name", "months", "windows", "prices", "ratios"}
_SHARP_KEYS = {"months", "windows", "notes"}
_RULE_KEYS = {"days", "months", "holidays", "first_days", "period", "windows", "notes"}
_PRICING_KEYS = {"base_cny_per_kwh", "adder_cny_per_kwh", "ratios"}
_CHARGE_KEYS = {
    "demand_cny_per_kw_month",
    "capacity_cny_per_kva_month",
    *(f"{f}_{k}" for f in ("demand", "capacity") for k in ("source", "confidence", "illustrative")),
}
_EXAMPLE_KEYS = {"month", "prices", "source", "confidence", "reproduced", "notes"}
#: Rules of a tariff document a preset can declare it does not model (``not_modelled``).
RULE_NAMES: tuple[str, ...] = ("sharp_peak", "holiday_deep_valley", "weather_sharp_peak")
_EXAMPLE_MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")


#: Every problem code the loader reports (``"tariff." + code``; i18n ``error.tariff.<code>``).
PROBLEM_CODES: tuple[str, ...] = (
    "toml_syntax", "unknown_key", "missing_key", "bad_type", "bad_date", "bad_month",
    "month_repeated", "bad_time", "empty_window", "unknown_period", "overlap",
    "hours_not_covered", "month_overlap", "months_not_covered", "prices_and_pricing",
    "negative_price", "negative_ratio", "ratios_without_pricing", "missing_price",
    "bad_day_rule", "unknown_holiday", "holidays_on_rest_days", "rule_period_or_windows",
    "bad_id", "bad_url", "bad_confidence", "bad_validity", "too_large", "too_deep",
    "placeholder_claims_confidence", "unknown_rule",
)  # fmt: skip
#: Bounds checked before parsing: a tariff file is a few KB of TOML, nested a few levels.
MAX_TOML_BYTES = 256_000
MAX_TOML_NESTING = 16
#: Problems kept (sorted by line) in ``InputError.params["problems"]``; ``count`` has them all.
MAX_PROBLEMS = 100
#: Codes of the errors raised by this module (i18n ``error.<code>``).
ERROR_CODES: tuple[str, ...] = ("tariff.invalid", "tariff.unreadable", "tariff.unknown")


class Problem(NamedTuple):
    """One problem of a tariff file: 1-based ``line`` (0 = whole file), ``code``, ``params``.

    The i18n key is ``f"error.{code}"`` with ``line`` and ``params`` as placeholders.
    """

    line: int
    code: str
    params: Mapping[str, Any]

    def __repr__(self) -> str:  # compact, so InputError's one-line text stays readable
        args = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return f"line {self.line}: {self.code}({args})"


@dataclass(frozen=True)
class Window:
    """A half-open ``[start, end)`` window in half-hour slots (0–48); wraps when end ≤ start."""

    period: str
    start_slot: int
    end_slot: int

    def slots(self) -> np.ndarray:
        if self.end_slot > self.start_slot:
            return np.arange(self.start_slot, self.end_slot)
        return np.r_[np.arange(self.start_slot, SLOTS_PER_DAY), np.arange(0, self.end_slot)]


@dataclass(frozen=True)
class Season:
    name: str
    months: tuple[int, ...]
    windows: tuple[Window, ...]
    prices: Mapping[str, float]  # resolved CNY/kWh of every period priced in this season


@dataclass(frozen=True)
class SharpPeak:
    months: tuple[int, ...]
    windows: tuple[Window, ...]


@dataclass(frozen=True)
class HolidayRule:
    days: str
    months: tuple[int, ...]
    holidays: tuple[str, ...]
    first_days: int | None
    windows: tuple[Window, ...]  # a whole-day ``period`` rule is one 00:00–24:00 window


@dataclass(frozen=True)
class Pricing:
    """The B × ratio + A structure (fact sheet §0.1), kept for display."""

    base_cny_per_kwh: float
    adder_cny_per_kwh: float
    ratios: Mapping[str, float]


@dataclass(frozen=True)
class ChargeInfo:
    """Provenance of one demand or capacity figure (shown per figure in the UI)."""

    source: str
    confidence: str
    illustrative: bool


@dataclass(frozen=True)
class Example:
    """A published price example the preset's B and A must reproduce (to 1e-4)."""

    month: str  # "YYYY-MM"; the calendar month (1–12) selects the month_price row
    prices: Mapping[str, float]
    source: str
    confidence: str
    reproduced: bool = True  # False: the preset's placeholder ratios cannot reproduce it


@dataclass(frozen=True)
class TariffMeta:
    """What a picker shows: identity, validity, source, confidence."""

    id: str
    name: str
    name_zh: str
    province: str
    user_class: str
    voltage: str
    valid_from: dt.date
    valid_to: dt.date | None
    source: str
    source_url: str
    confidence: str
    illustrative: bool
    path: str | None = None

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True, eq=False)
class Tariff:
    """One validated tariff version with its compiled lookup tables.

    ``month_period`` : int8 array (12, 48) — period code (index into :data:`PERIODS`) of
    each calendar month (0 = January) and half-hour slot on a working day.
    ``month_price`` : float array (12, 5) — price of each period in each month
    [CNY/kWh], NaN where the period is not priced.
    """

    meta: TariffMeta
    national_rule: str
    seen_in: str
    notes: str
    seasons: tuple[Season, ...]
    sharp_peaks: tuple[SharpPeak, ...]
    holiday_rules: tuple[HolidayRule, ...]
    prices: Mapping[str, float]
    pricing: Pricing | None
    demand_cny_per_kw_month: float | None
    capacity_cny_per_kva_month: float | None
    month_period: np.ndarray = field(repr=False)
    month_price: np.ndarray = field(repr=False)
    examples: tuple[Example, ...] = ()
    not_modelled: tuple[str, ...] = ()
    placeholder_ratios: bool = False
    #: ``"demand"`` / ``"capacity"`` → provenance of that figure (absent = not charged)
    charge_info: Mapping[str, ChargeInfo] = field(default_factory=dict)

    # convenient pass-throughs
    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def valid_from(self) -> dt.date:
        return self.meta.valid_from

    @property
    def valid_to(self) -> dt.date | None:
        return self.meta.valid_to

    @property
    def illustrative(self) -> bool:
        return self.meta.illustrative


# --------------------------------------------------------------------------- line finding
class _Lines:
    """Finds the line of a key / table / array item in TOML text (see module docstring)."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?")

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers: list[tuple[int, str]] = []  # (1-based line, dotted name)
        for i, line in enumerate(self.lines, start=1):
            m = self._HEADER.match(line)
            if m:
                self.headers.append((i, m.group(2)))

    def span(self, table: str | None, n: int = 0) -> tuple[int, int] | None:
        """Lines [first, last] of the n-th ``[table]``/``[[table]]``; None = top level."""
        end_of_file = len(self.lines)
        if table is None:
            first_header = self.headers[0][0] if self.headers else end_of_file + 1
            return (1, first_header - 1)
        seen = -1
        for k, (line, name) in enumerate(self.headers):
            if name != table:
                continue
            seen += 1
            if seen != n:
                continue
            last = end_of_file
            for line2, name2 in self.headers[k + 1 :]:
                if not name2.startswith(table + "."):
                    last = line2 - 1
                    break
            return (line, last)
        return None

    def key(self, table: str | None, key: str, n: int = 0) -> int:
        """Line of ``key =`` inside the n-th ``table`` (its header line, else 0)."""
        span = self.span(table, n)
        if span is None:
            return self._anywhere(key)
        pat = re.compile(r"(^|[{,])\s*" + re.escape(key) + r"\s*=")
        for i in range(span[0], span[1] + 1):
            if pat.search(self._code(i)):
                return i
        return span[0] if table is not None else 0

    def subkey(self, table: str | None, key: str, sub: str, n: int = 0) -> int:
        """Line of ``sub =`` in the inline table / ``[table.key]`` sub-table ``key``."""
        dotted = f"{table}.{key}" if table else key
        if self.span(dotted) is not None:
            return self.key(dotted, sub)
        start = self.key(table, key, n)
        pat = re.compile(r"(^|[{,])\s*" + re.escape(sub) + r"\s*=")
        for i in range(max(start, 1), min(start + 30, len(self.lines)) + 1):
            if pat.search(self._code(i)):
                return i
        return start

    def item(self, table: str, n: int, key: str, k: int) -> int:
        """Line of the k-th inline table of the array ``key`` in the n-th ``[[table]]``."""
        start = self.key(table, key, n)
        if start == 0:
            return 0
        count = -1
        for i in range(start, len(self.lines) + 1):
            code = self._code(i)
            if i == start:
                code = code.split("=", 1)[-1]
            count += code.count("{")
            if count >= k:
                return i
        return start

    def _anywhere(self, key: str) -> int:
        pat = re.compile(r"(^|[{,])\s*" + re.escape(key) + r"\s*=")
        for i in range(1, len(self.lines) + 1):
            if pat.search(self._code(i)):
                return i
        return 0

    def _code(self, i: int) -> str:
        """Line i without its comment and string contents (so '#', '{' in text don't count)."""
        line = self.lines[i - 1] if 0 < i <= len(self.lines) else ""
        line = re.sub(r'"(?:[^"\\]|\\.)*"', '""', line)
        line = re.sub(r"'[^']*'", "''", line)
        return line.split("#", 1)[0]


# --------------------------------------------------------------------------- validation
def fmt_slot(slot: int) -> str:
    return f"{slot // 2:02d}:{30 * (slot % 2):02d}"


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Runs [a, b) of True slots."""
    out: list[tuple[int, int]] = []
    a = None
    for i, v in enumerate(list(mask) + [False]):
        if v and a is None:
            a = i
        elif not v and a is not None:
            out.append((a, i))
            a = None
    return out


class _Checker:
    def __init__(self, text: str, file: str | None) -> None:
        self.text = text
        self.file = file
        self.at = _Lines(text)
        self.problems: list[Problem] = []
        self.count = 0  # every problem found; only the first MAX_PROBLEMS are kept

    def add(self, line: int, code: str, **params: Any) -> None:
        assert code in PROBLEM_CODES, code
        self.count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(int(line), "tariff." + code, params))

    # -- scalar helpers
    def unknown(
        self,
        data: Mapping[str, Any],
        allowed: set[str],
        table: str | None,
        n: int = 0,
        label: str | None = None,
    ) -> None:
        for key in data:
            if key not in allowed:
                self.add(
                    self.at.key(table, key, n),
                    "unknown_key",
                    key=key,
                    table=label or table or "(top)",
                )

    def string(
        self,
        data: Mapping[str, Any],
        key: str,
        table: str | None = None,
        n: int = 0,
        required: bool = False,
    ) -> str:
        if key not in data:
            if required:
                self.add(self.at.span(table, n)[0] if table else 0, "missing_key", key=key)
            return ""
        v = data[key]
        if not isinstance(v, str) or (required and not v.strip()):
            self.add(self.at.key(table, key, n), "bad_type", key=key, expected="text")
            return ""
        return v

    def number(
        self,
        value: Any,
        line: int,
        key: str,
        *,
        minimum: float | None = 0.0,
        code: str = "negative_price",
    ) -> float | None:
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
        ):
            self.add(line, "bad_type", key=key, expected="number")
            return None
        if minimum is not None and value < minimum:
            self.add(line, code, key=key, value=value)
            return None
        return float(value)

    def date(self, data: Mapping[str, Any], key: str, required: bool) -> dt.date | None:
        if key not in data:
            if required:
                self.add(0, "missing_key", key=key)
            return None
        v = data[key]
        if isinstance(v, dt.datetime):
            v = v.date()
        if isinstance(v, str):
            try:
                v = dt.date.fromisoformat(v)
            except ValueError:
                v = None
        if not isinstance(v, dt.date):
            self.add(self.at.key(None, key), "bad_date", key=key)
            return None
        return v

    def months(self, value: Any, line: int) -> tuple[int, ...]:
        if not isinstance(value, list) or not value:
            self.add(line, "bad_month", value=str(value))
            return ()
        good: list[int] = []
        for m in value:
            if isinstance(m, bool) or not isinstance(m, int) or not 1 <= m <= 12:
                self.add(line, "bad_month", value=str(m))
            elif m in good:
                self.add(line, "month_repeated", month=m)
            else:
                good.append(m)
        return tuple(good)

    def time(self, value: Any, line: int, *, is_end: bool) -> int | None:
        m = _TIME_RE.match(value) if isinstance(value, str) else None
        if m is None:
            self.add(line, "bad_time", value=str(value))
            return None
        h, mi = int(m.group(1)), int(m.group(2))
        if mi not in (0, 30) or h > 24 or (h == 24 and (mi != 0 or not is_end)):
            self.add(line, "bad_time", value=value)
            return None
        return h * 2 + mi // 30

    def windows(
        self, value: Any, table: str, n: int, *, default_period: str | None, allowed_keys: set[str]
    ) -> list[tuple[Window, int]]:
        line0 = self.at.key(table, "windows", n)
        if not isinstance(value, list) or not value:
            self.add(line0, "bad_type", key="windows", expected="list of {period, start, end}")
            return []
        out: list[tuple[Window, int]] = []
        for k, w in enumerate(value):
            line = self.at.item(table, n, "windows", k)
            if not isinstance(w, dict):
                self.add(line, "bad_type", key="windows", expected="{period, start, end}")
                continue
            for key in w:
                if key not in allowed_keys:
                    self.add(line, "unknown_key", key=key, table=f"{table}.windows")
            period = w.get("period", default_period)
            ok = True
            if period is None:
                self.add(line, "missing_key", key="period")
                ok = False
            elif period not in PERIOD_CODE:
                self.add(line, "unknown_period", period=str(period))
                ok = False
            start = self.time(w.get("start"), line, is_end=False)
            end = self.time(w.get("end"), line, is_end=True)
            if start is None or end is None or not ok:
                continue
            end_slot = 0 if end == SLOTS_PER_DAY and start > 0 else end
            if start == end_slot and not (start == 0 and end == SLOTS_PER_DAY):
                self.add(line, "empty_window", start=w["start"], end=w["end"])
                continue
            out.append((Window(str(period), start, end), line))
        return out


def _resolve_prices(  # noqa: C901
    ck: _Checker, data: Mapping[str, Any]
) -> tuple[dict[str, float], Pricing | None]:
    """Tariff-level prices [CNY/kWh] and the B × ratio + A structure if given."""
    prices: dict[str, float] = {}
    has_prices, has_pricing = "prices" in data, "pricing" in data
    if has_prices and has_pricing:
        ck.add(ck.at.key("pricing", "base_cny_per_kwh"), "prices_and_pricing")
    if has_prices:
        tab = data["prices"]
        if not isinstance(tab, dict):
            ck.add(ck.at.key(None, "prices"), "bad_type", key="prices", expected="table")
        else:
            for p, v in tab.items():
                line = ck.at.key("prices", p)
                if p not in PERIOD_CODE:
                    ck.add(line, "unknown_period", period=p)
                    continue
                x = ck.number(v, line, p)
                if x is not None:
                    prices[p] = x
    pricing = None
    if has_pricing and isinstance(data["pricing"], dict):
        tab = data["pricing"]
        ck.unknown(tab, _PRICING_KEYS, "pricing")
        base = adder = None
        for key in ("base_cny_per_kwh", "adder_cny_per_kwh"):
            if key not in tab:
                ck.add(ck.at.span("pricing")[0], "missing_key", key=f"pricing.{key}")
        if "base_cny_per_kwh" in tab:
            base = ck.number(
                tab["base_cny_per_kwh"],
                ck.at.key("pricing", "base_cny_per_kwh"),
                "base_cny_per_kwh",
            )
        if "adder_cny_per_kwh" in tab:
            # A may be negative in principle (a subsidy), but a negative price is still caught
            adder = ck.number(
                tab["adder_cny_per_kwh"],
                ck.at.key("pricing", "adder_cny_per_kwh"),
                "adder_cny_per_kwh",
                minimum=None,
            )
        ratios = _ratios(ck, tab.get("ratios", {}), lambda r: ck.at.subkey("pricing", "ratios", r))
        if base is not None and adder is not None:
            pricing = Pricing(base, adder, ratios)
            for p, r in ratios.items():
                price = base * r + adder
                if price < 0:
                    ck.add(
                        ck.at.subkey("pricing", "ratios", p),
                        "negative_price",
                        key=p,
                        value=round(price, 6),
                    )
                else:
                    prices[p] = price
    elif has_pricing:
        ck.add(ck.at.key(None, "pricing"), "bad_type", key="pricing", expected="table")
    return prices, pricing


def _ratios(ck: _Checker, tab: Any, line_of) -> dict[str, float]:
    out: dict[str, float] = {"flat": 1.0}
    if not isinstance(tab, dict):
        ck.add(line_of("ratios"), "bad_type", key="ratios", expected="table")
        return out
    for p, v in tab.items():
        if p not in PERIOD_CODE:
            ck.add(line_of(p), "unknown_period", period=p)
            continue
        x = ck.number(v, line_of(p), p, code="negative_ratio")
        if x is not None:
            out[p] = x
    return out


def _table_array(ck: _Checker, data: Mapping[str, Any], name: str) -> list[Any]:
    """The ``[[name]]`` tables of a tariff file; a non-list is reported (``bad_type``) and
    treated as none."""
    raw = data.get(name, [])
    if isinstance(raw, list):
        return raw
    ck.add(ck.at.key(None, name), "bad_type", key=name, expected=f"[[{name}]] tables")
    return []


def _validate(data: Mapping[str, Any], ck: _Checker) -> Tariff | None:  # noqa: C901
    ck.unknown(data, _TOP_KEYS, None)
    for key in _REQUIRED:
        if key not in data:
            ck.add(0, "missing_key", key=key)
    tid = ck.string(data, "id")
    if tid and not _ID_RE.match(tid):
        ck.add(ck.at.key(None, "id"), "bad_id", value=tid)
    texts = {
        k: ck.string(data, k)
        for k in (
            "name",
            "name_zh",
            "province",
            "user_class",
            "voltage",
            "source",
            "source_url",
            "national_rule",
            "seen_in",
            "notes",
        )
    }
    for k in ("name", "province", "user_class", "voltage", "source", "source_url"):
        if k in data and not texts[k].strip() and isinstance(data[k], str):
            ck.add(ck.at.key(None, k), "bad_type", key=k, expected="non-empty text")
    url = texts["source_url"]
    if url and not url.startswith(("http://", "https://")):
        ck.add(ck.at.key(None, "source_url"), "bad_url", value=url)
    confidence = data.get("confidence", "U")
    if confidence not in CONFIDENCE_LEVELS:
        ck.add(ck.at.key(None, "confidence"), "bad_confidence", value=str(confidence))
    illustrative = data.get("illustrative", False)
    if not isinstance(illustrative, bool):
        ck.add(
            ck.at.key(None, "illustrative"), "bad_type", key="illustrative", expected="true/false"
        )
    valid_from = ck.date(data, "valid_from", required=True)
    valid_to = ck.date(data, "valid_to", required=False)
    if valid_from and valid_to and valid_to < valid_from:
        ck.add(
            ck.at.key(None, "valid_to"),
            "bad_validity",
            valid_from=str(valid_from),
            valid_to=str(valid_to),
        )

    prices, pricing = _resolve_prices(ck, data)

    # seasons ------------------------------------------------------------------
    seasons: list[Season] = []
    season_uses: list[tuple[tuple[int, ...], np.ndarray, int]] = []
    month_owner: dict[int, int] = {}
    month_period = np.full((12, SLOTS_PER_DAY), -1, dtype=np.int8)
    month_price = np.full((12, len(PERIODS)), np.nan)
    raw_seasons = data.get("season", [])
    if not isinstance(raw_seasons, list) or not all(isinstance(s, dict) for s in raw_seasons):
        ck.add(ck.at.key(None, "season"), "bad_type", key="season", expected="[[season]] tables")
        raw_seasons = []
    for n, s in enumerate(raw_seasons):
        head = (ck.at.span("season", n) or (0, 0))[0]
        ck.unknown(s, _SEASON_KEYS, "season", n)
        name = s.get("name", f"season {n + 1}")
        if "months" not in s:
            ck.add(head, "missing_key", key="season.months")
        months = (
            ck.months(s.get("months"), ck.at.key("season", "months", n)) if "months" in s else ()
        )
        for m in months:
            if m in month_owner:
                ck.add(
                    ck.at.key("season", "months", n),
                    "month_overlap",
                    month=m,
                    season=f'[[season]] "{name}"',
                )
            else:
                month_owner[m] = n
        if "windows" not in s:
            ck.add(head, "missing_key", key="season.windows")
            wins: list[tuple[Window, int]] = []
        else:
            wins = ck.windows(
                s["windows"],
                "season",
                n,
                default_period=None,
                allowed_keys={"period", "start", "end"},
            )
        grid = np.full(SLOTS_PER_DAY, -1, dtype=np.int8)
        for w, line in wins:
            slots = w.slots()
            clash = np.zeros(SLOTS_PER_DAY, dtype=bool)
            clash[slots[grid[slots] >= 0]] = True
            for a, b in _runs(clash):
                ck.add(
                    line,
                    "overlap",
                    season=f'[[season]] "{name}"',
                    start=fmt_slot(a),
                    end=fmt_slot(b),
                )
            grid[slots] = PERIOD_CODE[w.period]
        if "windows" in s and len(wins) == len(s["windows"]):  # gaps only when every window parsed
            for a, b in _runs(grid < 0):
                ck.add(
                    head,
                    "hours_not_covered",
                    season=f'[[season]] "{name}"',
                    start=fmt_slot(a),
                    end=fmt_slot(b),
                )
        # per-season price overrides
        sprices = dict(prices)
        if "prices" in s and "ratios" in s:
            ck.add(ck.at.key("season", "ratios", n), "prices_and_pricing")
        if "prices" in s:
            tab = s["prices"]
            if isinstance(tab, dict):
                sprices.update(_period_prices(ck, tab, "season", n))
            else:
                ck.add(ck.at.key("season", "prices", n), "bad_type", key="prices", expected="table")
        if "ratios" in s:
            if pricing is None:
                ck.add(ck.at.key("season", "ratios", n), "ratios_without_pricing")
            else:
                extra = _ratios(
                    ck, s["ratios"], lambda r, n=n: ck.at.subkey("season", "ratios", r, n)
                )
                for p, r in {**pricing.ratios, **extra}.items():
                    price = pricing.base_cny_per_kwh * r + pricing.adder_cny_per_kwh
                    if price < 0:
                        ck.add(
                            ck.at.subkey("season", "ratios", p, n),
                            "negative_price",
                            key=p,
                            value=round(price, 6),
                        )
                    else:
                        sprices[p] = price
        seasons.append(Season(str(name), months, tuple(w for w, _ in wins), sprices))
        season_uses.append((months, grid, head))
        for m in months:
            month_period[m - 1] = grid
            for p, v in sprices.items():
                month_price[m - 1, PERIOD_CODE[p]] = v
    missing_months = [m for m in range(1, 13) if m not in month_owner]
    if raw_seasons and missing_months:
        last_head = (ck.at.span("season", len(raw_seasons) - 1) or (0, 0))[0]
        ck.add(last_head, "months_not_covered", months=", ".join(map(str, missing_months)))

    # sharp-peak overrides -------------------------------------------------------
    sharp_peaks: list[SharpPeak] = []
    sharp_lines: list[int] = []
    for n, s in enumerate(_table_array(ck, data, "sharp_peak")):
        head = (ck.at.span("sharp_peak", n) or (0, 0))[0]
        ck.unknown(s, _SHARP_KEYS, "sharp_peak", n)
        months = (
            ck.months(s.get("months"), ck.at.key("sharp_peak", "months", n))
            if "months" in s
            else ()
        )
        if "months" not in s:
            ck.add(head, "missing_key", key="sharp_peak.months")
        wins = (
            ck.windows(
                s.get("windows"),
                "sharp_peak",
                n,
                default_period="sharp",
                allowed_keys={"period", "start", "end"},
            )
            if "windows" in s
            else []
        )
        if "windows" not in s:
            ck.add(head, "missing_key", key="sharp_peak.windows")
        for m in months:
            for w, _ in wins:
                month_period[m - 1, w.slots()] = PERIOD_CODE[w.period]
        sharp_peaks.append(SharpPeak(months, tuple(w for w, _ in wins)))
        sharp_lines.append(head)

    # holiday rules ----------------------------------------------------------------
    rules: list[HolidayRule] = []
    rule_lines: list[int] = []
    for n, r in enumerate(_table_array(ck, data, "holiday_rule")):
        head = (ck.at.span("holiday_rule", n) or (0, 0))[0]
        ck.unknown(r, _RULE_KEYS, "holiday_rule", n)
        days = r.get("days")
        if days not in DAY_RULES:
            ck.add(ck.at.key("holiday_rule", "days", n), "bad_day_rule", value=str(days))
        months = (
            ck.months(r["months"], ck.at.key("holiday_rule", "months", n))
            if "months" in r
            else tuple(range(1, 13))
        )
        names = r.get("holidays", [])
        if not isinstance(names, list):
            names = [names]
        for h in names:
            if h not in HOLIDAY_NAMES:
                ck.add(ck.at.key("holiday_rule", "holidays", n), "unknown_holiday", value=str(h))
        if names and days == "rest_days":
            ck.add(ck.at.key("holiday_rule", "holidays", n), "holidays_on_rest_days")
        first_days = r.get("first_days")
        if first_days is not None and (
            isinstance(first_days, bool) or not isinstance(first_days, int) or first_days < 1
        ):
            ck.add(
                ck.at.key("holiday_rule", "first_days", n),
                "bad_type",
                key="first_days",
                expected="integer ≥ 1",
            )
            first_days = None
        period = r.get("period")
        wins = []
        if ("period" in r) == ("windows" in r):
            ck.add(head, "rule_period_or_windows")
        elif "period" in r:
            if period not in PERIOD_CODE:
                ck.add(ck.at.key("holiday_rule", "period", n), "unknown_period", period=str(period))
            else:
                wins = [(Window(period, 0, SLOTS_PER_DAY), head)]
        else:
            wins = ck.windows(
                r["windows"],
                "holiday_rule",
                n,
                default_period=None,
                allowed_keys={"period", "start", "end"},
            )
            seen = np.zeros(SLOTS_PER_DAY, dtype=bool)
            for w, line in wins:
                slots = w.slots()
                for a, b in _runs(np.isin(np.arange(SLOTS_PER_DAY), slots) & seen):
                    ck.add(
                        line,
                        "overlap",
                        season=f"[[holiday_rule]] #{n + 1}",
                        start=fmt_slot(a),
                        end=fmt_slot(b),
                    )
                seen[slots] = True
        rules.append(
            HolidayRule(
                str(days),
                months,
                tuple(str(h) for h in names),
                first_days,
                tuple(w for w, _ in wins),
            )
        )
        rule_lines.append(head)

    # every period used in a month must be priced in that month ----------------------
    used: dict[tuple[str, int], int] = {}  # (period, month) -> line of its first use
    for months, grid, line in season_uses:
        for code in np.unique(grid[grid >= 0]):
            for m in months:
                used.setdefault((PERIODS[code], m), line)
    for sp, line in zip(sharp_peaks, sharp_lines, strict=True):
        for w in sp.windows:
            for m in sp.months:
                used.setdefault((w.period, m), line)
    for rule, line in zip(rules, rule_lines, strict=True):
        for w in rule.windows:
            for m in rule.months:
                used.setdefault((w.period, m), line)
    missing: dict[str, tuple[list[int], int]] = {}
    for (p, m), line in used.items():
        if np.isnan(month_price[m - 1, PERIOD_CODE[p]]):
            months_line = missing.setdefault(p, ([], line))
            months_line[0].append(m)
    for p, (months, line) in missing.items():
        ck.add(line, "missing_price", period=p, months=", ".join(map(str, sorted(months))))

    charges = data.get("charges", {})
    demand = capacity = None
    if not isinstance(charges, dict):
        ck.add(ck.at.key(None, "charges"), "bad_type", key="charges", expected="table")
    else:
        ck.unknown(charges, _CHARGE_KEYS, "charges")
        if "demand_cny_per_kw_month" in charges:
            demand = ck.number(
                charges["demand_cny_per_kw_month"],
                ck.at.key("charges", "demand_cny_per_kw_month"),
                "demand_cny_per_kw_month",
            )
        if "capacity_cny_per_kva_month" in charges:
            capacity = ck.number(
                charges["capacity_cny_per_kva_month"],
                ck.at.key("charges", "capacity_cny_per_kva_month"),
                "capacity_cny_per_kva_month",
            )

    provenance = _provenance(
        ck, data, str(confidence), bool(illustrative), {"demand": demand, "capacity": capacity}
    )
    if ck.problems:
        return None
    month_period.setflags(write=False)
    month_price.setflags(write=False)
    meta = TariffMeta(
        id=tid,
        name=texts["name"],
        name_zh=texts["name_zh"] or texts["name"],
        province=texts["province"],
        user_class=texts["user_class"],
        voltage=texts["voltage"],
        valid_from=valid_from,
        valid_to=valid_to,
        source=texts["source"],
        source_url=texts["source_url"],
        confidence=str(confidence),
        illustrative=bool(illustrative),
        path=ck.file,
    )
    return Tariff(
        meta=meta,
        national_rule=texts["national_rule"],
        seen_in=texts["seen_in"],
        notes=texts["notes"],
        seasons=tuple(seasons),
        sharp_peaks=tuple(sharp_peaks),
        holiday_rules=tuple(rules),
        prices=dict(prices),
        pricing=pricing,
        demand_cny_per_kw_month=demand,
        capacity_cny_per_kva_month=capacity,
        month_period=month_period,
        month_price=month_price,
        **provenance,
    )


def _charge_info(
    ck: _Checker, charges: Mapping[str, Any], figures: Mapping[str, float | None], illus: bool
) -> dict[str, ChargeInfo]:
    """Per-figure provenance of ``[charges]`` (default: the file's ``illustrative``)."""
    out: dict[str, ChargeInfo] = {}
    for f, value in figures.items():
        conf = charges.get(f"{f}_confidence", "U")
        if conf not in CONFIDENCE_LEVELS:
            ck.add(ck.at.key("charges", f"{f}_confidence"), "bad_confidence", value=str(conf))
        flag = charges.get(f"{f}_illustrative", illus)
        if not isinstance(flag, bool):
            ck.add(ck.at.key("charges", f"{f}_illustrative"), "bad_type",
                   key=f"{f}_illustrative", expected="true/false")  # fmt: skip
            flag = True
        src = charges.get(f"{f}_source", "")
        if not isinstance(src, str):
            ck.add(ck.at.key("charges", f"{f}_source"), "bad_type", key=f"{f}_source",
                   expected="text")  # fmt: skip
            src = ""
        if value is not None:
            out[f] = ChargeInfo(src, str(conf), bool(flag))
    return out


def _period_prices(ck: _Checker, tab: Mapping[str, Any], section: str, n: int) -> dict[str, float]:
    """``{period: CNY/kWh}`` of a ``prices`` table in the ``n``-th ``[[section]]``; an unknown
    period or a bad number is reported at its line and left out."""
    out: dict[str, float] = {}
    for p, v in tab.items():
        line = ck.at.subkey(section, "prices", p, n)
        if p not in PERIOD_CODE:
            ck.add(line, "unknown_period", period=p)
            continue
        x = ck.number(v, line, p)
        if x is not None:
            out[p] = x
    return out


def _examples(ck: _Checker, data: Mapping[str, Any]) -> tuple[Example, ...]:
    out: list[Example] = []
    for n, e in enumerate(_table_array(ck, data, "example")):
        if not isinstance(e, dict):
            ck.add(ck.at.key(None, "example"), "bad_type", key="example", expected="table")
            continue
        ck.unknown(e, _EXAMPLE_KEYS, "example", n)
        month = e.get("month")
        if not isinstance(month, str) or not _EXAMPLE_MONTH_RE.match(month):
            ck.add(ck.at.key("example", "month", n), "bad_month", value=str(month))
            continue
        prices: dict[str, float] = {}
        tab = e.get("prices", {})
        if not isinstance(tab, dict) or not tab:
            ck.add(ck.at.key("example", "prices", n), "bad_type", key="prices",
                   expected="{period = CNY/kWh}")  # fmt: skip
            continue
        prices.update(_period_prices(ck, tab, "example", n))
        conf = e.get("confidence", "U")
        if conf not in CONFIDENCE_LEVELS:
            ck.add(ck.at.key("example", "confidence", n), "bad_confidence", value=str(conf))
        reproduced = e.get("reproduced", True)
        if not isinstance(reproduced, bool):
            ck.add(ck.at.key("example", "reproduced", n), "bad_type", key="reproduced",
                   expected="true/false")  # fmt: skip
            reproduced = True
        src = ck.string(e, "source", "example", n)
        out.append(Example(month, prices, src, str(conf), reproduced))
    return tuple(out)


def _provenance(
    ck: _Checker,
    data: Mapping[str, Any],
    confidence: str,
    illustrative: bool,
    figures: Mapping[str, float | None],
) -> dict[str, Any]:
    """Examples, rules not modelled, placeholder ratios and per-figure charge provenance."""
    placeholder = data.get("placeholder_ratios", False)
    if not isinstance(placeholder, bool):
        ck.add(ck.at.key(None, "placeholder_ratios"), "bad_type", key="placeholder_ratios",
               expected="true/false")  # fmt: skip
        placeholder = False
    if placeholder and confidence in ("C1", "C2"):
        ck.add(ck.at.key(None, "confidence"), "placeholder_claims_confidence", value=confidence)
    rules = data.get("not_modelled", [])
    if not isinstance(rules, list):
        ck.add(ck.at.key(None, "not_modelled"), "bad_type", key="not_modelled",
               expected="list of rule names")  # fmt: skip
        rules = []
    for r in rules:
        if r not in RULE_NAMES:
            ck.add(ck.at.key(None, "not_modelled"), "unknown_rule", value=str(r),
                   expected=", ".join(RULE_NAMES))  # fmt: skip
    charges = data.get("charges", {})
    return {
        "examples": _examples(ck, data),
        "not_modelled": tuple(str(r) for r in rules if r in RULE_NAMES),
        "placeholder_ratios": bool(placeholder),
        "charge_info": _charge_info(
            ck, charges if isinstance(charges, dict) else {}, figures, illustrative
        ),  # fmt: skip
    }


_SYNTAX_LINE = re.compile(r"at line (\d+)")


def _nesting(text: str) -> tuple[int, int]:
    """Deepest bracket nesting (``[`` and ``{`` outside strings and comments) and its line.

    A linear scan, so a 50,000-deep array is measured without recursing into it."""
    depth = deepest = 0
    line = at = 1
    quote = ""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
            if quote in ('"', "'"):
                quote = ""  # a one-line string cannot span lines (TOML reports it itself)
        elif quote:
            if text.startswith(quote, i):
                i += len(quote)
                quote = ""
                continue
            if ch == "\\" and quote[0] == '"':
                i += 2
                continue
        elif ch in "\"'":
            quote = ch * 3 if text.startswith(ch * 3, i) else ch
            i += len(quote)
            continue
        elif ch == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        elif ch in "[{":
            depth += 1
            if depth > deepest:
                deepest, at = depth, line
        elif ch in "]}":
            depth = max(0, depth - 1)
        i += 1
    return deepest, at


def load_tariff(source: str | Path, *, file: str | None = None) -> Tariff:
    """Load and validate one tariff version from a TOML file or TOML text.

    Parameters
    ----------
    source : str or Path
        A path (``Path``, or a one-line ``str`` ending in ``.toml``) or the TOML text.
    file : str, optional
        Name to report in errors (defaults to the path's name, or ``"<text>"``).

    Returns
    -------
    Tariff

    Raises
    ------
    InputError
        ``code = "tariff.invalid"`` with ``file``, ``params["problems"]`` (every
        :class:`Problem`, sorted by line) and ``params["count"]``; or
        ``"tariff.unreadable"`` when the file cannot be read.
    """
    if isinstance(source, Path) or (
        isinstance(source, str) and "\n" not in source and source.strip().endswith(".toml")
    ):
        path = Path(source)
        name = file or path.name
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError("tariff.unreadable", file=name, reason=type(exc).__name__) from None
    else:
        text, name = str(source), file or "<text>"
    ck = _Checker(text, name)
    # bounds before the parser: size, then nesting (tomllib recurses into nested arrays)
    size = len(text.encode("utf-8"))
    if size > MAX_TOML_BYTES:
        ck.add(0, "too_large", size_kb=size // 1000, limit_kb=MAX_TOML_BYTES // 1000)
        raise InputError("tariff.invalid", file=name, problems=ck.problems, count=1)
    deepest, at = _nesting(text)
    if deepest > MAX_TOML_NESTING:
        ck.add(at, "too_deep", depth=deepest, limit=MAX_TOML_NESTING)
        raise InputError("tariff.invalid", file=name, problems=ck.problems, count=1)
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError) as exc:
        m = _SYNTAX_LINE.search(str(exc))
        ck.add(int(m.group(1)) if m else 0, "toml_syntax", reason=str(exc).split(" (at ")[0])
        raise InputError("tariff.invalid", file=name, problems=ck.problems, count=1) from None
    tariff = _validate(data, ck)
    if tariff is None:
        problems = sorted(ck.problems, key=lambda p: p.line)
        raise InputError("tariff.invalid", file=name, problems=problems, count=ck.count)
    return tariff


# --------------------------------------------------------------------------- presets
@cache
def _preset_tariffs() -> tuple[Tariff, ...]:
    """Every shipped file, loaded once (static data, no user state)."""
    return tuple(load_tariff(p) for p in sorted(PRESET_DIR.glob("*.toml")))


def preset_paths() -> list[Path]:
    """Paths of every shipped TOML file (the template included)."""
    return sorted(PRESET_DIR.glob("*.toml"))


def list_presets(*, include_template: bool = False) -> list[TariffMeta]:
    """Metadata of the shipped presets, by province, user class and ``valid_from``."""
    metas = [t.meta for t in _preset_tariffs() if include_template or t.id != TEMPLATE_ID]
    return sorted(metas, key=lambda m: (m.province, m.user_class, m.voltage, m.valid_from))


def get_tariff(tariff_id: str) -> Tariff:
    """The shipped preset ``tariff_id``; ``InputError("tariff.unknown")`` if none."""
    for t in _preset_tariffs():
        if t.id == tariff_id:
            return t
    raise InputError("tariff.unknown", tariff=tariff_id)


def tariff_family(province: str, user_class: str, voltage: str) -> list[Tariff]:
    """All versions of one tariff (same province, user class, voltage), by ``valid_from``."""
    found = [
        t
        for t in _preset_tariffs()
        if (t.meta.province, t.meta.user_class, t.meta.voltage) == (province, user_class, voltage)
    ]
    return sorted(found, key=lambda t: t.valid_from)


def resolve_tariff(spec: str | Path) -> Tariff:
    """A preset id or a TOML file path (the CLI's ``--tariff ID|FILE``)."""
    if isinstance(spec, Path) or str(spec).endswith(".toml"):
        return load_tariff(Path(spec))
    return get_tariff(str(spec))


_KEEP: Any = object()


def edit_tariff(
    tariff: Tariff,
    *,
    prices: Mapping[str, float] | None = None,
    demand_cny_per_kw_month: float | None = _KEEP,
    capacity_cny_per_kva_month: float | None = _KEEP,
) -> Tariff:
    """A copy of ``tariff`` with some prices replaced (for the page's editor).

    ``prices`` [CNY/kWh] sets a period's price in every month where the period is priced;
    the copy is marked ``illustrative`` (an edited price is not a published figure).
    Negative or unknown entries raise ``InputError("tariff.invalid")``.
    """
    problems: list[Problem] = []
    table = np.array(tariff.month_price, copy=True)
    new_prices = dict(tariff.prices)
    for p, v in (prices or {}).items():
        if p not in PERIOD_CODE:
            problems.append(Problem(0, "tariff.unknown_period", {"period": p}))
        elif isinstance(v, bool) or not isinstance(v, (int, float)) or not v >= 0:
            problems.append(Problem(0, "tariff.negative_price", {"key": p, "value": v}))
        else:
            col = table[:, PERIOD_CODE[p]]
            table[:, PERIOD_CODE[p]] = np.where(np.isnan(col), np.nan, float(v))
            new_prices[p] = float(v)
    for key, v in (
        ("demand_cny_per_kw_month", demand_cny_per_kw_month),
        ("capacity_cny_per_kva_month", capacity_cny_per_kva_month),
    ):
        if v is not _KEEP and v is not None and not (isinstance(v, (int, float)) and v >= 0):
            problems.append(Problem(0, "tariff.negative_price", {"key": key, "value": v}))
    if problems:
        raise InputError("tariff.invalid", file=tariff.id, problems=problems, count=len(problems))
    table.setflags(write=False)
    info = dict(tariff.charge_info)
    for f, v in (("demand", demand_cny_per_kw_month), ("capacity", capacity_cny_per_kva_month)):
        if v is not _KEEP:
            info.pop(f, None)
            if v is not None:
                info[f] = ChargeInfo("edited", "U", True)
    return dataclasses.replace(
        tariff,
        charge_info=info,
        meta=dataclasses.replace(tariff.meta, illustrative=True),
        prices=new_prices,
        month_price=table,
        seasons=tuple(
            dataclasses.replace(
                s,
                prices={
                    **s.prices,
                    **{p: float(v) for p, v in (prices or {}).items() if p in s.prices},
                },
            )
            for s in tariff.seasons
        ),
        demand_cny_per_kw_month=(
            tariff.demand_cny_per_kw_month
            if demand_cny_per_kw_month is _KEEP
            else demand_cny_per_kw_month
        ),
        capacity_cny_per_kva_month=(
            tariff.capacity_cny_per_kva_month
            if capacity_cny_per_kva_month is _KEEP
            else capacity_cny_per_kva_month
        ),
    )


def price_table(tariff: Tariff) -> Any:
    """Prices [CNY/kWh] as a DataFrame: months 1–12 × the five periods (NaN = not priced)."""
    import pandas as pd

    return pd.DataFrame(
        np.asarray(tariff.month_price),
        index=pd.RangeIndex(1, 13, name="month"),
        columns=list(PERIODS),
    )


def as_list(tariffs: Tariff | Iterable[Tariff]) -> list[Tariff]:
    return [tariffs] if isinstance(tariffs, Tariff) else list(tariffs)
