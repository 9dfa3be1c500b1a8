"""The one-click report and the canvas texts, in the visitor's language.

:func:`build_report` turns an :class:`~analytics.analysis.Analysis` (plus the stage and the
canvas) into the self-contained HTML of :mod:`ui.render.html`; it renders every string
with the catalogue (``translate``), so the CLI (``--html``) and the pages produce the same
document. Streamlit is imported only inside the session helpers at the bottom
(:func:`report_button` and friends), so the CLI stays Streamlit-free.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go

from analytics.analysis import Analysis, to_json
from analytics.green import monthly_table, price_defaults
from analytics.stage import (
    BOXES,
    Questionnaire,
    StageResult,
    assess,
    canvas_figures,
    indicators_of,
    reference_canvases,
    stage_template,
)
from analytics.tou import (
    PERIODS,
    peak_energy_share,
    period_average_price,
    period_share,
    valley_energy_share,
)
from ui.render import html as R
from ui.render.charts import GREEN, PERIOD_COLOURS, layout, monthly_sources
from ui.render.format import (
    energy_unit,
    energy_value,
    fmt_cny,
    fmt_count,
    fmt_date,
    fmt_energy_lang,
    fmt_kw,
    fmt_month,
    fmt_num,
    fmt_param,
    fmt_price,
    fmt_share,
    fmt_time,
    fmt_tonnes,
    money_unit,
    with_unit,
)
from ui.render.i18n import translate, warning_renderer

SECTIONS: tuple[str, ...] = (
    "kpis",
    "tou",
    "production",
    "green",
    "stage",
    "canvas",
    "sources",
    "quality",
)


# ------------------------------------------------------------------------- text helpers


def fmt_params(params: Mapping[str, Any], lang: str) -> dict[str, str]:
    """Message parameters formatted for ``lang`` (booleans as yes/no)."""
    return {
        k: translate(lang, "stage.yes" if v else "stage.no")
        if isinstance(v, bool)
        else fmt_param(k, v, lang)
        for k, v in params.items()
    }


def stage_name(result: StageResult, lang: str) -> str:
    key = "stage.name.capital_advanced" if result.advanced else f"stage.name.{result.stage}"
    return translate(lang, key)


def reason_texts(result: StageResult, lang: str) -> list[tuple[bool, str]]:
    """``(met, text)`` for every criterion checked."""
    return [
        (
            r.met,
            translate(
                lang,
                f"stage.crit.{r.code}.{'met' if r.met else 'unmet'}",
                **fmt_params(r.params, lang),
            ),
        )
        for r in result.reasons
    ]


def next_steps_heading(result: StageResult, lang: str) -> str:
    if result.stage == "capital":
        return translate(
            lang, "stage.next_steps.beyond" if result.advanced else "stage.next_steps.advanced"
        )
    return translate(
        lang, "stage.next_steps", stage=translate(lang, f"stage.name.{result.next_stage}")
    )


def step_texts(result: StageResult, lang: str) -> list[str]:
    return [translate(lang, f"stage.step.{code}") for code in result.next_steps]


def box_labels(lang: str) -> dict[str, str]:
    return {b: translate(lang, f"canvas.box.{b}") for b in BOXES}


def prefilled_canvas(doc: Mapping[str, Any], stage: StageResult, lang: str) -> dict[str, str]:
    """The template of the assessed stage with the enterprise's figures added as bullets."""
    boxes = dict(stage_template(stage.stage).boxes[lang])
    for fig in canvas_figures(doc, stage):
        line = translate(lang, f"canvas.fig.{fig.code}", **fmt_params(fig.params, lang))
        boxes[fig.box] = f"{boxes[fig.box]}\n• {line}"
    return boxes


def citation() -> str:
    return reference_canvases()[0].source.citation().rsplit(", Figure", 1)[0]


# ----------------------------------------------------------------------------- report


