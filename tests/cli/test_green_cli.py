"""The green options of ``analyze`` (analytics/cli/green.py): holdings, targets, GEC prices."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analytics.analysis import analyze, to_json
from analytics.cli.errors import renderer
from analytics.cli.main import main
from analytics.green import GecLot, Holdings
from analytics.iotools.load import ImportOptions, read_load
from tests.conftest import SAMPLE

LOAD = SAMPLE / "sunan_load_2025_15min.csv"


def _run(capsys: pytest.CaptureFixture[str], *extra: str) -> dict:
    assert main(["analyze", "--load", str(LOAD), *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_holdings_file_and_options_equal_the_library(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "gec.csv"
    f.write_text("count,vintage,project_type\n800,2025-02,wind\n300,2023,biomass\n", "utf-8")
    doc = _run(
        capsys,
        "--gec-holdings",
        str(f),
        "--gec-held",
        "200",
        "--green-purchased-kwh",
        "250000",
        "--reporting-year",
        "2026",
        "--target-share",
        "0.5",
    )
    frame, report = read_load(LOAD, file_name=LOAD.name, options=ImportOptions())
    lots = (GecLot(800, 2025, "wind", 2), GecLot(300, 2023, "biomass"), GecLot(200, 2026))
    expected = to_json(
        analyze(
            frame,
            report,
            target_share=0.5,
            holdings=Holdings(250_000.0, lots, "self", 2026),
        ),
        renderer("en"),
    )
    # the analysis' green section exactly; the CLI adds the plan's keys (procurement, factors)
    plan = {k: v for k, v in doc["green"].items() if k not in expected["green"]}
    assert {k: v for k, v in doc["green"].items() if k not in plan} == json.loads(
        json.dumps(expected["green"])
    )
    assert {"procurement", "factors_used"} <= set(plan)
    h = doc["green"]["holdings"]
    # reporting year 2026: 800 (2025) + 200 (2026) valid, 300 (2023) expired
    assert (h["gec_valid"], h["gec_expired"], h["gec_valid_kwh"]) == (1000, 300, 1_000_000.0)
    assert h["held_kwh"] == 250_000 + 1_000_000  # no PV in this run
    warn = {w["code"]: w for w in doc["data"]["warnings"]}
    assert warn["green.gec_expired"]["count"] == 300
    assert "300 GECs" in warn["green.gec_expired"]["message"]
    # missing = 0.5 × energy − 1,250,000; priced at vintage 2026 → the nearest vintage (2025)
    e = doc["load"]["energy_kwh"]
    assert doc["green"]["green_purchase_kwh"] == pytest.approx(0.5 * e - 1_250_000)
    assert doc["green"]["gec_price"]["vintage"] == 2025
    assert "green.gec_price_other_vintage" in warn


def test_without_a_target_the_default_or_the_assumption(capsys: pytest.CaptureFixture[str]) -> None:
    g = _run(capsys)["green"]
    assert (g["target_share"], g["target_basis"]) == (0.3, "assumption")
    assert g["target_default"] == {"share": None, "year": None, "status": "none", "source": None}
    g = _run(capsys, "--province", "Jiangsu", "--industry", "data_centre_hub")["green"]
    assert (g["target_share"], g["target_basis"]) == (0.8, "default")
    g = _run(capsys, "--industry", "electrolytic_aluminium")["green"]
    assert g["target_default"]["status"] == "assessed" and g["target_basis"] == "assumption"
    g = _run(capsys, "--industry", "steel", "--target-share", "0.25")["green"]
    assert (g["target_share"], g["target_basis"]) == (0.25, "user")
    # the GEC price month: January 2026 → 5.51 CNY for the 2025 vintage
    g = _run(capsys, "--gec-price-month", "2026-01")["green"]
    assert g["gec_price"]["price_cny"] == 5.51
    assert g["gec_cost_cny"] == pytest.approx(g["gec_count"] * 5.51)


def test_gec_vintage_prices_the_missing_gecs(capsys: pytest.CaptureFixture[str]) -> None:
    g = _run(capsys, "--gec-vintage", "2024")["green"]
    # 2025 data, vintage 2024 counts for 2025; price as of 2025-12: the Oct 2025 average 2.56
    assert (g["gec_price"]["vintage"], g["gec_price"]["price_cny"]) == (2024, 2.56)
    assert g["gec_cost_cny"] == pytest.approx(g["gec_count"] * 2.56)
    assert main(["analyze", "--load", str(LOAD), "--gec-vintage", "2026"]) == 2
    err = capsys.readouterr().err
    assert "2026" in err and "2024 or 2025" in err  # (pre-2024 vintages also count for 2025)


def test_pv_owner_third_party_does_not_count_its_pv(capsys: pytest.CaptureFixture[str]) -> None:
    pv = str(SAMPLE / "sunan_pv_2025_15min.csv")
    own = _run(capsys, "--pv", pv)["green"]
    third = _run(capsys, "--pv", pv, "--pv-owner", "third_party")["green"]
    assert own["renewable_share_now"] > 0 and third["renewable_share_now"] == 0.0
    # without the owner's GECs the whole target is missing: 0.3 × energy
    assert third["green_purchase_kwh"] == pytest.approx(
        0.3 * (third["grid_import_kwh"] + third["pv_self_consumed_kwh"])
    )


@pytest.mark.parametrize(
    ("content", "word"),
    [
        ("count,vintage,project_type\nten,2025,wind\n", "row 2"),
        ("count,vintage\n1,2025\n", "project_type"),
        ("count,vintage,project_type\n1,2025,nuclear\n", "nuclear"),
    ],
)
def test_a_bad_holdings_file_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, word: str
) -> None:
    f = tmp_path / "gec.csv"
    f.write_text(content, "utf-8")
    assert main(["analyze", "--load", str(LOAD), "--gec-holdings", str(f)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "gec.csv" in err and word in err
    assert "Traceback" not in err


def test_bad_green_options_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", "--load", str(LOAD), "--gec-held", "-3"]) == 2
    assert "-3" in capsys.readouterr().err
    assert main(["analyze", "--load", str(LOAD), "--green-purchased-kwh", "-1"]) == 2
    assert main(["analyze", "--load", str(LOAD), "--gec-price-month", "2026-13"]) == 2
    assert "2026-13" in capsys.readouterr().err
    assert main(["analyze", "--load", str(LOAD), "--target-share", "1.5"]) == 2
