"""``analyze --bills --pf-standard --contracted-kva``: the sections equal the library's (the
same function the Load & TOU page calls); bad bills exit 2 with one line; the UCI steel year."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analytics.analysis import analyze
from analytics.cli.main import main
from analytics.iotools.bills import read_bills
from analytics.iotools.load import ImportOptions, read_load
from analytics.tou.bills import BillOptions, bill_sections
from tests.conftest import TEST_DATA
from tests.importer_fixtures import write_text
from tests.tou.bill_fixtures import FLAT_TOML, flat_tariff

UCI = TEST_DATA / "uci_steel_industry_2018_15min.csv"


def _load_csv(tmp_path: Path) -> Path:
    """Jan–Feb 2018 hourly at 10 kWh and 7.5 kvarh (pf 0.80), 2 kvarh leading."""
    lines = ["时间,有功电量(kWh),感性无功电量(kvarh),容性无功电量(kvarh)"]
    hours = (31 + 28) * 24
    for t in pd.date_range("2018-01-01", periods=hours, freq="1h"):
        lines.append(f"{t:%Y-%m-%d %H:%M},10,7.5,2")
    return write_text(tmp_path / "load.csv", lines)


def test_cli_sections_equal_the_library(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    load = _load_csv(tmp_path)
    tariff = write_text(tmp_path / "flat.toml", FLAT_TOML.splitlines())
    bills = write_text(
        tmp_path / "bills.csv",
        ["月份,电量,总电费", "2018-01,7440,4500", "2018-02,6720,3970", "2018-03,7000,4000"],
    )
    argv = ["analyze", "--load", str(load), "--tariff", str(tariff), "--no-shift"]
    argv += ["--contracted-kva", "20", "--bills", str(bills), "--pf-standard", "0.85"]
    assert main([*argv, "--bill-calibrate"]) == 0
    out = json.loads(capsys.readouterr().out)
    frame, report = read_load(load, file_name=load.name, options=ImportOptions())
    a = analyze(frame, report, tariffs=[flat_tariff()], contracted_kva=20.0, run_shift=False)
    lib = bill_sections(
        a.frame,
        a.bill,
        a.periods,
        options=BillOptions(
            pf_standard=0.85, contracted_kva=20.0, calibrate=True, pf_requested=True
        ),
        bills=read_bills(bills)[0],
    )
    assert out["power_factor"] == json.loads(json.dumps(lib.power_factor))
    assert out["bill_check"] == json.loads(json.dumps(lib.bill_check))
    assert out["tou"]["basic_charge_choice"] == json.loads(json.dumps(lib.basic_charge_choice))
    # by hand: pf 0.80 under the 0.85 standard → +2.5 %; the capacity bill (20 × 30 = 600 a
    # month) is the basis: Jan 3720 + 600 = 4320 → 108.0; Feb 3360 + 600 = 3960 → 99.0
    assert [m["adjustment_cny"] for m in out["power_factor"]["months"]] == pytest.approx(
        [108.0, 99.0]
    )
    # demand 10 kW × 40 = 400 < capacity 600 a month: demand cheaper by 2 × 200 = 400
    choice = out["tou"]["basic_charge_choice"]
    assert (choice["cheaper"], choice["saving_cny"]) == ("demand", 400.0)
    check = out["bill_check"]
    assert check["flagged_months"] == ["2018-03"]  # no data in March; Jan/Feb within 2 %/5 %
    # Jan factor = (4500 − 600) / 3720; Feb = (3970 − 600) / 3360
    assert [r["factor"] for r in check["calibration"]["months"]] == pytest.approx(
        [3900 / 3720, 3370 / 3360]
    )
    codes = {w["code"] for w in out["data"]["warnings"]}
    assert {"power_factor.leading_not_counted", "bills.month_without_data"} <= codes


def test_a_bad_bills_file_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    load = _load_csv(tmp_path)
    bills = write_text(tmp_path / "bills.csv", ["月份,电量", "2018-01,7440", "2018-1,1"])
    assert main(["analyze", "--load", str(load), "--no-shift", "--bills", str(bills)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "bills.csv" in err[0] and "3" in err[0] and "2018-01" in err[0]
    argv = ["analyze", "--load", str(load), "--no-shift", "--bill-kwh-tolerance", "2"]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "kwh_tolerance" in err[0]


def test_the_uci_steel_year_power_factor(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["analyze", "--load", str(UCI), "--tz", "Asia/Seoul", "--no-shift"]
    assert main(argv) == 0
    pf = json.loads(capsys.readouterr().out)["power_factor"]
    months = {m["month"]: m for m in pf["months"]}
    assert len(months) == 12 and pf["standard"] == 0.9 and pf["reactive"] == "lagging"
    # January: 126,238.29 kWh, 54,461.19 kvarh lagging → pf = 0.9182 → 0.92 → −0.30 %
    jan = months["2018-01"]
    assert (round(jan["kwh"], 2), round(jan["kvarh"], 2)) == (126_238.29, 54_461.19)
    assert round(jan["pf"], 4) == 0.9182 and jan["adjustment_share"] == pytest.approx(-0.003)
    # October: 84,665.65 kWh, 49,595.85 kvarh → 0.8629 → 0.86 → +2.0 % (4 steps × 0.5 %)
    assert months["2018-10"]["pf_rounded"] == 0.86
    assert months["2018-10"]["adjustment_share"] == pytest.approx(0.02)
    # May (0.8994 → 0.90) sits at the standard: no adjustment
    assert months["2018-05"]["adjustment_share"] == 0.0
