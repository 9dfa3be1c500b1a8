"""One green setting for the whole session (issue 15, "one shared state").

The Green page's inputs (target, GEC price, premium, feed-in price, emission-factor year and
region, net import, units, holdings, GEC vintage, PV source, idle and shift shares, the Green
Temperature's weights) live here as a :class:`GreenInputs`; the Overview, the Green page and
the report all compute their green figures through :func:`green_of` / :func:`temperature_of`
(cached in :mod:`ui.cached`), so the three show the same figures.

Session keys (plain values, never widget keys, so they survive a page switch):

- ``gs.overrides`` — ``(load_key, {field: value})``: only the fields that differ from the
  defaults of :func:`default_inputs`; a field left at its default follows the default
  (a new province × industry target default, a scenario solved later on the Production page);
- ``gs.pv`` — ``(pv_key, frame, warnings)``: a modelled or weather-file PV series;
- ``gs.widgets`` — the Green page's widget values, restored when the page is opened again
  (Streamlit forgets a widget's value on a page that does not draw it).

Defaults = the analysis' defaults (:func:`analytics.analysis.analyze`): the sidebar's
province × industry target default, the reporting year's GEC vintage and prices, the latest
national emission factor, the measured production units and idle share, the PV file of the
dataset, the default weights.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import streamlit as st

from analytics.analysis import Analysis
from analytics.findings import DataWarning, InputError
from analytics.green import (
    DEFAULT_WEIGHTS,
    GreenResult,
    GreenTemperature,
    Holdings,
    factor_regions,
    factor_years,
)
from ui.cached import cached_green, cached_green_temperature, cached_pv
from ui.holdings import chosen_industry, chosen_province, scenario_shift, vintage_prices
from ui.render.format import fmt_num, fmt_price, fmt_share
from ui.state import lang, override_banner, t

OVERRIDES_KEY = "gs.overrides"
PV_KEY = "gs.pv"
WIDGETS_KEY = "gs.widgets"

#: The Green page's widgets kept across pages (not uploaders or buttons), by the input they
#: set: a widget is restored only while that input differs from its default, so an input left
#: at its default keeps following the default (a scenario solved later, a new target default).
_WIDGETS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"^green\.({pattern})$"), name)
    for pattern, name in (
        (r"pv_mode|kwp|tilt|azimuth|losses|city|lat\..+|lon\..+|yield\..+", "pv_key"),
        (r"target(\..+)?", "target_share"),
        (r"year|region|net", "factor"),
        (r"units", "units"),
        (r"p\.gec\..+", "gec_cny_per_certificate"),
        (r"p\.premium", "green_premium_cny_per_kwh"),
        (r"p\.feed", "feed_in_cny_per_kwh"),
        (r"h\.(bought|n|vintage|owner)", "holdings"),
        (r"h\.buy_vintage", "gec_vintage"),
        (r"use_idle|idle", "idle_share"),
        (r"use_shift|shift\..+", "shift_share"),
        (r"w\..+", "weights"),
    )
)
_FACTOR_FIELDS = ("factor_year", "factor_region", "net_import")


def _widget_input(key: str) -> str | None:
    return next((name for pattern, name in _WIDGETS if pattern.match(key)), None)


@dataclass(frozen=True)
class GreenInputs:
    """Every input of the green figures (units: shares 0–1, CNY, kWh)."""

    pv_key: str = "none"
    target_share: float | None = None  # None = the province × industry default
    gec_cny_per_certificate: float = 0.0
    green_premium_cny_per_kwh: float = 0.0
    feed_in_cny_per_kwh: float = 0.0
    factor_year: int = 0
    factor_region: str = "national"
    net_import: bool = False
    units: float | None = None
    holdings: Holdings = field(default_factory=Holdings)
    gec_vintage: int | None = None  # None = the reporting year's
    idle_share: float | None = None
    shift_share: float | None = None
    weights: tuple[tuple[str, float], ...] = tuple(DEFAULT_WEIGHTS.items())

    @property
    def prices(self) -> tuple[float, float, float]:
        return (
            self.gec_cny_per_certificate,
            self.green_premium_cny_per_kwh,
            self.feed_in_cny_per_kwh,
        )


_PRICE_FIELDS = ("gec_cny_per_certificate", "green_premium_cny_per_kwh", "feed_in_cny_per_kwh")


def load_key(result: Any) -> str:
    """The dataset's identity (``result``: :class:`ui.dataset.Result`), as the Green page's."""
    return f"{result.sha256}|{result.options!r}"


def data_year(analysis: Analysis) -> int:
    """The reporting year: the year of the load's last interval."""
    return int(pd.DatetimeIndex(analysis.frame.index)[-1].year)


