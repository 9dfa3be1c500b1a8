"""Meter-data importer: any common load export → the canonical interval frame.

``read_load(source) -> (frame, report)`` reads CSV or XLSX exports of meters and metering
systems — long files (a timestamp column, or date + time columns, and one value column) and
wide daily curves (one row per day, 24/48/96/288 value columns) — and returns the canonical
frame of :mod:`analytics.iotools.frame` plus an :class:`ImportReport` that says how the file was read
and what was found in it (:class:`~analytics.findings.DataWarning` objects, rendered by the UI
from ``warning.<code>``). Unreadable input raises :class:`~analytics.findings.InputError`
with the file, the 1-based source row (as a spreadsheet shows it) and the source column.

Detection rules (each can be overridden through :class:`ImportOptions`)
------------------------------------------------------------------------
Header and columns
    Headers are matched against :data:`HEADER_WORDS` (Chinese and English). A register word
    (表码/示数/示值/读数/…) wins over an energy word (电量, 正向有功总…), which wins over a power
    word (功率/负荷/…). A unit token in a header — ``(kW)``, ``[kWh]``, ``（kW）``, ``_kw``,
    ``MWh``, ``功率(W)``, 千瓦时/度 — gives the unit and, unless a register word is present, the
    kind. Columns that match no word are found by content: the column whose cells parse as
    date-times is the time column; a single numeric column left over is the value column.
Units
    No unit in the headers: power is read as kW, energy and registers as kWh, each with the
    warning ``import.unit_assumed`` (``import.wide_unit_assumed`` for a wide curve, which is
    average power in kW — a 负荷曲线 — unless its title or headers say 电量/kWh).
Registers
    A value series that never decreases except at a rollover, has at least 8 readings,
    rises on at least half of its steps, and whose median and first readings are ≥ 10× and
    ≥ 20× its median rise (a reading far above the per-interval use) is
    a cumulative register whatever its header (``import.register_inferred``). Readings are
    differenced: the energy between the readings at t₀ and t₁ is the interval that starts at
    t₀. A drop from ≥ 90 % of a power of ten P to a reading ≤ 10 % of P whose corrected rise
    (reading + P − previous) is ≤ 10 % of P is a rollover and is corrected
    (``import.register_rollover``); every other drop is a reset (meter exchanged or cleared)
    and that interval is NaN (``import.register_reset``). A rise that spans a gap in the
    readings covers several intervals and is NaN too (the gap is reported).
Label convention (long files)
    1. a time header naming the end (``interval_end``, 结束时间, 截止) or start (开始/起始) wins;
    2. any label ``24:00`` ⇒ end; so is a midnight row dated with the day that just ended and
       listed right after that day's 23:45 row (``D 00:00`` read as ``D 24:00``);
    3. the first label is one interval after midnight and the last label is at midnight
       (rows for day D run D 00:15 … D+1 00:00) ⇒ end;
    4. otherwise start. Registers are instantaneous readings: always "end".
    End labels are converted with ``start = label − interval`` in absolute time.
Label convention (wide curves)
    ``00:15 … 24:00`` ⇒ end; ``0:00 … 23:45`` and ``T0000 … T2345`` ⇒ start. Positional
    labels ``P1 … Pn`` / ``1 … n`` (or ``0 … n−1``) number the intervals of the day: Pk is the
    k-th interval, starting (k−1)·interval after midnight — the report records "start";
    the ``labels`` override does not move positions.
Day-first dates
    ``d/m/Y`` vs ``m/d/Y`` (``.``, ``/`` or ``-``): the order under which every value parses
    wins (a first field > 12 forces day-first); if both parse, the order giving the more
    regular steps wins, then the one giving the shorter span (``01/01 … 03/01/2018`` are
    three days, not three months); if they still tie and give different dates, ``.`` and ``-`` read
    day-first, ``/`` month-first, with ``import.date_order_assumed``.
Interval
    The modal step between distinct timestamps; it must be 1, 5, 15, 30 or 60 minutes.
Compact and serial dates
    ``20120101`` (wide date column), ``201201010015``, ``20120101001500`` and
    ``20120101 00:15`` are read by content when half the cells have the shape and 80 % of
    those are dates in 1990–2099 (``…2400`` is the next midnight). A numeric column is Excel
    serial days (``43101`` = 2018-01-01, ``43101.5`` = 12:00, rounded to the second) only
    when every sampled number is in 1990–2099 (32874 ≤ x < 73051) and the header names a time
    or date, or the column is strictly increasing by whole minutes with a modal step (half the
    steps at least) of 1, 5, 15, 30 or 60 minutes or one day; a column chosen with ``time_column``/``date_column`` is
    read as serials whenever it holds numbers. A header naming a value, unit or identifier
    (电量, kW, 户号…) is never a date by content.
Date and value bounds
    Every timestamp lies in [1970-01-01, 2100-01-01), else ``import.date_out_of_range`` names
    the cell (also for text pandas cannot hold, such as year 2300); the span from the first to
    the last interval is at most ``max_rows`` intervals (``import.span_too_long``). A value
    whose magnitude exceeds :data:`MAX_ABS_VALUE` (``inf``, ``1e309``, ``1.7e308``) is
    ``import.value_out_of_range`` naming its row and column, so no unit conversion or sum can
    overflow.
Interval changes
    Stamps whose steps hold runs of at least four equal allowed steps of more than one length
    (15 min, then 5 min) changed interval inside the file. Each row is read with the length
    of its own run (energy as is, power × its own length) and summed into the coarsest
    interval, so every kWh is kept (``import.interval_changed``: rows aggregated, first
    rows, the finer lengths, and the intervals only partly covered, whose sum is kept as
    is). Registers keep the readings on the coarse grid (cumulative: nothing is lost).
DST days (wide curves)
    In a zone with daylight saving time a day may have 23 or 25 hours. Positional columns
    ``P1 … P100`` (25, 50, 100, 300) leave room for a 25-hour day. Positions count the day's
    real intervals from local midnight: 92 on a 23-hour day, 100 on a 25-hour one, each
    kept; cells past the day's count must be empty. A 96-point positional row on a 23-hour day
    is read by position when its last four cells are empty, and by the wall clock when the
    skipped hour's cells are empty (they are dropped); clock labels are always read by the
    wall clock. On a 25-hour day a 96-point row is read by the wall clock, the repeated
    hour's first pass (``import.dst_wall_clock``; its second pass is left empty, a gap). A
    value that would have no instant is ``import.dst_day_points`` naming its row and column:
    no energy is dropped silently.
Irregular steps
    The grid is the set of instants with the modal phase (wall-clock time modulo the
    interval). Rows off it (e.g. 00:07 in a 15-minute file) are dropped and counted
    (``import.irregular_steps``); they are never moved to a neighbouring interval.
Spikes
    An interval whose energy exceeds 10× the 99th percentile (``method="lower"``, i.e. an
    observed value, over the positive values) is flagged (``import.spikes``) and kept.
Reactive energy (long files)
    Columns whose header names reactive energy or power (无功, ``kvarh``, ``kVarh``, ``kvar``,
    ``varh``, ``Reactive``; never a 功率因数 / power-factor column) are read beside the active
    value, never instead of it (they are ``other`` in :data:`HEADER_WORDS`). A header with
    leading, 容性, 超前 or 反向 is the **leading** (capacitive) column ``kvarh_lead``; any other
    reactive header (lagging, 感性, 滞后, 正向无功, or plain 无功电量) is the **lagging** column
    ``kvarh_lag``; the first column of each kind is taken. ``varh``/``kvarh``/``Mvarh`` or
    无功电量/电能 are energy per interval; ``kvar``/无功功率 is average power (× interval hours).
    No unit: the active column's kind, in kvarh or kvar. The values follow the active value's
    rows (same interval start; a row dropped as a duplicate or off-grid is dropped for both);
    a cell that is not a number is NaN (``import.reactive_non_numeric``). Registers and files
    that change interval keep only the active energy (``import.reactive_ignored``). The report
    lists the columns read in ``reactive_columns`` (canonical name → source header).
Clean-up
    Duplicated interval starts keep the first row (``import.duplicates``); gaps stay NaN
    (``import.gaps``); negative values are kept and reported (``import.negative``); blank and
    placeholder cells (``--``, ``N/A``…) become NaN (``import.non_numeric``); a value column
    that is mostly not numbers raises ``import.bad_number``. Up to five trailing rows whose
    time cell is not a timestamp (合计, 数据来源…) are dropped (``import.footer_rows``).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from analytics.findings import DataWarning, InputError
from analytics.iotools.frame import ALLOWED_INTERVAL_MINUTES, make_frame
from analytics.iotools.raw import RawTable, read_table, source_bytes

__all__ = ["HEADER_WORDS", "ImportOptions", "ImportReport", "read_load"]

# --------------------------------------------------------------------------- vocabulary

#: Known header spellings by role (matched in lower case; full-width brackets normalised).
#: English words match as whole words, Chinese ones as substrings.
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "time": (
        "数据时间",
        "采集时间",
        "抄表时间",
        "冻结时间",
        "日期时间",
        "时间",
        "时刻",
        "timestamp",
        "datetime",
        "date_time",
        "date time",
        "measured_on",
        "time",
        "interval_start",
        "interval_end",
        "start_time",
        "end_time",
        "ts",
        "zeit",
        "datum",
    ),
    "date": ("数据日期", "日期", "date", "day"),
    "register": (
        "表码",
        "示数",
        "示值",
        "读数",
        "止码",
        "底码",
        "累计",
        "register",
        "reading",
        "readings",
        "meter_reading",
        "cumulative",
        "zählerstand",
    ),
    "energy": (
        "正向有功总",
        "电量",
        "用电量",
        "电能",
        "能耗",
        "energy",
        "consumption",
        "kwh",
        "verbrauch",
        "energie",
    ),
    "power": ("有功功率", "功率", "负荷", "power", "load", "demand", "kw", "leistung"),
    "id": (
        "户号",
        "户名",
        "表号",
        "电表号",
        "编号",
        "账号",
        "资产号",
        "名称",
        "倍率",
        "数据类型",
        "类型",
        "单位",
        "状态",
        "id",
        "meter",
        "name",
        "type",
        "unit",
        "status",
        "quality",
        "flag",
        "合计",
        "总计",
        "最大",
        "最小",
        "平均",
        "total",
        "sum",
        "max",
        "min",
        "mean",
    ),
    # other electrical quantities: never the load column
    "other": (
        "无功",
        "功率因数",
        "电压",
        "电流",
        "频率",
        "reactive",
        "kvar",
        "kvarh",
        "power factor",
        "power_factor",
        "pf",
        "voltage",
        "frequency",
    ),
}
_END_WORDS = ("interval_end", "end_time", "end", "结束", "截止")
_START_WORDS = ("interval_start", "start_time", "start", "begin", "开始", "起始")

#: Unit spellings → canonical unit.
UNIT_TOKENS: dict[str, str] = {
    "mwh": "MWh",
    "kwh": "kWh",
    "wh": "Wh",
    "mw": "MW",
    "kw": "kW",
    "w": "W",
    "兆瓦时": "MWh",
    "千瓦时": "kWh",
    "度": "kWh",
    "瓦时": "Wh",
    "兆瓦": "MW",
    "千瓦": "kW",
}
ENERGY_UNITS: dict[str, float] = {"Wh": 1e-3, "kWh": 1.0, "MWh": 1e3}  # → kWh
POWER_UNITS: dict[str, float] = {"W": 1e-3, "kW": 1.0, "MW": 1e3}  # → kW
KINDS: tuple[str, ...] = ("energy", "power", "register")
_MISSING_MARKERS = frozenset(
    {
        "",
        "-",
        "--",
        "---",
        "—",
        "——",
        "n/a",
        "na",
        "nan",
        "null",
        "none",
        "#n/a",
        "无",
        "空",
        "/",
        "*",
    }
)
_UNIT_RE = re.compile(r"(?<![a-z])(mwh|kwh|wh|mw|kw|w)(?![a-z])|(兆瓦时|千瓦时|瓦时|兆瓦|千瓦|度)")
_TIME_ONLY_RE = re.compile(r"^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_YMD_RE = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)")
_DMY_RE = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?!\d)")
_CLOCK_RE = re.compile(r"[ T]+(\d{1,2}):(\d{2})(:\d{2})?(\.\d+)?")
_OFFSET_RE = re.compile(r"\d(Z|[+-]\d{2}:?\d{2})$")
_NUMBER_RE = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
_FOOTER_MAX = 5
_SAMPLE = 200
#: Compact date-times: ``20120101``, ``201201010015``, ``20120101001500``, ``20120101 00:15``.
_COMPACT_RE = re.compile(r"^\d{8}(?:\d{4}(?:\d{2})?)?$|^\d{8}[ T]\d{1,2}:\d{2}(?::\d{2})?$")
#: Timestamps must fall in [1970-01-01, 2100-01-01) (``import.date_out_of_range``).
_DATE_MIN = pd.Timestamp("1970-01-01")
_DATE_MAX = pd.Timestamp("2100-01-01")
#: Content detection of compact dates and Excel serials asks for years 1990–2099.
_DETECT_MIN_YEAR, _DETECT_MAX_YEAR = 1990, 2099
#: Excel serial day numbers (1899-12-30 = 0): 1970-01-01 = 25569, 1990-01-01 = 32874,
#: 2100-01-01 = 73051.
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_SERIAL_MIN, _SERIAL_DETECT_MIN, _SERIAL_MAX = 25569.0, 32874.0, 73051.0
#: Largest magnitude of a source value [source unit]; beyond it (inf, 1e309, 1.7e308) a value
#: is ``import.value_out_of_range`` — 1e15 × 1000 (MWh→kWh) × 2 000 000 rows stays far from
#: float overflow, so no conversion or sum can overflow.
MAX_ABS_VALUE = 1e15
#: A run of at least this many equal steps makes an interval length of its own (a gap is a
#: lone longer step; a change of interval is a run).
_RUN_MIN = 4
_YEAR_RE = re.compile(r"^\s*(\d{4})(?:\s*[-/.年]|\d{4})|^\s*\d{1,2}[-/.]\d{1,2}[-/.](\d{4})(?!\d)")

# --------------------------------------------------------------------------- public API


@dataclass(frozen=True)
class ImportOptions:
    """How to read a file; every field defaults to detection.

    Attributes
    ----------
    tz : str
        Site time zone (IANA). Naive times are localised to it, aware ones converted.
    labels : {"auto", "start", "end"}
        Whether timestamps mark interval starts or ends.
    unit : str or None
        Source unit: "W", "kW", "MW" (average power) or "Wh", "kWh", "MWh" (energy/register).
    kind : {"energy", "power", "register"} or None
        What the values are.
    time_column, date_column, value_column : str or None
        Source header names to use instead of detection.
    dayfirst : bool or None
        Date order for ``d/m/Y``-like dates; None decides from the values.
    max_rows : int
        Row cap; more data rows raise ``import.too_many_rows``; the span from the first to the
        last interval is capped at the same count (``import.span_too_long``).
    sheet : str or None
        Workbook sheet to read (XLSX); None reads the first sheet holding data. Not yet
        passed to the raw reader (pending its ``sheet`` keyword).
    """

    tz: str = "Asia/Shanghai"
    labels: str = "auto"
    unit: str | None = None
    kind: str | None = None
    time_column: str | None = None
    date_column: str | None = None
    value_column: str | None = None
    dayfirst: bool | None = None
    max_rows: int = 2_000_000
    sheet: str | None = None


@dataclass
class ImportReport:
    """How a file was read and what was found in it (see the module docstring for rules)."""

    file_name: str
    format: str
    encoding: str
    delimiter: str | None
    decimal: str
    sheet: str | None
    time_column: str | None
    value_column: str | None
    kind: str
    unit: str
    unit_assumed: bool
    label_convention: str
    label_detected: bool
    interval_minutes: int
    tz: str
    source_offset: str | None
    dayfirst: bool | None
    start: pd.Timestamp
    end: pd.Timestamp
    rows_read: int
    intervals: int  # intervals with data; the span holds intervals + missing_intervals
    missing_intervals: int
    duplicate_rows_dropped: int
    warnings: list[DataWarning] = field(default_factory=list)
    #: canonical reactive column (``kvarh_lag`` / ``kvarh_lead``) → source header
    reactive_columns: dict[str, str] = field(default_factory=dict)

    @property
    def warning_codes(self) -> set[str]:
        return {w.code for w in self.warnings}

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly dict; timestamps as ISO 8601 with ``T`` and the site offset."""
        out = asdict(self)
        out["start"] = self.start.isoformat()
        out["end"] = self.end.isoformat()
        out["warnings"] = [w.to_dict() for w in self.warnings]
        return out


