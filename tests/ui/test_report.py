"""The HTML report: every section, no network, A4 print of a reasonable length; the CLI's
``--html``; escaping of user text; the canvas exports."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from analytics.analysis import analyze
from analytics.iotools.load import ImportOptions, read_load
from analytics.iotools.pv import read_pv
from analytics.stage.assessment import Questionnaire
from analytics.stage.canvas import BOXES, canvas_json, parse_canvas_json
from tests.conftest import SAMPLE
from ui.render.html import canvas_document, canvas_markdown
from ui.render.report import SECTIONS, assess_analysis, box_labels, build_report, prefilled_canvas

pytestmark = pytest.mark.slow  # the module's fixture runs for more than 5 s

LOAD = SAMPLE / "sunan_load_2025_15min.csv"
PV = SAMPLE / "sunan_pv_2025_15min.csv"
RUNS = SAMPLE / "sunan_production_runs_2025.csv"
MAX_PAGES = 12


@pytest.fixture(scope="module")
def analysis():
    """The whole sample enterprise: load, PV and production (with the load-shift scenario)."""
    from analytics.iotools.production import read_production

    frame, report = read_load(LOAD, file_name=LOAD.name, options=ImportOptions())
    pv, pv_report = read_pv(PV, file_name=PV.name, options=ImportOptions())
    production = read_production(RUNS, file_name=RUNS.name)
    return analyze(frame, report, pv=pv, pv_report=pv_report, production=production)


@pytest.fixture(scope="module")
def report_files(analysis, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("report")
    files = {}
    for lang in ("en", "zh-CN"):
        stage = assess_analysis(analysis, Questionnaire(catalogued=True, compliance_reviewed=True))
        path = out / f"report_{lang}.html"
        path.write_text(
            build_report(analysis, lang=lang, file_name=LOAD.name, stage=stage), encoding="utf-8"
        )
        files[lang] = path
    return files


def _page_count(pdf: bytes) -> int:
    try:
        from pypdf import PdfReader
    except ImportError:
        return len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    import io

    return len(PdfReader(io.BytesIO(pdf)).pages)


def test_report_is_self_contained_text(report_files) -> None:
    html = report_files["en"].read_text(encoding="utf-8")
    for sid in SECTIONS:
        assert f'<section id="{sid}"' in html
    assert "Content-Security-Policy" in html
    assert not re.search(r"<script[^>]+src=", html)  # plotly.js inline, no CDN
    assert not re.search(r"<link[^>]+href=\"?https?:", html)
    assert "10.56293/IJMSSSR.2026.6202" in html  # the paper is cited
    assert 'lang="zh-CN"' in report_files["zh-CN"].read_text(encoding="utf-8")
    # the production section holds the sample's figures, and the canvas quotes the shift saving
    assert "Load-shift saving" in html and "Moving movable runs to cheaper hours saves" in html


@pytest.mark.e2e
@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_report_in_chromium_every_section_no_network_and_a4_pages(
    browser, report_files, lang
) -> None:
    path = report_files[lang]
    external: list[str] = []
    page = browser.new_page()

    def route(r) -> None:
        url = r.request.url
        if url.startswith(("file:", "data:", "blob:")):
            r.continue_()
        else:
            external.append(url)
            r.abort()

    page.route("**/*", route)
    page.on(
        "request",
        lambda req: (
            None if req.url.startswith(("file:", "data:", "blob:")) else external.append(req.url)
        ),
    )
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri(), wait_until="load")
    for sid in SECTIONS:
        assert page.locator(f"section#{sid} h2").is_visible(), sid
    # the charts rendered (static SVG) and the canvas grid has nine boxes
    assert page.locator("section#kpis .chart svg").count() >= 1
    assert page.locator("section#canvas .bmc .box").count() == len(BOXES)
    if lang == "zh-CN":
        assert page.locator("section#tou h2").inner_text() == "负荷与分时电费"
    assert errors == []
    pdf = page.pdf(format="A4", print_background=True)
    page.close()
    assert external == []
    pages = _page_count(pdf)
    assert 1 <= pages <= MAX_PAGES, pages


def test_user_text_is_escaped(analysis) -> None:
    stage = assess_analysis(analysis)
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    boxes = dict.fromkeys(BOXES, evil)
    html = build_report(
        analysis, lang="en", file_name=f"{evil}.csv", stage=stage, boxes=boxes, plotly_js=""
    )
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    doc = canvas_document(
        lang="en", title=evil, subtitle=[evil], boxes=boxes, labels=box_labels("en")
    )
    assert "<script>" not in doc and "<img" not in doc


def test_prefilled_canvas_quotes_the_enterprise_figures(analysis) -> None:
    from analytics.analysis import to_json
    from ui.render.format import fmt_cny

    doc = to_json(analysis)
    stage = assess_analysis(analysis)
    boxes = prefilled_canvas(doc, stage, "zh-CN")
    vp = boxes["value_propositions"]
    assert fmt_cny(analysis.bill.total_cost_cny, "zh-CN") in vp and "万元" in vp
    assert f"{analysis.green.gec_count:,}" in vp
    # with a production section the shift saving is quoted too
    doc["production"] = {"shift": {"saving_cny": 123456.0, "shiftable_energy_kwh": 5.0e5}}
    assert "12.35 万元" in prefilled_canvas(doc, stage, "zh-CN")["value_propositions"]
    assert "123,456 CNY" in prefilled_canvas(doc, stage, "en")["value_propositions"]


def test_canvas_json_round_trip_and_markdown() -> None:
    boxes = {b: f"text of {b}" for b in BOXES}
    doc = canvas_json(boxes, stage="asset", lang="en")
    assert parse_canvas_json(json.dumps(doc)) == boxes
    assert parse_canvas_json(json.dumps({"key_partners": "x"}))["key_partners"] == "x"
    for bad in (
        b"[1, 2]",
        b"{not json",
        json.dumps({"colour": "red"}),
        json.dumps({"key_partners": 3}),
        json.dumps({"key_partners": "x" * 6000}),
    ):
        with pytest.raises(ValueError):
            parse_canvas_json(bad)
    md = canvas_markdown(title="T", subtitle=["S"], boxes=boxes, labels=box_labels("en"))
    assert md.index("## Key partners") < md.index("## Revenue streams")
    assert "text of channels" in md


def test_cli_writes_the_stage_section_and_the_html_report(tmp_path: Path) -> None:
    from analytics.cli.main import main
    from analytics.stage.assessment import stage_section

    out, html = tmp_path / "a.json", tmp_path / "r.html"
    rc = main(
        [
            "analyze",
            "--load",
            str(LOAD),
            "--pv",
            str(PV),
            "--json",
            str(out),
            "--html",
            str(html),
            "--catalogued",
            "--compliance-reviewed",
        ]
    )
    assert rc == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    frame, report = read_load(LOAD, file_name=LOAD.name, options=ImportOptions())
    pv, pv_report = read_pv(PV, file_name=PV.name, options=ImportOptions())
    lib = analyze(frame, report, pv=pv, pv_report=pv_report)
    expected = stage_section(
        assess_analysis(lib, Questionnaire(catalogued=True, compliance_reviewed=True))
    )
    assert doc["stage"] == json.loads(json.dumps(expected))
    assert doc["stage"]["stage"] == "asset"
    assert doc["stage"]["next_steps"] == ["registered", "circulated"]
    text = html.read_text(encoding="utf-8")
    assert '<html lang="en">' in text and all(f'<section id="{s}"' in text for s in SECTIONS)
    # without questionnaire flags the sample is a resource; --lang zh-CN writes Chinese
    rc = main(
        ["analyze", "--load", str(LOAD), "--json", str(out), "--html", str(html), "--lang", "zh-CN"]
    )
    assert rc == 0
    assert json.loads(out.read_text(encoding="utf-8"))["stage"]["stage"] == "resource"
    assert "负荷与分时电费" in html.read_text(encoding="utf-8")


@pytest.mark.e2e
def test_report_button_downloads_the_chinese_report(app_url: str, browser, tmp_path: Path) -> None:
    from ui.render.i18n import translate

    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page.goto(f"{app_url}/canvas?lang=zh-CN", wait_until="domcontentloaded")
    button = page.get_by_role("button", name=translate("zh-CN", "report.button"))
    button.wait_for(timeout=60_000)
    page.get_by_role("heading", name=translate("zh-CN", "canvas.refs.heading")).wait_for(
        timeout=60_000
    )
    with page.expect_download(timeout=90_000) as info:
        button.click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    page.close()
    assert path.name.endswith("_zh-CN.html")
    html = path.read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html
    assert all(f'<section id="{s}"' in html for s in SECTIONS)
    assert "数据资产阶段" in html


def test_report_is_small_titled_by_the_company_and_opens_with_the_story(
    analysis, report_files
) -> None:
    for lang, path in report_files.items():
        size = path.stat().st_size
        assert size < 1_500_000, (lang, size)  # was 4.9 MB with plotly.js inline
        html = path.read_text(encoding="utf-8")
        assert "Plotly.newPlot" not in html and html.count("<svg") >= 3
    zh = report_files["zh-CN"].read_text(encoding="utf-8")
    assert "<title>GreenTemp 报告——苏南精密制造有限公司</title>" in zh
    body = zh[zh.index('<section id="kpis"') :]
    # the story is the first paragraph, the illustrative warning right after it
    assert body.index('class="story"') < body.index('class="warn"') < body.index('class="kpis"')
    assert "1,372.31 万kWh" in body[: body.index('class="kpis"')]
    assert "2025年1月" in zh and "Jan" not in body[: body.index('id="production"')]
    # the units in the TOU table headers follow the policy (energy 万kWh, cost 万元)
    assert "电量 [万kWh]" in zh and "电度电费 [万元]" in zh
    stage = assess_analysis(analysis)
    en = build_report(analysis, lang="en", file_name=LOAD.name, stage=stage, company="Acme Steel")
    assert "<h1>GreenTemp report — Acme Steel</h1>" in en
    assert "Acme Steel used 13,723.1 MWh" in en