def _measured(analysis: Analysis) -> tuple[float | None, float | None]:
    """(units, idle share) measured by the production schedule, else (None, None)."""
    prod = analysis.production
    if prod is None:
        return None, None
    units = float(prod.metrics.units) if prod.metrics.units > 0 else None
    idle = prod.metrics.idle_share
    return units, (None if idle is None or math.isnan(idle) else float(idle))


def default_pv(result: Any) -> tuple[str, pd.DataFrame | None]:
    """The dataset's own PV file (the Green page's default source) as (key, frame)."""
    from ui.dataset import current_file, import_options

    item = current_file("pv")
    if item is None:
        return "none", None
    opts = import_options("pv")
    try:
        frame, _ = cached_pv(item.sha256, item.name, opts, item.data)
    except InputError:
        return "none", None
    return f"file|{item.sha256}|{opts!r}", frame


def default_inputs(result: Any, gec_vintage: int | None = None) -> GreenInputs:
    """The analysis' defaults for this dataset (the prices of ``gec_vintage``'s GECs)."""
    a = result.analysis
    year = data_year(a)
    prices = vintage_prices(year, gec_vintage)
    units, idle = _measured(a)
    return GreenInputs(
        pv_key=default_pv(result)[0],
        gec_cny_per_certificate=prices.gec_cny_per_certificate,
        green_premium_cny_per_kwh=prices.green_premium_cny_per_kwh,
        feed_in_cny_per_kwh=prices.feed_in_cny_per_kwh,
        factor_year=factor_years()[-1],
        factor_region=factor_regions()[0],
        units=units,
        gec_vintage=gec_vintage,
        idle_share=idle,
        shift_share=scenario_shift(result),
    )


def overrides(result: Any) -> dict[str, Any]:
    """The fields the visitor changed for this dataset (``{}`` for another dataset)."""
    saved = st.session_state.get(OVERRIDES_KEY)
    if not saved or saved[0] != load_key(result):
        return {}
    return dict(saved[1])


def read(result: Any) -> GreenInputs:
    """The session's green inputs for this dataset: the defaults with the visitor's changes."""
    ov = overrides(result)
    base = default_inputs(result, ov.get("gec_vintage"))
    if ov.get("pv_key") is not None and _stored_pv(ov["pv_key"]) is None:
        ov.pop("pv_key")  # a modelled series of an earlier session state: the default PV
    return dataclasses.replace(base, **ov)


def write(result: Any, inputs: GreenInputs, pv: tuple[pd.DataFrame | None, list] | None) -> None:
    """Remember the Green page's inputs (only what differs from the defaults) and, when the
    PV is not the dataset's file, its series."""
    base = default_inputs(result, inputs.gec_vintage)
    ov = {
        f.name: getattr(inputs, f.name)
        for f in dataclasses.fields(GreenInputs)
        if getattr(inputs, f.name) != getattr(base, f.name)
    }
    st.session_state[OVERRIDES_KEY] = (load_key(result), ov)
    if "pv_key" in ov and pv is not None:
        st.session_state[PV_KEY] = (inputs.pv_key, pv[0], list(pv[1]))
    elif "pv_key" not in ov:
        st.session_state.pop(PV_KEY, None)


def _stored_pv(pv_key: str) -> tuple[pd.DataFrame | None, list[DataWarning]] | None:
    saved = st.session_state.get(PV_KEY)
    if saved and saved[0] == pv_key:
        return saved[1], saved[2]
    return None


def pv_of(result: Any, inputs: GreenInputs) -> pd.DataFrame | None:
    """The PV series of ``inputs.pv_key``: the dataset's file, a stored modelled one, or none."""
    if inputs.pv_key == "none":
        return None
    key, frame = default_pv(result)
    if inputs.pv_key == key:
        return frame
    stored = _stored_pv(inputs.pv_key)
    return stored[0] if stored is not None else None


