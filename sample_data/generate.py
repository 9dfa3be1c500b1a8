"""Generate GreenTemp's demo enterprise: 苏南精密制造有限公司 / Sunan Precision Manufacturing Co.

The enterprise and every number it produces are SYNTHETIC. The model is simple on purpose
and deterministic: ``python sample_data/generate.py`` rewrites the five files in this folder
byte-identically (seed 2025, ``numpy.random.default_rng``).

Site: a Jiangsu (Wuxi area, 31.5°N 120.3°E) metal-and-plastics parts maker on a 10 kV supply,
contracted capacity 5,000 kVA, three production lines on two shifts (08:00–16:00,
16:00–24:00) on China's official working days (``chinese_calendar.is_workday``, so the 2025
调休 make-up days Jan 26, Feb 8, Apr 27, Sep 28 and Oct 11 are worked), a Spring Festival
shutdown 2025-01-27 … 2025-02-07 (the official holiday Jan 28 – Feb 4 plus extra days; the
make-up Sunday Jan 26 before it and the make-up Saturday Feb 8 after it are worked), and a
1.2 MWp rooftop PV array. The story the demo tells: most production energy falls in the
Jiangsu peak period (14/15:00–22:00 under 苏发改价格发〔2025〕426号), and the movable runs
(L2 moulding batches, L3 painting) could move to the valley.

Files (interval-start labels unless stated; naive local times, Asia/Shanghai):

* ``sunan_load_2025_15min.csv``          ``timestamp,energy_kwh`` — site consumption
* ``sunan_pv_2025_15min.csv``            ``timestamp,pv_energy_kwh`` — PV generation
* ``sunan_production_runs_2025.csv``     ``line,start,end,units,product,movable``
* ``sunan_load_2025_96point_gbk.csv``    the same consumption as a GBK 96-point daily export
  of average kW with interval-END labels ``00:15 … 24:00``
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import chinese_calendar
import numpy as np
import pandas as pd

SEED = 2025
YEAR = 2025
INTERVAL_MINUTES = 15
INTERVAL_HOURS = INTERVAL_MINUTES / 60
INTERVALS_PER_DAY = 24 * 60 // INTERVAL_MINUTES  # 96

ENTERPRISE_ZH = "苏南精密制造有限公司"
ENTERPRISE_EN = "Sunan Precision Manufacturing Co."
ACCOUNT_NO = "3200912345"  # fictional 户号

LATITUDE_DEG = 31.5
LONGITUDE_DEG = 120.3
STANDARD_MERIDIAN_DEG = 120.0  # UTC+8
PV_KWP = 1200.0

# Spring Festival factory break: official holiday 01-28 … 02-04 plus 01-27 and 02-05 … 02-07.
SHUTDOWN_START = dt.date(2025, 1, 27)
SHUTDOWN_END = dt.date(2025, 2, 7)  # inclusive

OUT_DIR = Path(__file__).resolve().parent
LOAD_FILE = "sunan_load_2025_15min.csv"
PV_FILE = "sunan_pv_2025_15min.csv"
RUNS_FILE = "sunan_production_runs_2025.csv"
WIDE_FILE = "sunan_load_2025_96point_gbk.csv"


@dataclass(frozen=True)
class Line:
    """A production line [kW at full output; units per hour]."""

    line: str
    kw: float
    units_per_hour: float
    noise_sd: float  # interval-to-interval power noise, share of kw


LINES = {
    "L1": Line("L1", 1300.0, 1200.0, 0.07),  # stamping presses: spiky
    "L2": Line("L2", 1000.0, 420.0, 0.03),  # injection moulding: steady heaters
    "L3A": Line("L3", 450.0, 140.0, 0.04),  # L3 assembly
    "L3P": Line("L3", 750.0, 160.0, 0.03),  # L3 painting (curing ovens)
}

PRODUCTS = {
    "L1": ("冲压支架 BRK-100", "冲压支架 BRK-220", "电机端盖 EC-35"),
    "L2": ("注塑外壳 HS-12", "注塑外壳 HS-18", "连接器壳体 CN-4"),
    "L3A": ("总装 控制器 CU-7",),
    "L3P": ("喷涂 外壳 HS-12", "喷涂 端盖 EC-35"),
}


# --------------------------------------------------------------------------- calendar


def timestamps(year: int = YEAR) -> pd.DatetimeIndex:
    """Interval starts of the year, naive local time (35,040 for a 15-min 2025)."""
    return pd.date_range(
        f"{year}-01-01", f"{year + 1}-01-01", freq=f"{INTERVAL_MINUTES}min", inclusive="left"
    )


def calendar_frame(year: int = YEAR) -> pd.DataFrame:
    """One row per date: ``workday`` (official, incl. 调休 make-up days), ``named_holiday``
    (a statutory holiday, not just a weekend), ``shutdown`` (the Spring Festival break),
    ``production_day`` (workday and not in the break), ``weekday`` (Monday = 0)."""
    dates = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    days = [d.date() for d in dates]
    workday = np.array([chinese_calendar.is_workday(d) for d in days])
    named_holiday = np.array([chinese_calendar.get_holiday_detail(d)[1] is not None for d in days])
    shutdown = np.array([SHUTDOWN_START <= d <= SHUTDOWN_END for d in days])
    return pd.DataFrame(
        {
            "workday": workday,
            "named_holiday": named_holiday,
            "shutdown": shutdown,
            "production_day": workday & ~shutdown,
            "weekday": dates.day_of_week,
        },
        index=dates,
    )


# --------------------------------------------------------------------------- production


def _run_rows(cal: pd.DataFrame, rng: np.random.Generator) -> list[tuple]:
    """(kind, start, end) for every run, in date order (kind is a key of ``LINES``)."""
    rows: list[tuple] = []
    h = pd.Timedelta(hours=1)
    for day, info in cal.iterrows():
        # draw the same number of random numbers every day so a calendar change stays local
        u = rng.random(8)
        if info.production_day:
            # L1 stamping: fixed, day shift always, evening shift on most days
            rows.append(("L1", day + 8 * h, day + 16 * h))
            if u[0] < 0.85:
                rows.append(("L1", day + 16 * h, day + 24 * h))
            # L2 moulding: four 4-hour batches, a few skipped for mould changes
            for k, start_h in enumerate((8, 12, 16, 20)):
                if u[1 + k] < 0.90:
                    rows.append(("L2", day + start_h * h, day + (start_h + 4) * h))
            # L3: assembly on the day shift, painting 16:00–22:00 on most days
            rows.append(("L3A", day + 8 * h, day + 16 * h))
            if u[5] < 0.80:
                rows.append(("L3P", day + 16 * h, day + 22 * h))
        elif info.weekday == 5 and not info.named_holiday and not info.shutdown and u[6] < 0.30:
            # some ordinary Saturdays: one L3 assembly shift
            rows.append(("L3A", day + 8 * h, day + 16 * h))
    return rows


def generate_runs(cal: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Production runs: ``line, start, end, units, product, movable`` plus a private
    ``kind`` column (the power model of the run) that is not written to the file."""
    rows = _run_rows(cal, rng)
    kinds = np.array([r[0] for r in rows])
    start = pd.DatetimeIndex([r[1] for r in rows])
    end = pd.DatetimeIndex([r[2] for r in rows])
    hours = (end - start).total_seconds().to_numpy() / 3600
    rate = np.array([LINES[k].units_per_hour for k in kinds])
    units = np.rint(rate * hours * rng.normal(1.0, 0.04, len(rows))).astype(np.int64)
    pick = rng.random(len(rows))
    product = [PRODUCTS[k][int(p * len(PRODUCTS[k]))] for k, p in zip(kinds, pick, strict=True)]
    return pd.DataFrame(
        {
            "line": [LINES[k].line for k in kinds],
            "start": start,
            "end": end,
            "units": units,
            "product": product,
            "movable": np.isin(kinds, ["L2", "L3P"]),
            "kind": kinds,
        }
    )