def _layout(fig: go.Figure, title: str, y_title: str, lang: str, legend: bool = False) -> go.Figure:
    """The pages' chart style (and number policy, in the report's language), sized by the
    report's own chart boxes."""
    return layout(fig, title, y_title, legend=legend, height=None, top=40, lang=lang)


def _energy_cells(values: list[float], lang: str) -> tuple[str, list[str]]:
    unit = energy_unit(values, lang)
    return unit, [energy_value(v, unit) for v in values]


def _money_cells(values: list[float], lang: str) -> tuple[str, list[str]]:
    unit, per = money_unit(values, lang)
    return unit, [fmt_num(v / per, 0 if per == 1 else 2) for v in values]


def story(a: Analysis, lang: str, company: str) -> str:
    """The Overview's story in one paragraph: who, how much, when, what it costs, the target."""
    s, b, g = a.load, a.bill, a.green
    return translate(
        lang,
        "polish.report.story",
        company=company,
        energy=fmt_energy_lang(s.energy_kwh, lang),
        start=fmt_date(a.report.start),
        end=fmt_date(a.report.end),
        cost=fmt_cny(b.total_cost_cny, lang),
        price=fmt_price(b.average_price_cny_per_kwh, lang, 3),
        peak_share=fmt_share(peak_energy_share(b.energy_kwh, s.energy_kwh)),
        valley_share=fmt_share(valley_energy_share(b.energy_kwh, s.energy_kwh)),
        peak=fmt_kw(s.peak_kw),
        target=fmt_share(g.target_share, 0),
        gec=fmt_count(g.gec_count, "gec", lang),
        score=f"{a.temperature.score:.0f}°",
    )


def illustrative_warning(a: Analysis, lang: str) -> str | None:
    """The warning for the top of the report when a tariff in use is illustrative."""
    zh = lang == "zh-CN"
    names = [(v.meta.name_zh if zh else v.meta.name) for v in a.tariffs if v.meta.illustrative]
    if not names:
        return None
    return translate(
        lang, "polish.report.illustrative", names="、".join(names) if zh else "; ".join(names)
    )


def _kpi_section(a: Analysis, lang: str, file_name: str, company: str = "") -> R.Section:
    tr = lambda key, **p: translate(lang, key, **p)  # noqa: E731
    s, b, g = a.load, a.bill, a.green
    daily = a.frame["kwh"].resample("1D").sum(min_count=1)
    # an area, not 365 hair-thin bars: those vanish when the report is printed to A4
    fig = go.Figure(
        go.Scatter(
            x=daily.index,
            y=daily.to_numpy(),
            mode="lines",
            fill="tozeroy",
            line={"color": GREEN, "width": 1, "shape": "hv"},
        )
    )
    warn = illustrative_warning(a, lang)
    lead: tuple[Any, ...] = (R.Para(story(a, lang, company), style="story"),)
    if warn:
        lead += (R.Para(warn, style="warn"),)
    return R.Section(
        "kpis",
        tr("report.sec.kpis"),
        (
            *lead,
            R.Para(
                tr(
                    "home.dataset",
                    name=file_name,
                    start=fmt_date(a.report.start),
                    end=fmt_date(a.report.end),
                    minutes=a.report.interval_minutes,
                )
            ),
            R.Kpis(
                [
                    (tr("kpi.energy"), fmt_energy_lang(s.energy_kwh, lang)),
                    (tr("kpi.peak"), fmt_kw(s.peak_kw)),
                    (tr("kpi.load_factor"), fmt_share(s.load_factor)),
                    (tr("kpi.base_load"), fmt_kw(s.base_load_kw)),
                    (tr("kpi.total_cost"), fmt_cny(b.total_cost_cny, lang)),
                    (tr("kpi.average_price"), fmt_price(b.average_price_cny_per_kwh, lang, 3)),
                    (tr("home.green_temperature"), f"{a.temperature.score:.0f}°"),
                    (tr("home.gec_needed"), fmt_count(g.gec_count, "gec", lang)),
                ]
            ),
            R.Para(tr("kpi.peak_at", at=fmt_time(s.peak_at)), note=True),
            R.Chart(_layout(fig, tr("chart.daily_energy"), "kWh", lang), 240),
        ),
    )


