"""AppTest: the Green page runs on the sample and shows the library's figures."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analytics.green.index import green_temperature
from analytics.green.potential import analyze_green
from analytics.green.pv import cities, model_pv
from analytics.iotools.load import ImportOptions, read_load
from analytics.iotools.production import read_production
from analytics.iotools.pv import read_pv
from analytics.production.metrics import analyze_production
from analytics.tou import classify_periods, default_tariffs_for
from tests.conftest import ROOT, SAMPLE
from ui.render.format import fmt_count, fmt_energy, fmt_num, fmt_share, fmt_tonnes


def _green_page(lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    at.switch_page("pages/green.py")
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture(scope="module")
def library():
    load, _ = read_load(SAMPLE / "sunan_load_2025_15min.csv", options=ImportOptions())
    pv, _ = read_pv(SAMPLE / "sunan_pv_2025_15min.csv", options=ImportOptions())
    periods = classify_periods(load.index, default_tariffs_for(load))
    g = analyze_green(load, pv, periods=periods, target_share=0.3)
    # the sample has a production schedule: its measured idle share enters the index
    data, prod_report = read_production(SAMPLE / "sunan_production_runs_2025.csv")
    idle = analyze_production(
        load, data, periods=periods, import_warnings=prod_report.warnings, run_shift=False
    ).metrics.idle_share
    return g, green_temperature(g, idle_share=idle)


def test_green_page_matches_the_library(library) -> None:
    g, temp = library
    at = _green_page()
    values = {m.label: m.value for m in at.metric}
    assert values["PV generation"] == fmt_energy(g.balance.pv_generation_kwh)
    assert values["Self-consumed"] == fmt_energy(g.balance.pv_self_consumed_kwh)
    assert values["Exported"] == fmt_energy(g.balance.pv_exported_kwh)
    assert values["Grid import"] == fmt_energy(g.balance.grid_import_kwh)
    assert values["Green purchase needed"] == fmt_energy(g.green_purchase_kwh)
    assert values["GECs to buy"] == fmt_count(g.gec_count, "gec")
    assert values["Renewable share"] == fmt_share(g.renewable_share)
    assert values["Hourly matching"] == fmt_share(g.hourly_matched_share)
    assert values["CO2, location-based"] == fmt_tonnes(g.co2_location_t)  # as on the Overview
    assert values["CO2, market-based"] == fmt_tonnes(g.co2_market_t)
    gauge = [c for c in at.get("plotly_chart") if '"indicator"' in c.proto.spec]
    assert len(gauge) == 1 and f'"value":{temp.score}' in gauge[0].proto.spec.replace(" ", "")
    assert len(at.get("plotly_chart")) >= 4


def test_target_slider_and_modelled_pv(library) -> None:
    g, _ = library
    at = _green_page()
    at.slider(key="green.target").set_value(60.0)
    at.run()
    assert not at.exception, at.exception
    from analytics.green.potential import gec_count, green_purchase_kwh

    p = green_purchase_kwh(g.balance.energy_kwh, g.balance.pv_self_consumed_kwh, 0.6)
    values = {m.label: m.value for m in at.metric}
    assert values["GECs to buy"] == fmt_count(gec_count(p), "gec")
    at.radio(key="green.pv_mode").set_value("model")
    at.run()
    assert not at.exception, at.exception
    values = {m.label: m.value for m in at.metric}
    # default: 1,200 kWp in Wuxi at 1,100 kWh/kWp over the full 2025 year ≈ 1,320 MWh
    wuxi = cities()["wuxi"]
    pv, _ = model_pv(
        g.balance.intervals.index,
        kwp=1200.0,
        lat=wuxi.lat,
        lon=wuxi.lon,
        tilt_deg=20.0,
        azimuth_deg=180.0,
        losses=0.14,
        specific_yield_kwh_per_kwp=wuxi.yield_kwh_per_kwp,
    )
    assert values["PV generation"] == fmt_energy(pv["kwh"].sum())
    assert pv["kwh"].sum() == pytest.approx(1_320_000, rel=0.01)


def test_green_page_in_chinese_runs() -> None:
    at = _green_page("zh-CN")
    assert any(m.label == "自发自用电量" for m in at.metric)


def test_green_page_agrees_with_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from analytics.cli.main import main

    # the sample enterprise as the page sees it: load, measured PV and the production schedule
    assert (
        main(
            [
                "analyze",
                "--load",
                str(SAMPLE / "sunan_load_2025_15min.csv"),
                "--pv",
                str(SAMPLE / "sunan_pv_2025_15min.csv"),
                "--production",
                str(SAMPLE / "sunan_production_runs_2025.csv"),
                "--no-shift",
            ]
        )
        == 0
    )
    doc = json.loads(capsys.readouterr().out)
    g = doc["green"]
    at = _green_page()
    values = {m.label: m.value for m in at.metric}
    assert values["PV generation"] == fmt_energy(g["pv_generation_kwh"])
    assert values["Green purchase needed"] == fmt_energy(g["green_purchase_kwh"])
    assert values["GECs to buy"] == fmt_count(g["gec_count"], "gec")
    assert values["CO2, market-based"] == fmt_tonnes(g["co2_market_t"])
    # the Green Temperature uses the measured idle share, as the CLI does
    score = doc["green_temperature"]["score"]
    gauge = [c for c in at.get("plotly_chart") if '"indicator"' in c.proto.spec]
    assert f'"value":{score}' in gauge[0].proto.spec.replace(" ", "")


def test_holdings_and_target_default_agree_with_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from analytics.cli.main import main

    argv = [
        "analyze",
        "--load",
        str(SAMPLE / "sunan_load_2025_15min.csv"),
        "--pv",
        str(SAMPLE / "sunan_pv_2025_15min.csv"),
        "--production",
        str(SAMPLE / "sunan_production_runs_2025.csv"),
        "--no-shift",
        "--green-purchased-kwh",
        "100000",
        "--gec-held",
        "500",
        "--province",
        "Chongqing",
        "--industry",
        "polysilicon",
    ]
    assert main(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    g = doc["green"]
    # the CLI: Chongqing polysilicon 2025 = 34.2 % (draft, monitored); 500 GECs of 2025 valid
    assert (g["target_share"], g["target_basis"]) == (0.342, "default")
    assert g["target_default"]["status"] == "monitored"
    assert g["holdings"]["gec_valid"] == 500
    # held = own self-consumed PV + 100,000 kWh bought + 500 × 1,000 kWh
    held = g["pv_self_consumed_kwh"] + 100_000 + 500_000
    assert g["holdings"]["held_kwh"] == pytest.approx(held)
    energy = doc["load"]["energy_kwh"]
    assert g["renewable_share_now"] == pytest.approx(held / energy)
    assert g["green_purchase_kwh"] == pytest.approx(max(0.0, 0.342 * energy - held))

    at = _green_page()
    at.selectbox(key="green.province").set_value("Chongqing")
    at.selectbox(key="green.industry").set_value("polysilicon")
    at.number_input(key="green.h.bought").set_value(100_000.0)
    at.number_input(key="green.h.n").set_value(500)
    at.run()
    assert not at.exception, at.exception
    values = {m.label: m.value for m in at.metric}
    assert values["Renewable share now"] == fmt_share(g["renewable_share_now"])
    assert values["Green electricity held"] == fmt_energy(g["holdings"]["held_kwh"])
    assert values["Valid GECs held"] == fmt_count(g["holdings"]["gec_valid"], "gec", "en")
    assert values["Still missing for the target"] == fmt_energy(g["green_purchase_kwh"])
    assert values["GECs still to buy"] == fmt_count(g["gec_count"], "gec", "en")
    assert values["Their cost at vintage 2025"] == f"{fmt_num(g['gec_cost_cny'])} CNY"
    assert values["Self-consumption ratio"] == fmt_share(g["pv_self_use"]["ratio"])
    assert any("34.2" in i.value and "monitored" in i.value for i in at.info)
    # buying the previous vintage (it counts for 2025 too): priced at 2.56 CNY, as the CLI does
    at.selectbox(key="green.h.buy_vintage").set_value(2024)
    at.run()
    assert not at.exception, at.exception
    assert main([*argv, "--gec-vintage", "2024"]) == 0
    g24 = json.loads(capsys.readouterr().out)["green"]
    values = {m.label: m.value for m in at.metric}
    assert values["Their cost at vintage 2024"] == f"{fmt_num(g24['gec_cost_cny'])} CNY"
    assert g24["gec_cost_cny"] == pytest.approx(g24["gec_count"] * 2.56)
    # the Green Temperature from what is held: the page's gauge shows the CLI's score exactly
    score = doc["green_temperature"]["score"]
    gauge = [c for c in at.get("plotly_chart") if '"indicator"' in c.proto.spec]
    assert f'"value":{score}' in gauge[0].proto.spec.replace(" ", "")


def test_holdings_page_in_chinese() -> None:
    at = _green_page("zh-CN")
    labels = {m.label for m in at.metric}
    assert {"当前可再生能源占比", "仍需购买的绿证", "自发自用比例"} <= labels
    assert any("假设" in i.value for i in at.info)  # the 30 % target is labelled an assumption
