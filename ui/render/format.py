"""Number and time formatting: the one number policy of the pages, the report and the CLI.

Every figure the visitor sees goes through this module, so one quantity looks the same on
every page and in the report. The rules:

Language
    Each function takes ``lang`` (``"en"`` / ``"zh-CN"``). Left out (``None``), the display
    language of the current script run is used: ``app.py`` calls :func:`set_display_lang`
    once per run (a :class:`contextvars.ContextVar`, so two sessions never see each other's
    language); outside a page run (CLI, tests) it is ``"en"``. The report and the CLI always
    pass ``lang``.
Separators
    Every number has thousands separators (``12,345``); a missing value (None/NaN) is ``–``.
Energy [kWh] — the unit fits the magnitude
    ========  ================  =====================  ==============
    language  below 10,000 kWh  10,000 kWh – 10⁸ kWh   from 10⁸ kWh
    ========  ================  =====================  ==============
    en        kWh               MWh                    GWh
    zh-CN     kWh               万kWh                  亿kWh
    ========  ================  =====================  ==============

    Chinese bills and statistics count in 万千瓦时/亿千瓦时, so MWh never appears in zh-CN.
    Decimals: kWh 0 (1 below 100 kWh), MWh 1, GWh / 万kWh / 亿kWh 2.
    Figures that belong together (a table column, a KPI row) share one unit: pick it with
    :func:`energy_unit` from the largest of them and pass ``unit=`` (``format_frame`` does
    this per column).
Money [CNY]
    en: ``12,060,777 CNY`` (``compact`` for narrow metrics: ``12.06 M CNY`` from 1 M);
    zh-CN: ``5,000 元`` below 10 万元, ``1,206.08 万元`` up to 1 亿元 (``compact``:
    ``1,206 万元``), then ``1.21 亿元``. Chart axes: :func:`money_unit` (万元 scaling in
    zh-CN, never SI suffixes).
Power ``1,234 kW``; price ``0.8789 元/kWh`` / ``0.8789 CNY/kWh`` (4 decimals, 3 compact);
share of 0–1 as ``30.0 %``; mass ``7,281 t`` / ``7,281 吨``; specific energy
``2.199 kWh/件`` / ``2.199 kWh/unit`` (:func:`fmt_sec`); counts with their unit
(:func:`fmt_count`: ``2,836 张`` / ``2,836 GEC``); months ``2025年1月`` / ``Jan 2025``.
Tables
    :func:`format_frame` renders a DataFrame for display: the unit in every header
    (``能耗 [万kWh]``), the cells as text with separators in that one unit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass

import numpy as np
import pandas as pd

_LANG: ContextVar[str] = ContextVar("greentemp_display_lang", default="en")
ZH = "zh-CN"


def set_display_lang(lang: str) -> None:
    """The language of this script run's figures (``app.py``, once per run)."""
    _LANG.set(lang)


def display_lang(lang: str | None = None) -> str:
    """``lang`` if given, else the language of this script run (default ``"en"``)."""
    return lang if lang is not None else _LANG.get()


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def fmt_num(value: float | None, decimals: int = 0) -> str:
    """``12345.6`` → ``"12,346"``; NaN/None → ``"–"``."""
    if _missing(value):
        return "–"
    return f"{value:,.{decimals}f}"


# ------------------------------------------------------------------------------- energy

#: Energy units: name → kWh per unit.
ENERGY_UNITS: Mapping[str, float] = {
    "kWh": 1.0,
    "MWh": 1e3,
    "GWh": 1e6,
    "万kWh": 1e4,
    "亿kWh": 1e8,
}
_ENERGY_DECIMALS = {"kWh": 0, "MWh": 1, "GWh": 2, "万kWh": 2, "亿kWh": 2}


def _largest(values: float | Iterable[float]) -> float:
    """The largest absolute finite value of one number or several (0 when there is none)."""
    items = [values] if np.ndim(values) == 0 else list(values)  # type: ignore[arg-type]
    return max((abs(float(v)) for v in items if not _missing(v)), default=0.0)


