"""Green Temperature index: property tests (monotone, decomposition adds up) and examples."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.green.index import COMPONENTS, DEFAULT_WEIGHTS, temperature_score

share = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
maybe = st.one_of(st.none(), share)
weight = st.floats(min_value=0.0, max_value=10.0, allow_nan=False)
weights = st.fixed_dictionaries({k: weight for k in COMPONENTS}).filter(
    lambda w: w["renewable_share"] > 0
)


@settings(max_examples=300, deadline=None)
@given(r1=share, r2=share, hourly=maybe, peak=maybe, idle=maybe, shift=maybe, w=weights)
def test_raising_renewable_share_never_lowers_the_score(
    r1, r2, hourly, peak, idle, shift, w
) -> None:
    lo, hi = sorted((r1, r2))
    kw = dict(
        hourly_matched_share=hourly,
        outside_peak_share=peak,
        idle_share=idle,
        shift_realised_share=shift,
        weights=w,
    )
    assert (
        temperature_score(renewable_share=hi, **kw).score
        >= temperature_score(renewable_share=lo, **kw).score
    )


@settings(max_examples=300, deadline=None)
@given(i1=share, i2=share, renewable=share, hourly=maybe, peak=maybe, shift=maybe, w=weights)
def test_lowering_idle_share_never_lowers_the_score(
    i1, i2, renewable, hourly, peak, shift, w
) -> None:
    lo, hi = sorted((i1, i2))
    kw = dict(
        renewable_share=renewable,
        hourly_matched_share=hourly,
        outside_peak_share=peak,
        shift_realised_share=shift,
        weights=w,
    )
    assert (
        temperature_score(idle_share=lo, **kw).score >= temperature_score(idle_share=hi, **kw).score
    )


@settings(max_examples=300, deadline=None)
@given(renewable=share, hourly=maybe, peak=maybe, idle=maybe, shift=maybe, w=weights)
def test_components_add_up_to_the_score(renewable, hourly, peak, idle, shift, w) -> None:
    t = temperature_score(
        renewable_share=renewable,
        hourly_matched_share=hourly,
        outside_peak_share=peak,
        idle_share=idle,
        shift_realised_share=shift,
        weights=w,
    )
    assert 0.0 <= t.score <= 100.0 + 1e-9
    assert math.fsum(c.points for c in t.components.values()) == t.score  # exactly
    assert math.fsum(c.weight for c in t.components.values()) == pytest.approx(1.0)
    recomputed = math.fsum(c.weight * c.value * 100 for c in t.components.values())
    assert recomputed == pytest.approx(t.score, abs=1e-9)


def test_hand_computed_example_with_all_components() -> None:
    # default weights .35/.20/.20/.15/.10 sum to 1:
    # 0.35×0.4 + 0.20×0.1 + 0.20×0.6 + 0.15×(1 − 0.3) + 0.10×0.5 = 0.14+0.02+0.12+0.105+0.05 = 0.435
    t = temperature_score(
        renewable_share=0.4,
        hourly_matched_share=0.1,
        outside_peak_share=0.6,
        idle_share=0.3,
        shift_realised_share=0.5,
    )
    assert t.score == pytest.approx(43.5)
    assert t.components["idle_avoidance"].value == pytest.approx(0.7)
    assert sum(DEFAULT_WEIGHTS.values()) == pytest.approx(1.0)


def test_absent_components_renormalise_and_values_are_clipped() -> None:
    # only renewable (clipped 1.4 → 1.0): score 100
    assert temperature_score(renewable_share=1.4).score == 100.0
    t = temperature_score(renewable_share=0.5, hourly_matched_share=float("nan"))
    assert list(t.components) == ["renewable_share"] and t.score == 50.0


def test_bad_weights_raise() -> None:
    with pytest.raises(ValueError):
        temperature_score(renewable_share=0.5, weights={"renewable_share": -1.0})
    with pytest.raises(ValueError):
        temperature_score(renewable_share=0.5, weights={"bogus": 1.0})
    with pytest.raises(ValueError):
        temperature_score(renewable_share=0.5, weights={"renewable_share": 0.0})
