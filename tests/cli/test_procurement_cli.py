"""The green plan on the command line: the JSON equals the library; bad options exit 2."""

from __future__ import annotations

import argparse
import json

import numpy as np
import pandas as pd
import pytest

from analytics.analysis import analyze
from analytics.cli.main import main
from analytics.cli.procurement import plan_options
from analytics.green.plan import PlanOptions, green_plan, plan_sections
from analytics.green.potential import analyze_green
from analytics.iotools import make_frame
from analytics.iotools.load import ImportOptions, read_load
from analytics.iotools.pv import read_pv
from analytics.tou import classify_periods, default_tariffs_for
from tests.conftest import SAMPLE

LOAD = SAMPLE / "sunan_load_2025_15min.csv"
PV = SAMPLE / "sunan_pv_2025_15min.csv"


@pytest.mark.slow
def test_cli_plan_equals_the_library(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["analyze", "--load", str(LOAD), "--pv", str(PV), "--no-shift"]
    argv += ["--cbam-goods", "cement", "--goods-t", "50000", "--hourly-target", "0.2"]
    argv += ["--roof-limit-kwp", "500"]
    assert main(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    frame, report = read_load(LOAD, file_name=LOAD.name, options=ImportOptions())
    pv, pv_report = read_pv(PV, file_name=PV.name, options=ImportOptions())
    analysis = analyze(frame, report, pv=pv, pv_report=pv_report, run_shift=False)
    opts = PlanOptions(hourly_target=0.2, roof_limit_kwp=500.0, cbam_goods="cement", goods_t=5e4)
    expected = json.loads(
        json.dumps(plan_sections(green_plan(analysis.green, analysis.periods, opts)))
    )
    assert doc["cbam"] == expected["cbam"]
    for key in ("procurement", "factors_used", "product_footprint"):
        assert doc["green"][key] == expected["green"][key]
    proc = doc["green"]["procurement"]
    assert proc["hourly_target"] == 0.2 and proc["meets_target"]
    assert proc["instruments"][0]["capacity_kwp"] <= 500.0 + 1e-6
    assert proc["total_cost_cny"] <= proc["gec_only_cost_cny"]
    # cbam: electricity = the load's energy; indirect = kWh / 1000 × 0.5306
    cbam = doc["cbam"]
    assert cbam["electricity_kwh"] == pytest.approx(doc["load"]["energy_kwh"])
    assert cbam["indirect_emissions_t"] == pytest.approx(cbam["electricity_kwh"] / 1000 * 0.5306)
    assert cbam["specific_indirect_t_per_t"] == pytest.approx(cbam["indirect_emissions_t"] / 5e4)
    purposes = {(f["field"], f["purpose"]) for f in doc["green"]["factors_used"]}
    assert purposes == {
        ("green.grid_factor_t_per_mwh", "location"),
        ("green.residual_factor_t_per_mwh", "market_residual"),
        ("green.product_footprint.factor_t_per_mwh", "product_footprint"),
        ("cbam.factor_t_per_mwh", "cbam"),
    }


@pytest.mark.parametrize(
    "extra",
    [["--cbam-goods", "cement"], ["--hourly-target", "1.5"], ["--roof-limit-kwp", "-5"]],
)
def test_bad_plan_options_exit_2_with_one_line(
    extra: list[str], tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    idx = pd.date_range("2025-06-01", periods=96, freq="15min", tz="Asia/Shanghai")
    path = tmp_path / "load.csv"
    pd.DataFrame({"timestamp": idx.strftime("%Y-%m-%d %H:%M"), "energy_kwh": 10.0}).to_csv(
        path, index=False
    )
    assert main(["analyze", "--load", str(path), "--no-shift", *extra]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "\n" not in err and "Traceback" not in err


def test_industry_gives_the_ets_label_when_another_group_defines_it() -> None:
    ns = argparse.Namespace(
        hourly_target=None, roof_limit_kwp=None, cbam_goods=None, goods_t=None, lat=None, lon=None
    )
    assert plan_options(ns).industry is None
    ns.industry = "steel"
    opts = plan_options(ns)
    assert opts.industry == "steel" and opts.city == "wuxi"
    # a two-day load is enough to see the label in the sections
    idx = pd.date_range("2025-06-01", periods=192, freq="15min", tz="Asia/Shanghai")
    frame = make_frame(pd.Series(np.full(192, 25.0), index=idx), 15)
    periods = classify_periods(frame.index, default_tariffs_for(frame))
    green = analyze_green(frame, None, periods=periods)
    sections = plan_sections(green_plan(green, periods, opts))
    assert sections["green"]["scope2_ets"]["label"] == "not_counted_by_national_ets"
    assert "cbam" not in sections
