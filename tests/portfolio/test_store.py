"""Workspace store: round trip, idempotent re-import, named conflicts, transactions, SIGKILL."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analytics.findings import InputError
from analytics.iotools.load import read_load
from analytics.portfolio.store import Enterprise, Workspace, WorkspaceConflict, parse_file
from tests.conftest import ROOT, SAMPLE

ENT = Enterprise("ACME-01", name="测试纺织有限公司", province="Jiangsu", industry="textiles")


def _csv(start: str, kwh: list[float] | np.ndarray) -> bytes:
    """Long CSV ``timestamp,energy_kwh`` of 15-min interval starts (naive Asia/Shanghai)."""
    ts = pd.date_range(start, periods=len(kwh), freq="15min").strftime("%Y-%m-%d %H:%M:%S")
    return pd.DataFrame({"timestamp": ts, "energy_kwh": kwh}).to_csv(index=False).encode()


def _parsed(start: str, kwh, name: str = "a.csv"):
    return parse_file("load", _csv(start, kwh), file_name=name)


DAY = [float(10 + (i % 7)) for i in range(96)]  # 10 … 16 kWh repeating: exact in binary


def test_round_trip_gives_the_canonical_frame_in_the_site_zone(tmp_path: Path) -> None:
    parsed = _parsed("2025-03-01 00:00", DAY * 2)
    with Workspace(tmp_path / "ws.duckdb") as ws:
        res = ws.store(ENT, parsed)
        assert (res.status, res.new, res.same) == ("ok", 192, 0)
        back = ws.load(ENT.enterprise_id)
    pd.testing.assert_frame_equal(back.frame, parsed.frame)
    assert str(back.frame.index.tz) == "Asia/Shanghai"
    assert back.frame.index[0] == pd.Timestamp("2025-03-01 00:00", tz="Asia/Shanghai")
    # energy: 2 days × (96 intervals, values 10..16 cycling) — Σ over one day of DAY
    assert back.frame["kwh"].sum() == pytest.approx(2 * sum(DAY))
    assert back.report.intervals == 192 and back.report.file_name == "a.csv"


def test_sample_file_round_trip_keeps_the_importer_report(tmp_path: Path) -> None:
    path = SAMPLE / "sunan_load_2025_15min.csv"
    frame, report = read_load(path)
    with Workspace(tmp_path / "ws.duckdb") as ws:
        ws.store(ENT, parse_file("load", path.read_bytes(), file_name=path.name))
        back = ws.load(ENT.enterprise_id)
    pd.testing.assert_frame_equal(back.frame, frame)
    assert back.report == report


def test_importing_the_same_export_twice_changes_nothing(tmp_path: Path) -> None:
    parsed = _parsed("2025-03-01 00:00", DAY)
    with Workspace(tmp_path / "ws.duckdb") as ws:
        ws.store(ENT, parsed)
        before, counts = ws.digest(), ws.counts()
        res = ws.store(ENT, parsed)
        assert (res.status, res.new, res.same) == ("unchanged", 0, 96)
        assert ws.digest() == before and ws.counts() == counts
        assert counts["provenance"] == 1


def test_overlap_with_new_intervals_appends_only_the_new_ones(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws.duckdb") as ws:
        ws.store(ENT, _parsed("2025-03-01 00:00", DAY))
        # second export: the same day again plus the next day → 96 same, 96 new
        res = ws.store(ENT, _parsed("2025-03-01 00:00", DAY * 2, "b.csv"))
        assert (res.status, res.new, res.same) == ("ok", 96, 96)
        assert ws.counts()["intervals"] == 192
        back = ws.load(ENT.enterprise_id)
    assert len(back.frame) == 192 and back.report.intervals == 192
    assert back.report.file_name == "a.csv + b.csv"


def test_conflicting_overlap_is_named_and_changes_nothing(tmp_path: Path) -> None:
    changed = list(DAY)
    changed[10] += 1.0
    changed[20] += 2.5
    with Workspace(tmp_path / "ws.duckdb") as ws:
        ws.store(ENT, _parsed("2025-03-01 00:00", DAY))
        before = ws.digest()
        # 96 overlapping intervals, 2 differ, plus 4 new ones after the stored day
        with pytest.raises(WorkspaceConflict) as info:
            ws.store(ENT, _parsed("2025-03-01 00:00", changed + DAY[:4], "c.csv"))
        err = info.value
        assert err.code == "workspace.conflict"
        assert (err.overlapping, err.differing, err.new) == (96, 2, 4)
        assert err.file == "c.csv" and err.params["enterprise"] == "ACME-01"
        assert ws.digest() == before
        # with replace=True the 2 differing intervals take the new values, 4 are appended
        res = ws.store(ENT, _parsed("2025-03-01 00:00", changed + DAY[:4], "c.csv"), replace=True)
        assert (res.status, res.replaced, res.new, res.same) == ("replaced", 2, 4, 94)
        kwh = ws.load(ENT.enterprise_id).frame["kwh"]
    assert kwh.iloc[10] == DAY[10] + 1.0 and kwh.iloc[20] == DAY[20] + 2.5 and len(kwh) == 100


def test_gaps_are_not_filled_and_come_back_as_nan(tmp_path: Path) -> None:
    data = _csv("2025-03-01 00:00", DAY).decode().splitlines()
    del data[11:21]  # drop 10 data rows (intervals 10..19)
    parsed = parse_file("load", ("\n".join(data) + "\n").encode(), file_name="gap.csv")
    with Workspace(tmp_path / "ws.duckdb") as ws:
        ws.store(ENT, parsed)
        assert ws.counts()["intervals"] == 86
        back = ws.load(ENT.enterprise_id)
    assert back.frame["kwh"].isna().sum() == 10 and back.report.missing_intervals == 10


def test_an_error_inside_a_transaction_rolls_everything_back(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws.duckdb") as ws:
        ws.store(ENT, _parsed("2025-03-01 00:00", DAY))
        before = ws.digest()
        with pytest.raises(RuntimeError), ws.transaction():
            ws.store(Enterprise("OTHER"), _parsed("2025-04-01 00:00", DAY, "o.csv"))
            raise RuntimeError("boom")
        assert ws.digest() == before and ws.counts()["enterprises"] == 1


def test_interval_mismatch_is_refused(tmp_path: Path) -> None:
    hourly = pd.DataFrame(
        {
            "timestamp": pd.date_range("2025-03-02", periods=24, freq="h").strftime(
                "%Y-%m-%d %H:%M:%S"
            ),
            "energy_kwh": 40.0,
        }
    )
    parsed = parse_file("load", hourly.to_csv(index=False).encode(), file_name="h.csv")
    with Workspace(tmp_path / "ws.duckdb") as ws:
        ws.store(ENT, _parsed("2025-03-01 00:00", DAY))
        with pytest.raises(InputError) as info:
            ws.store(ENT, parsed)
    assert info.value.code == "workspace.interval_mismatch"


def test_pv_and_production_are_stored_with_provenance(tmp_path: Path) -> None:
    pv = SAMPLE / "sunan_pv_2025_15min.csv"
    runs = SAMPLE / "sunan_production_runs_2025.csv"
    with Workspace(tmp_path / "ws.duckdb") as ws:
        ws.store(ENT, parse_file("pv", pv.read_bytes(), file_name=pv.name))
        res = ws.store(ENT, parse_file("production", runs.read_bytes(), file_name=runs.name))
        assert res.status == "ok" and res.new == len(ws.runs(ENT.enterprise_id))
        assert (
            ws.store(ENT, parse_file("production", runs.read_bytes(), file_name=runs.name)).status
            == "unchanged"
        )
        prov = ws.provenance()
        assert sorted(prov["kind"]) == ["production", "pv"]
        assert ws.load(ENT.enterprise_id, "pv").frame["kwh"].sum() > 0
        assert str(ws.runs(ENT.enterprise_id)["start_at"].dt.tz) == "Asia/Shanghai"


def test_read_only_open_of_a_missing_file_is_a_named_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        Workspace(tmp_path / "nope.duckdb", read_only=True)
    assert info.value.code == "workspace.not_found"


_KILL_SCRIPT = textwrap.dedent("""
    import sys
    from analytics.portfolio import ingest
    def progress(done, total):
        print(f"{done}/{total}", flush=True)
    ingest(sys.argv[1], sys.argv[2], workers=1, commit_every=10_000, progress=progress)
    print("finished", flush=True)