def _tou_section(a: Analysis, lang: str) -> R.Section:
    tr = lambda key, **p: translate(lang, key, **p)  # noqa: E731
    b = a.bill
    zh = lang == "zh-CN"
    names = " + ".join((v.meta.name_zh if zh else v.meta.name) for v in a.tariffs)
    prices = period_average_price(b)
    used = [p for p in PERIODS if b.energy_kwh[p] > 0]
    # the column headers carry the units (the policy's unit of each column): plain numbers
    e_unit, e_cells = _energy_cells([b.energy_kwh[p] for p in used], lang)
    c_unit, c_cells = _money_cells([b.energy_cost_cny[p] for p in used], lang)
    rows = [
        [
            tr(f"period.{p}"),
            e_cells[i],
            fmt_share(period_share(b.energy_kwh, a.load.energy_kwh, (p,))),
            c_cells[i],
            fmt_num(prices[p], 4),
        ]
        for i, p in enumerate(used)
    ]

    fig = go.Figure(
        go.Bar(
            x=[tr(f"period.{p}") for p in used],
            y=[b.energy_cost_cny[p] for p in used],
            marker_color=[PERIOD_COLOURS[p] for p in used],
        )
    )
    m = b.monthly
    me_unit, me = _energy_cells(list(m["energy_kwh"]), lang)
    money = [list(m[c]) for c in ("energy_cost_cny", "demand_charge_cny", "total_cost_cny")]
    m_unit, _ = money_unit([v for col in money for v in col], lang)
    per = {"元": 1.0, "CNY": 1.0, "万元": 1e4, "亿元": 1e8}[m_unit]
    d = 0 if per == 1 else 2
    monthly = [
        [
            fmt_month(r.month, lang),
            me[i],
            fmt_num(r.energy_cost_cny / per, d),
            fmt_num(r.max_kw),
            fmt_num(r.demand_charge_cny / per, d),
            fmt_num(r.total_cost_cny / per, d),
        ]
        for i, r in enumerate(m.itertuples())
    ]
    units = {"energy": e_unit, "cost": c_unit}
    m_units = {"energy": me_unit, "energy_cost": m_unit, "demand_charge": m_unit, "total": m_unit}
    line = "tou.capacity_line" if b.charge_basis == "capacity" else "tou.demand_line"
    return R.Section(
        "tou",
        tr("report.sec.tou"),
        (
            R.Para(tr("tou.priced_by", names=names)),
            R.Table(
                [
                    with_unit(tr(f"tou.periods.col.{c}"), units[c])
                    if c in units
                    else tr(f"tou.periods.col.{c}")
                    for c in ("period", "energy", "share", "cost", "price")
                ],
                rows,
                numeric=(1, 2, 3, 4),
            ),
            R.Para(tr(line, cost=fmt_cny(b.demand_charge_cny, lang))),
            R.Chart(_layout(fig, tr("chart.cost_by_period"), "CNY", lang), 220),
            R.Heading(tr("report.tou.monthly")),
            R.Table(
                [
                    with_unit(tr(f"tou.monthly.col.{c}"), m_units[c])
                    if c in m_units
                    else tr(f"tou.monthly.col.{c}")
                    for c in ("month", "energy", "energy_cost", "max_kw", "demand_charge", "total")
                ],
                monthly,
                numeric=(1, 2, 3, 4, 5),
            ),
        ),
    )


