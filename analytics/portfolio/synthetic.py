"""A seeded synthetic portfolio: N enterprise-years of 15-min meter exports plus a manifest.

Every enterprise and number here is SYNTHETIC. Enterprise ``i`` is drawn from
``numpy.random.default_rng([seed, i])``, so a portfolio is byte-identical for a seed whatever
the number of worker processes, and enterprise 7 of a 10-enterprise portfolio equals
enterprise 7 of a 1,000-enterprise one.

Archetypes (:data:`ARCHETYPES`): textiles (three shifts, round the clock), electronics (two
shifts, clean-room HVAC base), chemicals (continuous process, flat), food (day shift, cold
storage, summer peak), metal works (two shifts, spiky presses). Each has a plausible range of
peak demand [kW], a base-load share and a shift profile; production days follow China's
official calendar (``chinese_calendar.is_workday``, 调休 make-up days worked) with a Spring
Festival shutdown. About a third of the sites have rooftop PV (0.2–0.6 kWp per kW of peak).

Export shapes, mixed (:data:`SHAPES`): ``long`` (UTF-8 ``timestamp,energy_kwh``, interval-start
labels), ``wide_gbk`` (GBK 96-point daily curve of average kW with a title line and
``00:15 … 24:00`` interval-end headers, as Chinese metering systems export it) and ``xlsx``
(the same 96-point curve as a workbook). PV is a long CSV; some sites have a production-runs
file (``line,start,end,units``). The manifest is ``manifest.csv`` beside the files.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

YEAR = 2025
SLOTS = 96
HOURS = 0.25
SHAPES: tuple[str, ...] = ("long", "wide_gbk", "xlsx")
DEFAULT_SHAPE_WEIGHTS: tuple[float, ...] = (0.5, 0.4, 0.1)


@dataclass(frozen=True)
class Archetype:
    """An industry's load model: peak range [kW], base share of peak, shift hours, weekend
    operation, summer uplift (share), noise (share of kW)."""

    industry: str
    name_zh: str
    peak_kw: tuple[float, float]
    base_share: tuple[float, float]
    shifts: tuple[tuple[int, int], ...]  # [start, end) hours of production
    rest_day_share: float  # production level on rest days (0 = stopped)
    summer: float
    noise: float


ARCHETYPES: tuple[Archetype, ...] = (
    Archetype("textiles", "纺织", (800, 8000), (0.25, 0.4), ((0, 24),), 0.6, 0.10, 0.04),
    Archetype("electronics", "电子", (500, 6000), (0.35, 0.55), ((8, 24),), 0.3, 0.20, 0.03),
    Archetype("chemicals", "化工", (2000, 15000), (0.6, 0.8), ((0, 24),), 0.95, 0.05, 0.02),
    Archetype("food", "食品", (300, 3000), (0.3, 0.5), ((7, 17),), 0.2, 0.30, 0.05),
    Archetype(
        "metal_works", "金属制品", (1000, 10000), (0.1, 0.25), ((8, 16), (16, 24)), 0.1, 0.08, 0.08
    ),
)

#: (province, tariff preset id or "" for the default Jiangsu versions, cities)
REGIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Jiangsu", "", ("无锡", "苏州", "常州", "南京")),
    ("Zhejiang", "zhejiang_large_industrial_1_10kv_2024_21", ("杭州", "宁波", "绍兴")),
    ("Shanghai", "shanghai_large_industrial_10kv_2024_28", ("上海",)),
    ("Guangdong", "guangdong_large_industrial_1_10kv_2021_331", ("广州", "东莞", "佛山")),
)
REGION_WEIGHTS = (0.55, 0.2, 0.1, 0.15)
_NAME_WORDS = (
    "宏达",
    "恒通",
    "华盛",
    "锦程",
    "鑫源",
    "永泰",
    "瑞丰",
    "金诚",
    "东方",
    "新锐",
    "汇能",
    "中天",
    "远航",
    "隆兴",
    "博远",
    "嘉和",
)


@cache
def calendar_days(year: int = YEAR) -> pd.DataFrame:
    """One row per date: ``workday`` (official, 调休 included), ``festival`` (Spring Festival
    shutdown: the official holiday days in January–February plus 3 days either side)."""
    import chinese_calendar

    dates = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    days = [d.date() for d in dates]
    work = np.array([chinese_calendar.is_workday(d) for d in days])
    hol = [
        d
        for d in days
        if d.month <= 2
        and chinese_calendar.is_holiday(d)
        and chinese_calendar.get_holiday_detail(d)[1]
        == chinese_calendar.Holiday.spring_festival.value
    ]
    festival = np.zeros(len(days), bool)
    if hol:
        lo, hi = min(hol) - dt.timedelta(days=3), max(hol) + dt.timedelta(days=3)
        festival = np.array([lo <= d <= hi for d in days])
    return pd.DataFrame({"workday": work, "festival": festival}, index=dates)


@dataclass(frozen=True)
class SyntheticEnterprise:
    enterprise_id: str
    name: str
    province: str
    city: str
    industry: str
    tariff: str
    shape: str
    pv_kwp: float | None
    has_runs: bool
    load_kw: np.ndarray  # (days, 96) average kW
    pv_kw: np.ndarray | None  # (days, 96) average kW


def make_enterprise(
    i: int,
    seed: int = 2025,
    year: int = YEAR,
    shape_weights: tuple[float, ...] = DEFAULT_SHAPE_WEIGHTS,
    shapes: tuple[str, ...] = (),
) -> SyntheticEnterprise:
    """Enterprise ``i`` of the portfolio (deterministic for ``(seed, i)``); ``shapes``, when
    given, assigns export shapes round-robin instead of drawing them."""
    rng = np.random.default_rng([seed, i])
    arch = ARCHETYPES[int(rng.integers(len(ARCHETYPES)))]
    r = int(rng.choice(len(REGIONS), p=REGION_WEIGHTS))
    province, tariff, cities = REGIONS[r]
    city = cities[int(rng.integers(len(cities)))]
    word = _NAME_WORDS[int(rng.integers(len(_NAME_WORDS)))]
    name = f"{city}{word}{arch.name_zh}有限公司{i:04d}号"
    shape = SHAPES[int(rng.choice(len(SHAPES), p=np.asarray(shape_weights) / sum(shape_weights)))]
    shape = shapes[i % len(shapes)] if shapes else shape
    peak = float(np.exp(rng.uniform(*np.log(arch.peak_kw))))
    base = float(rng.uniform(*arch.base_share))

    cal = calendar_days(year)
    n_days = len(cal)
    hours = (np.arange(SLOTS) + 0.5) * HOURS  # interval mid-points [h]
    shift = np.zeros(SLOTS)
    jitter = rng.uniform(-0.5, 0.5)
    for a, b in arch.shifts:
        shift += 1.0 / (1 + np.exp(-(hours - a - jitter) * 4)) - 1.0 / (
            1 + np.exp(-(hours - b - jitter) * 4)
        )
    shift = np.clip(shift + (1.0 if arch.shifts == ((0, 24),) else 0.0), 0, 1)
    level = np.where(cal["workday"].to_numpy(), 1.0, arch.rest_day_share)
    level = np.where(cal["festival"].to_numpy(), 0.05, level)
    doy = np.arange(n_days)
    season = 1.0 + arch.summer * np.clip(np.cos((doy - 200) / 365 * 2 * np.pi), 0, None) ** 2
    daily = level * rng.uniform(0.85, 1.05, n_days)
    kw = peak * (base + (1 - base) * np.outer(daily, shift)) * season[:, None] / (1 + arch.summer)
    kw *= 1 + arch.noise * rng.standard_normal(kw.shape)
    kw = np.round(np.clip(kw, 0.02 * peak, None), 3)

    pv_kwp = pv = None
    if rng.random() < 0.35:
        pv_kwp = float(round(peak * rng.uniform(0.2, 0.6), -1))
        daylen = 12 + 2.2 * np.sin((doy - 80) / 365 * 2 * np.pi)  # [h]
        rise = 12 - daylen / 2
        x = (hours[None, :] - rise[:, None]) / daylen[:, None]
        clear = np.where((x > 0) & (x < 1), np.sin(np.pi * np.clip(x, 0, 1)) ** 1.5, 0.0)
        cloud = rng.uniform(0.25, 1.0, n_days)
        pv = np.round(pv_kwp * 0.8 * clear * cloud[:, None], 3)
    return SyntheticEnterprise(
        f"GT-{i:05d}",
        name,
        province,
        city,
        arch.industry,
        tariff,
        shape,
        pv_kwp,
        bool(rng.random() < 0.2),
        kw,
        pv,
    )


def _starts(year: int) -> pd.DatetimeIndex:
    return pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq="15min", inclusive="left")


def long_csv(kw: np.ndarray, year: int, value: str = "energy_kwh") -> bytes:
    """``timestamp,<value>``: interval-start labels, energy [kWh] per 15 min."""
    ts = _starts(year).strftime("%Y-%m-%d %H:%M:%S")
    kwh = np.round(kw.ravel() * HOURS, 4)
    buf = io.StringIO()
    pd.DataFrame({"timestamp": ts, value: kwh}).to_csv(buf, index=False, float_format="%.4f")
    return buf.getvalue().encode("utf-8")


def _wide_frame(ent: SyntheticEnterprise, year: int) -> pd.DataFrame:
    labels = [f"{(k * 15) // 60:02d}:{(k * 15) % 60:02d}" for k in range(1, SLOTS + 1)]
    dates = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D").strftime("%Y-%m-%d")
    head = pd.DataFrame(
        {"户号": ent.enterprise_id, "户名": ent.name, "日期": dates, "数据类型": "有功功率(kW)"}
    )
    return pd.concat([head, pd.DataFrame(ent.load_kw, columns=labels)], axis=1)


def wide_gbk_csv(ent: SyntheticEnterprise, year: int) -> bytes:
    """GBK 96-point export: a title line, then ``户号,户名,日期,数据类型,00:15 … 24:00`` [kW]."""
    buf = io.StringIO()
    _wide_frame(ent, year).to_csv(buf, index=False, float_format="%.3f", lineterminator="\r\n")
    return (f"{ent.name} 96点负荷曲线 {year}年\r\n" + buf.getvalue()).encode("gbk")


def wide_xlsx(ent: SyntheticEnterprise, year: int) -> bytes:
    """The 96-point curve as a workbook (one sheet, header on the first row) [kW]."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        _wide_frame(ent, year).to_excel(xw, sheet_name="负荷曲线", index=False)
    return buf.getvalue()


