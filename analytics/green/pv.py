"""PV generation as a canonical frame: measured (through the importer) or modelled with pvlib.

Three routes, all ending in a canonical frame (:mod:`analytics.iotools.frame`) on the load's index:

Measured
    :func:`read_pv` reads a PV export with :func:`analytics.iotools.load.read_load` (W/kW/kWh,
    fixed UTC offsets, the importer's gap report), then clips small negative night values
    (inverter tare) to zero with the warning ``pv.negative_clipped``. :func:`align_pv` puts
    the series on the load's grid (same interval: reindex; coarser PV: spread evenly; finer
    PV: summed) and reports load intervals with no PV value (``pv.not_covering``,
    ``pv.missing_intervals``) — those count as zero generation, never silently.
Modelled, offline clear-sky (:func:`model_pv`)
    pvlib solar position and Ineichen clear-sky irradiance at each interval's **midpoint**
    (interval-start labels + half an interval, so the profile is centred on solar noon and
    not shifted by half an interval), isotropic transposition to the plane of array, Faiman
    cell temperature (20 °C air, 1 m/s wind), PVWatts DC (γ = −0.4 %/K), system ``losses``
    and a PVWatts inverter with a DC/AC ratio. The clear-sky year is then scaled so that a
    full calendar year yields the city's typical specific yield
    (``analytics/green/data/green_defaults.toml``, fact sheet §5 — C3, illustrative): the result is a
    smooth climatological profile with no day-to-day clouds (self-consumption therefore
    reads slightly optimistic on a cloudy site). When scaled, ``losses`` cancel out except
    through clipping; they matter for the unscaled and the weather-file routes.
Modelled from a weather file (:func:`model_pv_weather`)
    An EPW or TMY3 file read with ``pvlib.iotools`` (hour-ending irradiance totals, which
    pvlib labels with the hour start); the same chain on hourly data, mapped onto the load's
    dates by month-day-hour of the typical year and spread evenly over sub-hourly intervals.

No Streamlit import; no I/O except reading the bytes given.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analytics.findings import DataWarning, InputError
from analytics.iotools import INDEX_NAME, interval_minutes

DEFAULTS_PATH = Path(__file__).parent / "data" / "green_defaults.toml"

#: Yields outside this band are flagged for the Yangtze delta and Guangdong (fact sheet §5).
PLAUSIBLE_YIELD_KWH_PER_KWP = (950.0, 1300.0)
GAMMA_PDC_PER_K = -0.004
ETA_INV_NOM = 0.96


@cache
def read_defaults() -> dict[str, Any]:
    """The parsed ``analytics/green/data/green_defaults.toml`` (prices and city yields, with sources)."""
    return tomllib.loads(DEFAULTS_PATH.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class City:
    """A preset site: coordinates and a typical specific yield with its source."""

    key: str
    name_zh: str
    province: str
    lat: float
    lon: float
    yield_kwh_per_kwp: float
    yield_range: tuple[float, float]
    source: str
    confidence: str
    illustrative: bool


def cities() -> dict[str, City]:
    """Preset cities of Jiangsu, Shanghai, Zhejiang and Guangdong, keyed by ``nanjing`` etc."""
    out = {}
    for key, c in read_defaults()["cities"].items():
        out[key] = City(
            key=key,
            name_zh=c["name_zh"],
            province=c["province"],
            lat=float(c["lat"]),
            lon=float(c["lon"]),
            yield_kwh_per_kwp=float(c["yield_kwh_per_kwp"]),
            yield_range=(float(c["range"][0]), float(c["range"][1])),
            source=c["source"],
            confidence=c["confidence"],
            illustrative=bool(c["illustrative"]),
        )
    return out


# --------------------------------------------------------------------------- measured


def _ns(index: pd.Index) -> np.ndarray:
    """Epoch nanoseconds of a tz-aware index, whatever its unit (pandas 3 defaults to µs)."""
    return pd.DatetimeIndex(index).as_unit("ns").asi8


def align_pv(pv: pd.DataFrame, index: pd.DatetimeIndex) -> tuple[pd.Series, list[DataWarning]]:
    """PV energy on the load's grid [kWh]; load intervals without PV are 0, with a warning.

    Parameters
    ----------
    pv : DataFrame
        Canonical PV frame (any allowed interval).
    index : DatetimeIndex
        The load's canonical index (interval starts).

    Returns
    -------
    kwh : Series
        PV energy per load interval [kWh], no NaN.
    warnings : list of DataWarning
        ``pv.not_covering`` (load intervals outside the PV series' span) and
        ``pv.missing_intervals`` (inside it, but the PV value is missing); both counted as 0.

    Raises
    ------
    InputError
        ``pv.interval_mismatch`` when one interval is not a multiple of the other.
    """
    index = pd.DatetimeIndex(index)
    if len(pv.index) == 0:
        return pd.Series(0.0, index=index, name="pv_kwh"), (
            [DataWarning("pv.not_covering", len(index))] if len(index) else []
        )
    pm = interval_minutes(pv)
    lm = interval_minutes(pd.DataFrame(index=index)) if len(index) > 1 else pm
    src = pv["kwh"]
    if pm == lm:
        s = src
    elif pm > lm and pm % lm == 0:
        k = pm // lm
        starts = np.repeat(_ns(src.index), k) + np.tile(np.arange(k) * lm * 60 * 10**9, len(src))
        s = pd.Series(
            np.repeat(src.to_numpy() / k, k),
            index=pd.DatetimeIndex(starts, tz="UTC").tz_convert(src.index.tz),
        )
    elif lm > pm and lm % pm == 0:
        k = lm // pm
        ns = _ns(src.index)
        key = ns - (ns - _ns(index)[0]) % (lm * 60 * 10**9)
        grouped = pd.Series(src.to_numpy()).groupby(key)
        s = grouped.sum(min_count=1).where(grouped.count() == k)
        s.index = pd.DatetimeIndex(s.index.to_numpy(), tz="UTC").tz_convert(src.index.tz)
    else:
        raise InputError(
            "pv.interval_mismatch",
            expected=f"a multiple of {lm} minutes",
            pv_minutes=pm,
            load_minutes=lm,
        )
    s = s.copy()
    s.index = pd.DatetimeIndex(s.index).tz_convert(index.tz)
    out = s.reindex(index)
    inside = (index >= s.index[0]) & (index <= s.index[-1])
    warnings: list[DataWarning] = []
    n_out = int((~inside).sum())
    n_missing = int((out.isna().to_numpy() & inside).sum())
    if n_out:
        warnings.append(DataWarning("pv.not_covering", n_out))
    if n_missing:
        warnings.append(DataWarning("pv.missing_intervals", n_missing))
    out = out.fillna(0.0).astype("float64").rename("pv_kwh")
    out.index.name = INDEX_NAME
    return out, warnings


# --------------------------------------------------------------------------- modelled


def _check(name: str, value: float, lo: float, hi: float) -> None:
    if not (isinstance(value, (int, float)) and math.isfinite(value) and lo <= value <= hi):
        raise InputError(
            "pv.bad_parameter", expected=f"{lo} … {hi}", parameter=name, value=str(value)
        )


def _ac_kw(
    times: pd.DatetimeIndex,
    ghi: Any,
    dni: Any,
    dhi: Any,
    *,
    lat: float,
    lon: float,
    kwp: float,
    tilt_deg: float,
    azimuth_deg: float,
    losses: float,
    dc_ac_ratio: float,
    solar_position: pd.DataFrame | None = None,
    temp_air_c: Any = 20.0,
    wind_m_s: Any = 1.0,
) -> np.ndarray:
    """AC power [kW] at ``times`` from horizontal irradiance [W/m²] (PVWatts chain)."""
    from pvlib import inverter, irradiance, pvsystem, temperature
    from pvlib.location import Location

    sp = (
        solar_position
        if solar_position is not None
        else Location(lat, lon).get_solarposition(times)
    )
    poa = irradiance.get_total_irradiance(
        tilt_deg,
        azimuth_deg,
        sp["apparent_zenith"],
        sp["azimuth"],
        dni,
        ghi,
        dhi,
        model="isotropic",
        albedo=0.2,
    )["poa_global"]
    poa = np.clip(np.nan_to_num(np.asarray(poa, dtype=float)), 0.0, None)
    tcell = temperature.faiman(poa, temp_air_c, wind_m_s)
    pdc = pvsystem.pvwatts_dc(poa, tcell, kwp, GAMMA_PDC_PER_K) * (1.0 - losses)
    pac = inverter.pvwatts(
        np.asarray(pdc, dtype=float), kwp / dc_ac_ratio / ETA_INV_NOM, ETA_INV_NOM
    )
    return np.clip(np.nan_to_num(np.asarray(pac, dtype=float)), 0.0, None)


def _clear_sky_ac_kw(times: pd.DatetimeIndex, **kw: Any) -> np.ndarray:
    from pvlib.location import Location

    loc = Location(kw["lat"], kw["lon"])
    sp = loc.get_solarposition(times)
    cs = loc.get_clearsky(times, model="ineichen", solar_position=sp)
    return _ac_kw(times, cs["ghi"], cs["dni"], cs["dhi"], solar_position=sp, **kw)


def clear_sky_yield_kwh_per_kwp(year: int, tz: str, **system: Any) -> float:
    """Clear-sky AC yield of one calendar year [kWh/kWp], on a 15-min midpoint grid."""
    starts = pd.date_range(
        f"{year}-01-01", f"{year + 1}-01-01", freq="15min", tz=tz, inclusive="left"
    )
    ac = _clear_sky_ac_kw(starts + pd.Timedelta(minutes=7.5), **system)
    return float(ac.sum() * 0.25 / system["kwp"])


def model_pv(
    index: pd.DatetimeIndex,
    *,
    kwp: float,
    lat: float,
    lon: float,
    tilt_deg: float = 20.0,
    azimuth_deg: float = 180.0,
    losses: float = 0.14,
    dc_ac_ratio: float = 1.1,
    specific_yield_kwh_per_kwp: float | None = None,
) -> tuple[pd.DataFrame, list[DataWarning]]:
    """Model PV energy on ``index`` with pvlib clear-sky, scaled to a specific yield.

    Parameters
    ----------
    index : DatetimeIndex
        Canonical interval-start index, tz-aware, regular (the load's).
    kwp : float
        DC nameplate [kWp], > 0.
    lat, lon : float
        Site latitude and longitude [°, north and east positive].
    tilt_deg, azimuth_deg : float
        Module tilt from horizontal [°] and azimuth [°, 180 = south].
    losses : float
        DC system losses (soiling, wiring, mismatch…) [0–1), PVWatts default 0.14.
    dc_ac_ratio : float
        DC nameplate / inverter AC rating [−].
    specific_yield_kwh_per_kwp : float, optional
        Typical net AC yield of a full year [kWh/kWp·yr]; ``None`` keeps the clear-sky
        output (an upper bound) with the warning ``pv.clear_sky_unscaled``.

    Returns
    -------
    frame : DataFrame
        Canonical frame of PV energy [kWh] on ``index`` (no NaN).
    warnings : list of DataWarning
        ``pv.clear_sky_unscaled``; ``pv.yield_unusual`` when the yield is outside
        :data:`PLAUSIBLE_YIELD_KWH_PER_KWP`.

    Notes
    -----
    kwh_i = P_ac(t_i + Δ/2) × Δ × Y / Y_cs, where Δ is the interval [h], P_ac the clear-sky
    PVWatts AC power [kW], Y the specific yield and Y_cs the clear-sky yield of the calendar
    year of the first interval (computed on a 15-min midpoint grid).

    References
    ----------
    Ineichen & Perez (2002), Solar Energy 73(3); Dobos (2014) PVWatts v5 manual, NREL/TP-6A20-62641;
    specific yields: reference/domain-facts.md §5 (C3).
    """
    _check("kwp", kwp, 1e-6, 1e7)
    _check("lat", lat, -90.0, 90.0)
    _check("lon", lon, -180.0, 180.0)
    _check("tilt_deg", tilt_deg, 0.0, 90.0)
    _check("azimuth_deg", azimuth_deg, 0.0, 360.0)
    _check("losses", losses, 0.0, 0.99)
    _check("dc_ac_ratio", dc_ac_ratio, 0.5, 3.0)
    if specific_yield_kwh_per_kwp is not None:
        _check("specific_yield_kwh_per_kwp", specific_yield_kwh_per_kwp, 1.0, 4000.0)
    index = pd.DatetimeIndex(index)
    if index.tz is None:
        raise InputError(
            "pv.bad_parameter", expected="a tz-aware index", parameter="index", value="naive"
        )
    system = dict(
        lat=lat,
        lon=lon,
        kwp=kwp,
        tilt_deg=tilt_deg,
        azimuth_deg=azimuth_deg,
        losses=losses,
        dc_ac_ratio=dc_ac_ratio,
    )
    warnings: list[DataWarning] = []
    if len(index) == 0:
        return pd.DataFrame({"kwh": pd.Series([], dtype="float64", index=index)}), warnings
    minutes = interval_minutes(pd.DataFrame(index=index)) if len(index) > 1 else 60
    hours = minutes / 60.0
    ac = _clear_sky_ac_kw(index + pd.Timedelta(minutes=minutes / 2), **system)
    scale = 1.0
    if specific_yield_kwh_per_kwp is None:
        warnings.append(DataWarning("pv.clear_sky_unscaled", len(index)))
    else:
        year = index[0].year
        ref = clear_sky_yield_kwh_per_kwp(year, str(index.tz), **system)
        scale = specific_yield_kwh_per_kwp / ref if ref > 0 else 0.0
        lo, hi = PLAUSIBLE_YIELD_KWH_PER_KWP
        if not lo <= specific_yield_kwh_per_kwp <= hi:
            warnings.append(
                DataWarning(
                    "pv.yield_unusual",
                    0,
                    params={"yield": specific_yield_kwh_per_kwp, "low": lo, "high": hi},
                )
            )
    frame = pd.DataFrame({"kwh": ac * hours * scale}, index=index)
    frame.index.name = INDEX_NAME
    return frame, warnings


def model_pv_weather(
    index: pd.DatetimeIndex,
    weather: pd.DataFrame,
    *,
    kwp: float,
    lat: float | None = None,
    lon: float | None = None,
    tilt_deg: float = 20.0,
    azimuth_deg: float = 180.0,
    losses: float = 0.14,
    dc_ac_ratio: float = 1.1,
) -> tuple[pd.DataFrame, list[DataWarning]]:
    """Model PV energy on ``index`` from an hourly typical-year weather frame [kWh].

    Each hourly record (irradiance totals over the hour) is evaluated at the hour's midpoint,
    then mapped onto the load's dates by (month, day, hour) of local time — 29 February takes
    28 February — and spread evenly over the load's sub-hourly intervals. ``lat``/``lon``
    default to the file's. Warning ``pv.weather_typical_year`` records the mapping.
    """
    lat = weather.attrs.get("latitude") if lat is None else lat
    lon = weather.attrs.get("longitude") if lon is None else lon
    _check("kwp", kwp, 1e-6, 1e7)
    _check("lat", lat, -90.0, 90.0)
    _check("lon", lon, -180.0, 180.0)
    index = pd.DatetimeIndex(index)
    times = pd.DatetimeIndex(weather.index) + pd.Timedelta(minutes=30)
    ac = _ac_kw(
        times,
        weather["ghi"].to_numpy(),
        weather["dni"].to_numpy(),
        weather["dhi"].to_numpy(),
        lat=lat,
        lon=lon,
        kwp=kwp,
        tilt_deg=tilt_deg,
        azimuth_deg=azimuth_deg,
        losses=losses,
        dc_ac_ratio=dc_ac_ratio,
        temp_air_c=weather["temp_air"].to_numpy(),
        wind_m_s=weather["wind_speed"].to_numpy(),
    )
    wl = pd.DatetimeIndex(weather.index).tz_convert(index.tz)
    key_w = wl.month * 10000 + wl.day * 100 + wl.hour
    hourly = pd.Series(ac, index=key_w).groupby(level=0).mean()  # kW mean over the hour
    day = np.where((index.month == 2) & (index.day == 29), 28, index.day)
    key_l = index.month * 10000 + day * 100 + index.hour
    minutes = interval_minutes(pd.DataFrame(index=index)) if len(index) > 1 else 60
    kwh = hourly.reindex(key_l).fillna(0.0).to_numpy() * minutes / 60.0
    frame = pd.DataFrame({"kwh": kwh}, index=index)
    frame.index.name = INDEX_NAME
    return frame, [DataWarning("pv.weather_typical_year", len(index))]