def _production_section(doc: Mapping[str, Any], lang: str) -> R.Section:
    tr = lambda key, **p: translate(lang, key, **p)  # noqa: E731
    prod = doc.get("production")
    if not prod:
        return R.Section(
            "production", tr("report.sec.production"), (R.Para(tr("report.production.none")),)
        )
    shift = prod.get("shift") or {}
    reg = prod.get("regression") or {}
    items = [
        (tr("report.prod.units"), fmt_num(prod.get("units", float("nan")))),
        (
            tr("report.prod.sec"),
            fmt_param("sec_kwh_per_unit", prod.get("sec_kwh_per_unit", float("nan")), lang),
        ),
        (
            tr("report.prod.idle_energy"),
            fmt_energy_lang(prod.get("idle_energy_kwh", float("nan")), lang),
        ),
        (tr("report.prod.idle_share"), fmt_share(prod.get("idle_share", float("nan")))),
    ]
    if shift and shift.get("saving_cny") is not None:
        items += [
            (tr("report.prod.shift_saving"), fmt_cny(shift.get("saving_cny", float("nan")), lang)),
            (
                tr("report.prod.shiftable"),
                fmt_energy_lang(shift.get("shiftable_energy_kwh", float("nan")), lang),
            ),
        ]
    if reg:
        items.append((tr("report.prod.r2"), fmt_num(reg.get("r2", float("nan")), 3)))
    blocks: list[Any] = [R.Kpis(items)]
    by_period = prod.get("energy_by_period_kwh") or {}
    if by_period:
        kept = [(p, v) for p, v in by_period.items() if v]
        unit, cells = _energy_cells([v for _, v in kept], lang)
        blocks.append(
            R.Table(
                [tr("tou.periods.col.period"), with_unit(tr("tou.periods.col.energy"), unit)],
                [[tr(f"period.{p}"), cells[i]] for i, (p, _) in enumerate(kept)],
                numeric=(1,),
            )
        )
    return R.Section("production", tr("report.sec.production"), tuple(blocks))


def _green_section(a: Analysis, lang: str) -> R.Section:
    tr = lambda key, **p: translate(lang, key, **p)  # noqa: E731
    g, bal, temp = a.green, a.green.balance, a.temperature
    blocks: list[Any] = [
        R.Kpis(
            [
                (tr("green.kpi.pv_generation"), fmt_energy_lang(bal.pv_generation_kwh, lang)),
                (tr("green.kpi.self_consumed"), fmt_energy_lang(bal.pv_self_consumed_kwh, lang)),
                (tr("green.kpi.exported"), fmt_energy_lang(bal.pv_exported_kwh, lang)),
                (tr("green.kpi.grid_import"), fmt_energy_lang(bal.grid_import_kwh, lang)),
                (tr("green.kpi.renewable_share"), fmt_share(g.renewable_share)),
                (tr("green.kpi.hourly_matched"), fmt_share(g.hourly_matched_share)),
                (tr("green.kpi.purchase"), fmt_energy_lang(g.green_purchase_kwh, lang)),
                (tr("green.kpi.gec_count"), fmt_count(g.gec_count, "gec", lang)),
                (tr("green.kpi.gec_cost"), fmt_cny(g.gec_cost_cny, lang)),
                (tr("green.kpi.premium_cost"), fmt_cny(g.green_power_cost_cny, lang)),
                (tr("green.kpi.co2_location"), fmt_tonnes(g.co2_location_t, lang)),
                (tr("green.kpi.co2_market"), fmt_tonnes(g.co2_market_t, lang)),
            ]
        ),
        R.Para(tr("report.green.target", target=fmt_share(g.target_share, 0)), note=True),
    ]
    fig = monthly_sources(
        monthly_table(bal), names={k: tr(f"green.chart.{k}") for k in ("import", "self", "export")}
    )
    blocks.append(R.Chart(_layout(fig, tr("green.chart.monthly"), "MWh", lang, legend=True), 260))
    blocks.append(R.Heading(tr("report.green.temperature", score=f"{temp.score:.1f}")))
    blocks.append(
        R.Table(
            [tr(f"green.temp.col.{c}") for c in ("component", "value", "weight", "points")],
            [
                [tr(f"green.comp.{k}"), f"{c.value:.3f}", f"{c.weight:.3f}", f"{c.points:.1f}"]
                for k, c in temp.components.items()
            ],
            numeric=(1, 2, 3),
        )
    )
    return R.Section("green", tr("report.sec.green"), tuple(blocks))


