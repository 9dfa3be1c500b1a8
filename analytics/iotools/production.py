"""Production files → :class:`ProductionData`: runs, periodic output counts, machine-state logs.

The container work (encodings GBK/UTF-8, delimiters, title lines above the header, XLSX) is
:func:`analytics.iotools.raw.read_table`; this module only recognises columns and parses cells.
Every file becomes one table of **segments** — ``[start, end)`` windows of one line with the
units made in them — so alignment treats the three shapes alike:

=======  =======================================================  ===========================
layout   recognised columns (Chinese or English headers)          one segment per …
=======  =======================================================  ===========================
runs     line, start, end, units, [product], [movable]            run (row)
counts   timestamp, [line], units                                 row: [t, t + step)
states   timestamp, machine, state, items, [power kW | kWh]       row: [t, t + step), running
=======  =======================================================  ===========================

``step`` of a count or state log is the modal spacing of its timestamps (per line); a row's
timestamp marks the **start** of its window (``labels="end"`` reads it as the end). A
state-log row whose state is not a running word adds no production, but its power (when
given) still counts as that machine's energy: per-line energy is what the log's power column
measured, running or not.

Machine states
--------------
A state cell is read case-insensitively, and a number is normalised (``"1.0"``, ``" 1 "`` and
``"1"`` are the state ``"1"``). ``ProductionOptions.state_map`` (e.g.
``parse_state_map("1=running,2=stopped,3=stopped")``) maps a state to ``"running"`` or
``"stopped"`` and wins over the built-in words (:data:`RUNNING_WORDS`,
:data:`STOPPED_WORDS`). Without a map, numeric states the words do not cover (any but ``0``
and ``1``) raise ``production.state_codes``, naming the file, the column and the distinct codes
found: what a code means is the logger's convention, never guessed. With a map, a state that
is neither in the map nor a built-in word raises ``production.state_unmapped`` (the map was
given to say what each state means: a forgotten code would silently drop production time).
A text state that is no known word, without a map, keeps the warning
``production.unknown_state`` and counts as stopped.

Segments table (``ProductionData.segments``)
--------------------------------------------
=========  ===================  =====  =====================================================
column     dtype                unit   meaning
=========  ===================  =====  =====================================================
line       str                  —      production line or machine
start      datetime64[ns, tz]   —      segment start, site local time
end        datetime64[ns, tz]   —      segment end (exclusive), > start
units      float64              unit   units made in the segment (0 where missing)
product    str                  —      product name (``""`` when not given)
movable    bool                 —      the run may be moved by the load-shift scenario
row        int64                —      1-based source row, as a spreadsheet shows it
=========  ===================  =====  =====================================================

``line_kwh`` (state logs with a power column only): ``line, start, end, kwh`` — the energy
each machine drew in each window [kWh].
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from analytics.findings import DataWarning, InputError
from analytics.iotools.raw import FileReport, RawTable, read_table, source_bytes

MAX_ROWS = 2_000_000
LAYOUTS: tuple[str, ...] = ("runs", "counts", "states")

#: Known header spellings per role (lower-case, spaces/underscores removed when matched).
HEADERS: dict[str, tuple[str, ...]] = {
    "line": (
        "line",
        "productionline",
        "lineid",
        "linename",
        "产线",
        "线体",
        "生产线",
        "线别",
        "产线名称",
        "产线编号",
        "线体名称",
        "工段",
    ),
    "machine": (
        "machine",
        "machineid",
        "equipment",
        "device",
        "asset",
        "设备",
        "设备名称",
        "设备编号",
        "机台",
        "机台号",
        "机器",
    ),
    "start": (
        "start",
        "starttime",
        "begin",
        "begintime",
        "from",
        "runstart",
        "开始时间",
        "开始",
        "起始时间",
        "开工时间",
        "开机时间",
    ),
    "end": (
        "end",
        "endtime",
        "finish",
        "finishtime",
        "to",
        "runend",
        "结束时间",
        "结束",
        "截止时间",
        "完工时间",
        "停机时间",
    ),
    "units": (
        "units",
        "unit",
        "quantity",
        "qty",
        "output",
        "count",
        "pieces",
        "pcs",
        "parts",
        "items",
        "itemsperwindow",
        "goodparts",
        "产量",
        "数量",
        "件数",
        "产出",
        "产出数量",
        "计数",
        "完成数量",
        "合格数",
    ),
    "product": (
        "product",
        "sku",
        "productname",
        "item",
        "model",
        "产品",
        "产品名称",
        "品名",
        "型号",
        "物料",
    ),
    "movable": (
        "movable",
        "shiftable",
        "flexible",
        "canmove",
        "可移动",
        "可调",
        "可转移",
        "可调整",
        "可平移",
    ),
    "timestamp": (
        "timestamp",
        "time",
        "datetime",
        "date",
        "ts",
        "时间",
        "日期时间",
        "采集时间",
        "记录时间",
        "数据时间",
        "日期",
    ),
    "state": ("state", "status", "machinestate", "runstate", "状态", "运行状态", "设备状态"),
    "power": ("power", "powerkw", "kw", "activepower", "功率", "有功功率", "功率kw", "负荷"),
    "energy": ("kwh", "energy", "energykwh", "电量", "用电量", "能耗", "电量kwh"),
}

RUNNING_WORDS = frozenset({
    "run", "running", "on", "production", "producing", "busy", "active", "auto", "automatic",
    "working", "work", "1", "true", "yes", "运行", "生产", "运行中", "生产中", "开机", "加工",
    "加工中", "工作", "自动",
})  # fmt: skip
STOPPED_WORDS = frozenset({
    "stop", "stopped", "idle", "off", "down", "fault", "alarm", "error", "setup", "maintenance",
    "changeover", "standby", "blocked", "starved", "0", "false", "no", "停机", "待机", "空闲",
    "故障", "停止", "关机", "报警", "维修", "换模", "调机", "保养", "暂停",
})  # fmt: skip
_TRUE = frozenset({"true", "yes", "y", "1", "t", "是", "可", "可移动", "√", "movable"})
_FALSE = frozenset({"false", "no", "n", "0", "f", "否", "不可", "不可移动", "×", "fixed", ""})

#: Every warning code :func:`read_production` emits (i18n ``warning.<code>``).
WARNING_CODES: tuple[str, ...] = (
    "production.end_before_start", "production.overlap", "production.negative_units",
    "production.units_missing", "production.duplicates", "production.unknown_state",
)  # fmt: skip
#: Every error code :func:`read_production` raises (i18n ``error.<code>``), besides the
#: reader's ``import.*`` codes (empty, unreadable, too many rows).
ERROR_CODES: tuple[str, ...] = (
    "production.unknown_layout", "production.bad_timestamp", "production.bad_number",
    "production.bad_flag", "production.step_unknown", "production.bad_option",
    "production.state_codes", "production.state_unmapped", "production.bad_state_map",
)  # fmt: skip
#: What a ``state_map`` may map a state to.
STATE_MEANINGS: tuple[str, ...] = ("running", "stopped")
#: Distinct states named in a ``production.state_codes`` / ``state_unmapped`` message.
_STATES_SHOWN = 8
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$")


def normalise_state(text: object) -> str:
    """A state cell as the state map and the words see it: stripped, lower-case, a number
    without its trailing ``.0`` (``"1.0"`` → ``"1"``, ``"2.50"`` → ``"2.5"``)."""
    t = str(text).strip().lower()
    if _NUMBER.match(t):
        v = float(t)
        if math.isfinite(v):
            return str(int(v)) if v == int(v) else repr(v)
    return t


def parse_state_map(text: str, *, option: str = "state_map") -> dict[str, str]:
    """``"1=running,2=stopped,3=stopped"`` → ``{"1": "running", "2": "stopped", "3": "stopped"}``.

    Pairs ``state=meaning`` separated by ``,`` or ``;``; a meaning is ``running`` or
    ``stopped`` (any case); states are normalised like the cells (:func:`normalise_state`).
    Raises ``InputError("production.bad_state_map")`` naming the pair at fault for an empty
    text, a pair without ``=``, an empty state, another meaning or a state given twice with
    two meanings. ``option`` names the setting in the message (the CLI passes its flag).
    """
    pairs = [p.strip() for p in re.split(r"[,;]", str(text))]
    out: dict[str, str] = {}
    if not any(pairs):
        raise InputError(
            "production.bad_state_map",
            expected="state=running or state=stopped pairs, e.g. 1=running,2=stopped",
            option=option,
            pair=str(text),
        )
    for pair in pairs:
        if not pair:
            continue
        key, sep, value = pair.partition("=")
        state, meaning = normalise_state(key), value.strip().lower()
        if (
            not sep
            or not state
            or meaning not in STATE_MEANINGS
            or out.get(state, meaning) != meaning
        ):
            raise InputError(
                "production.bad_state_map",
                expected="state=running or state=stopped pairs, e.g. 1=running,2=stopped",
                option=option,
                pair=pair,
            )
        out[state] = meaning
    return out


def _check_state_map(state_map: Mapping[str, str] | None, file: str) -> dict[str, str] | None:
    """Validate ``ProductionOptions.state_map`` and normalise its keys (before any reading)."""
    if state_map is None:
        return None
    out: dict[str, str] = {}
    for key, value in dict(state_map).items():
        meaning = str(value).strip().lower()
        state = normalise_state(key)
        if not state or meaning not in STATE_MEANINGS or out.get(state, meaning) != meaning:
            raise InputError(
                "production.bad_state_map",
                file=file,
                expected="state=running or state=stopped pairs, e.g. 1=running,2=stopped",
                option="state_map",
                pair=f"{key}={value}",
            )
        out[state] = meaning
    if not out:
        raise InputError(
            "production.bad_state_map",
            file=file,
            expected="state=running or state=stopped pairs, e.g. 1=running,2=stopped",
            option="state_map",
            pair="",
        )
    return out


@dataclass(frozen=True, eq=False)
class ProductionData:
    """A production file normalised to segments (see module docstring).

    Attributes
    ----------
    layout : str
        ``"runs"``, ``"counts"`` or ``"states"``.
    segments : DataFrame
        Columns ``line, start, end, units, product, movable, row``, sorted by start.
    line_kwh : DataFrame or None
        ``line, start, end, kwh`` [kWh] per machine window (state logs with power).
    tz : str
    file_name : str
    step_minutes : int or None
        Window of a count or state log [min]; None for runs.
    columns : dict
        Role → source header that filled it.
    """

    layout: str
    segments: pd.DataFrame = field(repr=False)
    line_kwh: pd.DataFrame | None = field(repr=False)
    tz: str
    file_name: str
    step_minutes: int | None = None
    columns: dict[str, str] = field(default_factory=dict)

    @property
    def lines(self) -> list[str]:
        return sorted(self.segments["line"].unique().tolist())

    @property
    def start(self) -> pd.Timestamp:
        return self.segments["start"].min()

    @property
    def end(self) -> pd.Timestamp:
        return self.segments["end"].max()

    @property
    def units(self) -> float:
        return float(self.segments["units"].sum())


def _norm(h: str) -> str:
    h = h.strip().lower()
    h = re.sub(r"[（(].*?[)）]", "", h)  # 产量(件) → 产量, power (kW) → power
    return re.sub(r"[\s_\-./:]", "", h)


def _unit_hint(h: str) -> str | None:
    low = h.lower()
    if re.search(r"kwh|千瓦时|度", low):
        return "kwh"
    if re.search(r"(?<![a-z])kw(?![a-z])|千瓦", low):
        return "kw"
    return None


def _roles(header: list[str]) -> dict[str, int]:
    """Role → column index, first match wins; exact spellings before prefixes."""
    norm = [_norm(h) for h in header]
    found: dict[str, int] = {}
    for role, words in HEADERS.items():
        for i, n in enumerate(norm):
            if n in words and i not in found.values():
                found[role] = i
                break
    for role, words in HEADERS.items():  # 开始时间(本地) / start_time_local …
        if role in found:
            continue
        for i, n in enumerate(norm):
            if i not in found.values() and n and any(n.startswith(w) for w in words if len(w) > 1):
                found[role] = i
                break
    for i, h in enumerate(header):  # "kWh" / "kW" headers without a role word
        hint = _unit_hint(h)
        if hint == "kwh" and "energy" not in found and i not in found.values():
            found["energy"] = i
        elif hint == "kw" and "power" not in found and i not in found.values():
            found["power"] = i
    return found


_CN_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?")
_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})")


def parse_times(
    texts: pd.Series, rows: np.ndarray, *, file: str, column: str, tz: str
) -> pd.Series:
    """Cells → tz-aware local timestamps (raises ``production.bad_timestamp`` on the first bad cell).

    Accepts ISO 8601 (``2025-01-02 08:00[:00]``, ``T``, an offset), ``2025/1/2 8:00``,
    ``2025年1月2日 8:00``, ``d.m.Y``/``d/m/Y`` (day first when some first field exceeds 12),
    and Excel cells already rendered as text by the reader. Naive times are local in ``tz``;
    times with an offset are converted to ``tz``.
    """
    s = texts.astype(str).str.strip()
    if s.str.fullmatch(_ISO_PLAIN).all():  # the common export: nothing to rewrite (fast)
        parsed = pd.to_datetime(s, format="ISO8601", errors="coerce")
        _first_bad(parsed, texts, rows, file=file, column=column)
        return parsed.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT").pipe(
            _check_local, rows=rows, file=file, column=column, texts=texts
        )
    s = s.str.replace(_CN_DATE, lambda m: f"{m[1]}-{m[2]}-{m[3]}", regex=True)
    s = s.str.replace("/", "-", regex=False)
    dmy = s.str.extract(_DMY)
    dayfirst = bool(dmy[0].notna().any() and (pd.to_numeric(dmy[0], errors="coerce") > 12).any())
    if dmy[0].notna().any():
        order = (dmy[0], dmy[1]) if dayfirst else (dmy[1], dmy[0])
        iso = dmy[2] + "-" + order[1].str.zfill(2) + "-" + order[0].str.zfill(2)
        s = s.where(dmy[0].isna(), iso + s.str.replace(_DMY, "", regex=True))
    # zero-pad month/day/hour so the ISO parser takes "2025-1-2 8:00"
    s = s.str.replace(
        r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2}))?",
        lambda m: (
            f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}" + (f" {int(m[4]):02d}:{m[5]}" if m[4] else "")
        ),
        regex=True,
    )
    # 24:00 ends a day: read as 00:00 of the next
    h24 = s.str.contains(r"\s24:00(?::00)?$", regex=True)
    s = s.where(~h24, s.str.replace(r"\s24:00(:00)?$", " 00:00", regex=True))
    has_offset = s.str.contains(r"(?:Z|[+-]\d{2}:?\d{2})$", regex=True)
    parsed = pd.to_datetime(s, format="ISO8601", errors="coerce", utc=bool(has_offset.any()))
    _first_bad(parsed, texts, rows, file=file, column=column)
    if h24.any():
        parsed = parsed.where(~h24, parsed + pd.Timedelta(days=1))
    if has_offset.any():
        if not has_offset.all():
            i = int(np.flatnonzero(~has_offset.to_numpy())[0])
            raise InputError(
                "production.bad_timestamp",
                file=file,
                row=int(rows[i]),
                column=column,
                expected="every time with a UTC offset, or none",
                text=texts.iloc[i],
            )
        return parsed.dt.tz_convert(tz)
    return parsed.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT").pipe(
        _check_local, rows=rows, file=file, column=column, texts=texts
    )


#: ``2025-01-02 08:00[:00]`` (or ``T``), hours 00–23, no offset: read as it is.
_ISO_PLAIN = r"\d{4}-\d{2}-\d{2}[ T](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?"


def _first_bad(
    parsed: pd.Series,
    texts: pd.Series,
    rows: np.ndarray,
    *,
    file,
    column,
    expected: str = "a date and time such as 2025-01-02 08:00",
) -> None:
    """``production.bad_timestamp`` naming the first cell that did not become a time."""
    bad = parsed.isna().to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            "production.bad_timestamp",
            file=file,
            row=int(rows[i]),
            column=column,
            expected=expected,
            text=texts.iloc[i],
        )


def _check_local(parsed: pd.Series, *, rows, file, column, texts) -> pd.Series:
    _first_bad(
        parsed,
        texts,
        rows,
        file=file,
        column=column,
        expected="a local time that exists once (daylight saving)",
    )
    return parsed


def parse_numbers(
    texts: pd.Series, rows: np.ndarray, *, file: str, column: str, decimal_comma: bool = False
) -> np.ndarray:
    """Cells → float64; empty → NaN; anything else not a number raises ``production.bad_number``."""
    s = texts.astype(str).str.strip().str.replace(r"[\s\u00a0]", "", regex=True)
    if decimal_comma:
        s = s.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        s = s.str.replace(",", "", regex=False)
    empty = s.isin(["", "-", "--", "nan", "NaN", "null", "NULL", "/"])
    vals = pd.to_numeric(s.where(~empty, "nan"), errors="coerce").to_numpy(dtype=float)
    bad = np.isnan(vals) & ~empty.to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            "production.bad_number",
            file=file,
            row=int(rows[i]),
            column=column,
            expected="a number",
            text=texts.iloc[i],
        )
    return vals


def _flags(texts: pd.Series, rows: np.ndarray, *, file: str, column: str) -> np.ndarray:
    low = texts.astype(str).str.strip().str.lower()
    out = low.isin(_TRUE).to_numpy()
    bad = ~(out | low.isin(_FALSE).to_numpy())
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            "production.bad_flag",
            file=file,
            row=int(rows[i]),
            column=column,
            expected="True/False, yes/no, 1/0 or 是/否",
            text=texts.iloc[i],
        )
    return out


def _distinct(values: pd.Series) -> list[str]:
    """Distinct values, numbers in numeric order, then text."""
    vals = sorted(set(values.astype(str)))
    return sorted(vals, key=lambda v: (0, float(v), v) if _NUMBER.match(v) else (1, 0.0, v))


def _few(values: pd.Series) -> str:
    """Up to :data:`_STATES_SHOWN` distinct values, comma-separated, "…" when there are more."""
    vals = _distinct(values)
    more = ", …" if len(vals) > _STATES_SHOWN else ""
    return ", ".join(vals[:_STATES_SHOWN]) + more


def _warn(code: str, mask: np.ndarray, rows: np.ndarray, **params) -> DataWarning:
    hit = rows[mask]
    return DataWarning(
        code, count=int(mask.sum()), first_rows=tuple(int(r) for r in hit[:5]), params=params
    )


def _step_minutes(starts: pd.Series, keys: pd.Series, *, file: str) -> int:
    """Modal spacing of timestamps within each key [min]."""
    frame = pd.DataFrame({"k": keys.to_numpy(), "t": starts.to_numpy()}).sort_values(["k", "t"])
    d = frame.groupby("k")["t"].diff().dropna()
    d = d[d > pd.Timedelta(0)]
    if d.empty:
        raise InputError(
            "production.step_unknown",
            file=file,
            expected="at least two timestamps per line or machine",
        )
    return max(1, int(round(d.dt.total_seconds().mode().iloc[0] / 60)))


@dataclass(frozen=True)
class ProductionOptions:
    """How to read a production file.

    Attributes
    ----------
    tz : str
        Site time zone; naive times are local in it.
    labels : {"start", "end"}
        Whether a count/state-log timestamp marks its window's start or end.
    movable_lines : tuple of str
        Lines whose runs are movable even when the file has no ``movable`` column.
    max_rows : int
        Row cap (``import.too_many_rows`` beyond it).
    state_map : mapping of str to str, optional
        State-log state (as in the file; numbers normalised, ``"1.0"`` = ``"1"``) →
        ``"running"`` or ``"stopped"``; wins over the built-in words. Needed for numeric
        state codes (``production.state_codes`` without it); with it, a state neither
        mapped nor a known word raises ``production.state_unmapped``. Build it from text
        with :func:`parse_state_map` (``"1=running,2=stopped,3=stopped"``).
    """

    tz: str = "Asia/Shanghai"
    labels: str = "start"
    movable_lines: tuple[str, ...] = ()
    max_rows: int = MAX_ROWS
    state_map: Mapping[str, str] | None = None


def read_production(
    source: str | Path | bytes | BinaryIO,
    *,
    file_name: str | None = None,
    options: ProductionOptions | None = None,
) -> tuple[ProductionData, FileReport]:
    """Read a production file (runs, periodic counts or a machine-state log).

    Parameters
    ----------
    source : path, bytes or binary file
        CSV (UTF-8, UTF-8-BOM, GBK/GB18030; ``,`` ``;`` or tab) or XLSX.
    file_name : str, optional
        Name used in messages (default: the path's name).
    options : ProductionOptions, optional
        Site zone, label convention, movable lines, row cap.

    Returns
    -------
    data : ProductionData
    report : FileReport
        ``layout``, ``rows_read`` and the named findings (``warnings``).

    Raises
    ------
    InputError
        ``production.*`` (see :data:`ERROR_CODES`) or the reader's ``import.*`` codes, with
        the file, 1-based row and column and what was expected.
    """
    opts = options or ProductionOptions()
    labels, tz = opts.labels, opts.tz
    data, name = source_bytes(source, file_name, "production")
    if labels not in ("start", "end"):
        raise InputError(
            "production.bad_option",
            file=name,
            expected="start or end",
            option="labels",
            value=labels,
        )
    state_map = _check_state_map(opts.state_map, name)
    table = read_table(data, file_name=name, max_rows=opts.max_rows)
    roles = _roles(table.header)
    decimal_comma = table.delimiter == ";"
    if "start" in roles and "end" in roles:
        layout = "runs"
    elif "timestamp" in roles and "state" in roles:
        layout = "states"
    elif "timestamp" in roles and "units" in roles:
        layout = "counts"
    elif "start" in roles and "units" in roles:  # "start" spelled as the timestamp of a count
        roles["timestamp"] = roles.pop("start")
        layout = "counts"
    else:
        raise InputError(
            "production.unknown_layout",
            file=name,
            row=table.header_row,
            expected="runs (line, start, end, units), output counts (timestamp, units) or a "
            "machine-state log (timestamp, machine, state, items)",
            columns=", ".join(h for h in table.header if h),
        )
    reader = _Reader(table, name, tz, roles, decimal_comma, labels, tuple(opts.movable_lines))
    reader.state_map = state_map
    prod, warnings = reader.run(layout)
    return prod, FileReport(
        file_name=name, layout=layout, rows_read=len(table.rows), warnings=warnings
    )


class _Reader:
    def __init__(
        self,
        table: RawTable,
        name: str,
        tz: str,
        roles: dict[str, int],
        decimal_comma: bool,
        labels: str,
        movable_lines: tuple[str, ...],
    ) -> None:
        self.t, self.name, self.tz, self.roles = table, name, tz, roles
        self.decimal_comma, self.labels, self.movable_lines = decimal_comma, labels, movable_lines
        self.rows = table.rows
        self.warnings: list[DataWarning] = []
        self.state_map: dict[str, str] | None = None

    def col(self, role: str) -> pd.Series:
        return self.t.cells[self.roles[role]]

    def head(self, role: str) -> str:
        return self.t.header[self.roles[role]] or f"column {self.roles[role] + 1}"

    def times(self, role: str) -> pd.Series:
        return parse_times(
            self.col(role), self.rows, file=self.name, column=self.head(role), tz=self.tz
        )

    def numbers(self, role: str) -> np.ndarray:
        return parse_numbers(
            self.col(role),
            self.rows,
            file=self.name,
            column=self.head(role),
            decimal_comma=self.decimal_comma,
        )

    def text(self, role: str, default: str = "") -> pd.Series:
        if role not in self.roles:
            return pd.Series([default] * len(self.rows), dtype=object)
        return self.col(role).astype(str).str.strip()

    def units(self, role: str = "units") -> np.ndarray:
        if role not in self.roles:
            return np.zeros(len(self.rows))
        u = self.numbers(role)
        missing = np.isnan(u)
        if missing.any():
            self.warnings.append(
                _warn("production.units_missing", missing, self.rows, column=self.head(role))
            )
        neg = u < 0
        if neg.any():
            self.warnings.append(
                _warn("production.negative_units", neg, self.rows, column=self.head(role))
            )
        return np.where(missing | neg, 0.0, u)

    def movable(self, lines: pd.Series) -> np.ndarray:
        flag = (
            _flags(self.col("movable"), self.rows, file=self.name, column=self.head("movable"))
            if "movable" in self.roles
            else np.zeros(len(self.rows), dtype=bool)
        )
        return flag | lines.isin(self.movable_lines).to_numpy()

    def windows(self, stamps: pd.Series, keys: pd.Series) -> tuple[pd.Series, pd.Series, int]:
        step = _step_minutes(stamps, keys, file=self.name)
        delta = pd.Timedelta(minutes=step)
        start = stamps - delta if self.labels == "end" else stamps
        return start, start + delta, step

    def run(self, layout: str) -> tuple[ProductionData, list[DataWarning]]:
        line_kwh = None
        step = None
        if layout == "runs":
            line = (
                self.text("line", "site") if "line" in self.roles else self.text("machine", "site")
            )
            start, end = self.times("start"), self.times("end")
            units = self.units()
        elif layout == "counts":
            key = "line" if "line" in self.roles else "machine"
            line = self.text(key, "site")
            stamps = self.times("timestamp")
            start, end, step = self.windows(stamps, line)
            units = self.units()
        else:
            key = "machine" if "machine" in self.roles else "line"
            line = self.text(key, "site")
            stamps = self.times("timestamp")
            start, end, step = self.windows(stamps, line)
            running, unknown = self.states()
            if unknown.any():
                self.warnings.append(
                    _warn(
                        "production.unknown_state",
                        unknown,
                        self.rows,
                        column=self.head("state"),
                        states=", ".join(sorted(set(self.text("state")[unknown]))[:5]),
                    )
                )
            units = self.units("units")
            line_kwh = self._line_energy(line, start, end, step)
            keep = running
            line, start, end, units = line[keep], start[keep], end[keep], units[keep]
            self.rows = self.rows[keep]
        seg = pd.DataFrame(
            {
                "line": line.to_numpy(dtype=object),
                "start": start.to_numpy() if layout != "runs" else start.array,
                "end": end.to_numpy() if layout != "runs" else end.array,
                "units": np.asarray(units, dtype=float),
                "product": (
                    self.text("product")[self._keep_mask(layout)]
                    if "product" in self.roles
                    else pd.Series([""] * len(line))
                ).to_numpy(dtype=object),
                "movable": (
                    self.movable(line)
                    if layout == "runs"
                    else line.isin(self.movable_lines).to_numpy()
                ),
                "row": np.asarray(self.rows, dtype=np.int64),
            }
        )
        # tz-aware also when empty (a state log that never ran): an empty object column
        # would be naive and break every comparison with the meter's aware index
        aware = f"datetime64[ns, {self.tz}]"
        for c in ("start", "end"):
            seg[c] = (
                pd.DatetimeIndex(seg[c]).tz_convert(self.tz)
                if len(seg)
                else pd.DatetimeIndex([], dtype=aware)
            )
        seg = self._checks(seg, layout)
        cols = {role: self.head(role) for role in self.roles}
        data = ProductionData(
            layout=layout,
            segments=seg,
            line_kwh=line_kwh,
            tz=self.tz,
            file_name=self.name,
            step_minutes=step,
            columns=cols,
        )
        return data, self.warnings

    def states(self) -> tuple[np.ndarray, np.ndarray]:
        """Running and unknown masks of the state column (see "Machine states" above).

        Raises ``production.state_unmapped`` (a map given, a state outside it and the words)
        or ``production.state_codes`` (no map, numeric codes beyond 0/1), at the first such
        row, with the distinct states found.
        """
        raw = self.text("state")
        state = raw.map(normalise_state)
        smap = self.state_map or {}
        mapped = state.map(smap).to_numpy(dtype=object) if smap else np.full(len(state), None)
        has_map = pd.notna(mapped)
        running = np.where(has_map, mapped == "running", state.isin(RUNNING_WORDS).to_numpy())
        unknown = ~(has_map | state.isin(RUNNING_WORDS | STOPPED_WORDS).to_numpy())
        col = self.head("state")
        if self.state_map is not None and unknown.any():
            i = int(np.flatnonzero(unknown)[0])
            raise InputError(
                "production.state_unmapped",
                file=self.name,
                row=int(self.rows[i]),
                column=col,
                expected="every state in the state map, or a running/stopped word",
                states=_few(state[unknown]),
                text=raw.iloc[i],
            )
        is_number = state.map(lambda v: bool(_NUMBER.match(v))).to_numpy(dtype=bool)
        if (is_number & unknown).any():
            i = int(np.flatnonzero(is_number & unknown)[0])
            codes = _distinct(state[is_number])
            suggestion = ",".join(
                f"{c}={'running' if k == 0 else 'stopped'}" for k, c in enumerate(codes[:3])
            )
            raise InputError(
                "production.state_codes",
                file=self.name,
                row=int(self.rows[i]),
                column=col,
                expected="a state map saying which codes mean running",
                states=_few(state[is_number]),
                suggestion=suggestion,
                text=raw.iloc[i],
            )
        return running.astype(bool), unknown

    def _keep_mask(self, layout: str) -> np.ndarray:
        if layout != "states":
            return np.ones(len(self.t.rows), dtype=bool)
        return np.isin(self.t.rows, self.rows)

    def _line_energy(self, line, start, end, step) -> pd.DataFrame | None:
        if "energy" in self.roles:
            kwh = self.numbers("energy")
        elif "power" in self.roles:
            hint = _unit_hint(self.head("power"))
            kwh = self.numbers("power") * (1.0 if hint == "kwh" else step / 60.0)
        else:
            return None
        return pd.DataFrame(
            {
                "line": line.to_numpy(dtype=object),
                "start": start.to_numpy(),
                "end": end.to_numpy(),
                "kwh": np.where(np.isnan(kwh), 0.0, kwh),
            }
        )

    def _checks(self, seg: pd.DataFrame, layout: str) -> pd.DataFrame:
        rows = seg["row"].to_numpy()
        bad = (seg["end"] <= seg["start"]).to_numpy()
        if bad.any():
            self.warnings.append(_warn("production.end_before_start", bad, rows))
            seg = seg.loc[~bad]
        dup = seg.duplicated(subset=["line", "start", "end", "units", "product"]).to_numpy()
        if dup.any():
            self.warnings.append(_warn("production.duplicates", dup, seg["row"].to_numpy()))
            seg = seg.loc[~dup]
        seg = seg.sort_values(["start", "line", "row"], kind="stable").reset_index(drop=True)
        if layout == "runs" and len(seg):
            by = seg.sort_values(["line", "start"], kind="stable")
            prev_end = by.groupby("line")["end"].cummax().groupby(by["line"]).shift(1)
            over = (by["start"] < prev_end).to_numpy()
            if over.any():
                self.warnings.append(
                    _warn(
                        "production.overlap",
                        over,
                        by["row"].to_numpy(),
                        lines=", ".join(sorted(set(by["line"][over]))),
                    )
                )
        return seg