def read_load(
    source: str | Path | bytes | BinaryIO,
    *,
    file_name: str | None = None,
    options: ImportOptions | None = None,
) -> tuple[pd.DataFrame, ImportReport]:
    """Read a load (or PV) export into the canonical interval frame.

    Parameters
    ----------
    source : path, bytes or binary file
        CSV (UTF-8, UTF-8-BOM, GBK, GB18030; ``,`` ``;`` or tab) or XLSX.
    file_name : str, optional
        Name used in messages (default: the path's name, or ``"upload"``).
    options : ImportOptions, optional
        Overrides of the detection.

    Returns
    -------
    frame : DataFrame
        Canonical frame (:func:`analytics.iotools.frame.make_frame`): interval-start index in the
        site tz, column ``kwh`` [kWh], NaN for missing intervals.
    report : ImportReport

    Raises
    ------
    InputError
        With ``code`` ``import.*``, the file, the 1-based source row and the column.
    """
    opts = options or ImportOptions()
    data, name = source_bytes(source, file_name)
    _check_options(opts, name)
    try:
        table = read_table(data, file_name=name, max_rows=opts.max_rows, sheet=opts.sheet)
        return _Importer(table, name, opts).run()
    except InputError:
        raise
    except (ValueError, KeyError, IndexError, TypeError, OverflowError, UnicodeError) as exc:
        raise InputError(
            "import.unreadable",
            file=name,
            expected="a CSV or XLSX meter export",
            detail=type(exc).__name__,
        ) from exc


# --------------------------------------------------------------------------- helpers