def _stage_section(stage: StageResult, lang: str) -> R.Section:
    tr = lambda key, **p: translate(lang, key, **p)  # noqa: E731
    criteria = [
        line[2:].replace("**", "")
        for line in tr("stage.criteria.body").splitlines()
        if line.startswith("- ")
    ]
    return R.Section(
        "stage",
        tr("report.sec.stage"),
        (
            R.Para(tr("stage.result", stage=stage_name(stage, lang)).replace("**", "")),
            R.Heading(tr("stage.reasons")),
            R.Bullets([("✓ " if met else "✗ ") + text for met, text in reason_texts(stage, lang)]),
            R.Heading(next_steps_heading(stage, lang)),
            R.Bullets(step_texts(stage, lang)),
            R.Heading(tr("stage.criteria")),
            R.Bullets(criteria),
        ),
    )


def _canvas_section(boxes: Mapping[str, str], stage: StageResult, lang: str) -> R.Section:
    tr = lambda key, **p: translate(lang, key, **p)  # noqa: E731
    refs = [
        f"{c.title[lang]} — {tr('canvas.refs.stage', stage=_ref_stage(c, lang))} "
        f"({figure_label(c, lang)})"
        for c in reference_canvases()
    ]
    return R.Section(
        "canvas",
        tr("report.sec.canvas"),
        (
            R.Para(tr("canvas.doc_stage", stage=stage_name(stage, lang))),
            R.CanvasGrid(boxes, box_labels(lang)),
            R.Heading(tr("canvas.refs.heading")),
            R.Bullets(refs),
            R.Para(tr("canvas.refs.source", citation=citation()), note=True),
        ),
        page_break=True,
    )


def figure_label(canvas, lang: str) -> str:
    """``Figure 2`` / ``图 2`` for a reference canvas."""
    return translate(lang, "canvas.refs.figure", n=canvas.source.figure.rsplit(" ", 1)[-1])


def _ref_stage(canvas, lang: str) -> str:
    key = "stage.name.capital_advanced" if canvas.advanced else f"stage.name.{canvas.stage}"
    return translate(lang, key)


def _sources_section(a: Analysis, lang: str) -> R.Section:
    tr = lambda key, **p: translate(lang, key, **p)  # noqa: E731
    zh = lang == "zh-CN"
    tariffs = [
        [
            m.id,
            m.name_zh if zh else m.name,
            f"{m.valid_from} → {m.valid_to or tr('tou.meta.open_ended')}",
            m.source,
            m.source_url,
            tr("tou.meta.illustrative.yes") if m.illustrative else tr("tou.meta.illustrative.no"),
        ]
        for m in (v.meta for v in a.tariffs)
    ]
    factors = [
        [
            tr(f"green.factor.{f.kind}"),
            f"{f.value} tCO2/MWh",
            str(f.year),
            tr(f"green.region.{f.region}"),
            f.document,
            f.url or f.seen_in,
            tr("green.illustrative") if f.illustrative else tr("green.confirmed"),
        ]
        for f in (a.green.grid_factor, a.green.residual_factor)
    ]
    prices = [
        [
            tr(f"green.price.{k}"),
            str(d["value"]),
            d["source"],
            tr("green.illustrative") if d["illustrative"] else tr("green.confirmed"),
        ]
        for k, d in price_defaults().items()
    ]
    col = lambda c: tr(f"report.src.col.{c}")  # noqa: E731
    return R.Section(
        "sources",
        tr("report.sec.sources"),
        (
            R.Heading(tr("report.src.tariffs")),
            R.Table(
                [
                    col("id"),
                    col("name"),
                    col("validity"),
                    col("document"),
                    col("url"),
                    col("status"),
                ],
                tariffs,
            ),
            R.Heading(tr("report.src.factors")),
            R.Table(
                [
                    col("kind"),
                    col("value"),
                    col("year"),
                    col("region"),
                    col("document"),
                    col("url"),
                    col("status"),
                ],
                factors,
                numeric=(1, 2),
            ),
            R.Heading(tr("report.src.prices")),
            R.Table(
                [col("item"), col("value"), col("document"), col("status")], prices, numeric=(1,)
            ),
            R.Heading(tr("report.src.paper")),
            R.Para(citation()),
        ),
    )


