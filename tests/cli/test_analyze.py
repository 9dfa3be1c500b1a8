"""CLI = argv → library → JSON; bad input → exit 2 and one line on stderr."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from analytics.analysis import SCHEMA_ID, analyze, to_json
from analytics.cli.errors import renderer
from analytics.cli.main import main
from analytics.green.plan import green_plan, plan_sections
from analytics.iotools.load import ImportOptions, read_load
from analytics.stage.assessment import Questionnaire, assess, indicators_of, stage_section
from analytics.tou import classify_periods, default_tariffs_for
from tests.conftest import ROOT, SAMPLE

LOAD = SAMPLE / "sunan_load_2025_15min.csv"
WIDE = SAMPLE / "sunan_load_2025_96point_gbk.csv"


def test_cli_json_equals_the_library_result(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", "--load", str(LOAD)]) == 0
    out = json.loads(capsys.readouterr().out)
    frame, report = read_load(LOAD, file_name=LOAD.name, options=ImportOptions())
    analysis = analyze(frame, report)
    expected = to_json(analysis, renderer("en"))
    # the green plan (procurement, factors used, footprint): the same call the Green page makes
    expected["green"].update(plan_sections(green_plan(analysis.green, analysis.periods))["green"])
    # the stage: indicators of the data + the (all "no") questionnaire
    expected["stage"] = stage_section(
        assess(indicators_of(analysis, production_linked=False), Questionnaire())
    )
    assert out == json.loads(json.dumps(expected))
    assert out["schema"] == SCHEMA_ID
    assert set(out) == {"schema", "data", "load", "tou", "green", "green_temperature", "stage"}
    assert set(out["tou"]) == {
        "tariff",
        "energy_kwh",
        "energy_cost_cny",
        "demand_charge_cny",
        "total_cost_cny",
        "average_price_cny_per_kwh",
    }
    assert set(out["tou"]["energy_kwh"]) == {"sharp", "peak", "flat", "valley", "deep_valley"}
    # 2025 spans the two Jiangsu versions (苏发改价格发〔2025〕426号 from 2025-06-01)
    assert (
        out["tou"]["tariff"]
        == "jiangsu_large_industrial_1_10kv_pre2025+jiangsu_large_industrial_1_10kv_2025_426"
    )
    assert sum(out["tou"]["energy_kwh"].values()) == pytest.approx(out["load"]["energy_kwh"])
    assert set(out["load"]) == {
        "energy_kwh",
        "peak_kw",
        "peak_at",
        "average_kw",
        "load_factor",
        "base_load_kw",
    }
    assert out["data"]["interval_minutes"] == 15
    assert out["data"]["label_convention"] == "start"
    # ISO 8601 with "T" and the site's offset
    assert out["data"]["start"] == "2025-01-01T00:00:00+08:00"
    assert out["data"]["end"] == "2025-12-31T23:45:00+08:00"


def test_wide_gbk_export_gives_the_same_load_figures(tmp_path: Path) -> None:
    out = tmp_path / "a.json"
    assert main(["analyze", "--load", str(WIDE), "--json", str(out)]) == 0
    wide = json.loads(out.read_text(encoding="utf-8"))
    assert main(["analyze", "--load", str(LOAD), "--json", str(out)]) == 0
    long = json.loads(out.read_text(encoding="utf-8"))
    assert wide["data"]["label_convention"] == "end"
    assert wide["data"]["start"] == long["data"]["start"]
    assert wide["data"]["end"] == long["data"]["end"]
    for key in ("energy_kwh", "peak_kw", "average_kw", "load_factor", "base_load_kw"):
        assert wide["load"][key] == pytest.approx(long["load"][key], rel=1e-9), key
    assert wide["load"]["peak_at"] == long["load"]["peak_at"]


@pytest.mark.parametrize(
    ("content", "code_word"),
    [
        (b"", "empty"),
        (b"timestamp,energy_kwh\n2025-01-01 00:00,1\nnot a time,2\n2025-01-01 00:30,3\n", "row"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path: Path, content: bytes, code_word: str) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    proc = subprocess.run(
        [sys.executable, "-m", "analytics", "analyze", "--load", str(bad)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "bad.csv" in lines[0]
    assert proc.stdout == ""


def test_missing_file_and_bad_zone_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["analyze", "--load", str(tmp_path / "nope.csv")]) == 2
    assert "nope.csv" in capsys.readouterr().err
    assert main(["analyze", "--load", str(LOAD), "--tz", "Mars/Olympus"]) == 2
    assert "Mars/Olympus" in capsys.readouterr().err


def test_tariff_option_prices_with_that_preset(capsys: pytest.CaptureFixture[str]) -> None:
    gd = "guangdong_large_industrial_1_10kv_2021_331"
    assert main(["analyze", "--load", str(LOAD), "--tariff", gd]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["tou"]["tariff"] == gd
    # Guangdong has a sharp peak (Jul–Sep 11–12, 15–17): the sample's summer days use it
    assert out["tou"]["energy_kwh"]["sharp"] > 0
    assert main(["analyze", "--load", str(LOAD), "--tariff", "no_such_tariff"]) == 2
    assert "no_such_tariff" in capsys.readouterr().err


def test_pv_file_fills_the_green_section(capsys: pytest.CaptureFixture[str]) -> None:
    pv = SAMPLE / "sunan_pv_2025_15min.csv"
    assert main(["analyze", "--load", str(LOAD), "--pv", str(pv), "--target-share", "0.5"]) == 0
    doc = json.loads(capsys.readouterr().out)
    g, energy = doc["green"], doc["load"]["energy_kwh"]
    assert g["pv_generation_kwh"] > 1e6
    # DESIGN: grid import = energy − self-consumed; purchase = max(0, T × energy − self-consumed)
    assert g["grid_import_kwh"] == pytest.approx(energy - g["pv_self_consumed_kwh"], rel=1e-9)
    assert g["green_purchase_kwh"] == pytest.approx(
        0.5 * energy - g["pv_self_consumed_kwh"], rel=1e-9
    )
    assert g["gec_count"] == math.ceil(g["green_purchase_kwh"] / 1000)


def test_modelled_pv_needs_a_location(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", "--load", str(LOAD), "--pv-kwp", "1000"]) == 2
    assert "--lat" in capsys.readouterr().err


def test_production_section_equals_the_library(capsys: pytest.CaptureFixture[str]) -> None:
    from analytics.iotools.production import read_production
    from analytics.production.metrics import analyze_production, production_section

    runs = SAMPLE / "sunan_production_runs_2025.csv"
    assert main(["analyze", "--load", str(LOAD), "--production", str(runs), "--no-shift"]) == 0
    doc = json.loads(capsys.readouterr().out)
    frame, _ = read_load(LOAD, file_name=LOAD.name, options=ImportOptions())
    data, prod_report = read_production(runs, file_name=runs.name)
    expected = production_section(
        analyze_production(
            frame,
            data,
            periods=classify_periods(frame.index, default_tariffs_for(frame)),
            import_warnings=prod_report.warnings,
            run_shift=False,
        )
    )
    assert doc["production"] == json.loads(json.dumps(expected))
    assert doc["stage"]["indicators"]["production_linked"] is True
    p = doc["production"]
    # DESIGN: SEC = energy / units; idle share = idle energy / energy
    assert p["sec_kwh_per_unit"] == pytest.approx(doc["load"]["energy_kwh"] / p["units"], rel=1e-12)
    assert p["idle_share"] == pytest.approx(
        p["idle_energy_kwh"] / doc["load"]["energy_kwh"], rel=1e-12
    )
    # the idle share enters the Green Temperature as idle avoidance = 1 − idle share
    comp = doc["green_temperature"]["components"]["idle_avoidance"]
    assert comp["value"] == pytest.approx(1 - p["idle_share"])


def test_zero_energy_and_negative_capacity_are_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    zero = tmp_path / "zero.csv"
    stamps = [f"2025-03-03 {h:02d}:{m:02d}" for h in range(24) for m in (0, 15, 30, 45)]
    zero.write_text(
        "timestamp,energy_kwh\n" + "".join(f"{s},0\n" for s in stamps), encoding="utf-8"
    )
    assert main(["analyze", "--load", str(zero)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "zero.csv" in err[0]
    assert main(["analyze", "--load", str(LOAD), "--contracted-kva", "-5"]) == 2
    assert "--contracted-kva" in capsys.readouterr().err


def test_import_flags_mirror_import_options(tmp_path: Path) -> None:
    from analytics.cli.main import build_parser

    args = build_parser().parse_args(
        ["analyze", "--load", "x.csv", "--date-column", "日期", "--time-column", "时刻"]
        + ["--value-column", "kW", "--sheet", "Sheet2"]
    )
    assert (args.date_column, args.time_column, args.value_column, args.sheet) == (
        "日期",
        "时刻",
        "kW",
        "Sheet2",
    )


def test_value_column_flag_picks_the_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # two unnamed numeric columns: detection cannot choose; --value-column b does
    lines = ["t,a,b"] + [f"2025-01-06 00:{m:02d},1,2" for m in (0, 15, 30, 45)]
    path = tmp_path / "two.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["analyze", "--load", str(path)]) == 2
    assert "Traceback" not in capsys.readouterr().err
    out = tmp_path / "o.json"
    assert main(["analyze", "--load", str(path), "--value-column", "b", "--json", str(out)]) == 0
    # b read as kW (no unit): 4 × 2 kW × 0.25 h = 2 kWh
    assert json.loads(out.read_text(encoding="utf-8"))["load"]["energy_kwh"] == 2.0
