"""Workspace schema 2: intervals keyed by an integer series id, the upgrade of a schema-1
file, and the deferred (batched) writes of an ingest holding the same rows as direct ones."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analytics.findings import InputError
from analytics.portfolio.store import SCHEMA_VERSION, Enterprise, Workspace, parse_file

DAY = [float(10 + (i % 7)) for i in range(96)]  # 10 … 16 kWh repeating: exact in binary

#: The schema-1 tables as an earlier GreenTemp wrote them (intervals with their key strings).
V1_DDL = """
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE enterprises (
    enterprise_id VARCHAR PRIMARY KEY, name VARCHAR, province VARCHAR, city VARCHAR,
    industry VARCHAR, voltage VARCHAR, tariff VARCHAR, tz VARCHAR NOT NULL,
    contracted_kva DOUBLE, pv_kwp DOUBLE);
CREATE TABLE meters (
    enterprise_id VARCHAR NOT NULL, meter_id VARCHAR NOT NULL, kind VARCHAR NOT NULL,
    interval_minutes INTEGER NOT NULL, PRIMARY KEY (enterprise_id, meter_id, kind));
CREATE TABLE intervals (
    enterprise_id VARCHAR NOT NULL, meter_id VARCHAR NOT NULL, kind VARCHAR NOT NULL,
    interval_start TIMESTAMPTZ NOT NULL, kwh DOUBLE NOT NULL);
CREATE TABLE production_runs (
    enterprise_id VARCHAR NOT NULL, line VARCHAR, start_at TIMESTAMPTZ, end_at TIMESTAMPTZ,
    units DOUBLE, product VARCHAR, movable BOOLEAN, source_row BIGINT, sha256 VARCHAR NOT NULL);
CREATE TABLE provenance (
    enterprise_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, meter_id VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, imported_at TIMESTAMPTZ NOT NULL,
    intervals BIGINT NOT NULL, status VARCHAR NOT NULL, report JSON, warnings JSON,
    options JSON);