def runs_csv(ent: SyntheticEnterprise, year: int) -> bytes:
    """Production runs on working days: one run per shift, units ∝ the shift's energy."""
    cal = calendar_days(year)
    arch = next(a for a in ARCHETYPES if a.industry == ent.industry)
    rows = []
    for k, (day, info) in enumerate(cal.iterrows()):
        if not info.workday or info.festival:
            continue
        for a, b in arch.shifts:
            kwh = float(ent.load_kw[k, a * 4 : b * 4].sum() * HOURS)
            rows.append(
                ("L1", day + pd.Timedelta(hours=a), day + pd.Timedelta(hours=b), int(kwh / 5))
            )
    df = pd.DataFrame(rows, columns=["line", "start", "end", "units"])
    fmt = "%Y-%m-%d %H:%M:%S"
    df["start"] = df["start"].dt.strftime(fmt)
    df["end"] = df["end"].dt.strftime(fmt)
    return df.to_csv(index=False).encode("utf-8")


def write_enterprise(
    task: tuple[Path, int, int, int, tuple[float, ...], tuple[str, ...]],
) -> list[dict[str, str]]:
    """Write one enterprise's files; return its manifest lines."""
    out, i, seed, year, weights, shapes = task
    ent = make_enterprise(i, seed, year, weights, shapes)
    base = {
        "enterprise_id": ent.enterprise_id,
        "enterprise_name": ent.name,
        "province": ent.province,
        "industry": ent.industry,
        "tariff": ent.tariff,
        "tz": "Asia/Shanghai",
        "labels": "",
        "pv_kwp": "" if ent.pv_kwp is None else f"{ent.pv_kwp:g}",
        "city": ent.city,
    }
    stem = ent.enterprise_id.lower()
    if ent.shape == "long":
        name, data = f"{stem}_load_long.csv", long_csv(ent.load_kw, year)
    elif ent.shape == "wide_gbk":
        name, data = f"{stem}_load_96point_gbk.csv", wide_gbk_csv(ent, year)
    else:
        name, data = f"{stem}_load_96point.xlsx", wide_xlsx(ent, year)
    (out / name).write_bytes(data)
    lines = [{**base, "kind": "load", "path": name}]
    if ent.pv_kw is not None:
        pv_name = f"{stem}_pv_long.csv"
        (out / pv_name).write_bytes(long_csv(ent.pv_kw, year, "pv_energy_kwh"))
        lines.append({**base, "kind": "pv", "path": pv_name})
    if ent.has_runs:
        runs_name = f"{stem}_production_runs.csv"
        (out / runs_name).write_bytes(runs_csv(ent, year))
        lines.append({**base, "kind": "production", "path": runs_name, "labels": "start"})
    return lines