# --------------------------------------------------------------------------- weather


def solar_cos_zenith(ts: pd.DatetimeIndex) -> np.ndarray:
    """cos(solar zenith) at the given naive local (UTC+8) instants [-].

    Notes
    -----
    Declination and equation of time from Spencer (1971); solar time = clock time
    + 4 min/° × (longitude − 120°E) + equation of time, so solar noon at 120.3°E is
    ≈ 12:00 − 1.2 min − EoT.
    """
    doy = ts.day_of_year.to_numpy()
    clock_h = ts.hour.to_numpy() + ts.minute.to_numpy() / 60
    g = 2 * np.pi * (doy - 1) / 365
    decl = (
        0.006918
        - 0.399912 * np.cos(g)
        + 0.070257 * np.sin(g)
        - 0.006758 * np.cos(2 * g)
        + 0.000907 * np.sin(2 * g)
        - 0.002697 * np.cos(3 * g)
        + 0.00148 * np.sin(3 * g)
    )
    eot_min = 229.18 * (
        0.000075
        + 0.001868 * np.cos(g)
        - 0.032077 * np.sin(g)
        - 0.014615 * np.cos(2 * g)
        - 0.040849 * np.sin(2 * g)
    )
    solar_h = clock_h + (4 * (LONGITUDE_DEG - STANDARD_MERIDIAN_DEG) + eot_min) / 60
    hour_angle = np.radians(15 * (solar_h - 12))
    lat = np.radians(LATITUDE_DEG)
    return np.sin(lat) * np.sin(decl) + np.cos(lat) * np.cos(decl) * np.cos(hour_angle)


