"""The guided demo's script, without Streamlit: the five steps and what the sales person says.

A power-supply sales person shows one enterprise to a customer in about three minutes:
cost → peak → production → green → canvas. Each :class:`Step` names the page it is told on;
:func:`talking_point` builds its one or two sentences from THIS enterprise's analysis (the
cached :class:`analytics.analysis.Analysis` of the pages, nothing recomputed) through the
number policy of :mod:`ui.render.format`, in the catalogue's words (``demo.*`` keys).

Figures used (units as in the analysis):

========== ==================================================================================
cost       ``bill.total_cost_cny``, ``bill.average_price_cny_per_kwh``, the peak (sharp + peak)
           and valley (valley + deep valley) shares of ``load.energy_kwh``, the data's span
peak       ``load.peak_kw`` and its time, ``bill.demand_charge_cny`` and its share of
           ``bill.total_cost_cny`` by ``bill.charge_basis`` (demand / capacity / none),
           ``load.load_factor``
production ``production.metrics``: units, ``sec_kwh_per_unit``, ``idle_energy_kwh``,
           ``idle_share`` (a variant when no schedule was given)
green      own PV generation and ``balance.self_sufficiency_ratio``, ``target_share``,
           ``green_purchase_kwh``, ``gec_count``, the Green Temperature score (variants
           without PV and when the target is already met)
canvas     the assessed stage's name (passed in: the stage needs the session's answers)
========== ==================================================================================
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analytics.analysis import Analysis
from analytics.tou import peak_energy_share, valley_energy_share
from ui.render.format import (
    ZH,
    fmt_cny,
    fmt_count,
    fmt_energy,
    fmt_kw,
    fmt_price,
    fmt_sec,
    fmt_share,
)
from ui.render.i18n import translate


@dataclass(frozen=True)
class Step:
    """One step of the demo: its id (``demo.title.<id>``) and the page it is told on."""

    id: str
    page: str


STEPS: tuple[Step, ...] = (
    Step("cost", "pages/tou.py"),
    Step("peak", "pages/tou.py"),
    Step("production", "pages/production.py"),
    Step("green", "pages/green.py"),
    Step("canvas", "pages/canvas.py"),
)


def fmt_day(ts: pd.Timestamp, lang: str) -> str:
    """A date: ``2025年1月1日`` / ``2025-01-01``."""
    ts = pd.Timestamp(ts)
    return f"{ts.year}年{ts.month}月{ts.day}日" if lang == ZH else ts.strftime("%Y-%m-%d")


def fmt_moment(ts: pd.Timestamp, lang: str) -> str:
    """A local wall time without the zone: ``2025年7月25日 16:30`` / ``2025-07-25 16:30``."""
    ts = pd.Timestamp(ts)
    return f"{fmt_day(ts, lang)} {ts.strftime('%H:%M')}"


def _ok(value: float | None) -> bool:
    return value is not None and not math.isnan(float(value))


def _cost(a: Analysis, lang: str) -> tuple[str, dict[str, Any]]:
    bill, stats = a.bill, a.load
    return "demo.say.cost", {
        "start": fmt_day(a.report.start, lang),
        "end": fmt_day(a.report.end, lang),
        "cost": fmt_cny(bill.total_cost_cny, lang),
        "price": fmt_price(bill.average_price_cny_per_kwh, lang),
        "peak_share": fmt_share(peak_energy_share(bill.energy_kwh, stats.energy_kwh)),
        "valley_share": fmt_share(valley_energy_share(bill.energy_kwh, stats.energy_kwh)),
    }


def _peak(a: Analysis, lang: str) -> tuple[str, dict[str, Any]]:
    bill, stats = a.bill, a.load
    basis = bill.charge_basis if bill.charge_basis in ("demand", "capacity") else "none"
    share = bill.demand_charge_cny / bill.total_cost_cny if bill.total_cost_cny else math.nan
    return f"demo.say.peak.{basis}", {
        "peak_kw": fmt_kw(stats.peak_kw),
        "peak_at": fmt_moment(stats.peak_at, lang),
        "charge": fmt_cny(bill.demand_charge_cny, lang),
        "charge_share": fmt_share(share),
        "load_factor": fmt_share(stats.load_factor),
    }


def _production(a: Analysis, lang: str) -> tuple[str, dict[str, Any]]:
    if a.production is None or not a.production.metrics.units > 0:
        return "demo.say.production.none", {}
    m = a.production.metrics
    return "demo.say.production", {
        "units": fmt_count(m.units, "unit", lang),
        "sec": fmt_sec(m.sec_kwh_per_unit, lang),
        "idle_kwh": fmt_energy(m.idle_energy_kwh, lang),
        "idle_share": fmt_share(m.idle_share),
    }


def _green(a: Analysis, lang: str) -> tuple[str, dict[str, Any]]:
    g = a.green
    params = {
        "pv_kwh": fmt_energy(g.balance.pv_generation_kwh, lang),
        "renewable": fmt_share(g.balance.self_sufficiency_ratio),
        "target": fmt_share(g.target_share, 0),
        "purchase": fmt_energy(g.green_purchase_kwh, lang),
        "gec": fmt_count(g.gec_count, "gec", lang),
        "score": f"{a.temperature.score:.0f}°",
    }
    has_pv = _ok(g.balance.pv_generation_kwh) and g.balance.pv_generation_kwh > 0
    if g.gec_count <= 0:
        return "demo.say.green.met", params
    return ("demo.say.green" if has_pv else "demo.say.green.no_pv"), params


def step_message(step: str, analysis: Analysis, lang: str, *, stage: str = "") -> tuple[str, dict]:
    """``(catalogue key, formatted parameters)`` of one step's talking point."""
    if step == "canvas":
        return "demo.say.canvas", {"stage": stage}
    build = {"cost": _cost, "peak": _peak, "production": _production, "green": _green}[step]
    return build(analysis, lang)


def talking_point(step: str, analysis: Analysis, lang: str, *, stage: str = "") -> str:
    """What the sales person says at ``step`` (one or two sentences, in ``lang``)."""
    key, params = step_message(step, analysis, lang, stage=stage)
    return translate(lang, key, **params)


def step_header(index: int, lang: str) -> str:
    """``演示 · 第 2 步，共 5 步：高峰需量`` for the 0-based ``index``."""
    return translate(
        lang,
        "demo.header",
        k=index + 1,
        n=len(STEPS),
        title=translate(lang, f"demo.title.{STEPS[index].id}"),
    )