def green_of(result: Any, inputs: GreenInputs, pv: pd.DataFrame | None) -> GreenResult:
    """The green analysis of these inputs, priced by the sidebar's tariff (raises
    ``InputError``) — the one computation of the Green page, the Overview and the report."""
    a = result.analysis
    return cached_green(
        load_key(result),
        inputs.pv_key,
        inputs.target_share,
        inputs.prices,
        inputs.factor_year,
        inputs.factor_region,
        inputs.net_import,
        inputs.units or None,
        a.frame,
        pv,
        result.tariff_key,
        a.periods,
        holdings=inputs.holdings,
        province=chosen_province(),
        industry=chosen_industry(),
        gec_vintage=inputs.gec_vintage,
    )


def temperature_of(result: Any, inputs: GreenInputs, green: GreenResult) -> GreenTemperature:
    """The Green Temperature of ``green`` (raises ``ValueError`` when every weight is 0)."""
    key = (
        load_key(result),
        result.tariff_key,
        dataclasses.replace(inputs, idle_share=None, shift_share=None, weights=()),
        chosen_province(),
        chosen_industry(),
    )
    return cached_green_temperature(
        key, inputs.idle_share, inputs.shift_share, inputs.weights, green
    )


def figures(result: Any) -> tuple[GreenResult, GreenTemperature]:
    """The session's green result and Green Temperature (the analysis' own on bad settings)."""
    inputs = read(result)
    try:
        g = green_of(result, inputs, pv_of(result, inputs))
        return g, temperature_of(result, inputs, g)
    except (InputError, ValueError):
        return result.analysis.green, result.analysis.temperature


def session_analysis(result: Any) -> Analysis:
    """The analysis with the session's green figures (for the report)."""
    g, temp = figures(result)
    return dataclasses.replace(result.analysis, green=g, temperature=temp)


# ------------------------------------------------------------------------ banner


def _item(name: str, value: Any) -> str | None:
    code = lang()
    if name == "target_share":
        return t("st15.override.target", share=fmt_share(value, 0))
    if name == "gec_cny_per_certificate":
        return t("st15.override.gec_price", value=fmt_num(value, 2))
    if name in _PRICE_FIELDS:
        return t(f"st15.override.{name}", value=fmt_price(value, code, 3))
    if name == "weights":
        return t("st15.override.weights")
    if name == "holdings":
        return t("st15.override.holdings")
    if name == "pv_key":
        return t(f"st15.override.pv.{str(value).split('|', 1)[0]}")
    if name in _FACTOR_FIELDS:
        return t("st15.override.factor")
    if name in ("units", "idle_share", "shift_share", "gec_vintage"):
        return t(f"st15.override.{name}")
    return None


def override_items(result: Any) -> list[str]:
    """Short translated texts of the green settings that differ from their defaults."""
    return list(
        dict.fromkeys(x for k, v in overrides(result).items() if (x := _item(k, v)) is not None)
    )


def green_banner(result: Any) -> None:
    """The override banner of a page whose figures follow the green settings."""
    override_banner(override_items(result))


# ------------------------------------------------------------------------ widgets


def restore_widgets(result: Any) -> None:
    """Give the Green page's widgets the values they had when the page was last drawn, for
    the inputs that differ from their defaults (call before the page's first widget)."""
    changed = set(overrides(result))
    if changed & set(_FACTOR_FIELDS):
        changed.add("factor")
    for key, value in (st.session_state.get(WIDGETS_KEY) or {}).items():
        if key not in st.session_state and _widget_input(key) in changed:
            st.session_state[key] = value


def remember_widgets() -> None:
    """Keep the Green page's widget values for its next visit (call at the end of the page)."""
    st.session_state[WIDGETS_KEY] = {
        k: st.session_state[k] for k in list(st.session_state) if _widget_input(str(k))
    }


def reset_green() -> None:
    """Forget the green settings and the Green page's widget values (a button's callback)."""
    for key in [k for k in list(st.session_state) if _widget_input(str(k))]:
        del st.session_state[key]
    for key in (OVERRIDES_KEY, PV_KEY, WIDGETS_KEY):
        st.session_state.pop(key, None)


def reset_button(result: Any, container: Any) -> None:
    """ "Back to the default green settings", shown while a green setting is changed."""
    if overrides(result):
        container.button(
            t("st15.reset"), on_click=reset_green, icon=":material/undo:", key="st15.reset"
        )