def energy_unit(kwh: float | Iterable[float], lang: str | None = None) -> str:
    """The unit for an energy [kWh] (or the largest of several) in ``lang`` (module rules)."""
    top = _largest(kwh)
    if display_lang(lang) == ZH:
        return "kWh" if top < 1e4 else ("万kWh" if top < 1e8 else "亿kWh")
    return "kWh" if top < 1e4 else ("MWh" if top < 1e8 else "GWh")


def energy_value(kwh: float, unit: str) -> str:
    """The number of an energy [kWh] in ``unit``, without the unit (``"1,372.31"``)."""
    if _missing(kwh):
        return "–"
    v = kwh / ENERGY_UNITS[unit]
    decimals = _ENERGY_DECIMALS[unit]
    if unit == "kWh" and abs(v) < 100:
        decimals = 1
    return f"{v:,.{decimals}f}"


def fmt_energy(kwh: float, lang: str | None = None, *, unit: str | None = None) -> str:
    """Energy [kWh] in the unit that fits its magnitude (or ``unit``): ``13,723.1 MWh``,
    ``1,372.31 万kWh``, ``9,999 kWh``."""
    if _missing(kwh):
        return "–"
    unit = unit or energy_unit(kwh, lang)
    return f"{energy_value(kwh, unit)} {unit}"


def fmt_energy_lang(kwh: float, lang: str | None = None) -> str:
    """Alias of :func:`fmt_energy` (kept for callers that pass the language positionally)."""
    return fmt_energy(kwh, lang)


# -------------------------------------------------------------------------------- money


def money_unit(cny: float | Iterable[float], lang: str | None = None) -> tuple[str, float]:
    """``(unit, CNY per unit)`` for money (or the largest of several): an axis or a column.

    zh-CN: 元 below 10 万元, 万元 below 1 亿元, then 亿元; en: always CNY (with separators).
    """
    top = _largest(cny)
    if display_lang(lang) != ZH:
        return "CNY", 1.0
    if top < 1e5:
        return "元", 1.0
    return ("万元", 1e4) if top < 1e8 else ("亿元", 1e8)


def fmt_cny(cny: float, lang: str | None = None, *, compact: bool = False) -> str:
    """Money: ``12,060,777 CNY`` (compact ``12.06 M CNY``) in English, ``1,206.08 万元`` in
    Chinese (from 100,000 CNY; compact ``1,206 万元``; from 1 亿元 ``1.21 亿元``)."""
    if _missing(cny):
        return "–"
    if display_lang(lang) == ZH:
        unit, per = money_unit(cny, ZH)
        if unit == "元":
            return f"{cny:,.0f} 元"
        decimals = 0 if compact and unit == "万元" else 2
        return f"{cny / per:,.{decimals}f} {unit}"
    if compact and abs(cny) >= 1e6:
        return f"{cny / 1e6:,.2f} M CNY"
    return f"{cny:,.0f} CNY"


def price_unit(lang: str | None = None) -> str:
    return "元/kWh" if display_lang(lang) == ZH else "CNY/kWh"


def fmt_price(cny_per_kwh: float, lang: str | None = None, decimals: int = 4) -> str:
    """A price [CNY/kWh]: ``0.8789 元/kWh`` / ``0.879 CNY/kWh``."""
    if _missing(cny_per_kwh):
        return "–"
    return f"{cny_per_kwh:,.{decimals}f} {price_unit(lang)}"


# --------------------------------------------------------------------- other quantities


def fmt_kw(kw: float, lang: str | None = None) -> str:
    """Power [kW]: ``1,234 kW`` (the unit of demand charges, at every magnitude)."""
    return "–" if _missing(kw) else f"{kw:,.0f} kW"


def fmt_share(share: float, decimals: int = 1) -> str:
    """A 0–1 share as a percentage: ``30.0 %``."""
    return "–" if _missing(share) else f"{share * 100:,.{decimals}f} %"


