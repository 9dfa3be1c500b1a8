"""PV and weather files: a measured PV series and an EPW/TMY3 weather file.

Both follow the reader contract of :mod:`analytics.iotools` — ``(data, report)``:

- :func:`read_pv` reads a PV export with :func:`analytics.iotools.load.read_load` (W/kW/kWh,
  fixed UTC offsets, the importer's gap report), then clips small negative night values
  (inverter tare) to zero with the warning ``pv.negative_clipped`` in the report — the one
  negative-value finding of a PV file (the importer's ``import.negative``, "kept as they are",
  is dropped from the PV report: for PV they are not kept). Last, :func:`plausibility`
  checks the unit and the zone (below).
- :func:`read_weather` reads hourly irradiance, air temperature and wind with ``pvlib.iotools``.

Putting a PV series on a load's grid and modelling PV live in :mod:`analytics.green.pv`.

Plausibility (warnings, the series is kept as read)
---------------------------------------------------
``pv.unit_suspect`` — the unit guessed from the magnitude. ``peak_kw`` = the largest interval
average power [kW], ``max_daily_kwh`` = the largest local-day sum [kWh]. With the site's
``kwp`` declared: suspect when ``peak_kw > 1.5 × kwp`` (:data:`PEAK_PER_KWP_MAX`; 15-min AC power
stays below 1.0–1.2 × kWp, cloud enhancement included), suggesting the unit 1000× smaller (kW →
W, kWh → Wh, MW → kW), or ``peak_kw < 0.01 × kwp`` (:data:`PEAK_PER_KWP_MIN`: no series with a
sunny hour peaks below 1 % of its size), suggesting the unit 1000× larger (W → kW, kW → MW).
Without ``kwp``: suspect when ``max_daily_kwh > 1,000,000`` (a 100 MWp site at 10 kWh/kWp on its
best day, :data:`MAX_DAILY_KWH`), or when the values were read in kW/kWh and ``peak_kw ≥
1,000`` (:data:`KW_LABEL_PEAK_MAX`: a peak "in the thousands" labelled kW is far more often a
watt export than a multi-MWp site — declaring ``kwp`` silences it for a real one), or read in
MW/MWh and ``peak_kw < 1`` (:data:`MW_LABEL_PEAK_MIN`). A unit with no neighbour in the
suggested direction (W too large, MW too small with ``kwp``) is not flagged.

``pv.zone_suspect`` — the zone checked by when generation peaks: the centre of generation is
the circular mean, weighted by interval energy, of each interval's midpoint in local
**standard** time (clock time minus the DST offset, so 13:00 under DST is 12:00); it must lie
within solar noon 12:00 ± 2 h (:data:`NOON_TOLERANCE_H`) — the zone only, no longitude (China
east of 110° E has solar noon within 12:00 ± 0:40). Outside it, the warning names the hour found
and a UTC offset, rounded to the hour: with offsets in the file (the instants hold) the site
zone that puts the centre at noon, and the file's own offset instead when within 2 h of it (a
foreign logger's offset read into the site's zone); with naive times, the zone whose clock the
labels follow (a UTC logger read as Asia/Shanghai centres on 04:00 → UTC; naive times are local
in the one ``tz`` option, so such a file reads right only once its times are converted). Checked only with at least one day of data and
some generation.
"""

from __future__ import annotations

import io
import math
import re
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from analytics.findings import DataWarning, InputError
from analytics.iotools.load import ImportOptions, ImportReport, read_load
from analytics.iotools.raw import FileReport, source_bytes

#: Largest plausible peak interval power per declared kWp [kW/kWp].
PEAK_PER_KWP_MAX = 1.5
#: Smallest plausible peak interval power per declared kWp [kW/kWp].
PEAK_PER_KWP_MIN = 0.01
#: Largest plausible daily PV energy without a declared size: 100 MWp × 10 kWh/kWp [kWh].
MAX_DAILY_KWH = 1_000_000.0
#: Peak [kW] from which values read in kW/kWh are suspect without a declared size.
KW_LABEL_PEAK_MAX = 1_000.0
#: Peak [kW] under which values read in MW/MWh are suspect without a declared size.
MW_LABEL_PEAK_MIN = 1.0
#: Half-width of the window around 12:00 local standard time for the centre of generation [h].
NOON_TOLERANCE_H = 2.0
#: Every warning code :func:`read_pv` adds to the importer's (i18n ``warning.<code>``).
WARNING_CODES: tuple[str, ...] = ("pv.negative_clipped", "pv.unit_suspect", "pv.zone_suspect")

