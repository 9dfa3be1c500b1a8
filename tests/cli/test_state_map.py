"""``--state-map``: a machine-state log with numeric codes, refused in one line, then read."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analytics.cli.main import main

IDX = pd.date_range("2025-03-03 00:00", periods=96 * 2, freq="15min")  # two days, 15 min


def _files(tmp_path):
    # state 1.0 (running, 5 items per interval) 08:00–18:00, state 2.0 (stopped) otherwise;
    # the load draws 100 kW while running and 20 kW while stopped
    on = [8 <= t.hour < 18 for t in IDX]
    log = tmp_path / "states.csv"
    log.write_text(
        "timestamp,machine,state,items\n"
        + "".join(
            f"{t:%Y-%m-%d %H:%M},M1,{1.0 if r else 2.0},{5 if r else 0}\n"
            for t, r in zip(IDX, on, strict=True)
        ),
        encoding="utf-8",
    )
    load = tmp_path / "load.csv"
    load.write_text(
        "timestamp,kW\n"
        + "".join(f"{t:%Y-%m-%d %H:%M},{100 if r else 20}\n" for t, r in zip(IDX, on, strict=True)),
        encoding="utf-8",
    )
    return load, log


def test_numeric_states_without_a_map_exit_2_saying_what_to_set(tmp_path, capsys) -> None:
    load, log = _files(tmp_path)
    rc = main(["analyze", "--load", str(load), "--production", str(log), "--no-shift"])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "states.csv, row 2, column state" in err
    assert "--state-map 1=running,2=stopped" in err


def test_with_the_map_the_log_gives_exact_figures(tmp_path, capsys) -> None:
    load, log = _files(tmp_path)
    out = tmp_path / "out.json"
    rc = main(
        [
            "analyze",
            "--load",
            str(load),
            "--production",
            str(log),
            "--no-shift",
            "--state-map",
            "1=running,2=stopped",
            "--json",
            str(out),
        ]
    )
    assert rc == 0, capsys.readouterr().err
    prod = json.loads(out.read_text(encoding="utf-8"))["production"]
    # units: 10 h × 4 intervals × 5 items × 2 days = 400
    assert prod["units"] == 400.0
    # idle = the 14 stopped hours × 20 kW × 2 days = 560 kWh of 2 × (10 h × 100 + 14 h × 20)
    assert prod["idle_energy_kwh"] == 560.0
    assert prod["idle_share"] == pytest.approx(560.0 / 2560.0)


@pytest.mark.parametrize("bad", ["1=runing", "1", "=running", "1=running,1=stopped"])
def test_a_bad_map_is_one_line_naming_the_option(tmp_path, capsys, bad: str) -> None:
    load, log = _files(tmp_path)
    rc = main(
        ["analyze", "--load", str(load), "--production", str(log), "--no-shift", "--state-map", bad]
    )
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert "--state-map" in err
