"""The sample report's size and A4 page count as HTML and as PDF (``ui.pdf``), both languages.

Not a timing benchmark (no ``bench_`` prefix, so ``bench/run.py`` skips it): run
``PYTHONPATH=. python bench/report_pdf.py`` for the numbers in BENCHMARKS.md's
"Report size and A4 pages" section.
"""

from __future__ import annotations

import time
from pathlib import Path

from analytics.analysis import analyze
from analytics.iotools.load import ImportOptions, read_load
from analytics.iotools.production import read_production
from analytics.iotools.pv import read_pv
from analytics.stage.assessment import Questionnaire
from ui.pdf import find_chromium, html_to_pdf, pdf_page_count
from ui.render.report import assess_analysis, build_report

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


def main() -> None:
    load = SAMPLE / "sunan_load_2025_15min.csv"
    pv_file = SAMPLE / "sunan_pv_2025_15min.csv"
    runs = SAMPLE / "sunan_production_runs_2025.csv"
    frame, report = read_load(load, file_name=load.name, options=ImportOptions())
    pv, pv_report = read_pv(pv_file, file_name=pv_file.name, options=ImportOptions())
    production = read_production(runs, file_name=runs.name)
    a = analyze(frame, report, pv=pv, pv_report=pv_report, production=production)
    stage = assess_analysis(a, Questionnaire(catalogued=True, compliance_reviewed=True))
    print(f"Chromium: {find_chromium()}")
    print("| lang | HTML [B] | PDF [B] | A4 pages | PDF time [s] |")
    print("|---|---|---|---|---|")
    for lang in ("zh-CN", "en"):
        html = build_report(a, lang=lang, file_name=load.name, stage=stage)
        t0 = time.perf_counter()
        pdf = html_to_pdf(html)
        dt = time.perf_counter() - t0
        size = "–" if pdf is None else f"{len(pdf):,}"
        pages = "–" if pdf is None else pdf_page_count(pdf)
        print(f"| {lang} | {len(html.encode()):,} | {size} | {pages} | {dt:.2f} |")


if __name__ == "__main__":
    main()
