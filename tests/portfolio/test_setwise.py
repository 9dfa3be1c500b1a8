"""The set-wise screen agrees with the single-enterprise path on every column.

A mixed portfolio: the generator's three export shapes (long CSV, GBK 96-point, XLSX) with PV
and production runs over four provinces' tariffs, plus hand-made sites for what the generator
does not make: gaps and a contracted capacity (capacity charge), a span across two Jiangsu
tariff versions (2024 → 2025), PV covering part of the year with its own gaps and load gaps
under it, PV on a 60-min interval (not on the load's grid: the single path inside the set-wise
one), an all-zero load (``analysis.no_energy``) and two enterprises that share the Zhejiang
tariff (one grid classified once, two rows).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analytics.portfolio.ingestion import ingest
from analytics.portfolio.local import screen_local
from analytics.portfolio.rows import COLUMNS, INT_COLUMNS, STR_COLUMNS
from analytics.portfolio.setwise import grid, screen_setwise
from analytics.portfolio.synthetic import SHAPES, generate

pytestmark = pytest.mark.slow


def _long(path: Path, starts: pd.DatetimeIndex, kwh: np.ndarray, col: str = "energy_kwh") -> None:
    pd.DataFrame({"timestamp": starts.strftime("%Y-%m-%d %H:%M:%S"), col: kwh}).to_csv(
        path, index=False, float_format="%.4f"
    )


def _add_sites(d: Path, manifest: Path) -> None:
    """Append the hand-made sites (module docstring) to the generated manifest."""
    rng = np.random.default_rng(7)
    year = pd.date_range("2025-01-01", "2026-01-01", freq="15min", inclusive="left")
    day = (np.arange(len(year)) % 96) / 96
    base = 40 + 30 * np.sin(np.pi * day) ** 2
    rows = []

    def site(eid: str, kind: str, name: str, **extra: str) -> None:
        rows.append(
            {"enterprise_id": eid, "enterprise_name": eid, "province": extra.pop("province", "Jiangsu"),
             "industry": "test", "kind": kind, "path": name, "tz": "Asia/Shanghai", **extra}
        )  # fmt: skip

    gaps = base * rng.uniform(0.9, 1.1, len(year))
    keep = np.ones(len(year), bool)
    keep[3000:3096] = False  # one day missing
    keep[rng.choice(len(year), 500, replace=False)] = False  # scattered gaps
    _long(d / "gap_load.csv", year[keep], gaps[keep])
    site("X-GAP", "load", "gap_load.csv", contracted_kva="800")

    span = pd.date_range("2024-07-01", "2025-07-01", freq="15min", inclusive="left")
    _long(d / "span_load.csv", span, 30 + 10 * rng.random(len(span)))
    site("X-SPAN", "load", "span_load.csv")

    pv_load = base * rng.uniform(0.9, 1.1, len(year))
    lk = np.ones(len(year), bool)
    lk[20000:20200] = False  # load missing under the PV
    _long(d / "pvpart_load.csv", year[lk], pv_load[lk])
    pv = np.clip(25 * np.sin(np.pi * (day - 0.25) * 2), 0, None)
    pk = (np.arange(len(year)) >= 5000) & (np.arange(len(year)) < 30000)
    pk[rng.choice(np.flatnonzero(pk), 300, replace=False)] = False  # PV gaps
    _long(d / "pvpart_pv.csv", year[pk], pv[pk], "pv_energy_kwh")
    site("X-PVPART", "load", "pvpart_load.csv", pv_kwp="200")
    site("X-PVPART", "pv", "pvpart_pv.csv", pv_kwp="200")

    _long(d / "pv60_load.csv", year, pv_load)
    hours = pd.date_range("2025-01-01", "2026-01-01", freq="60min", inclusive="left")
    h = (np.arange(len(hours)) % 24) / 24
    _long(d / "pv60_pv.csv", hours, np.clip(80 * np.sin(np.pi * (h - 0.25) * 2), 0, None), "pv_energy_kwh")  # fmt: skip
    site("X-PV60", "load", "pv60_load.csv", pv_kwp="100")
    site("X-PV60", "pv", "pv60_pv.csv", pv_kwp="100")

    _long(d / "zero_load.csv", year[:960], np.zeros(960))
    site("X-ZERO", "load", "zero_load.csv")

    zj = "zhejiang_large_industrial_1_10kv_2024_21"
    for k in (1, 2):
        _long(d / f"zj{k}.csv", year, base * k * rng.uniform(0.8, 1.2, len(year)))
        site(f"X-ZJ{k}", "load", f"zj{k}.csv", tariff=zj, province="Zhejiang")

    with manifest.open("a", newline="", encoding="utf-8") as fh:
        head = pd.read_csv(manifest, nrows=0).columns.tolist()
        w = csv.DictWriter(fh, fieldnames=head, extrasaction="ignore")
        for r in rows:
            w.writerow({c: r.get(c, "") for c in head})
    extra = {"contracted_kva"}
    if extra - set(head):  # the generator's manifest has no contracted_kva column: add it
        table = pd.read_csv(manifest, dtype=str, keep_default_na=False)
        table["contracted_kva"] = [
            next((r.get("contracted_kva", "") for r in rows if r["enterprise_id"] == e), "")
            for e in table["enterprise_id"]
        ]
        table.to_csv(manifest, index=False)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("mixed")
    manifest = generate(d, 9, seed=13, shapes=SHAPES)
    _add_sites(d, manifest)
    outcomes = ingest(manifest, d / "ws.duckdb", workers=1)
    assert not [o for o in outcomes if o.failed]
    return d / "ws.duckdb"


def _disagreements(a: pd.DataFrame, b: pd.DataFrame) -> dict[str, list]:
    out = {}
    for c in COLUMNS:
        x, y = a[c], b[c]
        if c in STR_COLUMNS or c in INT_COLUMNS:
            same = (x.isna() & y.isna()) | (x == y).fillna(False)
        else:
            same = (x.isna() & y.isna()) | (x == y)  # identical floats: the same sums
        if not same.all():
            out[c] = list(zip(a["enterprise_id"][~same], x[~same], y[~same], strict=True))
    return out


def test_setwise_equals_the_single_enterprise_path_on_every_column(mixed: Path) -> None:
    single = screen_local(mixed, workers=1)
    setwise = screen_setwise(mixed, workers=1, batch_size=5)  # several batches and groups
    assert list(setwise.columns) == list(COLUMNS)
    assert list(setwise["enterprise_id"]) == list(single["enterprise_id"])
    assert _disagreements(single, setwise) == {}
    # the portfolio is as mixed as the docstring says
    by_id = setwise.set_index("enterprise_id")
    assert by_id.loc["X-ZERO", "error"] == "analysis.no_energy"
    assert by_id["tariff"].nunique() >= 4  # Jiangsu (two versions), Zhejiang, Shanghai, …
    assert "+" in by_id.loc["X-SPAN", "tariff"]  # priced by two versions
    assert by_id.loc["X-GAP", "data_coverage"] < 1
    assert by_id["sec_kwh_per_unit"].notna().any()  # production runs
    assert (by_id["pv_generation_kwh"] > 0).sum() >= 3
    assert by_id.loc["X-PVPART", "warning_count"] >= 3  # pv.not_covering, missing, load missing


def test_a_grid_is_classified_once_per_tariff(mixed: Path) -> None:
    grid.cache_clear()
    screen_setwise(mixed, workers=1, batch_size=5)
    info = grid.cache_info()
    # batches holding a full 2025 year under the same tariff reuse its classified grid
    assert info.hits >= 1
    assert info.misses <= 8  # one per (tariff, span) seen, not one per enterprise (16)