def _check_options(opts: ImportOptions, name: str) -> None:
    def bad(option: str, value: object, expected: str) -> InputError:
        return InputError(
            "import.bad_option", file=name, expected=expected, option=option, value=str(value)
        )

    if opts.labels not in ("auto", "start", "end"):
        raise bad("labels", opts.labels, "auto, start, end")
    if opts.kind is not None and opts.kind not in KINDS:
        raise bad("kind", opts.kind, "energy, power, register")
    if opts.unit is not None and opts.unit not in ENERGY_UNITS and opts.unit not in POWER_UNITS:
        raise bad("unit", opts.unit, "W, kW, MW, Wh, kWh, MWh")
    if opts.unit and opts.kind:
        power_unit = opts.unit in POWER_UNITS
        if power_unit != (opts.kind == "power"):
            raise bad("unit", opts.unit, "W, kW, MW" if opts.kind == "power" else "Wh, kWh, MWh")
    try:
        ZoneInfo(opts.tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise bad("tz", opts.tz, "Asia/Shanghai") from None
    if opts.max_rows < 1:
        raise bad("max_rows", opts.max_rows, ">= 1")


def _norm_header(h: str) -> str:
    h = h.strip().lower()
    return h.translate(str.maketrans("（）【】［］：", "()[][]:")).replace("\u3000", " ")


@functools.lru_cache(maxsize=1024)
def _word_pattern(word: str) -> re.Pattern[str] | None:
    """Compiled whole-word pattern of a Latin header word (None: a CJK word, matched as a
    substring). Cached: the same few words are tried on every header of every file."""
    if re.search(r"[\u4e00-\u9fff]", word):
        return None
    return re.compile(rf"(?<![a-z]){re.escape(word)}(?![a-z])")


def _has_word(header: str, word: str) -> bool:
    pattern = _word_pattern(word)
    if pattern is None:
        return word in header
    return pattern.search(header) is not None


def _roles_uncached(header: str) -> frozenset[str]:
    h = _norm_header(header)
    return frozenset(
        role for role, words in HEADER_WORDS.items() if any(_has_word(h, w) for w in words)
    )


_roles_of = functools.lru_cache(maxsize=4096)(_roles_uncached)

#: Wide-curve point labels (``00:15``, ``T0015``, ``P12``, ``96``): the only headers whose roles
#: are cached across calls — a module-level cache never holds a visitor's own column names.
_POINT_LABEL = re.compile(r"^\s*[TtPp]?\d{1,2}:?\d{0,2}\s*$")


def _roles(header: str) -> set[str]:
    # a wide export repeats the same 96 point labels in every file: those are cached
    return set(_roles_of(header) if _POINT_LABEL.match(header) else _roles_uncached(header))


def _unit_in(text: str) -> str | None:
    m = _UNIT_RE.search(_norm_header(text))
    if not m:
        return None
    return UNIT_TOKENS[m.group(1) or m.group(2)]


def _is_missing(s: pd.Series) -> pd.Series:
    return s.str.lower().isin(_MISSING_MARKERS)


def _to_numbers(s: pd.Series, decimal: str) -> np.ndarray:
    """Text cells → float (NaN where not a number)."""
    if decimal == ",":
        s = s.str.replace(",", ".", regex=False)
    out = pd.to_numeric(s, errors="coerce").to_numpy(dtype="float64", na_value=np.nan, copy=True)
    bad = np.isnan(out)
    if bad.any():
        bad[bad] = ~_is_missing(s[bad]).to_numpy()
    if bad.any():  # thousands separators, full-width digits: retried on the failures only
        retry = s[bad].str.replace(r"[,\s\u00a0']", "", regex=True).str.normalize("NFKC")
        out[bad] = pd.to_numeric(retry, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    return out


def _sample(s: pd.Series, n: int = _SAMPLE) -> list[str]:
    vals = s[s != ""]
    if len(vals) > n:
        vals = pd.concat([vals.iloc[: n // 2], vals.iloc[-(n // 2) :]])
    return vals.tolist()


def _classify(values: list[str]) -> str:
    """'datetime', 'date', 'time', 'number' or 'text' for a sample of non-empty cells."""
    if not values:
        return "text"
    n = len(values)

    def share(pred) -> float:
        return sum(1 for v in values if pred(v)) / n

    def is_date(v: str) -> bool:
        v = re.sub(r"(\d{4})年(\d{1,2})月(\d{1,2})日?", r"\1-\2-\3", v)
        return bool(_YMD_RE.match(v) or _DMY_RE.match(v))

    dates = share(is_date)
    if dates >= 0.5:  # footer rows (合计) may be a large share of a short file
        clocks = [_CLOCK_RE.search(v) for v in values]
        with_clock = [m for m in clocks if m]
        if len(with_clock) >= 0.5 * n:
            if all(int(m.group(1)) == 0 and int(m.group(2)) == 0 for m in with_clock):
                return "date"  # Excel dates exported as midnight date-times
            return "datetime"
        return "date"
    if share(lambda v: bool(_TIME_ONLY_RE.match(v))) >= 0.8:
        return "time"
    if (
        share(lambda v: bool(_NUMBER_RE.match(v.replace(" ", ""))) or v.lower() in _MISSING_MARKERS)
        >= 0.8
    ):
        return "number"
    return "text"


def _modal(values: np.ndarray) -> int:
    """Most common value (of an evenly strided subsample of ≤ 50 000 for speed)."""
    if len(values) > 50_000:
        values = values[:: math.ceil(len(values) / 50_000)]
    vals, counts = np.unique(values, return_counts=True)
    return int(vals[np.argmax(counts)])


def _warn(
    code: str, count: int, rows: Sequence[int] | np.ndarray = (), **params: Any
) -> DataWarning:
    first = tuple(int(r) for r in np.asarray(rows, dtype=np.int64)[:5])
    return DataWarning(code=code, count=int(count), first_rows=first, params=params)


# --------------------------------------------------------------------------- timestamps


def _compact_format(sample: list[str]) -> str | None:
    """The ``to_datetime`` format of a column of compact dates, or None.

    Compact (``20120101``, ``201201010015``, ``20120101001500``, ``20120101 00:15``) when at
    least half of the non-missing cells have that shape and at least 80 % of those parse to a
    date-time in 1990–2099 (``…2400`` read as the next midnight).
    """
    vals = [v for v in sample if v.lower() not in _MISSING_MARKERS]
    shaped = [v for v in vals if _COMPACT_RE.match(v)]
    if not shaped or len(shaped) < 0.5 * len(vals):
        return None
    lengths = pd.Series([len(v) if v.isdigit() else -len(v) for v in shaped])
    first = shaped[int(np.flatnonzero(lengths.to_numpy() == lengths.mode().iloc[0])[0])]
    if not first.isdigit():
        fmt = "%Y%m%d" + first[8] + "%H:%M" + (":%S" if first.count(":") == 2 else "")
    else:
        fmt = {8: "%Y%m%d", 12: "%Y%m%d%H%M", 14: "%Y%m%d%H%M%S"}[len(first)]
    parsed, _ = _compact_parse(pd.Series(shaped), fmt)
    years = parsed.dt.year
    ok = parsed.notna() & (years >= _DETECT_MIN_YEAR) & (years <= _DETECT_MAX_YEAR)
    return fmt if ok.mean() >= 0.8 else None


def _compact_parse(s: pd.Series, fmt: str) -> tuple[pd.Series, np.ndarray]:
    """Compact cells → naive date-times (NaT where they fail) and the 24:00 mask."""
    if fmt in ("%Y%m%d%H%M", "%Y%m%d%H%M%S"):
        had24 = s.str.fullmatch(r"\d{8}2400(?:00)?").fillna(False).to_numpy(dtype=bool)
        text = s.where(~had24, s.str.slice(0, 8) + s.str.slice(8).str.replace("24", "00", n=1))
    elif fmt != "%Y%m%d":
        had24 = s.str.contains(r"[ T]24:00", regex=True).fillna(False).to_numpy(dtype=bool)
        text = s.str.replace(r"([ T])24:00", r"\g<1>00:00", regex=True)
    else:
        had24 = np.zeros(len(s), dtype=bool)
        text = s
    out = pd.to_datetime(text, format=fmt, errors="coerce")
    if had24.any():
        out = out.where(~had24, out + pd.Timedelta(days=1))
    return _in_window(out).astype("datetime64[ns]"), had24


def _in_window(out: pd.Series) -> pd.Series:
    """NaT for date-times outside [1970, 2100) — pandas may hold year 2300 in seconds but not
    in nanoseconds; the caller names such cells ``import.date_out_of_range`` by their text."""
    lo, hi = _DATE_MIN, _DATE_MAX
    if getattr(out.dt, "tz", None) is not None:
        lo, hi = lo.tz_localize("UTC"), hi.tz_localize("UTC")
    return out.where((out >= lo) & (out < hi))


def _parse_serial(s: pd.Series) -> tuple[_Stamps, np.ndarray]:
    """Excel serial day numbers (``43101`` = 2018-01-01, ``43101.5`` = 12:00) → naive stamps,
    rounded to the second; a number outside 1970–2099 or a non-number fails."""
    num = pd.to_numeric(s, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    ok = (num >= _SERIAL_MIN) & (num < _SERIAL_MAX)
    secs = np.where(ok, np.round(np.where(ok, num, 0.0) * 86400.0), 0.0).astype("int64")
    out = pd.Series(_EXCEL_EPOCH + pd.to_timedelta(secs, unit="s"), index=s.index)
    out = out.where(ok).astype("datetime64[ns]")
    failed = ~ok & (s != "").to_numpy()
    return _Stamps(out, False, None, None, np.zeros(len(s), dtype=bool)), failed


def _serial_kind(cells: pd.Series, roles: set[str]) -> str | None:
    """``"date"``/``"datetime"`` when a numeric column holds Excel serial dates, else None.

    Every sampled number must lie in 1990–2099 (32874 ≤ x < 73051), and either the header
    names a time or date (时间, 日期, date, …) or the whole column is strictly increasing with
    a modal step (at least half of the steps) of 1, 5, 15, 30 or 60 minutes or one day and
    every step a whole number of minutes. Whole numbers are dates, fractions date-times.
    """
    sample = [v for v in _sample(cells) if v.lower() not in _MISSING_MARKERS]
    nums = pd.to_numeric(pd.Series(sample, dtype=object), errors="coerce").dropna()
    if len(nums) < max(1, 0.5 * len(sample)):
        return None
    if not ((nums >= _SERIAL_DETECT_MIN) & (nums < _SERIAL_MAX)).all():
        return None
    kind = "date" if bool((nums == nums.round()).all()) else "datetime"
    if roles & {"time", "date"}:
        return kind
    full = pd.to_numeric(cells, errors="coerce").dropna().to_numpy(dtype="float64")
    d = np.diff(np.round(full * 86400.0))
    if len(d) < 2 or (d <= 0).any() or (d % 60).any():
        return None
    step = _modal(d.astype("int64"))
    if step != 86400 and step / 60 not in ALLOWED_INTERVAL_MINUTES:
        return None
    return kind if (d == step).mean() >= 0.5 else None


def _segment_steps(ns: np.ndarray) -> list[int]:
    """Interval lengths [ns] that a sorted stamp array holds in runs of ≥ ``_RUN_MIN`` equal
    steps (one per segment length; a lone longer step is a gap, not a segment)."""
    d = np.diff(np.unique(ns))
    if len(d) < _RUN_MIN:
        return []
    allowed = {m * 60_000_000_000 for m in ALLOWED_INTERVAL_MINUTES}
    cut = np.flatnonzero(np.diff(d) != 0) + 1
    starts = np.concatenate(([0], cut))
    lengths = np.diff(np.concatenate((starts, [len(d)])))
    found = {int(d[a]) for a, n in zip(starts, lengths, strict=True) if n >= _RUN_MIN}
    return sorted(found & allowed)


@dataclass
class _Stamps:
    values: pd.Series  # datetime64[ns] naive wall times, or UTC-aware when ``aware``
    aware: bool
    source_offset: str | None
    dayfirst: bool | None
    had24: np.ndarray
    ambiguous_order: bool = False


def _date_formats(sample: list[str]) -> tuple[str, list[tuple[str, bool | None]]]:
    """The date style of a sample and the candidate ``to_datetime`` formats."""
    first = sample[0]
    m = _YMD_RE.match(first)
    clocks = [_CLOCK_RE.search(v) for v in sample]
    has_time = any(clocks)
    has_sec = any(c and c.group(3) for c in clocks)
    has_frac = any(c and c.group(4) for c in clocks)
    has_off = any(_OFFSET_RE.search(v) for v in sample) and has_time
    tsep = "T" if has_time and "T" in first else " "
    clock = ""
    if has_time:
        clock = (
            f"{tsep}%H:%M"
            + (":%S" if has_sec else "")
            + (".%f" if has_frac else "")
            + ("%z" if has_off else "")
        )
    if m:
        sep = m.group(2)
        if sep == "-":
            return "ymd", [("ISO8601", None)]
        return "ymd", [(f"%Y{sep}%m{sep}%d{clock}", None)]
    m = _DMY_RE.match(first)
    if m:
        sep, year = m.group(2), "%Y" if len(m.group(4)) == 4 else "%y"
        return sep, [
            (f"%d{sep}%m{sep}{year}{clock}", True),
            (f"%m{sep}%d{sep}{year}{clock}", False),
        ]
    return "mixed", [("mixed", None)]


def _regularity(ts: pd.Series) -> int:
    ns = ts.dropna().astype("int64").to_numpy()
    if len(ns) < 3:
        return 0
    d = np.diff(ns)
    d = d[d != 0]
    if not len(d):
        return 0
    return int(np.max(np.unique(d, return_counts=True)[1])) - int((d < 0).sum())


def _to_dt(s: pd.Series, fmt: str, utc: bool, dayfirst: bool | None) -> pd.Series:
    kw: dict[str, Any] = {"errors": "coerce", "utc": utc}
    if fmt == "mixed":
        kw["dayfirst"] = bool(dayfirst)
    return pd.to_datetime(s, format=fmt, **kw)


def _parse_datetimes(
    s: pd.Series, dayfirst: bool | None, *, serial: bool = False
) -> tuple[_Stamps, np.ndarray]:
    """Parse text date-times vectorised; returns the stamps and a mask of cells that failed.

    Compact dates (:func:`_compact_format`) are recognised by content; ``serial`` reads a
    numeric column as Excel serial dates (the caller decides, :func:`_serial_kind`).
    """
    s = s.astype(str)
    compact = _compact_format(_sample(s, 50))
    if compact is not None:
        out, had24 = _compact_parse(s, compact)
        return _Stamps(out, False, None, None, had24), (out.isna() & (s != "")).to_numpy()
    if serial:
        return _parse_serial(s)
    return _parse_text_datetimes(s, dayfirst)


def _parse_text_datetimes(s: pd.Series, dayfirst: bool | None) -> tuple[_Stamps, np.ndarray]:
    """:func:`_parse_datetimes` for text date-times (ISO, ``d/m/Y``, ``年月日`` …)."""
    if s.str.contains("年", regex=False).any():
        s = s.str.replace(r"(\d{4})年(\d{1,2})月(\d{1,2})日?", r"\1-\2-\3", regex=True)
    had24 = (
        s.str.contains(" 24:00", regex=False) | s.str.contains("T24:00", regex=False)
    ).to_numpy()
    if had24.any():
        s = s.str.replace(" 24:00", " 00:00", regex=False).str.replace(
            "T24:00", "T00:00", regex=False
        )
    sample = _sample(s, 50)
    if not sample:
        return _Stamps(
            pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]"), False, None, None, had24
        ), (s != "").to_numpy()
    style, formats = _date_formats(sample)
    aware = any(_OFFSET_RE.search(v) for v in sample) and any(_CLOCK_RE.search(v) for v in sample)
    chosen_dayfirst: bool | None = None
    ambiguous = False
    if len(formats) == 2:
        if dayfirst is not None:
            fmt = formats[0][0] if dayfirst else formats[1][0]
            chosen_dayfirst = dayfirst
        else:
            stride = max(1, math.ceil(len(s) / 20_000))
            sub = s.iloc[::stride]
            sub = sub[sub != ""]
            parsed = [_to_dt(sub, f, aware, None) for f, _ in formats]
            fails = [int(p.isna().sum()) for p in parsed]
            if fails[0] != fails[1]:
                pick = int(np.argmin(fails))
            else:
                reg = [_regularity(p) for p in parsed]
                spans = [p.max() - p.min() for p in parsed]
                if reg[0] != reg[1]:
                    pick = int(np.argmax(reg))
                elif spans[0] != spans[1]:  # consecutive days, not months apart
                    pick = int(np.argmin(spans))
                else:
                    pick = 0 if style in (".", "-") else 1
                    ambiguous = not parsed[0].equals(parsed[1])
            fmt, chosen_dayfirst = formats[pick]
    else:
        fmt = formats[0][0]
        if fmt == "mixed":
            chosen_dayfirst = dayfirst
    out = _to_dt(s, fmt, aware, chosen_dayfirst)
    failed = (out.isna() & (s != "")).to_numpy()
    if failed.any() and fmt != "mixed" and failed.sum() <= 5000:
        retry = _to_dt(s[failed], "mixed", aware, chosen_dayfirst)
        out = out.copy()
        out[failed] = retry
        failed = (out.isna() & (s != "")).to_numpy()
    if aware:
        out = out.dt.tz_convert("UTC")
    if had24.any():  # "24:00" is midnight at the end of the day named
        out = out.where(~had24, out + pd.Timedelta(days=1))
    out = _in_window(out)
    failed = (out.isna() & (s != "")).to_numpy()
    out = out.astype("datetime64[ns, UTC]" if aware else "datetime64[ns]")
    offset = None
    if aware:
        m = _OFFSET_RE.search(sample[0])
        if m:
            raw = m.group(1)
            offset = "+00:00" if raw == "Z" else (raw if ":" in raw else raw[:3] + ":" + raw[3:])
    return _Stamps(out, aware, offset, chosen_dayfirst, had24, ambiguous), failed


def _parse_clock(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Time-of-day text (``0:15``, ``00:15:00``, ``24:00``) → timedelta; and the failures."""
    s = s.astype(str)
    short = s.str.count(":") == 1
    text = s.where(~short, s + ":00")
    td = pd.to_timedelta(
        text.where(text.str.match(r"^\d{1,2}:\d{2}:\d{2}(\.\d+)?$"), None), errors="coerce"
    )
    failed = (td.isna() & (s != "")).to_numpy()
    return td, failed


# --------------------------------------------------------------------------- the importer


@dataclass
class _Long:
    """The long view both shapes reduce to, before time-zone and grid work."""

    stamps: _Stamps
    values: np.ndarray  # source unit, NaN = missing
    rows: np.ndarray
    time_header: str | None


class _Importer:
    def __init__(self, table: RawTable, name: str, opts: ImportOptions) -> None:
        self.t = table
        self.name = name
        self.o = opts
        self.warnings: list[DataWarning] = []
        self.headers = [h if h else f"column_{i + 1}" for i, h in enumerate(table.header)]
        self.decimal = "."
        self.label_convention = "start"
        self.label_detected = opts.labels == "auto"
        self.unit_assumed = False
        self.kind = "power"
        self.unit = "kW"
        self._reactive: dict[str, tuple[int, str | None]] = {}  # name → (column, kind)
        self._reactive_rows: tuple[np.ndarray, np.ndarray] = (np.zeros(0, int), np.zeros(0, bool))
        self._final: tuple[pd.DatetimeIndex, np.ndarray] | None = None  # (starts, source rows)

    # -- errors
    def err(
        self,
        code: str,
        *,
        row: int | None = None,
        column: str | None = None,
        expected: str | None = None,
        **params: Any,
    ) -> InputError:
        return InputError(code, file=self.name, row=row, column=column, expected=expected, **params)

    def col_index(self, header: str, code: str) -> int:
        want = _norm_header(header)
        for i, h in enumerate(self.headers):
            if _norm_header(h) == want:
                return i
        if code == "import.no_value_column":
            raise self.err(
                code,
                column=header,
                expected="a column of numbers",
                candidates=", ".join(self.headers),
            )
        raise self.err(
            code,
            column=header,
            expected="a column of date-times",
            candidates=", ".join(self.headers),
        )

    # -- flow
    def run(self) -> tuple[pd.DataFrame, ImportReport]:
        wide = self._wide_layout()
        if wide is not None:
            long, fmt, time_col, value_col = (
                self._wide(*wide),
                "wide",
                None,
                f"{len(wide[0])} columns",
            )
        else:
            long, fmt = self._long(), "long"
            time_col, value_col = long.time_header, self._value_header
        frame, info = self._assemble(long, step_min=wide[2] if wide else None)
        frame = self._attach_reactive(frame, info["step"])
        rep = ImportReport(
            file_name=self.name,
            format=fmt,
            encoding=self.t.encoding,
            delimiter=self.t.delimiter,
            decimal=self.decimal,
            sheet=self.t.sheet,
            time_column=time_col,
            value_column=value_col,
            kind=self.kind,
            unit=self.unit,
            unit_assumed=self.unit_assumed,
            label_convention=self.label_convention,
            label_detected=self.label_detected,
            interval_minutes=info["step"],
            tz=self.o.tz,
            source_offset=long.stamps.source_offset,
            dayfirst=long.stamps.dayfirst,
            start=frame.index[0],
            end=frame.index[-1],
            rows_read=len(self.t.cells),
            intervals=int(frame["kwh"].notna().sum()),  # intervals WITH data (DESIGN)
            missing_intervals=int(frame["kwh"].isna().sum()),
            duplicate_rows_dropped=info["dups"],
            warnings=self.warnings,
            reactive_columns={k: self.headers[c] for k, (c, _) in self._reactive.items()},
        )
        return frame, rep

    # -- reactive energy beside the active value (module docstring)
    def _find_reactive(self, used: set[int]) -> None:
        for i, h in enumerate(self.headers):
            name = _reactive_name(h)
            if i not in used and name and name not in self._reactive:
                self._reactive[name] = (i, _reactive_kind(h))

    def _attach_reactive(self, frame: pd.DataFrame, step_min: int) -> pd.DataFrame:
        if not self._reactive:
            return frame
        if (
            self.kind == "register"
            or self._final is None
            or "import.interval_changed" in {w.code for w in self.warnings}
        ):
            self.warnings.append(
                _warn(
                    "import.reactive_ignored",
                    0,
                    column=", ".join(self.headers[c] for c, _ in self._reactive.values()),
                )
            )
            self._reactive = {}
            return frame
        start, rows = self._final
        src_rows, keep = self._reactive_rows
        pos = np.searchsorted(src_rows, rows)
        out = frame.copy()
        bad_rows: list[np.ndarray] = []
        for name, (c, kind) in self._reactive.items():
            cells = self.t.cells[c].loc[keep].reset_index(drop=True)
            vals = _to_numbers(cells, self.decimal)[pos]
            vals[~(np.abs(vals) <= MAX_ABS_VALUE)] = np.nan  # inf, 1e309: not a figure
            bad_rows.append(
                rows[np.isnan(vals) & ~np.isnan(frame["kwh"].reindex(start).to_numpy())]
            )
            scale = step_min / 60.0 if (kind or self.kind) == "power" else 1.0
            factor = _reactive_unit(self.headers[c])
            out[name] = pd.Series(vals * scale * factor, index=start).reindex(frame.index)
        bad = np.unique(np.concatenate(bad_rows))
        if len(bad):
            self.warnings.append(_warn("import.reactive_non_numeric", len(bad), bad))
        return out

    # -- decimal separator
    def _detect_decimal(self, cols: list[int]) -> None:
        if self.t.delimiter == ",":
            return
        sample = [v for c in cols[:8] for v in _sample(self.t.cells[c], 40)]
        comma = sum(1 for v in sample if re.fullmatch(r"[+-]?\d*,\d+", v))
        dot = sum(1 for v in sample if re.fullmatch(r"[+-]?\d*\.\d+", v))
        if comma > dot:
            self.decimal = ","

    # -- numbers with the non-numeric rule
    def _numbers(self, texts: pd.DataFrame, rows: np.ndarray, headers: list[str]) -> np.ndarray:
        """Parse a block of cells (rows × columns) → float matrix; warn or raise on text."""
        mat = np.empty(texts.shape, dtype="float64")
        for j, c in enumerate(texts.columns):
            mat[:, j] = _to_numbers(texts[c], self.decimal)
        huge = np.argwhere(np.abs(np.nan_to_num(mat, nan=0.0)) > MAX_ABS_VALUE)
        if len(huge):  # inf, 1e309, 1.7e308: bad input, never an overflow further on
            i, j = huge[0]
            raise self.err(
                "import.value_out_of_range",
                row=int(rows[i]),
                column=headers[j],
                expected=f"a finite number of magnitude at most {MAX_ABS_VALUE:g}",
                text=str(texts.iat[i, j]),
                limit=f"{MAX_ABS_VALUE:g}",
            )
        bad = np.isnan(mat)
        if bad.any():
            n_ok = int((~bad).sum())
            if n_ok == 0 or n_ok < 0.5 * bad.size:
                missing = np.column_stack([_is_missing(texts[c]).to_numpy() for c in texts.columns])
                where = np.argwhere(bad & ~missing)
                if not len(where):
                    where = np.argwhere(bad)
                i, j = where[0]
                raise self.err(
                    "import.bad_number",
                    row=int(rows[i]),
                    column=headers[j],
                    expected="numbers",
                    text=str(texts.iat[i, j]),
                )
            bad_rows = rows[np.flatnonzero(bad.any(axis=1))]
            col_names = [headers[j] for j in np.flatnonzero(bad.any(axis=0))]
            self.warnings.append(
                _warn(
                    "import.non_numeric",
                    int(bad.sum()),
                    bad_rows,
                    column=", ".join(col_names[:3]) + (" …" if len(col_names) > 3 else ""),
                )
            )
        return mat

    # -- timestamps with footer rows
    def _stamps(
        self, texts: pd.Series, rows: np.ndarray, header: str, *, serial: bool = False
    ) -> tuple[_Stamps, np.ndarray]:
        """Parse a time column; returns stamps and a keep-mask (footer rows dropped)."""
        stamps, failed = _parse_datetimes(texts, self.o.dayfirst, serial=serial)
        self._check_date_range(stamps, texts, failed, rows, header, serial)
        keep = np.ones(len(texts), dtype=bool)
        empty = (texts == "").to_numpy()
        failed = failed | empty
        if failed.any():
            ok = np.flatnonzero(~failed)
            last_ok = ok[-1] if len(ok) else -1
            trailing = np.flatnonzero(failed) > last_ok
            n_tail = int(trailing.sum())
            if len(ok) and trailing.all() and n_tail <= _FOOTER_MAX:
                keep[last_ok + 1 :] = False
                self.warnings.append(_warn("import.footer_rows", n_tail, rows[last_ok + 1 :]))
            else:
                i = int(
                    np.flatnonzero(
                        failed & (np.arange(len(texts)) <= last_ok) if len(ok) else failed
                    )[0]
                )
                raise self.err(
                    "import.bad_timestamp",
                    row=int(rows[i]),
                    column=header,
                    expected="2025-01-01 00:15",
                    text=str(texts.iloc[i]),
                )
        if stamps.ambiguous_order:
            self.warnings.append(
                _warn("import.date_order_assumed", 0, order="D/M/Y" if stamps.dayfirst else "M/D/Y")
            )
        return stamps, keep

    def _check_date_range(
        self,
        stamps: _Stamps,
        texts: pd.Series,
        failed: np.ndarray,
        rows: np.ndarray,
        header: str,
        serial: bool,
    ) -> None:
        """Refuse a date outside [1970, 2100) (``import.date_out_of_range``) naming the cell —
        parsed ones and those pandas cannot hold (year 2300) alike, before any footer rule."""
        vals = stamps.values
        if stamps.aware:
            vals = vals.dt.tz_localize(None)
        out = np.array(vals.notna() & ((vals < _DATE_MIN) | (vals >= _DATE_MAX)), dtype=bool)
        if failed.any():
            idx = np.flatnonzero(failed)
            sub = texts.iloc[idx].astype(str)
            m = sub.str.extract(_YEAR_RE)
            year = pd.to_numeric(m[0].fillna(m[1]), errors="coerce").to_numpy()
            far = (year < _DATE_MIN.year) | (year >= _DATE_MAX.year)
            if serial:
                far |= pd.to_numeric(sub, errors="coerce").notna().to_numpy()
            out[idx[far]] = True
        if out.any():
            i = int(np.flatnonzero(out)[0])
            raise self.err(
                "import.date_out_of_range",
                row=int(rows[i]),
                column=header,
                expected="a date from 1970 to 2099",
                text=str(texts.iloc[i]),
            )

    def _kind_of(self, i: int, roles: set[str]) -> str:
        """Content kind of column ``i`` (:func:`_classify`), plus compact dates and Excel
        serials — never for a column whose header names a value, unit or identifier."""
        sample = _sample(self.t.cells[i])
        kind = _classify(sample)
        if kind not in ("number", "text"):
            return kind
        valued = roles & {"energy", "power", "register", "other", "id"}
        if (valued and not roles & {"time", "date"}) or _unit_in(self.headers[i]):
            return kind
        compact = _compact_format(sample)
        if compact is not None:
            return "date" if compact == "%Y%m%d" else "datetime"
        if kind == "number":
            serial = _serial_kind(self.t.cells[i], roles)
            if serial is not None:
                return serial
        return kind

    def _is_serial(self, i: int) -> bool:
        """Column ``i`` holds numbers (Excel serials when it is the chosen time column)."""
        sample = _sample(self.t.cells[i])
        return _classify(sample) == "number" and _compact_format(sample) is None

    # -- wide
    def _wide_layout(self) -> tuple[list[int], np.ndarray, int, str, bool] | None:
        """Label columns, their start offsets [min], interval [min], convention, positional."""
        times: dict[int, int] = {}
        ranges: dict[int, int] = {}
        positions: dict[int, int] = {}
        for i, h in enumerate(self.t.header):
            hh = h.strip()
            m = re.fullmatch(r"(\d{1,2}):(\d{2})(?::00)?", hh) or re.fullmatch(
                r"[Tt](\d{2})(\d{2})", hh
            )
            if m:
                times[i] = int(m.group(1)) * 60 + int(m.group(2))
                continue
            m = re.fullmatch(r"(\d{1,2}):(\d{2})\s*[-~–至]\s*(\d{1,2}):(\d{2})", hh)
            if m:
                ranges[i] = int(m.group(1)) * 60 + int(m.group(2))
                continue
            m = re.fullmatch(r"(?:[Pp]|第)?(\d{1,4})点?", hh)
            if m:
                positions[i] = int(m.group(1))
        for found, kind in ((times, "time"), (ranges, "range"), (positions, "pos")):
            n = len(found)
            extra_hour = kind == "pos" and n % 25 == 0 and (n // 25) * 24 in (24, 48, 96, 288)
            if not extra_hour and (n < 24 or 1440 % n or 1440 // n not in ALLOWED_INTERVAL_MINUTES):
                continue
            step = 1440 // n
            cols = sorted(found, key=found.get)
            vals = np.array([found[c] for c in cols])
            if kind == "pos" and n % 25 == 0 and (n // 25) * 24 in (24, 48, 96, 288):
                base = vals.min()  # 25, 50, 100 or 300 positions: room for a 25-hour day
                if base in (0, 1) and np.array_equal(vals, np.arange(base, base + n)):
                    step = 60 // (n // 25)
                    return cols, (vals - base) * step, step, "start", True
                continue
            if kind == "pos":
                base = vals.min()
                if base not in (0, 1) or not np.array_equal(vals, np.arange(base, base + n)):
                    continue
                return cols, (vals - base) * step, step, "start", True
            if len(set(vals.tolist())) != n or np.any(vals % step):
                continue
            if kind == "range" or (vals.min() == 0 and vals.max() == 1440 - step):
                conv = "start"
            elif vals.min() == step and vals.max() == 1440:
                conv = "end"
            else:
                continue
            return cols, vals, step, conv, False
        return None

    def _wide(
        self, cols: list[int], offsets: np.ndarray, step: int, conv: str, positional: bool
    ) -> _Long:
        cells = self.t.cells
        if self.o.date_column:
            dcol = self.col_index(self.o.date_column, "import.no_time_column")
        else:
            others = [i for i in range(len(self.headers)) if i not in cols]
            kinds = {i: self._kind_of(i, _roles(self.headers[i])) for i in others}
            dated = [i for i in others if kinds[i] in ("date", "datetime")]
            if not dated:
                raise self.err(
                    "import.no_time_column",
                    expected="a date column beside the curve columns",
                    candidates=", ".join(self.headers[i] for i in others),
                )
            dcol = next((i for i in dated if _roles(self.headers[i]) & {"time", "date"}), dated[0])
        rows = self.t.rows
        stamps, keep = self._stamps(
            cells[dcol], rows, self.headers[dcol], serial=self._is_serial(dcol)
        )
        days = (
            stamps.values.dt.normalize()
            if not stamps.aware
            else stamps.values.dt.tz_localize(None).dt.normalize()
        )
        stamps.aware, stamps.source_offset = False, None
        # labels override applies to clock labels only; positions are fixed (module docstring)
        if not positional and self.o.labels != "auto":
            conv = self.o.labels
        self.label_convention = conv
        self.label_detected = positional or self.o.labels == "auto"
        label_min = offsets.astype("int64") + (step if conv == "end" and positional else 0)
        block = cells[cols].loc[keep]
        self._detect_decimal(cols)
        mat = self._numbers(block, rows[keep], [self.headers[c] for c in cols])
        n_days = mat.shape[0]
        day_ns = days.loc[keep].to_numpy().astype("datetime64[ns]").astype("int64")
        inst = (day_ns[:, None] + label_min[None, :] * 60_000_000_000).ravel()
        if inst.size > self.o.max_rows:
            raise self.err(
                "import.too_many_rows",
                expected=f"at most {self.o.max_rows} values",
                limit=self.o.max_rows,
            )
        self._wide_kind()
        if self._needs_dst_mapping(day_ns, len(cols), step):
            return self._wide_dst(day_ns, label_min, mat, rows[keep], cols, step, positional)
        flat = pd.Series(inst.astype("datetime64[ns]"))
        had24 = np.tile(label_min >= 1440, n_days)
        long = _Long(
            _Stamps(flat, False, None, stamps.dayfirst, had24),
            mat.ravel(),
            np.repeat(rows[keep], len(cols)),
            self.headers[dcol],
        )
        self._conv_fixed = True
        return long

    def _needs_dst_mapping(self, day_ns: np.ndarray, n_cols: int, step: int) -> bool:
        """A day of the file is not 24 hours long in the site zone, or the curve has room
        for a 25-hour day (P1 … P100)."""
        if n_cols * step > 1440:
            return True
        m0, m1 = _midnights(day_ns, self.o.tz)
        return bool(np.any(m1 - m0 != 86_400_000_000_000))

    def _wide_dst(
        self,
        day_ns: np.ndarray,
        label_min: np.ndarray,
        mat: np.ndarray,
        rows: np.ndarray,
        cols: list[int],
        step: int,
        positional: bool,
    ) -> _Long:
        """Daily curves in a zone with daylight saving time (module docstring, "DST days").

        Each cell gets an absolute instant. Positions count the day's real intervals from
        local midnight (a 23-hour day has 92 quarter hours, a 25-hour day 100); clock labels,
        and a 96-point positional row whose skipped-hour cells are empty, are read by the wall
        clock (the repeated hour's first pass). A cell that has no instant must be empty,
        otherwise ``import.dst_day_points`` names its row and column.
        """
        n_days, n_cols = mat.shape
        step_ns = step * 60_000_000_000
        m0, m1 = _midnights(day_ns, self.o.tz)
        points = (m1 - m0) // step_ns  # real intervals of each day
        base = 1440 // step
        wall = pd.DatetimeIndex((day_ns[:, None] + label_min[None, :] * 60_000_000_000).ravel())
        loc = wall.tz_localize(self.o.tz, ambiguous=np.ones(wall.size, bool), nonexistent="NaT")
        wall_ns = np.where(loc.isna(), np.iinfo("int64").min, loc.asi8).reshape(n_days, n_cols)
        wall_ok = ~np.asarray(loc.isna()).reshape(n_days, n_cols)
        absolute = m0[:, None] + (label_min[None, :] - label_min[0]) * 60_000_000_000
        filled = ~np.isnan(mat)
        pos = np.arange(n_cols)[None, :]
        in_day = pos < points[:, None]
        use_abs = np.zeros(n_days, dtype=bool)
        if positional:
            if n_cols > base:
                use_abs[:] = True
            else:
                short = points < base
                gap_empty = ~(filled & ~wall_ok).any(axis=1)
                tail_empty = ~(filled & ~in_day).any(axis=1)
                use_abs = (points == base) | (short & ~gap_empty & tail_empty)
        keep = np.where(use_abs[:, None], in_day, wall_ok)
        lost = filled & ~keep
        if lost.any():
            r, c = np.argwhere(lost)[0]
            day = pd.Timestamp(int(day_ns[r])).date().isoformat()
            raise self.err(
                "import.dst_day_points",
                row=int(rows[r]),
                column=self.headers[cols[c]],
                expected=f"{int(points[r])} values on this day",
                day=day,
                hours=int((m1[r] - m0[r]) // 3_600_000_000_000),
                points=int(points[r]),
                tz=self.o.tz,
            )
        inst = np.where(use_abs[:, None], absolute, wall_ns)
        walled = (points != base) & ~use_abs
        if walled.any():
            self.warnings.append(
                _warn(
                    "import.dst_wall_clock",
                    int(walled.sum()),
                    rows[walled],
                    day=pd.Timestamp(int(day_ns[walled][0])).date().isoformat(),
                )
            )
        flat = keep.ravel()
        stamps = pd.Series(pd.to_datetime(inst.ravel()[flat], utc=True))
        long = _Long(
            _Stamps(stamps, True, None, None, np.zeros(int(flat.sum()), dtype=bool)),
            mat.ravel()[flat],
            np.repeat(rows, n_cols)[flat],
            None,
        )
        self._conv_fixed = True
        return long

    def _wide_kind(self) -> None:
        cols_text = [
            h for h in self.t.header if not re.fullmatch(r"[\dTtPp:第点\s\-~–至]+", h.strip())
        ]
        type_cols = [
            i
            for i, h in enumerate(self.t.header)
            if {"id"} & _roles(h) and re.search(r"类型|type|单位|unit", h, re.I)
        ]
        extra = [v for i in type_cols for v in _sample(self.t.cells[i], 5)]
        text = " ".join(self.t.preamble + cols_text + extra)
        roles = _roles(text)
        unit = _unit_in(text)
        kind = "register" if "register" in roles else None
        if kind is None and unit:
            kind = "energy" if unit in ENERGY_UNITS else "power"
        if kind is None:
            kind = "energy" if "energy" in roles else "power"
        self._set_kind_unit(kind, unit, header_for_warning=None, wide=True)

    # -- long
    _value_header: str | None = None
    _conv_fixed = False

    def _long(self) -> _Long:
        cells, rows = self.t.cells, self.t.rows
        ncol = len(self.headers)
        roles = {i: _roles(self.headers[i]) for i in range(ncol)}
        kinds = {i: self._kind_of(i, roles[i]) for i in range(ncol)}
        used: set[int] = set()
        # time column(s)
        tcol = (
            self.col_index(self.o.time_column, "import.no_time_column")
            if self.o.time_column
            else None
        )
        dcol = (
            self.col_index(self.o.date_column, "import.no_time_column")
            if self.o.date_column
            else None
        )
        if tcol is None and dcol is None:
            dts = [i for i in range(ncol) if kinds[i] == "datetime"]
            if dts:
                tcol = next((i for i in dts if roles[i] & {"time", "date"}), dts[0])
            else:
                dates = [i for i in range(ncol) if kinds[i] == "date"]
                clocks = [i for i in range(ncol) if kinds[i] == "time"]
                if dates:
                    dcol = next((i for i in dates if "date" in roles[i]), dates[0])
                    tcol = (
                        next((i for i in clocks if "time" in roles[i]), clocks[0])
                        if clocks
                        else None
                    )
                    if tcol is None:
                        tcol, dcol = dcol, None
        elif dcol is not None and tcol is None:
            clocks = [i for i in range(ncol) if kinds[i] == "time" and i != dcol]
            tcol = clocks[0] if clocks else None
            if tcol is None:
                tcol, dcol = dcol, None
        elif tcol is not None and dcol is None and kinds[tcol] == "time":
            dates = [i for i in range(ncol) if kinds[i] in ("date", "datetime") and i != tcol]
            dcol = dates[0] if dates else None
        if tcol is None:
            raise self.err(
                "import.no_time_column",
                expected="a column of date-times (时间/timestamp)",
                candidates=", ".join(self.headers),
            )
        used |= {tcol} | ({dcol} if dcol is not None else set())
        vcol = self._pick_value(kinds, roles, used)
        self._value_header = self.headers[vcol]
        self._find_reactive(used | {vcol})
        # timestamps
        if dcol is not None:
            stamps, keep = self._stamps(
                cells[dcol], rows, self.headers[dcol], serial=self._is_serial(dcol)
            )
            td, bad = _parse_clock(cells[tcol])
            bad = bad & keep
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise self.err(
                    "import.bad_timestamp",
                    row=int(rows[i]),
                    column=self.headers[tcol],
                    expected="00:15",
                    text=str(cells[tcol].iloc[i]),
                )
            stamps.values = stamps.values.dt.normalize() + td.astype("timedelta64[ns]")
            stamps.had24 = (td >= pd.Timedelta(days=1)).to_numpy()
            header = f"{self.headers[dcol]} + {self.headers[tcol]}"
        else:
            stamps, keep = self._stamps(
                cells[tcol], rows, self.headers[tcol], serial=self._is_serial(tcol)
            )
            header = self.headers[tcol]
        self._detect_decimal([vcol])
        vals = self._numbers(cells[[vcol]].loc[keep], rows[keep], [self.headers[vcol]])[:, 0]
        self._reactive_rows = (rows[keep], keep)
        stamps.values = stamps.values[keep].reset_index(drop=True)
        stamps.had24 = stamps.had24[keep]
        if not stamps.aware:
            _same_day_midnight(stamps)
        self._time_roles = roles[tcol] if dcol is None else roles[tcol] | roles[dcol]
        self._time_header_text = _norm_header(self.headers[tcol])
        return _Long(stamps, vals, rows[keep], header)

    def _pick_value(self, kinds: dict[int, str], roles: dict[int, set[str]], used: set[int]) -> int:
        ncol = len(self.headers)
        if self.o.value_column:
            v = self.col_index(self.o.value_column, "import.no_value_column")
            self._set_kind_unit(
                self._header_kind(v, roles[v]), _unit_in(self.headers[v]), self.headers[v]
            )
            return v
        free = [i for i in range(ncol) if i not in used]
        best: tuple[int, int] | None = None
        for i in free:
            unit = _unit_in(self.headers[i])
            if "other" in roles[i] or (
                "id" in roles[i] and not unit and not roles[i] & {"register", "energy", "power"}
            ):
                continue
            rank = (
                3
                if "register" in roles[i]
                else 2
                if ("energy" in roles[i] or unit in ENERGY_UNITS)
                else 1
                if ("power" in roles[i] or unit in POWER_UNITS)
                else 0
            )
            if rank and kinds[i] in ("number", "text") and (best is None or rank > best[0]):
                best = (rank, i)
        if best is None:
            numeric = [i for i in free if kinds[i] == "number" and not roles[i] & {"id", "other"}]
            if len(numeric) != 1:
                raise self.err(
                    "import.no_value_column",
                    expected="one column of energy, power or register values",
                    candidates=", ".join(self.headers[i] for i in (numeric or free)),
                )
            best = (0, numeric[0])
        v = best[1]
        self._set_kind_unit(
            self._header_kind(v, roles[v]), _unit_in(self.headers[v]), self.headers[v]
        )
        return v

    @staticmethod
    def _header_kind(i: int, roles: set[str]) -> str | None:
        if "register" in roles:
            return "register"
        if "energy" in roles:
            return "energy"
        if "power" in roles:
            return "power"
        return None

    def _set_kind_unit(
        self, kind: str | None, unit: str | None, header_for_warning: str | None, wide: bool = False
    ) -> None:
        """Combine header evidence with the overrides (override > register word > unit > word)."""
        if kind != "register" and unit is not None:
            kind = "energy" if unit in ENERGY_UNITS else "power"
        if kind == "register" and unit in POWER_UNITS:
            unit = None
        if self.o.kind:
            kind = self.o.kind
        if self.o.unit:
            unit = self.o.unit
            if not self.o.kind:
                if unit in POWER_UNITS:
                    kind = "power"
                elif kind not in ("energy", "register"):
                    kind = "energy"
        if kind is None:
            kind = "power"
        if unit is not None and (unit in POWER_UNITS) != (kind == "power"):
            unit = None  # the kind override wins over a unit of the other family in the header
        assumed = unit is None
        unit = unit or ("kW" if kind == "power" else "kWh")
        self.kind, self.unit, self.unit_assumed = kind, unit, assumed
        if assumed:
            code = "import.wide_unit_assumed" if wide else "import.unit_assumed"
            self.warnings.append(
                _warn(code, 0, kind=kind, unit=unit, column=header_for_warning or "")
            )

    # -- time zone, grid, values
    def _localise(self, wall: pd.Series, rows: np.ndarray) -> tuple[pd.DatetimeIndex, np.ndarray]:
        """Naive wall times → site tz; returns instants and a keep-mask (DST gap rows dropped)."""
        idx = pd.DatetimeIndex(wall)
        tz = self.o.tz
        loc = idx.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
        nat = np.asarray(loc.isna() & idx.notna())
        keep = np.ones(len(idx), dtype=bool)
        if not nat.any():
            return loc, keep
        as_dst = np.asarray(
            idx.tz_localize(tz, ambiguous=np.ones(len(idx), bool), nonexistent="NaT").notna()
        )
        amb = nat & as_dst
        gap = nat & ~as_dst
        flags = np.ones(len(idx), dtype=bool)
        if amb.any():
            amb_i = np.flatnonzero(amb)
            second = pd.Series(idx[amb_i]).duplicated(keep="first").to_numpy()
            flags[amb_i[second]] = False
            self.warnings.append(_warn("import.dst_fold", int(amb.sum()), rows[amb_i]))
        loc = idx.tz_localize(tz, ambiguous=flags, nonexistent="NaT")
        if gap.any():
            keep &= ~gap
            self.warnings.append(_warn("import.dst_gap", int(gap.sum()), rows[gap]))
        return loc, keep

    def _assemble(self, long: _Long, step_min: int | None) -> tuple[pd.DataFrame, dict[str, int]]:
        st, vals, rows = long.stamps, long.values, long.rows
        if st.aware:
            inst = pd.DatetimeIndex(st.values).tz_convert(self.o.tz)
            keep = np.ones(len(inst), dtype=bool)
        else:
            inst, keep = self._localise(st.values, rows)
        inst, vals, rows, had24 = inst[keep], vals[keep], rows[keep], st.had24[keep]
        if not len(inst):
            raise self.err("import.empty", row=self.t.header_row)
        order = np.argsort(inst.asi8, kind="stable")
        inst, vals, rows, had24 = inst[order], vals[order], rows[order], had24[order]
        ns = inst.asi8
        if step_min is None:
            segments = _segment_steps(ns)
            if len(segments) > 1:
                return self._assemble_changed(inst, vals, rows, had24, segments, long)
        # interval
        if step_min is None:
            d = np.diff(ns)  # sorted: the positive steps are those between distinct stamps
            d = d[d > 0]
            if not len(d):
                raise self.err("import.interval_unknown", expected="1, 5, 15, 30, 60", found="?")
            step_ns = _modal(d)
            minutes = step_ns / 60e9
            if minutes not in ALLOWED_INTERVAL_MINUTES:
                raise self.err(
                    "import.interval_unknown",
                    column=long.time_header,
                    expected="1, 5, 15, 30, 60",
                    found=f"{minutes:g}",
                )
            step_min = int(minutes)
        step_ns = step_min * 60_000_000_000
        self._infer_register(vals, ns)
        # convention
        if not self._conv_fixed:
            if self.o.labels != "auto":
                self.label_convention, self.label_detected = self.o.labels, False
            else:
                self.label_convention = self._detect_convention(inst, had24, step_min, long)
                self.label_detected = True
        start = inst - pd.Timedelta(minutes=step_min) if self.label_convention == "end" else inst
        # off-grid rows
        wall = start.tz_localize(None).as_unit("ns").asi8
        phase = wall % step_ns
        off = phase != _modal(phase)
        if off.any():
            self.warnings.append(
                _warn(
                    "import.irregular_steps",
                    int(off.sum()),
                    np.sort(rows[off]),
                    interval_minutes=step_min,
                )
            )
            start, vals, rows = start[~off], vals[~off], rows[~off]
        # duplicates
        dup = start.duplicated(keep="first")
        n_dup = int(dup.sum())
        if n_dup:
            first_val = pd.Series(vals[~dup], index=start[~dup])
            differ = ~np.isclose(
                vals[dup], first_val.reindex(start[dup]).to_numpy(), equal_nan=True
            )
            self.warnings.append(
                _warn("import.duplicates", n_dup, np.sort(rows[dup]), differing=int(differ.sum()))
            )
            start, vals, rows = start[~dup], vals[~dup], rows[~dup]
        # values → kWh
        if self.kind == "register":
            start, kwh, rows = self._difference(start, vals, rows, step_ns)
        elif self.kind == "power":
            kwh = vals * POWER_UNITS[self.unit] * step_min / 60.0
        else:
            kwh = vals * ENERGY_UNITS[self.unit]
        frame = self._finish(start, kwh, rows, step_min, long.time_header)
        self._final = (pd.DatetimeIndex(start).as_unit("ns"), rows)
        return frame, {"step": step_min, "dups": n_dup}

    def _infer_register(self, vals: np.ndarray, ns: np.ndarray) -> None:
        """Register inference before the convention (readings mark interval ends)."""
        if self.kind != "register" and self.o.kind is None:
            ok = ~np.isnan(vals)
            first_of = ~pd.Series(ns[ok]).duplicated().to_numpy()
            if _looks_like_register(vals[ok][first_of]):
                self.kind = "register"
                self.unit = {"W": "Wh", "kW": "kWh", "MW": "MWh"}.get(self.unit, self.unit)
                self.warnings.append(
                    _warn("import.register_inferred", 0, column=self._value_header or "")
                )

    def _finish(
        self,
        start: pd.DatetimeIndex,
        kwh: np.ndarray,
        rows: np.ndarray,
        step_min: int,
        time_header: str | None,
    ) -> pd.DataFrame:
        """Interval energy [kWh] at interval starts → the canonical frame, with the negative,
        spike and gap findings; the span is bounded by ``max_rows`` before the grid is built."""
        if not len(start):
            raise self.err("import.empty", row=self.t.header_row)
        step_ns = step_min * 60_000_000_000
        span = (int(start.asi8[-1]) - int(start.asi8[0])) // step_ns + 1
        if span > self.o.max_rows:
            jumps = np.diff(start.asi8)
            j = int(np.argmax(jumps))
            far = 0 if j + 1 <= len(start) - (j + 1) else len(start) - 1
            raise self.err(
                "import.span_too_long",
                row=int(rows[far]),
                column=time_header,
                expected=f"at most {self.o.max_rows} intervals from first to last",
                intervals=span,
                limit=self.o.max_rows,
                at=start[far].isoformat(),
            )
        neg = kwh < 0
        if neg.any():
            self.warnings.append(
                _warn("import.negative", int(neg.sum()), rows[neg], min_kwh=float(np.nanmin(kwh)))
            )
        pos = kwh[kwh > 0]
        if len(pos) >= 2:
            q99 = float(np.quantile(pos, 0.99, method="lower"))
            spikes = kwh > 10 * q99
            if q99 > 0 and spikes.any():
                self.warnings.append(
                    _warn(
                        "import.spikes",
                        int(spikes.sum()),
                        rows[spikes],
                        threshold_kwh=round(10 * q99, 6),
                    )
                )
        index = pd.DatetimeIndex(start).as_unit("ns")
        frame = make_frame(pd.Series(kwh, index=index, dtype="float64"), step_min)
        frame.index = frame.index.as_unit("ns")
        missing = len(frame) - len(index)
        if missing:
            jumps = np.flatnonzero(np.diff(index.asi8) > step_ns)
            first_gap = index[jumps[0]] + pd.Timedelta(minutes=step_min)
            self.warnings.append(
                _warn("import.gaps", missing, rows[jumps + 1], first_gap=first_gap.isoformat())
            )
        return frame

    def _assemble_changed(
        self,
        inst: pd.DatetimeIndex,
        vals: np.ndarray,
        rows: np.ndarray,
        had24: np.ndarray,
        segments: list[int],
        long: _Long,
    ) -> tuple[pd.DataFrame, dict[str, int]]:
        """A long file whose interval length changes (e.g. 15 min, then 5 min): every row is
        read with the length of its own segment and summed into the coarsest interval, so
        every kWh is kept (``import.interval_changed``; module docstring)."""
        ns = inst.asi8
        uniq, inv = np.unique(ns, return_inverse=True)
        d = np.diff(uniq)
        seg = np.array(segments, dtype="int64")
        coarse_ns = int(seg.max())
        fallback = _modal(d)
        after = np.concatenate((d, [0]))
        before = np.concatenate(([0], d))
        own_start = np.where(
            np.isin(after, seg), after, np.where(np.isin(before, seg), before, fallback)
        )
        own_end = np.where(
            np.isin(before, seg), before, np.where(np.isin(after, seg), after, fallback)
        )
        self._infer_register(vals, ns)
        if not self._conv_fixed:
            if self.o.labels != "auto":
                self.label_convention, self.label_detected = self.o.labels, False
            else:
                first_min = int(own_end[0] // 60_000_000_000)
                self.label_convention = self._detect_convention(inst, had24, first_min, long)
                self.label_detected = True
        own = (own_end if self.label_convention == "end" else own_start)[inv]
        start = inst - pd.to_timedelta(own, unit="ns") if self.label_convention == "end" else inst
        # off-grid rows, per segment length
        wall = start.tz_localize(None).as_unit("ns").asi8
        off = np.zeros(len(start), dtype=bool)
        for g in np.unique(own):
            m = own == g
            phase = wall[m] % g
            off[m] = phase != _modal(phase)
        if off.any():
            self.warnings.append(
                _warn(
                    "import.irregular_steps",
                    int(off.sum()),
                    np.sort(rows[off]),
                    interval_minutes=int(coarse_ns // 60_000_000_000),
                )
            )
            start, vals, rows, own, wall = (
                start[~off],
                vals[~off],
                rows[~off],
                own[~off],
                wall[~off],
            )
        dup = start.duplicated(keep="first")
        n_dup = int(dup.sum())
        if n_dup:
            self.warnings.append(_warn("import.duplicates", n_dup, np.sort(rows[dup]), differing=0))
            start, vals, rows, own, wall = (
                start[~dup],
                vals[~dup],
                rows[~dup],
                own[~dup],
                wall[~dup],
            )
        fine = own < coarse_ns
        step_min = int(coarse_ns // 60_000_000_000)
        phase_c = _modal(wall[~fine] % coarse_ns) if (~fine).any() else 0
        if self.kind == "register":  # cumulative: the readings on the coarse grid keep it all
            on = (wall % coarse_ns) == phase_c
            start, kwh, out_rows = self._difference(start[on], vals[on], rows[on], coarse_ns)
            partial = 0
        else:
            if self.kind == "power":
                kwh_row = vals * POWER_UNITS[self.unit] * (own / 3.6e12)
            else:
                kwh_row = vals * ENERGY_UNITS[self.unit]
            bucket = start.asi8 - (wall - phase_c) % coarse_ns
            df = pd.DataFrame(
                {
                    "b": bucket,
                    "kwh": kwh_row,
                    "row": rows,
                    "cov": np.where(np.isnan(kwh_row), 0, own),
                }
            )
            g = df.groupby("b", sort=True)
            kwh = g["kwh"].sum(min_count=1).to_numpy()
            out_rows = g["row"].min().to_numpy()
            partial = int((g["cov"].sum().to_numpy() < coarse_ns).sum())
            start = pd.DatetimeIndex(
                pd.to_datetime(g["kwh"].sum().index.to_numpy(), utc=True)
            ).tz_convert(self.o.tz)
        finer = sorted({int(x // 60_000_000_000) for x in own[fine]})
        self.warnings.append(
            _warn(
                "import.interval_changed",
                int(fine.sum()),
                np.sort(rows[fine]),
                from_minutes=", ".join(str(m) for m in finer),
                interval_minutes=step_min,
                partial=partial,
            )
        )
        frame = self._finish(start, kwh, out_rows, step_min, long.time_header)
        return frame, {"step": step_min, "dups": n_dup}

    def _detect_convention(
        self, inst: pd.DatetimeIndex, had24: np.ndarray, step: int, long: _Long
    ) -> str:
        if self.kind == "register":
            return "end"
        header = getattr(self, "_time_header_text", "")
        if any(_has_word(header, w) for w in _END_WORDS):
            return "end"
        if any(_has_word(header, w) for w in _START_WORDS):
            return "start"
        if had24.any():
            return "end"
        first, last = inst[0], inst[-1]
        if long.stamps.aware and long.stamps.source_offset:  # the source's own wall clock
            tz = _offset_tz(long.stamps.source_offset)
            first, last = first.tz_convert(tz), last.tz_convert(tz)
        tod_first = first.hour * 60 + first.minute
        tod_last = last.hour * 60 + last.minute
        if tod_first == step and tod_last == 0 and first.second == 0 and last.second == 0:
            return "end"
        return "start"

    def _difference(
        self, start: pd.DatetimeIndex, vals: np.ndarray, rows: np.ndarray, step_ns: int
    ) -> tuple[pd.DatetimeIndex, np.ndarray, np.ndarray]:
        """Register readings → interval energy [kWh] (see the module docstring)."""
        d = np.diff(vals)
        contiguous = np.diff(start.asi8) == step_ns
        prev, cur = vals[:-1], vals[1:]
        drop = (d < 0) & contiguous
        roll = np.zeros_like(drop)
        if drop.any():
            with np.errstate(divide="ignore", invalid="ignore"):
                p = 10.0 ** (np.floor(np.log10(np.where(prev > 0, prev, 1.0))) + 1)
            corrected = cur + p - prev
            roll = drop & (prev >= 0.9 * p) & (cur >= 0) & (cur <= 0.1 * p) & (corrected <= 0.1 * p)
            d = np.where(roll, corrected, d)
            reset = drop & ~roll
            if roll.any():
                self.warnings.append(
                    _warn("import.register_rollover", int(roll.sum()), rows[1:][roll])
                )
            if reset.any():
                self.warnings.append(
                    _warn("import.register_reset", int(reset.sum()), rows[1:][reset])
                )
                d = np.where(reset, np.nan, d)
        d = np.where(contiguous, d, np.nan)
        kwh = d * ENERGY_UNITS[self.unit]
        # the energy between readings t[k-1] and t[k] belongs to the interval before t[k]
        return start[1:], kwh, rows[1:]


def _midnights(day_ns: np.ndarray, tz: str) -> tuple[np.ndarray, np.ndarray]:
    """UTC ns of local midnight starting and ending each naive day (a midnight that does
    not exist moves forward to the first instant of the day)."""
    days = pd.DatetimeIndex(day_ns.astype("datetime64[ns]"))
    flags = np.ones(len(days), dtype=bool)
    m0 = days.tz_localize(tz, ambiguous=flags, nonexistent="shift_forward").asi8
    m1 = (days + pd.Timedelta(days=1)).tz_localize(tz, ambiguous=flags, nonexistent="shift_forward")
    return m0, m1.asi8


def _offset_tz(offset: str) -> dt.timezone:
    sign = -1 if offset.startswith("-") else 1
    return dt.timezone(sign * dt.timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6])))


def _same_day_midnight(stamps: _Stamps) -> None:
    """Read ``D 00:00`` written right after ``D 23:45`` as ``D 24:00`` (in place).

    Some exports date the midnight that ends day D with D itself and list it last in D's
    block. When every midnight row (and there is at least one, not the first) directly
    follows the last interval of its own date in file order, those rows are moved one day
    on and marked as 24:00 labels (so the file is read end-labelled).
    """
    ns = stamps.values.to_numpy().astype("datetime64[ns]").astype("int64")
    if len(ns) < 3:
        return
    day = 86_400_000_000_000
    tod = ns % day
    mid = np.flatnonzero(tod == 0)
    if not len(mid) or mid[0] == 0:
        return
    d = np.diff(np.sort(ns))
    d = d[d > 0]
    if not len(d):
        return
    step = _modal(d)
    prev = ns[mid - 1]
    same_day_end = (prev // day == ns[mid] // day) & (prev % day == day - step)
    if same_day_end.all():
        fixed = ns.copy()
        fixed[mid] += day
        stamps.values = pd.Series(fixed.astype("datetime64[ns]"))
        had24 = stamps.had24.copy()
        had24[mid] = True
        stamps.had24 = had24


def _looks_like_register(v: np.ndarray) -> bool:
    """A cumulative register: never decreases except at a rollover (module docstring)."""
    if len(v) < 8:
        return False
    d = np.diff(v)
    rises = d[d > 0]
    if len(rises) < 0.5 * len(d):
        return False
    neg = np.flatnonzero(d < 0)
    for k in neg[:10]:
        prev, cur = v[k], v[k + 1]
        if prev <= 0:
            return False
        p = 10.0 ** (math.floor(math.log10(prev)) + 1)
        if not (prev >= 0.9 * p and 0 <= cur <= 0.1 * p):
            return False
    if len(neg) > 10:
        return False
    step = float(np.median(rises))
    return float(np.median(v)) >= 10 * step and float(v[0]) >= 20 * step


# --------------------------------------------------------------------------- reactive energy

_REACTIVE_WORDS = ("无功", "reactive", "kvar", "varh")
_NOT_REACTIVE_WORDS = ("功率因数", "因数", "power factor", "power_factor", "powerfactor", "cos")
_LEAD_WORDS = ("leading", "lead", "容性", "超前", "反向")
_REACTIVE_UNITS = {"mvarh": 1e3, "kvarh": 1.0, "varh": 1e-3, "mvar": 1e3, "kvar": 1.0, "var": 1e-3}
_REACTIVE_UNIT_RE = re.compile(r"(?<![a-z])(mvarh|kvarh|varh|mvar|kvar|var)(?![a-z])")


def _reactive_name(header: str) -> str | None:
    """``kvarh_lead`` / ``kvarh_lag`` for a reactive-energy or -power header, else None."""
    h = _norm_header(header)
    if not any(w in h for w in _REACTIVE_WORDS) or any(w in h for w in _NOT_REACTIVE_WORDS):
        return None
    return "kvarh_lead" if any(w in h for w in _LEAD_WORDS) else "kvarh_lag"


def _reactive_kind(header: str) -> str | None:
    """``"energy"`` (varh, 电量/电能) or ``"power"`` (var, 功率); None when the header says
    neither (the active column's kind then applies)."""
    h = _norm_header(header).replace("_", " ").replace(".", " ")
    m = _REACTIVE_UNIT_RE.search(h)
    if m:
        return "energy" if m.group(1).endswith("h") else "power"
    if "电量" in h or "电能" in h:
        return "energy"
    if "功率" in h:
        return "power"
    return None


def _reactive_unit(header: str) -> float:
    """Factor to kvarh (or kvar) of a reactive header's unit (1 when none is named)."""
    m = _REACTIVE_UNIT_RE.search(_norm_header(header).replace("_", " ").replace(".", " "))
    return _REACTIVE_UNITS[m.group(1)] if m else 1.0