INSERT INTO meta VALUES ('schema_version', '1');
"""


def _csv(start: str, kwh: list[float]) -> bytes:
    ts = pd.date_range(start, periods=len(kwh), freq="15min").strftime("%Y-%m-%d %H:%M:%S")
    return pd.DataFrame({"timestamp": ts, "energy_kwh": kwh}).to_csv(index=False).encode()


def _files() -> list[tuple[Enterprise, object]]:
    """Three enterprises; B has load and PV, C two load files that overlap by one day."""
    a, b, c = (Enterprise(f"E-{x}", name=f"企业{x}", province="Jiangsu") for x in "ABC")
    load = lambda start, k, name: parse_file("load", _csv(start, k), file_name=name)  # noqa: E731
    return [
        (a, load("2025-03-01 00:00", DAY * 2, "a.csv")),
        (b, load("2025-03-01 00:00", DAY, "b.csv")),
        (b, parse_file("pv", _csv("2025-03-01 00:00", [0.5] * 96), file_name="b_pv.csv")),
        (c, load("2025-03-01 00:00", DAY * 2, "c1.csv")),
        (c, load("2025-03-02 00:00", DAY * 2, "c2.csv")),  # day 2 again + a new day 3
    ]


def _store_all(ws: Workspace, deferred: bool) -> list[tuple[str, int, int]]:
    out = []
    with ws.transaction():
        if deferred:
            with ws.deferred_inserts():
                for ent, parsed in _files():
                    r = ws.store(ent, parsed)
                    out.append((r.status, r.new, r.same))
        else:
            for ent, parsed in _files():
                r = ws.store(ent, parsed)
                out.append((r.status, r.new, r.same))
    return out


def test_deferred_writes_hold_the_same_rows_as_direct_writes(tmp_path: Path) -> None:
    with Workspace(tmp_path / "direct.duckdb") as d, Workspace(tmp_path / "batch.duckdb") as b:
        direct, batched = _store_all(d, False), _store_all(b, True)
        assert direct == batched
        # c2 overlaps c1 by day 2 (96 same intervals) and adds day 3 (96 new)
        assert batched[-1] == ("ok", 96, 96)
        assert d.digest() == b.digest()
        assert d.counts() == b.counts()
        # 2 days + 1 day + 3 days of load, 1 day of PV: (2 + 1 + 3 + 1) × 96 intervals
        assert b.counts()["intervals"] == 7 * 96
        assert b.counts()["provenance"] == 5
        ids = sorted(r[0] for r in b.con.execute("SELECT series_id FROM meters").fetchall())
        assert ids == [1, 2, 3, 4]  # one integer per series, no gap


def test_a_schema_1_workspace_is_refused_read_only_and_upgraded_on_write(tmp_path: Path) -> None:
    ref = tmp_path / "v2.duckdb"
    with Workspace(ref) as ws:
        _store_all(ws, True)
        digest = ws.digest()
        loads = ws.intervals(["E-A", "E-B", "E-C"])
    old = tmp_path / "v1.duckdb"
    import duckdb

    con = duckdb.connect(str(old))
    con.execute("SET TimeZone = 'UTC'")
    con.execute(V1_DDL)
    con.execute(f"ATTACH '{ref}' AS ref (READ_ONLY)")
    for table in ("enterprises", "production_runs", "provenance"):
        con.execute(f"INSERT INTO {table} SELECT * FROM ref.{table}")
    con.execute(
        "INSERT INTO meters SELECT enterprise_id, meter_id, kind, interval_minutes FROM ref.meters"
    )
    con.execute("INSERT INTO intervals SELECT * FROM ref.intervals")
    con.close()

    with pytest.raises(InputError) as err:
        Workspace(old, read_only=True)
    assert err.value.code == "workspace.schema_upgrade"
    assert (err.value.params["stored"], err.value.expected) == (1, SCHEMA_VERSION)

    with Workspace(old) as ws:  # opened for writing: upgraded in one transaction
        version = ws.con.execute("SELECT value FROM meta WHERE key = 'schema_version'")
        assert version.fetchall() == [(str(SCHEMA_VERSION),)]
        assert ws.digest() == digest
        back = ws.intervals(["E-A", "E-B", "E-C"])
    assert back.keys() == loads.keys()
    for eid, (us, kwh) in loads.items():
        np.testing.assert_array_equal(back[eid][0], us)
        np.testing.assert_array_equal(back[eid][1], kwh)
    with Workspace(old, read_only=True) as ws:  # and now readable read-only
        assert ws.counts()["intervals"] == 7 * 96


def test_enterprise_map_names_an_unknown_id(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws.duckdb") as ws:
        _store_all(ws, True)
        got = ws.enterprise_map(["E-C", "E-A"])
        assert list(got) == ["E-C", "E-A"] and got["E-A"].name == "企业A"
        with pytest.raises(InputError) as err:
            ws.enterprise_map(["E-A", "E-Z"])
    assert err.value.code == "workspace.unknown_enterprise"
    assert err.value.params["enterprise"] == "E-Z"


def _runs_files() -> list[tuple[Enterprise, object]]:
    """Production runs of two sites in different zones (one without a product column) and
    enterprises whose master data leave fields empty (NULL columns of the bulk insert)."""
    sh = Enterprise("E-SH", name="上海工厂", province="Shanghai", pv_kwp=120.0)
    ur = Enterprise("E-UR", tz="Asia/Urumqi")
    csv_sh = (
        b"line,start,end,units,product,movable\nL1,2025-03-03 08:00,2025-03-03 12:00,40,P-1,True\n"
    )
    csv_ur = b"line,start,end,units\nL9,2025-03-03 10:00,2025-03-03 11:30,7\n"
    return [
        (sh, parse_file("production", csv_sh, file_name="sh_runs.csv")),
        (ur, parse_file("production", csv_ur, file_name="ur_runs.csv", tz="Asia/Urumqi")),
        (sh, parse_file("load", _csv("2025-03-03 00:00", DAY), file_name="sh.csv")),
    ]


def test_deferred_production_runs_and_enterprises_match_direct_writes(tmp_path: Path) -> None:
    out = {}
    for deferred in (False, True):
        with Workspace(tmp_path / f"{deferred}.duckdb") as ws:
            with ws.transaction():
                if deferred:
                    with ws.deferred_inserts():
                        res = [ws.store(e, p).status for e, p in _runs_files()]
                else:
                    res = [ws.store(e, p).status for e, p in _runs_files()]
            assert res == ["ok", "ok", "ok"]
            out[deferred] = ws.digest()
            runs = ws.con.execute(
                "SELECT enterprise_id, line, epoch(start_at), epoch(end_at), units, product "
                "FROM production_runs ORDER BY enterprise_id"
            ).fetchall()
            ents = ws.con.execute(
                "SELECT enterprise_id, name, tz, pv_kwp FROM enterprises ORDER BY 1"
            ).fetchall()
        # 08:00 in Shanghai (UTC+8) = 00:00 UTC on 3 March = 1740960000; 10:00 in Urumqi
        # (UTC+6) = 04:00 UTC = 1740974400; each run kept with its instants, not its zone
        assert runs == [
            ("E-SH", "L1", 1740960000.0, 1740974400.0, 40.0, "P-1"),
            ("E-UR", "L9", 1740974400.0, 1740979800.0, 7.0, ""),  # no product column
        ]
        assert ents == [
            ("E-SH", "上海工厂", "Asia/Shanghai", 120.0),
            ("E-UR", "", "Asia/Urumqi", None),
        ]
    assert out[False] == out[True]


def test_intervals_come_back_in_time_order_when_stored_out_of_order(tmp_path: Path) -> None:
    """A later file with earlier days appends its rows after the series' first rows; another
    enterprise's series and a PV series sit between in the id range: the read must still
    give each asked series alone, in time order (and skip what was not asked for)."""
    a, b = Enterprise("E-A"), Enterprise("E-B")
    with Workspace(tmp_path / "w.duckdb") as ws:
        ws.store(a, parse_file("load", _csv("2025-03-02 00:00", DAY), file_name="a2.csv"))
        ws.store(b, parse_file("pv", _csv("2025-03-01 00:00", [0.5] * 96), file_name="b_pv.csv"))
        ws.store(b, parse_file("load", _csv("2025-03-01 00:00", [1.0] * 96), file_name="b.csv"))
        ws.store(a, parse_file("load", _csv("2025-03-01 00:00", [2.0] * 96), file_name="a1.csv"))
        got = ws.intervals(["E-A", "E-B"], "load")
        expected = ws.con.execute(
            "SELECT enterprise_id, epoch_us(interval_start), kwh FROM intervals "
            "WHERE kind = 'load' ORDER BY 1, 2"
        ).df()
    assert list(got) == ["E-A", "E-B"]
    for eid, (us, kwh) in got.items():
        want = expected[expected["enterprise_id"] == eid]
        assert np.all(np.diff(us) == 15 * 60 * 1_000_000)  # sorted, one step apart
        np.testing.assert_array_equal(us, want.iloc[:, 1].to_numpy())
        np.testing.assert_array_equal(kwh, want["kwh"].to_numpy())
    # E-A: day 1 at 2 kWh, then day 2 as DAY; E-B's load alone (its PV is not in it)
    assert got["E-A"][1][:96].tolist() == [2.0] * 96 and got["E-A"][1][96:].tolist() == DAY
    assert got["E-B"][1].tolist() == [1.0] * 96