_SMALLER = {"kW": "W", "kWh": "Wh", "MW": "kW", "MWh": "kWh"}
_LARGER = {"W": "kW", "Wh": "kWh", "kW": "MW", "kWh": "MWh"}


def clip_negative(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[DataWarning]]:
    """Clip negative PV energy (inverter tare at night) to 0 [kWh].

    Returns a new frame and, when any value was negative, ``pv.negative_clipped`` with the
    number of intervals and the clipped energy ``kwh`` (a positive number) in its params.
    """
    kwh = frame["kwh"]
    neg = kwh < 0
    n = int(neg.sum())
    if not n:
        return frame, []
    out = frame.copy()
    out.loc[neg, "kwh"] = 0.0
    clipped = float(-kwh[neg].sum())
    return out, [DataWarning("pv.negative_clipped", n, params={"kwh": round(clipped, 3)})]


def _max_daily_kwh(idx: pd.DatetimeIndex, kwh: np.ndarray) -> float:
    """The largest sum of a local calendar day [kWh] (days with no value left out).

    A sorted index (a canonical frame's) is summed per day in one ``reduceat`` over the
    wall-clock day numbers; otherwise per day with pandas (its compensated sum: the two
    agree to rounding, far below the 3 decimals the finding shows)."""
    wall = idx.tz_localize(None) if idx.tz is not None else idx
    if not wall.is_monotonic_increasing:
        local = wall.normalize()
        return float(pd.Series(kwh, index=local).groupby(level=0).sum(min_count=1).max())
    day = wall.as_unit("ns").asi8 // 86_400_000_000_000
    starts = np.concatenate([[0], np.flatnonzero(day[1:] != day[:-1]) + 1])
    ok = np.isfinite(kwh)
    sums = np.add.reduceat(np.where(ok, kwh, 0.0), starts)
    seen = np.add.reduceat(ok.astype(np.int64), starts) > 0
    return float(sums[seen].max()) if seen.any() else float("nan")


def _unit_warning(
    frame: pd.DataFrame, unit: str, minutes: int, kwp: float | None
) -> DataWarning | None:
    """``pv.unit_suspect`` when the magnitude does not fit the unit (module docstring)."""
    kwh = frame["kwh"].to_numpy(dtype=float)
    if not np.isfinite(kwh).any() or not np.nanmax(kwh) > 0:
        return None
    peak_kw = float(np.nanmax(kwh)) / (minutes / 60.0)
    max_daily_kwh = _max_daily_kwh(pd.DatetimeIndex(frame.index), kwh)
    suggested = None
    if kwp is not None:
        low_kw, high_kw = PEAK_PER_KWP_MIN * kwp, PEAK_PER_KWP_MAX * kwp
        if peak_kw > high_kw:
            suggested = _SMALLER.get(unit)
        elif peak_kw < low_kw:
            suggested = _LARGER.get(unit)
    else:
        low_kw, high_kw = 0.0, MAX_DAILY_KWH / 10.0
        if max_daily_kwh > MAX_DAILY_KWH:
            suggested = _SMALLER.get(unit)
        elif unit in ("kW", "kWh") and peak_kw >= KW_LABEL_PEAK_MAX:
            high_kw, suggested = KW_LABEL_PEAK_MAX, _SMALLER[unit]
        elif unit in ("MW", "MWh") and peak_kw < MW_LABEL_PEAK_MIN:
            low_kw, suggested = MW_LABEL_PEAK_MIN, _LARGER[unit]
    if suggested is None:
        return None
    return DataWarning(
        "pv.unit_suspect",
        count=1,
        params={
            "unit": unit,
            "suggested": suggested,
            "peak_kw": round(peak_kw, 3),
            "max_daily_kwh": round(max_daily_kwh, 3),
            "kwp": kwp,
            "low_kw": round(low_kw, 3),
            "high_kw": round(high_kw, 3),
        },
    )


def _offset_text(hours: float) -> str:
    sign = "+" if hours >= 0 else "−"
    m = int(round(abs(hours) * 60))
    return f"UTC{sign}{m // 60:02d}:{m % 60:02d}"