def fmt_tonnes(t: float, lang: str | None = None, decimals: int = 0) -> str:
    """Mass in tonnes: ``7,281 t`` / ``7,281 吨``."""
    if _missing(t):
        return "–"
    unit = "吨" if display_lang(lang) == ZH else "t"
    return f"{t:,.{decimals}f} {unit}"


#: Count units: kind → (en, zh-CN).
COUNT_UNITS: Mapping[str, tuple[str, str]] = {
    "unit": ("units", "件"),
    "gec": ("GEC", "张"),
    "site": ("sites", "家"),
    "day": ("days", "天"),
    "hour": ("h", "小时"),
    "interval": ("intervals", "个时段"),
    "row": ("rows", "行"),
}


def count_unit(kind: str, lang: str | None = None) -> str:
    en, zh = COUNT_UNITS[kind]
    return zh if display_lang(lang) == ZH else en


def fmt_count(n: float, kind: str, lang: str | None = None, decimals: int = 0) -> str:
    """A count with its unit: ``2,836 张`` / ``2,836 GEC``; ``12 天`` / ``12 days``."""
    if _missing(n):
        return "–"
    unit = count_unit(kind, lang)
    sep = "" if display_lang(lang) == ZH and kind != "hour" else " "
    return f"{n:,.{decimals}f}{sep}{unit}"


def sec_unit(lang: str | None = None, unit_name: str | None = None) -> str:
    """``kWh/件`` / ``kWh/unit`` (or ``kWh/<unit_name>`` for the data's own unit)."""
    return f"kWh/{unit_name or ('件' if display_lang(lang) == ZH else 'unit')}"


def fmt_sec(kwh_per_unit: float, lang: str | None = None, *, unit_name: str | None = None) -> str:
    """Specific energy consumption [kWh per unit]: ``2.199 kWh/件`` / ``2.199 kWh/unit``."""
    if _missing(kwh_per_unit):
        return "–"
    return f"{kwh_per_unit:,.3f} {sec_unit(lang, unit_name)}"


def fmt_ratio(ratio: float, decimals: int = 2) -> str:
    """A dimensionless ratio as a multiple: ``1.06 ×``."""
    return "–" if _missing(ratio) else f"{ratio:,.{decimals}f} ×"


# -------------------------------------------------------------------------- time


def fmt_time(ts: pd.Timestamp) -> str:
    """Local wall time, minutes resolution, with the UTC offset."""
    ts = pd.Timestamp(ts)
    off = ts.strftime("%z")
    off = f"{off[:3]}:{off[3:]}" if off else ""
    return ts.strftime("%Y-%m-%d %H:%M") + (f" (UTC{off})" if off else "")


def fmt_date(ts: pd.Timestamp) -> str:
    return pd.Timestamp(ts).strftime("%Y-%m-%d")


_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def fmt_month(month: object, lang: str | None = None, *, year: bool = True) -> str:
    """A month (``"2025-01"``, a Timestamp or a Period): ``2025年1月`` / ``Jan 2025``
    (``year=False``: ``1月`` / ``Jan``)."""
    if _missing(month):
        return "–"
    p = pd.Period(str(month)[:7], freq="M") if isinstance(month, str) else pd.Timestamp(month)
    y, m = p.year, p.month
    if display_lang(lang) == ZH:
        return f"{y}年{m}月" if year else f"{m}月"
    return f"{_MONTHS_EN[m - 1]} {y}" if year else _MONTHS_EN[m - 1]


# ------------------------------------------------------------------------- parameters