""")


@pytest.mark.slow
def test_a_process_killed_mid_ingest_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    year = np.round(np.tile(DAY, 365) * 1.0, 3)
    (tmp_path / "y.csv").write_bytes(_csv("2025-01-01 00:00", year))
    lines = ["enterprise_id,enterprise_name,province,industry,kind,path"]
    lines += [f"K-{i:03d},Kill test {i},Jiangsu,textiles,load,y.csv" for i in range(60)]
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("\n".join(lines) + "\n")
    ws_path = tmp_path / "ws.duckdb"
    with Workspace(ws_path) as ws:
        ws.store(ENT, _parsed("2025-03-01 00:00", DAY))
        before = ws.digest()
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILL_SCRIPT, str(manifest), str(ws_path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        for line in proc.stdout:  # wait until ≥ 5 enterprise-years are written, uncommitted
            if line.strip() == "5/60":
                break
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    with Workspace(ws_path) as ws:  # opens (WAL replayed or discarded), content intact
        assert ws.digest() == before
        assert ws.counts()["enterprises"] == 1
    from analytics.portfolio.ingestion import ingest

    outcomes = ingest(manifest, ws_path, workers=1)  # a re-run completes
    assert {o.status for o in outcomes} == {"ok"} and len(outcomes) == 60
    with Workspace(ws_path, read_only=True) as ws:
        assert ws.counts()["intervals"] == 96 + 60 * 35040
        assert ws.counts()["enterprises"] == 61