def _zone_for(hours: int) -> str:
    """An IANA name for a whole-hour UTC offset (``Etc/GMT+7`` is UTC−7; China for +8)."""
    if hours == 8:
        return "Asia/Shanghai"
    if hours == 0:
        return "UTC"
    return f"Etc/GMT{'-' if hours > 0 else '+'}{abs(hours)}"


def _source_offset_hours(text: str | None) -> float | None:
    m = re.fullmatch(r"\s*(?:UTC)?([+-−])(\d{1,2}):?(\d{2})?\s*", text or "")
    if not m:
        return 0.0 if (text or "").strip().upper() in ("Z", "UTC", "+00:00") else None
    sign = -1.0 if m[1] in "-−" else 1.0
    return sign * (int(m[2]) + int(m[3] or 0) / 60.0)


def _zone_warning(
    frame: pd.DataFrame, minutes: int, tz: str, source_offset: str | None
) -> DataWarning | None:
    """``pv.zone_suspect`` when the centre of generation is not near noon (module docstring)."""
    idx = pd.DatetimeIndex(frame.index)
    kwh = np.nan_to_num(frame["kwh"].to_numpy(dtype=float), nan=0.0)
    w = np.clip(kwh, 0.0, None)
    if len(idx) < 2 or idx.tz is None or not w.sum() > 0:
        return None
    epoch_s = idx.as_unit("s").asi8  # (an index's own Timestamps cost ≈ 50 ms here)
    if int(epoch_s[-1] - epoch_s[0]) + 60 * minutes < 86_400:
        return None
    # the years of a complete grid: every year from the first interval's to the last's
    years = range(int(idx.min().year), int(idx.max().year) + 1)
    std_h = min(
        pd.Timestamp(f"{y}-{m}-01 12:00", tz=idx.tz).utcoffset().total_seconds() / 3600.0
        for y in years
        for m in (1, 7)
    )
    # each interval's midpoint in local standard time [h]: UTC + the zone's standard offset
    # (the UTC hour and minute of each start, from its epoch minute: floor, as .hour/.minute)
    utc_minute = np.floor_divide(epoch_s, 60) % 1440
    utc_h = utc_minute.astype(float) / 60.0 + minutes / 120.0
    std_clock = np.mod(utc_h + std_h, 24.0)
    ang = 2.0 * math.pi * std_clock / 24.0
    centre = math.degrees(
        math.atan2(float(np.sum(w * np.sin(ang))), float(np.sum(w * np.cos(ang))))
    )
    centre /= 15.0
    centre = centre % 24.0
    off_noon = (centre - 12.0 + 12.0) % 24.0 - 12.0  # signed, in [−12, 12)
    if abs(off_noon) <= NOON_TOLERANCE_H:
        return None
    # aware times (an offset in the file): the instants hold, the site's zone is off by the
    # miss; naive times: the labels are the clock of a zone off the other way
    implied = std_h - off_noon if source_offset else std_h + off_noon
    implied = (implied + 12.0) % 24.0 - 12.0  # wrapped to [−12, 12)
    suggested_h = int(round(implied))
    src = _source_offset_hours(source_offset)
    if src is not None and abs(((src - implied + 12.0) % 24.0) - 12.0) <= NOON_TOLERANCE_H:
        suggested_h = int(round(src)) if float(src).is_integer() else suggested_h
    hh = int(centre) % 24
    mm = int(round((centre - int(centre)) * 60.0))
    if mm == 60:
        hh, mm = (hh + 1) % 24, 0
    return DataWarning(
        "pv.zone_suspect",
        count=1,
        params={
            "hour": f"{hh:02d}:{mm:02d}",
            "tz": tz,
            "suggested_tz": _zone_for(suggested_h),
            "suggested_offset": _offset_text(suggested_h),
            "source_offset": source_offset or "",
        },
    )


def plausibility(
    frame: pd.DataFrame, report: ImportReport, *, kwp: float | None = None
) -> list[DataWarning]:
    """``pv.unit_suspect`` and ``pv.zone_suspect`` for a PV frame as read (module docstring).

    Parameters
    ----------
    frame : DataFrame
        Canonical PV frame (``kwh`` [kWh] per interval, tz-aware interval-start index).
    report : ImportReport
        Its import report (the unit read, the interval, the zone and the file's offset).
    kwp : float, optional
        The site's declared PV size [kWp].
    """
    out = []
    unit = _unit_warning(frame, report.unit, report.interval_minutes, kwp)
    if unit is not None:
        out.append(unit)
    zone = _zone_warning(frame, report.interval_minutes, report.tz, report.source_offset)
    if zone is not None:
        out.append(zone)
    return out