def generate_weather(ts: pd.DatetimeIndex, rng: np.random.Generator) -> pd.DataFrame:
    """Daily clearness and interval air temperature for the site.

    ``clearness`` [0–1] multiplies clear-sky irradiance: a Beta draw per day whose mean
    dips in the 梅雨 plum-rain season (mid-June – mid-July). ``temp_c`` [°C]: Wuxi-like
    seasonal mean (≈ 4 °C in January, ≈ 29 °C in late July), a daily anomaly, and a
    diurnal swing peaking at 15:00 that is larger on clear days.
    """
    n_days = len(ts) // INTERVALS_PER_DAY
    doy = np.arange(1, n_days + 1)
    mean_clear = (
        0.655
        - 0.20 * np.exp(-(((doy - 182) / 16) ** 2))
        + 0.04 * np.cos(2 * np.pi * (doy - 300) / 365)
    )
    conc = 4.0
    clearness = rng.beta(mean_clear * conc, (1 - mean_clear) * conc)
    anomaly = np.convolve(rng.normal(0, 2.2, n_days + 4), np.ones(5) / 5**0.5, "valid")
    seasonal = 16.5 - 12.5 * np.cos(2 * np.pi * (doy - 22) / 365)
    daily_mean = seasonal + anomaly + 1.5 * (clearness - 0.6)

    hours = ts.hour.to_numpy() + ts.minute.to_numpy() / 60 + INTERVAL_HOURS / 2
    day_idx = np.repeat(np.arange(n_days), INTERVALS_PER_DAY)
    swing = 2.0 + 4.0 * clearness[day_idx]
    temp = daily_mean[day_idx] + swing * np.cos(2 * np.pi * (hours - 15) / 24)
    return pd.DataFrame({"clearness": clearness[day_idx], "temp_c": temp}, index=ts)


# --------------------------------------------------------------------------- PV


def generate_pv(ts: pd.DatetimeIndex, weather: pd.DataFrame, rng: np.random.Generator) -> pd.Series:
    """Rooftop PV energy per interval [kWh], 1.2 MWp.

    Notes
    -----
    Clear-sky GHI (Haurwitz): ``1098 · cosZ · exp(−0.057 / cosZ)`` [W/m²] at the interval
    midpoint; times the day's clearness and, on broken-cloud days, smoothed interval noise;
    performance ratio 0.80 (a low roof tilt's small gain folded in) and a −0.4 %/K cell-temperature derate
    (T_cell = T_air + 25 K × G/1000). Zero whenever the sun is below the horizon.
    """
    mid = ts + pd.Timedelta(minutes=INTERVAL_MINUTES / 2)
    cosz = solar_cos_zenith(mid)
    up = cosz > 0.01
    ghi_clear = np.where(
        up, 1098 * np.clip(cosz, 0.01, None) * np.exp(-0.057 / np.clip(cosz, 0.01, None)), 0.0
    )
    clear = weather["clearness"].to_numpy()
    # broken cloud: strongest on middling days, smoothed over ~45 min
    flicker = np.convolve(rng.normal(0, 1, len(ts) + 2), np.ones(3) / 3, "valid")
    variability = 1 + 0.35 * clear * (1 - clear) * 4 * flicker
    ghi = np.clip(ghi_clear * clear * variability, 0, 1.05 * ghi_clear)
    t_cell = weather["temp_c"].to_numpy() + 25 * ghi / 1000
    derate = 1 - 0.004 * (t_cell - 25)
    kw = PV_KWP * ghi / 1000 * 0.80 * derate
    kwh = np.round(np.where(up, kw, 0.0) * INTERVAL_HOURS, 3)
    return pd.Series(kwh, index=ts, name="pv_energy_kwh")