def fmt_param(name: str, value: object, lang: str | None = None) -> str:
    """A message parameter formatted by the unit suffix of its name (STYLE: units in names):
    ``*_cny_per_kwh`` price, ``*_cny`` money, ``*_share`` 0–1 share, ``*_per_unit`` kWh per
    unit, ``*_kwh`` energy, ``*_kw`` power, ``*_t`` tonnes, ``*_days`` days; other numbers
    with thousands separators; anything else as text."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    v = float(value)
    if math.isnan(v):
        return "–"
    suffixes = (
        ("_cny_per_kwh", lambda: fmt_price(v, lang, 3)),
        ("_cny", lambda: fmt_cny(v, lang)),
        ("_share", lambda: fmt_share(v)),
        ("_per_unit", lambda: fmt_sec(v, lang)),
        ("_kwh", lambda: fmt_energy(v, lang)),
        ("_kw", lambda: fmt_kw(v)),
        ("_t", lambda: fmt_tonnes(v, lang)),
        ("_days", lambda: fmt_count(v, "day", lang)),
    )
    for suffix, render in suffixes:
        if name.endswith(suffix):
            return render()
    return fmt_num(v, 0 if v == int(v) else 2)


# ----------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class Col:
    """One display column: the translated ``label`` (without unit) and the ``kind`` of its
    values: ``energy_kwh``, ``cny``, ``kw``, ``price`` [CNY/kWh], ``share`` (0–1), ``t``,
    ``sec`` [kWh/unit], ``month``, ``num`` (plain number, ``unit`` optional) or ``text``."""

    label: str
    kind: str = "text"
    decimals: int | None = None
    unit: str | None = None


def _column(values: pd.Series, col: Col, lang: str) -> tuple[str, list[str]]:
    """The header with its unit and the rendered cells of one column."""
    dash = "–"
    kind = col.kind
    if kind == "energy_kwh":
        unit = col.unit or energy_unit(values, lang)
        return unit, [energy_value(v, unit) for v in values]
    if kind == "cny":
        unit, per = money_unit(values, lang)
        d = col.decimals if col.decimals is not None else (0 if per == 1 else 2)
        return unit, [dash if _missing(v) else f"{v / per:,.{d}f}" for v in values]
    simple = {
        "kw": ("kW", 0, 1.0),
        "price": (price_unit(lang), 4, 1.0),
        "share": ("%", 1, 100.0),
        "t": ("吨" if lang == ZH else "t", 0, 1.0),
        "sec": (sec_unit(lang), 3, 1.0),
        "num": (col.unit, 0, 1.0),
    }
    if kind in simple:
        unit, d, scale = simple[kind]
        d = col.decimals if col.decimals is not None else d
        return unit or "", [dash if _missing(v) else f"{v * scale:,.{d}f}" for v in values]
    if kind == "month":
        return "", [fmt_month(v, lang) for v in values]
    return "", ["" if _missing(v) else str(v) for v in values]


def with_unit(label: str, unit: str) -> str:
    """``label [unit]``; a bracket already in the label (a catalogue header such as
    ``电量 [kWh]``) is set to ``unit``; no unit leaves the label as it is."""
    if not unit:
        return label
    base = re.sub(r"\s*\[[^\]]*\]\s*$", "", label)
    return f"{base} [{unit}]"


def format_frame(
    frame: pd.DataFrame, columns: Mapping[str, Col | str], lang: str | None = None
) -> pd.DataFrame:
    """``frame`` for display: the ``columns`` in that order, each header its label with the
    unit in brackets (``能耗 [万kWh]``), each cell text with thousands separators in the
    column's one unit (energy and money columns scaled by their largest value). A plain
    string in ``columns`` is the label of a text column; a label that already ends in
    ``[unit]`` (the catalogue's headers) gets the column's unit there. The index is dropped."""
    code = display_lang(lang)
    out: dict[str, list[str]] = {}
    for name, spec in columns.items():
        col = Col(spec) if isinstance(spec, str) else spec
        unit, cells = _column(frame[name], col, code)
        out[with_unit(col.label, unit)] = cells
    return pd.DataFrame(out)


_MD_SPECIAL = "\\`*_{}[]()<>#+-.!|~$"


def md_escape(text: object) -> str:
    """User text (file, column, line names) made inert inside Streamlit Markdown."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in str(text))
