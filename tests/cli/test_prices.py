"""``analyze --prices`` / ``--package``: JSON = library; refusal → exit 2, one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analytics.cli.main import main
from analytics.iotools import read_load
from analytics.tou import (
    bill,
    classify_periods,
    default_tariffs_for,
    load_package,
    market_bill,
    market_section,
    package_bill,
    read_series,
)
from tests.conftest import SAMPLE

PRICES = SAMPLE / "prices" / "hourly_price_2025_illustrative.csv"
PACKAGE = SAMPLE / "prices" / "package_tou_linked_illustrative.toml"


def _tiny_load(tmp_path: Path) -> Path:
    path = tmp_path / "load.csv"
    path.write_text(
        "timestamp,energy_kwh\n"
        "2026-01-05 00:00,10\n2026-01-05 00:15,20\n2026-01-05 00:30,30\n2026-01-05 00:45,40\n",
        encoding="utf-8",
    )
    return path


def test_cli_market_section_hand_computed(tmp_path: Path, capsys) -> None:
    load = _tiny_load(tmp_path)
    prices = tmp_path / "spot.csv"
    prices.write_text("时间,电价\n2026-01-05 00:00,0.5\n2026-01-05 00:30,-0.1\n", encoding="utf-8")
    assert main(["analyze", "--load", str(load), "--prices", str(prices), "--no-shift"]) == 0
    doc = json.loads(capsys.readouterr().out)
    m = doc["market"]
    # half-hourly prices over 15-min load: (10 + 20) × 0.5 + (30 + 40) × (−0.1) = 15 − 7 = 8 CNY
    assert m["energy_cost_cny"] == pytest.approx(8.0)
    assert m["demand_charge_cny"] == doc["tou"]["demand_charge_cny"]
    assert m["total_cost_cny"] == pytest.approx(8.0 + doc["tou"]["demand_charge_cny"])
    assert m["average_price_cny_per_kwh"] == pytest.approx(0.08)  # 8 / 100 kWh
    assert "package" not in doc


def test_cli_refuses_a_series_that_does_not_cover_the_load(tmp_path: Path, capsys) -> None:
    load = _tiny_load(tmp_path)
    prices = tmp_path / "short.csv"
    prices.write_text("time,price\n2026-01-05 00:00,0.5\n2026-01-05 00:15,0.5\n", encoding="utf-8")
    assert main(["analyze", "--load", str(load), "--prices", str(prices)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err
    assert "short.csv" in err and "2026-01-05T00:30:00+08:00" in err
    assert "Traceback" not in err


def test_cli_refuses_a_bad_package(tmp_path: Path, capsys) -> None:
    load = _tiny_load(tmp_path)
    pkg = tmp_path / "p.toml"
    pkg.write_text(
        'reference = "tou"\nlinked_share = 0.5\nlinked_series = "x.csv"\nadder_cny_per_kwh = 0\n',
        encoding="utf-8",
    )
    assert main(["analyze", "--load", str(load), "--package", str(pkg), "--lang", "zh-CN"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "p.toml" in err and "第 2 行" in err and "linked_share" in err


def test_cli_sample_sections_equal_the_library(capsys) -> None:
    argv = ["analyze", "--load", str(SAMPLE / "sunan_load_2025_15min.csv"), "--no-shift"]
    assert main([*argv, "--prices", str(PRICES), "--package", str(PACKAGE)]) == 0
    doc = json.loads(capsys.readouterr().out)
    frame, _ = read_load(SAMPLE / "sunan_load_2025_15min.csv")
    periods = classify_periods(frame.index, default_tariffs_for(frame))
    tou = bill(frame, periods=periods)
    market = market_section(market_bill(frame, read_series(PRICES), tou))
    package = market_section(package_bill(frame, periods, load_package(PACKAGE), tou))
    assert doc["market"] == json.loads(json.dumps(market))
    assert doc["package"] == json.loads(json.dumps(package))
    assert doc["package"]["source"]["illustrative"] is True


@pytest.mark.slow
def test_cli_shift_is_priced_by_the_series(tmp_path: Path, capsys) -> None:
    # one day, hourly: 100 kW base, a 300 kW movable run 18:00–20:00; the series is 0.5 CNY/kWh
    # except −0.1 at 12:00–14:00, so the run moves to 12:00–14:00 (saving 600 kWh × 0.6 = 360)
    day = "2025-03-04"
    load = tmp_path / "load.csv"
    load.write_text(
        "timestamp,energy_kwh\n"
        + "".join(f"{day} {h:02d}:00,{400 if 18 <= h < 20 else 100}\n" for h in range(24)),
        encoding="utf-8",
    )
    prices = tmp_path / "spot.csv"
    prices.write_text(
        "time,price\n"
        + "".join(f"{day} {h:02d}:00,{-0.1 if 12 <= h < 14 else 0.5}\n" for h in range(24)),
        encoding="utf-8",
    )
    runs = tmp_path / "runs.csv"
    runs.write_text(
        f"line,start,end,units,movable\nA,{day} 18:00,{day} 20:00,10,True\n", encoding="utf-8"
    )
    argv = ["analyze", "--load", str(load), "--production", str(runs), "--prices", str(prices)]
    assert main(argv) == 0
    shift = json.loads(capsys.readouterr().out)["production"]["shift"]
    assert shift["priced_by"] == "series"
    assert shift["status"] == "optimal" and shift["mip_gap"] <= 1e-4
    assert [m["new_start"] for m in shift["moves"]] == ["2025-03-04T12:00:00+08:00"]
    assert shift["saving_cny"] == pytest.approx(360.0, abs=0.5)
