"""Portfolio page: AppTest (KPIs equal the screen, filters, drill-down) and the browser."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from analytics.portfolio.ingestion import ingest
from analytics.portfolio.screening import screen
from analytics.portfolio.synthetic import generate
from tests.conftest import ROOT
from ui.portfolio_display import known
from ui.render.format import fmt_count, fmt_energy
from ui.render.i18n import translate

N = 5


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    d = tmp_path_factory.mktemp("page")
    manifest = generate(d, N, seed=13, shapes=("long", "wide_gbk"))
    assert all(not o.failed for o in ingest(manifest, d / "ws.duckdb", workers=1))
    return d / "ws.duckdb", screen(d / "ws.duckdb", workers=1)


def _page(path: Path | None, lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("pages/portfolio.py")
    at.run()
    assert not at.exception, at.exception
    if path is not None:
        at.text_input(key="portfolio.path").set_value(str(path))
        at.run()
        assert not at.exception, at.exception
    return at


def test_without_a_workspace_the_page_explains_how_to_make_one(tmp_path: Path) -> None:
    at = _page(tmp_path / "absent.duckdb")
    assert "absent.duckdb" in at.info[0].value.replace("\\", "")  # the path is Markdown-escaped
    assert "portfolio ingest" in at.code[0].value


def test_kpis_table_charts_and_filters(workspace) -> None:
    path, table = workspace
    at = _page(path)
    m = {x.label: x.value for x in at.metric}
    assert m["Enterprises"] == str(N)  # the label says what is counted
    # Σ energy in the number policy's unit for its magnitude (the same function as every page)
    assert m["Total energy"] == fmt_energy(table["energy_kwh"].sum(), "en")
    assert m["GECs needed"] == fmt_count(int(table["gec_count"].sum()), "gec", "en")
    assert m["GECs needed"].endswith(" GEC")
    assert m["PV certificates"] == fmt_count(int(table["pv_certificates"].sum()), "gec", "en")
    shown = at.dataframe[0].value
    assert len(shown) == N
    eid_col = translate("en", "portfolio.col.enterprise_id")
    prov_col = translate("en", "portfolio.col.province")
    # ranked by green purchase, the largest need first
    assert (
        shown[eid_col].tolist()
        == table.sort_values("green_purchase_kwh", ascending=False)["enterprise_id"].tolist()
    )
    charts = at.get("plotly_chart")
    assert len(charts) == 2
    scatter = json.loads(charts[0].proto.spec)
    assert len(scatter["data"][0]["text"]) == N  # one marker per enterprise
    # filter on one province: only its enterprises stay
    province = table["province"].iloc[0]
    at.multiselect(key="portfolio.f.province").set_value([province])
    at.run()
    assert not at.exception, at.exception
    assert set(at.dataframe[0].value[prov_col]) == {known("en", "province", province)}
    assert len(at.dataframe[0].value) == int((table["province"] == province).sum())


def test_drill_down_makes_the_enterprise_the_session_source(workspace) -> None:
    path, table = workspace
    at = _page(path)
    eid = table.sort_values("energy_kwh")["enterprise_id"].iloc[0]
    at.selectbox(key="portfolio.pick").set_value(eid)
    at.run()
    at.button(key="portfolio.open").click()
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["source"] == "upload"
    assert at.session_state["portfolio.enterprise"] == eid
    assert at.session_state["upload.load"].name == f"{eid}_load.csv"
    # the app switched to the Overview, which now shows it: its energy equals the screen's
    assert at.title[0].value == "Green temperature overview"
    assert any(eid.replace("-", "\\-") in c.value for c in at.caption)
    energy = float(table.loc[table["enterprise_id"] == eid, "energy_kwh"].iloc[0])
    assert {x.label: x.value for x in at.metric}["Energy"] == fmt_energy(energy)


def test_the_page_speaks_chinese(workspace) -> None:
    path, table = workspace
    at = _page(path, lang="zh-CN")
    assert at.title[0].value == "企业组合筛查"
    m = {x.label: x.value for x in at.metric}
    assert m["企业数"] == f"{N}家"
    assert m["总用电量"] == fmt_energy(table["energy_kwh"].sum(), "zh-CN")
    assert "MWh" not in m["总用电量"] and "GWh" not in m["总用电量"]
    shown = at.dataframe[0].value
    # headers carry the unit of the number policy; cells are text with separators
    energy_col = next(c for c in shown.columns if c.startswith("用电量 ["))
    assert energy_col.endswith("kWh]") and "MWh" not in energy_col
    assert "需购绿证 [张]" in shown.columns
    assert set(shown["规模"]) <= {"小", "中", "大"}
    assert set(shown["省份"]) <= {"江苏", "浙江", "上海", "广东", "安徽", "山东"}
    gec = table.sort_values("green_purchase_kwh", ascending=False)["gec_count"].iloc[0]
    assert shown["需购绿证 [张]"].iloc[0] == f"{int(gec):,}"  # e.g. 34830 → "34,830"
    assert at.expander[0].label == "工作区文件与命令行（高级）"
    scatter = json.loads(at.get("plotly_chart")[0].proto.spec)
    x_title = scatter["layout"]["xaxis"]["title"]["text"]
    assert x_title.startswith("绿电购买需求 [") and "MWh" not in x_title
    unit = x_title.split("[")[1].rstrip("]")
    # the x values are the need [kWh] in that unit: kWh / 10⁴ for 万kWh
    per = {"kWh": 1.0, "万kWh": 1e4, "亿kWh": 1e8}[unit]
    need = table.sort_values("green_purchase_kwh", ascending=False)["green_purchase_kwh"]
    x = scatter["data"][0]["x"]  # a plotly typed array: base64 bytes of a dtype
    xs = np.frombuffer(base64.b64decode(x["bdata"]), dtype=x["dtype"]) if "bdata" in x else x
    assert xs[0] == pytest.approx(need.iloc[0] / per)
    assert scatter["data"][0]["marker"]["colorbar"]["title"]["text"] == "绿色温度"


@pytest.mark.e2e
def test_browser_shows_the_portfolio(browser, app_url: str, workspace, tmp_path: Path) -> None:
    path, _ = workspace
    ctx = browser.new_context(viewport={"width": 1400, "height": 2400}, locale="en-US")
    page = ctx.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{app_url}/?lang=en")
    page.get_by_text("Green temperature overview").wait_for()
    page.goto(f"{app_url}/portfolio?lang=en")
    page.get_by_text("Portfolio screening").wait_for()
    page.locator("summary").filter(has_text="Workspace file and command line").click()  # expander
    box = page.get_by_role("textbox", name="Workspace file")
    box.fill(str(path))
    box.press("Enter")
    page.get_by_text(f"{N} of {N} enterprises").wait_for()
    page.locator('[data-testid="stPlotlyChart"]').first.wait_for()
    metrics = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert str(N) in metrics
    page.screenshot(path=str(tmp_path / "portfolio.png"))
    page.get_by_role("button", name="Open in the dashboard").click()  # drill-down
    page.get_by_text("Green temperature overview").wait_for()
    page.get_by_text("_load.csv").first.wait_for()  # the workspace enterprise, not the sample
    ctx.close()


@pytest.mark.slow
def test_demo_portfolio_button_builds_and_screens_a_workspace(tmp_path) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("pages/portfolio.py")
    at.session_state["portfolio.path"] = str(tmp_path / "none.duckdb")
    at.run()
    assert not at.exception, at.exception
    at.button(key="portfolio.demo").click()
    at.run()
    assert not at.exception, at.exception
    built = at.session_state["portfolio.path"]
    assert built.endswith("demo_workspace.duckdb")
    # the ranked table now holds the 24 synthetic enterprises
    assert len(at.dataframe[0].value) == 24