# --------------------------------------------------------------------------- load


def production_kw(
    ts: pd.DatetimeIndex, runs: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """Power of each line [kW] per interval: line kW × run level × ramp × noise inside
    the runs, zero outside. Columns ``L1, L2, L3``."""
    t0 = ts[0]
    step = pd.Timedelta(minutes=INTERVAL_MINUTES)
    first = ((runs["start"] - t0) // step).to_numpy()
    last = ((runs["end"] - t0) // step).to_numpy()  # exclusive
    out = {name: np.zeros(len(ts)) for name in ("L1", "L2", "L3")}
    level = rng.normal(0.95, 0.04, len(runs))
    noise = rng.normal(0.0, 1.0, len(ts) * 3).reshape(3, len(ts))
    for i, (kind, a, b) in enumerate(zip(runs["kind"], first, last, strict=True)):
        spec = LINES[kind]
        n = b - a
        ramp = np.ones(n)
        ramp[0] = 0.55  # start-up
        ramp[-1] = 0.80  # wind-down
        col = ("L1", "L2", "L3").index(spec.line)
        out[spec.line][a:b] = spec.kw * level[i] * ramp * (1 + spec.noise_sd * noise[col, a:b])
    return pd.DataFrame(out, index=ts)


def generate_load(
    ts: pd.DatetimeIndex,
    cal: pd.DataFrame,
    runs: pd.DataFrame,
    weather: pd.DataFrame,
    rng: np.random.Generator,
) -> pd.Series:
    """Site consumption per interval [kWh] = (base + production) kW × 0.25 h.

    Base [kW]: always-on plant ≈ 300 (≈ 190 in the Spring Festival break), compressed
    air 60 + 7 % of production, lighting/offices 80 on days with runs 07:30–24:00 else
    25, HVAC cooling 22 kW/K above 24 °C and heating 14 kW/K below 12 °C (full while the
    plant is staffed, 30 % otherwise), 2 % noise.
    """
    prod = production_kw(ts, runs, rng).sum(axis=1).to_numpy()
    day_idx = np.repeat(np.arange(len(cal)), INTERVALS_PER_DAY)
    run_day = cal.index.isin(runs["start"].dt.normalize())[day_idx]  # incl. Saturday shifts
    shutdown = cal["shutdown"].to_numpy()[day_idx]
    hours = ts.hour.to_numpy() + ts.minute.to_numpy() / 60
    staffed = run_day & (hours >= 7.5)

    always_on = np.where(shutdown, 190.0, 300.0)
    always_on = always_on + np.repeat(rng.normal(0, 12, len(cal)), INTERVALS_PER_DAY)
    compressors = 60.0 + 0.07 * prod
    lighting = np.where(staffed, 80.0, 25.0)
    temp = weather["temp_c"].to_numpy()
    hvac = 22.0 * np.clip(temp - 24, 0, None) + 14.0 * np.clip(12 - temp, 0, None)
    hvac = hvac * np.where(staffed, 1.0, 0.3)
    base = (always_on + compressors + lighting + hvac) * (1 + rng.normal(0, 0.02, len(ts)))
    kw = base + prod
    return pd.Series(np.round(kw * INTERVAL_HOURS, 3), index=ts, name="energy_kwh")


# --------------------------------------------------------------------------- whole year


def generate(seed: int = SEED) -> dict[str, pd.DataFrame]:
    """All tables of the demo year, in memory: ``load``, ``pv``, ``runs``, ``wide``."""
    rng = np.random.default_rng(seed)
    runs_rng, weather_rng, pv_rng, load_rng = rng.spawn(4)
    ts = timestamps()
    cal = calendar_frame()
    runs = generate_runs(cal, runs_rng)
    weather = generate_weather(ts, weather_rng)
    pv = generate_pv(ts, weather, pv_rng)
    load = generate_load(ts, cal, runs, weather, load_rng)
    return {
        "load": load.rename_axis("timestamp").reset_index(),
        "pv": pv.rename_axis("timestamp").reset_index(),
        "runs": runs.drop(columns="kind"),
        "wide": to_96point(load),
    }


def to_96point(load_kwh: pd.Series) -> pd.DataFrame:
    """The metering-system 96-point layout: one row per date, average kW per interval
    with END labels ``00:15 … 24:00`` (the 24:00 column is 23:45–24:00 of that date).

    kW = 4 × kWh is computed on integer thousandths so the 3-decimal kW is exact.
    """
    milli_kwh = np.rint(load_kwh.to_numpy() * 1000).astype(np.int64)
    kw = (4 * milli_kwh).reshape(-1, INTERVALS_PER_DAY) / 1000
    labels = [
        f"{m // 60:02d}:{m % 60:02d}"
        for m in range(INTERVAL_MINUTES, 24 * 60 + 1, INTERVAL_MINUTES)
    ]
    dates = load_kwh.index[::INTERVALS_PER_DAY].strftime("%Y-%m-%d")
    head = pd.DataFrame(
        {"户号": ACCOUNT_NO, "户名": ENTERPRISE_ZH, "日期": dates, "数据类型": "有功功率(kW)"}
    )
    return pd.concat([head, pd.DataFrame(kw, columns=labels)], axis=1)


def write_files(out_dir: Path = OUT_DIR, seed: int = SEED) -> dict[str, Path]:
    """Generate the year and write the four CSV files into ``out_dir``; return their paths."""
    return write_tables(generate(seed), out_dir)


def write_tables(tables: dict[str, pd.DataFrame], out_dir: Path = OUT_DIR) -> dict[str, Path]:
    """Write the tables of :func:`generate` as the four sample files; return their paths.

    Long files: UTF-8, LF, 3 decimals. The 96-point file: GBK, CRLF (like a Windows
    export), a title line before the header.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    fmt = "%Y-%m-%d %H:%M:%S"
    paths = {
        "load": out_dir / LOAD_FILE,
        "pv": out_dir / PV_FILE,
        "runs": out_dir / RUNS_FILE,
        "wide": out_dir / WIDE_FILE,
    }
    for name in ("load", "pv", "runs"):
        tables[name].to_csv(
            paths[name],
            index=False,
            float_format="%.3f",
            date_format=fmt,
            lineterminator="\n",
            encoding="utf-8",
        )
    title = f"{ENTERPRISE_ZH} 96点负荷曲线 {YEAR}年\r\n"
    body = tables["wide"].to_csv(index=False, float_format="%.3f", lineterminator="\r\n")
    paths["wide"].write_bytes((title + body).encode("gbk"))
    return paths


def summary(tables: dict[str, pd.DataFrame]) -> dict[str, object]:
    """Key figures of the generated year (for the README and the report)."""
    load = tables["load"].set_index("timestamp")["energy_kwh"]
    pv = tables["pv"].set_index("timestamp")["pv_energy_kwh"]
    runs = tables["runs"]
    kw = load / INTERVAL_HOURS
    return {
        "energy_mwh": round(float(load.sum()) / 1000, 1),
        "peak_kw": round(float(kw.max()), 1),
        "peak_at": str(kw.idxmax()),
        "base_load_kw_p5": round(float(kw.quantile(0.05)), 1),
        "pv_mwh": round(float(pv.sum()) / 1000, 1),
        "pv_yield_kwh_per_kwp": round(float(pv.sum()) / PV_KWP, 1),
        "runs": len(runs),
        "movable_runs": int(runs["movable"].sum()),
        "units": int(runs["units"].sum()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    tables = generate(args.seed)
    for path in write_tables(tables, args.out_dir).values():
        print(path)
    for key, value in summary(tables).items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