def _quality_section(a: Analysis, lang: str) -> R.Section:
    tr = lambda key, **p: translate(lang, key, **p)  # noqa: E731
    warnings = a.warnings
    if not warnings:
        return R.Section("quality", tr("report.sec.quality"), (R.Para(tr("report.clean")),))
    render = warning_renderer(lang)
    rows = [
        [
            render(w.code, {"count": w.count, **dict(w.params)}),
            fmt_num(w.count),
            ", ".join(str(r) for r in w.first_rows),
            w.code,
        ]
        for w in warnings
    ]
    return R.Section(
        "quality",
        tr("report.sec.quality"),
        (
            R.Para(tr("report.summary", n=len(warnings))),
            R.Table(
                [tr(f"report.col.{c}") for c in ("finding", "count", "rows", "code")],
                rows,
                numeric=(1,),
            ),
        ),
    )


def build_report(
    analysis: Analysis,
    *,
    lang: str,
    file_name: str,
    stage: StageResult,
    boxes: Mapping[str, str] | None = None,
    doc: Mapping[str, Any] | None = None,
    generated: dt.datetime | None = None,
    plotly_js: str | None = None,
    company: str | None = None,
) -> str:
    """The self-contained HTML report of one analysis in ``lang``, titled by ``company``
    (default: the sample enterprise's name), opening with the Overview's story and, when a
    tariff in use is illustrative, that warning.

    Sections (``<section id=…>``): :data:`SECTIONS`. ``doc`` is the analysis JSON
    (default :func:`analytics.analysis.to_json`; a ``production`` section there fills the
    production section); ``boxes`` the canvas (default: pre-filled for ``stage``).
    """
    doc = doc if doc is not None else to_json(analysis, warning_renderer(lang))
    boxes = boxes if boxes is not None else prefilled_canvas(doc, stage, lang)
    when = (generated or dt.datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M")
    company = (company or "").strip() or translate(lang, "polish.company.default")
    sections = [
        _kpi_section(analysis, lang, file_name, company),
        _tou_section(analysis, lang),
        _production_section(doc, lang),
        _green_section(analysis, lang),
        _stage_section(stage, lang),
        _canvas_section(boxes, stage, lang),
        _sources_section(analysis, lang),
        _quality_section(analysis, lang),
    ]
    return R.render_report(
        lang=lang,
        title=translate(lang, "report.doc.title", name=company),
        subtitle=[translate(lang, "report.doc.generated", when=when)],
        sections=sections,
        footer=translate(lang, "report.footer"),
        plotly_js=plotly_js,
    )


def report_file_name(file_name: str, lang: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", file_name.rsplit(".", 1)[0]).strip("_") or "data"
    return f"greentemp_report_{stem}_{lang}.html"


def assess_analysis(
    analysis: Analysis,
    answers: Questionnaire | None = None,
    *,
    production_linked: bool | None = None,
    meters: int = 1,
) -> StageResult:
    """The stage of an analysis's data with the questionnaire ``answers``."""
    return assess(
        indicators_of(analysis, production_linked=production_linked, meters=meters), answers
    )


# ---------------------------------------------------------------- session (Streamlit) helpers
