"""The holdings and target widgets of the sidebar and the Green page (issue 14).

- :func:`target_sidebar` — province × industry in the sidebar (app.py, one call line);
- :func:`holdings_inputs` — green power bought, GECs held (a count or a file), the PV's owner;
- :func:`target_slider` — the target, starting at the province × industry default;
- :func:`vintage_prices` — the page's default prices with the GEC price of the vintage;
- :func:`holdings_section` — renewable share now, what is missing and its cost by vintage,
  the validity note, the target default with status and source, the PV compliance ratio.

The figures come from :func:`analytics.green.analyze_green` (the same call as the CLI's).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from analytics.findings import InputError
from analytics.green import (
    INDUSTRIES,
    PV_OWNERS,
    GecLot,
    GreenPrices,
    GreenResult,
    Holdings,
    TargetDefault,
    default_prices,
    gec_price_cny,
    gec_prices,
    read_gec_holdings,
    shift_realised_share,
    target_default,
)
from ui.render.format import fmt_count, fmt_energy, fmt_num, fmt_share, md_escape
from ui.state import t, t_now
from ui.widgets import show_error

#: Province ids (the CLI's ``--province``), in the order of the national statistics.
PROVINCES: tuple[str, ...] = (
    "Beijing", "Tianjin", "Hebei", "Shanxi", "InnerMongolia", "Liaoning", "Jilin",
    "Heilongjiang", "Shanghai", "Jiangsu", "Zhejiang", "Anhui", "Fujian", "Jiangxi",
    "Shandong", "Henan", "Hubei", "Hunan", "Guangdong", "Guangxi", "Hainan", "Chongqing",
    "Sichuan", "Guizhou", "Yunnan", "Tibet", "Shaanxi", "Gansu", "Qinghai", "Ningxia",
    "Xinjiang",
)  # fmt: skip


def chosen_province() -> str | None:
    p = st.session_state.get("green.province", "")
    return p or None


def chosen_industry() -> str | None:
    i = st.session_state.get("green.industry", "general")
    return None if i == "general" else i


def target_sidebar() -> None:
    """Province and industry selectors (their values: :func:`chosen_province`/``_industry``)."""
    tf = t_now()
    st.selectbox(
        t("holdings.sidebar.province"),
        ("", *PROVINCES),
        key="green.province",
        help=t("holdings.sidebar.province.help"),
        format_func=lambda p: tf(f"holdings.province.{p or 'none'}"),
    )
    st.selectbox(
        t("holdings.sidebar.industry"),
        INDUSTRIES,
        key="green.industry",
        format_func=lambda i: tf(f"holdings.industry.{i}"),
    )


def page_default(data_year: int) -> TargetDefault:
    """The target default of the sidebar's choice for the data's year."""
    return target_default(chosen_province(), chosen_industry(), data_year)


def target_slider(col, default: TargetDefault) -> float | None:
    """The target slider [%] starting at the default; None while it sits on the default (the
    analysis then resolves the default itself, as the CLI does without ``--target-share``)."""
    start = round(default.share * 100, 1) if default.share is not None else 30.0
    key = "green.target" if default.share is None else f"green.target.{start}"
    pct = col.slider(
        t("green.target"), 0.0, 100.0, start, step=0.1, key=key, help=t("green.target.help")
    )
    return None if pct == start else pct / 100.0


def vintage_prices(data_year: int, vintage: int | None = None) -> GreenPrices:
    """Default prices with the GEC price of ``vintage`` (default the reporting year's) as of
    December of the reporting year — what :func:`analytics.green.analyze_green` uses."""
    d = default_prices()
    quote = gec_price_cny(vintage or data_year, "all", f"{data_year}-12")
    return GreenPrices(quote.price_cny, d.green_premium_cny_per_kwh, d.feed_in_cny_per_kwh)


def holdings_inputs(data_year: int) -> Holdings:
    """The holdings widgets (an expander); a bad holdings file shows its error and is ignored."""
    tf = t_now()
    with st.expander(t("holdings.heading"), expanded=True):
        st.caption(t("holdings.intro"))
        c1, c2, c3, c4 = st.columns(4)
        bought = c1.number_input(
            t("holdings.purchased"),
            min_value=0.0,
            max_value=1e12,
            value=0.0,
            step=10_000.0,
            key="green.h.bought",
            help=t("holdings.purchased.help"),
        )
        count = c2.number_input(
            t("holdings.gec_held"), min_value=0, max_value=10**9, value=0, step=100, key="green.h.n"
        )
        vintage = c3.selectbox(
            t("holdings.gec_vintage"),
            [data_year, data_year - 1, data_year - 2, data_year - 3],
            key="green.h.vintage",
        )
        owner = c4.radio(
            t("holdings.pv_owner"),
            PV_OWNERS,
            key="green.h.owner",
            format_func=lambda o: tf(f"holdings.pv_owner.{o}"),
            help=t("holdings.pv_owner.help"),
        )
        up = st.file_uploader(
            t("holdings.gec_file"),
            type=["csv"],
            key="green.h.file",
            help=t("holdings.gec_file.help"),
        )
        st.columns(4)[0].selectbox(
            t("holdings.buy_vintage"),
            [data_year, data_year - 1],
            key="green.h.buy_vintage",
            help=t("holdings.buy_vintage.help"),
        )
        lots = [GecLot(int(count), int(vintage), "all")] if count else []
        if up is not None:
            try:
                lots += read_gec_holdings(up.getvalue(), file_name=up.name)
            except InputError as err:
                show_error(err)
    return Holdings(green_purchased_kwh=float(bought), gec_lots=tuple(lots), pv_owner=owner)


@dataclass(frozen=True)
class HoldingsPage:
    """The Green page's holdings inputs and target default (built by :meth:`inputs`)."""

    holdings: Holdings
    default: TargetDefault
    data_year: int
    prices: GreenPrices

    buy_vintage: int

    @classmethod
    def inputs(cls, load: pd.DataFrame) -> HoldingsPage:
        """Draw the holdings widgets for the load's reporting year (its last interval's)."""
        year = int(pd.DatetimeIndex(load.index)[-1].year)
        holdings = holdings_inputs(year)
        buy = int(st.session_state.get("green.h.buy_vintage", year))
        return cls(holdings, page_default(year), year, vintage_prices(year, buy), buy)

    def target_slider(self, col) -> float | None:
        return target_slider(col, self.default)

    @property
    def kwargs(self) -> dict[str, Any]:
        """The keyword arguments of ``cached_green`` beyond the page's own."""
        return {
            "holdings": self.holdings,
            "province": chosen_province(),
            "industry": chosen_industry(),
            "gec_vintage": None if self.buy_vintage == self.data_year else self.buy_vintage,
        }


_SHIFT_STATE = "green.shift_scenario"


def remember_shift(result: Any, shift: Any) -> None:
    """The Production page's solved scenario, for the Green Temperature of the same data and
    tariff (``result``: :class:`ui.dataset.Result`; ``shift``: a ``ShiftResult``)."""
    st.session_state[_SHIFT_STATE] = (
        (result.sha256, result.tariff_key),
        shift_realised_share(shift),
    )


def scenario_shift(result: Any) -> float | None:
    """Realised share [0–1] of the scenario solved for this data and tariff, or None."""
    saved = st.session_state.get(_SHIFT_STATE)
    if not saved or saved[0] != (result.sha256, result.tariff_key):
        return None
    return saved[1]


def shift_input(col, result: Any) -> float | None:
    """The shift component's input: on, at the scenario's realised share, whenever the
    Production page solved one for this data (the slider's exact value otherwise)."""
    scen = scenario_shift(result)
    start = 0.0 if scen is None else round(scen * 100, 1)
    on = col.checkbox(t("green.temp.use_shift"), key="green.use_shift", value=scen is not None)
    pct = col.slider(
        t("green.temp.shift"),
        0.0,
        100.0,
        start,
        step=0.1,
        key=f"green.shift.{start}",
        disabled=not on,
        help=t("holdings.shift.from_scenario") if scen is not None else None,
    )
    if not on:
        return None
    return scen if scen is not None and pct == start else pct / 100.0


def source_expander(*sources: str | None) -> None:
    """Citations as their data files give them (publication and web site names, often English)
    in a collapsed expander labelled "来源（原文）" / "Source (original)", right under the figure
    they back; the Chinese browser test skips this expander's contents by that label."""
    shown = [s for s in dict.fromkeys(sources) if s]
    if shown:
        with st.expander(t("holdings.sources.original"), expanded=False):
            for s in shown:
                st.caption(md_escape(s))


def _confidence(code: str) -> str:
    """A confidence code as a word with the code: "已确认（官方原文） (C1)"."""
    return f"{t(f'polish.confidence.{code}')} ({code})"


def _target_note(g: GreenResult) -> str:
    d = g.target_default
    prov = t(f"holdings.province.{chosen_province() or 'none'}")
    ind = t(f"holdings.industry.{chosen_industry() or 'general'}")
    status = t(f"holdings.status.{d.status}")
    if g.target_basis == "user":
        return t("holdings.target.user", share=fmt_share(g.target_share))
    if d.share is not None:
        text = t(
            "holdings.target.default",
            province=prov,
            industry=ind,
            share=fmt_share(d.share),
            year=d.year,
            status=status,
        )
        return text + (" " + t("holdings.illustrative") if d.confidence in ("C3", "U") else "")
    if d.status != "none":
        return t(
            "holdings.target.no_share",
            province=prov,
            industry=ind,
            status=status,
            year=f", {d.year}" if d.year else "",
        )
    return t("holdings.target.assumption")


def _price_table() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                t("holdings.col.month"): p.month,
                t("holdings.col.vintage"): p.vintage,
                t("holdings.col.type"): t(f"holdings.ptype.{p.project_type}"),
                t("holdings.col.price"): p.price_cny,
                t("holdings.col.confidence"): _confidence(p.confidence),
                t("holdings.col.source"): p.source,
            }
            for p in gec_prices()
        ]
    )