def read_pv(
    source: str | Path | bytes | BinaryIO,
    *,
    file_name: str | None = None,
    options: ImportOptions | None = None,
    kwp: float | None = None,
) -> tuple[pd.DataFrame, ImportReport]:
    """Read a measured PV series: the importer, negative values clipped, plausibility checked.

    Parameters
    ----------
    source : path, bytes or binary file
        Any export :func:`analytics.iotools.load.read_load` accepts.
    file_name : str, optional
    options : ImportOptions, optional
        E.g. ``ImportOptions(tz="Etc/GMT+7", unit="W")`` for AC power in watts.
    kwp : float, optional
        The site's PV size [kWp] (DC nameplate), for the unit check; > 0 and ≤ 10,000,000.

    Returns
    -------
    frame : DataFrame
        Canonical frame of PV energy [kWh], ≥ 0, NaN where missing.
    report : ImportReport
        The importer's report: its warnings include gaps and, after them,
        ``pv.negative_clipped`` when negative values were set to 0 (the importer's
        ``import.negative`` is removed: one message, the clip), then ``pv.unit_suspect``
        and ``pv.zone_suspect`` (module docstring).

    Raises
    ------
    InputError
        The importer's codes; ``pv.bad_parameter`` for a ``kwp`` not in (0, 10,000,000].
    """
    if kwp is not None and not (
        isinstance(kwp, int | float) and math.isfinite(kwp) and 0 < kwp <= 1e7
    ):
        raise InputError(
            "pv.bad_parameter",
            file=file_name,
            expected="a PV size in kWp above 0 and at most 10,000,000",
            parameter="kwp",
            value=kwp,
        )
    frame, report = read_load(source, file_name=file_name, options=options)
    negative = [w for w in report.warnings if w.code == "import.negative"]
    frame, warnings = clip_negative(frame)
    if negative and warnings:  # one message: the importer's rows and lowest value join the clip
        clip = warnings[0]
        warnings = [
            DataWarning(
                clip.code,
                clip.count,
                first_rows=negative[0].first_rows,
                params={**clip.params, "min_kwh": negative[0].params.get("min_kwh")},
            )
        ]
    report.warnings[:] = [w for w in report.warnings if w.code != "import.negative"]
    report.warnings.extend(warnings)
    report.warnings.extend(plausibility(frame, report, kwp=kwp))
    return frame, report


def read_weather(
    source: str | Path | bytes | BinaryIO,
    *,
    file_name: str | None = None,
    options: None = None,
) -> tuple[pd.DataFrame, FileReport]:
    """Hourly weather (ghi, dni, dhi [W/m²], temp_air [°C], wind_speed [m/s]) from EPW or TMY3.

    The index is pvlib's: the hour **start** of each hour-ending record, tz-aware (the file's
    fixed offset); ``attrs`` hold the file's latitude and longitude. ``options`` is reserved
    (the reader contract); nothing is configurable yet. Raises ``InputError``
    ``pv.weather_unreadable``.
    """
    from pvlib import iotools

    data, file_name = source_bytes(source, file_name)
    text = data.decode("utf-8", errors="replace")
    try:
        if file_name.lower().endswith(".epw") or text.startswith("LOCATION"):
            df, meta = iotools.read_epw(io.StringIO(text))
        else:
            df, meta = iotools.read_tmy3(io.StringIO(text), map_variables=True)
        cols = ["ghi", "dni", "dhi", "temp_air", "wind_speed"]
        out = df[cols].astype(float)
    except Exception as exc:  # pvlib raises many types on a malformed file
        raise InputError(
            "pv.weather_unreadable",
            file=file_name,
            expected="an EPW or TMY3 file",
            detail=type(exc).__name__,
        ) from exc
    out.attrs["latitude"] = float(meta.get("latitude", float("nan")))
    out.attrs["longitude"] = float(meta.get("longitude", float("nan")))
    layout = "epw" if file_name.lower().endswith(".epw") or text.startswith("LOCATION") else "tmy3"
    return out, FileReport(file_name=file_name, layout=layout, rows_read=len(out))
