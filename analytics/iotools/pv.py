"""PV and weather files: a measured PV series and an EPW/TMY3 weather file.

Both follow the reader contract of :mod:`analytics.iotools` — ``(data, report)``:

- :func:`read_pv` reads a PV export with :func:`analytics.iotools.load.read_load` (W/kW/kWh,
  fixed UTC offsets, the importer's gap report), then clips small negative night values
  (inverter tare) to zero with the warning ``pv.negative_clipped`` in the report.
- :func:`read_weather` reads hourly irradiance, air temperature and wind with ``pvlib.iotools``.

Putting a PV series on a load's grid and modelling PV live in :mod:`analytics.green.pv`.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from analytics.findings import DataWarning, InputError
from analytics.iotools.load import ImportOptions, ImportReport, read_load
from analytics.iotools.raw import FileReport, source_bytes


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


def read_pv(
    source: str | Path | bytes | BinaryIO,
    *,
    file_name: str | None = None,
    options: ImportOptions | None = None,
) -> tuple[pd.DataFrame, ImportReport]:
    """Read a measured PV series: the importer, then negative values clipped.

    Parameters
    ----------
    source : path, bytes or binary file
        Any export :func:`analytics.iotools.load.read_load` accepts.
    file_name : str, optional
    options : ImportOptions, optional
        E.g. ``ImportOptions(tz="Etc/GMT+7", unit="W")`` for AC power in watts.

    Returns
    -------
    frame : DataFrame
        Canonical frame of PV energy [kWh], ≥ 0, NaN where missing.
    report : ImportReport
        The importer's report: its warnings include gaps and, last,
        ``pv.negative_clipped`` when negative values were set to 0.
    """
    frame, report = read_load(source, file_name=file_name, options=options)
    frame, warnings = clip_negative(frame)
    report.warnings.extend(warnings)
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