def _self_use(g: GreenResult) -> None:
    s = g.self_use
    if s is None:
        return
    st.markdown(f"**{t('holdings.selfuse.heading')}**")
    m = st.columns(4)
    m[0].metric(t("holdings.selfuse.ratio"), fmt_share(s.ratio))
    m[1].metric(
        t("holdings.selfuse.threshold"), fmt_share(s.threshold) if s.threshold is not None else "—"
    )
    if s.meets is not None:
        m[2].metric(
            t("holdings.selfuse.meets"), t(f"holdings.selfuse.{'yes' if s.meets else 'no'}")
        )
    m[3].metric(
        t("holdings.selfuse.surplus_value"),
        t("green.unit.cny", value=fmt_num(s.surplus_value_cny)),
        help=t("holdings.selfuse.surplus_value.help"),
    )
    if s.threshold is None:
        st.caption(
            t(
                "holdings.selfuse.none",
                low=fmt_share(s.range_low),
                high=fmt_share(s.range_high),
            )
        )
        source_expander(s.range_source)
    else:
        st.caption(
            t(
                "holdings.selfuse.source",
                threshold=fmt_share(s.threshold),
                status=t(f"holdings.selfuse.status.{s.status}"),
            )
        )
        source_expander(s.source)


def holdings_section(g: GreenResult) -> None:
    """What is held, what is missing and its cost by vintage, validity, target, compliance."""
    h, q = g.holdings, g.gec_price
    st.markdown(f"**{t('holdings.result.heading')}**")
    st.info(_target_note(g))
    if g.target_basis != "user" and g.target_default.share is not None:
        source_expander(g.target_default.source)
    m = st.columns(4)
    m[0].metric(
        t("holdings.kpi.share_now"),
        fmt_share(g.renewable_share_now),
        help=t("holdings.help.share_now"),
    )
    m[1].metric(t("holdings.kpi.held"), fmt_energy(h.held_kwh))
    m[2].metric(t("holdings.kpi.gec_valid"), fmt_count(h.gec_valid, "gec"))
    m[3].metric(t("holdings.kpi.gec_expired"), fmt_count(h.gec_expired, "gec"))
    m = st.columns(3)
    m[0].metric(t("holdings.kpi.missing"), fmt_energy(g.green_purchase_kwh))
    m[1].metric(t("holdings.kpi.missing_gecs"), fmt_count(g.gec_count, "gec"))
    m[2].metric(
        t("holdings.kpi.missing_cost", vintage=q.vintage),
        t("green.unit.cny", value=fmt_num(g.gec_cost_cny)),
    )
    st.caption(
        t(
            "holdings.price_caption",
            price=fmt_num(g.prices.gec_cny_per_certificate, 2),
            vintage=q.vintage,
            type=t(f"holdings.ptype.{q.project_type}"),
            month=q.month,
            confidence=_confidence(q.confidence),
        )
    )
    source_expander(q.source)
    y = h.reporting_year
    st.caption(t("holdings.validity", year=y, prev=y - 1, next=y + 1))
    with st.expander(t("holdings.price_table")):
        st.dataframe(_price_table(), hide_index=True, width="stretch")
    _self_use(g)