MANIFEST_COLUMNS = (
    "enterprise_id",
    "enterprise_name",
    "province",
    "industry",
    "kind",
    "path",
    "tariff",
    "tz",
    "labels",
    "pv_kwp",
    "city",
)


def generate(
    out_dir: str | Path,
    n: int,
    *,
    seed: int = 2025,
    year: int = YEAR,
    shape_weights: tuple[float, ...] = DEFAULT_SHAPE_WEIGHTS,
    shapes: tuple[str, ...] = (),
    workers: int = 1,
    start: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Write ``n`` enterprises (indices ``start … start+n−1``) and ``manifest.csv`` into
    ``out_dir``; return the manifest's path. ``workers`` > 1 writes in a process pool;
    ``shapes`` assigns export shapes round-robin (default: drawn with ``shape_weights``);
    ``progress(done, total)`` is called after each enterprise written in this process."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tasks = [
        (out, i, seed, year, tuple(shape_weights), tuple(shapes)) for i in range(start, start + n)
    ]
    if workers > 1 and n > 4:
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            results = list(pool.map(write_enterprise, tasks, chunksize=8))
    else:
        results = []
        for t in tasks:
            results.append(write_enterprise(t))
            if progress:
                progress(len(results), len(tasks))
    manifest = out / "manifest.csv"
    rows = [line for r in results for line in r]
    pd.DataFrame(rows, columns=list(MANIFEST_COLUMNS)).to_csv(
        manifest, index=False, encoding="utf-8"
    )
    return manifest


if __name__ == "__main__":  # python -m analytics.portfolio.synthetic OUT N [SEED]
    import sys

    args = sys.argv[1:]
    path = generate(args[0], int(args[1]), seed=int(args[2]) if len(args) > 2 else 2025)
    print(path)
